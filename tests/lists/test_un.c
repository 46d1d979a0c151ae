/*
 * test_un.c - the UN Security Council consolidated list loader, against the
 * real consolidated.xml (counts, names, aliases and their quality, original
 * scripts, dates, documents, places, remarks) and against small files written
 * to a temporary folder (malformed XML, a wrong root element, records without
 * FIRST_NAME or REFERENCE_NUMBER, duplicate keys, strict mode).
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "sanctum/dataset.h"
#include "sanctum/entity.h"

static sanctum_dataset *real;   /* the real list, loaded once */

static const char *data_dir(void)
{
    const char *d = getenv("SANCTUM_DATA");
    return d && *d ? d : "../data";
}

static int load_real(void **state)
{
    sanctum_load_options o = SANCTUM_LOAD_OPTIONS_INIT;
    o.data_dir = data_dir();
    o.sources = "un-sc";
    sanctum_error err;
    int rc = sanctum_dataset_load(&real, &o, &err);
    if (rc) {
        char msg[1024];
        sanctum_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "cannot load the UN list: %s\n", msg);
    }
    return rc;
}

static int free_real(void **state)
{
    sanctum_dataset_free(real);
    real = NULL;
    return 0;
}

static const sanctum_source_info *un_info(void)
{
    assert_int_equal(sanctum_dataset_source_count(real), 1);
    const sanctum_source_info *s = sanctum_dataset_source(real, 0);
    assert_string_equal(s->name, "un-sc");
    return s;
}

static const sanctum_entity *must_find(const char *id)
{
    const sanctum_entity *e = sanctum_dataset_find(real, id);
    if (!e) fail_msg("%s not loaded", id);
    return e;
}

static const sanctum_name *find_name(const sanctum_entity *e, const char *full)
{
    for (size_t i = 0; i < e->n_names; i++)
        if (strcmp(e->names[i].full, full) == 0) return &e->names[i];
    return NULL;
}

static const char *find_attr(const sanctum_entity *e, const char *key)
{
    for (size_t i = 0; i < e->n_attrs; i++)
        if (strcmp(e->attrs[i].key, key) == 0) return e->attrs[i].value;
    return NULL;
}

/* Counts <ALIAS_NAME> elements with something other than whitespace inside,
 * straight from the bytes of the file. */
static size_t count_alias_names_in_file(void)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/un-sc/consolidated.xml", data_dir());
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)size + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
    buf[size] = '\0';
    fclose(f);
    size_t n = 0;
    const char *open = "<ALIAS_NAME>";
    for (const char *p = strstr(buf, open); p; p = strstr(p, open)) {
        p += strlen(open);
        const char *end = strstr(p, "</ALIAS_NAME>");
        assert_non_null(end);
        for (const char *q = p; q < end; q++)
            if (*q != ' ' && *q != '\t' && *q != '\n' && *q != '\r') {
                n++;
                break;
            }
        p = end;
    }
    free(buf);
    return n;
}

/* ---- the real list -------------------------------------------------------- */

static void loads_730_persons_and_273_organizations_published_2026_02_27(void **state)
{
    const sanctum_source_info *s = un_info();
    assert_int_equal(s->entities, 1003);
    assert_int_equal(s->by_type[1], 730);
    assert_int_equal(s->by_type[2], 273);
    assert_int_equal(s->by_type[0] + s->by_type[3] + s->by_type[4], 0);
    assert_int_equal(s->n_files, 1);
    assert_non_null(strstr(s->files[0], "consolidated.xml"));
    assert_int_equal(s->records[0], 1003);
    assert_string_equal(s->published, "2026-02-27");
    assert_int_equal(strlen(s->sha256), 64);
    assert_int_equal(s->names, 1003);
    for (size_t i = 0; i < s->n_warnings; i++)
        print_message("warning: %s:%lu: %s\n", s->warnings[i].file, s->warnings[i].line, s->warnings[i].message);
    assert_int_equal(s->n_warnings, 0);
}

static void loads_one_alias_per_non_empty_alias_name(void **state)
{
    size_t in_file = count_alias_names_in_file();
    assert_int_equal(in_file, 2752);
    size_t aliases = 0, originals = 0;
    for (size_t i = 0; i < sanctum_dataset_count(real); i++) {
        const sanctum_entity *e = sanctum_dataset_entity(real, i);
        assert_int_equal(e->names[0].kind, SANCTUM_NAME_PRIMARY);
        for (size_t k = 1; k < e->n_names; k++) {
            assert_int_not_equal(e->names[k].kind, SANCTUM_NAME_PRIMARY);
            if (e->names[k].kind == SANCTUM_NAME_ORIGINAL) originals++;
            else aliases++;
            assert_true(e->names[k].full[0] != '\0');
        }
    }
    assert_int_equal(aliases, in_file);
    assert_int_equal(originals, 378);
    assert_int_equal(un_info()->aliases, in_file + 378);
}

static void keeps_the_curly_apostrophe_and_the_1967_to_1969_birth_range_of_kpi_066(void **state)
{
    const sanctum_entity *e = must_find("un-sc:KPi.066");
    assert_string_equal(e->key, "KPi.066");
    assert_int_equal(e->type, SANCTUM_TYPE_PERSON);
    assert_string_equal(e->names[0].full, "KIM JONG SIK");
    assert_null(e->names[0].surname);
    assert_null(e->names[0].given);
    assert_string_equal(find_attr(e, "name_part_1"), "KIM");
    assert_string_equal(find_attr(e, "name_part_2"), "JONG SIK");
    const sanctum_name *a = find_name(e, "Kim Cho\xE2\x80\x99ng-sik");
    assert_non_null(a);
    assert_int_equal(a->kind, SANCTUM_NAME_AKA);
    assert_int_equal(a->quality, SANCTUM_QUALITY_STRONG);
    assert_int_equal(e->n_dobs, 1);
    assert_int_equal(e->dobs[0].year, 1967);
    assert_int_equal(e->dobs[0].to_year, 1969);
    assert_int_equal(e->dobs[0].circa, 0);
    assert_string_equal(e->dobs[0].text, "1967 to 1969");
    assert_int_equal(e->n_programs, 1);
    assert_string_equal(e->programs[0], "DPRK");
    assert_string_equal(e->listed_on, "2017-12-22");
    assert_string_equal(e->remarks, "Gender: male");
    assert_int_equal(e->n_nationalities, 1);
    assert_string_equal(e->nationalities[0], "Democratic People's Republic of Korea");
    assert_non_null(find_attr(e, "designation"));
    assert_string_equal(find_attr(e, "dataid"), "6908643");
    assert_string_equal(find_attr(e, "list_type"), "UN List");
    assert_int_equal(e->n_addresses, 1);
    assert_string_equal(e->addresses[0].country, "Democratic People's Republic of Korea");
    assert_null(e->addresses[0].street);
    assert_int_equal(e->n_documents, 0);
    assert_int_equal(e->n_places_of_birth, 0);
}

static void reads_a_low_quality_alias_as_weak_and_f_k_a_as_formerly_known(void **state)
{
    const sanctum_entity *e = must_find("un-sc:CDi.003");
    const sanctum_name *low = find_name(e, "Rumuli");
    assert_non_null(low);
    assert_int_equal(low->kind, SANCTUM_NAME_AKA);
    assert_int_equal(low->quality, SANCTUM_QUALITY_WEAK);
    const sanctum_name *good = find_name(e, "Victor Rumuri");
    assert_non_null(good);
    assert_int_equal(good->quality, SANCTUM_QUALITY_STRONG);

    const sanctum_entity *o = must_find("un-sc:CDe.001");
    assert_int_equal(o->type, SANCTUM_TYPE_ORGANIZATION);
    const sanctum_name *fka =
        find_name(o, "Forces D\xC3\xA9mocratiques Alli\xC3\xA9" "es-Arm\xC3\xA9" "e Nationale de Lib\xC3\xA9ration de l\xE2\x80\x99Ouganda");
    assert_non_null(fka);
    assert_int_equal(fka->kind, SANCTUM_NAME_FKA);
    assert_int_equal(fka->quality, SANCTUM_QUALITY_STRONG);
}

static void detects_arabic_and_cyrillic_original_script_names(void **state)
{
    const sanctum_entity *e = must_find("un-sc:IQi.001");
    const sanctum_name *ar = find_name(e, "\xD8\xB5\xD8\xAF\xD8\xA7\xD9\x85 \xD8\xAD\xD8\xB3\xD9\x8A\xD9\x86 "
                                          "\xD8\xA7\xD9\x84\xD8\xAA\xD9\x83\xD8\xB1\xD9\x8A\xD8\xAA\xD9\x8A");
    assert_non_null(ar);
    assert_int_equal(ar->kind, SANCTUM_NAME_ORIGINAL);
    assert_int_equal(ar->quality, SANCTUM_QUALITY_STRONG);
    assert_int_equal(ar->script, SANCTUM_SCRIPT_ARABIC);
    assert_int_equal(e->names[0].script, SANCTUM_SCRIPT_LATIN);

    const sanctum_entity *q = must_find("un-sc:QDi.290");
    const sanctum_name *cy = NULL;
    for (size_t i = 0; i < q->n_names; i++)
        if (q->names[i].kind == SANCTUM_NAME_ORIGINAL) cy = &q->names[i];
    assert_non_null(cy);
    assert_int_equal(cy->script, SANCTUM_SCRIPT_CYRILLIC);
    assert_string_equal(sanctum_script_name(cy->script), "cyrillic");
}

static void joins_an_original_script_name_broken_over_two_lines(void **state)
{
    for (size_t i = 0; i < sanctum_dataset_count(real); i++) {
        const sanctum_entity *e = sanctum_dataset_entity(real, i);
        for (size_t k = 0; k < e->n_names; k++) {
            const char *s = e->names[k].full;
            assert_null(strchr(s, '\n'));
            assert_null(strstr(s, "  "));
            assert_true(s[0] != ' ' && s[strlen(s) - 1] != ' ');
        }
        assert_null(strchr(e->key, ' '));
    }
}

static void keeps_a_document_with_its_number_and_issuing_country(void **state)
{
    const sanctum_entity *e = must_find("un-sc:CFi.012");
    const sanctum_document *d = NULL;
    for (size_t i = 0; i < e->n_documents; i++)
        if (e->documents[i].number && strcmp(e->documents[i].number, "103-00653129-22") == 0) d = &e->documents[i];
    assert_non_null(d);
    assert_string_equal(d->country, "Chad");
    assert_string_equal(d->type, "National Identification Number (national identity card no.)");
    assert_string_equal(d->issued, "2009-04-21");
    assert_string_equal(d->note, "expires on 21 April 2019");
    assert_null(d->expires);
}

static void reads_approximate_years_places_titles_and_multi_line_remarks(void **state)
{
    const sanctum_entity *a = must_find("un-sc:CDi.014");
    int circa = 0;
    for (size_t i = 0; i < a->n_dobs; i++)
        if (a->dobs[i].year == 1966 && a->dobs[i].circa && strcmp(a->dobs[i].text, "circa 1966") == 0) circa = 1;
    assert_true(circa);

    const sanctum_entity *p = must_find("un-sc:CDi.035");
    assert_int_equal(p->n_places_of_birth, 1);
    assert_string_equal(p->places_of_birth[0], "Manono Territory, Katanga Province (now Tanganyika Province)");

    const sanctum_entity *t = must_find("un-sc:CFi.001");
    assert_string_equal(t->title, "Former Head of State Central African Republic; Professor");

    const sanctum_entity *r = must_find("un-sc:CDi.002");
    assert_non_null(r->remarks);
    assert_true(strncmp(r->remarks, "Left the CNDP in January 2008.", 30) == 0);
    assert_non_null(strstr(r->remarks, "activities apparently on behalf of the DRC\ngovernment\xE2\x80\x99s Programme"));
    assert_string_equal(r->names[0].full, "FRANK KAKOLELE BWAMBALE");
    assert_string_equal(find_attr(r, "designation"), "FARDC General");
}

static void trims_keys_decodes_ampersands_and_cuts_listing_dates_to_iso(void **state)
{
    const sanctum_entity *e = must_find("un-sc:KPe.023");
    assert_string_equal(e->names[0].full, "DAEDONG CREDIT BANK (DCB)");
    assert_null(find_attr(e, "name_part_1"));
    const sanctum_entity *amp = must_find("un-sc:KPe.055");
    assert_string_equal(amp->names[0].full, "CHANG AN SHIPPING & TECHNOLOGY");
    const sanctum_entity *z = must_find("un-sc:QDi.352");
    assert_string_equal(z->listed_on, "2015-04-07");
    assert_null(sanctum_dataset_find(real, "un-sc:KPe.023 "));
}

/* ---- small files in a temporary folder ------------------------------------- */

typedef struct tmp_list {
    char root[64];
    char sub[96];
    char file[128];
} tmp_list;

static void write_list(tmp_list *t, const char *xml)
{
    snprintf(t->root, sizeof t->root, "/tmp/sanctum-un-test-XXXXXX");
    assert_non_null(mkdtemp(t->root));
    snprintf(t->sub, sizeof t->sub, "%s/un-sc", t->root);
    assert_int_equal(mkdir(t->sub, 0700), 0);
    snprintf(t->file, sizeof t->file, "%s/consolidated.xml", t->sub);
    FILE *f = fopen(t->file, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(xml, 1, strlen(xml), f), strlen(xml));
    fclose(f);
}

static void remove_list(tmp_list *t)
{
    unlink(t->file);
    rmdir(t->sub);
    rmdir(t->root);
}

static int load_text(const char *xml, int strict, sanctum_dataset **out, sanctum_error *err)
{
    tmp_list t;
    write_list(&t, xml);
    sanctum_load_options o = SANCTUM_LOAD_OPTIONS_INIT;
    o.data_dir = t.root;
    o.sources = "un-sc";
    o.strict = strict;
    int rc = sanctum_dataset_load(out, &o, err);
    remove_list(&t);
    return rc;
}

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CONSOLIDATED_LIST dateGenerated=\"2026-02-27T00:00:09.554Z\">\n"

static void reports_malformed_xml_with_file_and_line(void **state)
{
    sanctum_dataset *ds = NULL;
    sanctum_error err;
    int rc = load_text(HEAD "<INDIVIDUALS>\n<INDIVIDUAL>\n<FIRST_NAME>A</FIRST_NAME>\n<REFERENCE_NUMBER>X.1</WRONG>\n"
                            "</INDIVIDUAL>\n</INDIVIDUALS>\n</CONSOLIDATED_LIST>\n",
                       0, &ds, &err);
    assert_int_equal(rc, SANCTUM_EPARSE);
    assert_null(ds);
    assert_int_equal(err.code, SANCTUM_EPARSE);
    assert_non_null(strstr(err.file, "consolidated.xml"));
    assert_int_equal(err.line, 6);

    rc = load_text(HEAD "<INDIVIDUALS>\n<INDIVIDUAL>\n<FIRST_NAME>A</FIRST_NA", 0, &ds, &err);
    assert_int_equal(rc, SANCTUM_EPARSE);
    assert_non_null(strstr(err.file, "consolidated.xml"));
    assert_true(err.line >= 4);

    rc = load_text("", 0, &ds, &err);
    assert_int_equal(rc, SANCTUM_EPARSE);
}

static void refuses_a_root_element_other_than_consolidated_list(void **state)
{
    sanctum_dataset *ds = NULL;
    sanctum_error err;
    int rc = load_text("<?xml version=\"1.0\"?>\n<SANCTIONS><INDIVIDUALS/></SANCTIONS>\n", 0, &ds, &err);
    assert_int_equal(rc, SANCTUM_EPARSE);
    assert_null(ds);
    assert_string_equal(err.where, "SANCTIONS");
    assert_non_null(strstr(err.message, "SANCTIONS"));
    assert_int_equal(err.line, 2);
}

static const char *NO_FIRST_NAME =
    HEAD "<INDIVIDUALS>\n"
    "<INDIVIDUAL>\n<DATAID>1</DATAID>\n<FIRST_NAME>ONE</FIRST_NAME>\n<REFERENCE_NUMBER>XXi.001</REFERENCE_NUMBER>\n</INDIVIDUAL>\n"
    "<INDIVIDUAL>\n<DATAID>2</DATAID>\n<SECOND_NAME>TWO</SECOND_NAME>\n<REFERENCE_NUMBER>XXi.002</REFERENCE_NUMBER>\n</INDIVIDUAL>\n"
    "</INDIVIDUALS>\n</CONSOLIDATED_LIST>\n";

static void warns_about_an_individual_without_first_name(void **state)
{
    sanctum_dataset *ds = NULL;
    sanctum_error err;
    assert_int_equal(load_text(NO_FIRST_NAME, 0, &ds, &err), 0);
    const sanctum_source_info *s = sanctum_dataset_source(ds, 0);
    assert_int_equal(s->entities, 2);
    assert_int_equal(s->records[0], 2);
    assert_string_equal(s->published, "2026-02-27");
    assert_int_equal(s->n_warnings, 1);
    assert_non_null(strstr(s->warnings[0].message, "XXi.002"));
    assert_non_null(strstr(s->warnings[0].message, "FIRST_NAME"));
    assert_int_equal(s->warnings[0].line, 9);
    assert_non_null(strstr(s->warnings[0].file, "consolidated.xml"));
    const sanctum_entity *e = sanctum_dataset_find(ds, "un-sc:XXi.002");
    assert_non_null(e);
    assert_string_equal(e->names[0].full, "TWO");
    sanctum_dataset_free(ds);
}

static void fails_on_a_missing_first_name_in_strict_mode(void **state)
{
    sanctum_dataset *ds = NULL;
    sanctum_error err;
    assert_int_equal(load_text(NO_FIRST_NAME, 1, &ds, &err), SANCTUM_ESTRICT);
    assert_null(ds);
    assert_int_equal(err.code, SANCTUM_ESTRICT);
    assert_int_equal(err.line, 9);
    assert_non_null(strstr(err.message, "XXi.002"));
}

static void falls_back_to_dataid_keeps_the_first_of_two_equal_keys_and_keeps_unknown_elements(void **state)
{
    sanctum_dataset *ds = NULL;
    sanctum_error err;
    const char *xml =
        HEAD "<INDIVIDUALS>\n"
        "<INDIVIDUAL><DATAID>77</DATAID><FIRST_NAME>NO REF</FIRST_NAME><REFERENCE_NUMBER> </REFERENCE_NUMBER></INDIVIDUAL>\n"
        "<INDIVIDUAL><FIRST_NAME>FIRST</FIRST_NAME><REFERENCE_NUMBER>XXi.001</REFERENCE_NUMBER>\n"
        "  <SHOE_SIZE>44</SHOE_SIZE><HOBBIES><VALUE>chess</VALUE><VALUE>golf</VALUE></HOBBIES>\n"
        "  <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>  Fir\n  St </ALIAS_NAME><NOTE>a note</NOTE></INDIVIDUAL_ALIAS>\n"
        "  <INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>\n"
        "  <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1970-05-06</DATE></INDIVIDUAL_DATE_OF_BIRTH>\n"
        "  <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><NOTE>Nov. 1973</NOTE></INDIVIDUAL_DATE_OF_BIRTH>\n"
        "  <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE/></INDIVIDUAL_DATE_OF_BIRTH>\n"
        "  <INDIVIDUAL_DOCUMENT/><INDIVIDUAL_ADDRESS><COUNTRY/></INDIVIDUAL_ADDRESS>\n"
        "  <COMMENTS1>line one\r\nline two  </COMMENTS1>\n"
        "</INDIVIDUAL>\n"
        "<INDIVIDUAL><FIRST_NAME>SECOND</FIRST_NAME><REFERENCE_NUMBER>XXi.001</REFERENCE_NUMBER></INDIVIDUAL>\n"
        "</INDIVIDUALS>\n<ENTITIES><ENTITY><FIRST_NAME><![CDATA[R&D]]> CORP</FIRST_NAME>"
        "<REFERENCE_NUMBER>XXe.001</REFERENCE_NUMBER></ENTITY></ENTITIES>\n</CONSOLIDATED_LIST>\n";
    assert_int_equal(load_text(xml, 0, &ds, &err), 0);
    const sanctum_source_info *s = sanctum_dataset_source(ds, 0);
    assert_int_equal(s->records[0], 4);
    assert_int_equal(s->entities, 3);
    assert_int_equal(s->n_warnings, 2);
    assert_non_null(strstr(s->warnings[0].message, "DATAID"));
    assert_int_equal(s->warnings[0].line, 4);
    assert_non_null(strstr(s->warnings[1].message, "XXi.001"));
    assert_int_equal(s->warnings[1].line, 17);

    assert_non_null(sanctum_dataset_find(ds, "un-sc:77"));
    const sanctum_entity *e = sanctum_dataset_find(ds, "un-sc:XXi.001");
    assert_string_equal(e->names[0].full, "FIRST");
    assert_int_equal(e->n_names, 2);
    assert_string_equal(e->names[1].full, "Fir St");
    assert_int_equal(e->names[1].quality, SANCTUM_QUALITY_WEAK);
    assert_string_equal(find_attr(e, "alias_note"), "Fir St: a note");
    assert_string_equal(find_attr(e, "shoe_size"), "44");
    int hobbies = 0;
    for (size_t i = 0; i < e->n_attrs; i++)
        if (strcmp(e->attrs[i].key, "hobbies") == 0) hobbies++;
    assert_int_equal(hobbies, 2);
    assert_int_equal(e->n_dobs, 2);
    assert_int_equal(e->dobs[0].year, 1970);
    assert_int_equal(e->dobs[0].month, 5);
    assert_int_equal(e->dobs[0].day, 6);
    assert_string_equal(e->dobs[1].text, "Nov. 1973");
    assert_int_equal(e->dobs[1].year, 1973);
    assert_int_equal(e->dobs[1].circa, 1);
    assert_int_equal(e->n_documents, 0);
    assert_int_equal(e->n_addresses, 0);
    assert_string_equal(e->remarks, "line one\nline two");

    const sanctum_entity *o = sanctum_dataset_find(ds, "un-sc:XXe.001");
    assert_int_equal(o->type, SANCTUM_TYPE_ORGANIZATION);
    assert_string_equal(o->names[0].full, "R&D CORP");
    sanctum_dataset_free(ds);
}

static void leaves_entities_declared_in_the_file_unexpanded(void **state)
{
    sanctum_dataset *ds = NULL;
    sanctum_error err;
    const char *xml =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY big \"BIGBIGBIG\">"
        "<!ENTITY ext SYSTEM \"file:///etc/passwd\">]>\n"
        "<CONSOLIDATED_LIST dateGenerated=\"2026-02-27\"><INDIVIDUALS><INDIVIDUAL>"
        "<FIRST_NAME>A &big; B &ext;</FIRST_NAME><REFERENCE_NUMBER>XXi.009</REFERENCE_NUMBER>"
        "</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>\n";
    assert_int_equal(load_text(xml, 0, &ds, &err), 0);
    const sanctum_entity *e = sanctum_dataset_find(ds, "un-sc:XXi.009");
    assert_non_null(e);
    assert_null(strstr(e->names[0].full, "root:"));
    assert_null(strstr(e->names[0].full, "BIGBIG"));
    assert_true(sanctum_dataset_source(ds, 0)->n_warnings >= 1);
    sanctum_dataset_free(ds);
}

int main(void)
{
    const struct CMUnitTest real_list[] = {
        cmocka_unit_test(loads_730_persons_and_273_organizations_published_2026_02_27),
        cmocka_unit_test(loads_one_alias_per_non_empty_alias_name),
        cmocka_unit_test(keeps_the_curly_apostrophe_and_the_1967_to_1969_birth_range_of_kpi_066),
        cmocka_unit_test(reads_a_low_quality_alias_as_weak_and_f_k_a_as_formerly_known),
        cmocka_unit_test(detects_arabic_and_cyrillic_original_script_names),
        cmocka_unit_test(joins_an_original_script_name_broken_over_two_lines),
        cmocka_unit_test(keeps_a_document_with_its_number_and_issuing_country),
        cmocka_unit_test(reads_approximate_years_places_titles_and_multi_line_remarks),
        cmocka_unit_test(trims_keys_decodes_ampersands_and_cuts_listing_dates_to_iso),
    };
    const struct CMUnitTest small_files[] = {
        cmocka_unit_test(reports_malformed_xml_with_file_and_line),
        cmocka_unit_test(refuses_a_root_element_other_than_consolidated_list),
        cmocka_unit_test(warns_about_an_individual_without_first_name),
        cmocka_unit_test(fails_on_a_missing_first_name_in_strict_mode),
        cmocka_unit_test(falls_back_to_dataid_keeps_the_first_of_two_equal_keys_and_keeps_unknown_elements),
        cmocka_unit_test(leaves_entities_declared_in_the_file_unexpanded),
    };
    int failed = cmocka_run_group_tests_name("un_real_list", real_list, load_real, free_real);
    failed += cmocka_run_group_tests_name("un_small_files", small_files, NULL, NULL);
    return failed;
}
