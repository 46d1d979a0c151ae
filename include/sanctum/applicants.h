/*
 * sanctum/applicants.h - screening job applicants and contractor accounts
 * for the signs of remote IT workers hired under false identities.
 *
 * Input is JSON Lines, one applicant or contractor account per line (the
 * schema is in docs/APPLICANTS.md). Every record is checked against a fixed
 * table of rules: sanctions (names, payment holders, wallets and identity
 * documents against the loaded lists), identity and location
 * inconsistencies, login patterns, pay, equipment shipping, interviews and
 * remote-access tools. Records that share an e-mail, phone, payment account,
 * wallet, shipping address, photo hash or IP address are then joined into
 * clusters, and every member of a cluster is marked. Each applicant gets a
 * score (the sum of the weights of the rules that fired) and a risk level.
 *
 * Example:
 *     sanctum_applicants_options o = SANCTUM_APPLICANTS_OPTIONS_INIT;
 *     o.index = idx; o.ident = iidx; o.input_name = "applicants.jsonl";
 *     sanctum_applicants_report *rep;
 *     if (sanctum_applicants_screen(&rep, fp, &o, &err) == 0) {
 *         sanctum_applicants_write_jsonl(rep, stdout, &err);
 *         sanctum_applicants_report_free(rep);
 *     }
 *
 * The report holds all records in memory (clustering needs all of them).
 */
#ifndef SANCTUM_APPLICANTS_H
#define SANCTUM_APPLICANTS_H

#include <stdio.h>

#include "common.h"
#include "ident.h"
#include "match.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Name hits below this are not reported for applicants: applicants carry
 * ordinary names, so the bar sits a little above the screen default. */
#define SANCTUM_APPLICANTS_DEFAULT_MIN_SCORE 0.85
/* Longest input line accepted (longer lines become error records). */
#define SANCTUM_APPLICANTS_MAX_LINE ((size_t)1024 * 1024)
/* Default cap on the number of records in one run. */
#define SANCTUM_APPLICANTS_MAX_RECORDS ((size_t)200000)
/* Score at or above which an applicant is "medium" and "high" risk. A
 * sanctions hit makes an applicant "high" whatever the score. */
#define SANCTUM_APPLICANTS_MEDIUM 25
#define SANCTUM_APPLICANTS_HIGH 50

typedef enum sanctum_applicant_risk {
    SANCTUM_APPLICANT_LOW = 0,
    SANCTUM_APPLICANT_MEDIUM = 1,
    SANCTUM_APPLICANT_HIGH = 2
} sanctum_applicant_risk;

/* "low", "medium" or "high". */
SANCTUM_EXTERN const char *sanctum_applicant_risk_name(sanctum_applicant_risk r);

/* One rule of the fixed table (static storage). */
typedef struct sanctum_applicant_rule_def {
    const char *id;        /* stable identifier, e.g. "PAYEE_NAME_MISMATCH" */
    int weight;            /* added to the score when the rule fires */
    const char *source;    /* "advisory 2022", "FBI PSA 2024", ... */
    const char *meaning;   /* one sentence for a reader of the report */
} sanctum_applicant_rule_def;

SANCTUM_EXTERN size_t sanctum_applicants_rule_count(void);
SANCTUM_EXTERN const sanctum_applicant_rule_def *sanctum_applicants_rule_at(size_t i);
/* The rule with this id, or NULL. */
SANCTUM_EXTERN const sanctum_applicant_rule_def *sanctum_applicants_rule_find(const char *id);

/* A rule that fired for one applicant. */
typedef struct sanctum_applicant_rule {
    const sanctum_applicant_rule_def *def;
    const char *evidence;  /* what was seen, e.g. "holder \"P. Novak\" is none of the applicant's names" */
} sanctum_applicant_rule;

/* The outcome for one input record. Pointers are borrowed from the report. */
typedef struct sanctum_applicant_result {
    const char *id;              /* the record's id as text ("" when it had none) */
    unsigned long line;          /* 1-based input line */
    const char *error;           /* non-NULL: the record was rejected (bad JSON, no id, ...) and not screened */
    int score;                   /* sum of the weights of the rules that fired */
    sanctum_applicant_risk risk;
    const sanctum_applicant_rule *rules; size_t n_rules;   /* in rule-table order */
    size_t n_sanctions_hits;     /* name, wallet and document hits */
    const char *cluster;         /* the cluster id ("C1", ...) or NULL */
    const char *const *warnings; size_t n_warnings;  /* fields ignored or only partly used, by name */
} sanctum_applicant_result;

/* A group of records linked by shared values. */
typedef struct sanctum_applicant_cluster {
    const char *id;                          /* "C1", "C2", ... in order of first member */
    const char *const *members; size_t n_members; /* record ids, in input order */
    size_t n_shared;                         /* distinct shared values */
} sanctum_applicant_cluster;

#define SANCTUM_APPLICANTS_OPTIONS_VERSION 1
typedef struct sanctum_applicants_options {
    unsigned version;                  /* SANCTUM_APPLICANTS_OPTIONS_VERSION */
    const sanctum_index *index;        /* name screening; NULL: names are not screened (noted per record) */
    const sanctum_ident_index *ident;  /* wallet and document screening; NULL: not screened (noted) */
    double min_score;                  /* name hits; < 0: SANCTUM_APPLICANTS_DEFAULT_MIN_SCORE */
    const char *input_name;            /* used in error messages; may be NULL */
    size_t max_records;                /* 0: SANCTUM_APPLICANTS_MAX_RECORDS */
} sanctum_applicants_options;
#define SANCTUM_APPLICANTS_OPTIONS_INIT { SANCTUM_APPLICANTS_OPTIONS_VERSION, NULL, NULL, -1.0, NULL, 0 }

typedef struct sanctum_applicants_report sanctum_applicants_report;

/* Reads every record of `in`, screens it and links records into clusters.
 * A bad record (invalid JSON, not an object, missing id, over-long line)
 * becomes a result with `error` set and the run goes on; a field of the wrong
 * type is ignored and named in the record's warnings. Returns 0 with *out
 * set, or a negative code (read error, SANCTUM_ELIMIT when there are more
 * than max_records records, out of memory) with err filled in. Free the
 * report with sanctum_applicants_report_free(). */
SANCTUM_EXTERN int sanctum_applicants_screen(sanctum_applicants_report **out, FILE *in,
                                             const sanctum_applicants_options *opts, sanctum_error *err);

/* Results in input order, one per non-blank line. */
SANCTUM_EXTERN size_t sanctum_applicants_count(const sanctum_applicants_report *rep);
SANCTUM_EXTERN const sanctum_applicant_result *sanctum_applicants_at(const sanctum_applicants_report *rep, size_t i);
/* The first result with this id, or NULL. */
SANCTUM_EXTERN const sanctum_applicant_result *sanctum_applicants_find(const sanctum_applicants_report *rep,
                                                                       const char *id);
/* 1 when rule `rule_id` fired for the result. */
SANCTUM_EXTERN int sanctum_applicant_has_rule(const sanctum_applicant_result *r, const char *rule_id);
/* Records rejected as errors. */
SANCTUM_EXTERN size_t sanctum_applicants_error_count(const sanctum_applicants_report *rep);

SANCTUM_EXTERN size_t sanctum_applicants_cluster_count(const sanctum_applicants_report *rep);
SANCTUM_EXTERN const sanctum_applicant_cluster *sanctum_applicants_cluster_at(const sanctum_applicants_report *rep,
                                                                              size_t i);

/* One JSON line per result in input order:
 *   {"id": ..., "line": N, "risk": "high", "score": 95, "rules": [{"rule": ...,
 *    "weight": ..., "source": ..., "evidence": ...}], "sanctions_hits": [...],
 *   "cluster": "C1" or null, "warnings": [...]}
 * (rejected records: {"id": ... or null, "line": N, "error": "file:line: ..."}),
 * then one line per cluster: {"cluster": "C1", "members": [...], "shared":
 * {"payment_account": [...], "ip": [...], ...}}. Returns 0 or SANCTUM_EIO /
 * SANCTUM_ENOMEM. */
SANCTUM_EXTERN int sanctum_applicants_write_jsonl(const sanctum_applicants_report *rep, FILE *out,
                                                  sanctum_error *err);
/* A self-contained HTML page for a hiring manager: totals, clusters, and one
 * card per applicant (riskiest first) with every rule's evidence and source. */
SANCTUM_EXTERN int sanctum_applicants_write_html(const sanctum_applicants_report *rep, FILE *out,
                                                 sanctum_error *err);

SANCTUM_EXTERN void sanctum_applicants_report_free(sanctum_applicants_report *rep);

#ifdef __cplusplus
}
#endif
#endif
