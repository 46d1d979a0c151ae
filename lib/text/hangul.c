/*
 * hangul.c - romanizing Hangul syllables in three styles: Revised
 * Romanization (RR, South Korea 2000), McCune-Reischauer (MR, written without
 * breves or aspiration apostrophes) and the DPRK style seen on sanctions lists
 * (MR-like, but j for ㅈ and kh/th/ph for the aspirates).
 *
 * A precomposed syllable U+AC00..U+D7A3 splits arithmetically into an initial
 * (L), a vowel (V) and an optional final (T): s = cp - 0xAC00, L = s / 588,
 * V = (s % 588) / 28, T = s % 28. Each part has one spelling per style.
 *
 * Inside a word (a run of syllables with nothing between them) the common
 * sound changes are applied where they are cheap to state:
 *  - ㄴ+ㄹ, ㄹ+ㄴ, ㄹ+ㄹ -> "ll" (신라 silla);
 *  - ㅁ/ㅇ+ㄹ -> ㄹ read as n (종로 jongno); ㄱ+ㄹ -> "ngn", ㅂ+ㄹ -> "mn"
 *    (DPRK style nasalizes the final but keeps r: 압록 Amrok);
 *  - a stop final before a nasal becomes a nasal (백마 baengma);
 *  - RR and MR carry a stop or ㄹ final over to a following vowel (박아 baga);
 *  - MR voices k/t/p/ch to g/d/b/j after a vowel or a voiced final.
 * A word-initial ㄹ is written "r" in every style: the South Korean
 * initial-sound rule is a change of the Hangul spelling itself (리 -> 이), so
 * Hangul that still says 리 is read as ri, matching DPRK usage (Ri, Ryu, Rim).
 */
#include <stdint.h>
#include <string.h>

#include <unicode/utf8.h>

#include "sanctum/common.h"
#include "text/text.h"

/* Initial consonants: ㄱ ㄲ ㄴ ㄷ ㄸ ㄹ ㅁ ㅂ ㅃ ㅅ ㅆ ㅇ ㅈ ㅉ ㅊ ㅋ ㅌ ㅍ ㅎ */
enum { L_G = 0, L_GG, L_N, L_D, L_DD, L_R, L_M, L_B, L_BB, L_S, L_SS, L_NULL, L_J, L_JJ, L_CH, L_K, L_T, L_P, L_H };

static const char *const initial_rr[19] = {"g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s",
                                           "ss", "", "j", "jj", "ch", "k", "t", "p", "h"};
static const char *const initial_mr[19] = {"k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s",
                                           "ss", "", "ch", "tch", "ch", "k", "t", "p", "h"};
static const char *const initial_dprk[19] = {"k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s",
                                             "ss", "", "j", "jj", "ch", "kh", "th", "ph", "h"};

/* Vowels: ㅏ ㅐ ㅑ ㅒ ㅓ ㅔ ㅕ ㅖ ㅗ ㅘ ㅙ ㅚ ㅛ ㅜ ㅝ ㅞ ㅟ ㅠ ㅡ ㅢ ㅣ */
static const char *const vowel_rr[21] = {"a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae",
                                         "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i"};
static const char *const vowel_mr[21] = {"a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae",
                                         "oe", "yo", "u", "wo", "we", "wi", "yu", "u", "ui", "i"};

/* Finals, by the sound class they end in. */
enum { F_NONE = 0, F_K, F_N, F_T, F_L, F_M, F_P, F_NG };
/* ∅ ㄱ ㄲ ㄳ ㄴ ㄵ ㄶ ㄷ ㄹ ㄺ ㄻ ㄼ ㄽ ㄾ ㄿ ㅀ ㅁ ㅂ ㅄ ㅅ ㅆ ㅇ ㅈ ㅊ ㅋ ㅌ ㅍ ㅎ */
static const unsigned char final_class[28] = {F_NONE, F_K, F_K, F_K, F_N, F_N, F_N, F_T, F_L, F_K,
                                              F_M,    F_L, F_L, F_L, F_P, F_L, F_M, F_P, F_P, F_T,
                                              F_T,    F_NG, F_T, F_T, F_K, F_T, F_P, F_T};
static const char *const final_spelling[8] = {"", "k", "n", "t", "l", "m", "p", "ng"};

/* The spelling a stop final takes when carried over to a following vowel,
 * by final index (RR and MR). */
static const char *carried_final(int t)
{
    switch (t) {
    case 1: case 2: case 3: case 9: return "g";   /* ㄱ ㄲ ㄳ ㄺ */
    case 7: return "d";                          /* ㄷ */
    case 8: case 11: case 12: case 13: case 15: return "r"; /* ㄹ and clusters */
    case 14: case 17: case 18: return "b";        /* ㄿ ㅂ ㅄ */
    case 19: return "s";                         /* ㅅ */
    case 20: return "ss";                        /* ㅆ */
    case 22: return "j";                         /* ㅈ */
    case 23: return "ch";                        /* ㅊ */
    case 24: return "k";                         /* ㅋ */
    case 25: return "t";                         /* ㅌ */
    case 26: return "p";                         /* ㅍ */
    default: return NULL;                        /* nasals, ㅎ: unchanged */
    }
}

int sanctum_hangul_is_syllable(uint32_t cp) { return cp >= 0xAC00 && cp <= 0xD7A3; }

static void split(uint32_t cp, int *l, int *v, int *t)
{
    int s = (int)(cp - 0xAC00);
    *l = s / 588;
    *v = (s % 588) / 28;
    *t = s % 28;
}

static const char *initial_of(int style, int l)
{
    if (style == SANCTUM_ROM_RR) return initial_rr[l];
    if (style == SANCTUM_ROM_MR) return initial_mr[l];
    return initial_dprk[l];
}

static size_t put(char *buf, size_t n, const char *s)
{
    size_t k = strlen(s);
    memcpy(buf + n, s, k);
    return n + k;
}

size_t sanctum_hangul_syllable(uint32_t cp, int style, char *buf)
{
    int l, v, t;
    if (!sanctum_hangul_is_syllable(cp)) {
        buf[0] = '\0';
        return 0;
    }
    split(cp, &l, &v, &t);
    size_t n = put(buf, 0, initial_of(style, l));
    n = put(buf, n, style == SANCTUM_ROM_RR ? vowel_rr[v] : vowel_mr[v]);
    n = put(buf, n, final_spelling[final_class[t]]);
    buf[n] = '\0';
    return n;
}

/* Romanizes one word of syllables (cps[0..n)) into out, applying the in-word
 * sound changes described at the top of the file. */
static int romanize_word(const uint32_t *cps, size_t n, int style, sanctum_strbuf *out)
{
    /* Spelling overrides decided while looking at the pair (i-1, i). */
    const char *next_initial = NULL;
    for (size_t i = 0; i < n; i++) {
        int l, v, t;
        split(cps[i], &l, &v, &t);
        const char *ini = initial_of(style, l);
        if (next_initial) {
            ini = next_initial;
        } else if (i > 0 && style == SANCTUM_ROM_MR) {
            int pl, pv, pt;
            split(cps[i - 1], &pl, &pv, &pt);
            int pc = final_class[pt];
            int voiced_before = pc == F_NONE || pc == F_N || pc == F_M || pc == F_NG || pc == F_L;
            if (voiced_before) {
                if (l == L_G) ini = "g";
                else if (l == L_D) ini = "d";
                else if (l == L_B) ini = "b";
                else if (l == L_J) ini = "j";
            }
        }
        next_initial = NULL;
        const char *fin = final_spelling[final_class[t]];
        if (i + 1 < n) {
            int nl, nv, nt;
            split(cps[i + 1], &nl, &nv, &nt);
            int fc = final_class[t];
            if (nl == L_R) {
                if (fc == F_N || fc == F_L) {
                    fin = "l";
                    next_initial = "l";
                } else if (style == SANCTUM_ROM_DPRK) {
                    /* DPRK style nasalizes the stop but keeps r: 압록 Amrok. */
                    if (fc == F_K) fin = "ng";
                    else if (fc == F_P) fin = "m";
                    else if (fc == F_T) fin = "n";
                } else {
                    if (fc == F_M || fc == F_NG) next_initial = "n";
                    else if (fc == F_K) { fin = "ng"; next_initial = "n"; }
                    else if (fc == F_P) { fin = "m"; next_initial = "n"; }
                    else if (fc == F_T) { fin = "n"; next_initial = "n"; }
                }
            } else if (nl == L_N || nl == L_M) {
                if (fc == F_L && nl == L_N) next_initial = "l";
                else if (fc == F_K) fin = "ng";
                else if (fc == F_P) fin = "m";
                else if (fc == F_T) fin = "n";
            } else if (nl == L_NULL && style != SANCTUM_ROM_DPRK) {
                const char *c = carried_final(t);
                if (c) {
                    fin = "";
                    next_initial = c;
                }
            }
        }
        int rc = sanctum_strbuf_puts(out, ini);
        if (!rc) rc = sanctum_strbuf_puts(out, style == SANCTUM_ROM_RR ? vowel_rr[v] : vowel_mr[v]);
        if (!rc) rc = sanctum_strbuf_puts(out, fin);
        if (rc) return rc;
    }
    return 0;
}

int sanctum_hangul_romanize(const char *utf8, size_t len, int style, sanctum_strbuf *out)
{
    if (!utf8 && len) return SANCTUM_EINVAL;
    if (style != SANCTUM_ROM_RR && style != SANCTUM_ROM_MR && style != SANCTUM_ROM_DPRK) return SANCTUM_EINVAL;
    if (len > SANCTUM_TEXT_MAX_INPUT) return SANCTUM_ELIMIT;
    /* Validate first so that invalid input leaves the output untouched. */
    for (size_t i = 0; i < len;) {
        UChar32 c;
        U8_NEXT(utf8, i, len, c);
        if (c < 0) return SANCTUM_EUNICODE;
    }
    size_t start_len = out->len;
    uint32_t word[64];
    size_t nword = 0;
    int rc = 0;
    for (size_t i = 0; i < len && !rc;) {
        size_t at = i;
        UChar32 c;
        U8_NEXT(utf8, i, len, c);
        if (sanctum_hangul_is_syllable((uint32_t)c)) {
            if (nword == sizeof word / sizeof word[0]) {
                rc = romanize_word(word, nword, style, out);
                nword = 0;
            }
            word[nword++] = (uint32_t)c;
            continue;
        }
        if (nword) {
            rc = romanize_word(word, nword, style, out);
            nword = 0;
        }
        if (!rc) rc = sanctum_strbuf_append(out, utf8 + at, i - at);
    }
    if (!rc && nword) rc = romanize_word(word, nword, style, out);
    if (rc) {
        out->len = start_len;
        if (out->data) out->data[start_len] = '\0';
    }
    return rc;
}
