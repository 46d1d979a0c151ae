/*
 * cmd_batch.c - `sanctum batch`: screens a stream of records (JSON Lines,
 * CSV or an XLSX workbook) on every core and writes one result per record,
 * in input order, optionally with the hits of one party grouped together.
 *
 * The work is done by sanctum_batch_run(); this file maps options to it,
 * opens the files, draws a progress line on stderr when stderr is a
 * terminal, and prints the end-of-run summary (lines read, screened, with
 * hits, errors) on stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

enum {
    OPT_INPUT = CLI_OPT_FIRST_COMMAND,
    OPT_OUTPUT,
    OPT_FORMAT,
    OPT_INPUT_FORMAT,
    OPT_OUTPUT_FORMAT,
    OPT_THREADS,
    OPT_FAIL_FAST,
    OPT_NAME_COLUMN,
    OPT_ID_COLUMN,
    OPT_TYPE_COLUMN,
    OPT_DOB_COLUMN,
    OPT_COUNTRY_COLUMN,
    OPT_WALLET_COLUMN,
    OPT_EXIT_CODE,
    OPT_QUIET,
    OPT_GROUP_BY,
    OPT_AUDIT
};

/* Acknowledges audit records once they are on disk. */
static void audit_committed(long long first, long long last, void *user)
{
    (void)user;
    fprintf(stderr, "sanctum: audit: records %lld-%lld committed\n", first, last);
}

static void usage(FILE *out)
{
    fputs("Usage: sanctum batch [--input FILE|-] [--output FILE|-] [OPTIONS]\n"
          "\n"
          "Screens every record of the input and writes one result per record, in input\n"
          "order. Defaults: JSON Lines on stdin, JSON Lines on stdout, one thread per core.\n"
          "\n"
          "Input records (JSON Lines; only \"name\" is required, or \"wallets\"/\"ids\"):\n"
          "  {\"id\": \"c1\", \"name\": \"...\", \"type\": \"person\", \"dob\": \"1965\", \"country\": \"KP\",\n"
          "   \"wallets\": [\"0x...\"], \"ids\": [\"109420132\", {\"number\": \"...\", \"country\": \"KP\"}]}\n"
          "CSV input has a header row; the columns are named by the options below.\n"
          "Output (JSON Lines): {\"id\": \"c1\", \"hits\": [...]}, the hit objects of `screen --json`;\n"
          "a bad record gives {\"id\": ..., \"line\": N, \"error\": \"...\"} and the run goes on.\n"
          "CSV and XLSX output have one row per hit. XLSX input is the workbook's first\n"
          "sheet, its header the first row with the name column; XLSX output needs\n"
          "--output FILE.\n"
          "\n"
          "  --input FILE          read records from FILE ('-' or absent: stdin)\n"
          "  --output FILE         write results to FILE ('-' or absent: stdout)\n"
          "  --format F            jsonl, csv or xlsx, for input and output (default: from\n"
          "                        the file extension, else jsonl; xlsx input gives jsonl\n"
          "                        on stdout)\n"
          "  --input-format F      the input's format alone\n"
          "  --output-format F     the output's format alone\n"
          "  --threads N           worker threads (default: one per core)\n"
          "  --fail-fast           stop at the first bad record (exit 2)\n"
          "  --name-column C       CSV column with the name (default: name)\n"
          "  --id-column C         CSV column with the record id (default: id)\n"
          "  --type-column C, --dob-column C, --country-column C, --wallet-column C\n"
          "                        optional CSV columns (defaults: type, dob, country, wallet)\n"
          "  --group-by person     one hit per listed party: hits on listings of the same\n"
          "                        person on several lists become one hit with \"listings\"\n"
          "                        (a \"listings\" column in CSV and XLSX)\n"
          "  --exit-code           exit with status 1 when any record has hits\n"
          "  --quiet               no progress line and no summary on stderr\n"
          "  --audit               record each screening in the audit trail (JSON Lines\n"
          "                        in and out; see 'sanctum audit')\n",
          out);
    fputs(cli_query_help, out);
    fputs("\n", out);
    fputs(cli_global_help, out);
}

static int parse_format(const char *s, sanctum_batch_format *out)
{
    if (strcmp(s, "jsonl") == 0 || strcmp(s, "json") == 0 || strcmp(s, "ndjson") == 0) *out = SANCTUM_BATCH_JSONL;
    else if (strcmp(s, "csv") == 0) *out = SANCTUM_BATCH_CSV;
    else if (strcmp(s, "xlsx") == 0) *out = SANCTUM_BATCH_XLSX;
    else return -1;
    return 0;
}

/* The format a file name suggests; jsonl when it suggests none. */
static sanctum_batch_format format_of(const char *path)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (dot && strcasecmp(dot, ".xlsx") == 0) return SANCTUM_BATCH_XLSX;
    return dot && strcasecmp(dot, ".csv") == 0 ? SANCTUM_BATCH_CSV : SANCTUM_BATCH_JSONL;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct progress {
    double start, last;
    unsigned long long size;  /* input bytes, 0 when unknown */
    int tty;
} progress;

static int show_progress(const sanctum_batch_summary *s, void *user)
{
    progress *p = user;
    double t = now();
    if (!p->tty || t - p->last < 0.2) return 0;
    p->last = t;
    double elapsed = t - p->start;
    double rate = elapsed > 0 ? (double)s->lines / elapsed : 0;
    fprintf(stderr, "\r%llu lines  %.0f lines/s  %.0fs elapsed", s->lines, rate, elapsed);
    if (p->size && s->bytes_read) {
        double frac = (double)s->bytes_read / (double)p->size;
        if (frac > 1) frac = 1;
        double eta = frac > 0 ? elapsed * (1 - frac) / frac : 0;
        int bar = (int)(frac * 20);
        fprintf(stderr, "  [%.*s%*s] %3.0f%%  ETA %.0fs", bar, "====================", 20 - bar, "", frac * 100, eta);
    }
    fputs("\033[K", stderr);
    return 0;
}

int cli_cmd_batch(int argc, char **argv, cli_globals *g)
{
    static const struct option longopts[] = {
        CLI_GLOBAL_LONGOPTS,
        CLI_QUERY_LONGOPTS,
        { "input", required_argument, NULL, OPT_INPUT },
        { "output", required_argument, NULL, OPT_OUTPUT },
        { "format", required_argument, NULL, OPT_FORMAT },
        { "input-format", required_argument, NULL, OPT_INPUT_FORMAT },
        { "output-format", required_argument, NULL, OPT_OUTPUT_FORMAT },
        { "threads", required_argument, NULL, OPT_THREADS },
        { "fail-fast", no_argument, NULL, OPT_FAIL_FAST },
        { "name-column", required_argument, NULL, OPT_NAME_COLUMN },
        { "id-column", required_argument, NULL, OPT_ID_COLUMN },
        { "type-column", required_argument, NULL, OPT_TYPE_COLUMN },
        { "dob-column", required_argument, NULL, OPT_DOB_COLUMN },
        { "country-column", required_argument, NULL, OPT_COUNTRY_COLUMN },
        { "wallet-column", required_argument, NULL, OPT_WALLET_COLUMN },
        { "exit-code", no_argument, NULL, OPT_EXIT_CODE },
        { "quiet", no_argument, NULL, OPT_QUIET },
        { "group-by", required_argument, NULL, OPT_GROUP_BY },
        { "audit", no_argument, NULL, OPT_AUDIT },
        { NULL, 0, NULL, 0 },
    };
    sanctum_query q = SANCTUM_QUERY_INIT;
    sanctum_batch_options bo = SANCTUM_BATCH_OPTIONS_INIT;
    const char *input = NULL, *output = NULL;
    int have_in_fmt = 0, have_out_fmt = 0, exit_code = 0, quiet = 0, audit = 0, opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        if (cli_global_option(g, opt, optarg)) continue;
        int qo = cli_query_option(&q, opt, optarg, "batch");
        if (qo < 0) return cli_usage_error("batch");
        if (qo > 0) continue;
        switch (opt) {
        case OPT_INPUT: input = optarg; break;
        case OPT_OUTPUT: output = optarg; break;
        case OPT_FORMAT:
        case OPT_INPUT_FORMAT:
        case OPT_OUTPUT_FORMAT: {
            sanctum_batch_format f;
            if (parse_format(optarg, &f) != 0) {
                cli_error("batch: format must be jsonl, csv or xlsx, not '%s'", optarg);
                return cli_usage_error("batch");
            }
            if (opt != OPT_OUTPUT_FORMAT) bo.input_format = f, have_in_fmt = 1;
            if (opt != OPT_INPUT_FORMAT) bo.output_format = f, have_out_fmt = 1;
            break;
        }
        case OPT_THREADS: {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 256) {
                cli_error("batch: --threads wants a whole number from 1 to 256, not '%s'", optarg);
                return cli_usage_error("batch");
            }
            bo.threads = (unsigned)n;
            break;
        }
        case OPT_FAIL_FAST: bo.fail_fast = 1; break;
        case OPT_NAME_COLUMN: bo.name_column = optarg; break;
        case OPT_ID_COLUMN: bo.id_column = optarg; break;
        case OPT_TYPE_COLUMN: bo.type_column = optarg; break;
        case OPT_DOB_COLUMN: bo.dob_column = optarg; break;
        case OPT_COUNTRY_COLUMN: bo.country_column = optarg; break;
        case OPT_WALLET_COLUMN: bo.wallet_column = optarg; break;
        case OPT_EXIT_CODE: exit_code = 1; break;
        case OPT_QUIET: quiet = 1; break;
        case OPT_AUDIT: audit = 1; break;
        case OPT_GROUP_BY:
            if (strcmp(optarg, "person") != 0) {
                cli_error("batch: --group-by takes 'person', not '%s'", optarg);
                return cli_usage_error("batch");
            }
            bo.group_by_person = 1;
            break;
        case CLI_OPT_HELP: usage(stdout); return CLI_EXIT_OK;
        case CLI_OPT_VERSION: printf("sanctum %s\n", sanctum_version()); return CLI_EXIT_OK;
        default: return cli_option_error("batch", opt, argc, argv);
        }
    }
    if (optind < argc) {
        if (input || argc - optind > 1) {
            cli_error("batch: unexpected argument '%s'", argv[optind]);
            return cli_usage_error("batch");
        }
        input = argv[optind];  /* `sanctum batch FILE` reads FILE */
    }
    if (input && strcmp(input, "-") == 0) input = NULL;
    if (output && strcmp(output, "-") == 0) output = NULL;
    if (!have_in_fmt) bo.input_format = format_of(input);
    if (!have_out_fmt) {
        bo.output_format = output ? format_of(output) : bo.input_format;
        if (!output && bo.output_format == SANCTUM_BATCH_XLSX) bo.output_format = SANCTUM_BATCH_JSONL;
    }
    if (bo.output_format == SANCTUM_BATCH_XLSX && !output) {
        cli_error("batch: XLSX output cannot be written to standard output (a workbook is not a stream); "
                  "give --output FILE.xlsx");
        return cli_usage_error("batch");
    }
    q.lists = g->lists;

    FILE *in = stdin, *out = stdout;
    progress prog = { now(), 0, 0, !quiet && isatty(STDERR_FILENO) };
    if (input) {
        in = fopen(input, "rb");
        if (!in) {
            cli_error("batch: cannot open %s: %s", input, strerror(errno));
            return CLI_EXIT_ERROR;
        }
        struct stat st;
        if (fstat(fileno(in), &st) == 0 && S_ISREG(st.st_mode)) prog.size = (unsigned long long)st.st_size;
    }
    sanctum_dataset *ds = cli_load(g, quiet);
    if (!ds) {
        if (input) fclose(in);
        return CLI_EXIT_ERROR;
    }
    int rc = CLI_EXIT_ERROR;
    sanctum_index *idx = NULL;
    sanctum_ident_index *iidx = NULL;
    sanctum_error err;
    if (sanctum_index_build(&idx, ds, &err) != 0 || sanctum_ident_index_build(&iidx, ds, &err) != 0) {
        cli_report(&err);
        goto cleanup;
    }
    if (output && bo.output_format == SANCTUM_BATCH_XLSX) {
        bo.output_path = output;  /* the library writes the workbook itself */
    } else if (output) {
        out = fopen(output, "wb");
        if (!out) {
            cli_error("batch: cannot create %s: %s", output, strerror(errno));
            out = stdout;
            goto cleanup;
        }
    }
    bo.defaults = &q;
    bo.ident = iidx;
    bo.input_name = input ? input : "<stdin>";
    bo.progress = show_progress;
    bo.progress_user = &prog;
    prog.start = now();
    sanctum_batch_summary sum;
    int r;
    if (audit) {
        sanctum_store *st = NULL;
        memset(&sum, 0, sizeof sum);
        r = sanctum_store_open(&st, NULL, SANCTUM_STORE_CREATE, &err);
        if (r == 0) r = sanctum_audit_batch(st, NULL, ds, idx, in, out, &bo, &sum, audit_committed, NULL, &err);
        sanctum_store_close(st);
    } else {
        r = sanctum_batch_run(idx, in, out, &bo, &sum, &err);
    }
    if (prog.tty) fputs("\r\033[K", stderr);
    double elapsed = now() - prog.start;
    if (!quiet)
        fprintf(stderr, "sanctum: batch: %llu lines read, %llu screened, %llu with hits (%llu hits), %llu errors in %.1fs"
                        " (%.0f lines/s)\n",
                sum.lines, sum.screened, sum.with_hits, sum.hits, sum.errors, elapsed,
                elapsed > 0 ? (double)sum.lines / elapsed : 0.0);
    if (r != 0) {
        cli_report(&err);
        goto cleanup;
    }
    rc = exit_code && sum.with_hits ? CLI_EXIT_HITS : CLI_EXIT_OK;
cleanup:
    if (out != stdout && fclose(out) != 0 && rc != CLI_EXIT_ERROR) {
        cli_error("batch: cannot write %s", output);
        rc = CLI_EXIT_ERROR;
    }
    if (input) fclose(in);
    sanctum_ident_index_free(iidx);
    sanctum_index_free(idx);
    sanctum_dataset_free(ds);
    return rc;
}
