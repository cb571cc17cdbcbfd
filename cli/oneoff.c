/*
 * formation oneoff and formation run: ask the daemon for a one-off, hand
 * it our stdio (or relay the pty it opened), pass our signals on, and
 * exit with the one-off's status (formation(1), EXIT STATUS). With no
 * daemon up (or --no-daemon), the one-off is ours to spawn (cli/local.h)
 * and to wait for, with the same relay and the same signals.
 *
 * Signals are caught into a pipe and handled in the poll() loop, along
 * with the socket and, in tty mode, the relay (pty.h).
 */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/client.h"
#include "cli/local.h"
#include "cli/pty.h"
#include "common/procenv.h"
#include "common/util.h"
#include "common/waitstatus.h"
#include "common/xmalloc.h"

#define ONEOFF_ARGS_MAX		4096
#define ONEOFF_DRAIN_IDLE	100	/* ms of quiet on the pty to end */
#define ONEOFF_DRAIN_MAX	2000	/* ms of draining at most */

static const char oneoff_usage[] =
    "oneoff [-d] [-t | -T] [-e KEY=VALUE ...] [--port N]\n"
    "                        [--escape CHAR | none] [--strict]\n"
    "                        [--daemon | --no-daemon] CMD [ARG ...]";
static const char run_usage[] =
    "run [-d] [-t | -T] [-e KEY=VALUE ...] [--port N]\n"
    "                     [--escape CHAR | none] [--strict] [--listen]\n"
    "                     [--daemon | --no-daemon] TYPE [ARG ...]";

/* What we pass on (and SIGWINCH, SIGTSTP and SIGCONT, which we act on). */
static const int oneoff_signals[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH,
	SIGTSTP, SIGCONT,
};
static int oneoff_sigpipe[2] = { -1, -1 };

struct oneoff_opts {
	uint32_t	  flags;
	int		  argc;
	char		**argv;
	int		  escape;	/* escape character; -1: none */
	int		  port;		/* --port; 0: none */
	char		**env;		/* -e KEY=VALUE, one a key */
	int		  nenv;
	int		  where;	/* 0, or --daemon or --no-daemon: */
};

#define ONEOFF_DAEMON		1	/* a daemon's, or none */
#define ONEOFF_NO_DAEMON	2	/* ours, even with a daemon up */

/* The attached one-off, until its exit and the end of its output. */
struct oneoff_wait {
	struct client		*c;	/* NULL: the one-off is ours */
	pid_t			 pid;	/* ours */
	const char		*name;	/* run.N */
	struct pty_relay	 relay;	/* master -1 in pipe mode */
	int			 status; /* wait status; -1: running */
	long long		 drain_end; /* ms */
};

/* The -e that sets the key of kv, or -1. */
static int
oneoff_env_index(const struct oneoff_opts *o, const char *kv)
{
	size_t klen = strcspn(kv, "=") + 1;
	int i;

	for (i = 0; i < o->nenv; i++) {
		if (strncmp(o->env[i], kv, klen) == 0)
			return i;
	}
	return -1;
}

/* -e KEY=VALUE: a later one for the same key wins, as in a shell. */
static int
oneoff_add_env(struct oneoff_opts *o, char *kv)
{
	int i;

	if (!procenv_valid(kv)) {
		cli_error("bad variable '%s': not KEY=VALUE", kv);
		return -1;
	}
	if ((i = oneoff_env_index(o, kv)) != -1)
		o->env[i] = kv;
	else
		o->env[o->nenv++] = kv;
	return 0;
}

/* --listen: the sockets a daemon holds for a type, so run's and with a
 * daemon only. */
static int
oneoff_parse_listen(const struct oneoff_opts *o, int run, int listen)
{
	if (!listen)
		return 0;
	if (!run) {
		cli_error("--listen is for run TYPE, whose sockets the "
		    "daemon holds: a command is no type");
		return -1;
	}
	if (o->where == ONEOFF_NO_DAEMON) {
		cli_error("--listen takes the sockets the daemon holds: not "
		    "with --no-daemon");
		return -1;
	}
	return 0;
}

static int
oneoff_parse(int argc, char **argv, int run, struct oneoff_opts *o)
{
	static const struct option longopts[] = {
		{ "detach", no_argument, NULL, 'd' },
		{ "tty", no_argument, NULL, 't' },
		{ "no-tty", no_argument, NULL, 'T' },
		{ "escape", required_argument, NULL, 'E' },
		{ "strict", no_argument, NULL, 'S' },
		{ "env", required_argument, NULL, 'e' },
		{ "port", required_argument, NULL, 'P' },
		{ "daemon", no_argument, NULL, 'D' },
		{ "no-daemon", no_argument, NULL, 'L' },
		{ "listen", no_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, tty = -1, detach = 0, strict = 0, listen = 0;

	memset(o, 0, sizeof *o);
	o->escape = ESCAPE_DEFAULT;
	o->env = xcalloc((size_t)argc + 1, sizeof *o->env);
	/* "+": the command's own options are not ours (oneoff ls -la). */
	while ((ch = getopt_long(argc, argv, "+dtTe:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			detach = 1;
			break;
		case 't':
		case 'T':
			tty = ch == 't';
			break;
		case 'E':
			if ((o->escape = escape_parse(optarg)) == -2) {
				cli_error("bad escape character '%s' (one "
				    "character, ^X or none)", optarg);
				return -1;
			}
			break;
		case 'S':
			strict = 1;
			break;
		case 'l':
			listen = 1;
			break;
		case 'D':
		case 'L':
			if (o->where != 0 && o->where != (ch == 'D' ?
			    ONEOFF_DAEMON : ONEOFF_NO_DAEMON)) {
				cli_error("both --daemon and --no-daemon: "
				    "give one");
				return -1;
			}
			o->where = ch == 'D' ? ONEOFF_DAEMON :
			    ONEOFF_NO_DAEMON;
			break;
		case 'e':
			if (oneoff_add_env(o, optarg) == -1)
				return -1;
			break;
		case 'P':
			if ((o->port = number_parse(optarg, 65535)) < 1) {
				cli_error("bad port '%s' (1 to 65535)", optarg);
				return -1;
			}
			break;
		default:
			return -1;
		}
	}
	if (optind == argc || (detach && tty == 1))
		return -1;
	if (o->port > 0 && oneoff_env_index(o, "PORT=") != -1) {
		cli_error("both --port and -e PORT: give one");
		return -1;
	}
	if (detach && o->where == ONEOFF_NO_DAEMON) {
		cli_error("-d needs a daemon, whose log takes the output: "
		    "not with --no-daemon");
		return -1;
	}
	if (oneoff_parse_listen(o, run, listen) == -1)
		return -1;
	o->argc = argc - optind;
	o->argv = argv + optind;
	if (tty == -1)
		tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	o->flags = run ? ONEOFF_TYPE : o->argc == 1 ? ONEOFF_SHELL : 0;
	if (strict)
		o->flags |= ONEOFF_STRICT;
	if (listen)
		o->flags |= ONEOFF_LISTEN;
	if (detach)
		o->flags |= ONEOFF_DETACH;
	else if (tty)
		o->flags |= ONEOFF_TTY;
	return 0;
}

static void
oneoff_catch(int sig)
{
	unsigned char c = (unsigned char)sig;
	int saved_errno = errno;

	(void)!write(oneoff_sigpipe[1], &c, 1);
	errno = saved_errno;
}

static void
oneoff_catch_one(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = oneoff_catch;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static int
oneoff_catch_signals(void)
{
	size_t i;

	if (pipe2(oneoff_sigpipe, O_CLOEXEC | O_NONBLOCK) == -1) {
		cli_errno("cannot create a pipe");
		return -1;
	}
	for (i = 0; i < sizeof oneoff_signals / sizeof *oneoff_signals; i++)
		oneoff_catch_one(oneoff_signals[i]);
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

/*
 * SIGTSTP (kill -TSTP; Ctrl-Z goes to the one-off in raw mode): our
 * terminal as the shell left it, then stop as we would have. The
 * one-off runs on, as a remote one does under ssh.
 */
static void
oneoff_stop(void)
{
	pty_suspend();
	signal(SIGTSTP, SIG_DFL);
	raise(SIGTSTP);
	/* Continued. */
	oneoff_catch_one(SIGTSTP);
}

/* The fds we hand over must exist: a closed one becomes /dev/null. */
static void
oneoff_std_fds(void)
{
	int fd;

	for (fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) == -1 &&
		    open("/dev/null", O_RDWR) != fd)
			break;
	}
}

static int
oneoff_send(struct client *c, const struct oneoff_opts *o)
{
	static const int fds[3] = { 0, 1, 2 };
	struct strbuf sb = STRBUF_INIT;
	const char *term = getenv("TERM");
	unsigned rows = 0, cols = 0;
	int i, rc = -1, tty = (o->flags & ONEOFF_TTY) != 0;

	if (tty)
		pty_window(&rows, &cols);
	if (tty && (rows == 0 || cols == 0))
		pty_default_window(&rows, &cols);
	msg_new(&sb, MSG_RUN);
	msg_put_u32(&sb, o->flags);
	msg_put_str(&sb, tty && term != NULL ? term : "");
	msg_put_u32(&sb, rows);
	msg_put_u32(&sb, cols);
	msg_put_u32(&sb, (uint32_t)o->port);
	msg_put_u32(&sb, (uint32_t)o->nenv);
	for (i = 0; i < o->nenv; i++)
		msg_put_str(&sb, o->env[i]);
	msg_put_u32(&sb, (uint32_t)o->argc);
	for (i = 0; i < o->argc; i++)
		msg_put_str(&sb, o->argv[i]);
	if (o->argc > ONEOFF_ARGS_MAX ||
	    sb.len > MSG_MAX + sizeof(struct msg_hdr))
		cli_error("the command is too long (at most %d arguments, "
		    "%d bytes)", ONEOFF_ARGS_MAX, MSG_MAX);
	else
		rc = client_send(c, &sb, fds, o->flags & (ONEOFF_TTY |
		    ONEOFF_DETACH) ? 0 : 3);
	strbuf_release(&sb);
	return rc;
}

static int
oneoff_lost(void)
{
	pty_restore();
	cli_error("lost the connection to formationd");
	return EXIT_UNREACHABLE;
}

/* Where to point a browser; a script has PORT, or --port. */
static void
oneoff_say_port(const char *name, int port)
{
	if (port > 0 && isatty(STDERR_FILENO)) {
		fflush(stdout);
		fprintf(stderr, "%s on port %d\n", name, port);
	}
}

/* The answer to the request: -1 once started (*master: the pty, *name
 * its name, allocated), else the exit status. */
static int
oneoff_started(struct client *c, const struct oneoff_opts *o, int *master,
    char **started)
{
	int want_fds = (o->flags & ONEOFF_TTY) ? 1 : 0, rc;
	const char *name;
	uint32_t pid, port;
	struct msg m;

	*master = -1;
	/* A warning (the code changed) comes before it starts. */
	while ((rc = client_recv(c, &m)) > 0 && m.type == MSG_ONEOFF_WARNING) {
		if (msg_get_str(&m, &name) == -1 || msg_end(&m) == -1)
			return client_protocol_error("bad one-off warning");
		fprintf(stderr, "formation: %s\n", name);
	}
	if (rc <= 0)
		return rc == 0 ? oneoff_lost() : EXIT_UNREACHABLE;
	if (m.type == MSG_ERROR)
		return client_error(&m);
	if (m.type != MSG_RUN_STARTED || msg_get_str(&m, &name) == -1 ||
	    msg_get_u32(&m, &pid) == -1 || msg_get_u32(&m, &port) == -1 ||
	    msg_end(&m) == -1 || c->nfds != want_fds)
		return client_protocol_error("unexpected reply to a one-off");
	if (want_fds) {
		*master = c->fds[0];
		c->nfds = 0;
	}
	if (o->flags & ONEOFF_DETACH)
		printf("%s\n", name);
	oneoff_say_port(name, (int)port);
	if (o->flags & ONEOFF_DETACH)
		return EXIT_OK;
	/* Started: from now on we wait for the one-off, however long. */
	c->timeout_ms = 0;
	*started = xstrdup(name);
	return -1;
}

static void
oneoff_send_signal(struct client *c, int sig)
{
	struct strbuf sb = STRBUF_INIT;

	msg_new(&sb, MSG_SIGNAL);
	msg_put_u32(&sb, (uint32_t)sig);
	msg_finish(&sb, 0);
	/* A failure shows as the connection's end, in the loop. */
	(void)msg_send(c->fd, &sb, NULL, 0);
	strbuf_release(&sb);
}

/* Our one-off has ended: its status, and what it wrote to drain. */
static void
oneoff_ended(struct oneoff_wait *w, int status)
{
	w->status = status;
	w->drain_end = now_ms() + ONEOFF_DRAIN_MAX;
	w->relay.in_open = 0;
}

static void
oneoff_reap(struct oneoff_wait *w)
{
	int status;

	if (w->c == NULL && w->status == -1 &&
	    waitpid(w->pid, &status, WNOHANG) == w->pid)
		oneoff_ended(w, status);
}

static void
oneoff_run_signals(struct oneoff_wait *w)
{
	unsigned char sigs[64];
	ssize_t n, i;

	while ((n = read(oneoff_sigpipe[0], sigs, sizeof sigs)) > 0) {
		for (i = 0; i < n; i++) {
			if (sigs[i] == SIGTSTP)
				oneoff_stop();
			if (sigs[i] == SIGCHLD)
				oneoff_reap(w);
			else if (sigs[i] == SIGWINCH || sigs[i] == SIGTSTP ||
			    sigs[i] == SIGCONT) {
				pty_resume();
				pty_relay_resize(&w->relay);
			} else if (w->status == -1 && w->c == NULL)
				(void)kill(-w->pid, sigs[i]);
			else if (w->status == -1)
				oneoff_send_signal(w->c, sigs[i]);
		}
	}
}

/* A message from the daemon: -1 to go on, else the exit status. */
static int
oneoff_message(struct oneoff_wait *w)
{
	struct msg m;
	uint32_t status;
	int rc;

	if ((rc = client_recv(w->c, &m)) <= 0)
		return rc == 0 ? oneoff_lost() : EXIT_UNREACHABLE;
	if (m.type == MSG_ONEOFF_EXIT && msg_get_u32(&m, &status) == 0 &&
	    msg_end(&m) == 0) {
		/* What it wrote is still on its way through the pty. */
		oneoff_ended(w, (int)status);
		return -1;
	}
	pty_restore();
	if (m.type == MSG_ERROR)
		return client_error(&m);
	return client_protocol_error("unexpected message");
}

/*
 * An escape typed at the terminal: -1 to go on, else the exit status.
 * Detached, we go as if the terminal had: the daemon hangs the one-off
 * up when our connection closes, and the pty's master closes with it.
 */
static int
oneoff_escape(struct oneoff_wait *w)
{
	enum escape_action a = w->relay.action;

	w->relay.action = ESCAPE_NONE;
	if (a == ESCAPE_SUSPEND) {
		oneoff_stop();
		pty_resume();
		pty_relay_resize(&w->relay);
		return -1;
	}
	pty_restore();
	if (w->status != -1)
		return waitstatus_code(w->status);
	fprintf(stderr, "formation: detached from %s, which is sent "
	    "SIGHUP\n", w->name);
	if (w->c == NULL)
		(void)kill(-w->pid, SIGHUP);
	return 128 + SIGHUP;
}

/* One turn of the loop: -1 to go on, else the exit status. */
static int
oneoff_turn(struct oneoff_wait *w)
{
	struct pollfd pfd[2 + PTY_POLLFDS];
	int n = 0, nr, r, timeout = -1;
	struct client *c = w->c;

	pfd[n].fd = oneoff_sigpipe[0];
	pfd[n++].events = POLLIN;
	if (w->status == -1 && c != NULL) {
		pfd[n].fd = c->fd;
		pfd[n++].events = POLLIN;
		if (c->in.len > c->consumed)
			timeout = 0;	/* a message is waiting already */
	} else if (w->status != -1)
		timeout = ONEOFF_DRAIN_IDLE;
	nr = pty_relay_poll(&w->relay, pfd + n);
	if ((r = poll(pfd, (nfds_t)(n + nr), timeout)) == -1)
		return errno == EINTR ? -1 : EXIT_UNREACHABLE;
	if (r == 0 && w->status != -1)
		return waitstatus_code(w->status);	/* drained */
	if (pfd[0].revents != 0)
		oneoff_run_signals(w);
	if (w->status == -1 && c != NULL && (pfd[1].revents != 0 ||
	    timeout == 0) && (r = oneoff_message(w)) != -1)
		return r;
	pty_relay_run(&w->relay, pfd + n, nr);
	if (w->relay.action != ESCAPE_NONE && (r = oneoff_escape(w)) != -1)
		return r;
	if (w->status != -1 && (w->relay.master == -1 ||
	    now_ms() >= w->drain_end))
		return waitstatus_code(w->status);
	return -1;
}

static int
oneoff_wait(struct client *c, pid_t pid, const struct oneoff_opts *o,
    int master, const char *name)
{
	struct oneoff_wait w;
	int rc;

	memset(&w, 0, sizeof w);
	w.c = c;
	w.pid = pid;
	w.name = name;
	w.status = -1;
	w.relay.master = -1;
	if (master != -1) {
		pty_relay_init(&w.relay, master);
		/* Escapes from a keyboard only, never in piped bytes. */
		if (isatty(STDIN_FILENO)) {
			pty_relay_escape(&w.relay, o->escape);
			(void)pty_raw(STDIN_FILENO);
		}
	}
	oneoff_reap(&w);	/* gone before we caught SIGCHLD */
	while ((rc = oneoff_turn(&w)) == -1)
		;
	pty_restore();
	pty_relay_close(&w.relay);
	return rc;
}

/* The one-off, run by the daemon: our exit status, the connection
 * closed. */
static int
oneoff_daemon(struct client *c, const struct oneoff_opts *o)
{
	char *name = NULL;
	int master, rc;

	if (oneoff_send(c, o) == -1)
		rc = EXIT_UNREACHABLE;
	else if ((rc = oneoff_started(c, o, &master, &name)) == -1)
		rc = oneoff_wait(c, 0, o, master, name);
	free(name);
	client_close(c);
	return rc;
}

/* The one-off, run by us, with no daemon: our exit status. */
static int
oneoff_local(const struct oneoff_opts *o)
{
	struct local_req q;
	struct local_run run;
	int rc;

	memset(&q, 0, sizeof q);
	q.flags = o->flags;
	q.argc = o->argc;
	q.argv = o->argv;
	q.env = o->env;
	q.port = o->port;
	q.forced = o->where == ONEOFF_NO_DAEMON;
	if (o->flags & ONEOFF_TTY) {
		q.term = getenv("TERM");
		pty_window(&q.rows, &q.cols);
		if (q.rows == 0 || q.cols == 0)
			pty_default_window(&q.rows, &q.cols);
	}
	if ((rc = local_start(&q, &run)) != -1)
		return rc;
	/* Its end is a signal to us; an end before is seen by the wait. */
	oneoff_catch_one(SIGCHLD);
	oneoff_say_port(LOCAL_NAME, run.port);
	return oneoff_wait(NULL, run.pid, o, run.master, LOCAL_NAME);
}

/* run --listen with no daemon up: no one holds the sockets, and a
 * one-off of ours would have none. */
static int
oneoff_no_sockets(const struct oneoff_opts *o)
{
	cli_error("run --listen: no formation is up here to hold %s's "
	    "sockets (formation up first)", o->argv[0]);
	return EXIT_UNREACHABLE;
}

static int
oneoff_main(int argc, char **argv, int run)
{
	struct oneoff_opts o;
	struct client c;
	int rc, up;

	if (oneoff_parse(argc, argv, run, &o) == -1)
		rc = cli_usage(run ? run_usage : oneoff_usage);
	else {
		oneoff_std_fds();
		if (oneoff_catch_signals() == -1)
			rc = EXIT_UNREACHABLE;
		else if (o.where == ONEOFF_NO_DAEMON)
			rc = oneoff_local(&o);
		/* A detached one-off's output goes to a daemon's log. */
		else if (o.where == ONEOFF_DAEMON || (o.flags & ONEOFF_DETACH))
			rc = client_open(&c) == -1 ? EXIT_UNREACHABLE :
			    oneoff_daemon(&c, &o);
		else if ((up = client_try_open(&c)) == 1)
			rc = o.flags & ONEOFF_LISTEN ? oneoff_no_sockets(&o) :
			    oneoff_local(&o);
		else
			rc = up == -1 ? EXIT_UNREACHABLE :
			    oneoff_daemon(&c, &o);
	}
	free(o.env);
	return rc;
}

int
cmd_oneoff(int argc, char **argv)
{
	return oneoff_main(argc, argv, 0);
}

int
cmd_run(int argc, char **argv)
{
	return oneoff_main(argc, argv, 1);
}
