/*
 * entity.c - names of entity types, name kinds and scripts, and script
 * detection for names as written on the lists.
 */
#define _POSIX_C_SOURCE 200809L
#include <string.h>
#include <strings.h>

#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include "sanctum/entity.h"

const char *sanctum_type_name(sanctum_entity_type t)
{
    switch (t) {
    case SANCTUM_TYPE_PERSON: return "person";
    case SANCTUM_TYPE_ORGANIZATION: return "organization";
    case SANCTUM_TYPE_VESSEL: return "vessel";
    case SANCTUM_TYPE_AIRCRAFT: return "aircraft";
    case SANCTUM_TYPE_ANY: return "any";
    default: return "unknown";
    }
}

int sanctum_type_parse(const char *s, sanctum_entity_type *out)
{
    static const struct { const char *name; sanctum_entity_type t; } names[] = {
        { "person", SANCTUM_TYPE_PERSON }, { "individual", SANCTUM_TYPE_PERSON },
        { "organization", SANCTUM_TYPE_ORGANIZATION }, { "organisation", SANCTUM_TYPE_ORGANIZATION },
        { "entity", SANCTUM_TYPE_ORGANIZATION }, { "company", SANCTUM_TYPE_ORGANIZATION },
        { "vessel", SANCTUM_TYPE_VESSEL }, { "aircraft", SANCTUM_TYPE_AIRCRAFT },
        { "any", SANCTUM_TYPE_ANY }, { "", SANCTUM_TYPE_ANY },
    };
    if (!s) return -4;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(s, names[i].name) == 0) {
            *out = names[i].t;
            return 0;
        }
    return -4; /* SANCTUM_EINVAL */
}

int sanctum_types_parse(const char *csv, unsigned *out)
{
    unsigned types = 0;
    const char *p = csv;
    if (!csv) return -4;
    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char word[32];
        if (len == 0 || len >= sizeof word) return -4; /* SANCTUM_EINVAL */
        memcpy(word, p, len);
        word[len] = '\0';
        sanctum_entity_type t;
        if (sanctum_type_parse(word, &t) != 0) return -4;
        types |= (unsigned)t;
        if (!end) break;
        p = end + 1;
    }
    *out = types;
    return 0;
}

int sanctum_dob_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n != 4 && n != 7 && n != 10) return 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 4 || i == 7) {
            if (s[i] != '-') return 0;
        } else if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
    }
    if (n >= 7) {
        int month = (s[5] - '0') * 10 + (s[6] - '0');
        if (month < 1 || month > 12) return 0;
    }
    if (n == 10) {
        int day = (s[8] - '0') * 10 + (s[9] - '0');
        if (day < 1 || day > 31) return 0;
    }
    return 1;
}

const char *sanctum_name_kind_name(sanctum_name_kind k)
{
    switch (k) {
    case SANCTUM_NAME_PRIMARY: return "primary";
    case SANCTUM_NAME_AKA: return "aka";
    case SANCTUM_NAME_FKA: return "fka";
    case SANCTUM_NAME_NKA: return "nka";
    case SANCTUM_NAME_ORIGINAL: return "original";
    }
    return "aka";
}

const char *sanctum_script_name(sanctum_script s)
{
    switch (s) {
    case SANCTUM_SCRIPT_LATIN: return "latin";
    case SANCTUM_SCRIPT_HANGUL: return "hangul";
    case SANCTUM_SCRIPT_CYRILLIC: return "cyrillic";
    case SANCTUM_SCRIPT_ARABIC: return "arabic";
    case SANCTUM_SCRIPT_HAN: return "han";
    default: return "other";
    }
}

sanctum_script sanctum_script_detect(const char *utf8)
{
    if (!utf8) return SANCTUM_SCRIPT_LATIN;
    size_t counts[6] = { 0 };
    int32_t i = 0, len = (int32_t)strnlen(utf8, 1 << 20);
    while (i < len) {
        UChar32 c;
        U8_NEXT(utf8, i, len, c);
        if (c < 0) continue;
        if (c < 0x80) {
            if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') counts[SANCTUM_SCRIPT_LATIN]++;
            continue;
        }
        UErrorCode st = U_ZERO_ERROR;
        UScriptCode sc = uscript_getScript(c, &st);
        if (U_FAILURE(st)) continue;
        switch (sc) {
        case USCRIPT_LATIN: counts[SANCTUM_SCRIPT_LATIN]++; break;
        case USCRIPT_HANGUL: counts[SANCTUM_SCRIPT_HANGUL]++; break;
        case USCRIPT_CYRILLIC: counts[SANCTUM_SCRIPT_CYRILLIC]++; break;
        case USCRIPT_ARABIC: counts[SANCTUM_SCRIPT_ARABIC]++; break;
        case USCRIPT_HAN: counts[SANCTUM_SCRIPT_HAN]++; break;
        case USCRIPT_COMMON: case USCRIPT_INHERITED: break;
        default: counts[SANCTUM_SCRIPT_OTHER]++; break;
        }
    }
    sanctum_script best = SANCTUM_SCRIPT_LATIN;
    for (int s = 1; s < 6; s++)
        if (counts[s] > counts[best]) best = (sanctum_script)s;
    return best;
}
