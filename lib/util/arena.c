/*
 * arena.c - chained-block bump allocator (see arena.h).
 */
#include "util/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK_SIZE (256u * 1024u)

struct sanctum_arena_block {
    sanctum_arena_block *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

void sanctum_arena_init(sanctum_arena *a) { a->head = NULL; a->used_bytes = 0; }

void sanctum_arena_free(sanctum_arena *a)
{
    if (!a) return;
    sanctum_arena_block *b = a->head;
    while (b) {
        sanctum_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->used_bytes = 0;
}

void *sanctum_arena_alloc(sanctum_arena *a, size_t size)
{
    size_t need = (size + 15u) & ~(size_t)15u;
    if (need < size) return NULL;
    sanctum_arena_block *b = a->head;
    if (!b || b->size - b->used < need) {
        size_t cap = need > ARENA_BLOCK_SIZE ? need : ARENA_BLOCK_SIZE;
        sanctum_arena_block *nb = malloc(sizeof *nb + cap);
        if (!nb) return NULL;
        nb->size = cap;
        nb->used = 0;
        if (b && need > ARENA_BLOCK_SIZE) {
            /* keep the partly used block current; big blocks go behind it */
            nb->next = b->next;
            b->next = nb;
            nb->used = need;
            a->used_bytes += need;
            return nb->data;
        }
        nb->next = b;
        a->head = b = nb;
    }
    void *p = b->data + b->used;
    b->used += need;
    a->used_bytes += need;
    return p;
}

void *sanctum_arena_calloc(sanctum_arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) return NULL;
    void *p = sanctum_arena_alloc(a, n * size);
    if (p) memset(p, 0, n * size);
    return p;
}

char *sanctum_arena_strndup(sanctum_arena *a, const char *s, size_t len)
{
    char *p = sanctum_arena_alloc(a, len + 1);
    if (!p) return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *sanctum_arena_strdup(sanctum_arena *a, const char *s)
{
    return s ? sanctum_arena_strndup(a, s, strlen(s)) : NULL;
}

void *sanctum_arena_memdup(sanctum_arena *a, const void *p, size_t size)
{
    void *q = sanctum_arena_alloc(a, size ? size : 1);
    if (q && size) memcpy(q, p, size);
    return q;
}
