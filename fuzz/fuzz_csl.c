/*
 * fuzz_csl.c - feeds arbitrary bytes to the loader of the US Consolidated
 * Screening List (consolidated.csv), through the shared harness in fuzz_load.h.
 */
#define _POSIX_C_SOURCE 200809L
#define SOURCE "us-csl"
#define FILE_NAME "consolidated.csv"
#include "fuzz_load.h"
