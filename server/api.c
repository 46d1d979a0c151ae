/*
 * api.c - the JSON endpoints: search, screen, batch, entities, lists and the
 * health check, plus the helpers they share (error replies, UTF-8 checks).
 *
 * Every input is checked before it reaches the library: query parameters
 * must be known, given once, well-formed UTF-8 and within size; JSON bodies
 * must parse and every field must have the right type. Anything wrong is a
 * 400 naming the parameter or field; too much of anything is a 413. The
 * screened name never appears in an error message (it is personal data and
 * error texts may end up in logs).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <microhttpd.h>

#include "server_internal.h"

#define MAX_LIMIT 500
#define MAX_IDENTS 32

/* ---- replies ------------------------------------------------------------------ */

void server_reply_error(server_reply *rep, unsigned status, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *o = json_pack("{s:{s:i,s:s}}", "error", "status", (json_int_t)status, "message", msg);
    char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    free(rep->body);
    memset(rep, 0, sizeof *rep);
    rep->status = status;
    rep->content_type = "application/json";
    if (text) {
        rep->body = text;
        rep->size = strlen(text);
    } else {
        static const char oom[] = "{\"error\":{\"status\":500,\"message\":\"out of memory\"}}";
        rep->status = 500;
        rep->static_body = (const unsigned char *)oom;
        rep->size = sizeof oom - 1;
    }
}

void server_reply_json(server_reply *rep, unsigned status, char *json)
{
    if (!json) {
        server_reply_error(rep, 500, "out of memory");
        return;
    }
    free(rep->body);
    memset(rep, 0, sizeof *rep);
    rep->status = status;
    rep->content_type = "application/json";
    rep->body = json;
    rep->size = strlen(json);
}

/* Copies a library-allocated string into one the reply may free(). */
static char *own(char *lib)
{
    char *copy = lib ? strdup(lib) : NULL;
    sanctum_string_free(lib);
    return copy;
}

int server_utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str, *end = s + len;
    while (s < end) {
        unsigned c = *s;
        if (c < 0x80) {
            s++;
            continue;
        }
        size_t n;
        unsigned cp, min;
        if (c >= 0xC2 && c <= 0xDF) n = 1, cp = c & 0x1F, min = 0x80;
        else if (c >= 0xE0 && c <= 0xEF) n = 2, cp = c & 0x0F, min = 0x800;
        else if (c >= 0xF0 && c <= 0xF4) n = 3, cp = c & 0x07, min = 0x10000;
        else return 0;
        if ((size_t)(end - s) <= n) return 0;
        for (size_t i = 1; i <= n; i++) {
            if ((s[i] & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (s[i] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
        s += n + 1;
    }
    return 1;
}

/* ---- parameter checks shared by search, screen and batch ----------------------- */

static int parse_score_text(const char *arg, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(arg, &end);
    if (errno || end == arg || *end || !(v >= 0.0 && v <= 1.0)) return -1;
    *out = v;
    return 0;
}

static int parse_limit_text(const char *arg, size_t *out)
{
    char *end;
    errno = 0;
    if (!isdigit((unsigned char)*arg)) return -1;
    unsigned long v = strtoul(arg, &end, 10);
    if (errno || *end || v == 0 || v > MAX_LIMIT) return -1;
    *out = (size_t)v;
    return 0;
}

/* Every comma-separated name in lists is a loaded source. */
static int known_lists(const server_snapshot *snap, const char *lists, char *bad, size_t badsz)
{
    const char *p = lists;
    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        int found = 0;
        for (size_t i = 0; i < sanctum_dataset_source_count(snap->ds); i++) {
            const char *name = sanctum_dataset_source(snap->ds, i)->name;
            if (strlen(name) == len && strncmp(name, p, len) == 0) found = 1;
        }
        if (!found) {
            snprintf(bad, badsz, "%.*s", (int)(len > 64 ? 64 : len), p);
            return 0;
        }
        if (!end) return 1;
        p = end + 1;
    }
}

/* ---- GET /v1/search --------------------------------------------------------------- */

enum { P_Q, P_TYPE, P_MIN_SCORE, P_LIMIT, P_LIST, P_PROGRAM, P_DOB, P_COUNTRY, P_FORMAT, P_COUNT };
static const char *const param_names[P_COUNT] = { "q",    "type", "min_score", "limit",  "list",
                                                  "program", "dob", "country", "format" };

typedef struct params {
    const char *v[P_COUNT];
    unsigned allowed;   /* bit per parameter */
    char error[300];
} params;

static enum MHD_Result collect_param(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    params *p = cls;
    if (p->error[0]) return MHD_NO;
    size_t klen = strlen(key);
    int which = -1;
    for (int i = 0; i < P_COUNT; i++)
        if ((p->allowed & (1u << i)) && strcmp(key, param_names[i]) == 0) which = i;
    if (which < 0) {
        if (server_utf8_valid(key, klen) && klen <= 32)
            snprintf(p->error, sizeof p->error, "unknown query parameter \"%s\"", key);
        else
            snprintf(p->error, sizeof p->error, "unknown query parameter");
        return MHD_NO;
    }
    if (p->v[which]) {
        snprintf(p->error, sizeof p->error, "query parameter \"%s\" given more than once", key);
        return MHD_NO;
    }
    if (!value) value = "";
    size_t vlen = strlen(value);
    if (vlen > SERVER_MAX_QUERY_BYTES) {
        snprintf(p->error, sizeof p->error, "query parameter \"%s\" is longer than %u bytes", key,
                 SERVER_MAX_QUERY_BYTES);
        return MHD_NO;
    }
    if (!server_utf8_valid(value, vlen)) {
        snprintf(p->error, sizeof p->error, "query parameter \"%s\" is not valid UTF-8", key);
        return MHD_NO;
    }
    p->v[which] = value;
    return MHD_YES;
}

/* Applies the filter parameters (all but q and format) to q. Returns 0, or -1
 * with the reason in p->error. */
static int apply_filters(const server_snapshot *snap, params *p, sanctum_query *q)
{
    if (p->v[P_TYPE] && *p->v[P_TYPE] && sanctum_types_parse(p->v[P_TYPE], &q->types) != 0) {
        snprintf(p->error, sizeof p->error,
                 "parameter \"type\" wants person, organization, vessel, aircraft or any (comma-separated)");
        return -1;
    }
    if (p->v[P_MIN_SCORE] && *p->v[P_MIN_SCORE] && parse_score_text(p->v[P_MIN_SCORE], &q->min_score) != 0) {
        snprintf(p->error, sizeof p->error, "parameter \"min_score\" wants a number from 0 to 1");
        return -1;
    }
    if (p->v[P_LIMIT] && *p->v[P_LIMIT] && parse_limit_text(p->v[P_LIMIT], &q->limit) != 0) {
        snprintf(p->error, sizeof p->error, "parameter \"limit\" wants a whole number from 1 to %d", MAX_LIMIT);
        return -1;
    }
    if (p->v[P_DOB] && *p->v[P_DOB]) {
        if (!sanctum_dob_valid(p->v[P_DOB])) {
            snprintf(p->error, sizeof p->error, "parameter \"dob\" wants YYYY, YYYY-MM or YYYY-MM-DD");
            return -1;
        }
        q->dob = p->v[P_DOB];
    }
    if (p->v[P_LIST] && *p->v[P_LIST]) {
        char bad[80];
        if (!known_lists(snap, p->v[P_LIST], bad, sizeof bad)) {
            snprintf(p->error, sizeof p->error, "parameter \"list\": no loaded list is called \"%s\"", bad);
            return -1;
        }
        q->lists = p->v[P_LIST];
    }
    if (p->v[P_PROGRAM] && *p->v[P_PROGRAM]) q->programs = p->v[P_PROGRAM];
    if (p->v[P_COUNTRY] && *p->v[P_COUNTRY]) q->country = p->v[P_COUNTRY];
    return 0;
}

void server_handle_search(const server_ctx *c, struct MHD_Connection *conn, server_reply *rep)
{
    params p;
    memset(&p, 0, sizeof p);
    p.allowed = (1u << P_COUNT) - 1u;
    p.allowed &= ~(1u << P_FORMAT);
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_param, &p);
    if (p.error[0]) {
        server_reply_error(rep, 400, "%s", p.error);
        return;
    }
    const char *name = p.v[P_Q];
    if (!name || !*name) {
        server_reply_error(rep, 400, "missing query parameter \"q\" (the name to screen)");
        return;
    }
    sanctum_query q = SANCTUM_QUERY_INIT;
    q.name = name;
    if (apply_filters(c->snap, &p, &q) != 0) {
        server_reply_error(rep, 400, "%s", p.error);
        return;
    }
    /* the canonical query: every field, in a fixed order, separated by a byte
     * no value holds; made only with the cache on, and a query too long for
     * the key bypasses the cache (a cut key could stand for another query) */
    char key[SERVER_MAX_QUERY_BYTES * 2 + 256];
    int cached = !c->cfg->no_cache;
    if (cached) {
        int kl = snprintf(key, sizeof key, "%s\x1f%u\x1f%.4f\x1f%zu\x1f%s\x1f%s\x1f%s\x1f%s", name, q.types,
                          q.min_score, q.limit, q.lists ? q.lists : "", q.programs ? q.programs : "",
                          q.dob ? q.dob : "", q.country ? q.country : "");
        cached = kl > 0 && (size_t)kl < sizeof key;
    }
    char *body = cached ? server_cache_get(c->snap->generation, key) : NULL;
    if (!body) {
        sanctum_result *res = NULL;
        sanctum_error err;
        int rc = sanctum_screen(&res, c->snap->idx, &q, &err);
        if (rc != 0) {
            server_reply_error(rep, rc == SANCTUM_ENOMEM || rc == SANCTUM_EINTERNAL ? 500 : 400, "%s",
                               err.message);
            return;
        }
        body = own(sanctum_screen_json(&q, res, NULL, 0));
        sanctum_result_free(res);
        if (!body) {
            server_reply_error(rep, 500, "out of memory");
            return;
        }
        if (cached) server_cache_put(c->snap->generation, key, body);
    }
    server_audit_record rec = { c->who, "search", &q, NULL, body, c->snap->versions, c->snap,
                                q.min_score < 0 ? SANCTUM_DEFAULT_MIN_SCORE : q.min_score };
    server_audit_screening(&rec);
    server_reply_json(rep, 200, body);
}

/* ---- POST /v1/screen ------------------------------------------------------------------- */

/* A string field, or absent/null. Returns 0, or -1 with the reason in msg. */
static int opt_string(json_t *root, const char *field, const char **out, char *msg, size_t msgsz)
{
    json_t *v = json_object_get(root, field);
    *out = NULL;
    if (!v || json_is_null(v)) return 0;
    if (!json_is_string(v)) {
        snprintf(msg, msgsz, "field \"%s\" must be a string", field);
        return -1;
    }
    if (json_string_length(v) > SERVER_MAX_QUERY_BYTES) {
        snprintf(msg, msgsz, "field \"%s\" is longer than %u bytes", field, SERVER_MAX_QUERY_BYTES);
        return -1;
    }
    if (strlen(json_string_value(v)) != json_string_length(v)) {
        snprintf(msg, msgsz, "field \"%s\" contains a NUL character", field);
        return -1;
    }
    if (*json_string_value(v)) *out = json_string_value(v);
    return 0;
}

typedef struct ident_item {
    int wallet;
    const char *value, *type, *country;
} ident_item;

static int read_idents(json_t *root, ident_item *items, size_t *n, char *msg, size_t msgsz)
{
    *n = 0;
    json_t *w = json_object_get(root, "wallets"), *d = json_object_get(root, "ids"), *v;
    size_t i;
    if (w && !json_is_null(w)) {
        if (!json_is_array(w)) {
            snprintf(msg, msgsz, "field \"wallets\" must be an array of strings");
            return -1;
        }
        json_array_foreach(w, i, v) {
            if (!json_is_string(v) || json_string_length(v) > SERVER_MAX_QUERY_BYTES) {
                snprintf(msg, msgsz, "field \"wallets[%zu]\" must be a string of at most %u bytes", i,
                         SERVER_MAX_QUERY_BYTES);
                return -1;
            }
            if (*n == MAX_IDENTS) goto too_many;
            items[(*n)++] = (ident_item){ 1, json_string_value(v), NULL, NULL };
        }
    }
    if (d && !json_is_null(d)) {
        if (!json_is_array(d)) {
            snprintf(msg, msgsz, "field \"ids\" must be an array");
            return -1;
        }
        json_array_foreach(d, i, v) {
            if (*n == MAX_IDENTS) goto too_many;
            if (json_is_string(v)) {
                items[(*n)++] = (ident_item){ 0, json_string_value(v), NULL, NULL };
                continue;
            }
            json_t *num = json_object_get(v, "number"), *t = json_object_get(v, "type"),
                   *co = json_object_get(v, "country");
            if (!json_is_object(v) || !json_is_string(num) || (t && !json_is_null(t) && !json_is_string(t)) ||
                (co && !json_is_null(co) && !json_is_string(co))) {
                snprintf(msg, msgsz,
                         "field \"ids[%zu]\" must be a string or {\"number\": string, \"type\": string, "
                         "\"country\": string}",
                         i);
                return -1;
            }
            items[(*n)++] = (ident_item){ 0, json_string_value(num), json_string_value(t), json_string_value(co) };
        }
    }
    return 0;
too_many:
    snprintf(msg, msgsz, "too many wallets and ids in one query (at most %d)", MAX_IDENTS);
    return -1;
}

void server_handle_screen(const server_ctx *c, const char *body, size_t len, server_reply *rep)
{
    char msg[320];
    json_error_t jerr;
    if (len == 0) {
        server_reply_error(rep, 400, "empty body: send one JSON query object");
        return;
    }
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        server_reply_error(rep, 400, "invalid JSON at line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
        return;
    }
    sanctum_query q = SANCTUM_QUERY_INIT;
    ident_item items[MAX_IDENTS];
    size_t n_items = 0, n_res = 0;
    sanctum_ident_result *ires[MAX_IDENTS];
    sanctum_result *res = NULL;
    const char *type = NULL, *lists = NULL;
    if (!json_is_object(root)) {
        server_reply_error(rep, 400, "the body must be one JSON object (for several, use /v1/screen/batch)");
        goto done;
    }
    json_t *id = json_object_get(root, "id");
    if (id && !json_is_string(id) && !json_is_integer(id) && !json_is_null(id)) {
        server_reply_error(rep, 400, "field \"id\" must be a string or an integer");
        goto done;
    }
    if (opt_string(root, "name", &q.name, msg, sizeof msg) || opt_string(root, "type", &type, msg, sizeof msg) ||
        opt_string(root, "dob", &q.dob, msg, sizeof msg) || opt_string(root, "country", &q.country, msg, sizeof msg) ||
        opt_string(root, "list", &lists, msg, sizeof msg) ||
        opt_string(root, "program", &q.programs, msg, sizeof msg) ||
        read_idents(root, items, &n_items, msg, sizeof msg)) {
        server_reply_error(rep, 400, "%s", msg);
        goto done;
    }
    json_t *ms = json_object_get(root, "min_score"), *lim = json_object_get(root, "limit");
    if (ms && !json_is_null(ms)) {
        double v = json_is_number(ms) ? json_number_value(ms) : -1;
        if (!(v >= 0 && v <= 1)) {
            server_reply_error(rep, 400, "field \"min_score\" must be a number from 0 to 1");
            goto done;
        }
        q.min_score = v;
    }
    if (lim && !json_is_null(lim)) {
        if (!json_is_integer(lim) || json_integer_value(lim) < 1 || json_integer_value(lim) > MAX_LIMIT) {
            server_reply_error(rep, 400, "field \"limit\" must be a whole number from 1 to %d", MAX_LIMIT);
            goto done;
        }
        q.limit = (size_t)json_integer_value(lim);
    }
    if (!q.name && n_items == 0) {
        server_reply_error(rep, 400, "missing field \"name\" (or \"wallets\" / \"ids\")");
        goto done;
    }
    if (type && sanctum_types_parse(type, &q.types) != 0) {
        server_reply_error(rep, 400, "field \"type\" wants person, organization, vessel, aircraft or any");
        goto done;
    }
    if (q.dob && !sanctum_dob_valid(q.dob)) {
        server_reply_error(rep, 400, "field \"dob\" wants YYYY, YYYY-MM or YYYY-MM-DD");
        goto done;
    }
    if (lists) {
        char bad[80];
        if (!known_lists(c->snap, lists, bad, sizeof bad)) {
            server_reply_error(rep, 400, "field \"list\": no loaded list is called \"%s\"", bad);
            goto done;
        }
        q.lists = lists;
    }
    sanctum_error err;
    for (size_t i = 0; i < n_items; i++) {
        int rc = items[i].wallet ? sanctum_wallet_screen(&ires[n_res], c->snap->ident, items[i].value, &err)
                                 : sanctum_document_screen(&ires[n_res], c->snap->ident, items[i].value,
                                                           items[i].type, items[i].country, &err);
        if (rc != 0) {
            server_reply_error(rep, rc == SANCTUM_ENOMEM ? 500 : 400, "%s %zu: %s",
                               items[i].wallet ? "wallet" : "id", i + 1, err.message);
            goto done;
        }
        n_res++;
    }
    if (q.name) {
        int rc = sanctum_screen(&res, c->snap->idx, &q, &err);
        if (rc != 0) {
            server_reply_error(rep, rc == SANCTUM_ENOMEM || rc == SANCTUM_EINTERNAL ? 500 : 400, "%s",
                               err.message);
            goto done;
        }
    }
    char *out = own(sanctum_screen_json(&q, res, (const sanctum_ident_result *const *)ires, n_res));
    if (out && id && !json_is_null(id)) {
        /* the caller's id first, then the result's own fields */
        char *idtext = json_dumps(id, JSON_COMPACT | JSON_ENCODE_ANY);
        char *joined = NULL;
        if (idtext && asprintf(&joined, "{\"id\":%s,%s", idtext, out + 1) < 0) joined = NULL;
        free(idtext);
        free(out);
        out = joined;
    }
    if (out) {
        server_audit_record rec = { c->who, "screen", &q, body, out, c->snap->versions, c->snap,
                                    q.min_score < 0 ? SANCTUM_DEFAULT_MIN_SCORE : q.min_score };
        server_audit_screening(&rec);
    }
    server_reply_json(rep, 200, out);
done:
    sanctum_result_free(res);
    for (size_t i = 0; i < n_res; i++) sanctum_ident_result_free(ires[i]);
    json_decref(root);
}

/* ---- POST /v1/screen/batch -------------------------------------------------------------- */

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define XLSX_EXPANSION 32   /* a workbook may unpack to this many times the body limit */

/* Whether a line (without its end) holds more than spaces and tabs, as the batch reader sees it. */
static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') return 0;
    return 1;
}

/* Splits text into non-blank lines: starts and lengths (without \r\n). Returns the count. */
static size_t split_lines(const char *text, size_t len, const char **starts, size_t *lens, size_t max)
{
    size_t n = 0, i = 0;
    while (i < len) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len, l = end - i;
        while (l && text[i + l - 1] == '\r') l--;
        if (!blank(text + i, l)) {
            if (n < max && starts) {
                starts[n] = text + i;
                lens[n] = l;
            }
            n++;
        }
        i = end + 1;
    }
    return n;
}

/* Whether the body is an XLSX workbook: said by its type, or recognised by
 * the zip signature when the type says nothing more than octet-stream. */
static int batch_body_is_xlsx(const char *ctype, const char *body, size_t len)
{
    if (ctype && strncasecmp(ctype, XLSX_TYPE, sizeof XLSX_TYPE - 1) == 0) return 1;
    int zip = len >= 4 && memcmp(body, "PK\x03\x04", 4) == 0;
    return zip && (!ctype || !*ctype || strncasecmp(ctype, "application/octet-stream", 24) == 0);
}

/* Whether the answer is a workbook: format=xlsx, or (without format) an
 * Accept header naming the XLSX type and not JSON. Returns 1, 0, or -1 with
 * the reason in p->error. */
static int batch_wants_xlsx(struct MHD_Connection *conn, params *p)
{
    const char *f = p->v[P_FORMAT];
    if (f && *f) {
        if (strcmp(f, "json") == 0) return 0;
        if (strcmp(f, "xlsx") == 0) return 1;
        snprintf(p->error, sizeof p->error, "parameter \"format\" wants json or xlsx");
        return -1;
    }
    const char *accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
    return accept && strcasestr(accept, XLSX_TYPE) && !strcasestr(accept, "application/json");
}

/* The first sheet of the workbook in body as CSV text (into *csv, freed with
 * sanctum_string_free()).
 * Returns 0, or an HTTP status with the reply set. */
static unsigned batch_read_workbook(const server_ctx *c, const char *body, size_t len, char **csv, size_t *csv_len,
                                    server_reply *rep)
{
    size_t max_body = c->cfg->max_body ? c->cfg->max_body : SERVER_DEFAULT_MAX_BODY;
    size_t cap = max_body > SIZE_MAX / XLSX_EXPANSION ? 0 : max_body * XLSX_EXPANSION;
    sanctum_batch_options o = SANCTUM_BATCH_OPTIONS_INIT;
    o.input_name = "workbook";
    sanctum_error err;
    char *text = NULL;
    int rc = sanctum_batch_xlsx_read(&text, csv_len, body, len, cap, &o, &err);
    if (rc != 0) {
        unsigned status = rc == SANCTUM_ENOMEM || rc == SANCTUM_EINTERNAL ? 500 : 400;
        if (err.line) server_reply_error(rep, status, "%s (row %lu)", err.message, err.line);
        else server_reply_error(rep, status, "%s", err.message);
        return status;
    }
    *csv = text;
    return 0;
}

/* Screens the records again with XLSX output, the columns of `sanctum batch
 * --format xlsx`: libxlsxwriter writes only to files, so the workbook goes to
 * a private temporary file under TMPDIR, is read back and removed. Returns 0
 * with the workbook in *out (malloc'd), or an HTTP status with the reply set. */
static unsigned batch_write_workbook(const server_ctx *c, const char *text, size_t len,
                                     const sanctum_batch_options *base, char **out, size_t *size, server_reply *rep)
{
    *out = NULL;
    *size = 0;
    const char *dir = getenv("TMPDIR");
    char path[1024];
    int n = snprintf(path, sizeof path, "%s/sanctum-batch-XXXXXX", dir && *dir ? dir : "/tmp");
    if (n < 0 || (size_t)n >= sizeof path) {
        server_reply_error(rep, 500, "the temporary folder's name is too long");
        return 500;
    }
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!f) {
        server_reply_error(rep, 500, "cannot create a temporary file for the workbook: %s", strerror(errno));
        if (fd >= 0) {
            remove(path);
            close(fd);
        }
        return 500;
    }
    fclose(f);   /* the writer opens it again by name */
    f = NULL;
    unsigned status = 0;
    sanctum_batch_options o = *base;
    o.output_format = SANCTUM_BATCH_XLSX;
    o.output_path = path;
    sanctum_error err;
    FILE *in = fmemopen((void *)text, len, "r");
    int rc = in ? sanctum_batch_run(c->snap->idx, in, NULL, &o, NULL, &err) : SANCTUM_ENOMEM;
    if (in) fclose(in);
    if (rc != 0) {
        status = rc == SANCTUM_EPARSE || rc == SANCTUM_EINVAL || rc == SANCTUM_ELIMIT ? 400 : 500;
        char buf[600];
        if (in) sanctum_error_format(&err, buf, sizeof buf);
        else snprintf(buf, sizeof buf, "out of memory");
        server_reply_error(rep, status, "%s", buf);
    } else if (!(f = fopen(path, "rb")) || fseek(f, 0, SEEK_END) != 0) {
        status = 500;
        server_reply_error(rep, 500, "cannot read the workbook back: %s", strerror(errno));
    } else {
        long end = ftell(f);
        char *buf = end > 0 ? malloc((size_t)end) : NULL;
        if (!buf || fseek(f, 0, SEEK_SET) != 0 || fread(buf, 1, (size_t)end, f) != (size_t)end) {
            free(buf);
            status = 500;
            server_reply_error(rep, 500, "cannot read the workbook back");
        } else {
            *out = buf;
            *size = (size_t)end;
        }
    }
    if (f) fclose(f);
    remove(path);
    return status;
}

void server_handle_batch(const server_ctx *c, struct MHD_Connection *conn, const char *body, size_t len,
                         server_reply *rep)
{
    params p;
    memset(&p, 0, sizeof p);
    p.allowed = (1u << P_TYPE) | (1u << P_MIN_SCORE) | (1u << P_LIMIT) | (1u << P_LIST) | (1u << P_PROGRAM) |
                (1u << P_FORMAT);
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_param, &p);
    sanctum_query defaults = SANCTUM_QUERY_INIT;
    int want_xlsx = p.error[0] ? -1 : batch_wants_xlsx(conn, &p);
    if (want_xlsx < 0 || apply_filters(c->snap, &p, &defaults) != 0) {
        server_reply_error(rep, 400, "%s", p.error);
        return;
    }
    const char *ctype = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    int xlsx = batch_body_is_xlsx(ctype, body, len);
    if (!xlsx && !server_utf8_valid(body, len)) {
        server_reply_error(rep, 400, "the body is not valid UTF-8");
        return;
    }
    int csv = xlsx || (ctype && strncasecmp(ctype, "text/csv", 8) == 0);
    size_t i = 0;
    while (i < len && isspace((unsigned char)body[i])) i++;
    int array = !csv && i < len && body[i] == '[';
    size_t max = c->cfg->max_batch ? c->cfg->max_batch : SERVER_DEFAULT_MAX_BATCH;

    char *jsonl = NULL;          /* the records as JSON Lines, when the body was an array */
    char *sheet = NULL;          /* the workbook's first sheet as CSV, when the body was a workbook */
    const char *in_text = body;
    size_t in_len = len, n;
    const char **starts = NULL;
    size_t *lens = NULL;
    char *outbuf = NULL;
    size_t outsize = 0;
    FILE *in = NULL, *out = NULL;
    json_t *arr = NULL;
    if (xlsx) {
        if (batch_read_workbook(c, body, len, &sheet, &in_len, rep) != 0) goto done;
        in_text = sheet;
    }
    if (array) {
        json_error_t jerr;
        arr = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
        if (!arr || !json_is_array(arr)) {
            if (arr) server_reply_error(rep, 400, "the body must be a JSON array of query objects or JSON Lines");
            else server_reply_error(rep, 400, "invalid JSON at line %d, column %d: %s", jerr.line, jerr.column,
                                    jerr.text);
            goto done;
        }
        n = json_array_size(arr);
        if (n > max) goto too_many;
        FILE *f = open_memstream(&jsonl, &in_len);
        if (!f) goto oom;
        json_t *v;
        size_t k;
        json_array_foreach(arr, k, v) {
            if (json_dumpf(v, f, JSON_COMPACT | JSON_ENCODE_ANY) != 0) break;
            fputc('\n', f);
        }
        if (fclose(f) != 0 || !jsonl) goto oom;
        in_text = jsonl;
    } else {
        n = split_lines(in_text, in_len, NULL, NULL, 0);
        if (csv && n) n--;   /* the header row */
        if (n > max) goto too_many;
    }
    if (n == 0) {
        server_reply_error(rep, 400, xlsx ? "no records in the workbook: its first sheet has only the header row"
                                          : "no records in the body");
        goto done;
    }
    if (!csv) {
        starts = calloc(n, sizeof *starts);
        lens = calloc(n, sizeof *lens);
        if (!starts || !lens) goto oom;
        split_lines(in_text, in_len, starts, lens, n);
    }
    in = fmemopen((void *)in_text, in_len, "r");
    out = open_memstream(&outbuf, &outsize);
    if (!in || !out) goto oom;
    sanctum_batch_options opts = SANCTUM_BATCH_OPTIONS_INIT;
    opts.input_format = csv ? SANCTUM_BATCH_CSV : SANCTUM_BATCH_JSONL;
    opts.output_format = SANCTUM_BATCH_JSONL;
    opts.threads = 1;   /* the server's own worker pool is the concurrency */
    opts.defaults = &defaults;
    opts.input_name = xlsx ? "workbook" : "body";
    opts.ident = c->snap->ident;
    sanctum_batch_summary sum;
    sanctum_error err;
    memset(&sum, 0, sizeof sum);
    int rc = sanctum_batch_run(c->snap->idx, in, out, &opts, &sum, &err);
    fclose(in);
    in = NULL;
    if (fclose(out) != 0) {
        out = NULL;
        goto oom;
    }
    out = NULL;
    if (rc != 0) {
        char buf[600];
        sanctum_error_format(&err, buf, sizeof buf);
        server_reply_error(rep, rc == SANCTUM_ENOMEM || rc == SANCTUM_EINTERNAL ? 500 : 400, "%s", buf);
        goto done;
    }
    /* {"summary": {...}, "results": [line, line, ...]}; every result goes to the audit trail */
    char *reply = NULL;
    size_t reply_size = 0;
    FILE *r = open_memstream(&reply, &reply_size);
    if (!r) goto oom;
    fprintf(r, "{\"summary\":{\"records\":%llu,\"screened\":%llu,\"with_hits\":%llu,\"hits\":%llu,\"errors\":%llu},"
               "\"results\":[",
            sum.lines, sum.screened, sum.with_hits, sum.hits, sum.errors);
    size_t k = 0, pos = 0;
    while (outbuf && pos < outsize) {
        char *nl = memchr(outbuf + pos, '\n', outsize - pos);
        size_t l = nl ? (size_t)(nl - (outbuf + pos)) : outsize - pos;
        if (l) {
            if (k) fputc(',', r);
            fwrite(outbuf + pos, 1, l, r);
            outbuf[pos + l] = '\0';   /* the newline (or the memstream's terminator) */
            char *record = NULL;
            if (!csv && k < n) record = strndup(starts[k], lens[k]);
            server_audit_record rec = { c->who, "batch", NULL, record, outbuf + pos, c->snap->versions, c->snap,
                                        defaults.min_score < 0 ? SANCTUM_DEFAULT_MIN_SCORE : defaults.min_score };
            server_audit_screening(&rec);
            free(record);
            k++;
        }
        pos += l + 1;
    }
    fputs("]}", r);
    if (fclose(r) != 0) {
        free(reply);
        goto oom;
    }
    if (!want_xlsx) {
        server_reply_json(rep, 200, reply);
        goto done;
    }
    free(reply);
    /* the same records once more, into a workbook (the screenings above are the audited ones) */
    char *book = NULL;
    size_t book_size = 0;
    if (batch_write_workbook(c, in_text, in_len, &opts, &book, &book_size, rep) != 0) goto done;
    free(rep->body);
    memset(rep, 0, sizeof *rep);
    rep->status = 200;
    rep->content_type = XLSX_TYPE;
    rep->body = book;
    rep->size = book_size;
    goto done;
too_many:
    server_reply_error(rep, 413, "too many records: at most %zu in one batch", max);
    goto done;
oom:
    server_reply_error(rep, 500, "out of memory");
done:
    if (in) fclose(in);
    if (out) fclose(out);
    free(outbuf);
    free(starts);
    free(lens);
    free(jsonl);
    sanctum_string_free(sheet);
    json_decref(arr);
}

/* ---- the rest -------------------------------------------------------------------------------- */

void server_handle_entity(const server_ctx *c, const char *id, server_reply *rep)
{
    size_t len = strlen(id);
    if (len == 0 || len > 128 || !server_utf8_valid(id, len)) {
        server_reply_error(rep, len == 0 ? 404 : 400, len == 0 ? "no entity id given" : "malformed entity id");
        return;
    }
    const sanctum_entity *e = sanctum_dataset_find(c->snap->ds, id);
    if (!e) {
        server_reply_error(rep, 404, "no listed entity has the id \"%s\"", id);
        return;
    }
    server_reply_json(rep, 200, own(sanctum_entity_json(e)));
}

void server_handle_lists(const server_ctx *c, server_reply *rep)
{
    server_reply_json(rep, 200, strdup(c->snap->lists_json));
}

void server_handle_healthz(const server_ctx *c, server_reply *rep)
{
    char *text = NULL;
    if (asprintf(&text, "{\"status\":\"ok\",\"version\":\"%s\",\"generation\":%lu,\"entities\":%zu}",
                 sanctum_version(), c->snap->generation, sanctum_dataset_count(c->snap->ds)) < 0)
        text = NULL;
    server_reply_json(rep, 200, text);
}
