/*
 * diff.c - what changed between two stored list versions.
 *
 * Entities are matched by id. An id only in the newer version was added,
 * one only in the older was removed, and one in both with a different
 * content hash changed; for those the stored fact lines of both sides are
 * compared to say which parts (name, aliases, identifiers, wallets,
 * programs, or only other fields) changed and which facts came and went.
 */
#define _GNU_SOURCE
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"
#include "util/error.h"

typedef struct entry {
    sanctum_diff_entry pub;
    char *entity, *name;
    char **added, **removed;
} entry;

struct sanctum_diff {
    long long old_id, new_id;
    entry *v;
    size_t n, cap;
};

long long sanctum_diff_old(const sanctum_diff *d) { return d ? d->old_id : 0; }
long long sanctum_diff_new(const sanctum_diff *d) { return d ? d->new_id : 0; }
size_t sanctum_diff_count(const sanctum_diff *d) { return d ? d->n : 0; }
const sanctum_diff_entry *sanctum_diff_entry_at(const sanctum_diff *d, size_t i)
{
    return d && i < d->n ? &d->v[i].pub : NULL;
}

const char *sanctum_diff_part_name(unsigned part)
{
    switch (part) {
    case SANCTUM_PART_NAME: return "name";
    case SANCTUM_PART_ALIASES: return "aliases";
    case SANCTUM_PART_IDENTIFIERS: return "identifiers";
    case SANCTUM_PART_WALLETS: return "wallets";
    case SANCTUM_PART_PROGRAMS: return "programs";
    case SANCTUM_PART_OTHER: return "other";
    default: return "?";
    }
}

void sanctum_diff_free(sanctum_diff *d)
{
    if (!d) return;
    for (size_t i = 0; i < d->n; i++) {
        entry *e = &d->v[i];
        free(e->entity);
        free(e->name);
        for (size_t j = 0; j < e->pub.n_added; j++) free(e->added[j]);
        for (size_t j = 0; j < e->pub.n_removed; j++) free(e->removed[j]);
        free(e->added);
        free(e->removed);
    }
    free(d->v);
    free(d);
}

static unsigned part_of(const char *line)
{
    if (strncmp(line, "name: ", 6) == 0) return SANCTUM_PART_NAME;
    if (strncmp(line, "alias: ", 7) == 0) return SANCTUM_PART_ALIASES;
    if (strncmp(line, "identifier: ", 12) == 0) return SANCTUM_PART_IDENTIFIERS;
    if (strncmp(line, "wallet: ", 8) == 0) return SANCTUM_PART_WALLETS;
    if (strncmp(line, "program: ", 9) == 0) return SANCTUM_PART_PROGRAMS;
    return SANCTUM_PART_OTHER;
}

/* Splits sorted fact text into lines (pointers into the modified copy). */
static size_t split(char *text, char ***out)
{
    size_t n = 0;
    for (char *p = text; *p; p++)
        if (*p == '\n') n++;
    char **v = malloc((n + 1) * sizeof *v);
    if (!v) return (size_t)-1;
    size_t k = 0;
    char *p = text;
    while (*p) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = '\0';
        v[k++] = p;
        if (!nl) break;
        p = nl + 1;
    }
    *out = v;
    return k;
}

static int push(char ***v, size_t *n, const char *s)
{
    char **nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv) return SANCTUM_ENOMEM;
    *v = nv;
    if (!(nv[*n] = strdup(s))) return SANCTUM_ENOMEM;
    (*n)++;
    return 0;
}

/* Merges two sorted line sets: lines only in b are added, only in a removed. */
static int compare_facts(entry *e, const char *old_text, const char *new_text)
{
    char *a = strdup(old_text ? old_text : ""), *b = strdup(new_text ? new_text : "");
    char **la = NULL, **lb = NULL;
    size_t na = a ? split(a, &la) : (size_t)-1, nb = b ? split(b, &lb) : (size_t)-1;
    int rc = 0;
    if (na == (size_t)-1 || nb == (size_t)-1) rc = SANCTUM_ENOMEM;
    size_t i = 0, j = 0;
    while (rc == 0 && (i < na || j < nb)) {
        int c = i == na ? 1 : j == nb ? -1 : strcmp(la[i], lb[j]);
        if (c == 0) {
            i++, j++;
        } else if (c < 0) {
            e->pub.parts |= part_of(la[i]);
            rc = push(&e->removed, &e->pub.n_removed, la[i++]);
        } else {
            e->pub.parts |= part_of(lb[j]);
            rc = push(&e->added, &e->pub.n_added, lb[j++]);
        }
    }
    if (rc == 0 && e->pub.parts == 0) e->pub.parts = SANCTUM_PART_OTHER;
    free(la);
    free(lb);
    free(a);
    free(b);
    return rc;
}

static entry *new_entry(sanctum_diff *d)
{
    if (d->n == d->cap) {
        size_t nc = d->cap ? d->cap * 2 : 64;
        entry *nv = realloc(d->v, nc * sizeof *nv);
        if (!nv) return NULL;
        d->v = nv;
        d->cap = nc;
    }
    entry *e = &d->v[d->n++];
    memset(e, 0, sizeof *e);
    return e;
}

/* The two newest versions when both ids are 0. */
static int pick_versions(sanctum_store *st, long long *a, long long *b, sanctum_error *err)
{
    sqlite3_stmt *s;
    int rc = store_prepare(st, "SELECT id FROM versions ORDER BY id DESC LIMIT 2", &s, err);
    if (rc != 0) return rc;
    long long ids[2] = { 0, 0 };
    int k = 0;
    while (k < 2 && sqlite3_step(s) == SQLITE_ROW) ids[k++] = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (k < 2)
        return sanctum_error_set(err, SANCTUM_ENOTFOUND, st->path, 0,
                                 "a diff needs two stored versions; there %s %d", k == 1 ? "is" : "are", k);
    *a = ids[1];
    *b = ids[0];
    return 0;
}

int sanctum_store_diff(sanctum_diff **out, sanctum_store *st, long long old_id, long long new_id, sanctum_error *err)
{
    *out = NULL;
    int rc;
    if (old_id == 0 && new_id == 0 && (rc = pick_versions(st, &old_id, &new_id, err)) != 0) return rc;
    sqlite3_stmt *s;
    if ((rc = store_prepare(st, "SELECT count(*) FROM versions WHERE id IN (?, ?)", &s, err)) != 0) return rc;
    sqlite3_bind_int64(s, 1, old_id);
    sqlite3_bind_int64(s, 2, new_id);
    long long found = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_finalize(s);
    if (found < (old_id == new_id ? 1 : 2))
        return sanctum_error_set(err, SANCTUM_ENOTFOUND, st->path, 0, "no list version %lld or %lld", old_id, new_id);
    sanctum_diff *d = calloc(1, sizeof *d);
    if (!d) return sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
    d->old_id = old_id;
    d->new_id = new_id;
    /* a full outer join by entity id, in id order, of the rows that differ */
    rc = store_prepare(st,
                       "SELECT entity, max(oh), max(nh), max(oname), max(nname), max(ofacts), max(nfacts) FROM ("
                       " SELECT o.entity AS entity, o.hash AS oh, NULL AS nh, o.name AS oname, NULL AS nname,"
                       "  f.facets AS ofacts, NULL AS nfacts FROM entity_versions o JOIN facets f ON f.hash = o.hash"
                       "  WHERE o.version = ?1"
                       " UNION ALL"
                       " SELECT n.entity, NULL, n.hash, NULL, n.name, NULL, f.facets FROM entity_versions n"
                       "  JOIN facets f ON f.hash = n.hash WHERE n.version = ?2)"
                       " GROUP BY entity HAVING max(oh) IS NOT max(nh) OR max(oh) IS NULL OR max(nh) IS NULL"
                       " ORDER BY entity",
                       &s, err);
    if (rc != 0) {
        sanctum_diff_free(d);
        return rc;
    }
    sqlite3_bind_int64(s, 1, old_id);
    sqlite3_bind_int64(s, 2, new_id);
    int step, oom = 0;
    while (!oom && (step = sqlite3_step(s)) == SQLITE_ROW) {
        const char *oh = (const char *)sqlite3_column_text(s, 1), *nh = (const char *)sqlite3_column_text(s, 2);
        if (oh && nh && strcmp(oh, nh) == 0) continue;
        entry *e = new_entry(d);
        if (!e) { oom = 1; break; }
        e->entity = store_column_dup(s, 0, &oom);
        e->name = store_column_dup(s, nh ? 4 : 3, &oom);
        e->pub.change = !oh ? SANCTUM_CHANGE_ADDED : !nh ? SANCTUM_CHANGE_REMOVED : SANCTUM_CHANGE_CHANGED;
        if (e->pub.change == SANCTUM_CHANGE_CHANGED &&
            compare_facts(e, (const char *)sqlite3_column_text(s, 5), (const char *)sqlite3_column_text(s, 6)) != 0)
            oom = 1;
        e->pub.entity = e->entity ? e->entity : "";
        e->pub.name = e->name;
        e->pub.added = (const char *const *)e->added;
        e->pub.removed = (const char *const *)e->removed;
    }
    if (!oom && step != SQLITE_DONE && step != SQLITE_ROW) rc = store_fail(st, "comparing versions", err);
    sqlite3_finalize(s);
    if (oom) rc = sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory");
    if (rc != 0) {
        sanctum_diff_free(d);
        return rc;
    }
    *out = d;
    return 0;
}

static json_t *string_array(const char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) json_array_append_new(a, json_string(v[i]));
    return a;
}

char *sanctum_diff_json(const sanctum_diff *d)
{
    if (!d) return NULL;
    json_t *root = json_object(), *arr = json_array();
    size_t counts[4] = { 0, 0, 0, 0 };
    for (size_t i = 0; root && arr && i < d->n; i++) {
        const sanctum_diff_entry *e = &d->v[i].pub;
        counts[e->change]++;
        json_t *o = json_object();
        if (!o) break;
        json_object_set_new(o, "entity", json_string(e->entity));
        json_object_set_new(o, "name", e->name ? json_string(e->name) : json_null());
        json_object_set_new(o, "change", json_string(e->change == SANCTUM_CHANGE_ADDED ? "added"
                                                     : e->change == SANCTUM_CHANGE_REMOVED ? "removed" : "changed"));
        if (e->change == SANCTUM_CHANGE_CHANGED) {
            json_t *parts = json_array();
            for (unsigned b = 1; b <= SANCTUM_PART_OTHER; b <<= 1)
                if (e->parts & b) json_array_append_new(parts, json_string(sanctum_diff_part_name(b)));
            json_object_set_new(o, "parts", parts);
            json_object_set_new(o, "added", string_array(e->added, e->n_added));
            json_object_set_new(o, "removed", string_array(e->removed, e->n_removed));
        }
        json_array_append_new(arr, o);
    }
    char *text = NULL;
    if (root && arr) {
        json_object_set_new(root, "old", json_integer(d->old_id));
        json_object_set_new(root, "new", json_integer(d->new_id));
        json_object_set_new(root, "added", json_integer((json_int_t)counts[SANCTUM_CHANGE_ADDED]));
        json_object_set_new(root, "removed", json_integer((json_int_t)counts[SANCTUM_CHANGE_REMOVED]));
        json_object_set_new(root, "changed", json_integer((json_int_t)counts[SANCTUM_CHANGE_CHANGED]));
        json_object_set(root, "entities", arr);
        text = json_dumps(root, JSON_COMPACT);
    }
    json_decref(arr);
    json_decref(root);
    return text;
}
