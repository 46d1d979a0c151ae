/*
 * sanctum/common.h - status codes, the error report, library version and
 * memory helpers shared by every sanctum module.
 *
 * Conventions used across the public API:
 *  - functions return 0 (SANCTUM_OK) or a negative SANCTUM_E* code;
 *  - objects handed out through an `out` pointer belong to the caller and are
 *    released with the matching sanctum_<type>_free(), which accepts NULL;
 *  - pointers returned directly (const) are borrowed and live as long as the
 *    object they came from;
 *  - strings are UTF-8 and NUL-terminated.
 */
#ifndef SANCTUM_COMMON_H
#define SANCTUM_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define SANCTUM_EXTERN __attribute__((visibility("default")))
#else
#define SANCTUM_EXTERN
#endif

typedef enum sanctum_status {
    SANCTUM_OK = 0,
    SANCTUM_ENOMEM = -1,   /* out of memory */
    SANCTUM_EIO = -2,      /* a file could not be opened or read */
    SANCTUM_EPARSE = -3,   /* malformed input (CSV, XML, JSON, remarks) */
    SANCTUM_EINVAL = -4,   /* an argument is invalid */
    SANCTUM_ENOTFOUND = -5,/* no such entity, source or file */
    SANCTUM_ELIMIT = -6,   /* input exceeds a documented size limit */
    SANCTUM_EUNICODE = -7, /* invalid UTF-8 or a Unicode library failure */
    SANCTUM_ESTRICT = -8,  /* a warning was raised and strict mode is on */
    SANCTUM_EINTERNAL = -9 /* a bug: please report */
} sanctum_status;

/* A filled-in error report. Fixed size so that reporting never allocates.
 * `file` and `line` locate the offending input when there is one
 * (line 0 means "not tied to a line"; for XML, `where` names the element). */
typedef struct sanctum_error {
    int code;
    char file[256];
    unsigned long line;
    char where[64];
    char message[512];
} sanctum_error;

/* Text for a status code; never NULL, static storage. */
SANCTUM_EXTERN const char *sanctum_strerror(int code);

/* Formats an error as "file:line: message" (or just the message) into buf. */
SANCTUM_EXTERN void sanctum_error_format(const sanctum_error *err, char *buf, size_t size);

/* The library version, e.g. "0.1.0". */
SANCTUM_EXTERN const char *sanctum_version(void);

/* Releases what the library caches for the calling thread (Unicode
 * transliterators). Optional: a thread's cache is released when the thread
 * exits; call it before the process exits to keep leak checkers quiet. */
SANCTUM_EXTERN void sanctum_thread_cleanup(void);

/* Releases a string the library allocated for the caller (JSON output etc.). */
SANCTUM_EXTERN void sanctum_string_free(char *s);

#ifdef __cplusplus
}
#endif
#endif
