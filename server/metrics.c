/*
 * metrics.c - request counters and latency histograms for GET /metrics, in
 * the Prometheus text exposition format, and the per-thread state they live
 * in.
 *
 * Every server thread counts into a block of its own: requests by route and
 * status, a cumulative latency histogram per route with fixed bucket bounds
 * (the sum kept in microseconds), the requests started and finished, and the
 * screenings made. Readers add the blocks up. So recording a request takes
 * no lock and writes no cache line that another thread writes too; on two
 * cores shared counters would bounce between them on every request. The
 * block also holds the thread's hazard slot for the snapshot (snapshot.c).
 *
 * Blocks are made on a thread's first use and never freed; when a thread
 * ends, its block goes back to a pool for the next new thread, counts
 * included (totals are sums, so they stay right). A thread that cannot get a
 * block (out of memory) counts into one shared block instead.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server_internal.h"

static const unsigned statuses[] = { 200, 400, 401, 404, 405, 408, 413, 431, 500, 503 };
#define N_STATUS (sizeof statuses / sizeof statuses[0] + 1) /* the last slot: any other */

static const double bounds[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5 };
#define N_BOUNDS (sizeof bounds / sizeof bounds[0])

typedef struct thread_block {
    struct thread_block *next;          /* every block made; the list only grows */
    atomic_int taken;                   /* a running thread owns the block */
    _Atomic(server_snapshot *) hazard;  /* the snapshot this thread is reading */
    atomic_ullong counts[SERVER_COUNT__N];
    atomic_ullong requests[ROUTE_COUNT][N_STATUS];
    atomic_ullong buckets[ROUTE_COUNT][N_BOUNDS + 1];
    atomic_ullong sum_us[ROUTE_COUNT];
} thread_block;

static _Atomic(thread_block *) blocks;
static thread_block shared_block;       /* for threads that could not get their own */
static _Thread_local thread_block *self;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_key_t exit_key;
static int have_key;

static const char *const route_names[ROUTE_COUNT] = {
    "page", "healthz", "lists", "search", "screen", "batch", "entity", "metrics", "openapi", "alerts", "alert_resolve", "other",
};

/* At thread exit: the block is free for the next new thread. */
static void block_release(void *p)
{
    thread_block *b = p;
    atomic_store(&b->hazard, NULL);
    atomic_store_explicit(&b->taken, 0, memory_order_release);
}

static void make_key(void)
{
    have_key = pthread_key_create(&exit_key, block_release) == 0;
}

/* This thread's block; the shared one when none can be had. */
static thread_block *block_self(void)
{
    if (self) return self;
    pthread_once(&key_once, make_key);
    thread_block *b;
    for (b = atomic_load(&blocks); b; b = b->next) {
        int free_ = 0;
        if (atomic_compare_exchange_strong(&b->taken, &free_, 1)) break;
    }
    if (!b) {
        b = calloc(1, sizeof *b);
        if (!b) return &shared_block;
        atomic_store(&b->taken, 1);
        thread_block *head = atomic_load(&blocks);
        do {
            b->next = head;
        } while (!atomic_compare_exchange_weak(&blocks, &head, b));
    }
    /* without the exit hook the block stays taken after the thread ends:
     * one block lost per thread, counts still right */
    if (have_key) pthread_setspecific(exit_key, b);
    self = b;
    return b;
}

_Atomic(server_snapshot *) *server_thread_hazard(void)
{
    thread_block *b = block_self();
    return b == &shared_block ? NULL : &b->hazard;
}

int server_thread_hazard_held(const server_snapshot *s)
{
    for (thread_block *b = atomic_load(&blocks); b; b = b->next)
        if (atomic_load(&b->hazard) == s) return 1;
    return 0;
}

/* The sum over every block of one counter, named by its place in the shared
 * block. */
static unsigned long long sum_of(atomic_ullong *field)
{
    size_t off = (size_t)((char *)field - (char *)&shared_block);
    unsigned long long n = atomic_load_explicit(field, memory_order_relaxed);
    for (thread_block *b = atomic_load(&blocks); b; b = b->next)
        n += atomic_load_explicit((atomic_ullong *)((char *)b + off), memory_order_relaxed);
    return n;
}

void server_count(server_counter c)
{
    atomic_fetch_add_explicit(&block_self()->counts[c], 1, memory_order_relaxed);
}

unsigned long long server_count_total(server_counter c)
{
    return sum_of(&shared_block.counts[c]);
}

const char *server_route_name(server_route r)
{
    return (unsigned)r < ROUTE_COUNT ? route_names[r] : "other";
}

void server_metrics_record(server_route r, unsigned status, double seconds)
{
    thread_block *me = block_self();
    if ((unsigned)r >= ROUTE_COUNT) r = ROUTE_OTHER;
    size_t s = N_STATUS - 1;
    for (size_t i = 0; i + 1 < N_STATUS; i++)
        if (statuses[i] == status) s = i;
    atomic_fetch_add_explicit(&me->requests[r][s], 1, memory_order_relaxed);
    size_t b = 0;
    while (b < N_BOUNDS && seconds > bounds[b]) b++;
    atomic_fetch_add_explicit(&me->buckets[r][b], 1, memory_order_relaxed);
    if (seconds < 0) seconds = 0;
    atomic_fetch_add_explicit(&me->sum_us[r], (unsigned long long)(seconds * 1e6), memory_order_relaxed);
}

/* Prometheus label values escape backslash, quote and newline. */
static void label(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '\\' || *s == '"') fputc('\\', f);
        if (*s == '\n') {
            fputs("\\n", f);
            continue;
        }
        fputc(*s, f);
    }
}

char *server_metrics_text(const server_snapshot *snap)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    if (!f) return NULL;
    fputs("# HELP sanctum_http_requests_total HTTP requests answered, by route and status.\n"
          "# TYPE sanctum_http_requests_total counter\n",
          f);
    for (size_t r = 0; r < ROUTE_COUNT; r++)
        for (size_t s = 0; s < N_STATUS; s++) {
            unsigned long long n = sum_of(&shared_block.requests[r][s]);
            if (!n) continue;
            if (s + 1 < N_STATUS)
                fprintf(f, "sanctum_http_requests_total{route=\"%s\",status=\"%u\"} %llu\n", route_names[r],
                        statuses[s], n);
            else
                fprintf(f, "sanctum_http_requests_total{route=\"%s\",status=\"other\"} %llu\n", route_names[r], n);
        }
    fputs("# HELP sanctum_http_request_duration_seconds Time from the request's headers to the end of its "
          "response.\n"
          "# TYPE sanctum_http_request_duration_seconds histogram\n",
          f);
    for (size_t r = 0; r < ROUTE_COUNT; r++) {
        unsigned long long cum = 0;
        for (size_t b = 0; b <= N_BOUNDS; b++) {
            cum += sum_of(&shared_block.buckets[r][b]);
            if (b < N_BOUNDS)
                fprintf(f, "sanctum_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                        route_names[r], bounds[b], cum);
            else
                fprintf(f, "sanctum_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
                        route_names[r], cum);
        }
        fprintf(f, "sanctum_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", route_names[r],
                (double)sum_of(&shared_block.sum_us[r]) / 1e6);
        fprintf(f, "sanctum_http_request_duration_seconds_count{route=\"%s\"} %llu\n", route_names[r], cum);
    }
    fputs("# HELP sanctum_screenings_total Screenings made (each passes the audit hook).\n"
          "# TYPE sanctum_screenings_total counter\n",
          f);
    fprintf(f, "sanctum_screenings_total %llu\n", server_audit_count());
    if (snap) {
        fputs("# HELP sanctum_list_info The loaded lists: one series per source, value 1.\n"
              "# TYPE sanctum_list_info gauge\n",
              f);
        for (size_t i = 0; i < sanctum_dataset_source_count(snap->ds); i++) {
            const sanctum_source_info *si = sanctum_dataset_source(snap->ds, i);
            fputs("sanctum_list_info{source=\"", f);
            label(f, si->name);
            fputs("\",published=\"", f);
            label(f, si->published ? si->published : "");
            fputs("\",sha256=\"", f);
            label(f, si->sha256 ? si->sha256 : "");
            fputs("\"} 1\n", f);
            fputs("sanctum_list_entities{source=\"", f);
            label(f, si->name);
            fprintf(f, "\"} %zu\n", si->entities);
        }
        fputs("# HELP sanctum_lists_generation How many times the lists were loaded (1 + reloads).\n"
              "# TYPE sanctum_lists_generation gauge\n",
              f);
        fprintf(f, "sanctum_lists_generation %lu\n", snap->generation);
        fprintf(f, "# TYPE sanctum_lists_loaded_timestamp_seconds gauge\nsanctum_lists_loaded_timestamp_seconds %lld\n",
                (long long)snap->loaded_at);
    }
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}
