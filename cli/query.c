/*
 * query.c - the options that shape a query (--type, --dob, --country,
 * --program, --min-score, --limit), parsed the same way for every command
 * that screens: `screen` for one name, `batch` as defaults for every record.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

#define MAX_LIMIT 10000

const char cli_query_help[] =
    "  --type T          only entities of type T: person, organization, vessel,\n"
    "                    aircraft (comma-separated for several)\n"
    "  --dob DATE        date of birth, YYYY, YYYY-MM or YYYY-MM-DD\n"
    "  --country C       country name or ISO 3166 alpha-2 code\n"
    "  --program P       only these programs (comma-separated, e.g. DPRK3,SDGT)\n"
    "  --min-score S     report hits scoring at least S, 0..1 (default 0.80)\n"
    "  --limit N         report at most N hits (default 10)\n";

/* YYYY, YYYY-MM or YYYY-MM-DD with a plausible month and day. */
static int valid_dob(const char *s)
{
    size_t n = strlen(s);
    if (n != 4 && n != 7 && n != 10) return 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 4 || i == 7) {
            if (s[i] != '-') return 0;
        } else if (!isdigit((unsigned char)s[i])) {
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

static int parse_types(const char *arg, unsigned *out)
{
    unsigned types = 0;
    const char *p = arg;
    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char word[32];
        if (len == 0 || len >= sizeof word) return -1;
        memcpy(word, p, len);
        word[len] = '\0';
        sanctum_entity_type t;
        if (sanctum_type_parse(word, &t) != 0) return -1;
        types |= (unsigned)t;
        if (!end) break;
        p = end + 1;
    }
    *out = types;
    return 0;
}

static int parse_score(const char *arg, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(arg, &end);
    if (errno || end == arg || *end || !(v >= 0.0 && v <= 1.0)) return -1;
    *out = v;
    return 0;
}

static int parse_limit(const char *arg, size_t *out)
{
    char *end;
    errno = 0;
    if (!isdigit((unsigned char)*arg)) return -1;
    unsigned long v = strtoul(arg, &end, 10);
    if (errno || *end || v == 0 || v > MAX_LIMIT) return -1;
    *out = (size_t)v;
    return 0;
}

int cli_query_option(sanctum_query *q, int opt, const char *arg, const char *command)
{
    switch (opt) {
    case CLI_OPT_COUNTRY: q->country = arg; return 1;
    case CLI_OPT_PROGRAM: q->programs = arg; return 1;
    case CLI_OPT_TYPE:
        if (parse_types(arg, &q->types) == 0) return 1;
        cli_error("%s: --type wants person, organization, vessel or aircraft, not '%s'", command, arg);
        return -1;
    case CLI_OPT_DOB:
        if (valid_dob(arg)) {
            q->dob = arg;
            return 1;
        }
        cli_error("%s: --dob wants YYYY, YYYY-MM or YYYY-MM-DD", command);
        return -1;
    case CLI_OPT_MIN_SCORE:
        if (parse_score(arg, &q->min_score) == 0) return 1;
        cli_error("%s: --min-score wants a number from 0 to 1, not '%s'", command, arg);
        return -1;
    case CLI_OPT_LIMIT:
        if (parse_limit(arg, &q->limit) == 0) return 1;
        cli_error("%s: --limit wants a whole number from 1 to %d, not '%s'", command, MAX_LIMIT, arg);
        return -1;
    default:
        return 0;
    }
}
