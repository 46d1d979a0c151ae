/*
 * server.h - the HTTP API and web page behind `sanctum serve`.
 *
 * server_run() loads the lists, starts a libmicrohttpd daemon with its own
 * pool of worker threads and serves until SIGTERM or SIGINT, when it stops
 * accepting, lets the requests in flight finish and returns 0. SIGHUP loads
 * the lists again and swaps them in atomically: requests already running keep
 * the data they started with.
 */
#ifndef SANCTUM_SERVER_H
#define SANCTUM_SERVER_H

#include <stddef.h>

/* Limits applied when the options leave them at 0. */
#define SERVER_DEFAULT_LISTEN "127.0.0.1:8080"
#define SERVER_DEFAULT_MAX_BODY (1u << 20)   /* bytes in one request body */
#define SERVER_DEFAULT_MAX_BATCH 1000        /* records in one batch request */
#define SERVER_DEFAULT_TIMEOUT 15            /* seconds a connection may stay idle or stall */
#define SERVER_DEFAULT_MAX_CONNECTIONS 1024  /* open connections, all clients together */
#define SERVER_DEFAULT_PER_IP 256            /* open connections from one address */
#define SERVER_MAX_HEADER_BYTES 8192         /* request line plus headers */
#define SERVER_MAX_QUERY_BYTES 1024          /* one query parameter or name */

typedef struct server_config {
    const char *listen;        /* "HOST:PORT"; port 0 picks a free one */
    unsigned threads;          /* worker threads; 0: one per online core */
    const char *api_key_file;  /* "name:key" per line; NULL: no key needed */
    const char *data_dir;      /* the lists */
    const char *lists;         /* comma-separated sources to load; NULL: all */
    int strict;                /* a warning while loading fails the load */
    unsigned timeout;          /* seconds; 0: SERVER_DEFAULT_TIMEOUT */
    unsigned max_connections;  /* 0: SERVER_DEFAULT_MAX_CONNECTIONS */
    unsigned per_ip;           /* 0: SERVER_DEFAULT_PER_IP */
    size_t max_body;           /* 0: SERVER_DEFAULT_MAX_BODY */
    size_t max_batch;          /* 0: SERVER_DEFAULT_MAX_BATCH */
    int audit;                 /* record every screening in the audit trail */
    int no_cache;              /* do not keep recent search responses */
    const char *port_file;     /* when set, the bound port is written there once listening */
} server_config;

/* Serves until SIGTERM/SIGINT. Returns 0 after a clean shutdown, 2 when the
 * lists cannot be loaded, the key file is bad or the address cannot be bound
 * (the reason is printed on stderr). */
int server_run(const server_config *cfg);

#endif
