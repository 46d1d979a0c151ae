/*
 * applicants.c - the applicant screen as a whole: read the records, run the
 * per-record rules, link records into clusters, then turn each record's
 * evidence into its list of fired rules, its score and its risk level.
 * Also the report's accessors and its release.
 */
#include <stdlib.h>
#include <string.h>

#include "applicants/applicants_internal.h"
#include "util/error.h"

const char *sanctum_applicant_risk_name(sanctum_applicant_risk r)
{
    switch (r) {
    case SANCTUM_APPLICANT_HIGH: return "high";
    case SANCTUM_APPLICANT_MEDIUM: return "medium";
    default: return "low";
    }
}

static int finish(sanctum_applicants_report *rep, appl_record *r)
{
    size_t n = 0;
    int score = 0;
    for (int i = 0; i < APPL_RULE_COUNT; i++) {
        if (!r->ev[i].len) continue;
        const char *ev = sanctum_arena_strdup(&rep->arena, r->ev[i].data);
        if (!ev) return SANCTUM_ENOMEM;
        r->rules[n].def = &appl_rules[i];
        r->rules[n].evidence = ev;
        score += appl_rules[i].weight;
        n++;
    }
    if (r->more_warn) {
        /* The last slot says how many more there were. */
        char buf[96];
        snprintf(buf, sizeof buf, "%zu more field problems not listed", r->more_warn + 1);
        const char *s = sanctum_arena_strdup(&rep->arena, buf);
        if (!s) return SANCTUM_ENOMEM;
        r->warn[APPL_MAX_WARNINGS - 1] = s;
    }
    r->pub.rules = r->rules;
    r->pub.n_rules = n;
    r->pub.score = score;
    r->pub.warnings = r->warn;
    r->pub.n_warnings = r->n_warn;
    if (r->pub.n_sanctions_hits || score >= SANCTUM_APPLICANTS_HIGH) r->pub.risk = SANCTUM_APPLICANT_HIGH;
    else if (score >= SANCTUM_APPLICANTS_MEDIUM) r->pub.risk = SANCTUM_APPLICANT_MEDIUM;
    else r->pub.risk = SANCTUM_APPLICANT_LOW;
    return 0;
}

int sanctum_applicants_screen(sanctum_applicants_report **out, FILE *in, const sanctum_applicants_options *opts,
                              sanctum_error *err)
{
    if (!out || !in) return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "no output or input given");
    *out = NULL;
    sanctum_applicants_options o = SANCTUM_APPLICANTS_OPTIONS_INIT;
    if (opts) {
        if (opts->version != SANCTUM_APPLICANTS_OPTIONS_VERSION)
            return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "unknown options version %u", opts->version);
        o = *opts;
    }
    if (!o.input_name) o.input_name = "<input>";
    sanctum_applicants_report *rep = calloc(1, sizeof *rep);
    if (!rep) return sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
    sanctum_arena_init(&rep->arena);
    int rc = appl_read(rep, in, &o, err);
    for (size_t i = 0; rc == 0 && i < rep->n; i++)
        if (!rep->recs[i].pub.error) rc = appl_check_record(rep, &rep->recs[i], &o, err);
    if (rc == 0) rc = appl_link(rep, err);
    for (size_t i = 0; rc == 0 && i < rep->n; i++)
        if (!rep->recs[i].pub.error && finish(rep, &rep->recs[i]) != 0)
            rc = sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < rep->n; i++)
        for (int k = 0; k < APPL_RULE_COUNT; k++) sanctum_strbuf_free(&rep->recs[i].ev[k]);
    if (rc != 0) {
        sanctum_applicants_report_free(rep);
        return rc;
    }
    *out = rep;
    return 0;
}

size_t sanctum_applicants_count(const sanctum_applicants_report *rep) { return rep ? rep->n : 0; }

const sanctum_applicant_result *sanctum_applicants_at(const sanctum_applicants_report *rep, size_t i)
{
    return rep && i < rep->n ? &rep->recs[i].pub : NULL;
}

const sanctum_applicant_result *sanctum_applicants_find(const sanctum_applicants_report *rep, const char *id)
{
    for (size_t i = 0; rep && id && i < rep->n; i++)
        if (strcmp(rep->recs[i].pub.id, id) == 0) return &rep->recs[i].pub;
    return NULL;
}

int sanctum_applicant_has_rule(const sanctum_applicant_result *r, const char *rule_id)
{
    for (size_t i = 0; r && rule_id && i < r->n_rules; i++)
        if (strcmp(r->rules[i].def->id, rule_id) == 0) return 1;
    return 0;
}

size_t sanctum_applicants_error_count(const sanctum_applicants_report *rep) { return rep ? rep->n_errors : 0; }

size_t sanctum_applicants_cluster_count(const sanctum_applicants_report *rep) { return rep ? rep->n_clusters : 0; }

const sanctum_applicant_cluster *sanctum_applicants_cluster_at(const sanctum_applicants_report *rep, size_t i)
{
    return rep && i < rep->n_clusters ? &rep->clusters[i] : NULL;
}

void sanctum_applicants_report_free(sanctum_applicants_report *rep)
{
    if (!rep) return;
    for (size_t i = 0; i < rep->n; i++) {
        for (int k = 0; k < APPL_RULE_COUNT; k++) sanctum_strbuf_free(&rep->recs[i].ev[k]);
        json_decref(rep->recs[i].hits);
        json_decref(rep->recs[i].root);
    }
    for (size_t i = 0; rep->cluster_shared && i < rep->n_clusters; i++) json_decref(rep->cluster_shared[i]);
    free(rep->cluster_shared);
    free(rep->clusters);
    free(rep->recs);
    sanctum_arena_free(&rep->arena);
    free(rep);
}
