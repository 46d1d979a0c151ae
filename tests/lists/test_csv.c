/*
 * test_csv.c - the RFC 4180 record reader on small inputs: line ends, the
 * DOS end-of-file byte, quoting, multi-line fields, the OFAC empty marker,
 * caps and the errors for malformed input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "lists/csv.h"

#define ALL_FLAGS (SANCTUM_CSV_DOS_EOF | SANCTUM_CSV_OFAC_EMPTY | SANCTUM_CSV_UTF8)

static void init_str(sanctum_csv_reader *r, const char *s, unsigned flags)
{
    sanctum_csv_init(r, s, strlen(s), "t.csv", flags);
}

static void reads_crlf_records_and_ignores_the_dos_eof_byte(void **state)
{
    sanctum_csv_reader r;
    sanctum_error err;
    init_str(&r, "1,abc,x\r\n2,def,y\r\n\x1a", ALL_FLAGS);
    assert_int_equal(sanctum_csv_next(&r, &err), 1);
    assert_int_equal(sanctum_csv_count(&r), 3);
    assert_string_equal(sanctum_csv_field(&r, 0), "1");
    assert_string_equal(sanctum_csv_field(&r, 2), "x");
    assert_int_equal(sanctum_csv_field_len(&r, 2), 1);
    assert_int_equal(r.record_line, 1);
    assert_int_equal(sanctum_csv_next(&r, &err), 1);
    assert_string_equal(sanctum_csv_field(&r, 1), "def");
    assert_int_equal(r.record_line, 2);
    assert_int_equal(sanctum_csv_next(&r, &err), 0);
    assert_int_equal(r.records, 2);
    sanctum_csv_free(&r);
}

static void keeps_a_dos_eof_byte_that_is_not_last_or_not_asked_for(void **state)
{
    sanctum_csv_reader r;
    sanctum_error err;
    init_str(&r, "a\r\n\x1a", SANCTUM_CSV_UTF8);
    assert_int_equal(sanctum_csv_next(&r, &err), 1);
    assert_int_equal(sanctum_csv_next(&r, &err), 1);
    assert_string_equal(sanctum_csv_field(&r, 0), "\x1a");
    assert_int_equal(sanctum_csv_next(&r, &err), 0);
    sanctum_csv_free(&r);
}

static void accepts_lf_and_a_last_record_without_line_end(void **state)
{
    sanctum_csv_reader r;
    sanctum_error err;
    init_str(&r, "a,b\n\nc,d", ALL_FLAGS);
    assert_int_equal(sanctum_csv_next(&r, &err), 1);
    assert_int_equal(sanctum_csv_next(&r, &err), 1);
    assert_string_equal(sanctum_csv_field(&r, 0), "c");
    assert_string_equal(sanctum_csv_field(&r, 1), "d");
    assert_int_equal(r.record_line, 3);
    assert_int_equal(sanctum_csv_next(&r, &err), 0);
    sanctum_csv_free(&r);
}

static void unquotes_commas_and_doubled_quotes(void **state)
{
    sanctum_csv_reader r;
    sanctum_error err;
    init_str(&r, "1,\"ANGLO-CARIBBEAN CO., LTD.\",\"say \"\"hi\"\"\",\"\"\r\n", ALL_FLAGS);
    assert_int_equal(sanctum_csv_next(&r, &err), 1);
    assert_int_equal(sanctum_csv_count(&r), 4);
    assert_string_equal(sanctum_csv_field(&r, 1), "ANGLO-CARIBBEAN CO., LTD.");
    assert_string_equal(sanctum_csv_field(&r, 2), "say \"hi\"");
    assert_string_equal(sanctum_csv_field(&r, 3), "");
    assert_int_equal(sanctum_csv_field_len(&r, 3), 0);
    assert_null(sanctum_csv_field(&r, 4));
    sanctum_csv_free(&r);
}

static void a_quoted_field_may_span_lines(void **state)
{
    sanctum_csv_reader r;
    sanctum_error err;
    init_str(&r, "1,\"line one\r\nline two\"\r\n2,x\r\n", ALL_FLAGS);
    assert_int_equal(sanctum_csv_next(&r, &err), 1);
    assert_string_equal(sanctum_csv_field(&r, 1), "line one\r\nline two");
    assert_int_equal(r.record_line, 1);
    assert_int_equal(sanctum_csv_next(&r, &err), 1);
    assert_int_equal(r.record_line, 3);
    sanctum_csv_free(&r);
}

static void the_ofac_marker_reads_as_empty_only_when_unquoted(void **state)
{
    sanctum_csv_reader r;
    sanctum_error err;
    init_str(&r, "36,-0- ,\"-0- \",-0-,x-0- \r\n", ALL_FLAGS);
    assert_int_equal(sanctum_csv_next(&r, &err), 1);
    assert_string_equal(sanctum_csv_field(&r, 1), "");
    assert_string_equal(sanctum_csv_field(&r, 2), "-0- ");
    assert_string_equal(sanctum_csv_field(&r, 3), "");
    assert_string_equal(sanctum_csv_field(&r, 4), "x-0- ");
    sanctum_csv_free(&r);
    init_str(&r, "36,-0- \r\n", SANCTUM_CSV_UTF8);
    assert_int_equal(sanctum_csv_next(&r, &err), 1);
    assert_string_equal(sanctum_csv_field(&r, 1), "-0- ");
    sanctum_csv_free(&r);
}

static void a_trailing_comma_gives_a_final_empty_field(void **state)
{
    sanctum_csv_reader r;
    sanctum_error err;
    init_str(&r, "a,b,\r\n", ALL_FLAGS);
    assert_int_equal(sanctum_csv_next(&r, &err), 1);
    assert_int_equal(sanctum_csv_count(&r), 3);
    assert_string_equal(sanctum_csv_field(&r, 2), "");
    sanctum_csv_free(&r);
}

static void an_unterminated_quote_is_an_error_naming_its_line(void **state)
{
    sanctum_csv_reader r;
    sanctum_error err;
    init_str(&r, "1,a\r\n2,\"open\r\nand more\r\n", ALL_FLAGS);
    assert_int_equal(sanctum_csv_next(&r, &err), 1);
    assert_int_equal(sanctum_csv_next(&r, &err), SANCTUM_EPARSE);
    assert_string_equal(err.file, "t.csv");
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.message, "unterminated"));
    sanctum_csv_free(&r);
}

static void stray_quotes_are_errors(void **state)
{
    sanctum_csv_reader r;
    sanctum_error err;
    init_str(&r, "1,ab\"c\r\n", ALL_FLAGS);
    assert_int_equal(sanctum_csv_next(&r, &err), SANCTUM_EPARSE);
    assert_int_equal(err.line, 1);
    sanctum_csv_free(&r);
    init_str(&r, "x\r\n1,\"abc\"d\r\n", ALL_FLAGS);
    assert_int_equal(sanctum_csv_next(&r, &err), 1);
    assert_int_equal(sanctum_csv_next(&r, &err), SANCTUM_EPARSE);
    assert_int_equal(err.line, 2);
    sanctum_csv_free(&r);
}

static void fields_over_the_cap_are_refused(void **state)
{
    sanctum_csv_reader r;
    sanctum_error err;
    init_str(&r, "1,12345678\r\n", ALL_FLAGS);
    r.max_field = 8;
    assert_int_equal(sanctum_csv_next(&r, &err), 1);
    sanctum_csv_free(&r);
    init_str(&r, "1,\"123\"\"456789\"\r\n", ALL_FLAGS);
    r.max_field = 8;
    assert_int_equal(sanctum_csv_next(&r, &err), SANCTUM_EPARSE);
    assert_non_null(strstr(err.message, "limit"));
    sanctum_csv_free(&r);
    init_str(&r, "a,b,c,d\r\n", ALL_FLAGS);
    r.max_fields = 3;
    assert_int_equal(sanctum_csv_next(&r, &err), SANCTUM_EPARSE);
    sanctum_csv_free(&r);
}

static void invalid_utf8_and_nul_bytes_are_refused(void **state)
{
    sanctum_csv_reader r;
    sanctum_error err;
    init_str(&r, "1,ok\r\n2,\"a\r\nb\xc3\x28\"\r\n", ALL_FLAGS);
    assert_int_equal(sanctum_csv_next(&r, &err), 1);
    assert_int_equal(sanctum_csv_next(&r, &err), SANCTUM_EPARSE);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.message, "UTF-8"));
    sanctum_csv_free(&r);
    static const char with_nul[] = { '1', ',', 'a', '\0', 'b', '\r', '\n' };
    sanctum_csv_init(&r, with_nul, sizeof with_nul, "t.csv", ALL_FLAGS);
    assert_int_equal(sanctum_csv_next(&r, &err), SANCTUM_EPARSE);
    sanctum_csv_free(&r);
    init_str(&r, "Ch'o\xcc\x86ng,\xea\xb9\x80\xec\x83\x81\xeb\xa7\x8c\r\n", ALL_FLAGS);
    assert_int_equal(sanctum_csv_next(&r, &err), 1);
    assert_string_equal(sanctum_csv_field(&r, 1), "\xea\xb9\x80\xec\x83\x81\xeb\xa7\x8c");
    sanctum_csv_free(&r);
}

static void utf8_check_rejects_overlongs_and_surrogates(void **state)
{
    assert_int_equal(sanctum_utf8_valid_prefix("abc", 3), 3);
    assert_int_equal(sanctum_utf8_valid_prefix("\xc0\xaf", 2), 0);
    assert_int_equal(sanctum_utf8_valid_prefix("a\xed\xa0\x80", 4), 1);
    assert_int_equal(sanctum_utf8_valid_prefix("\xf4\x90\x80\x80", 4), 0);
    assert_int_equal(sanctum_utf8_valid_prefix("\xf0\x9f\x98\x80", 4), 4);
    assert_int_equal(sanctum_utf8_valid_prefix("\xe2\x82", 2), 0);
}

static void empty_input_has_no_records(void **state)
{
    sanctum_csv_reader r;
    sanctum_error err;
    init_str(&r, "", ALL_FLAGS);
    assert_int_equal(sanctum_csv_next(&r, &err), 0);
    sanctum_csv_free(&r);
    init_str(&r, "\x1a", ALL_FLAGS);
    assert_int_equal(sanctum_csv_next(&r, &err), 0);
    sanctum_csv_free(&r);
    init_str(&r, "\r\n\r\n", ALL_FLAGS);
    assert_int_equal(sanctum_csv_next(&r, &err), 0);
    sanctum_csv_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_crlf_records_and_ignores_the_dos_eof_byte),
        cmocka_unit_test(keeps_a_dos_eof_byte_that_is_not_last_or_not_asked_for),
        cmocka_unit_test(accepts_lf_and_a_last_record_without_line_end),
        cmocka_unit_test(unquotes_commas_and_doubled_quotes),
        cmocka_unit_test(a_quoted_field_may_span_lines),
        cmocka_unit_test(the_ofac_marker_reads_as_empty_only_when_unquoted),
        cmocka_unit_test(a_trailing_comma_gives_a_final_empty_field),
        cmocka_unit_test(an_unterminated_quote_is_an_error_naming_its_line),
        cmocka_unit_test(stray_quotes_are_errors),
        cmocka_unit_test(fields_over_the_cap_are_refused),
        cmocka_unit_test(invalid_utf8_and_nul_bytes_are_refused),
        cmocka_unit_test(utf8_check_rejects_overlongs_and_surrogates),
        cmocka_unit_test(empty_input_has_no_records),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
