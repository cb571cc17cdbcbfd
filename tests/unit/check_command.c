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

/* The command the shell is given for command. */
static void
assert_shell(const char *command, const char *want)
{
	char **argv = command_shell(command);

	ck_assert_str_eq(argv[0], "/bin/sh");
	ck_assert_str_eq(argv[1], "-c");
	ck_assert_msg(strcmp(argv[2], want) == 0, "'%s': got '%s', want '%s'",
	    command, argv[2], want);
	ck_assert_ptr_null(argv[3]);
	strv_free(argv);
}

START_TEST(test_command_exec)
{
	/* One simple command: the shell execs it, so the process is the
	 * app's. */
	assert_shell("gunicorn app --bind :$PORT",
	    "exec gunicorn app --bind :$PORT");
	assert_shell("rails s -p ${PORT:-3000}", "exec rails s -p ${PORT:-3000}");
	assert_shell("A=1 B=$X sleep 3", "A=1 B=$X exec sleep 3");
	assert_shell("node app.js >log 2>&1", "exec node app.js >log 2>&1");
	assert_shell(">log node app.js", ">log exec node app.js");
	assert_shell("puma 2> err.log", "exec puma 2> err.log");
	assert_shell("bin/x 'a; b' \"c | d\" e\\&f", "exec bin/x 'a; b' "
	    "\"c | d\" e\\&f");
	assert_shell("ls *.rb ~/x [ab]", "exec ls *.rb ~/x [ab]");
	assert_shell("  rake jobs:work # the queue; all of it",
	    "  exec rake jobs:work # the queue; all of it");
	assert_shell("\"$APP\" serve", "exec \"$APP\" serve");
	/* Anything else is the shell's as it is. */
	static const char *const cases[] = {
		"a; b", "a && b", "a || b", "a | b", "a &", "a &>log", "(a)",
		"{ a; }", "! a", "if true; then a; fi", "a `b`", "a \"$(b)\"",
		"a $(b)", "a $((1 + 2))", "a ${X:-$(b)}", "a <<EOF",
		"a 'unterminated", "a \"unterminated", "a\nb", "a >",
		"echo $X", "exec a", "cd x", "time a", "export A=1", "A=1",
		"A=1 >log", ">log", "", "   ", "trap 'x' TERM; a",
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof *cases; i++)
		assert_shell(cases[i], cases[i]);
}
END_TEST

START_TEST(test_command_in_shell)
{
	/* The process is the shell's: lists, pipelines, substitutions,
	 * compound commands, builtins. */
	static const char *const shell[] = {
		"sleep 1000; true", "a && b", "a | b", "a $(b)", "(a)",
		"{ a; }", "if true; then a; fi", "echo $X", "true", "",
		"exec a; b", "exec", "exec >log", "trap '' TERM; a",
		/* A list that does not end in exec PROGRAM, or whose exec
		 * may not be the last word. */
		"echo hi; sleep 100", "a; exec b &", "a || exec b",
		"while :; do exec b; done", "if a; then exec b; fi",
		"(a; exec b)", "a; { exec b; }", "echo 'x; exec b' 'y'",
		"echo \"a; exec b\" \"c\"", "cat <<E; exec b", "a; exec b | c",
		"a &>x; exec b", "case x in a) exec b;; esac",
		"case x in (a) exec b;; esac", "a; exec", "a; exec >log",
		"a $(b; exec c)", "a `b; exec c`", "a; exec b'",
	};
	/* The program's: simple commands, exec'd by the shell or by
	 * the daemon itself. */
	static const char *const program[] = {
		"sleep 1000", "exec sleep 1000", "  exec\tpuma -p $PORT",
		"gunicorn app --bind :$PORT", "A=1 node app.js >log 2>&1",
		/* exec runs the program of a builtin's name, not it. */
		"exec true", "exec echo hi", "exec kill -TERM 1",
		/* A list that ends in exec PROGRAM: the process becomes
		 * the program. */
		"true; exec sleep 100", "trap '' TERM; exec sleep 601",
		"setsid sleep 602 & exec sleep 603", "cd web && exec puma",
		"a\nexec b", "a; exec b;", "a || b; exec c", "a 2>&1; exec b",
		"x=$(a; b); exec c", "echo ${X:-a;b}; exec c",
		"a # x; y\nexec b", "a; exec b \\;", "a; exec b # c; d",
		"echo 'a; b' \"c; d\"; exec e",
	};
	size_t i;

	for (i = 0; i < sizeof shell / sizeof *shell; i++)
		ck_assert_msg(command_in_shell(shell[i]) == 1,
		    "'%s' is not the shell's", shell[i]);
	for (i = 0; i < sizeof program / sizeof *program; i++)
		ck_assert_msg(command_in_shell(program[i]) == 0,
		    "'%s' is the shell's", program[i]);
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
	tcase_add_test(tc, test_command_exec);
	tcase_add_test(tc, test_command_in_shell);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(command_suite)
