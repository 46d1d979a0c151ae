/*
 * cmd_monitor.c - `sanctum monitor` and `sanctum alerts`: storing a
 * population to watch, rescreening it against the active list version, and
 * reviewing and resolving the alerts that raises.
 *
 * `monitor run` always screens against the active stored version (never
 * --data), because alerts are keyed to that version's entity hashes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"

enum {
    OPT_THREADS = CLI_OPT_FIRST_COMMAND,
    OPT_JSON,
    OPT_ALL,
    OPT_TRUE_MATCH,
    OPT_FALSE_POSITIVE,
    OPT_NOTE,
    OPT_QUIET
};

static void monitor_usage(FILE *out)
{
    fputs("Usage: sanctum monitor add FILE\n"
          "       sanctum monitor run [--threads N] [--min-score X] [--json]\n"
          "       sanctum monitor status\n"
          "\n"
          "add stores the records of FILE (JSON Lines, as batch input: \"id\" and \"name\"\n"
          "required; \"type\", \"dob\", \"country\", \"wallets\", \"ids\" optional; '-' reads\n"
          "standard input). A record whose id is stored already replaces it. A bad line\n"
          "stores nothing and is named with its line number.\n"
          "\n"
          "run screens every stored record against the active list version and raises an\n"
          "alert for each match not seen before: after a list update, only new matches\n"
          "and matches on entities whose listing changed raise alerts, and a match\n"
          "resolved as a false positive stays quiet until the entity's listing changes.\n"
          "\n"
          "  --threads N     worker threads (default: one per core)\n"
          "  --json          print the run's summary as JSON\n"
          "\n",
          out);
    fputs(cli_query_help, out);
    fputs("\n", out);
    fputs(cli_global_help, out);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int monitor_add(sanctum_store *st, const char *file)
{
    FILE *in = strcmp(file, "-") == 0 ? stdin : fopen(file, "rb");
    if (!in) {
        cli_error("monitor: cannot open %s: %s", file, strerror(errno));
        return CLI_EXIT_ERROR;
    }
    sanctum_error err;
    unsigned long long added = 0, replaced = 0;
    int rc = sanctum_monitor_add(st, in, in == stdin ? "<stdin>" : file, &added, &replaced, &err);
    if (in != stdin) fclose(in);
    if (rc != 0) {
        cli_report(&err);
        cli_error("monitor: nothing stored");
        return CLI_EXIT_ERROR;
    }
    unsigned long long total = 0;
    sanctum_monitor_count(st, &total, &err);
    printf("%llu added, %llu replaced; %llu records monitored\n", added, replaced, total);
    return CLI_EXIT_OK;
}

static int monitor_run(sanctum_store *st, cli_globals *g, const sanctum_query *q, unsigned threads, int json)
{
    sanctum_error err;
    long long ver;
    if (sanctum_store_active(st, &ver, &err) != 0) {
        cli_report(&err);
        return CLI_EXIT_ERROR;
    }
    sanctum_load_options lo = SANCTUM_LOAD_OPTIONS_INIT;
    lo.strict = g->strict;
    sanctum_dataset *ds = NULL;
    sanctum_index *idx = NULL;
    sanctum_ident_index *iidx = NULL;
    int rc = CLI_EXIT_ERROR;
    if (sanctum_store_load(&ds, st, ver, &lo, &err) != 0 || sanctum_index_build(&idx, ds, &err) != 0 ||
        sanctum_ident_index_build(&iidx, ds, &err) != 0) {
        cli_report(&err);
        goto cleanup;
    }
    sanctum_batch_options bo = SANCTUM_BATCH_OPTIONS_INIT;
    bo.threads = threads;
    bo.defaults = q;
    bo.ident = iidx;
    sanctum_monitor_summary sum;
    double t0 = now_s();
    if (sanctum_monitor_run(st, ver, idx, &bo, &sum, &err) != 0) {
        cli_report(&err);
        cli_error("monitor: the run stopped; alerts raised so far are kept, run it again to finish");
        goto cleanup;
    }
    double dt = now_s() - t0;
    if (json)
        printf("{\"run\":%lld,\"version\":%lld,\"subjects\":%llu,\"errors\":%llu,\"hits\":%llu,\"new_alerts\":%llu,"
               "\"known\":%llu,\"suppressed\":%llu,\"seconds\":%.3f}\n",
               sum.run, sum.version, sum.subjects, sum.errors, sum.hits, sum.new_alerts, sum.known, sum.suppressed, dt);
    else
        printf("run %lld against version %lld: %llu records screened in %.1fs, %llu hits: %llu new alerts, %llu already"
               " alerted, %llu suppressed as false positives%s\n",
               sum.run, sum.version, sum.subjects, dt, sum.hits, sum.new_alerts, sum.known, sum.suppressed,
               sum.errors ? " (some records could not be screened)" : "");
    if (sum.errors) fprintf(stderr, "sanctum: monitor: %llu records could not be screened\n", sum.errors);
    rc = CLI_EXIT_OK;
cleanup:
    sanctum_ident_index_free(iidx);
    sanctum_index_free(idx);
    sanctum_dataset_free(ds);
    return rc;
}

int cli_cmd_monitor(int argc, char **argv, cli_globals *g)
{
    static const struct option longopts[] = {
        CLI_GLOBAL_LONGOPTS,
        CLI_QUERY_LONGOPTS,
        { "threads", required_argument, NULL, OPT_THREADS },
        { "json", no_argument, NULL, OPT_JSON },
        { NULL, 0, NULL, 0 },
    };
    sanctum_query q = SANCTUM_QUERY_INIT;
    unsigned threads = 0;
    int json = 0, opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        if (cli_global_option(g, opt, optarg)) continue;
        int qo = cli_query_option(&q, opt, optarg, "monitor");
        if (qo < 0) return cli_usage_error("monitor");
        if (qo > 0) continue;
        switch (opt) {
        case OPT_JSON: json = 1; break;
        case OPT_THREADS: {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 256) {
                cli_error("monitor: --threads wants a whole number from 1 to 256, not '%s'", optarg);
                return cli_usage_error("monitor");
            }
            threads = (unsigned)n;
            break;
        }
        case CLI_OPT_HELP: monitor_usage(stdout); return CLI_EXIT_OK;
        case CLI_OPT_VERSION: printf("sanctum %s\n", sanctum_version()); return CLI_EXIT_OK;
        default: return cli_option_error("monitor", opt, argc, argv);
        }
    }
    const char *action = optind < argc ? argv[optind] : NULL;
    int nargs = argc - optind - 1;
    if (!action || (strcmp(action, "add") != 0 && strcmp(action, "run") != 0 && strcmp(action, "status") != 0)) {
        if (action) cli_error("monitor: unknown action '%s' (add, run or status)", action);
        else cli_error("monitor: missing the action (add, run or status)");
        return cli_usage_error("monitor");
    }
    if (strcmp(action, "add") == 0 ? nargs != 1 : nargs != 0) {
        cli_error(strcmp(action, "add") == 0 ? "monitor: add takes one FILE" : "monitor: %s takes no argument", action);
        return cli_usage_error("monitor");
    }
    if (g->data_dir) {
        cli_error("monitor: --data is not used; monitoring screens against the active stored version");
        return cli_usage_error("monitor");
    }
    sanctum_store *st;
    sanctum_error err;
    if (sanctum_store_open(&st, NULL, strcmp(action, "add") == 0 ? SANCTUM_STORE_CREATE : 0, &err) != 0) {
        cli_report(&err);
        return CLI_EXIT_ERROR;
    }
    int rc;
    if (strcmp(action, "add") == 0) {
        rc = monitor_add(st, argv[optind + 1]);
    } else if (strcmp(action, "run") == 0) {
        q.lists = g->lists;
        rc = monitor_run(st, g, &q, threads, json);
    } else {
        unsigned long long n = 0;
        long long ver = 0;
        rc = sanctum_monitor_count(st, &n, &err) == 0 ? CLI_EXIT_OK : CLI_EXIT_ERROR;
        if (rc != CLI_EXIT_OK) cli_report(&err);
        else if (sanctum_store_active(st, &ver, &err) != 0) printf("%llu records monitored; no list version stored\n", n);
        else printf("%llu records monitored; active list version %lld\n", n, ver);
    }
    if (rc == CLI_EXIT_OK && fflush(stdout) != 0) rc = CLI_EXIT_ERROR;
    sanctum_store_close(st);
    return rc;
}

/* ---- alerts --------------------------------------------------------------------- */

static void alerts_usage(FILE *out)
{
    fputs("Usage: sanctum alerts [--all] [--json]\n"
          "       sanctum alerts resolve ID --true-match|--false-positive [--note TEXT]\n"
          "\n"
          "Lists the open monitoring alerts (--all: every alert, resolved ones too), or\n"
          "resolves one. A false positive keeps that record and that entity quiet until\n"
          "the entity's listing changes.\n"
          "\n",
          out);
    fputs(cli_global_help, out);
}

int cli_cmd_alerts(int argc, char **argv, cli_globals *g)
{
    static const struct option longopts[] = {
        CLI_GLOBAL_LONGOPTS,
        { "json", no_argument, NULL, OPT_JSON },
        { "all", no_argument, NULL, OPT_ALL },
        { "true-match", no_argument, NULL, OPT_TRUE_MATCH },
        { "false-positive", no_argument, NULL, OPT_FALSE_POSITIVE },
        { "note", required_argument, NULL, OPT_NOTE },
        { NULL, 0, NULL, 0 },
    };
    int json = 0, all = 0, opt;
    int verdict = -1;
    const char *note = NULL;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        if (cli_global_option(g, opt, optarg)) continue;
        switch (opt) {
        case OPT_JSON: json = 1; break;
        case OPT_ALL: all = 1; break;
        case OPT_NOTE: note = optarg; break;
        case OPT_TRUE_MATCH:
        case OPT_FALSE_POSITIVE: {
            int v = opt == OPT_TRUE_MATCH ? SANCTUM_ALERT_TRUE_MATCH : SANCTUM_ALERT_FALSE_POSITIVE;
            if (verdict >= 0 && verdict != v) {
                cli_error("alerts: give either --true-match or --false-positive");
                return cli_usage_error("alerts");
            }
            verdict = v;
            break;
        }
        case CLI_OPT_HELP: alerts_usage(stdout); return CLI_EXIT_OK;
        case CLI_OPT_VERSION: printf("sanctum %s\n", sanctum_version()); return CLI_EXIT_OK;
        default: return cli_option_error("alerts", opt, argc, argv);
        }
    }
    int resolve = optind < argc && strcmp(argv[optind], "resolve") == 0;
    long long id = 0;
    if (resolve) {
        char *end = NULL;
        if (argc - optind != 2 || (id = strtoll(argv[optind + 1], &end, 10)) < 1 || *end) {
            cli_error("alerts: resolve takes one alert number");
            return cli_usage_error("alerts");
        }
        if (verdict < 0) {
            cli_error("alerts: resolve needs --true-match or --false-positive");
            return cli_usage_error("alerts");
        }
    } else if (optind < argc) {
        cli_error("alerts: unknown action '%s' (resolve)", argv[optind]);
        return cli_usage_error("alerts");
    } else if (verdict >= 0 || note) {
        cli_error("alerts: --true-match, --false-positive and --note go with 'resolve ID'");
        return cli_usage_error("alerts");
    }
    sanctum_store *st;
    sanctum_error err;
    if (sanctum_store_open(&st, NULL, 0, &err) != 0) {
        cli_report(&err);
        return CLI_EXIT_ERROR;
    }
    int rc = CLI_EXIT_ERROR;
    if (resolve) {
        if (sanctum_alert_resolve(st, id, (sanctum_alert_status)verdict, note, NULL, &err) != 0) {
            cli_report(&err);
        } else {
            printf("alert %lld resolved as %s\n", id, sanctum_alert_status_name((sanctum_alert_status)verdict));
            rc = CLI_EXIT_OK;
        }
    } else {
        sanctum_alert *a = NULL;
        size_t n = 0;
        if (sanctum_alerts_list(&a, &n, st, !all, &err) != 0) {
            cli_report(&err);
        } else if (json) {
            char *text = sanctum_alerts_json(a, n);
            if (text) {
                puts(text);
                rc = CLI_EXIT_OK;
            } else {
                cli_error("out of memory");
            }
            sanctum_string_free(text);
        } else {
            if (n == 0) puts(all ? "no alerts" : "no open alerts");
            for (size_t i = 0; i < n; i++) {
                printf("%-5lld %-15s %.4f  %-18s %s  <->  %-20s %s\n", a[i].id,
                       sanctum_alert_status_name(a[i].status), a[i].score, a[i].subject,
                       a[i].subject_name ? a[i].subject_name : "", a[i].entity, a[i].entity_name ? a[i].entity_name : "");
                if (a[i].status != SANCTUM_ALERT_OPEN)
                    printf("      resolved %s by %s%s%s\n", a[i].resolved ? a[i].resolved : "?",
                           a[i].resolved_by ? a[i].resolved_by : "?", a[i].note ? ": " : "", a[i].note ? a[i].note : "");
            }
            rc = CLI_EXIT_OK;
        }
        sanctum_alerts_free(a, n);
    }
    if (rc == CLI_EXIT_OK && fflush(stdout) != 0) rc = CLI_EXIT_ERROR;
    sanctum_store_close(st);
    return rc;
}
