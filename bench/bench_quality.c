/*
 * bench_quality.c - measures the matcher on the labelled evaluation set
 * (bench/eval/eval_gen.h): recall in the top 10 and at rank 1 per kind of
 * variant, the false-positive rate on names that are not listed, and both
 * across a range of thresholds (to choose SANCTUM_DEFAULT_MIN_SCORE).
 *
 * A hit is right when it is the expected entity or another listing of the
 * same party (an also_listed link of strength "linked"): with several lists
 * loaded one person is often listed on each of them, and the evaluation
 * labels only the listing it was generated from.
 *
 * Usage: bench_quality [--per-kind N] [--unlisted N] [--seed S] [--dump FILE] [--misses] [--lists CSV|all]
 * (lists: default every list in the data folder; "all": the five lists ofac-sdn, un-sc, kr, us-csl and uk;
 * "ofac-sdn,un-sc" the two lists the first quality figures were measured on)
 * Needs the lists ($SANCTUM_DATA or the default data directory).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sanctum.h"
#include "../bench/eval/eval_gen.h"

#define NT 9

/* The hit is the expected listing or a listing of the same party. */
static int is_expected(const sanctum_entity *want, const sanctum_entity *got)
{
    return want && got && sanctum_entity_same_party(want, got);
}

static const double thresholds[NT] = { 0.70, 0.72, 0.74, 0.76, 0.78, 0.80, 0.82, 0.85, 0.90 };

int main(int argc, char **argv)
{
    size_t per_kind = 500, unlisted = 3000;
    uint64_t seed = 20240503;
    const char *dump = NULL;
    int misses = 0;
    const char *lists = NULL; /* the default dataset: every list in the data folder */
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--per-kind") && i + 1 < argc) per_kind = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--unlisted") && i + 1 < argc) unlisted = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc) seed = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--dump") && i + 1 < argc) dump = argv[++i];
        else if (!strcmp(argv[i], "--misses")) misses = 1;
        else if (!strcmp(argv[i], "--lists") && i + 1 < argc) lists = argv[++i];
        else {
            fprintf(stderr, "usage: %s [--per-kind N] [--unlisted N] [--seed S] [--dump FILE] [--misses] [--lists CSV|all]\n",
                    argv[0]);
            return 2;
        }
    }
    sanctum_dataset *ds = NULL;
    sanctum_index *idx = NULL;
    sanctum_error err;
    sanctum_load_options lo = SANCTUM_LOAD_OPTIONS_INIT;
    if (lists && !strcmp(lists, "all")) lists = "ofac-sdn,un-sc,kr,us-csl,uk";
    lo.sources = lists;
    if (sanctum_dataset_load(&ds, &lo, &err)) {
        char m[800];
        sanctum_error_format(&err, m, sizeof m);
        fprintf(stderr, "bench_quality: %s\n", m);
        return 1;
    }
    if (sanctum_index_build(&idx, ds, &err)) {
        fprintf(stderr, "bench_quality: index: %s\n", err.message);
        sanctum_dataset_free(ds);
        return 1;
    }
    eval_set set;
    if (eval_generate(ds, seed, per_kind, unlisted, &set)) {
        fprintf(stderr, "bench_quality: out of memory\n");
        return 1;
    }
    FILE *df = dump ? fopen(dump, "w") : NULL;
    if (df) fprintf(df, "kind\texpect\tquery\n");
    size_t n[EK__COUNT] = { 0 }, top10[EK__COUNT][NT] = { { 0 } }, rank1[EK__COUNT][NT] = { { 0 } };
    size_t fp[NT] = { 0 };
    for (size_t i = 0; i < set.n; i++) {
        const eval_item *it = &set.v[i];
        if (df) fprintf(df, "%s\t%s\t%s\n", eval_kind_names[it->kind], it->expect ? it->expect : "-", it->query);
        sanctum_query q = SANCTUM_QUERY_INIT;
        q.name = it->query;
        q.min_score = thresholds[0];
        q.limit = 50;
        sanctum_result *r = NULL;
        if (sanctum_screen(&r, idx, &q, &err)) {
            fprintf(stderr, "bench_quality: '%s': %s\n", it->query, err.message);
            continue;
        }
        n[it->kind]++;
        const sanctum_entity *want = it->expect ? sanctum_dataset_find(ds, it->expect) : NULL;
        for (int t = 0; t < NT; t++) {
            /* hits at threshold t are the prefix with score >= t; rank among them */
            size_t rank = 0, above = 0;
            for (size_t k = 0; k < sanctum_result_count(r); k++) {
                const sanctum_hit *h = sanctum_result_hit(r, k);
                if (h->score < thresholds[t]) break;
                above++;
                if (it->expect && !rank && is_expected(want, h->entity)) rank = k + 1;
            }
            if (it->expect) {
                if (rank && rank <= 10) top10[it->kind][t]++;
                if (rank == 1) rank1[it->kind][t]++;
            } else if (above) {
                fp[t]++;
            }
        }
        if (misses) {
            int t = 5; /* the default threshold, 0.80 */
            const sanctum_hit *h0 = sanctum_result_hit(r, 0);
            int found = 0;
            for (size_t k = 0; k < sanctum_result_count(r) && k < 10; k++) {
                const sanctum_hit *h = sanctum_result_hit(r, k);
                if (h->score >= thresholds[t] && it->expect && is_expected(want, h->entity)) found = 1;
            }
            if (it->expect && !found) {
                const sanctum_entity *e = want;
                double sc = 0;
                sanctum_score_entity(idx, &q, it->expect, &sc);
                printf("MISS %-12s %-40s want %s [%s] %.3f; top %s %.3f\n", eval_kind_names[it->kind], it->query,
                       it->expect, e ? e->names[0].full : "?", sc, h0 ? h0->entity->names[h0->name_index].full : "-",
                       h0 ? h0->score : 0.0);
            } else if (!it->expect && h0 && h0->score >= thresholds[t]) {
                printf("FP   %-40s -> %s [%s] %.3f\n", it->query, h0->entity->id,
                       h0->entity->names[h0->name_index].full, h0->score);
            }
        }
        sanctum_result_free(r);
    }
    if (df) fclose(df);
    printf("evaluation set: %zu queries (seed %llu, lists %s, %zu entities)\n\n", set.n, (unsigned long long)seed,
           lists ? lists : "all in the data folder", sanctum_dataset_count(ds));
    printf("%-14s %6s   top-10 recall / rank-1 at threshold 0.80\n", "kind", "n");
    for (int k = 0; k < EK_UNLISTED; k++) {
        if (!n[k]) continue;
        printf("%-14s %6zu   %.4f / %.4f\n", eval_kind_names[k], n[k], (double)top10[k][5] / n[k],
               (double)rank1[k][5] / n[k]);
    }
    printf("%-14s %6zu   false-positive rate %.4f\n\n", "unlisted", n[EK_UNLISTED],
           n[EK_UNLISTED] ? (double)fp[5] / n[EK_UNLISTED] : 0.0);
    printf("threshold sweep (top-10 recall over all listed kinds, false-positive rate):\n");
    for (int t = 0; t < NT; t++) {
        size_t hit = 0, all = 0;
        double worst = 1.0;
        for (int k = 0; k < EK_UNLISTED; k++) {
            hit += top10[k][t];
            all += n[k];
            if (n[k] && (double)top10[k][t] / n[k] < worst) worst = (double)top10[k][t] / n[k];
        }
        printf("  %.2f  recall %.4f (worst kind %.4f)  fp %.4f\n", thresholds[t], all ? (double)hit / all : 0.0, worst,
               n[EK_UNLISTED] ? (double)fp[t] / n[EK_UNLISTED] : 0.0);
    }
    eval_free(&set);
    sanctum_index_free(idx);
    sanctum_dataset_free(ds);
    return 0;
}
