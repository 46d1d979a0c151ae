/*
 * uk.h - the loader of the UK consolidated list of financial sanctions
 * targets (HM Treasury OFSI, 2022 format, ConList.xlsx), split so that bytes
 * already in memory can be parsed without a file.
 */
#ifndef SANCTUM_LISTS_UK_H
#define SANCTUM_LISTS_UK_H

#include <stddef.h>

#include "lists/builder.h"

/* The largest ConList.xlsx accepted, and the largest part unpacked from it. */
#define SANCTUM_UK_MAX_FILE ((size_t)256 << 20)
#define SANCTUM_UK_MAX_PART ((size_t)512 << 20)

/* Parses a ConList.xlsx held in memory into the builder's current source:
 * registers the bytes as a file under `path` (named in errors and
 * warnings), adds one entity per Group ID with every name variant of the
 * group, and records the data row count and the "Last Updated" date.
 * Returns 0, SANCTUM_EPARSE (not a zip, a missing or malformed part, no
 * header row), SANCTUM_ELIMIT, SANCTUM_ESTRICT (a warning in strict mode) or
 * SANCTUM_ENOMEM, with err filled in. */
int sanctum_uk_parse_memory(sanctum_builder *b, const char *path, const char *bytes, size_t len,
                            sanctum_error *err);

/* Loads <dir>/ConList.xlsx. */
int sanctum_load_uk(sanctum_builder *b, const char *dir, sanctum_error *err);

#endif
