/*
 * bench_index.c - start-up cost: loading the raw list files, building the
 * matching index and answering a first query, against opening the compiled
 * index file and answering the same query, in one run.
 *
 * Usage: bench_index [FILE]   (default: a temporary file, removed after)
 * Reads the lists from $SANCTUM_DATA (or the default data directory).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sanctum.h"

#define OPENS 20

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int first_query(const sanctum_index *idx, size_t *hits)
{
    sanctum_query q = SANCTUM_QUERY_INIT;
    q.name = "Kim Sang Man";
    sanctum_result *r = NULL;
    sanctum_error err;
    if (sanctum_screen(&r, idx, &q, &err)) {
        fprintf(stderr, "bench_index: %s\n", err.message);
        return -1;
    }
    *hits = sanctum_result_count(r);
    sanctum_result_free(r);
    return 0;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    char tmp[256];
    const char *path = argc > 1 ? argv[1] : NULL;
    if (!path) {
        snprintf(tmp, sizeof tmp, "/tmp/bench-index-%ld.idx", (long)getpid());
        path = tmp;
    }
    sanctum_error err;
    sanctum_dataset *ds = NULL;
    sanctum_index *idx = NULL;
    size_t h1 = 0, h2 = 0;
    double t0 = now_ms();
    if (sanctum_dataset_load(&ds, NULL, &err) || sanctum_index_build(&idx, ds, &err)) {
        fprintf(stderr, "bench_index: %s\n", err.message);
        return 1;
    }
    double t1 = now_ms();
    if (first_query(idx, &h1)) return 1;
    double t2 = now_ms();
    if (sanctum_index_write(idx, path, &err)) {
        fprintf(stderr, "bench_index: %s\n", err.message);
        return 1;
    }
    double t3 = now_ms();
    sanctum_index_free(idx);
    size_t n_ents = sanctum_dataset_count(ds);
    sanctum_dataset_free(ds);

    double open_ms[OPENS], total_ms[OPENS];
    for (int i = 0; i < OPENS; i++) {
        double a = now_ms();
        sanctum_index *m = NULL;
        if (sanctum_index_open(&m, path, &err)) {
            fprintf(stderr, "bench_index: %s\n", err.message);
            return 1;
        }
        double b = now_ms();
        if (first_query(m, &h2)) return 1;
        double c = now_ms();
        sanctum_index_free(m);
        open_ms[i] = b - a;
        total_ms[i] = c - a;
    }
    qsort(open_ms, OPENS, sizeof(double), cmp_d);
    qsort(total_ms, OPENS, sizeof(double), cmp_d);
    sanctum_index_file_info info;
    sanctum_index_file_info_read(path, &info, NULL);
    printf("entities: %zu, index file: %.1f MB\n", n_ents, info.size / 1e6);
    printf("raw lists: load + build %.1f ms, first query %.2f ms, total %.1f ms (%zu hits)\n", t1 - t0, t2 - t1,
           t2 - t0, h1);
    printf("write index file: %.1f ms\n", t3 - t2);
    printf("index file: open %.2f ms, open + first query %.2f ms (median of %d; max %.2f ms; %zu hits)\n",
           open_ms[OPENS / 2], total_ms[OPENS / 2], OPENS, total_ms[OPENS - 1], h2);
    printf("speed-up of start-up: %.0fx\n", (t2 - t0) / total_ms[OPENS / 2]);
    if (path == tmp) unlink(tmp);
    sanctum_thread_cleanup();
    return h1 == h2 ? 0 : 1;
}
