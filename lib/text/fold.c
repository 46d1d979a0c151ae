/*
 * fold.c - folding a name into the matching alphabet: tokens of [a-z0-9]
 * separated by single spaces.
 *
 * Pure ASCII input, by far the most common case, takes a direct byte loop.
 * Anything else is decoded (invalid UTF-8 is refused), put through Unicode
 * NFKC with case folding, and then:
 *  - Hangul syllables are romanized here, DPRK style, one token per syllable
 *    ("김상만" -> "kim sang man"), as DPRK names are written on the lists;
 *  - Latin letters with diacritics in Latin-1 and Latin Extended-A map to
 *    base letters through a table (ø -> o, æ -> ae, đ -> d, ł -> l, ı -> i);
 *  - whatever is left goes through one ICU transliterator that prefers the
 *    BGN/PCGN tables where ICU has them and are widely used on lists
 *    (Russian, Greek), then ICU's generic Any-Latin (Arabic, Han without
 *    tones, Hebrew, kana, ...) and Latin-ASCII.
 * Apostrophe-like marks (' ` ’ ‘ ʼ ʻ ʹ ʺ ...) vanish without splitting a token,
 * so "Pyo'ng" and "Ch’oe" read as "pyong" and "choe"; combining marks vanish
 * too; '&' becomes the word "and"; every other character separates tokens.
 * A letter no transliterator knows is kept as "u" plus its hexadecimal code
 * point, so that a name in such a script still folds to something.
 *
 * ICU transliterators must not be shared between threads, so each thread
 * opens its own on first use and keeps it under a pthread key whose
 * destructor closes it; sanctum_text_cleanup() closes the calling thread's
 * one early (the main thread never runs key destructors).
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utrans.h>

#include "sanctum/common.h"
#include "text/text.h"

/* ---- output: tokens with single separators ------------------------------ */

typedef struct writer {
    sanctum_strbuf *out;
    size_t n;
    int any;   /* a token character was written */
    int sep;   /* a separator is pending */
    int rc;
    char buf[512];
} writer;

static void w_flush(writer *w)
{
    if (w->n && !w->rc) w->rc = sanctum_strbuf_append(w->out, w->buf, w->n);
    w->n = 0;
}

static inline void w_push(writer *w, char c)
{
    if (w->n == sizeof w->buf) w_flush(w);
    w->buf[w->n++] = c;
}

static inline void w_char(writer *w, char c)
{
    if (w->sep) {
        if (w->any) w_push(w, ' ');
        w->sep = 0;
    }
    w_push(w, c);
    w->any = 1;
}

static void w_word(writer *w, const char *s)
{
    w->sep = 1;
    while (*s) w_char(w, *s++);
    w->sep = 1;
}

/* One ASCII character of already transliterated text. */
static inline void w_ascii(writer *w, unsigned char c)
{
    if (c >= 'a' && c <= 'z') w_char(w, (char)c);
    else if (c >= 'A' && c <= 'Z') w_char(w, (char)(c + ('a' - 'A')));
    else if (c >= '0' && c <= '9') w_char(w, (char)c);
    else if (c == '\'' || c == '`') return;
    else if (c == '&') w_word(w, "and");
    else w->sep = 1;
}

static int w_finish(writer *w, size_t start)
{
    w_flush(w);
    if (w->rc) {
        w->out->len = start;
        if (w->out->data) w->out->data[start] = '\0';
    }
    return w->rc;
}

/* ---- tables --------------------------------------------------------------- */

/* Marks that stand for an apostrophe, a breve written as one, a soft or hard
 * sign, ayn or hamza: dropped without splitting the token. */
static int is_apostrophe(UChar32 c)
{
    switch (c) {
    case 0x27: case 0x60: case 0xB4: case 0x2018: case 0x2019: case 0x201B: case 0x2032: case 0xFF07:
    case 0x02B9: case 0x02BA: case 0x02BB: case 0x02BC: case 0x02BD: case 0x02BE: case 0x02BF:
    case 0x02C8: case 0x02CA: case 0x02CB:
        return 1;
    default:
        return 0;
    }
}

/* Latin-1 Supplement and Latin Extended-A/B (U+00C0..U+024F) to ASCII, as
 * ICU's Latin-ASCII gives them; "" means: leave it to the transliterator. */
static const char *const latin_ascii[0x250 - 0xC0] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i", "d", "n", "o", "o", "o",
    "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss", "a", "a", "a", "a", "a", "a", "ae", "c", "e",
    "e", "e", "e", "i", "i", "i", "i", "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y",
    "th", "y", "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d", "d", "d", "e",
    "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g", "g", "g", "g", "g", "h", "h", "h", "h",
    "i", "i", "i", "i", "i", "i", "i", "i", "i", "i", "ij", "ij", "j", "j", "k", "k", "q", "l", "l", "l",
    "l", "l", "l", "l", "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o", "o",
    "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s", "s", "s", "t", "t", "t",
    "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "w", "w", "y", "y", "y", "z",
    "z", "z", "z", "z", "z", "s", "b", "b", "b", "b", "", "", "", "c", "c", "d", "d", "d", "d", "", "", "",
    "e", "f", "f", "g", "", "hv", "i", "i", "k", "k", "l", "", "", "n", "n", "", "o", "o", "oi", "oi", "p",
    "p", "", "", "", "", "", "t", "t", "t", "t", "u", "u", "", "v", "y", "y", "z", "z", "", "", "", "", "",
    "", "", "", "", "", "", "", "", "dz", "dz", "dz", "lj", "lj", "lj", "nj", "nj", "nj", "a", "a", "i", "i",
    "o", "o", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "", "a", "a", "a", "a", "ae", "ae", "g", "g",
    "g", "g", "k", "k", "o", "o", "o", "o", "", "", "j", "dz", "dz", "dz", "g", "g", "", "", "n", "n", "a",
    "a", "ae", "ae", "o", "o", "a", "a", "a", "a", "e", "e", "e", "e", "i", "i", "i", "i", "o", "o", "o",
    "o", "r", "r", "r", "r", "u", "u", "u", "u", "s", "s", "t", "t", "", "", "h", "h", "", "d", "", "", "z",
    "z", "a", "a", "e", "e", "o", "o", "o", "o", "o", "o", "o", "o", "y", "y", "l", "n", "t", "j", "db",
    "qp", "a", "c", "c", "l", "t", "s", "z", "", "", "b", "u", "", "e", "e", "j", "j", "", "", "r", "r", "y",
    "y"};

/* ---- the per-thread transliterator --------------------------------------- */

/* BGN/PCGN writes a middle dot between two letters that would otherwise
 * read as one sound (the t.s of "otvet.stvennost'", not the ts of ts);
 * those dots are dropped, and one already in the text separates words. */
static const char fold_rules[] =
    "\\u00B7 > ' ';\n"
    "::Russian-Latin/BGN;\n"
    "\\u00B7 > ;\n"
    "::Greek-Latin/BGN;\n"
    "::Any-Latin;\n"
    "[\\u0027\\u0060\\u00B4\\u02B9-\\u02BF\\u2018\\u2019] > ;\n"
    "::Latin-ASCII;\n";

static pthread_once_t trans_once = PTHREAD_ONCE_INIT;
static pthread_key_t trans_key;
static int trans_key_ok;

static void trans_destroy(void *p)
{
    if (p) utrans_close((UTransliterator *)p);
}

static void trans_make_key(void) { trans_key_ok = pthread_key_create(&trans_key, trans_destroy) == 0; }

static UTransliterator *trans_get(void)
{
    pthread_once(&trans_once, trans_make_key);
    if (!trans_key_ok) return NULL;
    UTransliterator *t = pthread_getspecific(trans_key);
    if (t) return t;
    UChar id[32], rules[sizeof fold_rules];
    u_uastrncpy(id, "sanctum-fold", 32);
    u_uastrncpy(rules, fold_rules, (int32_t)sizeof fold_rules);
    UParseError perr;
    UErrorCode st = U_ZERO_ERROR;
    t = utrans_openU(id, -1, UTRANS_FORWARD, rules, -1, &perr, &st);
    if (U_FAILURE(st) || !t) return NULL;
    if (pthread_setspecific(trans_key, t) != 0) {
        utrans_close(t);
        return NULL;
    }
    return t;
}

void sanctum_text_cleanup(void)
{
    pthread_once(&trans_once, trans_make_key);
    if (!trans_key_ok) return;
    UTransliterator *t = pthread_getspecific(trans_key);
    if (t) {
        pthread_setspecific(trans_key, NULL);
        utrans_close(t);
    }
}

/* ---- folding -------------------------------------------------------------- */

static int fold_ascii(const char *s, size_t len, sanctum_strbuf *out)
{
    writer w;
    w.out = out;
    w.n = 0;
    w.any = w.sep = w.rc = 0;
    size_t start = out->len;
    for (size_t i = 0; i < len; i++) w_ascii(&w, (unsigned char)s[i]);
    return w_finish(&w, start);
}

/* Converts UTF-8 to NFKC-case-folded UTF-16 in a malloc'd buffer. */
static int decode_normalize(const char *utf8, size_t len, UChar **res, int32_t *reslen)
{
    UErrorCode st = U_ZERO_ERROR;
    int32_t n16 = 0;
    UChar *u = malloc((len + 1) * sizeof(UChar));
    if (!u) return SANCTUM_ENOMEM;
    u_strFromUTF8(u, (int32_t)len + 1, &n16, utf8, (int32_t)len, &st);
    if (U_FAILURE(st)) {
        free(u);
        return SANCTUM_EUNICODE;
    }
    const UNormalizer2 *nfkc = unorm2_getNFKCCasefoldInstance(&st);
    if (U_FAILURE(st)) {
        free(u);
        return SANCTUM_EUNICODE;
    }
    int32_t cap = 2 * n16 + 16;
    for (int attempt = 0; attempt < 2; attempt++) {
        UChar *v = malloc((size_t)cap * sizeof(UChar));
        if (!v) {
            free(u);
            return SANCTUM_ENOMEM;
        }
        st = U_ZERO_ERROR;
        int32_t m = unorm2_normalize(nfkc, u, n16, v, cap, &st);
        if (st == U_BUFFER_OVERFLOW_ERROR && attempt == 0) {
            free(v);
            cap = m + 1;
            continue;
        }
        free(u);
        if (U_FAILURE(st)) {
            free(v);
            return SANCTUM_EUNICODE;
        }
        *res = v;
        *reslen = m;
        return 0;
    }
    free(u);
    return SANCTUM_EUNICODE;
}

/* Runs the transliterator over text (length *n, capacity *cap), growing the
 * buffer when the result does not fit. */
static int transliterate(UChar **text, int32_t *n, int32_t *cap)
{
    UTransliterator *t = trans_get();
    if (!t) return SANCTUM_EUNICODE;
    UChar *orig = malloc(((size_t)*n + 1) * sizeof(UChar));
    if (!orig) return SANCTUM_ENOMEM;
    memcpy(orig, *text, (size_t)*n * sizeof(UChar));
    int32_t n0 = *n;
    for (int attempt = 0; attempt < 6; attempt++) {
        UErrorCode st = U_ZERO_ERROR;
        int32_t len = n0, limit = n0;
        memcpy(*text, orig, (size_t)n0 * sizeof(UChar));
        utrans_transUChars(t, *text, &len, *cap, 0, &limit, &st);
        if (st == U_BUFFER_OVERFLOW_ERROR) {
            int32_t ncap = *cap * 4;
            if (len + 16 > ncap) ncap = len + 16;
            UChar *p = realloc(*text, (size_t)ncap * sizeof(UChar));
            if (!p) {
                free(orig);
                return SANCTUM_ENOMEM;
            }
            *text = p;
            *cap = ncap;
            continue;
        }
        free(orig);
        if (U_FAILURE(st)) return SANCTUM_EUNICODE;
        *n = len;
        return 0;
    }
    free(orig);
    return SANCTUM_ELIMIT;
}

static int fold_unicode(const char *utf8, size_t len, sanctum_strbuf *out)
{
    UChar *u = NULL;
    int32_t n = 0;
    int rc = decode_normalize(utf8, len, &u, &n);
    if (rc) return rc;

    /* Pass 1: Hangul and table-mapped Latin to ASCII, apostrophes out. */
    int32_t cap = 10 * n + 16;
    UChar *b = malloc((size_t)cap * sizeof(UChar));
    if (!b) {
        free(u);
        return SANCTUM_ENOMEM;
    }
    int32_t bn = 0;
    int needs_icu = 0;
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U16_NEXT(u, i, n, c);
        if (c < 0x80) {
            b[bn++] = (UChar)c;
        } else if (is_apostrophe(c)) {
            continue;
        } else if (sanctum_hangul_is_syllable((uint32_t)c)) {
            char syl[16];
            sanctum_hangul_syllable((uint32_t)c, SANCTUM_ROM_DPRK, syl);
            b[bn++] = ' ';
            for (const char *p = syl; *p; p++) b[bn++] = (UChar)*p;
            b[bn++] = ' ';
        } else if (c >= 0xC0 && c < 0x250 && latin_ascii[c - 0xC0][0]) {
            for (const char *p = latin_ascii[c - 0xC0]; *p; p++) b[bn++] = (UChar)*p;
        } else {
            U16_APPEND_UNSAFE(b, bn, c);
            needs_icu = 1;
        }
    }
    free(u);
    if (needs_icu) {
        rc = transliterate(&b, &bn, &cap);
        if (rc) {
            free(b);
            return rc;
        }
    }

    /* Pass 2: tokens. */
    writer w;
    w.out = out;
    w.n = 0;
    w.any = w.sep = w.rc = 0;
    size_t start = out->len;
    for (int32_t i = 0; i < bn;) {
        UChar32 c;
        U16_NEXT(b, i, bn, c);
        if (c < 0x80) {
            w_ascii(&w, (unsigned char)c);
            continue;
        }
        if (is_apostrophe(c)) continue;
        int8_t type = u_charType(c);
        if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK || type == U_FORMAT_CHAR) continue;
        if (u_isalnum(c)) {
            static const char hex[] = "0123456789abcdef";
            char tmp[8];
            int k = 0;
            for (UChar32 x = c; x; x >>= 4) tmp[k++] = hex[x & 15];
            w_char(&w, 'u');
            while (k) w_char(&w, tmp[--k]);
            continue;
        }
        w.sep = 1;
    }
    free(b);
    return w_finish(&w, start);
}

int sanctum_text_fold(const char *utf8, size_t len, sanctum_strbuf *out)
{
    if (!out || (!utf8 && len)) return SANCTUM_EINVAL;
    if (len > SANCTUM_TEXT_MAX_INPUT) return SANCTUM_ELIMIT;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)utf8[i] >= 0x80) return fold_unicode(utf8, len, out);
    return fold_ascii(utf8, len, out);
}

void sanctum_thread_cleanup(void) { sanctum_text_cleanup(); }
