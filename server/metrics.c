/*
 * metrics.c - request counters and latency histograms for GET /metrics, in
 * the Prometheus text exposition format.
 *
 * Counters are plain atomics indexed by route and status, so recording a
 * request never takes a lock. Latency is kept as a cumulative histogram per
 * route with fixed bucket bounds; the sum is kept in microseconds.
 */
#define _GNU_SOURCE
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server_internal.h"

static const unsigned statuses[] = { 200, 400, 401, 404, 405, 408, 413, 431, 500, 503 };
#define N_STATUS (sizeof statuses / sizeof statuses[0] + 1) /* the last slot: any other */

static const double bounds[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5 };
#define N_BOUNDS (sizeof bounds / sizeof bounds[0])

static atomic_ullong requests[ROUTE_COUNT][N_STATUS];
static atomic_ullong buckets[ROUTE_COUNT][N_BOUNDS + 1];
static atomic_ullong sum_us[ROUTE_COUNT];

static const char *const route_names[ROUTE_COUNT] = {
    "page", "healthz", "lists", "search", "screen", "batch", "entity", "metrics", "openapi", "alerts", "alert_resolve", "other",
};

const char *server_route_name(server_route r)
{
    return (unsigned)r < ROUTE_COUNT ? route_names[r] : "other";
}

void server_metrics_record(server_route r, unsigned status, double seconds)
{
    if ((unsigned)r >= ROUTE_COUNT) r = ROUTE_OTHER;
    size_t s = N_STATUS - 1;
    for (size_t i = 0; i + 1 < N_STATUS; i++)
        if (statuses[i] == status) s = i;
    atomic_fetch_add_explicit(&requests[r][s], 1, memory_order_relaxed);
    size_t b = 0;
    while (b < N_BOUNDS && seconds > bounds[b]) b++;
    atomic_fetch_add_explicit(&buckets[r][b], 1, memory_order_relaxed);
    if (seconds < 0) seconds = 0;
    atomic_fetch_add_explicit(&sum_us[r], (unsigned long long)(seconds * 1e6), memory_order_relaxed);
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
            unsigned long long n = atomic_load_explicit(&requests[r][s], memory_order_relaxed);
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
            cum += atomic_load_explicit(&buckets[r][b], memory_order_relaxed);
            if (b < N_BOUNDS)
                fprintf(f, "sanctum_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                        route_names[r], bounds[b], cum);
            else
                fprintf(f, "sanctum_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
                        route_names[r], cum);
        }
        fprintf(f, "sanctum_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", route_names[r],
                (double)atomic_load_explicit(&sum_us[r], memory_order_relaxed) / 1e6);
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
