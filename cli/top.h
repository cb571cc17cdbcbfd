/*
 * formation top: what cli/top.c keeps of each process between refreshes,
 * and how cli/top_draw.c lays it out.
 */
#ifndef TOP_H
#define TOP_H

#include <stddef.h>
#include <stdint.h>

#include "common/strbuf.h"

#define TOP_HIST	8	/* CPU samples in a row's bar */

enum top_sort {
	TOP_SORT_ORDER,		/* as ps lists them: the Procfile's order */
	TOP_SORT_CPU,
	TOP_SORT_MEM,
	TOP_SORT_NAME,
};

/* One process, found by name from one refresh to the next; the strings
 * are the row's own. */
struct top_row {
	char		*name, *type, *state;
	uint32_t	 pid, restarts, cpu;	/* cpu as ps_row's */
	uint64_t	 started_at, rss;
	size_t		 order;			/* in ps's list */
	uint32_t	 hist[TOP_HIST];	/* the last samples, newest
						 * last; UINT32_MAX: none */
	int		 seen;			/* in the last refresh */
};

/* A process's last log line. */
struct top_last {
	char		*name, *text;
};

struct top {
	struct top_row	*rows;
	size_t		 n, alloc;
	struct top_last	*lasts;
	size_t		 nlasts, alasts;
	char		 release[32];
	enum top_sort	 sort;
	char		*filter;	/* a type; NULL: all */
	char		*selected;	/* the name of the selected row */
	char		 status[160];	/* the bottom line; "": the keys */
	unsigned	 lines, cols;	/* of the terminal */
	int		 utf8;		/* the bar in block characters */
	int		 wait;		/* for the CPU at the first sample */
};

/* The rows shown, filtered and sorted: indices into t->rows (allocated;
 * their count in *n). */
size_t	*top_visible(const struct top *, size_t *);
const char *top_last_line(const struct top *, const char *);
/* One frame for the terminal: every line cleared to its end. */
void	top_draw(const struct top *, struct strbuf *);
/* The table, once, for what is not a terminal. */
void	top_table(const struct top *, struct strbuf *);

#endif
