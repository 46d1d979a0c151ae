/*
 * parse.c - reading applicant records from JSON Lines.
 *
 * Each non-blank line is one record. A line that is not a JSON object, has
 * no usable "id" or is longer than SANCTUM_APPLICANTS_MAX_LINE becomes an
 * error record for that line. Inside a good record every field is optional;
 * a field of the wrong type is ignored and named in the record's warnings,
 * so nothing is dropped without a word. Unknown fields are kept in the
 * parsed object and ignored. Strings stay borrowed from the parsed JSON.
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "applicants/applicants_internal.h"
#include "util/error.h"

void appl_warn(sanctum_applicants_report *rep, appl_record *r, const char *fmt, ...)
{
    if (r->n_warn >= APPL_MAX_WARNINGS) {
        r->more_warn++;
        return;
    }
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    const char *s = sanctum_arena_strdup(&rep->arena, buf);
    if (s) r->warn[r->n_warn++] = s;
}

void appl_evidence(appl_record *r, int rule, const char *fmt, ...)
{
    sanctum_strbuf *b = &r->ev[rule];
    if (b->len) sanctum_strbuf_puts(b, "; ");
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    sanctum_strbuf_puts(b, buf);
}

/* ---- field readers ------------------------------------------------------------ */

/* Absent and null both mean "not given". */
static json_t *field(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return v && !json_is_null(v) ? v : NULL;
}

static const char *get_string(sanctum_applicants_report *rep, appl_record *r, json_t *obj, const char *key,
                              const char *path)
{
    json_t *v = field(obj, key);
    if (!v) return NULL;
    if (!json_is_string(v)) {
        appl_warn(rep, r, "field %s%s%s: expected a string; ignored", path ? path : "", path ? "." : "", key);
        return NULL;
    }
    const char *s = json_string_value(v);
    return *s ? s : NULL;
}

static int get_bool(sanctum_applicants_report *rep, appl_record *r, json_t *obj, const char *key, const char *path)
{
    json_t *v = field(obj, key);
    if (!v) return -1;
    if (!json_is_boolean(v)) {
        appl_warn(rep, r, "field %s.%s: expected true or false; ignored", path, key);
        return -1;
    }
    return json_is_true(v);
}

/* An array of strings; a single string is taken as a one-element array. */
static int get_strings(sanctum_applicants_report *rep, appl_record *r, const char *key, appl_strs *out)
{
    out->v = NULL;
    out->n = 0;
    json_t *v = field(r->root, key);
    if (!v) return 0;
    if (json_is_string(v)) {
        if (!*json_string_value(v)) return 0;
        out->v = sanctum_arena_alloc(&rep->arena, sizeof *out->v);
        if (!out->v) return SANCTUM_ENOMEM;
        out->v[out->n++] = json_string_value(v);
        return 0;
    }
    if (!json_is_array(v)) {
        appl_warn(rep, r, "field %s: expected an array of strings; ignored", key);
        return 0;
    }
    size_t n = json_array_size(v);
    if (n == 0) return 0;
    out->v = sanctum_arena_calloc(&rep->arena, n, sizeof *out->v);
    if (!out->v) return SANCTUM_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(v, i);
        if (!json_is_string(e)) {
            appl_warn(rep, r, "field %s[%zu]: expected a string; ignored", key, i);
            continue;
        }
        if (*json_string_value(e)) out->v[out->n++] = json_string_value(e);
    }
    return 0;
}

/* The array under key, or NULL (with a warning when it is something else). */
static json_t *get_array(sanctum_applicants_report *rep, appl_record *r, const char *key)
{
    json_t *v = field(r->root, key);
    if (!v) return NULL;
    if (!json_is_array(v)) {
        appl_warn(rep, r, "field %s: expected an array; ignored", key);
        return NULL;
    }
    return json_array_size(v) ? v : NULL;
}

static void resolve_country(sanctum_applicants_report *rep, appl_record *r, const char *country, char cc[3],
                            const char *path)
{
    cc[0] = '\0';
    if (!country) return;
    if (sanctum_country_code(country, cc) != 0) {
        cc[0] = '\0';
        appl_warn(rep, r, "field %s: unknown country \"%s\"; not compared", path, country);
    }
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static long long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* ISO 8601 date-time with Z or a +hh:mm offset; seconds optional. */
static int parse_time(const char *s, long long *out)
{
    int y, mo, d, h, mi, sec = 0, n = 0;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &n) != 5 || n != 16) return -1;
    const char *p = s + n;
    if (*p == ':') {
        if (!isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2])) return -1;
        sec = (p[1] - '0') * 10 + (p[2] - '0');
        p += 3;
        if (*p == '.')
            for (p++; isdigit((unsigned char)*p); p++) {}
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 || h < 0 || mi < 0) return -1;
    long long off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (!isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2]) || p[3] != ':' ||
            !isdigit((unsigned char)p[4]) || !isdigit((unsigned char)p[5]))
            return -1;
        oh = (p[1] - '0') * 10 + (p[2] - '0');
        om = (p[4] - '0') * 10 + (p[5] - '0');
        off = (oh * 60LL + om) * 60 * (*p == '+' ? 1 : -1);
        p += 6;
    } else {
        return -1;
    }
    if (*p) return -1;
    *out = days_from_civil(y, mo, d) * 86400 + h * 3600LL + mi * 60LL + sec - off;
    return 0;
}

/* ---- one record --------------------------------------------------------------- */

static int parse_phones(sanctum_applicants_report *rep, appl_record *r)
{
    json_t *a = get_array(rep, r, "phones");
    if (!a) return 0;
    r->phones = sanctum_arena_calloc(&rep->arena, json_array_size(a), sizeof *r->phones);
    if (!r->phones) return SANCTUM_ENOMEM;
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *e = json_array_get(a, i);
        char path[48];
        snprintf(path, sizeof path, "phones[%zu]", i);
        appl_phone p = { NULL, 0 };
        if (json_is_string(e)) {
            p.number = json_string_value(e);
        } else if (json_is_object(e)) {
            p.number = get_string(rep, r, e, "number", path);
            p.voip = get_bool(rep, r, e, "voip", path) == 1;
        } else {
            appl_warn(rep, r, "field %s: expected a string or an object; ignored", path);
            continue;
        }
        if (p.number && *p.number) r->phones[r->n_phones++] = p;
    }
    return 0;
}

static int parse_documents(sanctum_applicants_report *rep, appl_record *r)
{
    json_t *a = get_array(rep, r, "documents");
    if (!a) return 0;
    r->docs = sanctum_arena_calloc(&rep->arena, json_array_size(a), sizeof *r->docs);
    if (!r->docs) return SANCTUM_ENOMEM;
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *e = json_array_get(a, i);
        char path[48];
        snprintf(path, sizeof path, "documents[%zu]", i);
        if (!json_is_object(e)) {
            appl_warn(rep, r, "field %s: expected an object; ignored", path);
            continue;
        }
        appl_document d;
        d.type = get_string(rep, r, e, "type", path);
        d.number = get_string(rep, r, e, "number", path);
        d.country = get_string(rep, r, e, "country", path);
        if (!d.number) {
            appl_warn(rep, r, "field %s.number: missing; document not screened", path);
            continue;
        }
        r->docs[r->n_docs++] = d;
    }
    return 0;
}

static int parse_payments(sanctum_applicants_report *rep, appl_record *r)
{
    json_t *a = get_array(rep, r, "payment_accounts");
    if (!a) return 0;
    r->pays = sanctum_arena_calloc(&rep->arena, json_array_size(a), sizeof *r->pays);
    if (!r->pays) return SANCTUM_ENOMEM;
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *e = json_array_get(a, i);
        char path[48];
        snprintf(path, sizeof path, "payment_accounts[%zu]", i);
        if (!json_is_object(e)) {
            appl_warn(rep, r, "field %s: expected an object; ignored", path);
            continue;
        }
        appl_payment p;
        memset(&p, 0, sizeof p);
        p.kind = get_string(rep, r, e, "kind", path);
        p.number = get_string(rep, r, e, "number", path);
        p.holder = get_string(rep, r, e, "holder", path);
        p.country = get_string(rep, r, e, "country", path);
        char cpath[64];
        snprintf(cpath, sizeof cpath, "%s.country", path);
        resolve_country(rep, r, p.country, p.cc, cpath);
        if (!p.number && !p.holder && !p.country) {
            appl_warn(rep, r, "field %s: no number, holder or country; ignored", path);
            continue;
        }
        r->pays[r->n_pays++] = p;
    }
    return 0;
}

static int parse_logins(sanctum_applicants_report *rep, appl_record *r)
{
    json_t *a = get_array(rep, r, "logins");
    if (!a) return 0;
    r->logins = sanctum_arena_calloc(&rep->arena, json_array_size(a), sizeof *r->logins);
    if (!r->logins) return SANCTUM_ENOMEM;
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *e = json_array_get(a, i);
        char path[48], sub[64];
        snprintf(path, sizeof path, "logins[%zu]", i);
        if (!json_is_object(e)) {
            appl_warn(rep, r, "field %s: expected an object; ignored", path);
            continue;
        }
        appl_login l;
        memset(&l, 0, sizeof l);
        l.duration_h = -1;
        l.time = get_string(rep, r, e, "time", path);
        if (l.time) {
            if (parse_time(l.time, &l.t) == 0) l.has_t = 1;
            else appl_warn(rep, r, "field %s.time: not an ISO 8601 UTC time (\"2026-03-01T02:13:00Z\"); ignored",
                           path);
        }
        l.ip = get_string(rep, r, e, "ip", path);
        l.country = get_string(rep, r, e, "country", path);
        snprintf(sub, sizeof sub, "%s.country", path);
        resolve_country(rep, r, l.country, l.cc, sub);
        json_t *v = field(e, "asn");
        if (v && json_is_integer(v)) l.asn = json_integer_value(v);
        else if (v) appl_warn(rep, r, "field %s.asn: expected an integer; ignored", path);
        l.vpn = get_bool(rep, r, e, "vpn", path) == 1;
        l.hosting = get_bool(rep, r, e, "hosting", path) == 1;
        v = field(e, "duration_h");
        if (v && json_is_number(v) && json_number_value(v) >= 0) l.duration_h = json_number_value(v);
        else if (v) appl_warn(rep, r, "field %s.duration_h: expected a number of hours; ignored", path);
        r->logins[r->n_logins++] = l;
    }
    return 0;
}

static int parse_fields(sanctum_applicants_report *rep, appl_record *r)
{
    struct { const char *key; appl_strs *dst; } lists[] = {
        { "names", &r->names },          { "emails", &r->emails },
        { "addresses", &r->addresses },  { "shipping_addresses", &r->shipping },
        { "payment_requests", &r->requests }, { "wallets", &r->wallets },
        { "remote_tools", &r->tools },   { "photo_hashes", &r->photos },
        { "profile_urls", &r->urls },
    };
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
        if (get_strings(rep, r, lists[i].key, lists[i].dst) != 0) return SANCTUM_ENOMEM;
    r->resume_hash = get_string(rep, r, r->root, "resume_hash", NULL);
    r->claimed_raw = get_string(rep, r, r->root, "claimed_country", NULL);
    resolve_country(rep, r, r->claimed_raw, r->claimed, "claimed_country");
    r->city = get_string(rep, r, r->root, "claimed_city", NULL);
    r->camera_refused = r->identity_verified = -1;
    json_t *iv = field(r->root, "interview");
    if (iv && !json_is_object(iv)) {
        appl_warn(rep, r, "field interview: expected an object; ignored");
    } else if (iv) {
        r->camera_refused = get_bool(rep, r, iv, "camera_refused", "interview");
        r->identity_verified = get_bool(rep, r, iv, "identity_verified", "interview");
    }
    if (parse_phones(rep, r) || parse_documents(rep, r) || parse_payments(rep, r) || parse_logins(rep, r))
        return SANCTUM_ENOMEM;
    return 0;
}

/* Records a rejected line. */
static int set_error(sanctum_applicants_report *rep, appl_record *r, const char *input, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int set_error(sanctum_applicants_report *rep, appl_record *r, const char *input, const char *fmt, ...)
{
    char msg[400], full[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(full, sizeof full, "%s:%lu: %s", input, r->pub.line, msg);
    r->pub.error = sanctum_arena_strdup(&rep->arena, full);
    rep->n_errors++;
    return r->pub.error ? 0 : SANCTUM_ENOMEM;
}

static int parse_record(sanctum_applicants_report *rep, appl_record *r, const char *text, size_t len,
                        const char *input)
{
    json_error_t jerr;
    r->root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!r->root) return set_error(rep, r, input, "invalid JSON at column %d: %s", jerr.column, jerr.text);
    if (!json_is_object(r->root)) return set_error(rep, r, input, "a record must be a JSON object");
    json_t *id = json_object_get(r->root, "id");
    char buf[64];
    if (id && json_is_string(id) && *json_string_value(id)) {
        r->pub.id = json_string_value(id);
    } else if (id && json_is_integer(id)) {
        snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(id));
        r->pub.id = sanctum_arena_strdup(&rep->arena, buf);
        if (!r->pub.id) return SANCTUM_ENOMEM;
    } else {
        return set_error(rep, r, input, "field id: %s", id ? "must be a non-empty string or an integer" : "missing");
    }
    return parse_fields(rep, r);
}

static appl_record *new_record(sanctum_applicants_report *rep, unsigned long line)
{
    if (rep->n == rep->cap) {
        size_t cap = rep->cap ? rep->cap * 2 : 64;
        appl_record *p = realloc(rep->recs, cap * sizeof *p);
        if (!p) return NULL;
        rep->recs = p;
        rep->cap = cap;
    }
    appl_record *r = &rep->recs[rep->n++];
    memset(r, 0, sizeof *r);
    r->pub.id = "";
    r->pub.line = line;
    r->cluster_index = (size_t)-1;
    for (int i = 0; i < APPL_RULE_COUNT; i++) sanctum_strbuf_init(&r->ev[i], 64 * 1024);
    return r;
}

int appl_read(sanctum_applicants_report *rep, FILE *in, const sanctum_applicants_options *o, sanctum_error *err)
{
    const char *input = o->input_name ? o->input_name : "<input>";
    size_t max_records = o->max_records ? o->max_records : SANCTUM_APPLICANTS_MAX_RECORDS;
    sanctum_strbuf line = SANCTUM_STRBUF_INIT;
    sanctum_strbuf_init(&line, SANCTUM_APPLICANTS_MAX_LINE);
    char chunk[16384];
    unsigned long lineno = 0;
    int rc = 0, eof = 0;
    while (!eof) {
        sanctum_strbuf_reset(&line);
        int too_long = 0, got = 0;
        for (;;) {
            if (!fgets(chunk, sizeof chunk, in)) {
                if (ferror(in)) {
                    rc = sanctum_error_set(err, SANCTUM_EIO, input, lineno + 1, "read error: %s", strerror(errno));
                    goto done;
                }
                eof = 1;
                break;
            }
            got = 1;
            size_t n = strlen(chunk);
            int end = n && chunk[n - 1] == '\n';
            if (!too_long && sanctum_strbuf_append(&line, chunk, n) == SANCTUM_ELIMIT) too_long = 1;
            if (end) break;
        }
        if (!got) break;
        lineno++;
        size_t len = line.len;
        const char *text = sanctum_strbuf_cstr(&line);
        while (len && (text[len - 1] == '\n' || text[len - 1] == '\r')) len--;
        size_t k = 0;
        while (k < len && isspace((unsigned char)text[k])) k++;
        if (k == len && !too_long) continue;  /* blank line: not a record */
        if (rep->n >= max_records) {
            rc = sanctum_error_set(err, SANCTUM_ELIMIT, input, lineno, "more than %zu records in one run",
                                   max_records);
            goto done;
        }
        appl_record *r = new_record(rep, lineno);
        if (!r) {
            rc = sanctum_error_set(err, SANCTUM_ENOMEM, input, lineno, "out of memory");
            goto done;
        }
        int prc = too_long ? set_error(rep, r, input, "line longer than %zu bytes", SANCTUM_APPLICANTS_MAX_LINE)
                           : parse_record(rep, r, text, len, input);
        if (prc != 0) {
            rc = sanctum_error_set(err, SANCTUM_ENOMEM, input, lineno, "out of memory");
            goto done;
        }
    }
done:
    sanctum_strbuf_free(&line);
    return rc;
}
