/*
 * bench_load.c - how long loading the lists takes, and how much of that is
 * parsing rather than reading the bytes.
 *
 * Times sanctum_dataset_load() of the default lists together and of each
 * list alone, N times each (default 5; first argument or $SANCTUM_BENCH_RUNS),
 * and prints the median in milliseconds. As a baseline it times, in the same
 * process, merely reading the same files' bytes into memory; the ratio of the
 * two shows what parsing and building the entities cost on top of I/O.
 *
 *   SANCTUM_DATA=data build/bench/bench_load [RUNS]
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sanctum.h"

#define MAX_RUNS 100
#define MAX_PATHS 16

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/* Reads every file whole into a fresh buffer, as a loader must at least do. */
static int read_all(char *const *paths, int n, size_t *bytes)
{
    *bytes = 0;
    for (int i = 0; i < n; i++) {
        FILE *f = fopen(paths[i], "rb");
        if (!f) return -1;
        if (fseek(f, 0, SEEK_END) != 0) { fclose(f); return -1; }
        long len = ftell(f);
        rewind(f);
        if (len < 0) { fclose(f); return -1; }
        char *buf = malloc((size_t)len + 1);
        if (!buf) { fclose(f); return -1; }
        size_t got = fread(buf, 1, (size_t)len, f);
        fclose(f);
        buf[got] = '\0';
        volatile char sink = buf[got / 2];
        (void)sink;
        free(buf);
        if (got != (size_t)len) return -1;
        *bytes += got;
    }
    return 0;
}

/* Times one configuration; returns 0 and prints a line, or -1 on a load error. */
static int bench(const char *label, const char *sources, int runs)
{
    sanctum_load_options opts = SANCTUM_LOAD_OPTIONS_INIT;
    opts.sources = sources;
    sanctum_error err;
    double load[MAX_RUNS], base[MAX_RUNS];
    char *paths[MAX_PATHS];
    int n_paths = 0;
    size_t entities = 0, bytes = 0;

    for (int r = 0; r < runs; r++) {
        sanctum_dataset *ds = NULL;
        double t0 = now_ms();
        int rc = sanctum_dataset_load(&ds, &opts, &err);
        load[r] = now_ms() - t0;
        if (rc != 0) {
            char buf[1024];
            sanctum_error_format(&err, buf, sizeof buf);
            fprintf(stderr, "bench_load: %s: %s\n", label, buf);
            for (int i = 0; i < n_paths; i++) free(paths[i]);
            return -1;
        }
        if (r == 0) {
            entities = sanctum_dataset_count(ds);
            for (size_t s = 0; s < sanctum_dataset_source_count(ds); s++) {
                const sanctum_source_info *info = sanctum_dataset_source(ds, s);
                for (size_t f = 0; f < info->n_files && n_paths < MAX_PATHS; f++) {
                    paths[n_paths] = strdup(info->files[f]);
                    if (paths[n_paths]) n_paths++;
                }
            }
        }
        sanctum_dataset_free(ds);
    }
    for (int r = 0; r < runs; r++) {
        double t0 = now_ms();
        if (read_all(paths, n_paths, &bytes) != 0) {
            fprintf(stderr, "bench_load: %s: cannot re-read the list files\n", label);
            for (int i = 0; i < n_paths; i++) free(paths[i]);
            return -1;
        }
        base[r] = now_ms() - t0;
    }
    double lm = median(load, runs), bm = median(base, runs);
    printf("%-16s %8zu entities %7.1f MB  load %9.2f ms  read %7.2f ms  load/read %7.1fx\n", label, entities,
           (double)bytes / 1e6, lm, bm, bm > 0 ? lm / bm : 0.0);
    for (int i = 0; i < n_paths; i++) free(paths[i]);
    return 0;
}

int main(int argc, char **argv)
{
    int runs = 5;
    const char *arg = argc > 1 ? argv[1] : getenv("SANCTUM_BENCH_RUNS");
    if (arg) {
        runs = atoi(arg);
        if (runs < 1 || runs > MAX_RUNS) {
            fprintf(stderr, "usage: bench_load [RUNS], RUNS from 1 to %d\n", MAX_RUNS);
            return 2;
        }
    }
    printf("sanctum %s, data %s, median of %d runs\n", sanctum_version(), sanctum_default_data_dir(), runs);
    int failures = 0;
    failures += bench("all lists", NULL, runs) != 0;
    failures += bench("ofac-sdn", "ofac-sdn", runs) != 0;
    failures += bench("un-sc", "un-sc", runs) != 0;
    return failures ? 1 : 0;
}
