/*
 * cluster.c - links between applicant records.
 *
 * Every e-mail, phone, payment account number, wallet, shipping address,
 * photo hash, resume hash and login IP of every record is normalized and
 * collected as a (kind, value, record) triple. Sorting the triples brings
 * equal values together; a value used by two or more records raises the
 * matching rule on each of them (SHARED_CONTACT, SHARED_PAYMENT_ACCOUNT,
 * SHARED_WALLET, SHARED_SHIPPING_ADDRESS, REUSED_PHOTO, REUSED_RESUME, and
 * MANY_ACCOUNTS_ONE_IP from three records up) and, for every kind but the
 * resume, joins the records in a union-find forest. Each tree of two or more
 * records is a cluster: one operator behind several identities, or a
 * facilitator serving several workers. Clusters are numbered C1, C2, ... in
 * the order of their first member, and every member gets CLUSTER_MEMBER.
 *
 * Private and loopback IP addresses (10/8, 172.16/12, 192.168/16, 127/8,
 * ::1, fc00::/7, fe80::/10) say nothing about who is behind them and are
 * not used as links.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "applicants/applicants_internal.h"
#include "util/error.h"

enum { K_EMAIL, K_PHONE, K_PAYMENT, K_WALLET, K_SHIPPING, K_PHOTO, K_IP, K_RESUME, K_COUNT };

static const struct {
    const char *name;   /* key in the cluster's "shared" object */
    int rule;
    size_t min_records; /* records sharing the value before the rule fires */
    int links;          /* joins records into clusters */
} kinds[K_COUNT] = {
    [K_EMAIL] = { "email", R_SHARED_CONTACT, 2, 1 },
    [K_PHONE] = { "phone", R_SHARED_CONTACT, 2, 1 },
    [K_PAYMENT] = { "payment_account", R_SHARED_PAYMENT_ACCOUNT, 2, 1 },
    [K_WALLET] = { "wallet", R_SHARED_WALLET, 2, 1 },
    [K_SHIPPING] = { "shipping_address", R_SHARED_SHIPPING_ADDRESS, 2, 1 },
    [K_PHOTO] = { "photo_hash", R_REUSED_PHOTO, 2, 1 },
    [K_IP] = { "ip", R_MANY_ACCOUNTS_ONE_IP, 3, 1 },
    [K_RESUME] = { "resume_hash", R_REUSED_RESUME, 2, 0 },
};

typedef struct triple {
    int kind;
    const char *value;
    size_t rec;
} triple;

typedef struct collector {
    sanctum_applicants_report *rep;
    triple *v;
    size_t n, cap;
    int oom;
} collector;

static void add(collector *c, int kind, const char *value, size_t len, size_t rec)
{
    if (c->oom || len == 0) return;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        triple *p = realloc(c->v, cap * sizeof *p);
        if (!p) {
            c->oom = 1;
            return;
        }
        c->v = p;
        c->cap = cap;
    }
    const char *s = sanctum_arena_strndup(&c->rep->arena, value, len);
    if (!s) {
        c->oom = 1;
        return;
    }
    c->v[c->n++] = (triple){ kind, s, rec };
}

/* Trimmed and lower-cased into buf; returns the length. */
static size_t lower_trim(const char *s, char *buf, size_t size)
{
    while (*s && isspace((unsigned char)*s)) s++;
    size_t n = 0;
    for (; *s && n < size - 1; s++) buf[n++] = (char)tolower((unsigned char)*s);
    while (n && isspace((unsigned char)buf[n - 1])) n--;
    buf[n] = '\0';
    return n;
}

static size_t email_key(const char *s, char *buf, size_t size)
{
    size_t n = lower_trim(s, buf, size);
    char *at = strchr(buf, '@'), *plus = strchr(buf, '+');
    if (!at || at == buf || strchr(at + 1, '@')) return n;
    if (plus && plus < at) {   /* "name+tag@host" reaches the same mailbox as "name@host" */
        memmove(plus, at, strlen(at) + 1);
        n = strlen(buf);
    }
    return n;
}

/* Digits only (letters too for account numbers), upper-cased. */
static size_t alnum_key(const char *s, char *buf, size_t size, int letters)
{
    size_t n = 0;
    for (; *s && n < size - 1; s++) {
        unsigned char ch = (unsigned char)*s;
        if (isdigit(ch) || (letters && isalpha(ch))) buf[n++] = (char)toupper(ch);
    }
    buf[n] = '\0';
    return n;
}

static int private_ip(const char *ip)
{
    unsigned a, b;
    if (sscanf(ip, "%u.%u.", &a, &b) == 2)
        return a == 10 || a == 127 || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168) || a == 0;
    return strcmp(ip, "::1") == 0 || strncmp(ip, "fc", 2) == 0 || strncmp(ip, "fd", 2) == 0 ||
           strncmp(ip, "fe8", 3) == 0 || strncmp(ip, "fe9", 3) == 0 || strncmp(ip, "fea", 3) == 0 ||
           strncmp(ip, "feb", 3) == 0;
}

static void collect(collector *c, size_t i)
{
    appl_record *r = &c->rep->recs[i];
    char buf[512];
    size_t n;
    for (size_t k = 0; k < r->emails.n; k++) {
        n = email_key(r->emails.v[k], buf, sizeof buf);
        add(c, K_EMAIL, buf, n, i);
    }
    for (size_t k = 0; k < r->n_phones; k++) {
        n = alnum_key(r->phones[k].number, buf, sizeof buf, 0);
        if (n >= 6) add(c, K_PHONE, buf, n, i);
    }
    for (size_t k = 0; k < r->n_pays; k++) {
        if (!r->pays[k].number) continue;
        n = alnum_key(r->pays[k].number, buf, sizeof buf, 1);
        if (n < 4) n = lower_trim(r->pays[k].number, buf, sizeof buf);   /* e-mail style ids (PayPal) */
        add(c, K_PAYMENT, buf, n, i);
    }
    for (size_t k = 0; k < r->wallets.n; k++) {
        sanctum_wallet_info wi;
        if (sanctum_wallet_normalize(r->wallets.v[k], &wi, NULL) == 0) add(c, K_WALLET, wi.address, strlen(wi.address), i);
    }
    sanctum_strbuf key = SANCTUM_STRBUF_INIT;
    for (size_t k = 0; k < r->shipping.n; k++)
        if (appl_address_key(r->shipping.v[k], &key) == 0) add(c, K_SHIPPING, key.data, key.len, i);
    sanctum_strbuf_free(&key);
    for (size_t k = 0; k < r->photos.n; k++) {
        n = lower_trim(r->photos.v[k], buf, sizeof buf);
        add(c, K_PHOTO, buf, n, i);
    }
    if (r->resume_hash) {
        n = lower_trim(r->resume_hash, buf, sizeof buf);
        add(c, K_RESUME, buf, n, i);
    }
    for (size_t k = 0; k < r->n_logins; k++) {
        if (!r->logins[k].ip) continue;
        n = lower_trim(r->logins[k].ip, buf, sizeof buf);
        if (n && !private_ip(buf)) add(c, K_IP, buf, n, i);
    }
}

static int cmp_triple(const void *a, const void *b)
{
    const triple *x = a, *y = b;
    if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
    int c = strcmp(x->value, y->value);
    if (c) return c;
    return (x->rec > y->rec) - (x->rec < y->rec);
}

static size_t find(size_t *parent, size_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

static void unite(size_t *parent, size_t a, size_t b)
{
    a = find(parent, a);
    b = find(parent, b);
    if (a == b) return;
    if (a < b) parent[b] = a;   /* the earliest record is the root */
    else parent[a] = b;
}

/* Raises the kind's rule on every record of the group [g, e) (sorted, records may repeat). */
static void raise_group(sanctum_applicants_report *rep, const triple *g, size_t len, size_t distinct)
{
    int kind = g[0].kind;
    for (size_t i = 0; i < len; i++) {
        if (i && g[i].rec == g[i - 1].rec) continue;
        char others[400] = "";
        size_t listed = 0;
        for (size_t j = 0; j < len; j++) {
            if (g[j].rec == g[i].rec || (j && g[j].rec == g[j - 1].rec)) continue;
            const char *id = rep->recs[g[j].rec].pub.id;
            if (listed < 6 && strlen(others) + strlen(id) + 3 < sizeof others) {
                if (*others) strcat(others, ", ");
                strcat(others, id);
                listed++;
            }
        }
        char more[48] = "";
        if (distinct - 1 > listed) snprintf(more, sizeof more, " and %zu more", distinct - 1 - listed);
        appl_evidence(&rep->recs[g[i].rec], kinds[kind].rule, "%s %s also used by %s%s", kinds[kind].name,
                      g[i].value, others, more);
    }
}

int appl_link(sanctum_applicants_report *rep, sanctum_error *err)
{
    collector c = { rep, NULL, 0, 0, 0 };
    size_t *parent = malloc((rep->n ? rep->n : 1) * sizeof *parent);
    size_t *size = calloc(rep->n ? rep->n : 1, sizeof *size);
    size_t *cluster_of_root = malloc((rep->n ? rep->n : 1) * sizeof *cluster_of_root);
    int rc = 0;
    if (!parent || !size || !cluster_of_root) goto oom;
    for (size_t i = 0; i < rep->n; i++) {
        parent[i] = i;
        cluster_of_root[i] = (size_t)-1;
        if (!rep->recs[i].pub.error) collect(&c, i);
    }
    if (c.oom) goto oom;
    if (c.n) qsort(c.v, c.n, sizeof *c.v, cmp_triple);

    for (size_t g = 0, e; g < c.n; g = e) {
        size_t distinct = 1;
        for (e = g + 1; e < c.n && c.v[e].kind == c.v[g].kind && strcmp(c.v[e].value, c.v[g].value) == 0; e++)
            if (c.v[e].rec != c.v[e - 1].rec) distinct++;
        if (distinct < 2) continue;
        if (distinct >= kinds[c.v[g].kind].min_records) raise_group(rep, &c.v[g], e - g, distinct);
        if (kinds[c.v[g].kind].links)
            for (size_t k = g + 1; k < e; k++) unite(parent, c.v[g].rec, c.v[k].rec);
    }

    for (size_t i = 0; i < rep->n; i++) size[find(parent, i)]++;
    size_t n_clusters = 0;
    for (size_t i = 0; i < rep->n; i++)
        if (find(parent, i) == i && size[i] >= 2) n_clusters++;
    if (n_clusters) {
        rep->clusters = calloc(n_clusters, sizeof *rep->clusters);
        rep->cluster_shared = calloc(n_clusters, sizeof *rep->cluster_shared);
        if (!rep->clusters || !rep->cluster_shared) goto oom;
    }
    /* Roots are the earliest member, so walking records in order numbers clusters by first member. */
    for (size_t i = 0; i < rep->n; i++) {
        size_t root = find(parent, i);
        if (size[root] < 2) continue;
        if (cluster_of_root[root] == (size_t)-1) {
            size_t k = rep->n_clusters++;
            cluster_of_root[root] = k;
            char id[32];
            snprintf(id, sizeof id, "C%zu", k + 1);
            rep->clusters[k].id = sanctum_arena_strdup(&rep->arena, id);
            rep->clusters[k].members = sanctum_arena_calloc(&rep->arena, size[root], sizeof(char *));
            rep->cluster_shared[k] = json_object();
            if (!rep->clusters[k].id || !rep->clusters[k].members || !rep->cluster_shared[k]) goto oom;
        }
        size_t k = cluster_of_root[root];
        ((const char **)rep->clusters[k].members)[rep->clusters[k].n_members++] = rep->recs[i].pub.id;
        rep->recs[i].cluster_index = k;
        rep->recs[i].pub.cluster = rep->clusters[k].id;
    }
    /* The shared values of each cluster. */
    for (size_t g = 0, e; g < c.n; g = e) {
        size_t distinct = 1;
        for (e = g + 1; e < c.n && c.v[e].kind == c.v[g].kind && strcmp(c.v[e].value, c.v[g].value) == 0; e++)
            if (c.v[e].rec != c.v[e - 1].rec) distinct++;
        if (distinct < 2 || !kinds[c.v[g].kind].links) continue;
        size_t k = rep->recs[c.v[g].rec].cluster_index;
        if (k == (size_t)-1) continue;
        json_t *shared = rep->cluster_shared[k];
        json_t *arr = json_object_get(shared, kinds[c.v[g].kind].name);
        if (!arr) {
            arr = json_array();
            if (!arr || json_object_set_new(shared, kinds[c.v[g].kind].name, arr) != 0) goto oom;
        }
        if (json_array_append_new(arr, json_string(c.v[g].value)) != 0) goto oom;
        rep->clusters[k].n_shared++;
    }
    /* Every member of a cluster is marked. */
    for (size_t i = 0; i < rep->n; i++) {
        size_t k = rep->recs[i].cluster_index;
        if (k == (size_t)-1) continue;
        const sanctum_applicant_cluster *cl = &rep->clusters[k];
        char members[400] = "", links[200] = "";
        size_t listed = 0;
        for (size_t m = 0; m < cl->n_members; m++) {
            if (listed < 8 && strlen(members) + strlen(cl->members[m]) + 3 < sizeof members) {
                if (*members) strcat(members, ", ");
                strcat(members, cl->members[m]);
                listed++;
            }
        }
        const char *key;
        json_t *val;
        json_object_foreach(rep->cluster_shared[k], key, val) {
            if (strlen(links) + strlen(key) + 3 >= sizeof links) break;
            if (*links) strcat(links, ", ");
            strcat(links, key);
        }
        appl_evidence(&rep->recs[i], R_CLUSTER_MEMBER, "cluster %s of %zu records (%s%s) linked by %s", cl->id,
                      cl->n_members, members, cl->n_members > listed ? ", ..." : "", links);
    }
    goto done;
oom:
    rc = sanctum_error_set(err, SANCTUM_ENOMEM, NULL, 0, "out of memory while linking records");
done:
    free(c.v);
    free(parent);
    free(size);
    free(cluster_of_root);
    return rc;
}
