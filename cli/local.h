/*
 * A one-off with no daemon up (formation(1), oneoff): the CLI runs it
 * itself, from the current release of the app's history
 * (.formation/releases, common/store.h), the same environment and
 * commands as the last release that ran; when the app has no release
 * yet, from one built from the files as up builds it (common/build.h)
 * and kept, so that the next up runs that very version.
 *
 * local_start() says on stderr which release it runs against, resolves
 * the command as the daemon does (common/runcmd.h), gives it the
 * environment the daemon would (common/procenv.h) with PS set to
 * LOCAL_NAME, and spawns it in the app root (common/spawn.h), in a
 * session of its own: on a pty it opens, whose master it hands back, or
 * on the caller's stdio. The caller waits for it, relays and passes
 * signals on to its process group (cli/oneoff.c). It runs with the
 * caller's uid, umask and limits, and no ps lists it.
 */
#ifndef LOCAL_H
#define LOCAL_H

#include <sys/types.h>

/* PS of a one-off the CLI runs: not a number a daemon gives. */
#define LOCAL_NAME	"run.0"

struct local_req {
	unsigned	  flags;	/* ONEOFF_SHELL, _TTY, _TYPE, _STRICT */
	int		  argc;
	char *const	 *argv;
	char *const	 *env;		/* -e KEY=VALUE, NULL-terminated */
	int		  port;		/* --port; 0: none */
	int		  forced;	/* --no-daemon */
	const char	 *term;		/* on a pty: the caller's TERM */
	unsigned	  rows, cols;	/* on a pty: its window */
};

struct local_run {
	pid_t		  pid;
	int		  master;	/* the pty's master; -1: pipe mode */
	int		  port;		/* its PORT, 0: none */
};

/* -1 once started (run filled in), else the exit status, the reason
 * said on stderr. */
int	local_start(const struct local_req *, struct local_run *);

#endif
