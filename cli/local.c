/*
 * A one-off the CLI runs itself, with no daemon up (cli/local.h).
 */
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/history.h"
#include "cli/local.h"
#include "common/build.h"
#include "common/code.h"
#include "common/paths.h"
#include "common/procenv.h"
#include "common/protocol.h"
#include "common/runcmd.h"
#include "common/spawn.h"
#include "common/store.h"
#include "common/trust.h"
#include "common/util.h"
#include "common/xmalloc.h"

extern char **environ;

/* Where the one-off's release comes from, for the note. */
struct local_src {
	char	*root;
	char	*state;		/* the state directory */
	char	*dir;		/* its releases */
	int	 made;		/* built now, and kept */
	int	 strict;	/* [release] strict */
};

/* path as the user would name it: relative to the app root. */
static const char *
local_label(const struct local_src *src, const char *path)
{
	size_t len = strlen(src->root);

	if (strncmp(path, src->root, len) == 0 && path[len] == '/')
		return path + len + 1;
	return path;
}

/*
 * The history is run from, so it must be the caller's or root's, and
 * writable by no one else, as client.c asks of a daemon's directory:
 * whoever else could write it could have us run their commands.
 */
static int
local_trusted(const struct local_src *src, const char *path)
{
	char who[TRUST_WHO_MAX];
	struct stat st;

	if (lstat(path, &st) == -1)
		return errno == ENOENT ? 0 : -1;
	if (S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode))
		cli_error("refusing '%s': not a directory", local_label(src,
		    path));
	else if (st.st_uid != geteuid() && st.st_uid != 0)
		cli_error("refusing '%s': it belongs to %s", local_label(src,
		    path), trust_who(st.st_uid, who, sizeof who));
	else if ((st.st_mode & 022) != 0)
		cli_error("refusing '%s': it is writable by group or others",
		    local_label(src, path));
	else
		return 0;
	return -1;
}

/* The current release of the history into r: 0, 1 when there is none
 * (no history, or no release of it went live), -1 (said). */
static int
local_current(const struct local_src *src, struct release *r)
{
	struct rel *cur;

	if (store_read(src->dir) == -1) {
		if (errno == ENOENT)
			return 1;
		cli_errno("cannot read '%s'", local_label(src, src->dir));
		return -1;
	}
	if ((cur = store_current()) != NULL)
		release_copy(r, &cur->release);
	store_free();
	return cur != NULL ? 0 : 1;
}

/* [release] strict, for a release that was not built now. */
static int
local_strict(const char *root)
{
	struct settings_flags f;
	struct settings s;
	struct diags d;
	int strict;

	settings_flags_init(&f);
	f.root = root;
	diags_init(&d);
	(void)settings_load(&s, &f, environ, &d);
	strict = s.strict;
	settings_release(&s);
	diags_release(&d);
	return strict;
}

/* Build a release from the files, as up does: 0, or the exit status. */
static int
local_build(struct local_src *src, struct release *r)
{
	struct settings_flags f;
	struct settings s;
	struct diags d;
	int rc;

	settings_flags_init(&f);
	f.root = src->root;
	f.guard = 1;
	settings_init(&s);
	diags_init(&d);
	rc = build_release(&f, &s, r, &d, NULL);
	diags_print(&d, stderr, "formation");
	src->strict = s.strict;
	settings_release(&s);
	diags_release(&d);
	return rc == 0 ? 0 : EXIT_CONFIG;
}

/* Add r to the history under the app's lock, as up would: 0 with r the
 * release kept (a new version, or the same content's), or the exit
 * status (said). */
static int
local_keep(struct local_src *src, struct release *r)
{
	char *why = NULL, *app = paths_app_dir(src->root);
	int appfd, statefd = -1, lockfd = -1, rc = EXIT_UNREACHABLE;
	struct rel *rel;
	size_t before;

	if ((appfd = paths_open_app_dir(src->root, &why)) == -1)
		goto out;
	statefd = strcmp(app, src->state) == 0 ? dup(appfd) :
	    paths_open_dir(AT_FDCWD, src->state, src->state, &why);
	if (statefd == -1)
		goto out;
	if ((lockfd = paths_lock(appfd, PATHS_LOCK)) == -1) {
		if (errno == EWOULDBLOCK)
			xasprintf(&why, "a formation is starting in '%s' (it "
			    "holds '%s'): try again", src->root,
			    local_label(src, PATHS_LOCK));
		else
			xasprintf(&why, "cannot lock '%s/%s': %s",
			    local_label(src, app), PATHS_LOCK,
			    strerror(errno));
		goto out;
	}
	if (store_open(statefd, src->state) == -1)
		goto out;	/* said */
	r->reason = xstrdup("one-off");
	/* Its phase has not run: the next up runs it, on this version. */
	if (release_find(r, RELEASE_PHASE_TYPE) != NULL)
		r->status = RELEASE_PENDING;
	before = store_count();
	if ((rel = store_add_up(r)) == NULL)
		xasprintf(&why, "cannot write a release in '%s': %s",
		    local_label(src, src->dir), strerror(errno));
	else {
		release_copy(r, &rel->release);
		src->made = store_count() > before;
		rc = 0;
	}
	store_free();
out:
	if (why != NULL)
		cli_error("%s", why);
	if (lockfd != -1)
		close(lockfd);
	if (statefd != -1)
		close(statefd);
	if (appfd != -1)
		close(appfd);
	free(why);
	free(app);
	return rc;
}

/* The release to run against, into r, said on stderr: 0, or the exit
 * status. */
static int
local_release(struct local_src *src, const struct local_req *q,
    struct release *r)
{
	const char *why = q->forced ? "--no-daemon" :
	    "no formation is up";
	int rc;

	if (local_trusted(src, src->state) == -1 ||
	    local_trusted(src, src->dir) == -1)
		return EXIT_UNREACHABLE;
	if ((rc = local_current(src, r)) == -1)
		return EXIT_UNREACHABLE;
	if (rc == 0)
		src->strict = local_strict(src->root);
	else if ((rc = local_build(src, r)) != 0 ||
	    (rc = local_keep(src, r)) != 0)
		return rc;
	if (src->made)
		fprintf(stderr, "formation: %s; running against v%d, made now "
		    "from the app's files into %s%s\n", why, r->version,
		    local_label(src, src->dir), r->status == RELEASE_PENDING ?
		    " (its release phase runs at the next up)" : "");
	else
		fprintf(stderr, "formation: %s; running against v%d from %s\n",
		    why, r->version, local_label(src, src->dir));
	return 0;
}

/* As the daemon does: say that the code changed, or refuse. */
static int
local_code(const struct local_src *src, const struct local_req *q,
    const struct release *r)
{
	char *msg;

	if (!release_code_changed(r, 0, CODE_CHECK_MS, &msg))
		return 0;
	if ((q->flags & ONEOFF_STRICT) || src->strict) {
		cli_error("%s; not run, as %s", msg, q->flags & ONEOFF_STRICT ?
		    "--strict is given" : "[release] strict is set");
		free(msg);
		return EXIT_FAILED;
	}
	cli_error("%s", msg);
	free(msg);
	return 0;
}

/* PORT: --port, else a free one for a type's command that reads it,
 * unless -e PORT= gave it; 0: none. */
static int
local_port(const struct local_req *q, const struct runcmd *cmd)
{
	char *const *kv;
	int port;

	if (q->port > 0)
		return q->port;
	if (!cmd->uses_port)
		return 0;
	for (kv = q->env; kv != NULL && *kv != NULL; kv++) {
		if (strncmp(*kv, "PORT=", 5) == 0)
			return 0;
	}
	if ((port = runcmd_port(NULL, 0)) == 0) {
		cli_errno("cannot find a free port");
		return -1;
	}
	return port;
}

/* The one-off's terminal, the window the caller's; the slave into
 * *slave. */
static int
local_pty(const struct local_req *q, int *master, int *slave)
{
	struct winsize ws;

	if (spawn_open_pty(master, slave) == -1) {
		cli_errno("cannot open a pty");
		return -1;
	}
	if (q->rows > 0 && q->cols > 0) {
		memset(&ws, 0, sizeof ws);
		ws.ws_row = (unsigned short)(q->rows > USHRT_MAX ? USHRT_MAX :
		    q->rows);
		ws.ws_col = (unsigned short)(q->cols > USHRT_MAX ? USHRT_MAX :
		    q->cols);
		(void)ioctl(*master, TIOCSWINSZ, &ws);
	}
	return 0;
}

/* Spawn cmd of r: -1 once started, else the exit status (said). */
static int
local_spawn(const struct local_req *q, const struct release *r,
    const struct runcmd *cmd, struct local_run *run)
{
	int tty = (q->flags & ONEOFF_TTY) != 0, slave = -1, errfd = -1;
	int code, i;
	struct procenv pe;
	struct spawn sp;
	char err[512], **envp;
	mode_t mask;

	memset(&pe, 0, sizeof pe);
	pe.name = LOCAL_NAME;
	pe.port = run->port;
	pe.pty = tty;
	pe.term = tty && q->term != NULL && *q->term != '\0' ? q->term : NULL;
	pe.added = q->env;
	if (tty && local_pty(q, &run->master, &slave) == -1)
		return EXIT_UNREACHABLE;
	envp = procenv_build(r, &pe);
	memset(&sp, 0, sizeof sp);
	sp.argv = cmd->argv;
	sp.words = cmd->words;
	sp.envp = envp;
	sp.cwd = r->root;
	for (i = 0; i < 3; i++)
		sp.fds[i] = tty ? slave : i;
	sp.ctty = tty;
	/* Gone with us, as a terminal's processes go with it. */
	sp.pdeathsig = SIGHUP;
	mask = umask(022);
	umask(mask);
	sp.umask = mask;
	spawn_init();
	/* A fork, not spawn_start()'s clone on a stack of its own: the CLI
	 * is small, and a sanitizer's runtime does not follow that stack. */
	if ((run->pid = spawn_begin(&sp, &errfd, err, sizeof err,
	    &code)) > 0 && spawn_result(errfd, &sp, err, sizeof err,
	    &code) == -1) {
		(void)waitpid(run->pid, NULL, 0);
		run->pid = -1;
	}
	if (errfd != -1)
		close(errfd);
	strv_free(envp);
	if (slave != -1)
		close(slave);
	if (run->pid > 0)
		return -1;
	cli_error("%s", err);
	if (run->master != -1)
		close(run->master);
	run->master = -1;
	return code;
}

int
local_start(const struct local_req *q, struct local_run *run)
{
	struct local_src src;
	struct release r;
	struct runcmd cmd;
	char err[512];
	int rc;

	memset(run, 0, sizeof *run);
	run->master = -1;
	memset(&src, 0, sizeof src);
	memset(&cmd, 0, sizeof cmd);
	release_init(&r);
	if ((src.root = history_app_root()) == NULL) {
		cli_error("nothing to run against here: no Procfile in '%s' or "
		    "any parent directory", cli_globals.root != NULL ?
		    cli_globals.root : ".");
		return EXIT_UNREACHABLE;
	}
	src.state = paths_state_dir(src.root);
	src.dir = path_join(src.state, "releases");
	if ((rc = local_release(&src, q, &r)) != 0)
		goto out;
	if ((rc = local_code(&src, q, &r)) != 0)
		goto out;
	if ((rc = runcmd_resolve(&cmd, &r, q->flags, q->argc,
	    (const char *const *)q->argv, err, sizeof err)) != 0) {
		cli_error("%s", err);
		goto out;
	}
	if ((run->port = local_port(q, &cmd)) == -1) {
		rc = EXIT_UNREACHABLE;
		goto out;
	}
	rc = local_spawn(q, &r, &cmd, run);
out:
	runcmd_release(&cmd);
	release_release(&r);
	free(src.dir);
	free(src.state);
	free(src.root);
	return rc;
}
