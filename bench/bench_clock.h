/*
 * bench_clock.h - the clocks and the sort order the benches share.
 *
 * now():            wall time, seconds.
 * thread_cpu_now(): CPU time of the calling thread, seconds. Latencies are
 *                   measured with it: on a shared machine the wall clock
 *                   also counts the time other processes held the core.
 * dcmp():           qsort order of doubles, for medians and percentiles.
 *
 * Include after defining _POSIX_C_SOURCE (clock_gettime).
 */
#ifndef SANCTUM_BENCH_CLOCK_H
#define SANCTUM_BENCH_CLOCK_H

#include <time.h>

static inline double bench_seconds(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static inline double now(void) { return bench_seconds(CLOCK_MONOTONIC); }

static inline double thread_cpu_now(void) { return bench_seconds(CLOCK_THREAD_CPUTIME_ID); }

static inline int dcmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

#endif
