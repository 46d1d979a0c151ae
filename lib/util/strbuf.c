/*
 * strbuf.c - growable, capped byte buffer (see strbuf.h).
 */
#include "util/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanctum/common.h"

void sanctum_strbuf_init(sanctum_strbuf *b, size_t max)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->max = max;
}

void sanctum_strbuf_free(sanctum_strbuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void sanctum_strbuf_reset(sanctum_strbuf *b)
{
    b->len = 0;
    if (b->data) b->data[0] = '\0';
}

static int grow(sanctum_strbuf *b, size_t extra)
{
    if (b->max && b->len + extra > b->max) return SANCTUM_ELIMIT;
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) return SANCTUM_ENOMEM;
    b->data = p;
    b->cap = cap;
    return 0;
}

int sanctum_strbuf_append(sanctum_strbuf *b, const char *s, size_t len)
{
    int rc = grow(b, len);
    if (rc) return rc;
    if (len) memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int sanctum_strbuf_puts(sanctum_strbuf *b, const char *s) { return sanctum_strbuf_append(b, s, strlen(s)); }

int sanctum_strbuf_putc(sanctum_strbuf *b, char c) { return sanctum_strbuf_append(b, &c, 1); }

int sanctum_strbuf_printf(sanctum_strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return SANCTUM_EINVAL;
    if ((size_t)n < sizeof small) return sanctum_strbuf_append(b, small, (size_t)n);
    int rc = grow(b, (size_t)n);
    if (rc) return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

char *sanctum_strbuf_detach(sanctum_strbuf *b)
{
    char *p = b->data;
    if (!p) p = calloc(1, 1);
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

const char *sanctum_strbuf_cstr(const sanctum_strbuf *b) { return b->data ? b->data : ""; }
