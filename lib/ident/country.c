/*
 * country.c - the pieces of document screening that are about words, not
 * numbers: resolving an issuing country written any way the lists or users
 * write it to its ISO 3166 alpha-2 code, classifying document types into a
 * few broad kinds, and reducing document numbers to a comparable form.
 *
 * Countries: ICU supplies the ISO codes and English names. Names are
 * compared as a bag of folded words with "the", "of" and "and" dropped and
 * "St." read as "Saint", so OFAC's inverted "Korea, North", "Man, Isle of"
 * and "Congo, Democratic Republic of the" meet ICU's "North Korea", "Isle of
 * Man" and the UN's "Democratic Republic of the Congo". A short alias table
 * adds the official long forms the UN uses ("Iran (Islamic Republic of)",
 * "Democratic People's Republic of Korea") and older names ("Burma").
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uloc.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "ident/ident_internal.h"
#include "sanctum/ident.h"

#define KEY_MAX 96
#define MAX_COUNTRIES 512

typedef struct country_key {
    char key[KEY_MAX];
    char code[3];
} country_key;

static country_key country_table[MAX_COUNTRIES];
static size_t country_count;
static char iso3_table[MAX_COUNTRIES][4];
static char iso2_table[MAX_COUNTRIES][3];
static size_t iso_count;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static const struct {
    const char *name;
    const char *code;
} country_aliases[] = {
    { "Democratic People's Republic of Korea", "KP" }, { "DPRK", "KP" },
    { "Republic of Korea", "KR" },                     { "Burma", "MM" },
    { "Myanmar", "MM" },                               { "Hong Kong", "HK" },
    { "Macau", "MO" },                                 { "Macao", "MO" },
    { "Cabo Verde", "CV" },                            { "Czech Republic", "CZ" },
    { "Palestinian", "PS" },                           { "Palestine", "PS" },
    { "State of Palestine", "PS" },                    { "Region: Gaza", "PS" },
    { "Gaza", "PS" },                                  { "West Bank", "PS" },
    { "Turkiye", "TR" },                               { "Iran (Islamic Republic of)", "IR" },
    { "Syrian Arab Republic", "SY" },                  { "Russian Federation", "RU" },
    { "United Kingdom of Great Britain and Northern Ireland", "GB" },
    { "Great Britain", "GB" },                         { "UK", "GB" },
    { "United States of America", "US" },              { "U.S.", "US" },
    { "United Republic of Tanzania", "TZ" },           { "Republic of the Congo", "CG" },
    { "Congo", "CG" },                                 { "Democratic Republic of the Congo", "CD" },
    { "Lao People's Democratic Republic", "LA" },      { "Viet Nam", "VN" },
    { "Bolivia (Plurinational State of)", "BO" },      { "Venezuela (Bolivarian Republic of)", "VE" },
    { "Republic of Moldova", "MD" },                   { "North Macedonia, The Republic of", "MK" },
    { "Macedonia", "MK" },                             { "The former Yugoslav Republic of Macedonia", "MK" },
    { "Swaziland", "SZ" },                             { "Ivory Coast", "CI" },
    { "Brunei Darussalam", "BN" },                     { "Micronesia, Federated States of", "FM" },
    { "Holy See", "VA" },                              { "East Timor", "TL" },
    { "UAE", "AE" },                                   { "Emirates", "AE" },
    { "Cape Verde", "CV" },                            { "Slovak Republic", "SK" },
    { "Kyrgyz Republic", "KG" },                       { "Netherlands Antilles", "CW" },
};

/* Folds UTF-8 text into sorted, space-separated ASCII words (see the top of
 * this file). Returns the key length, 0 when nothing is left. */
static size_t country_fold(const char *s, size_t len, char *key, size_t keysz)
{
    UChar src[256], norm[512];
    UErrorCode st = U_ZERO_ERROR;
    int32_t ulen = 0;
    if (len > 200) return 0;
    u_strFromUTF8(src, 256, &ulen, s, (int32_t)len, &st);
    if (U_FAILURE(st)) return 0;
    const UNormalizer2 *nfkd = unorm2_getNFKDInstance(&st);
    if (U_FAILURE(st)) return 0;
    int32_t nlen = unorm2_normalize(nfkd, src, ulen, norm, 512, &st);
    if (U_FAILURE(st)) return 0;

    char words[16][32];
    size_t nwords = 0, wl = 0;
    char cur[32];
    for (int32_t i = 0; i <= nlen;) {
        UChar32 c = 0;
        if (i < nlen) U16_NEXT(norm, i, nlen, c);
        else i++;
        if (i <= nlen && c && (u_charType(c) == U_NON_SPACING_MARK || c == '\'' || c == 0x2019 || c == 0x2018 ||
                               c == 0x02BC))
            continue;
        if (c && c < 128 && isalnum((int)c)) {
            if (wl < sizeof cur - 1) cur[wl++] = (char)tolower((int)c);
            continue;
        }
        if (wl) {
            cur[wl] = 0;
            wl = 0;
            if (!strcmp(cur, "the") || !strcmp(cur, "of") || !strcmp(cur, "and")) continue;
            if (!strcmp(cur, "st")) strcpy(cur, "saint");
            if (nwords < 16) strcpy(words[nwords++], cur);
        }
    }
    /* insertion sort: a handful of words */
    for (size_t i = 1; i < nwords; i++) {
        char tmp[32];
        strcpy(tmp, words[i]);
        size_t j = i;
        while (j > 0 && strcmp(words[j - 1], tmp) > 0) {
            strcpy(words[j], words[j - 1]);
            j--;
        }
        strcpy(words[j], tmp);
    }
    size_t k = 0;
    for (size_t i = 0; i < nwords; i++) {
        size_t wlen = strlen(words[i]);
        if (k + wlen + 2 > keysz) return 0;
        if (k) key[k++] = ' ';
        memcpy(key + k, words[i], wlen);
        k += wlen;
    }
    if (keysz) key[k] = 0;
    return k;
}

static void add_key(const char *name, size_t len, const char *code)
{
    if (country_count >= MAX_COUNTRIES) return;
    country_key *e = &country_table[country_count];
    if (!country_fold(name, len, e->key, sizeof e->key)) return;
    memcpy(e->code, code, 2);
    e->code[2] = 0;
    country_count++;
}

static int key_cmp(const void *a, const void *b)
{
    return strcmp(((const country_key *)a)->key, ((const country_key *)b)->key);
}

static void build_tables(void)
{
    /* aliases first so that they win over ICU names of the same key */
    for (size_t i = 0; i < sizeof country_aliases / sizeof country_aliases[0]; i++)
        add_key(country_aliases[i].name, strlen(country_aliases[i].name), country_aliases[i].code);
    for (const char *const *c = uloc_getISOCountries(); c && *c && iso_count < MAX_COUNTRIES; c++) {
        char loc[16] = "und_";
        strncat(loc, *c, 3);
        UChar buf[128];
        UErrorCode st = U_ZERO_ERROR;
        int32_t l = uloc_getDisplayCountry(loc, "en", buf, 128, &st);
        if (U_SUCCESS(st) && l > 0) {
            char name[256];
            int32_t nl = 0;
            u_strToUTF8(name, sizeof name, &nl, buf, l, &st);
            if (U_SUCCESS(st)) add_key(name, (size_t)nl, *c);
        }
        memcpy(iso2_table[iso_count], *c, 2);
        iso2_table[iso_count][2] = 0;
        const char *three = uloc_getISO3Country(loc);
        snprintf(iso3_table[iso_count], 4, "%s", three ? three : "");
        iso_count++;
    }
    /* stable order for bsearch; with duplicate keys the alias (added first)
     * may not be the one found, but duplicates agree on the code anyway */
    qsort(country_table, country_count, sizeof country_table[0], key_cmp);
}

int sanctum_country_resolve(const char *s, size_t len, char code[3])
{
    pthread_once(&table_once, build_tables);
    while (len && isspace((unsigned char)*s)) s++, len--;
    while (len && isspace((unsigned char)s[len - 1])) len--;
    if (len == 2 || len == 3) {
        char up[4];
        int letters = 1;
        for (size_t i = 0; i < len; i++) {
            letters &= isalpha((unsigned char)s[i]) != 0;
            up[i] = (char)toupper((unsigned char)s[i]);
        }
        up[len] = 0;
        if (letters) {
            for (size_t i = 0; i < iso_count; i++) {
                if ((len == 2 && !strcmp(iso2_table[i], up)) || (len == 3 && !strcmp(iso3_table[i], up))) {
                    memcpy(code, iso2_table[i], 3);
                    return 0;
                }
            }
        }
    }
    country_key probe;
    if (!country_fold(s, len, probe.key, sizeof probe.key)) return SANCTUM_ENOTFOUND;
    const country_key *hit = bsearch(&probe, country_table, country_count, sizeof country_table[0], key_cmp);
    if (!hit) return SANCTUM_ENOTFOUND;
    memcpy(code, hit->code, 3);
    return 0;
}

int sanctum_country_code(const char *country, char code[3])
{
    if (!country || !code) return SANCTUM_EINVAL;
    return sanctum_country_resolve(country, strlen(country), code);
}

/* ---- document types -------------------------------------------------------- */

/* Lower-cased ASCII words of s, each surrounded by spaces: " national id no ". */
static void type_words(const char *s, char *out, size_t outsz)
{
    size_t k = 0;
    out[k++] = ' ';
    int space = 1;
    for (; *s && k + 2 < outsz; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 128 && isalnum(c)) {
            out[k++] = (char)tolower(c);
            space = 0;
        } else if (c == 0xC3 && s[1]) {
            /* Latin-1 letters with accents: keep the base letter for é, á, í, ó, ú */
            unsigned char d = (unsigned char)s[1];
            const char *base = "aaaaaaaceeeeiiiidnooooo/ouuuuyty";
            if (d >= 0xA0 && d <= 0xBF) out[k++] = base[d - 0xA0];
            else if (d >= 0x80 && d <= 0x9F) out[k++] = base[d - 0x80];
            s++;
            space = 0;
        } else if (c == '.' ) {
            continue; /* "D.N.I." reads as "dni" */
        } else if (!space) {
            out[k++] = ' ';
            space = 1;
        }
    }
    if (!space) out[k++] = ' ';
    out[k] = 0;
}

sanctum_doc_class sanctum_doc_classify(const char *type)
{
    if (!type || !*type) return SANCTUM_DOC_OTHER;
    char w[256];
    type_words(type, w, sizeof w);
    static const struct {
        const char *needle;
        sanctum_doc_class c;
    } rules[] = {
        { "passport", SANCTUM_DOC_PASSPORT },       { "passeport", SANCTUM_DOC_PASSPORT },
        { "pasaporte", SANCTUM_DOC_PASSPORT },      { "passaporto", SANCTUM_DOC_PASSPORT },
        { "reisepass", SANCTUM_DOC_PASSPORT },      { " driver", SANCTUM_DOC_DRIVING_LICENSE },
        { " driving", SANCTUM_DOC_DRIVING_LICENSE }, { " ssn ", SANCTUM_DOC_SOCIAL_SECURITY },
        { "social security", SANCTUM_DOC_SOCIAL_SECURITY }, { " tax ", SANCTUM_DOC_TAX_ID },
        { " nit ", SANCTUM_DOC_TAX_ID },            { " rfc ", SANCTUM_DOC_TAX_ID },
        { " cuit ", SANCTUM_DOC_TAX_ID },           { " ruc ", SANCTUM_DOC_TAX_ID },
        { " vat ", SANCTUM_DOC_TAX_ID },            { " tin ", SANCTUM_DOC_TAX_ID },
        { " inn ", SANCTUM_DOC_TAX_ID },            { " imo ", SANCTUM_DOC_VESSEL },
        { " mmsi ", SANCTUM_DOC_VESSEL },           { " vessel ", SANCTUM_DOC_VESSEL },
        { "registration", SANCTUM_DOC_REGISTRATION }, { " business ", SANCTUM_DOC_REGISTRATION },
        { " company number", SANCTUM_DOC_REGISTRATION }, { "commercial", SANCTUM_DOC_REGISTRATION },
        { " lei ", SANCTUM_DOC_REGISTRATION },      { " legal entity", SANCTUM_DOC_REGISTRATION },
        { "chamber of commerce", SANCTUM_DOC_REGISTRATION }, { " national", SANCTUM_DOC_NATIONAL_ID },
        { "identification", SANCTUM_DOC_NATIONAL_ID }, { "identity", SANCTUM_DOC_NATIONAL_ID },
        { " id ", SANCTUM_DOC_NATIONAL_ID },        { " cedula", SANCTUM_DOC_NATIONAL_ID },
        { " dni ", SANCTUM_DOC_NATIONAL_ID },       { " curp ", SANCTUM_DOC_NATIONAL_ID },
        { " citizen", SANCTUM_DOC_NATIONAL_ID },    { " residency", SANCTUM_DOC_NATIONAL_ID },
        { " personal", SANCTUM_DOC_NATIONAL_ID },   { " public security", SANCTUM_DOC_NATIONAL_ID },
    };
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (strstr(w, rules[i].needle)) return rules[i].c;
    return SANCTUM_DOC_OTHER;
}

const char *sanctum_doc_class_name(sanctum_doc_class c)
{
    switch (c) {
    case SANCTUM_DOC_PASSPORT: return "passport";
    case SANCTUM_DOC_NATIONAL_ID: return "national id";
    case SANCTUM_DOC_TAX_ID: return "tax id";
    case SANCTUM_DOC_REGISTRATION: return "registration number";
    case SANCTUM_DOC_DRIVING_LICENSE: return "driving license";
    case SANCTUM_DOC_SOCIAL_SECURITY: return "social security number";
    case SANCTUM_DOC_VESSEL: return "vessel number";
    case SANCTUM_DOC_OTHER: break;
    }
    return "other";
}

/* ---- document numbers ----------------------------------------------------- */

size_t sanctum_document_normalize(const char *number, char *out, size_t outsz)
{
    if (!number || !out || outsz == 0) return 0;
    size_t k = 0;
    const unsigned char *p = (const unsigned char *)number;
    size_t len = strlen(number);
    for (size_t i = 0; i < len;) {
        unsigned char c = p[i];
        if (c < 128) {
            if (isalnum(c)) {
                if (k + 1 >= outsz) { out[0] = 0; return 0; }
                out[k++] = (char)toupper(c);
            }
            i++;
            continue;
        }
        /* a non-ASCII character: whole sequence kept unless invisible or a space */
        size_t seq = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        if (i + seq > len) seq = len - i;
        int drop = (seq == 2 && c == 0xC2 && (p[i + 1] == 0xA0 || p[i + 1] == 0xAD)) ||
                   (seq == 3 && c == 0xE2 && p[i + 1] == 0x80) ||                        /* U+2000-203F */
                   (seq == 3 && c == 0xE2 && p[i + 1] == 0x81 && p[i + 2] >= 0x9F) ||      /* U+205F-207F */
                   (seq == 3 && c == 0xE3 && p[i + 1] == 0x80 && p[i + 2] == 0x80) ||      /* U+3000 */
                   (seq == 3 && c == 0xEF && p[i + 1] == 0xBB && p[i + 2] == 0xBF) ||      /* BOM */
                   (seq == 3 && c == 0xEF && p[i + 1] == 0xBC && p[i + 2] == 0x8D);        /* fullwidth - */
        if (!drop) {
            if (k + seq >= outsz) { out[0] = 0; return 0; }
            memcpy(out + k, p + i, seq);
            k += seq;
        }
        i += seq;
    }
    out[k] = 0;
    return k;
}
