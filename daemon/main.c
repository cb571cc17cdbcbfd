/*
 * formationd: the supervisor. Builds the release, runs the formation,
 * multiplexes its output, and serves the control socket.
 */
#include <sys/prctl.h>

#include <errno.h>
#include <ev.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/config.h"
#include "common/diag.h"
#include "common/log.h"
#include "common/paths.h"
#include "common/release.h"
#include "common/spawn.h"
#include "common/store.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "common/version.h"
#include "common/xmalloc.h"
#include "daemon/dispatch.h"
#include "daemon/formation.h"
#include "daemon/journal.h"
#include "daemon/logreq.h"
#include "daemon/usage.h"
#include "daemon/notify.h"
#include "daemon/notifysock.h"
#include "daemon/oneoff.h"
#include "daemon/output.h"
#include "daemon/phase.h"
#include "daemon/reload.h"
#include "daemon/server.h"
#include "daemon/sockets.h"
#include "daemon/status.h"
#include "daemon/terminal.h"

#define EXIT_USAGE 2
#define EXIT_CONFIG 78

struct daemon_opts {
	struct settings_flags	 flags;
	int			 exit_on_exit;
	int			 no_phase;	/* --no-release-phase */
	int			 verbose;
	char			**types;
	size_t			 ntypes;
	int			 ready_fd;	/* detached: say "ready" here */
};

static ev_signal sig_int, sig_term, sig_hup;

/* Who speaks: formationd, or formation for "formation up" (--up), whose
 * user typed formation and reads its messages and usage. */
static const char *prog = "formationd";

static __attribute__((noreturn)) void
usage(void)
{
	if (strcmp(prog, "formation") == 0) {
		fprintf(stderr, "usage: formation up [options] [type ...] (see "
		    "'formation help up')\n");
		exit(2);
	}
	fprintf(stderr, "usage: formationd [-v] [-C dir] [-f procfile] "
	    "[-e env,...] [-c ini] [-m spec]\n"
	    "                  [-p port] [-t secs] [--socket path] "
	    "[--color | --no-color]\n"
	    "                  [--exit-on-exit] [--no-release-phase] "
	    "[--trust-others] [--strict] [type ...]\n"
	    "       formationd --version\n");
	exit(EXIT_USAGE);
}

static void
parse_opts(struct daemon_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 'S' },
		{ "color", no_argument, NULL, 'K' },
		{ "no-color", no_argument, NULL, 'N' },
		{ "exit-on-exit", no_argument, NULL, 'x' },
		{ "no-release-phase", no_argument, NULL, 'P' },
		{ "trust-others", no_argument, NULL, 'T' },
		{ "strict", no_argument, NULL, 's' },
		{ "ready-fd", required_argument, NULL, 'R' },
		{ "up", no_argument, NULL, 'U' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	for (c = 1; c < argc && strcmp(argv[c], "--") != 0; c++) {
		if (strcmp(argv[c], "--up") == 0)
			prog = argv[0] = "formation";
	}
	log_init(prog, 0);
	memset(o, 0, sizeof *o);
	o->ready_fd = -1;
	settings_flags_init(&o->flags);
	o->flags.guard = 1;
	while ((c = getopt_long(argc, argv, "C:c:e:f:hm:p:t:v", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'C': o->flags.root = optarg; break;
		case 'c': o->flags.config = optarg; break;
		case 'e': o->flags.env = optarg; break;
		case 'f': o->flags.procfile = optarg; break;
		case 'm': o->flags.scale = optarg; break;
		case 'p': o->flags.port = optarg; break;
		case 't': o->flags.timeout = optarg; break;
		case 'S': o->flags.socket = optarg; break;
		case 'K': o->flags.color = 1; break;
		case 'N': o->flags.color = 0; break;
		case 'x': o->exit_on_exit = 1; break;
		case 'P': o->no_phase = 1; break;
		case 'T': o->flags.trust_others = 1; break;
		case 's': o->flags.strict = 1; break;
		case 'R':
			if ((o->ready_fd = number_parse(optarg, 1 << 20)) < 3)
				usage();
			break;
		case 'U': break;
		case 'v': o->verbose++; break;
		case 'V':
			printf("formationd %s\n", FORMATION_VERSION);
			exit(0);
		default: usage();
		}
	}
	o->types = argv + optind;
	o->ntypes = (size_t)(argc - optind);
}

/* Make sure 0, 1 and 2 are open, so no file we open takes their place. */
static void
open_std_fds(void)
{
	int fd;

	while ((fd = open("/dev/null", O_RDWR)) != -1 && fd <= 2)
		;
	if (fd > 2)
		close(fd);
}

/* Name the types, as the error for a bad -m does. */
static void
check_unknown(const struct release *r, const char *type)
{
	struct strbuf types = STRBUF_INIT;
	size_t i;

	for (i = 0; i < r->nprocs; i++)
		strbuf_addf(&types, "%s%s", i == 0 ? "" : ", ",
		    r->procs[i].name);
	log_warnx("unknown process type '%s' (types: %s)", type, types.buf);
	strbuf_release(&types);
}

/* up TYPE...: each must be a type of the release. */
static int
check_types(const struct daemon_opts *o, const struct release *r)
{
	size_t i;

	for (i = 0; i < o->ntypes; i++) {
		if (strcmp(o->types[i], RELEASE_PHASE_TYPE) == 0) {
			log_warnx("%s", release_phase_error());
			return -1;
		}
		if (release_find(r, o->types[i]) == NULL) {
			check_unknown(r, o->types[i]);
			return -1;
		}
	}
	return 0;
}

/*
 * The values of -m, -p, -t and --socket, read apart first: one that does
 * not parse is the command line's fault, a usage error (2), whatever the
 * files say. (A type that -m names and the Procfile has not is found by
 * the build: a configuration error.)
 */
static int
check_flags(const struct daemon_opts *o)
{
	struct settings s;
	struct diags d;
	char buf[1024];
	size_t i;
	int bad = 0;

	diags_init(&d);
	(void)settings_load(&s, &o->flags, environ, &d);
	for (i = 0; i < d.nerrors; i++) {
		/* What settings_load files under the flag itself. */
		if (strcmp(d.errors[i].file, "-m") != 0 &&
		    strcmp(d.errors[i].file, "-p") != 0 &&
		    strcmp(d.errors[i].file, "-t") != 0 &&
		    strcmp(d.errors[i].file, "--socket") != 0)
			continue;
		diag_format(&d.errors[i], buf, sizeof buf);
		fprintf(stderr, "%s: %s\n", prog, buf);
		bad = 1;
	}
	settings_release(&s);
	diags_release(&d);
	return bad ? -1 : 0;
}

/* The first build; a reload makes the others the same way. */
static int
build(const struct daemon_opts *o, struct settings *s, struct release *r)
{
	struct diags d;
	int rc;

	if (check_flags(o) == -1)
		return -2;
	reload_init(&o->flags);
	diags_init(&d);
	rc = reload_build(s, r, &d, NULL);
	diags_print(&d, stderr, prog);
	diags_release(&d);
	if (rc == 0)
		rc = check_types(o, r);
	return rc;
}

/*
 * The directories of the app (common/paths.h), trusted and held open:
 * app for the lock and the socket or its link, state for the history and
 * formation.log (the same directory unless systemd gave a
 * $STATE_DIRECTORY).
 */
static struct {
	int	 app;
	int	 state;
	char	*app_path;
	char	*state_path;
} dirs = { -1, -1, NULL, NULL };

static void
close_dirs(void)
{
	if (dirs.app != -1)
		close(dirs.app);
	if (dirs.state != -1)
		close(dirs.state);
	free(dirs.app_path);
	free(dirs.state_path);
	memset(&dirs, 0, sizeof dirs);
	dirs.app = dirs.state = -1;
}

/*
 * An app root the daemon may not write (a read-only tree under systemd)
 * has no .formation: $STATE_DIRECTORY then takes its place, the lock and
 * the socket with it, where only this unit sees them.
 */
static void
open_dirs_elsewhere(char **why)
{
	log_warnx("%s: the lock and the socket go to '%s', where a daemon "
	    "started in the app root cannot see them", *why,
	    dirs.state_path);
	free(*why);
	*why = NULL;
	if ((dirs.state = paths_open_dir(AT_FDCWD, dirs.state_path,
	    dirs.state_path, why)) == -1)
		return;
	dirs.app = dup(dirs.state);
	free(dirs.app_path);
	dirs.app_path = xstrdup(dirs.state_path);
}

/* Open both, and take the app's lock: nothing is written before that. */
static int
open_dirs(const struct settings *s)
{
	char *why = NULL;
	int rc = -1, fd;

	dirs.app_path = paths_app_dir(s->root);
	dirs.state_path = paths_state_dir(s->root);
	dirs.app = paths_open_app_dir(s->root, &why);
	if (strcmp(dirs.state_path, dirs.app_path) == 0)
		dirs.state = dirs.app != -1 ? dup(dirs.app) : -1;
	else if (dirs.app != -1)
		dirs.state = paths_open_dir(AT_FDCWD, dirs.state_path,
		    dirs.state_path, &why);
	else if (errno == EACCES || errno == EROFS)
		open_dirs_elsewhere(&why);
	if (dirs.app == -1 || dirs.state == -1) {
		log_warnx("%s", why != NULL ? why : strerror(errno));
		goto done;
	}
	if ((fd = dup(dirs.app)) == -1)
		log_warn("dup");
	else if (server_lock(fd, dirs.app_path, &why) == -1)
		log_warnx("%s", why);
	else if (output_logfile_at(dirs.state, "formation.log",
	    dirs.state_path) == -1)
		log_warn("dup");
	else
		rc = 0;
done:
	free(why);
	return rc;
}

/* The release history of the app, with r in it; NULL when it cannot be
 * opened or written (reported). *phase: r is new, and its release phase
 * is to run before it goes live. */
static struct rel *
open_store(const struct daemon_opts *o, struct release *r, int *phase)
{
	struct rel *rel = NULL, *was;

	r->reason = xstrdup("up");
	*phase = !o->no_phase && phase_needed(r);
	if (*phase)
		r->status = RELEASE_PENDING;
	if (store_open(dirs.state, dirs.state_path) == -1)
		return NULL;
	was = store_current();
	if ((rel = store_add_up(r)) == NULL)
		log_warn("cannot write a release in '%s/releases'",
		    dirs.state_path);
	else if (rel == was)
		*phase = 0;	/* it went live before */
	return rel;
}

static void say_ready(struct daemon_opts *, const char *);
static void say_waiting(struct daemon_opts *, const char *);

/* The sockets of the types that listen, bound once, before anything
 * starts: one that cannot be bound ends up (formationd(8)). */
static int
hold_sockets(const struct settings *s, const struct release *r)
{
	char *err;

	if (sockets_stage(r, s, &err) == -1) {
		log_warnx("%s", err);
		free(err);
		return -1;
	}
	sockets_commit();
	return 0;
}

/* What the release phase at up needs to go on, and the wait for ready. */
static struct {
	struct daemon_opts	*o;
	ev_prepare		 wait;
} up;

/*
 * Ready once every process with a readiness check is, or once none is
 * still on its first try (and then up -d and systemd hear which were
 * not). Looked at on every turn of the loop until then.
 */
static int
up_check_ready(void)
{
	struct strbuf notready = STRBUF_INIT, waitlist = STRBUF_INIT;
	int rc;

	if (formation.shutting_down) {
		ev_prepare_stop(EV_DEFAULT, &up.wait);
		return 1;
	}
	if ((rc = formation_readiness(&notready, &waitlist)) == 0) {
		say_waiting(up.o, waitlist.buf);
		strbuf_release(&notready);
		strbuf_release(&waitlist);
		return 0;
	}
	strbuf_release(&waitlist);
	ev_prepare_stop(EV_DEFAULT, &up.wait);
	if (rc == -1) {
		output_system("not ready: %s", notready.buf);
		notify_status("not ready: %s", notready.buf);
	}
	say_ready(up.o, rc == -1 ? notready.buf : NULL);
	notify_ready();
	if (rc != -1)
		status_send();
	strbuf_release(&notready);
	return 1;
}

static void
up_wait_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	up_check_ready();
}

/* The formation starts: at once, or after the release phase passed. */
static void
go_up(struct rel *rel)
{
	formation_apply("up");
	if (!up_check_ready()) {
		ev_prepare_init(&up.wait, up_wait_cb);
		ev_prepare_start(EV_DEFAULT, &up.wait);
	}
}

/*
 * The release phase at up: passed, the formation starts; failed, the
 * daemon ends with its status, and says why where the caller sees it
 * (stderr, still the terminal of up -d).
 */
static void
up_phase_done(struct rel *rel, int code, const char *why, void *arg)
{
	if (store_settle(rel, code == 0 ? RELEASE_OK : RELEASE_FAILED) == -1)
		log_warn("cannot write the outcome of v%d's release phase",
		    rel->release.version);
	if (code == 0 && !formation.shutting_down) {
		output_system("release phase of v%d passed",
		    rel->release.version);
		go_up(rel);
		return;
	}
	if (code == 0)
		return;
	output_system("release phase of v%d failed: %s", rel->release.version,
	    why);
	log_warnx("the release phase of v%d failed: %s; the formation was "
	    "not started", rel->release.version, why);
	if (!formation.shutting_down) {
		formation.exit_status = code;
		formation_shutdown(0);
	}
}

static void
on_down(void)
{
	logreq_farewell();
	server_farewell();
	ev_break(EV_DEFAULT, EVBREAK_ALL);
}

/*
 * The directory of the control socket: the app's own, systemd's
 * $RUNTIME_DIRECTORY (made and trusted as the app's is), or -1 for one
 * that --socket named, which server_listen() opens itself.
 */
static int
socket_dir(const char *sock, char **why)
{
	const char *rd = getenv("RUNTIME_DIRECTORY");
	char *dir, *slash;
	int fd = -1;

	dir = xstrdup(sock);
	if ((slash = strrchr(dir, '/')) != NULL)
		slash[slash == dir ? 1 : 0] = '\0';
	if (strcmp(dir, dirs.app_path) == 0 && (fd = dup(dirs.app)) == -1)
		xasprintf(why, "dup: %s", strerror(errno));
	else if (fd == -1 && rd != NULL && *rd == '/' &&
	    strlen(dir) == strcspn(rd, ":") && strncmp(dir, rd,
	    strlen(dir)) == 0)
		fd = paths_open_dir(AT_FDCWD, dir, dir, why);
	free(dir);
	return fd;
}

/* Listen on the control socket (paths_socket(), or where the lock is). */
static int
start_server(const struct settings *s)
{
	char *sock, *app, *why = NULL;
	int rc = 0, fd;

	sock = paths_socket(s->root, s->socket);
	app = paths_app_dir(s->root);
	if (strcmp(app, dirs.app_path) != 0 &&
	    strncmp(sock, app, strlen(app)) == 0 &&
	    sock[strlen(app)] == '/') {
		free(sock);
		sock = path_join(dirs.app_path, PATHS_SOCKET);
	}
	fd = socket_dir(sock, &why);
	if (why != NULL || server_listen(fd, sock, &why) == -1) {
		log_warnx("%s", why);
		rc = -1;
	}
	free(why);
	free(app);
	free(sock);
	output_tap = logreq_tap;
	return rc;
}

/*
 * Detached (up -d): stdout goes nowhere, the log to formation.log in the
 * state directory; errors reach the caller's terminal until the
 * formation is started.
 */
static int
detach_output(void)
{
	int fd, rc;

	if ((fd = open("/dev/null", O_WRONLY | O_CLOEXEC)) == -1)
		return -1;
	dup2(fd, STDOUT_FILENO);
	close(fd);
	if ((rc = output_open_logfile()) == -1)
		log_warn("cannot open '%s/formation.log'", dirs.state_path);
	return rc;
}

/* Where the log goes once the terminal hangs up. */
static void
start_terminal(struct ev_loop *loop)
{
	char *log;

	log = path_join(dirs.state_path, "formation.log");
	terminal_init(loop, log);
	free(log);
}

/*
 * Before that, up -d hears "waiting: web.1, web.2" each time the list of
 * those still starting changes, to show on a terminal. An up -d that
 * does not read (stopped) must not stall the daemon: each line is one
 * write of at most PIPE_BUF bytes, so it goes whole or not at all,
 * without blocking, and lines stop while the pipe might not have room
 * left for the last word (say_ready()), which then never blocks either.
 */
static void
say_waiting(struct daemon_opts *o, const char *waitlist)
{
	static char *said;
	static size_t sent;
	char *text;
	size_t len;
	int cap;

	if (o->ready_fd == -1 || (said != NULL && strcmp(said, waitlist) == 0))
		return;
	free(said);
	said = xstrdup(waitlist);
	xasprintf(&text, "waiting: %.4000s\n", waitlist);
	len = strlen(text);
	cap = fcntl(o->ready_fd, F_GETPIPE_SZ);
	if (cap > 0 && sent + len + PIPE_BUF <= (size_t)cap &&
	    fd_set_nonblock(o->ready_fd, 1) == 0) {
		if (write(o->ready_fd, text, len) == (ssize_t)len)
			sent += len;
		(void)fd_set_nonblock(o->ready_fd, 0);
	}
	free(text);
}

/* up -d hears "ready", or "not ready: " and which were not. */
static void
say_ready(struct daemon_opts *o, const char *notready)
{
	char *text;
	int fd;

	if (o->ready_fd == -1)
		return;
	if (notready != NULL) {
		xasprintf(&text, "not ready: %.4000s\n", notready);
		(void)write_all(o->ready_fd, text, strlen(text));
		free(text);
	} else
		(void)write_all(o->ready_fd, "ready\n", 6);
	close(o->ready_fd);
	o->ready_fd = -1;
	fd = openat(dirs.state, "formation.log", O_WRONLY | O_APPEND |
	    O_NOFOLLOW | O_CLOEXEC);
	if (fd != -1) {
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
}

/* The journal knows the app by the base name of its root. */
static const char *
app_ident(const char *root)
{
	const char *slash = strrchr(root, '/');

	return slash != NULL && slash[1] != '\0' ? slash + 1 : root;
}

static void
on_signal(struct ev_loop *loop, ev_signal *w, int revents)
{
	if (w->signum == SIGHUP) {
		if (terminal_gone())
			terminal_hangup("SIGHUP received: the terminal hung up");
		else
			reload_signal();
		return;
	}
	if (formation.shutting_down) {
		output_system("%s received again: killing every process",
		    signal_name(w->signum));
		formation_shutdown(1);
		return;
	}
	output_system("%s received: stopping", signal_name(w->signum));
	formation_shutdown(0);
}

static void
start_signals(struct ev_loop *loop)
{
	signal(SIGPIPE, SIG_IGN);
	ev_signal_init(&sig_int, on_signal, SIGINT);
	ev_signal_init(&sig_term, on_signal, SIGTERM);
	ev_signal_init(&sig_hup, on_signal, SIGHUP);
	ev_signal_start(loop, &sig_int);
	ev_signal_start(loop, &sig_term);
	ev_signal_start(loop, &sig_hup);
}

int
main(int argc, char **argv)
{
	struct daemon_opts o;
	struct settings s;
	struct release r;
	struct ev_loop *loop;
	struct rel *rel;
	int status, phase, rc;

	open_std_fds();
	parse_opts(&o, argc, argv);
	log_init(prog, o.verbose);
	settings_init(&s);
	release_init(&r);
	if ((rc = build(&o, &s, &r)) < 0) {
		release_release(&r);
		settings_release(&s);
		return rc == -2 ? EXIT_USAGE : EXIT_CONFIG;
	}
	spawn_init();
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) == -1)
		log_warn("cannot become a subreaper");
	if ((loop = ev_default_loop(EVFLAG_SIGNALFD)) == NULL)
		fatalx("cannot start the event loop");
	start_signals(loop);
	notify_init(loop);
	status_init();
	if (o.ready_fd != -1)
		fd_set_cloexec(o.ready_fd, 1);
	if (open_dirs(&s) == -1 ||
	    (o.ready_fd != -1 && detach_output() == -1)) {
		server_close();
		close_dirs();
		release_release(&r);
		settings_release(&s);
		ev_loop_destroy(loop);
		return 1;
	}
	if (hold_sockets(&s, &r) == -1) {
		server_close();
		close_dirs();
		release_release(&r);
		settings_release(&s);
		ev_loop_destroy(loop);
		return 1;
	}
	output_init(s.color);
	logring_budget((size_t)s.log_memory);
	journal_init(app_ident(s.root));
	start_terminal(loop);
	if (start_server(&s) == -1 ||
	    (rel = open_store(&o, &r, &phase)) == NULL) {
		server_close();
		close_dirs();
		terminal_free();
		output_shutdown();
		release_release(&r);
		settings_release(&s);
		ev_loop_destroy(loop);
		return 1;
	}
	notifysock_init(dirs.state_path);
	formation_init(&s, o.types, o.ntypes, o.exit_on_exit);
	formation_set_release(rel);
	formation.on_down = on_down;
	if (phase)
		output_fit_name(RELEASE_PHASE_TYPE ".1");
	formation_fit_names();
	output_system("formation v%d in %s", rel->release.version,
	    rel->release.root);
	up.o = &o;
	if (phase)
		phase_start(rel, s.phase_timeout_ms, up_phase_done, NULL);
	else
		go_up(rel);
	ev_run(loop, 0);

	status = formation.exit_status == -1 ? 0 : formation.exit_status;
	ev_prepare_stop(loop, &up.wait);
	notifysock_free();
	reload_free();
	usage_shutdown();
	phase_free();
	formation_free();
	sockets_free();
	oneoff_free();
	status_free();
	notify_free();
	server_close();
	store_free();
	terminal_free();
	output_shutdown();
	journal_free();
	close_dirs();
	settings_release(&s);
	ev_loop_destroy(loop);
	return status;
}
