/*
 * test_link.c - one party across lists, on the real files: an OFAC entry and
 * its UN listing are linked by passport or by name and date of birth, links
 * are symmetric and never point at their own entity, a list loaded alone has
 * no links, possible links never join a party, the JSON forms carry the
 * links, and linking stays fast. Tests of the kr and us-csl lists run when
 * those lists are in the data folder and are skipped otherwise.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <jansson.h>

#include "lists/link.h"
#include "sanctum.h"

static sanctum_dataset *ds;     /* every list of the data folder, loaded once */
static double load_seconds;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int setup(void **state)
{
    (void)state;
    sanctum_error err;
    /* every list this build knows, else the default ones */
    sanctum_load_options o = SANCTUM_LOAD_OPTIONS_INIT;
    o.sources = "ofac-sdn,un-sc,kr,us-csl,uk";
    double t = now();
    int rc = sanctum_dataset_load(&ds, &o, &err);
    if (rc) {
        t = now();
        rc = sanctum_dataset_load(&ds, NULL, &err);
    }
    load_seconds = now() - t;
    if (rc) {
        char msg[1024];
        sanctum_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "cannot load the lists: %s\n", msg);
    }
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    sanctum_dataset_free(ds);
    sanctum_thread_cleanup();
    return 0;
}

static int has_source(const char *name)
{
    for (size_t i = 0; i < sanctum_dataset_source_count(ds); i++)
        if (strcmp(sanctum_dataset_source(ds, i)->name, name) == 0) return 1;
    return 0;
}

/* The link from a to the entity with id b, or NULL. */
static const sanctum_entity_link *link_to(const sanctum_entity *a, const char *b)
{
    const sanctum_entity_link *links;
    size_t n = sanctum_dataset_links(ds, a, &links);
    for (size_t i = 0; i < n; i++)
        if (strcmp(links[i].entity->id, b) == 0) return &links[i];
    return NULL;
}

static const sanctum_entity *find(const char *id)
{
    const sanctum_entity *e = sanctum_dataset_find(ds, id);
    assert_non_null(e);
    return e;
}

/* The first entity of source whose primary name is name. */
static const sanctum_entity *by_name(const char *source, const char *name)
{
    for (size_t i = 0; i < sanctum_dataset_count(ds); i++) {
        const sanctum_entity *e = sanctum_dataset_entity(ds, i);
        if (strcmp(e->source, source) == 0 && e->n_names && strcmp(e->names[0].full, name) == 0) return e;
    }
    return NULL;
}

static void links_an_ofac_entry_to_its_un_listing_by_passport(void **state)
{
    (void)state;
    const sanctum_entity *ofac = find("ofac-sdn:2676"), *un = find("un-sc:QDi.006");
    const sanctum_entity_link *l = link_to(ofac, "un-sc:QDi.006");
    assert_non_null(l);
    assert_int_equal(l->strength, SANCTUM_LINK_SAME);
    assert_non_null(strstr(l->reason, "same passport 1084010"));
    assert_non_null(strstr(l->reason, "same name and date of birth (1951-06-19)"));
    l = link_to(un, "ofac-sdn:2676");
    assert_non_null(l);
    assert_true(sanctum_entity_same_party(ofac, un));
    assert_true(sanctum_entity_same_party(un, ofac));
}

static void links_by_name_and_date_of_birth_alone(void **state)
{
    (void)state;
    const sanctum_entity_link *l = link_to(find("ofac-sdn:6903"), "un-sc:QDi.015");
    assert_non_null(l);
    assert_string_equal(l->reason, "same name and date of birth (1975-01-01)");
}

static void links_are_symmetric_and_never_point_at_their_own_entity(void **state)
{
    (void)state;
    size_t linked = 0;
    for (size_t i = 0; i < sanctum_dataset_count(ds); i++) {
        const sanctum_entity *e = sanctum_dataset_entity(ds, i);
        const sanctum_entity_link *links;
        size_t n = sanctum_dataset_links(ds, e, &links);
        if (n) linked++;
        for (size_t k = 0; k < n; k++) {
            assert_ptr_not_equal(links[k].entity, e);
            assert_non_null(links[k].reason);
            const sanctum_entity_link *back = link_to(links[k].entity, e->id);
            assert_non_null(back);
            assert_int_equal(back->strength, links[k].strength);
            if (links[k].strength == SANCTUM_LINK_SAME) assert_true(sanctum_entity_same_party(links[k].entity, e));
        }
    }
    assert_true(linked >= 400);  /* hundreds of OFAC entries are also on the UN list */
}

static void a_list_loaded_alone_has_no_links(void **state)
{
    (void)state;
    sanctum_load_options o = SANCTUM_LOAD_OPTIONS_INIT;
    o.sources = "un-sc";
    sanctum_dataset *one;
    sanctum_error err;
    assert_int_equal(sanctum_dataset_load(&one, &o, &err), 0);
    for (size_t i = 0; i < sanctum_dataset_count(one); i++) {
        const sanctum_entity_link *links;
        assert_int_equal(sanctum_dataset_links(one, sanctum_dataset_entity(one, i), &links), 0);
        assert_null(links);
    }
    /* an entity of another dataset has no links in this one */
    const sanctum_entity_link *links;
    assert_int_equal(sanctum_dataset_links(one, find("ofac-sdn:2676"), &links), 0);
    sanctum_dataset_free(one);
}

static void names_the_strengths(void **state)
{
    (void)state;
    assert_string_equal(sanctum_link_strength_name(SANCTUM_LINK_SAME), "linked");
    assert_string_equal(sanctum_link_strength_name(SANCTUM_LINK_POSSIBLE), "possible");
    assert_false(sanctum_entity_same_party(NULL, find("ofac-sdn:2676")));
    assert_true(sanctum_entity_same_party(find("ofac-sdn:2676"), find("ofac-sdn:2676")));
    assert_false(sanctum_entity_same_party(find("ofac-sdn:2676"), find("ofac-sdn:43377")));
}

static void puts_listings_in_entity_json_and_also_listed_in_hits(void **state)
{
    (void)state;
    char *text = sanctum_entity_json(find("ofac-sdn:2676"));
    json_t *o = json_loads(text, 0, NULL);
    sanctum_string_free(text);
    json_t *listings = json_object_get(o, "listings");
    assert_true(json_is_array(listings));
    json_t *first = json_array_get(listings, 0);
    assert_string_equal(json_string_value(json_object_get(first, "entity")), "un-sc:QDi.006");
    assert_string_equal(json_string_value(json_object_get(first, "list")), "un-sc");
    assert_string_equal(json_string_value(json_object_get(first, "strength")), "linked");
    assert_non_null(json_string_value(json_object_get(first, "reason")));
    json_decref(o);

    sanctum_index *idx;
    sanctum_error err;
    assert_int_equal(sanctum_index_build(&idx, ds, &err), 0);
    sanctum_query q = SANCTUM_QUERY_INIT;
    q.name = "Ayman al-Zawahiri";
    q.lists = "ofac-sdn";
    sanctum_result *r;
    assert_int_equal(sanctum_screen(&r, idx, &q, &err), 0);
    assert_true(sanctum_result_count(r) > 0);
    text = sanctum_hit_json(sanctum_result_hit(r, 0));
    o = json_loads(text, 0, NULL);
    sanctum_string_free(text);
    json_t *also = json_object_get(o, "also_listed");
    assert_true(json_is_array(also));
    assert_string_equal(json_string_value(json_object_get(json_array_get(also, 0), "entity")), "un-sc:QDi.006");
    json_decref(o);
    sanctum_result_free(r);
    sanctum_index_free(idx);
    /* an entity without links has no "listings" */
    const sanctum_entity *alone = NULL;
    for (size_t i = 0; i < sanctum_dataset_count(ds) && !alone; i++)
        if (!sanctum_dataset_entity(ds, i)->n_also_listed) alone = sanctum_dataset_entity(ds, i);
    assert_non_null(alone);
    text = sanctum_entity_json(alone);
    int has = strstr(text, "\"listings\"") != NULL;
    sanctum_string_free(text);
    assert_false(has);
}

static void links_kim_sang_man_on_kr_to_ofac_as_possibly_the_same(void **state)
{
    (void)state;
    if (!has_source("kr")) skip();
    const sanctum_entity *kr = by_name("kr", "김상만");
    assert_non_null(kr);
    const sanctum_entity_link *l = link_to(kr, "ofac-sdn:43377");
    assert_non_null(l);
    assert_int_equal(l->strength, SANCTUM_LINK_POSSIBLE);
    assert_non_null(strstr(l->reason, "possibly the same as"));
    assert_false(sanctum_entity_same_party(kr, find("ofac-sdn:43377")));
    assert_non_null(link_to(find("ofac-sdn:43377"), kr->id));
}

static void links_chinyong_on_kr_and_ofac(void **state)
{
    (void)state;
    if (!has_source("kr")) skip();
    const sanctum_entity *kr = by_name("kr", "진영정보기술개발협조회사");
    assert_non_null(kr);
    const sanctum_entity_link *links;
    size_t n = sanctum_dataset_links(ds, kr, &links), ofac = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(links[i].entity->source, "ofac-sdn") == 0) ofac++;
    assert_true(ofac >= 1);
}

static void links_an_sdn_row_of_the_csl_to_its_ofac_entity(void **state)
{
    (void)state;
    if (!has_source("us-csl")) skip();
    size_t sdn_rows = 0, linked = 0;
    for (size_t i = 0; i < sanctum_dataset_count(ds); i++) {
        const sanctum_entity *e = sanctum_dataset_entity(ds, i);
        if (strcmp(e->source, "us-csl") != 0) continue;
        const char *num = NULL;
        for (size_t k = 0; k < e->n_attrs; k++)
            if (strcmp(e->attrs[k].key, "ofac_ent_num") == 0) num = e->attrs[k].value;
        if (!num) continue;
        char id[64];
        snprintf(id, sizeof id, "ofac-sdn:%s", num);
        if (!sanctum_dataset_find(ds, id)) continue;  /* the CSL is older or newer than sdn.csv */
        sdn_rows++;
        const sanctum_entity_link *l = link_to(e, id);
        if (l && strstr(l->reason, "CSL row of SDN entity")) linked++;
    }
    assert_true(sdn_rows > 1000);
    assert_int_equal(linked, sdn_rows);
}

/* A CSL row copied from the SDN list is reported under the SDN entry, by
 * name and by document, unless the query asks for the CSL alone. */
static void reports_a_csl_row_of_an_sdn_entity_under_the_sdn_entry(void **state)
{
    (void)state;
    if (!has_source("us-csl") || !sanctum_dataset_find(ds, "us-csl:17291") || !sanctum_dataset_find(ds, "ofac-sdn:17291"))
        skip();
    const sanctum_entity *csl = sanctum_dataset_find(ds, "us-csl:17291");
    assert_ptr_equal(csl->same_as, sanctum_dataset_find(ds, "ofac-sdn:17291"));
    sanctum_index *idx = NULL;
    assert_int_equal(sanctum_index_build(&idx, ds, NULL), 0);
    sanctum_query q = SANCTUM_QUERY_INIT;
    q.name = csl->names[0].full;
    sanctum_result *r = NULL;
    assert_int_equal(sanctum_screen(&r, idx, &q, NULL), 0);
    int sdn = 0, copy = 0;
    for (size_t i = 0; i < sanctum_result_count(r); i++) {
        const char *id = sanctum_result_hit(r, i)->entity->id;
        sdn += strcmp(id, "ofac-sdn:17291") == 0;
        copy += strcmp(id, "us-csl:17291") == 0;
    }
    assert_int_equal(sdn, 1);
    assert_int_equal(copy, 0);
    sanctum_result_free(r);
    /* the CSL alone: the row is the hit */
    q.lists = "us-csl";
    assert_int_equal(sanctum_screen(&r, idx, &q, NULL), 0);
    assert_true(sanctum_result_count(r) >= 1);
    assert_string_equal(sanctum_result_hit(r, 0)->entity->id, "us-csl:17291");
    sanctum_result_free(r);
    sanctum_index_free(idx);
    /* by passport: one hit, the SDN entry */
    sanctum_ident_index *ii = NULL;
    assert_int_equal(sanctum_ident_index_build(&ii, ds, NULL), 0);
    sanctum_ident_result *ir = NULL;
    assert_int_equal(sanctum_document_screen(&ir, ii, "K475336", NULL, NULL, NULL), 0);
    assert_int_equal(sanctum_ident_result_count(ir), 1);
    assert_string_equal(sanctum_ident_result_hit(ir, 0)->entity->id, "ofac-sdn:17291");
    sanctum_ident_result_free(ir);
    sanctum_ident_index_free(ii);
    sanctum_thread_cleanup();
}

/* A CSL row has no weak aliases, but the SDN entry it copies has: the
 * SDN's weak "ABU JAMIL" of entry 9596 must not make the CSL row a second,
 * higher hit for the same person. */
static void a_weak_sdn_alias_copied_to_the_csl_gives_one_hit(void **state)
{
    (void)state;
    if (!has_source("us-csl") || !sanctum_dataset_find(ds, "us-csl:9596") || !sanctum_dataset_find(ds, "ofac-sdn:9596"))
        skip();
    sanctum_index *idx = NULL;
    assert_int_equal(sanctum_index_build(&idx, ds, NULL), 0);
    sanctum_query q = SANCTUM_QUERY_INIT;
    q.name = "Abu Jamil";
    sanctum_result *r = NULL;
    assert_int_equal(sanctum_screen(&r, idx, &q, NULL), 0);
    int sdn = -1, copy = -1;
    for (size_t i = 0; i < sanctum_result_count(r); i++) {
        const char *id = sanctum_result_hit(r, i)->entity->id;
        if (strcmp(id, "ofac-sdn:9596") == 0) sdn = (int)i;
        if (strcmp(id, "us-csl:9596") == 0) copy = (int)i;
    }
    assert_true(sdn >= 0);
    assert_int_equal(copy, -1);
    const sanctum_hit *h = sanctum_result_hit(r, (size_t)sdn);
    assert_int_equal(h->entity->names[h->name_index].quality, SANCTUM_QUALITY_WEAK);
    assert_non_null(link_to(h->entity, "us-csl:9596"));
    sanctum_result_free(r);
    sanctum_index_free(idx);
}

static void links_quickly(void **state)
{
    (void)state;
    /* relink the loaded entities: the time linking adds to a load */
    size_t n = sanctum_dataset_count(ds);
    sanctum_entity **ents = malloc(n * sizeof *ents);
    assert_non_null(ents);
    for (size_t i = 0; i < n; i++) ents[i] = (sanctum_entity *)sanctum_dataset_entity(ds, i);
    sanctum_arena arena;
    sanctum_arena_init(&arena);
    sanctum_error err;
    double t = now();
    assert_int_equal(sanctum_link_entities(ents, n, &arena, &err), 0);
    double link_seconds = now() - t;
    printf("# %zu entities: load %.3f s, of which linking %.3f s\n", n, load_seconds, link_seconds);
    assert_true(link_seconds < load_seconds);
    /* the entities' links now live in `arena`: free the dataset before it */
    sanctum_dataset_free(ds);
    ds = NULL;
    sanctum_arena_free(&arena);
    free(ents);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(links_an_ofac_entry_to_its_un_listing_by_passport),
        cmocka_unit_test(links_by_name_and_date_of_birth_alone),
        cmocka_unit_test(links_are_symmetric_and_never_point_at_their_own_entity),
        cmocka_unit_test(a_list_loaded_alone_has_no_links),
        cmocka_unit_test(names_the_strengths),
        cmocka_unit_test(puts_listings_in_entity_json_and_also_listed_in_hits),
        cmocka_unit_test(links_kim_sang_man_on_kr_to_ofac_as_possibly_the_same),
        cmocka_unit_test(links_chinyong_on_kr_and_ofac),
        cmocka_unit_test(links_an_sdn_row_of_the_csl_to_its_ofac_entity),
        cmocka_unit_test(reports_a_csl_row_of_an_sdn_entity_under_the_sdn_entry),
        cmocka_unit_test(a_weak_sdn_alias_copied_to_the_csl_gives_one_hit),
        cmocka_unit_test(links_quickly),  /* last: it frees the dataset */
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
