/*
 * fuzz_uk.c - feeds arbitrary bytes to the loader of the UK OFSI workbook (the bytes of ConList.xlsx: zip, shared strings, sheet), through
 * the shared harness in fuzz_load.h.
 */
#define _POSIX_C_SOURCE 200809L
#define SOURCE "uk"
#define FILE_NAME "ConList.xlsx"
#include "fuzz_load.h"
