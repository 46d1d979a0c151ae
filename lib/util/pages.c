/*
 * pages.c - see pages.h.
 */
#define _DEFAULT_SOURCE
#include "util/pages.h"

#include <stdint.h>
#include <sys/mman.h>

#define HUGE_BLOCK ((uintptr_t)2 << 20)

void sanctum_pages_huge(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
    if (!p || len < 2 * HUGE_BLOCK) return;
    uintptr_t lo = ((uintptr_t)p + HUGE_BLOCK - 1) & ~(HUGE_BLOCK - 1);
    uintptr_t hi = ((uintptr_t)p + len) & ~(HUGE_BLOCK - 1);
    if (hi > lo) (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
    (void)p;
    (void)len;
#endif
}
