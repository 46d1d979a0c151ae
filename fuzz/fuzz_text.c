/*
 * fuzz_text.c - arbitrary bytes through folding, Hangul variants,
 * romanization and the Korean key. Checks that folded output only ever holds
 * the matching alphabet and that the key never overruns its buffer.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sanctum/common.h"
#include "text/text.h"

static void check_alphabet(const sanctum_strbuf *b, int allow_newline)
{
    const char *s = sanctum_strbuf_cstr(b);
    size_t n = b->len;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ' || (allow_newline && c == '\n');
        if (!ok) abort();
        if (c == ' ' && (i == 0 || i + 1 == n || s[i + 1] == ' ' || s[i - 1] == '\n' || s[i + 1] == '\n'))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    sanctum_strbuf b = SANCTUM_STRBUF_INIT;
    int rc = sanctum_text_fold(s, size, &b);
    if (rc == 0) check_alphabet(&b, 0);
    else if (b.len != 0) abort();

    sanctum_strbuf_reset(&b);
    size_t count = 0;
    rc = sanctum_text_variants(s, size, 16, &b, &count);
    if (rc == 0) {
        check_alphabet(&b, 1);
        if (count > 16) abort();
    }

    sanctum_strbuf_reset(&b);
    (void)sanctum_hangul_romanize(s, size, (int)(size % 3), &b);

    /* The key on every token of the folded text, into a buffer of exactly
     * the documented size. */
    sanctum_strbuf_reset(&b);
    if (sanctum_text_fold(s, size, &b) == 0 && b.len) {
        const char *p = b.data;
        while (*p) {
            size_t l = strcspn(p, " ");
            size_t cap = 4 * l + 1;
            char *out = malloc(cap);
            if (!out) abort();
            size_t k = sanctum_korean_key(p, l, out, cap);
            if (k && (k >= cap || strlen(out) != k)) abort();
            free(out);
            p += l;
            while (*p == ' ') p++;
        }
    }
    /* Raw bytes as a token too. */
    char small[64];
    (void)sanctum_korean_key(s, size, small, sizeof small);
    sanctum_strbuf_free(&b);
    return 0;
}
