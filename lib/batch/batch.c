/*
 * batch.c - streaming, multi-threaded screening of JSON Lines or CSV input.
 *
 * The calling thread reads a chunk of records, the worker threads (and the
 * calling thread with them) screen the chunk's records in any order, then
 * the calling thread writes the results in input order and reads the next
 * chunk. Only one chunk is in memory at a time, so memory stays flat however
 * long the input is. Each record's result is a self-contained string (a JSON
 * line, or CSV rows), built by the worker that screened it.
 */
#define _POSIX_C_SOURCE 200809L
#include "sanctum/batch.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

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

static void set_error(record *r, sanctum_batch_format fmt, json_t *id, const char *msg)
{
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
        sanctum_strbuf_puts(&b, ",,,,,,,,,,");
        csv_put(&b, text);
        sanctum_strbuf_putc(&b, '\n');
        r->out = sanctum_strbuf_detach(&b);
    }
}

static void write_hits(batch *bt, record *r, json_t *id, const char *name, const sanctum_result *res,
                       sanctum_ident_result **ids, size_t n_ids)
{
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
                char *h = sanctum_ident_hit_json(sanctum_ident_result_hit(ids[k], i));
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
            set_error(r, o->output_format, NULL, msg);
            return;
        }
        if (!json_is_object(root)) {
            set_error(r, o->output_format, NULL, "a record must be a JSON object");
            goto done;
        }
        id = json_object_get(root, "id");
        json_t *jn = json_object_get(root, "name");
        json_t *jt = json_object_get(root, "type");
        json_t *jd = json_object_get(root, "dob");
        json_t *jc = json_object_get(root, "country");
        if ((jn && !json_is_null(jn) && !json_is_string(jn)) || (jt && !json_is_null(jt) && !json_is_string(jt)) ||
            (jd && !json_is_null(jd) && !json_is_string(jd)) || (jc && !json_is_null(jc) && !json_is_string(jc))) {
            set_error(r, o->output_format, id, "fields \"name\", \"type\", \"dob\" and \"country\" must be strings");
            goto done;
        }
        const char *bad = json_idents(root, iq, &n_iq);
        if (bad) {
            set_error(r, o->output_format, id, bad);
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
            set_error(r, o->output_format, NULL, "malformed CSV record (stray or unterminated quote)");
            return;
        }
        if ((size_t)nf != bt->hdr.ncols) {
            snprintf(msg, sizeof msg, "CSV record has %d fields, the header has %zu", nf, bt->hdr.ncols);
            set_error(r, o->output_format, NULL, msg);
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
        set_error(r, o->output_format, id, o->input_format == SANCTUM_BATCH_JSONL
                                               ? "missing field \"name\" (or \"wallets\" / \"ids\")"
                                               : "empty name");
        goto done;
    }
    if (name && strlen(name) > MAX_NAME_BYTES) {
        set_error(r, o->output_format, id, "name longer than 4096 bytes");
        goto done;
    }
    if (n_iq && !o->ident) {
        set_error(r, o->output_format, id, "wallets and ids given, but no wallet/document index was loaded");
        goto done;
    }
    if (type) {
        sanctum_entity_type t;
        if (sanctum_type_parse(type, &t) != 0) {
            snprintf(msg, sizeof msg, "unknown type \"%.40s\" (person, organization, vessel, aircraft, any)", type);
            set_error(r, o->output_format, id, msg);
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
            set_error(r, o->output_format, id, msg);
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
            set_error(r, o->output_format, id, msg);
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

int sanctum_batch_run(const sanctum_index *idx, FILE *in, FILE *out, const sanctum_batch_options *opts,
                      sanctum_batch_summary *summary, sanctum_error *err)
{
    sanctum_batch_options defaults = SANCTUM_BATCH_OPTIONS_INIT;
    if (!opts) opts = &defaults;
    sanctum_error_clear(err);
    if (opts->version != SANCTUM_BATCH_OPTIONS_VERSION)
        return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "unsupported batch options version");
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
        fputs("id,query,rank,entity,list,type,score,name,matched,matched_kind,error\n", out);

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
                set_error(r, opts->output_format, NULL, rerr.message);
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
