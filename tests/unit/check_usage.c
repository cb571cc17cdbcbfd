#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/util.h"
#include "daemon/usage.h"
#include "tests/unit/unit.h"

/* A comm may hold spaces and parentheses: the fields start after the
 * last ')'. */
START_TEST(test_usage_parse_stat)
{
	static const char line[] = "4242 (a) b (c) S 1 4242 4240 0 -1 4194560 "
	    "120 0 0 0 700 55 0 0 20 0 1 0 987654 12345678 321 "
	    "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
	struct usage_stat st;

	ck_assert_int_eq(usage_parse_stat(line, &st), 0);
	ck_assert_int_eq(st.session, 4240);
	ck_assert_uint_eq(st.ticks, 755);
	ck_assert_uint_eq(st.start, 987654);
	ck_assert_int_eq(st.rss, 321);
	ck_assert_int_eq(usage_parse_stat("4242 (a) S 1 2", &st), -1);
	ck_assert_int_eq(usage_parse_stat("no parenthesis", &st), -1);
	ck_assert_int_eq(usage_parse_stat("", &st), -1);
}
END_TEST

/* Our own stat: our session, some memory. */
START_TEST(test_usage_parse_self)
{
	struct strbuf sb = STRBUF_INIT;
	struct usage_stat st;

	ck_assert_int_eq(read_file("/proc/self/stat", &sb), 0);
	ck_assert_int_eq(usage_parse_stat(sb.buf, &st), 0);
	ck_assert_int_eq(st.session, getsid(0));
	ck_assert_int_gt(st.rss, 0);
	strbuf_release(&sb);
}
END_TEST

static Suite *
usage_suite(void)
{
	Suite *s = suite_create("usage");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_usage_parse_stat);
	tcase_add_test(tc, test_usage_parse_self);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(usage_suite)
