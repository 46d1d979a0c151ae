/*
 * fold.c - placeholder ASCII-only folding, replaced by the ICU-based
 * implementation.
 */
#include <ctype.h>
#include <string.h>

#include "sanctum/common.h"
#include "text/text.h"

int sanctum_text_fold(const char *utf8, size_t len, sanctum_strbuf *out)
{
    int need_space = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)utf8[i];
        if (isalnum(c)) {
            if (need_space && out->len) sanctum_strbuf_putc(out, ' ');
            need_space = 0;
            sanctum_strbuf_putc(out, (char)tolower(c));
        } else if (c != '\'') {
            need_space = 1;
        }
    }
    return 0;
}

int sanctum_text_variants(const char *utf8, size_t len, size_t max, sanctum_strbuf *out, size_t *count)
{
    *count = 1;
    return sanctum_text_fold(utf8, len, out);
}

int sanctum_hangul_romanize(const char *utf8, size_t len, int style, sanctum_strbuf *out)
{
    return sanctum_strbuf_append(out, utf8, len);
}

size_t sanctum_korean_key(const char *token, size_t len, char *out, size_t outsz) { return 0; }
