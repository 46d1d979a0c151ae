/*
 * alerts.c - the monitoring alerts over HTTP: GET /v1/alerts lists them and
 * POST /v1/alerts/{id}/resolve records an analyst's verdict on one.
 *
 * The alerts live in the same store as the audit trail (server/audit.c), so
 * both routes answer 503 when the server was started without one. The store
 * handle serves one thread at a time: every use happens under the audit
 * lock, taken through server_audit_store_lock(). The resolution is recorded
 * under the name of the API key that asked ("anonymous" without keys).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <microhttpd.h>

#include "server_internal.h"

#define NO_STORE "no alert store is open; start the server with --audit or SANCTUM_HOME to use alerts"
#define MAX_NOTE 4096

void server_handle_alerts(const server_ctx *c, struct MHD_Connection *conn, server_reply *rep)
{
    (void)c;
    const char *status = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "status");
    int open_only = 1;
    if (status && strcmp(status, "all") == 0) {
        open_only = 0;
    } else if (status && strcmp(status, "open") != 0) {
        server_reply_error(rep, 400, "query parameter \"status\" wants open or all");
        return;
    }
    sanctum_store *st = server_audit_store_lock();
    if (!st) {
        server_reply_error(rep, 503, NO_STORE);
        return;
    }
    sanctum_alert *a = NULL;
    size_t n = 0;
    sanctum_error err;
    int rc = sanctum_alerts_list(&a, &n, st, open_only, &err);
    server_audit_store_unlock();
    if (rc != 0) {
        char buf[512];
        sanctum_error_format(&err, buf, sizeof buf);
        server_reply_error(rep, 500, "the alerts could not be read: %s", buf);
        return;
    }
    char *text = sanctum_alerts_json(a, n);
    sanctum_alerts_free(a, n);
    char *body = text ? strdup(text) : NULL;
    sanctum_string_free(text);
    server_reply_json(rep, 200, body);
}

/* Parses "{id}/resolve" into id; 0 on success. */
static int parse_id(const char *tail, long long *id)
{
    if (*tail < '1' || *tail > '9') return -1;
    char *end;
    errno = 0;
    long long v = strtoll(tail, &end, 10);
    if (errno || v <= 0 || strcmp(end, "/resolve") != 0) return -1;
    *id = v;
    return 0;
}

/* The object of alert id as JSON (malloc'd), or NULL; called with the lock held. */
static char *alert_object(sanctum_store *st, long long id)
{
    sanctum_alert *a = NULL;
    size_t n = 0;
    sanctum_error err;
    if (sanctum_alerts_list(&a, &n, st, 0, &err) != 0) return NULL;
    char *out = NULL;
    for (size_t i = 0; i < n; i++) {
        if (a[i].id != id) continue;
        char *text = sanctum_alerts_json(&a[i], 1);
        size_t len = text ? strlen(text) : 0;
        if (len >= 2 && text[0] == '[' && text[len - 1] == ']') out = strndup(text + 1, len - 2);
        sanctum_string_free(text);
        break;
    }
    sanctum_alerts_free(a, n);
    return out;
}

void server_handle_alert_resolve(const server_ctx *c, const char *tail, const char *body, size_t len,
                                 server_reply *rep)
{
    long long id;
    if (parse_id(tail, &id) != 0) {
        server_reply_error(rep, 400, "the alert id must be a positive whole number");
        return;
    }
    if (len == 0) {
        server_reply_error(rep, 400, "empty body: send {\"resolution\": \"true-match\" or \"false-positive\", "
                                     "\"note\": \"...\"}");
        return;
    }
    json_error_t jerr;
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        server_reply_error(rep, 400, "invalid JSON at line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
        return;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        server_reply_error(rep, 400, "the body must be one JSON object");
        return;
    }
    const char *key;
    json_t *val;
    json_object_foreach(root, key, val) {
        if (strcmp(key, "resolution") != 0 && strcmp(key, "note") != 0) {
            server_reply_error(rep, 400, "unknown field \"%.64s\" (expected \"resolution\" and \"note\")", key);
            json_decref(root);
            return;
        }
    }
    json_t *res = json_object_get(root, "resolution");
    sanctum_alert_status status;
    if (!res) {
        server_reply_error(rep, 400, "missing field \"resolution\" (true-match or false-positive)");
        json_decref(root);
        return;
    } else if (json_is_string(res) && strcmp(json_string_value(res), "true-match") == 0) {
        status = SANCTUM_ALERT_TRUE_MATCH;
    } else if (json_is_string(res) && strcmp(json_string_value(res), "false-positive") == 0) {
        status = SANCTUM_ALERT_FALSE_POSITIVE;
    } else {
        server_reply_error(rep, 400, "field \"resolution\" wants true-match or false-positive");
        json_decref(root);
        return;
    }
    json_t *jn = json_object_get(root, "note");
    const char *note = NULL;
    if (jn && !json_is_null(jn)) {
        if (!json_is_string(jn)) {
            server_reply_error(rep, 400, "field \"note\" must be a string");
            json_decref(root);
            return;
        }
        if (json_string_length(jn) > MAX_NOTE || strlen(json_string_value(jn)) != json_string_length(jn)) {
            server_reply_error(rep, 400, "field \"note\" must be text of at most %d bytes", MAX_NOTE);
            json_decref(root);
            return;
        }
        note = json_string_value(jn);
    }

    sanctum_store *st = server_audit_store_lock();
    if (!st) {
        json_decref(root);
        server_reply_error(rep, 503, NO_STORE);
        return;
    }
    sanctum_error err;
    int rc = sanctum_alert_resolve(st, id, status, note, c->who, &err);
    char *obj = rc == 0 ? alert_object(st, id) : NULL;
    server_audit_store_unlock();
    json_decref(root);
    if (rc == SANCTUM_ENOTFOUND) {
        server_reply_error(rep, 404, "no alert has the id %lld", id);
    } else if (rc == SANCTUM_EINVAL) {
        server_reply_error(rep, 409, "alert %lld is already resolved", id);
    } else if (rc != 0) {
        char buf[512];
        sanctum_error_format(&err, buf, sizeof buf);
        server_reply_error(rep, 500, "the alert could not be resolved: %s", buf);
    } else if (obj) {
        server_reply_json(rep, 200, obj);
    } else {
        json_t *o = json_pack("{s:I,s:s}", "id", (json_int_t)id, "status", sanctum_alert_status_name(status));
        char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        server_reply_json(rep, 200, text);
    }
}
