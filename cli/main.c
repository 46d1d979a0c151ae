/*
 * main.c - the `sanctum` command: reads the global options that come before
 * the command name, then hands the rest of the arguments to the command.
 *
 * Commands live one per file (cmd_<name>.c) and are listed in the table
 * below; each accepts the global options as well, so `sanctum lists --json
 * --data DIR` and `sanctum --data DIR lists --json` mean the same.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "common.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv, cli_globals *g);
    const char *summary;
} command;

static const command commands[] = {
    { "lists", cli_cmd_lists, "show the loaded lists: files, dates, hashes, counts, warnings" },
    { "show", cli_cmd_show, "show every field of one listed entity" },
    { "screen", cli_cmd_screen, "screen a name, wallet or document number, with explained, ranked hits" },
    { "batch", cli_cmd_batch, "screen a stream of records (JSON Lines or CSV) on every core" },
    { "wallets", cli_cmd_wallets, "list every listed digital currency address by currency" },
    { "serve", cli_cmd_serve, "serve the HTTP API and the web page for analysts" },
    { "update", cli_cmd_update, "fetch or read new list files and store them as a new version" },
    { "versions", cli_cmd_versions, "list the stored list versions" },
    { "diff", cli_cmd_diff, "show what changed between two list versions" },
    { "audit", cli_cmd_audit, "export the audit trail of screenings" },
    { "monitor", cli_cmd_monitor, "store a population and rescreen it on every list change" },
    { "alerts", cli_cmd_alerts, "review and resolve monitoring alerts" },
    { "applicants", cli_cmd_applicants, "screen job applicants and contractors for IT-worker fraud signs" },
    { "index", cli_cmd_index, "build the compiled, memory-mapped index file" },
};

static void usage(FILE *out)
{
    fputs("Usage: sanctum [GLOBAL OPTIONS] COMMAND [OPTIONS] [ARGS]\n"
          "\n"
          "Screens names against official sanctions lists (OFAC SDN, UN Security Council, South\n"
          "Korea, US Consolidated Screening List, UK).\n"
          "\n"
          "Commands:\n",
          out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-11s %s\n", commands[i].name, commands[i].summary);
    fputs("\nExamples:\n"
          "  sanctum lists\n"
          "  sanctum show ofac-sdn:43377\n"
          "  sanctum screen \"Kim Sang-man\" --dob 1965 --json\n"
          "\n",
          out);
    fputs(cli_global_help, out);
    fputs("\nSee sanctum(1) for details.\n", out);
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = { CLI_GLOBAL_LONGOPTS, { NULL, 0, NULL, 0 } };
    cli_globals g = { NULL, NULL, 0 };
    int opt;
    opterr = 0; /* bad options are reported by cli_option_error() */
    /* "+": stop at the command name; its own options are parsed by the command.
     * ":": report a missing argument as ':'. */
    while ((opt = getopt_long(argc, argv, "+:", longopts, NULL)) != -1) {
        if (cli_global_option(&g, opt, optarg)) continue;
        switch (opt) {
        case CLI_OPT_HELP:
            usage(stdout);
            return CLI_EXIT_OK;
        case CLI_OPT_VERSION:
            printf("sanctum %s\n", sanctum_version());
            return CLI_EXIT_OK;
        default:
            return cli_option_error(NULL, opt, argc, argv);
        }
    }
    if (optind >= argc) {
        cli_error("no command given");
        usage(stderr);
        return CLI_EXIT_ERROR;
    }
    const char *name = argv[optind];
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(name, commands[i].name) == 0) {
            int sub_argc = argc - optind;
            char **sub_argv = argv + optind;
            optind = 0; /* full reset of getopt's state for the command's own pass */
            return commands[i].run(sub_argc, sub_argv, &g);
        }
    }
    cli_error("unknown command '%s'", name);
    return cli_usage_error(NULL);
}
