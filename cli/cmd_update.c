/*
 * cmd_update.c - `sanctum update`, `sanctum versions` and `sanctum diff`:
 * storing new list files as a version in the database, listing the stored
 * versions (and choosing the active one), and showing what changed between
 * two versions.
 *
 * `update --from DIR` reads a folder in the data layout; `update --from URL
 * ...` (or no --from: the official addresses) downloads into a temporary
 * folder first. Either way the files are validated by loading them and
 * refused when they do not parse or would drop too many entries.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

enum {
    OPT_FROM = CLI_OPT_FIRST_COMMAND,
    OPT_FORCE,
    OPT_MAX_DROP,
    OPT_TIMEOUT,
    OPT_MAX_SIZE,
    OPT_JSON,
    OPT_ACTIVATE
};

#define MAX_FROM 32

static int open_store(sanctum_store **st, int create)
{
    sanctum_error err;
    if (sanctum_store_open(st, NULL, create ? SANCTUM_STORE_CREATE : 0, &err) != 0) {
        cli_report(&err);
        return -1;
    }
    return 0;
}

static int is_url(const char *s)
{
    const char *eq = strchr(s, '=');
    const char *p = eq && strncmp(eq + 1, "http", 4) == 0 ? eq + 1 : s;
    return strncmp(p, "http://", 7) == 0 || strncmp(p, "https://", 8) == 0;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    remove(path);
    return 0;
}

static void update_usage(FILE *out)
{
    fputs("Usage: sanctum update [--from DIR | --from URL ...] [OPTIONS]\n"
          "\n"
          "Reads new list files, validates them by loading them, and stores them as a new\n"
          "list version in the database, which becomes the active one. Without --from, the\n"
          "official files are downloaded. A source missing from the new files is carried\n"
          "over from the active version. Nothing is stored when the files equal the active\n"
          "version's.\n"
          "\n"
          "  --from DIR         a folder laid out like the data folder (ofac-sdn/*.csv,\n"
          "                    un-sc/consolidated.xml)\n"
          "  --from URL         download this file (repeatable); sdn.csv, alt.csv, add.csv,\n"
          "                    sdn_comments.csv and consolidated.xml are placed by name;\n"
          "                    FOLDER/FILE=URL places any other address\n"
          "  --force            accept a source that lost more than --max-drop of its entries\n"
          "  --max-drop PCT     share of a source's entries that may disappear (default 10)\n"
          "  --timeout SEC      limit for each download (default 600)\n"
          "  --max-size BYTES   largest file accepted (default 536870912)\n"
          "  --json             print the result as JSON\n"
          "\n"
          "The database is $SANCTUM_DB, else $SANCTUM_HOME/sanctum.db, else\n"
          "~/.local/share/sanctum/sanctum.db.\n"
          "\n",
          out);
    fputs(cli_global_help, out);
}

int cli_cmd_update(int argc, char **argv, cli_globals *g)
{
    static const struct option longopts[] = {
        CLI_GLOBAL_LONGOPTS,
        { "from", required_argument, NULL, OPT_FROM },
        { "force", no_argument, NULL, OPT_FORCE },
        { "max-drop", required_argument, NULL, OPT_MAX_DROP },
        { "timeout", required_argument, NULL, OPT_TIMEOUT },
        { "max-size", required_argument, NULL, OPT_MAX_SIZE },
        { "json", no_argument, NULL, OPT_JSON },
        { NULL, 0, NULL, 0 },
    };
    const char *from[MAX_FROM];
    size_t n_from = 0;
    sanctum_update_options uo = SANCTUM_UPDATE_OPTIONS_INIT;
    sanctum_fetch_options fo = SANCTUM_FETCH_OPTIONS_INIT;
    int json = 0, opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        if (cli_global_option(g, opt, optarg)) continue;
        char *end;
        switch (opt) {
        case OPT_FROM:
            if (n_from == MAX_FROM) {
                cli_error("update: at most %d --from options", MAX_FROM);
                return cli_usage_error("update");
            }
            from[n_from++] = optarg;
            break;
        case OPT_FORCE: uo.force = 1; break;
        case OPT_JSON: json = 1; break;
        case OPT_MAX_DROP: {
            double v = strtod(optarg, &end);
            if (*end || end == optarg || v <= 0 || v > 100) {
                cli_error("update: --max-drop wants a percentage above 0 and at most 100, not '%s'", optarg);
                return cli_usage_error("update");
            }
            uo.max_drop = v / 100.0;
            break;
        }
        case OPT_TIMEOUT: {
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 86400) {
                cli_error("update: --timeout wants seconds from 1 to 86400, not '%s'", optarg);
                return cli_usage_error("update");
            }
            fo.timeout = v;
            fo.connect_timeout = v < 30 ? v : 30;
            break;
        }
        case OPT_MAX_SIZE: {
            unsigned long long v = strtoull(optarg, &end, 10);
            if (*end || v == 0 || optarg[0] == '-') {
                cli_error("update: --max-size wants a number of bytes, not '%s'", optarg);
                return cli_usage_error("update");
            }
            fo.max_size = v;
            break;
        }
        case CLI_OPT_HELP: update_usage(stdout); return CLI_EXIT_OK;
        case CLI_OPT_VERSION: printf("sanctum %s\n", sanctum_version()); return CLI_EXIT_OK;
        default: return cli_option_error("update", opt, argc, argv);
        }
    }
    if (optind < argc) {
        cli_error("update: unexpected argument '%s' (addresses and folders go after --from)", argv[optind]);
        return cli_usage_error("update");
    }
    size_t urls = 0;
    for (size_t i = 0; i < n_from; i++) urls += is_url(from[i]);
    if (urls && urls != n_from) {
        cli_error("update: give either one folder or addresses to --from, not both");
        return cli_usage_error("update");
    }
    if (!urls && n_from > 1) {
        cli_error("update: give one folder to --from");
        return cli_usage_error("update");
    }
    if (g->data_dir) {
        cli_error("update: --data is not used here; give the new files with --from");
        return cli_usage_error("update");
    }
    uo.strict = g->strict;

    sanctum_store *st;
    if (open_store(&st, 1) != 0) return CLI_EXIT_ERROR;
    sanctum_error err;
    char tmpdir[] = "/tmp/sanctum-update-XXXXXX";
    int have_tmp = 0, rc = CLI_EXIT_ERROR;
    const char *dir = n_from ? from[0] : NULL;
    char origin[1024] = "";
    if (!dir) {
        const char *const *def = sanctum_fetch_default_urls();
        n_from = 0;
        for (; def[n_from] && n_from < MAX_FROM; n_from++) from[n_from] = def[n_from];
        urls = n_from;
    }
    if (urls) {
        if (!mkdtemp(tmpdir)) {
            cli_error("update: cannot create a temporary folder: %s", strerror(errno));
            goto cleanup;
        }
        have_tmp = 1;
        if (sanctum_fetch(from, n_from, tmpdir, &fo, &err) != 0) {
            long long active = 0;
            cli_report(&err);
            if (sanctum_store_active(st, &active, &err) == 0)
                cli_error("update: nothing stored; version %lld stays active", active);
            else
                cli_error("update: nothing stored");
            goto cleanup;
        }
        dir = tmpdir;
        size_t used = 0;
        for (size_t i = 0; i < n_from && used < sizeof origin; i++) {
            int n = snprintf(origin + used, sizeof origin - used, "%s%s", i ? " " : "", from[i]);
            if (n < 0) break;
            used += (size_t)n;
        }
        uo.origin = origin;
    }
    sanctum_update_report rep;
    if (sanctum_store_update_dir(st, dir, &uo, &rep, &err) != 0) {
        cli_report(&err);
        if (rep.previous) cli_error("update: nothing stored; version %lld stays active", rep.previous);
        else cli_error("update: nothing stored");
        goto cleanup;
    }
    if (json) {
        printf("{\"version\":%lld,\"previous\":%lld,\"unchanged\":%s,\"added\":%zu,\"removed\":%zu,\"changed\":%zu,"
               "\"carried\":%zu}\n",
               rep.version, rep.previous, rep.unchanged ? "true" : "false", rep.added, rep.removed, rep.changed,
               rep.carried);
    } else if (rep.unchanged) {
        printf("lists unchanged: version %lld stays active\n", rep.version);
    } else {
        printf("stored version %lld (now active)", rep.version);
        if (rep.previous)
            printf(": %zu added, %zu removed, %zu changed since version %lld", rep.added, rep.removed, rep.changed,
                   rep.previous);
        else
            printf(": %zu entities", rep.added);
        if (rep.carried) printf("; %zu source%s kept from version %lld", rep.carried, rep.carried == 1 ? "" : "s", rep.previous);
        putchar('\n');
    }
    rc = fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_ERROR;
cleanup:
    if (have_tmp) nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    sanctum_store_close(st);
    return rc;
}

/* ---- versions ------------------------------------------------------------------- */

static void versions_usage(FILE *out)
{
    fputs("Usage: sanctum versions [--json] [--activate ID]\n"
          "\n"
          "Lists the stored list versions, oldest first: when each was stored, where it\n"
          "came from, and per source its publication date, entity count and SHA-256.\n"
          "The active version (the one screening uses) is marked with '*'.\n"
          "\n"
          "  --activate ID   make version ID the active one (e.g. to go back)\n"
          "  --json          print a JSON array\n"
          "\n",
          out);
    fputs(cli_global_help, out);
}

static void json_str(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
        else if (c < 0x20) fprintf(f, "\\u%04x", c);
        else fputc(c, f);
    }
    fputc('"', f);
}

static int parse_id(const char *s, long long *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*end || end == s || v < 1) return -1;
    *out = v;
    return 0;
}

int cli_cmd_versions(int argc, char **argv, cli_globals *g)
{
    static const struct option longopts[] = {
        CLI_GLOBAL_LONGOPTS,
        { "json", no_argument, NULL, OPT_JSON },
        { "activate", required_argument, NULL, OPT_ACTIVATE },
        { NULL, 0, NULL, 0 },
    };
    int json = 0, opt;
    long long activate = 0;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        if (cli_global_option(g, opt, optarg)) continue;
        switch (opt) {
        case OPT_JSON: json = 1; break;
        case OPT_ACTIVATE:
            if (parse_id(optarg, &activate) != 0) {
                cli_error("versions: --activate wants a version number, not '%s'", optarg);
                return cli_usage_error("versions");
            }
            break;
        case CLI_OPT_HELP: versions_usage(stdout); return CLI_EXIT_OK;
        case CLI_OPT_VERSION: printf("sanctum %s\n", sanctum_version()); return CLI_EXIT_OK;
        default: return cli_option_error("versions", opt, argc, argv);
        }
    }
    if (optind < argc) {
        cli_error("versions: unexpected argument '%s'", argv[optind]);
        return cli_usage_error("versions");
    }
    sanctum_store *st;
    if (open_store(&st, 0) != 0) return CLI_EXIT_ERROR;
    sanctum_error err;
    sanctum_list_version *v = NULL;
    size_t n = 0;
    int rc = CLI_EXIT_ERROR;
    if (activate && sanctum_store_activate(st, activate, &err) != 0) {
        cli_report(&err);
        goto cleanup;
    }
    if (sanctum_store_versions(&v, &n, st, &err) != 0) {
        cli_report(&err);
        goto cleanup;
    }
    if (json) {
        putchar('[');
        for (size_t i = 0; i < n; i++) {
            printf("%s{\"version\":%lld,\"created\":", i ? "," : "", v[i].id);
            json_str(stdout, v[i].created);
            fputs(",\"origin\":", stdout);
            json_str(stdout, v[i].origin);
            printf(",\"active\":%s,\"entities\":%zu,\"sources\":[", v[i].active ? "true" : "false", v[i].entities);
            for (size_t j = 0; j < v[i].n_sources; j++) {
                const sanctum_list_version_source *s = &v[i].sources[j];
                fputs(j ? ",{\"source\":" : "{\"source\":", stdout);
                json_str(stdout, s->source);
                fputs(",\"published\":", stdout);
                json_str(stdout, s->published);
                fputs(",\"sha256\":", stdout);
                json_str(stdout, s->sha256);
                printf(",\"entities\":%zu,\"aliases\":%zu,\"warnings\":%zu,\"files\":%zu,\"bytes\":%llu}", s->entities,
                       s->aliases, s->warnings, s->files, s->bytes);
            }
            fputs("]}", stdout);
        }
        puts("]");
    } else if (n == 0) {
        puts("no list version stored yet (run 'sanctum update')");
    } else {
        for (size_t i = 0; i < n; i++) {
            printf("%c %-4lld %s  %zu entities  from %s\n", v[i].active ? '*' : ' ', v[i].id, v[i].created,
                   v[i].entities, v[i].origin);
            for (size_t j = 0; j < v[i].n_sources; j++) {
                const sanctum_list_version_source *s = &v[i].sources[j];
                printf("         %-10s published %-10s  %6zu entities  %zu file%s  sha256 %.16s\n", s->source,
                       s->published ? s->published : "?", s->entities, s->files, s->files == 1 ? " " : "s",
                       s->sha256 ? s->sha256 : "");
            }
        }
    }
    if (activate && !json) printf("version %lld is now active\n", activate);
    rc = fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_ERROR;
cleanup:
    sanctum_versions_free(v, n);
    sanctum_store_close(st);
    return rc;
}

/* ---- diff --------------------------------------------------------------------- */

static void diff_usage(FILE *out)
{
    fputs("Usage: sanctum diff [OLD NEW] [--json] [--summary]\n"
          "\n"
          "Shows the entities added, removed and changed between two stored list\n"
          "versions (default: the two latest), and for a changed entity which parts\n"
          "changed (name, aliases, identifiers, wallets, programs, other) with the facts\n"
          "that came (+) and went (-).\n"
          "\n"
          "  --summary   only the counts\n"
          "  --json      print one JSON object\n"
          "\n",
          out);
    fputs(cli_global_help, out);
}

int cli_cmd_diff(int argc, char **argv, cli_globals *g)
{
    static const struct option longopts[] = {
        CLI_GLOBAL_LONGOPTS,
        { "json", no_argument, NULL, OPT_JSON },
        { "summary", no_argument, NULL, OPT_FORCE },
        { NULL, 0, NULL, 0 },
    };
    int json = 0, summary = 0, opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        if (cli_global_option(g, opt, optarg)) continue;
        switch (opt) {
        case OPT_JSON: json = 1; break;
        case OPT_FORCE: summary = 1; break;
        case CLI_OPT_HELP: diff_usage(stdout); return CLI_EXIT_OK;
        case CLI_OPT_VERSION: printf("sanctum %s\n", sanctum_version()); return CLI_EXIT_OK;
        default: return cli_option_error("diff", opt, argc, argv);
        }
    }
    long long a = 0, b = 0;
    if (argc - optind != 0 && argc - optind != 2) {
        cli_error("diff: give two version numbers, or none for the two latest");
        return cli_usage_error("diff");
    }
    if (argc - optind == 2 && (parse_id(argv[optind], &a) != 0 || parse_id(argv[optind + 1], &b) != 0)) {
        cli_error("diff: version numbers are whole numbers from 1");
        return cli_usage_error("diff");
    }
    sanctum_store *st;
    if (open_store(&st, 0) != 0) return CLI_EXIT_ERROR;
    sanctum_error err;
    sanctum_diff *d = NULL;
    int rc = CLI_EXIT_ERROR;
    if (sanctum_store_diff(&d, st, a, b, &err) != 0) {
        cli_report(&err);
        goto cleanup;
    }
    if (json) {
        char *text = sanctum_diff_json(d);
        if (!text) {
            cli_error("out of memory");
            goto cleanup;
        }
        puts(text);
        sanctum_string_free(text);
    } else {
        size_t counts[4] = { 0, 0, 0, 0 };
        for (size_t i = 0; i < sanctum_diff_count(d); i++) counts[sanctum_diff_entry_at(d, i)->change]++;
        printf("version %lld -> %lld: %zu added, %zu removed, %zu changed\n", sanctum_diff_old(d), sanctum_diff_new(d),
               counts[SANCTUM_CHANGE_ADDED], counts[SANCTUM_CHANGE_REMOVED], counts[SANCTUM_CHANGE_CHANGED]);
        for (size_t i = 0; !summary && i < sanctum_diff_count(d); i++) {
            const sanctum_diff_entry *e = sanctum_diff_entry_at(d, i);
            char sign = e->change == SANCTUM_CHANGE_ADDED ? '+' : e->change == SANCTUM_CHANGE_REMOVED ? '-' : '~';
            printf("%c %-22s %s", sign, e->entity, e->name ? e->name : "");
            if (e->change == SANCTUM_CHANGE_CHANGED) {
                fputs("  (", stdout);
                int first = 1;
                for (unsigned bit = 1; bit <= SANCTUM_PART_OTHER; bit <<= 1)
                    if (e->parts & bit) {
                        printf("%s%s", first ? "" : ", ", sanctum_diff_part_name(bit));
                        first = 0;
                    }
                putchar(')');
            }
            putchar('\n');
            for (size_t j = 0; j < e->n_removed; j++) printf("      - %s\n", e->removed[j]);
            for (size_t j = 0; j < e->n_added; j++) printf("      + %s\n", e->added[j]);
        }
    }
    rc = fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_ERROR;
cleanup:
    sanctum_diff_free(d);
    sanctum_store_close(st);
    return rc;
}
