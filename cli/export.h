/*
 * formation export systemd: a unit file that runs an app's formationd.
 *
 * The unit is made from a struct export_unit; every string in it is as
 * the user means it, and export_unit() escapes each for systemd
 * (systemd.syntax(7), systemd.service(5)): "%" becomes "%%" everywhere,
 * "$" becomes "$$" in command lines, and a command-line word with blanks,
 * quotes, backslashes, ";", control characters or bytes that are not
 * UTF-8 is double-quoted, with C escapes for what cannot be written as it
 * is. A plain setting (WorkingDirectory=, User=) takes no escapes, so a
 * value that is not UTF-8, holds a control character, or has a blank at
 * either end or a backslash at the end makes export_unit() fail with a
 * message naming it. A path in a list (ReadWritePaths=) is quoted.
 */
#ifndef EXPORT_H
#define EXPORT_H

#include <stddef.h>

#include "common/strbuf.h"

/* The first systemd with Type=notify-reload. */
#define EXPORT_NOTIFY_RELOAD	253

struct export_unit {
	const char	*name;		/* unit name, no ".service"; also the
					 * runtime directory's */
	const char	*description;	/* Description= */
	const char	*user;		/* User=, or NULL */
	const char	*root;		/* WorkingDirectory= */
	char		**argv;		/* ExecStart=, argv[0] absolute */
	size_t		  argc;
	const char	*cli;		/* formation, absolute: ExecReload= */
	int		  timeout_ms;	/* TimeoutStopSec= */
	int		  systemd;	/* its version; 0: unknown (252's
					 * settings, which later ones take) */
	int		  user_unit;	/* for a user manager (--user) */
	int		  harden;	/* the sandbox (not --no-harden) */
	int		  home;		/* may read /home (--home) */
	int		  low_ports;	/* CAP_NET_BIND_SERVICE */
};

/* The unit file; -1 with *err (allocated) if a value cannot be written. */
int	export_unit(struct strbuf *, const struct export_unit *, char **);
/* A unit name from a directory's base name: [A-Za-z0-9_.-], never empty. */
char	*export_app_name(const char *);
/* Is s a name export takes for a unit (--name): [A-Za-z0-9_.-], starting
 * with a letter or digit, at most 200 bytes? */
int	export_name_ok(const char *);
/* One word of a command line. */
void	export_exec_word(struct strbuf *, const char *);
/* A plain setting's value; -1 if it cannot be one. */
int	export_value(struct strbuf *, const char *);
/* Length of the valid UTF-8 sequence at s (NUL-terminated), or 0. */
size_t	export_utf8_len(const unsigned char *);
/* dir and its missing parents, as mkdir -p does; -1 with errno. */
int	export_mkdir(const char *);
/* formation export kubernetes and compose (cli/export_engine.c); argv[0]
 * is the format. */
int	export_engine(int, char **);
/* The version in the first line of "systemctl --version" ("systemd 252
 * (252.39-1~deb12u2)"), or 0. */
int	export_systemd_version(const char *);
/* Is path in a home directory (under /home, /root, /run/user or $HOME,
 * given as home, NULL for none)? */
int	export_in_home(const char *, const char *);

/*
 * What export learns of the machine (cli/export_host.c). Each returns an
 * allocated string or NULL; none prints.
 */
/* The first executable name in the absolute directories of PATH. */
char	*export_which(const char *);
/* An executable name in the directory of path (absolute), or NULL. */
char	*export_beside(const char *, const char *);
/* The version of the systemd whose systemctl is on PATH, or 0. */
int	export_systemd_here(void);
/* The name of uid in /etc/passwd, else its number. */
char	*export_user_name(unsigned long);
/* Is there such a user: a line in /etc/passwd, or a number? */
int	export_user_exists(const char *);
/* Is the program at path in a build tree: its directory or the one
 * above holds a Makefile, .git, CMakeCache.txt or meson-private? */
int	export_in_build_tree(const char *);
/* The directory of systemd's unit search path (system, or the user's
 * with home) that has a file name, other than dir; NULL if none. */
char	*export_unit_elsewhere(const char *, const char *, int,
	    const char *);

#endif
