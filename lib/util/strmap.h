/*
 * strmap.h - an open-addressing hash map from borrowed strings to size_t.
 *
 * Keys are not copied: they must outlive the map (they normally live in an
 * arena next to it). The hash is seeded per map so that hostile keys cannot
 * be chosen in advance to collide.
 */
#ifndef SANCTUM_UTIL_STRMAP_H
#define SANCTUM_UTIL_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct sanctum_strmap_slot {
    const char *key;
    size_t len;
    uint64_t hash;
    size_t value;
} sanctum_strmap_slot;

typedef struct sanctum_strmap {
    sanctum_strmap_slot *slots;
    size_t cap, count;   /* cap is a power of two */
    uint64_t seed;
} sanctum_strmap;

void sanctum_strmap_init(sanctum_strmap *m);
void sanctum_strmap_free(sanctum_strmap *m);
uint64_t sanctum_hash_bytes(const void *p, size_t len, uint64_t seed);
/* Inserts or replaces. Returns 0 or SANCTUM_ENOMEM. */
int sanctum_strmap_put(sanctum_strmap *m, const char *key, size_t len, size_t value);
/* Returns 1 and sets *value when found, else 0. */
int sanctum_strmap_get(const sanctum_strmap *m, const char *key, size_t len, size_t *value);

#endif
