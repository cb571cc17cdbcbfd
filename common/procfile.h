/*
 * The Procfile: "NAME: COMMAND" lines (procfile(5)).
 *
 * procfile_parse() reads a whole file's bytes; file names it in the
 * diagnostics. Lines that are not entries are warnings; a duplicate name
 * (at its second definition) and a file with no entries (line 0) are
 * errors. Returns 0 when no error was recorded, -1 otherwise. Entries keep
 * file order; the struct owns its strings. procfile_init() before use,
 * procfile_release() after.
 */
#ifndef PROCFILE_H
#define PROCFILE_H

#include <stddef.h>

#include "common/diag.h"

struct procfile_entry {
	char	*name;
	char	*command;
	int	 line;
};

struct procfile {
	struct procfile_entry	*entries;
	size_t			 n, alloc;
};

void	procfile_init(struct procfile *);
void	procfile_release(struct procfile *);
int	procfile_parse(struct procfile *, const char *, const char *, size_t,
	    struct diags *);
/* Read and parse path; an unreadable file is an error at line 0. */
int	procfile_load(struct procfile *, const char *, struct diags *);
const struct procfile_entry *procfile_find(const struct procfile *,
	    const char *);
/* 1 if name is a valid process type name ([A-Za-z0-9_-]+). */
int	procfile_valid_name(const char *);

#endif
