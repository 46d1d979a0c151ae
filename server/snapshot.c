/*
 * snapshot.c - the data every request reads (the lists, the name index and
 * the wallet/document index), loaded together and swapped atomically.
 *
 * A reload builds a complete new snapshot off to the side, then installs it;
 * the old one is freed when the last request that holds it lets go.
 *
 * Every request holds the snapshot, so holding must be cheap: a counted
 * reference behind a mutex costs two writes to shared cache lines per
 * request, which bounce between the cores. Instead a request publishes the
 * pointer in its thread's hazard slot (metrics.c) and checks that it is still
 * current; a snapshot that is no longer current goes to a retired list and is
 * freed once no slot holds it, by whoever notices first: the installer, or a
 * request letting go. The current snapshot also holds a counted reference,
 * and a thread without a slot of its own (out of memory) or one that holds
 * an older snapshot already falls back to counted references under the
 * mutex; a snapshot is retired when its count drops to zero.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "server_internal.h"

static pthread_mutex_t current_lock = PTHREAD_MUTEX_INITIALIZER; /* install and counted references */
static _Atomic(server_snapshot *) current;
static pthread_mutex_t retired_lock = PTHREAD_MUTEX_INITIALIZER;
static server_snapshot *retired;        /* no longer current, perhaps still held through a slot */
static atomic_int n_retired;
static _Thread_local unsigned slot_depth; /* nested holds through this thread's slot */

static void snapshot_free(server_snapshot *s)
{
    if (!s) return;
    free(s->lists_json);
    free(s->versions);
    sanctum_ident_index_free(s->ident);
    sanctum_index_free(s->idx);
    sanctum_dataset_free(s->ds);
    free(s);
}

/* The GET /v1/lists body and the versions string for the audit trail. */
static int describe(server_snapshot *s)
{
    json_t *root = json_object(), *sources = json_array();
    if (!root || !sources) {
        json_decref(root);
        json_decref(sources);
        return SANCTUM_ENOMEM;
    }
    size_t n = sanctum_dataset_source_count(s->ds), vlen = 1;
    for (size_t i = 0; i < n; i++) {
        const sanctum_source_info *si = sanctum_dataset_source(s->ds, i);
        char *text = sanctum_source_json(si);
        json_t *o = text ? json_loads(text, 0, NULL) : NULL;
        sanctum_string_free(text);
        if (!o || json_array_append_new(sources, o) != 0) {
            json_decref(root);
            json_decref(sources);
            return SANCTUM_ENOMEM;
        }
        vlen += strlen(si->name) + (si->sha256 ? strlen(si->sha256) : 0) + 2;
    }
    char when[32];
    struct tm tm;
    gmtime_r(&s->loaded_at, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_object_set_new(root, "generation", json_integer((json_int_t)s->generation));
    json_object_set_new(root, "loaded_at", json_string(when));
    json_object_set_new(root, "entities", json_integer((json_int_t)sanctum_dataset_count(s->ds)));
    json_object_set_new(root, "sources", sources);
    s->lists_json = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    s->versions = malloc(vlen);
    if (!s->lists_json || !s->versions) return SANCTUM_ENOMEM;
    s->versions[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const sanctum_source_info *si = sanctum_dataset_source(s->ds, i);
        if (i) strcat(s->versions, ",");
        strcat(s->versions, si->name);
        strcat(s->versions, "=");
        if (si->sha256) strcat(s->versions, si->sha256);
    }
    return 0;
}

int server_snapshot_load(server_snapshot **out, const server_config *cfg, unsigned long generation,
                         sanctum_error *err)
{
    *out = NULL;
    server_snapshot *s = calloc(1, sizeof *s);
    if (!s) {
        if (err) {
            memset(err, 0, sizeof *err);
            err->code = SANCTUM_ENOMEM;
            snprintf(err->message, sizeof err->message, "out of memory");
        }
        return SANCTUM_ENOMEM;
    }
    atomic_init(&s->refs, 1);
    s->generation = generation;
    s->loaded_at = time(NULL);
    sanctum_load_options opts = SANCTUM_LOAD_OPTIONS_INIT;
    opts.data_dir = cfg->data_dir;
    opts.sources = cfg->lists;
    opts.strict = cfg->strict;
    int rc = sanctum_dataset_load(&s->ds, &opts, err);
    if (rc == 0) rc = sanctum_index_build(&s->idx, s->ds, err);
    if (rc == 0) rc = sanctum_ident_index_build(&s->ident, s->ds, err);
    if (rc == 0) {
        rc = describe(s);
        if (rc != 0 && err) {
            memset(err, 0, sizeof *err);
            err->code = rc;
            snprintf(err->message, sizeof err->message, "out of memory");
        }
    }
    if (rc != 0) {
        snapshot_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

/* Frees the retired snapshots that no slot holds any more. */
static void reclaim(void)
{
    server_snapshot *done = NULL;
    pthread_mutex_lock(&retired_lock);
    server_snapshot **p = &retired;
    while (*p) {
        server_snapshot *s = *p;
        if (server_thread_hazard_held(s)) {
            p = &s->retired_next;
            continue;
        }
        *p = s->retired_next;
        s->retired_next = done;
        done = s;
        atomic_fetch_sub(&n_retired, 1);
    }
    pthread_mutex_unlock(&retired_lock);
    while (done) {
        server_snapshot *next = done->retired_next;
        snapshot_free(done);
        done = next;
    }
}

/* Drops a counted reference; the last one retires the snapshot. */
static void drop_ref(server_snapshot *s)
{
    if (atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) != 1) return;
    pthread_mutex_lock(&retired_lock);
    s->retired_next = retired;
    retired = s;
    atomic_fetch_add(&n_retired, 1);
    pthread_mutex_unlock(&retired_lock);
    reclaim();
}

server_snapshot *server_snapshot_acquire(void)
{
    _Atomic(server_snapshot *) *slot = server_thread_hazard();
    if (slot) {
        server_snapshot *held = atomic_load_explicit(slot, memory_order_relaxed);
        if (!held) {
            /* publish, then make sure it was still current once published:
             * from then on a reclaimer that retires it sees the slot */
            server_snapshot *s = atomic_load(&current);
            for (;;) {
                atomic_store(slot, s);
                server_snapshot *now = atomic_load(&current);
                if (now == s) break;
                s = now;
            }
            if (!s) {
                atomic_store(slot, NULL);
                return NULL;
            }
            slot_depth = 1;
            return s;
        }
        if (held == atomic_load(&current)) {
            slot_depth++;
            return held;
        }
    }
    pthread_mutex_lock(&current_lock);
    server_snapshot *s = atomic_load(&current);
    if (s) atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
    pthread_mutex_unlock(&current_lock);
    return s;
}

void server_snapshot_release(server_snapshot *s)
{
    if (!s) return;
    if (slot_depth) {
        _Atomic(server_snapshot *) *slot = server_thread_hazard();
        if (slot && atomic_load_explicit(slot, memory_order_relaxed) == s) {
            if (--slot_depth == 0) atomic_store(slot, NULL);
            if (atomic_load(&n_retired)) reclaim();
            return;
        }
    }
    drop_ref(s);
}

void server_snapshot_install(server_snapshot *s)
{
    pthread_mutex_lock(&current_lock);
    server_snapshot *old = atomic_exchange(&current, s);
    pthread_mutex_unlock(&current_lock);
    if (old) drop_ref(old);
}
