/*
 * error.c - status codes, their messages, and the error report.
 */
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct { int code; const char *text; } messages[] = {
    { SANCTUM_OK, "success" },
    { SANCTUM_ENOMEM, "out of memory" },
    { SANCTUM_EIO, "cannot read input" },
    { SANCTUM_EPARSE, "malformed input" },
    { SANCTUM_EINVAL, "invalid argument" },
    { SANCTUM_ENOTFOUND, "not found" },
    { SANCTUM_ELIMIT, "input exceeds a size limit" },
    { SANCTUM_EUNICODE, "invalid text encoding" },
    { SANCTUM_ESTRICT, "warning treated as error (strict mode)" },
    { SANCTUM_EINTERNAL, "internal error" },
};

const char *sanctum_strerror(int code)
{
    for (size_t i = 0; i < sizeof messages / sizeof messages[0]; i++)
        if (messages[i].code == code) return messages[i].text;
    return "unknown error";
}

const char *sanctum_version(void) { return SANCTUM_VERSION_STRING; }

void sanctum_string_free(char *s) { free(s); }

void sanctum_error_clear(sanctum_error *err)
{
    if (err) memset(err, 0, sizeof *err);
}

static void copy_file(sanctum_error *err, const char *file)
{
    if (!file) {
        err->file[0] = '\0';
        return;
    }
    size_t n = strlen(file);
    if (n >= sizeof err->file) file += n - (sizeof err->file - 1);  /* keep the tail */
    snprintf(err->file, sizeof err->file, "%s", file);
}

int sanctum_error_set(sanctum_error *err, int code, const char *file, unsigned long line,
                      const char *fmt, ...)
{
    if (!err) return code;
    err->code = code;
    copy_file(err, file);
    err->line = line;
    err->where[0] = '\0';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

int sanctum_error_set_where(sanctum_error *err, int code, const char *file, const char *where,
                            const char *fmt, ...)
{
    if (!err) return code;
    err->code = code;
    copy_file(err, file);
    err->line = 0;
    snprintf(err->where, sizeof err->where, "%s", where ? where : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

void sanctum_error_format(const sanctum_error *err, char *buf, size_t size)
{
    if (!size) return;
    if (!err) {
        snprintf(buf, size, "unknown error");
        return;
    }
    const char *msg = err->message[0] ? err->message : sanctum_strerror(err->code);
    if (err->file[0] && err->line)
        snprintf(buf, size, "%s:%lu: %s", err->file, err->line, msg);
    else if (err->file[0] && err->where[0])
        snprintf(buf, size, "%s: <%s>: %s", err->file, err->where, msg);
    else if (err->file[0])
        snprintf(buf, size, "%s: %s", err->file, msg);
    else if (err->where[0])
        snprintf(buf, size, "%s: %s", err->where, msg);
    else
        snprintf(buf, size, "%s", msg);
}
