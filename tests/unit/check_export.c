#include <stdlib.h>
#include <string.h>

#include "cli/export.h"
#include "common/strbuf.h"
#include "tests/unit/unit.h"

static char *
word(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	export_exec_word(&sb, s);
	return strbuf_detach(&sb, NULL);
}

static void
assert_word(const char *s, const char *want)
{
	char *got = word(s);

	ck_assert_str_eq(got, want);
	free(got);
}

/* want NULL: the value is refused. */
static void
assert_value(const char *s, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	if (want == NULL)
		ck_assert_int_eq(export_value(&sb, s), -1);
	else {
		ck_assert_int_eq(export_value(&sb, s), 0);
		ck_assert_str_eq(sb.buf, want);
	}
	strbuf_release(&sb);
}

static void
assert_app(const char *root, const char *want)
{
	char *got = export_app_name(root);

	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(test_export_exec_words)
{
	assert_word("/usr/bin/formationd", "/usr/bin/formationd");
	assert_word("web=2,all=1", "web=2,all=1");
	assert_word("", "\"\"");
	assert_word("/srv/my app", "\"/srv/my app\"");
	assert_word("100%", "100%%");
	assert_word("$HOME", "$$HOME");
	assert_word("a b%c$d", "\"a b%%c$$d\"");
	assert_word("say \"hi\"", "\"say \\\"hi\\\"\"");
	assert_word("it's", "\"it's\"");
	assert_word("back\\slash", "\"back\\\\slash\"");
	assert_word(";", "\";\"");
	assert_word("a\nb\tc\rd\x01" "e\x7f", "\"a\\nb\\tc\\rd\\x01e\\x7f\"");
	assert_word("caf\xc3\xa9", "caf\xc3\xa9");
	assert_word("bad\xff\xc3", "\"bad\\xff\\xc3\"");
	assert_word("\xed\xa0\x80", "\"\\xed\\xa0\\x80\"");
}
END_TEST

START_TEST(test_export_values)
{
	assert_value("/srv/my app", "/srv/my app");
	assert_value("/srv/100%/x", "/srv/100%%/x");
	assert_value("/srv/$HOME/\"q\"/it's/a\\b",
	    "/srv/$HOME/\"q\"/it's/a\\b");
	assert_value("caf\xc3\xa9", "caf\xc3\xa9");
	assert_value("", NULL);
	assert_value(" lead", NULL);
	assert_value("trail ", NULL);
	assert_value("ends\\", NULL);
	assert_value("new\nline", NULL);
	assert_value("tab\there", NULL);
	assert_value("bad\xff", NULL);
}
END_TEST

START_TEST(test_export_app_names)
{
	assert_app("/srv/myapp", "myapp");
	assert_app("/tmp/my app%1", "my-app-1");
	assert_app("/srv/caf\xc3\xa9", "caf");
	assert_app("/srv/.hidden", "hidden");
	assert_app("/srv/web_v2.1", "web_v2.1");
	assert_app("/", "app");
	assert_app("/srv/%%%", "app");
}
END_TEST

START_TEST(test_export_unit)
{
	static char *argv[] = { "/opt/f d/formationd", "-C", "/srv/a b%1",
		"-m", "web=2" };
	struct export_unit u = { "a-b-1", "formation: a b%1", "deploy",
		"/srv/a b%1", argv, 5, 15000 };
	struct strbuf sb = STRBUF_INIT;
	char *err = NULL;

	ck_assert_int_eq(export_unit(&sb, &u, &err), 0);
	ck_assert_str_eq(sb.buf,
	    "# Made by 'formation export systemd'; see formationd(8).\n"
	    "[Unit]\n"
	    "Description=formation: a b%%1\n"
	    "After=network.target\n"
	    "\n"
	    "[Service]\n"
	    "Type=notify\n"
	    "User=deploy\n"
	    "WorkingDirectory=/srv/a b%%1\n"
	    "ExecStart=\"/opt/f d/formationd\" -C \"/srv/a b%%1\" -m web=2 "
	    "--socket %t/formation-a-b-1/formation.sock\n"
	    "ExecReload=/bin/kill -HUP $MAINPID\n"
	    "KillMode=mixed\n"
	    "TimeoutStopSec=15\n"
	    "RuntimeDirectory=formation-a-b-1\n"
	    "RuntimeDirectoryMode=0700\n"
	    "Restart=on-failure\n"
	    "\n"
	    "[Install]\n"
	    "WantedBy=multi-user.target\n");
	strbuf_reset(&sb);
	u.user = NULL;
	u.timeout_ms = 7500;
	ck_assert_int_eq(export_unit(&sb, &u, &err), 0);
	ck_assert_ptr_null(strstr(sb.buf, "User="));
	ck_assert_ptr_nonnull(strstr(sb.buf, "\nTimeoutStopSec=7500ms\n"));
	strbuf_release(&sb);
}
END_TEST

START_TEST(test_export_unit_refused)
{
	static char *argv[] = { "/usr/bin/formationd" };
	struct export_unit u = { "x", "formation: x", NULL, "/srv/x\n",
		argv, 1, 15000 };
	struct strbuf sb = STRBUF_INIT;
	char *err = NULL;

	ck_assert_int_eq(export_unit(&sb, &u, &err), -1);
	ck_assert_str_eq(err, "WorkingDirectory '/srv/x\n' cannot be "
	    "written in a unit file");
	free(err);
	strbuf_release(&sb);
}
END_TEST

static Suite *
export_suite(void)
{
	Suite *s = suite_create("export");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_export_exec_words);
	tcase_add_test(tc, test_export_values);
	tcase_add_test(tc, test_export_app_names);
	tcase_add_test(tc, test_export_unit);
	tcase_add_test(tc, test_export_unit_refused);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(export_suite)
