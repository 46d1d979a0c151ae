/*
 * ident_json.c - JSON for wallet and document screening results and for the
 * listing of every listed wallet, built with jansson. Each function returns
 * a compact, malloc'd text the caller releases with sanctum_string_free().
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ident/ident_json.h"
#include "sanctum/ident.h"

/* jansson's setters steal the value; a NULL string becomes JSON null. */
static int set_str(json_t *o, const char *key, const char *s)
{
    return json_object_set_new(o, key, s ? json_string(s) : json_null());
}

static int set_entity(json_t *o, const sanctum_entity *e)
{
    int rc = 0;
    rc |= set_str(o, "entity", e->id);
    rc |= set_str(o, "list", e->source);
    rc |= set_str(o, "type", sanctum_type_name(e->type));
    rc |= set_str(o, "name", e->n_names ? e->names[0].full : NULL);
    return rc;
}

json_t *sanctum_ident_hit_jobj(const sanctum_ident_hit *h)
{
    json_t *o = json_object();
    if (!o) return NULL;
    int rc = set_entity(o, h->entity);
    rc |= json_object_set_new(o, "score", json_real(h->score));
    rc |= set_str(o, "matched_field", h->matched_field);
    if (h->document) {
        rc |= set_str(o, "document_type", h->document_type);
        rc |= set_str(o, "number", h->listed);
        rc |= set_str(o, "country", h->country);
        rc |= set_str(o, "country_code", (h->country_code && *h->country_code) ? h->country_code : NULL);
        if (h->document->issued) rc |= set_str(o, "issued", h->document->issued);
        if (h->document->expires) rc |= set_str(o, "expires", h->document->expires);
    } else {
        rc |= set_str(o, "currency", h->currency);
        rc |= set_str(o, "address", h->listed);
    }
    rc |= set_str(o, "normalized", h->listed_normalized);
    rc |= set_str(o, "explanation", h->explanation);
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

char *sanctum_ident_result_json(const sanctum_ident_result *r)
{
    if (!r) return NULL;
    json_t *root = json_object(), *q = json_object(), *hits = json_array();
    char *text = NULL;
    if (!root || !q || !hits) goto cleanup;
    int rc = 0;
    rc |= set_str(q, "kind", sanctum_ident_result_kind(r));
    rc |= set_str(q, "input", sanctum_ident_result_query(r));
    rc |= set_str(q, "normalized", sanctum_ident_result_normalized(r));
    if (strcmp(sanctum_ident_result_kind(r), "wallet") == 0) {
        rc |= set_str(q, "format", sanctum_ident_result_format(r));
        rc |= set_str(q, "chain", sanctum_ident_result_chain(r));
        rc |= set_str(q, "validity", sanctum_wallet_validity_name(sanctum_ident_result_validity(r)));
    } else if (*sanctum_ident_result_chain(r)) {
        rc |= set_str(q, "document_type", sanctum_ident_result_chain(r));
    }
    const char *msg = sanctum_ident_result_message(r);
    rc |= set_str(q, "message", *msg ? msg : NULL);
    for (size_t i = 0; i < sanctum_ident_result_count(r) && !rc; i++) {
        json_t *h = sanctum_ident_hit_jobj(sanctum_ident_result_hit(r, i));
        rc |= h ? json_array_append_new(hits, h) : -1;
    }
    if (rc) goto cleanup;
    rc |= json_object_set_new(root, "query", q);
    q = NULL;
    rc |= json_object_set_new(root, "hits", hits);
    hits = NULL;
    if (!rc) text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4));
cleanup:
    json_decref(q);
    json_decref(hits);
    json_decref(root);
    return text;
}

char *sanctum_ident_wallets_json(const sanctum_ident_index *idx, const char *currency)
{
    size_t first = 0, count = 0;
    if (!idx || sanctum_ident_wallet_range(idx, currency, &first, &count)) return NULL;
    json_t *arr = json_array();
    if (!arr) return NULL;
    int rc = 0;
    for (size_t i = first; i < first + count && !rc; i++) {
        const sanctum_ident_wallet *w = sanctum_ident_wallet_at(idx, i);
        json_t *o = json_object();
        if (!o) {
            rc = -1;
            break;
        }
        rc |= set_str(o, "currency", w->currency);
        rc |= set_str(o, "address", w->address);
        rc |= set_entity(o, w->entity);
        rc |= set_str(o, "normalized", w->normalized);
        rc |= set_str(o, "format", w->format);
        rc |= set_str(o, "chain", w->chain);
        rc |= set_str(o, "validity", sanctum_wallet_validity_name(w->validity));
        if (w->message && *w->message) rc |= set_str(o, "message", w->message);
        rc |= json_array_append_new(arr, o);
    }
    char *text = rc ? NULL : json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(arr);
    return text;
}

char *sanctum_ident_hit_json(const sanctum_ident_hit *h)
{
    json_t *o = h ? sanctum_ident_hit_jobj(h) : NULL;
    char *text = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4)) : NULL;
    json_decref(o);
    return text;
}
