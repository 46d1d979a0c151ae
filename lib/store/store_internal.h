/*
 * store_internal.h - what the files of lib/store share: the store handle,
 * SQLite helpers that turn failures into sanctum_error reports, time
 * stamps, and the canonical content form of an entity that version diffs
 * and alert suppression are built on.
 */
#ifndef SANCTUM_STORE_INTERNAL_H
#define SANCTUM_STORE_INTERNAL_H

#include <sqlite3.h>

#include "sanctum/store.h"
#include "util/strbuf.h"

struct sanctum_store {
    sqlite3 *db;
    char *path;
};

/* Runs SQL without results; on failure fills err (naming `what`). */
int store_exec(sanctum_store *st, const char *sql, const char *what, sanctum_error *err);
/* Prepares a statement; on failure fills err. */
int store_prepare(sanctum_store *st, const char *sql, sqlite3_stmt **stmt, sanctum_error *err);
/* Fills err from the connection's last error and returns SANCTUM_EIO
 * (SANCTUM_EINVAL for a constraint or trigger refusal). */
int store_fail(sanctum_store *st, const char *what, sanctum_error *err);
/* BEGIN IMMEDIATE / COMMIT / ROLLBACK (rollback never fails the caller). */
int store_begin(sanctum_store *st, sanctum_error *err);
int store_commit(sanctum_store *st, sanctum_error *err);
void store_rollback(sanctum_store *st);

/* The current time as "YYYY-MM-DDTHH:MM:SS.mmmZ" (25 bytes with the NUL). */
void store_now(char out[32]);
/* $USER, else the login name, else "unknown". */
const char *store_default_who(void);

/* The entity's canonical forms: `facets` gets one readable line per
 * compared fact ("name: ...", "alias: ...", "identifier: ...", "wallet: ...",
 * "program: ..."), sorted; `hash` gets 32 hex digits over every field. */
int store_entity_canon(const sanctum_entity *e, sanctum_strbuf *facets, char hash[33]);

/* Hex SHA-256 of a byte string into out (65 bytes). */
void store_sha256_hex(const void *data, size_t len, char out[65]);

/* Duplicates a column's text (NULL stays NULL); sets *oom on failure. */
char *store_column_dup(sqlite3_stmt *s, int col, int *oom);

#endif
