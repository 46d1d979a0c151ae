/*
 * server.c - the libmicrohttpd daemon behind `sanctum serve`: routing, API
 * keys, request limits, metrics per request, and the signal loop that
 * reloads the lists (SIGHUP) and drains before exiting (SIGTERM, SIGINT).
 *
 * Requests are served by libmicrohttpd's internal thread pool: one event
 * loop per thread (epoll on Linux), keep-alive connections, one recv and one
 * sendmsg per request. Measured on two cores, it costs less CPU per request
 * than a thread per connection. The per-request path takes no lock: the
 * metrics, the counters and the hold on the snapshot live in per-thread
 * state (metrics.c, snapshot.c). The limits that protect it from hostile or
 * broken clients:
 *  - request line and headers: SERVER_MAX_HEADER_BYTES, else 431 (a header
 *    block too large for the connection's memory is refused by the library
 *    itself, also with 431);
 *  - bodies: --max-body, checked against Content-Length before reading and
 *    while reading chunked bodies, else 413;
 *  - connections: a total cap, a cap per client address and an idle timeout
 *    that closes connections whose client stalls mid-request;
 *  - every connection is accounted for, so a burst of connections beyond the
 *    caps is refused at accept time while accepted ones go on being served.
 *
 * Signals are blocked in every thread and taken synchronously by the main
 * thread with sigwait(), so the loading and swapping happen in ordinary code,
 * never in a signal handler.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "server_internal.h"

#define MAX_KEYS 256
#define DRAIN_SECONDS 20

/* ---- API keys -------------------------------------------------------------------- */

typedef struct api_key {
    char name[64];
    unsigned char digest[SHA256_DIGEST_LENGTH];
} api_key;

static api_key keys[MAX_KEYS];
static size_t n_keys;

/* Reads "name:key" lines; blank lines and lines starting with '#' are skipped. */
static int load_keys(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "sanctum: serve: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char line[1024];
    unsigned long lineno = 0;
    int rc = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            fprintf(stderr, "sanctum: serve: %s:%lu: line longer than %zu bytes\n", path, lineno, sizeof line - 2);
            rc = -1;
            break;
        }
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
        if (len == 0 || line[0] == '#') continue;
        char *colon = strchr(line, ':');
        if (!colon || colon == line || !colon[1] || (size_t)(colon - line) >= sizeof keys[0].name) {
            fprintf(stderr, "sanctum: serve: %s:%lu: expected \"name:key\" (a name of 1 to %zu bytes)\n", path,
                    lineno, sizeof keys[0].name - 1);
            rc = -1;
            break;
        }
        if (strlen(colon + 1) < 16) {
            fprintf(stderr, "sanctum: serve: %s:%lu: the key is shorter than 16 characters\n", path, lineno);
            rc = -1;
            break;
        }
        if (n_keys == MAX_KEYS) {
            fprintf(stderr, "sanctum: serve: %s:%lu: more than %d keys\n", path, lineno, MAX_KEYS);
            rc = -1;
            break;
        }
        *colon = '\0';
        memcpy(keys[n_keys].name, line, (size_t)(colon - line) + 1);
        SHA256((const unsigned char *)colon + 1, strlen(colon + 1), keys[n_keys].digest);
        n_keys++;
        OPENSSL_cleanse(line, sizeof line);
    }
    fclose(f);
    if (rc == 0 && n_keys == 0) {
        fprintf(stderr, "sanctum: serve: %s: no keys in the file\n", path);
        rc = -1;
    }
    return rc;
}

/* The name of the key presented, or NULL. The presented key is hashed and
 * compared with every configured key's hash in constant time, without
 * stopping at a match, so timing says nothing about the key or its length. */
static const char *check_key(struct MHD_Connection *conn)
{
    const char *given = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-API-Key");
    if (!given) {
        const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
        if (auth && strncasecmp(auth, "Bearer ", 7) == 0) given = auth + 7;
    }
    if (!given) return NULL;
    unsigned char d[SHA256_DIGEST_LENGTH];
    SHA256((const unsigned char *)given, strlen(given), d);
    const char *who = NULL;
    for (size_t i = 0; i < n_keys; i++) {
        int same = CRYPTO_memcmp(d, keys[i].digest, sizeof d) == 0;
        if (same && !who) who = keys[i].name;
    }
    return who;
}

/* ---- per-request state ------------------------------------------------------------ */

static const server_config *config;
static atomic_int draining;

/* Requests started and not finished yet. Finished is read first: both only
 * grow, so the difference never misses a request still running. */
static long long in_flight(void)
{
    unsigned long long finished = server_count_total(SERVER_COUNT_FINISHED);
    return (long long)(server_count_total(SERVER_COUNT_STARTED) - finished);
}

typedef struct request {
    struct timespec t0;
    server_route route;
    unsigned status;
    int responded;       /* a response was queued on an earlier call */
    int too_large;       /* the body passed the cap: the rest is discarded */
    server_reply pending;/* an error found with the headers, sent once the request is read */
    char *body;
    size_t len, cap;
} request;

static double since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static void request_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                              enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    request *r = *con_cls;
    if (!r) return;
    /* a request cut short by a timeout is counted as 408, one the client dropped as 400 */
    unsigned status = r->status;
    if (!status) status = toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED ? 408 : 400;
    server_metrics_record(r->route, status, since(&r->t0));
    free(r->pending.body);
    free(r->body);
    free(r);
    *con_cls = NULL;
    server_count(SERVER_COUNT_FINISHED);
}

/* Total bytes of the request's headers, to enforce SERVER_MAX_HEADER_BYTES. */
static enum MHD_Result add_header_size(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    size_t *total = cls;
    *total += strlen(key) + (value ? strlen(value) : 0) + 4;
    return MHD_YES;
}

static enum MHD_Result send_reply(struct MHD_Connection *conn, request *r, server_reply *rep)
{
    struct MHD_Response *resp;
    if (rep->body)
        resp = MHD_create_response_from_buffer(rep->size, rep->body, MHD_RESPMEM_MUST_FREE);
    else
        resp = MHD_create_response_from_buffer(rep->size, (void *)rep->static_body, MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(rep->body);
        return MHD_NO;
    }
    rep->body = NULL;   /* the response owns it now */
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, rep->content_type ? rep->content_type
                                                                                : "application/json");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (r->route == ROUTE_PAGE) {
        MHD_add_response_header(resp, "Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    } else {
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    }
    if (rep->allow) MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, rep->allow);
    if (rep->status == 401) MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
    if (atomic_load(&draining) || rep->status == 413 || rep->status == 431)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    r->status = rep->status;
    r->responded = 1;
    enum MHD_Result ret = MHD_queue_response(conn, rep->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static const server_asset *find_asset(const char *url)
{
    for (size_t i = 0; i < server_asset_count; i++)
        if (strcmp(server_assets[i].path, url) == 0) return &server_assets[i];
    return NULL;
}

/* Which route a path belongs to, and the methods it accepts. */
static server_route route_of(const char *url, const char **allow)
{
    *allow = "GET, HEAD";
    if (strcmp(url, "/healthz") == 0) return ROUTE_HEALTHZ;
    if (strcmp(url, "/v1/lists") == 0) return ROUTE_LISTS;
    if (strcmp(url, "/v1/search") == 0) return ROUTE_SEARCH;
    if (strcmp(url, "/metrics") == 0) return ROUTE_METRICS;
    if (strcmp(url, "/openapi.yaml") == 0) return ROUTE_OPENAPI;
    if (strncmp(url, "/v1/entities/", 13) == 0) return ROUTE_ENTITY;
    if (strcmp(url, "/v1/alerts") == 0) return ROUTE_ALERTS;
    *allow = "POST";
    size_t ul = strlen(url);
    if (strncmp(url, "/v1/alerts/", 11) == 0 && ul > 11 + 8 && strcmp(url + ul - 8, "/resolve") == 0)
        return ROUTE_ALERT_RESOLVE;
    if (strcmp(url, "/v1/screen") == 0) return ROUTE_SCREEN;
    if (strcmp(url, "/v1/screen/batch") == 0) return ROUTE_BATCH;
    *allow = "GET, HEAD";
    if (find_asset(url)) return ROUTE_PAGE;
    *allow = NULL;
    return ROUTE_OTHER;
}

static int needs_key(server_route r)
{
    return n_keys && r != ROUTE_PAGE && r != ROUTE_HEALTHZ && r != ROUTE_OPENAPI && r != ROUTE_OTHER;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                              const char *version, const char *upload_data, size_t *upload_data_size,
                              void **con_cls)
{
    (void)cls;
    (void)version;
    request *r = *con_cls;
    server_reply rep;
    memset(&rep, 0, sizeof rep);
    size_t max_body = config->max_body ? config->max_body : SERVER_DEFAULT_MAX_BODY;

    if (!r) {
        /* first call: the headers are in */
        r = calloc(1, sizeof *r);
        if (!r) return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &r->t0);
        server_count(SERVER_COUNT_STARTED);
        *con_cls = r;
        const char *allow;
        r->route = route_of(url, &allow);
        size_t header_bytes = strlen(url) + strlen(method) + 16;
        MHD_get_connection_values(conn, MHD_HEADER_KIND, add_header_size, &header_bytes);
        MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, add_header_size, &header_bytes);
        int is_get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
        int is_post = strcmp(method, "POST") == 0;
        if (header_bytes > SERVER_MAX_HEADER_BYTES) {
            server_reply_error(&rep, 431, "request line and headers exceed %u bytes", SERVER_MAX_HEADER_BYTES);
        } else if (r->route == ROUTE_OTHER) {
            server_reply_error(&rep, 404, "no such resource; see /openapi.yaml");
        } else if ((allow[0] == 'P' && !is_post) || (allow[0] == 'G' && !is_get)) {
            server_reply_error(&rep, 405, "%s is not allowed here; use %s", is_get || is_post ? method : "this method",
                               allow);
            rep.allow = allow;
        } else if (needs_key(r->route) && !check_key(conn)) {
            server_reply_error(&rep, 401, "an API key is required (Authorization: Bearer KEY, or X-API-Key)");
        } else if (is_post) {
            const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
            if (cl && strtoull(cl, NULL, 10) > max_body)
                server_reply_error(&rep, 413, "the body exceeds %zu bytes", max_body);
        }
        /* Answering now would make the library close the connection (it
         * will not read past a request answered early), so errors on a
         * request without a body wait for the next call like any answer;
         * errors on a POST are sent at once, so its body is never read. */
        if (rep.status && is_post) return send_reply(conn, r, &rep);
        r->pending = rep;
        return MHD_YES;
    } else if (*upload_data_size) {
        /* a piece of the body */
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (r->responded || r->too_large || r->pending.status) return MHD_YES;
        if (r->len + n > max_body) {
            r->too_large = 1;
            free(r->body);
            r->body = NULL;
            r->len = r->cap = 0;
            return MHD_YES;
        }
        if (r->len + n + 1 > r->cap) {
            size_t cap = r->cap ? r->cap : 4096;
            while (cap < r->len + n + 1) cap *= 2;
            if (cap > max_body + 1) cap = max_body + 1;
            char *grown = realloc(r->body, cap);
            if (!grown) return MHD_NO;
            r->body = grown;
            r->cap = cap;
        }
        memcpy(r->body + r->len, upload_data, n);
        r->len += n;
        r->body[r->len] = '\0';
        return MHD_YES;
    } else if (r->responded) {
        return MHD_YES;
    }

    if (r->pending.status) {
        rep = r->pending;
        memset(&r->pending, 0, sizeof r->pending);
        return send_reply(conn, r, &rep);
    }
    if (r->too_large) {
        server_reply_error(&rep, 413, "the body exceeds %zu bytes", max_body);
        return send_reply(conn, r, &rep);
    }

    /* the request is complete: answer it */
    if (r->route == ROUTE_PAGE || r->route == ROUTE_OPENAPI) {
        const server_asset *a = find_asset(url);
        if (!a) {
            server_reply_error(&rep, 404, "no such resource");
        } else {
            rep.status = 200;
            rep.static_body = a->data;
            rep.size = a->size;
            rep.content_type = a->content_type;
        }
        return send_reply(conn, r, &rep);
    }
    server_snapshot *snap = server_snapshot_acquire();
    if (!snap) {
        server_reply_error(&rep, 503, "the lists are not loaded yet");
        return send_reply(conn, r, &rep);
    }
    const char *who = n_keys ? check_key(conn) : "anonymous";
    server_ctx ctx = { config, snap, who ? who : "anonymous" };
    switch (r->route) {
    case ROUTE_HEALTHZ: server_handle_healthz(&ctx, &rep); break;
    case ROUTE_LISTS: server_handle_lists(&ctx, &rep); break;
    case ROUTE_SEARCH: server_handle_search(&ctx, conn, &rep); break;
    case ROUTE_SCREEN: server_handle_screen(&ctx, r->body ? r->body : "", r->len, &rep); break;
    case ROUTE_BATCH: server_handle_batch(&ctx, conn, r->body ? r->body : "", r->len, &rep); break;
    case ROUTE_ENTITY: server_handle_entity(&ctx, url + 13, &rep); break;
    case ROUTE_ALERTS: server_handle_alerts(&ctx, conn, &rep); break;
    case ROUTE_ALERT_RESOLVE:
        server_handle_alert_resolve(&ctx, url + 11, r->body ? r->body : "", r->len, &rep);
        break;
    case ROUTE_METRICS: {
        char *text = server_metrics_text(snap);
        if (!text) {
            server_reply_error(&rep, 500, "out of memory");
        } else {
            rep.status = 200;
            rep.body = text;
            rep.size = strlen(text);
            rep.content_type = "text/plain; version=0.0.4; charset=utf-8";
        }
        break;
    }
    default: server_reply_error(&rep, 404, "no such resource"); break;
    }
    server_snapshot_release(snap);
    return send_reply(conn, r, &rep);
}

/* ---- start, reload, stop --------------------------------------------------------------- */

static int parse_listen(const char *listen, struct sockaddr_in *sa)
{
    const char *colon = strrchr(listen, ':');
    if (!colon || colon == listen) return -1;
    char host[256];
    size_t hl = (size_t)(colon - listen);
    if (hl >= sizeof host) return -1;
    memcpy(host, listen, hl);
    host[hl] = '\0';
    char *end;
    errno = 0;
    unsigned long port = strtoul(colon + 1, &end, 10);
    if (errno || end == colon + 1 || *end || port > 65535) return -1;
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (strcmp(host, "localhost") == 0) strcpy(host, "127.0.0.1");
    if (inet_pton(AF_INET, host, &sa->sin_addr) != 1) return -1;
    return 0;
}

static void report_load_error(const sanctum_error *err)
{
    char buf[1024];
    sanctum_error_format(err, buf, sizeof buf);
    fprintf(stderr, "sanctum: serve: %s\n", buf);
}

int server_run(const server_config *cfg)
{
    config = cfg;
    struct sockaddr_in sa;
    const char *listen = cfg->listen ? cfg->listen : SERVER_DEFAULT_LISTEN;
    if (parse_listen(listen, &sa) != 0) {
        fprintf(stderr, "sanctum: serve: --listen wants IPV4ADDRESS:PORT (e.g. 127.0.0.1:8080), not '%s'\n",
                listen);
        return 2;
    }
    if (cfg->api_key_file && load_keys(cfg->api_key_file) != 0) return 2;

    /* every thread started from here on inherits the blocked signals */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGHUP);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    unsigned long generation = 1;
    server_snapshot *snap;
    sanctum_error err;
    if (server_snapshot_load(&snap, cfg, generation, &err) != 0) {
        report_load_error(&err);
        return 2;
    }
    server_snapshot_install(snap);
    if (server_audit_open(cfg->audit, &err) != 0) {
        report_load_error(&err);
        server_snapshot_install(NULL);
        return 2;
    }

    unsigned threads = cfg->threads;
    if (!threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (unsigned)n : 1;
    }
    unsigned timeout = cfg->timeout ? cfg->timeout : SERVER_DEFAULT_TIMEOUT;
    unsigned max_conn = cfg->max_connections ? cfg->max_connections : SERVER_DEFAULT_MAX_CONNECTIONS;
    unsigned per_ip = cfg->per_ip ? cfg->per_ip : SERVER_DEFAULT_PER_IP;
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_TURBO, 0, NULL, NULL, handle, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)threads,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)max_conn,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)per_ip,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)timeout,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(3 * SERVER_MAX_HEADER_BYTES),
        MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int)1024,
        MHD_OPTION_NOTIFY_COMPLETED, request_completed, NULL,
        MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "sanctum: serve: cannot listen on %s (address in use, or not available here)\n", listen);
        server_snapshot_install(NULL);
        server_audit_close();
        return 2;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = info ? info->port : ntohs(sa.sin_port);
    char host[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &sa.sin_addr, host, sizeof host);
    fprintf(stderr, "sanctum: serving on http://%s:%u/ with %u threads (%zu entities; %s)\n", host, port, threads,
            sanctum_dataset_count(snap->ds), n_keys ? "API key required" : "no API key");
    if (cfg->port_file) {
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.tmp", cfg->port_file);
        FILE *f = fopen(tmp, "w");
        if (!f || fprintf(f, "%u\n", port) < 0 || fclose(f) != 0 || rename(tmp, cfg->port_file) != 0)
            fprintf(stderr, "sanctum: serve: cannot write %s\n", cfg->port_file);
    }

    for (;;) {
        int sig = 0;
        if (sigwait(&sigs, &sig) != 0) continue;
        if (sig == SIGHUP) {
            fprintf(stderr, "sanctum: reloading the lists\n");
            server_snapshot *fresh;
            if (server_snapshot_load(&fresh, cfg, generation + 1, &err) != 0) {
                report_load_error(&err);
                fprintf(stderr, "sanctum: reload failed; still serving generation %lu\n", generation);
                continue;
            }
            generation++;
            server_snapshot_install(fresh);
            fprintf(stderr, "sanctum: serving generation %lu (%zu entities)\n", generation,
                    sanctum_dataset_count(fresh->ds));
            continue;
        }
        break;
    }
    /* stop accepting, let what is running finish, then stop */
    fprintf(stderr, "sanctum: stopping: draining requests in flight\n");
    atomic_store(&draining, 1);
    MHD_socket ls = MHD_quiesce_daemon(d);
    if (ls != MHD_INVALID_SOCKET) close(ls);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (in_flight() > 0 && since(&t0) < DRAIN_SECONDS) {
        struct timespec nap = { 0, 10 * 1000 * 1000 };
        nanosleep(&nap, NULL);
    }
    long long left = in_flight();
    MHD_stop_daemon(d);
    server_snapshot_install(NULL);
    server_cache_clear();
    server_audit_close();
    fprintf(stderr, "sanctum: stopped%s\n", left > 0 ? " (some requests were cut off)" : "");
    return 0;
}
