/*
 * cmd_audit.c - `sanctum audit export`: writes the audit trail of
 * screenings (made with `screen --audit`, `batch --audit` or the HTTP
 * server) as JSON Lines or CSV, from a given time on.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common.h"

enum {
    OPT_SINCE = CLI_OPT_FIRST_COMMAND,
    OPT_FORMAT,
    OPT_OUTPUT
};

static void usage(FILE *out)
{
    fputs("Usage: sanctum audit export [--since T] [--format jsonl|csv] [--output FILE]\n"
          "\n"
          "Writes every audit record at or after T, oldest first. Each record holds the\n"
          "time (UTC), who screened, the query, the list versions used, the hits returned\n"
          "and the threshold. Records are written by `screen --audit`, `batch --audit`\n"
          "and the HTTP server, and can never be changed or deleted.\n"
          "\n"
          "  --since T        a UTC date or date-time (2026-01-31, 2026-01-31T08:00:00Z)\n"
          "                   or an age (7d, 12h, 30m); default: everything\n"
          "  --format F       jsonl (default) or csv\n"
          "  --output FILE    write to FILE instead of standard output\n"
          "\n",
          out);
    fputs(cli_global_help, out);
}

int cli_cmd_audit(int argc, char **argv, cli_globals *g)
{
    static const struct option longopts[] = {
        CLI_GLOBAL_LONGOPTS,
        { "since", required_argument, NULL, OPT_SINCE },
        { "format", required_argument, NULL, OPT_FORMAT },
        { "output", required_argument, NULL, OPT_OUTPUT },
        { NULL, 0, NULL, 0 },
    };
    const char *since = NULL, *output = NULL;
    sanctum_audit_format format = SANCTUM_AUDIT_JSONL;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        if (cli_global_option(g, opt, optarg)) continue;
        switch (opt) {
        case OPT_SINCE: since = optarg; break;
        case OPT_OUTPUT: output = optarg; break;
        case OPT_FORMAT:
            if (strcmp(optarg, "jsonl") == 0 || strcmp(optarg, "json") == 0) format = SANCTUM_AUDIT_JSONL;
            else if (strcmp(optarg, "csv") == 0) format = SANCTUM_AUDIT_CSV;
            else {
                cli_error("audit: --format must be jsonl or csv, not '%s'", optarg);
                return cli_usage_error("audit");
            }
            break;
        case CLI_OPT_HELP: usage(stdout); return CLI_EXIT_OK;
        case CLI_OPT_VERSION: printf("sanctum %s\n", sanctum_version()); return CLI_EXIT_OK;
        default: return cli_option_error("audit", opt, argc, argv);
        }
    }
    if (optind >= argc || strcmp(argv[optind], "export") != 0) {
        cli_error(optind < argc ? "audit: unknown action '%s' (try 'export')" : "audit: missing the action%s (try 'export')",
                  optind < argc ? argv[optind] : "");
        return cli_usage_error("audit");
    }
    if (argc - optind > 1) {
        cli_error("audit: unexpected argument '%s'", argv[optind + 1]);
        return cli_usage_error("audit");
    }
    sanctum_store *st;
    sanctum_error err;
    if (sanctum_store_open(&st, NULL, 0, &err) != 0) {
        cli_report(&err);
        return CLI_EXIT_ERROR;
    }
    FILE *out = stdout;
    if (output && strcmp(output, "-") != 0 && !(out = fopen(output, "w"))) {
        cli_error("audit: cannot create %s: %s", output, strerror(errno));
        sanctum_store_close(st);
        return CLI_EXIT_ERROR;
    }
    unsigned long long n = 0;
    int rc = CLI_EXIT_OK;
    if (sanctum_audit_export(st, out, since, format, &n, &err) != 0) {
        cli_report(&err);
        rc = CLI_EXIT_ERROR;
    }
    if (out != stdout ? fclose(out) != 0 : fflush(stdout) != 0) {
        cli_error("audit: cannot write the export");
        rc = CLI_EXIT_ERROR;
    }
    if (rc == CLI_EXIT_OK && output) fprintf(stderr, "sanctum: audit: %llu record%s written\n", n, n == 1 ? "" : "s");
    sanctum_store_close(st);
    return rc;
}
