/*
 * bench_rescreen.c - the time to rescreen N stored records (default
 * 1,000,000) after a list update, against plain batch screening of the same
 * records in the same process as the baseline.
 *
 * Steps, each timed: store the lists as version 1 in a fresh database in a
 * temporary folder; store N generated records (namegen.h: about 1 in 1000 a
 * variant of a listed name) as the monitored population; a first monitor
 * run; an update to version 2 (every 300th OFAC entry renamed); the
 * rescreen after the update (load version 2, build the indexes, run); and
 * the baseline: sanctum_batch_run() over the same records with the same
 * indexes, output discarded. The rescreen's ratio to the baseline is the
 * cost of reading the population from SQLite and keeping the alerts.
 *
 * Usage: bench_rescreen [N] [THREADS]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "namegen.h"
#include "sanctum.h"
#include "sanctum/store.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const sanctum_error *err)
{
    char buf[1024];
    if (err) sanctum_error_format(err, buf, sizeof buf);
    fprintf(stderr, "bench_rescreen: %s%s%s\n", what, err ? ": " : "", err ? buf : "");
    exit(1);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

/* Copies a file, renaming every `every`th CSV row's name when every > 0. */
static void copy_file(const char *from, const char *to, int every)
{
    size_t len;
    char *buf = slurp(from, &len);
    if (!buf) die(from, NULL);
    FILE *f = fopen(to, "wb");
    if (!f) die(to, NULL);
    size_t row = 0;
    for (size_t i = 0; i < len; i++) {
        int line_start = i == 0 || buf[i - 1] == '\n';
        if (line_start) row++;
        fputc(buf[i], f);
        /* the name is the first quoted field: add a word before its closing quote */
        if (every > 0 && row % (size_t)every == 0 && buf[i] == '"' && i + 1 < len && buf[i + 1] == ',') {
            size_t j = i;
            while (j > 0 && buf[j - 1] != '\n') j--;
            /* only the first quoted field of the row: count quotes before i */
            size_t quotes = 0;
            for (size_t k = j; k < i; k++) quotes += buf[k] == '"';
            if (quotes == 1) {
                fseek(f, -1, SEEK_CUR);
                fputs(" RENAMED\"", f);
            }
        }
    }
    fclose(f);
    free(buf);
}

static void make_dir(const char *p)
{
    if (mkdir(p, 0700) != 0 && errno != EEXIST) die(p, NULL);
}

static void load_indexes(sanctum_store *st, long long ver, sanctum_dataset **ds, sanctum_index **idx,
                         sanctum_ident_index **iidx)
{
    sanctum_error err;
    if (sanctum_store_load(ds, st, ver, NULL, &err) != 0 || sanctum_index_build(idx, *ds, &err) != 0 ||
        sanctum_ident_index_build(iidx, *ds, &err) != 0)
        die("loading the stored version", &err);
}

int main(int argc, char **argv)
{
    unsigned long long n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000ULL;
    unsigned threads = argc > 2 ? (unsigned)atoi(argv[2]) : 0;
    if (n == 0) n = 1000000ULL;
    char tmp[] = "/tmp/bench-rescreen-XXXXXX";
    if (!mkdtemp(tmp)) die("mkdtemp", NULL);
    char path[1100], dbpath[512], people[512], v2[600];
    snprintf(dbpath, sizeof dbpath, "%s/sanctum.db", tmp);
    snprintf(people, sizeof people, "%s/people.jsonl", tmp);
    const char *data = sanctum_default_data_dir();
    sanctum_error err;
    double t;

    sanctum_store *st;
    if (sanctum_store_open(&st, dbpath, SANCTUM_STORE_CREATE, &err) != 0) die("opening the database", &err);
    t = now();
    sanctum_update_report rep;
    if (sanctum_store_update_dir(st, data, NULL, &rep, &err) != 0) die("storing version 1", &err);
    double t_v1 = now() - t;

    /* the population */
    sanctum_dataset *ds1 = NULL;
    sanctum_index *idx1 = NULL;
    sanctum_ident_index *iidx1 = NULL;
    load_indexes(st, rep.version, &ds1, &idx1, &iidx1);
    FILE *f = fopen(people, "w");
    if (!f) die(people, NULL);
    for (unsigned long long i = 0; i < n; i++) namegen_record(f, ds1, 0.001, i);
    fclose(f);
    f = fopen(people, "r");
    t = now();
    unsigned long long added = 0;
    if (sanctum_monitor_add(st, f, people, &added, NULL, &err) != 0) die("storing the population", &err);
    double t_add = now() - t;
    fclose(f);

    sanctum_batch_options bo = SANCTUM_BATCH_OPTIONS_INIT;
    bo.threads = threads;
    bo.ident = iidx1;
    sanctum_monitor_summary s1, s2;
    t = now();
    if (sanctum_monitor_run(st, rep.version, idx1, &bo, &s1, &err) != 0) die("first monitor run", &err);
    double t_run1 = now() - t;
    sanctum_ident_index_free(iidx1);
    sanctum_index_free(idx1);
    sanctum_dataset_free(ds1);

    /* version 2: every 300th OFAC entry renamed */
    snprintf(v2, sizeof v2, "%s/v2", tmp);
    make_dir(v2);
    snprintf(path, sizeof path, "%s/ofac-sdn", v2);
    make_dir(path);
    snprintf(path, sizeof path, "%s/un-sc", v2);
    make_dir(path);
    static const char *const files[] = { "ofac-sdn/sdn.csv", "ofac-sdn/alt.csv", "ofac-sdn/add.csv",
                                         "ofac-sdn/sdn_comments.csv", "un-sc/consolidated.xml" };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char from[1100], to[1100];
        snprintf(from, sizeof from, "%s/%s", data, files[i]);
        snprintf(to, sizeof to, "%s/%s", v2, files[i]);
        if (access(from, R_OK) == 0) copy_file(from, to, i == 0 ? 300 : 0);
    }
    t = now();
    sanctum_update_report rep2;
    if (sanctum_store_update_dir(st, v2, NULL, &rep2, &err) != 0) die("storing version 2", &err);
    double t_v2 = now() - t;

    /* the rescreen after the update, from loading the version on */
    t = now();
    sanctum_dataset *ds2 = NULL;
    sanctum_index *idx2 = NULL;
    sanctum_ident_index *iidx2 = NULL;
    load_indexes(st, rep2.version, &ds2, &idx2, &iidx2);
    double t_load = now() - t;
    bo.ident = iidx2;
    if (sanctum_monitor_run(st, rep2.version, idx2, &bo, &s2, &err) != 0) die("rescreen", &err);
    double t_rescreen = now() - t;

    /* the baseline: the same records through the batch runner */
    f = fopen(people, "r");
    FILE *sink = fopen("/dev/null", "w");
    sanctum_batch_summary bs;
    t = now();
    if (sanctum_batch_run(idx2, f, sink, &bo, &bs, &err) != 0) die("baseline batch", &err);
    double t_batch = now() - t;
    fclose(f);
    fclose(sink);

    struct stat sb;
    stat(dbpath, &sb);
    printf("rescreen: %llu stored records, lists of %zu entities, %u threads (0: one per core)\n", n,
           sanctum_dataset_count(ds2), threads);
    printf("  store version 1 (%zu entities)          %8.2f s\n", rep.added, t_v1);
    printf("  store the population                      %8.2f s  (%.0f records/s)\n", t_add, (double)added / t_add);
    printf("  first monitor run                         %8.2f s  (%llu hits, %llu alerts)\n", t_run1, s1.hits,
           s1.new_alerts);
    printf("  update to version 2 (%zu changed)        %8.2f s\n", rep2.changed, t_v2);
    printf("  rescreen after the update                 %8.2f s  (%.0f records/s; load and index %.2f s;"
           " %llu hits, %llu new alerts, %llu already alerted)\n",
           t_rescreen, (double)s2.subjects / t_rescreen, t_load, s2.hits, s2.new_alerts, s2.known);
    printf("  baseline: batch screening of the same     %8.2f s  (%.0f records/s)\n", t_batch,
           (double)bs.lines / t_batch);
    printf("  ratio rescreen (without load) / batch: x%.2f; database %lld MiB\n",
           (t_rescreen - t_load) / t_batch, (long long)sb.st_size >> 20);

    sanctum_ident_index_free(iidx2);
    sanctum_index_free(idx2);
    sanctum_dataset_free(ds2);
    sanctum_store_close(st);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0) fprintf(stderr, "bench_rescreen: could not remove %s\n", tmp);
    sanctum_thread_cleanup();
    return 0;
}
