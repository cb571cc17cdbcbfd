#include <stdio.h>
#include <string.h>

#include "common/json.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "tests/unit/unit.h"

START_TEST(test_strbuf_grows)
{
	struct strbuf sb = STRBUF_INIT;
	int i;

	ck_assert_str_eq(sb.buf, "");
	for (i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%d,", i % 10);
	ck_assert_uint_eq(sb.len, 2000);
	ck_assert_int_eq(sb.buf[sb.len], '\0');
	strbuf_remove_front(&sb, 1998);
	ck_assert_str_eq(sb.buf, "9,");
	strbuf_release(&sb);
	ck_assert_uint_eq(sb.len, 0);
}
END_TEST

START_TEST(test_json_escapes)
{
	struct strbuf sb = STRBUF_INIT;

	json_str(&sb, "a\"b\\c\n\x01\xc3\xa9\xff");
	ck_assert_str_eq(sb.buf, "\"a\\\"b\\\\c\\n\\u0001\xc3\xa9\\ufffd\"");
	strbuf_release(&sb);
}
END_TEST

START_TEST(test_util_parsers)
{
	ck_assert_int_eq(signal_parse("TERM"), 15);
	ck_assert_int_eq(signal_parse("sigint"), 2);
	ck_assert_int_eq(signal_parse("9"), 9);
	ck_assert_int_eq(signal_parse("NOPE"), -1);
	ck_assert_str_eq(signal_name(9), "SIGKILL");
	ck_assert_int_eq(duration_parse_ms("10"), 10000);
	ck_assert_int_eq(duration_parse_ms("0.25"), 250);
	ck_assert_int_eq(duration_parse_ms("-1"), -1);
	ck_assert_int_eq(duration_parse_ms("1s"), -1);
	ck_assert_int_eq(number_parse("65535", 65535), 65535);
	ck_assert_int_eq(number_parse("65536", 65535), -1);
	ck_assert_int_eq(number_parse("", 10), -1);
}
END_TEST

START_TEST(test_path_clean)
{
	static const char *cases[][2] = {
		{ "/a/b/../c", "/a/c" }, { "/a/./b/", "/a/b" },
		{ "/a/b/../../..", "/" }, { "/..", "/" }, { "a/../..", ".." },
		{ "../x/../y", "../y" }, { "a//b", "a/b" }, { ".", "." },
		{ "/", "/" }, { "/cwd/../app/Procfile", "/app/Procfile" },
	};
	char buf[64];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(buf, sizeof buf, "%s", cases[i][0]);
		ck_assert_str_eq(path_clean(buf), cases[i][1]);
	}
}
END_TEST

static Suite *
strbuf_suite(void)
{
	Suite *s = suite_create("strbuf");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_strbuf_grows);
	tcase_add_test(tc, test_json_escapes);
	tcase_add_test(tc, test_util_parsers);
	tcase_add_test(tc, test_path_clean);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(strbuf_suite)
