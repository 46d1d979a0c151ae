/*
 * sanctum/ident.h - exact screening of digital currency addresses and
 * identity document numbers.
 *
 * Names need fuzzy matching; wallet addresses and document numbers do not:
 * they either are the listed value or they are not. What can hide a hit is
 * formatting, so both sides are normalized before comparing:
 *
 *  - wallets: whitespace and zero-width characters removed, URI forms
 *    ("bitcoin:...?amount=1", "ethereum:0x...@1/transfer?...") reduced to the
 *    address, then per format: EVM "0x"+40 hex and bech32/cashaddr compared
 *    lower-cased, base58 and Monero compared exactly (their case is part of
 *    the address). A query that breaks the rules of its format (an EIP-55
 *    checksum that does not verify, bech32 in mixed case, a base58check
 *    checksum mismatch) is reported as malformed but still looked up; a
 *    listed address is never dropped for failing validation.
 *  - documents: numbers compared with spaces, dashes, dots and slashes
 *    removed and upper-cased; "109 420 132" equals "109420132". The issuing
 *    country (name or ISO code) and the document type refine the score.
 *
 * Example:
 *     sanctum_ident_index *idx;
 *     sanctum_ident_index_build(&idx, ds, &err);
 *     sanctum_ident_result *r;
 *     sanctum_wallet_screen(&r, idx, "ethereum:0x098B716B...2f96@1?value=1", &err);
 *     for (size_t i = 0; i < sanctum_ident_result_count(r); i++)
 *         puts(sanctum_ident_result_hit(r, i)->entity->id);   // "ofac-sdn:27307"
 *     sanctum_ident_result_free(r);
 *     sanctum_ident_index_free(idx);
 */
#ifndef SANCTUM_IDENT_H
#define SANCTUM_IDENT_H

#include "common.h"
#include "dataset.h"
#include "entity.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- wallet address normalization ---------------------------------------- */

/* Longest normalized address accepted (OFAC allows 256 characters). */
#define SANCTUM_WALLET_MAX 256

typedef enum sanctum_wallet_validity {
    SANCTUM_WALLET_VALID = 0,     /* the format's checksum verified */
    SANCTUM_WALLET_UNCHECKED,     /* well-formed, but nothing to verify (e.g. EVM in one case) */
    SANCTUM_WALLET_MALFORMED,     /* breaks the rules of its format; still looked up */
    SANCTUM_WALLET_UNKNOWN        /* no known format; looked up exactly as cleaned */
} sanctum_wallet_validity;

/* "valid", "unchecked", "malformed" or "unknown". */
SANCTUM_EXTERN const char *sanctum_wallet_validity_name(sanctum_wallet_validity v);

/* What sanctum_wallet_normalize() learned about an address. */
typedef struct sanctum_wallet_info {
    char address[SANCTUM_WALLET_MAX + 1]; /* the normalized form: the index key */
    char format[16];   /* "evm", "bech32", "bech32m", "cashaddr", "base58check", "base58",
                          "monero", "hex", "unknown" */
    char chain[24];    /* best guess: "evm", "bitcoin", "litecoin", "bitcoin-cash", "tron",
                          "dogecoin", "dash", "zcash", "ripple", "monero", ... or "unknown" */
    sanctum_wallet_validity validity;
    char message[160]; /* why it is malformed or unchecked, or what was cleaned; "" if nothing */
} sanctum_wallet_info;

/* Normalizes one address as typed or pasted (see the top of this file).
 * Returns 0 and fills *out; SANCTUM_EINVAL when nothing is left after
 * cleaning (an empty address); SANCTUM_ELIMIT when the cleaned address is
 * longer than SANCTUM_WALLET_MAX. Never allocates; thread-safe. */
SANCTUM_EXTERN int sanctum_wallet_normalize(const char *input, sanctum_wallet_info *out, sanctum_error *err);

/* Keccak-256 as Ethereum uses it (original Keccak padding, not SHA3-256):
 * "" -> c5d24601...5d85a470. Writes 32 bytes. */
SANCTUM_EXTERN void sanctum_keccak256(const void *data, size_t len, unsigned char out[32]);

/* The EIP-55 mixed-case checksum form of an EVM address given in any case,
 * with or without "0x": writes "0x" + 40 characters and a NUL (43 bytes).
 * Returns 0, or SANCTUM_EINVAL when the input is not 40 hex digits. */
SANCTUM_EXTERN int sanctum_wallet_eip55(const char *address, char out[43]);

/* ---- identity document numbers ------------------------------------------- */

/* Writes the comparable form of a document number (ASCII letters
 * upper-cased; spaces, dashes, dots, slashes and other punctuation removed)
 * into out. Returns its length, or 0 when nothing is left or it does not fit. */
SANCTUM_EXTERN size_t sanctum_document_normalize(const char *number, char *out, size_t outsz);

/* Resolves a country name or ISO 3166 alpha-2/alpha-3 code to its alpha-2
 * code: "KP", "PRK", "Korea, North", "North Korea", "Democratic People's
 * Republic of Korea" -> "KP". Returns 0 and writes 3 bytes into code, or
 * SANCTUM_ENOTFOUND. Thread-safe. */
SANCTUM_EXTERN int sanctum_country_code(const char *country, char code[3]);

/* ---- the index ------------------------------------------------------------ */

typedef struct sanctum_ident_index sanctum_ident_index;

/* Indexes every wallet address and every identity document number of every
 * entity in ds. The dataset must outlive the index. Read-only once built:
 * any number of threads may query it at once. Free with
 * sanctum_ident_index_free(). */
SANCTUM_EXTERN int sanctum_ident_index_build(sanctum_ident_index **out, const sanctum_dataset *ds,
                                             sanctum_error *err);
SANCTUM_EXTERN void sanctum_ident_index_free(sanctum_ident_index *idx);

/* One listed (entity, currency, address) triple. */
typedef struct sanctum_ident_wallet {
    const sanctum_entity *entity;
    const char *currency;      /* as listed: "XBT", "ETH", "USDT", ... */
    const char *address;       /* as listed */
    const char *normalized;    /* the index key */
    const char *format;        /* see sanctum_wallet_info */
    const char *chain;
    sanctum_wallet_validity validity;
    const char *message;       /* "" when nothing to say */
} sanctum_ident_wallet;

/* Every listed wallet, ordered by currency, then address, then entity id.
 * Pointers are borrowed from the index. */
SANCTUM_EXTERN size_t sanctum_ident_wallet_count(const sanctum_ident_index *idx);
SANCTUM_EXTERN const sanctum_ident_wallet *sanctum_ident_wallet_at(const sanctum_ident_index *idx, size_t i);
/* The range [*first, *first + *count) of those listed under currency
 * (case-insensitive; NULL or "" means all). Returns 0, also when none. */
SANCTUM_EXTERN int sanctum_ident_wallet_range(const sanctum_ident_index *idx, const char *currency, size_t *first,
                                              size_t *count);
/* Currencies present, in order, with the number of listed wallets each. */
SANCTUM_EXTERN size_t sanctum_ident_currency_count(const sanctum_ident_index *idx);
SANCTUM_EXTERN const char *sanctum_ident_currency_at(const sanctum_ident_index *idx, size_t i, size_t *wallets);
/* Distinct normalized addresses, and indexed document numbers. */
SANCTUM_EXTERN size_t sanctum_ident_address_count(const sanctum_ident_index *idx);
SANCTUM_EXTERN size_t sanctum_ident_document_count(const sanctum_ident_index *idx);

/* ---- screening ------------------------------------------------------------ */

typedef struct sanctum_ident_hit {
    const sanctum_entity *entity;
    double score;                  /* 1.0 exact; lower when country or type disagree */
    const char *matched_field;     /* "wallet" or "document" */
    const char *listed;            /* the listed address or number, as listed */
    const char *listed_normalized;
    /* wallets */
    const char *currency;          /* as listed; NULL for documents */
    const sanctum_wallet *wallet;  /* the entity's record; NULL for documents */
    /* documents */
    const sanctum_document *document; /* NULL for wallets */
    const char *document_type;     /* as listed */
    const char *country;           /* issuing country as listed, may be NULL */
    const char *country_code;      /* resolved alpha-2, "" when unknown */
    const char *explanation;       /* e.g. "same number; issuing country differs (query CN, listed KP)" */
} sanctum_ident_hit;

typedef struct sanctum_ident_result sanctum_ident_result;

/* Screens one address. *out holds the hits (possibly none) and what was
 * learned about the query; an address malformed for its format is still
 * looked up and its validity reported. Returns SANCTUM_EINVAL for an empty
 * address, SANCTUM_ELIMIT for an over-long one. Thread-safe. */
SANCTUM_EXTERN int sanctum_wallet_screen(sanctum_ident_result **out, const sanctum_ident_index *idx,
                                         const char *address, sanctum_error *err);

/* Screens one document number, optionally with its type ("passport",
 * "national id", ... or NULL) and issuing country (name or ISO code, or
 * NULL). A number match with the same country, or no country on either side,
 * scores 1.0; with a different country 0.7; a different document type
 * multiplies by 0.8. Every hit says why. Returns SANCTUM_EINVAL for an empty
 * number or a country that cannot be resolved. Thread-safe. */
SANCTUM_EXTERN int sanctum_document_screen(sanctum_ident_result **out, const sanctum_ident_index *idx,
                                           const char *number, const char *type, const char *country,
                                           sanctum_error *err);

/* Hits, best first (then by entity id). */
SANCTUM_EXTERN size_t sanctum_ident_result_count(const sanctum_ident_result *r);
SANCTUM_EXTERN const sanctum_ident_hit *sanctum_ident_result_hit(const sanctum_ident_result *r, size_t i);
/* "wallet" or "document". */
SANCTUM_EXTERN const char *sanctum_ident_result_kind(const sanctum_ident_result *r);
/* The query as given, and normalized. */
SANCTUM_EXTERN const char *sanctum_ident_result_query(const sanctum_ident_result *r);
SANCTUM_EXTERN const char *sanctum_ident_result_normalized(const sanctum_ident_result *r);
/* Wallet queries: format and chain guess (see sanctum_wallet_info); documents: "document". */
SANCTUM_EXTERN const char *sanctum_ident_result_format(const sanctum_ident_result *r);
SANCTUM_EXTERN const char *sanctum_ident_result_chain(const sanctum_ident_result *r);
/* Wallet queries: the query's validity; documents: always SANCTUM_WALLET_UNCHECKED. */
SANCTUM_EXTERN sanctum_wallet_validity sanctum_ident_result_validity(const sanctum_ident_result *r);
/* What was cleaned or why the query is malformed; "" when nothing to say. */
SANCTUM_EXTERN const char *sanctum_ident_result_message(const sanctum_ident_result *r);
SANCTUM_EXTERN void sanctum_ident_result_free(sanctum_ident_result *r);

/* ---- JSON ------------------------------------------------------------------ */

/* {"query": {"kind": "wallet", "input": ..., "normalized": ..., "format": ..., "chain": ...,
 *  "validity": "valid", "message": ...}, "hits": [{"entity": "ofac-sdn:43377",
 *  "list": "ofac-sdn", "name": ..., "score": 1.0, "matched_field": "wallet",
 *  "currency": "ETH", "address": ..., "explanation": ...}, ...]}
 * Document hits carry "document_type", "number", "country", "country_code".
 * Returns a malloc'd string to release with sanctum_string_free(), or NULL when out of memory. */
/* One wallet or document hit: {"entity","list","type","name","score","matched_field", ...}. */
SANCTUM_EXTERN char *sanctum_ident_hit_json(const sanctum_ident_hit *h);
SANCTUM_EXTERN char *sanctum_ident_result_json(const sanctum_ident_result *r);
/* [{"currency": "XBT", "address": ..., "entity": ..., "list": ..., "chain": ...,
 *  "validity": ...}, ...] for one currency (NULL: all). Same ownership. */
SANCTUM_EXTERN char *sanctum_ident_wallets_json(const sanctum_ident_index *idx, const char *currency);

#ifdef __cplusplus
}
#endif
#endif
