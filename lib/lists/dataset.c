/*
 * dataset.c - the loaded lists: entity storage, lookup by id, per-source
 * reports, and the builder that list parsers fill it through.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/evp.h>

#include "lists/builder.h"
#include "lists/csl.h"
#include "lists/kr.h"
#include "lists/uk.h"
#include "lists/link.h"
#include "index/dataset_view.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/strmap.h"

#define MAX_SOURCES 16
#define MAX_FILES 4

typedef struct source_state {
    sanctum_source_info info;
    const char *files[MAX_FILES];
    sanctum_warning *warnings;
    size_t n_warnings;
} source_state;

struct sanctum_dataset {
    sanctum_arena arena;
    sanctum_entity **entities;
    size_t n_entities, cap_entities;
    sanctum_strmap by_id;
    source_state sources[MAX_SOURCES];
    size_t n_sources;
    const sanctum_dataset_view *view; /* non-NULL: entities live in a mapped index */
};

struct sanctum_builder {
    sanctum_dataset *ds;
    source_state *src;
    size_t first_entity;   /* index of the current source's first entity */
    sanctum_strmap by_key; /* keys of the current source */
    EVP_MD_CTX *sha;
    int strict;
    sanctum_error *err;
};

/* ---- growable arrays whose capacity is implied by their length ---------- */

/* Grows *arr (elements of size elem, n in use) so that one more fits:
 * capacity is the next power of two >= n, so no capacity field is needed. */
static void *push_slot(void *arrp, size_t *n, size_t elem)
{
    void **arr = arrp;
    size_t cur = *n;
    if (cur == 0 || (cur & (cur - 1)) == 0) {
        size_t cap = cur ? cur * 2 : 1;
        void *p = realloc(*arr, cap * elem);
        if (!p) return NULL;
        *arr = p;
    }
    (*n)++;
    return (char *)*arr + cur * elem;
}

/* ---- builder --------------------------------------------------------------- */

const char *sanctum_builder_str(sanctum_builder *b, const char *s)
{
    return s ? sanctum_arena_strdup(&b->ds->arena, s) : NULL;
}

const char *sanctum_builder_strn(sanctum_builder *b, const char *s, size_t len)
{
    return s ? sanctum_arena_strndup(&b->ds->arena, s, len) : NULL;
}

int sanctum_builder_begin_source(sanctum_builder *b, const char *name, const char *title)
{
    sanctum_dataset *ds = b->ds;
    if (ds->n_sources == MAX_SOURCES) return SANCTUM_ELIMIT;
    b->src = &ds->sources[ds->n_sources++];
    memset(b->src, 0, sizeof *b->src);
    b->src->info.name = sanctum_builder_str(b, name);
    b->src->info.title = sanctum_builder_str(b, title);
    b->src->info.files = b->src->files;
    b->first_entity = ds->n_entities;
    sanctum_strmap_free(&b->by_key);
    sanctum_strmap_init(&b->by_key);
    if (!b->sha) b->sha = EVP_MD_CTX_new();
    if (!b->sha || !EVP_DigestInit_ex(b->sha, EVP_sha256(), NULL)) return SANCTUM_ENOMEM;
    return b->src->info.name ? 0 : SANCTUM_ENOMEM;
}

int sanctum_builder_add_file(sanctum_builder *b, const char *path, const void *bytes, size_t len)
{
    source_state *s = b->src;
    if (s->info.n_files == MAX_FILES) return SANCTUM_ELIMIT;
    s->files[s->info.n_files] = sanctum_builder_str(b, path);
    EVP_DigestUpdate(b->sha, bytes, len);
    return (int)s->info.n_files++;
}

void sanctum_builder_set_records(sanctum_builder *b, size_t file_index, size_t records)
{
    if (file_index < MAX_FILES) b->src->info.records[file_index] = records;
}

void sanctum_builder_set_published(sanctum_builder *b, const char *iso_date)
{
    b->src->info.published = sanctum_builder_str(b, iso_date);
}

int sanctum_builder_end_source(sanctum_builder *b)
{
    sanctum_dataset *ds = b->ds;
    source_state *s = b->src;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_DigestFinal_ex(b->sha, md, &mdlen);
    char hex[2 * EVP_MAX_MD_SIZE + 1];
    for (unsigned i = 0; i < mdlen; i++) snprintf(hex + 2 * i, 3, "%02x", md[i]);
    s->info.sha256 = sanctum_builder_strn(b, hex, 2 * mdlen);
    for (size_t i = b->first_entity; i < ds->n_entities; i++) {
        const sanctum_entity *e = ds->entities[i];
        size_t t = 0;
        switch (e->type) {
        case SANCTUM_TYPE_PERSON: t = 1; break;
        case SANCTUM_TYPE_ORGANIZATION: t = 2; break;
        case SANCTUM_TYPE_VESSEL: t = 3; break;
        case SANCTUM_TYPE_AIRCRAFT: t = 4; break;
        default: t = 0;
        }
        s->info.by_type[t]++;
        s->info.entities++;
        for (size_t k = 0; k < e->n_names; k++) {
            if (e->names[k].kind == SANCTUM_NAME_PRIMARY) s->info.names++;
            else s->info.aliases++;
        }
    }
    s->info.warnings = s->warnings;
    s->info.n_warnings = s->n_warnings;
    return 0;
}

int sanctum_builder_warn(sanctum_builder *b, const char *file, unsigned long line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (b->strict) return sanctum_error_set(b->err, SANCTUM_ESTRICT, file, line, "%s (strict mode)", msg);
    sanctum_warning *w = push_slot(&b->src->warnings, &b->src->n_warnings, sizeof *w);
    if (!w) return SANCTUM_ENOMEM;
    w->file = sanctum_builder_str(b, file);
    w->line = line;
    w->message = sanctum_builder_str(b, msg);
    return 0;
}

sanctum_entity *sanctum_builder_entity(sanctum_builder *b, const char *key, sanctum_entity_type type,
                                       sanctum_entity **dup)
{
    sanctum_dataset *ds = b->ds;
    size_t found;
    if (dup) *dup = NULL;
    if (sanctum_strmap_get(&b->by_key, key, strlen(key), &found)) {
        if (dup) *dup = ds->entities[found];
        return NULL;
    }
    sanctum_entity *e = sanctum_arena_calloc(&ds->arena, 1, sizeof *e);
    if (!e) return NULL;
    size_t idlen = strlen(b->src->info.name) + 1 + strlen(key);
    char *id = sanctum_arena_alloc(&ds->arena, idlen + 1);
    if (!id) return NULL;
    snprintf(id, idlen + 1, "%s:%s", b->src->info.name, key);
    e->id = id;
    e->source = b->src->info.name;
    e->key = id + strlen(b->src->info.name) + 1;
    e->type = type;
    if (ds->n_entities == ds->cap_entities) {
        size_t cap = ds->cap_entities ? ds->cap_entities * 2 : 1024;
        sanctum_entity **p = realloc(ds->entities, cap * sizeof *p);
        if (!p) return NULL;
        ds->entities = p;
        ds->cap_entities = cap;
    }
    size_t idx = ds->n_entities++;
    ds->entities[idx] = e;
    if (sanctum_strmap_put(&b->by_key, e->key, strlen(e->key), idx)) return NULL;
    if (sanctum_strmap_put(&ds->by_id, e->id, idlen, idx)) return NULL;
    return e;
}

sanctum_entity *sanctum_builder_find(sanctum_builder *b, const char *key)
{
    size_t idx;
    if (!sanctum_strmap_get(&b->by_key, key, strlen(key), &idx)) return NULL;
    return b->ds->entities[idx];
}

int sanctum_builder_set_field(sanctum_builder *b, const char **field, const char *value)
{
    if (!value) {
        *field = NULL;
        return 0;
    }
    *field = sanctum_builder_str(b, value);
    return *field ? 0 : SANCTUM_ENOMEM;
}

static int push_str(sanctum_builder *b, const char ***arr, size_t *n, const char *s)
{
    const char *copy = sanctum_builder_str(b, s);
    if (!copy) return SANCTUM_ENOMEM;
    const char **slot = push_slot(arr, n, sizeof *slot);
    if (!slot) return SANCTUM_ENOMEM;
    *slot = copy;
    return 0;
}

int sanctum_builder_add_name(sanctum_builder *b, sanctum_entity *e, const char *full, const char *surname,
                             const char *given, sanctum_name_kind kind, sanctum_name_quality quality)
{
    sanctum_name n = { sanctum_builder_str(b, full), sanctum_builder_str(b, surname),
                       sanctum_builder_str(b, given), kind, quality, sanctum_script_detect(full) };
    if (!n.full || (surname && !n.surname) || (given && !n.given)) return SANCTUM_ENOMEM;
    sanctum_name *slot = push_slot(&e->names, &e->n_names, sizeof *slot);
    if (!slot) return SANCTUM_ENOMEM;
    *slot = n;
    return 0;
}

int sanctum_builder_add_program(sanctum_builder *b, sanctum_entity *e, const char *p)
{
    return push_str(b, &e->programs, &e->n_programs, p);
}
int sanctum_builder_add_place_of_birth(sanctum_builder *b, sanctum_entity *e, const char *p)
{
    return push_str(b, &e->places_of_birth, &e->n_places_of_birth, p);
}
int sanctum_builder_add_nationality(sanctum_builder *b, sanctum_entity *e, const char *c)
{
    return push_str(b, &e->nationalities, &e->n_nationalities, c);
}
int sanctum_builder_add_citizenship(sanctum_builder *b, sanctum_entity *e, const char *c)
{
    return push_str(b, &e->citizenships, &e->n_citizenships, c);
}
int sanctum_builder_add_email(sanctum_builder *b, sanctum_entity *e, const char *s)
{
    return push_str(b, &e->emails, &e->n_emails, s);
}
int sanctum_builder_add_website(sanctum_builder *b, sanctum_entity *e, const char *s)
{
    return push_str(b, &e->websites, &e->n_websites, s);
}
int sanctum_builder_add_phone(sanctum_builder *b, sanctum_entity *e, const char *s)
{
    return push_str(b, &e->phones, &e->n_phones, s);
}

int sanctum_builder_add_dob(sanctum_builder *b, sanctum_entity *e, const sanctum_date *d)
{
    sanctum_date copy = *d;
    copy.text = sanctum_builder_str(b, d->text);
    if (d->text && !copy.text) return SANCTUM_ENOMEM;
    sanctum_date *slot = push_slot(&e->dobs, &e->n_dobs, sizeof *slot);
    if (!slot) return SANCTUM_ENOMEM;
    *slot = copy;
    return 0;
}

#define COPY(field) do { c.field = sanctum_builder_str(b, a->field); if (a->field && !c.field) return SANCTUM_ENOMEM; } while (0)

int sanctum_builder_add_address(sanctum_builder *b, sanctum_entity *e, const sanctum_address *a)
{
    sanctum_address c;
    COPY(street); COPY(city); COPY(state); COPY(postal); COPY(country); COPY(note);
    sanctum_address *slot = push_slot(&e->addresses, &e->n_addresses, sizeof *slot);
    if (!slot) return SANCTUM_ENOMEM;
    *slot = c;
    return 0;
}

int sanctum_builder_add_document(sanctum_builder *b, sanctum_entity *e, const sanctum_document *a)
{
    sanctum_document c;
    COPY(type); COPY(number); COPY(country); COPY(issued); COPY(expires); COPY(note);
    sanctum_document *slot = push_slot(&e->documents, &e->n_documents, sizeof *slot);
    if (!slot) return SANCTUM_ENOMEM;
    *slot = c;
    return 0;
}
#undef COPY

int sanctum_builder_add_wallet(sanctum_builder *b, sanctum_entity *e, const char *currency, const char *address)
{
    sanctum_wallet w = { sanctum_builder_str(b, currency), sanctum_builder_str(b, address) };
    if (!w.currency || !w.address) return SANCTUM_ENOMEM;
    sanctum_wallet *slot = push_slot(&e->wallets, &e->n_wallets, sizeof *slot);
    if (!slot) return SANCTUM_ENOMEM;
    *slot = w;
    return 0;
}

int sanctum_builder_add_link(sanctum_builder *b, sanctum_entity *e, const char *relation, const char *target)
{
    sanctum_link l = { sanctum_builder_str(b, relation), sanctum_builder_str(b, target) };
    if (!l.relation || !l.target) return SANCTUM_ENOMEM;
    sanctum_link *slot = push_slot(&e->links, &e->n_links, sizeof *slot);
    if (!slot) return SANCTUM_ENOMEM;
    *slot = l;
    return 0;
}

int sanctum_builder_add_attr(sanctum_builder *b, sanctum_entity *e, const char *key, const char *value)
{
    sanctum_attr a = { sanctum_builder_str(b, key), sanctum_builder_str(b, value) };
    if (!a.key || !a.value) return SANCTUM_ENOMEM;
    sanctum_attr *slot = push_slot(&e->attrs, &e->n_attrs, sizeof *slot);
    if (!slot) return SANCTUM_ENOMEM;
    *slot = a;
    return 0;
}

int sanctum_read_file(const char *path, size_t max, char **out, size_t *len, sanctum_error *err)
{
    *out = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return sanctum_error_set(err, SANCTUM_EIO, path, 0, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return sanctum_error_set(err, SANCTUM_EIO, path, 0, "not a regular file");
    }
    if ((size_t)st.st_size > max) {
        fclose(f);
        return sanctum_error_set(err, SANCTUM_ELIMIT, path, 0, "file is %lld bytes, over the %zu-byte limit",
                                 (long long)st.st_size, max);
    }
    char *buf = malloc((size_t)st.st_size + 1);
    if (!buf) {
        fclose(f);
        return sanctum_error_set(err, SANCTUM_ENOMEM, path, 0, "out of memory reading file");
    }
    size_t n = fread(buf, 1, (size_t)st.st_size, f);
    int bad = ferror(f);
    fclose(f);
    if (bad || n != (size_t)st.st_size) {
        free(buf);
        return sanctum_error_set(err, SANCTUM_EIO, path, 0, "read error");
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

int sanctum_builder_load_file(sanctum_builder *b, const char *dir, const char *name, size_t max, sanctum_parse_fn parse,
                              sanctum_error *err)
{
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/%s", dir ? dir : ".", name);
    if (n < 0 || (size_t)n >= sizeof path)
        return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "data directory path is too long");
    char *bytes = NULL;
    size_t len = 0;
    int rc = sanctum_read_file(path, max, &bytes, &len, err);
    if (rc) return rc;
    rc = parse(b, path, bytes, len, err);
    free(bytes);
    return rc;
}

int sanctum_builder_begin_file(sanctum_builder *b, const char **path, const char *default_name, const char **bytes,
                               size_t len, size_t max, sanctum_error *err)
{
    if (!b || (!*bytes && len)) return sanctum_error_set(err, SANCTUM_EINVAL, *path, 0, "no builder or no bytes");
    if (!*path) *path = default_name;
    if (!*bytes) *bytes = "";
    if (max && len > max)
        return sanctum_error_set(err, SANCTUM_ELIMIT, *path, 0, "file is %zu bytes, over the %zu-byte limit", len, max);
    int fi = sanctum_builder_add_file(b, *path, *bytes, len);
    if (fi < 0) return sanctum_error_set(err, fi, *path, 0, "too many files in one source");
    return fi;
}

int sanctum_lists_ascii_ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z') x = (char)(x + 32);
        if (y >= 'A' && y <= 'Z') y = (char)(y + 32);
        if (x != y) return 0;
    }
    return *a == *b;
}

int sanctum_lists_has_str(const char *const *arr, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(arr[i], s) == 0) return 1;
    return 0;
}

/* ---- the dataset ------------------------------------------------------------- */

typedef struct source_def {
    const char *name;
    const char *title;
    const char *marker;   /* a file whose presence means the source is there */
    int (*load)(sanctum_builder *, const char *, sanctum_error *);
} source_def;

static const source_def source_defs[] = {
    { "ofac-sdn", "OFAC Specially Designated Nationals (SDN) list", "sdn.csv", sanctum_load_ofac_sdn },
    { "un-sc", "UN Security Council Consolidated List", "consolidated.xml", sanctum_load_un_sc },
    { "kr", "South Korea unilateral DPRK-related designations (curated)", "designations.csv", sanctum_load_kr },
    { "us-csl", "US Consolidated Screening List (trade.gov)", "consolidated.csv", sanctum_load_us_csl },
    { "uk", "UK HM Treasury OFSI consolidated list", "ConList.xlsx", sanctum_load_uk },
};

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

const char *sanctum_default_data_dir(void)
{
    const char *env = getenv("SANCTUM_DATA");
    if (env && *env) return env;
    if (file_exists(SANCTUM_DATADIR)) return SANCTUM_DATADIR;
    return SANCTUM_SOURCE_DATADIR;
}

static int source_wanted(const char *list, const char *name)
{
    if (!list || !*list) return 1;
    size_t n = strlen(name);
    const char *p = list;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncmp(p, name, n) == 0) return 1;
        if (!end) break;
        p = end + 1;
    }
    return 0;
}

static void free_entity_arrays(sanctum_entity *e)
{
    free((void *)e->names);
    free((void *)e->programs);
    free((void *)e->dobs);
    free((void *)e->places_of_birth);
    free((void *)e->nationalities);
    free((void *)e->citizenships);
    free((void *)e->addresses);
    free((void *)e->documents);
    free((void *)e->wallets);
    free((void *)e->emails);
    free((void *)e->websites);
    free((void *)e->phones);
    free((void *)e->links);
    free((void *)e->attrs);
}

void sanctum_dataset_free(sanctum_dataset *ds)
{
    if (!ds) return;
    if (ds->view) {
        free(ds);
        return;
    }
    for (size_t i = 0; i < ds->n_entities; i++) free_entity_arrays(ds->entities[i]);
    for (size_t i = 0; i < ds->n_sources; i++) free(ds->sources[i].warnings);
    free(ds->entities);
    sanctum_strmap_free(&ds->by_id);
    sanctum_arena_free(&ds->arena);
    free(ds);
}

int sanctum_dataset_load(sanctum_dataset **out, const sanctum_load_options *opts, sanctum_error *err)
{
    sanctum_load_options defaults = SANCTUM_LOAD_OPTIONS_INIT;
    if (!opts) opts = &defaults;
    *out = NULL;
    sanctum_error_clear(err);
    if (opts->version != SANCTUM_LOAD_OPTIONS_VERSION)
        return sanctum_error_set(err, SANCTUM_EINVAL, NULL, 0, "unsupported load options version %u", opts->version);
    const char *dir = opts->data_dir ? opts->data_dir : sanctum_default_data_dir();

    /* every named source must be one we know */
    if (opts->sources && *opts->sources) {
        const char *p = opts->sources;
        while (*p) {
            const char *end = strchr(p, ',');
            size_t len = end ? (size_t)(end - p) : strlen(p);
            int known = 0;
            for (size_t i = 0; i < sizeof source_defs / sizeof source_defs[0]; i++)
                if (strlen(source_defs[i].name) == len && strncmp(source_defs[i].name, p, len) == 0) known = 1;
            if (!known)
                return sanctum_error_set(err, SANCTUM_ENOTFOUND, NULL, 0, "unknown list '%.*s' (known: ofac-sdn, un-sc, kr, us-csl, uk)",
                                         (int)len, p);
            if (!end) break;
            p = end + 1;
        }
    }

    sanctum_dataset *ds = calloc(1, sizeof *ds);
    if (!ds) return sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
    sanctum_arena_init(&ds->arena);
    sanctum_strmap_init(&ds->by_id);
    sanctum_builder b = { .ds = ds, .strict = opts->strict, .err = err };
    sanctum_strmap_init(&b.by_key);
    int rc = 0;
    size_t loaded = 0;
    for (size_t i = 0; i < sizeof source_defs / sizeof source_defs[0]; i++) {
        const source_def *def = &source_defs[i];
        if (!source_wanted(opts->sources, def->name)) continue;
        char sdir[4096], marker[4200];
        snprintf(sdir, sizeof sdir, "%s/%s", dir, def->name);
        snprintf(marker, sizeof marker, "%s/%s", sdir, def->marker);
        if (!file_exists(marker)) {
            if (opts->sources && *opts->sources) {
                rc = sanctum_error_set(err, SANCTUM_ENOTFOUND, marker, 0, "list '%s' not found", def->name);
                break;
            }
            continue;
        }
        if ((rc = sanctum_builder_begin_source(&b, def->name, def->title)) != 0) break;
        if ((rc = def->load(&b, sdir, err)) != 0) break;
        if ((rc = sanctum_builder_end_source(&b)) != 0) break;
        loaded++;
    }
    if (!rc && loaded == 0)
        rc = sanctum_error_set(err, SANCTUM_ENOTFOUND, dir, 0, "no list files found (expected ofac-sdn/sdn.csv, un-sc/consolidated.xml, kr/designations.csv, us-csl/consolidated.csv or uk/ConList.xlsx)");
    /* one party across lists: computed once, after every list is in */
    if (!rc) rc = sanctum_link_entities(ds->entities, ds->n_entities, &ds->arena, err);
    sanctum_strmap_free(&b.by_key);
    EVP_MD_CTX_free(b.sha);
    if (rc) {
        if (err && !err->code) sanctum_error_set(err, rc, NULL, 0, "%s", sanctum_strerror(rc));
        sanctum_dataset_free(ds);
        return rc;
    }
    *out = ds;
    return 0;
}

sanctum_dataset *sanctum_dataset_from_view(const sanctum_dataset_view *v)
{
    sanctum_dataset *ds = v ? calloc(1, sizeof *ds) : NULL;
    if (ds) ds->view = v;
    return ds;
}

size_t sanctum_dataset_count(const sanctum_dataset *ds)
{
    return ds ? (ds->view ? ds->view->n_entities : ds->n_entities) : 0;
}

const sanctum_entity *sanctum_dataset_entity(const sanctum_dataset *ds, size_t i)
{
    if (ds && ds->view) return i < ds->view->n_entities ? &ds->view->entities[i] : NULL;
    return ds && i < ds->n_entities ? ds->entities[i] : NULL;
}

const sanctum_entity *sanctum_dataset_find(const sanctum_dataset *ds, const char *id)
{
    size_t idx;
    if (ds && ds->view && id)
        return sanctum_strmap_get(&ds->view->by_id, id, strlen(id), &idx) && idx < ds->view->n_entities
                   ? &ds->view->entities[idx] : NULL;
    if (!ds || !id || !sanctum_strmap_get(&ds->by_id, id, strlen(id), &idx)) return NULL;
    return ds->entities[idx];
}

size_t sanctum_dataset_source_count(const sanctum_dataset *ds)
{
    return ds ? (ds->view ? ds->view->n_sources : ds->n_sources) : 0;
}

const sanctum_source_info *sanctum_dataset_source(const sanctum_dataset *ds, size_t i)
{
    if (ds && ds->view) return i < ds->view->n_sources ? &ds->view->sources[i] : NULL;
    return ds && i < ds->n_sources ? &ds->sources[i].info : NULL;
}
