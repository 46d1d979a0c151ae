/*
 * cmd_index.c - `sanctum index`: compiling the lists and the matching index
 * into one file that the library, the server and the PostgreSQL extension
 * map and use in place.
 *
 *   sanctum index build [--out FILE]   load the lists, build, write FILE
 *   sanctum index info FILE            check FILE and show what it holds
 *
 * The default file is $SANCTUM_HOME/sanctum.idx, else ./sanctum.idx.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"

enum { OPT_OUT = CLI_OPT_FIRST_COMMAND };

static void usage(FILE *out)
{
    fputs("Usage: sanctum index build [--out FILE]\n"
          "       sanctum index info [FILE]\n"
          "\n"
          "build  loads the lists and writes them with the matching index to one file\n"
          "       that is memory-mapped at start-up (no parsing): sanctum_index_open(),\n"
          "       the PostgreSQL extension (sanctum.index_path) and the server read it.\n"
          "info   checks a file (header, checksum, format version) and shows its lists.\n"
          "\n"
          "  --out FILE     where to write (default: $SANCTUM_HOME/sanctum.idx, else ./sanctum.idx)\n"
          "\n",
          out);
    fputs(cli_global_help, out);
}

static const char *default_path(char *buf, size_t cap)
{
    const char *home = getenv("SANCTUM_HOME");
    if (home && *home) {
        snprintf(buf, cap, "%s/sanctum.idx", home);
        return buf;
    }
    return "sanctum.idx";
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int do_build(const char *out, cli_globals *g)
{
    double t0 = now_ms();
    sanctum_dataset *ds = cli_load(g, 0);
    if (!ds) return CLI_EXIT_ERROR;
    sanctum_index *idx = NULL;
    sanctum_error err;
    if (sanctum_index_build(&idx, ds, &err) != 0 || sanctum_index_write(idx, out, &err) != 0) {
        cli_report(&err);
        sanctum_index_free(idx);
        sanctum_dataset_free(ds);
        return CLI_EXIT_ERROR;
    }
    double t1 = now_ms();
    sanctum_index_file_info info;
    int rc = sanctum_index_file_info_read(out, &info, &err);
    if (rc) cli_report(&err);
    else
        fprintf(stderr, "sanctum: wrote %s: %zu entities, %zu names, %.1f MB in %.0f ms\n", out, info.entities,
                info.names, info.size / 1e6, t1 - t0);
    sanctum_index_free(idx);
    sanctum_dataset_free(ds);
    return rc ? CLI_EXIT_ERROR : CLI_EXIT_OK;
}

static int do_info(const char *path)
{
    sanctum_index_file_info info;
    sanctum_error err;
    sanctum_index *idx = NULL;
    /* the header first (cheap), then a full open, which checks the payload */
    if (sanctum_index_file_info_read(path, &info, &err) != 0 || sanctum_index_open(&idx, path, &err) != 0) {
        cli_report(&err);
        return CLI_EXIT_ERROR;
    }
    sanctum_index_free(idx);
    time_t t = (time_t)info.created;
    struct tm tm;
    char when[64] = "?";
    if (gmtime_r(&t, &tm)) strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    printf("%s\n  format:     %u\n  size:       %llu bytes\n  written:    %s\n  entities:   %zu\n  names:      %zu\n",
           path, info.format, info.size, when, info.entities, info.names);
    for (size_t i = 0; i < info.n_lists; i++)
        printf("  list:       %s  published %s  %zu entities  sha256 %s\n", info.lists[i].name,
               info.lists[i].published[0] ? info.lists[i].published : "not stated", info.lists[i].entities,
               info.lists[i].sha256);
    printf("  checksum:   ok\n");
    return CLI_EXIT_OK;
}

int cli_cmd_index(int argc, char **argv, cli_globals *g)
{
    static const struct option longopts[] = {
        CLI_GLOBAL_LONGOPTS,
        { "out", required_argument, NULL, OPT_OUT },
        { NULL, 0, NULL, 0 },
    };
    opterr = 0;
    int opt;
    const char *out = NULL;
    while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        if (cli_global_option(g, opt, optarg)) continue;
        switch (opt) {
        case OPT_OUT: out = optarg; break;
        case CLI_OPT_HELP: usage(stdout); return CLI_EXIT_OK;
        case CLI_OPT_VERSION: printf("sanctum %s\n", sanctum_version()); return CLI_EXIT_OK;
        default: return cli_option_error("index", opt, argc, argv);
        }
    }
    if (optind >= argc) {
        cli_error("index: say what to do: build or info");
        return cli_usage_error("index");
    }
    const char *sub = argv[optind++];
    char buf[4096];
    if (strcmp(sub, "build") == 0) {
        if (optind < argc) {
            cli_error("index build: unexpected argument '%s'", argv[optind]);
            return cli_usage_error("index");
        }
        return do_build(out ? out : default_path(buf, sizeof buf), g);
    }
    if (strcmp(sub, "info") == 0) {
        const char *path = optind < argc ? argv[optind++] : out ? out : default_path(buf, sizeof buf);
        if (optind < argc) {
            cli_error("index info: unexpected argument '%s'", argv[optind]);
            return cli_usage_error("index");
        }
        return do_info(path);
    }
    cli_error("index: unknown action '%s' (build or info)", sub);
    return cli_usage_error("index");
}
