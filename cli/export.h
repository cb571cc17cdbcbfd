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
 * message naming it.
 */
#ifndef EXPORT_H
#define EXPORT_H

#include <stddef.h>

#include "common/strbuf.h"

struct export_unit {
	const char	*app;		/* sanitised: unit and directory name */
	const char	*description;	/* Description= */
	const char	*user;		/* User=, or NULL */
	const char	*root;		/* WorkingDirectory= */
	char		**argv;		/* ExecStart=, argv[0] absolute */
	size_t		  argc;
	int		  timeout_ms;	/* TimeoutStopSec= */
};

/* The unit file; -1 with *err (allocated) if a value cannot be written. */
int	export_unit(struct strbuf *, const struct export_unit *, char **);
/* A unit name from a directory's base name: [A-Za-z0-9_.-], never empty. */
char	*export_app_name(const char *);
/* One word of a command line. */
void	export_exec_word(struct strbuf *, const char *);
/* A plain setting's value; -1 if it cannot be one. */
int	export_value(struct strbuf *, const char *);

#endif
