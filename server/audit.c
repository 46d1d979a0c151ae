/*
 * audit.c - the one place every screening made by the server passes through,
 * with who asked (the API key's name), the query, the hits and the lists it
 * was screened against.
 *
 * With the audit trail on (`serve --audit`, or SANCTUM_HOME set) each
 * screening is appended to the audit store (include/sanctum/store.h): the
 * query object, the array of hits, the threshold, and the description of the
 * lists of the snapshot used, computed once per snapshot generation. The
 * store handle serves one thread at a time, so appends are serialized by a
 * mutex. The screened name is personal data: it goes to the store only,
 * never to a log line; a failed append is reported without it.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "server_internal.h"

static atomic_int trail_on;                /* the trail is open: checked before taking the lock */
static atomic_ullong failures;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static sanctum_store *store;          /* NULL: the trail is off */
static unsigned long lists_generation; /* which snapshot lists_json describes */
static char *lists_json;

int server_audit_open(int on, sanctum_error *err)
{
    if (!on) return 0;
    int rc = sanctum_store_open(&store, NULL, SANCTUM_STORE_CREATE, err);
    if (rc == 0) atomic_store(&trail_on, 1);
    if (rc == 0)
        fprintf(stderr, "sanctum: recording every screening in %s\n", sanctum_store_path(store));
    return rc;
}

void server_audit_close(void)
{
    atomic_store(&trail_on, 0);
    pthread_mutex_lock(&lock);
    sanctum_store_close(store);
    store = NULL;
    sanctum_string_free(lists_json);
    lists_json = NULL;
    pthread_mutex_unlock(&lock);
}

unsigned long long server_audit_count(void)
{
    return server_count_total(SERVER_COUNT_SCREENINGS);
}

/* Appends one record; called with the lock held. */
static void append(const server_audit_record *rec)
{
    json_t *result = json_loads(rec->result_json, 0, NULL), *query = NULL;
    json_t *hits = result ? json_object_get(result, "hits") : NULL;
    if (!hits) {   /* a batch record that could not be screened: nothing was screened */
        json_decref(result);
        return;
    }
    if (rec->query) {
        query = json_incref(json_object_get(result, "query"));
    } else if (rec->record) {
        query = json_loads(rec->record, 0, NULL);
    }
    if (!query) query = json_object();
    json_t *id = json_object_get(result, "id");
    if (id && json_is_object(query) && !json_object_get(query, "id")) json_object_set(query, "id", id);
    if (json_is_object(query)) json_object_set_new(query, "route", json_string(rec->route));
    char *qtext = json_dumps(query, JSON_COMPACT), *htext = json_dumps(hits, JSON_COMPACT);
    if (rec->snap && (!lists_json || lists_generation != rec->snap->generation)) {
        sanctum_string_free(lists_json);
        lists_json = sanctum_store_lists_json(store, rec->snap->ds);
        lists_generation = rec->snap->generation;
    }
    sanctum_audit_entry e = { rec->who, qtext, lists_json, htext, rec->threshold };
    sanctum_error err;
    if (!qtext || !htext || sanctum_audit_append(store, &e, NULL, &err) != 0) {
        unsigned long long n = atomic_fetch_add(&failures, 1);
        if (n < 10) fprintf(stderr, "sanctum: the audit trail could not record a screening\n");
    }
    free(qtext);
    free(htext);
    json_decref(query);
    json_decref(result);
}

void server_audit_screening(const server_audit_record *rec)
{
    server_count(SERVER_COUNT_SCREENINGS);
    if (!rec || !rec->result_json || !atomic_load_explicit(&trail_on, memory_order_relaxed)) return;
    pthread_mutex_lock(&lock);
    if (store) append(rec);
    pthread_mutex_unlock(&lock);
}

sanctum_store *server_audit_store_lock(void)
{
    if (!atomic_load(&trail_on)) return NULL;
    pthread_mutex_lock(&lock);
    if (!store) {
        pthread_mutex_unlock(&lock);
        return NULL;
    }
    return store;
}

void server_audit_store_unlock(void)
{
    pthread_mutex_unlock(&lock);
}
