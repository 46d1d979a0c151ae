/*
 * output.c - writing an applicant report as JSON Lines (one line per record
 * in input order, then one per cluster) or as a self-contained HTML page for
 * a hiring manager: totals, the clusters with what their members share, and
 * one card per applicant, riskiest first, with each rule's evidence and
 * source. Everything taken from the input is HTML-escaped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "applicants/applicants_internal.h"
#include "util/error.h"

/* ---- JSON Lines ------------------------------------------------------------------ */

static json_t *record_json(const appl_record *r)
{
    json_t *o = json_object();
    if (!o) return NULL;
    const sanctum_applicant_result *p = &r->pub;
    if (p->error) {
        json_object_set_new(o, "id", *p->id ? json_string(p->id) : json_null());
        json_object_set_new(o, "line", json_integer((json_int_t)p->line));
        json_object_set_new(o, "error", json_string(p->error));
        return o;
    }
    json_object_set_new(o, "id", json_string(p->id));
    json_object_set_new(o, "line", json_integer((json_int_t)p->line));
    json_object_set_new(o, "risk", json_string(sanctum_applicant_risk_name(p->risk)));
    json_object_set_new(o, "score", json_integer(p->score));
    json_t *rules = json_array();
    for (size_t i = 0; rules && i < p->n_rules; i++) {
        json_t *ru = json_object();
        json_object_set_new(ru, "rule", json_string(p->rules[i].def->id));
        json_object_set_new(ru, "weight", json_integer(p->rules[i].def->weight));
        json_object_set_new(ru, "source", json_string(p->rules[i].def->source));
        json_object_set_new(ru, "evidence", json_string(p->rules[i].evidence));
        json_array_append_new(rules, ru);
    }
    json_object_set_new(o, "rules", rules ? rules : json_array());
    json_object_set_new(o, "sanctions_hits", r->hits ? json_incref(r->hits) : json_array());
    json_object_set_new(o, "cluster", p->cluster ? json_string(p->cluster) : json_null());
    json_t *w = json_array();
    for (size_t i = 0; w && i < p->n_warnings; i++) json_array_append_new(w, json_string(p->warnings[i]));
    json_object_set_new(o, "warnings", w ? w : json_array());
    return o;
}

static int write_json_line(json_t *o, FILE *out, sanctum_error *err)
{
    if (!o) return sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
    char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (!text) return sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
    int bad = fputs(text, out) == EOF || fputc('\n', out) == EOF;
    free(text);
    return bad ? sanctum_error_set(err, SANCTUM_EIO, NULL, 0, "cannot write the report") : 0;
}

int sanctum_applicants_write_jsonl(const sanctum_applicants_report *rep, FILE *out, sanctum_error *err)
{
    if (!rep || !out) return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "no report or output given");
    for (size_t i = 0; i < rep->n; i++) {
        int rc = write_json_line(record_json(&rep->recs[i]), out, err);
        if (rc) return rc;
    }
    for (size_t k = 0; k < rep->n_clusters; k++) {
        const sanctum_applicant_cluster *c = &rep->clusters[k];
        json_t *o = json_object(), *m = json_array();
        if (!o || !m) {
            json_decref(o);
            json_decref(m);
            return sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
        }
        for (size_t i = 0; i < c->n_members; i++) json_array_append_new(m, json_string(c->members[i]));
        json_object_set_new(o, "cluster", json_string(c->id));
        json_object_set_new(o, "members", m);
        json_object_set_new(o, "shared", json_incref(rep->cluster_shared[k]));
        int rc = write_json_line(o, out, err);
        if (rc) return rc;
    }
    return fflush(out) == 0 ? 0 : sanctum_error_set(err, SANCTUM_EIO, NULL, 0, "cannot write the report");
}

/* ---- HTML ------------------------------------------------------------------------- */

static void esc(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
    }
}

static const char css[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;background:#f4f5f7;"
    "color:#1d2430;font-size:14px}\n"
    "header{background:#1d2b45;color:#fff;padding:18px 32px}header h1{margin:0;font-size:22px}"
    "header p{margin:4px 0 0;color:#c7d0e0}\n"
    "main{padding:20px 32px;max-width:1180px}\n"
    ".totals{display:flex;gap:12px;margin-bottom:18px}.tile{background:#fff;border-radius:8px;padding:10px 18px;"
    "box-shadow:0 1px 2px rgba(0,0,0,.08);min-width:110px}.tile b{display:block;font-size:24px}\n"
    ".high{color:#b3261e}.medium{color:#a15c00}.low{color:#2e7d32}\n"
    ".badge{display:inline-block;border-radius:12px;padding:2px 10px;font-weight:600;font-size:12px;color:#fff}"
    ".badge.high{background:#b3261e}.badge.medium{background:#d98200}.badge.low{background:#2e7d32}\n"
    ".card{background:#fff;border-radius:8px;margin:0 0 12px;padding:12px 16px;"
    "box-shadow:0 1px 2px rgba(0,0,0,.08);border-left:5px solid #2e7d32}"
    ".card.r-high{border-left-color:#b3261e}.card.r-medium{border-left-color:#d98200}\n"
    ".card h3{margin:0 0 6px;font-size:16px;color:#1d2430}.card h3 span{margin-left:8px}"
    ".meta{color:#5b6575;font-weight:400;font-size:13px}\n"
    "table{border-collapse:collapse;width:100%;margin-top:6px}th,td{text-align:left;padding:5px 8px;"
    "border-bottom:1px solid #e6e8ec;vertical-align:top}th{font-size:12px;color:#5b6575;text-transform:uppercase}\n"
    "td.w{width:48px;text-align:right;font-variant-numeric:tabular-nums}td.id{width:210px;font-family:monospace;"
    "font-size:12px}td.src{width:170px;color:#5b6575;font-size:12px}\n"
    "section{margin-bottom:22px}h2{font-size:17px;margin:18px 0 8px}\n"
    ".hit{background:#fdecea;border-radius:6px;padding:6px 10px;margin-top:6px}"
    ".warn{color:#7a5a00;font-size:12px;margin-top:6px}.clean{color:#5b6575}\n"
    ".cluster{background:#fff;border-radius:8px;padding:10px 16px;margin-bottom:10px;"
    "box-shadow:0 1px 2px rgba(0,0,0,.08)}code{font-size:12px;background:#eef0f4;padding:1px 4px;border-radius:3px}\n";

static int risk_order(const void *a, const void *b)
{
    const appl_record *x = *(const appl_record *const *)a, *y = *(const appl_record *const *)b;
    if (x->pub.risk != y->pub.risk) return x->pub.risk > y->pub.risk ? -1 : 1;
    if (x->pub.score != y->pub.score) return x->pub.score > y->pub.score ? -1 : 1;
    return (x->pub.line > y->pub.line) - (x->pub.line < y->pub.line);
}

static void html_hits(FILE *f, const appl_record *r)
{
    size_t i;
    json_t *h;
    json_array_foreach(r->hits, i, h) {
        const char *ent = json_string_value(json_object_get(h, "entity"));
        const char *name = json_string_value(json_object_get(h, "name"));
        const char *field = json_string_value(json_object_get(h, "field"));
        double score = json_number_value(json_object_get(h, "score"));
        fputs("<div class=\"hit\"><b>Sanctions hit</b> ", f);
        esc(f, ent);
        fputs(" &mdash; ", f);
        esc(f, name);
        const char *currency = json_string_value(json_object_get(h, "currency"));
        if (currency) {
            fputs(" (listed under ", f);
            esc(f, currency);
            fputs(")", f);
        }
        fprintf(f, " (score %.2f, from <code>", score);
        esc(f, field);
        fputs("</code>)</div>\n", f);
    }
}

static void html_card(FILE *f, const appl_record *r)
{
    const sanctum_applicant_result *p = &r->pub;
    const char *risk = sanctum_applicant_risk_name(p->risk);
    fprintf(f, "<div class=\"card r-%s\"><h3>", risk);
    esc(f, p->id);
    fprintf(f, "<span class=\"badge %s\">%s</span><span class=\"meta\"> score %d", risk, risk, p->score);
    if (p->cluster) {
        fputs(" &middot; cluster ", f);
        esc(f, p->cluster);
    }
    fprintf(f, " &middot; line %lu", p->line);
    const char *name = r->names.n ? r->names.v[0] : NULL;
    if (name) {
        fputs(" &middot; ", f);
        esc(f, name);
    }
    if (r->claimed_raw) {
        fputs(" &middot; claims ", f);
        esc(f, r->city ? r->city : "");
        fputs(r->city ? ", " : "", f);
        esc(f, r->claimed_raw);
    }
    fputs("</span></h3>\n", f);
    if (!p->n_rules) {
        fputs("<div class=\"clean\">No warning signs found.</div>\n", f);
    } else {
        fputs("<table><tr><th>Rule</th><th>Weight</th><th>What was seen</th><th>Source</th></tr>\n", f);
        for (size_t i = 0; i < p->n_rules; i++) {
            fputs("<tr><td class=\"id\">", f);
            esc(f, p->rules[i].def->id);
            fprintf(f, "</td><td class=\"w\">%d</td><td>", p->rules[i].def->weight);
            esc(f, p->rules[i].evidence);
            fputs("</td><td class=\"src\">", f);
            esc(f, p->rules[i].def->source);
            fputs("</td></tr>\n", f);
        }
        fputs("</table>\n", f);
    }
    html_hits(f, r);
    for (size_t i = 0; i < p->n_warnings; i++) {
        fputs("<div class=\"warn\">&#9888; ", f);
        esc(f, p->warnings[i]);
        fputs("</div>\n", f);
    }
    fputs("</div>\n", f);
}

int sanctum_applicants_write_html(const sanctum_applicants_report *rep, FILE *f, sanctum_error *err)
{
    if (!rep || !f) return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "no report or output given");
    size_t counts[3] = { 0, 0, 0 };
    const appl_record **order = malloc((rep->n ? rep->n : 1) * sizeof *order);
    if (!order) return sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < rep->n; i++) {
        if (rep->recs[i].pub.error) continue;
        counts[rep->recs[i].pub.risk]++;
        order[n++] = &rep->recs[i];
    }
    qsort(order, n, sizeof *order, risk_order);

    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
               "<title>Applicant screen</title>\n<style>\n%s</style></head><body>\n", css);
    fprintf(f, "<header><h1>Applicant screen</h1><p>%zu records screened for the signs of remote IT workers "
               "under false identities (sanctions, identity, logins, pay, equipment, interviews, links between "
               "records).</p></header>\n<main>\n", rep->n);
    fprintf(f, "<div class=\"totals\"><div class=\"tile high\"><b>%zu</b>high risk</div>"
               "<div class=\"tile medium\"><b>%zu</b>medium risk</div><div class=\"tile low\"><b>%zu</b>low risk"
               "</div><div class=\"tile\"><b>%zu</b>clusters</div><div class=\"tile\"><b>%zu</b>rejected lines"
               "</div></div>\n",
            counts[2], counts[1], counts[0], rep->n_clusters, rep->n_errors);
    fprintf(f, "<p class=\"meta\">Risk: <b class=\"high\">high</b> at a score of %d or any sanctions hit, "
               "<b class=\"medium\">medium</b> from %d, otherwise <b class=\"low\">low</b>. The score adds the "
               "weights of the rules that fired. A sign is a reason to look closer, not proof.</p>\n",
            SANCTUM_APPLICANTS_HIGH, SANCTUM_APPLICANTS_MEDIUM);

    if (rep->n_clusters) {
        fputs("<section><h2>Linked records</h2>\n", f);
        for (size_t k = 0; k < rep->n_clusters; k++) {
            const sanctum_applicant_cluster *c = &rep->clusters[k];
            fputs("<div class=\"cluster\"><b>", f);
            esc(f, c->id);
            fprintf(f, "</b> &mdash; %zu records: ", c->n_members);
            for (size_t i = 0; i < c->n_members; i++) {
                fputs(i ? ", " : "", f);
                esc(f, c->members[i]);
            }
            fputs("<table><tr><th>Shared</th><th>Values</th></tr>\n", f);
            const char *key;
            json_t *vals;
            json_object_foreach(rep->cluster_shared[k], key, vals) {
                fputs("<tr><td class=\"id\">", f);
                esc(f, key);
                fputs("</td><td>", f);
                size_t i;
                json_t *v;
                json_array_foreach(vals, i, v) {
                    fputs(i ? " &middot; " : "", f);
                    fputs("<code>", f);
                    esc(f, json_string_value(v));
                    fputs("</code>", f);
                }
                fputs("</td></tr>\n", f);
            }
            fputs("</table></div>\n", f);
        }
        fputs("</section>\n", f);
    }

    fputs("<section><h2>Applicants, riskiest first</h2>\n", f);
    for (size_t i = 0; i < n; i++) html_card(f, order[i]);
    fputs("</section>\n", f);
    free(order);

    if (rep->n_errors) {
        fputs("<section><h2>Rejected lines</h2>\n", f);
        for (size_t i = 0; i < rep->n; i++) {
            if (!rep->recs[i].pub.error) continue;
            fputs("<div class=\"warn\">", f);
            esc(f, rep->recs[i].pub.error);
            fputs("</div>\n", f);
        }
        fputs("</section>\n", f);
    }
    fputs("<section><h2>Rules</h2><table><tr><th>Rule</th><th>Weight</th><th>Meaning</th><th>Source</th></tr>\n",
          f);
    for (size_t i = 0; i < APPL_RULE_COUNT; i++) {
        fputs("<tr><td class=\"id\">", f);
        esc(f, appl_rules[i].id);
        fprintf(f, "</td><td class=\"w\">%d</td><td>", appl_rules[i].weight);
        esc(f, appl_rules[i].meaning);
        fputs("</td><td class=\"src\">", f);
        esc(f, appl_rules[i].source);
        fputs("</td></tr>\n", f);
    }
    fputs("</table></section>\n</main></body></html>\n", f);
    if (ferror(f) || fflush(f) != 0) return sanctum_error_set(err, SANCTUM_EIO, NULL, 0, "cannot write the report");
    return 0;
}
