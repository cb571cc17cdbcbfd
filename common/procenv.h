/*
 * The environment a process of a release starts with (SPEC "The
 * release"), the same for the daemon's processes and one-offs and for a
 * one-off the CLI runs itself: the release's environment, then PS (its
 * name), FORMATION_RELEASE and FORMATION_CODE (release_add_env()), PORT
 * when it has one, TERM by the rules of release_term(), PWD the app root,
 * and last the variables added for it (a one-off's -e KEY=VALUE), which
 * win over all of those.
 */
#ifndef PROCENV_H
#define PROCENV_H

struct release;

struct procenv {
	const char	*name;		/* "web.1", "run.3" */
	int		 port;		/* 0: no PORT */
	int		 pty;		/* on a pty */
	const char	*term;		/* the caller's TERM, or NULL */
	char *const	*added;		/* "KEY=VALUE"s, or NULL */
};

/* A NULL-terminated "K=V" array; free with strv_free(). */
char	**procenv_build(const struct release *, const struct procenv *);
/*
 * 1 if the name of s ("KEY" or "KEY=VALUE") is one of socket activation's
 * (LISTEN_FDS, LISTEN_FDNAMES, LISTEN_PID, SERVER_STARTER_PORT,
 * EINHORN_FD*): only the daemon sets those, for a process it passes
 * sockets to (daemon/sockets.h), so procenv_build() leaves out the
 * release's.
 */
int	  procenv_activation(const char *);
/* 1 if s is "KEY=VALUE" with KEY a variable name ([A-Za-z_][A-Za-z0-9_]*). */
int	  procenv_valid(const char *);
/* The keys of added, ", "-separated, into sb (nothing when none). */
struct strbuf;
void	  procenv_keys(struct strbuf *, char *const *);

#endif
