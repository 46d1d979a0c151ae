/*
 * ofac_remarks.h - reads the free-text Remarks cell of the OFAC SDN legacy
 * CSV into typed facts.
 *
 * The cell is a list of parts separated by "; " and closed by a ".", e.g.
 *     "DOB 25 Apr 1965; POB North Pyongan Province, North Korea; Gender Male;
 *      Passport 109420132 (Korea, North) issued 16 Oct 2019 expires 16 Oct 2024;
 *      alt. Digital Currency Address - ETH 0xb6f5...1f40; a.k.a. 'LAB 110'."
 * Each part becomes one or more facts: a date of birth, a place of birth, a
 * nationality, a document, a wallet, a weak alias, a link, a key/value
 * attribute, ... A part that matches no known shape is handed over verbatim
 * (SANCTUM_OFAC_VERBATIM), so nothing in the cell is lost.
 *
 * The parser knows nothing about entities: it calls a function for every
 * fact, and the caller stores it (the SDN loader puts it on the entity; the
 * fuzzer only looks at it). Strings in a fact are NUL-terminated and valid
 * only during the call.
 */
#ifndef SANCTUM_LISTS_OFAC_REMARKS_H
#define SANCTUM_LISTS_OFAC_REMARKS_H

#include <stddef.h>

#include "sanctum/entity.h"

typedef enum sanctum_ofac_fact_kind {
    SANCTUM_OFAC_DOB,          /* date: the parsed date, value: the text as written */
    SANCTUM_OFAC_POB,          /* value */
    SANCTUM_OFAC_NATIONALITY,  /* value */
    SANCTUM_OFAC_CITIZENSHIP,  /* value */
    SANCTUM_OFAC_GENDER,       /* value */
    SANCTUM_OFAC_DOCUMENT,     /* doc (type, number, country, issued, expires) */
    SANCTUM_OFAC_WALLET,       /* key: currency code, value: address */
    SANCTUM_OFAC_EMAIL,        /* value */
    SANCTUM_OFAC_WEBSITE,      /* value */
    SANCTUM_OFAC_PHONE,        /* value */
    SANCTUM_OFAC_NAME,         /* value: the name, name_kind: AKA/FKA/NKA (always weak) */
    SANCTUM_OFAC_LINK,         /* key: relation, value: target */
    SANCTUM_OFAC_ATTR,         /* key: a readable snake_case key, value */
    SANCTUM_OFAC_VERBATIM      /* value: the whole part, unrecognised */
} sanctum_ofac_fact_kind;

typedef struct sanctum_ofac_fact {
    sanctum_ofac_fact_kind kind;
    const char *key;
    const char *value;
    sanctum_date date;            /* SANCTUM_OFAC_DOB; date.text == value */
    sanctum_document doc;         /* SANCTUM_OFAC_DOCUMENT */
    sanctum_name_kind name_kind;  /* SANCTUM_OFAC_NAME */
    int alt;                      /* the part began with "alt." */
} sanctum_ofac_fact;

/* Receives one fact; returns 0 to go on, or a negative code that stops the
 * parse and is passed back. */
typedef int (*sanctum_ofac_fact_fn)(void *ctx, const sanctum_ofac_fact *fact);

/* How the parts of one or more cells were classified. Every part counts
 * once: parts == recognised + verbatim. */
typedef struct sanctum_ofac_remarks_stats {
    size_t parts;
    size_t recognised;
    size_t verbatim;
} sanctum_ofac_remarks_stats;

/* Parses len bytes of remarks text (need not be NUL-terminated; a NUL byte
 * ends it early): drops one
 * final ".", splits on "; ", skips empty parts, and reports facts through fn.
 * stats (may be NULL) is added to, not reset. Returns 0, SANCTUM_ENOMEM, or
 * whatever fn returned. */
int sanctum_ofac_remarks_parse(const char *text, size_t len, sanctum_ofac_fact_fn fn, void *ctx,
                               sanctum_ofac_remarks_stats *stats);

/* Parses a date as OFAC writes it: "25 Apr 1965", "Apr 1965", "1965",
 * "circa 1965", "1960 to 1962", "01 Jan 1960 to 31 Dec 1962", "circa
 * 1960-1962". Fills *d (text is left NULL) and returns 0, or returns
 * SANCTUM_EPARSE when the text has another shape. */
int sanctum_ofac_parse_date(const char *text, size_t len, sanctum_date *d);

#endif
