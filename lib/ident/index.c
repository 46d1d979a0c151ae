/*
 * index.c - the exact-match index over every listed wallet address and
 * identity document number, and the two screening calls on it.
 *
 * Wallets are keyed on their normalized address (wallet.c); one key keeps
 * every (entity, currency as listed) that shares it, because the lists file
 * one address under several codes (ETH, USDT, USDC) and several entities.
 * Documents are keyed on the number reduced to upper-case letters and
 * digits; each posting keeps the issuing country resolved to ISO alpha-2
 * and the document's broad type, so a query can be scored by whether those
 * agree. Everything lives in one arena and is read-only after build, so any
 * number of threads may screen at once. A query costs one cleaning pass,
 * one hash lookup and one allocation for the result.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ident/ident_internal.h"
#include "sanctum/ident.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/strmap.h"

typedef struct group {
    size_t start, count;
} group;

typedef struct doc_posting {
    const sanctum_entity *entity;
    const sanctum_document *doc;
    const char *normalized;
    char code[3];
    sanctum_doc_class cls;
} doc_posting;

typedef struct currency_info {
    const char *code;
    size_t first, count;
} currency_info;

struct sanctum_ident_index {
    sanctum_arena arena;
    const sanctum_entity *const *entities; /* during build only */
    size_t n_entities;

    sanctum_ident_wallet *wallets;   /* listing order: currency, address, entity */
    const sanctum_wallet **records;  /* parallel to wallets */
    const char **wallet_explain;     /* two per wallet: query identical / same after normalization */
    size_t n_wallets;
    size_t *by_key;                  /* wallet indices ordered by normalized address */
    group *wallet_groups;
    size_t n_wallet_groups;
    sanctum_strmap wallet_map;       /* normalized address -> group */

    currency_info *currencies;
    size_t n_currencies;

    doc_posting *docs;               /* ordered by normalized number, then entity */
    size_t n_docs;
    group *doc_groups;
    size_t n_doc_groups;
    sanctum_strmap doc_map;
};

typedef struct ident_hit {
    sanctum_ident_hit pub;
    char explanation[200];
} ident_hit;

struct sanctum_ident_result {
    int is_document;
    char *query;
    char normalized[SANCTUM_WALLET_MAX + 1];
    sanctum_wallet_meta meta;
    ident_hit *hits;
    size_t n_hits;
};

static const char *nz(const char *s)
{
    return s ? s : "";
}

/* ---- build ------------------------------------------------------------------ */

typedef struct wallet_entry {
    sanctum_ident_wallet w;
    const sanctum_wallet *rec;
} wallet_entry;

static int wallet_listing_cmp(const void *a, const void *b)
{
    const sanctum_ident_wallet *x = &((const wallet_entry *)a)->w, *y = &((const wallet_entry *)b)->w;
    int c = strcmp(x->currency, y->currency);
    if (!c) c = strcmp(x->address, y->address);
    if (!c) c = strcmp(nz(x->entity->id), nz(y->entity->id));
    return c;
}

static int wallet_key_cmp(const void *a, const void *b)
{
    const sanctum_ident_wallet *x = *(const sanctum_ident_wallet *const *)a;
    const sanctum_ident_wallet *y = *(const sanctum_ident_wallet *const *)b;
    int c = strcmp(x->normalized, y->normalized);
    if (!c) c = strcmp(nz(x->entity->id), nz(y->entity->id));
    if (!c) c = strcmp(x->currency, y->currency);
    return c;
}

static int doc_cmp(const void *a, const void *b)
{
    const doc_posting *x = a, *y = b;
    int c = strcmp(x->normalized, y->normalized);
    if (!c) c = strcmp(nz(x->entity->id), nz(y->entity->id));
    if (!c) c = strcmp(nz(x->doc->type), nz(y->doc->type));
    return c;
}

static int build_wallets(sanctum_ident_index *idx, sanctum_error *err)
{
    size_t n_ent = idx->n_entities, total = 0;
    for (size_t i = 0; i < n_ent; i++) total += idx->entities[i]->n_wallets;
    idx->n_wallets = total;
    if (!total) return 0;

    wallet_entry *tmp = calloc(total, sizeof *tmp);
    const sanctum_ident_wallet **order = calloc(total, sizeof *order);
    idx->wallets = sanctum_arena_calloc(&idx->arena, total, sizeof *idx->wallets);
    idx->records = sanctum_arena_calloc(&idx->arena, total, sizeof *idx->records);
    idx->by_key = sanctum_arena_calloc(&idx->arena, total, sizeof *idx->by_key);
    idx->wallet_groups = sanctum_arena_calloc(&idx->arena, total, sizeof *idx->wallet_groups);
    int rc = 0;
    if (!tmp || !order || !idx->wallets || !idx->records || !idx->by_key || !idx->wallet_groups) {
        rc = SANCTUM_ENOMEM;
        goto cleanup;
    }

    size_t k = 0;
    for (size_t i = 0; i < n_ent; i++) {
        const sanctum_entity *e = idx->entities[i];
        for (size_t j = 0; j < e->n_wallets; j++, k++) {
            const sanctum_wallet *w = &e->wallets[j];
            sanctum_ident_wallet *iw = &tmp[k].w;
            const char *addr = nz(w->address);
            size_t len = strlen(addr);
            char *norm = sanctum_arena_alloc(&idx->arena, len + 3);
            sanctum_wallet_meta *m = sanctum_arena_alloc(&idx->arena, sizeof *m);
            if (!norm || !m) {
                rc = SANCTUM_ENOMEM;
                goto cleanup;
            }
            size_t nlen = 0;
            int crc = sanctum_wallet_clean(addr, len, norm, len + 3, &nlen, m);
            if (crc) {
                /* kept, and keyed on the text as listed: never dropped */
                memcpy(norm, addr, len + 1);
                snprintf(m->format, sizeof m->format, "unknown");
                snprintf(m->chain, sizeof m->chain, "unknown");
                m->validity = SANCTUM_WALLET_MALFORMED;
                snprintf(m->message, sizeof m->message, "listed address could not be normalized: %s",
                         sanctum_strerror(crc));
            }
            iw->entity = e;
            iw->currency = nz(w->currency);
            iw->address = addr;
            iw->normalized = norm;
            iw->format = m->format;
            iw->chain = m->chain;
            iw->validity = m->validity;
            iw->message = m->message;
            tmp[k].rec = w;
        }
    }

    /* listing order */
    qsort(tmp, total, sizeof *tmp, wallet_listing_cmp);
    for (size_t i = 0; i < total; i++) {
        idx->wallets[i] = tmp[i].w;
        idx->records[i] = tmp[i].rec;
        order[i] = &idx->wallets[i];
    }
    /* key order */
    qsort(order, total, sizeof *order, wallet_key_cmp);
    for (size_t i = 0; i < total; i++) idx->by_key[i] = (size_t)(order[i] - idx->wallets);
    /* hit explanations, written once here so that screening does no formatting */
    idx->wallet_explain = sanctum_arena_calloc(&idx->arena, 2 * total, sizeof *idx->wallet_explain);
    if (!idx->wallet_explain) {
        rc = SANCTUM_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < total && !rc; i++) {
        const sanctum_ident_wallet *w = &idx->wallets[i];
        for (int v = 0; v < 2; v++) {
            char buf[320];
            snprintf(buf, sizeof buf, "%s (listed under %s%s%s)",
                     v == 0 ? "identical to the listed address" : "same address after normalization",
                     *w->currency ? w->currency : "no currency",
                     w->validity == SANCTUM_WALLET_MALFORMED ? "; listed address: " : "",
                     w->validity == SANCTUM_WALLET_MALFORMED ? w->message : "");
            if (!(idx->wallet_explain[2 * i + v] = sanctum_arena_strdup(&idx->arena, buf))) rc = SANCTUM_ENOMEM;
        }
    }
cleanup:
    free(tmp);
    free(order);
    if (rc) return sanctum_error_set(err, rc, NULL, 0, "out of memory indexing wallets");

    size_t g = 0;
    for (size_t i = 0; i < total;) {
        size_t j = i + 1;
        const char *key = idx->wallets[idx->by_key[i]].normalized;
        while (j < total && !strcmp(idx->wallets[idx->by_key[j]].normalized, key)) j++;
        idx->wallet_groups[g].start = i;
        idx->wallet_groups[g].count = j - i;
        if (sanctum_strmap_put(&idx->wallet_map, key, strlen(key), g))
            return sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory indexing wallets");
        g++;
        i = j;
    }
    idx->n_wallet_groups = g;

    /* currencies */
    size_t nc = 0;
    for (size_t i = 0; i < total; i++)
        if (i == 0 || strcmp(idx->wallets[i].currency, idx->wallets[i - 1].currency)) nc++;
    idx->currencies = sanctum_arena_calloc(&idx->arena, nc, sizeof *idx->currencies);
    if (!idx->currencies) return sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory indexing wallets");
    nc = 0;
    for (size_t i = 0; i < total; i++) {
        if (i == 0 || strcmp(idx->wallets[i].currency, idx->wallets[i - 1].currency)) {
            idx->currencies[nc].code = idx->wallets[i].currency;
            idx->currencies[nc].first = i;
            nc++;
        }
        idx->currencies[nc - 1].count++;
    }
    idx->n_currencies = nc;
    return 0;
}

static int build_documents(sanctum_ident_index *idx, sanctum_error *err)
{
    size_t n_ent = idx->n_entities, total = 0;
    for (size_t i = 0; i < n_ent; i++) total += idx->entities[i]->n_documents;
    if (!total) return 0;
    idx->docs = sanctum_arena_calloc(&idx->arena, total, sizeof *idx->docs);
    idx->doc_groups = sanctum_arena_calloc(&idx->arena, total, sizeof *idx->doc_groups);
    if (!idx->docs || !idx->doc_groups)
        return sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory indexing documents");
    size_t k = 0;
    for (size_t i = 0; i < n_ent; i++) {
        const sanctum_entity *e = idx->entities[i];
        for (size_t j = 0; j < e->n_documents; j++) {
            const sanctum_document *d = &e->documents[j];
            if (!d->number) continue;
            size_t cap = strlen(d->number) + 1;
            char *norm = sanctum_arena_alloc(&idx->arena, cap);
            if (!norm) return sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory indexing documents");
            if (!sanctum_document_normalize(d->number, norm, cap)) continue; /* nothing comparable in it */
            doc_posting *p = &idx->docs[k++];
            p->entity = e;
            p->doc = d;
            p->normalized = norm;
            if (!d->country || sanctum_country_resolve(d->country, strlen(d->country), p->code)) p->code[0] = 0;
            p->cls = sanctum_doc_classify(d->type);
        }
    }
    idx->n_docs = k;
    qsort(idx->docs, k, sizeof *idx->docs, doc_cmp);
    size_t g = 0;
    for (size_t i = 0; i < k;) {
        size_t j = i + 1;
        while (j < k && !strcmp(idx->docs[j].normalized, idx->docs[i].normalized)) j++;
        idx->doc_groups[g].start = i;
        idx->doc_groups[g].count = j - i;
        if (sanctum_strmap_put(&idx->doc_map, idx->docs[i].normalized, strlen(idx->docs[i].normalized), g))
            return sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory indexing documents");
        g++;
        i = j;
    }
    idx->n_doc_groups = g;
    return 0;
}

int sanctum_ident_index_build_from(sanctum_ident_index **out, const sanctum_entity *const *entities, size_t n,
                                   sanctum_error *err)
{
    if (!out) return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "no output given");
    *out = NULL;
    if (n && !entities) return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "no entities given");
    sanctum_ident_index *idx = calloc(1, sizeof *idx);
    if (!idx) return sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
    sanctum_arena_init(&idx->arena);
    sanctum_strmap_init(&idx->wallet_map);
    sanctum_strmap_init(&idx->doc_map);
    idx->entities = entities;
    idx->n_entities = n;
    int rc = build_wallets(idx, err);
    if (!rc) rc = build_documents(idx, err);
    idx->entities = NULL;
    if (rc) {
        sanctum_ident_index_free(idx);
        return rc;
    }
    *out = idx;
    return 0;
}

int sanctum_ident_index_build(sanctum_ident_index **out, const sanctum_dataset *ds, sanctum_error *err)
{
    if (!out) return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "no output given");
    *out = NULL;
    if (!ds) return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "no dataset given");
    size_t n = sanctum_dataset_count(ds);
    const sanctum_entity **ents = malloc((n ? n : 1) * sizeof *ents);
    if (!ents) return sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < n; i++) ents[i] = sanctum_dataset_entity(ds, i);
    int rc = sanctum_ident_index_build_from(out, ents, n, err);
    free(ents);
    return rc;
}

void sanctum_ident_index_free(sanctum_ident_index *idx)
{
    if (!idx) return;
    sanctum_strmap_free(&idx->wallet_map);
    sanctum_strmap_free(&idx->doc_map);
    sanctum_arena_free(&idx->arena);
    free(idx);
}

/* ---- listing ---------------------------------------------------------------- */

size_t sanctum_ident_wallet_count(const sanctum_ident_index *idx)
{
    return idx ? idx->n_wallets : 0;
}

const sanctum_ident_wallet *sanctum_ident_wallet_at(const sanctum_ident_index *idx, size_t i)
{
    return (idx && i < idx->n_wallets) ? &idx->wallets[i] : NULL;
}

int sanctum_ident_wallet_range(const sanctum_ident_index *idx, const char *currency, size_t *first, size_t *count)
{
    if (!idx || !first || !count) return SANCTUM_EINVAL;
    *first = 0;
    *count = 0;
    if (!currency || !*currency) {
        *count = idx->n_wallets;
        return 0;
    }
    for (size_t i = 0; i < idx->n_currencies; i++) {
        if (!strcasecmp(idx->currencies[i].code, currency)) {
            *first = idx->currencies[i].first;
            *count = idx->currencies[i].count;
            return 0;
        }
    }
    return 0;
}

size_t sanctum_ident_currency_count(const sanctum_ident_index *idx)
{
    return idx ? idx->n_currencies : 0;
}

const char *sanctum_ident_currency_at(const sanctum_ident_index *idx, size_t i, size_t *wallets)
{
    if (!idx || i >= idx->n_currencies) return NULL;
    if (wallets) *wallets = idx->currencies[i].count;
    return idx->currencies[i].code;
}

size_t sanctum_ident_address_count(const sanctum_ident_index *idx)
{
    return idx ? idx->n_wallet_groups : 0;
}

size_t sanctum_ident_document_count(const sanctum_ident_index *idx)
{
    return idx ? idx->n_docs : 0;
}

/* ---- screening ---------------------------------------------------------------- */

static sanctum_ident_result *result_new(const char *query, size_t n_hits)
{
    size_t qlen = strlen(query);
    sanctum_ident_result *r = malloc(sizeof *r + n_hits * sizeof(ident_hit) + qlen + 1);
    if (!r) return NULL;
    memset(r, 0, sizeof *r);
    r->hits = (ident_hit *)(r + 1);
    r->query = (char *)(r->hits + n_hits);
    memcpy(r->query, query, qlen + 1);
    return r;
}

static int hit_cmp(const void *a, const void *b)
{
    const ident_hit *x = a, *y = b;
    if (x->pub.score != y->pub.score) return x->pub.score > y->pub.score ? -1 : 1;
    int c = strcmp(nz(x->pub.entity->id), nz(y->pub.entity->id));
    if (!c) c = strcmp(nz(x->pub.currency), nz(y->pub.currency));
    if (!c) c = strcmp(nz(x->pub.document_type), nz(y->pub.document_type));
    return c;
}

/* A record that republishes another listing (entity->same_as, a CSL row of
 * an SDN entry) is not a hit of its own when that listing is a hit scoring
 * at least as high: the listing's hit names it under also_listed. */
static size_t drop_republished(ident_hit *v, size_t n)
{
    size_t keep = 0;
    for (size_t i = 0; i < n; i++) {
        const sanctum_entity *same = v[i].pub.entity ? v[i].pub.entity->same_as : NULL;
        int covered = 0;
        for (size_t j = 0; same && j < n && !covered; j++)
            covered = j != i && v[j].pub.entity == same && v[j].pub.score >= v[i].pub.score;
        if (!covered) {
            if (keep != i) v[keep] = v[i];
            keep++;
        }
    }
    return keep;
}

int sanctum_wallet_screen(sanctum_ident_result **out, const sanctum_ident_index *idx, const char *address,
                          sanctum_error *err)
{
    if (!out) return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "no output given");
    *out = NULL;
    if (!idx) return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "no index given");
    if (!address) return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "no address given");
    char norm[SANCTUM_WALLET_MAX + 1];
    sanctum_wallet_meta meta;
    size_t nlen = 0;
    int rc = sanctum_wallet_clean(address, strlen(address), norm, sizeof norm, &nlen, &meta);
    if (rc == SANCTUM_ELIMIT)
        return sanctum_error_set(err, rc, NULL, 0, "address longer than %d characters", SANCTUM_WALLET_MAX);
    if (rc) return sanctum_error_set(err, rc, NULL, 0, "empty address");

    size_t gi = 0;
    const group *grp = NULL;
    if (sanctum_strmap_get(&idx->wallet_map, norm, nlen, &gi)) grp = &idx->wallet_groups[gi];
    size_t n = grp ? grp->count : 0;
    sanctum_ident_result *r = result_new(address, n);
    if (!r) return sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
    memcpy(r->normalized, norm, nlen + 1);
    r->meta = meta;
    for (size_t i = 0; i < n; i++) {
        size_t wi = idx->by_key[grp->start + i];
        const sanctum_ident_wallet *w = &idx->wallets[wi];
        ident_hit *h = &r->hits[i];
        memset(h, 0, sizeof *h);
        h->pub.entity = w->entity;
        h->pub.score = 1.0;
        h->pub.matched_field = "wallet";
        h->pub.listed = w->address;
        h->pub.listed_normalized = w->normalized;
        h->pub.currency = w->currency;
        h->pub.wallet = idx->records[wi];
        h->pub.country_code = "";
        h->pub.explanation = idx->wallet_explain[2 * wi + (strcmp(address, w->address) != 0)];
    }
    r->n_hits = drop_republished(r->hits, n);
    /* by_key order is already entity id, then currency */
    *out = r;
    return 0;
}

int sanctum_document_screen(sanctum_ident_result **out, const sanctum_ident_index *idx, const char *number,
                            const char *type, const char *country, sanctum_error *err)
{
    if (!out) return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "no output given");
    *out = NULL;
    if (!idx) return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "no index given");
    if (!number) return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "no document number given");
    char norm[SANCTUM_WALLET_MAX + 1];
    size_t nlen = sanctum_document_normalize(number, norm, sizeof norm);
    if (!nlen) {
        if (strlen(number) >= sizeof norm)
            return sanctum_error_set(err, SANCTUM_ELIMIT, NULL, 0, "document number longer than %d characters",
                                     SANCTUM_WALLET_MAX);
        return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "document number has no letters or digits");
    }
    char qcode[3] = "";
    if (country && *country && sanctum_country_resolve(country, strlen(country), qcode))
        return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "unknown country '%.64s' (give a name or an ISO code)",
                                 country);
    sanctum_doc_class qcls = (type && *type) ? sanctum_doc_classify(type) : SANCTUM_DOC_OTHER;
    int qtyped = type && *type;

    size_t gi = 0;
    const group *grp = NULL;
    if (sanctum_strmap_get(&idx->doc_map, norm, nlen, &gi)) grp = &idx->doc_groups[gi];
    size_t n = grp ? grp->count : 0;
    sanctum_ident_result *r = result_new(number, n);
    if (!r) return sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
    r->is_document = 1;
    memcpy(r->normalized, norm, nlen + 1);
    snprintf(r->meta.format, sizeof r->meta.format, "document");
    snprintf(r->meta.chain, sizeof r->meta.chain, "%s", qtyped ? sanctum_doc_class_name(qcls) : "");
    r->meta.validity = SANCTUM_WALLET_UNCHECKED;
    if (qcode[0]) snprintf(r->meta.message, sizeof r->meta.message, "issuing country %s", qcode);

    for (size_t i = 0; i < n; i++) {
        const doc_posting *p = &idx->docs[grp->start + i];
        ident_hit *h = &r->hits[i];
        memset(h, 0, sizeof *h);
        h->pub.entity = p->entity;
        h->pub.matched_field = "document";
        h->pub.listed = p->doc->number;
        h->pub.listed_normalized = p->normalized;
        h->pub.document = p->doc;
        h->pub.document_type = p->doc->type;
        h->pub.country = p->doc->country;
        h->pub.country_code = p->code;

        double score = 1.0;
        size_t k = 0;
        char *ex = h->explanation;
        size_t exsz = sizeof h->explanation;
        k += (size_t)snprintf(ex + k, exsz - k, "same number");
        if (qcode[0] && p->code[0]) {
            if (!strcmp(qcode, p->code)) {
                k += (size_t)snprintf(ex + k, exsz - k, "; same issuing country (%s)", p->code);
            } else {
                score = 0.7;
                k += (size_t)snprintf(ex + k, exsz - k, "; issuing country differs (query %s, listed %s)", qcode,
                                      p->code);
            }
        } else if (qcode[0] && p->doc->country && *p->doc->country) {
            score = 0.7;
            k += (size_t)snprintf(ex + k, exsz - k, "; listed country '%.40s' not recognised, query %s", p->doc->country,
                                  qcode);
        } else if (qcode[0]) {
            k += (size_t)snprintf(ex + k, exsz - k, "; no issuing country listed");
        }
        if (k >= exsz) k = exsz - 1;
        if (qtyped) {
            if (qcls != SANCTUM_DOC_OTHER && p->cls != SANCTUM_DOC_OTHER && qcls != p->cls) {
                score *= 0.8;
                snprintf(ex + k, exsz - k, "; document type differs (query %s, listed %s)", sanctum_doc_class_name(qcls),
                         sanctum_doc_class_name(p->cls));
            } else if (qcls != SANCTUM_DOC_OTHER && qcls == p->cls) {
                snprintf(ex + k, exsz - k, "; same document type (%s)", sanctum_doc_class_name(qcls));
            }
        }
        h->pub.score = score;
        h->pub.explanation = h->explanation;
    }
    qsort(r->hits, n, sizeof *r->hits, hit_cmp);
    r->n_hits = n = drop_republished(r->hits, n);
    for (size_t i = 0; i < n; i++) r->hits[i].pub.explanation = r->hits[i].explanation;
    *out = r;
    return 0;
}

/* ---- result accessors ------------------------------------------------------------ */

size_t sanctum_ident_result_count(const sanctum_ident_result *r)
{
    return r ? r->n_hits : 0;
}

const sanctum_ident_hit *sanctum_ident_result_hit(const sanctum_ident_result *r, size_t i)
{
    return (r && i < r->n_hits) ? &r->hits[i].pub : NULL;
}

const char *sanctum_ident_result_kind(const sanctum_ident_result *r)
{
    return (r && r->is_document) ? "document" : "wallet";
}

const char *sanctum_ident_result_query(const sanctum_ident_result *r)
{
    return r ? r->query : "";
}

const char *sanctum_ident_result_normalized(const sanctum_ident_result *r)
{
    return r ? r->normalized : "";
}

const char *sanctum_ident_result_format(const sanctum_ident_result *r)
{
    return r ? r->meta.format : "";
}

const char *sanctum_ident_result_chain(const sanctum_ident_result *r)
{
    return r ? r->meta.chain : "";
}

sanctum_wallet_validity sanctum_ident_result_validity(const sanctum_ident_result *r)
{
    return r ? r->meta.validity : SANCTUM_WALLET_UNKNOWN;
}

const char *sanctum_ident_result_message(const sanctum_ident_result *r)
{
    return r ? r->meta.message : "";
}

void sanctum_ident_result_free(sanctum_ident_result *r)
{
    free(r);
}
