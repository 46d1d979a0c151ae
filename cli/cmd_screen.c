/*
 * cmd_screen.c - `sanctum screen NAME`: ranked, explained hits for a name.
 *
 * Loads the lists, builds the matching index and screens one query with the
 * filters given as options. The readable form is a table (rank, score, id,
 * list, type, primary name, and the matched name when it was an alias)
 * with one indented line per hit explaining how the query's tokens lined up
 * with the listed ones and what other evidence moved the score. --json
 * prints the result's JSON form; --exit-code makes hits exit with status 1.
 *
 * The screened name is personal data: it appears only in the command's own
 * output, never in an error or note.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

enum {
    OPT_JSON = CLI_OPT_FIRST_COMMAND,
    OPT_TYPE,
    OPT_DOB,
    OPT_COUNTRY,
    OPT_PROGRAM,
    OPT_MIN_SCORE,
    OPT_LIMIT,
    OPT_EXIT_CODE,
    OPT_EXHAUSTIVE
};

#define MAX_LIMIT 10000

static void usage(FILE *out)
{
    fputs("Usage: sanctum screen NAME [OPTIONS]\n"
          "\n"
          "Screens NAME (any script) against the loaded lists and prints the hits at or\n"
          "above the threshold, best first, each with an explanation of the match.\n"
          "\n"
          "  --type T          only entities of type T: person, organization, vessel,\n"
          "                    aircraft (comma-separated for several)\n"
          "  --dob DATE        date of birth, YYYY, YYYY-MM or YYYY-MM-DD\n"
          "  --country C       country name or ISO 3166 alpha-2 code\n"
          "  --list L          only these lists (comma-separated: ofac-sdn,un-sc)\n"
          "  --program P       only these programs (comma-separated, e.g. DPRK3,SDGT)\n"
          "  --min-score S     report hits scoring at least S, 0..1 (default 0.80)\n"
          "  --limit N         report at most N hits (default 10)\n"
          "  --exhaustive      score every listed name (slow; for checking the index)\n"
          "  --json            print {\"query\": {...}, \"hits\": [...]} as one JSON object\n"
          "  --exit-code       exit with status 1 when there are hits, 0 when none\n"
          "\n",
          out);
    fputs(cli_global_help, out);
}

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

/* Whether two forms of a name differ in more than case, spaces and punctuation. */
static int differs(const char *a, const char *b)
{
    for (;;) {
        while (*a && ((unsigned char)*a < 0x80 && !isalnum((unsigned char)*a))) a++;
        while (*b && ((unsigned char)*b < 0x80 && !isalnum((unsigned char)*b))) b++;
        if (!*a || !*b) return *a != *b;
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return 1;
        a++;
        b++;
    }
}

/* One line under a hit: how the tokens aligned, then the other evidence. */
static void print_explanation(const sanctum_hit *h, const char *query_name)
{
    fputs("        ", stdout);
    int first = 1;
    if (h->query_form && *h->query_form && differs(h->query_form, query_name)) {
        printf("as \"%s\":", h->query_form);
        first = 0;
    }
    for (size_t i = 0; h->tokens && i < h->n_tokens; i++) {
        const sanctum_token_match *t = &h->tokens[i];
        printf("%s%s ~ %s (%s)", first ? "" : (i == 0 ? " " : ", "), t->query ? t->query : "?",
               t->listed ? t->listed : "-", t->how ? t->how : "?");
        first = 0;
    }
    for (size_t i = 0; h->evidence && i < h->n_evidence; i++) {
        const sanctum_evidence *v = &h->evidence[i];
        printf("%s%+.2f %s %s", first ? "" : "; ", v->delta, v->field ? v->field : "",
               v->detail ? v->detail : "");
        first = 0;
    }
    if (first) fputs("(no explanation given)", stdout);
    putchar('\n');
}

static void print_table(const sanctum_query *q, const sanctum_result *r)
{
    size_t n = sanctum_result_count(r);
    double min = q->min_score < 0 ? SANCTUM_DEFAULT_MIN_SCORE : q->min_score;
    if (n == 0) {
        printf("no hits at or above %.2f\n", min);
        return;
    }
    printf("%4s  %-6s  %-20s  %-8s  %-12s  %s\n", "rank", "score", "entity", "list", "type", "name");
    for (size_t i = 0; i < n; i++) {
        const sanctum_hit *h = sanctum_result_hit(r, i);
        if (!h || !h->entity) continue;
        const sanctum_entity *e = h->entity;
        const char *primary = e->n_names ? e->names[0].full : "";
        printf("%4zu  %6.4f  %-20s  %-8s  %-12s  %s", i + 1, h->score, e->id ? e->id : "?",
               e->source ? e->source : "?", sanctum_type_name(e->type), primary ? primary : "");
        if (h->name_index > 0 && h->name_index < e->n_names) {
            const sanctum_name *m = &e->names[h->name_index];
            printf("  (matched %s%s \"%s\")", m->quality == SANCTUM_QUALITY_WEAK ? "weak " : "",
                   sanctum_name_kind_name(m->kind), m->full ? m->full : "");
        }
        putchar('\n');
        print_explanation(h, q->name);
    }
}

int cli_cmd_screen(int argc, char **argv, cli_globals *g)
{
    static const struct option longopts[] = {
        CLI_GLOBAL_LONGOPTS,
        { "json", no_argument, NULL, OPT_JSON },
        { "type", required_argument, NULL, OPT_TYPE },
        { "dob", required_argument, NULL, OPT_DOB },
        { "country", required_argument, NULL, OPT_COUNTRY },
        { "program", required_argument, NULL, OPT_PROGRAM },
        { "min-score", required_argument, NULL, OPT_MIN_SCORE },
        { "limit", required_argument, NULL, OPT_LIMIT },
        { "exit-code", no_argument, NULL, OPT_EXIT_CODE },
        { "exhaustive", no_argument, NULL, OPT_EXHAUSTIVE },
        { NULL, 0, NULL, 0 },
    };
    sanctum_query q = SANCTUM_QUERY_INIT;
    opterr = 0;
    int json = 0, exit_code = 0, opt;
    while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        if (cli_global_option(g, opt, optarg)) continue;
        switch (opt) {
        case OPT_JSON: json = 1; break;
        case OPT_EXIT_CODE: exit_code = 1; break;
        case OPT_EXHAUSTIVE: q.exhaustive = 1; break;
        case OPT_COUNTRY: q.country = optarg; break;
        case OPT_PROGRAM: q.programs = optarg; break;
        case OPT_TYPE:
            if (parse_types(optarg, &q.types) != 0) {
                cli_error("screen: --type wants person, organization, vessel or aircraft, not '%s'", optarg);
                return cli_usage_error("screen");
            }
            break;
        case OPT_DOB:
            if (!valid_dob(optarg)) {
                cli_error("screen: --dob wants YYYY, YYYY-MM or YYYY-MM-DD");
                return cli_usage_error("screen");
            }
            q.dob = optarg;
            break;
        case OPT_MIN_SCORE:
            if (parse_score(optarg, &q.min_score) != 0) {
                cli_error("screen: --min-score wants a number from 0 to 1, not '%s'", optarg);
                return cli_usage_error("screen");
            }
            break;
        case OPT_LIMIT:
            if (parse_limit(optarg, &q.limit) != 0) {
                cli_error("screen: --limit wants a whole number from 1 to %d, not '%s'", MAX_LIMIT, optarg);
                return cli_usage_error("screen");
            }
            break;
        case CLI_OPT_HELP: usage(stdout); return CLI_EXIT_OK;
        case CLI_OPT_VERSION: printf("sanctum %s\n", sanctum_version()); return CLI_EXIT_OK;
        default: return cli_option_error("screen", opt, argc, argv);
        }
    }
    if (optind >= argc) {
        cli_error("screen: missing the name to screen");
        return cli_usage_error("screen");
    }
    if (argc - optind > 1) {
        cli_error("screen: expected one name, got %d arguments (quote a name that has spaces)", argc - optind);
        return cli_usage_error("screen");
    }
    q.name = argv[optind];
    if (!*q.name) {
        cli_error("screen: the name is empty");
        return cli_usage_error("screen");
    }
    q.lists = g->lists;

    sanctum_dataset *ds = cli_load(g, 0);
    if (!ds) return CLI_EXIT_ERROR;
    int rc = CLI_EXIT_ERROR;
    sanctum_index *idx = NULL;
    sanctum_result *res = NULL;
    sanctum_error err;
    if (sanctum_index_build(&idx, ds, &err) != 0) {
        cli_report(&err);
        goto cleanup;
    }
    if (sanctum_screen(&res, idx, &q, &err) != 0) {
        cli_report(&err);
        goto cleanup;
    }
    if (json) {
        char *text = sanctum_result_json(&q, res);
        if (!text) {
            cli_error("out of memory");
            goto cleanup;
        }
        puts(text);
        sanctum_string_free(text);
    } else {
        print_table(&q, res);
    }
    if (fflush(stdout) != 0) {
        cli_error("cannot write output");
        goto cleanup;
    }
    rc = exit_code && sanctum_result_count(res) > 0 ? CLI_EXIT_HITS : CLI_EXIT_OK;
cleanup:
    sanctum_result_free(res);
    sanctum_index_free(idx);
    sanctum_dataset_free(ds);
    return rc;
}
