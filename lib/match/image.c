/*
 * image.c - the compiled index file: writing an index and its entities into
 * one file, and mapping such a file to screen with it in place.
 *
 * Layout (all integers little-endian, the machine's own layout):
 *   header (4096 bytes): magic, format version, a fingerprint of the struct
 *     layouts and of the matching parameters the index was built with, the
 *     preferred mapping address, file size, payload and header checksums,
 *     the section table, and the list versions;
 *   DATA section: one root record (an image of struct sanctum_index plus a
 *     dataset view), then every array the index and the entities use;
 *   STRS section: every string once, NUL-terminated;
 *   RELOC section: the file offsets of every pointer field in DATA.
 *
 * A pointer field holds (preferred address + file offset of its target). The
 * file is mapped at the preferred address when that range is free: then the
 * arrays are used exactly as written, with no pass over them. When the range
 * is taken (a second index in one process), the file is mapped privately
 * elsewhere and the RELOC list is applied once, which is a flat loop over
 * offsets, not a parse. Either way the index structures are the same C
 * structs the builder fills, so screen.c reads both forms with one code path.
 *
 * The checksum is a 64-bit multiply-rotate hash over the payload, four lanes
 * wide (fast enough to check on every open).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "index/dataset_view.h"
#include "match/match_internal.h"
#include "sanctum/index.h"
#include "util/error.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define IMG_MAGIC "SNCTMIDX"
#define IMG_HEADER 4096u
#define IMG_BASE 0x4d5300000000ULL   /* preferred mapping address */
#define IMG_ENDIAN 0x01020304u
#define IMG_MAX_LISTS 8

enum { SEC_DATA = 1, SEC_STRS = 2, SEC_RELOC = 3, SEC__N = 3 };

typedef struct img_section {
    uint32_t kind, pad;
    uint64_t off, size;
} img_section;

typedef struct img_list {
    char name[32];
    char published[32];
    char sha256[72];
    uint64_t entities;
} img_list;

typedef struct img_header {
    char magic[8];
    uint32_t format;
    uint32_t endian;
    uint64_t fingerprint;
    uint64_t base;
    uint64_t file_size;
    uint64_t payload_sum;
    uint64_t header_sum;      /* over this header with header_sum = 0 */
    uint64_t created;
    uint64_t root_off;        /* file offset of the img_root */
    uint64_t n_entities, n_names;
    uint32_t n_sections, n_lists;
    img_section sections[SEC__N];
    img_list lists[IMG_MAX_LISTS];
} img_header;

typedef struct img_root {
    sanctum_index idx;        /* data fields only; locks, pools and arenas are zero */
    sanctum_dataset_view view;
} img_root;

/* ---- checksum ------------------------------------------------------------ */

#define P1 0x9E3779B185EBCA87ULL
#define P2 0xC2B2AE3D27D4EB4FULL
#define P3 0x165667B19E3779F9ULL

static uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static uint64_t rd64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static uint64_t img_sum(const void *data, size_t len, uint64_t seed)
{
    const unsigned char *p = data, *end = p + len;
    uint64_t a = seed + P1 + P2, b = seed + P2, c = seed, d = seed - P1;
    while ((size_t)(end - p) >= 32) {
        a = rotl(a + rd64(p) * P2, 31) * P1;
        b = rotl(b + rd64(p + 8) * P2, 31) * P1;
        c = rotl(c + rd64(p + 16) * P2, 31) * P1;
        d = rotl(d + rd64(p + 24) * P2, 31) * P1;
        p += 32;
    }
    uint64_t h = rotl(a, 1) + rotl(b, 7) + rotl(c, 12) + rotl(d, 18) + (uint64_t)len;
    while (p < end) {
        h ^= (uint64_t)(*p++) * P3;
        h = rotl(h, 11) * P1;
    }
    h ^= h >> 33;
    h *= P2;
    h ^= h >> 29;
    h *= P3;
    h ^= h >> 32;
    return h;
}

/* The struct layouts baked into the file and the parameters the index's
 * weights and deletion tables depend on: a file from a build where any of
 * these differ would screen differently, so it is refused. */
static uint64_t img_fingerprint(void)
{
    const double v[] = {
        sizeof(sanctum_index), sizeof(sm_tok), sizeof(sm_name), sizeof(sm_voc), sizeof(sm_dslot),
        sizeof(sanctum_strmap), sizeof(sanctum_strmap_slot), sizeof(sanctum_entity), sizeof(sanctum_name),
        sizeof(sanctum_date), sizeof(sanctum_document), sizeof(sanctum_address), sizeof(sanctum_wallet),
        sizeof(sanctum_link), sizeof(sanctum_attr), sizeof(sanctum_entity_link), sizeof(sanctum_source_info),
        sizeof(sanctum_warning), sizeof(img_root), sizeof(void *), offsetof(sanctum_index, w_unseen),
        offsetof(sanctum_entity, also_listed), SM_IDF_POWER, SM_WEIGHT_INITIAL, SM_FACTOR_LEGAL,
        SM_FACTOR_HONORIFIC, SM_FACTOR_STOP, SM_EDIT_MIN_LEN, SM_EDIT_MAX_LEN, SM_EDIT_MAX_D, SM_SIM_MIN,
        SM_SIM_ROMAN, SM_MAX_TOKENS, SM_KEY_MAX, SM_KEY_MAX_WORD, SM_EDIT_COST_MIN, SM_EDIT_BONUS_FROM,
        SM_EDIT_LEN_BONUS,
    };
    return img_sum(v, sizeof v, 0x1dc0ffee);
}

/* ---- writer -------------------------------------------------------------- */

typedef struct fixup {
    uint64_t field;   /* offset in DATA of the pointer field */
    uint64_t target;  /* offset in DATA or STRS */
    int strs;
} fixup;

typedef struct wr {
    unsigned char *d;
    size_t n, cap;
    char *s;
    size_t sn, scap;
    sanctum_strmap strs;      /* content -> offset in s (keys borrowed from the source) */
    fixup *fx;
    size_t nfx, fxcap;
    int failed;
} wr;

static size_t w_alloc(wr *w, size_t size, size_t align)
{
    if (w->failed) return 0;
    if (size == 0) size = 1;
    size_t off = (w->n + align - 1) & ~(align - 1);
    if (off + size > w->cap) {
        size_t cap = w->cap ? w->cap : 1 << 20;
        while (cap < off + size) cap *= 2;
        unsigned char *nd = realloc(w->d, cap);
        if (!nd) {
            w->failed = 1;
            return 0;
        }
        memset(nd + w->cap, 0, cap - w->cap);
        w->d = nd;
        w->cap = cap;
    }
    w->n = off + size;
    return off;
}

static void w_fix(wr *w, size_t field, uint64_t target, int strs)
{
    if (w->failed) return;
    memset(w->d + field, 0, sizeof(void *));
    if (w->nfx == w->fxcap) {
        size_t cap = w->fxcap ? w->fxcap * 2 : 65536;
        fixup *nf = realloc(w->fx, cap * sizeof *nf);
        if (!nf) {
            w->failed = 1;
            return;
        }
        w->fx = nf;
        w->fxcap = cap;
    }
    w->fx[w->nfx++] = (fixup){ field, target, strs };
}

/* Points the field at data offset field to a copy of s (len bytes). */
static void w_strn(wr *w, size_t field, const char *s, size_t len)
{
    if (w->failed) return;
    memset(w->d + field, 0, sizeof(void *));
    if (!s) return;
    size_t off;
    if (!sanctum_strmap_get(&w->strs, s, len, &off)) {
        if (w->sn + len + 1 > w->scap) {
            size_t cap = w->scap ? w->scap : 1 << 20;
            while (cap < w->sn + len + 1) cap *= 2;
            char *ns = realloc(w->s, cap);
            if (!ns) {
                w->failed = 1;
                return;
            }
            w->s = ns;
            w->scap = cap;
        }
        off = w->sn;
        memcpy(w->s + off, s, len);
        w->s[off + len] = 0;
        w->sn += len + 1;
        if (sanctum_strmap_put(&w->strs, s, len, off)) {
            w->failed = 1;
            return;
        }
    }
    w_fix(w, field, off, 1);
}

static void w_str(wr *w, size_t field, const char *s) { w_strn(w, field, s, s ? strlen(s) : 0); }

/* Copies n elements of size elem and points the field at the copy; returns
 * the copy's offset (0 and a NULL field when src is NULL). */
static size_t w_array(wr *w, size_t field, const void *src, size_t elem, size_t n)
{
    if (w->failed) return 0;
    memset(w->d + field, 0, sizeof(void *));
    if (!src) return 0;
    size_t off = w_alloc(w, elem * n, 16);
    if (w->failed) return 0;
    if (n) memcpy(w->d + off, src, elem * n);
    w_fix(w, field, off, 0);
    return off;
}

static void w_strarray(wr *w, size_t field, const char *const *src, size_t n)
{
    size_t off = w_array(w, field, src, sizeof(char *), n);
    if (!src) return;
    for (size_t i = 0; i < n; i++) w_str(w, off + i * sizeof(char *), src[i]);
}

#define FIELD(base, type, member) ((base) + offsetof(type, member))

static void w_strmap(wr *w, size_t field, const sanctum_strmap *m)
{
    size_t off = w_array(w, field + offsetof(sanctum_strmap, slots), m->slots, sizeof *m->slots, m->cap);
    if (!m->slots) return;
    for (size_t i = 0; i < m->cap; i++) {
        const sanctum_strmap_slot *sl = &m->slots[i];
        size_t f = off + i * sizeof *sl + offsetof(sanctum_strmap_slot, key);
        if (sl->key)
            w_strn(w, f, sl->key, sl->len);
        else
            memset(w->d + f, 0, sizeof(void *));
    }
}

/* Entity pointer -> index, keyed by the pointer's bytes. */
typedef struct entmap {
    sanctum_strmap m;
    const sanctum_entity *const *ents;
} entmap;

static long ent_lookup(const entmap *em, const sanctum_entity *e)
{
    size_t v;
    if (!e || !sanctum_strmap_get(&em->m, (const char *)&e, sizeof e, &v)) return -1;
    return (long)v;
}

static int w_entity(wr *w, size_t at, const sanctum_entity *e, size_t ents_off, const entmap *em,
                    sanctum_error *err)
{
    typedef sanctum_entity E;
    memcpy(w->d + at, e, sizeof *e);
    w_str(w, FIELD(at, E, id), e->id);
    w_str(w, FIELD(at, E, source), e->source);
    w_str(w, FIELD(at, E, key), e->key);
    size_t o = w_array(w, FIELD(at, E, names), e->names, sizeof *e->names, e->n_names);
    for (size_t i = 0; e->names && i < e->n_names; i++) {
        size_t b = o + i * sizeof *e->names;
        w_str(w, FIELD(b, sanctum_name, full), e->names[i].full);
        w_str(w, FIELD(b, sanctum_name, surname), e->names[i].surname);
        w_str(w, FIELD(b, sanctum_name, given), e->names[i].given);
    }
    w_strarray(w, FIELD(at, E, programs), e->programs, e->n_programs);
    o = w_array(w, FIELD(at, E, dobs), e->dobs, sizeof *e->dobs, e->n_dobs);
    for (size_t i = 0; e->dobs && i < e->n_dobs; i++)
        w_str(w, FIELD(o + i * sizeof *e->dobs, sanctum_date, text), e->dobs[i].text);
    w_strarray(w, FIELD(at, E, places_of_birth), e->places_of_birth, e->n_places_of_birth);
    w_strarray(w, FIELD(at, E, nationalities), e->nationalities, e->n_nationalities);
    w_strarray(w, FIELD(at, E, citizenships), e->citizenships, e->n_citizenships);
    w_str(w, FIELD(at, E, gender), e->gender);
    w_str(w, FIELD(at, E, title), e->title);
    o = w_array(w, FIELD(at, E, addresses), e->addresses, sizeof *e->addresses, e->n_addresses);
    for (size_t i = 0; e->addresses && i < e->n_addresses; i++) {
        size_t b = o + i * sizeof *e->addresses;
        const sanctum_address *a = &e->addresses[i];
        w_str(w, FIELD(b, sanctum_address, street), a->street);
        w_str(w, FIELD(b, sanctum_address, city), a->city);
        w_str(w, FIELD(b, sanctum_address, state), a->state);
        w_str(w, FIELD(b, sanctum_address, postal), a->postal);
        w_str(w, FIELD(b, sanctum_address, country), a->country);
        w_str(w, FIELD(b, sanctum_address, note), a->note);
    }
    o = w_array(w, FIELD(at, E, documents), e->documents, sizeof *e->documents, e->n_documents);
    for (size_t i = 0; e->documents && i < e->n_documents; i++) {
        size_t b = o + i * sizeof *e->documents;
        const sanctum_document *d = &e->documents[i];
        w_str(w, FIELD(b, sanctum_document, type), d->type);
        w_str(w, FIELD(b, sanctum_document, number), d->number);
        w_str(w, FIELD(b, sanctum_document, country), d->country);
        w_str(w, FIELD(b, sanctum_document, issued), d->issued);
        w_str(w, FIELD(b, sanctum_document, expires), d->expires);
        w_str(w, FIELD(b, sanctum_document, note), d->note);
    }
    o = w_array(w, FIELD(at, E, wallets), e->wallets, sizeof *e->wallets, e->n_wallets);
    for (size_t i = 0; e->wallets && i < e->n_wallets; i++) {
        size_t b = o + i * sizeof *e->wallets;
        w_str(w, FIELD(b, sanctum_wallet, currency), e->wallets[i].currency);
        w_str(w, FIELD(b, sanctum_wallet, address), e->wallets[i].address);
    }
    w_strarray(w, FIELD(at, E, emails), e->emails, e->n_emails);
    w_strarray(w, FIELD(at, E, websites), e->websites, e->n_websites);
    w_strarray(w, FIELD(at, E, phones), e->phones, e->n_phones);
    o = w_array(w, FIELD(at, E, links), e->links, sizeof *e->links, e->n_links);
    for (size_t i = 0; e->links && i < e->n_links; i++) {
        size_t b = o + i * sizeof *e->links;
        w_str(w, FIELD(b, sanctum_link, relation), e->links[i].relation);
        w_str(w, FIELD(b, sanctum_link, target), e->links[i].target);
    }
    w_str(w, FIELD(at, E, listed_on), e->listed_on);
    w_str(w, FIELD(at, E, remarks), e->remarks);
    o = w_array(w, FIELD(at, E, attrs), e->attrs, sizeof *e->attrs, e->n_attrs);
    for (size_t i = 0; e->attrs && i < e->n_attrs; i++) {
        size_t b = o + i * sizeof *e->attrs;
        w_str(w, FIELD(b, sanctum_attr, key), e->attrs[i].key);
        w_str(w, FIELD(b, sanctum_attr, value), e->attrs[i].value);
    }
    o = w_array(w, FIELD(at, E, also_listed), e->also_listed, sizeof *e->also_listed, e->n_also_listed);
    for (size_t i = 0; e->also_listed && i < e->n_also_listed; i++) {
        size_t b = o + i * sizeof *e->also_listed;
        long t = ent_lookup(em, e->also_listed[i].entity);
        if (t < 0)
            return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "entity %s links to an entity outside the index",
                                     e->id ? e->id : "?");
        w_fix(w, FIELD(b, sanctum_entity_link, entity), ents_off + (size_t)t * sizeof(sanctum_entity), 0);
        w_str(w, FIELD(b, sanctum_entity_link, reason), e->also_listed[i].reason);
    }
    if (e->same_as) {
        long t = ent_lookup(em, e->same_as);
        if (t < 0)
            return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "entity %s republishes an entity outside the index",
                                     e->id ? e->id : "?");
        w_fix(w, FIELD(at, E, same_as), ents_off + (size_t)t * sizeof(sanctum_entity), 0);
    }
    return 0;
}

static size_t max_end(const uint32_t *off, const uint32_t *cnt, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if ((size_t)off[i] + cnt[i] > m) m = (size_t)off[i] + cnt[i];
    return m;
}

static void copy_cstr(char *dst, size_t cap, const char *s)
{
    snprintf(dst, cap, "%s", s ? s : "");
}

static int write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t k = write(fd, c, n);
        if (k < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        c += k;
        n -= (size_t)k;
    }
    return 0;
}

static int serialize(wr *w, const sanctum_index *idx, img_header *h, sanctum_error *err)
{
    const sanctum_dataset *ds = idx->ds;
    size_t root = w_alloc(w, sizeof(img_root), 64);
    if (w->failed) return SANCTUM_ENOMEM;
    /* the index record: copy the scalars, then every pointer field explicitly */
    size_t ix = root + offsetof(img_root, idx);
    sanctum_index tmp = *idx;
    memset(&tmp.arena, 0, sizeof tmp.arena);
    memset(&tmp.pool_lock, 0, sizeof tmp.pool_lock);
    tmp.pool = NULL;
    tmp.ds = NULL;
    tmp.map_base = NULL;
    tmp.map_len = 0;
    tmp.map_ds = NULL;
    memcpy(w->d + ix, &tmp, sizeof tmp);

    /* entities, contiguous, in index order */
    size_t n = idx->n_ents;
    entmap em = { .ents = idx->ents };
    sanctum_strmap_init(&em.m);
    for (size_t i = 0; i < n; i++)
        if (sanctum_strmap_put(&em.m, (const char *)&idx->ents[i], sizeof idx->ents[i], i)) {
            sanctum_strmap_free(&em.m);
            return SANCTUM_ENOMEM;
        }
    size_t ents = w_alloc(w, n * sizeof(sanctum_entity), 64);
    int rc = 0;
    for (size_t i = 0; !rc && i < n && !w->failed; i++)
        rc = w_entity(w, ents + i * sizeof(sanctum_entity), idx->ents[i], ents, &em, err);
    sanctum_strmap_free(&em.m);
    if (rc) return rc;
    if (w->failed) return SANCTUM_ENOMEM;

    /* the dataset view */
    size_t vw = root + offsetof(img_root, view);
    sanctum_dataset_view *v = (sanctum_dataset_view *)(void *)(w->d + vw);
    memset(v, 0, sizeof *v);
    v->n_entities = n;
    w_fix(w, vw + offsetof(sanctum_dataset_view, entities), ents, 0);
    {
        sanctum_strmap byid;
        sanctum_strmap_init(&byid);
        for (size_t i = 0; i < n; i++)
            if (idx->ents[i]->id && sanctum_strmap_put(&byid, idx->ents[i]->id, strlen(idx->ents[i]->id), i)) {
                sanctum_strmap_free(&byid);
                return SANCTUM_ENOMEM;
            }
        size_t bf = vw + offsetof(sanctum_dataset_view, by_id);
        memcpy(w->d + bf, &byid, sizeof byid);
        w_strmap(w, bf, &byid);
        sanctum_strmap_free(&byid);
    }
    size_t ns = sanctum_dataset_source_count(ds);
    ((sanctum_dataset_view *)(void *)(w->d + vw))->n_sources = ns;
    sanctum_source_info *srcs = calloc(ns ? ns : 1, sizeof *srcs);
    if (!srcs) return SANCTUM_ENOMEM;
    for (size_t i = 0; i < ns; i++) srcs[i] = *sanctum_dataset_source(ds, i);
    size_t so = w_array(w, vw + offsetof(sanctum_dataset_view, sources), srcs, sizeof *srcs, ns);
    for (size_t i = 0; i < ns && !w->failed; i++) {
        const sanctum_source_info *si = &srcs[i];
        size_t b = so + i * sizeof *si;
        w_str(w, FIELD(b, sanctum_source_info, name), si->name);
        w_str(w, FIELD(b, sanctum_source_info, title), si->title);
        w_strarray(w, FIELD(b, sanctum_source_info, files), si->files, si->n_files);
        w_str(w, FIELD(b, sanctum_source_info, published), si->published);
        w_str(w, FIELD(b, sanctum_source_info, sha256), si->sha256);
        size_t wo = w_array(w, FIELD(b, sanctum_source_info, warnings), si->warnings, sizeof *si->warnings,
                            si->n_warnings);
        for (size_t k = 0; si->warnings && k < si->n_warnings; k++) {
            w_str(w, FIELD(wo + k * sizeof *si->warnings, sanctum_warning, file), si->warnings[k].file);
            w_str(w, FIELD(wo + k * sizeof *si->warnings, sanctum_warning, message), si->warnings[k].message);
        }
        if (i < IMG_MAX_LISTS) {
            copy_cstr(h->lists[i].name, sizeof h->lists[i].name, si->name);
            copy_cstr(h->lists[i].published, sizeof h->lists[i].published, si->published);
            copy_cstr(h->lists[i].sha256, sizeof h->lists[i].sha256, si->sha256);
            h->lists[i].entities = si->entities;
            h->n_lists = (uint32_t)(i + 1);
        }
    }
    free(srcs);

    /* the index arrays */
    typedef sanctum_index I;
    size_t o = w_array(w, FIELD(ix, I, ents), idx->ents, sizeof *idx->ents, n);
    for (size_t i = 0; i < n; i++) w_fix(w, o + i * sizeof(void *), ents + i * sizeof(sanctum_entity), 0);
    w_array(w, FIELD(ix, I, names), idx->names, sizeof *idx->names, idx->n_names);
    w_array(w, FIELD(ix, I, dup_next), idx->dup_next, sizeof *idx->dup_next, idx->n_names);
    o = w_array(w, FIELD(ix, I, toks), idx->toks, sizeof *idx->toks, idx->n_toks);
    for (size_t i = 0; idx->toks && i < idx->n_toks && !w->failed; i++) {
        const sm_tok *t = &idx->toks[i];
        size_t b = o + i * sizeof *t;
        w_strn(w, FIELD(b, sm_tok, s), t->s, t->len);
        w_strn(w, FIELD(b, sm_tok, key), t->key, t->key ? t->klen : 0);
        w_strn(w, FIELD(b, sm_tok, jkey), t->jkey, t->jkey ? t->jklen : 0);
        w_strn(w, FIELD(b, sm_tok, raw), t->raw, t->rawlen);
    }
    w_array(w, FIELD(ix, I, tok_w), idx->tok_w, sizeof *idx->tok_w, idx->n_toks);
    w_array(w, FIELD(ix, I, tok_vid), idx->tok_vid, sizeof *idx->tok_vid, idx->n_toks);
    w_strmap(w, FIELD(ix, I, vocab), &idx->vocab);
    o = w_array(w, FIELD(ix, I, voc), idx->voc, sizeof *idx->voc, idx->n_voc);
    size_t npost = 0;
    for (size_t i = 0; idx->voc && i < idx->n_voc && !w->failed; i++) {
        w_strn(w, FIELD(o + i * sizeof *idx->voc, sm_voc, s), idx->voc[i].s, idx->voc[i].len);
        if ((size_t)idx->voc[i].post_off + idx->voc[i].post_n > npost)
            npost = (size_t)idx->voc[i].post_off + idx->voc[i].post_n;
    }
    w_array(w, FIELD(ix, I, post), idx->post, sizeof *idx->post, npost);
    w_strmap(w, FIELD(ix, I, keys), &idx->keys);
    o = w_array(w, FIELD(ix, I, key_s), idx->key_s, sizeof *idx->key_s, idx->n_keys);
    for (size_t i = 0; idx->key_s && i < idx->n_keys; i++)
        w_strn(w, o + i * sizeof(char *), idx->key_s[i], idx->key_len[i]);
    w_array(w, FIELD(ix, I, key_len), idx->key_len, sizeof *idx->key_len, idx->n_keys);
    w_array(w, FIELD(ix, I, kv_off), idx->kv_off, sizeof(uint32_t), idx->n_keys);
    w_array(w, FIELD(ix, I, kv_n), idx->kv_n, sizeof(uint32_t), idx->n_keys);
    w_array(w, FIELD(ix, I, kv), idx->kv, sizeof(uint32_t), max_end(idx->kv_off, idx->kv_n, idx->n_keys));
    w_array(w, FIELD(ix, I, kj_off), idx->kj_off, sizeof(uint32_t), idx->n_keys);
    w_array(w, FIELD(ix, I, kj_n), idx->kj_n, sizeof(uint32_t), idx->n_keys);
    w_array(w, FIELD(ix, I, kj), idx->kj, sizeof(uint32_t), max_end(idx->kj_off, idx->kj_n, idx->n_keys));
    w_strmap(w, FIELD(ix, I, joined), &idx->joined);
    w_array(w, FIELD(ix, I, jp_off), idx->jp_off, sizeof(uint32_t), idx->n_joined);
    w_array(w, FIELD(ix, I, jp_n), idx->jp_n, sizeof(uint32_t), idx->n_joined);
    w_array(w, FIELD(ix, I, jp), idx->jp, sizeof(uint32_t), max_end(idx->jp_off, idx->jp_n, idx->n_joined));
    w_array(w, FIELD(ix, I, j_w), idx->j_w, sizeof(double), idx->n_joined);
    w_array(w, FIELD(ix, I, dtab), idx->dtab, sizeof *idx->dtab, idx->dtab_cap);
    size_t ndids = 0;
    for (size_t i = 0; idx->dtab && i < idx->dtab_cap; i++)
        if ((size_t)idx->dtab[i].off + idx->dtab[i].n > ndids) ndids = (size_t)idx->dtab[i].off + idx->dtab[i].n;
    w_array(w, FIELD(ix, I, dids), idx->dids, sizeof *idx->dids, ndids);
    w_strmap(w, FIELD(ix, I, countries), &idx->countries);
    h->root_off = root; /* made absolute by the caller */
    h->n_entities = n;
    h->n_names = idx->n_names;
    return w->failed ? SANCTUM_ENOMEM : 0;
}

int sanctum_index_write(const sanctum_index *idx, const char *path, sanctum_error *err)
{
    if (!idx || !path || !*path) return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "no index or no path");
    if (!idx->ds)
        return sanctum_error_set(err, SANCTUM_EINVAL, path, 0, "the index was not built from a dataset");
    img_header *h = calloc(1, IMG_HEADER);
    if (!h) return sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
    wr w = { 0 };
    sanctum_strmap_init(&w.strs);
    int rc = serialize(&w, idx, h, err);
    char tmp[4200];
    int fd = -1;
    if (rc) {
        if (!err || !err->code) sanctum_error_set(err, rc, path, 0, "serializing the index: %s", sanctum_strerror(rc));
        goto out;
    }
    /* layout: header | DATA | STRS | RELOC */
    uint64_t data_off = IMG_HEADER;
    uint64_t strs_off = (data_off + w.n + 63) & ~63ULL;
    uint64_t reloc_off = (strs_off + w.sn + 63) & ~63ULL;
    uint64_t size = reloc_off + w.nfx * sizeof(uint64_t);
    unsigned char *file = calloc(1, (size_t)size);
    if (!file) {
        rc = sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
        goto out;
    }
    memcpy(file + data_off, w.d, w.n);
    memcpy(file + strs_off, w.s, w.sn);
    uint64_t *reloc = (uint64_t *)(void *)(file + reloc_off);
    for (size_t i = 0; i < w.nfx; i++) {
        uint64_t field = data_off + w.fx[i].field;
        uint64_t target = (w.fx[i].strs ? strs_off : data_off) + w.fx[i].target;
        uint64_t val = IMG_BASE + target;
        memcpy(file + field, &val, sizeof val);
        reloc[i] = field;
    }
    memcpy(h->magic, IMG_MAGIC, 8);
    h->format = SANCTUM_INDEX_FORMAT;
    h->endian = IMG_ENDIAN;
    h->fingerprint = img_fingerprint();
    h->base = IMG_BASE;
    h->file_size = size;
    h->created = (uint64_t)time(NULL);
    h->root_off += data_off;
    h->n_sections = SEC__N;
    h->sections[0] = (img_section){ SEC_DATA, 0, data_off, w.n };
    h->sections[1] = (img_section){ SEC_STRS, 0, strs_off, w.sn };
    h->sections[2] = (img_section){ SEC_RELOC, 0, reloc_off, w.nfx * sizeof(uint64_t) };
    h->payload_sum = img_sum(file + IMG_HEADER, (size_t)(size - IMG_HEADER), 0);
    h->header_sum = 0;
    h->header_sum = img_sum(h, IMG_HEADER, 1);
    memcpy(file, h, IMG_HEADER);

    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || write_all(fd, file, (size_t)size) != 0 || fsync(fd) != 0) {
        rc = sanctum_error_set(err, SANCTUM_EIO, path, 0, "cannot write the index file: %s", strerror(errno));
        if (fd >= 0) close(fd);
        fd = -1;
        unlink(tmp);
        free(file);
        goto out;
    }
    free(file);
    close(fd);
    if (rename(tmp, path) != 0) {
        rc = sanctum_error_set(err, SANCTUM_EIO, path, 0, "cannot move the index file into place: %s",
                               strerror(errno));
        unlink(tmp);
    }
out:
    sanctum_strmap_free(&w.strs);
    free(w.d);
    free(w.s);
    free(w.fx);
    free(h);
    return rc;
}

/* ---- reader -------------------------------------------------------------- */

static int bad(sanctum_error *err, const char *path, const char *why)
{
    return sanctum_error_set(err, SANCTUM_EPARSE, path, 0, "not a usable index file: %s", why);
}

static int check_header(const img_header *h, uint64_t st_size, const char *path, sanctum_error *err)
{
    if (memcmp(h->magic, IMG_MAGIC, 8) != 0) return bad(err, path, "not a sanctum index (bad magic)");
    if (h->endian != IMG_ENDIAN) return bad(err, path, "written on a machine of another byte order");
    if (h->format != SANCTUM_INDEX_FORMAT)
        return sanctum_error_set(err, SANCTUM_EPARSE, path, 0,
                                 "not a usable index file: format version %u, this build reads version %u "
                                 "(rebuild it with `sanctum index build`)",
                                 h->format, SANCTUM_INDEX_FORMAT);
    uint64_t want = h->header_sum;
    img_header *hc = calloc(1, IMG_HEADER);
    if (!hc) return sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
    memcpy(hc, h, IMG_HEADER);
    hc->header_sum = 0;
    uint64_t got = img_sum(hc, IMG_HEADER, 1);
    free(hc);
    if (got != want) return bad(err, path, "corrupt header (checksum mismatch)");
    if (h->fingerprint != img_fingerprint())
        return bad(err, path, "written by an engine build with other matching parameters (rebuild it)");
    if (h->file_size != st_size)
        return sanctum_error_set(err, SANCTUM_EPARSE, path, 0,
                                 "not a usable index file: truncated or extended (%llu bytes, header says %llu)",
                                 (unsigned long long)st_size, (unsigned long long)h->file_size);
    if (h->n_sections != SEC__N) return bad(err, path, "unexpected section table");
    for (unsigned i = 0; i < SEC__N; i++) {
        const img_section *s = &h->sections[i];
        if (s->kind != i + 1 || s->off < IMG_HEADER || s->off > st_size || s->size > st_size - s->off)
            return bad(err, path, "section out of bounds");
    }
    const img_section *d = &h->sections[0];
    if (h->root_off < d->off || h->root_off + sizeof(img_root) > d->off + d->size || (h->root_off & 7))
        return bad(err, path, "root record out of bounds");
    if (h->sections[2].size % sizeof(uint64_t)) return bad(err, path, "bad relocation section");
    return 0;
}

static int read_header(int fd, const char *path, img_header *h, uint64_t *size, sanctum_error *err)
{
    struct stat st;
    if (fstat(fd, &st) != 0) return sanctum_error_set(err, SANCTUM_EIO, path, 0, "cannot stat: %s", strerror(errno));
    if (!S_ISREG(st.st_mode)) return bad(err, path, "not a regular file");
    if ((uint64_t)st.st_size < IMG_HEADER) return bad(err, path, "truncated (shorter than its header)");
    ssize_t k = pread(fd, h, IMG_HEADER, 0);
    if (k != (ssize_t)IMG_HEADER) return bad(err, path, "cannot read the header");
    *size = (uint64_t)st.st_size;
    return check_header(h, *size, path, err);
}

int sanctum_index_file_info_read(const char *path, sanctum_index_file_info *info, sanctum_error *err)
{
    if (!path || !info) return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "no path");
    memset(info, 0, sizeof *info);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return sanctum_error_set(err, errno == ENOENT ? SANCTUM_ENOTFOUND : SANCTUM_EIO, path, 0,
                                         "cannot open the index file: %s", strerror(errno));
    img_header *h = calloc(1, IMG_HEADER);
    uint64_t size = 0;
    int rc = h ? read_header(fd, path, h, &size, err) : sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
    close(fd);
    if (!rc) {
        info->format = h->format;
        info->size = size;
        info->created = h->created;
        info->entities = h->n_entities;
        info->names = h->n_names;
        info->n_lists = h->n_lists < IMG_MAX_LISTS ? h->n_lists : IMG_MAX_LISTS;
        for (size_t i = 0; i < info->n_lists; i++) {
            copy_cstr(info->lists[i].name, sizeof info->lists[i].name, h->lists[i].name);
            copy_cstr(info->lists[i].published, sizeof info->lists[i].published, h->lists[i].published);
            copy_cstr(info->lists[i].sha256, sizeof info->lists[i].sha256, h->lists[i].sha256);
            info->lists[i].entities = h->lists[i].entities;
        }
    }
    free(h);
    return rc;
}

int sanctum_index_open(sanctum_index **out, const char *path, sanctum_error *err)
{
    if (!out) return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "no output pointer");
    *out = NULL;
    if (err) sanctum_error_clear(err);
    if (!path || !*path) return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "no index file given");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return sanctum_error_set(err, errno == ENOENT ? SANCTUM_ENOTFOUND : SANCTUM_EIO, path, 0,
                                 "cannot open the index file: %s", strerror(errno));
    img_header *h = calloc(1, IMG_HEADER);
    uint64_t size = 0;
    int rc = h ? read_header(fd, path, h, &size, err) : sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
    if (rc) {
        free(h);
        close(fd);
        return rc;
    }
    void *want = (void *)(uintptr_t)h->base;
    unsigned char *m = mmap(want, (size_t)size, PROT_READ, MAP_PRIVATE | MAP_FIXED_NOREPLACE | MAP_POPULATE, fd, 0);
    int relocate = 0;
    if (m == MAP_FAILED || (void *)m != want) {
        if (m != MAP_FAILED) munmap(m, (size_t)size);
        m = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_POPULATE, fd, 0);
        relocate = 1;
    }
    close(fd);
    if (m == MAP_FAILED) {
        free(h);
        return sanctum_error_set(err, SANCTUM_EIO, path, 0, "cannot map the index file: %s", strerror(errno));
    }
    if (img_sum(m + IMG_HEADER, (size_t)(size - IMG_HEADER), 0) != h->payload_sum) {
        munmap(m, (size_t)size);
        free(h);
        return bad(err, path, "corrupt (payload checksum mismatch)");
    }
    if (relocate) {
        const img_section *rs = &h->sections[2];
        const uint64_t *reloc = (const uint64_t *)(const void *)(m + rs->off);
        size_t nr = (size_t)(rs->size / sizeof(uint64_t));
        uint64_t delta = (uint64_t)(uintptr_t)m - h->base;
        for (size_t i = 0; i < nr; i++) {
            uint64_t f = reloc[i], v;
            if (f < IMG_HEADER || f + 8 > rs->off || (f & 7)) {
                munmap(m, (size_t)size);
                free(h);
                return bad(err, path, "bad relocation entry");
            }
            memcpy(&v, m + f, 8);
            v += delta;
            memcpy(m + f, &v, 8);
        }
        mprotect(m, (size_t)size, PROT_READ);
    }
    const img_root *root = (const img_root *)(const void *)(m + h->root_off);
    sanctum_index *idx = calloc(1, sizeof *idx);
    if (!idx) {
        munmap(m, (size_t)size);
        free(h);
        return sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
    }
    memcpy(idx, &root->idx, sizeof *idx);
    idx->pool = NULL;
    sanctum_arena_init(&idx->arena);
    idx->map_base = m;
    idx->map_len = (size_t)size;
    idx->map_ds = sanctum_dataset_from_view(&root->view);
    idx->ds = idx->map_ds;
    free(h);
    if (!idx->map_ds || pthread_mutex_init(&idx->pool_lock, NULL) != 0) {
        sanctum_dataset_free(idx->map_ds);
        munmap(m, (size_t)size);
        free(idx);
        return sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
    }
    *out = idx;
    return 0;
}

int sanctum_index_is_mapped(const sanctum_index *idx) { return idx && idx->map_base != NULL; }

/* Called by sanctum_index_free() for a mapped index, after the scratch pool
 * is freed and the lock destroyed. */
void sm_image_unmap(sanctum_index *idx);
void sm_image_unmap(sanctum_index *idx)
{
    sanctum_dataset_free(idx->map_ds);
    sanctum_arena_free(&idx->arena);
    munmap(idx->map_base, idx->map_len);
    free(idx);
}
