/*
 * cmd_lists.c - `sanctum lists`: what was loaded from each source.
 *
 * Readable form: per source its files with record counts, the publication
 * date the files state (or "not stated"), the SHA-256 over the files, the
 * entity counts by type, names and aliases, and the warnings (their number
 * and the first few). --json prints one object per source per line.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "common.h"

#define SHOWN_WARNINGS 5

enum { OPT_JSON = CLI_OPT_FIRST_COMMAND };

static void usage(FILE *out)
{
    fputs("Usage: sanctum lists [--json]\n"
          "\n"
          "Shows each loaded list: its files and records per file, the publication date\n"
          "the files state, the SHA-256 of the files, counts of entities by type, names\n"
          "and aliases, and the warnings raised while reading them.\n"
          "\n"
          "  --json         one JSON object per list per line (JSON Lines), all warnings\n"
          "\n",
          out);
    fputs(cli_global_help, out);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static void print_source(const sanctum_source_info *s)
{
    printf("%s  %s\n", s->name, s->title ? s->title : "");
    printf("  published:  %s\n", s->published && *s->published ? s->published : "not stated");
    printf("  sha256:     %s\n", s->sha256 ? s->sha256 : "-");
    for (size_t i = 0; i < s->n_files; i++)
        printf("  %-11s %s (%zu records)\n", i == 0 ? "files:" : "", s->files[i],
               i < sizeof s->records / sizeof s->records[0] ? s->records[i] : (size_t)0);
    printf("  entities:   %zu (%zu persons, %zu organizations, %zu vessels, %zu aircraft, %zu unknown)\n",
           s->entities, s->by_type[1], s->by_type[2], s->by_type[3], s->by_type[4], s->by_type[0]);
    printf("  names:      %zu primary, %zu aliases\n", s->names, s->aliases);
    printf("  warnings:   %zu\n", s->n_warnings);
    size_t shown = s->n_warnings < SHOWN_WARNINGS ? s->n_warnings : SHOWN_WARNINGS;
    for (size_t i = 0; i < shown; i++) {
        const sanctum_warning *w = &s->warnings[i];
        if (w->line)
            printf("    %s:%lu: %s\n", w->file ? base_name(w->file) : "?", w->line, w->message ? w->message : "");
        else
            printf("    %s: %s\n", w->file ? base_name(w->file) : "?", w->message ? w->message : "");
    }
    if (s->n_warnings > shown) printf("    ... and %zu more (all of them with --json)\n", s->n_warnings - shown);
}

int cli_cmd_lists(int argc, char **argv, cli_globals *g)
{
    static const struct option longopts[] = {
        CLI_GLOBAL_LONGOPTS,
        { "json", no_argument, NULL, OPT_JSON },
        { NULL, 0, NULL, 0 },
    };
    opterr = 0;
    int json = 0, opt;
    while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        if (cli_global_option(g, opt, optarg)) continue;
        switch (opt) {
        case OPT_JSON: json = 1; break;
        case CLI_OPT_HELP: usage(stdout); return CLI_EXIT_OK;
        case CLI_OPT_VERSION: printf("sanctum %s\n", sanctum_version()); return CLI_EXIT_OK;
        default: return cli_option_error("lists", opt, argc, argv);
        }
    }
    if (optind < argc) {
        cli_error("lists: unexpected argument '%s'", argv[optind]);
        return cli_usage_error("lists");
    }
    sanctum_dataset *ds = cli_load(g, 1);
    if (!ds) return CLI_EXIT_ERROR;
    int rc = CLI_EXIT_OK;
    size_t n = sanctum_dataset_source_count(ds);
    for (size_t i = 0; i < n; i++) {
        const sanctum_source_info *s = sanctum_dataset_source(ds, i);
        if (json) {
            char *text = sanctum_source_json(s);
            if (!text) {
                cli_error("out of memory");
                rc = CLI_EXIT_ERROR;
                break;
            }
            puts(text);
            sanctum_string_free(text);
        } else {
            if (i) putchar('\n');
            print_source(s);
        }
    }
    sanctum_dataset_free(ds);
    if (fflush(stdout) != 0) {
        cli_error("cannot write output");
        rc = CLI_EXIT_ERROR;
    }
    return rc;
}
