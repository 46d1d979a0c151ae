/*
 * server_internal.h - what the parts of the HTTP server share: the
 * reference-counted data snapshot, the metrics, the response cache, the audit
 * hook, the embedded web assets and the endpoint handlers.
 */
#ifndef SANCTUM_SERVER_INTERNAL_H
#define SANCTUM_SERVER_INTERNAL_H

#include <stdatomic.h>
#include <stddef.h>
#include <time.h>

#include "sanctum.h"
#include "server.h"

/* ---- the snapshot: lists, name index and wallet/document index ------------- */

/* Everything a request reads, loaded together and swapped together. A
 * request holds the snapshot for its whole life (through its thread's hazard
 * slot, else a counted reference), so a reload never frees data under it;
 * the snapshot is freed once it is no longer current and nobody holds it. */
typedef struct server_snapshot {
    atomic_long refs;           /* counted references, the current one included */
    struct server_snapshot *retired_next; /* in the list of those waiting to be freed */
    unsigned long generation;   /* 1 for the first load, +1 per reload */
    time_t loaded_at;
    sanctum_dataset *ds;
    sanctum_index *idx;
    sanctum_ident_index *ident;
    char *lists_json;           /* the body of GET /v1/lists */
    char *versions;             /* "ofac-sdn=<sha256>,un-sc=<sha256>": what was screened against */
} server_snapshot;

/* Loads the lists and builds both indexes. Returns 0 or a negative code with
 * err filled in. The snapshot starts with one reference. */
int server_snapshot_load(server_snapshot **out, const server_config *cfg, unsigned long generation,
                         sanctum_error *err);
/* The current snapshot, held until server_snapshot_release(); never NULL
 * once installed. Cheap: no lock and no shared write on the common path. */
server_snapshot *server_snapshot_acquire(void);
void server_snapshot_release(server_snapshot *s);
/* Makes s current (taking over the caller's reference) and drops the
 * reference held on the previous one. Pass NULL to clear at shutdown. */
void server_snapshot_install(server_snapshot *s);

/* ---- metrics --------------------------------------------------------------- */

typedef enum server_route {
    ROUTE_PAGE = 0,     /* the web page and its assets */
    ROUTE_HEALTHZ,
    ROUTE_LISTS,
    ROUTE_SEARCH,
    ROUTE_SCREEN,
    ROUTE_BATCH,
    ROUTE_ENTITY,
    ROUTE_METRICS,
    ROUTE_OPENAPI,
    ROUTE_ALERTS,       /* GET /v1/alerts */
    ROUTE_ALERT_RESOLVE,/* POST /v1/alerts/{id}/resolve */
    ROUTE_OTHER,        /* anything unknown (404) */
    ROUTE_COUNT
} server_route;

/* Counters kept per thread (metrics.c) and added up when read. */
typedef enum server_counter {
    SERVER_COUNT_STARTED,       /* requests whose headers arrived */
    SERVER_COUNT_FINISHED,      /* requests completed or cut off */
    SERVER_COUNT_SCREENINGS,    /* screenings through the audit hook */
    SERVER_COUNT__N
} server_counter;

void server_count(server_counter c);                 /* +1, on this thread's counter */
unsigned long long server_count_total(server_counter c);

/* This thread's hazard slot: the snapshot it is reading, which must not be
 * freed while the slot holds it. NULL when the thread has no block of its
 * own (out of memory). */
_Atomic(server_snapshot *) *server_thread_hazard(void);
/* Whether any thread's slot holds s. */
int server_thread_hazard_held(const server_snapshot *s);

const char *server_route_name(server_route r);
void server_metrics_record(server_route r, unsigned status, double seconds);
/* The Prometheus text form; malloc'd. */
char *server_metrics_text(const server_snapshot *snap);

/* ---- the search response cache ----------------------------------------------- */

/* Bounded, direct-mapped cache of recent GET /v1/search bodies, keyed by the
 * snapshot generation and the canonical query. Returns a malloc'd copy or NULL. */
char *server_cache_get(unsigned long generation, const char *key);
void server_cache_put(unsigned long generation, const char *key, const char *body);
void server_cache_clear(void);

/* ---- the audit trail ---------------------------------------------------------- */

/* One screening, as the audit trail keeps it. */
typedef struct server_audit_record {
    const char *who;            /* the API key's name; "anonymous" without keys */
    const char *route;          /* "search", "screen" or "batch" */
    const sanctum_query *query; /* the name query (search, screen); NULL for batch records */
    const char *record;         /* the query as sent: the JSON object of screen or of one batch
                                   record (NULL for search and for CSV batch rows) */
    const char *result_json;    /* the hits: the response object, or one batch result line */
    const char *list_versions;  /* server_snapshot.versions */
    const server_snapshot *snap;/* the data screened against */
    double threshold;           /* the min_score in force */
} server_audit_record;

/* Opens the audit store ($SANCTUM_DB, else $SANCTUM_HOME/sanctum.db, else the
 * default path) when on is non-zero. Returns 0 or a negative code with err
 * filled in. */
int server_audit_open(int on, sanctum_error *err);
void server_audit_close(void);
/* Every screening the server makes passes through here, cached or not. */
void server_audit_screening(const server_audit_record *rec);
/* How many screenings passed through the hook (for /metrics). */
unsigned long long server_audit_count(void);
/* The audit store with its lock taken, or NULL (lock not held) when the
 * store is not open. Every non-NULL return must be paired with
 * server_audit_store_unlock(); the handle is only valid in between. */
sanctum_store *server_audit_store_lock(void);
void server_audit_store_unlock(void);

/* ---- the embedded assets (generated from web/ at build time) ---------------- */

typedef struct server_asset {
    const char *path;           /* "/", "/app.js", "/openapi.yaml", ... */
    const char *content_type;
    const unsigned char *data;
    size_t size;
} server_asset;

extern const server_asset server_assets[];
extern const size_t server_asset_count;

/* ---- responses and handlers --------------------------------------------------- */

/* What a handler produced: status, a malloc'd body and its content type. */
typedef struct server_reply {
    unsigned status;
    char *body;                 /* malloc'd; NULL with a static body */
    const unsigned char *static_body;
    size_t size;
    const char *content_type;
    const char *allow;          /* Allow header for 405 */
} server_reply;

/* Sets *rep to a JSON error {"error": {"status": N, "message": "..."}}. */
void server_reply_error(server_reply *rep, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Takes ownership of json (malloc'd). */
void server_reply_json(server_reply *rep, unsigned status, char *json);

/* Whether s (len bytes) is well-formed UTF-8 (no overlongs, surrogates or
 * code points above U+10FFFF). */
int server_utf8_valid(const char *s, size_t len);

/* Handler context: the request's snapshot and who made it. */
typedef struct server_ctx {
    const server_config *cfg;
    server_snapshot *snap;
    const char *who;
} server_ctx;

struct MHD_Connection;
void server_handle_search(const server_ctx *c, struct MHD_Connection *conn, server_reply *rep);
void server_handle_screen(const server_ctx *c, const char *body, size_t len, server_reply *rep);
void server_handle_batch(const server_ctx *c, struct MHD_Connection *conn, const char *body, size_t len,
                         server_reply *rep);
void server_handle_entity(const server_ctx *c, const char *id, server_reply *rep);
void server_handle_lists(const server_ctx *c, server_reply *rep);
void server_handle_healthz(const server_ctx *c, server_reply *rep);
void server_handle_alerts(const server_ctx *c, struct MHD_Connection *conn, server_reply *rep);
/* tail: what follows "/v1/alerts/" in the path, "{id}/resolve". */
void server_handle_alert_resolve(const server_ctx *c, const char *tail, const char *body, size_t len,
                                 server_reply *rep);

#endif
