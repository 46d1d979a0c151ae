/*
 * sanctum/match.h - screening names against the loaded lists.
 *
 * Build an index once from a dataset, then screen any number of queries,
 * from any number of threads at once: the index is read-only after
 * sanctum_index_build(). Each query returns ranked hits with a score in
 * [0, 1] and an explanation of how the query aligned with the listed name.
 */
#ifndef SANCTUM_MATCH_H
#define SANCTUM_MATCH_H

#include "common.h"
#include "dataset.h"
#include "entity.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Hits scoring below this are not reported unless the query asks for a
 * lower threshold. Chosen from the labelled evaluation set (docs/ALGORITHM.md). */
#define SANCTUM_DEFAULT_MIN_SCORE 0.80
#define SANCTUM_DEFAULT_LIMIT 10

typedef struct sanctum_index sanctum_index;

/* Builds the matching index over every name of every entity in ds. The
 * dataset must outlive the index. Free with sanctum_index_free(). */
SANCTUM_EXTERN int sanctum_index_build(sanctum_index **out, const sanctum_dataset *ds, sanctum_error *err);
SANCTUM_EXTERN void sanctum_index_free(sanctum_index *idx);
SANCTUM_EXTERN const sanctum_dataset *sanctum_index_dataset(const sanctum_index *idx);

#define SANCTUM_QUERY_VERSION 1
typedef struct sanctum_query {
    unsigned version;       /* SANCTUM_QUERY_VERSION */
    const char *name;       /* UTF-8, any script; required */
    unsigned types;         /* OR of sanctum_entity_type; 0 or SANCTUM_TYPE_ANY: all */
    const char *dob;        /* "YYYY", "YYYY-MM" or "YYYY-MM-DD"; NULL: none */
    const char *country;    /* country name or ISO 3166 alpha-2 code; NULL: none */
    const char *lists;      /* comma-separated sources ("ofac-sdn,un-sc"); NULL: all */
    const char *programs;   /* comma-separated programs ("DPRK2,DPRK3"); NULL: all */
    double min_score;       /* < 0: SANCTUM_DEFAULT_MIN_SCORE */
    size_t limit;           /* 0: SANCTUM_DEFAULT_LIMIT */
    int exhaustive;         /* non-zero: score every listed name (brute force; for tests and benchmarks) */
} sanctum_query;
#define SANCTUM_QUERY_INIT { SANCTUM_QUERY_VERSION, NULL, 0, NULL, NULL, NULL, NULL, -1.0, 0, 0 }

/* How a query token was aligned with a listed token. Joined options show
 * both tokens of the pair separated by a space ("sang man"). An unmatched
 * query token has listed == NULL; an unmatched listed token has
 * query == NULL (its weight is then its share of the listed name). */
typedef struct sanctum_token_match {
    const char *query;      /* the query token(s), normalized; NULL for an unmatched listed token */
    const char *listed;     /* the listed token(s), normalized; NULL when unmatched */
    const char *how;        /* "exact", "case/accents", "romanization", "typo", "joined",
                               "initial", "legal form", "transliteration", "unmatched",
                               "abbreviation", "number" */
    double similarity;      /* 0..1 */
    double weight;          /* the token's share of the name score */
} sanctum_token_match;

/* A non-name piece of evidence and what it did to the score. */
typedef struct sanctum_evidence {
    const char *field;      /* "dob", "country", ... */
    double delta;           /* added to the score (negative lowers it) */
    const char *detail;     /* e.g. "query 1965 matches listed 25 Apr 1965" */
} sanctum_evidence;

typedef struct sanctum_hit {
    const sanctum_entity *entity;
    size_t name_index;      /* entity->names[name_index] is the name that matched */
    double score;           /* final score, 0..1 */
    double name_score;      /* the name part alone */
    const char *query_form; /* the form of the query that matched (e.g. a romanization of Hangul) */
    const sanctum_token_match *tokens; size_t n_tokens;
    const sanctum_evidence *evidence; size_t n_evidence;
} sanctum_hit;

typedef struct sanctum_result sanctum_result;

/* Screens one query. On success *out holds the hits, best first (possibly
 * none). Free with sanctum_result_free(). Thread-safe on a shared index. */
SANCTUM_EXTERN int sanctum_screen(sanctum_result **out, const sanctum_index *idx, const sanctum_query *q,
                                  sanctum_error *err);
SANCTUM_EXTERN size_t sanctum_result_count(const sanctum_result *r);
SANCTUM_EXTERN const sanctum_hit *sanctum_result_hit(const sanctum_result *r, size_t i);
SANCTUM_EXTERN void sanctum_result_free(sanctum_result *r);

/* Scores one query against one entity (its best-matching name), ignoring
 * the threshold. Returns 0 and sets *score, or a negative code. */
SANCTUM_EXTERN int sanctum_score_entity(const sanctum_index *idx, const sanctum_query *q, const char *entity_id,
                                        double *score);

#ifdef __cplusplus
}
#endif
#endif
