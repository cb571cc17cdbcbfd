#include <string.h>

#include "cli/escape.h"
#include "tests/unit/unit.h"

/*
 * Feed input through a filter with escape character ch, in pieces of
 * chunk bytes (the escape may be split across reads), and return what is
 * sent with each action shown as <.>, <Z> or <?>.
 */
static const char *
run(int ch, const char *input, size_t chunk)
{
	static char got[256];
	struct escape e;
	enum escape_action a;
	size_t len = strlen(input), off = 0, end, used, out, g = 0;
	char buf[64];

	escape_init(&e, ch);
	while (off < len) {
		end = off + chunk < len ? off + chunk : len;
		while (off < end) {
			used = escape_filter(&e, input + off, end - off, buf,
			    &out, &a);
			ck_assert_uint_le(out, end - off + 1);
			memcpy(got + g, buf, out);
			g += out;
			off += used;
			if (a != ESCAPE_NONE) {
				got[g++] = '<';
				got[g++] = a == ESCAPE_DETACH ? '.' :
				    a == ESCAPE_SUSPEND ? 'Z' : '?';
				got[g++] = '>';
			}
		}
	}
	if ((ch = escape_flush(&e)) != -1)
		got[g++] = (char)ch;
	got[g] = '\0';
	return got;
}

static void
assert_run(int ch, const char *input, const char *want)
{
	size_t chunk;

	for (chunk = 1; chunk <= strlen(input) + 1; chunk++)
		ck_assert_msg(strcmp(run(ch, input, chunk), want) == 0,
		    "'%s' in pieces of %zu: got '%s', want '%s'", input, chunk,
		    run(ch, input, chunk), want);
}

START_TEST(test_escape_actions)
{
	assert_run('~', "~.", "<.>");
	assert_run('~', "ls\r~.", "ls\r<.>");
	assert_run('~', "ls\n~.", "ls\n<.>");
	assert_run('~', "a\r~\x1a" "b", "a\r<Z>b");
	assert_run('~', "~?~.", "<?><.>");
	/* Only first on a line. */
	assert_run('~', "a~.", "a~.");
	assert_run('~', "cd ~/x\r", "cd ~/x\r");
}
END_TEST

START_TEST(test_escape_sent)
{
	assert_run('~', "~~", "~");
	assert_run('~', "~~.", "~.");
	assert_run('~', "~x", "~x");
	assert_run('~', "\r~\r~.", "\r~\r<.>");
	/* Held back at the end, then sent. */
	assert_run('~', "ab\r~", "ab\r~");
	/* No escapes at all. */
	assert_run(-1, "~.\r~.", "~.\r~.");
}
END_TEST

START_TEST(test_escape_other_char)
{
	assert_run('%', "%.", "<.>");
	assert_run('%', "~.", "~.");
	assert_run(0x1d, "\x1d.", "<.>");
}
END_TEST

START_TEST(test_escape_parse)
{
	ck_assert_int_eq(escape_parse("none"), -1);
	ck_assert_int_eq(escape_parse("~"), '~');
	ck_assert_int_eq(escape_parse("%"), '%');
	ck_assert_int_eq(escape_parse("^]"), 0x1d);
	ck_assert_int_eq(escape_parse("^a"), 1);
	ck_assert_int_eq(escape_parse("^?"), 0x7f);
	ck_assert_int_eq(escape_parse(""), -2);
	ck_assert_int_eq(escape_parse("ab"), -2);
	ck_assert_int_eq(escape_parse("^1"), -2);
}
END_TEST

START_TEST(test_escape_help)
{
	struct escape e;
	char buf[512];

	escape_init(&e, 0x1d);
	escape_help(&e, buf, sizeof buf);
	ck_assert_ptr_nonnull(strstr(buf, " ^].    - detach"));
	ck_assert_ptr_nonnull(strstr(buf, "\r\n"));
}
END_TEST

static Suite *
escape_suite(void)
{
	Suite *s = suite_create("escape");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_escape_actions);
	tcase_add_test(tc, test_escape_sent);
	tcase_add_test(tc, test_escape_other_char);
	tcase_add_test(tc, test_escape_parse);
	tcase_add_test(tc, test_escape_help);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(escape_suite)
