/*
 * kr.h - the loader of South Korea's unilateral DPRK-related designations
 * (the curated designations.csv), split so that bytes already in memory can
 * be parsed without a file.
 */
#ifndef SANCTUM_LISTS_KR_H
#define SANCTUM_LISTS_KR_H

#include <stddef.h>

#include "lists/builder.h"

/* The largest designations.csv accepted. */
#define SANCTUM_KR_MAX_FILE ((size_t)64 << 20)

/* Parses a designations.csv held in memory into the builder's current
 * source: registers the bytes as a file under `path` (named in errors and
 * warnings), adds one entity per row, records the row count and the latest
 * round date as the publication date. Returns 0, SANCTUM_EPARSE (malformed
 * CSV, missing header columns), SANCTUM_ESTRICT (a warning in strict mode)
 * or SANCTUM_ENOMEM, with err filled in. */
int sanctum_kr_parse_memory(sanctum_builder *b, const char *path, const char *bytes, size_t len,
                            sanctum_error *err);

/* Loads <dir>/designations.csv. */
int sanctum_load_kr(sanctum_builder *b, const char *dir, sanctum_error *err);

#endif
