#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/diag.h"
#include "common/env.h"
#include "common/envfile.h"
#include "common/strbuf.h"
#include "common/xmalloc.h"
#include "tests/unit/unit.h"

static struct env env;
static struct env inherited;
static struct diags d;

static void
setup(void)
{
	env_init(&env);
	env_init(&inherited);
	diags_init(&d);
}

static void
teardown(void)
{
	env_release(&env);
	env_release(&inherited);
	diags_release(&d);
}

static int
parse(const char *text)
{
	return envfile_parse(&env, ".env", text, strlen(text), &inherited,
	    &d);
}

static const char *
get(const char *key)
{
	const char *value;

	value = env_get(&env, key);
	ck_assert_msg(value != NULL, "%s is not set", key);
	return value;
}

static const char *
origin(const char *key)
{
	struct env_var *v;

	v = env_find(&env, key);
	ck_assert_msg(v != NULL, "%s is not set", key);
	return v->origin;
}

START_TEST(test_envfile_warnings)
{
	static const int lines[] = { 2, 5, 6, 7, 8 };
	size_t i;

	ck_assert_int_eq(parse("# comment\n"	/* 1 */
	    "JUNK LINE\n"			/* 2: warned */
	    "A=\"x\n"				/* 3 */
	    "y\"\n"				/* 4 */
	    "export B\n"			/* 5: warned */
	    "C:1\n"				/* 6: warned */
	    "'Q'=1\n"				/* 7: warned */
	    "=v\n"				/* 8: warned */
	    "ok=1\n"), 0);			/* 9 */
	ck_assert_uint_eq(d.nerrors, 0);
	ck_assert_uint_eq(d.nwarnings, 5);
	for (i = 0; i < 5; i++) {
		ck_assert_str_eq(d.warnings[i].file, ".env");
		ck_assert_int_eq(d.warnings[i].line, lines[i]);
		ck_assert_str_eq(d.warnings[i].message,
		    "ignored line: not 'KEY=VALUE'");
	}
	ck_assert_uint_eq(env.n, 2);
	ck_assert_str_eq(origin("ok"), ".env:9");
}
END_TEST

START_TEST(test_envfile_line_ends)
{
	/* Lines: 1 CR, 2 CRLF, 3 LF, 4 empty (CR), 5 no line end. */
	ck_assert_int_eq(parse("A=1\rjunk\r\nB=2 # c\n\rjunk2"), 0);
	ck_assert_uint_eq(env.n, 2);
	ck_assert_str_eq(get("A"), "1");
	ck_assert_str_eq(get("B"), "2");
	ck_assert_str_eq(origin("B"), ".env:3");
	ck_assert_uint_eq(d.nwarnings, 2);
	ck_assert_int_eq(d.warnings[0].line, 2);
	ck_assert_int_eq(d.warnings[1].line, 5);
}
END_TEST

START_TEST(test_envfile_quoted_line_ends)
{
	ck_assert_int_eq(parse("D=\"a\r\nb\rc\nd\"\r\n"
	    "S='a\r\nb\rc'\r"
	    "E=\"x\\\r\ny\"\n"
	    "N=ok\n"), 0);
	ck_assert_str_eq(get("D"), "a\nb\nc\nd");
	ck_assert_str_eq(get("S"), "a\nb\nc");
	/* An unknown escape is kept, and the CRLF after it becomes LF. */
	ck_assert_str_eq(get("E"), "x\\\ny");
	ck_assert_str_eq(origin("S"), ".env:5");
	ck_assert_str_eq(origin("E"), ".env:8");
	ck_assert_str_eq(origin("N"), ".env:10");
}
END_TEST

START_TEST(test_envfile_escapes)
{
	ck_assert_int_eq(parse("D=\"n\\n r\\r t\\t q\\\" b\\\\ d\\$X u\\q\"\n"
	    "U=a\\nb \\$X\n"
	    "S='a\\nb $X \\\\'\n"), 0);
	ck_assert_str_eq(get("D"), "n\n r\r t\t q\" b\\ d$X u\\q");
	ck_assert_str_eq(get("U"), "a\\nb $X");
	ck_assert_str_eq(get("S"), "a\\nb $X \\\\");
}
END_TEST

START_TEST(test_envfile_comments)
{
	ck_assert_int_eq(parse("C=#fff\n"
	    "A= # x\n"
	    "B=b#c\n"
	    "Y:\t#x\n"
	    "Q=\"q\"#c\n"
	    "S='s' \t# c\n"
	    "T=a b\t# c # d\n"), 0);
	ck_assert_str_eq(get("C"), "#fff");
	ck_assert_str_eq(get("A"), "");
	ck_assert_str_eq(get("B"), "b#c");
	ck_assert_str_eq(get("Y"), "");
	ck_assert_str_eq(get("Q"), "q");
	ck_assert_str_eq(get("S"), "s");
	ck_assert_str_eq(get("T"), "a b");
}
END_TEST

START_TEST(test_envfile_bom)
{
	ck_assert_int_eq(parse("\xef\xbb\xbf" "A=1\n"), 0);
	ck_assert_uint_eq(env.n, 1);
	ck_assert_str_eq(get("A"), "1");
	ck_assert_uint_eq(d.nwarnings, 0);
}
END_TEST

START_TEST(test_envfile_long_value)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	strbuf_addstr(&sb, "U=");
	for (i = 0; i < 70000; i++)
		strbuf_addch(&sb, 'a' + (int)(i % 26));
	strbuf_addstr(&sb, "  # c\nQ=\"");
	for (i = 0; i < 70000; i++)
		strbuf_addch(&sb, i % 1000 == 999 ? '\n' : 'b');
	strbuf_addstr(&sb, "\"\nN=1");
	ck_assert_int_eq(envfile_parse(&env, ".env", sb.buf, sb.len, NULL,
	    &d), 0);
	ck_assert_uint_eq(strlen(get("U")), 70000);
	ck_assert_int_eq(get("U")[69999], 'a' + 69999 % 26);
	ck_assert_uint_eq(strlen(get("Q")), 70000);
	ck_assert_str_eq(origin("N"), ".env:73");
	strbuf_release(&sb);
}
END_TEST

START_TEST(test_envfile_inherited)
{
	env_set(&inherited, "HOME", "/home/u", "inherited");
	env_set(&inherited, "X", "inh", "inherited");
	ck_assert_int_eq(parse("B=$X\n"
	    "X=file\n"
	    "A=$HOME/$X/${NOPE}/\"${HOME}\"\n"
	    "Q=\"$HOME-${X}\"\n"
	    "S='$HOME'\n"), 0);
	ck_assert_str_eq(get("B"), "inh");
	ck_assert_str_eq(get("A"), "/home/u/file//\"/home/u\"");
	ck_assert_str_eq(get("Q"), "/home/u-file");
	ck_assert_str_eq(get("S"), "$HOME");
	/* Inherited names are looked up, never copied in. */
	ck_assert_ptr_null(env_get(&env, "HOME"));
	ck_assert_uint_eq(env.n, 5);
}
END_TEST

START_TEST(test_envfile_default)
{
	env_set(&inherited, "IE", "", "inherited");
	env_set(&inherited, "IS", "inh", "inherited");
	ck_assert_int_eq(parse("E=\n"
	    "A=${E:-d1}\n"
	    "B=${IE:-d2}\n"
	    "C=${IS:-d3}\n"
	    "D=${UNSET:-two words} x\n"
	    "F=\"${UNSET:-a\\tb}\"\n"
	    "G=${UNSET:-$IS}\n"
	    "H=${UNSET:-}.\n"
	    "I=${E}.\n"), 0);
	ck_assert_str_eq(get("A"), "d1");
	ck_assert_str_eq(get("B"), "d2");
	ck_assert_str_eq(get("C"), "inh");
	ck_assert_str_eq(get("D"), "two words x");
	ck_assert_str_eq(get("F"), "a\tb");
	/* A default is decoded but not expanded. */
	ck_assert_str_eq(get("G"), "$IS");
	ck_assert_str_eq(get("H"), ".");
	ck_assert_str_eq(get("I"), ".");
}
END_TEST

/* A variable set nowhere expands to empty, with a warning for each. */
START_TEST(test_envfile_unset_warning)
{
	env_set(&inherited, "IE", "", "inherited");
	ck_assert_int_eq(parse("SECRET_KEY=django-insecure-k2$x#8a=q$v(w)\n"
	    "A=${NOPE}$IE${NOPE:-d}\n"
	    "B='$kept'\n"
	    "C=\"a\n"
	    "$late\"\n"
	    "E=\n"
	    "F=$E\n"), 0);
	ck_assert_str_eq(get("SECRET_KEY"), "django-insecure-k2#8a=q(w)");
	ck_assert_str_eq(get("B"), "$kept");
	ck_assert_uint_eq(d.nerrors, 0);
	ck_assert_uint_eq(d.nwarnings, 4);
	ck_assert_int_eq(d.warnings[0].line, 1);
	ck_assert_str_eq(d.warnings[0].file, ".env");
	ck_assert_str_eq(d.warnings[0].message, "'$x' is not set: expanded to "
	    "empty (single-quote the value to keep it literally)");
	ck_assert_str_eq(d.warnings[1].message, "'$v' is not set: expanded to "
	    "empty (single-quote the value to keep it literally)");
	ck_assert_int_eq(d.warnings[2].line, 2);
	ck_assert_str_eq(d.warnings[2].message, "'${NOPE}' is not set: "
	    "expanded to empty (single-quote the value to keep it literally)");
	ck_assert_str_eq(d.warnings[3].message, "'$late' is not set: "
	    "expanded to empty (single-quote the value to keep it literally)");
}
END_TEST

START_TEST(test_envfile_single_pass)
{
	ck_assert_int_eq(parse("A='$B'\n"
	    "B=2\n"
	    "C=$A\n"
	    "D=\"${A}\"\n"
	    "E=$1 ${1} ${ $( ${A\n"), 0);
	ck_assert_str_eq(get("C"), "$B");
	ck_assert_str_eq(get("D"), "$B");
	ck_assert_str_eq(get("E"), "$1 ${1} ${ $( ${A");
}
END_TEST

START_TEST(test_envfile_errors)
{
	env_set(&env, "KEEP", "me", "earlier.env:1");
	ck_assert_int_eq(parse("A=\"ok\"\n"	/* 1 */
	    "B=\"x\" y\n"			/* 2: error */
	    "C='never closed\n"		/* 3: error */
	    "D=1\n"				/* 4 */
	    "E=\"z\n"				/* 5: error, closes on 6 */
	    "\"z\n"				/* 6 */
	    "junk\n"				/* 7: warned */
	    "F=\"open\n"),			/* 8: error */
	    -1);
	ck_assert_uint_eq(d.nerrors, 4);
	ck_assert_int_eq(d.errors[0].line, 2);
	ck_assert_str_eq(d.errors[0].message,
	    "unexpected text after the closing quote of 'B'");
	ck_assert_int_eq(d.errors[1].line, 3);
	ck_assert_str_eq(d.errors[1].message,
	    "unterminated quote in the value of 'C'");
	ck_assert_int_eq(d.errors[2].line, 5);
	ck_assert_int_eq(d.errors[3].line, 8);
	ck_assert_str_eq(d.errors[3].file, ".env");
	ck_assert_uint_eq(d.nwarnings, 1);
	ck_assert_int_eq(d.warnings[0].line, 7);
	/* Nothing is half-applied. */
	ck_assert_uint_eq(env.n, 1);
	ck_assert_str_eq(get("KEEP"), "me");
}
END_TEST

/*
 * Each line doubles A: 16 bytes times 2^12 is the last that fits, and
 * without a limit the 40 lines asked for 16 TiB.
 */
START_TEST(test_envfile_expansion_bomb)
{
	struct strbuf sb = STRBUF_INIT;
	int i;

	env_set(&env, "KEEP", "me", "earlier.env:1");
	strbuf_addstr(&sb, "A=xxxxxxxxxxxxxxxx\n");
	for (i = 0; i < 40; i++)
		strbuf_addstr(&sb, "A=$A$A\n");
	ck_assert_int_eq(envfile_parse(&env, ".env", sb.buf, sb.len,
	    &inherited, &d), -1);
	ck_assert_uint_eq(d.nerrors, 28);
	ck_assert_int_eq(d.errors[0].line, 14);
	ck_assert_str_eq(d.errors[0].message, "value of 'A' too long: "
	    "a variable takes at most 131072 bytes");
	ck_assert_int_eq(d.errors[27].line, 41);
	ck_assert_uint_eq(env.n, 1);
	ck_assert_str_eq(get("KEEP"), "me");
	strbuf_release(&sb);
}
END_TEST

/* "KEY=VALUE" and its NUL: 128 KiB each, 1 MiB for all the files set. */
START_TEST(test_envfile_size_limits)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	strbuf_addstr(&sb, "K=");
	for (i = 0; i < 131069; i++)
		strbuf_addch(&sb, 'v');
	strbuf_addstr(&sb, "\nL=${K}v\n");
	ck_assert_int_eq(envfile_parse(&env, ".env", sb.buf, sb.len, NULL,
	    &d), -1);
	ck_assert_uint_eq(d.nerrors, 1);
	ck_assert_int_eq(d.errors[0].line, 2);
	diags_release(&d);

	strbuf_reset(&sb);
	strbuf_addstr(&sb, "K1=");
	for (i = 0; i < 131068; i++)
		strbuf_addch(&sb, 'v');
	strbuf_addstr(&sb, "\nK2=$K1\nK3=$K1\nK4=$K1\nK5=$K1\nK6=$K1\n"
	    "K7=$K1\nK8=$K1\nK8=$K2\n");
	ck_assert_int_eq(envfile_parse(&env, ".env", sb.buf, sb.len, NULL,
	    &d), 0);
	ck_assert_uint_eq(env.n, 8);
	ck_assert_int_eq(envfile_parse(&env, "b.env", "K9=x\n", 5, NULL, &d),
	    -1);
	ck_assert_uint_eq(d.nerrors, 1);
	ck_assert_str_eq(d.errors[0].message, "too much to set at 'K9': "
	    "the env files set at most 1048576 bytes");
	ck_assert_uint_eq(env.n, 8);
	strbuf_release(&sb);
}
END_TEST

START_TEST(test_envfile_origins)
{
	static const char text[] = "A=1\n"	/* 1 */
	    "B=\"one\n"				/* 2 */
	    "two\r\n"				/* 3 */
	    "three\"  # c\n"			/* 4 */
	    "C='x\n"				/* 5 */
	    "y'\n"				/* 6 */
	    "  export   D=4\n"			/* 7 */
	    "A=5\n";				/* 8 */

	ck_assert_int_eq(envfile_parse(&env, "app.env", text, strlen(text),
	    NULL, &d), 0);
	ck_assert_uint_eq(env.n, 4);
	ck_assert_str_eq(env.vars[0].key, "A");
	ck_assert_str_eq(env.vars[0].value, "5");
	ck_assert_str_eq(env.vars[0].origin, "app.env:8");
	ck_assert_str_eq(env.vars[1].value, "one\ntwo\nthree");
	ck_assert_str_eq(env.vars[1].origin, "app.env:2");
	ck_assert_str_eq(env.vars[2].origin, "app.env:5");
	ck_assert_str_eq(env.vars[3].key, "D");
	ck_assert_str_eq(env.vars[3].origin, "app.env:7");
}
END_TEST

START_TEST(test_envfile_two_files)
{
	static const char one[] = "A=1\nB=x\n", two[] = "B=$A$B\nC=3\n";

	ck_assert_int_eq(envfile_parse(&env, "one.env", one, strlen(one),
	    NULL, &d), 0);
	ck_assert_int_eq(envfile_parse(&env, "two.env", two, strlen(two),
	    NULL, &d), 0);
	ck_assert_uint_eq(env.n, 3);
	ck_assert_str_eq(get("B"), "1x");
	ck_assert_str_eq(origin("A"), "one.env:1");
	ck_assert_str_eq(origin("B"), "two.env:1");
	ck_assert_str_eq(env.vars[1].key, "B");
}
END_TEST

START_TEST(test_envfile_export)
{
	ck_assert_int_eq(parse("export\tA=1\n"
	    "export  B: 2\n"
	    "export = 3\n"
	    "exportC=4\n"), 0);
	ck_assert_str_eq(get("A"), "1");
	ck_assert_str_eq(get("B"), "2");
	ck_assert_str_eq(get("export"), "3");
	ck_assert_str_eq(get("exportC"), "4");
	ck_assert_uint_eq(d.nwarnings, 0);
}
END_TEST

START_TEST(test_envfile_load)
{
	char path[] = "/tmp/check_envfile.XXXXXX";
	static const char text[] = "A=1\n";
	int fd;

	env_set(&env, "KEEP", "me", "x");
	ck_assert_int_eq(envfile_load(&env, "/nonexistent/.env", NULL, &d),
	    -1);
	ck_assert_uint_eq(d.nerrors, 1);
	ck_assert_int_eq(d.errors[0].line, 0);
	ck_assert_str_eq(d.errors[0].file, "/nonexistent/.env");
	ck_assert_str_eq(d.errors[0].message,
	    "cannot read: No such file or directory");
	ck_assert_uint_eq(env.n, 1);
	diags_release(&d);

	fd = mkstemp(path);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, text, sizeof text - 1), sizeof text - 1);
	close(fd);
	ck_assert_int_eq(envfile_load(&env, path, NULL, &d), 0);
	ck_assert_str_eq(get("A"), "1");
	ck_assert_int_eq(strncmp(origin("A"), path, strlen(path)), 0);
	ck_assert_str_eq(origin("A") + strlen(path), ":1");
	unlink(path);
}
END_TEST

static Suite *
envfile_suite(void)
{
	Suite *s = suite_create("envfile");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_envfile_warnings);
	tcase_add_test(tc, test_envfile_line_ends);
	tcase_add_test(tc, test_envfile_quoted_line_ends);
	tcase_add_test(tc, test_envfile_escapes);
	tcase_add_test(tc, test_envfile_comments);
	tcase_add_test(tc, test_envfile_bom);
	tcase_add_test(tc, test_envfile_long_value);
	tcase_add_test(tc, test_envfile_inherited);
	tcase_add_test(tc, test_envfile_default);
	tcase_add_test(tc, test_envfile_single_pass);
	tcase_add_test(tc, test_envfile_errors);
	tcase_add_test(tc, test_envfile_expansion_bomb);
	tcase_add_test(tc, test_envfile_size_limits);
	tcase_add_test(tc, test_envfile_origins);
	tcase_add_test(tc, test_envfile_two_files);
	tcase_add_test(tc, test_envfile_export);
	tcase_add_test(tc, test_envfile_load);
	tcase_add_test(tc, test_envfile_unset_warning);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(envfile_suite)
