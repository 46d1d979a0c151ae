/*
 * common.c - global options, error reporting and loading the lists for the
 * `sanctum` commands.
 *
 * The data directory is found the same way from any working directory:
 * --data, else $SANCTUM_DATA, else the data installed beside the binary
 * (found through /proc/self/exe), else the library's default.
 */
#define _GNU_SOURCE
#include "common.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char cli_global_help[] =
    "Global options (before or after the command):\n"
    "  --data DIR     read the lists from DIR (default: $SANCTUM_DATA, else the\n"
    "                 installed data)\n"
    "  --list L       load only these lists (comma-separated, from ofac-sdn, un-sc,\n"
    "                 kr, us-csl, uk; default: every list found under DIR)\n"
    "  --strict       treat any warning in the list files as an error\n"
    "  --help         show help (also: sanctum COMMAND --help)\n"
    "  --version      print the version\n"
    "\n"
    "Exit status:\n"
    "  0  success (with --exit-code: no hits)\n"
    "  1  hits found (screen --exit-code)\n"
    "  2  usage error, or unreadable or malformed data\n";

int cli_global_option(cli_globals *g, int opt, const char *arg)
{
    switch (opt) {
    case CLI_OPT_DATA: g->data_dir = arg; return 1;
    case CLI_OPT_STRICT: g->strict = 1; return 1;
    case CLI_OPT_LIST: g->lists = arg; return 1;
    default: return 0;
    }
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fputs("sanctum: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_report(const sanctum_error *err)
{
    char buf[1024];
    sanctum_error_format(err, buf, sizeof buf);
    cli_error("%s", buf);
}

int cli_option_error(const char *command, int opt, int argc, char **argv)
{
    const char *arg = optind > 0 && optind - 1 < argc ? argv[optind - 1] : "?";
    const char *cmd = command ? command : "", *sep = command ? ": " : "";
    if (opt == ':') {
        cli_error("%s%soption '%s' needs an argument", cmd, sep, arg);
    } else if (optopt != 0 && strncmp(arg, "--", 2) == 0 && strchr(arg, '=')) {
        /* a known long option given "=value" although it takes none */
        cli_error("%s%soption '%.*s' takes no argument", cmd, sep, (int)(strchr(arg, '=') - arg), arg);
    } else {
        cli_error("%s%sunknown option '%s'", cmd, sep, arg);
    }
    return cli_usage_error(command);
}

int cli_usage_error(const char *command)
{
    if (command)
        fprintf(stderr, "Try 'sanctum %s --help'.\n", command);
    else
        fputs("Try 'sanctum --help'.\n", stderr);
    return CLI_EXIT_ERROR;
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *cli_data_dir(const cli_globals *g)
{
    static char installed[PATH_MAX];
    if (g->data_dir) return g->data_dir;
    const char *env = getenv("SANCTUM_DATA");
    if (env && *env) return env;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char candidate[PATH_MAX];
        int len = snprintf(candidate, sizeof candidate, "%s/../share/sanctum/data", dirname(exe));
        if (len > 0 && (size_t)len < sizeof candidate && is_dir(candidate) && realpath(candidate, installed))
            return installed;
    }
    return sanctum_default_data_dir();
}

/* Without --data or $SANCTUM_DATA, the active version stored by `sanctum
 * update` is used when the database exists and holds one. Returns 1 and
 * sets *out when it was loaded, 0 when there is none, -1 after reporting an
 * error. */
static int load_stored(const cli_globals *g, sanctum_dataset **out)
{
    const char *env = getenv("SANCTUM_DATA");
    char db[PATH_MAX];
    struct stat st;
    if (g->data_dir || (env && *env) || sanctum_store_default_path(db, sizeof db) != 0 || stat(db, &st) != 0)
        return 0;
    sanctum_error err;
    sanctum_store *store = NULL;
    long long ver = 0;
    int rc = sanctum_store_open(&store, db, 0, &err);
    if (rc == 0 && (rc = sanctum_store_active(store, &ver, &err)) == SANCTUM_ENOTFOUND) {
        sanctum_store_close(store);
        return 0;
    }
    sanctum_load_options opts = SANCTUM_LOAD_OPTIONS_INIT;
    opts.sources = g->lists;
    opts.strict = g->strict;
    if (rc == 0) rc = sanctum_store_load(out, store, ver, &opts, &err);
    sanctum_store_close(store);
    if (rc != 0) {
        cli_report(&err);
        return -1;
    }
    return 1;
}

sanctum_dataset *cli_load(const cli_globals *g, int quiet_warnings)
{
    sanctum_dataset *stored = NULL;
    int from_store = load_stored(g, &stored);
    if (from_store < 0) return NULL;
    if (from_store > 0) return stored;
    const char *dir = cli_data_dir(g);
    struct stat st;
    if (stat(dir, &st) != 0) {
        cli_error("%s: %s", dir, strerror(errno));
        return NULL;
    }
    if (!S_ISDIR(st.st_mode)) {
        cli_error("%s: not a directory", dir);
        return NULL;
    }
    sanctum_load_options opts = SANCTUM_LOAD_OPTIONS_INIT;
    opts.data_dir = dir;
    opts.sources = g->lists;
    opts.strict = g->strict;
    sanctum_error err;
    sanctum_dataset *ds = NULL;
    if (sanctum_dataset_load(&ds, &opts, &err) != 0) {
        cli_report(&err);
        return NULL;
    }
    if (!quiet_warnings) {
        size_t warnings = 0;
        for (size_t i = 0; i < sanctum_dataset_source_count(ds); i++)
            warnings += sanctum_dataset_source(ds, i)->n_warnings;
        if (warnings)
            fprintf(stderr, "sanctum: note: %zu warning%s while loading the lists (see 'sanctum lists')\n",
                    warnings, warnings == 1 ? "" : "s");
    }
    return ds;
}
