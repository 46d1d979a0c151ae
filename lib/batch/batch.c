/*
 * batch.c - streaming, multi-threaded screening of JSON Lines or CSV input
 * (and XLSX workbooks, read into CSV and written from it).
 *
 * The calling thread reads a chunk of records, the worker threads (and the
 * calling thread with them) screen the chunk's records in any order, then
 * the calling thread writes the results in input order and reads the next
 * chunk. Only one chunk is in memory at a time, so memory stays flat however
 * long the input is. Each record's result is a self-contained string (a JSON
 * line, or CSV rows), built by the worker that screened it. Grouping by
 * person collapses a record's hits on listings of one party into one.
 *
 * Workbooks: the first sheet of an XLSX input is turned into CSV text in
 * memory (one line per sheet row, so line numbers are row numbers) and
 * screened as CSV; XLSX output is written as CSV to a temporary file and
 * then copied row by row into the workbook with libxlsxwriter. A workbook
 * read from a stream is first read whole into memory, so the stream and the
 * in-memory form (sanctum_batch_xlsx_read) share one reader.
 */
#define _POSIX_C_SOURCE 200809L
#include "sanctum/batch.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <libxml/xmlreader.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "sanctum/json.h"
#include "util/error.h"
#include "util/strbuf.h"

#define CHUNK_RECORDS 1024
#define MAX_RECORD_BYTES (1u << 20)   /* one input record */
#define MAX_NAME_BYTES 4096
#define MAX_CSV_COLUMNS 256
#define MAX_IDENTS 32            /* wallets + ids in one record */

typedef struct record {
    char *text;                 /* the raw record (a JSON line, or a CSV record without line end) */
    size_t len;
    unsigned long long line;    /* 1-based line number where the record starts */
    char *out;                  /* the result to write (malloc'd) */
    int failed;                 /* produced an error record */
    size_t hits;
    char errmsg[256];           /* for fail_fast */
} record;

typedef struct csv_header {
    int name, id, type, dob, country, wallet;  /* column indexes, -1 when absent */
    size_t ncols;
} csv_header;

typedef struct batch {
    const sanctum_index *idx;
    const sanctum_batch_options *opts;
    const sanctum_query *defaults;
    csv_header hdr;
    record recs[CHUNK_RECORDS];
    size_t n;
    atomic_size_t next;

    pthread_mutex_t mu;
    pthread_cond_t work, done;
    unsigned generation;
    unsigned busy;
    int stop;
} batch;

/* ---- small CSV field splitter (RFC 4180) ------------------------------------ */

/* Splits one CSV record in place. Fields are unquoted; doubled quotes become one.
 * Returns the number of fields, or -1 for a malformed record (text after a
 * closing quote, or an unterminated quote). */
static int csv_split(char *s, size_t len, char **fields, size_t max)
{
    size_t nf = 0, i = 0;
    for (;;) {
        if (nf == max) return -1;
        char *w = s + i, *start = w;
        if (i < len && s[i] == '"') {
            i++;
            for (;;) {
                if (i >= len) return -1;
                if (s[i] == '"') {
                    if (i + 1 < len && s[i + 1] == '"') {
                        *w++ = '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                *w++ = s[i++];
            }
            if (i < len && s[i] != ',') return -1;
        } else {
            while (i < len && s[i] != ',') {
                if (s[i] == '"') return -1;
                *w++ = s[i++];
            }
        }
        int more = i < len && s[i] == ',';
        *w = '\0';
        fields[nf++] = start;
        if (!more) break;
        i++;
    }
    return (int)nf;
}

/* ---- building one record's result ----------------------------------------- */

static void csv_put(sanctum_strbuf *b, const char *s)
{
    if (!s) return;
    if (!strpbrk(s, ",\"\r\n")) {
        sanctum_strbuf_puts(b, s);
        return;
    }
    sanctum_strbuf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"') sanctum_strbuf_putc(b, '"');
        sanctum_strbuf_putc(b, *s);
    }
    sanctum_strbuf_putc(b, '"');
}

static void set_error(record *r, const sanctum_batch_options *opts, json_t *id, const char *msg)
{
    sanctum_batch_format fmt = opts->output_format;
    r->failed = 1;
    snprintf(r->errmsg, sizeof r->errmsg, "%s", msg);
    if (fmt == SANCTUM_BATCH_JSONL) {
        json_t *o = json_object();
        if (id) json_object_set(o, "id", id);
        json_object_set_new(o, "line", json_integer((json_int_t)r->line));
        json_object_set_new(o, "error", json_string(msg));
        char *text = json_dumps(o, JSON_COMPACT);
        json_decref(o);
        size_t n = text ? strlen(text) : 0;
        r->out = text ? realloc(text, n + 2) : NULL;
        if (r->out) memcpy(r->out + n, "\n", 2);
        else free(text);
    } else {
        char text[320];
        snprintf(text, sizeof text, "line %llu: %s", r->line, msg);
        sanctum_strbuf b;
        sanctum_strbuf_init(&b, 0);
        if (id && json_is_string(id)) csv_put(&b, json_string_value(id));
        sanctum_strbuf_puts(&b, opts->group_by_person ? ",,,,,,,,,,," : ",,,,,,,,,,");
        csv_put(&b, text);
        sanctum_strbuf_putc(&b, '\n');
        r->out = sanctum_strbuf_detach(&b);
    }
}

/* ---- links and grouping by person -------------------------------------------- */

/* [{"entity","list","name","reason","strength"}] for e's other listings; NULL when none. */
static json_t *links_jarray(const sanctum_entity *e)
{
    if (!e || !e->n_also_listed) return NULL;
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < e->n_also_listed; i++) {
        const sanctum_entity_link *l = &e->also_listed[i];
        json_t *o = json_object();
        if (!o) break;
        json_object_set_new(o, "entity", json_string(l->entity->id));
        json_object_set_new(o, "list", json_string(l->entity->source));
        if (l->entity->n_names && l->entity->names[0].full)
            json_object_set_new(o, "name", json_string(l->entity->names[0].full));
        if (l->reason) json_object_set_new(o, "reason", json_string(l->reason));
        json_object_set_new(o, "strength", json_string(sanctum_link_strength_name(l->strength)));
        json_array_append_new(arr, o);
    }
    return arr;
}

/* A wallet or document hit as JSON text with its "also_listed" added (malloc'd, or NULL). */
static char *ident_hit_jobj_text(const sanctum_ident_hit *h, json_t **keep)
{
    char *text = sanctum_ident_hit_json(h);
    json_t *o = text ? json_loads(text, 0, NULL) : NULL;
    sanctum_string_free(text);
    if (!o) return NULL;
    json_t *also = links_jarray(h->entity);
    if (also) json_object_set_new(o, "also_listed", also);
    if (keep) {
        *keep = o;
        return NULL;
    }
    char *out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    json_decref(o);
    return out;
}

static char *ident_hit_text(const sanctum_ident_hit *h)
{
    return ident_hit_jobj_text(h, NULL);
}

/* One hit of a record, whatever found it. */
typedef struct any_hit {
    const sanctum_entity *e;
    double score;
    const sanctum_hit *name_hit;        /* or */
    const sanctum_ident_hit *ident_hit;
    const char *query;                  /* the wallet or number screened, or the name */
    size_t group;                       /* index of the group's first hit */
} any_hit;

static json_t *any_hit_jobj(const any_hit *h)
{
    if (h->ident_hit) {
        json_t *o = NULL;
        ident_hit_jobj_text(h->ident_hit, &o);
        return o;
    }
    char *text = sanctum_hit_json(h->name_hit);
    json_t *o = text ? json_loads(text, 0, NULL) : NULL;
    sanctum_string_free(text);
    return o;
}

static const char *any_matched(const any_hit *h)
{
    if (h->ident_hit) return h->ident_hit->listed;
    const sanctum_entity *e = h->e;
    return h->name_hit->name_index < e->n_names ? e->names[h->name_hit->name_index].full : "";
}

static void write_grouped(batch *bt, record *r, json_t *id, const char *name, const sanctum_result *res,
                          sanctum_ident_result **ids, size_t n_ids)
{
    size_t n = res ? sanctum_result_count(res) : 0, total = n;
    for (size_t k = 0; k < n_ids; k++) total += sanctum_ident_result_count(ids[k]);
    any_hit *hits = calloc(total ? total : 1, sizeof *hits);
    sanctum_strbuf b;
    sanctum_strbuf_init(&b, 0);
    if (!hits) {
        set_error(r, bt->opts, id, "out of memory");
        return;
    }
    size_t nh = 0;
    for (size_t k = 0; k < n_ids; k++)
        for (size_t i = 0; i < sanctum_ident_result_count(ids[k]); i++) {
            const sanctum_ident_hit *h = sanctum_ident_result_hit(ids[k], i);
            hits[nh++] = (any_hit){ h->entity, h->score, NULL, h, sanctum_ident_result_query(ids[k]), 0 };
        }
    for (size_t i = 0; i < n; i++) {
        const sanctum_hit *h = sanctum_result_hit(res, i);
        hits[nh++] = (any_hit){ h->entity, h->score, h, NULL, name, 0 };
    }
    /* each hit joins the first earlier group of the same party */
    size_t groups = 0;
    for (size_t i = 0; i < nh; i++) {
        hits[i].group = i;
        for (size_t j = 0; j < i; j++)
            if (hits[j].group == j && sanctum_entity_same_party(hits[j].e, hits[i].e)) {
                hits[i].group = j;
                break;
            }
        if (hits[i].group == i) groups++;
    }
    r->hits = groups;
    if (bt->opts->output_format == SANCTUM_BATCH_JSONL) {
        json_t *root = json_object(), *arr = json_array();
        if (id) json_object_set(root, "id", id);
        else json_object_set_new(root, "id", json_null());
        for (size_t g = 0; g < nh; g++) {
            if (hits[g].group != g) continue;
            json_t *o = any_hit_jobj(&hits[g]);
            if (!o) o = json_object();
            json_t *listings = json_array();
            for (size_t i = g; i < nh; i++) {
                if (hits[i].group != g) continue;
                json_t *l = json_object();
                json_object_set_new(l, "entity", json_string(hits[i].e->id));
                json_object_set_new(l, "list", json_string(hits[i].e->source));
                if (hits[i].e->n_names && hits[i].e->names[0].full)
                    json_object_set_new(l, "name", json_string(hits[i].e->names[0].full));
                json_object_set_new(l, "score", json_real(round(hits[i].score * 10000.0) / 10000.0));
                json_object_set_new(l, "matched_field",
                                    json_string(hits[i].ident_hit ? hits[i].ident_hit->matched_field : "name"));
                const char *m = any_matched(&hits[i]);
                if (m && *m) json_object_set_new(l, "matched", json_string(m));
                json_array_append_new(listings, l);
            }
            json_object_set_new(o, "listings", listings);
            json_array_append_new(arr, o);
        }
        json_object_set_new(root, "hits", arr);
        char *text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
        json_decref(root);
        if (text) {
            sanctum_strbuf_puts(&b, text);
            sanctum_strbuf_putc(&b, '\n');
            free(text);
        }
    } else {
        const char *idstr = NULL;
        char numbuf[64];
        if (id && json_is_string(id)) idstr = json_string_value(id);
        else if (id && json_is_integer(id)) {
            snprintf(numbuf, sizeof numbuf, "%lld", (long long)json_integer_value(id));
            idstr = numbuf;
        }
        size_t rank = 0;
        for (size_t g = 0; g < nh; g++) {
            if (hits[g].group != g) continue;
            const any_hit *h = &hits[g];
            const sanctum_entity *e = h->e;
            csv_put(&b, idstr);
            sanctum_strbuf_putc(&b, ',');
            csv_put(&b, h->query);
            sanctum_strbuf_printf(&b, ",%zu,", ++rank);
            csv_put(&b, e->id);
            sanctum_strbuf_putc(&b, ',');
            csv_put(&b, e->source);
            sanctum_strbuf_printf(&b, ",%s,%.4f,", sanctum_type_name(e->type), h->score);
            csv_put(&b, e->n_names ? e->names[0].full : "");
            sanctum_strbuf_putc(&b, ',');
            csv_put(&b, any_matched(h));
            sanctum_strbuf_putc(&b, ',');
            if (h->ident_hit) csv_put(&b, h->ident_hit->matched_field);
            else if (h->name_hit->name_index < e->n_names)
                csv_put(&b, sanctum_name_kind_name(e->names[h->name_hit->name_index].kind));
            sanctum_strbuf_putc(&b, ',');
            sanctum_strbuf tmp;
            sanctum_strbuf_init(&tmp, 0);
            for (size_t i = g; i < nh; i++) {
                if (hits[i].group != g) continue;
                /* one entity may hit twice (a wallet and a name): name it once */
                int seen = 0;
                for (size_t j = g; j < i && !seen; j++) seen = hits[j].group == g && hits[j].e == hits[i].e;
                if (seen) continue;
                if (tmp.len) sanctum_strbuf_puts(&tmp, "; ");
                sanctum_strbuf_puts(&tmp, hits[i].e->id);
            }
            csv_put(&b, sanctum_strbuf_cstr(&tmp));
            sanctum_strbuf_free(&tmp);
            sanctum_strbuf_puts(&b, ",\n");
        }
    }
    free(hits);
    r->out = sanctum_strbuf_detach(&b);
}


static void write_hits(batch *bt, record *r, json_t *id, const char *name, const sanctum_result *res,
                       sanctum_ident_result **ids, size_t n_ids)
{
    if (bt->opts->group_by_person) {
        write_grouped(bt, r, id, name, res, ids, n_ids);
        return;
    }
    size_t n = res ? sanctum_result_count(res) : 0;
    size_t n_ident = 0;
    for (size_t k = 0; k < n_ids; k++) n_ident += sanctum_ident_result_count(ids[k]);
    r->hits = n + n_ident;
    sanctum_strbuf b;
    sanctum_strbuf_init(&b, 0);
    if (bt->opts->output_format == SANCTUM_BATCH_JSONL) {
        char *idtext = id ? json_dumps(id, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
        sanctum_strbuf_puts(&b, "{\"id\":");
        sanctum_strbuf_puts(&b, idtext ? idtext : "null");
        sanctum_strbuf_puts(&b, ",\"hits\":[");
        int first = 1;
        for (size_t k = 0; k < n_ids; k++)
            for (size_t i = 0; i < sanctum_ident_result_count(ids[k]); i++) {
                char *h = ident_hit_text(sanctum_ident_result_hit(ids[k], i));
                if (!first) sanctum_strbuf_putc(&b, ',');
                first = 0;
                sanctum_strbuf_puts(&b, h ? h : "null");
                sanctum_string_free(h);
            }
        for (size_t i = 0; i < n; i++) {
            char *h = sanctum_hit_json(sanctum_result_hit(res, i));
            if (!first) sanctum_strbuf_putc(&b, ',');
            first = 0;
            sanctum_strbuf_puts(&b, h ? h : "null");
            sanctum_string_free(h);
        }
        sanctum_strbuf_puts(&b, "]}\n");
        free(idtext);
    } else {
        const char *idstr = NULL;
        char numbuf[64];
        if (id && json_is_string(id)) idstr = json_string_value(id);
        else if (id && json_is_integer(id)) {
            snprintf(numbuf, sizeof numbuf, "%lld", (long long)json_integer_value(id));
            idstr = numbuf;
        }
        size_t rank = 0;
        for (size_t k = 0; k < n_ids; k++)
            for (size_t i = 0; i < sanctum_ident_result_count(ids[k]); i++) {
                const sanctum_ident_hit *h = sanctum_ident_result_hit(ids[k], i);
                const sanctum_entity *e = h->entity;
                csv_put(&b, idstr);
                sanctum_strbuf_putc(&b, ',');
                csv_put(&b, sanctum_ident_result_query(ids[k]));
                sanctum_strbuf_printf(&b, ",%zu,", ++rank);
                csv_put(&b, e->id);
                sanctum_strbuf_putc(&b, ',');
                csv_put(&b, e->source);
                sanctum_strbuf_printf(&b, ",%s,%.4f,", sanctum_type_name(e->type), h->score);
                csv_put(&b, e->n_names ? e->names[0].full : "");
                sanctum_strbuf_putc(&b, ',');
                csv_put(&b, h->listed);
                sanctum_strbuf_putc(&b, ',');
                csv_put(&b, h->matched_field);
                sanctum_strbuf_puts(&b, ",\n");
            }
        for (size_t i = 0; i < n; i++) {
            const sanctum_hit *h = sanctum_result_hit(res, i);
            const sanctum_entity *e = h->entity;
            csv_put(&b, idstr);
            sanctum_strbuf_putc(&b, ',');
            csv_put(&b, name);
            sanctum_strbuf_printf(&b, ",%zu,", ++rank);
            csv_put(&b, e->id);
            sanctum_strbuf_putc(&b, ',');
            csv_put(&b, e->source);
            sanctum_strbuf_printf(&b, ",%s,%.4f,", sanctum_type_name(e->type), h->score);
            csv_put(&b, e->n_names ? e->names[0].full : "");
            sanctum_strbuf_putc(&b, ',');
            csv_put(&b, h->name_index < e->n_names ? e->names[h->name_index].full : "");
            sanctum_strbuf_putc(&b, ',');
            csv_put(&b, h->name_index < e->n_names ? sanctum_name_kind_name(e->names[h->name_index].kind) : "");
            sanctum_strbuf_puts(&b, ",\n");
        }
    }
    r->out = sanctum_strbuf_detach(&b);
}

/* The wallets and document numbers of one record. */
typedef struct ident_query {
    int wallet;
    const char *value, *type, *country;
} ident_query;

/* Reads "wallets" and "ids" of a JSON record. Returns NULL or an error message. */
static const char *json_idents(json_t *root, ident_query *out, size_t *n)
{
    json_t *w = json_object_get(root, "wallets"), *d = json_object_get(root, "ids");
    *n = 0;
    if (w && !json_is_null(w)) {
        if (!json_is_array(w)) return "field \"wallets\" must be an array of strings";
        size_t i;
        json_t *v;
        json_array_foreach(w, i, v) {
            if (!json_is_string(v)) return "field \"wallets\" must be an array of strings";
            if (*n == MAX_IDENTS) return "too many wallets and ids in one record (at most 32)";
            out[(*n)++] = (ident_query){ 1, json_string_value(v), NULL, NULL };
        }
    }
    if (d && !json_is_null(d)) {
        if (!json_is_array(d)) return "field \"ids\" must be an array";
        size_t i;
        json_t *v;
        json_array_foreach(d, i, v) {
            if (*n == MAX_IDENTS) return "too many wallets and ids in one record (at most 32)";
            if (json_is_string(v)) {
                out[(*n)++] = (ident_query){ 0, json_string_value(v), NULL, NULL };
                continue;
            }
            json_t *num = json_object_get(v, "number"), *t = json_object_get(v, "type"),
                   *c = json_object_get(v, "country");
            if (!json_is_object(v) || !json_is_string(num) || (t && !json_is_null(t) && !json_is_string(t)) ||
                (c && !json_is_null(c) && !json_is_string(c)))
                return "each item of \"ids\" must be a string or {\"number\": \"...\", \"type\": \"...\", \"country\": \"...\"}";
            out[(*n)++] = (ident_query){ 0, json_string_value(num), json_string_value(t), json_string_value(c) };
        }
    }
    return NULL;
}

/* Screens one record: fills r->out with its result or an error record. */
static void screen_record(batch *bt, record *r)
{
    const sanctum_batch_options *o = bt->opts;
    sanctum_query q = SANCTUM_QUERY_INIT;
    if (bt->defaults) q = *bt->defaults;
    json_t *root = NULL, *id = NULL;
    const char *name = NULL, *type = NULL;
    ident_query iq[MAX_IDENTS];
    size_t n_iq = 0;
    sanctum_ident_result *ires[MAX_IDENTS];
    size_t n_ires = 0;
    sanctum_result *res = NULL;
    char msg[320];

    if (o->input_format == SANCTUM_BATCH_JSONL) {
        json_error_t jerr;
        root = json_loadb(r->text, r->len, JSON_REJECT_DUPLICATES, &jerr);
        if (!root) {
            snprintf(msg, sizeof msg, "invalid JSON at column %d: %s", jerr.column, jerr.text);
            set_error(r, o, NULL, msg);
            return;
        }
        if (!json_is_object(root)) {
            set_error(r, o, NULL, "a record must be a JSON object");
            goto done;
        }
        id = json_object_get(root, "id");
        json_t *jn = json_object_get(root, "name");
        json_t *jt = json_object_get(root, "type");
        json_t *jd = json_object_get(root, "dob");
        json_t *jc = json_object_get(root, "country");
        if ((jn && !json_is_null(jn) && !json_is_string(jn)) || (jt && !json_is_null(jt) && !json_is_string(jt)) ||
            (jd && !json_is_null(jd) && !json_is_string(jd)) || (jc && !json_is_null(jc) && !json_is_string(jc))) {
            set_error(r, o, id, "fields \"name\", \"type\", \"dob\" and \"country\" must be strings");
            goto done;
        }
        const char *bad = json_idents(root, iq, &n_iq);
        if (bad) {
            set_error(r, o, id, bad);
            goto done;
        }
        if (jn && json_is_string(jn)) name = json_string_value(jn);
        if (jt && json_is_string(jt)) type = json_string_value(jt);
        if (jd && json_is_string(jd) && *json_string_value(jd)) q.dob = json_string_value(jd);
        if (jc && json_is_string(jc) && *json_string_value(jc)) q.country = json_string_value(jc);
    } else {
        char *fields[MAX_CSV_COLUMNS];
        int nf = csv_split(r->text, r->len, fields, MAX_CSV_COLUMNS);
        if (nf < 0) {
            set_error(r, o, NULL, "malformed CSV record (stray or unterminated quote)");
            return;
        }
        if ((size_t)nf != bt->hdr.ncols) {
            snprintf(msg, sizeof msg, "CSV record has %d fields, the header has %zu", nf, bt->hdr.ncols);
            set_error(r, o, NULL, msg);
            return;
        }
        if (bt->hdr.id >= 0) id = json_string(fields[bt->hdr.id]);
        name = fields[bt->hdr.name];
        if (bt->hdr.type >= 0 && *fields[bt->hdr.type]) type = fields[bt->hdr.type];
        if (bt->hdr.dob >= 0 && *fields[bt->hdr.dob]) q.dob = fields[bt->hdr.dob];
        if (bt->hdr.country >= 0 && *fields[bt->hdr.country]) q.country = fields[bt->hdr.country];
        if (bt->hdr.wallet >= 0) {
            /* several wallets in one cell are separated by ';' */
            for (char *p = fields[bt->hdr.wallet]; p && *p && n_iq < MAX_IDENTS;) {
                char *end = strchr(p, ';');
                if (end) *end = '\0';
                while (*p == ' ') p++;
                if (*p) iq[n_iq++] = (ident_query){ 1, p, NULL, NULL };
                p = end ? end + 1 : NULL;
            }
        }
    }
    if (name && !*name) name = NULL;

    if (!name && n_iq == 0) {
        set_error(r, o, id, o->input_format == SANCTUM_BATCH_JSONL
                                               ? "missing field \"name\" (or \"wallets\" / \"ids\")"
                                               : "empty name");
        goto done;
    }
    if (name && strlen(name) > MAX_NAME_BYTES) {
        set_error(r, o, id, "name longer than 4096 bytes");
        goto done;
    }
    if (n_iq && !o->ident) {
        set_error(r, o, id, "wallets and ids given, but no wallet/document index was loaded");
        goto done;
    }
    if (type) {
        sanctum_entity_type t;
        if (sanctum_type_parse(type, &t) != 0) {
            snprintf(msg, sizeof msg, "unknown type \"%.40s\" (person, organization, vessel, aircraft, any)", type);
            set_error(r, o, id, msg);
            goto done;
        }
        q.types = (unsigned)t;
    }
    sanctum_error err;
    for (size_t i = 0; i < n_iq; i++) {
        int rc = iq[i].wallet ? sanctum_wallet_screen(&ires[n_ires], o->ident, iq[i].value, &err)
                              : sanctum_document_screen(&ires[n_ires], o->ident, iq[i].value, iq[i].type,
                                                        iq[i].country, &err);
        if (rc) {
            char buf[256];
            sanctum_error_format(&err, buf, sizeof buf);
            snprintf(msg, sizeof msg, "%s %zu: %s", iq[i].wallet ? "wallet" : "id", i + 1, buf);
            set_error(r, o, id, msg);
            goto done;
        }
        n_ires++;
    }
    if (name) {
        q.name = name;
        if (sanctum_screen(&res, bt->idx, &q, &err) != 0) {
            char buf[256];
            sanctum_error_format(&err, buf, sizeof buf);
            snprintf(msg, sizeof msg, "%s", buf);
            set_error(r, o, id, msg);
            goto done;
        }
    }
    write_hits(bt, r, id, name ? name : "", res, ires, n_ires);
done:
    sanctum_result_free(res);
    for (size_t i = 0; i < n_ires; i++) sanctum_ident_result_free(ires[i]);
    if (root) json_decref(root);
    else if (id) json_decref(id);
}

/* ---- the worker pool -------------------------------------------------------- */

static void run_chunk(batch *bt)
{
    for (;;) {
        size_t i = atomic_fetch_add(&bt->next, 1);
        if (i >= bt->n) break;
        screen_record(bt, &bt->recs[i]);
    }
}

static void *worker(void *arg)
{
    batch *bt = arg;
    unsigned seen = 0;
    pthread_mutex_lock(&bt->mu);
    for (;;) {
        while (!bt->stop && bt->generation == seen) pthread_cond_wait(&bt->work, &bt->mu);
        if (bt->stop) break;
        seen = bt->generation;
        pthread_mutex_unlock(&bt->mu);
        run_chunk(bt);
        pthread_mutex_lock(&bt->mu);
        if (--bt->busy == 0) pthread_cond_signal(&bt->done);
    }
    pthread_mutex_unlock(&bt->mu);
    return NULL;
}

/* ---- reading records -------------------------------------------------------- */

typedef struct reader {
    FILE *in;
    char *line;
    size_t cap;
    unsigned long long lineno;
    unsigned long long bytes;
    int csv;
} reader;

/* Reads one record. Returns 1 with the text and its length (malloc'd), 0 at end of input,
 * or a negative code (I/O error, record over the cap). */
static int read_record(reader *rd, char **text, size_t *len, unsigned long long *start, sanctum_error *err,
                       const char *name)
{
    sanctum_strbuf b;
    sanctum_strbuf_init(&b, MAX_RECORD_BYTES);
    int quotes = 0;  /* CSV: inside a quoted field across lines */
    for (;;) {
        errno = 0;
        ssize_t n = getline(&rd->line, &rd->cap, rd->in);
        if (n < 0) {
            if (ferror(rd->in)) {
                sanctum_strbuf_free(&b);
                return sanctum_error_set(err, SANCTUM_EIO, name, rd->lineno + 1, "read error: %s", strerror(errno));
            }
            if (b.len || quotes) break;  /* last record without a line end */
            sanctum_strbuf_free(&b);
            return 0;
        }
        rd->lineno++;
        rd->bytes += (unsigned long long)n;
        if (b.len == 0 && !quotes) *start = rd->lineno;
        size_t l = (size_t)n;
        if (rd->csv)
            for (size_t i = 0; i < l; i++)
                if (rd->line[i] == '"') quotes ^= 1;
        if (!quotes) {
            while (l && (rd->line[l - 1] == '\n' || rd->line[l - 1] == '\r')) l--;
        }
        if (sanctum_strbuf_append(&b, rd->line, l) != 0) {
            sanctum_strbuf_free(&b);
            /* skip the rest of this record so the run can go on */
            return sanctum_error_set(err, SANCTUM_ELIMIT, name, *start, "record longer than %u bytes",
                                     MAX_RECORD_BYTES);
        }
        if (!quotes) {
            /* skip blank lines between records */
            const char *p = sanctum_strbuf_cstr(&b);
            while (*p == ' ' || *p == '\t') p++;
            if (!*p) {
                sanctum_strbuf_reset(&b);
                continue;
            }
            break;
        }
    }
    *len = b.len;
    *text = sanctum_strbuf_detach(&b);
    return 1;
}

static int find_column(char **fields, int nf, const char *want, const char *fallback)
{
    const char *w = want ? want : fallback;
    for (int i = 0; i < nf; i++)
        if (strcmp(fields[i], w) == 0) return i;
    return -1;
}

static int read_header(batch *bt, reader *rd, sanctum_error *err, const char *name)
{
    char *text = NULL;
    size_t len = 0;
    unsigned long long start = 0;
    int rc = read_record(rd, &text, &len, &start, err, name);
    if (rc <= 0) {
        free(text);
        return rc == 0 ? sanctum_error_set(err, SANCTUM_EPARSE, name, 1, "empty CSV input: a header row is required")
                       : rc;
    }
    /* a UTF-8 byte order mark before the header is allowed */
    char *p = text;
    if (len >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF) {
        p += 3;
        len -= 3;
    }
    char *fields[MAX_CSV_COLUMNS];
    int nf = csv_split(p, len, fields, MAX_CSV_COLUMNS);
    if (nf < 0) {
        free(text);
        return sanctum_error_set(err, SANCTUM_EPARSE, name, start, "malformed CSV header");
    }
    const sanctum_batch_options *o = bt->opts;
    bt->hdr.ncols = (size_t)nf;
    bt->hdr.name = find_column(fields, nf, o->name_column, "name");
    bt->hdr.id = find_column(fields, nf, o->id_column, "id");
    bt->hdr.type = find_column(fields, nf, o->type_column, "type");
    bt->hdr.dob = find_column(fields, nf, o->dob_column, "dob");
    bt->hdr.country = find_column(fields, nf, o->country_column, "country");
    bt->hdr.wallet = find_column(fields, nf, o->wallet_column, "wallet");
    if (bt->hdr.name < 0) {
        rc = sanctum_error_set(err, SANCTUM_EPARSE, name, start, "CSV header has no \"%s\" column",
                               o->name_column ? o->name_column : "name");
        free(text);
        return rc;
    }
    free(text);
    return 0;
}

/* ---- the run ------------------------------------------------------------------ */

static void free_chunk(batch *bt)
{
    for (size_t i = 0; i < bt->n; i++) {
        free(bt->recs[i].text);
        free(bt->recs[i].out);
        memset(&bt->recs[i], 0, sizeof bt->recs[i]);
    }
    bt->n = 0;
}

/* The run over JSON Lines or CSV streams. */
static int run_stream(const sanctum_index *idx, FILE *in, FILE *out, const sanctum_batch_options *opts,
                      sanctum_batch_summary *summary, sanctum_error *err)
{
    const char *name = opts->input_name ? opts->input_name : "<input>";
    sanctum_batch_summary sum;
    memset(&sum, 0, sizeof sum);

    batch *bt = calloc(1, sizeof *bt);
    if (!bt) return sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
    bt->idx = idx;
    bt->opts = opts;
    bt->defaults = opts->defaults;
    pthread_mutex_init(&bt->mu, NULL);
    pthread_cond_init(&bt->work, NULL);
    pthread_cond_init(&bt->done, NULL);

    unsigned threads = opts->threads;
    if (threads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (unsigned)n : 1;
    }
    if (threads > 256) threads = 256;
    pthread_t tids[256];
    unsigned started = 0;
    for (unsigned i = 1; i < threads; i++) {
        if (pthread_create(&tids[started], NULL, worker, bt) != 0) break;
        started++;
    }

    reader rd = { .in = in, .csv = opts->input_format == SANCTUM_BATCH_CSV };
    int rc = 0;
    if (opts->input_format == SANCTUM_BATCH_CSV) rc = read_header(bt, &rd, err, name);
    if (!rc && opts->output_format == SANCTUM_BATCH_CSV)
        fputs(opts->group_by_person ? "id,query,rank,entity,list,type,score,name,matched,matched_kind,listings,error\n"
                                    : "id,query,rank,entity,list,type,score,name,matched,matched_kind,error\n",
              out);

    int eof = 0;
    while (!rc && !eof) {
        /* read a chunk */
        while (bt->n < CHUNK_RECORDS) {
            record *r = &bt->recs[bt->n];
            sanctum_error rerr;
            int got = read_record(&rd, &r->text, &r->len, &r->line, &rerr, name);
            if (got == 0) {
                eof = 1;
                break;
            }
            if (got == SANCTUM_ELIMIT) {
                /* an oversized record becomes an error record; drain the rest of it */
                r->line = rerr.line;
                r->text = NULL;
                set_error(r, opts, NULL, rerr.message);
                bt->n++;
                int c;
                while ((c = fgetc(in)) != EOF && c != '\n') rd.bytes++;
                continue;
            }
            if (got < 0) {
                if (err) *err = rerr;
                rc = got;
                break;
            }
            bt->n++;
        }
        if (rc) break;
        /* screen it: workers plus this thread */
        atomic_store(&bt->next, 0);
        pthread_mutex_lock(&bt->mu);
        bt->busy = started;
        bt->generation++;
        pthread_cond_broadcast(&bt->work);
        pthread_mutex_unlock(&bt->mu);
        run_chunk(bt);
        pthread_mutex_lock(&bt->mu);
        while (bt->busy) pthread_cond_wait(&bt->done, &bt->mu);
        pthread_mutex_unlock(&bt->mu);
        /* write it in input order */
        for (size_t i = 0; i < bt->n; i++) {
            record *r = &bt->recs[i];
            sum.lines++;
            if (r->failed) {
                sum.errors++;
                if (opts->fail_fast) {
                    rc = sanctum_error_set(err, SANCTUM_EPARSE, name, r->line, "%s", r->errmsg);
                    break;
                }
            } else {
                sum.screened++;
                if (r->hits) sum.with_hits++;
                sum.hits += r->hits;
            }
            if (r->out && fputs(r->out, out) == EOF) {
                rc = sanctum_error_set(err, SANCTUM_EIO, NULL, 0, "cannot write output: %s", strerror(errno));
                break;
            }
        }
        free_chunk(bt);
        sum.bytes_read = rd.bytes;
        if (!rc && opts->progress && opts->progress(&sum, opts->progress_user)) break;
    }
    if (!rc && fflush(out) != 0)
        rc = sanctum_error_set(err, SANCTUM_EIO, NULL, 0, "cannot write output: %s", strerror(errno));

    pthread_mutex_lock(&bt->mu);
    bt->stop = 1;
    pthread_cond_broadcast(&bt->work);
    pthread_mutex_unlock(&bt->mu);
    for (unsigned i = 0; i < started; i++) pthread_join(tids[i], NULL);
    free_chunk(bt);
    free(rd.line);
    pthread_mutex_destroy(&bt->mu);
    pthread_cond_destroy(&bt->work);
    pthread_cond_destroy(&bt->done);
    free(bt);
    if (summary) *summary = sum;
    return rc;
}

/* ---- XLSX input: the first sheet as CSV text ----------------------------------- */

#define MAX_XLSX_BYTES (256u << 20)      /* the workbook file */
#define MAX_XLSX_PART (512u << 20)       /* one XML part, uncompressed */
#define MAX_XLSX_COLUMNS 16384           /* Excel's own limit (XFD) */
#define XLSX_MAX_CELL 32767              /* Excel's longest cell text */

typedef struct xlsx_ctx {
    const char *name;       /* the input's name, for errors */
    zip_t *zip;
    char **strings;         /* shared strings */
    size_t n_strings;
    sanctum_error *err;
    size_t limit;           /* most bytes of one uncompressed part, and of the sheet as CSV */
    char sheet[128];        /* the first sheet's name, for errors */
} xlsx_ctx;

/* Reads one part of the package into a NUL-terminated buffer. Returns 0, or
 * SANCTUM_ENOTFOUND when the part is absent (err is not set then). */
static int xlsx_part(xlsx_ctx *x, const char *part, char **out, size_t *len)
{
    zip_stat_t st;
    *out = NULL;
    *len = 0;
    zip_stat_init(&st);
    if (zip_stat(x->zip, part, 0, &st) != 0) return SANCTUM_ENOTFOUND;
    if (!(st.valid & ZIP_STAT_SIZE) || st.size > x->limit)
        return sanctum_error_set(x->err, SANCTUM_ELIMIT, x->name, 0, "workbook part %s is over %zu bytes uncompressed",
                                 part, x->limit);
    zip_file_t *f = zip_fopen(x->zip, part, 0);
    if (!f)
        return sanctum_error_set(x->err, SANCTUM_EPARSE, x->name, 0, "cannot open workbook part %s: %s", part,
                                 zip_strerror(x->zip));
    char *buf = malloc((size_t)st.size + 1);
    if (!buf) {
        zip_fclose(f);
        return sanctum_error_set(x->err, SANCTUM_ENOMEM, x->name, 0, "out of memory reading %s", part);
    }
    zip_int64_t got = zip_fread(f, buf, st.size);
    zip_fclose(f);
    if (got < 0 || (zip_uint64_t)got != st.size) {
        free(buf);
        return sanctum_error_set(x->err, SANCTUM_EPARSE, x->name, 0, "workbook part %s is damaged", part);
    }
    buf[st.size] = '\0';
    *out = buf;
    *len = (size_t)st.size;
    return 0;
}

static xmlTextReaderPtr xlsx_reader(const char *buf, size_t len, const char *part)
{
    if (len > (size_t)INT32_MAX) return NULL;
    return xmlReaderForMemory(buf, (int)len, part, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                                             XML_PARSE_HUGE);
}

static int xml_error(xlsx_ctx *x, xmlTextReaderPtr rd, const char *part)
{
    const xmlError *e = xmlGetLastError();
    int line = rd ? xmlTextReaderGetParserLineNumber(rd) : 0;
    return sanctum_error_set(x->err, SANCTUM_EPARSE, x->name, 0, "workbook part %s is not well-formed XML (line %d)%s%s",
                             part, line, e && e->message ? ": " : "", e && e->message ? e->message : "");
}

static int local_is(xmlTextReaderPtr rd, const char *name)
{
    const xmlChar *l = xmlTextReaderConstLocalName(rd);
    return l && strcmp((const char *)l, name) == 0;
}

/* Reads xl/sharedStrings.xml (absent: no shared strings). Rich text runs are
 * joined; phonetic runs (rPh) are left out. */
static int xlsx_strings(xlsx_ctx *x)
{
    static const char *part = "xl/sharedStrings.xml";
    char *buf;
    size_t len;
    int rc = xlsx_part(x, part, &buf, &len);
    if (rc == SANCTUM_ENOTFOUND) return 0;
    if (rc) return rc;
    xmlTextReaderPtr rd = xlsx_reader(buf, len, part);
    if (!rd) {
        free(buf);
        return xml_error(x, NULL, part);
    }
    sanctum_strbuf cur;
    sanctum_strbuf_init(&cur, XLSX_MAX_CELL * 4);
    size_t cap = 0;
    int in_si = 0, in_t = 0, in_rph = 0, r;
    while (!rc && (r = xmlTextReaderRead(rd)) == 1) {
        int type = xmlTextReaderNodeType(rd);
        if (type == XML_READER_TYPE_ELEMENT) {
            int empty = xmlTextReaderIsEmptyElement(rd);
            if (local_is(rd, "si")) {
                in_si = 1;
                sanctum_strbuf_reset(&cur);
            } else if (local_is(rd, "rPh") && !empty) {
                in_rph = 1;
            } else if (local_is(rd, "t") && !empty) {
                in_t = 1;
            }
            if (local_is(rd, "si") && empty) goto end_si;
        } else if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
                    type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) && in_si && in_t && !in_rph) {
            const xmlChar *v = xmlTextReaderConstValue(rd);
            if (v) sanctum_strbuf_puts(&cur, (const char *)v);
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (local_is(rd, "t")) in_t = 0;
            else if (local_is(rd, "rPh")) in_rph = 0;
            else if (local_is(rd, "si")) {
            end_si:
                in_si = 0;
                if (x->n_strings == cap) {
                    size_t ncap = cap ? 2 * cap : 1024;
                    char **p = realloc(x->strings, ncap * sizeof *p);
                    if (!p) {
                        rc = sanctum_error_set(x->err, SANCTUM_ENOMEM, x->name, 0, "out of memory");
                        break;
                    }
                    x->strings = p;
                    cap = ncap;
                }
                char *copy = strdup(sanctum_strbuf_cstr(&cur));
                if (!copy) {
                    rc = sanctum_error_set(x->err, SANCTUM_ENOMEM, x->name, 0, "out of memory");
                    break;
                }
                x->strings[x->n_strings++] = copy;
            }
        }
    }
    if (!rc && r < 0) rc = xml_error(x, rd, part);
    sanctum_strbuf_free(&cur);
    xmlFreeTextReader(rd);
    free(buf);
    return rc;
}

/* The value of the attribute `local` of the current element (any namespace); malloc'd or NULL. */
static char *attr_local(xmlTextReaderPtr rd, const char *local)
{
    char *out = NULL;
    if (xmlTextReaderMoveToFirstAttribute(rd) != 1) return NULL;
    do {
        if (local_is(rd, local)) {
            const xmlChar *v = xmlTextReaderConstValue(rd);
            out = v ? strdup((const char *)v) : NULL;
            break;
        }
    } while (xmlTextReaderMoveToNextAttribute(rd) == 1);
    xmlTextReaderMoveToElement(rd);
    return out;
}

/* Finds the first element named `elem` whose attribute `match_attr` equals
 * match (or the first such element when match is NULL) and returns its
 * attribute `want` (malloc'd), or NULL. */
static char *xml_find(const char *buf, size_t len, const char *part, const char *elem, const char *match_attr,
                      const char *match, const char *want)
{
    xmlTextReaderPtr rd = xlsx_reader(buf, len, part);
    char *out = NULL;
    while (rd && !out && xmlTextReaderRead(rd) == 1) {
        if (xmlTextReaderNodeType(rd) != XML_READER_TYPE_ELEMENT || !local_is(rd, elem)) continue;
        if (match) {
            char *v = attr_local(rd, match_attr);
            int same = v && strcmp(v, match) == 0;
            free(v);
            if (!same) continue;
        }
        out = attr_local(rd, want);
    }
    if (rd) xmlFreeTextReader(rd);
    return out;
}

/* The path in the package of the workbook's first sheet. */
static int xlsx_first_sheet(xlsx_ctx *x, char *path, size_t size)
{
    char *buf = NULL, *rels = NULL;
    size_t len = 0, rlen = 0;
    int rc = xlsx_part(x, "xl/workbook.xml", &buf, &len);
    if (rc == SANCTUM_ENOTFOUND)
        return sanctum_error_set(x->err, SANCTUM_EPARSE, x->name, 0,
                                 "not an XLSX workbook: the package has no xl/workbook.xml");
    if (rc) return rc;
    char *rid = xml_find(buf, len, "xl/workbook.xml", "sheet", NULL, NULL, "id");
    char *target = NULL;
    if (!rid) {
        rc = sanctum_error_set(x->err, SANCTUM_EPARSE, x->name, 0, "the workbook has no sheet");
        goto done;
    }
    char *sheet_name = xml_find(buf, len, "xl/workbook.xml", "sheet", NULL, NULL, "name");
    snprintf(x->sheet, sizeof x->sheet, "%s", sheet_name && *sheet_name ? sheet_name : "1");
    free(sheet_name);
    rc = xlsx_part(x, "xl/_rels/workbook.xml.rels", &rels, &rlen);
    if (rc == 0) target = xml_find(rels, rlen, "xl/_rels/workbook.xml.rels", "Relationship", "Id", rid, "Target");
    else if (rc != SANCTUM_ENOTFOUND) goto done;
    rc = 0;
    if (!target) snprintf(path, size, "xl/worksheets/sheet1.xml");
    else if (target[0] == '/') snprintf(path, size, "%s", target + 1);
    else snprintf(path, size, "xl/%s", target);
done:
    free(rid);
    free(target);
    free(rels);
    free(buf);
    return rc;
}

/* "BC12" -> 54 (0-based column), or -1. */
static long cell_column(const char *ref)
{
    long col = 0;
    size_t i = 0;
    for (; ref[i] >= 'A' && ref[i] <= 'Z'; i++) {
        col = col * 26 + (ref[i] - 'A' + 1);
        if (col > MAX_XLSX_COLUMNS) return -1;
    }
    return i ? col - 1 : -1;
}

/* An Excel date serial (1900 system) as YYYY-MM-DD; 0 when v is not one. */
static int excel_date(const char *v, char out[16])
{
    char *end;
    double d = strtod(v, &end);
    if (end == v || *end || d < 1 || d >= 2958466) return 0;
    long serial = (long)d;
    if (serial == 60) return 0;            /* Excel's 29 Feb 1900, a day that never was */
    long z = (serial < 60 ? serial - 25568 : serial - 25569) + 719468;  /* days from 0000-03-01 */
    long era = z / 146097, doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    long day = doy - (153 * mp + 2) / 5 + 1, month = mp < 10 ? mp + 3 : mp - 9;
    if (month <= 2) y++;
    snprintf(out, 16, "%04d-%02d-%02d", (int)(y % 10000), (int)(month % 100), (int)(day % 100));
    return 1;
}

typedef struct xrow {
    char **cells;           /* by column; NULL for empty */
    int *numeric;
    size_t n;               /* columns in use */
    size_t cap;
} xrow;

static int xrow_set(xrow *row, size_t col, const char *text, int numeric)
{
    if (col >= row->cap) {
        size_t cap = row->cap ? row->cap : 16;
        while (cap <= col) cap *= 2;
        char **c = realloc(row->cells, cap * sizeof *c);
        if (!c) return SANCTUM_ENOMEM;
        row->cells = c;
        int *nu = realloc(row->numeric, cap * sizeof *nu);
        if (!nu) return SANCTUM_ENOMEM;
        row->numeric = nu;
        for (size_t i = row->cap; i < cap; i++) row->cells[i] = NULL, row->numeric[i] = 0;
        row->cap = cap;
    }
    free(row->cells[col]);
    row->cells[col] = strdup(text);
    row->numeric[col] = numeric;
    if (!row->cells[col]) return SANCTUM_ENOMEM;
    if (col + 1 > row->n) row->n = col + 1;
    return 0;
}

static void xrow_clear(xrow *row)
{
    for (size_t i = 0; i < row->n; i++) {
        free(row->cells[i]);
        row->cells[i] = NULL;
        row->numeric[i] = 0;
    }
    row->n = 0;
}

/* Writes a CSV field with line breaks turned into spaces (one sheet row is one line). */
static void csv_put_cell(sanctum_strbuf *b, const char *s)
{
    if (!s) return;
    char *copy = strdup(s);
    if (!copy) return;
    for (char *p = copy; *p; p++)
        if (*p == '\n' || *p == '\r') *p = ' ';
    csv_put(b, copy);
    free(copy);
}

typedef struct sheet_state {
    xlsx_ctx *x;
    const sanctum_batch_options *opts;
    sanctum_strbuf *csv;
    unsigned long next_row;  /* the sheet row the next CSV line stands for */
    size_t ncols;            /* header width; 0 before the header */
    long dob_col;
} sheet_state;

static int emit_row(sheet_state *s, unsigned long rownum, xrow *row)
{
    int empty = 1;
    for (size_t i = 0; i < row->n && empty; i++)
        if (row->cells[i] && *row->cells[i]) empty = 0;
    if (empty) return 0;
    if (s->ncols == 0) {
        /* the header is the first row naming the name column: title rows above it are skipped */
        const char *want = s->opts->name_column ? s->opts->name_column : "name";
        int found = 0;
        for (size_t i = 0; i < row->n && !found; i++) found = row->cells[i] && strcmp(row->cells[i], want) == 0;
        if (!found) return 0;
    }
    /* rows the sheet leaves out become blank lines, so line numbers stay row numbers */
    while (s->next_row < rownum) {
        sanctum_strbuf_putc(s->csv, '\n');
        s->next_row++;
    }
    size_t width = row->n;
    if (s->ncols == 0) {
        while (width && (!row->cells[width - 1] || !*row->cells[width - 1])) width--;
        s->ncols = width;
        const char *want = s->opts->dob_column ? s->opts->dob_column : "dob";
        s->dob_col = -1;
        for (size_t i = 0; i < width; i++)
            if (row->cells[i] && strcmp(row->cells[i], want) == 0) s->dob_col = (long)i;
    } else {
        /* trailing empty cells past the header do not count */
        while (width > s->ncols && (!row->cells[width - 1] || !*row->cells[width - 1])) width--;
        if (width < s->ncols) width = s->ncols;
    }
    for (size_t i = 0; i < width; i++) {
        if (i) sanctum_strbuf_putc(s->csv, ',');
        const char *v = i < row->n ? row->cells[i] : NULL;
        char date[16];
        if (v && s->ncols && (long)i == s->dob_col && row->numeric[i] && excel_date(v, date)) v = date;
        csv_put_cell(s->csv, v);
    }
    sanctum_strbuf_putc(s->csv, '\n');
    s->next_row = rownum + 1;
    return s->csv->len > s->x->limit ? SANCTUM_ELIMIT : 0;
}

static int xlsx_sheet(xlsx_ctx *x, const char *part, const sanctum_batch_options *opts, sanctum_strbuf *csv)
{
    char *buf;
    size_t len;
    int rc = xlsx_part(x, part, &buf, &len);
    if (rc == SANCTUM_ENOTFOUND)
        return sanctum_error_set(x->err, SANCTUM_EPARSE, x->name, 0, "the workbook's first sheet \"%s\" (%s) is missing",
                                 x->sheet, part);
    if (rc) return rc;
    xmlTextReaderPtr rd = xlsx_reader(buf, len, part);
    if (!rd) {
        free(buf);
        return xml_error(x, NULL, part);
    }
    sheet_state s = { x, opts, csv, 1, 0, -1 };
    xrow row = { 0 };
    sanctum_strbuf val;
    sanctum_strbuf_init(&val, 0);
    unsigned long rownum = 0;
    long col = -1, next_col = 0;
    char *ctype = NULL;
    int in_row = 0, in_cell = 0, in_v = 0, in_t = 0, r;
    while (!rc && (r = xmlTextReaderRead(rd)) == 1) {
        int type = xmlTextReaderNodeType(rd);
        if (type == XML_READER_TYPE_ELEMENT) {
            int empty = xmlTextReaderIsEmptyElement(rd);
            if (local_is(rd, "row")) {
                char *rn = attr_local(rd, "r");
                rownum = rn ? strtoul(rn, NULL, 10) : rownum + 1;
                free(rn);
                if (rownum == 0 || rownum > 1048576) {
                    rc = sanctum_error_set(x->err, SANCTUM_EPARSE, x->name, 0, "sheet \"%s\": bad row number",
                                           x->sheet);
                    break;
                }
                xrow_clear(&row);
                next_col = 0;
                in_row = !empty;
            } else if (in_row && local_is(rd, "c")) {
                char *ref = attr_local(rd, "r");
                col = ref ? cell_column(ref) : next_col;
                free(ref);
                if (col < 0) {
                    rc = sanctum_error_set(x->err, SANCTUM_EPARSE, x->name, rownum, "sheet \"%s\": bad cell reference",
                                           x->sheet);
                    break;
                }
                next_col = col + 1;
                free(ctype);
                ctype = attr_local(rd, "t");
                sanctum_strbuf_reset(&val);
                in_cell = !empty;
            } else if (in_cell && local_is(rd, "v") && !empty) {
                in_v = 1;
            } else if (in_cell && local_is(rd, "t") && !empty) {
                in_t = 1;
            }
        } else if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
                    type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) && (in_v || in_t)) {
            const xmlChar *v = xmlTextReaderConstValue(rd);
            if (v) sanctum_strbuf_puts(&val, (const char *)v);
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (local_is(rd, "v")) in_v = 0;
            else if (local_is(rd, "t")) in_t = 0;
            else if (local_is(rd, "c") && in_cell) {
                in_cell = 0;
                const char *text = sanctum_strbuf_cstr(&val);
                int numeric = 0;
                if (ctype && strcmp(ctype, "s") == 0) {
                    char *end;
                    unsigned long k = strtoul(text, &end, 10);
                    if (end == text || *end || k >= x->n_strings) {
                        rc = sanctum_error_set(x->err, SANCTUM_EPARSE, x->name, rownum,
                                               "sheet \"%s\": a cell refers to shared string %.32s, which does "
                                               "not exist",
                                               x->sheet, text);
                        break;
                    }
                    text = x->strings[k];
                } else if (ctype && strcmp(ctype, "b") == 0) {
                    text = strcmp(text, "1") == 0 ? "TRUE" : "FALSE";
                } else if (!ctype || strcmp(ctype, "n") == 0) {
                    numeric = 1;
                }
                if (xrow_set(&row, (size_t)col, text, numeric))
                    rc = sanctum_error_set(x->err, SANCTUM_ENOMEM, x->name, rownum, "out of memory");
            } else if (local_is(rd, "row") && in_row) {
                in_row = 0;
                rc = emit_row(&s, rownum, &row);
                if (rc == SANCTUM_ELIMIT)
                    rc = sanctum_error_set(x->err, rc, x->name, rownum, "sheet \"%s\": its text is over %zu bytes",
                                           x->sheet, x->limit);
            }
        }
    }
    if (!rc && r < 0) rc = xml_error(x, rd, part);
    if (!rc && s.ncols == 0)
        rc = sanctum_error_set(x->err, SANCTUM_EPARSE, x->name, 0,
                               "the first sheet \"%s\" has no header row with a \"%s\" column", x->sheet,
                               opts->name_column ? opts->name_column : "name");
    free(ctype);
    xrow_clear(&row);
    free(row.cells);
    free(row.numeric);
    sanctum_strbuf_free(&val);
    xmlFreeTextReader(rd);
    free(buf);
    return rc;
}

/* The first sheet of the workbook in data (len bytes) as CSV text (malloc'd):
 * the one reader behind both the stream and the in-memory entry points. */
static int xlsx_to_csv(const void *data, size_t len, size_t limit, const sanctum_batch_options *opts,
                       const char *name, char **out, size_t *out_len, sanctum_error *err)
{
    *out = NULL;
    *out_len = 0;
    if (len > MAX_XLSX_BYTES)
        return sanctum_error_set(err, SANCTUM_ELIMIT, name, 0, "workbook over %u bytes", MAX_XLSX_BYTES);
    xlsx_ctx x = { name, NULL, NULL, 0, err, limit && limit < MAX_XLSX_PART ? limit : MAX_XLSX_PART, "1" };
    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t *src = len ? zip_source_buffer_create(data, len, 0, &zerr) : NULL;
    int rc = 0;
    if (src) {
        x.zip = zip_open_from_source(src, ZIP_RDONLY, &zerr);
        if (!x.zip) zip_source_free(src);
    }
    if (!x.zip) {
        rc = sanctum_error_set(err, SANCTUM_EPARSE, name, 0, "not an XLSX workbook (%s)",
                               len ? zip_error_strerror(&zerr) : "the file is empty");
        zip_error_fini(&zerr);
        return rc;
    }
    zip_error_fini(&zerr);
    char part[512];
    sanctum_strbuf csv;
    sanctum_strbuf_init(&csv, 0);
    rc = xlsx_first_sheet(&x, part, sizeof part);
    if (!rc) rc = xlsx_strings(&x);
    if (!rc) rc = xlsx_sheet(&x, part, opts, &csv);
    zip_discard(x.zip);
    for (size_t i = 0; i < x.n_strings; i++) free(x.strings[i]);
    free(x.strings);
    if (rc) {
        sanctum_strbuf_free(&csv);
        return rc;
    }
    *out_len = csv.len;
    *out = sanctum_strbuf_detach(&csv);
    return *out ? 0 : sanctum_error_set(err, SANCTUM_ENOMEM, name, 0, "out of memory");
}

/* Reads the whole workbook from in, then as xlsx_to_csv(). */
static int xlsx_stream_to_csv(FILE *in, const sanctum_batch_options *opts, const char *name, char **out,
                              size_t *len, sanctum_error *err)
{
    *out = NULL;
    *len = 0;
    sanctum_strbuf file;
    sanctum_strbuf_init(&file, MAX_XLSX_BYTES);
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, in)) > 0) {
        if (sanctum_strbuf_append(&file, chunk, got) != 0) {
            sanctum_strbuf_free(&file);
            return sanctum_error_set(err, SANCTUM_ELIMIT, name, 0, "workbook over %u bytes", MAX_XLSX_BYTES);
        }
    }
    if (ferror(in)) {
        sanctum_strbuf_free(&file);
        return sanctum_error_set(err, SANCTUM_EIO, name, 0, "read error: %s", strerror(errno));
    }
    int rc = xlsx_to_csv(file.len ? sanctum_strbuf_cstr(&file) : "", file.len, 0, opts, name, out, len, err);
    sanctum_strbuf_free(&file);
    return rc;
}

int sanctum_batch_xlsx_read(char **out, size_t *out_len, const void *workbook, size_t size, size_t max_bytes,
                            const sanctum_batch_options *opts, sanctum_error *err)
{
    sanctum_batch_options defaults = SANCTUM_BATCH_OPTIONS_INIT;
    sanctum_error_clear(err);
    if (!out || !out_len)
        return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "sanctum_batch_xlsx_read: no place for the result");
    *out = NULL;
    *out_len = 0;
    if (!workbook && size)
        return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "sanctum_batch_xlsx_read: no workbook given");
    if (!opts) opts = &defaults;
    if (opts->version != SANCTUM_BATCH_OPTIONS_VERSION)
        return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "unsupported batch options version");
    const char *name = opts->input_name ? opts->input_name : "<input>";
    return xlsx_to_csv(workbook ? workbook : "", size, max_bytes, opts, name, out, out_len, err);
}

/* ---- XLSX output: the CSV rows copied into a workbook ----------------------------- */

/* Copies at most XLSX_MAX_CELL bytes of s, cut at a character boundary. */
static const char *cell_text(const char *s, char **tmp)
{
    size_t n = strlen(s);
    if (n <= XLSX_MAX_CELL) return s;
    size_t cut = XLSX_MAX_CELL - 16;
    while (cut && ((unsigned char)s[cut] & 0xC0) == 0x80) cut--;
    *tmp = malloc(cut + 16);
    if (!*tmp) return "";
    memcpy(*tmp, s, cut);
    memcpy(*tmp + cut, " [cut]", 7);
    return *tmp;
}

static int csv_to_xlsx(FILE *csv, const char *path, sanctum_error *err)
{
    lxw_workbook_options wo = { .constant_memory = LXW_TRUE, .tmpdir = NULL };
    lxw_workbook *wb = workbook_new_opt(path, &wo);
    if (!wb) return sanctum_error_set(err, SANCTUM_EIO, path, 0, "cannot start the workbook");
    lxw_worksheet *ws = workbook_add_worksheet(wb, "hits");
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    reader rd = { .in = csv, .csv = 1 };
    int rc = 0, numeric_col[MAX_CSV_COLUMNS] = { 0 };
    lxw_row_t row = 0;
    size_t ncols = 0;
    for (;;) {
        char *text = NULL;
        size_t len = 0;
        unsigned long long start = 0;
        sanctum_error rerr;
        int got = read_record(&rd, &text, &len, &start, &rerr, path);
        if (got <= 0) {
            if (got < 0) rc = sanctum_error_set(err, got, path, 0, "cannot read the results back: %s", rerr.message);
            free(text);
            break;
        }
        char *fields[MAX_CSV_COLUMNS];
        int nf = csv_split(text, len, fields, MAX_CSV_COLUMNS);
        if (nf < 0) {
            free(text);
            rc = sanctum_error_set(err, SANCTUM_EINTERNAL, path, 0, "a result row is not valid CSV");
            break;
        }
        if (row == 0) {
            ncols = (size_t)nf;
            for (int i = 0; i < nf; i++) {
                numeric_col[i] = strcmp(fields[i], "rank") == 0 || strcmp(fields[i], "score") == 0;
                worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i,
                                     numeric_col[i] ? 8 : strcmp(fields[i], "name") == 0 ||
                                                                  strcmp(fields[i], "matched") == 0 ||
                                                                  strcmp(fields[i], "listings") == 0
                                                              ? 36
                                                              : 16,
                                     NULL);
            }
        }
        if (row >= LXW_ROW_MAX) {
            free(text);
            rc = sanctum_error_set(err, SANCTUM_ELIMIT, path, 0, "more than %u result rows: too many for one sheet",
                                   (unsigned)LXW_ROW_MAX - 1);
            break;
        }
        for (int i = 0; i < nf && i < (int)LXW_COL_MAX; i++) {
            lxw_error e = LXW_NO_ERROR;
            char *end;
            double d = 0;
            if (!*fields[i]) continue;
            if (row > 0 && numeric_col[i]) d = strtod(fields[i], &end);
            if (row > 0 && numeric_col[i] && end != fields[i] && !*end) {
                e = worksheet_write_number(ws, row, (lxw_col_t)i, d, NULL);
            } else {
                char *tmp = NULL;
                e = worksheet_write_string(ws, row, (lxw_col_t)i, cell_text(fields[i], &tmp), row ? NULL : bold);
                free(tmp);
            }
            if (e != LXW_NO_ERROR) {
                rc = sanctum_error_set(err, SANCTUM_EIO, path, row + 1, "cannot write a cell: %s", lxw_strerror(e));
                break;
            }
        }
        free(text);
        if (rc) break;
        row++;
    }
    free(rd.line);
    if (!rc && row > 0) {
        worksheet_freeze_panes(ws, 1, 0);
        if (ncols) worksheet_autofilter(ws, 0, 0, row - 1, (lxw_col_t)(ncols - 1));
    }
    lxw_error e = workbook_close(wb);
    if (!rc && e != LXW_NO_ERROR) rc = sanctum_error_set(err, SANCTUM_EIO, path, 0, "cannot write the workbook: %s", lxw_strerror(e));
    return rc;
}

/* ---- the run ------------------------------------------------------------------------ */

int sanctum_batch_run(const sanctum_index *idx, FILE *in, FILE *out, const sanctum_batch_options *opts,
                      sanctum_batch_summary *summary, sanctum_error *err)
{
    sanctum_batch_options defaults = SANCTUM_BATCH_OPTIONS_INIT;
    if (!opts) opts = &defaults;
    sanctum_error_clear(err);
    if (summary) memset(summary, 0, sizeof *summary);
    if (opts->version != SANCTUM_BATCH_OPTIONS_VERSION)
        return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "unsupported batch options version");
    if ((unsigned)opts->input_format > SANCTUM_BATCH_XLSX || (unsigned)opts->output_format > SANCTUM_BATCH_XLSX)
        return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "unknown batch format");
    if (opts->output_format == SANCTUM_BATCH_XLSX && (!opts->output_path || !*opts->output_path))
        return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0,
                                 "XLSX output cannot be streamed: name the workbook to write (output_path)");
    const char *name = opts->input_name ? opts->input_name : "<input>";
    sanctum_batch_options o = *opts;
    FILE *src = in, *dst = out;
    char *csv = NULL;
    size_t csv_len = 0;
    int rc = 0;
    if (o.input_format == SANCTUM_BATCH_XLSX) {
        if ((rc = xlsx_stream_to_csv(in, opts, name, &csv, &csv_len, err)) != 0) return rc;
        src = fmemopen(csv, csv_len, "r");
        if (!src) {
            free(csv);
            return sanctum_error_set(err, SANCTUM_ENOMEM, name, 0, "cannot read the sheet: %s", strerror(errno));
        }
        o.input_format = SANCTUM_BATCH_CSV;
    }
    if (o.output_format == SANCTUM_BATCH_XLSX) {
        dst = tmpfile();
        if (!dst) {
            rc = sanctum_error_set(err, SANCTUM_EIO, NULL, 0, "cannot create a temporary file: %s", strerror(errno));
            goto done;
        }
        o.output_format = SANCTUM_BATCH_CSV;
    }
    rc = run_stream(idx, src, dst, &o, summary, err);
    if (!rc && opts->output_format == SANCTUM_BATCH_XLSX) {
        if (fseek(dst, 0, SEEK_SET) != 0)
            rc = sanctum_error_set(err, SANCTUM_EIO, NULL, 0, "cannot reread the results: %s", strerror(errno));
        else
            rc = csv_to_xlsx(dst, opts->output_path, err);
    }
done:
    if (dst && dst != out) fclose(dst);
    if (src != in) fclose(src);
    free(csv);
    return rc;
}
