/*
 * strmap.c - seeded open-addressing string map with linear probing.
 */
#include "util/strmap.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sanctum/common.h"

/* 64-bit FNV-1a followed by a murmur-style finalizer, mixed with the seed. */
uint64_t sanctum_hash_bytes(const void *p, size_t len, uint64_t seed)
{
    const unsigned char *s = p;
    uint64_t h = 0xcbf29ce484222325ULL ^ seed;
    for (size_t i = 0; i < len; i++) {
        h ^= s[i];
        h *= 0x100000001b3ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

void sanctum_strmap_init(sanctum_strmap *m)
{
    m->slots = NULL;
    m->cap = m->count = 0;
    m->seed = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ULL ^ (uint64_t)(uintptr_t)m;
}

void sanctum_strmap_free(sanctum_strmap *m)
{
    free(m->slots);
    m->slots = NULL;
    m->cap = m->count = 0;
}

static sanctum_strmap_slot *probe(sanctum_strmap_slot *slots, size_t cap, const char *key, size_t len,
                                  uint64_t h)
{
    size_t i = (size_t)h & (cap - 1);
    for (;;) {
        sanctum_strmap_slot *s = &slots[i];
        if (!s->key) return s;
        if (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0) return s;
        i = (i + 1) & (cap - 1);
    }
}

static int rehash(sanctum_strmap *m, size_t cap)
{
    sanctum_strmap_slot *slots = calloc(cap, sizeof *slots);
    if (!slots) return SANCTUM_ENOMEM;
    for (size_t i = 0; i < m->cap; i++) {
        sanctum_strmap_slot *s = &m->slots[i];
        if (s->key) *probe(slots, cap, s->key, s->len, s->hash) = *s;
    }
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
    return 0;
}

int sanctum_strmap_put(sanctum_strmap *m, const char *key, size_t len, size_t value)
{
    if ((m->count + 1) * 4 >= m->cap * 3) {
        int rc = rehash(m, m->cap ? m->cap * 2 : 64);
        if (rc) return rc;
    }
    uint64_t h = sanctum_hash_bytes(key, len, m->seed);
    sanctum_strmap_slot *s = probe(m->slots, m->cap, key, len, h);
    if (!s->key) {
        s->key = key;
        s->len = len;
        s->hash = h;
        m->count++;
    }
    s->value = value;
    return 0;
}

int sanctum_strmap_get(const sanctum_strmap *m, const char *key, size_t len, size_t *value)
{
    if (!m->cap) return 0;
    uint64_t h = sanctum_hash_bytes(key, len, m->seed);
    const sanctum_strmap_slot *s = probe(m->slots, m->cap, key, len, h);
    if (!s->key) return 0;
    if (value) *value = s->value;
    return 1;
}
