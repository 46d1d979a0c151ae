/*
 * builder.h - what list parsers use to fill a dataset.
 *
 * A parser calls sanctum_builder_begin_source(), then adds entities and their
 * fields, then sanctum_builder_end_source(), which counts types, names and
 * aliases. Strings passed in are copied; the caller keeps ownership of its
 * buffers. Entity pointers stay valid for the life of the dataset.
 * Every add function returns 0 or SANCTUM_ENOMEM.
 */
#ifndef SANCTUM_LISTS_BUILDER_H
#define SANCTUM_LISTS_BUILDER_H

#include <stdio.h>

#include "sanctum/dataset.h"

typedef struct sanctum_builder sanctum_builder;

/* Starts a source; files are recorded in order for hashing and reporting. */
int sanctum_builder_begin_source(sanctum_builder *b, const char *name, const char *title);
/* Records a file of the current source and hashes its bytes. Returns its index. */
int sanctum_builder_add_file(sanctum_builder *b, const char *path, const void *bytes, size_t len);
void sanctum_builder_set_records(sanctum_builder *b, size_t file_index, size_t records);
void sanctum_builder_set_published(sanctum_builder *b, const char *iso_date);
int sanctum_builder_end_source(sanctum_builder *b);

/* Adds a warning to the current source. In strict mode the first warning
 * makes the load fail: this returns SANCTUM_ESTRICT and the parser must stop. */
int sanctum_builder_warn(sanctum_builder *b, const char *file, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A new entity of the current source; key is its id within the source.
 * Returns NULL on out of memory, or when the key already exists (then *dup
 * is set to the existing entity if dup is non-NULL). */
sanctum_entity *sanctum_builder_entity(sanctum_builder *b, const char *key, sanctum_entity_type type,
                                       sanctum_entity **dup);
/* The entity of the current source with this key, or NULL. */
sanctum_entity *sanctum_builder_find(sanctum_builder *b, const char *key);

/* Copies a string into the dataset's arena (NULL stays NULL). */
const char *sanctum_builder_str(sanctum_builder *b, const char *s);
const char *sanctum_builder_strn(sanctum_builder *b, const char *s, size_t len);

int sanctum_builder_add_name(sanctum_builder *b, sanctum_entity *e, const char *full, const char *surname,
                             const char *given, sanctum_name_kind kind, sanctum_name_quality quality);
int sanctum_builder_add_program(sanctum_builder *b, sanctum_entity *e, const char *program);
int sanctum_builder_add_dob(sanctum_builder *b, sanctum_entity *e, const sanctum_date *d);
int sanctum_builder_add_place_of_birth(sanctum_builder *b, sanctum_entity *e, const char *place);
int sanctum_builder_add_nationality(sanctum_builder *b, sanctum_entity *e, const char *country);
int sanctum_builder_add_citizenship(sanctum_builder *b, sanctum_entity *e, const char *country);
int sanctum_builder_add_address(sanctum_builder *b, sanctum_entity *e, const sanctum_address *a);
int sanctum_builder_add_document(sanctum_builder *b, sanctum_entity *e, const sanctum_document *d);
int sanctum_builder_add_wallet(sanctum_builder *b, sanctum_entity *e, const char *currency, const char *address);
int sanctum_builder_add_email(sanctum_builder *b, sanctum_entity *e, const char *email);
int sanctum_builder_add_website(sanctum_builder *b, sanctum_entity *e, const char *url);
int sanctum_builder_add_phone(sanctum_builder *b, sanctum_entity *e, const char *phone);
int sanctum_builder_add_link(sanctum_builder *b, sanctum_entity *e, const char *relation, const char *target);
int sanctum_builder_add_attr(sanctum_builder *b, sanctum_entity *e, const char *key, const char *value);
int sanctum_builder_set_field(sanctum_builder *b, const char **field, const char *value); /* gender, title, listed_on, remarks */

/* Reads a whole file into memory (capped at max bytes). Returns 0, SANCTUM_EIO or SANCTUM_ELIMIT
 * with err filled in. *out is malloc'd and NUL-terminated; *len excludes the NUL. */
int sanctum_read_file(const char *path, size_t max, char **out, size_t *len, sanctum_error *err);

/* A parser of one file held in memory: the shape of every sanctum_*_parse_memory(). */
typedef int (*sanctum_parse_fn)(sanctum_builder *b, const char *path, const char *bytes, size_t len,
                                sanctum_error *err);
/* Reads DIR/name (at most max bytes) and hands it to parse: the body of a
 * one-file loader. */
int sanctum_builder_load_file(sanctum_builder *b, const char *dir, const char *name, size_t max, sanctum_parse_fn parse,
                              sanctum_error *err);
/* The common start of a parse_memory(): checks the arguments, puts the
 * default name in *path when it is NULL and "" in *bytes when that is NULL,
 * refuses more than max bytes (0: no limit), and records the file. Returns
 * the file's index, or a negative code with err filled in. */
int sanctum_builder_begin_file(sanctum_builder *b, const char **path, const char *default_name, const char **bytes,
                               size_t len, size_t max, sanctum_error *err);

/* Whether a and b are equal ignoring ASCII case; whether s is one of arr[0..n). */
int sanctum_lists_ascii_ieq(const char *a, const char *b);
int sanctum_lists_has_str(const char *const *arr, size_t n, const char *s);

struct sanctum_csv_reader;
/* Maps the header record the reader has just read onto the n known column
 * names: col[k] receives the field index of columns[k], or -1. An unknown
 * column, or a known one that is absent, is a warning; a missing column listed
 * in required (n_required indexes into columns) is SANCTUM_EPARSE naming the
 * file and line. Returns 0, a negative code, or SANCTUM_ESTRICT. */
int sanctum_builder_map_header(sanctum_builder *b, const struct sanctum_csv_reader *r, const char *const *columns,
                               int n, const int *required, size_t n_required, int *col, sanctum_error *err);

/* The per-source loaders, one per list format. dir is the source's folder. */
int sanctum_load_ofac_sdn(sanctum_builder *b, const char *dir, sanctum_error *err);
int sanctum_load_un_sc(sanctum_builder *b, const char *dir, sanctum_error *err);

#endif
