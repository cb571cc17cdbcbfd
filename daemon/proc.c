/*
 * The process state machine (daemon/proc.h).
 *
 * proc_event() is the one transition function: the current state and an
 * event pick what happens, in one switch per state. The requests set the
 * want and feed an event; the watchers (child, exec report, timer) feed
 * events and leave the want alone. Every state change goes through
 * proc_set_state(), which logs it at debug level.
 *
 * The actions the transitions take, and the system calls behind them
 * (through the seam of proc_sys.h):
 *
 *   proc_begin	take the next spec, set up stdio, spawn: -> starting
 *   proc_halt	the stop signal to the group, the kill timer: -> stopping
 *   proc_reap	after the exit: output drained, the group killed,
 *		watchers stopped, the exit logged
 *   proc_retry	after an exit or a failed start, by the policy:
 *		-> starting (at once), backoff, exited or failed
 */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <ev.h>

#include "common/env.h"
#include "common/log.h"
#include "common/procenv.h"
#include "common/spawn.h"
#include "common/store.h"
#include "common/util.h"
#include "common/waitstatus.h"
#include "common/xmalloc.h"
#include "daemon/journal.h"
#include "daemon/output.h"
#include "daemon/probe.h"
#include "daemon/proc.h"
#include "daemon/proc_sys.h"
#include "daemon/sockets.h"

#define BACKOFF_MAX	60.	/* seconds */
#define BACKOFF_RESET	10.	/* up this long: the back-off starts over */
#define DRAIN_POLL	0.05	/* seconds between looks at a leaderless group */
#define CMD_FAILURES_MAX 5	/* commands not found in a row: failed */

struct proc {
	struct proc_spec	 spec;
	struct proc_spec	*next;		/* for the next start, or NULL */

	/* What the user wants. */
	int			 want_up;
	int			 restart_pending;

	/* What the process is. */
	enum proc_state		 state;
	int			 started;	/* ever: a one-off runs once */
	pid_t			 pid;		/* 0: none */
	ev_child		 child;
	ev_io			 exec;		/* the report of a child not
						 * yet exec'd; fd -1: none */
	ev_timer		 timer;		/* backoff or kill */
	ev_timer		 drain;		/* stopping: the leader is gone,
						 * its group not yet */
	int			 leader_status;	/* its wait status, meanwhile */
	int			 pty_slave;	/* a tty type's, until the exit */
	struct outsrc		*out;
	struct logring		 ring;
	int			 restarts;	/* automatic restarts */
	int			 failures;	/* in a row, for the backoff */
	int			 cmd_failures;	/* exits 126 and 127 in a row */
	time_t			 started_at;	/* wall clock */
	double			 started_mono;	/* 0: not up (a failed start) */
	int			 last_status;	/* wait status; -1: none */
	int			 last_shell;	/* that was /bin/sh's, not its
						 * program's */
	char			*start_error;	/* why the last start failed */
	char			*failure;	/* the same, kept until it is
						 * ready again */
	int			 not_ready;	/* stopping: it was not ready
						 * in time */
	struct probe		*probe;		/* its readiness check */
	char			*status;	/* STATUS= from its group */

	/* For the owner's callback, per event. */
	int			 changed;
	int			 ended;
	proc_cb			 cb;
	void			*cb_arg;
};

static void proc_child_cb(struct ev_loop *, ev_child *, int);
static void proc_exec_cb(struct ev_loop *, ev_io *, int);
static void proc_timer_cb(struct ev_loop *, ev_timer *, int);
static void proc_drain_cb(struct ev_loop *, ev_timer *, int);

static const char *state_names[] = {
	"stopped", "starting", "running", "stopping", "backoff", "exited",
	"failed",
};

static const char *event_names[] = {
	"start", "stop", "restart", "exited", "exec failed", "ready", "timer",
	"new spec",
};

/* The seam: the real system calls. */
static pid_t
proc_sys_spawn(const struct spawn *sp, int wait, int *errfd, char *err,
    size_t len, int *code)
{
	*errfd = -1;
	if (wait)
		return spawn_start(sp, err, len, code);
	return spawn_begin(sp, errfd, err, len, code);
}

static double
proc_sys_now(void)
{
	return ev_now(EV_DEFAULT);
}

static void
proc_sys_timer(struct proc *p, double after)
{
	ev_timer_stop(EV_DEFAULT, &p->timer);
	if (after < 0)
		return;
	ev_timer_set(&p->timer, after, 0.);
	ev_timer_start(EV_DEFAULT, &p->timer);
}

static void
proc_probe_done(void *arg)
{
	struct proc *p = arg;

	proc_event(p, PROC_EV_READY, 0, NULL);
}

static void
proc_sys_probe(struct proc *p, int on)
{
	struct probe_target t;

	probe_free(p->probe);
	p->probe = NULL;
	if (!on)
		return;
	memset(&t, 0, sizeof t);
	t.port = p->spec.port;
	t.pid = p->pid;
	if (p->spec.ready.kind == READY_ACCEPT &&
	    sockset_connect_addr(p->spec.sockets, &t.addr, &t.addrlen) == -1)
		t.addrlen = 0;	/* never ready: the config has it refused */
	p->probe = probe_new(&p->spec.ready, &t, proc_probe_done, p);
}

static const struct proc_sys proc_sys_real = {
	proc_sys_spawn, kill, proc_sys_now, proc_sys_timer, proc_sys_probe,
};
static const struct proc_sys *sys = &proc_sys_real;

void
proc_set_sys(const struct proc_sys *s)
{
	sys = s != NULL ? s : &proc_sys_real;
}

const char *
proc_state_name(enum proc_state s)
{
	return state_names[s];
}

const char *
proc_event_name(enum proc_event e)
{
	return event_names[e];
}

void
proc_spec_init(struct proc_spec *spec)
{
	memset(spec, 0, sizeof *spec);
	spec->io.fds[0] = spec->io.fds[1] = spec->io.fds[2] = -1;
	spec->io.pty = -1;
	spec->policy.stop_signal = SIGTERM;
	spec->policy.stop_timeout_ms = 10000;
	spec->policy.umask = 022;
}

/* Close what the io of a spec holds. */
static void
proc_io_release(struct proc_io *io)
{
	int i;

	for (i = 0; i < 3; i++) {
		if (io->fds[i] != -1)
			close(io->fds[i]);
		io->fds[i] = -1;
	}
	if (io->pty != -1)
		close(io->pty);
	io->pty = -1;
	free(io->term);
	io->term = NULL;
}

void
proc_spec_release(struct proc_spec *spec)
{
	proc_io_release(&spec->io);
	strv_free(spec->argv);
	strv_free(spec->words);
	strv_free(spec->env);
	free(spec->name);
	free(spec->display);
	free(spec->notify_socket);
	rel_unref(spec->rel);
	sockset_unref(spec->sockets);
	proc_spec_init(spec);
}

struct proc *
proc_new(struct proc_spec *spec, proc_cb cb, void *arg)
{
	struct proc *p;

	p = xcalloc(1, sizeof *p);
	p->spec = *spec;
	proc_spec_init(spec);
	p->state = PROC_STOPPED;
	p->last_status = -1;
	p->pty_slave = -1;
	p->cb = cb;
	p->cb_arg = arg;
	logring_init(&p->ring);
	ev_init(&p->child, proc_child_cb);
	p->child.data = p;
	ev_io_init(&p->exec, proc_exec_cb, -1, EV_READ);
	p->exec.data = p;
	ev_init(&p->timer, proc_timer_cb);
	p->timer.data = p;
	ev_timer_init(&p->drain, proc_drain_cb, DRAIN_POLL, DRAIN_POLL);
	p->drain.data = p;
	output_fit_name(p->spec.name);
	return p;
}

static void
proc_pty_release(struct proc *p)
{
	if (p->pty_slave != -1)
		close(p->pty_slave);
	p->pty_slave = -1;
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
	proc_pty_release(p);
	proc_spec_release(&p->spec);
	if (p->next != NULL) {
		proc_spec_release(p->next);
		free(p->next);
	}
	probe_free(p->probe);
	free(p->start_error);
	free(p->failure);
	free(p->status);
	free(p);
}

void
proc_set_callback(struct proc *p, proc_cb cb, void *arg)
{
	p->cb = cb;
	p->cb_arg = arg;
}

/* Questions. */
enum proc_state
proc_state(const struct proc *p)
{
	return p->state;
}

const char *
proc_name(const struct proc *p)
{
	return p->spec.name;
}

int
proc_alive(const struct proc *p)
{
	return p->pid != 0;
}

pid_t
proc_pid(const struct proc *p)
{
	return p->pid;
}

int
proc_wants_up(const struct proc *p)
{
	return p->want_up;
}

int
proc_has_next_spec(const struct proc *p)
{
	return p->next != NULL;
}

struct rel *
proc_rel(const struct proc *p)
{
	return p->spec.rel;
}

int
proc_port(const struct proc *p)
{
	return p->spec.port;
}

int
proc_next_port(const struct proc *p)
{
	return p->next != NULL ? p->next->port : 0;
}

struct logring *
proc_ring(struct proc *p)
{
	return &p->ring;
}

const char *
proc_start_error(const struct proc *p)
{
	return p->start_error;
}

const char *
proc_last_failure(const struct proc *p)
{
	return p->failure;
}

/* Remember why a start failed, past the next start. */
static void
proc_note_failure(struct proc *p, const char *why)
{
	free(p->failure);
	p->failure = why != NULL ? xstrdup(why) : NULL;
}

int
proc_last_status(const struct proc *p)
{
	return p->last_status;
}

int
proc_has_check(const struct proc *p)
{
	return p->spec.ready.kind != READY_STARTED;
}

enum proc_readiness
proc_readiness(const struct proc *p)
{
	if (p->state == PROC_RUNNING)
		return PROC_READY_YES;
	if (p->state == PROC_STARTING && p->failures == 0)
		return PROC_READY_WAIT;
	return PROC_READY_NO;
}

void
proc_info(const struct proc *p, struct proc_info *info)
{
	memset(info, 0, sizeof *info);
	info->name = p->spec.name;
	info->pid = p->pid;
	info->state = p->state;
	info->port = p->spec.port;
	info->restarts = p->restarts;
	info->started_at = p->pid != 0 ? p->started_at : 0;
	info->last_status = p->last_status;
	info->version = p->spec.rel->release.version;
	info->display = p->spec.display;
	info->status = p->status != NULL ? p->status : "";
	info->shell = p->spec.shell;
	info->last_shell = p->last_shell;
}

void
proc_describe_exit(const struct proc *p, char *buf, size_t len)
{
	waitstatus_describe(p->last_status, p->last_shell, buf, len);
}

static void
proc_set_state(struct proc *p, enum proc_state state, const char *why)
{
	if (state == PROC_RUNNING)
		proc_note_failure(p, NULL);
	/* Leaving starting, its check is over. */
	if (p->state == PROC_STARTING && state != PROC_STARTING)
		sys->probe(p, 0);
	log_debug("%s: %s -> %s%s%s%s", p->spec.name,
	    state_names[p->state], state_names[state], why ? " (" : "",
	    why ? why : "", why ? ")" : "");
	p->state = state;
	p->changed = 1;
}

/* The environment of a process (common/procenv.h). */
static char **
proc_envp(struct proc *p)
{
	struct procenv pe;
	char **envp;
	size_t n;

	pe.name = p->spec.name;
	pe.port = p->spec.port;
	pe.pty = p->spec.io.tty;
	pe.term = p->spec.io.term;
	pe.added = p->spec.env;
	envp = procenv_build(&p->spec.rel->release, &pe);
	if (p->spec.notify_socket != NULL) {
		for (n = 0; envp[n] != NULL; n++)
			;
		envp = xreallocarray(envp, n + 2, sizeof *envp);
		xasprintf(&envp[n], "NOTIFY_SOCKET=%s", p->spec.notify_socket);
		envp[n + 1] = NULL;
	}
	return envp;
}

static void
proc_out_eof(struct outsrc *src, void *arg)
{
	/* The exit, not the EOF, ends a process: an escaped grandchild may
	 * hold the pipe open. Nothing to do until then. */
}

/* A pty of its own for a tty type: plain "\n" line ends, as through a
 * pipe. The slave is kept until the exit (proc_reap). */
static int
proc_open_pty(struct proc *p, int fds[3])
{
	struct termios tio;
	int master, slave;

	if (spawn_open_pty(&master, &slave) == -1)
		return -1;
	if (tcgetattr(slave, &tio) == 0) {
		tio.c_oflag &= ~(tcflag_t)OPOST;
		tcsetattr(slave, TCSANOW, &tio);
	}
	fds[1] = fds[2] = slave;
	p->pty_slave = slave;
	p->out = outsrc_new(master, p->spec.name, p->spec.color, &p->ring,
	    proc_out_eof, p);
	return 0;
}

/* Set up stdio (struct proc_io): fills fds, and *ctty when fds[1] is
 * to be the controlling terminal; the read side of a log goes to p->out. */
static int
proc_open_io(struct proc *p, int fds[3], int *ctty, char *err, size_t len)
{
	const struct proc_io *io = &p->spec.io;
	int pipefd[2];

	*ctty = 0;
	if (io->pty != -1) {
		fds[0] = fds[1] = fds[2] = io->pty;
		*ctty = 1;
		return 0;
	}
	if (io->fds[1] != -1) {
		memcpy(fds, io->fds, sizeof io->fds);
		return 0;
	}
	fds[0] = -1;
	if (io->tty) {
		if (proc_open_pty(p, fds) == -1)
			goto fail;
		*ctty = 1;
		return 0;
	}
	if (pipe2(pipefd, O_CLOEXEC) == -1)
		goto fail;
	fds[1] = fds[2] = pipefd[1];
	p->out = outsrc_new(pipefd[0], p->spec.name, p->spec.color, &p->ring,
	    proc_out_eof, p);
	/* In the journal, stderr lines have a priority of their own. */
	if (journal_on() && outsrc_split_stderr(p->out, &fds[2]) == -1)
		log_warn("%s: stderr with stdout", p->spec.name);
	return 0;
fail:
	snprintf(err, len, "cannot create its output: %s", strerror(errno));
	return -1;
}

/* After the spawn: our copies of the child's ends go, so that whoever
 * reads the other end sees EOF once the child is gone. */
static void
proc_close_io(struct proc *p, int fds[3])
{
	struct proc_io *io = &p->spec.io;
	int i;

	/*
	 * A pty's slave stays open until the exit (proc_reap): were the
	 * process's own close of its terminal the last, the kernel would
	 * hang it up, and a process that leads its session (a program run
	 * without a shell) would die of that SIGHUP on its way out.
	 */
	if (p->pty_slave != -1 || io->pty != -1)
		return;
	if (io->fds[1] != -1) {
		for (i = 0; i < 3; i++) {
			if (io->fds[i] != -1)
				close(io->fds[i]);
			io->fds[i] = -1;
		}
	} else if (fds[1] != -1) {
		close(fds[1]);
		if (fds[2] != fds[1])
			close(fds[2]);
	}
}

/*
 * Spawn the child. A supervised process does not wait for its exec: the
 * report comes to p->exec, so a thousand of them start at once rather
 * than one after the other. A one-off's caller waits for the answer
 * anyway. -1 with err and code (125, 126, 127) when it did not start.
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
	if (p->spec.sockets != NULL)
		sockset_spawn(p->spec.sockets, &envp, &sp);
	sp.argv = p->spec.argv;
	sp.words = p->spec.words;
	sp.envp = envp;
	sp.cwd = p->spec.rel->release.root;
	sp.ctty = ctty;
	sp.pdeathsig = SIGKILL;
	sp.umask = p->spec.policy.umask;
	p->pid = sys->spawn(&sp, p->spec.policy.once, &errfd, err, errlen,
	    code);
	proc_close_io(p, sp.fds);
	strv_free(envp);
	if (p->pid == -1) {
		p->pid = 0;
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
	p->started_mono = sys->now();
	return 0;
}

/*
 * Read the exec report of a started child, if it is still pending: 0 it
 * exec'd (or nothing was pending), -1 a step before the exec failed
 * (err, code), 1 not known yet. Once known, the report pipe is closed.
 */
static int
proc_exec_report(struct proc *p, char *err, size_t len, int *code)
{
	struct spawn sp;
	int fd = p->exec.fd, rc;

	if (fd == -1)
		return 0;
	memset(&sp, 0, sizeof sp);
	sp.argv = p->spec.argv;
	sp.cwd = p->spec.rel->release.root;
	if ((rc = spawn_result(fd, &sp, err, len, code)) == 1)
		return 1;
	ev_io_stop(EV_DEFAULT, &p->exec);
	close(fd);
	ev_io_set(&p->exec, -1, EV_READ);
	return rc;
}

/* Seconds to wait before the next start, and count this failure. */
static double
proc_backoff(struct proc *p)
{
	double delay;

	if (p->started_mono > 0 &&
	    sys->now() - p->started_mono >= BACKOFF_RESET)
		p->failures = 0;
	delay = p->failures == 0 ? 0. : (double)(1 << (p->failures > 7 ? 7 :
	    p->failures - 1));
	if (delay > BACKOFF_MAX)
		delay = BACKOFF_MAX;
	p->failures++;
	return delay;
}

/* Would the policy restart a process that exited with this status? */
static int
proc_should_restart(const struct proc *p, int status)
{
	const struct proc_policy *pol = &p->spec.policy;

	if (pol->once || pol->never_restart || !p->want_up)
		return 0;
	switch (pol->restart) {
	case RESTART_NEVER:
		return 0;
	case RESTART_ON_FAILURE:
		return !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	default:
		return 1;
	}
}

/* The next spec, if one is pending, becomes the spec. */
static void
proc_take_next(struct proc *p)
{
	if (p->next == NULL)
		return;
	proc_spec_release(&p->spec);
	p->spec = *p->next;
	free(p->next);
	p->next = NULL;
	output_fit_name(p->spec.name);
}

static void proc_retry(struct proc *, int, const char *);
static void proc_halt(struct proc *, const char *);

/* A start that failed at once: as an exit with the code, at once. */
static void
proc_start_failed(struct proc *p, int code, const char *err)
{
	output_system("%s failed to start: %s", p->spec.name, err);
	free(p->start_error);
	p->start_error = xstrdup(err);
	proc_note_failure(p, err);
	p->last_status = code << 8;
	p->last_shell = 0;	/* the report's, not the shell's */
	p->started_mono = 0;
	p->ended = 1;
	proc_retry(p, p->last_status, err);
}

/*
 * "web.1 started (pid 42)". A one-off's command is news, a formation's
 * is in ps; so are the port it was given and the names of the variables
 * added for it (never their values). A pid that is the shell's, not the
 * app's, says so: a signal sent to it reaches the shell.
 */
static void
proc_log_start(struct proc *p)
{
	struct strbuf sb = STRBUF_INIT;

	if (p->spec.policy.once && p->spec.port > 0)
		strbuf_addf(&sb, " on port %d", p->spec.port);
	if (p->spec.env != NULL) {
		strbuf_addstr(&sb, " with ");
		procenv_keys(&sb, p->spec.env);
	}
	if (p->spec.policy.once)
		strbuf_addf(&sb, ": %s", p->spec.display);
	output_system("%s started (pid %ld%s)%s", p->spec.name, (long)p->pid,
	    p->spec.shell ? ", /bin/sh running the command" : "",
	    sb.len > 0 ? sb.buf : "");
	strbuf_release(&sb);
}

/* Action: start the process (-> starting, then running once ready). */
static void
proc_begin(struct proc *p, const char *why)
{
	char err[512];
	int code;

	proc_take_next(p);
	free(p->start_error);
	p->start_error = NULL;
	p->started = 1;
	if (proc_spawn(p, err, sizeof err, &code) == -1) {
		proc_start_failed(p, code, err);
		return;
	}
	proc_log_start(p);
	free(p->status);
	p->status = NULL;
	p->not_ready = 0;
	proc_set_state(p, PROC_STARTING, why);
	/* ready = started: it is ready once spawned. */
	if (p->spec.ready.kind == READY_STARTED) {
		proc_set_state(p, PROC_RUNNING, "ready: started");
		return;
	}
	if (p->spec.ready_timeout_ms > 0)
		sys->timer(p, p->spec.ready_timeout_ms / 1000.);
	sys->probe(p, 1);
}

/* "tcp :5000", "accept web": what its check looks at. */
static void
proc_describe_check(const struct proc *p, char *buf, size_t len)
{
	readyspec_describe(&p->spec.ready, p->spec.port,
	    sockset_name(p->spec.sockets), buf, len);
}

/* "60s", "2.5s": the ready_timeout, for the log. */
static void
proc_ready_timeout_text(const struct proc *p, char *buf, size_t len)
{
	int ms = p->spec.ready_timeout_ms;

	if (ms % 1000 == 0)
		snprintf(buf, len, "%ds", ms / 1000);
	else
		snprintf(buf, len, "%.1fs", ms / 1000.);
}

/*
 * The implicit accept of a type with listen, out of time: a process that
 * does not take its sockets still runs, and is ready all the same. The
 * log says so, and how to skip the wait.
 */
static void
proc_ready_unseen(struct proc *p)
{
	char what[READY_PATH_MAX + 64], secs[32], why[READY_PATH_MAX + 128];

	proc_describe_check(p, what, sizeof what);
	proc_ready_timeout_text(p, secs, sizeof secs);
	output_system("%s ready (%s not seen within %s: taken as ready, its "
	    "sockets unused; ready = started skips the wait)", p->spec.name,
	    what, secs);
	snprintf(why, sizeof why, "ready: %s not seen within %s", what, secs);
	proc_set_state(p, PROC_RUNNING, why);
}

/* "not ready within 60s (tcp :5000)", the reason of a failed start. */
static void
proc_not_ready(struct proc *p)
{
	char what[READY_PATH_MAX + 64], secs[32], *why;

	if (p->spec.ready.kind == READY_ACCEPT && p->spec.ready.implicit) {
		proc_ready_unseen(p);
		return;
	}
	proc_describe_check(p, what, sizeof what);
	proc_ready_timeout_text(p, secs, sizeof secs);
	xasprintf(&why, "not ready within %s (%s)", secs, what);
	free(p->start_error);
	p->start_error = why;
	p->not_ready = 1;
	proc_halt(p, why);
}

/* starting -> running: "web.1 ready (tcp :5000, 1.4 s)". */
static void
proc_now_ready(struct proc *p)
{
	char what[READY_PATH_MAX + 64], why[READY_PATH_MAX + 80];

	sys->timer(p, -1);
	proc_describe_check(p, what, sizeof what);
	output_system("%s ready (%s, %.1f s)", p->spec.name, what,
	    sys->now() - p->started_mono);
	snprintf(why, sizeof why, "ready: %s", what);
	proc_set_state(p, PROC_RUNNING, why);
}

/* Action: the stop signal to the group (-> stopping). */
static void
proc_halt(struct proc *p, const char *why)
{
	int sig = p->spec.policy.stop_signal;

	output_system("%s stopping (%s%s%s)", p->spec.name, signal_name(sig),
	    why ? ", " : "", why ? why : "");
	proc_set_state(p, PROC_STOPPING, why);
	proc_signal(p, sig);
	/* A stopped process would never see the signal. */
	if (sig != SIGKILL && sig != SIGCONT)
		proc_signal(p, SIGCONT);
	sys->timer(p, p->spec.policy.stop_timeout_ms / 1000.);
}

/*
 * Is this exit one more of a command that cannot be run (127 not found,
 * 126 not executable, from the shell or the exec), the last of those
 * that end the retries? A run up for as long as resets the back-off, or
 * another status, starts the count over.
 */
static int
proc_cmd_failed(struct proc *p, int status)
{
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 0;

	if ((code != 126 && code != 127) || (p->started_mono > 0 &&
	    sys->now() - p->started_mono >= BACKOFF_RESET)) {
		p->cmd_failures = 0;
		return 0;
	}
	return ++p->cmd_failures >= CMD_FAILURES_MAX;
}

/*
 * Action, after an exit or a failed start, by the policy: at once or
 * after a back-off when it restarts, else exited or failed.
 */
static void
proc_retry(struct proc *p, int status, const char *why)
{
	double delay;

	if (proc_should_restart(p, status) && proc_cmd_failed(p, status)) {
		output_system("%s failed: %s %d times in a row, not restarted "
		    "(start it to try again)", p->spec.name,
		    WEXITSTATUS(status) == 127 ? "command not found" :
		    "command not executable", p->cmd_failures);
		proc_set_state(p, PROC_FAILED, "command cannot be run");
	} else if (proc_should_restart(p, status)) {
		delay = proc_backoff(p);
		p->restarts++;
		if (delay == 0.) {
			output_system("%s restarting", p->spec.name);
			proc_begin(p, why);
			return;
		}
		output_system("%s restarting in %.0fs", p->spec.name, delay);
		proc_set_state(p, PROC_BACKOFF, why);
		sys->timer(p, delay);
	} else if (p->start_error != NULL) {
		proc_set_state(p, PROC_FAILED, p->start_error);
	} else {
		if (!p->spec.policy.once && !p->spec.policy.never_restart)
			output_system("%s will not be restarted (restart = %s)",
			    p->spec.name,
			    restart_policy_name(p->spec.policy.restart));
		proc_set_state(p, PROC_EXITED, why);
	}
}

/*
 * Action, at the exit: its last words, then the news of its death; what
 * is left of its group goes with it. Fills desc with what happened.
 */
static void
proc_reap(struct proc *p, int status, char *desc, size_t len)
{
	char err[512];
	int code;

	/* A child that failed before its exec did not start (the report
	 * may be read already): its status is the report's code. */
	if (proc_exec_report(p, err, sizeof err, &code) == -1) {
		free(p->start_error);
		p->start_error = xstrdup(err);
	}
	if (p->out != NULL)
		outsrc_drain(p->out);
	outsrc_free(p->out);
	p->out = NULL;
	sys->kill(-p->pid, SIGKILL);
	ev_child_stop(EV_DEFAULT, &p->child);
	ev_timer_stop(EV_DEFAULT, &p->drain);
	sys->timer(p, -1);
	sys->probe(p, 0);
	p->pid = 0;
	p->last_status = status;
	/* Failed before its exec, it was not the shell yet. */
	p->last_shell = p->spec.shell && p->start_error == NULL;
	p->ended = 1;
	if (p->start_error != NULL) {
		p->started_mono = 0;
		proc_note_failure(p, p->start_error);
		snprintf(desc, len, "failed to start");
		output_system("%s failed to start: %s", p->spec.name,
		    p->start_error);
	} else {
		proc_describe_exit(p, desc, len);
		output_system("%s %s", p->spec.name, desc);
		/* Dead before it was ready: that is why it was not. */
		if (p->state == PROC_STARTING)
			proc_note_failure(p, desc);
	}
	proc_pty_release(p);
	/* The caller's stdio is for one run. */
	proc_io_release(&p->spec.io);
}

/* May it be started now? A one-off runs once. */
static int
proc_may_start(const struct proc *p)
{
	return p->want_up && !(p->spec.policy.once && p->started);
}

/* stopped, exited, failed: nothing runs. */
static void
proc_on_idle(struct proc *p, enum proc_event ev, const char *why)
{
	switch (ev) {
	case PROC_EV_START:
	case PROC_EV_RESTART:
		p->restart_pending = 0;
		if (proc_may_start(p))
			proc_begin(p, why);
		break;
	default:
		break;
	}
}

/* starting, running: a pid is alive. */
static void
proc_on_up(struct proc *p, enum proc_event ev, int arg, const char *why)
{
	char desc[128];

	switch (ev) {
	case PROC_EV_READY:
		if (p->state == PROC_STARTING)
			proc_now_ready(p);
		break;
	case PROC_EV_TIMER:
		/* Starting, the timer is the readiness timeout. */
		if (p->state == PROC_STARTING)
			proc_not_ready(p);
		break;
	case PROC_EV_STOP:
	case PROC_EV_RESTART:
		proc_halt(p, why);
		break;
	case PROC_EV_EXEC_FAILED:
		/* Acted on at the exit, which follows. */
		free(p->start_error);
		p->start_error = xstrdup(why);
		break;
	case PROC_EV_EXITED:
		proc_reap(p, arg, desc, sizeof desc);
		proc_retry(p, arg, desc);
		break;
	default:
		break;
	}
}

/* stopping: the stop signal was sent. */
static void
proc_on_stopping(struct proc *p, enum proc_event ev, int arg,
    const char *why)
{
	char desc[128];

	switch (ev) {
	case PROC_EV_EXITED:
		proc_reap(p, arg, desc, sizeof desc);
		if (p->not_ready && p->want_up && !p->restart_pending) {
			/* Not ready in time: a failed start, by the policy. */
			p->not_ready = 0;
			proc_retry(p, arg, desc);
		} else if (proc_may_start(p)) {
			why = p->restart_pending ? "restart" : "start";
			p->restart_pending = 0;
			proc_begin(p, why);
		} else
			proc_set_state(p, PROC_STOPPED, "stopped");
		break;
	case PROC_EV_TIMER:
		output_system("%s did not stop within %.1fs: sending SIGKILL",
		    p->spec.name, p->spec.policy.stop_timeout_ms / 1000.);
		proc_signal(p, SIGKILL);
		break;
	case PROC_EV_EXEC_FAILED:
		free(p->start_error);
		p->start_error = xstrdup(why);
		break;
	default:
		break;	/* the want is noted: acted on at the exit */
	}
}

/* backoff: waiting for the timer to start it again. */
static void
proc_on_backoff(struct proc *p, enum proc_event ev, const char *why)
{
	switch (ev) {
	case PROC_EV_TIMER:
		proc_begin(p, "backoff over");
		break;
	case PROC_EV_STOP:
		sys->timer(p, -1);
		output_system("%s stopped", p->spec.name);
		proc_set_state(p, PROC_STOPPED, why);
		break;
	case PROC_EV_RESTART:
		sys->timer(p, -1);
		p->restart_pending = 0;
		proc_begin(p, why);
		break;
	default:
		break;
	}
}

void
proc_event(struct proc *p, enum proc_event ev, int arg, const char *why)
{
	int changed, ended;

	log_debug("%s: %s in %s", p->spec.name, event_names[ev],
	    state_names[p->state]);
	p->changed = p->ended = 0;
	switch (p->state) {
	case PROC_STOPPED:
	case PROC_EXITED:
	case PROC_FAILED:
		proc_on_idle(p, ev, why);
		break;
	case PROC_STARTING:
	case PROC_RUNNING:
		proc_on_up(p, ev, arg, why);
		break;
	case PROC_STOPPING:
		proc_on_stopping(p, ev, arg, why);
		break;
	case PROC_BACKOFF:
		proc_on_backoff(p, ev, why);
		break;
	}
	changed = p->changed;
	ended = p->ended;
	/* Last: the callback may dispose of p. */
	if ((changed || ended) && p->cb != NULL)
		p->cb(p, ended, p->cb_arg);
}

/* Requests: they set the want, then feed the event. */
void
proc_start(struct proc *p, const char *why)
{
	/* Asked for, a start begins a new back-off count. */
	if (p->state != PROC_RUNNING && p->state != PROC_STOPPING)
		p->failures = p->cmd_failures = 0;
	p->want_up = 1;
	proc_event(p, PROC_EV_START, 0, why);
}

void
proc_stop(struct proc *p, const char *why)
{
	p->want_up = 0;
	p->restart_pending = 0;
	proc_event(p, PROC_EV_STOP, 0, why);
}

void
proc_restart(struct proc *p, const char *why)
{
	if (p->spec.policy.once)
		return;		/* never restarted */
	p->want_up = 1;
	p->failures = p->cmd_failures = 0;
	p->restart_pending = 1;
	proc_event(p, PROC_EV_RESTART, 0, why);
}

void
proc_kill_now(struct proc *p)
{
	if (p->pid == 0)
		return;
	if (p->state != PROC_STOPPING)
		proc_stop(p, "killed");
	proc_signal(p, SIGKILL);
}

void
proc_notify(struct proc *p, int ready, const char *status)
{
	if (status != NULL) {
		free(p->status);
		p->status = xstrdup(status);
		p->changed = 1;
		if (p->cb != NULL)
			p->cb(p, 0, p->cb_arg);
	}
	if (ready && p->spec.ready.kind == READY_NOTIFY)
		proc_event(p, PROC_EV_READY, 0, "notify");
}

void
proc_set_next_spec(struct proc *p, struct proc_spec *spec)
{
	if (p->next != NULL) {
		proc_spec_release(p->next);
		free(p->next);
		p->next = NULL;
	}
	if (spec == NULL)
		return;
	p->next = xmalloc(sizeof *p->next);
	*p->next = *spec;
	proc_spec_init(spec);
	proc_event(p, PROC_EV_NEW_SPEC, 0, "new spec");
}

int
proc_signal(struct proc *p, int sig)
{
	if (p->pid == 0) {
		errno = ESRCH;
		return -1;
	}
	return sys->kill(-p->pid, sig);
}

/* Watchers: they turn what happened into events. */
static void
proc_exec_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct proc *p = w->data;
	char err[512];
	int code;

	if (proc_exec_report(p, err, sizeof err, &code) == -1)
		proc_event(p, PROC_EV_EXEC_FAILED, code, err);
}

/* Does anything of p's process group live on? A member we may not
 * signal is not waited for: we could not kill it either. */
static int
proc_group_alive(const struct proc *p)
{
	return sys->kill(-p->pid, 0) == 0;
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
	proc_event(p, PROC_EV_EXITED, w->rstatus, NULL);
}

static void
proc_drain_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct proc *p = w->data;

	if (proc_group_alive(p))
		return;
	proc_event(p, PROC_EV_EXITED, p->leader_status, NULL);
}

static void
proc_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	proc_event(w->data, PROC_EV_TIMER, 0, NULL);
}
