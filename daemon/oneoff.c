/*
 * One-off processes: a MSG_ONEOFF becomes a struct proc named run.N that
 * proc.c starts and watches like any other, on the current release, with
 * its stdio wired to the caller:
 *
 *   pipe mode	the caller's fds 0, 1, 2, passed with the request
 *   tty mode	a pty we open; the slave is the one-off's terminal, the
 *		master goes back to the caller with MSG_ONEOFF_STARTED
 *   detached	a pipe into the log, as for a formation process
 *
 * We keep no copy of those fds once the one-off is spawned: the caller
 * and the one-off alone hold them, so EOF (EIO on the pty) comes when the
 * one-off is gone. The caller hears MSG_ONEOFF_STARTED, then
 * MSG_ONEOFF_EXIT; a start that fails is a MSG_ERROR with 126 or 127.
 */
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "common/msg.h"
#include "common/procenv.h"
#include "common/runcmd.h"
#include "common/spawn.h"
#include "common/store.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "daemon/codecheck.h"
#include "daemon/formation.h"
#include "daemon/oneoff.h"
#include "daemon/server.h"
#include "daemon/sockets.h"

#define ONEOFF_ARGS_MAX		4096
#define ONEOFF_ENV_MAX		4096
#define ONEOFF_LOGS_KEPT	16
#define ONEOFF_FLAGS (ONEOFF_SHELL | ONEOFF_TTY | ONEOFF_DETACH | \
	ONEOFF_TYPE | ONEOFF_STRICT | ONEOFF_LISTEN)

struct oneoff_log_list oneoff_logs = TAILQ_HEAD_INITIALIZER(oneoff_logs);

/* A decoded request; argv and env borrow from the message. */
struct oneoff_req {
	int		  opts;		/* MSG_RUN: port and env */
	uint32_t	  flags;
	const char	 *term;
	uint32_t	  rows, cols;
	uint32_t	  port;		/* 0: none asked for */
	uint32_t	  nenv;
	const char	**env;		/* "KEY=VALUE"s to add */
	uint32_t	  argc;
	const char	**argv;
	int		  fds[3];	/* pipe mode; -1 once handed on */
};

/* A request waiting for the look at the code before it starts; its
 * req owns its strings. */
struct oneoff_wait {
	struct peer		*peer;
	struct oneoff_req	 req;		/* its strings are these: */
	char			*term;
	char			**argv;
	char			**env;
	struct codecheck	*check;
};

static void oneoff_changed(struct proc *, int, void *);

/* MSG_RUN's fields: the port, the variables to add. */
static int
oneoff_decode_opts(struct msg *m, struct oneoff_req *req)
{
	uint32_t i;

	if (msg_get_u32(m, &req->port) == -1 || req->port > 65535 ||
	    msg_get_u32(m, &req->nenv) == -1 || req->nenv > ONEOFF_ENV_MAX)
		return -1;
	req->env = xcalloc(req->nenv + 1, sizeof *req->env);
	for (i = 0; i < req->nenv; i++) {
		if (msg_get_str(m, &req->env[i]) == -1 ||
		    !procenv_valid(req->env[i]))
			return -1;
	}
	return 0;
}

static int
oneoff_decode(struct peer *peer, struct msg *m, struct oneoff_req *req)
{
	uint32_t i, f;

	if (msg_get_u32(m, &req->flags) == -1 ||
	    msg_get_str(m, &req->term) == -1 ||
	    msg_get_u32(m, &req->rows) == -1 ||
	    msg_get_u32(m, &req->cols) == -1)
		return -1;
	if (req->opts && oneoff_decode_opts(m, req) == -1)
		return -1;
	if (msg_get_u32(m, &req->argc) == -1)
		return -1;
	f = req->flags;
	if (req->argc == 0 || req->argc > ONEOFF_ARGS_MAX ||
	    (f & ~ONEOFF_FLAGS) != 0 ||
	    ((f & ONEOFF_SHELL) && ((f & ONEOFF_TYPE) || req->argc != 1)) ||
	    ((f & ONEOFF_LISTEN) && !(f & ONEOFF_TYPE)) ||
	    ((f & ONEOFF_TTY) && (f & ONEOFF_DETACH)))
		return -1;
	req->argv = xcalloc(req->argc + 1, sizeof *req->argv);
	for (i = 0; i < req->argc; i++) {
		if (msg_get_str(m, &req->argv[i]) == -1)
			return -1;
	}
	if (msg_end(m) == -1)
		return -1;
	/* Pipe mode brings the caller's stdio; the others bring nothing. */
	if ((f & (ONEOFF_TTY | ONEOFF_DETACH)) == 0)
		return peer_take_fds(peer, req->fds, 3);
	return peer->nfds == 0 ? 0 : -1;
}

/* PORT: the one asked for, else one free now for a type's command that
 * reads it, never an instance's; 0: none. -1 if none can be found. */
static int
oneoff_port(const struct oneoff_req *req, const struct runcmd *cmd)
{
	struct proc_info info;
	struct member *mb;
	int *ports, port;
	size_t n = 0, i;

	if (req->port > 0)
		return (int)req->port;
	if (!cmd->uses_port)
		return 0;
	for (i = 0; i < req->nenv; i++) {
		if (strncmp(req->env[i], "PORT=", 5) == 0)
			return 0;	/* -e PORT= said which */
	}
	TAILQ_FOREACH(mb, &formation.members, entry)
		n++;
	ports = xcalloc(n + 1, sizeof *ports);
	n = 0;
	TAILQ_FOREACH(mb, &formation.members, entry) {
		proc_info(mb->proc, &info);
		if (info.port > 0)
			ports[n++] = info.port;
	}
	port = runcmd_port(ports, n);
	free(ports);
	return port == 0 ? -1 : port;
}

/* The spec of a one-off: the command (taken from cmd), on the current
 * release; it runs once. */
static void
oneoff_spec(struct proc_spec *spec, const struct oneoff_req *req,
    struct runcmd *cmd, int n, int port)
{
	uint32_t i;

	proc_spec_init(spec);
	xasprintf(&spec->name, "run.%d", n);
	spec->color = (int)formation.rel->release.nprocs;
	spec->port = port;
	spec->argv = cmd->argv;
	spec->words = cmd->words;
	spec->display = cmd->display;
	spec->shell = cmd->shell;
	memset(cmd, 0, sizeof *cmd);
	if (req->nenv > 0) {
		spec->env = xcalloc(req->nenv + 1, sizeof *spec->env);
		for (i = 0; i < req->nenv; i++)
			spec->env[i] = xstrdup(req->env[i]);
	}
	spec->rel = rel_ref(formation.rel);
	/* Attached, it goes as a terminal's processes do when the terminal
	 * does. */
	spec->policy.stop_signal = req->flags & ONEOFF_DETACH ? SIGTERM :
	    SIGHUP;
	spec->policy.stop_timeout_ms = formation.settings->timeout_ms;
	spec->policy.restart = RESTART_NEVER;
	spec->policy.umask = formation.umask;
	spec->policy.once = 1;
}

/*
 * With ONEOFF_LISTEN, the sockets held for the type (argv[0], a type
 * runcmd_resolve() has found), referenced into *set, for proc_spawn() to
 * pass as it does to the type's instances; else *set is NULL. -1 when
 * the type holds none (the caller is told).
 */
static int
oneoff_sockets(struct peer *peer, const struct oneoff_req *req,
    struct sockset **set)
{
	*set = NULL;
	if ((req->flags & ONEOFF_LISTEN) == 0)
		return 0;
	if ((*set = sockets_for(req->argv[0])) != NULL)
		return 0;
	peer_error(peer, 1, "run --listen: %s holds no sockets (no listen = "
	    "in [process.%s] of formation.ini)", req->argv[0], req->argv[0]);
	return -1;
}

/* The one-off's terminal: the slave for it, the master for the caller. */
static int
oneoff_open_pty(struct proc_spec *spec, const struct oneoff_req *req,
    int *master)
{
	struct winsize ws;
	int slave;

	if (spawn_open_pty(master, &slave) == -1)
		return -1;
	if (req->rows > 0 && req->cols > 0) {
		memset(&ws, 0, sizeof ws);
		ws.ws_row = (unsigned short)(req->rows > USHRT_MAX ? USHRT_MAX :
		    req->rows);
		ws.ws_col = (unsigned short)(req->cols > USHRT_MAX ? USHRT_MAX :
		    req->cols);
		(void)ioctl(*master, TIOCSWINSZ, &ws);
	}
	spec->io.pty = slave;
	if (*req->term != '\0')
		spec->io.term = xstrdup(req->term);
	return 0;
}

/* Start m and tell the caller; a failed start has answered already. */
static void
oneoff_start(struct peer *peer, struct member *m, int master,
    const struct oneoff_req *req, int port)
{
	struct strbuf sb = STRBUF_INIT;
	struct proc *p = m->proc;
	int detach = (req->flags & ONEOFF_DETACH) != 0;

	formation_insert(m);
	m->caller = peer;
	proc_start(p, "one-off");
	if (!proc_alive(p))
		return;
	if (detach)
		m->caller = NULL;
	else
		peer->oneoff = p;
	msg_new(&sb, req->opts ? MSG_RUN_STARTED : MSG_ONEOFF_STARTED);
	msg_put_str(&sb, proc_name(p));
	msg_put_u32(&sb, (uint32_t)proc_pid(p));
	if (req->opts)
		msg_put_u32(&sb, (uint32_t)port);
	msg_finish(&sb, 0);
	if (master == -1)
		peer_send(peer, &sb);
	else if (peer_send_fds(peer, &sb, &master, 1) == -1)
		peer_close(peer);	/* and the one-off goes with it */
	strbuf_release(&sb);
}

/*
 * A one-off runs the release's code, as the formation does: when the work
 * tree's (now, NULL when not looked at) differs, say so before it starts,
 * or refuse under strict. -1 when refused (the caller is told).
 */
static int
oneoff_code(struct peer *peer, uint32_t flags, const struct code *now)
{
	struct strbuf sb = STRBUF_INIT;
	char *msg;

	if (now == NULL ||
	    !release_code_differs(&formation.rel->release, 1, now, &msg))
		return 0;
	if ((flags & ONEOFF_STRICT) || formation.settings->strict) {
		peer_error(peer, 1, "%s; not run, as %s", msg,
		    flags & ONEOFF_STRICT ? "--strict is given" :
		    "[release] strict is set");
		free(msg);
		return -1;
	}
	msg_new(&sb, MSG_ONEOFF_WARNING);
	msg_put_str(&sb, msg);
	msg_finish(&sb, 0);
	peer_send(peer, &sb);
	strbuf_release(&sb);
	free(msg);
	return 0;
}

/* Run req for peer on the current release, the code of the work tree
 * being now (NULL: not looked at). The fds of req are taken. */
static void
oneoff_go(struct peer *peer, struct oneoff_req *req, const struct code *now)
{
	struct runcmd cmd;
	struct proc_spec spec;
	struct sockset *set = NULL;
	struct member *mb;
	char err[512];
	int master = -1, i, n, port, code;

	memset(&cmd, 0, sizeof cmd);
	if (formation.shutting_down) {
		peer_error(peer, 125, "the formation is stopping");
		goto out;
	}
	if ((code = runcmd_resolve(&cmd, &formation.rel->release, req->flags,
	    (int)req->argc, req->argv, err, sizeof err)) != 0) {
		peer_error(peer, (uint32_t)code, "%s", err);
		goto out;
	}
	if (oneoff_sockets(peer, req, &set) == -1 ||
	    oneoff_code(peer, req->flags, now) == -1)
		goto out;
	if ((port = oneoff_port(req, &cmd)) == -1) {
		peer_error(peer, 125, "cannot find a free port: %s",
		    strerror(errno));
		goto out;
	}
	n = ++formation.next_oneoff;
	oneoff_spec(&spec, req, &cmd, n, port);
	spec.sockets = set;	/* the spec's now */
	set = NULL;
	if ((req->flags & ONEOFF_TTY) &&
	    oneoff_open_pty(&spec, req, &master) == -1) {
		peer_error(peer, 125, "cannot open a pty: %s", strerror(errno));
		proc_spec_release(&spec);
		goto out;
	}
	for (i = 0; i < 3; i++) {
		spec.io.fds[i] = req->fds[i];
		req->fds[i] = -1;
	}
	mb = formation_member_new(proc_new(&spec, NULL, NULL), "run", n,
	    (int)formation.rel->release.nprocs, 1);
	proc_set_callback(mb->proc, oneoff_changed, mb);
	oneoff_start(peer, mb, master, req, port);
out:
	for (i = 0; i < 3; i++) {
		if (req->fds[i] != -1)
			close(req->fds[i]);
		req->fds[i] = -1;
	}
	if (master != -1)
		close(master);
	sockset_unref(set);
	runcmd_release(&cmd);
}

static void
oneoff_wait_free(struct oneoff_wait *w)
{
	uint32_t i;

	for (i = 0; i < 3; i++) {
		if (w->req.fds[i] != -1)
			close(w->req.fds[i]);
	}
	strv_free(w->argv);
	strv_free(w->env);
	free(w->req.argv);
	free(w->req.env);
	free(w->term);
	free(w);
}

/* git has said what the work tree's code is (or could not): go on. */
static void
oneoff_looked(const struct code *now, int ok, const char *warn, void *arg)
{
	struct oneoff_wait *w = arg;
	struct peer *peer = w->peer;

	peer->oneoff_wait = NULL;
	w->check = NULL;
	/* Code that git could not tell is no reason to hold a one-off. */
	oneoff_go(peer, &w->req, ok == 0 ? now : NULL);
	oneoff_wait_free(w);
}

/* Look at the code of the work tree, without waiting, then run req: its
 * strings are copied and its fds taken. 0, or -1 when no look could be
 * started (req untouched). */
static int
oneoff_look(struct peer *peer, struct oneoff_req *req)
{
	struct oneoff_wait *w;
	uint32_t i;

	w = xcalloc(1, sizeof *w);
	w->check = codecheck_start(formation.rel->release.root, CODE_CHECK_MS,
	    oneoff_looked, w);
	if (w->check == NULL) {
		free(w);
		return -1;
	}
	w->peer = peer;
	w->req = *req;
	w->req.term = w->term = xstrdup(req->term);
	w->argv = xcalloc(req->argc + 1, sizeof *w->argv);
	w->req.argv = xcalloc(req->argc + 1, sizeof *w->req.argv);
	for (i = 0; i < req->argc; i++)
		w->req.argv[i] = w->argv[i] = xstrdup(req->argv[i]);
	w->env = xcalloc(req->nenv + 1, sizeof *w->env);
	w->req.env = xcalloc(req->nenv + 1, sizeof *w->req.env);
	for (i = 0; i < req->nenv; i++)
		w->req.env[i] = w->env[i] = xstrdup(req->env[i]);
	for (i = 0; i < 3; i++)
		req->fds[i] = -1;
	peer->oneoff_wait = w;
	return 0;
}

int
oneoff_request(struct peer *peer, struct msg *m)
{
	const struct release *r = &formation.rel->release;
	struct oneoff_req req;
	int i, rc = -1;

	memset(&req, 0, sizeof req);
	req.opts = m->type == MSG_RUN;
	req.fds[0] = req.fds[1] = req.fds[2] = -1;
	if (peer->oneoff != NULL || peer->oneoff_wait != NULL ||
	    oneoff_decode(peer, m, &req) == -1)
		goto out;
	rc = 0;
	/* git runs beside the loop, not in it: the one-off starts when it
	 * has said. */
	if (formation.shutting_down || r->code.commit == NULL ||
	    r->root == NULL || oneoff_look(peer, &req) == -1)
		oneoff_go(peer, &req, NULL);
out:
	for (i = 0; i < 3; i++) {
		if (req.fds[i] != -1)
			close(req.fds[i]);
	}
	free(req.argv);
	free(req.env);
	return rc;
}

void
oneoff_peer_gone(struct peer *peer)
{
	struct oneoff_wait *w = peer->oneoff_wait;

	if (w == NULL)
		return;
	peer->oneoff_wait = NULL;
	codecheck_cancel(w->check);
	oneoff_wait_free(w);
}

void
oneoff_keep_log(struct proc *p)
{
	struct logring *ring = proc_ring(p);
	struct oneoff_log *l;
	size_t n = 0;

	if (ring->count == 0)
		return;
	l = xcalloc(1, sizeof *l);
	l->name = xstrdup(proc_name(p));
	logring_move(&l->ring, ring);
	TAILQ_INSERT_TAIL(&oneoff_logs, l, entry);
	TAILQ_FOREACH(l, &oneoff_logs, entry)
		n++;
	if (n > ONEOFF_LOGS_KEPT) {
		l = TAILQ_FIRST(&oneoff_logs);
		TAILQ_REMOVE(&oneoff_logs, l, entry);
		logring_release(&l->ring);
		free(l->name);
		free(l);
	}
}

/* After its exit, or a start that failed: tell the caller, then go. */
static void
oneoff_changed(struct proc *p, int ended, void *arg)
{
	struct member *m = arg;
	struct peer *peer = m->caller;
	struct strbuf sb = STRBUF_INIT;
	int status = proc_last_status(p);

	if (!ended)
		return;
	if (peer != NULL && proc_state(p) == PROC_FAILED) {
		peer_error(peer, (uint32_t)WEXITSTATUS(status), "%s",
		    proc_start_error(p) != NULL ? proc_start_error(p) :
		    "cannot start the command");
	} else if (peer != NULL) {
		msg_new(&sb, MSG_ONEOFF_EXIT);
		msg_put_u32(&sb, (uint32_t)status);
		msg_finish(&sb, 0);
		peer_send(peer, &sb);
		strbuf_release(&sb);
	}
	if (peer != NULL && peer->oneoff == p)
		peer->oneoff = NULL;
	m->caller = NULL;
	proc_set_callback(p, NULL, NULL);
	oneoff_keep_log(p);
	formation_dispose(m);
}

void
oneoff_caller_gone(struct proc *p)
{
	struct member *m = formation_member(p);

	if (m != NULL)
		m->caller = NULL;
	if (proc_alive(p))
		proc_stop(p, "caller gone");
}

void
oneoff_free(void)
{
	struct oneoff_log *l;

	while ((l = TAILQ_FIRST(&oneoff_logs)) != NULL) {
		TAILQ_REMOVE(&oneoff_logs, l, entry);
		logring_release(&l->ring);
		free(l->name);
		free(l);
	}
}
