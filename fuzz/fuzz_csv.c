/*
 * fuzz_csv.c - feeds arbitrary bytes to the CSV record reader.
 *
 * The first byte picks the reader options and small caps (so that the cap
 * paths are reached with short inputs); the rest is the data. Besides
 * crashes and sanitizer reports it checks what must hold for any input: the
 * reader stops with a record, the end, or a filled-in error; every field is
 * NUL-terminated at its reported length; with UTF-8 checking on, fields are
 * valid UTF-8 without NUL bytes; record lines only go forward.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lists/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    unsigned mode = data[0];
    sanctum_csv_reader r;
    sanctum_csv_init(&r, (const char *)data + 1, size - 1, "fuzz.csv", mode & 7u);
    if (mode & 8u) r.max_field = 1 + (mode >> 4);
    if (mode & 16u) r.max_fields = 1 + (mode >> 5);
    sanctum_error err;
    unsigned long last_line = 0;
    size_t records = 0;
    int rc;
    while ((rc = sanctum_csv_next(&r, &err)) > 0) {
        records++;
        if (r.record_line < last_line || r.record_line > r.line) abort();
        last_line = r.record_line;
        if (sanctum_csv_count(&r) == 0 || sanctum_csv_count(&r) > r.max_fields) abort();
        for (size_t i = 0; i < sanctum_csv_count(&r); i++) {
            const char *f = sanctum_csv_field(&r, i);
            size_t n = sanctum_csv_field_len(&r, i);
            if (!f || f[n] != '\0' || n > r.max_field) abort();
            if ((r.flags & SANCTUM_CSV_UTF8) && (strlen(f) != n || sanctum_utf8_valid_prefix(f, n) != n)) abort();
        }
        if (sanctum_csv_field(&r, sanctum_csv_count(&r)) != NULL) abort();
    }
    if (rc < 0 && (err.code != rc || err.message[0] == '\0' || strcmp(err.file, "fuzz.csv") != 0)) abort();
    if (rc == 0 && records != r.records) abort();
    sanctum_csv_free(&r);
    return 0;
}
