/*
 * cache.c - a bounded cache of recent GET /v1/search responses.
 *
 * Screening is deterministic for a given snapshot and query, and callers
 * often repeat a query (retries, the same counterparty in many payments).
 * Entries are direct-mapped by a seeded FNV-1a hash of the canonical query
 * into a fixed number of slots, each with its own lock; a new entry simply
 * replaces the old one in its slot. Memory is bounded by
 * CACHE_SLOTS * CACHE_MAX_BODY. Entries of an older generation are never
 * returned, so a reload needs no flush.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server_internal.h"

#define CACHE_SLOTS 2048
#define CACHE_MAX_BODY (32u * 1024)

typedef struct slot {
    pthread_mutex_t lock;
    unsigned long generation;
    char *key;
    char *body;
} slot;

static slot slots[CACHE_SLOTS];
static pthread_once_t once = PTHREAD_ONCE_INIT;
static uint64_t seed;

static void init(void)
{
    for (size_t i = 0; i < CACHE_SLOTS; i++) pthread_mutex_init(&slots[i].lock, NULL);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    seed = 1469598103934665603ULL ^ ((uint64_t)ts.tv_nsec << 16) ^ (uint64_t)ts.tv_sec;
}

static size_t slot_of(const char *key)
{
    uint64_t h = seed;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    h ^= h >> 29;
    return (size_t)(h % CACHE_SLOTS);
}

char *server_cache_get(unsigned long generation, const char *key)
{
    pthread_once(&once, init);
    slot *s = &slots[slot_of(key)];
    char *copy = NULL;
    pthread_mutex_lock(&s->lock);
    if (s->key && s->generation == generation && strcmp(s->key, key) == 0) copy = strdup(s->body);
    pthread_mutex_unlock(&s->lock);
    return copy;
}

void server_cache_put(unsigned long generation, const char *key, const char *body)
{
    pthread_once(&once, init);
    if (strlen(body) > CACHE_MAX_BODY) return;
    char *k = strdup(key), *b = strdup(body);
    if (!k || !b) {
        free(k);
        free(b);
        return;
    }
    slot *s = &slots[slot_of(key)];
    pthread_mutex_lock(&s->lock);
    char *ok = s->key, *ob = s->body;
    s->key = k;
    s->body = b;
    s->generation = generation;
    pthread_mutex_unlock(&s->lock);
    free(ok);
    free(ob);
}

void server_cache_clear(void)
{
    pthread_once(&once, init);
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        pthread_mutex_lock(&slots[i].lock);
        free(slots[i].key);
        free(slots[i].body);
        slots[i].key = slots[i].body = NULL;
        pthread_mutex_unlock(&slots[i].lock);
    }
}
