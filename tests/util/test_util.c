/*
 * test_util.c - the arena, the capped string buffer, the string map and
 * error formatting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "util/arena.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/strmap.h"

static void arena_copies_strings_and_survives_large_blocks(void **state)
{
    sanctum_arena a;
    sanctum_arena_init(&a);
    char *s = sanctum_arena_strdup(&a, "KIM, Sang Man");
    assert_string_equal(s, "KIM, Sang Man");
    char *big = sanctum_arena_alloc(&a, 1 << 20);
    assert_non_null(big);
    memset(big, 'x', 1 << 20);
    char *t = sanctum_arena_strndup(&a, "abcdef", 3);
    assert_string_equal(t, "abc");
    assert_string_equal(s, "KIM, Sang Man");
    sanctum_arena_free(&a);
}

static void strbuf_refuses_to_grow_past_its_cap(void **state)
{
    sanctum_strbuf b;
    sanctum_strbuf_init(&b, 8);
    assert_int_equal(sanctum_strbuf_puts(&b, "12345"), 0);
    assert_int_equal(sanctum_strbuf_puts(&b, "6789"), SANCTUM_ELIMIT);
    assert_string_equal(sanctum_strbuf_cstr(&b), "12345");
    assert_int_equal(sanctum_strbuf_printf(&b, "%d", 678), 0);
    assert_string_equal(sanctum_strbuf_cstr(&b), "12345678");
    sanctum_strbuf_free(&b);
}

static void strmap_finds_what_was_put_and_nothing_else(void **state)
{
    sanctum_strmap m;
    sanctum_strmap_init(&m);
    char keys[5000][16];
    for (int i = 0; i < 5000; i++) {
        snprintf(keys[i], sizeof keys[i], "k%d", i);
        assert_int_equal(sanctum_strmap_put(&m, keys[i], strlen(keys[i]), (size_t)i), 0);
    }
    for (int i = 0; i < 5000; i++) {
        size_t v = 0;
        assert_true(sanctum_strmap_get(&m, keys[i], strlen(keys[i]), &v));
        assert_int_equal(v, (size_t)i);
    }
    assert_false(sanctum_strmap_get(&m, "k5000", 5, NULL));
    assert_int_equal(m.count, 5000);
    sanctum_strmap_free(&m);
}

static void error_names_file_and_line(void **state)
{
    sanctum_error err;
    sanctum_error_set(&err, SANCTUM_EPARSE, "data/sdn.csv", 12, "unterminated quote in field %d", 2);
    char buf[600];
    sanctum_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "data/sdn.csv:12: unterminated quote in field 2");
    assert_string_equal(sanctum_strerror(SANCTUM_EPARSE), "malformed input");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arena_copies_strings_and_survives_large_blocks),
        cmocka_unit_test(strbuf_refuses_to_grow_past_its_cap),
        cmocka_unit_test(strmap_finds_what_was_put_and_nothing_else),
        cmocka_unit_test(error_names_file_and_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
