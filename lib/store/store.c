/*
 * store.c - the SQLite database behind list versions, the audit trail and
 * monitoring: opening it (WAL, synchronous=FULL, busy timeout), its schema,
 * storing a folder of list files as a new version in one transaction,
 * listing and activating versions, and loading a stored version back as a
 * dataset through a cache folder beside the database.
 *
 * A version keeps every file's bytes in the content-addressed `blobs` table
 * (keyed by SHA-256, so an unchanged file is stored once), each source's
 * hash, date and counts, and each entity's content hash and readable facts
 * (shared between versions through the `facets` table).
 */
#define _GNU_SOURCE
#include "store/store_internal.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <openssl/evp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/error.h"

#define SCHEMA_VERSION "1"
#define BUSY_TIMEOUT_MS 15000
#define MAX_FILE_BYTES (1024ULL * 1024 * 1024)

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS blobs(sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, data BLOB NOT NULL);"
    "CREATE TABLE IF NOT EXISTS versions(id INTEGER PRIMARY KEY AUTOINCREMENT, created TEXT NOT NULL,"
    " origin TEXT NOT NULL, entities INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS version_sources(version INTEGER NOT NULL REFERENCES versions(id),"
    " source TEXT NOT NULL, published TEXT, sha256 TEXT NOT NULL, entities INTEGER NOT NULL,"
    " unknown INTEGER NOT NULL, persons INTEGER NOT NULL, organizations INTEGER NOT NULL,"
    " vessels INTEGER NOT NULL, aircraft INTEGER NOT NULL, aliases INTEGER NOT NULL, warnings INTEGER NOT NULL,"
    " PRIMARY KEY(version, source));"
    "CREATE TABLE IF NOT EXISTS version_files(version INTEGER NOT NULL REFERENCES versions(id),"
    " source TEXT NOT NULL, ord INTEGER NOT NULL, path TEXT NOT NULL,"
    " sha256 TEXT NOT NULL REFERENCES blobs(sha256), size INTEGER NOT NULL, PRIMARY KEY(version, path));"
    "CREATE TABLE IF NOT EXISTS facets(hash TEXT PRIMARY KEY, facets TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS entity_versions(version INTEGER NOT NULL REFERENCES versions(id),"
    " entity TEXT NOT NULL, source TEXT NOT NULL, hash TEXT NOT NULL, name TEXT,"
    " PRIMARY KEY(version, entity)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS active(one INTEGER PRIMARY KEY CHECK(one = 1),"
    " version INTEGER NOT NULL REFERENCES versions(id), since TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS audit(id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL,"
    " who TEXT NOT NULL, query TEXT NOT NULL, lists TEXT NOT NULL, hits TEXT NOT NULL,"
    " n_hits INTEGER NOT NULL, threshold REAL NOT NULL);"
    "CREATE INDEX IF NOT EXISTS audit_time ON audit(time);"
    "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
    "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
    "CREATE TABLE IF NOT EXISTS subjects(seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    " name TEXT, record TEXT NOT NULL, added TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS monitor_runs(id INTEGER PRIMARY KEY AUTOINCREMENT, version INTEGER NOT NULL,"
    " started TEXT NOT NULL, finished TEXT, subjects INTEGER, hits INTEGER, new_alerts INTEGER,"
    " errors INTEGER);"
    "CREATE TABLE IF NOT EXISTS alerts(id INTEGER PRIMARY KEY AUTOINCREMENT, subject TEXT NOT NULL,"
    " entity TEXT NOT NULL, entity_hash TEXT NOT NULL, version INTEGER NOT NULL, run INTEGER,"
    " score REAL NOT NULL, hit TEXT NOT NULL, created TEXT NOT NULL,"
    " status TEXT NOT NULL DEFAULT 'open' CHECK(status IN ('open', 'true-match', 'false-positive')),"
    " resolved TEXT, resolved_by TEXT, note TEXT, UNIQUE(subject, entity, entity_hash));"
    "INSERT OR IGNORE INTO meta(key, value) VALUES('schema', '" SCHEMA_VERSION "');";

/* ---- small helpers ------------------------------------------------------------ */

int store_fail(sanctum_store *st, const char *what, sanctum_error *err)
{
    int ext = st && st->db ? sqlite3_extended_errcode(st->db) : SQLITE_ERROR;
    int code = (ext & 0xff) == SQLITE_CONSTRAINT ? SANCTUM_EINVAL
             : (ext & 0xff) == SQLITE_NOMEM ? SANCTUM_ENOMEM : SANCTUM_EIO;
    return sanctum_error_set(err, code, st ? st->path : NULL, 0, "%s: %s", what,
                             st && st->db ? sqlite3_errmsg(st->db) : "no database");
}

int store_exec(sanctum_store *st, const char *sql, const char *what, sanctum_error *err)
{
    if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK) return store_fail(st, what, err);
    return 0;
}

int store_prepare(sanctum_store *st, const char *sql, sqlite3_stmt **stmt, sanctum_error *err)
{
    if (sqlite3_prepare_v2(st->db, sql, -1, stmt, NULL) != SQLITE_OK) {
        *stmt = NULL;
        return store_fail(st, "preparing a statement", err);
    }
    return 0;
}

int store_begin(sanctum_store *st, sanctum_error *err)
{
    return store_exec(st, "BEGIN IMMEDIATE", "starting a transaction", err);
}

int store_commit(sanctum_store *st, sanctum_error *err)
{
    return store_exec(st, "COMMIT", "committing", err);
}

void store_rollback(sanctum_store *st)
{
    if (!sqlite3_get_autocommit(st->db)) sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

void store_now(char out[32])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char date[24];
    if (strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm) == 0) date[0] = '\0';
    snprintf(out, 32, "%.19s.%03dZ", date, (int)(ts.tv_nsec / 1000000) % 1000);
}

const char *store_default_who(void)
{
    const char *u = getenv("USER");
    if (u && *u) return u;
    struct passwd *pw = getpwuid(getuid());
    if (pw && pw->pw_name && *pw->pw_name) return pw->pw_name;
    return "unknown";
}

void store_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
    for (unsigned i = 0; i < n && i < 32; i++) snprintf(out + 2 * i, 3, "%02x", md[i]);
    out[64] = '\0';
}

char *store_column_dup(sqlite3_stmt *s, int col, int *oom)
{
    const unsigned char *t = sqlite3_column_text(s, col);
    if (!t) return NULL;
    char *d = strdup((const char *)t);
    if (!d) *oom = 1;
    return d;
}

/* ---- opening -------------------------------------------------------------------- */

int sanctum_store_default_path(char *buf, size_t size)
{
    const char *db = getenv("SANCTUM_DB");
    int n;
    if (db && *db) {
        n = snprintf(buf, size, "%s", db);
    } else {
        const char *home = getenv("SANCTUM_HOME");
        if (home && *home) {
            n = snprintf(buf, size, "%s/sanctum.db", home);
        } else {
            const char *h = getenv("HOME");
            if (!h || !*h) {
                struct passwd *pw = getpwuid(getuid());
                h = pw ? pw->pw_dir : NULL;
            }
            if (!h || !*h) return SANCTUM_ENOTFOUND;
            n = snprintf(buf, size, "%s/.local/share/sanctum/sanctum.db", h);
        }
    }
    return n < 0 || (size_t)n >= size ? SANCTUM_ELIMIT : 0;
}

/* mkdir -p of the folder holding path. */
static int make_parent(const char *path, sanctum_error *err)
{
    char dir[PATH_MAX];
    if (snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir)
        return sanctum_error_set(err, SANCTUM_ELIMIT, path, 0, "path too long");
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir) return 0;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST)
            return sanctum_error_set(err, SANCTUM_EIO, dir, 0, "cannot create folder: %s", strerror(errno));
        *p = '/';
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return sanctum_error_set(err, SANCTUM_EIO, dir, 0, "cannot create folder: %s", strerror(errno));
    return 0;
}

int sanctum_store_open(sanctum_store **out, const char *path, int flags, sanctum_error *err)
{
    *out = NULL;
    char def[PATH_MAX];
    if (!path) {
        int rc = sanctum_store_default_path(def, sizeof def);
        if (rc != 0) return sanctum_error_set(err, rc, NULL, 0, "cannot tell where the database goes (set SANCTUM_DB)");
        path = def;
    }
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (!(flags & SANCTUM_STORE_CREATE))
            return sanctum_error_set(err, SANCTUM_ENOTFOUND, path, 0, "no database here yet (run 'sanctum update')");
        int rc = make_parent(path, err);
        if (rc != 0) return rc;
    }
    sanctum_store *st = calloc(1, sizeof *st);
    if (!st || !(st->path = strdup(path))) {
        free(st);
        return sanctum_error_set(err, SANCTUM_ENOMEM, path, 0, "out of memory");
    }
    int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (flags & SANCTUM_STORE_CREATE ? SQLITE_OPEN_CREATE : 0);
    int rc;
    if (sqlite3_open_v2(path, &st->db, oflags, NULL) != SQLITE_OK) {
        rc = store_fail(st, "cannot open the database", err);
        goto fail;
    }
    sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(st->db, 1);
    /* journal_mode answers with the mode in force: it must be WAL */
    sqlite3_stmt *s = NULL;
    if ((rc = store_prepare(st, "PRAGMA journal_mode=WAL", &s, err)) != 0) goto fail;
    int step = sqlite3_step(s);
    int wal = step == SQLITE_ROW && sqlite3_column_text(s, 0) &&
              strcmp((const char *)sqlite3_column_text(s, 0), "wal") == 0;
    sqlite3_finalize(s);
    if (!wal) {
        rc = step == SQLITE_ROW ? sanctum_error_set(err, SANCTUM_EIO, path, 0, "the database cannot use WAL mode")
                                : store_fail(st, "setting WAL mode", err);
        goto fail;
    }
    if ((rc = store_exec(st, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON", "setting up", err)) != 0) goto fail;
    /* an existing database is only read here, so opening never waits for a writer */
    if (sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key = 'schema'", -1, &s, NULL) == SQLITE_OK) {
        int have = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) &&
                   strcmp((const char *)sqlite3_column_text(s, 0), SCHEMA_VERSION) == 0;
        sqlite3_finalize(s);
        if (have) {
            *out = st;
            return 0;
        }
    }
    if ((rc = store_begin(st, err)) != 0) goto fail;
    if ((rc = store_exec(st, schema_sql, "creating the schema", err)) != 0) {
        store_rollback(st);
        goto fail;
    }
    if ((rc = store_prepare(st, "SELECT value FROM meta WHERE key = 'schema'", &s, err)) != 0) {
        store_rollback(st);
        goto fail;
    }
    int ok = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) &&
             strcmp((const char *)sqlite3_column_text(s, 0), SCHEMA_VERSION) == 0;
    sqlite3_finalize(s);
    if (!ok) {
        store_rollback(st);
        rc = sanctum_error_set(err, SANCTUM_EINVAL, path, 0, "the database has a schema this version does not know");
        goto fail;
    }
    if ((rc = store_commit(st, err)) != 0) {
        store_rollback(st);
        goto fail;
    }
    *out = st;
    return 0;
fail:
    sanctum_store_close(st);
    return rc;
}

void sanctum_store_close(sanctum_store *st)
{
    if (!st) return;
    if (st->db) sqlite3_close_v2(st->db);
    free(st->path);
    free(st);
}

const char *sanctum_store_path(const sanctum_store *st) { return st ? st->path : NULL; }

/* ---- versions ------------------------------------------------------------------- */

static int active_id(sanctum_store *st, long long *id, sanctum_error *err)
{
    sqlite3_stmt *s;
    int rc = store_prepare(st, "SELECT version FROM active WHERE one = 1", &s, err);
    if (rc != 0) return rc;
    int step = sqlite3_step(s);
    *id = step == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_finalize(s);
    if (step != SQLITE_ROW && step != SQLITE_DONE) return store_fail(st, "reading the active version", err);
    return 0;
}

int sanctum_store_active(sanctum_store *st, long long *id, sanctum_error *err)
{
    int rc = active_id(st, id, err);
    if (rc != 0) return rc;
    if (*id == 0) return sanctum_error_set(err, SANCTUM_ENOTFOUND, st->path, 0, "no list version is stored yet (run 'sanctum update')");
    return 0;
}

static int set_active(sanctum_store *st, long long id, sanctum_error *err)
{
    sqlite3_stmt *s;
    int rc = store_prepare(st, "INSERT INTO active(one, version, since) VALUES(1, ?, ?)"
                               " ON CONFLICT(one) DO UPDATE SET version = excluded.version, since = excluded.since",
                           &s, err);
    if (rc != 0) return rc;
    char now[32];
    store_now(now);
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, now, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(s) != SQLITE_DONE) rc = store_fail(st, "activating the version", err);
    sqlite3_finalize(s);
    return rc;
}

int sanctum_store_activate(sanctum_store *st, long long id, sanctum_error *err)
{
    sqlite3_stmt *s;
    int rc = store_prepare(st, "SELECT 1 FROM versions WHERE id = ?", &s, err);
    if (rc != 0) return rc;
    sqlite3_bind_int64(s, 1, id);
    int found = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_finalize(s);
    if (!found) return sanctum_error_set(err, SANCTUM_ENOTFOUND, st->path, 0, "no list version %lld", id);
    if ((rc = store_begin(st, err)) != 0) return rc;
    if ((rc = set_active(st, id, err)) != 0 || (rc = store_commit(st, err)) != 0) store_rollback(st);
    return rc;
}

void sanctum_versions_free(sanctum_list_version *v, size_t n)
{
    if (!v) return;
    for (size_t i = 0; i < n; i++) {
        free(v[i].created);
        free(v[i].origin);
        for (size_t j = 0; j < v[i].n_sources; j++) {
            free(v[i].sources[j].source);
            free(v[i].sources[j].published);
            free(v[i].sources[j].sha256);
        }
        free(v[i].sources);
    }
    free(v);
}

int sanctum_store_versions(sanctum_list_version **out, size_t *n, sanctum_store *st, sanctum_error *err)
{
    *out = NULL;
    *n = 0;
    long long act;
    int rc = active_id(st, &act, err);
    if (rc != 0) return rc;
    sqlite3_stmt *vs = NULL, *ss = NULL;
    if ((rc = store_prepare(st, "SELECT id, created, origin, entities FROM versions ORDER BY id", &vs, err)) != 0)
        return rc;
    if ((rc = store_prepare(st, "SELECT s.source, s.published, s.sha256, s.entities, s.aliases, s.warnings,"
                                " s.unknown, s.persons, s.organizations, s.vessels, s.aircraft,"
                                " (SELECT count(*) FROM version_files f WHERE f.version = s.version AND f.source = s.source),"
                                " (SELECT coalesce(sum(size), 0) FROM version_files f WHERE f.version = s.version AND f.source = s.source)"
                                " FROM version_sources s WHERE s.version = ? ORDER BY s.source",
                            &ss, err)) != 0) {
        sqlite3_finalize(vs);
        return rc;
    }
    sanctum_list_version *v = NULL;
    size_t cnt = 0, cap = 0;
    int oom = 0, step;
    while ((step = sqlite3_step(vs)) == SQLITE_ROW) {
        if (cnt == cap) {
            size_t nc = cap ? cap * 2 : 8;
            sanctum_list_version *nv = realloc(v, nc * sizeof *nv);
            if (!nv) { oom = 1; break; }
            v = nv;
            cap = nc;
        }
        sanctum_list_version *x = &v[cnt++];
        memset(x, 0, sizeof *x);
        x->id = sqlite3_column_int64(vs, 0);
        x->created = store_column_dup(vs, 1, &oom);
        x->origin = store_column_dup(vs, 2, &oom);
        x->entities = (size_t)sqlite3_column_int64(vs, 3);
        x->active = x->id == act;
        sqlite3_reset(ss);
        sqlite3_bind_int64(ss, 1, x->id);
        size_t scap = 0;
        while (!oom && sqlite3_step(ss) == SQLITE_ROW) {
            if (x->n_sources == scap) {
                size_t nc = scap ? scap * 2 : 4;
                sanctum_list_version_source *ns = realloc(x->sources, nc * sizeof *ns);
                if (!ns) { oom = 1; break; }
                x->sources = ns;
                scap = nc;
            }
            sanctum_list_version_source *s = &x->sources[x->n_sources++];
            memset(s, 0, sizeof *s);
            s->source = store_column_dup(ss, 0, &oom);
            s->published = store_column_dup(ss, 1, &oom);
            s->sha256 = store_column_dup(ss, 2, &oom);
            s->entities = (size_t)sqlite3_column_int64(ss, 3);
            s->aliases = (size_t)sqlite3_column_int64(ss, 4);
            s->warnings = (size_t)sqlite3_column_int64(ss, 5);
            for (int t = 0; t < 5; t++) s->by_type[t] = (size_t)sqlite3_column_int64(ss, 6 + t);
            s->files = (size_t)sqlite3_column_int64(ss, 11);
            s->bytes = (unsigned long long)sqlite3_column_int64(ss, 12);
        }
        if (oom) break;
    }
    if (!oom && step != SQLITE_DONE && step != SQLITE_ROW) rc = store_fail(st, "reading the versions", err);
    sqlite3_finalize(vs);
    sqlite3_finalize(ss);
    if (oom) rc = sanctum_error_set(err, SANCTUM_ENOMEM, st->path, 0, "out of memory");
    if (rc != 0) {
        sanctum_versions_free(v, cnt);
        return rc;
    }
    *out = v;
    *n = cnt;
    return 0;
}

/* ---- storing a folder ------------------------------------------------------------- */

static int read_all(const char *path, unsigned char **out, size_t *len, sanctum_error *err)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return sanctum_error_set(err, SANCTUM_EIO, path, 0, "cannot open: %s", strerror(errno));
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fclose(f);
        return sanctum_error_set(err, SANCTUM_EIO, path, 0, "not a regular file");
    }
    if ((unsigned long long)sb.st_size > MAX_FILE_BYTES) {
        fclose(f);
        return sanctum_error_set(err, SANCTUM_ELIMIT, path, 0, "file is larger than %llu bytes", MAX_FILE_BYTES);
    }
    size_t size = (size_t)sb.st_size;
    unsigned char *buf = malloc(size ? size : 1);
    if (!buf) {
        fclose(f);
        return sanctum_error_set(err, SANCTUM_ENOMEM, path, 0, "out of memory reading the file");
    }
    size_t got = size ? fread(buf, 1, size, f) : 0;
    int bad = got != size || ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return sanctum_error_set(err, SANCTUM_EIO, path, 0, "read error (the file changed while being read?)");
    }
    *out = buf;
    *len = size;
    return 0;
}

/* "<folder>/<file>": the last two components of a path. */
static const char *rel_path(const char *path)
{
    const char *end = path + strlen(path), *p = end;
    int slashes = 0;
    while (p > path) {
        if (p[-1] == '/' && ++slashes == 2) break;
        p--;
    }
    return p;
}

/* The previous version's numbers for one source; found = 0 when it had none. */
static int old_source(sanctum_store *st, long long ver, const char *source, int *found, long long *entities,
                      char sha[65], sanctum_error *err)
{
    *found = 0;
    if (ver == 0) return 0;
    sqlite3_stmt *s;
    int rc = store_prepare(st, "SELECT entities, sha256 FROM version_sources WHERE version = ? AND source = ?", &s, err);
    if (rc != 0) return rc;
    sqlite3_bind_int64(s, 1, ver);
    sqlite3_bind_text(s, 2, source, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW) {
        *found = 1;
        *entities = sqlite3_column_int64(s, 0);
        snprintf(sha, 65, "%s", sqlite3_column_text(s, 1) ? (const char *)sqlite3_column_text(s, 1) : "");
    }
    sqlite3_finalize(s);
    return 0;
}

static int store_source_files(sanctum_store *st, long long ver, const sanctum_source_info *si, sanctum_error *err)
{
    sqlite3_stmt *blob = NULL, *file = NULL;
    int rc = store_prepare(st, "INSERT OR IGNORE INTO blobs(sha256, size, data) VALUES(?, ?, ?)", &blob, err);
    if (rc == 0)
        rc = store_prepare(st, "INSERT INTO version_files(version, source, ord, path, sha256, size) VALUES(?, ?, ?, ?, ?, ?)",
                           &file, err);
    EVP_MD_CTX *all = EVP_MD_CTX_new();
    if (rc == 0 && (!all || !EVP_DigestInit_ex(all, EVP_sha256(), NULL)))
        rc = sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; rc == 0 && i < si->n_files; i++) {
        unsigned char *bytes;
        size_t len;
        if ((rc = read_all(si->files[i], &bytes, &len, err)) != 0) break;
        EVP_DigestUpdate(all, bytes, len);
        char hex[65];
        store_sha256_hex(bytes, len, hex);
        sqlite3_reset(blob);
        sqlite3_bind_text(blob, 1, hex, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(blob, 2, (sqlite3_int64)len);
        sqlite3_bind_blob64(blob, 3, bytes, len, SQLITE_STATIC);
        if (sqlite3_step(blob) != SQLITE_DONE) rc = store_fail(st, "storing a list file", err);
        sqlite3_clear_bindings(blob);
        free(bytes);
        if (rc != 0) break;
        sqlite3_reset(file);
        sqlite3_bind_int64(file, 1, ver);
        sqlite3_bind_text(file, 2, si->name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(file, 3, (sqlite3_int64)i);
        sqlite3_bind_text(file, 4, rel_path(si->files[i]), -1, SQLITE_STATIC);
        sqlite3_bind_text(file, 5, hex, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(file, 6, (sqlite3_int64)len);
        if (sqlite3_step(file) != SQLITE_DONE) rc = store_fail(st, "recording a list file", err);
    }
    if (rc == 0 && si->sha256) {
        /* the bytes stored must be the bytes that were validated */
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int n = 0;
        char hex[65] = "";
        EVP_DigestFinal_ex(all, md, &n);
        for (unsigned i = 0; i < n && i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", md[i]);
        if (strcmp(hex, si->sha256) != 0)
            rc = sanctum_error_set(err, SANCTUM_EIO, si->n_files ? si->files[0] : NULL, 0,
                                   "the %s files changed while they were being stored; try again", si->name);
    }
    EVP_MD_CTX_free(all);
    sqlite3_finalize(blob);
    sqlite3_finalize(file);
    return rc;
}

static int store_source_row(sanctum_store *st, long long ver, const sanctum_source_info *si, sanctum_error *err)
{
    sqlite3_stmt *s;
    int rc = store_prepare(st, "INSERT INTO version_sources(version, source, published, sha256, entities, unknown,"
                               " persons, organizations, vessels, aircraft, aliases, warnings)"
                               " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           &s, err);
    if (rc != 0) return rc;
    sqlite3_bind_int64(s, 1, ver);
    sqlite3_bind_text(s, 2, si->name, -1, SQLITE_STATIC);
    if (si->published) sqlite3_bind_text(s, 3, si->published, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, si->sha256 ? si->sha256 : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, (sqlite3_int64)si->entities);
    for (int t = 0; t < 5; t++) sqlite3_bind_int64(s, 6 + t, (sqlite3_int64)si->by_type[t]);
    sqlite3_bind_int64(s, 11, (sqlite3_int64)si->aliases);
    sqlite3_bind_int64(s, 12, (sqlite3_int64)si->n_warnings);
    if (sqlite3_step(s) != SQLITE_DONE) rc = store_fail(st, "recording a source", err);
    sqlite3_finalize(s);
    return rc;
}

static int store_entities(sanctum_store *st, long long ver, const sanctum_dataset *ds, sanctum_error *err)
{
    sqlite3_stmt *fs = NULL, *es = NULL;
    int rc = store_prepare(st, "INSERT OR IGNORE INTO facets(hash, facets) VALUES(?, ?)", &fs, err);
    if (rc == 0)
        rc = store_prepare(st, "INSERT INTO entity_versions(version, entity, source, hash, name) VALUES(?, ?, ?, ?, ?)",
                           &es, err);
    sanctum_strbuf facets = SANCTUM_STRBUF_INIT;
    for (size_t i = 0; rc == 0 && i < sanctum_dataset_count(ds); i++) {
        const sanctum_entity *e = sanctum_dataset_entity(ds, i);
        char hash[33];
        sanctum_strbuf_reset(&facets);
        if ((rc = store_entity_canon(e, &facets, hash)) != 0) {
            rc = sanctum_error_set(err, rc, NULL, 0, "out of memory hashing entity %s", e->id);
            break;
        }
        sqlite3_reset(fs);
        sqlite3_bind_text(fs, 1, hash, -1, SQLITE_STATIC);
        sqlite3_bind_text(fs, 2, sanctum_strbuf_cstr(&facets), (int)facets.len, SQLITE_STATIC);
        if (sqlite3_step(fs) != SQLITE_DONE) {
            rc = store_fail(st, "storing entity facts", err);
            break;
        }
        sqlite3_reset(es);
        sqlite3_bind_int64(es, 1, ver);
        sqlite3_bind_text(es, 2, e->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(es, 3, e->source, -1, SQLITE_STATIC);
        sqlite3_bind_text(es, 4, hash, -1, SQLITE_STATIC);
        if (e->n_names && e->names[0].full) sqlite3_bind_text(es, 5, e->names[0].full, -1, SQLITE_STATIC);
        else sqlite3_bind_null(es, 5);
        if (sqlite3_step(es) != SQLITE_DONE) {
            rc = (sqlite3_errcode(st->db) & 0xff) == SQLITE_CONSTRAINT
                     ? sanctum_error_set(err, SANCTUM_EPARSE, NULL, 0, "entity id %s appears twice", e->id)
                     : store_fail(st, "storing entity hashes", err);
            break;
        }
    }
    sanctum_strbuf_free(&facets);
    sqlite3_finalize(fs);
    sqlite3_finalize(es);
    return rc;
}

/* Copies one source of version `from` into version `to`. */
static int carry_source(sanctum_store *st, long long from, long long to, const char *source, sanctum_error *err)
{
    static const char *const sql[] = {
        "INSERT INTO version_sources SELECT ?2, source, published, sha256, entities, unknown, persons, organizations,"
        " vessels, aircraft, aliases, warnings FROM version_sources WHERE version = ?1 AND source = ?3",
        "INSERT INTO version_files SELECT ?2, source, ord, path, sha256, size FROM version_files"
        " WHERE version = ?1 AND source = ?3",
        "INSERT INTO entity_versions SELECT ?2, entity, source, hash, name FROM entity_versions"
        " WHERE version = ?1 AND source = ?3",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        sqlite3_stmt *s;
        int rc = store_prepare(st, sql[i], &s, err);
        if (rc != 0) return rc;
        sqlite3_bind_int64(s, 1, from);
        sqlite3_bind_int64(s, 2, to);
        sqlite3_bind_text(s, 3, source, -1, SQLITE_STATIC);
        if (sqlite3_step(s) != SQLITE_DONE) rc = store_fail(st, "carrying a source over", err);
        sqlite3_finalize(s);
        if (rc != 0) return rc;
    }
    return 0;
}

static int count_query(sanctum_store *st, const char *sql, long long a, long long b, size_t *out, sanctum_error *err)
{
    sqlite3_stmt *s;
    int rc = store_prepare(st, sql, &s, err);
    if (rc != 0) return rc;
    sqlite3_bind_int64(s, 1, a);
    sqlite3_bind_int64(s, 2, b);
    if (sqlite3_step(s) == SQLITE_ROW) *out = (size_t)sqlite3_column_int64(s, 0);
    else rc = store_fail(st, "counting changes", err);
    sqlite3_finalize(s);
    return rc;
}

int sanctum_store_update_dir(sanctum_store *st, const char *dir, const sanctum_update_options *opts,
                             sanctum_update_report *report, sanctum_error *err)
{
    sanctum_update_options defaults = SANCTUM_UPDATE_OPTIONS_INIT;
    if (!opts) opts = &defaults;
    sanctum_update_report rep;
    memset(&rep, 0, sizeof rep);
    double max_drop = opts->max_drop > 0 ? opts->max_drop : 0.10;

    sanctum_load_options lo = SANCTUM_LOAD_OPTIONS_INIT;
    lo.data_dir = dir;
    lo.strict = opts->strict;
    sanctum_dataset *ds = NULL;
    int rc = active_id(st, &rep.previous, err);
    if (rc == 0) rc = sanctum_dataset_load(&ds, &lo, err);
    if (rc == 0 && sanctum_dataset_source_count(ds) == 0)
        rc = sanctum_error_set(err, SANCTUM_ENOTFOUND, dir, 0, "no list files found in this folder");
    if (rc != 0) goto done;

    /* refuse implausible drops; note whether anything changed */
    int same = rep.previous != 0;
    for (size_t i = 0; i < sanctum_dataset_source_count(ds); i++) {
        const sanctum_source_info *si = sanctum_dataset_source(ds, i);
        int found;
        long long old_n = 0;
        char old_sha[65] = "";
        if ((rc = old_source(st, rep.previous, si->name, &found, &old_n, old_sha, err)) != 0) goto done;
        if (!found || !si->sha256 || strcmp(old_sha, si->sha256) != 0) same = 0;
        if (found && old_n > 0 && (double)si->entities < (double)old_n * (1.0 - max_drop) && !opts->force) {
            rc = sanctum_error_set(err, SANCTUM_EINVAL, si->n_files ? si->files[0] : dir, 0,
                                   "%s would drop from %lld to %zu entities (%.1f%% fewer, more than the %.0f%% allowed);"
                                   " refused, version %lld stays active (use --force to accept)",
                                   si->name, old_n, si->entities, 100.0 * (double)(old_n - (long long)si->entities) / (double)old_n,
                                   100.0 * max_drop, rep.previous);
            goto done;
        }
    }
    if (same) {
        rep.unchanged = 1;
        rep.version = rep.previous;
        goto done;
    }

    if ((rc = store_begin(st, err)) != 0) goto done;
    char now[32];
    store_now(now);
    sqlite3_stmt *s;
    if ((rc = store_prepare(st, "INSERT INTO versions(created, origin) VALUES(?, ?)", &s, err)) != 0) goto rollback;
    sqlite3_bind_text(s, 1, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, opts->origin ? opts->origin : dir, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE) rc = store_fail(st, "creating the version", err);
    sqlite3_finalize(s);
    if (rc != 0) goto rollback;
    rep.version = sqlite3_last_insert_rowid(st->db);

    for (size_t i = 0; i < sanctum_dataset_source_count(ds); i++) {
        const sanctum_source_info *si = sanctum_dataset_source(ds, i);
        if ((rc = store_source_row(st, rep.version, si, err)) != 0) goto rollback;
        if ((rc = store_source_files(st, rep.version, si, err)) != 0) goto rollback;
    }
    if ((rc = store_entities(st, rep.version, ds, err)) != 0) goto rollback;

    /* sources the folder lacks stay as they were */
    if (rep.previous) {
        if ((rc = store_prepare(st, "SELECT source FROM version_sources WHERE version = ? ORDER BY source", &s, err)) != 0)
            goto rollback;
        sqlite3_bind_int64(s, 1, rep.previous);
        while (rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
            const char *src = (const char *)sqlite3_column_text(s, 0);
            int present = 0;
            for (size_t i = 0; src && i < sanctum_dataset_source_count(ds); i++)
                if (strcmp(sanctum_dataset_source(ds, i)->name, src) == 0) present = 1;
            if (!src || present) continue;
            char name[64];
            snprintf(name, sizeof name, "%s", src);
            rc = carry_source(st, rep.previous, rep.version, name, err);
            rep.carried++;
        }
        sqlite3_finalize(s);
        if (rc != 0) goto rollback;
    }
    if ((rc = store_prepare(st, "UPDATE versions SET entities = (SELECT count(*) FROM entity_versions WHERE version = ?1)"
                                " WHERE id = ?1", &s, err)) != 0)
        goto rollback;
    sqlite3_bind_int64(s, 1, rep.version);
    if (sqlite3_step(s) != SQLITE_DONE) rc = store_fail(st, "counting entities", err);
    sqlite3_finalize(s);
    if (rc != 0) goto rollback;
    if ((rc = set_active(st, rep.version, err)) != 0) goto rollback;
    if ((rc = store_commit(st, err)) != 0) goto rollback;

    if (rep.previous) {
        count_query(st, "SELECT count(*) FROM entity_versions n WHERE n.version = ?2 AND NOT EXISTS"
                        " (SELECT 1 FROM entity_versions o WHERE o.version = ?1 AND o.entity = n.entity)",
                    rep.previous, rep.version, &rep.added, NULL);
        count_query(st, "SELECT count(*) FROM entity_versions o WHERE o.version = ?1 AND NOT EXISTS"
                        " (SELECT 1 FROM entity_versions n WHERE n.version = ?2 AND n.entity = o.entity)",
                    rep.previous, rep.version, &rep.removed, NULL);
        count_query(st, "SELECT count(*) FROM entity_versions o JOIN entity_versions n ON n.entity = o.entity"
                        " WHERE o.version = ?1 AND n.version = ?2 AND n.hash <> o.hash",
                    rep.previous, rep.version, &rep.changed, NULL);
    } else {
        rep.added = sanctum_dataset_count(ds);
    }
    goto done;
rollback:
    store_rollback(st);
done:
    sanctum_dataset_free(ds);
    if (report) *report = rep;
    return rc;
}

/* ---- loading a stored version ------------------------------------------------------- */

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    remove(path);
    return 0;
}

static void remove_tree(const char *path)
{
    nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int write_file(const char *path, const void *data, size_t len, sanctum_error *err)
{
    FILE *f = fopen(path, "wb");
    if (!f) return sanctum_error_set(err, SANCTUM_EIO, path, 0, "cannot create: %s", strerror(errno));
    int bad = len && fwrite(data, 1, len, f) != len;
    if (fclose(f) != 0) bad = 1;
    return bad ? sanctum_error_set(err, SANCTUM_EIO, path, 0, "cannot write: %s", strerror(errno)) : 0;
}

/* Writes version `ver`'s files under a fresh folder, then renames it into place. */
static int materialize(sanctum_store *st, long long ver, const char *vdir, sanctum_error *err)
{
    char root[PATH_MAX], tmp[PATH_MAX];
    snprintf(root, sizeof root, "%s.versions", st->path);
    if (mkdir(root, 0700) != 0 && errno != EEXIST)
        return sanctum_error_set(err, SANCTUM_EIO, root, 0, "cannot create folder: %s", strerror(errno));
    if (snprintf(tmp, sizeof tmp, "%s/.tmp-XXXXXX", root) >= (int)sizeof tmp)
        return sanctum_error_set(err, SANCTUM_ELIMIT, root, 0, "path too long");
    if (!mkdtemp(tmp)) return sanctum_error_set(err, SANCTUM_EIO, root, 0, "cannot create a folder: %s", strerror(errno));
    sqlite3_stmt *s;
    int rc = store_prepare(st, "SELECT f.path, f.sha256, b.data FROM version_files f JOIN blobs b ON b.sha256 = f.sha256"
                               " WHERE f.version = ? ORDER BY f.source, f.ord", &s, err);
    if (rc == 0) {
        sqlite3_bind_int64(s, 1, ver);
        int step;
        while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
            const char *rel = (const char *)sqlite3_column_text(s, 0);
            const char *sha = (const char *)sqlite3_column_text(s, 1);
            const void *data = sqlite3_column_blob(s, 2);
            size_t len = (size_t)sqlite3_column_bytes(s, 2);
            char hex[65];
            store_sha256_hex(data ? data : "", len, hex);
            if (!rel || !sha || strcmp(hex, sha) != 0 || strstr(rel, "..") || rel[0] == '/') {
                rc = sanctum_error_set(err, SANCTUM_EIO, st->path, 0, "stored file %s of version %lld is damaged",
                                       rel ? rel : "?", ver);
                break;
            }
            char path[PATH_MAX];
            if (snprintf(path, sizeof path, "%s/%s", tmp, rel) >= (int)sizeof path) {
                rc = sanctum_error_set(err, SANCTUM_ELIMIT, tmp, 0, "path too long");
                break;
            }
            char *slash = strrchr(path, '/');
            *slash = '\0';
            if (mkdir(path, 0700) != 0 && errno != EEXIST) {
                rc = sanctum_error_set(err, SANCTUM_EIO, path, 0, "cannot create folder: %s", strerror(errno));
                break;
            }
            *slash = '/';
            rc = write_file(path, data, len, err);
        }
        if (rc == 0 && step != SQLITE_DONE) rc = store_fail(st, "reading stored files", err);
        sqlite3_finalize(s);
    }
    if (rc == 0 && rename(tmp, vdir) != 0) {
        if (errno != EEXIST && errno != ENOTEMPTY)
            rc = sanctum_error_set(err, SANCTUM_EIO, vdir, 0, "cannot create: %s", strerror(errno));
        remove_tree(tmp);  /* someone else wrote it first */
    } else if (rc != 0) {
        remove_tree(tmp);
    }
    return rc;
}

/* Whether every loaded source has the hash the version recorded. */
static int hashes_match(sanctum_store *st, long long ver, const sanctum_dataset *ds, int *match, sanctum_error *err)
{
    sqlite3_stmt *s;
    int rc = store_prepare(st, "SELECT sha256 FROM version_sources WHERE version = ? AND source = ?", &s, err);
    if (rc != 0) return rc;
    *match = 1;
    for (size_t i = 0; i < sanctum_dataset_source_count(ds); i++) {
        const sanctum_source_info *si = sanctum_dataset_source(ds, i);
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, ver);
        sqlite3_bind_text(s, 2, si->name, -1, SQLITE_STATIC);
        if (sqlite3_step(s) != SQLITE_ROW || !si->sha256 || !sqlite3_column_text(s, 0) ||
            strcmp((const char *)sqlite3_column_text(s, 0), si->sha256) != 0)
            *match = 0;
    }
    sqlite3_finalize(s);
    return 0;
}

int sanctum_store_load(sanctum_dataset **out, sanctum_store *st, long long version, const sanctum_load_options *opts,
                       sanctum_error *err)
{
    *out = NULL;
    int rc;
    if (version == 0 && (rc = sanctum_store_active(st, &version, err)) != 0) return rc;
    sqlite3_stmt *s;
    if ((rc = store_prepare(st, "SELECT 1 FROM versions WHERE id = ?", &s, err)) != 0) return rc;
    sqlite3_bind_int64(s, 1, version);
    int found = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_finalize(s);
    if (!found) return sanctum_error_set(err, SANCTUM_ENOTFOUND, st->path, 0, "no list version %lld", version);

    char vdir[PATH_MAX];
    if (snprintf(vdir, sizeof vdir, "%s.versions/%lld", st->path, version) >= (int)sizeof vdir)
        return sanctum_error_set(err, SANCTUM_ELIMIT, st->path, 0, "path too long");
    sanctum_load_options lo = SANCTUM_LOAD_OPTIONS_INIT;
    if (opts) lo = *opts;
    lo.data_dir = vdir;
    for (int attempt = 0; attempt < 2; attempt++) {
        struct stat sb;
        if (stat(vdir, &sb) != 0 && (rc = materialize(st, version, vdir, err)) != 0) return rc;
        sanctum_dataset *ds = NULL;
        rc = sanctum_dataset_load(&ds, &lo, err);
        int match = 0;
        if (rc == 0 && (rc = hashes_match(st, version, ds, &match, err)) == 0 && match) {
            *out = ds;
            return 0;
        }
        sanctum_dataset_free(ds);
        if (rc == SANCTUM_ESTRICT || rc == SANCTUM_ENOMEM) return rc;
        remove_tree(vdir);  /* a damaged or stale cache: write it again */
    }
    if (rc == 0) rc = sanctum_error_set(err, SANCTUM_EIO, vdir, 0, "the files of version %lld do not match their hashes", version);
    return rc;
}
