/*
 * ident_internal.h - what the files of lib/ident share: the Keccak sponge,
 * the allocation-free address cleaner the index and the query path both
 * use, country resolution and document type classes.
 */
#ifndef SANCTUM_IDENT_INTERNAL_H
#define SANCTUM_IDENT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "sanctum/ident.h"

/* The bare permutation and a 256-bit sponge with a chosen padding byte
 * (0x01 Keccak-256, 0x06 SHA3-256). */
void sanctum_keccak_f1600(uint64_t st[25]);
void sanctum_keccak_sponge256(const void *data, size_t len, unsigned char pad, unsigned char out[32]);

/* What the cleaner says about an address besides its normalized form. */
typedef struct sanctum_wallet_meta {
    char format[16];
    char chain[24];
    sanctum_wallet_validity validity;
    char message[160];
} sanctum_wallet_meta;

/* Normalizes in[0..len) into out (capacity cap, NUL-terminated), setting
 * *outlen and *meta. Returns 0, SANCTUM_EINVAL (nothing left) or
 * SANCTUM_ELIMIT (does not fit in cap - 1 bytes). A cap of len + 3 always
 * suffices. Allocation-free and thread-safe. */
int sanctum_wallet_clean(const char *in, size_t len, char *out, size_t cap, size_t *outlen,
                         sanctum_wallet_meta *meta);

/* Builds the index over an array of entities that must outlive it (the
 * dataset build is a thin wrapper; tests use hand-made entities). */
int sanctum_ident_index_build_from(sanctum_ident_index **out, const sanctum_entity *const *entities, size_t n,
                                   sanctum_error *err);

/* Alpha-2 code for a country name or code; 0 or SANCTUM_ENOTFOUND. */
int sanctum_country_resolve(const char *s, size_t len, char code[3]);

/* Broad document classes, so that "Passport", "Diplomatic Passport" and
 * "Numero de pasaporte" compare as the same kind of document. */
typedef enum sanctum_doc_class {
    SANCTUM_DOC_OTHER = 0,
    SANCTUM_DOC_PASSPORT,
    SANCTUM_DOC_NATIONAL_ID,
    SANCTUM_DOC_TAX_ID,
    SANCTUM_DOC_REGISTRATION,
    SANCTUM_DOC_DRIVING_LICENSE,
    SANCTUM_DOC_SOCIAL_SECURITY,
    SANCTUM_DOC_VESSEL
} sanctum_doc_class;

sanctum_doc_class sanctum_doc_classify(const char *type);
const char *sanctum_doc_class_name(sanctum_doc_class c);

#endif
