/*
 * sanctum/entity.h - the one in-memory model every list is loaded into.
 *
 * An entity is a listed person, organization, vessel or aircraft. Its fields
 * are read-only and borrowed from the dataset that loaded it: they stay valid
 * until sanctum_dataset_free(). Any string may be NULL when the list does not
 * give it; every array comes with its count.
 */
#ifndef SANCTUM_ENTITY_H
#define SANCTUM_ENTITY_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Entity types are bit flags so that filters can combine them. */
typedef enum sanctum_entity_type {
    SANCTUM_TYPE_UNKNOWN = 0,
    SANCTUM_TYPE_PERSON = 1 << 0,
    SANCTUM_TYPE_ORGANIZATION = 1 << 1,
    SANCTUM_TYPE_VESSEL = 1 << 2,
    SANCTUM_TYPE_AIRCRAFT = 1 << 3,
    SANCTUM_TYPE_ANY = 0xF
} sanctum_entity_type;

/* "person", "organization", "vessel", "aircraft" or "unknown". */
SANCTUM_EXTERN const char *sanctum_type_name(sanctum_entity_type t);
/* Parses the names above (and "individual", "entity", "any"); returns
 * SANCTUM_EINVAL for anything else. */
SANCTUM_EXTERN int sanctum_type_parse(const char *s, sanctum_entity_type *out);
/* Parses a comma-separated list of the names above ("person,vessel") into
 * OR-ed flags; SANCTUM_EINVAL when a word is unknown or empty. */
SANCTUM_EXTERN int sanctum_types_parse(const char *csv, unsigned *out);
/* Whether s is a date of birth as queries give it: "YYYY", "YYYY-MM" or
 * "YYYY-MM-DD" with a plausible month and day. */
SANCTUM_EXTERN int sanctum_dob_valid(const char *s);

typedef enum sanctum_name_kind {
    SANCTUM_NAME_PRIMARY = 0,
    SANCTUM_NAME_AKA,       /* also known as */
    SANCTUM_NAME_FKA,       /* formerly known as */
    SANCTUM_NAME_NKA,       /* now known as */
    SANCTUM_NAME_ORIGINAL   /* the primary name in its original script */
} sanctum_name_kind;

typedef enum sanctum_name_quality {
    SANCTUM_QUALITY_STRONG = 0,
    SANCTUM_QUALITY_WEAK = 1  /* OFAC "weak aka", UN "Low" quality */
} sanctum_name_quality;

typedef enum sanctum_script {
    SANCTUM_SCRIPT_LATIN = 0,
    SANCTUM_SCRIPT_HANGUL,
    SANCTUM_SCRIPT_CYRILLIC,
    SANCTUM_SCRIPT_ARABIC,
    SANCTUM_SCRIPT_HAN,
    SANCTUM_SCRIPT_OTHER
} sanctum_script;

SANCTUM_EXTERN const char *sanctum_name_kind_name(sanctum_name_kind k);   /* "primary", "aka", ... */
SANCTUM_EXTERN const char *sanctum_script_name(sanctum_script s);         /* "latin", "hangul", ... */
/* The dominant script of a UTF-8 string (letters only are counted). */
SANCTUM_EXTERN sanctum_script sanctum_script_detect(const char *utf8);

typedef struct sanctum_name {
    const char *full;     /* as written on the list, e.g. "KIM, Sang Man" */
    const char *surname;  /* when the list separates it ("KIM"), else NULL */
    const char *given;    /* the rest ("Sang Man"), else NULL */
    sanctum_name_kind kind;
    sanctum_name_quality quality;
    sanctum_script script;
} sanctum_name;

/* A date as lists give it: any part may be unknown (0). A range sets the
 * `to_` fields; "circa"/"approximately" sets `circa`. `text` is the original. */
typedef struct sanctum_date {
    int year, month, day;
    int to_year, to_month, to_day;
    int circa;
    const char *text;
} sanctum_date;

typedef struct sanctum_document {
    const char *type;     /* "Passport", "National ID No.", "IMO", ... as listed */
    const char *number;
    const char *country;  /* issuing country, as written */
    const char *issued;   /* issue date text */
    const char *expires;  /* expiry date text */
    const char *note;     /* anything else said about it */
} sanctum_document;

typedef struct sanctum_wallet {
    const char *currency; /* "XBT", "ETH", "USDT", ... */
    const char *address;  /* exactly as listed (trailing sentence dot removed) */
} sanctum_wallet;

typedef struct sanctum_address {
    const char *street;
    const char *city;     /* OFAC gives city, state and postal code together */
    const char *state;
    const char *postal;
    const char *country;
    const char *note;
} sanctum_address;

typedef struct sanctum_link {
    const char *relation; /* "Linked To", ... */
    const char *target;   /* the listed name of the related party */
} sanctum_link;

/* Free-form key/value facts that are not worth a field of their own:
 * vessel call sign, flag, tonnage; "Organization Type"; unrecognised
 * remark parts are kept under the key "remark". */
typedef struct sanctum_attr {
    const char *key;
    const char *value;
} sanctum_attr;

/* How sure a link between two listings is: SANCTUM_LINK_SAME when the lists
 * share an identifier, a stated cross-reference, or name and date of birth;
 * SANCTUM_LINK_POSSIBLE for an editor's hint that is shown but never merged. */
typedef enum sanctum_link_strength {
    SANCTUM_LINK_SAME = 0,
    SANCTUM_LINK_POSSIBLE = 1
} sanctum_link_strength;

/* Another listing of the same party, usually on another list. */
typedef struct sanctum_entity_link {
    const struct sanctum_entity *entity; /* the other listing, in the same dataset */
    const char *reason;                  /* "same passport 109420132", "CSL row of SDN entity 43377", ... */
    sanctum_link_strength strength;
} sanctum_entity_link;

typedef struct sanctum_entity {
    const char *id;          /* "ofac-sdn:43377", "un-sc:KPi.066" */
    const char *source;      /* "ofac-sdn", "un-sc" */
    const char *key;         /* the id within its source: "43377", "KPi.066" */
    sanctum_entity_type type;

    const sanctum_name *names;   size_t n_names;   /* names[0] is the primary name */
    const char **programs;       size_t n_programs;
    const sanctum_date *dobs;    size_t n_dobs;
    const char **places_of_birth; size_t n_places_of_birth;
    const char **nationalities;  size_t n_nationalities;
    const char **citizenships;   size_t n_citizenships;
    const char *gender;
    const char *title;
    const sanctum_address *addresses; size_t n_addresses;
    const sanctum_document *documents; size_t n_documents;
    const sanctum_wallet *wallets; size_t n_wallets;
    const char **emails;   size_t n_emails;
    const char **websites; size_t n_websites;
    const char **phones;   size_t n_phones;
    const sanctum_link *links; size_t n_links;
    const char *listed_on;   /* ISO date when known */
    const char *remarks;     /* the complete remarks text, as published */
    const sanctum_attr *attrs; size_t n_attrs;
    /* Other listings of the same party, found once all lists are loaded
     * (see sanctum_dataset_links()): linked ones first, then possible ones. */
    const sanctum_entity_link *also_listed; size_t n_also_listed;
    /* Set when this record republishes another listing of the dataset (a
     * row of the US Consolidated Screening List copied from the SDN list):
     * screening then reports a match under that listing, which carries this
     * one among its also_listed, rather than the same party twice. */
    const struct sanctum_entity *same_as;
} sanctum_entity;

#ifdef __cplusplus
}
#endif
#endif
