/*
 * canon.c - the canonical content of a listed entity, for comparing list
 * versions.
 *
 * The facts a reviewer cares about (primary name, aliases, identity
 * documents, wallets, programs) become sorted readable lines such as
 * "alias: Kim Sang-man (aka)"; a version diff compares these line sets. The
 * content hash covers those lines and every other field (addresses, dates,
 * remarks, ...) with unambiguous separators, so any change to a listing
 * changes its hash, and a hash that stays the same means nothing changed.
 * The form is our own and does not depend on the JSON output.
 */
#define _GNU_SOURCE
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"

/* Appends s with control characters turned into spaces. */
static int put_clean(sanctum_strbuf *b, const char *s)
{
    if (!s) return 0;
    for (; *s; s++) {
        int rc = sanctum_strbuf_putc(b, (unsigned char)*s < 0x20 ? ' ' : *s);
        if (rc != 0) return rc;
    }
    return 0;
}

static int cmp_lines(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

typedef struct lines {
    char **v;
    size_t n, cap;
} lines;

static int add_line(lines *l, sanctum_strbuf *tmp)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 16;
        char **nv = realloc(l->v, nc * sizeof *nv);
        if (!nv) return SANCTUM_ENOMEM;
        l->v = nv;
        l->cap = nc;
    }
    char *s = strdup(sanctum_strbuf_cstr(tmp));
    if (!s) return SANCTUM_ENOMEM;
    l->v[l->n++] = s;
    sanctum_strbuf_reset(tmp);
    return 0;
}

static int fact_lines(const sanctum_entity *e, lines *l)
{
    sanctum_strbuf t = SANCTUM_STRBUF_INIT;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < e->n_names; i++) {
        const sanctum_name *n = &e->names[i];
        if (i == 0) {
            rc = sanctum_strbuf_puts(&t, "name: ");
            if (rc == 0) rc = put_clean(&t, n->full);
        } else {
            rc = sanctum_strbuf_puts(&t, "alias: ");
            if (rc == 0) rc = put_clean(&t, n->full);
            if (rc == 0)
                rc = sanctum_strbuf_printf(&t, " (%s%s)", sanctum_name_kind_name(n->kind),
                                           n->quality == SANCTUM_QUALITY_WEAK ? ", weak" : "");
        }
        if (rc == 0) rc = add_line(l, &t);
    }
    for (size_t i = 0; rc == 0 && i < e->n_documents; i++) {
        const sanctum_document *d = &e->documents[i];
        rc = sanctum_strbuf_puts(&t, "identifier: ");
        if (rc == 0) rc = put_clean(&t, d->type ? d->type : "document");
        if (rc == 0) rc = sanctum_strbuf_putc(&t, ' ');
        if (rc == 0) rc = put_clean(&t, d->number);
        if (rc == 0 && d->country) {
            rc = sanctum_strbuf_puts(&t, " (");
            if (rc == 0) rc = put_clean(&t, d->country);
            if (rc == 0) rc = sanctum_strbuf_putc(&t, ')');
        }
        if (rc == 0) rc = add_line(l, &t);
    }
    for (size_t i = 0; rc == 0 && i < e->n_wallets; i++) {
        rc = sanctum_strbuf_puts(&t, "wallet: ");
        if (rc == 0) rc = put_clean(&t, e->wallets[i].currency);
        if (rc == 0) rc = sanctum_strbuf_putc(&t, ' ');
        if (rc == 0) rc = put_clean(&t, e->wallets[i].address);
        if (rc == 0) rc = add_line(l, &t);
    }
    for (size_t i = 0; rc == 0 && i < e->n_programs; i++) {
        rc = sanctum_strbuf_puts(&t, "program: ");
        if (rc == 0) rc = put_clean(&t, e->programs[i]);
        if (rc == 0) rc = add_line(l, &t);
    }
    sanctum_strbuf_free(&t);
    return rc;
}

/* Hash input for the fields that are not facts: field tag, then values
 * separated by 0x1f, records ended by 0x1e. */
static void h_str(EVP_MD_CTX *h, const char *s)
{
    if (s) EVP_DigestUpdate(h, s, strlen(s));
    else EVP_DigestUpdate(h, "\x01", 1);  /* absent differs from empty */
    EVP_DigestUpdate(h, "\x1f", 1);
}

static void h_tag(EVP_MD_CTX *h, const char *tag)
{
    EVP_DigestUpdate(h, "\x1e", 1);
    EVP_DigestUpdate(h, tag, strlen(tag));
    EVP_DigestUpdate(h, "\x1f", 1);
}

static void h_list(EVP_MD_CTX *h, const char *tag, const char **v, size_t n)
{
    h_tag(h, tag);
    for (size_t i = 0; i < n; i++) h_str(h, v[i]);
}

static void h_date(EVP_MD_CTX *h, const sanctum_date *d)
{
    char buf[96];
    snprintf(buf, sizeof buf, "%d-%d-%d/%d-%d-%d/%d", d->year, d->month, d->day, d->to_year, d->to_month, d->to_day,
             d->circa);
    h_str(h, buf);
    h_str(h, d->text);
}

static void hash_other(EVP_MD_CTX *h, const sanctum_entity *e)
{
    h_tag(h, "id");
    h_str(h, e->id);
    h_str(h, sanctum_type_name(e->type));
    for (size_t i = 0; i < e->n_names; i++) {
        const sanctum_name *n = &e->names[i];
        h_tag(h, "name-parts");
        h_str(h, n->surname);
        h_str(h, n->given);
        h_str(h, sanctum_script_name(n->script));
    }
    h_tag(h, "dobs");
    for (size_t i = 0; i < e->n_dobs; i++) h_date(h, &e->dobs[i]);
    h_list(h, "places", e->places_of_birth, e->n_places_of_birth);
    h_list(h, "nationalities", e->nationalities, e->n_nationalities);
    h_list(h, "citizenships", e->citizenships, e->n_citizenships);
    h_tag(h, "person");
    h_str(h, e->gender);
    h_str(h, e->title);
    for (size_t i = 0; i < e->n_addresses; i++) {
        const sanctum_address *a = &e->addresses[i];
        h_tag(h, "address");
        h_str(h, a->street);
        h_str(h, a->city);
        h_str(h, a->state);
        h_str(h, a->postal);
        h_str(h, a->country);
        h_str(h, a->note);
    }
    for (size_t i = 0; i < e->n_documents; i++) {
        const sanctum_document *d = &e->documents[i];
        h_tag(h, "document");
        h_str(h, d->issued);
        h_str(h, d->expires);
        h_str(h, d->note);
    }
    h_list(h, "emails", e->emails, e->n_emails);
    h_list(h, "websites", e->websites, e->n_websites);
    h_list(h, "phones", e->phones, e->n_phones);
    for (size_t i = 0; i < e->n_links; i++) {
        h_tag(h, "link");
        h_str(h, e->links[i].relation);
        h_str(h, e->links[i].target);
    }
    h_tag(h, "listed");
    h_str(h, e->listed_on);
    h_str(h, e->remarks);
    for (size_t i = 0; i < e->n_attrs; i++) {
        h_tag(h, "attr");
        h_str(h, e->attrs[i].key);
        h_str(h, e->attrs[i].value);
    }
}

int store_entity_canon(const sanctum_entity *e, sanctum_strbuf *facets, char hash[33])
{
    lines l = { NULL, 0, 0 };
    int rc = fact_lines(e, &l);
    if (rc == 0) qsort(l.v, l.n, sizeof *l.v, cmp_lines);
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        rc = sanctum_strbuf_puts(facets, l.v[i]);
        if (rc == 0) rc = sanctum_strbuf_putc(facets, '\n');
    }
    for (size_t i = 0; i < l.n; i++) free(l.v[i]);
    free(l.v);
    if (rc != 0) return rc;
    EVP_MD_CTX *h = EVP_MD_CTX_new();
    if (!h || !EVP_DigestInit_ex(h, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(h);
        return SANCTUM_ENOMEM;
    }
    EVP_DigestUpdate(h, sanctum_strbuf_cstr(facets), facets->len);
    hash_other(h, e);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(h, md, &n);
    EVP_MD_CTX_free(h);
    for (unsigned i = 0; i < 16 && i < n; i++) snprintf(hash + 2 * i, 3, "%02x", md[i]);
    hash[32] = '\0';
    return 0;
}
