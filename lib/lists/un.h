/*
 * un.h - the UN Security Council Consolidated List loader, split so that the
 * parsing of bytes already in memory can be reached without a file.
 */
#ifndef SANCTUM_LISTS_UN_H
#define SANCTUM_LISTS_UN_H

#include <stddef.h>

#include "lists/builder.h"

/* The largest consolidated.xml accepted, and the longest single value. */
#define SANCTUM_UN_MAX_FILE ((size_t)256 << 20)
#define SANCTUM_UN_MAX_VALUE ((size_t)1 << 20)

/* Parses a consolidated.xml held in memory into the builder's current source:
 * registers the bytes as a file under `path` (used in errors and warnings),
 * adds one entity per INDIVIDUAL and ENTITY, and records the record count and
 * the publication date. bytes need not be NUL-terminated.
 * Returns 0, SANCTUM_EPARSE (malformed XML, wrong root element), SANCTUM_ELIMIT,
 * SANCTUM_ESTRICT (a warning in strict mode) or SANCTUM_ENOMEM, with err filled. */
int sanctum_un_parse_memory(sanctum_builder *b, const char *path, const char *bytes, size_t len,
                            sanctum_error *err);

#endif
