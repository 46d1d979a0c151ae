/*
 * strbuf.h - a growable byte buffer with a hard size cap, for building
 * strings from untrusted input without unbounded growth.
 */
#ifndef SANCTUM_UTIL_STRBUF_H
#define SANCTUM_UTIL_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct sanctum_strbuf {
    char *data;      /* always NUL-terminated once anything was added */
    size_t len, cap;
    size_t max;      /* 0: no cap other than memory */
} sanctum_strbuf;

#define SANCTUM_STRBUF_INIT { NULL, 0, 0, 0 }

void sanctum_strbuf_init(sanctum_strbuf *b, size_t max);
void sanctum_strbuf_free(sanctum_strbuf *b);
void sanctum_strbuf_reset(sanctum_strbuf *b);   /* len = 0, keeps memory */
/* All return 0, SANCTUM_ENOMEM or SANCTUM_ELIMIT (cap reached; nothing added). */
int sanctum_strbuf_append(sanctum_strbuf *b, const char *s, size_t len);
int sanctum_strbuf_puts(sanctum_strbuf *b, const char *s);
int sanctum_strbuf_putc(sanctum_strbuf *b, char c);
int sanctum_strbuf_printf(sanctum_strbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Hands the buffer to the caller (free()); the strbuf is left empty. */
char *sanctum_strbuf_detach(sanctum_strbuf *b);
/* "" when nothing was added yet. */
const char *sanctum_strbuf_cstr(const sanctum_strbuf *b);

#endif
