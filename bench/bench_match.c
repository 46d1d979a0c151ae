/*
 * bench_match.c - speed of the matcher on the default lists: index build
 * time, then single-query latency (median, p99) of the indexed search and
 * of the exhaustive search (every listed name scored) on the same queries,
 * a mix of variants of listed names and names that are not listed, plus
 * the one-core throughput on unlisted names alone. Latencies are thread CPU
 * time, so that other work on a shared machine does not inflate them. Every query is checked
 * to give identical hits both ways.
 *
 * Usage: bench_match [--queries N] [--exhaustive N] [--seed S] [--lists CSV|all]
 * (lists: default every list in the data folder; "ofac-sdn,un-sc" the two lists the targets were first
 * measured on; "all": the five lists
 * ofac-sdn, un-sc, kr, us-csl and uk)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_clock.h"

#include "sanctum.h"
#include "../bench/eval/eval_gen.h"

static double pct(double *v, size_t n, double p)
{
    if (!n) return 0;
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return v[i];
}

static int same(const sanctum_result *a, const sanctum_result *b)
{
    if (sanctum_result_count(a) != sanctum_result_count(b)) return 0;
    for (size_t i = 0; i < sanctum_result_count(a); i++) {
        const sanctum_hit *x = sanctum_result_hit(a, i), *y = sanctum_result_hit(b, i);
        if (x->entity != y->entity || x->score != y->score) return 0;
    }
    return 1;
}

int main(int argc, char **argv)
{
    size_t nq = 5000, nex = 400;
    uint64_t seed = 42;
    const char *lists = NULL; /* the default dataset: every list in the data folder */
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--queries") && i + 1 < argc) nq = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--exhaustive") && i + 1 < argc) nex = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc) seed = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--lists") && i + 1 < argc) lists = argv[++i];
        else {
            fprintf(stderr, "usage: %s [--queries N] [--exhaustive N] [--seed S] [--lists CSV|all]\n", argv[0]);
            return 2;
        }
    }
    sanctum_dataset *ds = NULL;
    sanctum_index *idx = NULL;
    sanctum_error err;
    sanctum_load_options lo = SANCTUM_LOAD_OPTIONS_INIT;
    if (lists && !strcmp(lists, "all")) lists = "ofac-sdn,un-sc,kr,us-csl,uk";
    lo.sources = lists;
    double t0 = now(), c0 = thread_cpu_now();
    if (sanctum_dataset_load(&ds, &lo, &err)) {
        char m[800];
        sanctum_error_format(&err, m, sizeof m);
        fprintf(stderr, "bench_match: %s\n", m);
        return 1;
    }
    double t1 = now();
    if (sanctum_index_build(&idx, ds, &err)) {
        fprintf(stderr, "bench_match: index: %s\n", err.message);
        return 1;
    }
    double t2 = now(), c2 = thread_cpu_now();
    size_t names = 0;
    for (size_t i = 0; i < sanctum_dataset_count(ds); i++) names += sanctum_dataset_entity(ds, i)->n_names;
    printf("lists: %zu entities, %zu names; load %.3f s, index build %.3f s (load + build: %.3f s CPU)\n",
           sanctum_dataset_count(ds), names, t1 - t0, t2 - t1, c2 - c0);
    printf("latencies below are CPU time of one thread\n");

    eval_set set;
    size_t per_kind = nq / 16 + 1;
    if (eval_generate(ds, seed, per_kind, nq / 2, &set)) return 1;
    /* interleave listed variants and unlisted names */
    size_t n = set.n < nq ? set.n : nq;
    double *lat = malloc(n * sizeof *lat), *latx = malloc((nex ? nex : 1) * sizeof *latx);
    double *latu = malloc(n * sizeof *latu);
    if (!lat || !latx || !latu) return 1;
    size_t nu = 0, hits = 0;
    /* warm up (scratch memory, caches) */
    for (size_t i = 0; i < n && i < 50; i++) {
        sanctum_query q = SANCTUM_QUERY_INIT;
        q.name = set.v[i].query;
        sanctum_result *r;
        if (!sanctum_screen(&r, idx, &q, NULL)) sanctum_result_free(r);
    }
    for (size_t i = 0; i < n; i++) {
        sanctum_query q = SANCTUM_QUERY_INIT;
        q.name = set.v[i].query;
        sanctum_result *r = NULL;
        double a = thread_cpu_now();
        int rc = sanctum_screen(&r, idx, &q, &err);
        double b = thread_cpu_now();
        if (rc) {
            fprintf(stderr, "bench_match: '%s': %s\n", q.name, err.message);
            return 1;
        }
        lat[i] = (b - a) * 1e6;
        if (set.v[i].kind == EK_UNLISTED) latu[nu++] = lat[i];
        hits += sanctum_result_count(r) > 0;
        sanctum_result_free(r);
    }
    double tu = 0;
    for (size_t i = 0; i < nu; i++) tu += latu[i];
    /* the slowest queries, for the record */
    size_t slow[5];
    int ns = 0;
    for (size_t i = 0; i < n; i++) {
        int k = ns < 5 ? ns++ : 5;
        if (k == 5) {
            if (lat[i] <= lat[slow[4]]) continue;
            k = 4;
        }
        while (k > 0 && lat[slow[k - 1]] < lat[i]) {
            slow[k] = slow[k - 1];
            k--;
        }
        slow[k] = i;
    }
    printf("slowest:");
    for (int k = 0; k < ns; k++) printf(" '%s' %.0f us;", set.v[slow[k]].query, lat[slow[k]]);
    printf("\n");
    /* exhaustive on a spread of the same queries, checking identical hits */
    size_t step = nex ? (n / nex ? n / nex : 1) : 0, nx = 0, mismatches = 0;
    double *lati = malloc((nex ? nex : 1) * sizeof *lati);
    if (!lati) return 1;
    for (size_t i = 0; nex && i < n && nx < nex; i += step) {
        sanctum_query q = SANCTUM_QUERY_INIT;
        q.name = set.v[i].query;
        sanctum_result *a = NULL, *b = NULL;
        double x0 = thread_cpu_now();
        if (sanctum_screen(&a, idx, &q, NULL)) return 1;
        double x1 = thread_cpu_now();
        q.exhaustive = 1;
        if (sanctum_screen(&b, idx, &q, NULL)) return 1;
        double x2 = thread_cpu_now();
        lati[nx] = (x1 - x0) * 1e6;
        latx[nx++] = (x2 - x1) * 1e6;
        if (!same(a, b)) {
            mismatches++;
            fprintf(stderr, "bench_match: MISMATCH on '%s'\n", q.name);
        }
        sanctum_result_free(a);
        sanctum_result_free(b);
    }
    qsort(lat, n, sizeof *lat, dcmp);
    qsort(latu, nu, sizeof *latu, dcmp);
    qsort(latx, nx, sizeof *latx, dcmp);
    qsort(lati, nx, sizeof *lati, dcmp);
    printf("queries: %zu (%zu variants of listed names, %zu unlisted), %zu with hits\n", n, n - nu, nu, hits);
    printf("indexed     median %8.1f us  p99 %8.1f us  max %8.1f us\n", pct(lat, n, 0.5), pct(lat, n, 0.99),
           n ? lat[n - 1] : 0.0);
    printf("unlisted    median %8.1f us  p99 %8.1f us  -> %.0f names/s on one core\n", pct(latu, nu, 0.5),
           pct(latu, nu, 0.99), tu > 0 ? (double)nu / (tu * 1e-6) : 0.0);
    if (nx) {
        printf("exhaustive  median %8.1f us  p99 %8.1f us  (%zu queries)\n", pct(latx, nx, 0.5), pct(latx, nx, 0.99), nx);
        printf("indexed on the same %zu: median %.1f us; speed-up of the median %.0fx\n", nx, pct(lati, nx, 0.5),
               pct(lati, nx, 0.5) > 0 ? pct(latx, nx, 0.5) / pct(lati, nx, 0.5) : 0.0);
        printf("indexed vs exhaustive: %zu of %zu queries identical\n", nx - mismatches, nx);
    }
    free(lat);
    free(latx);
    free(latu);
    free(lati);
    eval_free(&set);
    sanctum_index_free(idx);
    sanctum_dataset_free(ds);
    return mismatches ? 1 : 0;
}
