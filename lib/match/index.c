/*
 * index.c - builds the read-only matching index over every listed name.
 *
 * What is precomputed, once:
 *  - each name folded and split into canonical tokens (tokenize.c), with
 *    its weight, Korean key, and the Korean key of each adjacent pair;
 *  - the token vocabulary with document frequencies (idf weights) and
 *    postings (name, position), kept for the first of the names that are
 *    spelled alike (the others are chained to it);
 *  - the Korean-key table: key -> tokens having it, key -> adjacent pairs
 *    whose joined spelling has it;
 *  - adjacent pairs written together ("sang"+"man" -> "sangman") -> postings;
 *  - deletion neighbourhoods of every token and of every Korean key (as
 *    many deletions as an edit similarity >= SM_SIM_MIN can need for the
 *    length: 0-2), hashed into one table. Two strings within the edit distance that can
 *    reach SM_SIM_MIN always share one of these deletion variants, so a
 *    query token finds every vocabulary token it is similar to (screen.c
 *    and docs/ALGORITHM.md give the argument).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "match/match_internal.h"
#include "text/text.h"
#include "util/error.h"

#define DEL_SEED_TOK 0x5a17c0de5eed0001ULL
#define DEL_SEED_KEY 0x5a17c0de5eed0002ULL

/* ---- small growable arrays -------------------------------------------- */

typedef struct u64vec {
    uint64_t *v;
    size_t n, cap;
} u64vec;

static int u64_push(u64vec *a, uint64_t x)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 1024;
        uint64_t *v = realloc(a->v, cap * sizeof *v);
        if (!v) return SANCTUM_ENOMEM;
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n++] = x;
    return 0;
}

static int u64_cmp(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

typedef struct delpair {
    uint64_t h;
    uint32_t id;
} delpair;

typedef struct delvec {
    delpair *v;
    size_t n, cap;
    int failed;
    uint32_t id;
    int key_space;
} delvec;

/* Stable LSD radix sort of the pairs by hash (16 bits a pass). Pairs of one
 * id are emitted together, so equal (hash, id) pairs end up adjacent. */
static int radix_sort(delvec *d)
{
    if (d->n < 2) return 0;
    delpair *tmp = malloc(d->n * sizeof *tmp);
    size_t *count = malloc(65536 * sizeof *count);
    if (!tmp || !count) {
        free(tmp);
        free(count);
        return SANCTUM_ENOMEM;
    }
    delpair *src = d->v, *dst = tmp;
    for (int shift = 0; shift < 64; shift += 16) {
        memset(count, 0, 65536 * sizeof *count);
        for (size_t i = 0; i < d->n; i++) count[(src[i].h >> shift) & 0xFFFF]++;
        size_t sum = 0;
        for (size_t b = 0; b < 65536; b++) {
            size_t c = count[b];
            count[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < d->n; i++) dst[count[(src[i].h >> shift) & 0xFFFF]++] = src[i];
        delpair *t = src;
        src = dst;
        dst = t;
    }
    /* four passes: the sorted data is back in d->v */
    free(tmp);
    free(count);
    return 0;
}

uint64_t sm_del_hash(const char *s, size_t len, int key_space)
{
    return sanctum_hash_bytes(s, len, key_space ? DEL_SEED_KEY : DEL_SEED_TOK);
}

/* The most deletions a string of this length needs so that every partner
 * whose edit similarity (times factor) reaches SM_SIM_MIN shares a deletion
 * variant with it: with d edits and the partner longer by delta >= 0, this
 * side needs at most d - delta deletions (ALGORITHM.md). */
static int del_k_for(int len, double factor)
{
    if (len < SM_EDIT_MIN_LEN || len > SM_EDIT_MAX_LEN) return -1;
    int k = 0;
    for (int other = SM_EDIT_MIN_LEN; other <= SM_EDIT_MAX_LEN; other++)
        for (int d = 1; d <= SM_EDIT_MAX_D; d++) {
            int delta = other - len;
            if (delta > d || -delta > d) continue;
            if (factor * (1.0 - d * sm_edit_cost(len > other ? len : other)) < SM_SIM_MIN) continue;
            int need = d - (delta > 0 ? delta : 0);
            if (need > k) k = need;
        }
    return k;
}

int sm_tok_del_k(int len) { return del_k_for(len, 1.0); }

int sm_key_del_k(int len) { return del_k_for(len, SM_SIM_ROMAN); }

static void del_rec(const char *s, int len, int start, int k, void (*fn)(void *, const char *, int), void *ctx)
{
    fn(ctx, s, len);
    if (k == 0) return;
    char tmp[SM_EDIT_MAX_LEN + 1];
    for (int i = start; i < len; i++) {
        memcpy(tmp, s, (size_t)i);
        memcpy(tmp + i, s + i + 1, (size_t)(len - i - 1));
        del_rec(tmp, len - 1, i, k - 1, fn, ctx);
    }
}

void sm_deletions(const char *s, int len, int k, void (*fn)(void *, const char *, int), void *ctx)
{
    if (len > SM_EDIT_MAX_LEN || k < 0) return;
    del_rec(s, len, 0, k, fn, ctx);
}

static void del_collect(void *ctx, const char *s, int len)
{
    delvec *d = ctx;
    if (d->failed) return;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 4096;
        delpair *v = realloc(d->v, cap * sizeof *v);
        if (!v) {
            d->failed = 1;
            return;
        }
        d->v = v;
        d->cap = cap;
    }
    d->v[d->n].h = sm_del_hash(s, (size_t)len, d->key_space);
    d->v[d->n].id = d->id;
    d->n++;
}

const uint32_t *sm_dtab_get(const sanctum_index *idx, uint64_t h, uint32_t *n)
{
    *n = 0;
    if (!idx->dtab_cap) return NULL;
    size_t i = (size_t)h & (idx->dtab_cap - 1);
    for (;;) {
        const sm_dslot *s = &idx->dtab[i];
        if (s->n == 0) return NULL;
        if (s->h == h) {
            *n = s->n;
            return idx->dids + s->off;
        }
        i = (i + 1) & (idx->dtab_cap - 1);
    }
}

/* ---- interning ---------------------------------------------------------- */

typedef struct builder {
    sanctum_index *idx;
    size_t voc_cap, keys_cap, jw_cap;
} builder;

static int intern_vocab(builder *b, const char *s, size_t len, uint8_t cls, uint8_t flags, uint32_t *vid)
{
    sanctum_index *idx = b->idx;
    size_t v;
    if (sanctum_strmap_get(&idx->vocab, s, len, &v)) {
        *vid = (uint32_t)v;
        return 0;
    }
    if (idx->n_voc == b->voc_cap) {
        size_t cap = b->voc_cap ? b->voc_cap * 2 : 4096;
        sm_voc *nv = realloc(idx->voc, cap * sizeof *nv);
        if (!nv) return SANCTUM_ENOMEM;
        idx->voc = nv;
        b->voc_cap = cap;
    }
    char *copy = sanctum_arena_strndup(&idx->arena, s, len);
    if (!copy) return SANCTUM_ENOMEM;
    sm_voc *e = &idx->voc[idx->n_voc];
    memset(e, 0, sizeof *e);
    e->s = copy;
    e->len = (uint16_t)len;
    e->cls = cls;
    e->flags = flags & (SM_TF_DIGIT | SM_TF_INITIAL);
    e->kid = -1;
    if (sanctum_strmap_put(&idx->vocab, copy, len, idx->n_voc)) return SANCTUM_ENOMEM;
    *vid = (uint32_t)idx->n_voc++;
    return 0;
}

static int intern_key(builder *b, const char *k, size_t len, int32_t *kid)
{
    sanctum_index *idx = b->idx;
    size_t v;
    if (sanctum_strmap_get(&idx->keys, k, len, &v)) {
        *kid = (int32_t)v;
        return 0;
    }
    if (idx->n_keys == b->keys_cap) {
        size_t cap = b->keys_cap ? b->keys_cap * 2 : 4096;
        const char **ns = realloc((void *)idx->key_s, cap * sizeof *ns);
        if (!ns) return SANCTUM_ENOMEM;
        idx->key_s = ns;
        uint16_t *nl = realloc(idx->key_len, cap * sizeof *nl);
        if (!nl) return SANCTUM_ENOMEM;
        idx->key_len = nl;
        b->keys_cap = cap;
    }
    char *copy = sanctum_arena_strndup(&idx->arena, k, len);
    if (!copy) return SANCTUM_ENOMEM;
    idx->key_s[idx->n_keys] = copy;
    idx->key_len[idx->n_keys] = (uint16_t)len;
    if (sanctum_strmap_put(&idx->keys, copy, len, idx->n_keys)) return SANCTUM_ENOMEM;
    *kid = (int32_t)idx->n_keys++;
    return 0;
}

/* Turns sorted (id << 32 | value) pairs into offset/count arrays over n ids. */
static int group_pairs(u64vec *pairs, size_t n, uint32_t **off, uint32_t **cnt, uint32_t **vals)
{
    if (pairs->n > 1) qsort(pairs->v, pairs->n, sizeof *pairs->v, u64_cmp);
    *off = calloc(n ? n : 1, sizeof **off);
    *cnt = calloc(n ? n : 1, sizeof **cnt);
    *vals = malloc((pairs->n ? pairs->n : 1) * sizeof **vals);
    if (!*off || !*cnt || !*vals) return SANCTUM_ENOMEM;
    for (size_t i = 0; i < pairs->n; i++) {
        uint32_t id = (uint32_t)(pairs->v[i] >> 32);
        (*vals)[i] = (uint32_t)pairs->v[i];
        if ((*cnt)[id]++ == 0) (*off)[id] = (uint32_t)i;
    }
    return 0;
}

/* ---- build --------------------------------------------------------------- */

typedef struct occ {
    uint32_t vid;
    uint8_t flags;
    uint16_t rawlen;
    const char *raw;   /* the word before canonical rewriting, NULL when the same */
} occ;

static double class_factor(int cls)
{
    switch (cls) {
    case SM_CLS_LEGAL: return SM_FACTOR_LEGAL;
    case SM_CLS_HONORIFIC: return SM_FACTOR_HONORIFIC;
    case SM_CLS_STOP: return SM_FACTOR_STOP;
    default: return 1.0;
    }
}

/* Are names a and b the same canonical tokens, spelled the same? */
static int same_spelling(const occ *occs, const sm_name *a, const sm_name *b)
{
    if (a->ntok != b->ntok) return 0;
    for (int t = 0; t < a->ntok; t++) {
        const occ *x = &occs[a->tok + t], *y = &occs[b->tok + t];
        if (x->vid != y->vid || x->flags != y->flags || x->rawlen != y->rawlen) return 0;
        if (x->rawlen && memcmp(x->raw, y->raw, x->rawlen) != 0) return 0;
    }
    return 1;
}

/* A record that republishes another listing (same_as: a CSL row copied from
 * the SDN list) says less about its names than the listing does: the CSL
 * has no weak aliases. Each of its names that the listing has too, spelled
 * the same, scores as the listing's does, so that the copy never outranks
 * the listing on a name the listing calls weak (and is then reported under
 * it, as the entity model intends). first[e]: e's first name; names of an
 * entity are consecutive. */
static int inherit_quality(sanctum_index *idx, const occ *occs, const uint32_t *first)
{
    sanctum_strmap by_id;
    sanctum_strmap_init(&by_id);
    int rc = 0;
    for (size_t e = 0; e < idx->n_ents && !rc; e++)
        if (idx->ents[e]->id) rc = sanctum_strmap_put(&by_id, idx->ents[e]->id, strlen(idx->ents[e]->id), e);
    for (size_t i = 0; i < idx->n_names && !rc; i++) {
        sm_name *nm = &idx->names[i];
        const sanctum_entity *target = idx->ents[nm->entity]->same_as;
        size_t t;
        if (nm->weak || !target || !target->id || !sanctum_strmap_get(&by_id, target->id, strlen(target->id), &t))
            continue;
        for (uint32_t j = first[t]; j < first[t + 1]; j++)
            if (idx->names[j].weak && same_spelling(occs, nm, &idx->names[j])) {
                nm->weak = 1;
                break;
            }
    }
    sanctum_strmap_free(&by_id);
    return rc;
}

static int build(sanctum_index *idx, const sanctum_entity *const *ents, size_t n, sanctum_error *err)
{
    builder b = { idx, 0, 0, 0 };
    int rc = 0;
    size_t names_cap = 0, occ_cap = 0, n_occ = 0;
    occ *occs = NULL;
    u64vec vpost = { 0 }, kv = { 0 }, kj = { 0 }, jp = { 0 };
    delvec dv = { 0 };
    uint32_t *stamp = NULL, *rep = NULL, *ent_first = NULL;
    sanctum_strbuf fold = SANCTUM_STRBUF_INIT;
    char tbuf[256], kbuf[SM_KEY_MAX], jbuf[2 * SM_EDIT_MAX_LEN * 4 + 8];
    sm_rawtok raw[SM_MAX_TOKENS];

    idx->ents = malloc((n ? n : 1) * sizeof *idx->ents);
    ent_first = malloc((n + 1) * sizeof *ent_first);
    if (!idx->ents || !ent_first) goto nomem;
    idx->n_ents = n;
    for (size_t ei = 0; ei < n; ei++) {
        const sanctum_entity *e = ents[ei];
        idx->ents[ei] = e;
        ent_first[ei] = (uint32_t)idx->n_names;
        for (size_t k = 0; k < e->n_names && k < 0xFFFF; k++) {
            const char *full = e->names[k].full;
            if (!full) {
                idx->skipped_names++;
                continue;
            }
            sanctum_strbuf_reset(&fold);
            if (sanctum_text_fold(full, strlen(full), &fold) != 0) {
                idx->skipped_names++;
                continue;
            }
            int trunc = 0;
            int nt = sm_tokenize(sanctum_strbuf_cstr(&fold), fold.len, tbuf, sizeof tbuf, raw, SM_MAX_TOKENS, &trunc);
            if (nt <= 0) {
                idx->skipped_names++;
                continue;
            }
            if (trunc) idx->truncated_names++;
            if (idx->n_names == names_cap) {
                size_t cap = names_cap ? names_cap * 2 : 4096;
                sm_name *nn = realloc(idx->names, cap * sizeof *nn);
                if (!nn) goto nomem;
                idx->names = nn;
                names_cap = cap;
            }
            if (n_occ + (size_t)nt > occ_cap) {
                size_t cap = occ_cap ? occ_cap * 2 : 16384;
                while (cap < n_occ + (size_t)nt) cap *= 2;
                occ *no = realloc(occs, cap * sizeof *no);
                if (!no) goto nomem;
                occs = no;
                occ_cap = cap;
            }
            sm_name *nm = &idx->names[idx->n_names];
            memset(nm, 0, sizeof *nm);
            nm->entity = (uint32_t)ei;
            nm->tok = (uint32_t)n_occ;
            nm->name_index = (uint16_t)k;
            nm->ntok = (uint8_t)nt;
            nm->weak = e->names[k].quality == SANCTUM_QUALITY_WEAK;
            for (int t = 0; t < nt; t++) {
                uint32_t vid;
                if ((rc = intern_vocab(&b, raw[t].s, raw[t].len, raw[t].cls, raw[t].flags, &vid))) goto fail;
                occs[n_occ].vid = vid;
                occs[n_occ].flags = raw[t].flags;
                occs[n_occ].raw = NULL;
                occs[n_occ].rawlen = 0;
                if (raw[t].rawlen != raw[t].len || memcmp(raw[t].raw, raw[t].s, raw[t].len) != 0) {
                    occs[n_occ].raw = sanctum_arena_strndup(&idx->arena, raw[t].raw, raw[t].rawlen);
                    if (!occs[n_occ].raw) goto nomem;
                    occs[n_occ].rawlen = raw[t].rawlen;
                }
                n_occ++;
                if (raw[t].flags & SM_TF_INITIAL) nm->has_initial = 1;
            }
            idx->n_names++;
        }
    }
    if (idx->n_names > (1u << 26)) {
        rc = sanctum_error_set(err, SANCTUM_ELIMIT, NULL, 0, "too many names to index (%zu)", idx->n_names);
        goto fail;
    }
    ent_first[n] = (uint32_t)idx->n_names;
    if ((rc = inherit_quality(idx, occs, ent_first))) goto fail;

    /* document frequencies and weights */
    stamp = calloc(idx->n_voc ? idx->n_voc : 1, sizeof *stamp);
    if (!stamp) goto nomem;
    for (size_t i = 0; i < idx->n_names; i++) {
        const sm_name *nm = &idx->names[i];
        for (int t = 0; t < nm->ntok; t++) {
            uint32_t v = occs[nm->tok + t].vid;
            if (stamp[v] != i + 1) {
                stamp[v] = (uint32_t)(i + 1);
                idx->voc[v].df++;
            }
        }
    }
    double N = (double)(idx->n_names ? idx->n_names : 1);
    idx->w_unseen = pow(log(1.0 + N), SM_IDF_POWER);
    for (size_t v = 0; v < idx->n_voc; v++) {
        sm_voc *e = &idx->voc[v];
        if (e->flags & SM_TF_INITIAL)
            e->w = SM_WEIGHT_INITIAL;
        else
            e->w = pow(log(1.0 + N / (double)(e->df ? e->df : 1)), SM_IDF_POWER) * class_factor(e->cls);
        if (!(e->flags & SM_TF_DIGIT)) {
            size_t kl = sm_korean_key(e->s, e->len, kbuf);
            if (kl && (rc = intern_key(&b, kbuf, kl, &e->kid))) goto fail;
            if (e->kid >= 0 && (rc = u64_push(&kv, (uint64_t)e->kid << 32 | (uint32_t)v))) goto fail;
        }
    }

    /* Names spelled alike (the same canonical tokens, spellings and
     * quality) score alike: only the first of them gets postings, and the
     * others are chained to it (dup_next), so that retrieval and scoring
     * see one candidate for a name that several listings share. */
    idx->dup_next = malloc((idx->n_names ? idx->n_names : 1) * sizeof *idx->dup_next);
    rep = malloc((idx->n_names ? idx->n_names : 1) * sizeof *rep);
    if (!idx->dup_next || !rep) goto nomem;
    {
        sanctum_strmap seen;
        sanctum_strmap_init(&seen);
        uint32_t *tail = malloc((idx->n_names ? idx->n_names : 1) * sizeof *tail);
        if (!tail) goto nomem;
        for (size_t i = 0; i < idx->n_names && !rc; i++) {
            const sm_name *nm = &idx->names[i];
            sanctum_strbuf_reset(&fold);
            char head = (char)(nm->weak ? 'w' : 's');
            rc = sanctum_strbuf_append(&fold, &head, 1);
            for (int t = 0; t < nm->ntok && !rc; t++) {
                const occ *o = &occs[nm->tok + t];
                unsigned char sig[7] = { (unsigned char)o->vid, (unsigned char)(o->vid >> 8),
                                         (unsigned char)(o->vid >> 16), (unsigned char)(o->vid >> 24), o->flags,
                                         (unsigned char)o->rawlen, (unsigned char)(o->rawlen >> 8) };
                rc = sanctum_strbuf_append(&fold, (const char *)sig, sizeof sig);
                if (!rc && o->raw) rc = sanctum_strbuf_append(&fold, o->raw, o->rawlen);
            }
            if (rc) break;
            idx->dup_next[i] = UINT32_MAX;
            size_t first;
            if (sanctum_strmap_get(&seen, fold.data, fold.len, &first)) {
                rep[i] = (uint32_t)first;
                idx->dup_next[tail[first]] = (uint32_t)i;
                tail[first] = (uint32_t)i;
                idx->shared_names++;
                continue;
            }
            rep[i] = (uint32_t)i;
            tail[i] = (uint32_t)i;
            char *copy = sanctum_arena_strndup(&idx->arena, fold.data, fold.len);
            if (!copy || sanctum_strmap_put(&seen, copy, fold.len, i)) rc = SANCTUM_ENOMEM;
        }
        free(tail);
        sanctum_strmap_free(&seen);
        if (rc) goto fail;
    }

    /* tokens of each name, postings, joined pairs */
    idx->toks = calloc(n_occ ? n_occ : 1, sizeof *idx->toks);
    if (!idx->toks) goto nomem;
    idx->n_toks = n_occ;
    size_t jw_cap = 0;
    for (size_t i = 0; i < idx->n_names; i++) {
        sm_name *nm = &idx->names[i];
        nm->wsum = 0;
        nm->sig = 0;
        for (int t = 0; t < nm->ntok; t++) {
            const occ *o = &occs[nm->tok + t];
            const sm_voc *e = &idx->voc[o->vid];
            sm_tok *tk = &idx->toks[nm->tok + t];
            tk->s = e->s;
            tk->len = e->len;
            tk->vid = (int32_t)o->vid;
            tk->kid = e->kid;
            tk->key = e->kid >= 0 ? idx->key_s[e->kid] : NULL;
            tk->klen = e->kid >= 0 ? idx->key_len[e->kid] : 0;
            tk->jkid = -1;
            tk->cls = e->cls;
            tk->flags = (uint8_t)(o->flags | e->flags);
            tk->raw = o->raw ? o->raw : e->s;
            tk->rawlen = o->raw ? o->rawlen : e->len;
            tk->w = e->w;
            nm->wsum += e->w;
            nm->sig |= sm_sig_bit(SM_SIG_FIRST, (unsigned char)tk->s[0]);
            if (tk->flags & SM_TF_INITIAL) {
                nm->sig |= sm_sig_bit(SM_SIG_INITIAL, (unsigned char)tk->s[0]);
                if (tk->kid >= 0) nm->sig |= sm_sig_bit(SM_SIG_KEY, (uint32_t)tk->kid);
            } else {
                nm->sig |= sm_sig_bit(SM_SIG_WORD, o->vid);
            }
            if (rep[i] == i && (rc = u64_push(&vpost, (uint64_t)o->vid << 32 | (uint32_t)(i << 6 | (size_t)t))))
                goto fail;
        }
        for (int t = 0; t + 1 < nm->ntok; t++) {
            sm_tok *a = &idx->toks[nm->tok + t], *c = a + 1;
            if (a->len < 2 || c->len < 2) continue;
            uint32_t post = (uint32_t)(i << 6 | (size_t)t);
            /* the pair as canonical text, and as written when that differs */
            for (int spelling = 0; spelling < 2; spelling++) {
                const char *s1 = spelling ? a->raw : a->s, *s2 = spelling ? c->raw : c->s;
                size_t l1 = spelling ? a->rawlen : a->len, l2 = spelling ? c->rawlen : c->len;
                if (spelling && a->raw == a->s && c->raw == c->s) break;
                if (l1 + l2 >= sizeof jbuf) continue;
                memcpy(jbuf, s1, l1);
                memcpy(jbuf + l1, s2, l2);
                size_t jl = l1 + l2;
                size_t jid;
                if (!sanctum_strmap_get(&idx->joined, jbuf, jl, &jid)) {
                    char *copy = sanctum_arena_strndup(&idx->arena, jbuf, jl);
                    if (!copy) goto nomem;
                    jid = idx->n_joined++;
                    if (sanctum_strmap_put(&idx->joined, copy, jl, jid)) goto nomem;
                    if (jid >= jw_cap) {
                        size_t cap = jw_cap ? jw_cap * 2 : 4096;
                        double *nw = realloc(idx->j_w, cap * sizeof *nw);
                        if (!nw) goto nomem;
                        idx->j_w = nw;
                        jw_cap = cap;
                    }
                    idx->j_w[jid] = a->w + c->w;
                }
                if (rep[i] == i && (rc = u64_push(&jp, (uint64_t)jid << 32 | post))) goto fail;
                if (spelling) continue;
                size_t kl = sm_korean_key(jbuf, jl, kbuf);
                if (kl) {
                    if ((rc = intern_key(&b, kbuf, kl, &a->jkid))) goto fail;
                    if (rep[i] == i && (rc = u64_push(&kj, (uint64_t)a->jkid << 32 | post))) goto fail;
                }
            }
        }
    }
    idx->tok_w = malloc((idx->n_toks ? idx->n_toks : 1) * sizeof *idx->tok_w);
    if (!idx->tok_w) goto nomem;
    for (size_t i = 0; i < idx->n_toks; i++) idx->tok_w[i] = idx->toks[i].w;
    idx->tok_vid = malloc((idx->n_toks ? idx->n_toks : 1) * sizeof *idx->tok_vid);
    if (!idx->tok_vid) goto nomem;
    for (size_t i = 0; i < idx->n_toks; i++)
        idx->tok_vid[i] = sm_tok_direct(&idx->toks[i]) ? SM_TOK_DIRECT : (uint32_t)idx->toks[i].vid;
    /* key strings may have moved while the table grew: set pointers now */
    for (size_t i = 0; i < idx->n_toks; i++) {
        sm_tok *tk = &idx->toks[i];
        if (tk->kid >= 0) tk->key = idx->key_s[tk->kid];
        if (tk->jkid >= 0) {
            tk->jkey = idx->key_s[tk->jkid];
            tk->jklen = idx->key_len[tk->jkid];
        }
    }
    {
        uint32_t *off, *cnt;
        if ((rc = group_pairs(&vpost, idx->n_voc, &off, &cnt, &idx->post))) {
            free(off);
            free(cnt);
            goto fail;
        }
        for (size_t v = 0; v < idx->n_voc; v++) {
            idx->voc[v].post_off = off[v];
            idx->voc[v].post_n = cnt[v];
        }
        free(off);
        free(cnt);
    }
    if ((rc = group_pairs(&kv, idx->n_keys, &idx->kv_off, &idx->kv_n, &idx->kv))) goto fail;
    if ((rc = group_pairs(&kj, idx->n_keys, &idx->kj_off, &idx->kj_n, &idx->kj))) goto fail;
    if ((rc = group_pairs(&jp, idx->n_joined, &idx->jp_off, &idx->jp_n, &idx->jp))) goto fail;

    /* deletion neighbourhoods */
    for (size_t v = 0; v < idx->n_voc; v++) {
        const sm_voc *e = &idx->voc[v];
        if (e->flags & (SM_TF_DIGIT | SM_TF_INITIAL)) continue;
        int k = sm_tok_del_k(e->len);
        if (k < 0) continue;
        dv.id = (uint32_t)v;
        dv.key_space = 0;
        sm_deletions(e->s, e->len, k, del_collect, &dv);
    }
    for (size_t kid = 0; kid < idx->n_keys; kid++) {
        int k = sm_key_del_k(idx->key_len[kid]);
        if (k < 0) continue;
        dv.id = (uint32_t)kid | SM_DEL_KEYFLAG;
        dv.key_space = 1;
        sm_deletions(idx->key_s[kid], idx->key_len[kid], k, del_collect, &dv);
    }
    if (dv.failed) goto nomem;
    if ((rc = radix_sort(&dv))) goto fail;
    {
        size_t uniq = 0, nid = 0;
        for (size_t i = 0; i < dv.n; i++) {
            if (i && dv.v[i].h == dv.v[i - 1].h && dv.v[i].id == dv.v[i - 1].id) continue;
            if (!i || dv.v[i].h != dv.v[i - 1].h) uniq++;
            nid++;
        }
        size_t cap = 16;
        while (cap < uniq * 2) cap *= 2;
        idx->dtab = calloc(cap, sizeof *idx->dtab);
        idx->dids = malloc((nid ? nid : 1) * sizeof *idx->dids);
        if (!idx->dtab || !idx->dids) goto nomem;
        idx->dtab_cap = cap;
        size_t w = 0;
        for (size_t i = 0; i < dv.n;) {
            size_t j = i;
            uint32_t off = (uint32_t)w;
            while (j < dv.n && dv.v[j].h == dv.v[i].h) {
                if (j == i || dv.v[j].id != dv.v[j - 1].id) idx->dids[w++] = dv.v[j].id;
                j++;
            }
            size_t s = (size_t)dv.v[i].h & (cap - 1);
            while (idx->dtab[s].n) s = (s + 1) & (cap - 1);
            idx->dtab[s].h = dv.v[i].h;
            idx->dtab[s].off = off;
            idx->dtab[s].n = (uint32_t)w - off;
            i = j;
        }
    }
    if ((rc = sm_countries_init(&idx->countries, &idx->arena))) goto fail;
    goto done;
nomem:
    rc = SANCTUM_ENOMEM;
fail:
    if (err && rc && err->code != rc) sanctum_error_set(err, rc, NULL, 0, "building the matching index: %s",
                                                        sanctum_strerror(rc));
done:
    free(occs);
    free(vpost.v);
    free(kv.v);
    free(kj.v);
    free(jp.v);
    free(dv.v);
    free(stamp);
    free(ent_first);
    free(rep);
    sanctum_strbuf_free(&fold);
    return rc;
}

int sm_index_build_entities(sanctum_index **out, const sanctum_dataset *ds, const sanctum_entity *const *ents,
                            size_t n, sanctum_error *err)
{
    if (!out) return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "no output pointer");
    *out = NULL;
    if (!ents && n) return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "no entities");
    if (err) sanctum_error_clear(err);
    sanctum_index *idx = calloc(1, sizeof *idx);
    if (!idx) return sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
    idx->ds = ds;
    sanctum_arena_init(&idx->arena);
    sanctum_strmap_init(&idx->vocab);
    sanctum_strmap_init(&idx->keys);
    sanctum_strmap_init(&idx->joined);
    sanctum_strmap_init(&idx->countries);
    if (pthread_mutex_init(&idx->pool_lock, NULL) != 0) {
        free(idx);
        return sanctum_error_set(err, SANCTUM_EINTERNAL, NULL, 0, "cannot create a mutex");
    }
    int rc = build(idx, ents, n, err);
    if (rc) {
        sanctum_index_free(idx);
        return rc;
    }
    *out = idx;
    return 0;
}

int sanctum_index_build(sanctum_index **out, const sanctum_dataset *ds, sanctum_error *err)
{
    if (!out) return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "no output pointer");
    *out = NULL;
    if (!ds) return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "no dataset");
    size_t n = sanctum_dataset_count(ds);
    const sanctum_entity **ents = malloc((n ? n : 1) * sizeof *ents);
    if (!ents) return sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < n; i++) ents[i] = sanctum_dataset_entity(ds, i);
    int rc = sm_index_build_entities(out, ds, ents, n, err);
    free(ents);
    return rc;
}

const sanctum_dataset *sanctum_index_dataset(const sanctum_index *idx)
{
    return idx ? idx->ds : NULL;
}

void sm_scratch_free_all(sanctum_index *idx);
void sm_image_unmap(sanctum_index *idx);

void sanctum_index_free(sanctum_index *idx)
{
    if (!idx) return;
    sm_scratch_free_all(idx);
    pthread_mutex_destroy(&idx->pool_lock);
    if (idx->map_base) {
        sm_image_unmap(idx);
        return;
    }
    free((void *)idx->ents);
    free(idx->names);
    free(idx->dup_next);
    free(idx->toks);
    free(idx->tok_w);
    free(idx->tok_vid);
    free(idx->voc);
    free(idx->post);
    free((void *)idx->key_s);
    free(idx->key_len);
    free(idx->kv_off);
    free(idx->kv_n);
    free(idx->kv);
    free(idx->kj_off);
    free(idx->kj_n);
    free(idx->kj);
    free(idx->jp_off);
    free(idx->jp_n);
    free(idx->jp);
    free(idx->j_w);
    free(idx->dtab);
    free(idx->dids);
    sanctum_strmap_free(&idx->vocab);
    sanctum_strmap_free(&idx->keys);
    sanctum_strmap_free(&idx->joined);
    sanctum_strmap_free(&idx->countries);
    sanctum_arena_free(&idx->arena);
    free(idx);
}
