/*
 * cmd_wallets.c - `sanctum wallets`: every digital currency address on the
 * loaded lists, grouped by currency, for users who feed them to other
 * systems (block lists, chain-analysis tools).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "common.h"

enum { OPT_JSON = CLI_OPT_FIRST_COMMAND, OPT_CURRENCY };

static void usage(FILE *out)
{
    fputs("Usage: sanctum wallets [--currency C] [--json]\n"
          "\n"
          "Lists every listed digital currency address by currency: currency, address as\n"
          "listed, the entity that holds it, and whether the address is well formed for\n"
          "its chain.\n"
          "\n"
          "  --currency C   only this currency code (XBT, ETH, USDT, ...)\n"
          "  --json         one JSON array of {\"currency\", \"address\", \"entity\", ...}\n"
          "\n",
          out);
    fputs(cli_global_help, out);
}

int cli_cmd_wallets(int argc, char **argv, cli_globals *g)
{
    static const struct option longopts[] = {
        CLI_GLOBAL_LONGOPTS,
        { "json", no_argument, NULL, OPT_JSON },
        { "currency", required_argument, NULL, OPT_CURRENCY },
        { NULL, 0, NULL, 0 },
    };
    const char *currency = NULL;
    int json = 0, opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        if (cli_global_option(g, opt, optarg)) continue;
        switch (opt) {
        case OPT_JSON: json = 1; break;
        case OPT_CURRENCY: currency = optarg; break;
        case CLI_OPT_HELP: usage(stdout); return CLI_EXIT_OK;
        case CLI_OPT_VERSION: printf("sanctum %s\n", sanctum_version()); return CLI_EXIT_OK;
        default: return cli_option_error("wallets", opt, argc, argv);
        }
    }
    if (optind < argc) {
        cli_error("wallets: unexpected argument '%s'", argv[optind]);
        return cli_usage_error("wallets");
    }
    sanctum_dataset *ds = cli_load(g, 0);
    if (!ds) return CLI_EXIT_ERROR;
    int rc = CLI_EXIT_ERROR;
    sanctum_ident_index *idx = NULL;
    sanctum_error err;
    if (sanctum_ident_index_build(&idx, ds, &err) != 0) {
        cli_report(&err);
        goto cleanup;
    }
    size_t first = 0, count = 0;
    if (sanctum_ident_wallet_range(idx, currency, &first, &count) != 0 || (currency && count == 0)) {
        cli_error("wallets: no listed addresses for currency '%s'", currency ? currency : "");
        goto cleanup;
    }
    if (json) {
        char *text = sanctum_ident_wallets_json(idx, currency);
        if (!text) {
            cli_error("out of memory");
            goto cleanup;
        }
        puts(text);
        sanctum_string_free(text);
    } else {
        printf("%-6s  %-64s  %-16s  %s\n", "code", "address", "entity", "validity");
        for (size_t i = first; i < first + count; i++) {
            const sanctum_ident_wallet *w = sanctum_ident_wallet_at(idx, i);
            printf("%-6s  %-64s  %-16s  %s\n", w->currency, w->address, w->entity->id,
                   sanctum_wallet_validity_name(w->validity));
        }
        if (!currency) {
            fputs("\n", stdout);
            for (size_t i = 0; i < sanctum_ident_currency_count(idx); i++) {
                size_t n = 0;
                const char *c = sanctum_ident_currency_at(idx, i, &n);
                printf("%s%s %zu", i ? ", " : "", c, n);
            }
            printf("  (%zu addresses)\n", count);
        }
    }
    rc = fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_ERROR;
cleanup:
    sanctum_ident_index_free(idx);
    sanctum_dataset_free(ds);
    return rc;
}
