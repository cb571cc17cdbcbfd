/*
 * Settings: built-in defaults < formation.ini < FORMATION_* environment
 * variables < command-line flags (formation.ini(5)).
 *
 * settings_load() is the one entry point: it starts from settings_init()'s
 * defaults and applies each layer (config_load(), settings_from_env(), the
 * flags). Paths in the result are absolute, resolved against the app root
 * (a relative -f, -e or -c is taken relative to the -C directory, else the
 * working directory, as make -C and git -C do). The struct owns every
 * string. Each function that can fail records its errors in a struct diags
 * with file and line and returns -1.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>

#include "common/diag.h"
#include "common/env.h"
#include "common/formspec.h"
#include "common/readyspec.h"

enum restart_policy {
	RESTART_UNSET = -1,
	RESTART_ALWAYS = 0,
	RESTART_ON_FAILURE,
	RESTART_NEVER,
};

/* Settings for one process type, from [process.NAME] in formation.ini.
 * A field left at -1 (or RESTART_UNSET) takes the global value. */
struct type_settings {
	char			*name;
	int			 stop_signal;	/* -1: SIGTERM */
	int			 timeout_ms;	/* -1: global */
	enum restart_policy	 restart;	/* RESTART_UNSET: global */
	int			 tty;		/* -1: no */
	struct ready_spec	 ready;		/* when it is ready */
	int			 ready_given;	/* 0: the default, started,
						 * or with listen an implicit
						 * accept */
	int			 ready_timeout_ms; /* -1: READY_TIMEOUT_MS */
	int			 roll;		/* instances at a time in a
						 * roll; -1: 1 */
	char			 listen[200];	/* the listen text (common/
						 * listen.h); "": none */
	int			 overlap;	/* a roll starts the new one
						 * before the old one stops;
						 * -1: no */
	int			 line;		/* of its section in
						 * formation.ini; 0: none */
	int			 ready_line;	/* of its ready key; 0:
						 * none */
};

struct settings {
	char			*root;		/* app root, absolute */
	char			*procfile;	/* default ROOT/Procfile */
	char			**env_files;	/* default { ROOT/.env } */
	size_t			 nenv_files;
	int			 env_files_given; /* missing file is an error */
	char			*config_file;	/* default ROOT/formation.ini */
	int			 config_given;	/* missing file is an error */
	int			 port;		/* -1: $PORT, else 5000 */
	int			 timeout_ms;	/* default 10000 */
	enum restart_policy	 restart;	/* default RESTART_ALWAYS */
	struct formspec		 scale;
	struct type_settings	*types;
	size_t			 ntypes, atypes;
	char			*socket;	/* NULL: resolved later */
	int			 color;		/* -1 auto, 0 never, 1 always */
	int			 code;		/* [release] code: SETTINGS_CODE_* */
	int			 strict;	/* [release] strict: a one-off
						 * refuses code that changed */
	int			 phase_timeout_ms; /* [release] timeout;
						 * 0: none */
	int			 guard;		/* the daemon's checks of the
						 * files (common/trust.h) */
	int			 trust_others;	/* --trust-others, or
						 * [security] trust_others */
	unsigned long long	 log_memory;	/* bytes of kept log lines,
						 * all processes together */
};

#define SETTINGS_LOG_MEMORY	(64ULL * 1024 * 1024)
#define SETTINGS_LOG_MEMORY_MIN	(64ULL * 1024)

#define SETTINGS_PHASE_TIMEOUT_MS	(3600 * 1000)

enum {
	SETTINGS_CODE_GIT,	/* default */
	SETTINGS_CODE_NONE,
};

/*
 * What the command line said, as given (NULL: not given). settings_load()
 * applies every layer in order: defaults, formation.ini (flags->config, else
 * FORMATION_CONFIG, else ROOT/formation.ini), FORMATION_* variables, then
 * these flags. The app root is flags->root (-C), else the directory of
 * flags->procfile when one is given, else the working directory.
 */
struct settings_flags {
	const char	*root;		/* -C DIR */
	const char	*procfile;	/* -f FILE */
	const char	*env;		/* -e a.env,b.env */
	const char	*config;	/* -c FILE */
	const char	*scale;		/* -m web=2,all=1 */
	const char	*port;		/* -p PORT */
	const char	*timeout;	/* -t SECS */
	const char	*socket;	/* --socket PATH */
	int		 color;		/* -1 not given, 0 --no-color, 1 --color */
	int		 guard;		/* formationd: check who owns and who
					 * may write the files (trust_file) */
	int		 trust_others;	/* --trust-others */
	int		 strict;	/* --strict: warnings are errors */
};

void	settings_flags_init(struct settings_flags *);
/* Initialises s itself; release it after, whether it failed or not. An
 * empty FORMATION_* variable counts as unset. */
int	settings_load(struct settings *, const struct settings_flags *,
	    char *const *, struct diags *);
void	settings_init(struct settings *);
void	settings_release(struct settings *);
/* Load an ini file; a missing file is fine unless s->config_given. */
int	config_load(struct settings *, const char *, struct diags *);
/* Apply len bytes of ini text; file names it in the diagnostics. */
int	config_parse(struct settings *, const char *, const char *, size_t,
	    struct diags *);
/* FORMATION_PROCFILE, _ENV, _PORT, _TIMEOUT, _RESTART, _SCALE, _SOCKET,
 * _COLOR; errors are reported against the variable's name. */
int	settings_from_env(struct settings *, char *const *, struct diags *);
/* Replace the env file list with a comma-separated one. */
void	settings_set_env_files(struct settings *, const char *);
/* The per-type settings with every default resolved. */
struct type_settings settings_for_type(const struct settings *,
	    const char *);
/*
 * The ready of a type with listen and no ready key: accept, implicit
 * (common/readyspec.h). settings_for_type() and release_type_settings()
 * apply it last, once listen is known.
 */
void	settings_type_ready_default(struct type_settings *);
/*
 * Every key of [process.NAME] with its value in t, in formation.ini's
 * syntax ("tty" "true", "timeout" "2.5"), appended to out in a fixed
 * order; and one such key set back into t from its text. What a release
 * records of a type's settings, and how it reads them back
 * (release_type_settings()).
 */
void	settings_type_text(const struct type_settings *, struct env *);
/* -1 with *err an allocated message when the key or the value is bad. */
int	settings_type_set(struct type_settings *, const char *, const char *,
	    char **);
/* How diagnostics and origins name a file: its path relative to the app
 * root when it is inside it ("Procfile", "config/dev.env"), else path
 * itself. Points into path. */
const char *settings_label(const struct settings *, const char *);
const char *restart_policy_name(enum restart_policy);
int	restart_policy_parse(const char *);	/* -1 if unknown */

#endif
