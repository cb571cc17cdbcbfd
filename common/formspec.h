/*
 * A formation spec: how many instances of each process type to run,
 * "web=2,worker=1,all=0" (-m, [scale] in formation.ini, FORMATION_SCALE).
 *
 * A type not named gets all's count; all defaults to 1. formspec_parse()
 * adds to what the struct already holds (a later count for a type wins).
 * Errors (bad names, negative or non-numeric counts) return -1 with *err
 * set to an allocated one-line reason. formspec_init() before use,
 * formspec_release() after.
 */
#ifndef FORMSPEC_H
#define FORMSPEC_H

#include <stddef.h>

#include "common/procfile.h"

struct formspec_entry {
	char	*name;
	int	 count;
	int	 line;		/* of its [scale] key; 0: not from a file */
};

struct formspec {
	struct formspec_entry	*entries;
	size_t			 n, alloc;
	int			 all;		/* -1: not set, i.e. 1 */
	int			 all_line;
};

void	formspec_init(struct formspec *);
void	formspec_release(struct formspec *);
/* Replace the contents of dst (initialised) with a copy of src. */
void	formspec_copy(struct formspec *, const struct formspec *);
int	formspec_parse(struct formspec *, const char *, char **);
/* Set one type's count ("all" sets the default). */
void	formspec_set(struct formspec *, const char *, int);
/* Check and set one type's count given as text (a [scale] line); -1 with
 * *err set on a bad name or count, the struct unchanged. */
int	formspec_add(struct formspec *, const char *, const char *, char **);
/* The formation.ini line a type's count (or all's) was read from. */
void	formspec_set_line(struct formspec *, const char *, int);
int	formspec_count(const struct formspec *, const char *);
/* -1 with *err naming the first type the Procfile does not define. */
int	formspec_check(const struct formspec *, const struct procfile *,
	    char **);

#endif
