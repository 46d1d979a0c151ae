/*
 * monitor.c - the monitored population, rescreening it, and its alerts.
 *
 * Subjects are stored as their JSON Lines records. A run feeds them from
 * the database to the batch runner (through a read stream that pages
 * through the table) and takes the results back through a write stream:
 * each hit is keyed by (subject, entity, the entity's content hash in the
 * version screened). A key seen before raises nothing, whatever its status;
 * so after a list update only new matches and matches on entities whose
 * listing changed become alerts, and a false positive stays quiet until the
 * entity's listing changes. Alerts are committed in groups as the run goes.
 */
#define _GNU_SOURCE
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"
#include "util/error.h"

#define PAGE 1024
#define GROUP 1024
#define MAX_LINE (1u << 20)

const char *sanctum_alert_status_name(sanctum_alert_status s)
{
    switch (s) {
    case SANCTUM_ALERT_OPEN: return "open";
    case SANCTUM_ALERT_TRUE_MATCH: return "true-match";
    case SANCTUM_ALERT_FALSE_POSITIVE: return "false-positive";
    default: return "?";
    }
}

static sanctum_alert_status status_parse(const char *s)
{
    if (s && strcmp(s, "true-match") == 0) return SANCTUM_ALERT_TRUE_MATCH;
    if (s && strcmp(s, "false-positive") == 0) return SANCTUM_ALERT_FALSE_POSITIVE;
    return SANCTUM_ALERT_OPEN;
}

/* ---- the population ------------------------------------------------------------- */

/* The subject id of a record's "id" (string or integer) into buf; 0 or -1. */
static int id_text(json_t *id, char *buf, size_t size)
{
    if (json_is_string(id) && json_string_length(id) > 0 && json_string_length(id) < size) {
        snprintf(buf, size, "%s", json_string_value(id));
        return 0;
    }
    if (json_is_integer(id)) {
        snprintf(buf, size, "%lld", (long long)json_integer_value(id));
        return 0;
    }
    return -1;
}

int sanctum_monitor_add(sanctum_store *st, FILE *in, const char *input_name, unsigned long long *added,
                        unsigned long long *replaced, sanctum_error *err)
{
    const char *name = input_name ? input_name : "<input>";
    unsigned long long n_added = 0, n_replaced = 0, lineno = 0;
    sqlite3_stmt *exists = NULL, *put = NULL;
    int rc = store_prepare(st, "SELECT 1 FROM subjects WHERE id = ?", &exists, err);
    if (rc == 0)
        rc = store_prepare(st, "INSERT INTO subjects(id, name, record, added) VALUES(?, ?, ?, ?)"
                               " ON CONFLICT(id) DO UPDATE SET name = excluded.name, record = excluded.record,"
                               " added = excluded.added", &put, err);
    if (rc == 0) rc = store_begin(st, err);
    char now[32];
    store_now(now);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while (rc == 0 && (len = getline(&line, &cap, in)) >= 0) {
        lineno++;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
        const char *p = line;
        while (*p == ' ' || *p == '\t') p++;
        if (!*p) continue;
        if ((size_t)len > MAX_LINE) {
            rc = sanctum_error_set(err, SANCTUM_ELIMIT, name, lineno, "record longer than %u bytes", MAX_LINE);
            break;
        }
        json_error_t je;
        json_t *rec = json_loadb(line, (size_t)len, 0, &je);
        if (!rec || !json_is_object(rec)) {
            rc = sanctum_error_set(err, SANCTUM_EPARSE, name, lineno, "not a JSON object%s%s", rec ? "" : ": ",
                                   rec ? "" : je.text);
            json_decref(rec);
            break;
        }
        char id[512];
        json_t *nm = json_object_get(rec, "name");
        json_t *w = json_object_get(rec, "wallets"), *ids = json_object_get(rec, "ids");
        int has_other = (json_is_array(w) && json_array_size(w)) || (json_is_array(ids) && json_array_size(ids));
        if (id_text(json_object_get(rec, "id"), id, sizeof id) != 0) {
            rc = sanctum_error_set_where(err, SANCTUM_EPARSE, name, "id",
                                         "line %llu: \"id\" must be a non-empty string or an integer", lineno);
        } else if (nm && !json_is_null(nm) && (!json_is_string(nm) || json_string_length(nm) == 0)) {
            rc = sanctum_error_set_where(err, SANCTUM_EPARSE, name, "name",
                                         "line %llu: \"name\" must be a non-empty string", lineno);
        } else if ((!nm || json_is_null(nm)) && !has_other) {
            rc = sanctum_error_set_where(err, SANCTUM_EPARSE, name, "name",
                                         "line %llu: a record needs \"name\", \"wallets\" or \"ids\"", lineno);
        }
        if (rc == 0) {
            sqlite3_reset(exists);
            sqlite3_bind_text(exists, 1, id, -1, SQLITE_TRANSIENT);
            int was = sqlite3_step(exists) == SQLITE_ROW;
            char *text = json_dumps(rec, JSON_COMPACT | JSON_REAL_PRECISION(15));
            sqlite3_reset(put);
            sqlite3_bind_text(put, 1, id, -1, SQLITE_TRANSIENT);
            if (json_is_string(nm)) sqlite3_bind_text(put, 2, json_string_value(nm), -1, SQLITE_TRANSIENT);
            else sqlite3_bind_null(put, 2);
            sqlite3_bind_text(put, 3, text ? text : "", -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(put, 4, now, -1, SQLITE_STATIC);
            if (!text) rc = sanctum_error_set(err, SANCTUM_ENOMEM, name, lineno, "out of memory");
            else if (sqlite3_step(put) != SQLITE_DONE) rc = store_fail(st, "storing a subject", err);
            else if (was) n_replaced++;
            else n_added++;
            free(text);
        }
        json_decref(rec);
    }
    if (rc == 0 && ferror(in)) rc = sanctum_error_set(err, SANCTUM_EIO, name, lineno + 1, "read error");
    free(line);
    sqlite3_finalize(exists);
    sqlite3_finalize(put);
    if (rc == 0) rc = store_commit(st, err);
    if (rc != 0) store_rollback(st);
    if (added) *added = rc == 0 ? n_added : 0;
    if (replaced) *replaced = rc == 0 ? n_replaced : 0;
    return rc;
}

int sanctum_monitor_count(sanctum_store *st, unsigned long long *count, sanctum_error *err)
{
    sqlite3_stmt *s;
    int rc = store_prepare(st, "SELECT count(*) FROM subjects", &s, err);
    if (rc != 0) return rc;
    if (sqlite3_step(s) == SQLITE_ROW) *count = (unsigned long long)sqlite3_column_int64(s, 0);
    else rc = store_fail(st, "counting subjects", err);
    sqlite3_finalize(s);
    return rc;
}

/* ---- a run --------------------------------------------------------------------- */

typedef struct run {
    sanctum_store *st;
    long long version, run_id;
    sqlite3_stmt *page, *hash, *seen, *raise;
    long long last_seq;
    int exhausted;
    sanctum_strbuf buf;       /* records of the current page, as JSON Lines */
    size_t buf_pos;
    sanctum_strbuf outpart;
    size_t in_group;
    sanctum_monitor_summary sum;
    char now[32];
    int failed;
    sanctum_error err;
} run;

static int next_page(run *r)
{
    sanctum_strbuf_reset(&r->buf);
    r->buf_pos = 0;
    sqlite3_reset(r->page);
    sqlite3_bind_int64(r->page, 1, r->last_seq);
    int step, rows = 0;
    while ((step = sqlite3_step(r->page)) == SQLITE_ROW) {
        r->last_seq = sqlite3_column_int64(r->page, 0);
        const char *rec = (const char *)sqlite3_column_text(r->page, 1);
        if (sanctum_strbuf_puts(&r->buf, rec ? rec : "{}") != 0 || sanctum_strbuf_putc(&r->buf, '\n') != 0)
            return sanctum_error_set(&r->err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
        rows++;
    }
    if (step != SQLITE_DONE) return store_fail(r->st, "reading subjects", &r->err);
    if (rows < PAGE) r->exhausted = 1;
    return 0;
}

static ssize_t run_read(void *cookie, char *out, size_t size)
{
    run *r = cookie;
    if (r->failed) return -1;
    if (r->buf_pos == r->buf.len) {
        if (r->exhausted) return 0;
        if ((r->failed = next_page(r)) != 0) return -1;
        if (r->buf.len == 0) return 0;
    }
    size_t n = r->buf.len - r->buf_pos;
    if (n > size) n = size;
    memcpy(out, r->buf.data + r->buf_pos, n);
    r->buf_pos += n;
    return (ssize_t)n;
}

/* Commits the alerts of the group so far; the next alert opens the next
 * transaction, so that other writers are not kept waiting between hits. */
static int commit_group(run *r)
{
    r->in_group = 0;
    if (sqlite3_get_autocommit(r->st->db)) return 0;
    return store_commit(r->st, &r->err) != 0 ? r->err.code : 0;
}

static int handle_hit(run *r, const char *subject, json_t *hit)
{
    const char *entity = json_string_value(json_object_get(hit, "entity"));
    if (!entity) return 0;
    r->sum.hits++;
    sqlite3_reset(r->hash);
    sqlite3_bind_int64(r->hash, 1, r->version);
    sqlite3_bind_text(r->hash, 2, entity, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(r->hash) != SQLITE_ROW)
        return sanctum_error_set(&r->err, SANCTUM_EINVAL, NULL, 0,
                                 "entity %s is not in list version %lld: the index was built from other lists", entity,
                                 r->version);
    char hash[40];
    snprintf(hash, sizeof hash, "%s", (const char *)sqlite3_column_text(r->hash, 0));
    sqlite3_reset(r->seen);
    sqlite3_bind_text(r->seen, 1, subject, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(r->seen, 2, entity, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(r->seen, 3, hash, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(r->seen) == SQLITE_ROW) {
        if (status_parse((const char *)sqlite3_column_text(r->seen, 0)) == SANCTUM_ALERT_FALSE_POSITIVE)
            r->sum.suppressed++;
        else
            r->sum.known++;
        return 0;
    }
    if (sqlite3_get_autocommit(r->st->db) && store_begin(r->st, &r->err) != 0) return r->err.code;
    char *text = json_dumps(hit, JSON_COMPACT | JSON_REAL_PRECISION(15));
    if (!text) return sanctum_error_set(&r->err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
    sqlite3_reset(r->raise);
    sqlite3_bind_text(r->raise, 1, subject, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(r->raise, 2, entity, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(r->raise, 3, hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(r->raise, 4, r->version);
    sqlite3_bind_int64(r->raise, 5, r->run_id);
    sqlite3_bind_double(r->raise, 6, json_number_value(json_object_get(hit, "score")));
    sqlite3_bind_text(r->raise, 7, text, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(r->raise, 8, r->now, -1, SQLITE_STATIC);
    int rc = sqlite3_step(r->raise) == SQLITE_DONE ? 0 : store_fail(r->st, "raising an alert", &r->err);
    free(text);
    if (rc == 0) r->sum.new_alerts++;
    return rc;
}

static int take_result(run *r)
{
    json_error_t je;
    json_t *res = json_loadb(r->outpart.data, r->outpart.len, 0, &je);
    sanctum_strbuf_reset(&r->outpart);
    if (!res) return sanctum_error_set(&r->err, SANCTUM_EINTERNAL, NULL, 0, "unreadable screening result: %s", je.text);
    int rc = 0;
    char subject[512];
    json_t *hits = json_object_get(res, "hits");
    if (json_object_get(res, "error") || !json_is_array(hits) || id_text(json_object_get(res, "id"), subject, sizeof subject) != 0) {
        r->sum.errors++;
    } else {
        r->sum.subjects++;
        for (size_t i = 0; rc == 0 && i < json_array_size(hits); i++) rc = handle_hit(r, subject, json_array_get(hits, i));
    }
    json_decref(res);
    if (rc == 0 && ++r->in_group >= GROUP) rc = commit_group(r);
    return rc;
}

static ssize_t run_write(void *cookie, const char *buf, size_t size)
{
    run *r = cookie;
    if (r->failed) return -1;
    for (size_t i = 0; i < size; i++) {
        if (buf[i] == '\n') {
            if ((r->failed = take_result(r)) != 0) return -1;
        } else if (sanctum_strbuf_putc(&r->outpart, buf[i]) != 0) {
            r->failed = sanctum_error_set(&r->err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
            return -1;
        }
    }
    return (ssize_t)size;
}

static int finish_run(sanctum_store *st, run *r, sanctum_error *err)
{
    sqlite3_stmt *s;
    int rc = store_prepare(st, "UPDATE monitor_runs SET finished = ?, subjects = ?, hits = ?, new_alerts = ?, errors = ?"
                               " WHERE id = ?", &s, err);
    if (rc != 0) return rc;
    char now[32];
    store_now(now);
    sqlite3_bind_text(s, 1, now, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)r->sum.subjects);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)r->sum.hits);
    sqlite3_bind_int64(s, 4, (sqlite3_int64)r->sum.new_alerts);
    sqlite3_bind_int64(s, 5, (sqlite3_int64)r->sum.errors);
    sqlite3_bind_int64(s, 6, r->run_id);
    if (sqlite3_step(s) != SQLITE_DONE) rc = store_fail(st, "closing the run", err);
    sqlite3_finalize(s);
    return rc;
}

int sanctum_monitor_run(sanctum_store *st, long long version, const sanctum_index *idx,
                        const sanctum_batch_options *opts, sanctum_monitor_summary *summary, sanctum_error *err)
{
    run r;
    memset(&r, 0, sizeof r);
    r.st = st;
    r.version = version;
    r.sum.version = version;
    int rc;
    if (version == 0 && (rc = sanctum_store_active(st, &r.version, err)) != 0) return rc;
    r.sum.version = r.version;
    store_now(r.now);
    sanctum_strbuf_init(&r.buf, 0);
    sanctum_strbuf_init(&r.outpart, MAX_LINE * 64);
    sqlite3_stmt *s = NULL;
    FILE *cin = NULL, *cout = NULL;
    if ((rc = store_prepare(st, "SELECT seq, record FROM subjects WHERE seq > ? ORDER BY seq LIMIT " "1024", &r.page, err)) ||
        (rc = store_prepare(st, "SELECT hash FROM entity_versions WHERE version = ? AND entity = ?", &r.hash, err)) ||
        (rc = store_prepare(st, "SELECT status FROM alerts WHERE subject = ? AND entity = ? AND entity_hash = ?", &r.seen,
                            err)) ||
        (rc = store_prepare(st, "INSERT INTO alerts(subject, entity, entity_hash, version, run, score, hit, created)"
                                " VALUES(?, ?, ?, ?, ?, ?, ?, ?)", &r.raise, err)))
        goto done;
    /* the run is on record before it starts */
    if ((rc = store_begin(st, err)) != 0) goto done;
    if ((rc = store_prepare(st, "INSERT INTO monitor_runs(version, started) VALUES(?, ?)", &s, err)) != 0) goto rollback;
    sqlite3_bind_int64(s, 1, r.version);
    sqlite3_bind_text(s, 2, r.now, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE) rc = store_fail(st, "recording the run", err);
    sqlite3_finalize(s);
    if (rc != 0) goto rollback;
    r.run_id = r.sum.run = sqlite3_last_insert_rowid(st->db);
    if ((rc = store_commit(st, err)) != 0) goto rollback;

    cookie_io_functions_t rf = { run_read, NULL, NULL, NULL }, wf = { NULL, run_write, NULL, NULL };
    cin = fopencookie(&r, "r", rf);
    cout = cin ? fopencookie(&r, "w", wf) : NULL;
    if (!cout) {
        rc = sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
        goto done;
    }
    sanctum_batch_options o = SANCTUM_BATCH_OPTIONS_INIT;
    if (opts) o = *opts;
    o.input_format = o.output_format = SANCTUM_BATCH_JSONL;
    o.input_name = "monitored subjects";
    sanctum_batch_summary bs;
    rc = sanctum_batch_run(idx, cin, cout, &o, &bs, err);
    if (fflush(cout) != 0 && rc == 0 && !r.failed) rc = sanctum_error_set(err, SANCTUM_EIO, NULL, 0, "cannot pass results on");
    if (r.failed) {
        rc = r.failed;
        if (err) *err = r.err;
    }
    if (rc == 0 && sqlite3_get_autocommit(st->db)) rc = store_begin(st, err);
    if (rc == 0) rc = finish_run(st, &r, err);
    if (rc == 0) rc = store_commit(st, err);
rollback:
    if (rc != 0) store_rollback(st);
done:
    if (cout) fclose(cout);
    if (cin) fclose(cin);
    sqlite3_finalize(r.page);
    sqlite3_finalize(r.hash);
    sqlite3_finalize(r.seen);
    sqlite3_finalize(r.raise);
    sanctum_strbuf_free(&r.buf);
    sanctum_strbuf_free(&r.outpart);
    if (summary) *summary = r.sum;
    return rc;
}

/* ---- alerts -------------------------------------------------------------------- */

void sanctum_alerts_free(sanctum_alert *a, size_t n)
{
    if (!a) return;
    for (size_t i = 0; i < n; i++) {
        free(a[i].subject);
        free(a[i].subject_name);
        free(a[i].entity);
        free(a[i].entity_name);
        free(a[i].entity_hash);
        free(a[i].created);
        free(a[i].resolved);
        free(a[i].resolved_by);
        free(a[i].note);
        free(a[i].hit_json);
    }
    free(a);
}

int sanctum_alerts_list(sanctum_alert **out, size_t *n, sanctum_store *st, int open_only, sanctum_error *err)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s;
    int rc = store_prepare(st, open_only
                               ? "SELECT a.id, a.subject, s.name, a.entity, ev.name, a.entity_hash, a.score, a.version,"
                                 " a.created, a.status, a.resolved, a.resolved_by, a.note, a.hit FROM alerts a"
                                 " LEFT JOIN subjects s ON s.id = a.subject"
                                 " LEFT JOIN entity_versions ev ON ev.version = a.version AND ev.entity = a.entity"
                                 " WHERE a.status = 'open' ORDER BY a.id"
                               : "SELECT a.id, a.subject, s.name, a.entity, ev.name, a.entity_hash, a.score, a.version,"
                                 " a.created, a.status, a.resolved, a.resolved_by, a.note, a.hit FROM alerts a"
                                 " LEFT JOIN subjects s ON s.id = a.subject"
                                 " LEFT JOIN entity_versions ev ON ev.version = a.version AND ev.entity = a.entity"
                                 " ORDER BY a.id",
                           &s, err);
    if (rc != 0) return rc;
    sanctum_alert *v = NULL;
    size_t cnt = 0, cap = 0;
    int oom = 0, step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (cnt == cap) {
            size_t nc = cap ? cap * 2 : 16;
            sanctum_alert *nv = realloc(v, nc * sizeof *nv);
            if (!nv) { oom = 1; break; }
            v = nv;
            cap = nc;
        }
        sanctum_alert *a = &v[cnt++];
        memset(a, 0, sizeof *a);
        a->id = sqlite3_column_int64(s, 0);
        a->subject = store_column_dup(s, 1, &oom);
        a->subject_name = store_column_dup(s, 2, &oom);
        a->entity = store_column_dup(s, 3, &oom);
        a->entity_name = store_column_dup(s, 4, &oom);
        a->entity_hash = store_column_dup(s, 5, &oom);
        a->score = sqlite3_column_double(s, 6);
        a->version = sqlite3_column_int64(s, 7);
        a->created = store_column_dup(s, 8, &oom);
        a->status = status_parse((const char *)sqlite3_column_text(s, 9));
        a->resolved = store_column_dup(s, 10, &oom);
        a->resolved_by = store_column_dup(s, 11, &oom);
        a->note = store_column_dup(s, 12, &oom);
        a->hit_json = store_column_dup(s, 13, &oom);
        if (oom) break;
    }
    if (!oom && step != SQLITE_DONE && step != SQLITE_ROW) rc = store_fail(st, "reading alerts", err);
    sqlite3_finalize(s);
    if (oom) rc = sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
    if (rc != 0) {
        sanctum_alerts_free(v, cnt);
        return rc;
    }
    *out = v;
    *n = cnt;
    return 0;
}

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

char *sanctum_alerts_json(const sanctum_alert *a, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        json_t *o = json_object();
        if (!o) break;
        json_object_set_new(o, "id", json_integer(a[i].id));
        json_object_set_new(o, "subject", str_or_null(a[i].subject));
        json_object_set_new(o, "subject_name", str_or_null(a[i].subject_name));
        json_object_set_new(o, "entity", str_or_null(a[i].entity));
        json_object_set_new(o, "entity_name", str_or_null(a[i].entity_name));
        json_object_set_new(o, "entity_hash", str_or_null(a[i].entity_hash));
        json_object_set_new(o, "score", json_real(a[i].score));
        json_object_set_new(o, "version", json_integer(a[i].version));
        json_object_set_new(o, "created", str_or_null(a[i].created));
        json_object_set_new(o, "status", json_string(sanctum_alert_status_name(a[i].status)));
        json_object_set_new(o, "resolved", str_or_null(a[i].resolved));
        json_object_set_new(o, "resolved_by", str_or_null(a[i].resolved_by));
        json_object_set_new(o, "note", str_or_null(a[i].note));
        json_error_t je;
        json_t *hit = a[i].hit_json ? json_loads(a[i].hit_json, 0, &je) : NULL;
        json_object_set_new(o, "hit", hit ? hit : json_null());
        json_array_append_new(arr, o);
    }
    char *text = arr ? json_dumps(arr, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
    json_decref(arr);
    return text;
}

int sanctum_alert_resolve(sanctum_store *st, long long id, sanctum_alert_status status, const char *note,
                          const char *who, sanctum_error *err)
{
    if (status != SANCTUM_ALERT_TRUE_MATCH && status != SANCTUM_ALERT_FALSE_POSITIVE)
        return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "an alert is resolved as a true match or a false positive");
    int rc = store_begin(st, err);
    if (rc != 0) return rc;
    sqlite3_stmt *s;
    if ((rc = store_prepare(st, "SELECT status FROM alerts WHERE id = ?", &s, err)) != 0) goto fail;
    sqlite3_bind_int64(s, 1, id);
    int step = sqlite3_step(s);
    sanctum_alert_status cur = step == SQLITE_ROW ? status_parse((const char *)sqlite3_column_text(s, 0)) : SANCTUM_ALERT_OPEN;
    sqlite3_finalize(s);
    if (step != SQLITE_ROW) {
        rc = sanctum_error_set(err, SANCTUM_ENOTFOUND, NULL, 0, "no alert %lld", id);
        goto fail;
    }
    if (cur != SANCTUM_ALERT_OPEN) {
        rc = sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "alert %lld is already resolved as %s", id,
                               sanctum_alert_status_name(cur));
        goto fail;
    }
    if ((rc = store_prepare(st, "UPDATE alerts SET status = ?, resolved = ?, resolved_by = ?, note = ? WHERE id = ?", &s,
                            err)) != 0)
        goto fail;
    char now[32];
    store_now(now);
    sqlite3_bind_text(s, 1, sanctum_alert_status_name(status), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, who && *who ? who : store_default_who(), -1, SQLITE_STATIC);
    if (note) sqlite3_bind_text(s, 4, note, -1, SQLITE_STATIC);
    else sqlite3_bind_null(s, 4);
    sqlite3_bind_int64(s, 5, id);
    if (sqlite3_step(s) != SQLITE_DONE) rc = store_fail(st, "resolving the alert", err);
    sqlite3_finalize(s);
    if (rc == 0) rc = store_commit(st, err);
    if (rc == 0) return 0;
fail:
    store_rollback(st);
    return rc;
}
