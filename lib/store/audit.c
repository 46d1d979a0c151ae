/*
 * audit.c - the append-only audit trail of screenings.
 *
 * Each record holds the time (UTC), who screened, the query, the lists used
 * (stored version and source hashes), the hits returned and the threshold,
 * all as JSON. The database refuses UPDATE and DELETE on the table through
 * triggers. A single record is its own transaction; a batch commits its
 * records in groups and releases a group's results to the output only after
 * the group is on disk, so nothing is shown that is not recorded.
 */
#define _GNU_SOURCE
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_internal.h"
#include "util/error.h"

#define BATCH_GROUP 256

/* ---- the lists used ------------------------------------------------------------ */

static json_t *version_lists(sanctum_store *st, long long ver)
{
    json_t *root = json_object(), *arr = json_array();
    sqlite3_stmt *s = NULL;
    if (root && arr && ver &&
        sqlite3_prepare_v2(st->db, "SELECT source, sha256, published, entities FROM version_sources WHERE version = ?"
                                   " ORDER BY source", -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, ver);
        while (sqlite3_step(s) == SQLITE_ROW) {
            json_t *o = json_object();
            json_object_set_new(o, "source", json_string((const char *)sqlite3_column_text(s, 0)));
            json_object_set_new(o, "sha256", json_string((const char *)sqlite3_column_text(s, 1)));
            const char *pub = (const char *)sqlite3_column_text(s, 2);
            json_object_set_new(o, "published", pub ? json_string(pub) : json_null());
            json_object_set_new(o, "entities", json_integer(sqlite3_column_int64(s, 3)));
            json_array_append_new(arr, o);
        }
    }
    sqlite3_finalize(s);
    if (root) {
        json_object_set_new(root, "version", ver ? json_integer(ver) : json_null());
        json_object_set_new(root, "sources", arr ? arr : json_array());
    }
    return root;
}

/* The stored version whose sources are exactly those of ds; 0 when none. */
static long long version_of(sanctum_store *st, const sanctum_dataset *ds)
{
    sqlite3_stmt *s = NULL;
    long long found = 0;
    size_t n = sanctum_dataset_source_count(ds);
    if (sqlite3_prepare_v2(st->db, "SELECT v.id FROM versions v WHERE"
                                   " (SELECT count(*) FROM version_sources s WHERE s.version = v.id) = ?"
                                   " ORDER BY (v.id = (SELECT version FROM active)) DESC, v.id DESC",
                           -1, &s, NULL) != SQLITE_OK)
        return 0;
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM version_sources WHERE version = ? AND source = ? AND sha256 = ?", -1,
                           &q, NULL) != SQLITE_OK) {
        sqlite3_finalize(s);
        return 0;
    }
    sqlite3_bind_int64(s, 1, (sqlite3_int64)n);
    while (!found && sqlite3_step(s) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(s, 0);
        int all = 1;
        for (size_t i = 0; all && i < n; i++) {
            const sanctum_source_info *si = sanctum_dataset_source(ds, i);
            sqlite3_reset(q);
            sqlite3_bind_int64(q, 1, id);
            sqlite3_bind_text(q, 2, si->name, -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 3, si->sha256 ? si->sha256 : "", -1, SQLITE_STATIC);
            all = sqlite3_step(q) == SQLITE_ROW;
        }
        if (all) found = id;
    }
    sqlite3_finalize(q);
    sqlite3_finalize(s);
    return found;
}

char *sanctum_store_lists_json(sanctum_store *st, const sanctum_dataset *ds)
{
    json_t *root = json_object(), *arr = json_array();
    if (!root || !arr) {
        json_decref(root);
        json_decref(arr);
        return NULL;
    }
    long long ver = st ? version_of(st, ds) : 0;
    json_object_set_new(root, "version", ver ? json_integer(ver) : json_null());
    for (size_t i = 0; i < sanctum_dataset_source_count(ds); i++) {
        const sanctum_source_info *si = sanctum_dataset_source(ds, i);
        json_t *o = json_object();
        json_object_set_new(o, "source", json_string(si->name));
        json_object_set_new(o, "sha256", si->sha256 ? json_string(si->sha256) : json_null());
        json_object_set_new(o, "published", si->published ? json_string(si->published) : json_null());
        json_object_set_new(o, "entities", json_integer((json_int_t)si->entities));
        json_array_append_new(arr, o);
    }
    json_object_set_new(root, "sources", arr);
    char *text = json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(15));
    json_decref(root);
    return text;
}

/* ---- appending ------------------------------------------------------------------ */

/* Parses and re-serializes a JSON text compactly; NULL with err set when invalid. */
static char *compact(const char *text, const char *field, size_t *n_items, sanctum_error *err)
{
    json_error_t je;
    json_t *v = text ? json_loads(text, JSON_DECODE_ANY, &je) : NULL;
    if (!v) {
        sanctum_error_set_where(err, SANCTUM_EPARSE, NULL, field, "%s is not valid JSON%s%s", field,
                                text ? ": " : "", text ? je.text : "");
        return NULL;
    }
    if (n_items) *n_items = json_is_array(v) ? json_array_size(v) : 0;
    char *out = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
    json_decref(v);
    if (!out) sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
    return out;
}

static int insert_record(sanctum_store *st, const char *who, const char *query, const char *lists, const char *hits,
                         size_t n_hits, double threshold, long long *id, sanctum_error *err)
{
    sqlite3_stmt *s;
    int rc = store_prepare(st, "INSERT INTO audit(time, who, query, lists, hits, n_hits, threshold)"
                               " VALUES(?, ?, ?, ?, ?, ?, ?)", &s, err);
    if (rc != 0) return rc;
    char now[32];
    store_now(now);
    sqlite3_bind_text(s, 1, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, who && *who ? who : store_default_who(), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, query, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, lists, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, hits, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 6, (sqlite3_int64)n_hits);
    sqlite3_bind_double(s, 7, threshold);
    if (sqlite3_step(s) != SQLITE_DONE) rc = store_fail(st, "writing the audit record", err);
    else if (id) *id = sqlite3_last_insert_rowid(st->db);
    sqlite3_finalize(s);
    return rc;
}

int sanctum_audit_append(sanctum_store *st, const sanctum_audit_entry *e, long long *id, sanctum_error *err)
{
    if (!st || !e) return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "no store or no record");
    size_t n_hits = 0;
    char *q = compact(e->query_json, "query", NULL, err), *h = q ? compact(e->hits_json, "hits", &n_hits, err) : NULL;
    char *l = NULL;
    int rc = 0;
    if (!q || !h) rc = err ? err->code : SANCTUM_EPARSE;
    if (rc == 0) {
        if (e->lists_json) {
            l = compact(e->lists_json, "lists", NULL, err);
        } else {
            long long ver = 0;
            sanctum_error ignore;
            sanctum_store_active(st, &ver, &ignore);
            json_t *v = version_lists(st, ver);
            l = v ? json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
            json_decref(v);
            if (!l) sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
        }
        if (!l) rc = err ? err->code : SANCTUM_ENOMEM;
    }
    int own = sqlite3_get_autocommit(st->db);  /* else the caller holds a transaction */
    if (rc == 0 && own) rc = store_begin(st, err);
    if (rc == 0) {
        rc = insert_record(st, e->who, q, l, h, n_hits, e->threshold, id, err);
        if (own) {
            if (rc == 0) rc = store_commit(st, err);
            if (rc != 0) store_rollback(st);
        }
    }
    free(q);
    free(h);
    free(l);
    return rc;
}

int sanctum_audit_record(sanctum_store *st, const char *who, const char *query_json, const char *hits_json,
                         double threshold, sanctum_error *err)
{
    sanctum_audit_entry e = { who, query_json, NULL, hits_json, threshold };
    return sanctum_audit_append(st, &e, NULL, err);
}

int sanctum_audit_screen(sanctum_store *st, const char *who, const sanctum_dataset *ds, const char *result_json,
                         double threshold, long long *id, sanctum_error *err)
{
    json_error_t je;
    json_t *root = result_json ? json_loads(result_json, 0, &je) : NULL;
    json_t *q = root ? json_object_get(root, "query") : NULL, *h = root ? json_object_get(root, "hits") : NULL;
    if (!q || !json_is_array(h)) {
        json_decref(root);
        return sanctum_error_set(err, SANCTUM_EPARSE, NULL, 0, "a screening result must be {\"query\": ..., \"hits\": [...]}");
    }
    char *qt = json_dumps(q, JSON_COMPACT | JSON_REAL_PRECISION(15)), *ht = json_dumps(h, JSON_COMPACT | JSON_REAL_PRECISION(15));
    char *lists = ds ? sanctum_store_lists_json(st, ds) : NULL;
    int rc;
    if (!qt || !ht || (ds && !lists)) {
        rc = sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
    } else {
        sanctum_audit_entry e = { who, qt, lists, ht, threshold };
        rc = sanctum_audit_append(st, &e, id, err);
    }
    free(qt);
    free(ht);
    free(lists);
    json_decref(root);
    return rc;
}

/* ---- a batch with an audit record per screened record -------------------------------- */

typedef struct audit_batch {
    sanctum_store *st;
    const char *who, *lists;
    double threshold;
    FILE *in, *out;
    /* input records waiting for their result, in order */
    char **queue;
    size_t head, count, cap;
    sanctum_strbuf inpart;    /* an input line still being read */
    sanctum_strbuf outpart;   /* an output line still being written */
    sanctum_strbuf pending;   /* output of the group not committed yet */
    size_t in_group;
    long long first, last;
    sanctum_audit_committed_fn committed;
    void *user;
    int failed;
    sanctum_error err;
} audit_batch;

static int queue_push(audit_batch *b, const char *line, size_t len)
{
    if (b->count == b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 256;
        char **nq = malloc(nc * sizeof *nq);
        if (!nq) return SANCTUM_ENOMEM;
        for (size_t i = 0; i < b->count; i++) nq[i] = b->queue[(b->head + i) % b->cap];
        free(b->queue);
        b->queue = nq;
        b->head = 0;
        b->cap = nc;
    }
    char *s = strndup(line, len);
    if (!s) return SANCTUM_ENOMEM;
    b->queue[(b->head + b->count++) % b->cap] = s;
    return 0;
}

static char *queue_pop(audit_batch *b)
{
    if (!b->count) return NULL;
    char *s = b->queue[b->head];
    b->head = (b->head + 1) % b->cap;
    b->count--;
    return s;
}

/* An input line as the batch reader sees it: blank lines are not records. */
static int take_input_line(audit_batch *b)
{
    const char *p = sanctum_strbuf_cstr(&b->inpart);
    size_t len = b->inpart.len;
    while (len && (p[len - 1] == '\n' || p[len - 1] == '\r')) len--;
    size_t i = 0;
    while (i < len && (p[i] == ' ' || p[i] == '\t')) i++;
    int rc = i < len ? queue_push(b, p, len) : 0;
    sanctum_strbuf_reset(&b->inpart);
    return rc;
}

static ssize_t in_read(void *cookie, char *buf, size_t size)
{
    audit_batch *b = cookie;
    size_t n = fread(buf, 1, size, b->in);
    for (size_t i = 0; i < n && !b->failed; i++) {
        if (sanctum_strbuf_putc(&b->inpart, buf[i]) != 0) {
            /* over-long input lines are cut by the batch reader as well; keep a prefix */
            if (buf[i] == '\n' && take_input_line(b) != 0) b->failed = SANCTUM_ENOMEM;
            continue;
        }
        if (buf[i] == '\n' && take_input_line(b) != 0) b->failed = SANCTUM_ENOMEM;
    }
    if (n == 0 && !ferror(b->in) && b->inpart.len && take_input_line(b) != 0) b->failed = SANCTUM_ENOMEM;
    if (n == 0 && ferror(b->in)) return -1;
    return (ssize_t)n;
}

static int flush_group(audit_batch *b)
{
    if (b->in_group == 0 && b->pending.len == 0) return 0;
    if (b->in_group && store_commit(b->st, &b->err) != 0) return b->err.code;
    if (b->in_group && b->committed) b->committed(b->first, b->last, b->user);
    if (b->pending.len && fwrite(b->pending.data, 1, b->pending.len, b->out) != b->pending.len)
        return sanctum_error_set(&b->err, SANCTUM_EIO, NULL, 0, "cannot write the output");
    sanctum_strbuf_reset(&b->pending);
    b->in_group = 0;
    b->first = b->last = 0;
    return store_begin(b->st, &b->err);
}

static int take_output_line(audit_batch *b)
{
    const char *line = sanctum_strbuf_cstr(&b->outpart);
    char *query = queue_pop(b);
    int rc = 0;
    if (!query) {
        rc = sanctum_error_set(&b->err, SANCTUM_EINTERNAL, NULL, 0, "a result without its input record");
        goto out;
    }
    json_error_t je;
    json_t *res = json_loads(line, 0, &je);
    json_t *hits = res ? json_object_get(res, "hits") : NULL;
    if (res && json_is_array(hits) && !json_object_get(res, "error")) {
        char *ht = json_dumps(hits, JSON_COMPACT | JSON_REAL_PRECISION(15));
        json_t *qv = json_loads(query, 0, &je);
        char *qt = qv ? json_dumps(qv, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
        long long id = 0;
        if (!ht || !qt) rc = sanctum_error_set(&b->err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
        else rc = insert_record(b->st, b->who, qt, b->lists, ht, json_array_size(hits), b->threshold, &id, &b->err);
        if (rc == 0) {
            if (!b->first) b->first = id;
            b->last = id;
            b->in_group++;
        }
        free(ht);
        free(qt);
        json_decref(qv);
    }
    json_decref(res);
    if (rc == 0 && sanctum_strbuf_append(&b->pending, line, b->outpart.len) != 0)
        rc = sanctum_error_set(&b->err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
    if (rc == 0 && b->in_group >= BATCH_GROUP) rc = flush_group(b);
out:
    free(query);
    sanctum_strbuf_reset(&b->outpart);
    return rc;
}

static ssize_t out_write(void *cookie, const char *buf, size_t size)
{
    audit_batch *b = cookie;
    if (b->failed) return -1;
    for (size_t i = 0; i < size; i++) {
        if (sanctum_strbuf_putc(&b->outpart, buf[i]) != 0) {
            b->failed = sanctum_error_set(&b->err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
            return -1;
        }
        if (buf[i] == '\n' && (b->failed = take_output_line(b)) != 0) return -1;
    }
    return (ssize_t)size;
}

int sanctum_audit_batch(sanctum_store *st, const char *who, const sanctum_dataset *ds, const sanctum_index *idx,
                        FILE *in, FILE *out, const sanctum_batch_options *opts, sanctum_batch_summary *summary,
                        sanctum_audit_committed_fn committed, void *user, sanctum_error *err)
{
    sanctum_batch_options o = SANCTUM_BATCH_OPTIONS_INIT;
    if (opts) o = *opts;
    if (o.input_format != SANCTUM_BATCH_JSONL || o.output_format != SANCTUM_BATCH_JSONL)
        return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "audited batches read and write JSON Lines only");
    audit_batch b;
    memset(&b, 0, sizeof b);
    b.st = st;
    b.who = who && *who ? who : store_default_who();
    b.in = in;
    b.out = out;
    b.committed = committed;
    b.user = user;
    b.threshold = o.defaults && o.defaults->min_score >= 0 ? o.defaults->min_score : SANCTUM_DEFAULT_MIN_SCORE;
    sanctum_strbuf_init(&b.inpart, 1u << 24);
    sanctum_strbuf_init(&b.outpart, 0);
    sanctum_strbuf_init(&b.pending, 0);
    char *lists = sanctum_store_lists_json(st, ds);
    b.lists = lists;
    cookie_io_functions_t rf = { in_read, NULL, NULL, NULL }, wf = { NULL, out_write, NULL, NULL };
    FILE *cin = lists ? fopencookie(&b, "r", rf) : NULL;
    FILE *cout = cin ? fopencookie(&b, "w", wf) : NULL;
    int rc;
    if (!cout) {
        rc = sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
        goto done;
    }
    if ((rc = store_begin(st, err)) != 0) goto done;
    rc = sanctum_batch_run(idx, cin, cout, &o, summary, err);
    int frc = fflush(cout);
    if (b.failed) {
        rc = b.failed;
        if (err) *err = b.err;
    } else if (frc != 0 && rc == 0) {
        rc = sanctum_error_set(err, SANCTUM_EIO, NULL, 0, "cannot write the output");
    }
    if (rc == 0 && b.outpart.len)
        rc = sanctum_error_set(err, SANCTUM_EINTERNAL, NULL, 0, "the last result line was not complete");
    if (rc == 0 && (rc = flush_group(&b)) != 0 && err) *err = b.err;
    if (rc == 0 && (rc = store_commit(st, err)) != 0) {}
    if (rc != 0) store_rollback(st);
done:
    if (cout) fclose(cout);
    if (cin) fclose(cin);
    for (char *q; (q = queue_pop(&b));) free(q);
    free(b.queue);
    sanctum_strbuf_free(&b.inpart);
    sanctum_strbuf_free(&b.outpart);
    sanctum_strbuf_free(&b.pending);
    free(lists);
    return rc;
}

/* ---- export --------------------------------------------------------------------- */

/* Turns `since` into the prefix form records are compared with. */
static int since_key(const char *since, char out[40], sanctum_error *err)
{
    if (!since || !*since) {
        out[0] = '\0';
        return 0;
    }
    size_t n = strlen(since);
    char *end;
    long v = strtol(since, &end, 10);
    if (end != since && v >= 0 && (strcmp(end, "d") == 0 || strcmp(end, "h") == 0 || strcmp(end, "m") == 0)) {
        time_t t = time(NULL) - (time_t)v * (*end == 'd' ? 86400 : *end == 'h' ? 3600 : 60);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(out, 40, "%Y-%m-%dT%H:%M:%S", &tm);
        return 0;
    }
    /* YYYY-MM-DD, optionally followed by THH:MM[:SS[.mmm]] and Z */
    static const char shape[] = "dddd-dd-ddTdd:dd:dd";
    if (n && since[n - 1] == 'Z') n--;
    int ok = n == 10 || n == 16 || n == 19 || (n > 20 && since[19] == '.');
    for (size_t i = 0; ok && i < n && i < 19; i++) {
        char c = since[i], want = shape[i];
        ok = want == 'd' ? c >= '0' && c <= '9' : want == 'T' ? c == 'T' || c == ' ' : c == want;
    }
    if (!ok || n >= 40)
        return sanctum_error_set_where(err, SANCTUM_EINVAL, NULL, "since",
                                       "--since wants a UTC date or date-time (2026-01-31, 2026-01-31T08:00:00Z)"
                                       " or an age (7d, 12h, 30m)");
    memcpy(out, since, n);
    out[n] = '\0';
    if (n > 10) out[10] = 'T';
    return 0;
}

static int csv_field(FILE *f, const char *s)
{
    if (fputc('"', f) == EOF) return -1;
    for (; s && *s; s++) {
        if (*s == '"' && fputc('"', f) == EOF) return -1;
        if (fputc(*s, f) == EOF) return -1;
    }
    return fputc('"', f) == EOF ? -1 : 0;
}

int sanctum_audit_export(sanctum_store *st, FILE *out, const char *since, sanctum_audit_format format,
                         unsigned long long *count, sanctum_error *err)
{
    char key[40];
    int rc = since_key(since, key, err);
    if (rc != 0) return rc;
    sqlite3_stmt *s;
    if ((rc = store_prepare(st, "SELECT id, time, who, query, lists, hits, n_hits, threshold FROM audit"
                                " WHERE time >= ? ORDER BY id", &s, err)) != 0)
        return rc;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    unsigned long long n = 0;
    int bad = 0, step;
    if (format == SANCTUM_AUDIT_CSV) bad = fputs("id,time,who,threshold,hits_count,query,lists,hits\n", out) == EOF;
    while (!bad && (step = sqlite3_step(s)) == SQLITE_ROW) {
        const char *time_ = (const char *)sqlite3_column_text(s, 1), *who = (const char *)sqlite3_column_text(s, 2);
        const char *q = (const char *)sqlite3_column_text(s, 3), *l = (const char *)sqlite3_column_text(s, 4);
        const char *h = (const char *)sqlite3_column_text(s, 5);
        if (format == SANCTUM_AUDIT_CSV) {
            bad = fprintf(out, "%lld,%s,", sqlite3_column_int64(s, 0), time_ ? time_ : "") < 0 || csv_field(out, who) ||
                  fprintf(out, ",%.4f,%lld,", sqlite3_column_double(s, 7), sqlite3_column_int64(s, 6)) < 0 ||
                  csv_field(out, q) || fputc(',', out) == EOF || csv_field(out, l) || fputc(',', out) == EOF ||
                  csv_field(out, h) || fputc('\n', out) == EOF;
        } else {
            json_t *w = json_string(who ? who : "");
            char *wt = w ? json_dumps(w, JSON_ENCODE_ANY) : NULL;
            json_decref(w);
            /* query, lists and hits were stored as checked, compact JSON */
            bad = !wt || fprintf(out, "{\"id\":%lld,\"time\":\"%s\",\"who\":%s,\"query\":%s,\"lists\":%s,\"hits\":%s,"
                                      "\"threshold\":%.4f}\n",
                                 sqlite3_column_int64(s, 0), time_ ? time_ : "", wt, q ? q : "null", l ? l : "null",
                                 h ? h : "[]", sqlite3_column_double(s, 7)) < 0;
            free(wt);
        }
        n++;
    }
    if (bad) rc = sanctum_error_set(err, SANCTUM_EIO, NULL, 0, "cannot write the export");
    else if (step != SQLITE_DONE) rc = store_fail(st, "reading the audit trail", err);
    sqlite3_finalize(s);
    if (count) *count = n;
    return rc;
}
