/*
 * csv.h - a record reader for comma-separated files (RFC 4180) held in
 * memory, with the options the official lists need.
 *
 * Records end with CRLF or LF; a field that starts with a double quote may
 * hold commas, doubled quotes ("" -> ") and line breaks. Options cover
 * the DOS end-of-file byte (0x1A) that some publishers append, the OFAC
 * "-0- " marker for an empty cell, UTF-8 validation, and caps on the size
 * of a field and the number of fields in a record so that hostile input
 * cannot make the reader grow without bound.
 *
 * Example:
 *     sanctum_csv_reader r;
 *     sanctum_csv_init(&r, bytes, len, "sdn.csv", SANCTUM_CSV_DOS_EOF | SANCTUM_CSV_UTF8);
 *     while ((rc = sanctum_csv_next(&r, err)) > 0)
 *         use(sanctum_csv_field(&r, 0), r.record_line);
 *     sanctum_csv_free(&r);
 *
 * Field strings belong to the reader and stay valid until the next call to
 * sanctum_csv_next() or sanctum_csv_free().
 */
#ifndef SANCTUM_LISTS_CSV_H
#define SANCTUM_LISTS_CSV_H

#include <stddef.h>

#include "sanctum/common.h"

/* Option flags for sanctum_csv_init(). */
enum {
    SANCTUM_CSV_DOS_EOF = 1 << 0,   /* a 0x1A as the very last byte ends the data */
    SANCTUM_CSV_OFAC_EMPTY = 1 << 1,/* an unquoted "-0- " or "-0-" cell reads as empty */
    SANCTUM_CSV_UTF8 = 1 << 2       /* fields must be valid UTF-8 (no NUL bytes) */
};

#define SANCTUM_CSV_MAX_FIELD_DEFAULT ((size_t)1 << 20)  /* 1 MiB per field */
#define SANCTUM_CSV_MAX_FIELDS_DEFAULT 256               /* fields per record */

typedef struct sanctum_csv_reader {
    const char *data;
    size_t len, pos;
    const char *path;          /* named in error reports */
    unsigned flags;
    size_t max_field;          /* bytes per field after unquoting */
    size_t max_fields;         /* fields per record */
    unsigned long line;        /* 1-based line of the read position */
    unsigned long record_line; /* line on which the last record started */
    size_t records;            /* records returned so far */
    /* the current record: fields stored back to back, each NUL-terminated */
    char *buf;
    size_t buf_len, buf_cap;
    size_t *offs;
    size_t n_fields, cap_fields;
} sanctum_csv_reader;

/* Prepares a reader over len bytes (not copied: they must outlive the
 * reader). Caps take their defaults and may be changed before reading. */
void sanctum_csv_init(sanctum_csv_reader *r, const char *data, size_t len, const char *path, unsigned flags);
void sanctum_csv_free(sanctum_csv_reader *r);

/* Reads the next record. Returns 1 when one was read, 0 at the end of the
 * data, or a negative code with err filled in (file and line):
 * SANCTUM_EPARSE for an unterminated quote, a stray quote, a field or record
 * over its cap, invalid UTF-8 or a NUL byte; SANCTUM_ENOMEM.
 * Lines that hold nothing at all are skipped. */
int sanctum_csv_next(sanctum_csv_reader *r, sanctum_error *err);

/* Field i of the current record (NUL-terminated), or NULL past the end. */
const char *sanctum_csv_field(const sanctum_csv_reader *r, size_t i);
/* Its length in bytes (fields may not contain NUL when SANCTUM_CSV_UTF8 is set). */
size_t sanctum_csv_field_len(const sanctum_csv_reader *r, size_t i);
static inline size_t sanctum_csv_count(const sanctum_csv_reader *r) { return r->n_fields; }

/* Length of the valid UTF-8 prefix of s[0..len): equals len when all of it is
 * valid. Overlong forms, surrogates and code points above U+10FFFF are invalid. */
size_t sanctum_utf8_valid_prefix(const char *s, size_t len);

#endif
