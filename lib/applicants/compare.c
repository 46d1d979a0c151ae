/*
 * compare.c - comparing an applicant's own values with each other: personal
 * names (does a payment holder or a document name belong to the same
 * person?), postal addresses (is the laptop going to the worker's home?) and
 * the country of a phone number.
 *
 * Names are folded with the library's text folding (any script to lowercase
 * ASCII tokens, Hangul romanized) and compared token by token. Two tokens
 * agree when they are equal, read as the same Korean syllables under any
 * romanization ("jaewon" / "chaewon", "lee" / "ri"), one is the initial of
 * the other, one is a prefix of 3+ letters of the other ("alex" /
 * "alexander"), or both have 4+ letters and differ by one edit. Adjacent
 * tokens are also tried joined, so "Jae-won" agrees with "Jaewon". This is
 * a deliberately simple similarity for names within one record; screening
 * against the lists uses the full matching engine.
 *
 * Example: "Kim Jae-won" agrees with "Jae W. Kim" and with "JAEWON KIM";
 * "Kim Jae-won" does not agree with "Pavel Novak".
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "applicants/applicants_internal.h"
#include "text/text.h"

#define MAX_TOKENS 12
#define TOKEN_MAX 48

typedef struct tokens {
    char t[MAX_TOKENS * 2][TOKEN_MAX];   /* base tokens, then joined neighbours */
    char key[MAX_TOKENS * 2][TOKEN_MAX * 4 + 1];
    size_t n_base, n;
} tokens;

static int tokenize(const char *name, tokens *out)
{
    sanctum_strbuf b = SANCTUM_STRBUF_INIT;
    out->n = out->n_base = 0;
    if (!name || sanctum_text_fold(name, strlen(name), &b) != 0) {
        sanctum_strbuf_free(&b);
        return -1;
    }
    const char *p = sanctum_strbuf_cstr(&b);
    while (*p && out->n_base < MAX_TOKENS) {
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len && len < TOKEN_MAX) {
            memcpy(out->t[out->n_base], p, len);
            out->t[out->n_base][len] = '\0';
            out->n_base++;
        }
        p += len;
        while (*p == ' ') p++;
    }
    sanctum_strbuf_free(&b);
    out->n = out->n_base;
    for (size_t i = 0; i + 1 < out->n_base; i++) {
        size_t la = strlen(out->t[i]), lb = strlen(out->t[i + 1]);
        if (la + lb >= TOKEN_MAX) continue;
        memcpy(out->t[out->n], out->t[i], la);
        memcpy(out->t[out->n] + la, out->t[i + 1], lb + 1);
        out->n++;
    }
    for (size_t i = 0; i < out->n; i++) {
        size_t kl = sanctum_korean_key(out->t[i], strlen(out->t[i]), out->key[i], sizeof out->key[i]);
        if (kl == 0 || kl >= sizeof out->key[i]) out->key[i][0] = '\0';
    }
    return out->n_base ? 0 : -1;
}

/* Levenshtein distance capped at 2 (enough to tell "at most one"). */
static int edits_at_most_one(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > lb + 1 || lb > la + 1) return 0;
    size_t i = 0, j = 0;
    int diff = 0;
    while (i < la && j < lb) {
        if (a[i] == b[j]) {
            i++;
            j++;
            continue;
        }
        if (++diff > 1) return 0;
        if (la > lb) i++;
        else if (lb > la) j++;
        else {
            i++;
            j++;
        }
    }
    diff += (int)((la - i) + (lb - j));
    return diff <= 1;
}

static int tokens_agree(const tokens *x, size_t i, const tokens *y, size_t j)
{
    const char *a = x->t[i], *b = y->t[j];
    if (strcmp(a, b) == 0) return 1;
    if (x->key[i][0] && strcmp(x->key[i], y->key[j]) == 0) return 1;
    size_t la = strlen(a), lb = strlen(b);
    if ((la == 1 && a[0] == b[0]) || (lb == 1 && a[0] == b[0])) return 1;
    size_t m = la < lb ? la : lb;
    if (m >= 3 && strncmp(a, b, m) == 0) return 1;
    if (la >= 4 && lb >= 4 && edits_at_most_one(a, b)) return 1;
    return 0;
}

/* Every base token of s is covered by a token of l (joined pairs of s count
 * for both of their tokens). */
static int covered(const tokens *s, const tokens *l)
{
    int done[MAX_TOKENS] = { 0 };
    for (size_t i = 0; i < s->n; i++) {
        if (i < s->n_base && done[i]) continue;
        for (size_t j = 0; j < l->n; j++) {
            if (!tokens_agree(s, i, l, j)) continue;
            if (i < s->n_base) {
                done[i] = 1;
            } else {
                size_t k = i - s->n_base;   /* joined pair (k, k+1) */
                done[k] = done[k + 1] = 1;
            }
            break;
        }
    }
    for (size_t i = 0; i < s->n_base; i++)
        if (!done[i]) return 0;
    return 1;
}

int appl_names_agree(const char *a, const char *b)
{
    tokens *x = malloc(sizeof *x), *y = malloc(sizeof *y);
    int agree = 1;   /* when a name cannot be folded, do not claim a mismatch */
    if (x && y && tokenize(a, x) == 0 && tokenize(b, y) == 0) {
        const tokens *s = x->n_base <= y->n_base ? x : y, *l = s == x ? y : x;
        agree = covered(s, l);
    }
    free(x);
    free(y);
    return agree;
}

/* Common words in street addresses and their short forms. */
static const char *const abbreviations[][2] = {
    { "street", "st" },   { "avenue", "ave" }, { "road", "rd" },      { "drive", "dr" },
    { "boulevard", "blvd" }, { "lane", "ln" }, { "court", "ct" },     { "place", "pl" },
    { "suite", "ste" },   { "apartment", "apt" }, { "unit", "apt" },  { "number", "no" },
    { "north", "n" },     { "south", "s" },    { "east", "e" },       { "west", "w" },
    { "highway", "hwy" }, { "parkway", "pkwy" }, { "terrace", "ter" }, { "circle", "cir" },
    { "floor", "fl" },    { "building", "bldg" },
};

int appl_address_key(const char *addr, sanctum_strbuf *out)
{
    sanctum_strbuf b = SANCTUM_STRBUF_INIT;
    sanctum_strbuf_reset(out);
    if (!addr || sanctum_text_fold(addr, strlen(addr), &b) != 0) {
        sanctum_strbuf_free(&b);
        return -1;
    }
    const char *p = sanctum_strbuf_cstr(&b);
    while (*p) {
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        const char *word = NULL;
        for (size_t i = 0; i < sizeof abbreviations / sizeof abbreviations[0]; i++)
            if (strlen(abbreviations[i][0]) == len && strncmp(abbreviations[i][0], p, len) == 0)
                word = abbreviations[i][1];
        if (out->len) sanctum_strbuf_putc(out, ' ');
        if (word) sanctum_strbuf_puts(out, word);
        else sanctum_strbuf_append(out, p, len);
        p += len;
        while (*p == ' ') p++;
    }
    sanctum_strbuf_free(&b);
    return out->len ? 0 : -1;
}

/* International calling codes of the countries that matter most here, and
 * a spread of others; longest prefixes first where they overlap. */
static const char *const calling_codes[][2] = {
    { "850", "KP" }, { "856", "LA" }, { "855", "KH" }, { "852", "HK" }, { "853", "MO" }, { "886", "TW" },
    { "880", "BD" }, { "971", "AE" }, { "966", "SA" }, { "972", "IL" }, { "380", "UA" }, { "375", "BY" },
    { "374", "AM" }, { "995", "GE" }, { "998", "UZ" }, { "996", "KG" }, { "992", "TJ" }, { "993", "TM" },
    { "994", "AZ" }, { "976", "MN" }, { "234", "NG" }, { "254", "KE" }, { "233", "GH" }, { "255", "TZ" },
    { "256", "UG" }, { "251", "ET" }, { "212", "MA" }, { "213", "DZ" }, { "216", "TN" }, { "218", "LY" },
    { "243", "CD" }, { "244", "AO" }, { "260", "ZM" }, { "263", "ZW" }, { "353", "IE" }, { "351", "PT" },
    { "358", "FI" }, { "359", "BG" }, { "370", "LT" }, { "371", "LV" }, { "372", "EE" }, { "373", "MD" },
    { "381", "RS" }, { "385", "HR" }, { "386", "SI" }, { "420", "CZ" }, { "421", "SK" }, { "359", "BG" },
    { "354", "IS" }, { "352", "LU" }, { "356", "MT" }, { "357", "CY" },
    { "86", "CN" }, { "82", "KR" }, { "81", "JP" }, { "84", "VN" }, { "66", "TH" }, { "60", "MY" },
    { "62", "ID" }, { "63", "PH" }, { "65", "SG" }, { "91", "IN" }, { "92", "PK" }, { "93", "AF" },
    { "94", "LK" }, { "95", "MM" }, { "98", "IR" }, { "90", "TR" }, { "44", "GB" }, { "49", "DE" },
    { "33", "FR" }, { "34", "ES" }, { "39", "IT" }, { "31", "NL" }, { "32", "BE" }, { "41", "CH" },
    { "43", "AT" }, { "45", "DK" }, { "46", "SE" }, { "47", "NO" }, { "48", "PL" }, { "30", "GR" },
    { "36", "HU" }, { "40", "RO" }, { "55", "BR" }, { "52", "MX" }, { "54", "AR" }, { "56", "CL" },
    { "57", "CO" }, { "51", "PE" }, { "58", "VE" }, { "61", "AU" }, { "64", "NZ" }, { "27", "ZA" },
    { "20", "EG" }, { "7", "RU" }, { "1", "US" },
};

const char *appl_phone_country(const char *number)
{
    if (!number) return NULL;
    const char *p = number;
    while (*p == ' ' || *p == '\t') p++;
    if (*p == '+') p++;
    else if (p[0] == '0' && p[1] == '0') p += 2;
    else return NULL;   /* a national number says nothing about its country */
    char digits[8];
    size_t n = 0;
    for (; *p && n < sizeof digits - 1; p++) {
        if (isdigit((unsigned char)*p)) digits[n++] = *p;
        else if (*p != ' ' && *p != '-' && *p != '(' && *p != ')' && *p != '.') break;
    }
    digits[n] = '\0';
    for (size_t i = 0; i < sizeof calling_codes / sizeof calling_codes[0]; i++) {
        size_t l = strlen(calling_codes[i][0]);
        if (n > l && strncmp(digits, calling_codes[i][0], l) == 0) return calling_codes[i][1];
    }
    return NULL;
}
