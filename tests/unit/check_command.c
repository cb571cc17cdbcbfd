#include <stdlib.h>
#include <string.h>

#include "common/command.h"
#include "common/strbuf.h"
#include "common/xmalloc.h"
#include "tests/unit/unit.h"

/* The words of command joined by '|', or "SHELL" when it needs one. */
static char *
split(const char *command)
{
	struct strbuf sb = STRBUF_INIT;
	char **words, **w;

	if ((words = command_words(command)) == NULL)
		return xstrdup("SHELL");
	for (w = words; *w != NULL; w++)
		strbuf_addf(&sb, "%s%s", w == words ? "" : "|", *w);
	strv_free(words);
	return strbuf_detach(&sb, NULL);
}

static void
assert_split(const char *command, const char *want)
{
	char *got = split(command);

	ck_assert_msg(strcmp(got, want) == 0, "'%s': got '%s', want '%s'",
	    command, got, want);
	free(got);
}

START_TEST(test_command_plain)
{
	assert_split("sleep 1000", "sleep|1000");
	assert_split("  bundle   exec\tsidekiq  ", "bundle|exec|sidekiq");
	assert_split("./bin/web", "./bin/web");
	assert_split("/usr/bin/env", "/usr/bin/env");
	/* Not special to the shell after the first word, or at all. */
	assert_split("puma --port=5000 -w 2", "puma|--port=5000|-w|2");
	assert_split("node server.js 100% a,b @x +y ^z",
	    "node|server.js|100%|a,b|@x|+y|^z");
	/* A long first word is no builtin. */
	assert_split("a-very-long-program-name x", "a-very-long-program-name|x");
}
END_TEST

START_TEST(test_command_shell_syntax)
{
	static const char *const cases[] = {
		"echo $PORT", "rails s -p ${PORT:-3000}", "a | b", "a && b",
		"a; b", "a > log", "a < in", "a &", "(a)", "{ a; }",
		"a 'quoted'", "a \"quoted\"", "a \\x", "a `b`", "ls *.rb",
		"ls ?", "ls [ab]", "cd ~", "a # comment", "! a", "a\nb",
		"a\rb", "FOO=1 a", "PATH=/x", "", "   ", "\t",
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof *cases; i++)
		assert_split(cases[i], "SHELL");
}
END_TEST

START_TEST(test_command_builtins)
{
	/* The shell runs these itself: exec, cd, a keyword, a builtin. */
	static const char *const cases[] = {
		"exec sleep 1", "cd sub", "if", "while", "for x", "case",
		"echo hi", "true", "false", "printf x", "test -f x", "[ -f x ]",
		". ./env", ": nothing", "source x", "kill 1", "ulimit -n 10",
		"umask 022", "wait", "trap x", "export A", "set -e", "eval x",
		"time sleep 1", "alias", "readonly", "unset A", "type x",
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof *cases; i++)
		assert_split(cases[i], "SHELL");
	/* Only the first word counts, and only whole. */
	assert_split("sleep exec", "sleep|exec");
	assert_split("echoer x", "echoer|x");
	assert_split("truex", "truex");
}
END_TEST

static void
assert_quote(const char *word, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	command_quote(&sb, word);
	ck_assert_msg(strcmp(sb.buf, want) == 0, "'%s': got '%s', want '%s'",
	    word, sb.buf, want);
	strbuf_release(&sb);
}

START_TEST(test_command_quote)
{
	assert_quote("--queue=mail", "--queue=mail");
	assert_quote("a/b.c,d:e@f%g+h", "a/b.c,d:e@f%g+h");
	assert_quote("", "''");
	assert_quote("a b", "'a b'");
	assert_quote("$HOME", "'$HOME'");
	assert_quote("it's", "'it'\\''s'");
	assert_quote("~", "'~'");
	assert_quote("*", "'*'");
	assert_quote("a\nb", "'a\nb'");
}
END_TEST

static Suite *
command_suite(void)
{
	Suite *s = suite_create("command");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_command_plain);
	tcase_add_test(tc, test_command_shell_syntax);
	tcase_add_test(tc, test_command_builtins);
	tcase_add_test(tc, test_command_quote);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(command_suite)
