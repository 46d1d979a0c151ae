/*
 * fuzz_kr.c - feeds arbitrary bytes to the loader of South Korea's curated designations (designations.csv), through
 * the shared harness in fuzz_load.h.
 */
#define _POSIX_C_SOURCE 200809L
#define SOURCE "kr"
#define FILE_NAME "designations.csv"
#include "fuzz_load.h"
