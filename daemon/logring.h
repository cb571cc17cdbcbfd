/*
 * The lines the daemon keeps for `formation logs`: a struct logring per
 * process (and one for "system", and one for each ended one-off kept),
 * all of them under one budget, log_memory in formation.ini.
 *
 * A ring keeps every line it is given until the budget is spent; then
 * each new line makes room by dropping the oldest lines of the ring that
 * holds the most (the busiest process), so that a quiet process keeps
 * its few lines however much a chatty one prints. What a line costs is
 * its text and what keeping it takes (LOGRING_LINE_COST). A ring always
 * keeps its newest line.
 *
 * The rings are kept in a heap by what they hold; a ring's address is in
 * it, so a ring that moves goes through logring_move().
 */
#ifndef LOGRING_H
#define LOGRING_H

#include <stddef.h>

#define LOG_MEMORY_DEFAULT	(64 * 1024 * 1024)

struct logentry {
	long long	 when;		/* ms since the epoch */
	unsigned long long seq;		/* the order lines came in, across
					 * every ring */
	char		*text;
	size_t		 len;
	int		 stream;	/* LOG_STREAM_*: known when stderr
					 * is read apart */
};

/* Besides its text and NUL: its entry, and the allocator's share. */
#define LOGRING_LINE_COST	(sizeof(struct logentry) + 16)

struct logring {
	struct logentry	*lines;		/* a circle of cap entries */
	size_t		 start, count, cap;
	size_t		 bytes;		/* what its lines cost */
	size_t		 heap;		/* its place in the heap, + 1;
					 * 0: holds nothing */
};

void	logring_init(struct logring *);
void	logring_release(struct logring *);
/* A line at a time (ms since the epoch) from a stream (LOG_STREAM_*). */
void	logring_push(struct logring *, long long, int, const char *, size_t);
/* The i-th line, 0 the oldest. */
const struct logentry *logring_get(const struct logring *, size_t);
/* *dst = *src, and src left empty (initialised). */
void	logring_move(struct logring *, struct logring *);
/* The budget, in bytes (lines are dropped at once to fit it). */
void	logring_budget(size_t);
/* The seq of the last line pushed (0: none yet). */
unsigned long long logring_last_seq(void);
/* What all the rings' lines cost now. */
size_t	logring_used(void);

#endif
