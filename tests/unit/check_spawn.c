/*
 * spawn: a forked child starts with every signal blocked, whatever the
 * daemon's own mask, and the parent's mask is as it was after.
 */
#include <sys/syscall.h>
#include <sys/wait.h>

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "common/spawn.h"
#include "tests/unit/unit.h"

/* The mask of the thread, the real-time signals included. */
static void
spawn_test_mask(sigset_t *set)
{
	memset(set, 0, sizeof *set);
	(void)syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, set,
	    (size_t)(_NSIG - 1) / 8);
}

static sigset_t at_fork;
static int forks;

/* fork(), noting the mask it is called with: the child's first. */
static pid_t
spawn_test_fork(void)
{
	spawn_test_mask(&at_fork);
	forks++;
	return fork();
}

static pid_t
spawn_test_begin(void)
{
	char *argv[] = { "/bin/true", NULL }, *envp[] = { NULL };
	struct spawn sp;
	char err[256];
	int errfd, code;
	pid_t pid;

	memset(&sp, 0, sizeof sp);
	sp.argv = argv;
	sp.envp = envp;
	sp.fds[0] = sp.fds[1] = sp.fds[2] = -1;
	pid = spawn_begin(&sp, &errfd, err, sizeof err, &code);
	ck_assert_msg(pid > 0, "spawn_begin: %s", err);
	close(errfd);
	return pid;
}

START_TEST(test_spawn_fork_blocks_all)
{
	sigset_t before, after, one;
	int status, sig;

	/* A mask of our own, to see that it comes back. */
	sigemptyset(&one);
	sigaddset(&one, SIGUSR2);
	sigprocmask(SIG_SETMASK, &one, NULL);
	spawn_test_mask(&before);
	spawn_fork = spawn_test_fork;
	forks = 0;
	ck_assert_int_eq(waitpid(spawn_test_begin(), &status, 0) > 0, 1);
	spawn_fork = fork;
	ck_assert_int_eq(forks, 1);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "the child: status %d", status);
	for (sig = 1; sig < _NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;	/* never blocked */
		ck_assert_msg(sigismember(&at_fork, sig) == 1,
		    "signal %d not blocked at the fork", sig);
	}
	spawn_test_mask(&after);
	ck_assert_msg(memcmp(&before, &after, sizeof before) == 0,
	    "the parent's mask changed");
	sigemptyset(&one);
	sigprocmask(SIG_SETMASK, &one, NULL);
}
END_TEST

static Suite *
spawn_suite(void)
{
	Suite *s = suite_create("spawn");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_spawn_fork_blocks_all);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(spawn_suite)
