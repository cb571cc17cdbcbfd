/*
 * The readiness checks that look from outside (common/readyspec.h): tcp,
 * http and accept try again every PROBE_INTERVAL until one attempt
 * passes, delay waits. Everything is non-blocking on the default loop: a
 * connect in progress is an ev_io, an attempt has PROBE_ATTEMPT seconds,
 * and the daemon never waits on a process it checks.
 *
 * accept connects to the type's first held socket, sends nothing, and
 * looks for the server end of that connection (daemon/sockpeer.h), at
 * once and then ever less often: it passes once a process of the
 * instance's session holds it. Taken by another process (an old
 * instance, another instance of the type, sharing the socket), the
 * attempt ends, and the next begins after PROBE_AGAIN: soon, for the
 * instance may well be accepting by then, but not at once, as each
 * attempt costs the other process a connection, held open until the
 * look that sees it taken (so the looks start early).
 *
 * probe_new() starts the check of the process of target; done is called
 * once, when it passed; the probe then does nothing more until
 * probe_free(). notify and started need no probe: NULL.
 */
#ifndef PROBE_H
#define PROBE_H

#include <sys/socket.h>
#include <sys/types.h>

#include "common/readyspec.h"

#define PROBE_INTERVAL	0.1	/* seconds between attempts */
#define PROBE_ATTEMPT	2.	/* seconds an attempt may take */
#define PROBE_LOOK	0.002	/* accept: the second look at who took
				 * the connection (the first is at once),
				 * each next one twice as late, */
#define PROBE_LOOK_MAX	0.02	/* up to this */
#define PROBE_AGAIN	0.05	/* accept: the next attempt, after one
				 * that another process took */

/* What a check looks at; copied by probe_new(). */
struct probe_target {
	int			 port;		/* the process's PORT */
	pid_t			 pid;		/* accept: the process, the
						 * leader of its session */
	struct sockaddr_storage	 addr;		/* accept: where to connect */
	socklen_t		 addrlen;	/* 0: nowhere */
};

struct probe;

typedef void (*probe_cb)(void *);

struct probe	*probe_new(const struct ready_spec *,
		    const struct probe_target *, probe_cb, void *);
void		 probe_free(struct probe *);

#endif
