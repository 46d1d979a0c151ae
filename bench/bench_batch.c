/*
 * bench_batch.c - throughput of streamed batch screening.
 *
 * Generates N realistic input records (namegen.h: about 1 in 1000 a variant
 * of a listed name), screens them with sanctum_batch_run() on 1 thread and on
 * T threads (default: every core), checks that both outputs are identical,
 * and prints names per second, peak memory, and the ratio against brute-force
 * scoring (every listed name scored) of a sample of the same input, measured
 * in the same run.
 *
 *   bench_batch [N] [THREADS] [BRUTE_SAMPLE]     defaults: 200000, cores, 200
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bench_clock.h"
#include <unistd.h>

#include <jansson.h>

#include "namegen.h"
#include "sanctum/batch.h"

/* CPU time of the whole process: every worker thread counts. */
static double cpu_now(void) { return bench_seconds(CLOCK_PROCESS_CPUTIME_ID); }

static long peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

static int files_equal(FILE *a, FILE *b)
{
    rewind(a);
    rewind(b);
    char x[65536], y[65536];
    for (;;) {
        size_t n = fread(x, 1, sizeof x, a), m = fread(y, 1, sizeof y, b);
        if (n != m || memcmp(x, y, n) != 0) return 0;
        if (n == 0) return 1;
    }
}

static double run(const sanctum_index *idx, FILE *in, FILE *out, unsigned threads, sanctum_batch_summary *sum,
                  double *cpu)
{
    rewind(in);
    rewind(out);
    if (ftruncate(fileno(out), 0) != 0) perror("ftruncate");
    sanctum_batch_options opts = SANCTUM_BATCH_OPTIONS_INIT;
    opts.threads = threads;
    sanctum_error err;
    double t0 = now(), c0 = cpu_now();
    if (sanctum_batch_run(idx, in, out, &opts, sum, &err) != 0) {
        char buf[800];
        sanctum_error_format(&err, buf, sizeof buf);
        fprintf(stderr, "bench_batch: %s\n", buf);
        exit(1);
    }
    *cpu = cpu_now() - c0;
    return now() - t0;
}

int main(int argc, char **argv)
{
    unsigned long long n = argc > 1 ? strtoull(argv[1], NULL, 10) : 200000;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = argc > 2 ? (unsigned)atoi(argv[2]) : (unsigned)(cores > 0 ? cores : 1);
    size_t sample = argc > 3 ? (size_t)atoi(argv[3]) : 200;

    sanctum_dataset *ds = NULL;
    sanctum_index *idx = NULL;
    sanctum_error err;
    if (sanctum_dataset_load(&ds, NULL, &err) != 0 || sanctum_index_build(&idx, ds, &err) != 0) {
        char buf[800];
        sanctum_error_format(&err, buf, sizeof buf);
        fprintf(stderr, "bench_batch: %s\n", buf);
        return 1;
    }
    FILE *in = tmpfile(), *out1 = tmpfile(), *outn = tmpfile();
    if (!in || !out1 || !outn) {
        perror("tmpfile");
        return 1;
    }
    rng_state = 1;
    for (unsigned long long i = 0; i < n; i++) namegen_record(in, ds, 0.001, i);
    fflush(in);
    long rss_before = peak_rss_mb();

    sanctum_batch_summary s1, sn;
    double c1, cn;
    double t1 = run(idx, in, out1, 1, &s1, &c1);
    long rss_1 = peak_rss_mb();
    double tn = run(idx, in, outn, threads, &sn, &cn);
    long rss_n = peak_rss_mb();
    int same = files_equal(out1, outn);

    /* brute force on a sample of the same input */
    rewind(in);
    char *line = NULL;
    size_t cap = 0;
    size_t done = 0;
    double tb = 0;
    while (done < sample && getline(&line, &cap, in) > 0) {
        json_t *o = json_loads(line, 0, NULL);
        const char *name = json_string_value(json_object_get(o, "name"));
        sanctum_query q = SANCTUM_QUERY_INIT;
        q.name = name;
        q.exhaustive = 1;
        sanctum_entity_type t;
        const char *type = json_string_value(json_object_get(o, "type"));
        if (type && sanctum_type_parse(type, &t) == 0) q.types = (unsigned)t;
        sanctum_result *r = NULL;
        double t0 = cpu_now();
        sanctum_screen(&r, idx, &q, &err);
        tb += cpu_now() - t0;
        sanctum_result_free(r);
        json_decref(o);
        done++;
    }
    free(line);

    double rate1 = (double)s1.lines / t1, raten = (double)sn.lines / tn, rateb = (double)done / tb;
    printf("batch: %llu names (%llu with hits, %llu errors)\n", s1.lines, s1.with_hits, s1.errors);
    printf("  1 thread : %10.0f names/s wall  (%.2f s; %.0f names per CPU-second)\n", rate1, t1, (double)s1.lines / c1);
    printf("  %u threads: %10.0f names/s wall  (%.2f s; %.0f names per CPU-second)  speed-up x%.2f\n", threads,
           raten, tn, (double)sn.lines / cn, raten / rate1);
    printf("  brute force (every listed name scored, %zu-name sample): %.1f names per CPU-second\n", done, rateb);
    printf("  ratio per CPU-second, batch / brute force: x%.0f\n", ((double)s1.lines / c1) / rateb);
    printf("  outputs identical across thread counts: %s\n", same ? "yes" : "NO");
    printf("  peak RSS: %ld MiB after loading and generating, %ld MiB after 1 thread, %ld MiB after %u threads\n",
           rss_before, rss_1, rss_n, threads);
    fclose(in);
    fclose(out1);
    fclose(outn);
    sanctum_index_free(idx);
    sanctum_dataset_free(ds);
    return same ? 0 : 1;
}
