/*
 * applicants_internal.h - the parsed form of an applicant record, the rule
 * table's indexes and the helpers shared by the files of lib/applicants/:
 * reading (parse.c), name and address comparison (compare.c), the per-record
 * rules (rules.c), links between records (cluster.c) and output (output.c).
 */
#ifndef SANCTUM_APPLICANTS_INTERNAL_H
#define SANCTUM_APPLICANTS_INTERNAL_H

#include <jansson.h>
#include <stddef.h>

#include "sanctum/applicants.h"
#include "util/arena.h"
#include "util/strbuf.h"

/* Indexes into the rule table (rules.c); the order is the output order. */
enum {
    R_SANCTIONS_NAME,
    R_SANCTIONS_WALLET,
    R_SANCTIONS_DOCUMENT,
    R_NAME_MISMATCH,
    R_LOGIN_COUNTRY_MISMATCH,
    R_PHONE_COUNTRY_MISMATCH,
    R_LOGIN_FROM_CN_RU,
    R_LOGIN_MANY_COUNTRIES,
    R_MANY_ACCOUNTS_ONE_IP,
    R_LONG_SESSION,
    R_ANONYMIZED_NETWORK,
    R_CRYPTO_PAY,
    R_PAYEE_NAME_MISMATCH,
    R_PAY_COUNTRY_MISMATCH,
    R_SHARED_PAYMENT_ACCOUNT,
    R_SHARED_WALLET,
    R_SHIPPING_ADDRESS_MISMATCH,
    R_SHARED_SHIPPING_ADDRESS,
    R_CAMERA_REFUSED,
    R_IDENTITY_UNVERIFIED,
    R_REUSED_PHOTO,
    R_REUSED_RESUME,
    R_SHARED_CONTACT,
    R_REMOTE_ACCESS_TOOL,
    R_CLUSTER_MEMBER,
    APPL_RULE_COUNT
};

#define APPL_MAX_WARNINGS 16

typedef struct appl_strs {
    const char **v;
    size_t n;
} appl_strs;

typedef struct appl_phone {
    const char *number;
    int voip;
} appl_phone;

typedef struct appl_document {
    const char *type, *number, *country;
} appl_document;

typedef struct appl_payment {
    const char *kind, *number, *holder, *country;
    char cc[3];               /* resolved country, "" when none or unknown */
} appl_payment;

typedef struct appl_login {
    const char *time, *ip, *country;
    long long t;              /* seconds since the epoch */
    int has_t;
    char cc[3];
    long long asn;
    int vpn, hosting;
    double duration_h;        /* < 0: not given */
} appl_login;

typedef struct appl_record {
    sanctum_applicant_result pub;
    json_t *root;             /* the parsed line; strings below are borrowed from it */
    appl_strs names, emails, addresses, shipping, requests, wallets, tools, photos, urls;
    appl_phone *phones; size_t n_phones;
    appl_document *docs; size_t n_docs;
    appl_payment *pays; size_t n_pays;
    appl_login *logins; size_t n_logins;
    const char *resume_hash;
    const char *claimed_raw, *city;
    char claimed[3];          /* resolved claimed country, "" when none or unknown */
    int camera_refused;       /* 1 true, 0 false, -1 not given */
    int identity_verified;
    /* built while screening */
    sanctum_strbuf ev[APPL_RULE_COUNT]; /* evidence per rule; a rule fired when its buffer is non-empty */
    json_t *hits;             /* sanctions hits */
    const char *warn[APPL_MAX_WARNINGS];
    size_t n_warn, more_warn;
    sanctum_applicant_rule rules[APPL_RULE_COUNT];
    size_t cluster_index;     /* into report->clusters, or (size_t)-1 */
} appl_record;

struct sanctum_applicants_report {
    sanctum_arena arena;
    appl_record *recs;
    size_t n, cap;
    size_t n_errors;
    sanctum_applicant_cluster *clusters;
    json_t **cluster_shared;  /* per cluster: {"kind": [values...]} */
    size_t n_clusters;
};

/* The rule table (rules.c). */
extern const sanctum_applicant_rule_def appl_rules[APPL_RULE_COUNT];

/* parse.c: reads every line of `in` into rep->recs. */
int appl_read(sanctum_applicants_report *rep, FILE *in, const sanctum_applicants_options *o, sanctum_error *err);
/* Adds a field warning to a record (formatted; kept in the report's arena). */
void appl_warn(sanctum_applicants_report *rep, appl_record *r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Adds evidence to rule `rule` of a record ("; " between pieces). */
void appl_evidence(appl_record *r, int rule, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* compare.c */
/* 1 when two personal names can be the same person: every token of the
 * shorter name matches one of the longer (exactly, as the same Korean
 * syllables, as an initial, a prefix of 3+ letters, or within one edit for
 * tokens of 4+ letters), with adjacent tokens also tried joined. */
int appl_names_agree(const char *a, const char *b);
/* Comparable form of a postal address (folded, common words abbreviated),
 * written to out; returns 0, or -1 when nothing is left. */
int appl_address_key(const char *addr, sanctum_strbuf *out);
/* ISO alpha-2 country of an international phone number ("+7 ...": "RU"),
 * or NULL when the number has no known country code. "+1" gives "US" (NANP). */
const char *appl_phone_country(const char *number);

/* rules.c: the checks that look at one record alone, and sanctions. */
int appl_check_record(sanctum_applicants_report *rep, appl_record *r, const sanctum_applicants_options *o,
                      sanctum_error *err);

/* cluster.c: shared values, clusters and the rules they raise. */
int appl_link(sanctum_applicants_report *rep, sanctum_error *err);

#endif
