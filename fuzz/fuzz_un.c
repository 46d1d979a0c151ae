/*
 * fuzz_un.c - feeds arbitrary bytes to the UN consolidated list loader
 * (consolidated.xml), through the shared harness in fuzz_load.h.
 */
#define _POSIX_C_SOURCE 200809L
#define SOURCE "un-sc"
#define FILE_NAME "consolidated.xml"
#include "fuzz_load.h"
