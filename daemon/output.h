/*
 * The log multiplexer: the children's pipes in, whole prefixed lines out
 * ("HH:MM:SS web.1  | text").
 *
 * One sink (the daemon's stdout, plus an optional log file) and one
 * struct outsrc per process stream. Lines are never torn: a source emits
 * only whole lines, a partial line after 100 ms or at EOF, and a line
 * longer than OUTPUT_MAX_LINE in pieces. The sink never blocks the loop:
 * what stdout cannot take waits in a queue, and past a high-water mark
 * every source stops reading, so the children block on their pipes
 * (back-pressure) instead of the daemon buffering without bound.
 *
 * Each process keeps its last lines in a struct logring (daemon/logring.h)
 * for `formation logs`; output_tap is called for every line, for
 * followers.
 */
#ifndef OUTPUT_H
#define OUTPUT_H

#include <stddef.h>
#include <time.h>

#include "common/protocol.h"
#include "daemon/logring.h"

#define OUTPUT_MAX_LINE	8192

struct outsrc;

/* Called at EOF (or read error) of a source, once. */
typedef void (*outsrc_eof_cb)(struct outsrc *, void *);

/* color: -1 auto (a terminal, no NO_COLOR, not journald), 0, 1. */
void	output_init(int);
void	output_shutdown(void);
/* Where the log file is: name in the directory dirfd (duplicated), named
 * dir in messages; -1 on error. */
int	output_logfile_at(int, const char *, const char *);
/* Also append every line to it, opened never through a link, rotated at
 * 10 MiB; -1 on error. */
int	output_open_logfile(void);
/* Widen the name column to fit name. */
void	output_fit_name(const char *);
/* Bytes waiting for stdout. */
size_t	output_pending(void);
/* Emit one line from name (with that type's colour index). */
void	output_line(const char *, int, struct logring *, const char *,
	    size_t);
/* A "system" line. */
void	output_system(const char *, ...) __attribute__((format(printf, 1, 2)));
extern struct logring output_system_ring;
/* Called for every line emitted: name, time (ms since the epoch), stream
 * (LOG_STREAM_*), text, length. */
extern void (*output_tap)(const char *, long long, int, const char *,
    size_t);
/* Called once, with errno, when writing to stdout fails for good; what
 * stdout did not take is still queued, for output_divert(). */
extern void (*output_sink_lost)(int);
/* Stdout is gone (a terminal that hung up): what it did not take, and
 * every line from now on, are appended to the log file instead
 * (output_logfile_at()), uncoloured (as they are already when it is
 * open). -1 if it cannot be opened. */
int	output_divert(void);

/* Read fd (taking ownership) as the stream of name. */
struct outsrc *outsrc_new(int, const char *, int, struct logring *,
	    outsrc_eof_cb, void *);
/* Read the child's stderr apart, at the journal's error priority: a pipe
 * whose write end goes in *fd. -1 with errno if there is none. */
int	outsrc_split_stderr(struct outsrc *, int *);
/* Read what is there now and flush the partial line (at process exit). */
void	outsrc_drain(struct outsrc *);
/* Stop reading and close the fd. */
void	outsrc_free(struct outsrc *);

#endif
