/*
 * arena.h - a bump allocator for data that lives exactly as long as its
 * owner (a loaded dataset, an index). Blocks are chained; nothing is freed
 * individually; sanctum_arena_free() releases everything at once.
 */
#ifndef SANCTUM_UTIL_ARENA_H
#define SANCTUM_UTIL_ARENA_H

#include <stddef.h>

typedef struct sanctum_arena_block sanctum_arena_block;
typedef struct sanctum_arena {
    sanctum_arena_block *head;
    size_t used_bytes;       /* bytes handed out, for reporting */
} sanctum_arena;

void sanctum_arena_init(sanctum_arena *a);
void sanctum_arena_free(sanctum_arena *a);
/* Aligned to 16 bytes; NULL only when memory runs out. */
void *sanctum_arena_alloc(sanctum_arena *a, size_t size);
void *sanctum_arena_calloc(sanctum_arena *a, size_t n, size_t size);
/* Copies len bytes and appends a NUL. */
char *sanctum_arena_strndup(sanctum_arena *a, const char *s, size_t len);
char *sanctum_arena_strdup(sanctum_arena *a, const char *s);
void *sanctum_arena_memdup(sanctum_arena *a, const void *p, size_t size);

#endif
