/*
 * The readiness checks that look from outside (common/readyspec.h): tcp
 * and http try again every PROBE_INTERVAL until one attempt passes, delay
 * waits. Everything is non-blocking on the default loop: a connect in
 * progress is an ev_io, an attempt has PROBE_ATTEMPT seconds, and the
 * daemon never waits on a process it checks.
 *
 * probe_new() starts the check of a process whose PORT is port; done is
 * called once, when it passed, with what it saw ("tcp :5000"); the probe
 * then does nothing more until probe_free(). notify and started need no
 * probe: NULL.
 */
#ifndef PROBE_H
#define PROBE_H

#include "common/readyspec.h"

#define PROBE_INTERVAL	0.1	/* seconds between attempts */
#define PROBE_ATTEMPT	2.	/* seconds an attempt may take */

struct probe;

typedef void (*probe_cb)(void *);

struct probe	*probe_new(const struct ready_spec *, int, probe_cb, void *);
void		 probe_free(struct probe *);

#endif
