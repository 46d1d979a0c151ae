/*
 * cmd_serve.c - `sanctum serve`: the HTTP API and the web page for analysts.
 *
 * Parses the options into a server_config and hands over to server_run()
 * (server/server.c), which serves until SIGTERM or SIGINT. The server binds
 * to loopback unless --listen says otherwise.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "server.h"

enum {
    OPT_LISTEN = CLI_OPT_FIRST_COMMAND,
    OPT_THREADS,
    OPT_API_KEY_FILE,
    OPT_TIMEOUT,
    OPT_MAX_BODY,
    OPT_MAX_BATCH,
    OPT_MAX_CONNECTIONS,
    OPT_AUDIT,
    OPT_NO_CACHE,
    OPT_PORT_FILE
};

static void usage(FILE *out)
{
    fputs("Usage: sanctum serve [OPTIONS]\n"
          "\n"
          "Serves the screening API (JSON over HTTP) and the web page for analysts.\n"
          "Endpoints: GET /healthz, GET /v1/lists, GET /v1/search?q=NAME, POST /v1/screen,\n"
          "POST /v1/screen/batch, GET /v1/entities/ID, GET /metrics, GET /openapi.yaml,\n"
          "and the page at /. SIGHUP reloads the lists without dropping a request;\n"
          "SIGTERM finishes the requests in flight and exits 0.\n"
          "\n"
          "  --listen HOST:PORT      address to listen on (default 127.0.0.1:8080;\n"
          "                          port 0 picks a free port)\n"
          "  --threads N             worker threads (default: one per core)\n"
          "  --api-key-file F        require a key: F has one \"name:key\" per line;\n"
          "                          the name is recorded as who screened\n"
          "  --timeout S             close connections idle or stalled for S seconds\n"
          "                          (default 15)\n"
          "  --max-body BYTES        largest request body (default 1048576)\n"
          "  --max-batch N           most records in one batch request (default 1000)\n"
          "  --max-connections N     most open connections (default 1024)\n"
          "  --audit                 record every screening in the audit trail (also\n"
          "                          when SANCTUM_HOME is set)\n"
          "  --no-cache              do not reuse responses to repeated searches\n"
          "  --port-file F           write the port to F once listening\n"
          "\n",
          out);
    fputs(cli_global_help, out);
}

static int parse_uint(const char *arg, unsigned long min, unsigned long max, unsigned long *out)
{
    char *end;
    errno = 0;
    if (!isdigit((unsigned char)*arg)) return -1;
    unsigned long v = strtoul(arg, &end, 10);
    if (errno || *end || v < min || v > max) return -1;
    *out = v;
    return 0;
}

int cli_cmd_serve(int argc, char **argv, cli_globals *g)
{
    static const struct option longopts[] = {
        CLI_GLOBAL_LONGOPTS,
        { "listen", required_argument, NULL, OPT_LISTEN },
        { "threads", required_argument, NULL, OPT_THREADS },
        { "api-key-file", required_argument, NULL, OPT_API_KEY_FILE },
        { "timeout", required_argument, NULL, OPT_TIMEOUT },
        { "max-body", required_argument, NULL, OPT_MAX_BODY },
        { "max-batch", required_argument, NULL, OPT_MAX_BATCH },
        { "max-connections", required_argument, NULL, OPT_MAX_CONNECTIONS },
        { "audit", no_argument, NULL, OPT_AUDIT },
        { "no-cache", no_argument, NULL, OPT_NO_CACHE },
        { "port-file", required_argument, NULL, OPT_PORT_FILE },
        { NULL, 0, NULL, 0 },
    };
    server_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.listen = SERVER_DEFAULT_LISTEN;
    opterr = 0;
    int opt;
    unsigned long v;
    while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        if (cli_global_option(g, opt, optarg)) continue;
        switch (opt) {
        case OPT_LISTEN: cfg.listen = optarg; break;
        case OPT_API_KEY_FILE: cfg.api_key_file = optarg; break;
        case OPT_AUDIT: cfg.audit = 1; break;
        case OPT_NO_CACHE: cfg.no_cache = 1; break;
        case OPT_PORT_FILE: cfg.port_file = optarg; break;
        case OPT_THREADS:
            if (parse_uint(optarg, 1, 256, &v) != 0) {
                cli_error("serve: --threads wants a whole number from 1 to 256, not '%s'", optarg);
                return cli_usage_error("serve");
            }
            cfg.threads = (unsigned)v;
            break;
        case OPT_TIMEOUT:
            if (parse_uint(optarg, 1, 3600, &v) != 0) {
                cli_error("serve: --timeout wants seconds from 1 to 3600, not '%s'", optarg);
                return cli_usage_error("serve");
            }
            cfg.timeout = (unsigned)v;
            break;
        case OPT_MAX_BODY:
            if (parse_uint(optarg, 1024, 256ul << 20, &v) != 0) {
                cli_error("serve: --max-body wants bytes from 1024 to 268435456, not '%s'", optarg);
                return cli_usage_error("serve");
            }
            cfg.max_body = v;
            break;
        case OPT_MAX_BATCH:
            if (parse_uint(optarg, 1, 100000, &v) != 0) {
                cli_error("serve: --max-batch wants a whole number from 1 to 100000, not '%s'", optarg);
                return cli_usage_error("serve");
            }
            cfg.max_batch = v;
            break;
        case OPT_MAX_CONNECTIONS:
            if (parse_uint(optarg, 1, 65536, &v) != 0) {
                cli_error("serve: --max-connections wants a whole number from 1 to 65536, not '%s'", optarg);
                return cli_usage_error("serve");
            }
            cfg.max_connections = (unsigned)v;
            break;
        case CLI_OPT_HELP: usage(stdout); return CLI_EXIT_OK;
        case CLI_OPT_VERSION: printf("sanctum %s\n", sanctum_version()); return CLI_EXIT_OK;
        default: return cli_option_error("serve", opt, argc, argv);
        }
    }
    if (optind < argc) {
        cli_error("serve: unexpected argument '%s'", argv[optind]);
        return cli_usage_error("serve");
    }
    const char *home = getenv("SANCTUM_HOME");
    if (home && *home) cfg.audit = 1;
    cfg.data_dir = cli_data_dir(g);
    cfg.lists = g->lists;
    cfg.strict = g->strict;
    int rc = server_run(&cfg);
    sanctum_thread_cleanup();
    return rc == 0 ? CLI_EXIT_OK : CLI_EXIT_ERROR;
}
