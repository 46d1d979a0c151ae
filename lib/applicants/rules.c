/*
 * rules.c - the rule table and the checks that look at one applicant record
 * alone: sanctions screening of every name, payment holder, wallet and
 * identity document; identity and location inconsistencies; login
 * patterns; pay; equipment shipping; interviews; remote-access tools.
 *
 * Each rule has a stable id, a weight and the public source that names the
 * sign. Sources: "advisory 2022" is the US State/Treasury/FBI guidance on
 * DPRK information technology workers of 16 May 2022; "FBI PSA 2023" the
 * FBI and ROK update of 18 Oct 2023; "FBI PSA 2024" the PSA of 16 May 2024
 * on US-based facilitators; "FBI PSA 2025" the PSAs of 23 Jan 2025 and
 * 23 Jul 2025 (data extortion, laptop farms). docs/APPLICANTS.md explains
 * each rule and its weight. Checks that compare one record with the others
 * (shared accounts, addresses, photos, IPs) are in cluster.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "applicants/applicants_internal.h"
#include "sanctum/json.h"
#include "util/error.h"

const sanctum_applicant_rule_def appl_rules[APPL_RULE_COUNT] = {
    [R_SANCTIONS_NAME] = { "SANCTIONS_NAME", 100, "OFAC SDN / UN lists; advisory 2022",
                           "A name or payment holder of the applicant matches a listed person or entity." },
    [R_SANCTIONS_WALLET] = { "SANCTIONS_WALLET", 100, "OFAC SDN list; advisory 2022",
                             "A wallet the applicant gave for pay is a listed digital currency address." },
    [R_SANCTIONS_DOCUMENT] = { "SANCTIONS_DOCUMENT", 100, "OFAC SDN / UN lists",
                               "An identity document number of the applicant is one a listed person holds." },
    [R_NAME_MISMATCH] = { "NAME_MISMATCH", 15, "advisory 2022",
                          "The applicant's names (legal, display, on documents) do not belong to one person." },
    [R_LOGIN_COUNTRY_MISMATCH] = { "LOGIN_COUNTRY_MISMATCH", 15, "advisory 2022",
                                   "Logins come from countries other than the one the applicant claims." },
    [R_PHONE_COUNTRY_MISMATCH] = { "PHONE_COUNTRY_MISMATCH", 10, "advisory 2022",
                                   "A phone number's country code is not the claimed country." },
    [R_LOGIN_FROM_CN_RU] = { "LOGIN_FROM_CN_RU", 25, "advisory 2022; FBI PSA 2023",
                             "Logins from China, Russia or North Korea, where most of these workers are "
                             "based, while the applicant claims to live elsewhere." },
    [R_LOGIN_MANY_COUNTRIES] = { "LOGIN_MANY_COUNTRIES", 15, "advisory 2022; FBI PSA 2025",
                                 "One account logged in from several countries in a short time (two within "
                                 "2 hours, or three within 24 hours)." },
    [R_MANY_ACCOUNTS_ONE_IP] = { "MANY_ACCOUNTS_ONE_IP", 20, "advisory 2022",
                                 "Three or more accounts logged in from the same IP address." },
    [R_LONG_SESSION] = { "LONG_SESSION", 15, "advisory 2022",
                         "A session lasted a day or more: the account is likely shared by several people." },
    [R_ANONYMIZED_NETWORK] = { "ANONYMIZED_NETWORK", 10, "advisory 2022; FBI PSA 2023",
                               "Logins through a VPN or a hosting provider's network, which hides the "
                               "worker's real location." },
    [R_CRYPTO_PAY] = { "CRYPTO_PAY", 15, "advisory 2022",
                       "The applicant asks to be paid in digital currency or gave wallets for pay." },
    [R_PAYEE_NAME_MISMATCH] = { "PAYEE_NAME_MISMATCH", 25, "FBI PSA 2024; FBI PSA 2025",
                                "A payment account is held in the name of someone other than the applicant." },
    [R_PAY_COUNTRY_MISMATCH] = { "PAY_COUNTRY_MISMATCH", 15, "advisory 2022",
                                 "Pay goes to an account in a country other than the claimed one (for "
                                 "example a bank in China)." },
    [R_SHARED_PAYMENT_ACCOUNT] = { "SHARED_PAYMENT_ACCOUNT", 30, "advisory 2022; FBI PSA 2025",
                                   "Another applicant is paid into the same account." },
    [R_SHARED_WALLET] = { "SHARED_WALLET", 30, "advisory 2022",
                          "Another applicant gave the same wallet address." },
    [R_SHIPPING_ADDRESS_MISMATCH] = { "SHIPPING_ADDRESS_MISMATCH", 20, "FBI PSA 2024; FBI PSA 2025",
                                      "Equipment is to be shipped to an address that is not the applicant's "
                                      "(a possible laptop farm)." },
    [R_SHARED_SHIPPING_ADDRESS] = { "SHARED_SHIPPING_ADDRESS", 30, "FBI PSA 2024; FBI PSA 2025",
                                    "Equipment for several applicants goes to the same address." },
    [R_CAMERA_REFUSED] = { "CAMERA_REFUSED", 15, "FBI PSA 2023; FBI PSA 2025",
                           "The applicant refused to turn the camera on in the interview." },
    [R_IDENTITY_UNVERIFIED] = { "IDENTITY_UNVERIFIED", 10, "FBI PSA 2023; FBI PSA 2024",
                                "The applicant's identity could not be verified at the interview." },
    [R_REUSED_PHOTO] = { "REUSED_PHOTO", 25, "FBI PSA 2023; FBI PSA 2025",
                         "The applicant's photo is also used by another applicant." },
    [R_REUSED_RESUME] = { "REUSED_RESUME", 20, "advisory 2022; FBI PSA 2023",
                          "The applicant's resume is identical to another applicant's." },
    [R_SHARED_CONTACT] = { "SHARED_CONTACT", 25, "FBI PSA 2025",
                           "Another applicant uses the same e-mail address or phone number." },
    [R_REMOTE_ACCESS_TOOL] = { "REMOTE_ACCESS_TOOL", 20, "advisory 2022; FBI PSA 2024",
                               "Remote-access software or an IP-KVM runs on the work machine, letting "
                               "someone elsewhere work through it." },
    [R_CLUSTER_MEMBER] = { "CLUSTER_MEMBER", 20, "FBI PSA 2025",
                           "The applicant is one of several records linked by shared contact details, "
                           "accounts, addresses, photos or IPs: possibly one operator with many identities." },
};

size_t sanctum_applicants_rule_count(void) { return APPL_RULE_COUNT; }

const sanctum_applicant_rule_def *sanctum_applicants_rule_at(size_t i)
{
    return i < APPL_RULE_COUNT ? &appl_rules[i] : NULL;
}

const sanctum_applicant_rule_def *sanctum_applicants_rule_find(const char *id)
{
    for (size_t i = 0; id && i < APPL_RULE_COUNT; i++)
        if (strcmp(appl_rules[i].id, id) == 0) return &appl_rules[i];
    return NULL;
}

/* ---- sanctions ------------------------------------------------------------------ */

/* Adds a hit's JSON (text from the library) to the record with the field it came from. */
static int add_hit(appl_record *r, char *text, const char *path)
{
    if (!text) return SANCTUM_ENOMEM;
    json_t *h = json_loads(text, 0, NULL);
    sanctum_string_free(text);
    if (!h) return SANCTUM_ENOMEM;
    json_object_set_new(h, "field", json_string(path));
    if (!r->hits) r->hits = json_array();
    if (!r->hits || json_array_append_new(r->hits, h) != 0) return SANCTUM_ENOMEM;
    r->pub.n_sanctions_hits++;
    return 0;
}

static int screen_name(appl_record *r, const char *name, const char *path, const sanctum_applicants_options *o,
                       sanctum_applicants_report *rep)
{
    sanctum_query q = SANCTUM_QUERY_INIT;
    q.name = name;
    q.min_score = o->min_score < 0 ? SANCTUM_APPLICANTS_DEFAULT_MIN_SCORE : o->min_score;
    q.limit = 3;
    sanctum_result *res = NULL;
    sanctum_error e;
    if (sanctum_screen(&res, o->index, &q, &e) != 0) {
        if (e.code == SANCTUM_ENOMEM) return SANCTUM_ENOMEM;
        appl_warn(rep, r, "field %s: not screened (%s)", path, sanctum_strerror(e.code));
        return 0;
    }
    int rc = 0;
    for (size_t i = 0; i < sanctum_result_count(res) && rc == 0; i++) {
        const sanctum_hit *h = sanctum_result_hit(res, i);
        const sanctum_entity *ent = h->entity;
        appl_evidence(r, R_SANCTIONS_NAME, "%s \"%s\" ~ %s %s (%.2f)", path, name, ent->id,
                      ent->n_names ? ent->names[0].full : "", h->score);
        rc = add_hit(r, sanctum_hit_json(h), path);
    }
    sanctum_result_free(res);
    return rc;
}

static int add_ident_hits(appl_record *r, sanctum_ident_result *res, int rule, const char *path, const char *what)
{
    int rc = 0;
    size_t n = sanctum_ident_result_count(res);
    for (size_t i = 0; i < n && rc == 0; i++) {
        const sanctum_ident_hit *h = sanctum_ident_result_hit(res, i);
        int seen = 0;
        for (size_t j = 0; j < i; j++) seen |= sanctum_ident_result_hit(res, j)->entity == h->entity;
        if (!seen) {
            /* One piece of evidence per listed entity, naming every currency it is listed under. */
            char currencies[96] = "";
            for (size_t j = i; j < n; j++) {
                const sanctum_ident_hit *o = sanctum_ident_result_hit(res, j);
                if (o->entity != h->entity || !o->currency || strlen(currencies) + strlen(o->currency) + 3 >=
                                                                  sizeof currencies)
                    continue;
                if (*currencies) strcat(currencies, ", ");
                strcat(currencies, o->currency);
            }
            appl_evidence(r, rule, "%s %s \"%s\" is listed for %s %s%s%s (%.2f)", path, what,
                          h->listed ? h->listed : "", h->entity->id, h->entity->n_names ? h->entity->names[0].full : "",
                          *currencies ? " under " : "", currencies, h->score);
        }
        rc = add_hit(r, sanctum_ident_hit_json(h), path);
    }
    return rc;
}

static int check_sanctions(sanctum_applicants_report *rep, appl_record *r, const sanctum_applicants_options *o)
{
    char path[64];
    int rc = 0;
    if (o->index) {
        for (size_t i = 0; i < r->names.n && rc == 0; i++) {
            int seen = 0;
            for (size_t j = 0; j < i; j++) seen |= strcmp(r->names.v[j], r->names.v[i]) == 0;
            if (seen) continue;
            snprintf(path, sizeof path, "names[%zu]", i);
            rc = screen_name(r, r->names.v[i], path, o, rep);
        }
        for (size_t i = 0; i < r->n_pays && rc == 0; i++) {
            const char *h = r->pays[i].holder;
            if (!h) continue;
            int seen = 0;
            for (size_t j = 0; j < r->names.n; j++) seen |= strcmp(r->names.v[j], h) == 0;
            for (size_t j = 0; j < i; j++) seen |= r->pays[j].holder && strcmp(r->pays[j].holder, h) == 0;
            if (seen) continue;
            snprintf(path, sizeof path, "payment_accounts[%zu].holder", i);
            rc = screen_name(r, h, path, o, rep);
        }
    } else if (r->names.n || r->n_pays) {
        appl_warn(rep, r, "names were not screened: no name index was given");
    }
    if (rc) return rc;
    if (!o->ident) {
        if (r->wallets.n || r->n_docs) appl_warn(rep, r, "wallets and documents were not screened: no index given");
        return 0;
    }
    for (size_t i = 0; i < r->wallets.n && rc == 0; i++) {
        snprintf(path, sizeof path, "wallets[%zu]", i);
        sanctum_ident_result *res = NULL;
        sanctum_error e;
        if (sanctum_wallet_screen(&res, o->ident, r->wallets.v[i], &e) != 0) {
            if (e.code == SANCTUM_ENOMEM) return SANCTUM_ENOMEM;
            appl_warn(rep, r, "field %s: not screened (%s)", path, e.message);
            continue;
        }
        if (sanctum_ident_result_validity(res) == SANCTUM_WALLET_MALFORMED)
            appl_warn(rep, r, "field %s: %s", path, sanctum_ident_result_message(res));
        rc = add_ident_hits(r, res, R_SANCTIONS_WALLET, path, "address");
        sanctum_ident_result_free(res);
    }
    for (size_t i = 0; i < r->n_docs && rc == 0; i++) {
        const appl_document *d = &r->docs[i];
        snprintf(path, sizeof path, "documents[%zu]", i);
        sanctum_ident_result *res = NULL;
        sanctum_error e;
        int s = sanctum_document_screen(&res, o->ident, d->number, d->type, d->country, &e);
        if (s == SANCTUM_EINVAL && d->country) {
            appl_warn(rep, r, "field %s.country: unknown country \"%s\"; number screened without it", path,
                      d->country);
            s = sanctum_document_screen(&res, o->ident, d->number, d->type, NULL, &e);
        }
        if (s != 0) {
            if (e.code == SANCTUM_ENOMEM) return SANCTUM_ENOMEM;
            appl_warn(rep, r, "field %s: not screened (%s)", path, e.message);
            continue;
        }
        rc = add_ident_hits(r, res, R_SANCTIONS_DOCUMENT, path, d->type ? d->type : "document");
        sanctum_ident_result_free(res);
    }
    return rc;
}

/* ---- identity and location ----------------------------------------------------- */

static void check_names(appl_record *r)
{
    for (size_t i = 0; i < r->names.n; i++)
        for (size_t j = i + 1; j < r->names.n; j++)
            if (!appl_names_agree(r->names.v[i], r->names.v[j]))
                appl_evidence(r, R_NAME_MISMATCH, "\"%s\" and \"%s\" do not read as one person", r->names.v[i],
                              r->names.v[j]);
}

static int is_watch_country(const char *cc)
{
    return strcmp(cc, "CN") == 0 || strcmp(cc, "RU") == 0 || strcmp(cc, "KP") == 0;
}

/* Whether a +1 (NANP) number fits the claimed country. */
static int nanp(const char *cc)
{
    return strcmp(cc, "US") == 0 || strcmp(cc, "CA") == 0 || strcmp(cc, "PR") == 0;
}

static void check_phones(appl_record *r)
{
    if (!r->claimed[0]) return;
    for (size_t i = 0; i < r->n_phones; i++) {
        const char *cc = appl_phone_country(r->phones[i].number);
        if (!cc || strcmp(cc, r->claimed) == 0 || (strcmp(cc, "US") == 0 && nanp(r->claimed))) continue;
        appl_evidence(r, R_PHONE_COUNTRY_MISMATCH, "phones[%zu] %s is a %s number%s; claimed %s", i,
                      r->phones[i].number, strcmp(cc, "US") == 0 ? "+1 (US/CA)" : cc,
                      r->phones[i].voip ? " (VoIP)" : "", r->claimed);
    }
}

static int by_time(const void *a, const void *b)
{
    const appl_login *x = *(const appl_login *const *)a, *y = *(const appl_login *const *)b;
    return (x->t > y->t) - (x->t < y->t);
}

#define HOUR 3600LL

static void check_login_spread(appl_record *r)
{
    const appl_login **v = malloc(r->n_logins * sizeof *v);
    if (!v) return;
    size_t n = 0;
    for (size_t i = 0; i < r->n_logins; i++)
        if (r->logins[i].has_t && r->logins[i].cc[0]) v[n++] = &r->logins[i];
    qsort(v, n, sizeof *v, by_time);
    int found = 0;
    for (size_t i = 0; i + 1 < n && !found; i++) {
        if (strcmp(v[i]->cc, v[i + 1]->cc) != 0 && v[i + 1]->t - v[i]->t <= 2 * HOUR) {
            appl_evidence(r, R_LOGIN_MANY_COUNTRIES, "%s at %s then %s at %s", v[i]->cc, v[i]->time, v[i + 1]->cc,
                          v[i + 1]->time);
            found = 1;
        }
    }
    for (size_t i = 0; i < n && !found; i++) {
        const char *seen[3] = { v[i]->cc, NULL, NULL };
        size_t k = 1;
        for (size_t j = i + 1; j < n && v[j]->t - v[i]->t <= 24 * HOUR && k < 3; j++) {
            int dup = 0;
            for (size_t m = 0; m < k; m++) dup |= strcmp(seen[m], v[j]->cc) == 0;
            if (!dup) seen[k++] = v[j]->cc;
        }
        if (k >= 3) {
            appl_evidence(r, R_LOGIN_MANY_COUNTRIES, "%s, %s and %s within 24 hours from %s", seen[0], seen[1],
                          seen[2], v[i]->time);
            found = 1;
        }
    }
    free(v);
}

static void check_logins(appl_record *r)
{
    char others[128] = "", watch[64] = "";
    size_t long_sessions = 0, anon = 0;
    double longest = 0;
    for (size_t i = 0; i < r->n_logins; i++) {
        const appl_login *l = &r->logins[i];
        if (l->cc[0] && r->claimed[0] && strcmp(l->cc, r->claimed) != 0 && !strstr(others, l->cc) &&
            strlen(others) + 4 < sizeof others) {
            if (*others) strcat(others, ", ");
            strcat(others, l->cc);
        }
        if (l->cc[0] && is_watch_country(l->cc) && strcmp(l->cc, r->claimed) != 0 && !strstr(watch, l->cc) &&
            strlen(watch) + 4 < sizeof watch) {
            if (*watch) strcat(watch, ", ");
            strcat(watch, l->cc);
        }
        if (l->duration_h >= 24) {
            long_sessions++;
            if (l->duration_h > longest) longest = l->duration_h;
        }
        if (l->vpn || l->hosting) {
            if (anon++ == 0) {
                char asn[32] = "";
                if (l->asn > 0) snprintf(asn, sizeof asn, " AS%lld", l->asn);
                appl_evidence(r, R_ANONYMIZED_NETWORK, "logins[%zu] from %s%s through a %s", i, l->ip ? l->ip : "?",
                              asn, l->vpn && l->hosting ? "VPN on a hosting network" : l->vpn ? "VPN" : "hosting network");
            }
        }
    }
    if (anon > 1) appl_evidence(r, R_ANONYMIZED_NETWORK, "%zu of %zu logins in all", anon, r->n_logins);
    if (*others) appl_evidence(r, R_LOGIN_COUNTRY_MISMATCH, "logins from %s; claimed %s", others, r->claimed);
    if (*watch)
        appl_evidence(r, R_LOGIN_FROM_CN_RU, "logins from %s; claimed %s", watch,
                      r->claimed[0] ? r->claimed : "no country");
    if (long_sessions)
        appl_evidence(r, R_LONG_SESSION, "%zu session%s of 24 hours or more (longest %.0f h)", long_sessions,
                      long_sessions == 1 ? "" : "s", longest);
    if (r->n_logins > 1) check_login_spread(r);
}

/* ---- pay, equipment, interview, tools ------------------------------------------ */

static int mentions_crypto(const char *s)
{
    static const char *const words[] = { "crypto", "bitcoin", "btc", "eth", "usdt", "usdc", "tether",
                                         "stablecoin", "monero", "xmr", "wallet", "digital currency" };
    char low[128];
    size_t n = 0;
    for (; s[n] && n < sizeof low - 1; n++) low[n] = (char)tolower((unsigned char)s[n]);
    low[n] = '\0';
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strstr(low, words[i])) return 1;
    return 0;
}

static void check_pay(appl_record *r)
{
    for (size_t i = 0; i < r->requests.n; i++)
        if (mentions_crypto(r->requests.v[i]))
            appl_evidence(r, R_CRYPTO_PAY, "payment_requests[%zu] \"%s\"", i, r->requests.v[i]);
    if (r->wallets.n)
        appl_evidence(r, R_CRYPTO_PAY, "%zu wallet address%s given for pay", r->wallets.n,
                      r->wallets.n == 1 ? "" : "es");
    for (size_t i = 0; i < r->n_pays; i++) {
        const appl_payment *p = &r->pays[i];
        if (p->kind && mentions_crypto(p->kind))
            appl_evidence(r, R_CRYPTO_PAY, "payment_accounts[%zu] is a %s account", i, p->kind);
        if (p->holder && r->names.n) {
            int agrees = 0;
            for (size_t j = 0; j < r->names.n && !agrees; j++) agrees = appl_names_agree(p->holder, r->names.v[j]);
            if (!agrees)
                appl_evidence(r, R_PAYEE_NAME_MISMATCH, "payment_accounts[%zu] holder \"%s\" is none of the "
                              "applicant's names", i, p->holder);
        }
        if (p->cc[0] && r->claimed[0] && strcmp(p->cc, r->claimed) != 0)
            appl_evidence(r, R_PAY_COUNTRY_MISMATCH, "payment_accounts[%zu] %s account in %s; claimed %s", i,
                          p->kind ? p->kind : "payment", p->cc, r->claimed);
    }
}

static void check_shipping(appl_record *r)
{
    if (!r->shipping.n || !r->addresses.n) return;
    sanctum_strbuf a = SANCTUM_STRBUF_INIT, b = SANCTUM_STRBUF_INIT;
    for (size_t i = 0; i < r->shipping.n; i++) {
        if (appl_address_key(r->shipping.v[i], &a) != 0) continue;
        int own = 0;
        for (size_t j = 0; j < r->addresses.n && !own; j++)
            own = appl_address_key(r->addresses.v[j], &b) == 0 && strcmp(a.data, b.data) == 0;
        if (!own)
            appl_evidence(r, R_SHIPPING_ADDRESS_MISMATCH, "shipping_addresses[%zu] \"%s\" is not among the "
                          "applicant's addresses", i, r->shipping.v[i]);
    }
    sanctum_strbuf_free(&a);
    sanctum_strbuf_free(&b);
}

static void check_interview_and_tools(appl_record *r)
{
    if (r->camera_refused == 1) appl_evidence(r, R_CAMERA_REFUSED, "interview.camera_refused is true");
    if (r->identity_verified == 0) appl_evidence(r, R_IDENTITY_UNVERIFIED, "interview.identity_verified is false");
    if (r->tools.n) {
        char list[256] = "";
        for (size_t i = 0; i < r->tools.n; i++) {
            if (strlen(list) + strlen(r->tools.v[i]) + 3 >= sizeof list) break;
            if (*list) strcat(list, ", ");
            strcat(list, r->tools.v[i]);
        }
        appl_evidence(r, R_REMOTE_ACCESS_TOOL, "running: %s", list);
    }
}

int appl_check_record(sanctum_applicants_report *rep, appl_record *r, const sanctum_applicants_options *o,
                      sanctum_error *err)
{
    int rc = check_sanctions(rep, r, o);
    if (rc) return sanctum_error_set(err, rc, o->input_name, r->pub.line, "out of memory while screening");
    check_names(r);
    check_phones(r);
    check_logins(r);
    check_pay(r);
    check_shipping(r);
    check_interview_and_tools(r);
    return 0;
}
