/*
 * error.h - filling in a sanctum_error without allocating.
 */
#ifndef SANCTUM_UTIL_ERROR_H
#define SANCTUM_UTIL_ERROR_H

#include "sanctum/common.h"

/* Sets err (if non-NULL) and returns code, so callers can `return sanctum_error_set(...)`.
 * file may be NULL; line 0 means none. */
int sanctum_error_set(sanctum_error *err, int code, const char *file, unsigned long line,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Same, with an XML element or JSON field name in `where`. */
int sanctum_error_set_where(sanctum_error *err, int code, const char *file, const char *where,
                            const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void sanctum_error_clear(sanctum_error *err);

#endif
