/*
 * csv.c - reads RFC 4180 records out of a buffer (see csv.h).
 *
 * The reader walks the bytes once. Unquoted fields are copied as they are;
 * quoted fields are copied with doubled quotes collapsed and line breaks
 * kept. Each record's fields are stored back to back in one growable buffer
 * with an offset table, so reading a file allocates only while the largest
 * record so far grows. Every failure names the file and the line.
 */
#include "lists/csv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

void sanctum_csv_init(sanctum_csv_reader *r, const char *data, size_t len, const char *path, unsigned flags)
{
    memset(r, 0, sizeof *r);
    r->data = data;
    r->len = data ? len : 0;
    r->path = path;
    r->flags = flags;
    r->max_field = SANCTUM_CSV_MAX_FIELD_DEFAULT;
    r->max_fields = SANCTUM_CSV_MAX_FIELDS_DEFAULT;
    r->line = 1;
    if ((flags & SANCTUM_CSV_DOS_EOF) && r->len > 0 && (unsigned char)data[r->len - 1] == 0x1A) r->len--;
}

void sanctum_csv_free(sanctum_csv_reader *r)
{
    free(r->buf);
    free(r->offs);
    r->buf = NULL;
    r->offs = NULL;
    r->buf_len = r->buf_cap = r->n_fields = r->cap_fields = 0;
}

const char *sanctum_csv_field(const sanctum_csv_reader *r, size_t i)
{
    return i < r->n_fields ? r->buf + r->offs[i] : NULL;
}

size_t sanctum_csv_field_len(const sanctum_csv_reader *r, size_t i)
{
    if (i >= r->n_fields) return 0;
    size_t next = i + 1 < r->n_fields ? r->offs[i + 1] : r->buf_len;
    return next - 1 - r->offs[i]; /* every field is followed by its NUL */
}

size_t sanctum_utf8_valid_prefix(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        if (c < 0x80) {
            /* ASCII runs, eight bytes at a time */
            while (i + 8 <= len) {
                uint64_t w;
                memcpy(&w, s + i, 8);
                if (w & UINT64_C(0x8080808080808080)) break;
                i += 8;
            }
            while (i < len && s[i] < 0x80) i++;
            continue;
        }
        size_t need;
        unsigned lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) need = 1;
        else if (c == 0xE0) { need = 2; lo = 0xA0; }
        else if (c >= 0xE1 && c <= 0xEC) need = 2;
        else if (c == 0xED) { need = 2; hi = 0x9F; }  /* no surrogates */
        else if (c >= 0xEE && c <= 0xEF) need = 2;
        else if (c == 0xF0) { need = 3; lo = 0x90; }
        else if (c >= 0xF1 && c <= 0xF3) need = 3;
        else if (c == 0xF4) { need = 3; hi = 0x8F; }  /* nothing above U+10FFFF */
        else return i;
        if (len - i <= need) return i;
        if (s[i + 1] < lo || s[i + 1] > hi) return i;
        for (size_t k = 2; k <= need; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF) return i;
        i += need + 1;
    }
    return i;
}

/* Makes room for n more bytes plus a NUL in the field buffer. */
static int reserve(sanctum_csv_reader *r, size_t n)
{
    if (r->buf_len + n + 1 <= r->buf_cap) return 0;
    size_t cap = r->buf_cap ? r->buf_cap : 256;
    while (cap < r->buf_len + n + 1) cap *= 2;
    char *p = realloc(r->buf, cap);
    if (!p) return SANCTUM_ENOMEM;
    r->buf = p;
    r->buf_cap = cap;
    return 0;
}

static int start_field(sanctum_csv_reader *r, sanctum_error *err)
{
    if (r->n_fields == r->max_fields)
        return sanctum_error_set(err, SANCTUM_EPARSE, r->path, r->record_line,
                                 "record has more than %zu fields", r->max_fields);
    if (r->n_fields == r->cap_fields) {
        size_t cap = r->cap_fields ? r->cap_fields * 2 : 16;
        size_t *p = realloc(r->offs, cap * sizeof *p);
        if (!p) return sanctum_error_set(err, SANCTUM_ENOMEM, r->path, r->record_line, "out of memory");
        r->offs = p;
        r->cap_fields = cap;
    }
    r->offs[r->n_fields++] = r->buf_len;
    return 0;
}

/* Appends bytes to the current field, enforcing the field cap. */
static int append(sanctum_csv_reader *r, const char *s, size_t n, unsigned long field_line, sanctum_error *err)
{
    size_t field_len = r->buf_len - r->offs[r->n_fields - 1];
    if (n > r->max_field || field_len > r->max_field - n)
        return sanctum_error_set(err, SANCTUM_EPARSE, r->path, field_line,
                                 "field %zu is longer than the %zu-byte limit", r->n_fields, r->max_field);
    if (reserve(r, n)) return sanctum_error_set(err, SANCTUM_ENOMEM, r->path, field_line, "out of memory");
    memcpy(r->buf + r->buf_len, s, n);
    r->buf_len += n;
    return 0;
}

static int end_field(sanctum_csv_reader *r, int quoted, unsigned long field_line, sanctum_error *err)
{
    size_t off = r->offs[r->n_fields - 1];
    size_t n = r->buf_len - off;
    if (!quoted && (r->flags & SANCTUM_CSV_OFAC_EMPTY) &&
        ((n == 4 && memcmp(r->buf + off, "-0- ", 4) == 0) || (n == 3 && memcmp(r->buf + off, "-0-", 3) == 0))) {
        r->buf_len = off;
        n = 0;
    }
    if (r->flags & SANCTUM_CSV_UTF8) {
        const char *f = r->buf + off;
        if (memchr(f, '\0', n))
            return sanctum_error_set(err, SANCTUM_EPARSE, r->path, field_line, "NUL byte in field %zu", r->n_fields);
        size_t ok = sanctum_utf8_valid_prefix(f, n);
        if (ok != n) {
            unsigned long line = field_line;
            for (size_t i = 0; i < ok; i++) line += f[i] == '\n';
            return sanctum_error_set(err, SANCTUM_EPARSE, r->path, line,
                                     "invalid UTF-8 in field %zu (byte 0x%02X at offset %zu of the field)",
                                     r->n_fields, (unsigned)(unsigned char)f[ok], ok);
        }
    }
    if (reserve(r, 0)) return sanctum_error_set(err, SANCTUM_ENOMEM, r->path, field_line, "out of memory");
    r->buf[r->buf_len++] = '\0';
    return 0;
}

/* 1 when the bytes at pos end a line (LF or CRLF); *skip gets its length. */
static int at_line_end(const sanctum_csv_reader *r, size_t pos, size_t *skip)
{
    if (pos < r->len && r->data[pos] == '\n') {
        *skip = 1;
        return 1;
    }
    if (pos + 1 < r->len && r->data[pos] == '\r' && r->data[pos + 1] == '\n') {
        *skip = 2;
        return 1;
    }
    return 0;
}

int sanctum_csv_next(sanctum_csv_reader *r, sanctum_error *err)
{
    const char *d = r->data;
    size_t skip = 0;
    r->n_fields = 0;
    r->buf_len = 0;
    /* lines with nothing on them carry no record */
    while (r->pos < r->len && at_line_end(r, r->pos, &skip)) {
        r->pos += skip;
        r->line++;
    }
    if (r->pos >= r->len) return 0;
    r->record_line = r->line;

    for (;;) {
        int rc = start_field(r, err);
        if (rc) return rc;
        unsigned long field_line = r->line;
        int quoted = 0;
        if (r->pos < r->len && d[r->pos] == '"') {
            quoted = 1;
            r->pos++;
            for (;;) {
                const char *q = memchr(d + r->pos, '"', r->len - r->pos);
                size_t end = q ? (size_t)(q - d) : r->len;
                for (const char *nl = d + r->pos; (nl = memchr(nl, '\n', (size_t)(d + end - nl))) != NULL; nl++)
                    r->line++;
                if ((rc = append(r, d + r->pos, end - r->pos, field_line, err))) return rc;
                if (!q)
                    return sanctum_error_set(err, SANCTUM_EPARSE, r->path, field_line,
                                             "unterminated quoted field %zu (opened on line %lu)", r->n_fields,
                                             field_line);
                r->pos = end + 1;
                if (r->pos < r->len && d[r->pos] == '"') {  /* "" stands for one quote */
                    if ((rc = append(r, "\"", 1, field_line, err))) return rc;
                    r->pos++;
                    continue;
                }
                break;
            }
            if (r->pos < r->len && d[r->pos] != ',' && !at_line_end(r, r->pos, &skip))
                return sanctum_error_set(err, SANCTUM_EPARSE, r->path, r->line,
                                         "unexpected character after the closing quote of field %zu", r->n_fields);
        } else {
            size_t start = r->pos, i = r->pos;
            while (i < r->len) {
                char c = d[i];
                if (c == ',' || c == '\n' || (c == '\r' && i + 1 < r->len && d[i + 1] == '\n')) break;
                if (c == '"')
                    return sanctum_error_set(err, SANCTUM_EPARSE, r->path, r->line,
                                             "stray quote inside unquoted field %zu", r->n_fields);
                i++;
            }
            if ((rc = append(r, d + start, i - start, field_line, err))) return rc;
            r->pos = i;
        }
        if ((rc = end_field(r, quoted, field_line, err))) return rc;
        if (r->pos >= r->len) break;
        if (d[r->pos] == ',') {
            r->pos++;
            continue;
        }
        at_line_end(r, r->pos, &skip);
        r->pos += skip;
        r->line++;
        break;
    }
    r->records++;
    return 1;
}
