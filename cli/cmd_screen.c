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
    OPT_EXIT_CODE,
    OPT_EXHAUSTIVE,
    OPT_WALLET,
    OPT_ID,
    OPT_ID_COUNTRY,
    OPT_ID_TYPE,
    OPT_AUDIT,
    OPT_INDEX
};


static void usage(FILE *out)
{
    fputs("Usage: sanctum screen [NAME] [OPTIONS]\n"
          "\n"
          "Screens NAME (any script) against the loaded lists and prints the hits at or\n"
          "above the threshold, best first, each with an explanation of the match.\n"
          "Wallet addresses and identity document numbers are matched exactly, whatever\n"
          "their formatting; their hits score 1.0 and come first.\n"
          "\n",
          out);
    fputs(cli_query_help, out);
    fputs("  --wallet ADDR     a digital currency address (repeatable; URI forms accepted)\n"
          "  --id NUMBER       an identity document number (repeatable)\n"
          "  --id-country C    issuing country of the --id numbers (name or ISO code)\n"
          "  --id-type T       document type of the --id numbers (passport, national id, ...)\n"
          "  --exhaustive      score every listed name (slow; for checking the index)\n"
          "  --json            print {\"query\": {...}, \"hits\": [...]} as one JSON object\n"
          "  --exit-code       exit with status 1 when there are hits, 0 when none\n"
          "  --audit           record the screening in the audit trail (see 'sanctum audit')\n"
          "  --index FILE      screen with a compiled index ('sanctum index build') instead of\n"
          "                    loading the lists: starts in milliseconds (also SANCTUM_INDEX)\n"
          "\n",
          out);
    fputs(cli_global_help, out);
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
        for (size_t k = 0; k < e->n_also_listed; k++) {
            const sanctum_entity_link *l = &e->also_listed[k];
            const char *other = l->entity->n_names ? l->entity->names[0].full : "";
            if (l->strength == SANCTUM_LINK_POSSIBLE)
                printf("        possibly the same as %s (%s): an editor's hint, not a published link\n", l->entity->id, other);
            else
                printf("        also listed as %s (%s): %s\n", l->entity->id, other, l->reason ? l->reason : "");
        }
    }
}

/* Wallet and document hits, before the name table. */
static void print_ident(const sanctum_ident_result *r)
{
    int wallet = strcmp(sanctum_ident_result_kind(r), "wallet") == 0;
    const char *msg = sanctum_ident_result_message(r);
    printf("%s %s", wallet ? "wallet" : "document", sanctum_ident_result_normalized(r));
    if (wallet) printf(" (%s, %s)", sanctum_ident_result_chain(r),
                       sanctum_wallet_validity_name(sanctum_ident_result_validity(r)));
    if (msg && *msg) printf(": %s", msg);
    putchar('\n');
    size_t n = sanctum_ident_result_count(r);
    if (n == 0) puts("      no listed entity has it");
    for (size_t i = 0; i < n; i++) {
        const sanctum_ident_hit *h = sanctum_ident_result_hit(r, i);
        const sanctum_entity *e = h->entity;
        printf("      %6.4f  %-20s  %-8s  %s", h->score, e->id, e->source, e->n_names ? e->names[0].full : "");
        if (wallet) printf("  [%s %s]", h->currency ? h->currency : "?", h->listed ? h->listed : "");
        else printf("  [%s %s%s%s]", h->document_type ? h->document_type : "document", h->listed ? h->listed : "",
                    h->country ? ", " : "", h->country ? h->country : "");
        putchar('\n');
        if (h->explanation && *h->explanation) printf("              %s\n", h->explanation);
    }
}

#define MAX_IDENTS 64

int cli_cmd_screen(int argc, char **argv, cli_globals *g)
{
    static const struct option longopts[] = {
        CLI_GLOBAL_LONGOPTS,
        { "json", no_argument, NULL, OPT_JSON },
        CLI_QUERY_LONGOPTS,
        { "exit-code", no_argument, NULL, OPT_EXIT_CODE },
        { "exhaustive", no_argument, NULL, OPT_EXHAUSTIVE },
        { "wallet", required_argument, NULL, OPT_WALLET },
        { "id", required_argument, NULL, OPT_ID },
        { "id-country", required_argument, NULL, OPT_ID_COUNTRY },
        { "id-type", required_argument, NULL, OPT_ID_TYPE },
        { "audit", no_argument, NULL, OPT_AUDIT },
        { "index", required_argument, NULL, OPT_INDEX },
        { NULL, 0, NULL, 0 },
    };
    sanctum_query q = SANCTUM_QUERY_INIT;
    const char *wallets[MAX_IDENTS], *ids[MAX_IDENTS];
    size_t n_wallets = 0, n_ids = 0;
    const char *id_country = NULL, *id_type = NULL, *index_path = NULL;
    opterr = 0;
    int json = 0, exit_code = 0, audit = 0, opt;
    while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        if (cli_global_option(g, opt, optarg)) continue;
        int qo = cli_query_option(&q, opt, optarg, "screen");
        if (qo < 0) return cli_usage_error("screen");
        if (qo > 0) continue;
        switch (opt) {
        case OPT_JSON: json = 1; break;
        case OPT_EXIT_CODE: exit_code = 1; break;
        case OPT_AUDIT: audit = 1; break;
        case OPT_INDEX: index_path = optarg; break;
        case OPT_EXHAUSTIVE: q.exhaustive = 1; break;
        case OPT_ID_COUNTRY: id_country = optarg; break;
        case OPT_ID_TYPE: id_type = optarg; break;
        case OPT_WALLET:
        case OPT_ID:
            if ((opt == OPT_WALLET ? n_wallets : n_ids) == MAX_IDENTS) {
                cli_error("screen: at most %d --wallet and %d --id options", MAX_IDENTS, MAX_IDENTS);
                return cli_usage_error("screen");
            }
            if (opt == OPT_WALLET) wallets[n_wallets++] = optarg;
            else ids[n_ids++] = optarg;
            break;
        case CLI_OPT_HELP: usage(stdout); return CLI_EXIT_OK;
        case CLI_OPT_VERSION: printf("sanctum %s\n", sanctum_version()); return CLI_EXIT_OK;
        default: return cli_option_error("screen", opt, argc, argv);
        }
    }
    if (optind >= argc && n_wallets + n_ids == 0) {
        cli_error("screen: missing the name to screen (or --wallet ADDRESS / --id NUMBER)");
        return cli_usage_error("screen");
    }
    if (argc - optind > 1) {
        cli_error("screen: expected one name, got %d arguments (quote a name that has spaces)", argc - optind);
        return cli_usage_error("screen");
    }
    if (optind < argc) {
        q.name = argv[optind];
        if (!*q.name) {
            cli_error("screen: the name is empty");
            return cli_usage_error("screen");
        }
    }
    q.lists = g->lists;

    if (!index_path) {
        const char *env = getenv("SANCTUM_INDEX");
        if (env && *env) index_path = env;
    }
    int rc = CLI_EXIT_ERROR;
    sanctum_index *idx = NULL;
    sanctum_dataset *owned = NULL;   /* loaded here; NULL when the index file holds the entities */
    const sanctum_dataset *ds = NULL;
    if (index_path) {
        sanctum_error oerr;
        if (sanctum_index_open(&idx, index_path, &oerr) != 0) {
            cli_report(&oerr);
            return CLI_EXIT_ERROR;
        }
        ds = sanctum_index_dataset(idx);
    } else {
        ds = owned = cli_load(g, 0);
        if (!ds) return CLI_EXIT_ERROR;
    }
    sanctum_ident_index *iidx = NULL;
    sanctum_result *res = NULL;
    sanctum_ident_result *idres[2 * MAX_IDENTS];
    size_t n_idres = 0, total = 0;
    sanctum_error err;
    if (q.name) {
        if ((!idx && sanctum_index_build(&idx, ds, &err) != 0) || sanctum_screen(&res, idx, &q, &err) != 0) {
            cli_report(&err);
            goto cleanup;
        }
        total += sanctum_result_count(res);
    }
    if (n_wallets + n_ids) {
        if (sanctum_ident_index_build(&iidx, ds, &err) != 0) {
            cli_report(&err);
            goto cleanup;
        }
        for (size_t i = 0; i < n_wallets + n_ids; i++) {
            int r = i < n_wallets ? sanctum_wallet_screen(&idres[n_idres], iidx, wallets[i], &err)
                                  : sanctum_document_screen(&idres[n_idres], iidx, ids[i - n_wallets], id_type,
                                                            id_country, &err);
            if (r != 0) {
                cli_report(&err);
                goto cleanup;
            }
            total += sanctum_ident_result_count(idres[n_idres]);
            n_idres++;
        }
    }
    if (audit) {
        /* recorded before anything is shown */
        char *atext = sanctum_screen_json(&q, res, (const sanctum_ident_result *const *)idres, n_idres);
        sanctum_store *st = NULL;
        long long aid = 0;
        int no_text = !atext;
        int ar = atext ? sanctum_store_open(&st, NULL, SANCTUM_STORE_CREATE, &err) : SANCTUM_ENOMEM;
        if (ar == 0)
            ar = sanctum_audit_screen(st, NULL, ds, atext, q.min_score < 0 ? SANCTUM_DEFAULT_MIN_SCORE : q.min_score,
                                      &aid, &err);
        sanctum_store_close(st);
        sanctum_string_free(atext);
        if (ar != 0) {
            if (no_text) cli_error("out of memory");
            else cli_report(&err);
            goto cleanup;
        }
        fprintf(stderr, "sanctum: audit: record %lld committed\n", aid);
    }
    if (json) {
        char *text = sanctum_screen_json(&q, res, (const sanctum_ident_result *const *)idres, n_idres);
        if (!text) {
            cli_error("out of memory");
            goto cleanup;
        }
        puts(text);
        sanctum_string_free(text);
    } else {
        for (size_t i = 0; i < n_idres; i++) print_ident(idres[i]);
        if (q.name) print_table(&q, res);
    }
    if (fflush(stdout) != 0) {
        cli_error("cannot write output");
        goto cleanup;
    }
    rc = exit_code && total > 0 ? CLI_EXIT_HITS : CLI_EXIT_OK;
cleanup:
    for (size_t i = 0; i < n_idres; i++) sanctum_ident_result_free(idres[i]);
    sanctum_result_free(res);
    sanctum_index_free(idx);
    sanctum_ident_index_free(iidx);
    sanctum_dataset_free(owned);
    return rc;
}
