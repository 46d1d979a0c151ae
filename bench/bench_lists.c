/*
 * bench_lists.c - what the three extra lists (kr, us-csl, uk) cost a query.
 *
 * Loads two datasets in one process: the baseline (OFAC SDN and the UN list)
 * and all five lists, indexes both, and screens the SAME queries against
 * each, alternating query by query so that machine drift hits both sides
 * alike. The queries are the evaluation set drawn from the baseline lists
 * (variants of listed names) plus unlisted names. Prints median, p90, p99
 * and mean CPU time per query for each side and the ratio five/two.
 *
 * Usage: bench_lists [--queries N] [--rounds R] [--seed S] [--only all|base]
 * --worst N prints the N queries the extra lists slow down most;
 * --rounds repeats the timing pass (each query's time is its fastest
 * round, which strips scheduler noise); --only screens one side in a loop
 * (for a profiler) and prints nothing but the total.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_clock.h"

#include "sanctum.h"
#include "../bench/eval/eval_gen.h"

#define BASE_LISTS "ofac-sdn,un-sc"
#define ALL_LISTS "ofac-sdn,un-sc,kr,us-csl,uk"

static double pct(const double *v, size_t n, double p)
{
    if (!n) return 0;
    return v[(size_t)(p * (double)(n - 1) + 0.5)];
}

static double mean(const double *v, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += v[i];
    return n ? s / (double)n : 0;
}

typedef struct side {
    const char *lists;
    sanctum_dataset *ds;
    sanctum_index *idx;
    double *lat;    /* per query, fastest round, microseconds */
    double *sorted;
} side;

static int open_side(side *s, const char *lists)
{
    sanctum_error err;
    sanctum_load_options lo = SANCTUM_LOAD_OPTIONS_INIT;
    lo.sources = lists;
    s->lists = lists;
    if (sanctum_dataset_load(&s->ds, &lo, &err) || sanctum_index_build(&s->idx, s->ds, &err)) {
        char m[800];
        sanctum_error_format(&err, m, sizeof m);
        fprintf(stderr, "bench_lists: %s: %s\n", lists, m);
        return -1;
    }
    return 0;
}

/* CPU time of one screening, in microseconds; -1 on error. */
static double screen_once(const sanctum_index *idx, const char *name, size_t *hits)
{
    sanctum_query q = SANCTUM_QUERY_INIT;
    q.name = name;
    sanctum_result *r = NULL;
    sanctum_error err;
    double a = thread_cpu_now();
    int rc = sanctum_screen(&r, idx, &q, &err);
    double b = thread_cpu_now();
    if (rc) {
        fprintf(stderr, "bench_lists: screening failed: %s\n", err.message);
        return -1;
    }
    if (hits) *hits += sanctum_result_count(r);
    sanctum_result_free(r);
    return (b - a) * 1e6;
}

static void report(const char *label, side *s, const int *pick, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!pick || pick[i]) s->sorted[m++] = s->lat[i];
    qsort(s->sorted, m, sizeof *s->sorted, dcmp);
    printf("  %-9s %-28s median %7.1f  p90 %7.1f  p99 %8.1f  mean %7.1f us\n", label, s->lists,
           pct(s->sorted, m, 0.5), pct(s->sorted, m, 0.9), pct(s->sorted, m, 0.99), mean(s->sorted, m));
}

static void ratios(const char *label, side *b, side *a, const int *pick, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!pick || pick[i]) b->sorted[m++] = b->lat[i];
    qsort(b->sorted, m, sizeof *b->sorted, dcmp);
    m = 0;
    for (size_t i = 0; i < n; i++)
        if (!pick || pick[i]) a->sorted[m++] = a->lat[i];
    qsort(a->sorted, m, sizeof *a->sorted, dcmp);
    double r50 = pct(a->sorted, m, 0.5) / pct(b->sorted, m, 0.5);
    double r99 = pct(a->sorted, m, 0.99) / pct(b->sorted, m, 0.99);
    double rm = mean(a->sorted, m) / mean(b->sorted, m);
    printf("  %-9s five/two: median x%.2f  p99 x%.2f  mean x%.2f  (%zu queries)\n", label, r50, r99, rm, m);
}

int main(int argc, char **argv)
{
    size_t nq = 4000;
    int rounds = 3;
    uint64_t seed = 42;
    const char *only = NULL;
    size_t worst = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--queries") && i + 1 < argc) nq = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--rounds") && i + 1 < argc) rounds = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc) seed = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--only") && i + 1 < argc) only = argv[++i];
        else if (!strcmp(argv[i], "--worst") && i + 1 < argc) worst = strtoul(argv[++i], NULL, 10);
        else {
            fprintf(stderr, "usage: %s [--queries N] [--rounds R] [--seed S] [--only all|base] [--worst N]\n", argv[0]);
            return 2;
        }
    }
    if (rounds < 1) rounds = 1;
    side base = { 0 }, all = { 0 };
    if (open_side(&base, BASE_LISTS)) return 1;
    eval_set set;
    if (eval_generate(base.ds, seed, nq / 16 + 1, nq / 2, &set)) return 1;
    size_t n = set.n < nq ? set.n : nq;

    if (only) {
        side *s = &base;
        if (!strcmp(only, "all")) {
            if (open_side(&all, ALL_LISTS)) return 1;
            s = &all;
        }
        double t = 0;
        for (int r = 0; r < rounds; r++)
            for (size_t i = 0; i < n; i++) t += screen_once(s->idx, set.v[i].query, NULL);
        printf("%s: %zu queries x %d rounds, %.1f us mean\n", s->lists, n, rounds, t / (double)(n * (size_t)rounds));
        goto done;
    }

    if (open_side(&all, ALL_LISTS)) return 1;
    printf("baseline %s: %zu entities; all %s: %zu entities\n", BASE_LISTS, sanctum_dataset_count(base.ds), ALL_LISTS,
           sanctum_dataset_count(all.ds));
    int *unl = malloc(n * sizeof *unl), *lst = malloc(n * sizeof *lst);
    side *sides[2] = { &base, &all };
    for (int k = 0; k < 2; k++) {
        sides[k]->lat = malloc(n * sizeof(double));
        sides[k]->sorted = malloc(n * sizeof(double));
        if (!sides[k]->lat || !sides[k]->sorted) return 1;
        for (size_t i = 0; i < n; i++) sides[k]->lat[i] = 1e30;
    }
    if (!unl || !lst) return 1;
    size_t nunl = 0, hits[2] = { 0, 0 };
    for (size_t i = 0; i < n; i++) {
        unl[i] = set.v[i].kind == EK_UNLISTED;
        lst[i] = !unl[i];
        nunl += (size_t)unl[i];
    }
    /* warm-up: first touches of scratch memory and index pages */
    for (size_t i = 0; i < n && i < 100; i++)
        for (int k = 0; k < 2; k++) screen_once(sides[k]->idx, set.v[i].query, NULL);
    for (int r = 0; r < rounds; r++)
        for (size_t i = 0; i < n; i++)
            for (int k = 0; k < 2; k++) {
                int kk = (int)((i + (size_t)r) & 1) ? 1 - k : k; /* alternate which side goes first */
                double t = screen_once(sides[kk]->idx, set.v[i].query, r == 0 ? &hits[kk] : NULL);
                if (t < 0) return 1;
                if (t < sides[kk]->lat[i]) sides[kk]->lat[i] = t;
            }
    printf("queries: %zu (%zu variants of names on the baseline lists, %zu unlisted), fastest of %d rounds, CPU "
           "time of one thread\nhits returned: %zu on the baseline, %zu on all five\n",
           n, n - nunl, nunl, rounds, hits[0], hits[1]);
    report("all", &base, NULL, n);
    report("all", &all, NULL, n);
    report("listed", &base, lst, n);
    report("listed", &all, lst, n);
    report("unlisted", &base, unl, n);
    report("unlisted", &all, unl, n);
    ratios("all", &base, &all, NULL, n);
    ratios("listed", &base, &all, lst, n);
    ratios("unlisted", &base, &all, unl, n);
    /* by kind of query: where the extra lists cost most */
    for (int k = 0; k < EK__COUNT; k++) {
        double sb = 0, sa = 0;
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (set.v[i].kind == k) {
                sb += base.lat[i];
                sa += all.lat[i];
                m++;
            }
        if (m)
            printf("  %-12s %5zu queries: mean %7.1f -> %7.1f us (x%.2f)\n", eval_kind_names[k], m, sb / (double)m,
                   sa / (double)m, sa / sb);
    }
    for (size_t w = 0; w < worst && w < n; w++) {
        size_t at = 0;
        double most = -1e30;
        for (size_t i = 0; i < n; i++)
            if (all.lat[i] - base.lat[i] > most) {
                most = all.lat[i] - base.lat[i];
                at = i;
            }
        printf("  slower by %7.1f us (%7.1f -> %7.1f): %s\n", most, base.lat[at], all.lat[at], set.v[at].query);
        all.lat[at] = base.lat[at] - 1e30; /* not again */
    }
    free(unl);
    free(lst);
done:
    for (int k = 0; k < 2; k++) {
        side *s = k ? &all : &base;
        free(s->lat);
        free(s->sorted);
        sanctum_index_free(s->idx);
        sanctum_dataset_free(s->ds);
    }
    eval_free(&set);
    sanctum_thread_cleanup();
    return 0;
}
