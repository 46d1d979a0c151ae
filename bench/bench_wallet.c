/*
 * bench_wallet.c - how fast wallet addresses are screened on one core.
 *
 * Loads the lists, builds the wallet index, and screens a fixed mix of
 * queries in a loop (at least 1,000,000 lookups): every listed address as
 * listed, EVM addresses upper-cased and without "0x", payment URIs,
 * addresses padded with spaces and zero-width characters, and unlisted
 * addresses (one character changed). As a baseline in the same run it
 * looks the same query strings up with bsearch/strcmp over a sorted array
 * of the listed addresses as written (no normalization at all), and reports
 * both rates and their ratio.
 *
 * Usage: bench_wallet [lookups]   (SANCTUM_DATA selects the lists)
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_clock.h"

#include "sanctum/dataset.h"
#include "sanctum/ident.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static char *dupf(const char *fmt, const char *a)
{
    size_t n = strlen(fmt) + strlen(a) + 1;
    char *s = malloc(n);
    if (s) snprintf(s, n, fmt, a);
    return s;
}

int main(int argc, char **argv)
{
    size_t lookups = argc > 1 ? strtoul(argv[1], NULL, 10) : 2000000;
    if (lookups < 1000) lookups = 1000;
    sanctum_dataset *ds = NULL;
    sanctum_error err;
    sanctum_load_options opts = SANCTUM_LOAD_OPTIONS_INIT;
    double t0 = now();
    if (sanctum_dataset_load(&ds, &opts, &err)) {
        fprintf(stderr, "bench_wallet: cannot load the lists: %s\n", err.message);
        return 1;
    }
    double t1 = now();
    sanctum_ident_index *idx = NULL;
    if (sanctum_ident_index_build(&idx, ds, &err)) {
        fprintf(stderr, "bench_wallet: index build failed: %s\n", err.message);
        return 1;
    }
    double t2 = now();
    size_t nw = sanctum_ident_wallet_count(idx);
    printf("lists loaded in %.3f s; wallet index: %zu listed wallets, %zu distinct addresses, "
           "%zu document numbers, built in %.2f ms\n",
           t1 - t0, nw, sanctum_ident_address_count(idx), sanctum_ident_document_count(idx), (t2 - t1) * 1e3);
    if (!nw) {
        fprintf(stderr, "bench_wallet: no wallets listed\n");
        return 1;
    }

    /* the query mix */
    size_t cap = nw * 5, nq = 0;
    char **queries = calloc(cap, sizeof *queries);
    const char **sorted = calloc(nw, sizeof *sorted);
    if (!queries || !sorted) return 1;
    for (size_t i = 0; i < nw; i++) {
        const sanctum_ident_wallet *w = sanctum_ident_wallet_at(idx, i);
        sorted[i] = w->address;
        queries[nq++] = dupf("%s", w->address);
        if (!strcmp(w->format, "evm")) {
            char *up = dupf("%s", w->address + 2);
            for (char *p = up; *p; p++)
                if (*p >= 'a' && *p <= 'f') *p = (char)(*p - 32);
            queries[nq++] = up;
            queries[nq++] = dupf("ethereum:%s@1?value=1e18", w->address);
        } else {
            queries[nq++] = dupf("bitcoin:%s?amount=0.1", w->address);
            queries[nq++] = dupf(" %s\xE2\x80\x8B ", w->address);
        }
        char *miss = dupf("%s", w->address);
        size_t len = strlen(miss);
        if (len > 4) miss[len - 3] = miss[len - 3] == 'a' ? 'b' : 'a';
        queries[nq++] = miss;
    }
    qsort(sorted, nw, sizeof *sorted, cmp_str);

    /* screening */
    size_t hits = 0, listed_queries = 0;
    double s0 = now(), c0 = thread_cpu_now();
    for (size_t i = 0; i < lookups; i++) {
        sanctum_ident_result *r = NULL;
        if (sanctum_wallet_screen(&r, idx, queries[i % nq], &err)) {
            fprintf(stderr, "bench_wallet: query failed: %s\n", err.message);
            return 1;
        }
        size_t n = sanctum_ident_result_count(r);
        hits += n;
        listed_queries += n > 0;
        sanctum_ident_result_free(r);
    }
    double s1 = now(), c1 = thread_cpu_now();

    /* baseline: exact strings, bsearch over the sorted listed addresses */
    size_t base_found = 0;
    double b0 = now(), d0 = thread_cpu_now();
    for (size_t i = 0; i < lookups; i++) {
        const char *q = queries[i % nq];
        base_found += bsearch(&q, sorted, nw, sizeof *sorted, cmp_str) != NULL;
    }
    double b1 = now(), d1 = thread_cpu_now();

    double rate = (double)lookups / (c1 - c0), base = (double)lookups / (d1 - d0);
    printf("query mix: %zu distinct strings (as listed, upper case, no 0x, URIs, padded, unlisted)\n", nq);
    printf("screened:  %zu lookups in %.3f s CPU (%.3f s wall) = %.0f lookups/s per core (%.0f ns each); "
           "%zu queries hit, %zu hits\n",
           lookups, c1 - c0, s1 - s0, rate, 1e9 / rate, listed_queries, hits);
    printf("baseline:  %zu bsearch/strcmp lookups of the raw strings in %.3f s CPU (%.3f s wall) = %.0f lookups/s; "
           "%zu found\n",
           lookups, d1 - d0, b1 - b0, base, base_found);
    printf("ratio:     screening runs at %.2f x the baseline's rate (it normalizes, validates checksums "
           "and finds %.1f x as many listed queries)\n",
           rate / base, base_found ? (double)listed_queries / (double)base_found : 0.0);
    printf("target >= 1,000,000 lookups/s per core: %s\n", rate >= 1e6 ? "met" : "NOT met");

    for (size_t i = 0; i < nq; i++) free(queries[i]);
    free(queries);
    free(sorted);
    sanctum_ident_index_free(idx);
    sanctum_dataset_free(ds);
    return 0;
}
