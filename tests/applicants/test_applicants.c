/*
 * test_applicants.c - the applicant screen on the synthetic set in
 * tests/applicants/data/applicants.jsonl: clean applicants come out low risk
 * with no rules, every fraudulent pattern is caught by its rule, clusters
 * group the right records, bad lines become error records, and the JSON
 * Lines and HTML outputs carry what the report holds.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "sanctum.h"
#include "sanctum/applicants.h"

#define DATA "applicants/data/applicants.jsonl"
#define BAD "applicants/data/bad.jsonl"

static sanctum_dataset *ds;
static sanctum_index *idx;
static sanctum_ident_index *iidx;
static sanctum_applicants_report *rep;

static sanctum_applicants_report *screen_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    sanctum_applicants_options o = SANCTUM_APPLICANTS_OPTIONS_INIT;
    o.index = idx;
    o.ident = iidx;
    o.input_name = path;
    sanctum_applicants_report *r = NULL;
    sanctum_error err;
    int rc = sanctum_applicants_screen(&r, f, &o, &err);
    fclose(f);
    return rc == 0 ? r : NULL;
}

static sanctum_applicants_report *screen_text(const char *text)
{
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    if (!f) return NULL;
    sanctum_applicants_options o = SANCTUM_APPLICANTS_OPTIONS_INIT;
    o.index = idx;
    o.ident = iidx;
    o.input_name = "mem";
    sanctum_applicants_report *r = NULL;
    sanctum_error err;
    int rc = sanctum_applicants_screen(&r, f, &o, &err);
    fclose(f);
    return rc == 0 ? r : NULL;
}

static int setup(void **state)
{
    sanctum_error err;
    if (sanctum_dataset_load(&ds, NULL, &err) != 0) return -1;
    if (sanctum_index_build(&idx, ds, &err) != 0) return -1;
    if (sanctum_ident_index_build(&iidx, ds, &err) != 0) return -1;
    rep = screen_file(DATA);
    return rep ? 0 : -1;
}

static int teardown(void **state)
{
    sanctum_applicants_report_free(rep);
    sanctum_ident_index_free(iidx);
    sanctum_index_free(idx);
    sanctum_dataset_free(ds);
    sanctum_thread_cleanup();
    return 0;
}

static const sanctum_applicant_result *get(const char *id)
{
    const sanctum_applicant_result *r = sanctum_applicants_find(rep, id);
    if (!r) fail_msg("no result for %s", id);
    assert_null(r->error);
    return r;
}

static void expect_rule(const char *id, const char *rule)
{
    if (!sanctum_applicant_has_rule(get(id), rule)) fail_msg("%s should raise %s", id, rule);
}

static void reads_every_record_in_input_order(void **state)
{
    assert_int_equal(sanctum_applicants_count(rep), 27);
    assert_int_equal(sanctum_applicants_error_count(rep), 0);
    assert_string_equal(sanctum_applicants_at(rep, 0)->id, "c-01");
    assert_int_equal(sanctum_applicants_at(rep, 0)->line, 1);
    assert_string_equal(sanctum_applicants_at(rep, 26)->id, "op-4");
}

static void clean_applicants_raise_no_rules_and_stay_low_risk(void **state)
{
    const char *clean[] = { "c-01", "c-02", "c-03", "c-04", "c-05" };
    for (size_t i = 0; i < sizeof clean / sizeof clean[0]; i++) {
        const sanctum_applicant_result *r = get(clean[i]);
        if (r->n_rules) fail_msg("%s raised %s", clean[i], r->rules[0].def->id);
        assert_int_equal(r->score, 0);
        assert_int_equal(r->risk, SANCTUM_APPLICANT_LOW);
        assert_null(r->cluster);
        assert_int_equal(r->n_sanctions_hits, 0);
        assert_int_equal(r->n_warnings, 0);
    }
    /* a VPN alone is one weak sign: noted, still low risk */
    const sanctum_applicant_result *vpn = get("c-06");
    assert_int_equal(vpn->n_rules, 1);
    assert_int_equal(vpn->risk, SANCTUM_APPLICANT_LOW);
}

static void korean_name_spellings_of_one_person_agree(void **state)
{
    /* c-02 is "Jae Kim", "Kim Jae-won", "JAEWON KIM", paid to "Jae Won Kim" */
    const sanctum_applicant_result *r = get("c-02");
    assert_false(sanctum_applicant_has_rule(r, "NAME_MISMATCH"));
    assert_false(sanctum_applicant_has_rule(r, "PAYEE_NAME_MISMATCH"));
}

static void sanctioned_name_wallet_and_passport_are_caught(void **state)
{
    expect_rule("s-name", "SANCTIONS_NAME");
    expect_rule("s-wallet", "SANCTIONS_WALLET");
    expect_rule("s-passport", "SANCTIONS_DOCUMENT");
    const char *ids[] = { "s-name", "s-wallet", "s-passport" };
    const char *rules[] = { "SANCTIONS_NAME", "SANCTIONS_WALLET", "SANCTIONS_DOCUMENT" };
    for (size_t i = 0; i < 3; i++) {
        const sanctum_applicant_result *r = get(ids[i]);
        assert_int_equal(r->risk, SANCTUM_APPLICANT_HIGH);
        assert_true(r->n_sanctions_hits >= 1);
        /* the rule that caught it names the listed entity (other lists may add more rules:
         * "Daniel Park" is also close to a UK listing's alias "Daniel PAK") */
        const char *evidence = NULL;
        for (size_t k = 0; k < r->n_rules; k++)
            if (strcmp(r->rules[k].def->id, rules[i]) == 0) evidence = r->rules[k].evidence;
        assert_non_null(evidence);
        assert_non_null(strstr(evidence, "ofac-sdn:43377"));
    }
}

static void logins_from_china_and_russia_over_a_vpn_are_caught(void **state)
{
    expect_rule("l-cnru", "LOGIN_FROM_CN_RU");
    expect_rule("l-cnru", "LOGIN_COUNTRY_MISMATCH");
    expect_rule("l-cnru", "LOGIN_MANY_COUNTRIES");
    expect_rule("l-cnru", "ANONYMIZED_NETWORK");
    assert_int_equal(get("l-cnru")->risk, SANCTUM_APPLICANT_HIGH);
}

static void days_long_sessions_are_caught(void **state)
{
    expect_rule("l-session", "LONG_SESSION");
    assert_non_null(strstr(get("l-session")->rules[0].evidence, "longest 52 h"));
}

static void many_accounts_from_one_ip_form_a_cluster(void **state)
{
    const char *c = get("l-ip-1")->cluster;
    assert_non_null(c);
    for (int i = 1; i <= 3; i++) {
        char id[32];
        snprintf(id, sizeof id, "l-ip-%d", i);
        expect_rule(id, "MANY_ACCOUNTS_ONE_IP");
        expect_rule(id, "CLUSTER_MEMBER");
        assert_string_equal(get(id)->cluster, c);
    }
}

static void crypto_pay_and_someone_elses_account_are_caught(void **state)
{
    expect_rule("p-crypto", "CRYPTO_PAY");
    expect_rule("s-wallet", "CRYPTO_PAY");
    expect_rule("p-payee", "PAYEE_NAME_MISMATCH");
    expect_rule("p-payee", "PAY_COUNTRY_MISMATCH");
}

static void laptops_shipped_to_one_foreign_address_are_a_laptop_farm(void **state)
{
    expect_rule("e-farm-1", "SHIPPING_ADDRESS_MISMATCH");
    expect_rule("e-farm-2", "SHIPPING_ADDRESS_MISMATCH");
    expect_rule("e-farm-1", "SHARED_SHIPPING_ADDRESS");
    assert_string_equal(get("e-farm-1")->cluster, get("e-farm-2")->cluster);
    /* "Street"/"St" and "Apartment"/"Apt" do not count as a different address */
    assert_false(sanctum_applicant_has_rule(get("c-01"), "SHIPPING_ADDRESS_MISMATCH"));
    assert_false(sanctum_applicant_has_rule(get("c-02"), "SHIPPING_ADDRESS_MISMATCH"));
}

static void interviews_profiles_and_remote_tools_are_caught(void **state)
{
    expect_rule("i-camera", "CAMERA_REFUSED");
    expect_rule("i-camera", "IDENTITY_UNVERIFIED");
    expect_rule("i-photo-1", "REUSED_PHOTO");
    expect_rule("i-photo-2", "REUSED_PHOTO");
    expect_rule("i-photo-2", "REUSED_RESUME");
    expect_rule("t-remote", "REMOTE_ACCESS_TOOL");
    expect_rule("n-mismatch", "NAME_MISMATCH");
    expect_rule("n-mismatch", "PHONE_COUNTRY_MISMATCH");
}

static void identities_paid_into_one_account_are_one_high_risk_cluster(void **state)
{
    const sanctum_applicant_cluster *found = NULL;
    for (size_t i = 0; i < sanctum_applicants_cluster_count(rep); i++) {
        const sanctum_applicant_cluster *c = sanctum_applicants_cluster_at(rep, i);
        if (strcmp(c->members[0], "op-1") == 0) found = c;
    }
    assert_non_null(found);
    assert_int_equal(found->n_members, 4);
    assert_string_equal(found->members[3], "op-4");
    for (int i = 1; i <= 4; i++) {
        char id[32];
        snprintf(id, sizeof id, "op-%d", i);
        expect_rule(id, "SHARED_PAYMENT_ACCOUNT");
        expect_rule(id, "CLUSTER_MEMBER");
        assert_int_equal(get(id)->risk, SANCTUM_APPLICANT_HIGH);
        assert_string_equal(get(id)->cluster, found->id);
    }
    assert_int_equal(sanctum_applicants_cluster_count(rep), 4);
}

static void score_is_the_sum_of_the_fired_rules_weights(void **state)
{
    for (size_t i = 0; i < sanctum_applicants_count(rep); i++) {
        const sanctum_applicant_result *r = sanctum_applicants_at(rep, i);
        int sum = 0;
        for (size_t k = 0; k < r->n_rules; k++) {
            sum += r->rules[k].def->weight;
            assert_true(*r->rules[k].evidence);
        }
        assert_int_equal(sum, r->score);
    }
}

static void every_rule_has_an_id_weight_source_and_meaning(void **state)
{
    assert_true(sanctum_applicants_rule_count() >= 20);
    for (size_t i = 0; i < sanctum_applicants_rule_count(); i++) {
        const sanctum_applicant_rule_def *d = sanctum_applicants_rule_at(i);
        assert_true(d->weight > 0);
        assert_true(*d->id && *d->source && *d->meaning);
        assert_ptr_equal(sanctum_applicants_rule_find(d->id), d);
    }
    assert_null(sanctum_applicants_rule_find("NO_SUCH_RULE"));
}

static void bad_lines_become_error_records_naming_file_and_line(void **state)
{
    sanctum_applicants_report *r = screen_file(BAD);
    assert_non_null(r);
    assert_int_equal(sanctum_applicants_count(r), 6);   /* the blank line is not a record */
    assert_int_equal(sanctum_applicants_error_count(r), 3);
    const sanctum_applicant_result *e = sanctum_applicants_at(r, 2);
    assert_non_null(e->error);
    assert_non_null(strstr(e->error, BAD ":3: invalid JSON"));
    assert_non_null(strstr(sanctum_applicants_at(r, 4)->error, ":5: field id: missing"));
    /* wrong-typed fields are named, not dropped silently */
    const sanctum_applicant_result *w = sanctum_applicants_find(r, "ok-2");
    assert_int_equal(w->n_warnings, 3);
    assert_non_null(strstr(w->warnings[0], "emails"));
    assert_non_null(strstr(w->warnings[1], "Atlantis"));
    assert_string_equal(sanctum_applicants_at(r, 5)->id, "17");
    sanctum_applicants_report_free(r);
}

static void over_long_lines_and_empty_input_are_handled(void **state)
{
    size_t n = SANCTUM_APPLICANTS_MAX_LINE + 100;
    char *big = malloc(n + 64);
    assert_non_null(big);
    strcpy(big, "{\"id\": \"x\", \"names\": [\"");
    size_t l = strlen(big);
    memset(big + l, 'a', n);
    strcpy(big + l + n, "\"]}\n{\"id\": \"y\"}\n");
    sanctum_applicants_report *r = screen_text(big);
    free(big);
    assert_non_null(r);
    assert_int_equal(sanctum_applicants_count(r), 2);
    assert_non_null(strstr(sanctum_applicants_at(r, 0)->error, "longer than"));
    assert_string_equal(sanctum_applicants_at(r, 1)->id, "y");
    sanctum_applicants_report_free(r);

    r = screen_text("");
    assert_non_null(r);
    assert_int_equal(sanctum_applicants_count(r), 0);
    sanctum_applicants_report_free(r);
}

static void login_bursts_across_three_countries_in_a_day_are_caught(void **state)
{
    sanctum_applicants_report *r = screen_text(
        "{\"id\": \"a\", \"claimed_country\": \"US\", \"logins\": ["
        "{\"time\": \"2026-03-01T00:00:00Z\", \"country\": \"US\"},"
        "{\"time\": \"2026-03-01T08:00:00+02:00\", \"country\": \"DE\"},"
        "{\"time\": \"2026-03-01T20:00:00Z\", \"country\": \"JP\"}]}\n"
        "{\"id\": \"b\", \"claimed_country\": \"US\", \"logins\": ["
        "{\"time\": \"2026-03-01T00:00:00Z\", \"country\": \"US\"},"
        "{\"time\": \"2026-03-03T00:00:00Z\", \"country\": \"CA\"}]}\n");
    assert_non_null(r);
    assert_true(sanctum_applicant_has_rule(sanctum_applicants_find(r, "a"), "LOGIN_MANY_COUNTRIES"));
    assert_false(sanctum_applicant_has_rule(sanctum_applicants_find(r, "b"), "LOGIN_MANY_COUNTRIES"));
    assert_true(sanctum_applicant_has_rule(sanctum_applicants_find(r, "b"), "LOGIN_COUNTRY_MISMATCH"));
    sanctum_applicants_report_free(r);
}

static void private_ips_and_plus_tags_are_handled_when_linking(void **state)
{
    sanctum_applicants_report *r = screen_text(
        "{\"id\": \"a\", \"emails\": [\"Dev.One+jobs@Example.com\"], \"logins\": [{\"ip\": \"192.168.1.10\"}]}\n"
        "{\"id\": \"b\", \"emails\": [\"dev.one@example.com\"], \"logins\": [{\"ip\": \"192.168.1.10\"}]}\n"
        "{\"id\": \"c\", \"logins\": [{\"ip\": \"192.168.1.10\"}]}\n");
    assert_non_null(r);
    assert_true(sanctum_applicant_has_rule(sanctum_applicants_find(r, "a"), "SHARED_CONTACT"));
    assert_null(sanctum_applicants_find(r, "c")->cluster);
    assert_false(sanctum_applicant_has_rule(sanctum_applicants_find(r, "c"), "MANY_ACCOUNTS_ONE_IP"));
    assert_int_equal(sanctum_applicants_cluster_count(r), 1);
    sanctum_applicants_report_free(r);
}

static void jsonl_output_has_one_line_per_record_then_the_clusters(void **state)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    sanctum_error err;
    assert_int_equal(sanctum_applicants_write_jsonl(rep, out, &err), 0);
    fclose(out);
    size_t lines = 0, clusters = 0;
    char *save = NULL;
    for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        json_t *o = json_loads(l, 0, NULL);
        assert_non_null(o);
        if (lines < 27) {
            assert_string_equal(json_string_value(json_object_get(o, "id")), sanctum_applicants_at(rep, lines)->id);
            assert_true(json_is_array(json_object_get(o, "rules")));
            assert_true(json_is_array(json_object_get(o, "sanctions_hits")));
            assert_non_null(json_object_get(o, "cluster"));
            assert_non_null(json_object_get(o, "risk"));
        } else {
            assert_non_null(json_object_get(o, "cluster"));
            assert_true(json_is_array(json_object_get(o, "members")));
            assert_true(json_is_object(json_object_get(o, "shared")));
            clusters++;
        }
        lines++;
        json_decref(o);
    }
    assert_int_equal(lines, 27 + 4);
    assert_int_equal(clusters, 4);
    free(buf);
}

static void html_report_escapes_input_and_lists_every_applicant(void **state)
{
    sanctum_applicants_report *r = screen_text("{\"id\": \"<script>x</script>\", \"interview\": "
                                               "{\"camera_refused\": true}}\n");
    assert_non_null(r);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    sanctum_error err;
    assert_int_equal(sanctum_applicants_write_html(r, out, &err), 0);
    fclose(out);
    assert_null(strstr(buf, "<script>"));
    assert_non_null(strstr(buf, "&lt;script&gt;"));
    assert_non_null(strstr(buf, "CAMERA_REFUSED"));
    free(buf);
    sanctum_applicants_report_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_every_record_in_input_order),
        cmocka_unit_test(clean_applicants_raise_no_rules_and_stay_low_risk),
        cmocka_unit_test(korean_name_spellings_of_one_person_agree),
        cmocka_unit_test(sanctioned_name_wallet_and_passport_are_caught),
        cmocka_unit_test(logins_from_china_and_russia_over_a_vpn_are_caught),
        cmocka_unit_test(days_long_sessions_are_caught),
        cmocka_unit_test(many_accounts_from_one_ip_form_a_cluster),
        cmocka_unit_test(crypto_pay_and_someone_elses_account_are_caught),
        cmocka_unit_test(laptops_shipped_to_one_foreign_address_are_a_laptop_farm),
        cmocka_unit_test(interviews_profiles_and_remote_tools_are_caught),
        cmocka_unit_test(identities_paid_into_one_account_are_one_high_risk_cluster),
        cmocka_unit_test(score_is_the_sum_of_the_fired_rules_weights),
        cmocka_unit_test(every_rule_has_an_id_weight_source_and_meaning),
        cmocka_unit_test(bad_lines_become_error_records_naming_file_and_line),
        cmocka_unit_test(over_long_lines_and_empty_input_are_handled),
        cmocka_unit_test(login_bursts_across_three_countries_in_a_day_are_caught),
        cmocka_unit_test(private_ips_and_plus_tags_are_handled_when_linking),
        cmocka_unit_test(jsonl_output_has_one_line_per_record_then_the_clusters),
        cmocka_unit_test(html_report_escapes_input_and_lists_every_applicant),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
