/*
 * cmd_applicants.c - `sanctum applicants screen [FILE|-]`: the hiring screen
 * for remote IT workers under false identities.
 *
 * Reads applicant and contractor records as JSON Lines (from FILE, or from
 * standard input when FILE is "-" or missing), screens every name, payment
 * holder, wallet and identity document against the lists, runs the warning
 * sign rules, links records that share contact details, accounts, addresses,
 * photos or IPs, and writes one JSON line per record plus one per cluster,
 * or an HTML report. A summary line goes to stderr; it carries counts only,
 * never a name.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

enum {
    OPT_FORMAT = CLI_OPT_FIRST_COMMAND,
    OPT_OUTPUT,
    OPT_EXIT_CODE,
    OPT_QUIET
};

static void usage(FILE *out)
{
    fputs("Usage: sanctum applicants screen [FILE|-] [OPTIONS]\n"
          "\n"
          "Screens job applicants and contractor accounts (JSON Lines, one record per\n"
          "line; see docs/APPLICANTS.md) for the signs of remote IT workers hired under\n"
          "false identities: sanctions hits on names, payment holders, wallets and\n"
          "documents; names, locations, logins, pay, equipment shipping and interviews\n"
          "that do not add up; remote-access tools; and records linked by shared e-mails,\n"
          "phones, accounts, wallets, shipping addresses, photos or IPs.\n"
          "\n"
          "  --format F        jsonl (default): one line per record in input order, then\n"
          "                    one per cluster; html: a report for a hiring manager\n"
          "  --output FILE     write there instead of standard output\n"
          "  --min-score S     name hits below S are not reported (default 0.85)\n"
          "  --exit-code       exit with status 1 when any record is high risk\n"
          "  --quiet           no summary line on stderr\n"
          "\n",
          out);
    fputs(cli_global_help, out);
}

int cli_cmd_applicants(int argc, char **argv, cli_globals *g)
{
    static const struct option longopts[] = {
        CLI_GLOBAL_LONGOPTS,
        { "format", required_argument, NULL, OPT_FORMAT },
        { "output", required_argument, NULL, OPT_OUTPUT },
        { "min-score", required_argument, NULL, CLI_OPT_MIN_SCORE },
        { "exit-code", no_argument, NULL, OPT_EXIT_CODE },
        { "quiet", no_argument, NULL, OPT_QUIET },
        { NULL, 0, NULL, 0 },
    };
    sanctum_applicants_options o = SANCTUM_APPLICANTS_OPTIONS_INIT;
    const char *output = NULL;
    int html = 0, exit_code = 0, quiet = 0, opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        if (cli_global_option(g, opt, optarg)) continue;
        switch (opt) {
        case OPT_FORMAT:
            if (strcmp(optarg, "html") == 0) html = 1;
            else if (strcmp(optarg, "jsonl") == 0 || strcmp(optarg, "json") == 0) html = 0;
            else {
                cli_error("applicants: --format must be jsonl or html, not '%s'", optarg);
                return cli_usage_error("applicants");
            }
            break;
        case OPT_OUTPUT: output = optarg; break;
        case CLI_OPT_MIN_SCORE: {
            char *end;
            errno = 0;
            double v = strtod(optarg, &end);
            if (errno || end == optarg || *end || !(v >= 0 && v <= 1)) {
                cli_error("applicants: --min-score must be a number from 0 to 1, not '%s'", optarg);
                return cli_usage_error("applicants");
            }
            o.min_score = v;
            break;
        }
        case OPT_EXIT_CODE: exit_code = 1; break;
        case OPT_QUIET: quiet = 1; break;
        case CLI_OPT_HELP: usage(stdout); return CLI_EXIT_OK;
        case CLI_OPT_VERSION: printf("sanctum %s\n", sanctum_version()); return CLI_EXIT_OK;
        default: return cli_option_error("applicants", opt, argc, argv);
        }
    }
    if (optind >= argc) {
        cli_error("applicants: missing the action (screen)");
        return cli_usage_error("applicants");
    }
    if (strcmp(argv[optind], "screen") != 0) {
        cli_error("applicants: unknown action '%s' (expected screen)", argv[optind]);
        return cli_usage_error("applicants");
    }
    if (argc - optind > 2) {
        cli_error("applicants: expected one input file, got %d", argc - optind - 1);
        return cli_usage_error("applicants");
    }
    const char *path = optind + 1 < argc ? argv[optind + 1] : "-";
    FILE *in = stdin;
    if (strcmp(path, "-") != 0) {
        in = fopen(path, "r");
        if (!in) {
            cli_error("%s: %s", path, strerror(errno));
            return CLI_EXIT_ERROR;
        }
    }
    o.input_name = strcmp(path, "-") == 0 ? "<stdin>" : path;

    int rc = CLI_EXIT_ERROR;
    FILE *out = NULL;
    sanctum_index *idx = NULL;
    sanctum_ident_index *iidx = NULL;
    sanctum_applicants_report *rep = NULL;
    sanctum_error err;
    sanctum_dataset *ds = cli_load(g, quiet);
    if (!ds) goto cleanup;
    if (sanctum_index_build(&idx, ds, &err) != 0 || sanctum_ident_index_build(&iidx, ds, &err) != 0) {
        cli_report(&err);
        goto cleanup;
    }
    o.index = idx;
    o.ident = iidx;
    if (sanctum_applicants_screen(&rep, in, &o, &err) != 0) {
        cli_report(&err);
        goto cleanup;
    }
    out = stdout;
    if (output && !(out = fopen(output, "w"))) {
        cli_error("%s: %s", output, strerror(errno));
        goto cleanup;
    }
    if ((html ? sanctum_applicants_write_html(rep, out, &err) : sanctum_applicants_write_jsonl(rep, out, &err)) != 0) {
        cli_report(&err);
        goto cleanup;
    }
    size_t n = sanctum_applicants_count(rep), risk[3] = { 0, 0, 0 };
    for (size_t i = 0; i < n; i++) {
        const sanctum_applicant_result *r = sanctum_applicants_at(rep, i);
        if (!r->error) risk[r->risk]++;
    }
    if (!quiet)
        fprintf(stderr, "sanctum: applicants: %zu records: %zu high, %zu medium, %zu low risk; %zu clusters; "
                        "%zu rejected lines\n",
                n, risk[SANCTUM_APPLICANT_HIGH], risk[SANCTUM_APPLICANT_MEDIUM], risk[SANCTUM_APPLICANT_LOW],
                sanctum_applicants_cluster_count(rep), sanctum_applicants_error_count(rep));
    rc = exit_code && risk[SANCTUM_APPLICANT_HIGH] ? CLI_EXIT_HITS : CLI_EXIT_OK;
cleanup:
    if (out && out != stdout && fclose(out) != 0 && rc != CLI_EXIT_ERROR) {
        cli_error("%s: cannot write the report", output);
        rc = CLI_EXIT_ERROR;
    }
    if (in != stdin) fclose(in);
    sanctum_applicants_report_free(rep);
    sanctum_ident_index_free(iidx);
    sanctum_index_free(idx);
    sanctum_dataset_free(ds);
    sanctum_thread_cleanup();
    return rc;
}
