/*
 * csl.h - the loader of the US Consolidated Screening List (consolidated.csv
 * from trade.gov), split so that bytes already in memory can be parsed
 * without a file.
 */
#ifndef SANCTUM_LISTS_CSL_H
#define SANCTUM_LISTS_CSL_H

#include <stddef.h>

#include "lists/builder.h"

/* The largest consolidated.csv accepted. */
#define SANCTUM_CSL_MAX_FILE ((size_t)256 << 20)

/* Parses a consolidated.csv held in memory into the builder's current
 * source: registers the bytes as a file under `path` (named in errors and
 * warnings), adds one entity per distinct `_id` (rows of the same `_id` from
 * several source lists are merged) and records the row count. Returns 0,
 * SANCTUM_EPARSE (malformed CSV, missing header columns), SANCTUM_ESTRICT
 * (a warning in strict mode) or SANCTUM_ENOMEM, with err filled in. */
int sanctum_csl_parse_memory(sanctum_builder *b, const char *path, const char *bytes, size_t len,
                             sanctum_error *err);

/* Loads <dir>/consolidated.csv. */
int sanctum_load_us_csl(sanctum_builder *b, const char *dir, sanctum_error *err);

#endif
