#include <sys/wait.h>

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "common/waitstatus.h"
#include "tests/unit/unit.h"

/* The wait status of a real child that exits with code, or is killed by
 * sig when sig is not 0. */
static int
child_status(int code, int sig)
{
	int status;
	pid_t pid;

	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		if (sig != 0) {
			signal(sig, SIG_DFL);
			kill(getpid(), sig);
		}
		_exit(code);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return status;
}

static void
assert_words(int status, int shell, const char *log, const char *brief)
{
	char buf[128];

	waitstatus_describe(status, shell, buf, sizeof buf);
	ck_assert_str_eq(buf, log);
	waitstatus_brief(status, shell, buf, sizeof buf);
	ck_assert_str_eq(buf, brief);
}

/* A program's status is its own, said as before. */
START_TEST(test_waitstatus_program)
{
	assert_words(child_status(0, SIGKILL), 0, "killed by SIGKILL",
	    "SIGKILL");
	assert_words(child_status(3, 0), 0, "exited with status 3",
	    "status 3");
	assert_words(child_status(0, 0), 0, "exited with status 0",
	    "status 0");
	/* Its own 137 is a number, no signal's. */
	assert_words(child_status(137, 0), 0, "exited with status 137",
	    "status 137");
	assert_words(child_status(127, 0), 0,
	    "exited with status 127 (command not found)", "status 127");
	assert_words(child_status(126, 0), 0,
	    "exited with status 126 (command not executable)", "status 126");
	assert_words(SIGSEGV | WCOREFLAG, 0,
	    "killed by SIGSEGV (core dumped)", "SIGSEGV");
}
END_TEST

/* A shell's: killed itself, its last program killed (128 + N), or the
 * status of its last command. */
START_TEST(test_waitstatus_shell)
{
	assert_words(child_status(0, SIGTERM), 1,
	    "killed by SIGTERM (the shell itself)", "SIGTERM*");
	assert_words(SIGSEGV | WCOREFLAG, 1,
	    "killed by SIGSEGV (the shell itself, core dumped)",
	    "SIGSEGV*");
	assert_words(child_status(128 + 9, 0), 1,
	    "exited with status 137 (the shell's: its last program was "
	    "killed by SIGKILL)", "SIGKILL*");
	assert_words(child_status(128 + 1, 0), 1,
	    "exited with status 129 (the shell's: its last program was "
	    "killed by SIGHUP)", "SIGHUP*");
	assert_words(child_status(128 + 40, 0), 1,
	    "exited with status 168 (the shell's: its last program was "
	    "killed by signal 40)", "signal 40*");
	assert_words(child_status(3, 0), 1, "exited with status 3 (the "
	    "shell's: that of the last command it ran)", "status 3*");
	assert_words(child_status(0, 0), 1, "exited with status 0 (the "
	    "shell's: that of the last command it ran)", "status 0*");
	/* 128 and 128 + N past the last signal are no signal's. */
	assert_words(child_status(128, 0), 1, "exited with status 128 (the "
	    "shell's: that of the last command it ran)", "status 128*");
	assert_words(child_status(255, 0), 1, "exited with status 255 (the "
	    "shell's: that of the last command it ran)", "status 255*");
	assert_words(child_status(127, 0), 1,
	    "exited with status 127 (command not found)", "status 127*");
}
END_TEST

START_TEST(test_waitstatus_signal)
{
	enum waitstatus_killed killed;

	ck_assert_int_eq(waitstatus_signal(child_status(0, SIGKILL), 0,
	    &killed), SIGKILL);
	ck_assert_int_eq(killed, WAITSTATUS_PROGRAM);
	ck_assert_int_eq(waitstatus_signal(child_status(0, SIGKILL), 1,
	    &killed), SIGKILL);
	ck_assert_int_eq(killed, WAITSTATUS_SHELL);
	ck_assert_int_eq(waitstatus_signal(child_status(143, 0), 1,
	    &killed), SIGTERM);
	ck_assert_int_eq(killed, WAITSTATUS_LAST_PROGRAM);
	ck_assert_int_eq(waitstatus_signal(child_status(143, 0), 0,
	    &killed), 0);
	ck_assert_int_eq(killed, WAITSTATUS_NONE);
	ck_assert_int_eq(waitstatus_signal(child_status(2, 0), 1, &killed),
	    0);
	ck_assert_int_eq(killed, WAITSTATUS_NONE);

	ck_assert_str_eq(waitstatus_killed_name(WAITSTATUS_PROGRAM),
	    "program");
	ck_assert_str_eq(waitstatus_killed_name(WAITSTATUS_SHELL), "shell");
	ck_assert_str_eq(waitstatus_killed_name(WAITSTATUS_LAST_PROGRAM),
	    "last program");
	ck_assert_ptr_null(waitstatus_killed_name(WAITSTATUS_NONE));
}
END_TEST

START_TEST(test_waitstatus_code)
{
	ck_assert_int_eq(waitstatus_code(child_status(0, SIGKILL)), 137);
	ck_assert_int_eq(waitstatus_code(child_status(0, SIGTERM)), 143);
	ck_assert_int_eq(waitstatus_code(child_status(3, 0)), 3);
	ck_assert_int_eq(waitstatus_code(child_status(137, 0)), 137);
}
END_TEST

static Suite *
waitstatus_suite(void)
{
	Suite *s = suite_create("waitstatus");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_waitstatus_program);
	tcase_add_test(tc, test_waitstatus_shell);
	tcase_add_test(tc, test_waitstatus_signal);
	tcase_add_test(tc, test_waitstatus_code);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(waitstatus_suite)
