/*
 * The process state machine without processes: the seam of proc_sys.h
 * stands in for spawn, kill, the clock and the timer, and each test
 * feeds the events that the watchers would.
 */
#include <sys/wait.h>

#include <ev.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/release.h"
#include "common/store.h"
#include "common/waitstatus.h"
#include "common/xmalloc.h"
#include "daemon/output.h"
#include "daemon/proc.h"
#include "daemon/proc_sys.h"
#include "common/spawn.h"
#include "tests/unit/unit.h"

#define NO_TIMER	(-1.)

/* What the fake system calls saw, and what they are to answer. */
static struct {
	pid_t	 next_pid;
	int	 spawns;
	char	 last_cmd[256];		/* argv[2] of the last spawn */
	int	 spawn_code;		/* != 0: the next spawns fail so */
	int	 waited;		/* the last spawn waited for exec */
	int	 kills;
	pid_t	 kill_pid[64];
	int	 kill_sig[64];
	double	 now;
	double	 timer;			/* armed for; NO_TIMER: disarmed */
	int	 probing;		/* a readiness check is on */
	int	 probes;		/* begun */
	int	 calls;			/* of the owner's callback */
	int	 ended;			/* times it said ended */
} fake;

static struct rel *rel1, *rel2;

static pid_t
fake_spawn(const struct spawn *sp, int wait, int *errfd, char *err,
    size_t len, int *code)
{
	*errfd = -1;
	fake.waited = wait;
	snprintf(fake.last_cmd, sizeof fake.last_cmd, "%s",
	    sp->argv[1] != NULL ? sp->argv[2] : sp->argv[0]);
	if (fake.spawn_code != 0) {
		*code = fake.spawn_code;
		snprintf(err, len, "cannot execute '%s': %s", sp->argv[0],
		    fake.spawn_code == 127 ? "No such file or directory" :
		    "Permission denied");
		return -1;
	}
	fake.spawns++;
	*code = 0;
	return fake.next_pid++;
}

static int
fake_kill(pid_t pid, int sig)
{
	if (sig == 0)
		return -1;	/* the group is gone */
	if (fake.kills < 64) {
		fake.kill_pid[fake.kills] = pid;
		fake.kill_sig[fake.kills] = sig;
	}
	fake.kills++;
	return 0;
}

static double
fake_now(void)
{
	return fake.now;
}

static void
fake_timer(struct proc *p, double after)
{
	fake.timer = after;
}

static void
fake_probe(struct proc *p, int on)
{
	fake.probes += on && !fake.probing;
	fake.probing = on;
}

static const struct proc_sys fake_sys = {
	fake_spawn, fake_kill, fake_now, fake_timer, fake_probe,
};

static void
owner_cb(struct proc *p, int ended, void *arg)
{
	fake.calls++;
	fake.ended += ended;
}

static struct rel *
add_release(const char *command)
{
	struct release r;

	release_init(&r);
	r.root = xstrdup("/");
	release_add_proc(&r, "web", command, "Procfile:1");
	release_hash(&r);
	return store_add(&r);
}

static void
setup(void)
{
	int saved, null;

	/* The system lines go to the ring only: stdout is Check's. */
	saved = dup(STDOUT_FILENO);
	null = open("/dev/null", O_WRONLY);
	dup2(null, STDOUT_FILENO);
	output_init(0);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	close(null);
	store_init();
	rel1 = add_release("server v1");
	rel2 = add_release("server v2");
	memset(&fake, 0, sizeof fake);
	fake.next_pid = 100000;
	fake.now = 1000.;
	fake.timer = NO_TIMER;
	proc_set_sys(&fake_sys);
}

static void
teardown(void)
{
	proc_set_sys(NULL);
	store_free();
	output_shutdown();
	logring_release(&output_system_ring);
}

/* A spec for web.1 on rel running cmd, restart policy always. */
static void
make_spec(struct proc_spec *spec, struct rel *rel, const char *cmd)
{
	proc_spec_init(spec);
	spec->name = xstrdup("web.1");
	spec->port = 5000;
	spec->argv = xcalloc(4, sizeof *spec->argv);
	spec->argv[0] = xstrdup("/bin/sh");
	spec->argv[1] = xstrdup("-c");
	spec->argv[2] = xstrdup(cmd);
	spec->display = xstrdup(cmd);
	spec->rel = rel_ref(rel);
	spec->policy.restart = RESTART_ALWAYS;
	spec->policy.stop_signal = SIGTERM;
	spec->policy.stop_timeout_ms = 2000;
}

static struct proc *
new_proc(const char *cmd, enum restart_policy restart)
{
	struct proc_spec spec;

	make_spec(&spec, rel1, cmd);
	spec.policy.restart = restart;
	return proc_new(&spec, owner_cb, NULL);
}

/* Is there a system line that says exactly text? */
static int
system_said(const char *text)
{
	const struct logentry *e;
	size_t i, len = strlen(text);

	for (i = 0; i < output_system_ring.count; i++) {
		e = logring_get(&output_system_ring, i);
		if (e->len == len && memcmp(e->text, text, len) == 0)
			return 1;
	}
	return 0;
}

static void
exit_with(struct proc *p, int code)
{
	proc_event(p, PROC_EV_EXITED, code << 8, NULL);
}

/* Back-off: at once, then 1, 2, 4 ... seconds, capped at 60. */
START_TEST(test_backoff_doubles)
{
	static const double want[] = { 0, 1, 2, 4, 8, 16, 32, 60, 60, 60 };
	struct proc *p = new_proc("crash", RESTART_ALWAYS);
	size_t i;

	proc_start(p, "up");
	ck_assert_int_eq(proc_state(p), PROC_RUNNING);
	ck_assert_int_eq(fake.spawns, 1);
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		fake.now += 0.5;
		exit_with(p, 1);
		if (want[i] == 0) {
			/* Restarted in the same event. */
			ck_assert_int_eq(proc_state(p), PROC_RUNNING);
			ck_assert(system_said("web.1 restarting"));
		} else {
			ck_assert_int_eq(proc_state(p), PROC_BACKOFF);
			ck_assert_double_eq(fake.timer, want[i]);
			ck_assert(!proc_alive(p));
			proc_event(p, PROC_EV_TIMER, 0, NULL);
			ck_assert_int_eq(proc_state(p), PROC_RUNNING);
		}
		ck_assert_int_eq(fake.spawns, (int)i + 2);
	}
	ck_assert(system_said("web.1 restarting in 60s"));
	proc_free(p);
}
END_TEST

/* Up 10 s: the back-off starts over; up less, it goes on. */
START_TEST(test_backoff_reset)
{
	struct proc *p = new_proc("crash", RESTART_ALWAYS);

	proc_start(p, "up");
	exit_with(p, 1);			/* at once */
	exit_with(p, 1);			/* 1 s */
	ck_assert_double_eq(fake.timer, 1.);
	proc_event(p, PROC_EV_TIMER, 0, NULL);
	fake.now += 9.9;
	exit_with(p, 1);
	ck_assert_double_eq(fake.timer, 2.);	/* not up long enough */
	proc_event(p, PROC_EV_TIMER, 0, NULL);
	fake.now += 10.;
	exit_with(p, 1);
	ck_assert_int_eq(proc_state(p), PROC_RUNNING);	/* at once again */
	exit_with(p, 1);
	ck_assert_int_eq(proc_state(p), PROC_BACKOFF);
	ck_assert_double_eq(fake.timer, 1.);
	proc_free(p);
}
END_TEST

/* A restart asked for while stopping: one start after the exit, not
 * two, and no back-off. */
START_TEST(test_restart_while_stopping)
{
	struct proc *p = new_proc("server", RESTART_ALWAYS);
	pid_t first;

	proc_start(p, "up");
	first = proc_pid(p);
	proc_stop(p, "stop requested");
	ck_assert_int_eq(proc_state(p), PROC_STOPPING);
	ck_assert_int_eq(fake.kill_pid[0], -first);
	ck_assert_int_eq(fake.kill_sig[0], SIGTERM);
	ck_assert_int_eq(fake.kill_sig[1], SIGCONT);
	ck_assert_double_eq(fake.timer, 2.);
	proc_restart(p, "restart requested");
	proc_restart(p, "restart requested");
	ck_assert_int_eq(proc_state(p), PROC_STOPPING);
	ck_assert_int_eq(fake.spawns, 1);
	proc_event(p, PROC_EV_EXITED, SIGTERM, NULL);
	ck_assert_int_eq(proc_state(p), PROC_RUNNING);
	ck_assert_int_eq(fake.spawns, 2);
	ck_assert_int_ne(proc_pid(p), first);
	ck_assert(system_said("web.1 killed by SIGTERM"));
	ck_assert(!system_said("web.1 restarting"));
	proc_free(p);
}
END_TEST

/* The stop timeout: SIGKILL to the group; the exit then stops it. */
START_TEST(test_stop_timeout)
{
	struct proc *p = new_proc("server", RESTART_ALWAYS);
	pid_t pid;

	proc_start(p, "up");
	pid = proc_pid(p);
	proc_stop(p, "down");
	proc_event(p, PROC_EV_TIMER, 0, NULL);
	ck_assert_int_eq(fake.kill_pid[2], -pid);
	ck_assert_int_eq(fake.kill_sig[2], SIGKILL);
	ck_assert(system_said("web.1 did not stop within 2.0s: sending "
	    "SIGKILL"));
	proc_event(p, PROC_EV_EXITED, SIGKILL, NULL);
	ck_assert_int_eq(proc_state(p), PROC_STOPPED);
	ck_assert_int_eq(fake.spawns, 1);
	proc_free(p);
}
END_TEST

/* A stop during the back-off cancels it: nothing starts after. */
START_TEST(test_stop_during_backoff)
{
	struct proc *p = new_proc("crash", RESTART_ALWAYS);

	proc_start(p, "up");
	exit_with(p, 1);
	exit_with(p, 1);
	ck_assert_int_eq(proc_state(p), PROC_BACKOFF);
	proc_stop(p, "stop requested");
	ck_assert_int_eq(proc_state(p), PROC_STOPPED);
	ck_assert_double_eq(fake.timer, NO_TIMER);
	ck_assert(system_said("web.1 stopped"));
	/* A late timer changes nothing. */
	proc_event(p, PROC_EV_TIMER, 0, NULL);
	ck_assert_int_eq(proc_state(p), PROC_STOPPED);
	ck_assert_int_eq(fake.spawns, 2);
	ck_assert(!proc_wants_up(p));
	proc_free(p);
}
END_TEST

/* A restart during the back-off starts it now. */
START_TEST(test_restart_during_backoff)
{
	struct proc *p = new_proc("crash", RESTART_ALWAYS);

	proc_start(p, "up");
	exit_with(p, 1);
	exit_with(p, 1);
	ck_assert_int_eq(proc_state(p), PROC_BACKOFF);
	proc_restart(p, "restart requested");
	ck_assert_int_eq(proc_state(p), PROC_RUNNING);
	ck_assert_double_eq(fake.timer, NO_TIMER);
	ck_assert_int_eq(fake.spawns, 3);
	proc_free(p);
}
END_TEST

/* An exec that fails (reported before the exit): failed to start, and
 * by the policy never, failed. */
START_TEST(test_exec_failure_failed)
{
	struct proc *p = new_proc("nope", RESTART_NEVER);

	proc_start(p, "up");
	proc_event(p, PROC_EV_EXEC_FAILED, 127,
	    "cannot execute 'nope': No such file or directory");
	ck_assert_int_eq(proc_state(p), PROC_RUNNING);	/* the exit acts */
	exit_with(p, 127);
	ck_assert_int_eq(proc_state(p), PROC_FAILED);
	ck_assert_str_eq(proc_start_error(p),
	    "cannot execute 'nope': No such file or directory");
	ck_assert(system_said("web.1 failed to start: cannot execute 'nope': "
	    "No such file or directory"));
	ck_assert(!system_said("web.1 will not be restarted (restart = "
	    "never)"));
	ck_assert_int_eq(fake.ended, 1);
	/* The want is still up: events never change it. A start asked for
	 * tries again. */
	ck_assert(proc_wants_up(p));
	proc_start(p, "start requested");
	ck_assert_int_eq(proc_state(p), PROC_RUNNING);
	ck_assert_ptr_null(proc_start_error(p));
	proc_free(p);
}
END_TEST

/* A start that fails at once, restart always: at once, then backing
 * off, never spinning. */
START_TEST(test_exec_failure_no_spin)
{
	struct proc *p = new_proc("nope", RESTART_ALWAYS);

	fake.spawn_code = 127;
	proc_start(p, "up");
	ck_assert_int_eq(proc_state(p), PROC_BACKOFF);
	ck_assert_double_eq(fake.timer, 1.);
	ck_assert_int_eq(proc_last_status(p), 127 << 8);
	ck_assert(system_said("web.1 restarting"));
	ck_assert(system_said("web.1 restarting in 1s"));
	proc_event(p, PROC_EV_TIMER, 0, NULL);
	ck_assert_int_eq(proc_state(p), PROC_BACKOFF);
	ck_assert_double_eq(fake.timer, 2.);
	ck_assert_int_eq(fake.spawns, 0);
	/* Fixed: the next try runs. */
	fake.spawn_code = 0;
	proc_event(p, PROC_EV_TIMER, 0, NULL);
	ck_assert_int_eq(proc_state(p), PROC_RUNNING);
	proc_free(p);
}
END_TEST

/* Run the back-off out: the timer fires, if armed, and is armed no
 * more, as an ev_timer that ran out. */
static void
backoff_over(struct proc *p)
{
	if (proc_state(p) != PROC_BACKOFF)
		return;
	fake.timer = NO_TIMER;
	proc_event(p, PROC_EV_TIMER, 0, NULL);
}

/* The shell says 127 five times in a row: failed, with the reason, and
 * no timer left to start it again; a start asked for tries again, five
 * times more. */
START_TEST(test_not_found_fails)
{
	struct proc *p = new_proc("nope --flag", RESTART_ALWAYS);
	int i;

	proc_start(p, "up");
	for (i = 1; i < 5; i++) {
		exit_with(p, 127);
		ck_assert_int_ne(proc_state(p), PROC_FAILED);
		backoff_over(p);
		ck_assert_int_eq(proc_state(p), PROC_RUNNING);
	}
	ck_assert_int_eq(fake.spawns, 5);
	ck_assert(!system_said("web.1 failed: command not found 5 times in a "
	    "row, not restarted (start it to try again)"));
	exit_with(p, 127);
	ck_assert_int_eq(proc_state(p), PROC_FAILED);
	ck_assert(system_said("web.1 failed: command not found 5 times in a "
	    "row, not restarted (start it to try again)"));
	ck_assert_double_eq(fake.timer, NO_TIMER);
	ck_assert_int_eq(fake.spawns, 5);
	ck_assert_int_eq(proc_last_status(p), 127 << 8);
	/* Nothing brings it back but a request. */
	proc_event(p, PROC_EV_TIMER, 0, NULL);
	ck_assert_int_eq(proc_state(p), PROC_FAILED);
	proc_start(p, "start requested");
	ck_assert_int_eq(proc_state(p), PROC_RUNNING);
	ck_assert_int_eq(fake.spawns, 6);
	for (i = 1; i < 5; i++) {
		exit_with(p, 127);
		ck_assert_int_ne(proc_state(p), PROC_FAILED);
		backoff_over(p);
	}
	exit_with(p, 127);
	ck_assert_int_eq(proc_state(p), PROC_FAILED);
	/* restart tries again too. */
	proc_restart(p, "restart requested");
	ck_assert_int_eq(proc_state(p), PROC_RUNNING);
	proc_free(p);
}
END_TEST

/* 126 from the exec (a start that failed at once) counts as 127 does,
 * and the two count together. */
START_TEST(test_not_executable_fails)
{
	struct proc *p = new_proc("./script", RESTART_ON_FAILURE);
	int i;

	proc_start(p, "up");
	exit_with(p, 127);		/* 1: restarted at once */
	ck_assert_int_eq(proc_state(p), PROC_RUNNING);
	fake.spawn_code = 126;
	exit_with(p, 127);		/* 2; then 3, 4, 5 fail to start */
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(proc_state(p), PROC_BACKOFF);
		backoff_over(p);
	}
	ck_assert_int_eq(proc_state(p), PROC_FAILED);
	ck_assert(system_said("web.1 failed: command not executable 5 times "
	    "in a row, not restarted (start it to try again)"));
	ck_assert_double_eq(fake.timer, NO_TIMER);
	ck_assert_int_eq(fake.spawns, 2);
	proc_free(p);
}
END_TEST

/* In a row: another exit in between, or a run that stayed up 10 s,
 * starts the count over; a signal is no command failure. */
START_TEST(test_not_found_in_a_row)
{
	struct proc *p = new_proc("flaky", RESTART_ALWAYS);
	int i;

	proc_start(p, "up");
	for (i = 0; i < 4; i++) {
		exit_with(p, 127);
		backoff_over(p);
	}
	exit_with(p, 1);
	backoff_over(p);
	for (i = 0; i < 4; i++) {
		exit_with(p, 127);
		backoff_over(p);
	}
	proc_event(p, PROC_EV_EXITED, SIGKILL, NULL);
	backoff_over(p);
	for (i = 0; i < 4; i++) {
		exit_with(p, 127);
		backoff_over(p);
	}
	fake.now += 10.;
	exit_with(p, 127);
	backoff_over(p);
	ck_assert_int_eq(proc_state(p), PROC_RUNNING);
	ck_assert(!system_said("web.1 failed: command not found 5 times in a "
	    "row, not restarted (start it to try again)"));
	/* By the policy never, it is not restarted at the first: exited,
	 * as before. */
	proc_free(p);
	p = new_proc("nope", RESTART_NEVER);
	proc_start(p, "up");
	exit_with(p, 127);
	ck_assert_int_eq(proc_state(p), PROC_EXITED);
	proc_free(p);
}
END_TEST

/* By the policy: never, on-failure. */
START_TEST(test_policy)
{
	struct proc *p = new_proc("job", RESTART_ON_FAILURE);

	proc_start(p, "up");
	exit_with(p, 3);
	ck_assert_int_eq(proc_state(p), PROC_RUNNING);
	exit_with(p, 0);
	ck_assert_int_eq(proc_state(p), PROC_EXITED);
	ck_assert(system_said("web.1 will not be restarted (restart = "
	    "on-failure)"));
	ck_assert_int_eq(fake.spawns, 2);
	proc_free(p);

	p = new_proc("job", RESTART_NEVER);
	proc_start(p, "up");
	proc_event(p, PROC_EV_EXITED, SIGKILL, NULL);
	ck_assert_int_eq(proc_state(p), PROC_EXITED);
	proc_restart(p, "restart requested");
	ck_assert_int_eq(proc_state(p), PROC_RUNNING);
	proc_free(p);
}
END_TEST

/* --exit-on-exit: no restart, no note; the owner hears the end. */
START_TEST(test_never_restart)
{
	struct proc_spec spec;
	struct proc *p;

	make_spec(&spec, rel1, "job");
	spec.policy.never_restart = 1;
	p = proc_new(&spec, owner_cb, NULL);
	proc_start(p, "up");
	fake.ended = 0;
	exit_with(p, 7);
	ck_assert_int_eq(proc_state(p), PROC_EXITED);
	ck_assert_int_eq(fake.ended, 1);
	ck_assert_int_eq(waitstatus_code(proc_last_status(p)), 7);
	ck_assert(!system_said("web.1 will not be restarted (restart = "
	    "always)"));
	proc_free(p);
}
END_TEST

/* A one-off's started line: its port, the names of its added variables
 * (never their values), its command. */
START_TEST(test_oneoff_started_line)
{
	struct proc_spec spec;
	struct proc *p;

	make_spec(&spec, rel1, "bin/web");
	free(spec.name);
	spec.name = xstrdup("run.2");
	spec.port = 43121;
	spec.env = xcalloc(3, sizeof *spec.env);
	spec.env[0] = xstrdup("USER_NAME=admin");
	spec.env[1] = xstrdup("PASSWORD=s3cret");
	spec.policy.restart = RESTART_NEVER;
	spec.policy.once = 1;
	p = proc_new(&spec, owner_cb, NULL);
	proc_start(p, "one-off");
	ck_assert(system_said("run.2 started (pid 100000) on port 43121 with "
	    "USER_NAME, PASSWORD: bin/web"));
	proc_free(p);
}
END_TEST

/* A one-off runs once: never restarted, not even when asked, nor
 * started again after a stop; its start waits for the exec. */
START_TEST(test_oneoff_once)
{
	struct proc_spec spec;
	struct proc *p;

	make_spec(&spec, rel1, "rake db:migrate");
	free(spec.name);
	spec.name = xstrdup("run.1");
	spec.port = 0;
	spec.policy.restart = RESTART_NEVER;
	spec.policy.once = 1;
	p = proc_new(&spec, owner_cb, NULL);
	proc_start(p, "one-off");
	ck_assert_int_eq(fake.waited, 1);
	ck_assert(system_said("run.1 started (pid 100000): rake db:migrate"));
	proc_restart(p, "restart requested");
	ck_assert_int_eq(proc_state(p), PROC_RUNNING);
	ck_assert_int_eq(fake.kills, 0);
	proc_stop(p, "caller gone");
	proc_start(p, "start requested");	/* while stopping */
	proc_event(p, PROC_EV_EXITED, SIGHUP, NULL);
	ck_assert_int_eq(proc_state(p), PROC_STOPPED);
	proc_start(p, "start requested");
	ck_assert_int_eq(proc_state(p), PROC_STOPPED);
	ck_assert_int_eq(fake.spawns, 1);
	proc_free(p);

	/* One that exits by itself. */
	make_spec(&spec, rel1, "true");
	spec.policy.restart = RESTART_ALWAYS;	/* ignored */
	spec.policy.once = 1;
	p = proc_new(&spec, owner_cb, NULL);
	proc_start(p, "one-off");
	exit_with(p, 0);
	ck_assert_int_eq(proc_state(p), PROC_EXITED);
	ck_assert_int_eq(fake.spawns, 2);
	proc_free(p);
}
END_TEST

/* A command kept by the shell: its lines say the pid and the status
 * are the shell's; the last status stays the shell's after a reload to
 * a simple command, until that one exits. */
START_TEST(test_shell_lines)
{
	struct proc_spec spec;
	struct proc *p;
	struct proc_info pi;

	make_spec(&spec, rel1, "echo hi; server v1");
	spec.shell = 1;
	p = proc_new(&spec, owner_cb, NULL);
	proc_start(p, "up");
	ck_assert(system_said("web.1 started (pid 100000, /bin/sh running "
	    "the command)"));
	exit_with(p, 128 + SIGKILL);
	ck_assert(system_said("web.1 exited with status 137 (the shell's: "
	    "its last program was killed by SIGKILL)"));
	proc_info(p, &pi);
	ck_assert_int_eq(pi.shell, 1);
	ck_assert_int_eq(pi.last_shell, 1);

	make_spec(&spec, rel2, "server v2");
	proc_set_next_spec(p, &spec);
	proc_restart(p, "reload");
	proc_event(p, PROC_EV_EXITED, SIGTERM, NULL);
	ck_assert(system_said("web.1 killed by SIGTERM (the shell itself)"));
	ck_assert(system_said("web.1 started (pid 100002)"));
	proc_info(p, &pi);
	ck_assert_int_eq(pi.shell, 0);
	ck_assert_int_eq(pi.last_shell, 1);
	proc_event(p, PROC_EV_EXITED, SIGKILL, NULL);
	ck_assert(system_said("web.1 killed by SIGKILL"));
	proc_info(p, &pi);
	ck_assert_int_eq(pi.last_shell, 0);
	proc_free(p);
}
END_TEST

/* A reload: the next spec is taken at the next start, and only then;
 * the restart runs it. */
START_TEST(test_new_spec)
{
	struct proc_spec spec;
	struct proc *p = new_proc("server v1", RESTART_ALWAYS);
	struct proc_info pi;

	proc_start(p, "up");
	make_spec(&spec, rel2, "server v2");
	proc_set_next_spec(p, &spec);
	ck_assert(proc_has_next_spec(p));
	ck_assert_int_eq(proc_state(p), PROC_RUNNING);
	ck_assert_int_eq(fake.spawns, 1);
	ck_assert_ptr_eq(proc_rel(p), rel1);
	proc_restart(p, "reload");
	ck_assert_int_eq(proc_state(p), PROC_STOPPING);
	proc_event(p, PROC_EV_EXITED, SIGTERM, NULL);
	ck_assert_int_eq(proc_state(p), PROC_RUNNING);
	ck_assert_str_eq(fake.last_cmd, "server v2");
	ck_assert(!proc_has_next_spec(p));
	ck_assert_ptr_eq(proc_rel(p), rel2);
	proc_info(p, &pi);
	ck_assert_int_eq(pi.version, rel2->release.version);
	ck_assert_str_eq(pi.display, "server v2");
	/* A pending spec can be taken back (a reload to what runs). */
	make_spec(&spec, rel1, "server v1");
	proc_set_next_spec(p, &spec);
	proc_set_next_spec(p, NULL);
	exit_with(p, 1);
	ck_assert_str_eq(fake.last_cmd, "server v2");
	proc_free(p);
}
END_TEST

/* An exit while a roll is under way (a spec pending): the restart
 * takes the new spec; so does a stopped process when started. */
START_TEST(test_exit_during_roll)
{
	struct proc_spec spec;
	struct proc *p = new_proc("server v1", RESTART_ALWAYS);

	proc_start(p, "up");
	make_spec(&spec, rel2, "server v2");
	proc_set_next_spec(p, &spec);
	exit_with(p, 1);			/* a crash before its turn */
	ck_assert_int_eq(proc_state(p), PROC_RUNNING);
	ck_assert_str_eq(fake.last_cmd, "server v2");
	ck_assert(!proc_has_next_spec(p));
	proc_free(p);

	p = new_proc("server v1", RESTART_ALWAYS);
	proc_start(p, "up");
	proc_stop(p, "stop requested");
	proc_event(p, PROC_EV_EXITED, SIGTERM, NULL);
	make_spec(&spec, rel2, "server v2");
	proc_set_next_spec(p, &spec);
	ck_assert_int_eq(proc_state(p), PROC_STOPPED);
	ck_assert_int_eq(fake.spawns, 3);
	proc_start(p, "start requested");
	ck_assert_str_eq(fake.last_cmd, "server v2");
	proc_free(p);
}
END_TEST

/* The owner hears once per event that changed something. */
/* A proc with a readiness check: tcp, 60 s to be ready. */
static struct proc *
new_checked(enum restart_policy restart)
{
	struct proc_spec spec;
	char *err;

	make_spec(&spec, rel1, "server");
	spec.policy.restart = restart;
	ck_assert_int_eq(readyspec_parse(&spec.ready, "tcp", &err), 0);
	spec.ready_timeout_ms = 60000;
	return proc_new(&spec, owner_cb, NULL);
}

/* Spawned, it is starting, its check on and the timeout armed, until
 * READY: then running, the check off, the timer disarmed. */
START_TEST(test_ready_starting_to_running)
{
	struct proc *p = new_checked(RESTART_ALWAYS);

	proc_start(p, "up");
	ck_assert_int_eq(proc_state(p), PROC_STARTING);
	ck_assert(proc_alive(p));
	ck_assert(fake.probing);
	ck_assert_double_eq(fake.timer, 60.);
	ck_assert_int_eq(proc_readiness(p), PROC_READY_WAIT);
	fake.now += 1.4;
	proc_event(p, PROC_EV_READY, 0, NULL);
	ck_assert_int_eq(proc_state(p), PROC_RUNNING);
	ck_assert(!fake.probing);
	ck_assert_double_eq(fake.timer, NO_TIMER);
	ck_assert(system_said("web.1 ready (tcp :5000, 1.4 s)"));
	ck_assert_int_eq(proc_readiness(p), PROC_READY_YES);
	/* A second READY changes nothing. */
	fake.calls = 0;
	proc_event(p, PROC_EV_READY, 0, NULL);
	ck_assert_int_eq(fake.calls, 0);
	proc_free(p);
}
END_TEST

/* ready = started (the default): running in the event that spawned it,
 * no check begun. */
START_TEST(test_ready_started)
{
	struct proc *p = new_proc("server", RESTART_ALWAYS);

	proc_start(p, "up");
	ck_assert_int_eq(proc_state(p), PROC_RUNNING);
	ck_assert_int_eq(fake.probes, 0);
	ck_assert(!proc_has_check(p));
	proc_free(p);
}
END_TEST

/* Not ready in time: stopped, then a failed start, restarted by the
 * policy after the back-off; with restart = never, failed. */
START_TEST(test_ready_timeout)
{
	struct proc *p = new_checked(RESTART_ALWAYS);

	proc_start(p, "up");
	fake.now += 60.;
	proc_event(p, PROC_EV_TIMER, 0, NULL);
	ck_assert_int_eq(proc_state(p), PROC_STOPPING);
	ck_assert(!fake.probing);
	ck_assert_int_eq(fake.kill_sig[0], SIGTERM);
	ck_assert_int_eq(fake.kill_pid[0], -100000);
	ck_assert(system_said("web.1 stopping (SIGTERM, not ready within 60s "
	    "(tcp :5000))"));
	ck_assert_double_eq(fake.timer, 2.);		/* the stop timeout */
	ck_assert_int_eq(proc_readiness(p), PROC_READY_NO);
	proc_event(p, PROC_EV_EXITED, SIGTERM, NULL);
	ck_assert(system_said("web.1 failed to start: not ready within 60s "
	    "(tcp :5000)"));
	/* The first failure restarts at once; it is starting again. */
	ck_assert_int_eq(proc_state(p), PROC_STARTING);
	ck_assert_int_eq(fake.spawns, 2);
	ck_assert_int_eq(fake.probes, 2);
	ck_assert_double_eq(fake.timer, 60.);
	ck_assert_int_eq(proc_readiness(p), PROC_READY_NO);
	/* The second waits: the back-off counts failed starts. */
	proc_event(p, PROC_EV_TIMER, 0, NULL);
	proc_event(p, PROC_EV_EXITED, SIGTERM, NULL);
	ck_assert_int_eq(proc_state(p), PROC_BACKOFF);
	ck_assert_double_eq(fake.timer, 1.);
	proc_free(p);

	memset(&fake, 0, sizeof fake);
	fake.next_pid = 200000;
	fake.timer = NO_TIMER;
	p = new_checked(RESTART_NEVER);
	proc_start(p, "up");
	proc_event(p, PROC_EV_TIMER, 0, NULL);
	proc_event(p, PROC_EV_EXITED, SIGTERM, NULL);
	ck_assert_int_eq(proc_state(p), PROC_FAILED);
	ck_assert_str_eq(proc_start_error(p), "not ready within 60s "
	    "(tcp :5000)");
	ck_assert_int_eq(fake.spawns, 1);
	proc_free(p);
}
END_TEST

/* Stopped while starting: the check ends, the stop is a stop, not a
 * failed start. */
START_TEST(test_ready_stop_while_starting)
{
	struct proc *p = new_checked(RESTART_ALWAYS);

	proc_start(p, "up");
	proc_stop(p, "down");
	ck_assert_int_eq(proc_state(p), PROC_STOPPING);
	ck_assert(!fake.probing);
	proc_event(p, PROC_EV_EXITED, SIGTERM, NULL);
	ck_assert_int_eq(proc_state(p), PROC_STOPPED);
	ck_assert_ptr_null(proc_start_error(p));
	proc_free(p);
}
END_TEST

/* notify: READY=1 from its group makes it running, STATUS= is kept for
 * ps; READY=1 for a process with another check is not its readiness. */
START_TEST(test_ready_notify)
{
	struct proc_spec spec;
	struct proc_info pi;
	struct proc *p, *q;
	char *err;

	make_spec(&spec, rel1, "server");
	ck_assert_int_eq(readyspec_parse(&spec.ready, "notify", &err), 0);
	spec.ready_timeout_ms = 60000;
	p = proc_new(&spec, owner_cb, NULL);
	proc_start(p, "up");
	proc_notify(p, 0, "booting");
	ck_assert_int_eq(proc_state(p), PROC_STARTING);
	proc_info(p, &pi);
	ck_assert_str_eq(pi.status, "booting");
	proc_notify(p, 1, "serving");
	ck_assert_int_eq(proc_state(p), PROC_RUNNING);
	ck_assert(system_said("web.1 ready (notify, 0.0 s)"));
	proc_info(p, &pi);
	ck_assert_str_eq(pi.status, "serving");
	proc_free(p);

	q = new_checked(RESTART_ALWAYS);
	proc_start(q, "up");
	proc_notify(q, 1, NULL);
	ck_assert_int_eq(proc_state(q), PROC_STARTING);
	proc_free(q);
}
END_TEST

/*
 * accept: the check passes as others do. Out of time, the implicit one
 * (the default of listen) takes the process as ready and says so, the
 * one given stops it as a failed start.
 */
START_TEST(test_ready_accept)
{
	struct proc_spec spec;
	struct proc *p;
	char *err;
	int implicit;

	for (implicit = 0; implicit < 2; implicit++) {
		make_spec(&spec, rel1, "server");
		ck_assert_int_eq(readyspec_parse(&spec.ready, "accept", &err),
		    0);
		spec.ready.implicit = implicit;
		spec.ready_timeout_ms = 60000;
		p = proc_new(&spec, owner_cb, NULL);
		proc_start(p, "up");
		ck_assert_int_eq(proc_state(p), PROC_STARTING);
		ck_assert(proc_has_check(p));
		ck_assert(fake.probing);
		fake.now += 60.;
		proc_event(p, PROC_EV_TIMER, 0, NULL);
		ck_assert(!fake.probing);
		if (implicit) {
			ck_assert_int_eq(proc_state(p), PROC_RUNNING);
			ck_assert_int_eq(proc_readiness(p), PROC_READY_YES);
			ck_assert(system_said("web.1 ready (accept not seen "
			    "within 60s: taken as ready, its sockets unused; "
			    "ready = started skips the wait)"));
		} else {
			ck_assert_int_eq(proc_state(p), PROC_STOPPING);
			ck_assert(system_said("web.1 stopping (SIGTERM, not "
			    "ready within 60s (accept))"));
		}
		proc_free(p);
	}
	make_spec(&spec, rel1, "server");
	ck_assert_int_eq(readyspec_parse(&spec.ready, "accept", &err), 0);
	spec.ready.implicit = 1;
	spec.ready_timeout_ms = 60000;
	p = proc_new(&spec, owner_cb, NULL);
	proc_start(p, "up");
	fake.now += 1.1;
	proc_event(p, PROC_EV_READY, 0, NULL);
	ck_assert_int_eq(proc_state(p), PROC_RUNNING);
	ck_assert(system_said("web.1 ready (accept, 1.1 s)"));
	proc_free(p);
}
END_TEST

/* The exit of a process that was never ready: a crash like any other,
 * and its next start is checked again. */
START_TEST(test_ready_exit_while_starting)
{
	struct proc *p = new_checked(RESTART_ALWAYS);

	proc_start(p, "up");
	exit_with(p, 1);
	ck_assert_int_eq(proc_state(p), PROC_STARTING);
	ck_assert_int_eq(fake.probes, 2);
	ck_assert(fake.probing);
	ck_assert_int_eq(proc_readiness(p), PROC_READY_NO);
	proc_free(p);
}
END_TEST

START_TEST(test_callback)
{
	struct proc *p = new_proc("server", RESTART_ALWAYS);

	proc_start(p, "up");
	ck_assert_int_eq(fake.calls, 1);
	ck_assert_int_eq(fake.ended, 0);
	proc_start(p, "start requested");	/* nothing to do */
	ck_assert_int_eq(fake.calls, 1);
	exit_with(p, 1);			/* exit and restart */
	ck_assert_int_eq(fake.calls, 2);
	ck_assert_int_eq(fake.ended, 1);
	ck_assert(proc_alive(p));
	proc_free(p);
}
END_TEST

static Suite *
proc_suite(void)
{
	Suite *s = suite_create("proc");
	TCase *tc = tcase_create("machine");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_backoff_doubles);
	tcase_add_test(tc, test_backoff_reset);
	tcase_add_test(tc, test_restart_while_stopping);
	tcase_add_test(tc, test_stop_timeout);
	tcase_add_test(tc, test_stop_during_backoff);
	tcase_add_test(tc, test_restart_during_backoff);
	tcase_add_test(tc, test_exec_failure_failed);
	tcase_add_test(tc, test_exec_failure_no_spin);
	tcase_add_test(tc, test_not_found_fails);
	tcase_add_test(tc, test_not_executable_fails);
	tcase_add_test(tc, test_not_found_in_a_row);
	tcase_add_test(tc, test_policy);
	tcase_add_test(tc, test_never_restart);
	tcase_add_test(tc, test_oneoff_once);
	tcase_add_test(tc, test_oneoff_started_line);
	tcase_add_test(tc, test_new_spec);
	tcase_add_test(tc, test_exit_during_roll);
	tcase_add_test(tc, test_callback);
	tcase_add_test(tc, test_ready_starting_to_running);
	tcase_add_test(tc, test_ready_started);
	tcase_add_test(tc, test_ready_timeout);
	tcase_add_test(tc, test_ready_stop_while_starting);
	tcase_add_test(tc, test_ready_notify);
	tcase_add_test(tc, test_ready_accept);
	tcase_add_test(tc, test_ready_exit_while_starting);
	tcase_add_test(tc, test_shell_lines);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(proc_suite)
