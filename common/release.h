/*
 * A release: the immutable snapshot a formation and its one-offs run
 * from (SPEC "The release"). Process types and commands, the final
 * environment with the origin of each key, the app root, a content hash.
 *
 * release_build() makes one from settings, the Procfile, the env files and
 * the inherited environment (the variables of a shell session and of a
 * service manager removed, release_session_var(); an inherited variable
 * wins over an env file). On failure it returns -1 with
 * every error in diags, and the release must only be released. version is
 * 0 until the release store numbers it. release_init() before use,
 * release_release() after.
 */
#ifndef RELEASE_H
#define RELEASE_H

#include <stddef.h>
#include <time.h>

#include "common/config.h"
#include "common/diag.h"
#include "common/env.h"
#include "common/procfile.h"

struct release_proc {
	char	*name;
	char	*command;
	char	*origin;	/* "Procfile:3" */
};

struct release {
	int			 version;	/* 0: not stored yet */
	time_t			 created_at;
	char			*root;
	struct release_proc	*procs;
	size_t			 nprocs, aprocs;
	struct env		 env;		/* the final environment */
	struct env		 file_env;	/* what the env files set */
	char			 hash[65];	/* hex SHA-256 of the content */
};

void	release_init(struct release *);
void	release_release(struct release *);
/* Replace the contents of dst (initialised) with a deep copy of src. */
void	release_copy(struct release *, const struct release *);
int	release_build(struct release *, const struct settings *,
	    char *const *, struct diags *);
const struct release_proc *release_find(const struct release *,
	    const char *);
/* Index of a type in Procfile order, or -1. */
int	release_index(const struct release *, const char *);
/* 1 if name is a variable of a shell session, a terminal or a service
 * manager, which never enters a release (formationd(8), ENVIRONMENT). */
int	release_session_var(const char *);
/*
 * TERM for a process of r: the env files' when they set one, else the
 * caller's (a one-off on a pty: the terminal of the formation command
 * that asked), else RELEASE_PTY_TERM on a pty (a tty = true type), else
 * none (NULL): a process on a pipe has no terminal.
 */
#define RELEASE_PTY_TERM "xterm-256color"
const char *release_term(const struct release *, int, const char *);
void	release_hash(struct release *);

#endif
