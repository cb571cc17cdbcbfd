/*
 * The release phase: the command of a Procfile type named "release"
 * (Heroku's release process type) runs once, as a one-off of a new
 * release, before that release goes live (procfile(5)).
 *
 * phase_start() runs it as release.1, a member of the formation (so ps
 * lists it and a shutdown stops it) with the new release's environment,
 * code and settings, its output in the log, never restarted, and stopped
 * once [release] timeout has passed. When it has ended, done is called
 * once with 0 when it exited 0, else its status and why ("exited with
 * status 1",
 * "killed by SIGKILL", "timed out after 600 s", a start that failed); the
 * caller then settles the release (store_settle()). One phase runs at a
 * time.
 */
#ifndef PHASE_H
#define PHASE_H

#include "common/strbuf.h"

struct rel;
struct release;

/* code: 0 when it exited 0, else its status as a shell gives it (128 +
 * N when killed by signal N, 126 or 127 when it could not be started);
 * why: NULL when 0. rel is the phase's release. */
typedef void (*phase_done_fn)(struct rel *, int, const char *, void *);

/* Does r have a release phase? */
int	phase_needed(const struct release *);
/* -1 (nothing started, done not called) when a phase runs already. */
int	phase_start(struct rel *, int, phase_done_fn, void *);
/* The release whose phase runs now, or NULL. */
struct rel *phase_running(void);
/* The last n lines the last phase wrote, "release.1 | text" each. */
void	phase_last_lines(struct strbuf *, size_t);
/* At exit. */
void	phase_free(void);

#endif
