#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/diag.h"
#include "common/procfile.h"
#include "common/strbuf.h"
#include "common/xmalloc.h"
#include "tests/unit/unit.h"

static struct procfile pf;
static struct diags d;

static void
setup(void)
{
	procfile_init(&pf);
	diags_init(&d);
}

static void
teardown(void)
{
	procfile_release(&pf);
	diags_release(&d);
}

static int
parse(const char *text)
{
	return procfile_parse(&pf, "Procfile", text, strlen(text), &d);
}

START_TEST(test_procfile_entries)
{
	const struct procfile_entry *e;

	ck_assert_int_eq(parse("web: ./web -p $PORT\n"
	    "worker:\t./worker  # keep  \n"), 0);
	ck_assert_uint_eq(pf.n, 2);
	ck_assert_uint_eq(d.nwarnings, 0);
	e = procfile_find(&pf, "worker");
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->command, "./worker  # keep  ");
	ck_assert_int_eq(e->line, 2);
	ck_assert_str_eq(pf.entries[0].command, "./web -p $PORT");
	ck_assert_ptr_null(procfile_find(&pf, "Web"));
}
END_TEST

START_TEST(test_procfile_valid_name)
{
	ck_assert_int_eq(procfile_valid_name("web"), 1);
	ck_assert_int_eq(procfile_valid_name("-a_B-9"), 1);
	ck_assert_int_eq(procfile_valid_name(""), 0);
	ck_assert_int_eq(procfile_valid_name("web.1"), 0);
	ck_assert_int_eq(procfile_valid_name("my app"), 0);
	ck_assert_int_eq(procfile_valid_name("w\xc3\xa9"), 0);
}
END_TEST

START_TEST(test_procfile_warnings)
{
	static const int lines[] = { 3, 5, 6, 7, 8 };
	size_t i;

	ck_assert_int_eq(parse("# comment\n"	/* 1 */
	    "\n"				/* 2 */
	    "<<<<<<< HEAD\n"			/* 3: warned */
	    "   # indented comment\n"	/* 4 */
	    "web : ./web\n"			/* 5: warned */
	    "web:\n"				/* 6: warned */
	    "web:  \t \n"			/* 7: warned */
	    "  web: ./web\n"			/* 8: warned */
	    "web: ./web\n"			/* 9 */
	    " \t\n"), 0);			/* 10 */
	ck_assert_uint_eq(pf.n, 1);
	ck_assert_int_eq(pf.entries[0].line, 9);
	ck_assert_uint_eq(d.nerrors, 0);
	ck_assert_uint_eq(d.nwarnings, 5);
	for (i = 0; i < 5; i++) {
		ck_assert_str_eq(d.warnings[i].file, "Procfile");
		ck_assert_int_eq(d.warnings[i].line, lines[i]);
		ck_assert_str_eq(d.warnings[i].message,
		    "ignored line: not 'name: command'");
	}
}
END_TEST

START_TEST(test_procfile_crlf_and_bom)
{
	ck_assert_int_eq(parse("\xef\xbb\xbfweb: ./web\r\n"
	    "\r\n"
	    "odd: a\rb\r\n"
	    "last: ./last\r"), 0);
	ck_assert_uint_eq(pf.n, 3);
	ck_assert_str_eq(pf.entries[0].name, "web");
	ck_assert_str_eq(pf.entries[0].command, "./web");
	/* Only the CR of a line end goes; a lone one is part of the text. */
	ck_assert_str_eq(pf.entries[1].command, "a\rb");
	ck_assert_int_eq(pf.entries[2].line, 4);
	ck_assert_str_eq(pf.entries[2].command, "./last");
	ck_assert_uint_eq(d.nwarnings, 0);
}
END_TEST

START_TEST(test_procfile_long_command)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	strbuf_addstr(&sb, "web: echo ");
	for (i = 0; i < 70000; i++)
		strbuf_addch(&sb, 'a' + (int)(i % 26));
	strbuf_addstr(&sb, "\r\nworker: ./w");
	ck_assert_int_eq(procfile_parse(&pf, "Procfile", sb.buf, sb.len, &d),
	    0);
	ck_assert_uint_eq(pf.n, 2);
	ck_assert_uint_eq(strlen(pf.entries[0].command), 70005);
	ck_assert_int_eq(memcmp(pf.entries[0].command, "echo abc", 8), 0);
	ck_assert_int_eq(pf.entries[0].command[70004], 'a' + 69999 % 26);
	ck_assert_str_eq(pf.entries[1].command, "./w");
	strbuf_release(&sb);
}
END_TEST

START_TEST(test_procfile_duplicate)
{
	ck_assert_int_eq(parse("web: ./a\nworker: ./w\n\nweb: ./b\n"
	    "worker: ./x\n"), -1);
	ck_assert_uint_eq(d.nerrors, 2);
	ck_assert_int_eq(d.errors[0].line, 4);
	ck_assert_str_eq(d.errors[0].message,
	    "duplicate process type 'web' (first defined at line 1)");
	ck_assert_int_eq(d.errors[1].line, 5);
	ck_assert_str_eq(d.errors[1].message,
	    "duplicate process type 'worker' (first defined at line 2)");
	ck_assert_uint_eq(pf.n, 2);
	ck_assert_str_eq(pf.entries[0].command, "./a");
}
END_TEST

START_TEST(test_procfile_run_type)
{
	ck_assert_int_eq(parse("web: ./a\nrun: ./r\nrunner: ./x\n"), 0);
	ck_assert_uint_eq(d.nerrors, 0);
	ck_assert_uint_eq(d.nwarnings, 1);
	ck_assert_int_eq(d.warnings[0].line, 2);
	ck_assert_str_eq(d.warnings[0].message, "process type 'run' is named "
	    "like the one-offs (run.1, run.2...): better rename it");
	ck_assert_uint_eq(pf.n, 3);
}
END_TEST

START_TEST(test_procfile_no_entries)
{
	ck_assert_int_eq(parse(""), -1);
	ck_assert_uint_eq(d.nerrors, 1);
	ck_assert_int_eq(d.errors[0].line, 0);
	ck_assert_str_eq(d.errors[0].file, "Procfile");
	ck_assert_str_eq(d.errors[0].message, "no process types defined");
	diags_release(&d);
	ck_assert_int_eq(parse("junk\n# web: ./web\n"), -1);
	ck_assert_uint_eq(d.nwarnings, 1);
	ck_assert_uint_eq(d.nerrors, 1);
	ck_assert_int_eq(d.errors[0].line, 0);
}
END_TEST

START_TEST(test_procfile_nul_byte)
{
	static const char text[] = "web: ./a\0b\nworker: ./w\n";

	ck_assert_int_eq(procfile_parse(&pf, "Procfile", text,
	    sizeof text - 1, &d), 0);
	ck_assert_uint_eq(pf.n, 1);
	ck_assert_str_eq(pf.entries[0].name, "worker");
	ck_assert_uint_eq(d.nwarnings, 1);
	ck_assert_int_eq(d.warnings[0].line, 1);
}
END_TEST

START_TEST(test_procfile_load)
{
	char path[] = "/tmp/check_procfile.XXXXXX";
	static const char text[] = "web: ./web\n";
	int fd;

	ck_assert_int_eq(procfile_load(&pf, "/nonexistent/Procfile", &d), -1);
	ck_assert_uint_eq(d.nerrors, 1);
	ck_assert_int_eq(d.errors[0].line, 0);
	ck_assert_str_eq(d.errors[0].file, "/nonexistent/Procfile");
	ck_assert_str_eq(d.errors[0].message,
	    "cannot read: No such file or directory");
	ck_assert_uint_eq(pf.n, 0);
	diags_release(&d);

	fd = mkstemp(path);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, text, sizeof text - 1), sizeof text - 1);
	close(fd);
	ck_assert_int_eq(procfile_load(&pf, path, &d), 0);
	unlink(path);
	ck_assert_uint_eq(pf.n, 1);
	ck_assert_str_eq(pf.entries[0].command, "./web");
}
END_TEST

static Suite *
procfile_suite(void)
{
	Suite *s = suite_create("procfile");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_procfile_entries);
	tcase_add_test(tc, test_procfile_valid_name);
	tcase_add_test(tc, test_procfile_warnings);
	tcase_add_test(tc, test_procfile_crlf_and_bom);
	tcase_add_test(tc, test_procfile_long_command);
	tcase_add_test(tc, test_procfile_duplicate);
	tcase_add_test(tc, test_procfile_run_type);
	tcase_add_test(tc, test_procfile_no_entries);
	tcase_add_test(tc, test_procfile_nul_byte);
	tcase_add_test(tc, test_procfile_load);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(procfile_suite)
