/*
 * When a process is ready (formation.ini(5), [process.TYPE] ready): the
 * check, parsed from its text, and its text back.
 *
 *   started		ready once spawned (the default without listen)
 *   tcp		a TCP connect to its PORT on 127.0.0.1 or ::1
 *   tcp:HOST:PORT	a TCP connect there; HOST an IP address (an IPv6
 *			one in brackets) or localhost, never a name to look
 *			up, so that no check waits on DNS
 *   http:/PATH		a GET of PATH on its PORT answers 2xx or 3xx
 *   notify		it, or anything in its process group, sends READY=1
 *			to NOTIFY_SOCKET (the sd_notify protocol)
 *   delay:SECONDS	ready that long after the spawn
 *   accept		a process of its session has accepted a connection
 *			the daemon made to the type's first held socket
 *			(listen); the default with listen, implicit then:
 *			a process that accepts nothing by ready_timeout
 *			is ready all the same
 *
 * The struct holds no pointer: it is copied with the settings it is in.
 */
#ifndef READYSPEC_H
#define READYSPEC_H

#include <stddef.h>

#define READY_HOST_MAX	48	/* an IPv6 address and its NUL */
#define READY_PATH_MAX	256

enum ready_kind {
	READY_STARTED = 0,
	READY_TCP,
	READY_HTTP,
	READY_NOTIFY,
	READY_DELAY,
	READY_ACCEPT,
};

struct ready_spec {
	enum ready_kind	 kind;
	char		 host[READY_HOST_MAX];	/* tcp:HOST:PORT; "": the
						 * process's PORT on
						 * loopback */
	int		 port;			/* with host */
	char		 path[READY_PATH_MAX];	/* http: from its '/' */
	int		 delay_ms;		/* delay: */
	int		 implicit;		/* accept: not asked for,
						 * the default of listen */
};

#define READY_TIMEOUT_MS	60000	/* ready_timeout's default */

/* 0, or -1 with *err an allocated message naming what is wrong. */
int	readyspec_parse(struct ready_spec *, const char *, char **);
/* The text readyspec_parse() takes ("tcp:127.0.0.1:6379"). */
void	readyspec_text(const struct ready_spec *, char *, size_t);
/*
 * What the check looks at, for the log: "tcp :5000", "http :5000/health",
 * "tcp 127.0.0.1:6379", "notify", "delay 2s", "accept web", "started".
 * port is the process's PORT, sock the name of its type's first held
 * socket (LISTEN_FDNAMES; NULL: none).
 */
void	readyspec_describe(const struct ready_spec *, int, const char *,
	    char *, size_t);

#endif
