/*
 * "formation check": what its two files share. check.c parses the
 * options, loads the settings and builds the release; check_print.c
 * prints the result, as text or as JSON.
 */
#ifndef CLI_CHECK_H
#define CLI_CHECK_H

#include <stddef.h>

#include "common/config.h"
#include "common/diag.h"
#include "common/release.h"

/* One diagnostic to report; error is 1 for an error, or for a warning
 * that --strict made one. */
struct check_diag {
	const struct diag	*diag;
	int			 error;
};

/*
 * The outcome of a check. The pointers borrow from check.c's settings,
 * release and diags. diags holds every warning and error, ordered by file
 * (formation.ini, the Procfile, the env files in their order) then line.
 * release is NULL when the settings were too broken to build one.
 */
struct check_result {
	const struct settings	*settings;
	const struct release	*release;
	struct check_diag	*diags;
	size_t			 ndiags;
	size_t			 nerrors;
};

/* path relative to the app root when it lies under it, else path. */
const char	*check_label(const struct settings *, const char *);
/* Where a [scale] count read at line came from: formation.ini (line >
 * 0) or FORMATION_SCALE. */
const char	*check_scale_origin(const struct settings *, int);
/* Diagnostics on stderr, one line each. */
void		 check_print_diags(const struct check_result *);
/* The summary on stdout: process types, commands and env keys. */
void		 check_print_text(const struct check_result *);
/* The one JSON document of --json on stdout. */
void		 check_print_json(const struct check_result *);

#endif
