/*
 * common.h - what every `sanctum` command shares: the global options, the
 * exit codes, error reporting on stderr and loading the lists.
 *
 * A command is a function taking the arguments that follow its name (argv[0]
 * is the command name) and the global options parsed so far; it parses its
 * own options with getopt_long, accepting the global ones too (so they may
 * come before or after the command), and returns an exit code.
 */
#ifndef SANCTUM_CLI_COMMON_H
#define SANCTUM_CLI_COMMON_H

#include <getopt.h>
#include <stdio.h>

#include "sanctum.h"

enum {
    CLI_EXIT_OK = 0,    /* success (and no hits, with --exit-code) */
    CLI_EXIT_HITS = 1,  /* screen --exit-code found hits */
    CLI_EXIT_ERROR = 2  /* usage or data error */
};

typedef struct cli_globals {
    const char *data_dir;  /* --data; NULL: resolved by cli_data_dir() */
    const char *lists;     /* --list: comma-separated sources to load */
    int strict;            /* --strict */
} cli_globals;

/* Long-option values for the global options, above any short option. */
enum {
    CLI_OPT_DATA = 0x100,
    CLI_OPT_STRICT,
    CLI_OPT_LIST,
    CLI_OPT_HELP,
    CLI_OPT_VERSION,
    CLI_OPT_TYPE,        /* the query options shared by screen and batch */
    CLI_OPT_DOB,
    CLI_OPT_COUNTRY,
    CLI_OPT_PROGRAM,
    CLI_OPT_MIN_SCORE,
    CLI_OPT_LIMIT,
    CLI_OPT_FIRST_COMMAND  /* commands number their own options from here */
};

#define CLI_GLOBAL_LONGOPTS                                        \
    { "data", required_argument, NULL, CLI_OPT_DATA },             \
    { "strict", no_argument, NULL, CLI_OPT_STRICT },               \
    { "list", required_argument, NULL, CLI_OPT_LIST },             \
    { "help", no_argument, NULL, CLI_OPT_HELP },                   \
    { "version", no_argument, NULL, CLI_OPT_VERSION }

/* The options that shape a query, shared by screen and batch. */
#define CLI_QUERY_LONGOPTS                                         \
    { "type", required_argument, NULL, CLI_OPT_TYPE },             \
    { "dob", required_argument, NULL, CLI_OPT_DOB },               \
    { "country", required_argument, NULL, CLI_OPT_COUNTRY },       \
    { "program", required_argument, NULL, CLI_OPT_PROGRAM },       \
    { "min-score", required_argument, NULL, CLI_OPT_MIN_SCORE },   \
    { "limit", required_argument, NULL, CLI_OPT_LIMIT }

/* Help text for the query options. */
extern const char cli_query_help[];

/* Applies a query option returned by getopt_long to q. Returns 1 when it was
 * one and its value is good, 0 when opt is not a query option, and -1 when
 * the value is bad (the message is printed, naming the command). */
int cli_query_option(sanctum_query *q, int opt, const char *arg, const char *command);

/* Text describing the global options, for --help screens. */
extern const char cli_global_help[];

/* Handles a global option returned by getopt_long. Returns 1 if it was one
 * (and was applied), 0 if not. --help and --version are left to the caller. */
int cli_global_option(cli_globals *g, int opt, const char *arg);

/* Prints "sanctum: " and the formatted message to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "sanctum: " and a library error as "path:line: message". */
void cli_report(const sanctum_error *err);
/* Points at --help after a usage error; returns CLI_EXIT_ERROR. */
int cli_usage_error(const char *command);
/* Reports what getopt_long (run with opterr = 0 and an optstring starting
 * with ':') returned for a bad option: opt is ':' for a missing argument,
 * anything else for an unknown option. Returns CLI_EXIT_ERROR. */
int cli_option_error(const char *command, int opt, int argc, char **argv);

/* The data directory to use: --data, else $SANCTUM_DATA, else the data
 * installed next to the binary (<bindir>/../share/sanctum/data), else the
 * library's default. */
const char *cli_data_dir(const cli_globals *g);

/* Loads the lists chosen by the globals. On failure reports on stderr and
 * returns NULL. Notes the number of load warnings on stderr unless quiet. */
sanctum_dataset *cli_load(const cli_globals *g, int quiet_warnings);

/* The commands. */
int cli_cmd_lists(int argc, char **argv, cli_globals *g);
int cli_cmd_show(int argc, char **argv, cli_globals *g);
int cli_cmd_screen(int argc, char **argv, cli_globals *g);
int cli_cmd_batch(int argc, char **argv, cli_globals *g);
int cli_cmd_wallets(int argc, char **argv, cli_globals *g);
int cli_cmd_serve(int argc, char **argv, cli_globals *g);
int cli_cmd_update(int argc, char **argv, cli_globals *g);
int cli_cmd_versions(int argc, char **argv, cli_globals *g);
int cli_cmd_diff(int argc, char **argv, cli_globals *g);
int cli_cmd_audit(int argc, char **argv, cli_globals *g);
int cli_cmd_monitor(int argc, char **argv, cli_globals *g);
int cli_cmd_alerts(int argc, char **argv, cli_globals *g);
int cli_cmd_applicants(int argc, char **argv, cli_globals *g);
int cli_cmd_index(int argc, char **argv, cli_globals *g);

#endif
