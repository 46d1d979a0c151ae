/*
 * sanctum/json.h - the JSON forms shared by the CLI, batch and the HTTP API.
 *
 * Each function returns a malloc'd, NUL-terminated compact JSON text that the
 * caller releases with sanctum_string_free(), or NULL when out of memory.
 */
#ifndef SANCTUM_JSON_H
#define SANCTUM_JSON_H

#include "common.h"
#include "dataset.h"
#include "entity.h"
#include "ident.h"
#include "match.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Every field of an entity: {"id": ..., "list": ..., "type": ..., "names": [...], ...}. */
SANCTUM_EXTERN char *sanctum_entity_json(const sanctum_entity *e);
/* One object per source: {"source": "ofac-sdn", "files": [...], "sha256": ..., "entities": 14965, ...}. */
SANCTUM_EXTERN char *sanctum_source_json(const sanctum_source_info *s);
/* One hit: {"entity": "ofac-sdn:43377", "list": "ofac-sdn", "type": "person", "score": 0.97,
 * "name": primary name, "matched": matched name, "matched_kind": "aka", "explanation": {...}}. */
SANCTUM_EXTERN char *sanctum_hit_json(const sanctum_hit *h);
/* {"query": {...}, "hits": [...]} */
SANCTUM_EXTERN char *sanctum_result_json(const sanctum_query *q, const sanctum_result *r);
/* The same, with the wallet and document lookups made for the same query:
 * their hits come first in "hits" (each with "matched_field": "wallet" or
 * "document"), and the query object lists the inputs under "wallets" and
 * "ids" with their normalized forms. r may be NULL when no name was given. */
SANCTUM_EXTERN char *sanctum_screen_json(const sanctum_query *q, const sanctum_result *r,
                                         const sanctum_ident_result *const *ids, size_t n_ids);

#ifdef __cplusplus
}
#endif
#endif
