#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "common/env.h"
#include "common/log.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "daemon/formation.h"
#include "daemon/proc.h"
#include "daemon/spawn.h"
#include "common/store.h"

#define BACKOFF_MAX	60.	/* seconds */
#define BACKOFF_RESET	10.	/* up this long: the back-off starts over */
#define DRAIN_POLL	0.05	/* seconds between looks at a leaderless group */

static void proc_drive(struct proc *, const char *);
static int proc_should_restart(const struct proc *, int);
static void proc_child_cb(struct ev_loop *, ev_child *, int);
static void proc_exec_cb(struct ev_loop *, ev_io *, int);
static void proc_timer_cb(struct ev_loop *, ev_timer *, int);
static void proc_drain_cb(struct ev_loop *, ev_timer *, int);

static const char *state_names[] = {
	"stopped", "running", "stopping", "backoff", "exited", "failed",
};

const char *
proc_state_name(enum proc_state s)
{
	return state_names[s];
}

int
proc_alive(const struct proc *p)
{
	return p->pid != 0;
}

struct proc *
proc_new(struct proc_spec *spec, struct rel *rel)
{
	struct proc *p;

	p = xcalloc(1, sizeof *p);
	p->spec = *spec;
	p->rel = rel_ref(rel);
	p->state = PROC_STOPPED;
	p->want = WANT_DOWN;
	p->last_status = -1;
	p->io.fds[0] = p->io.fds[1] = p->io.fds[2] = -1;
	p->io.pty_slave = -1;
	logring_init(&p->ring);
	ev_init(&p->child, proc_child_cb);
	p->child.data = p;
	ev_io_init(&p->exec, proc_exec_cb, -1, EV_READ);
	p->exec.data = p;
	ev_init(&p->timer, proc_timer_cb);
	p->timer.data = p;
	ev_timer_init(&p->drain, proc_drain_cb, DRAIN_POLL, DRAIN_POLL);
	p->drain.data = p;
	output_fit_name(spec->name);
	return p;
}

static void
proc_io_release(struct proc_io *io)
{
	int i;

	for (i = 0; i < 3; i++) {
		if (io->fds[i] != -1)
			close(io->fds[i]);
		io->fds[i] = -1;
	}
	if (io->pty_slave != -1)
		close(io->pty_slave);
	io->pty_slave = -1;
	free(io->term);
	io->term = NULL;
}

void
proc_free(struct proc *p)
{

	ev_child_stop(EV_DEFAULT, &p->child);
	ev_timer_stop(EV_DEFAULT, &p->timer);
	ev_timer_stop(EV_DEFAULT, &p->drain);
	ev_io_stop(EV_DEFAULT, &p->exec);
	if (p->exec.fd != -1)
		close(p->exec.fd);
	outsrc_free(p->out);
	logring_release(&p->ring);
	proc_io_release(&p->io);
	strv_free(p->spec.argv);
	strv_free(p->spec.words);
	free(p->spec.name);
	free(p->spec.type);
	free(p->spec.display);
	free(p->spec.ts.name);
	free(p->start_error);
	rel_unref(p->rel);
	free(p);
}

void
proc_describe_status(int status, char *buf, size_t len)
{
	if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by %s%s",
		    signal_name(WTERMSIG(status)),
		    WCOREDUMP(status) ? " (core dumped)" : "");
	else if (WEXITSTATUS(status) == 127)
		snprintf(buf, len, "exited with status 127 (command not found)");
	else if (WEXITSTATUS(status) == 126)
		snprintf(buf, len,
		    "exited with status 126 (command not executable)");
	else
		snprintf(buf, len, "exited with status %d",
		    WEXITSTATUS(status));
}

int
proc_exit_code(int status)
{
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static void
proc_set_state(struct proc *p, enum proc_state state, const char *why)
{
	log_debug("%s: %s -> %s%s%s%s", p->spec.name,
	    state_names[p->state], state_names[state], why ? " (" : "",
	    why ? why : "", why ? ")" : "");
	p->state = state;
}

/* The environment of a process: the release's, plus PS, PORT,
 * FORMATION_RELEASE and TERM by the rules of release_term(). */
/*
 * PWD is the app root, where the process runs: a shell would keep it, so
 * a command that runs without one sees the same as one that runs with
 * one. (The shell would also keep another name for the same directory;
 * finding out would take a stat in the daemon, which a hung mount could
 * block.)
 */
static void
proc_set_pwd(struct env *env, const char *root)
{
	const char *pwd = env_get(env, "PWD");

	if (pwd == NULL || strcmp(pwd, root) != 0)
		env_set(env, "PWD", root, NULL);
}

static char **
proc_envp(struct proc *p)
{
	struct env env;
	const char *term;
	char buf[32];
	char **envp;

	env_init(&env);
	env_copy(&env, &p->rel->release.env);
	env_set(&env, "PS", p->spec.name, NULL);
	snprintf(buf, sizeof buf, "v%d", p->rel->release.version);
	env_set(&env, "FORMATION_RELEASE", buf, NULL);
	if (p->spec.port > 0) {
		snprintf(buf, sizeof buf, "%d", p->spec.port);
		env_set(&env, "PORT", buf, NULL);
	}
	term = release_term(&p->rel->release, !p->spec.oneoff && p->spec.ts.tty,
	    p->io.term);
	if (term != NULL)
		env_set(&env, "TERM", term, NULL);
	proc_set_pwd(&env, p->rel->release.root);
	envp = env_to_envp(&env);
	env_release(&env);
	return envp;
}

static void
proc_out_eof(struct outsrc *src, void *arg)
{
	/* The exit, not the EOF, ends a process: an escaped grandchild may
	 * hold the pipe open. Nothing to do until then. */
}

/* Set up stdio: a pipe or a pty for a formation process, the caller's
 * fds for a one-off. Fills fds; the read side goes to p->out. */
static int
proc_open_io(struct proc *p, int fds[3], int *ctty, char *err, size_t len)
{
	int pipefd[2], master, slave;
	struct termios tio;

	*ctty = 0;
	if (p->spec.oneoff && p->io.pty_slave != -1) {
		fds[0] = fds[1] = fds[2] = p->io.pty_slave;
		*ctty = 1;
		return 0;
	}
	if (p->spec.oneoff && p->io.fds[1] != -1) {
		memcpy(fds, p->io.fds, sizeof p->io.fds);
		return 0;
	}
	fds[0] = -1;
	if (p->spec.ts.tty == 1) {
		if (spawn_open_pty(&master, &slave) == -1)
			goto fail;
		/* Plain "\n" line ends, as through a pipe. */
		if (tcgetattr(slave, &tio) == 0) {
			tio.c_oflag &= ~(tcflag_t)OPOST;
			tcsetattr(slave, TCSANOW, &tio);
		}
		fds[1] = fds[2] = slave;
		p->io.pty_slave = slave;	/* until the exit */
		*ctty = 1;
		p->out = outsrc_new(master, p->spec.name, p->spec.index,
		    &p->ring, proc_out_eof, p);
		return 0;
	}
	if (pipe2(pipefd, O_CLOEXEC) == -1)
		goto fail;
	fds[1] = fds[2] = pipefd[1];
	p->out = outsrc_new(pipefd[0], p->spec.name, p->spec.index, &p->ring,
	    proc_out_eof, p);
	return 0;
fail:
	snprintf(err, len, "cannot create its output: %s", strerror(errno));
	return -1;
}

/* A formation process's pty slave, kept until its exit. */
static void
proc_pty_release(struct proc *p)
{
	if (p->io.pty_slave != -1)
		close(p->io.pty_slave);
	p->io.pty_slave = -1;
}

static void
proc_close_io(struct proc *p, int fds[3])
{
	/*
	 * A pty's slave stays open until the exit (proc_exited): were the
	 * process's own close of its terminal the last, the kernel would
	 * hang it up, and a process that leads its session (a program run
	 * without a shell) would die of that SIGHUP on its way out.
	 */
	if (p->io.pty_slave != -1)
		return;
	/* Our copies of the child's ends: only the child may hold them, or
	 * whoever reads the other end never sees EOF. */
	if (p->spec.oneoff && p->io.fds[1] != -1)
		proc_io_release(&p->io);
	else if (fds[1] != -1)
		close(fds[1]);
}

/*
 * A formation process does not wait for its exec: the report comes to
 * p->exec, so a thousand of them start at once rather than one after the
 * other. A one-off's caller waits for the answer anyway.
 */
static int
proc_spawn(struct proc *p, char *err, size_t errlen, int *code)
{
	struct spawn sp;
	char **envp;
	int ctty, errfd = -1;

	memset(&sp, 0, sizeof sp);
	if (proc_open_io(p, sp.fds, &ctty, err, errlen) == -1) {
		*code = 125;
		return -1;
	}
	envp = proc_envp(p);
	sp.argv = p->spec.argv;
	sp.words = p->spec.words;
	sp.envp = envp;
	sp.cwd = p->rel->release.root;
	sp.ctty = ctty;
	sp.pdeathsig = SIGKILL;
	sp.umask = formation.umask;
	if (p->spec.oneoff)
		p->pid = spawn_start(&sp, err, errlen, code);
	else
		p->pid = spawn_begin(&sp, &errfd, err, errlen, code);
	proc_close_io(p, sp.fds);
	strv_free(envp);
	if (p->pid == -1) {
		p->pid = 0;
		if (!p->spec.oneoff)
			proc_pty_release(p);
		outsrc_free(p->out);
		p->out = NULL;
		return -1;
	}
	if (errfd != -1) {
		fd_set_nonblock(errfd, 1);
		ev_io_set(&p->exec, errfd, EV_READ);
		ev_io_start(EV_DEFAULT, &p->exec);
	}
	ev_child_set(&p->child, p->pid, 0);
	ev_child_start(EV_DEFAULT, &p->child);
	p->started_at = time(NULL);
	p->started_mono = ev_now(EV_DEFAULT);
	return 0;
}

/*
 * Read the exec report of a started child, if it is still pending: 0 it
 * exec'd (or nothing was pending), -1 a step before the exec failed
 * (start_error says which, until the next start), 1 not known yet. Once
 * known, the report pipe is closed.
 */
static int
proc_exec_report(struct proc *p)
{
	struct spawn sp;
	char err[512];
	int fd = p->exec.fd, code, rc;

	if (fd == -1)
		return 0;
	memset(&sp, 0, sizeof sp);
	sp.argv = p->spec.argv;
	sp.cwd = p->rel->release.root;
	if ((rc = spawn_result(fd, &sp, err, sizeof err, &code)) == 1)
		return 1;
	ev_io_stop(EV_DEFAULT, &p->exec);
	close(fd);
	ev_io_set(&p->exec, -1, EV_READ);
	if (rc == -1) {
		free(p->start_error);
		p->start_error = xstrdup(err);
	}
	return rc;
}

static void
proc_exec_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	/* A failure is acted on at the exit, which follows it. */
	proc_exec_report(w->data);
}

/* Seconds to wait before the next start, and count this failure. */
static double
proc_backoff(struct proc *p)
{
	double delay;

	if (p->started_mono > 0 &&
	    ev_now(EV_DEFAULT) - p->started_mono >= BACKOFF_RESET)
		p->failures = 0;
	delay = p->failures == 0 ? 0. : (double)(1 << (p->failures > 7 ? 7 :
	    p->failures - 1));
	if (delay > BACKOFF_MAX)
		delay = BACKOFF_MAX;
	p->failures++;
	return delay;
}

static void
proc_schedule(struct proc *p, const char *why)
{
	double delay;

	delay = proc_backoff(p);
	p->restarts++;
	if (delay == 0.) {
		output_system("%s restarting", p->spec.name);
		proc_set_state(p, PROC_STOPPED, why);
		return;		/* proc_drive starts it at once */
	}
	output_system("%s restarting in %.0fs", p->spec.name, delay);
	proc_set_state(p, PROC_BACKOFF, why);
	ev_timer_set(&p->timer, delay, 0.);
	ev_timer_start(EV_DEFAULT, &p->timer);
}

static void
proc_start(struct proc *p)
{
	char err[512];
	int code;

	if (p->rebase)
		formation_rebase(p);
	free(p->start_error);
	p->start_error = NULL;
	if (proc_spawn(p, err, sizeof err, &code) == 0) {
		/* A one-off's command is news; a formation's is in ps. */
		output_system("%s started (pid %ld)%s%s", p->spec.name,
		    (long)p->pid, p->spec.oneoff ? ": " : "",
		    p->spec.oneoff ? p->spec.display : "");
		proc_set_state(p, PROC_RUNNING, NULL);
		return;
	}
	output_system("%s failed to start: %s", p->spec.name, err);
	p->start_error = xstrdup(err);
	p->last_status = code << 8;
	p->started_mono = 0;
	if (proc_should_restart(p, p->last_status)) {
		proc_schedule(p, "failed to start");
		if (p->state == PROC_STOPPED)
			proc_drive(p, "restart");
	} else {
		p->want = WANT_DOWN;
		proc_set_state(p, PROC_FAILED, err);
	}
	if (p->on_exit != NULL)
		p->on_exit(p, p->last_status, p->on_exit_arg);
}

int
proc_signal(struct proc *p, int sig)
{
	if (p->pid == 0) {
		errno = ESRCH;
		return -1;
	}
	return kill(-p->pid, sig);
}

static void
proc_stop(struct proc *p, const char *why)
{
	int sig = p->spec.ts.stop_signal;

	output_system("%s stopping (%s%s%s)", p->spec.name, signal_name(sig),
	    why ? ", " : "", why ? why : "");
	proc_set_state(p, PROC_STOPPING, why);
	proc_signal(p, sig);
	/* A stopped process would never see the signal. */
	if (sig != SIGKILL && sig != SIGCONT)
		proc_signal(p, SIGCONT);
	ev_timer_set(&p->timer, p->spec.ts.timeout_ms / 1000., 0.);
	ev_timer_start(EV_DEFAULT, &p->timer);
}

void
proc_kill_now(struct proc *p)
{
	if (p->pid == 0)
		return;
	proc_signal(p, SIGKILL);
	if (p->state != PROC_STOPPING)
		proc_set_state(p, PROC_STOPPING, "killed");
}

/*
 * The one place where the state moves on a request: compare what is
 * wanted with what is, and act.
 */
static void
proc_drive(struct proc *p, const char *why)
{
	switch (p->state) {
	case PROC_STOPPED:
	case PROC_EXITED:
	case PROC_FAILED:
		if (p->want == WANT_UP)
			proc_start(p);
		break;
	case PROC_BACKOFF:
		if (p->want == WANT_DOWN) {
			ev_timer_stop(EV_DEFAULT, &p->timer);
			output_system("%s stopped", p->spec.name);
			proc_set_state(p, PROC_STOPPED, why);
		} else if (p->restart_now) {
			ev_timer_stop(EV_DEFAULT, &p->timer);
			p->restart_now = 0;
			proc_start(p);
		}
		break;
	case PROC_RUNNING:
		if (p->want == WANT_DOWN || p->restart_now)
			proc_stop(p, why);
		break;
	case PROC_STOPPING:
		break;
	}
}

void
proc_want(struct proc *p, enum proc_want want, const char *why)
{
	p->want = want;
	if (want == WANT_UP && p->state != PROC_RUNNING &&
	    p->state != PROC_STOPPING)
		p->failures = 0;
	proc_drive(p, why);
}

void
proc_restart(struct proc *p, const char *why)
{
	if (p->spec.oneoff)
		return;		/* never restarted */
	p->want = WANT_UP;
	p->failures = 0;
	if (p->state == PROC_RUNNING || p->state == PROC_BACKOFF)
		p->restart_now = 1;
	else if (p->state == PROC_STOPPING)
		p->restart_now = 1;
	proc_drive(p, why);
}

/* Would the policy restart a process that exited with this status? */
static int
proc_should_restart(const struct proc *p, int status)
{
	if (p->spec.oneoff || p->want == WANT_DOWN || formation.exit_on_exit)
		return 0;
	switch (p->spec.ts.restart) {
	case RESTART_NEVER:
		return 0;
	case RESTART_ON_FAILURE:
		return !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	default:
		return 1;
	}
}

static void
proc_exited(struct proc *p, int status)
{
	enum proc_state was = p->state;
	char desc[128];
	int failed;

	/* A child that failed before its exec did not start (the report
	 * may be read already): its status is the report's code, as for a
	 * start that failed at once. */
	proc_exec_report(p);
	failed = p->start_error != NULL;
	/* Its last words come before the news of its death. */
	if (p->out != NULL)
		outsrc_drain(p->out);
	outsrc_free(p->out);
	p->out = NULL;
	/* What is left of its group goes with it. */
	kill(-p->pid, SIGKILL);
	ev_child_stop(EV_DEFAULT, &p->child);
	ev_timer_stop(EV_DEFAULT, &p->timer);
	ev_timer_stop(EV_DEFAULT, &p->drain);
	p->pid = 0;
	p->last_status = status;
	if (failed) {
		p->started_mono = 0;
		snprintf(desc, sizeof desc, "failed to start");
		output_system("%s failed to start: %s", p->spec.name,
		    p->start_error);
	} else {
		proc_describe_status(status, desc, sizeof desc);
		output_system("%s %s", p->spec.name, desc);
	}
	if (p->spec.oneoff) {
		proc_io_release(&p->io);
		/* It runs once, whatever was asked while it stopped. */
		if (was == PROC_STOPPING)
			p->want = WANT_DOWN;
	} else
		proc_pty_release(p);

	if (was == PROC_STOPPING && p->restart_now) {
		p->restart_now = 0;
		proc_set_state(p, PROC_STOPPED, "restart");
	} else if (was == PROC_STOPPING || p->want == WANT_DOWN) {
		proc_set_state(p, PROC_STOPPED, "stopped");
	} else if (proc_should_restart(p, status)) {
		proc_schedule(p, desc);
	} else if (failed) {
		p->want = WANT_DOWN;
		proc_set_state(p, PROC_FAILED, p->start_error);
	} else {
		if (!p->spec.oneoff && !formation.exit_on_exit)
			output_system("%s will not be restarted (restart = %s)",
			    p->spec.name,
			    restart_policy_name(p->spec.ts.restart));
		p->want = WANT_DOWN;
		proc_set_state(p, PROC_EXITED, desc);
	}
	proc_drive(p, "restart");
	/* Last: the callback may dispose of p. */
	if (p->on_exit != NULL)
		p->on_exit(p, status, p->on_exit_arg);
}

/* Does anything of p's process group live on? A member we may not
 * signal is not waited for: we could not kill it either. */
static int
proc_group_alive(const struct proc *p)
{
	return kill(-p->pid, 0) == 0;
}

static void
proc_child_cb(struct ev_loop *loop, ev_child *w, int revents)
{
	struct proc *p = w->data;

	if (WIFSTOPPED(w->rstatus) || WIFCONTINUED(w->rstatus))
		return;
	/*
	 * Asked to stop, the rest of its group has until the timeout, as the
	 * leader had: a wrapper (sh, npm) often exits at once while what it
	 * started is still shutting down. Its exit waits for the group.
	 */
	if (p->state == PROC_STOPPING && proc_group_alive(p)) {
		log_debug("%s: leader gone, waiting for its group",
		    p->spec.name);
		ev_child_stop(loop, w);
		p->leader_status = w->rstatus;
		ev_timer_again(loop, &p->drain);
		return;
	}
	proc_exited(p, w->rstatus);
}

static void
proc_drain_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct proc *p = w->data;

	if (proc_group_alive(p))
		return;
	proc_exited(p, p->leader_status);
}

static void
proc_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct proc *p = w->data;

	switch (p->state) {
	case PROC_BACKOFF:
		proc_set_state(p, PROC_STOPPED, "backoff over");
		proc_drive(p, "restart");
		break;
	case PROC_STOPPING:
		output_system("%s did not stop within %.1fs: sending SIGKILL",
		    p->spec.name, p->spec.ts.timeout_ms / 1000.);
		proc_signal(p, SIGKILL);
		break;
	default:
		break;
	}
}
