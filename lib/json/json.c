/*
 * json.c - the JSON forms of entities, sources, hits and screening results.
 *
 * Every form is built as a jansson tree and dumped compactly, with UTF-8
 * left as UTF-8 and object keys in the order they were added. Empty entity
 * fields are left out. Text that is not valid UTF-8 (which jansson refuses)
 * is repaired byte by byte with U+FFFD rather than dropped, so a bad byte in
 * a list never makes a whole record disappear from the output. Scores and
 * other fractions are rounded to four decimals.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ident/ident_json.h"

#include "sanctum/json.h"

#define DUMP_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10))

/* ---- building blocks ---------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len;
    unsigned cp;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; }
    else return 0;
    if (n < len) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
    return len;
}

/* A JSON string for s; invalid UTF-8 bytes become U+FFFD. NULL only when out of memory. */
static json_t *jstr(const char *s)
{
    json_t *v = json_string(s);
    if (v) return v;
    size_t n = strlen(s);
    char *fixed = malloc(3 * n + 1);
    if (!fixed) return NULL;
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t k = utf8_seq(p + i, n - i);
        if (k) {
            memcpy(fixed + o, p + i, k);
            o += k;
            i += k;
        } else {
            memcpy(fixed + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        }
    }
    fixed[o] = '\0';
    v = json_stringn(fixed, o);
    free(fixed);
    return v;
}

static double round4(double x)
{
    if (!isfinite(x)) return 0.0;
    return round(x * 10000.0) / 10000.0;
}

/* The setters below record failure in *ok so that callers check once. */
static void put(json_t *obj, const char *key, json_t *v, int *ok)
{
    if (!v || json_object_set_new(obj, key, v) != 0) *ok = 0;
}

static void put_str(json_t *obj, const char *key, const char *s, int *ok)
{
    if (s && *s) put(obj, key, jstr(s), ok);
}

static void put_int(json_t *obj, const char *key, long long n, int *ok)
{
    put(obj, key, json_integer(n), ok);
}

static void put_real(json_t *obj, const char *key, double x, int *ok)
{
    put(obj, key, json_real(round4(x)), ok);
}

static void append(json_t *arr, json_t *v, int *ok)
{
    if (!v || json_array_append_new(arr, v) != 0) *ok = 0;
}

/* An array of strings under key, left out when there are none. */
static void put_strs(json_t *obj, const char *key, const char *const *s, size_t n, int *ok)
{
    if (!n || !s) return;
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        if (s[i]) append(arr, jstr(s[i]), ok);
    put(obj, key, arr, ok);
}

static char *finish(json_t *root, int ok)
{
    char *out = NULL;
    if (root && ok) out = json_dumps(root, DUMP_FLAGS);
    json_decref(root);
    return out;
}

/* ---- entities --------------------------------------------------------------- */

static json_t *name_obj(const sanctum_name *n, int *ok)
{
    json_t *o = json_object();
    if (!o) { *ok = 0; return NULL; }
    put_str(o, "name", n->full, ok);
    put_str(o, "surname", n->surname, ok);
    put_str(o, "given", n->given, ok);
    put(o, "kind", json_string(sanctum_name_kind_name(n->kind)), ok);
    put(o, "quality", json_string(n->quality == SANCTUM_QUALITY_WEAK ? "weak" : "strong"), ok);
    put(o, "script", json_string(sanctum_script_name(n->script)), ok);
    return o;
}

static json_t *date_obj(const sanctum_date *d, int *ok)
{
    json_t *o = json_object();
    if (!o) { *ok = 0; return NULL; }
    put_str(o, "text", d->text, ok);
    if (d->year) put_int(o, "year", d->year, ok);
    if (d->month) put_int(o, "month", d->month, ok);
    if (d->day) put_int(o, "day", d->day, ok);
    if (d->to_year) put_int(o, "to_year", d->to_year, ok);
    if (d->to_month) put_int(o, "to_month", d->to_month, ok);
    if (d->to_day) put_int(o, "to_day", d->to_day, ok);
    if (d->circa) put(o, "circa", json_true(), ok);
    return o;
}

static json_t *address_obj(const sanctum_address *a, int *ok)
{
    json_t *o = json_object();
    if (!o) { *ok = 0; return NULL; }
    put_str(o, "street", a->street, ok);
    put_str(o, "city", a->city, ok);
    put_str(o, "state", a->state, ok);
    put_str(o, "postal", a->postal, ok);
    put_str(o, "country", a->country, ok);
    put_str(o, "note", a->note, ok);
    return o;
}

static json_t *document_obj(const sanctum_document *d, int *ok)
{
    json_t *o = json_object();
    if (!o) { *ok = 0; return NULL; }
    put_str(o, "type", d->type, ok);
    put_str(o, "number", d->number, ok);
    put_str(o, "country", d->country, ok);
    put_str(o, "issued", d->issued, ok);
    put_str(o, "expires", d->expires, ok);
    put_str(o, "note", d->note, ok);
    return o;
}

static json_t *pair_obj(const char *k1, const char *v1, const char *k2, const char *v2, int *ok)
{
    json_t *o = json_object();
    if (!o) { *ok = 0; return NULL; }
    put_str(o, k1, v1, ok);
    put_str(o, k2, v2, ok);
    return o;
}

/* Appends one object per element, built by `make`, under key; left out when n is 0. */
#define PUT_OBJECTS(obj, key, arr, n, make)                                   \
    do {                                                                      \
        if ((n) && (arr)) {                                                   \
            json_t *list_ = json_array();                                     \
            for (size_t i_ = 0; list_ && i_ < (n); i_++)                      \
                append(list_, make, ok);                                      \
            put(obj, key, list_, ok);                                         \
        }                                                                     \
    } while (0)

/* {"entity", "list", "name", "reason", "strength"} for each other listing of
 * the same party; NULL when there is none. */
static json_t *links_array(const sanctum_entity *e, int *ok)
{
    if (!e || !e->n_also_listed || !e->also_listed) return NULL;
    json_t *arr = json_array();
    if (!arr) { *ok = 0; return NULL; }
    for (size_t i = 0; i < e->n_also_listed; i++) {
        const sanctum_entity_link *l = &e->also_listed[i];
        const sanctum_entity *o = l->entity;
        json_t *lo = json_object();
        if (!lo || !o) { json_decref(lo); *ok = 0; break; }
        put_str(lo, "entity", o->id, ok);
        put_str(lo, "list", o->source, ok);
        if (o->n_names && o->names) put_str(lo, "name", o->names[0].full, ok);
        put_str(lo, "reason", l->reason, ok);
        put(lo, "strength", json_string(sanctum_link_strength_name(l->strength)), ok);
        append(arr, lo, ok);
    }
    return arr;
}

static json_t *entity_obj(const sanctum_entity *e, int *ok)
{
    json_t *o = json_object();
    if (!o) { *ok = 0; return NULL; }
    put_str(o, "id", e->id, ok);
    put_str(o, "list", e->source, ok);
    put_str(o, "key", e->key, ok);
    put(o, "type", json_string(sanctum_type_name(e->type)), ok);
    if (e->n_names && e->names) put_str(o, "name", e->names[0].full, ok);
    PUT_OBJECTS(o, "names", e->names, e->n_names, name_obj(&e->names[i_], ok));
    put_strs(o, "programs", e->programs, e->n_programs, ok);
    PUT_OBJECTS(o, "dates_of_birth", e->dobs, e->n_dobs, date_obj(&e->dobs[i_], ok));
    put_strs(o, "places_of_birth", e->places_of_birth, e->n_places_of_birth, ok);
    put_strs(o, "nationalities", e->nationalities, e->n_nationalities, ok);
    put_strs(o, "citizenships", e->citizenships, e->n_citizenships, ok);
    put_str(o, "gender", e->gender, ok);
    put_str(o, "title", e->title, ok);
    PUT_OBJECTS(o, "addresses", e->addresses, e->n_addresses, address_obj(&e->addresses[i_], ok));
    PUT_OBJECTS(o, "documents", e->documents, e->n_documents, document_obj(&e->documents[i_], ok));
    PUT_OBJECTS(o, "wallets", e->wallets, e->n_wallets,
                pair_obj("currency", e->wallets[i_].currency, "address", e->wallets[i_].address, ok));
    put_strs(o, "emails", e->emails, e->n_emails, ok);
    put_strs(o, "websites", e->websites, e->n_websites, ok);
    put_strs(o, "phones", e->phones, e->n_phones, ok);
    PUT_OBJECTS(o, "links", e->links, e->n_links,
                pair_obj("relation", e->links[i_].relation, "target", e->links[i_].target, ok));
    put_str(o, "listed_on", e->listed_on, ok);
    put_str(o, "remarks", e->remarks, ok);
    PUT_OBJECTS(o, "attributes", e->attrs, e->n_attrs,
                pair_obj("key", e->attrs[i_].key, "value", e->attrs[i_].value, ok));
    json_t *links = links_array(e, ok);
    if (links) put(o, "listings", links, ok);
    return o;
}

char *sanctum_entity_json(const sanctum_entity *e)
{
    if (!e) return NULL;
    int ok = 1;
    return finish(entity_obj(e, &ok), ok);
}

/* ---- sources ------------------------------------------------------------------ */

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

char *sanctum_source_json(const sanctum_source_info *s)
{
    if (!s) return NULL;
    int ok = 1;
    json_t *o = json_object();
    if (!o) return NULL;
    put_str(o, "source", s->name, &ok);
    put_str(o, "title", s->title, &ok);
    json_t *files = json_array();
    json_t *records = json_object();
    for (size_t i = 0; files && records && i < s->n_files; i++) {
        if (!s->files[i]) continue;
        append(files, jstr(s->files[i]), &ok);
        if (i < sizeof s->records / sizeof s->records[0])
            put(records, base_name(s->files[i]), json_integer((json_int_t)s->records[i]), &ok);
    }
    put(o, "files", files, &ok);
    put(o, "published", s->published && *s->published ? jstr(s->published) : json_null(), &ok);
    put_str(o, "sha256", s->sha256, &ok);
    put_int(o, "entities", (long long)s->entities, &ok);
    put_int(o, "persons", (long long)s->by_type[1], &ok);
    put_int(o, "organizations", (long long)s->by_type[2], &ok);
    put_int(o, "vessels", (long long)s->by_type[3], &ok);
    put_int(o, "aircraft", (long long)s->by_type[4], &ok);
    put_int(o, "unknown", (long long)s->by_type[0], &ok);
    put_int(o, "names", (long long)s->names, &ok);
    put_int(o, "aliases", (long long)s->aliases, &ok);
    put(o, "records", records, &ok);
    json_t *warnings = json_array();
    for (size_t i = 0; warnings && s->warnings && i < s->n_warnings; i++) {
        const sanctum_warning *w = &s->warnings[i];
        json_t *wo = json_object();
        if (!wo) { ok = 0; break; }
        put_str(wo, "file", w->file, &ok);
        if (w->line) put_int(wo, "line", (long long)w->line, &ok);
        put_str(wo, "message", w->message, &ok);
        append(warnings, wo, &ok);
    }
    put(o, "warnings", warnings, &ok);
    return finish(o, ok);
}

/* ---- hits and results ------------------------------------------------------------ */

static json_t *hit_obj(const sanctum_hit *h, int *ok)
{
    json_t *o = json_object();
    if (!o) { *ok = 0; return NULL; }
    const sanctum_entity *e = h->entity;
    const sanctum_name *matched = NULL;
    if (e && e->names && h->name_index < e->n_names) matched = &e->names[h->name_index];
    if (e) {
        put_str(o, "entity", e->id, ok);
        put_str(o, "list", e->source, ok);
        put(o, "type", json_string(sanctum_type_name(e->type)), ok);
    }
    put_real(o, "score", h->score, ok);
    put(o, "matched_field", json_string("name"), ok);
    put_real(o, "name_score", h->name_score, ok);
    if (e && e->n_names && e->names) put_str(o, "name", e->names[0].full, ok);
    if (matched) {
        put_str(o, "matched", matched->full, ok);
        put(o, "matched_kind", json_string(sanctum_name_kind_name(matched->kind)), ok);
        put(o, "matched_quality", json_string(matched->quality == SANCTUM_QUALITY_WEAK ? "weak" : "strong"), ok);
    }
    if (e) put_strs(o, "programs", e->programs, e->n_programs, ok);
    json_t *also = links_array(e, ok);
    if (also) put(o, "also_listed", also, ok);

    json_t *ex = json_object();
    if (!ex) { *ok = 0; return o; }
    put_str(ex, "query_form", h->query_form, ok);
    json_t *tokens = json_array();
    for (size_t i = 0; tokens && h->tokens && i < h->n_tokens; i++) {
        const sanctum_token_match *t = &h->tokens[i];
        json_t *to = json_object();
        if (!to) { *ok = 0; break; }
        put_str(to, "query", t->query, ok);
        put(to, "listed", t->listed ? jstr(t->listed) : json_null(), ok);
        put_str(to, "how", t->how, ok);
        put_real(to, "similarity", t->similarity, ok);
        put_real(to, "weight", t->weight, ok);
        append(tokens, to, ok);
    }
    put(ex, "tokens", tokens, ok);
    json_t *evidence = json_array();
    for (size_t i = 0; evidence && h->evidence && i < h->n_evidence; i++) {
        const sanctum_evidence *v = &h->evidence[i];
        json_t *vo = json_object();
        if (!vo) { *ok = 0; break; }
        put_str(vo, "field", v->field, ok);
        put_real(vo, "delta", v->delta, ok);
        put_str(vo, "detail", v->detail, ok);
        append(evidence, vo, ok);
    }
    put(ex, "evidence", evidence, ok);
    put(o, "explanation", ex, ok);
    return o;
}

char *sanctum_hit_json(const sanctum_hit *h)
{
    if (!h) return NULL;
    int ok = 1;
    return finish(hit_obj(h, &ok), ok);
}

static json_t *types_array(unsigned types, int *ok)
{
    static const sanctum_entity_type all[] = { SANCTUM_TYPE_PERSON, SANCTUM_TYPE_ORGANIZATION,
                                               SANCTUM_TYPE_VESSEL, SANCTUM_TYPE_AIRCRAFT };
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < sizeof all / sizeof all[0]; i++)
        if (types & (unsigned)all[i]) append(arr, json_string(sanctum_type_name(all[i])), ok);
    return arr;
}

static json_t *query_obj(const sanctum_query *q, int *ok)
{
    json_t *qo = json_object();
    if (q && qo) {
        put_str(qo, "name", q->name, ok);
        unsigned types = q->types & (unsigned)SANCTUM_TYPE_ANY;
        if (types && types != (unsigned)SANCTUM_TYPE_ANY) put(qo, "types", types_array(types, ok), ok);
        put_str(qo, "dob", q->dob, ok);
        put_str(qo, "country", q->country, ok);
        put_str(qo, "lists", q->lists, ok);
        put_str(qo, "programs", q->programs, ok);
        put_real(qo, "min_score", q->min_score < 0 ? SANCTUM_DEFAULT_MIN_SCORE : q->min_score, ok);
        put_int(qo, "limit", (long long)(q->limit ? q->limit : SANCTUM_DEFAULT_LIMIT), ok);
        if (q->exhaustive) put(qo, "exhaustive", json_true(), ok);
    }
    return qo;
}

char *sanctum_result_json(const sanctum_query *q, const sanctum_result *r)
{
    return sanctum_screen_json(q, r, NULL, 0);
}

char *sanctum_screen_json(const sanctum_query *q, const sanctum_result *r, const sanctum_ident_result *const *ids,
                          size_t n_ids)
{
    int ok = 1;
    json_t *root = json_object();
    if (!root) return NULL;
    json_t *qo = query_obj(q, &ok);
    json_t *wallets = NULL, *docs = NULL;
    for (size_t i = 0; qo && i < n_ids; i++) {
        if (!ids[i]) continue;
        int wallet = strcmp(sanctum_ident_result_kind(ids[i]), "wallet") == 0;
        json_t **arr = wallet ? &wallets : &docs;
        if (!*arr) *arr = json_array();
        json_t *item = json_object();
        put_str(item, "input", sanctum_ident_result_query(ids[i]), &ok);
        put_str(item, "normalized", sanctum_ident_result_normalized(ids[i]), &ok);
        if (wallet) {
            put_str(item, "chain", sanctum_ident_result_chain(ids[i]), &ok);
            put(item, "validity", json_string(sanctum_wallet_validity_name(sanctum_ident_result_validity(ids[i]))),
                &ok);
        }
        const char *msg = sanctum_ident_result_message(ids[i]);
        if (msg && *msg) put_str(item, "message", msg, &ok);
        append(*arr, item, &ok);
    }
    if (wallets) put(qo, "wallets", wallets, &ok);
    if (docs) put(qo, "ids", docs, &ok);
    put(root, "query", qo, &ok);
    json_t *hits = json_array();
    /* exact identifier hits first: they score 1.0 and say which field matched */
    for (size_t i = 0; hits && i < n_ids; i++)
        for (size_t k = 0; ids[i] && k < sanctum_ident_result_count(ids[i]); k++)
        {
            const sanctum_ident_hit *ih = sanctum_ident_result_hit(ids[i], k);
            json_t *ho = sanctum_ident_hit_jobj(ih);
            json_t *also = ho && ih ? links_array(ih->entity, &ok) : NULL;
            if (also) put(ho, "also_listed", also, &ok);
            append(hits, ho, &ok);
        }
    size_t n = r ? sanctum_result_count(r) : 0;
    for (size_t i = 0; hits && i < n; i++) {
        const sanctum_hit *h = sanctum_result_hit(r, i);
        if (h) append(hits, hit_obj(h, &ok), &ok);
    }
    put(root, "hits", hits, &ok);
    return finish(root, ok);
}
