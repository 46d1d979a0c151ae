/*
 * link.c - one party across lists: after every list of a dataset is loaded,
 * finds the entities of different lists that are the same person,
 * organization or vessel, and gives each the list of its other listings.
 *
 * Every rule turns an entity into keys, so no pair of entities is ever
 * compared unless a key brings them together:
 *  - identifiers: "p:<number>" (passport), "n:<number>" (national ID),
 *    "i:<number>" (IMO), "w:<address>" (wallet), numbers and addresses
 *    normalized as the identifier index does; a passport or ID pair whose
 *    issuing countries are both known and differ is not linked;
 *  - name and date of birth (persons): "d:<YYYY-MM-DD>:<name>", the name
 *    reduced to lower-case ASCII words in sorted order ("KIM, Sang Man" and
 *    "Sang Man KIM" give "kim man sang"); names in other scripts give no key;
 *  - stated cross-references are looked up directly by id: a CSL row's OFAC
 *    entity number (attribute "ofac_ent_num"), a UN reference number such as
 *    "KPi.066" in another list's "un_ref" attribute or labelled as one ("UN
 *    Ref: KPi.066") in its remarks or attributes, and an editor's
 *    "possibly the same as" hint (attribute "possibly_same_as", weak).
 * Keys are sorted, and each run of equal keys yields the links of its
 * entities. A run longer than MAX_BUCKET is a value too common to identify
 * anyone and is ignored. Links of the same strength are transitive: the
 * strong links form parties (union-find), and every member of a party lists
 * every other member, the indirect ones "linked through" a neighbour.
 */
#define _POSIX_C_SOURCE 200809L
#include "lists/link.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sanctum/ident.h"
#include "util/error.h"
#include "util/strmap.h"

#define MAX_BUCKET 16      /* entities sharing one key, at most */
#define MAX_TOKENS 16
#define MAX_KEY 320
#define MAX_REASON 400

/* ---- keys ------------------------------------------------------------------ */

typedef struct key_item {
    const char *key;       /* "p:109420132" (temporary arena) */
    const char *country;   /* issuing country of a document, or NULL */
    size_t ent;
} key_item;

typedef struct edge {
    size_t a, b;           /* a < b */
    sanctum_link_strength strength;
    char kind;             /* the rule: the key's letter, 'o' OFAC number, 'u' UN reference, 'h' hint */
    const char *reason;    /* temporary arena */
} edge;

typedef struct linker {
    sanctum_entity **ents;
    size_t n;
    sanctum_arena tmp;     /* keys and reasons, freed at the end */
    key_item *keys;
    size_t n_keys, cap_keys;
    edge *edges;
    size_t n_edges, cap_edges;
    sanctum_strmap by_id;
    edge *un_refs;         /* UN references found, kept when one record of a list gives them */
    size_t n_un_refs, cap_un_refs;
} linker;

static int add_key(linker *L, size_t ent, const char *key, const char *country)
{
    if (L->n_keys == L->cap_keys) {
        size_t cap = L->cap_keys ? 2 * L->cap_keys : 4096;
        key_item *p = realloc(L->keys, cap * sizeof *p);
        if (!p) return SANCTUM_ENOMEM;
        L->keys = p;
        L->cap_keys = cap;
    }
    const char *k = sanctum_arena_strdup(&L->tmp, key);
    if (!k) return SANCTUM_ENOMEM;
    L->keys[L->n_keys++] = (key_item){ k, country, ent };
    return 0;
}

static int add_edge(linker *L, size_t a, size_t b, sanctum_link_strength s, char kind, const char *reason)
{
    if (a == b) return 0;
    if (L->n_edges == L->cap_edges) {
        size_t cap = L->cap_edges ? 2 * L->cap_edges : 1024;
        edge *p = realloc(L->edges, cap * sizeof *p);
        if (!p) return SANCTUM_ENOMEM;
        L->edges = p;
        L->cap_edges = cap;
    }
    const char *r = sanctum_arena_strdup(&L->tmp, reason);
    if (!r) return SANCTUM_ENOMEM;
    L->edges[L->n_edges++] = (edge){ a < b ? a : b, a < b ? b : a, s, kind, r };
    return 0;
}

/* Case-insensitive: does word occur in s as a whole word? */
static int has_word(const char *s, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = s; p && *p; p++) {
        if (strncasecmp(p, word, n) != 0) continue;
        int before = p == s || !isalnum((unsigned char)p[-1]);
        int after = !isalnum((unsigned char)p[n]);
        if (before && after) return 1;
    }
    return 0;
}

/* 'p' passport, 'n' national ID, 'i' IMO, or 0 for a document that does not link. */
static char document_class(const char *type)
{
    if (!type) return 0;
    if (has_word(type, "IMO")) return 'i';
    char low[128];
    size_t i = 0;
    for (; type[i] && i + 1 < sizeof low; i++) low[i] = (char)tolower((unsigned char)type[i]);
    low[i] = '\0';
    if (strstr(low, "passport")) return 'p';
    if (strstr(low, "national id") || strstr(low, "national identification") || strstr(low, "national identity") ||
        strstr(low, "identity card") || strstr(low, "id card") || strstr(low, "personal id"))
        return 'n';
    return 0;
}

/* Latin-1 Supplement and Latin Extended-A letters without their marks. */
static const char latin1[] = "AAAAAAACEEEEIIIIDNOOOOO OUUUUYTsaaaaaaaceeeeiiiidnooooo ouuuuyty";
static const char latin_ext_a[] = "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiJjJjKkkLlLlLlLlLlNnNnNnnNnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Writes the comparable form of a name into out: lower-case ASCII words in
 * sorted order, joined by single spaces. Apostrophes join, other punctuation
 * separates. Returns 0 when the name has letters of another script, fewer
 * than two words, or does not fit. */
static int name_key(const char *name, char *out, size_t outsz)
{
    char buf[256];
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)name;
    while (*p) {
        char c = 0;
        size_t adv = 1;
        if (*p < 0x80) {
            if (isalnum(*p)) c = (char)tolower(*p);
            else if (*p == '\'' || *p == '`') c = 0;
            else c = ' ';
        } else if ((p[0] == 0xC3) && p[1] >= 0x80 && p[1] <= 0xBF) {
            c = latin1[p[1] - 0x80];
            c = (char)tolower((unsigned char)c);
            adv = 2;
        } else if ((p[0] == 0xC4 || p[0] == 0xC5) && p[1] >= 0x80 && p[1] <= 0xBF) {
            size_t idx = (size_t)(p[0] - 0xC4) * 64 + (p[1] - 0x80);
            if (idx >= sizeof latin_ext_a - 1) return 0;
            c = (char)tolower((unsigned char)latin_ext_a[idx]);
            adv = 2;
        } else if (p[0] == 0xE2 && (p[1] == 0x80 || p[1] == 0x81) && p[2] >= 0x80 && p[2] <= 0xBF) {
            /* general punctuation: right single quote joins, the rest separates */
            c = (p[1] == 0x80 && (p[2] == 0x98 || p[2] == 0x99)) ? 0 : ' ';
            adv = 3;
        } else {
            return 0;
        }
        p += adv;
        if (c == 0) continue;
        if (o + 1 >= sizeof buf) return 0;
        buf[o++] = c;
    }
    buf[o] = '\0';
    char *tokens[MAX_TOKENS];
    size_t nt = 0, letters = 0;
    for (char *save = NULL, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        if (nt == MAX_TOKENS) return 0;
        tokens[nt++] = t;
        letters += strlen(t);
    }
    if (nt < 2 || letters < 4) return 0;
    qsort(tokens, nt, sizeof tokens[0], cmp_str);
    size_t w = 0;
    for (size_t i = 0; i < nt; i++) {
        size_t len = strlen(tokens[i]);
        if (w + len + 2 > outsz) return 0;
        if (i) out[w++] = ' ';
        memcpy(out + w, tokens[i], len);
        w += len;
    }
    out[w] = '\0';
    return 1;
}

static int entity_keys(linker *L, size_t i)
{
    const sanctum_entity *e = L->ents[i];
    char key[MAX_KEY + 16], norm[MAX_KEY - 32];
    int rc;
    for (size_t k = 0; k < e->n_documents; k++) {
        const sanctum_document *d = &e->documents[k];
        char cls = document_class(d->type);
        if (!cls || !d->number) continue;
        /* an organization's IMO number is a company number, shared by its fleet's records */
        if (cls == 'i' && e->type != SANCTUM_TYPE_VESSEL && e->type != SANCTUM_TYPE_UNKNOWN) continue;
        size_t len = sanctum_document_normalize(d->number, norm, sizeof norm);
        if (cls == 'i' && len == 10 && strncmp(norm, "IMO", 3) == 0) {
            memmove(norm, norm + 3, 8);  /* "IMO 8360406" */
            len = 7;
        }
        if (cls == 'i') {
            if (len != 7 || strspn(norm, "0123456789") != 7) continue;
        } else if (len < 6) {
            continue;  /* too short to identify anyone */
        }
        snprintf(key, sizeof key, "%c:%s", cls, norm);
        if ((rc = add_key(L, i, key, cls == 'i' ? NULL : d->country)) != 0) return rc;
    }
    for (size_t k = 0; k < e->n_wallets; k++) {
        sanctum_wallet_info w;
        if (!e->wallets[k].address || sanctum_wallet_normalize(e->wallets[k].address, &w, NULL) != 0) continue;
        if (strlen(w.address) < 16) continue;
        snprintf(key, sizeof key, "w:%s", w.address);
        if ((rc = add_key(L, i, key, NULL)) != 0) return rc;
    }
    if (e->type == SANCTUM_TYPE_PERSON || e->type == SANCTUM_TYPE_UNKNOWN) {
        for (size_t k = 0; k < e->n_dobs; k++) {
            const sanctum_date *d = &e->dobs[k];
            if (!d->year || !d->month || !d->day || d->to_year || d->circa) continue;
            for (size_t m = 0; m < e->n_names; m++) {
                if (!e->names[m].full || !name_key(e->names[m].full, norm, sizeof norm)) continue;
                snprintf(key, sizeof key, "d:%04d-%02d-%02d:%s", d->year, d->month, d->day, norm);
                if ((rc = add_key(L, i, key, NULL)) != 0) return rc;
            }
        }
    }
    return 0;
}

static int cmp_key(const void *a, const void *b)
{
    const key_item *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c) return c;
    return x->ent < y->ent ? -1 : x->ent > y->ent;
}

static int types_compatible(const sanctum_entity *a, const sanctum_entity *b)
{
    return a->type == b->type || a->type == SANCTUM_TYPE_UNKNOWN || b->type == SANCTUM_TYPE_UNKNOWN;
}

static int countries_differ(const char *a, const char *b)
{
    char ca[3], cb[3];
    if (!a || !b || !*a || !*b) return 0;
    if (sanctum_country_code(a, ca) != 0 || sanctum_country_code(b, cb) != 0) return 0;
    return strcmp(ca, cb) != 0;
}

static int key_reason(const char *key, char *out, size_t outsz)
{
    const char *v = key + 2;
    switch (key[0]) {
    case 'p': return snprintf(out, outsz, "same passport %s", v);
    case 'n': return snprintf(out, outsz, "same national ID %s", v);
    case 'i': return snprintf(out, outsz, "same IMO number %s", v);
    case 'w': return snprintf(out, outsz, "same wallet %s", v);
    default: return snprintf(out, outsz, "same name and date of birth (%.10s)", v);
    }
}

static int bucket_edges(linker *L, size_t from, size_t to)
{
    if (to - from > MAX_BUCKET) return 0;
    char reason[MAX_REASON];
    key_reason(L->keys[from].key, reason, sizeof reason);
    for (size_t p = from; p < to; p++)
        for (size_t q = p + 1; q < to; q++) {
            const key_item *x = &L->keys[p], *y = &L->keys[q];
            const sanctum_entity *a = L->ents[x->ent], *b = L->ents[y->ent];
            if (x->ent == y->ent || strcmp(a->source, b->source) == 0 || !types_compatible(a, b)) continue;
            if (countries_differ(x->country, y->country)) continue;
            int rc = add_edge(L, x->ent, y->ent, SANCTUM_LINK_SAME, L->keys[from].key[0], reason);
            if (rc) return rc;
        }
    return 0;
}

/* ---- stated cross-references ------------------------------------------------ */

static int find_id(const linker *L, const char *source, const char *key, size_t keylen, size_t *out)
{
    char id[128];
    int n = snprintf(id, sizeof id, "%s:%.*s", source, (int)keylen, key);
    if (n <= 0 || (size_t)n >= sizeof id) return 0;
    return sanctum_strmap_get(&L->by_id, id, (size_t)n, out);
}

/* The OFAC entity number at the start of s ("27211 KANG, Chol Hak ...", "ofac-sdn:27211"). */
static size_t leading_number(const char *s, const char **start)
{
    while (*s == ' ') s++;
    if (strncmp(s, "ofac-sdn:", 9) == 0) s += 9;
    *start = s;
    return strspn(s, "0123456789");
}

static const char *list_label(const char *source)
{
    return strcmp(source, "ofac-sdn") == 0 ? "OFAC remarks" : NULL;
}

/* Does the text before p label what follows as the record's UN reference
 * ("UN Ref: ", "(UN Ref):", "UN reference number ")? A reference without
 * such a label may name another party ("part of ... (QDe.115)"). */
static int labelled_un_ref(const char *text, const char *p)
{
    while (p > text && strchr(" :)(#.-", p[-1])) p--;
    static const char *const labels[] = { "un ref", "un reference", "un ref no", "un reference no",
                                          "un reference number" };
    for (size_t k = 0; k < sizeof labels / sizeof labels[0]; k++) {
        size_t n = strlen(labels[k]);
        if ((size_t)(p - text) >= n && strncasecmp(p - n, labels[k], n) == 0 &&
            ((size_t)(p - text) == n || !isalnum((unsigned char)p[-(ptrdiff_t)n - 1])))
            return 1;
    }
    return 0;
}

/* UN reference numbers ("KPi.066", "QDe.115") in text: any of them when the
 * whole text is a UN reference field, else only those labelled as one. */
static int scan_un_refs(linker *L, size_t i, const char *text, int whole_field)
{
    const sanctum_entity *e = L->ents[i];
    /* find each '.', then look for the two letters and i/e before it */
    for (const char *dot = text ? strchr(text, '.') : NULL; dot; dot = strchr(dot + 1, '.')) {
        if (dot - text < 3) continue;
        const char *p = dot - 3;
        if (!(isupper((unsigned char)p[0]) && isupper((unsigned char)p[1]) && (p[2] == 'i' || p[2] == 'e') &&
              isdigit((unsigned char)p[4]) && isdigit((unsigned char)p[5]) && isdigit((unsigned char)p[6])))
            continue;
        if ((p > text && isalnum((unsigned char)p[-1])) || isdigit((unsigned char)p[7])) continue;
        if (!whole_field && !labelled_un_ref(text, p)) continue;
        size_t j;
        if (!find_id(L, "un-sc", p, 7, &j)) continue;
        char reason[MAX_REASON];
        const char *label = list_label(e->source);
        if (label) snprintf(reason, sizeof reason, "UN reference %.7s in %s", p, label);
        else snprintf(reason, sizeof reason, "UN reference %.7s in the %s record", p, e->source);
        if (!types_compatible(e, L->ents[j])) continue;  /* a vessel naming its owner's reference */
        if (L->n_un_refs == L->cap_un_refs) {
            size_t cap = L->cap_un_refs ? 2 * L->cap_un_refs : 256;
            edge *np = realloc(L->un_refs, cap * sizeof *np);
            if (!np) return SANCTUM_ENOMEM;
            L->un_refs = np;
            L->cap_un_refs = cap;
        }
        const char *r = sanctum_arena_strdup(&L->tmp, reason);
        if (!r) return SANCTUM_ENOMEM;
        L->un_refs[L->n_un_refs++] = (edge){ j, i, SANCTUM_LINK_SAME, 'u', r };
    }
    return 0;
}

static int cmp_un_ref(const void *x, const void *y)
{
    const edge *a = x, *b = y;
    if (a->a != b->a) return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

/* Links the UN references: a UN entry that several records of one list
 * refer to is their parent organization, not one of them, and links none. */
static int add_un_refs(linker *L)
{
    if (L->n_un_refs) qsort(L->un_refs, L->n_un_refs, sizeof *L->un_refs, cmp_un_ref);
    for (size_t k = 0; k < L->n_un_refs; k++) {
        const edge *g = &L->un_refs[k];
        const char *src = L->ents[g->b]->source;
        size_t same = 0;
        for (size_t m = k; m > 0 && L->un_refs[m - 1].a == g->a; m--)
            if (L->un_refs[m - 1].b != g->b && strcmp(L->ents[L->un_refs[m - 1].b]->source, src) == 0) same++;
        for (size_t m = k + 1; m < L->n_un_refs && L->un_refs[m].a == g->a; m++)
            if (L->un_refs[m].b != g->b && strcmp(L->ents[L->un_refs[m].b]->source, src) == 0) same++;
        if (same) continue;
        int rc = add_edge(L, g->a, g->b, SANCTUM_LINK_SAME, 'u', g->reason);
        if (rc) return rc;
    }
    return 0;
}

static int entity_refs(linker *L, size_t i)
{
    const sanctum_entity *e = L->ents[i];
    char reason[MAX_REASON];
    int rc = 0;
    int is_un = strcmp(e->source, "un-sc") == 0;
    for (size_t k = 0; k < e->n_attrs && !rc; k++) {
        const sanctum_attr *a = &e->attrs[k];
        if (!a->key || !a->value) continue;
        const char *num;
        size_t len;
        size_t j;
        if (strcmp(a->key, "ofac_ent_num") == 0) {
            len = leading_number(a->value, &num);
            if (len && find_id(L, "ofac-sdn", num, len, &j) && strcmp(e->source, "ofac-sdn") != 0 &&
                types_compatible(e, L->ents[j])) {
                if (strcmp(e->source, "us-csl") == 0) {
                    snprintf(reason, sizeof reason, "CSL row of SDN entity %.*s", (int)len, num);
                    L->ents[i]->same_as = L->ents[j];
                } else
                    snprintf(reason, sizeof reason, "OFAC entity number %.*s in the %s record", (int)len, num,
                             e->source);
                rc = add_edge(L, i, j, SANCTUM_LINK_SAME, 'o', reason);
            }
        } else if (strcmp(a->key, "possibly_same_as") == 0 || strcmp(a->key, "possibly_same_as_id") == 0) {
            len = leading_number(a->value, &num);
            if (len && find_id(L, "ofac-sdn", num, len, &j) && strcmp(e->source, "ofac-sdn") != 0) {
                snprintf(reason, sizeof reason, "possibly the same as (an editor's hint in the %s file, not a published link)",
                         e->source);
                rc = add_edge(L, i, j, SANCTUM_LINK_POSSIBLE, 'h', reason);
            }
        } else if (!is_un) {
            int field = strcmp(a->key, "un_ref") == 0 || strcmp(a->key, "un_reference") == 0;
            rc = scan_un_refs(L, i, a->value, field);
        }
    }
    if (!rc && !is_un && e->remarks) rc = scan_un_refs(L, i, e->remarks, 0);
    return rc;
}

/* ---- merging edges into parties ------------------------------------------------ */

static int cmp_edge(const void *x, const void *y)
{
    const edge *a = x, *b = y;
    if (a->a != b->a) return a->a < b->a ? -1 : 1;
    if (a->b != b->b) return a->b < b->b ? -1 : 1;
    if (a->strength != b->strength) return a->strength < b->strength ? -1 : 1;
    if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
    return strcmp(a->reason, b->reason);
}

static size_t uf_find(size_t *parent, size_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

typedef struct half {
    size_t other;
    sanctum_link_strength strength;
    const char *reason;   /* in the dataset arena */
} half;

int sanctum_link_entities(sanctum_entity **ents, size_t n, sanctum_arena *arena, sanctum_error *err)
{
    linker L;
    memset(&L, 0, sizeof L);
    L.ents = ents;
    L.n = n;
    sanctum_arena_init(&L.tmp);
    sanctum_strmap_init(&L.by_id);
    size_t *parent = NULL, *size = NULL, *off = NULL, *fill = NULL, *queue = NULL;
    unsigned *stamp = NULL;
    half *adj = NULL;
    sanctum_entity_link *tmp_links = NULL;
    int rc = 0;

    /* every entity's keys and stated references */
    for (size_t i = 0; i < n; i++) ents[i]->same_as = NULL;
    for (size_t i = 0; i < n && !rc; i++) rc = sanctum_strmap_put(&L.by_id, ents[i]->id, strlen(ents[i]->id), i);
    for (size_t i = 0; i < n && !rc; i++) rc = entity_keys(&L, i);
    for (size_t i = 0; i < n && !rc; i++) rc = entity_refs(&L, i);
    if (!rc) rc = add_un_refs(&L);
    if (rc) goto cleanup;
    if (L.n_keys) qsort(L.keys, L.n_keys, sizeof *L.keys, cmp_key);
    for (size_t s = 0; s < L.n_keys && !rc;) {
        size_t e = s + 1;
        while (e < L.n_keys && strcmp(L.keys[e].key, L.keys[s].key) == 0) e++;
        if (e - s > 1) rc = bucket_edges(&L, s, e);
        s = e;
    }
    if (rc || L.n_edges == 0) goto cleanup;

    /* merge edges of one pair: the strongest wins, with one reason per rule */
    qsort(L.edges, L.n_edges, sizeof *L.edges, cmp_edge);
    size_t m = 0;
    for (size_t s = 0; s < L.n_edges;) {
        size_t e = s + 1;
        while (e < L.n_edges && L.edges[e].a == L.edges[s].a && L.edges[e].b == L.edges[s].b) e++;
        char reason[MAX_REASON];
        size_t w = 0;
        reason[0] = '\0';
        for (size_t k = s; k < e && L.edges[k].strength == L.edges[s].strength; k++) {
            if (k > s && L.edges[k].kind == L.edges[k - 1].kind) continue;
            int c = snprintf(reason + w, sizeof reason - w, "%s%s", w ? "; " : "", L.edges[k].reason);
            if (c < 0 || (size_t)c >= sizeof reason - w) break;
            w += (size_t)c;
        }
        const char *kept = sanctum_arena_strdup(arena, reason);
        if (!kept) {
            rc = SANCTUM_ENOMEM;
            goto cleanup;
        }
        L.edges[m] = L.edges[s];
        L.edges[m].reason = kept;
        m++;
        s = e;
    }
    L.n_edges = m;

    /* adjacency (both directions) and parties of strong links */
    parent = malloc(n * sizeof *parent);
    size = calloc(n, sizeof *size);
    off = calloc(n + 1, sizeof *off);
    fill = calloc(n, sizeof *fill);
    adj = malloc(2 * m * sizeof *adj);
    if (!parent || !size || !off || !fill || !adj) {
        rc = SANCTUM_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) parent[i] = i;
    for (size_t k = 0; k < m; k++) {
        off[L.edges[k].a + 1]++;
        off[L.edges[k].b + 1]++;
        if (L.edges[k].strength == SANCTUM_LINK_SAME) {
            size_t ra = uf_find(parent, L.edges[k].a), rb = uf_find(parent, L.edges[k].b);
            if (ra != rb) parent[ra] = rb;
        }
    }
    for (size_t i = 0; i < n; i++) {
        off[i + 1] += off[i];
        size[uf_find(parent, i)]++;
    }
    for (size_t k = 0; k < m; k++) {
        const edge *g = &L.edges[k];
        adj[off[g->a] + fill[g->a]++] = (half){ g->b, g->strength, g->reason };
        adj[off[g->b] + fill[g->b]++] = (half){ g->a, g->strength, g->reason };
    }

    /* each linked entity's list: its party in breadth-first order, then possible links */
    queue = malloc(n * sizeof *queue);
    stamp = calloc(n, sizeof *stamp);
    tmp_links = malloc((n + 2 * m) * sizeof *tmp_links);
    if (!queue || !stamp || !tmp_links) {
        rc = SANCTUM_ENOMEM;
        goto cleanup;
    }
    unsigned round = 0;
    for (size_t i = 0; i < n; i++) {
        if (off[i + 1] == off[i]) continue;
        round++;
        size_t party = size[uf_find(parent, i)];
        int whole = party <= SANCTUM_LINK_MAX_PARTY;
        size_t nl = 0, head = 0, tail = 0;
        queue[tail++] = i;
        stamp[i] = round;
        while (head < tail) {
            size_t x = queue[head++];
            for (size_t k = off[x]; k < off[x + 1]; k++) {
                const half *h = &adj[k];
                if (h->strength != SANCTUM_LINK_SAME || stamp[h->other] == round) continue;
                if (x != i && !whole) continue;
                stamp[h->other] = round;
                queue[tail++] = h->other;
                const char *reason = h->reason;
                if (x != i) {
                    char buf[MAX_REASON];
                    snprintf(buf, sizeof buf, "linked through %s (%s)", ents[x]->id, h->reason);
                    reason = sanctum_arena_strdup(arena, buf);
                    if (!reason) {
                        rc = SANCTUM_ENOMEM;
                        goto cleanup;
                    }
                }
                tmp_links[nl++] = (sanctum_entity_link){ ents[h->other], reason, SANCTUM_LINK_SAME };
            }
        }
        for (size_t k = off[i]; k < off[i + 1]; k++) {
            const half *h = &adj[k];
            if (h->strength != SANCTUM_LINK_POSSIBLE || stamp[h->other] == round) continue;
            stamp[h->other] = round;
            tmp_links[nl++] = (sanctum_entity_link){ ents[h->other], h->reason, SANCTUM_LINK_POSSIBLE };
        }
        if (!nl) continue;
        sanctum_entity_link *links = sanctum_arena_memdup(arena, tmp_links, nl * sizeof *links);
        if (!links) {
            rc = SANCTUM_ENOMEM;
            goto cleanup;
        }
        ents[i]->also_listed = links;
        ents[i]->n_also_listed = nl;
    }

cleanup:
    if (rc) sanctum_error_set(err, rc, NULL, 0, "out of memory linking listings across lists");
    free(parent);
    free(size);
    free(off);
    free(fill);
    free(adj);
    free(queue);
    free(stamp);
    free(tmp_links);
    free(L.keys);
    free(L.edges);
    free(L.un_refs);
    sanctum_strmap_free(&L.by_id);
    sanctum_arena_free(&L.tmp);
    return rc;
}

/* ---- the public side ------------------------------------------------------------ */

size_t sanctum_dataset_links(const sanctum_dataset *ds, const sanctum_entity *e, const sanctum_entity_link **out)
{
    if (out) *out = NULL;
    if (!ds || !e || !e->id || sanctum_dataset_find(ds, e->id) != e || !e->n_also_listed) return 0;
    if (out) *out = e->also_listed;
    return e->n_also_listed;
}

const char *sanctum_link_strength_name(sanctum_link_strength s)
{
    return s == SANCTUM_LINK_POSSIBLE ? "possible" : "linked";
}

int sanctum_entity_same_party(const sanctum_entity *a, const sanctum_entity *b)
{
    if (!a || !b) return 0;
    if (a == b) return 1;
    for (size_t i = 0; i < a->n_also_listed; i++)
        if (a->also_listed[i].entity == b && a->also_listed[i].strength == SANCTUM_LINK_SAME) return 1;
    return 0;
}
