/*
 * json.c - the JSON forms of entities, sources, hits and screening results.
 *
 * Entities and sources are built as jansson trees and dumped compactly, with
 * UTF-8 left as UTF-8 and object keys in the order they were added. Hits and
 * screening results, made on every screening, are written straight into a
 * buffer in exactly the text the tree would give (see "hits and results"
 * below). Empty entity fields are left out. Text that is not valid UTF-8
 * (which jansson refuses) is repaired byte by byte with U+FFFD rather than
 * dropped, so a bad byte in a list never makes a whole record disappear from
 * the output. Scores and other fractions are rounded to four decimals.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ident/ident_json.h"

#include "sanctum/json.h"

#define DUMP_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10))

/* ---- building blocks ---------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len;
    unsigned cp;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; }
    else return 0;
    if (n < len) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
    return len;
}

/* A JSON string for s; invalid UTF-8 bytes become U+FFFD. NULL only when out of memory. */
static json_t *jstr(const char *s)
{
    json_t *v = json_string(s);
    if (v) return v;
    size_t n = strlen(s);
    char *fixed = malloc(3 * n + 1);
    if (!fixed) return NULL;
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t k = utf8_seq(p + i, n - i);
        if (k) {
            memcpy(fixed + o, p + i, k);
            o += k;
            i += k;
        } else {
            memcpy(fixed + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        }
    }
    fixed[o] = '\0';
    v = json_stringn(fixed, o);
    free(fixed);
    return v;
}

/* The setters below record failure in *ok so that callers check once. */
static void put(json_t *obj, const char *key, json_t *v, int *ok)
{
    if (!v || json_object_set_new(obj, key, v) != 0) *ok = 0;
}

static void put_str(json_t *obj, const char *key, const char *s, int *ok)
{
    if (s && *s) put(obj, key, jstr(s), ok);
}

static void put_int(json_t *obj, const char *key, long long n, int *ok)
{
    put(obj, key, json_integer(n), ok);
}

static void append(json_t *arr, json_t *v, int *ok)
{
    if (!v || json_array_append_new(arr, v) != 0) *ok = 0;
}

/* An array of strings under key, left out when there are none. */
static void put_strs(json_t *obj, const char *key, const char *const *s, size_t n, int *ok)
{
    if (!n || !s) return;
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        if (s[i]) append(arr, jstr(s[i]), ok);
    put(obj, key, arr, ok);
}

static char *finish(json_t *root, int ok)
{
    char *out = NULL;
    if (root && ok) out = json_dumps(root, DUMP_FLAGS);
    json_decref(root);
    return out;
}

/* ---- entities --------------------------------------------------------------- */

static json_t *name_obj(const sanctum_name *n, int *ok)
{
    json_t *o = json_object();
    if (!o) { *ok = 0; return NULL; }
    put_str(o, "name", n->full, ok);
    put_str(o, "surname", n->surname, ok);
    put_str(o, "given", n->given, ok);
    put(o, "kind", json_string(sanctum_name_kind_name(n->kind)), ok);
    put(o, "quality", json_string(n->quality == SANCTUM_QUALITY_WEAK ? "weak" : "strong"), ok);
    put(o, "script", json_string(sanctum_script_name(n->script)), ok);
    return o;
}

static json_t *date_obj(const sanctum_date *d, int *ok)
{
    json_t *o = json_object();
    if (!o) { *ok = 0; return NULL; }
    put_str(o, "text", d->text, ok);
    if (d->year) put_int(o, "year", d->year, ok);
    if (d->month) put_int(o, "month", d->month, ok);
    if (d->day) put_int(o, "day", d->day, ok);
    if (d->to_year) put_int(o, "to_year", d->to_year, ok);
    if (d->to_month) put_int(o, "to_month", d->to_month, ok);
    if (d->to_day) put_int(o, "to_day", d->to_day, ok);
    if (d->circa) put(o, "circa", json_true(), ok);
    return o;
}

static json_t *address_obj(const sanctum_address *a, int *ok)
{
    json_t *o = json_object();
    if (!o) { *ok = 0; return NULL; }
    put_str(o, "street", a->street, ok);
    put_str(o, "city", a->city, ok);
    put_str(o, "state", a->state, ok);
    put_str(o, "postal", a->postal, ok);
    put_str(o, "country", a->country, ok);
    put_str(o, "note", a->note, ok);
    return o;
}

static json_t *document_obj(const sanctum_document *d, int *ok)
{
    json_t *o = json_object();
    if (!o) { *ok = 0; return NULL; }
    put_str(o, "type", d->type, ok);
    put_str(o, "number", d->number, ok);
    put_str(o, "country", d->country, ok);
    put_str(o, "issued", d->issued, ok);
    put_str(o, "expires", d->expires, ok);
    put_str(o, "note", d->note, ok);
    return o;
}

static json_t *pair_obj(const char *k1, const char *v1, const char *k2, const char *v2, int *ok)
{
    json_t *o = json_object();
    if (!o) { *ok = 0; return NULL; }
    put_str(o, k1, v1, ok);
    put_str(o, k2, v2, ok);
    return o;
}

/* Appends one object per element, built by `make`, under key; left out when n is 0. */
#define PUT_OBJECTS(obj, key, arr, n, make)                                   \
    do {                                                                      \
        if ((n) && (arr)) {                                                   \
            json_t *list_ = json_array();                                     \
            for (size_t i_ = 0; list_ && i_ < (n); i_++)                      \
                append(list_, make, ok);                                      \
            put(obj, key, list_, ok);                                         \
        }                                                                     \
    } while (0)

/* {"entity", "list", "name", "reason", "strength"} for each other listing of
 * the same party; NULL when there is none. */
static json_t *links_array(const sanctum_entity *e, int *ok)
{
    if (!e || !e->n_also_listed || !e->also_listed) return NULL;
    json_t *arr = json_array();
    if (!arr) { *ok = 0; return NULL; }
    for (size_t i = 0; i < e->n_also_listed; i++) {
        const sanctum_entity_link *l = &e->also_listed[i];
        const sanctum_entity *o = l->entity;
        json_t *lo = json_object();
        if (!lo || !o) { json_decref(lo); *ok = 0; break; }
        put_str(lo, "entity", o->id, ok);
        put_str(lo, "list", o->source, ok);
        if (o->n_names && o->names) put_str(lo, "name", o->names[0].full, ok);
        put_str(lo, "reason", l->reason, ok);
        put(lo, "strength", json_string(sanctum_link_strength_name(l->strength)), ok);
        append(arr, lo, ok);
    }
    return arr;
}

static json_t *entity_obj(const sanctum_entity *e, int *ok)
{
    json_t *o = json_object();
    if (!o) { *ok = 0; return NULL; }
    put_str(o, "id", e->id, ok);
    put_str(o, "list", e->source, ok);
    put_str(o, "key", e->key, ok);
    put(o, "type", json_string(sanctum_type_name(e->type)), ok);
    if (e->n_names && e->names) put_str(o, "name", e->names[0].full, ok);
    PUT_OBJECTS(o, "names", e->names, e->n_names, name_obj(&e->names[i_], ok));
    put_strs(o, "programs", e->programs, e->n_programs, ok);
    PUT_OBJECTS(o, "dates_of_birth", e->dobs, e->n_dobs, date_obj(&e->dobs[i_], ok));
    put_strs(o, "places_of_birth", e->places_of_birth, e->n_places_of_birth, ok);
    put_strs(o, "nationalities", e->nationalities, e->n_nationalities, ok);
    put_strs(o, "citizenships", e->citizenships, e->n_citizenships, ok);
    put_str(o, "gender", e->gender, ok);
    put_str(o, "title", e->title, ok);
    PUT_OBJECTS(o, "addresses", e->addresses, e->n_addresses, address_obj(&e->addresses[i_], ok));
    PUT_OBJECTS(o, "documents", e->documents, e->n_documents, document_obj(&e->documents[i_], ok));
    PUT_OBJECTS(o, "wallets", e->wallets, e->n_wallets,
                pair_obj("currency", e->wallets[i_].currency, "address", e->wallets[i_].address, ok));
    put_strs(o, "emails", e->emails, e->n_emails, ok);
    put_strs(o, "websites", e->websites, e->n_websites, ok);
    put_strs(o, "phones", e->phones, e->n_phones, ok);
    PUT_OBJECTS(o, "links", e->links, e->n_links,
                pair_obj("relation", e->links[i_].relation, "target", e->links[i_].target, ok));
    put_str(o, "listed_on", e->listed_on, ok);
    put_str(o, "remarks", e->remarks, ok);
    PUT_OBJECTS(o, "attributes", e->attrs, e->n_attrs,
                pair_obj("key", e->attrs[i_].key, "value", e->attrs[i_].value, ok));
    json_t *links = links_array(e, ok);
    if (links) put(o, "listings", links, ok);
    return o;
}

char *sanctum_entity_json(const sanctum_entity *e)
{
    if (!e) return NULL;
    int ok = 1;
    return finish(entity_obj(e, &ok), ok);
}

/* ---- sources ------------------------------------------------------------------ */

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

char *sanctum_source_json(const sanctum_source_info *s)
{
    if (!s) return NULL;
    int ok = 1;
    json_t *o = json_object();
    if (!o) return NULL;
    put_str(o, "source", s->name, &ok);
    put_str(o, "title", s->title, &ok);
    json_t *files = json_array();
    json_t *records = json_object();
    for (size_t i = 0; files && records && i < s->n_files; i++) {
        if (!s->files[i]) continue;
        append(files, jstr(s->files[i]), &ok);
        if (i < sizeof s->records / sizeof s->records[0])
            put(records, base_name(s->files[i]), json_integer((json_int_t)s->records[i]), &ok);
    }
    put(o, "files", files, &ok);
    put(o, "published", s->published && *s->published ? jstr(s->published) : json_null(), &ok);
    put_str(o, "sha256", s->sha256, &ok);
    put_int(o, "entities", (long long)s->entities, &ok);
    put_int(o, "persons", (long long)s->by_type[1], &ok);
    put_int(o, "organizations", (long long)s->by_type[2], &ok);
    put_int(o, "vessels", (long long)s->by_type[3], &ok);
    put_int(o, "aircraft", (long long)s->by_type[4], &ok);
    put_int(o, "unknown", (long long)s->by_type[0], &ok);
    put_int(o, "names", (long long)s->names, &ok);
    put_int(o, "aliases", (long long)s->aliases, &ok);
    put(o, "records", records, &ok);
    json_t *warnings = json_array();
    for (size_t i = 0; warnings && s->warnings && i < s->n_warnings; i++) {
        const sanctum_warning *w = &s->warnings[i];
        json_t *wo = json_object();
        if (!wo) { ok = 0; break; }
        put_str(wo, "file", w->file, &ok);
        if (w->line) put_int(wo, "line", (long long)w->line, &ok);
        put_str(wo, "message", w->message, &ok);
        append(warnings, wo, &ok);
    }
    put(o, "warnings", warnings, &ok);
    return finish(o, ok);
}

/* ---- hits and results: written directly ------------------------------------------
 *
 * Hits and screening results are what every screening returns, so they are
 * written straight into one growing buffer instead of going through a
 * jansson tree: no object per field, no hash table per object, no second
 * pass to dump. The text is byte for byte what the tree would dump with
 * DUMP_FLAGS: the same key order, the same left-out fields, the same string
 * escapes (quote, backslash and control characters; UTF-8 kept; invalid
 * bytes replaced with U+FFFD as jstr() does) and the same numbers (integers
 * in decimal, fractions rounded to four decimals and printed as "%.10g"
 * with ".0" added when there is no point). Identifier hits, which are rare,
 * still come from their jansson objects and are dumped in place. */

typedef struct jw {
    char *buf;
    size_t len, cap;
    int failed;   /* out of memory, or a part that cannot be written: the result is NULL */
} jw;

static int jw_grow(jw *w, size_t n)
{
    if (w->failed) return 0;
    size_t cap = w->cap ? w->cap : 1024;
    while (cap < w->len + n + 1) {
        if (cap > ((size_t)-1) / 2) {
            w->failed = 1;
            return 0;
        }
        cap *= 2;
    }
    char *grown = realloc(w->buf, cap);
    if (!grown) {
        w->failed = 1;
        return 0;
    }
    w->buf = grown;
    w->cap = cap;
    return 1;
}

/* Room for n more bytes plus the terminating NUL. After a failure writing
 * may go on into the room there is; jw_finish() drops the result anyway. */
static inline int jw_room(jw *w, size_t n)
{
    return w->len + n + 1 <= w->cap ? 1 : jw_grow(w, n);
}

static void jw_raw(jw *w, const char *s, size_t n)
{
    if (!jw_room(w, n)) return;
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

#define JW_LIT(w, lit) jw_raw((w), "" lit, sizeof(lit) - 1)

static void jw_char(jw *w, char c)
{
    if (!jw_room(w, 1)) return;
    w->buf[w->len++] = c;
}

/* A JSON string. Runs of bytes that need nothing are copied in one go. */
static void jw_str(jw *w, const char *s)
{
    if (!s) {
        w->failed = 1;
        return;
    }
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), i = 0;
    /* the worst case: every byte becomes six ("\u001F") or three (U+FFFD) */
    if (!jw_room(w, 6 * n + 2)) return;
    char *o = w->buf + w->len;
    *o++ = '"';
    while (i < n) {
        size_t run = i;
        while (run < n && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '"' && p[run] != '\\') run++;
        if (run > i) {
            memcpy(o, p + i, run - i);
            o += run - i;
            i = run;
            if (i == n) break;
        }
        unsigned char c = p[i];
        if (c >= 0x80) {
            size_t k = utf8_seq(p + i, n - i);
            if (k) {
                memcpy(o, p + i, k);
                o += k;
                i += k;
            } else {
                memcpy(o, "\xEF\xBF\xBD", 3);
                o += 3;
                i++;
            }
            continue;
        }
        *o++ = '\\';
        switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '\b': *o++ = 'b'; break;
        case '\f': *o++ = 'f'; break;
        case '\n': *o++ = 'n'; break;
        case '\r': *o++ = 'r'; break;
        case '\t': *o++ = 't'; break;
        default:
            *o++ = 'u';
            *o++ = '0';
            *o++ = '0';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
            break;
        }
        i++;
    }
    *o++ = '"';
    w->len = (size_t)(o - w->buf);
}

static void jw_uint(jw *w, unsigned long long v)
{
    char tmp[24];
    size_t k = sizeof tmp;
    do {
        tmp[--k] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    jw_raw(w, tmp + k, sizeof tmp - k);
}

/* A fraction rounded to four decimals, as json_real() of it dumps with
 * DUMP_FLAGS (non-finite values count as 0). The rounding leaves a whole
 * number of ten-thousandths, m; while m has at most nine digits,
 * "%.10g" prints exactly its decimal digits without trailing zeros, so they
 * are written from m directly. Anything larger goes through jansson. */
static void jw_real(jw *w, double x)
{
    double m = isfinite(x) ? round(x * 10000.0) : 0.0;
    if (fabs(m) < 1e9) {
        if (signbit(m)) jw_char(w, '-');
        unsigned long long u = (unsigned long long)fabs(m);
        jw_uint(w, u / 10000);
        unsigned frac = (unsigned)(u % 10000);
        if (!frac) {
            JW_LIT(w, ".0");
            return;
        }
        char d[5] = { '.', (char)('0' + frac / 1000), (char)('0' + frac / 100 % 10), (char)('0' + frac / 10 % 10),
                      (char)('0' + frac % 10) };
        size_t k = 5;
        while (d[k - 1] == '0') k--;
        jw_raw(w, d, k);
        return;
    }
    json_t *v = json_real(m / 10000.0);
    char *text = v ? json_dumps(v, JSON_ENCODE_ANY | DUMP_FLAGS) : NULL;
    json_decref(v);
    if (!text) {
        w->failed = 1;
        return;
    }
    jw_raw(w, text, strlen(text));
    free(text);
}

/* Object members: *n counts the members written so far, for the commas.
 * Keys are string literals, written with their quotes and colon in one go. */
#define JW_KEY(w, n, key) jw_key((w), (n), "\"" key "\":", sizeof(key) + 2)
#define JW_KSTR(w, n, key, s) jw_kstr((w), (n), "\"" key "\":", sizeof(key) + 2, (s))

static void jw_key(jw *w, int *n, const char *quoted, size_t len)
{
    if ((*n)++) jw_char(w, ',');
    jw_raw(w, quoted, len);
}

/* put_str(): left out when NULL or empty. */
static void jw_kstr(jw *w, int *n, const char *quoted, size_t len, const char *s)
{
    if (!s || !*s) return;
    jw_key(w, n, quoted, len);
    jw_str(w, s);
}

/* put_strs(): NULL elements skipped, the key left out when n is 0. */
static void jw_kstrs(jw *w, int *n, const char *quoted, size_t len, const char *const *s, size_t count)
{
    if (!count || !s) return;
    jw_key(w, n, quoted, len);
    jw_char(w, '[');
    int first = 1;
    for (size_t i = 0; i < count; i++) {
        if (!s[i]) continue;
        if (!first) jw_char(w, ',');
        first = 0;
        jw_str(w, s[i]);
    }
    jw_char(w, ']');
}

/* links_array(), written. */
static void jw_links(jw *w, int *n, const sanctum_entity *e)
{
    if (!e || !e->n_also_listed || !e->also_listed) return;
    JW_KEY(w, n, "also_listed");
    jw_char(w, '[');
    for (size_t i = 0; i < e->n_also_listed; i++) {
        const sanctum_entity_link *l = &e->also_listed[i];
        const sanctum_entity *o = l->entity;
        if (!o) {
            w->failed = 1;
            return;
        }
        if (i) jw_char(w, ',');
        int m = 0;
        jw_char(w, '{');
        JW_KSTR(w, &m, "entity", o->id);
        JW_KSTR(w, &m, "list", o->source);
        if (o->n_names && o->names) JW_KSTR(w, &m, "name", o->names[0].full);
        JW_KSTR(w, &m, "reason", l->reason);
        JW_KEY(w, &m, "strength");
        jw_str(w, sanctum_link_strength_name(l->strength));
        jw_char(w, '}');
    }
    jw_char(w, ']');
}

static void jw_hit(jw *w, const sanctum_hit *h)
{
    const sanctum_entity *e = h->entity;
    const sanctum_name *matched = NULL;
    if (e && e->names && h->name_index < e->n_names) matched = &e->names[h->name_index];
    int n = 0;
    jw_char(w, '{');
    if (e) {
        JW_KSTR(w, &n, "entity", e->id);
        JW_KSTR(w, &n, "list", e->source);
        JW_KEY(w, &n, "type");
        jw_str(w, sanctum_type_name(e->type));
    }
    JW_KEY(w, &n, "score");
    jw_real(w, h->score);
    JW_KEY(w, &n, "matched_field");
    JW_LIT(w, "\"name\"");
    JW_KEY(w, &n, "name_score");
    jw_real(w, h->name_score);
    if (e && e->n_names && e->names) JW_KSTR(w, &n, "name", e->names[0].full);
    if (matched) {
        JW_KSTR(w, &n, "matched", matched->full);
        JW_KEY(w, &n, "matched_kind");
        jw_str(w, sanctum_name_kind_name(matched->kind));
        JW_KEY(w, &n, "matched_quality");
        jw_str(w, matched->quality == SANCTUM_QUALITY_WEAK ? "weak" : "strong");
    }
    if (e) jw_kstrs(w, &n, "\"programs\":", sizeof("programs") + 2, e->programs, e->n_programs);
    jw_links(w, &n, e);

    JW_KEY(w, &n, "explanation");
    int x = 0;
    jw_char(w, '{');
    JW_KSTR(w, &x, "query_form", h->query_form);
    JW_KEY(w, &x, "tokens");
    jw_char(w, '[');
    for (size_t i = 0; h->tokens && i < h->n_tokens; i++) {
        const sanctum_token_match *t = &h->tokens[i];
        int m = 0;
        if (i) jw_char(w, ',');
        jw_char(w, '{');
        JW_KSTR(w, &m, "query", t->query);
        JW_KEY(w, &m, "listed");
        if (t->listed)
            jw_str(w, t->listed);
        else
            JW_LIT(w, "null");
        JW_KSTR(w, &m, "how", t->how);
        JW_KEY(w, &m, "similarity");
        jw_real(w, t->similarity);
        JW_KEY(w, &m, "weight");
        jw_real(w, t->weight);
        jw_char(w, '}');
    }
    jw_char(w, ']');
    JW_KEY(w, &x, "evidence");
    jw_char(w, '[');
    for (size_t i = 0; h->evidence && i < h->n_evidence; i++) {
        const sanctum_evidence *v = &h->evidence[i];
        int m = 0;
        if (i) jw_char(w, ',');
        jw_char(w, '{');
        JW_KSTR(w, &m, "field", v->field);
        JW_KEY(w, &m, "delta");
        jw_real(w, v->delta);
        JW_KSTR(w, &m, "detail", v->detail);
        jw_char(w, '}');
    }
    jw_char(w, ']');
    jw_char(w, '}');
    jw_char(w, '}');
}

/* The buffer as a malloc'd string, or NULL (and freed) when anything failed. */
static char *jw_finish(jw *w)
{
    if (!w->failed && jw_room(w, 0)) {
        w->buf[w->len] = '\0';
        return w->buf;
    }
    free(w->buf);
    return NULL;
}

char *sanctum_hit_json(const sanctum_hit *h)
{
    if (!h) return NULL;
    jw w = { NULL, 0, 0, 0 };
    jw_hit(&w, h);
    return jw_finish(&w);
}

/* The query as screened, with the wallet or document inputs of one kind
 * ("wallets" or "ids") after the name fields. */
static void jw_ident_inputs(jw *w, int *n, int wallets, const sanctum_ident_result *const *ids, size_t n_ids)
{
    int any = 0;
    for (size_t i = 0; i < n_ids; i++) {
        if (!ids[i]) continue;
        int wallet = strcmp(sanctum_ident_result_kind(ids[i]), "wallet") == 0;
        if (wallet != wallets) continue;
        if (!any) {
            if (wallets)
                JW_KEY(w, n, "wallets");
            else
                JW_KEY(w, n, "ids");
            jw_char(w, '[');
        } else {
            jw_char(w, ',');
        }
        any = 1;
        int m = 0;
        jw_char(w, '{');
        JW_KSTR(w, &m, "input", sanctum_ident_result_query(ids[i]));
        JW_KSTR(w, &m, "normalized", sanctum_ident_result_normalized(ids[i]));
        if (wallet) {
            JW_KSTR(w, &m, "chain", sanctum_ident_result_chain(ids[i]));
            JW_KEY(w, &m, "validity");
            jw_str(w, sanctum_wallet_validity_name(sanctum_ident_result_validity(ids[i])));
        }
        JW_KSTR(w, &m, "message", sanctum_ident_result_message(ids[i]));
        jw_char(w, '}');
    }
    if (any) jw_char(w, ']');
}

static void jw_query(jw *w, const sanctum_query *q, const sanctum_ident_result *const *ids, size_t n_ids)
{
    static const sanctum_entity_type all[] = { SANCTUM_TYPE_PERSON, SANCTUM_TYPE_ORGANIZATION,
                                               SANCTUM_TYPE_VESSEL, SANCTUM_TYPE_AIRCRAFT };
    int n = 0;
    jw_char(w, '{');
    if (q) {
        JW_KSTR(w, &n, "name", q->name);
        unsigned types = q->types & (unsigned)SANCTUM_TYPE_ANY;
        if (types && types != (unsigned)SANCTUM_TYPE_ANY) {
            JW_KEY(w, &n, "types");
            jw_char(w, '[');
            int first = 1;
            for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
                if (!(types & (unsigned)all[i])) continue;
                if (!first) jw_char(w, ',');
                first = 0;
                jw_str(w, sanctum_type_name(all[i]));
            }
            jw_char(w, ']');
        }
        JW_KSTR(w, &n, "dob", q->dob);
        JW_KSTR(w, &n, "country", q->country);
        JW_KSTR(w, &n, "lists", q->lists);
        JW_KSTR(w, &n, "programs", q->programs);
        JW_KEY(w, &n, "min_score");
        jw_real(w, q->min_score < 0 ? SANCTUM_DEFAULT_MIN_SCORE : q->min_score);
        JW_KEY(w, &n, "limit");
        jw_uint(w, (unsigned long long)(q->limit ? q->limit : SANCTUM_DEFAULT_LIMIT));
        if (q->exhaustive) {
            JW_KEY(w, &n, "exhaustive");
            JW_LIT(w, "true");
        }
    }
    jw_ident_inputs(w, &n, 1, ids, n_ids);
    jw_ident_inputs(w, &n, 0, ids, n_ids);
    jw_char(w, '}');
}

/* An identifier hit: its jansson object with the other listings added,
 * dumped in place. */
static void jw_ident_hit(jw *w, const sanctum_ident_hit *ih)
{
    int ok = 1;
    json_t *ho = ih ? sanctum_ident_hit_jobj(ih) : NULL;
    if (!ho) {
        w->failed = 1;
        return;
    }
    json_t *also = links_array(ih->entity, &ok);
    if (also) put(ho, "also_listed", also, &ok);
    char *text = ok ? json_dumps(ho, DUMP_FLAGS) : NULL;
    json_decref(ho);
    if (!text) {
        w->failed = 1;
        return;
    }
    jw_raw(w, text, strlen(text));
    free(text);
}

char *sanctum_result_json(const sanctum_query *q, const sanctum_result *r)
{
    return sanctum_screen_json(q, r, NULL, 0);
}

char *sanctum_screen_json(const sanctum_query *q, const sanctum_result *r, const sanctum_ident_result *const *ids,
                          size_t n_ids)
{
    jw w = { NULL, 0, 0, 0 };
    if (!jw_room(&w, 2048)) return NULL;
    JW_LIT(&w, "{\"query\":");
    jw_query(&w, q, ids, n_ids);
    JW_LIT(&w, ",\"hits\":[");
    int first = 1;
    /* exact identifier hits first: they score 1.0 and say which field matched */
    for (size_t i = 0; i < n_ids; i++)
        for (size_t k = 0; ids[i] && k < sanctum_ident_result_count(ids[i]); k++) {
            if (!first) jw_char(&w, ',');
            first = 0;
            jw_ident_hit(&w, sanctum_ident_result_hit(ids[i], k));
        }
    size_t n = r ? sanctum_result_count(r) : 0;
    for (size_t i = 0; i < n; i++) {
        const sanctum_hit *h = sanctum_result_hit(r, i);
        if (!h) continue;
        if (!first) jw_char(&w, ',');
        first = 0;
        jw_hit(&w, h);
    }
    JW_LIT(&w, "]}");
    return jw_finish(&w);
}
