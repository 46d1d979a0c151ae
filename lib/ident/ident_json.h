/*
 * ident_json.h - the jansson object of a wallet or document hit, for the
 * JSON module that puts identifier hits beside name hits.
 */
#ifndef SANCTUM_IDENT_JSON_H
#define SANCTUM_IDENT_JSON_H

#include <jansson.h>

#include "sanctum/ident.h"

/* A new object (caller owns the reference), or NULL when out of memory. */
json_t *sanctum_ident_hit_jobj(const sanctum_ident_hit *h);

#endif
