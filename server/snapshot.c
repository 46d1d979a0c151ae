/*
 * snapshot.c - the data every request reads (the lists, the name index and
 * the wallet/document index), loaded together and swapped atomically.
 *
 * The current snapshot sits behind a mutex held only long enough to copy the
 * pointer and take a reference. A reload builds a complete new snapshot off
 * to the side, then installs it; the old one is freed when the last request
 * that holds it lets go. The mutex makes "read the pointer, then take a
 * reference" one step, so a request can never take a reference on a snapshot
 * that is already being freed.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "server_internal.h"

static pthread_mutex_t current_lock = PTHREAD_MUTEX_INITIALIZER;
static server_snapshot *current;

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

server_snapshot *server_snapshot_acquire(void)
{
    pthread_mutex_lock(&current_lock);
    server_snapshot *s = current;
    if (s) atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
    pthread_mutex_unlock(&current_lock);
    return s;
}

void server_snapshot_release(server_snapshot *s)
{
    if (s && atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) == 1) snapshot_free(s);
}

void server_snapshot_install(server_snapshot *s)
{
    pthread_mutex_lock(&current_lock);
    server_snapshot *old = current;
    current = s;
    pthread_mutex_unlock(&current_lock);
    server_snapshot_release(old);
}
