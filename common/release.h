/*
 * A release: the immutable snapshot a formation and its one-offs run
 * from (SPEC "The release"). Process types and commands, the final
 * environment with the origin of each key, the app root, a content hash.
 *
 * release_build() makes one from settings, the Procfile, the env files,
 * the code of the work tree (common/code.h, unless [release] code =
 * none; a git that fails is a warning and no code) and the inherited
 * environment (the variables of a shell session and of a
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

#include "common/code.h"
#include "common/config.h"
#include "common/diag.h"
#include "common/env.h"
#include "common/procfile.h"

/*
 * A process type: its command, and its settings from [process.NAME] (and
 * the global defaults), each key of settings_type_text() with its
 * resolved value as text. A release read from a format 1 file records no
 * settings (settings.n == 0).
 */
struct release_proc {
	char		*name;
	char		*command;
	char		*origin;	/* "Procfile:3" */
	struct env	 settings;	/* key, value; origin NULL */
};

/* The format of the release's file and of its content hash: what a
 * build makes; 1 for a release read from a file written before
 * settings were release content. */
#define RELEASE_FORMAT	2

struct release {
	int			 version;	/* 0: not stored yet */
	int			 format;	/* RELEASE_FORMAT, or 1 */
	time_t			 created_at;
	char			*root;
	struct release_proc	*procs;
	size_t			 nprocs, aprocs;
	struct env		 env;		/* the final environment */
	struct env		 file_env;	/* what the env files set */
	struct code		 code;		/* commit NULL: none */
	char			 hash[65];	/* hex SHA-256 of the content */
	/* Why it was made and how it differs from the one before: set by
	 * the store, not content (NULL in a file that does not say). */
	char			*reason;	/* "up", "reload", "rollback of
						 * v3" */
	char			*summary;	/* reldiff_summary() */
	int			 status;	/* RELEASE_OK...: of its release
						 * phase; not content */
};

enum {
	RELEASE_OK,		/* live, or may go live */
	RELEASE_PENDING,	/* its release phase runs, or was cut off */
	RELEASE_FAILED,		/* its release phase, or the roll onto
				 * it, failed: not current */
};

/* The Procfile type that is the release phase, not part of the
 * formation (procfile(5)). */
#define RELEASE_PHASE_TYPE	"release"
/* Why a count or up TYPE cannot name RELEASE_PHASE_TYPE. */
const char *release_phase_error(void);
/* The place of the type at index among the types of the formation (the
 * release phase left out): what its PORT is counted from. */
int	release_port_index(const struct release *, int);
/* PORT of an instance (from 1) of the type at index: the port setting
 * (-p, port =; -1: not set), else PORT of the release's environment,
 * else 5000; plus 100 per place in the formation and 1 per instance
 * (foreman's rule). */
int	release_port(const struct release *, int, int, int);
/* "ok", "pending", "failed". */
const char *release_status_name(int);

void	release_init(struct release *);
void	release_release(struct release *);
/* Replace the contents of dst (initialised) with a deep copy of src. */
void	release_copy(struct release *, const struct release *);
/* release_build() with the code of the work tree read already: git is not
 * asked again. */
int	release_build_seen(struct release *, const struct settings *,
	    char *const *, struct diags *, const struct code_seen *);
int	release_build(struct release *, const struct settings *,
	    char *const *, struct diags *);
const struct release_proc *release_find(const struct release *,
	    const char *);
/* Append a process type (no settings yet); returns it. */
struct release_proc *release_add_proc(struct release *, const char *,
	    const char *, const char *);
/* Record every type's settings as s resolves them. */
void	release_set_settings(struct release *, const struct settings *);
/*
 * The settings a process of a type runs with, as the release records
 * them: the built-in defaults, then each recorded key. A type the
 * release does not know, or one read from a format 1 file, gets the
 * defaults. The name is left NULL.
 */
struct type_settings release_type_settings(const struct release *,
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
/*
 * Does the code of r's work tree differ from r's, as a one-off is about
 * to run against r? 1 with *msg (allocated) "the code changed since v4
 * (a1b2c3d -> 9f8e7d6+dirty); the formation still runs v4's; 'formation
 * reload' rolls it out" when live (a formation runs r), else "...; no
 * formation runs it yet: the next 'formation up' makes a release of it";
 * 0 when it does not, when r has no code, or when git cannot tell within
 * timeout_ms.
 */
int	release_code_changed(const struct release *, int, int, char **);
/* The same, given the code of the work tree as read already. */
int	release_code_differs(const struct release *, int, const struct code *,
	    char **);
/* What a process learns of its release: FORMATION_RELEASE (vN) and,
 * when the release has code, FORMATION_CODE (code_env()), set in env. */
void	release_add_env(const struct release *, struct env *);
const char *release_term(const struct release *, int, const char *);
/* Set r->hash from the content, as r->format defines it. */
void	release_hash(struct release *);
/* The hash of r's content as format (1 or RELEASE_FORMAT) defines it,
 * into out (65 bytes). */
void	release_content_hash(const struct release *, int, char *);

#endif
