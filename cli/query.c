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
        if (sanctum_types_parse(arg, &q->types) == 0) return 1;
        cli_error("%s: --type wants person, organization, vessel or aircraft, not '%s'", command, arg);
        return -1;
    case CLI_OPT_DOB:
        if (sanctum_dob_valid(arg)) {
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
