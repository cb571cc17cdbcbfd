/*
 * Diagnostics from the parsers: warnings (a line was skipped) and errors
 * (the input is refused), each naming a file and a line.
 *
 * A struct diags collects them all, so that a failed build reports every
 * error and not only the first. diags_init() before use; diags_release()
 * frees every message. line is 1-based; 0 means the file as a whole.
 */
#ifndef DIAG_H
#define DIAG_H

#include <stddef.h>
#include <stdio.h>

struct diag {
	char	*file;
	int	 line;
	char	*message;
};

struct diags {
	struct diag	*warnings;
	size_t		 nwarnings, awarnings;
	struct diag	*errors;
	size_t		 nerrors, aerrors;
};

void	diags_init(struct diags *);
void	diags_release(struct diags *);
void	diag_warn(struct diags *, const char *, int, const char *, ...)
	    __attribute__((format(printf, 4, 5)));
void	diag_error(struct diags *, const char *, int, const char *, ...)
	    __attribute__((format(printf, 4, 5)));
/* Append every diagnostic of src to dst. */
void	diags_merge(struct diags *, const struct diags *);
/* --strict: every warning becomes an error. */
void	diags_strict(struct diags *);
/* "FILE:LINE: message" (or "FILE: message" for line 0). */
void	diag_format(const struct diag *, char *, size_t);
/* One line per diagnostic: "PROG: FILE:LINE: [warning: ]message". */
void	diags_print(const struct diags *, FILE *, const char *);

#endif
