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

#include "common/command.h"
#include "common/msg.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "daemon/formation.h"
#include "daemon/oneoff.h"
#include "daemon/server.h"
#include "daemon/spawn.h"
#include "common/store.h"

#define ONEOFF_ARGS_MAX		4096
#define ONEOFF_LOGS_KEPT	16
#define ONEOFF_FLAGS (ONEOFF_SHELL | ONEOFF_TTY | ONEOFF_DETACH | \
	ONEOFF_TYPE | ONEOFF_STRICT)

struct oneoff_log_list oneoff_logs = TAILQ_HEAD_INITIALIZER(oneoff_logs);

/* A decoded request; argv borrows from the message. */
struct oneoff_req {
	uint32_t	  flags;
	const char	 *term;
	uint32_t	  rows, cols;
	uint32_t	  argc;
	const char	**argv;
	int		  fds[3];	/* pipe mode; -1 once handed on */
};

/* What a one-off runs: argv for spawn, the command for ps and the log. */
struct oneoff_cmd {
	char	**argv;
	char	**words;	/* see struct proc_spec */
	char	 *display;
};

static void oneoff_changed(struct proc *, int, void *);

static int
oneoff_decode(struct peer *peer, struct msg *m, struct oneoff_req *req)
{
	uint32_t i, f;

	if (msg_get_u32(m, &req->flags) == -1 ||
	    msg_get_str(m, &req->term) == -1 ||
	    msg_get_u32(m, &req->rows) == -1 ||
	    msg_get_u32(m, &req->cols) == -1 ||
	    msg_get_u32(m, &req->argc) == -1)
		return -1;
	f = req->flags;
	if (req->argc == 0 || req->argc > ONEOFF_ARGS_MAX ||
	    (f & ~ONEOFF_FLAGS) != 0 ||
	    ((f & ONEOFF_SHELL) && ((f & ONEOFF_TYPE) || req->argc != 1)) ||
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

/* The command on one line, for ps and the log. */
static char *
oneoff_display(const char *command)
{
	char *d, *p;

	d = xstrdup(command);
	for (p = d; *p != '\0'; p++) {
		if ((unsigned char)*p < ' ' || *p == 0x7f)
			*p = ' ';
	}
	return d;
}

static void
oneoff_shell(struct oneoff_cmd *cmd, const char *command)
{
	cmd->argv = command_shell(command);
	cmd->words = command_words(command);
	cmd->display = oneoff_display(command);
}

/* run TYPE ARG...: the type's command, the arguments quoted after it. */
static int
oneoff_type(struct peer *peer, const struct oneoff_req *req,
    struct oneoff_cmd *cmd)
{
	const struct release *r = &formation.rel->release;
	const struct release_proc *rp;
	struct strbuf sb = STRBUF_INIT;
	char **words;
	uint32_t i;
	size_t j;

	if ((rp = release_find(r, req->argv[0])) == NULL) {
		for (j = 0; j < r->nprocs; j++)
			strbuf_addf(&sb, "%s%s", j > 0 ? ", " : "",
			    r->procs[j].name);
		peer_error(peer, 1, "unknown process type '%s' (types: %s)",
		    req->argv[0], sb.buf);
		strbuf_release(&sb);
		return -1;
	}
	strbuf_addstr(&sb, rp->command);
	for (i = 1; i < req->argc; i++) {
		strbuf_addch(&sb, ' ');
		command_quote(&sb, req->argv[i]);
	}
	oneoff_shell(cmd, sb.buf);
	strbuf_release(&sb);
	/* A plain command takes the arguments as words of its own. */
	if (cmd->words == NULL && req->argc > 1 &&
	    (words = command_words(rp->command)) != NULL) {
		for (j = 0; words[j] != NULL; j++)
			;
		cmd->words = xcalloc(j + req->argc, sizeof *cmd->words);
		memcpy(cmd->words, words, j * sizeof *words);
		for (i = 1; i < req->argc; i++)
			cmd->words[j++] = xstrdup(req->argv[i]);
		free(words);
	}
	return 0;
}

/* "PATH=..." of the release, relative entries taken from the app root
 * (where the one-off runs, not where we do); NULL when it has none. */
static char *
oneoff_path(const struct release *r)
{
	const char *path = env_get(&r->env, "PATH"), *p, *end;
	struct strbuf sb = STRBUF_INIT;

	if (path == NULL)
		return NULL;
	strbuf_addstr(&sb, "PATH=");
	for (p = path; ; p = end + 1) {
		end = strchrnul(p, ':');
		if (p != path)
			strbuf_addch(&sb, ':');
		if (*p != '/')
			strbuf_addf(&sb, "%s/", r->root);
		strbuf_add(&sb, p, (size_t)(end - p));
		if (*end == '\0')
			break;
	}
	return strbuf_detach(&sb, NULL);
}

/* A program with a '/' is relative to the app root; NULL with errno. */
static char *
oneoff_program_path(const char *root, const char *file)
{
	struct stat st;
	char *prog;

	prog = path_join(root, file);
	if (stat(prog, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			errno = EISDIR;
		else if (access(prog, X_OK) == 0)
			return prog;
	}
	free(prog);
	return NULL;
}

/* Find argv[0] as execvp would from the one-off's directory and PATH. */
static char *
oneoff_program(struct peer *peer, const char *file)
{
	const struct release *r = &formation.rel->release;
	char *envp[2] = { NULL, NULL }, *prog;

	if (strchr(file, '/') == NULL) {
		envp[0] = oneoff_path(r);
		prog = spawn_find_program(file, envp);
		free(envp[0]);
	} else
		prog = oneoff_program_path(r->root, file);
	if (prog != NULL)
		return prog;
	if (errno == ENOENT || errno == ENOTDIR)
		peer_error(peer, 127, "command not found: '%s'", file);
	else
		peer_error(peer, 126, "cannot execute '%s': %s", file,
		    strerror(errno));
	return NULL;
}

/* oneoff CMD ARG...: an argv, no shell. */
static int
oneoff_argv(struct peer *peer, const struct oneoff_req *req,
    struct oneoff_cmd *cmd)
{
	struct strbuf sb = STRBUF_INIT;
	char *prog;
	uint32_t i;

	if ((prog = oneoff_program(peer, req->argv[0])) == NULL)
		return -1;
	cmd->argv = xcalloc(req->argc + 1, sizeof *cmd->argv);
	cmd->argv[0] = prog;
	for (i = 0; i < req->argc; i++) {
		if (i > 0) {
			cmd->argv[i] = xstrdup(req->argv[i]);
			strbuf_addch(&sb, ' ');
		}
		command_quote(&sb, req->argv[i]);
	}
	cmd->display = oneoff_display(sb.buf);
	strbuf_release(&sb);
	return 0;
}

/* What the request runs; -1 when it cannot run (the caller is told). */
static int
oneoff_resolve(struct peer *peer, const struct oneoff_req *req,
    struct oneoff_cmd *cmd)
{
	if (req->flags & ONEOFF_TYPE)
		return oneoff_type(peer, req, cmd);
	if (req->flags & ONEOFF_SHELL) {
		oneoff_shell(cmd, req->argv[0]);
		return 0;
	}
	return oneoff_argv(peer, req, cmd);
}

/* The spec of a one-off: the command, on the current release; it runs
 * once. */
static void
oneoff_spec(struct proc_spec *spec, const struct oneoff_req *req,
    struct oneoff_cmd *cmd, int n)
{
	proc_spec_init(spec);
	xasprintf(&spec->name, "run.%d", n);
	spec->color = (int)formation.rel->release.nprocs;
	spec->argv = cmd->argv;
	spec->words = cmd->words;
	spec->display = cmd->display;
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
oneoff_start(struct peer *peer, struct member *m, int master, int detach)
{
	struct strbuf sb = STRBUF_INIT;
	struct proc *p = m->proc;

	formation_insert(m);
	m->caller = peer;
	proc_start(p, "one-off");
	if (!proc_alive(p))
		return;
	if (detach)
		m->caller = NULL;
	else
		peer->oneoff = p;
	msg_new(&sb, MSG_ONEOFF_STARTED);
	msg_put_str(&sb, proc_name(p));
	msg_put_u32(&sb, (uint32_t)proc_pid(p));
	msg_finish(&sb, 0);
	if (master == -1)
		peer_send(peer, &sb);
	else if (peer_send_fds(peer, &sb, &master, 1) == -1)
		peer_close(peer);	/* and the one-off goes with it */
	strbuf_release(&sb);
}

/*
 * A one-off runs the release's code, as the formation does: when the work
 * tree's differs, say so before it starts, or refuse under strict. -1
 * when refused (the caller is told).
 */
static int
oneoff_code(struct peer *peer, uint32_t flags)
{
	struct strbuf sb = STRBUF_INIT;
	char *msg;

	if (!release_code_changed(&formation.rel->release, CODE_CHECK_MS,
	    &msg))
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

int
oneoff_request(struct peer *peer, struct msg *m)
{
	struct oneoff_req req;
	struct oneoff_cmd cmd;
	struct proc_spec spec;
	struct member *mb;
	int master = -1, i, n, rc = -1;

	memset(&req, 0, sizeof req);
	memset(&cmd, 0, sizeof cmd);
	req.fds[0] = req.fds[1] = req.fds[2] = -1;
	if (peer->oneoff != NULL || oneoff_decode(peer, m, &req) == -1)
		goto out;
	rc = 0;
	if (formation.shutting_down) {
		peer_error(peer, 125, "the formation is stopping");
		goto out;
	}
	if (oneoff_resolve(peer, &req, &cmd) == -1 ||
	    oneoff_code(peer, req.flags) == -1)
		goto out;
	n = ++formation.next_oneoff;
	oneoff_spec(&spec, &req, &cmd, n);
	if ((req.flags & ONEOFF_TTY) &&
	    oneoff_open_pty(&spec, &req, &master) == -1) {
		peer_error(peer, 125, "cannot open a pty: %s", strerror(errno));
		proc_spec_release(&spec);
		goto out;
	}
	for (i = 0; i < 3; i++) {
		spec.io.fds[i] = req.fds[i];
		req.fds[i] = -1;
	}
	mb = formation_member_new(proc_new(&spec, NULL, NULL), "run", n,
	    (int)formation.rel->release.nprocs, 1);
	proc_set_callback(mb->proc, oneoff_changed, mb);
	oneoff_start(peer, mb, master, (req.flags & ONEOFF_DETACH) != 0);
out:
	for (i = 0; i < 3; i++) {
		if (req.fds[i] != -1)
			close(req.fds[i]);
	}
	if (master != -1)
		close(master);
	free(req.argv);
	return rc;
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
	l->ring = *ring;
	logring_init(ring);
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
