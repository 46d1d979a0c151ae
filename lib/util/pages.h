/*
 * pages.h - hints to the kernel about large read-mostly tables.
 */
#ifndef SANCTUM_UTIL_PAGES_H
#define SANCTUM_UTIL_PAGES_H

#include <stddef.h>

/* Asks for huge pages (2 MiB on x86-64) under the whole 2 MiB blocks of
 * [p, p + len), for a table read at random: one TLB entry then covers what
 * 512 would. Call it before the memory is first written. Does nothing where
 * the system offers no such hint, or for tables under a few blocks; only a
 * hint, so failure is ignored. */
void sanctum_pages_huge(void *p, size_t len);

#endif
