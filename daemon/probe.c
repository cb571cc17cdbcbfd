/*
 * Readiness checks from outside the process (probe.h).
 *
 * An attempt: for tcp, a non-blocking connect to each address in turn
 * (127.0.0.1, then ::1 for the process's PORT; the one given for
 * tcp:HOST:PORT) until one connects; for http, the same connect, then a
 * GET of the path and the status line of the answer; for accept, a
 * connect to the held socket, then looks at who took it. An attempt that
 * fails, or takes longer than PROBE_ATTEMPT, is dropped, and the next one
 * begins after PROBE_INTERVAL.
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>

#include "common/log.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "daemon/probe.h"
#include "daemon/sockpeer.h"

#define PROBE_REPLY_MAX	64	/* enough for "HTTP/1.1 200" */

struct probe {
	struct ready_spec	 spec;
	struct probe_target	 target;
	probe_cb		 done;
	void			*arg;
	int			 passed;

	int			 addr;		/* the address tried: 0, 1 */
	int			 sent;		/* http: the request is out */
	char			 reply[PROBE_REPLY_MAX];
	size_t			 nreply;
	ev_io			 io;		/* fd -1: no attempt */
	ev_timer		 timer;		/* next attempt, or its end */

	/* accept, once connected. */
	int			 looking;
	struct sockaddr_storage	 local;		/* tcp: our end's address */
	unsigned long		 ino;		/* unix: our end's inode */
	ev_timer		 look;
	double			 look_after;	/* seconds until the next */
};

static void probe_io_cb(struct ev_loop *, ev_io *, int);
static void probe_timer_cb(struct ev_loop *, ev_timer *, int);
static void probe_look_cb(struct ev_loop *, ev_timer *, int);

/* The address of attempt i into ss; -1 when there is no such one. */
static int
probe_address(const struct probe *pr, int i, struct sockaddr_storage *ss,
    socklen_t *len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	const char *host = pr->spec.host;
	int port = pr->spec.port;

	if (pr->spec.kind == READY_ACCEPT) {
		if (i > 0 || pr->target.addrlen == 0)
			return -1;
		*ss = pr->target.addr;
		*len = pr->target.addrlen;
		return 0;
	}
	if (host[0] == '\0') {
		if (i > 1)
			return -1;
		host = i == 0 ? "127.0.0.1" : "::1";
		port = pr->target.port;
	} else if (i > 0)
		return -1;
	memset(ss, 0, sizeof *ss);
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		*len = sizeof *sin;
	} else if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		*len = sizeof *sin6;
	} else
		return -1;
	return 0;
}

/* Drop the connection of an attempt, if any. */
static void
probe_close(struct probe *pr)
{
	ev_timer_stop(EV_DEFAULT, &pr->look);
	pr->looking = 0;
	if (pr->io.fd == -1)
		return;
	ev_io_stop(EV_DEFAULT, &pr->io);
	close(pr->io.fd);
	ev_io_set(&pr->io, -1, EV_WRITE);
}

static void
probe_wait(struct probe *pr, double after)
{
	ev_timer_stop(EV_DEFAULT, &pr->timer);
	ev_timer_set(&pr->timer, after, 0.);
	ev_timer_start(EV_DEFAULT, &pr->timer);
}

static void
probe_pass(struct probe *pr)
{
	probe_close(pr);
	ev_timer_stop(EV_DEFAULT, &pr->timer);
	pr->passed = 1;
	pr->done(pr->arg);
}

/* Connect to the address of this attempt, else the next; none left: the
 * next attempt after the interval. */
static void
probe_connect(struct probe *pr)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd;

	probe_close(pr);
	for (; probe_address(pr, pr->addr, &ss, &len) == 0; pr->addr++) {
		fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0);
		if (fd == -1)
			continue;
		if (connect(fd, (struct sockaddr *)&ss, len) == 0 ||
		    errno == EINPROGRESS) {
			pr->sent = 0;
			pr->nreply = 0;
			ev_io_set(&pr->io, fd, EV_WRITE);
			ev_io_start(EV_DEFAULT, &pr->io);
			probe_wait(pr, PROBE_ATTEMPT);
			return;
		}
		close(fd);
	}
	pr->addr = 0;
	probe_wait(pr, PROBE_INTERVAL);
}

/* This address did not answer: try the next. */
static void
probe_next(struct probe *pr)
{
	pr->addr++;
	probe_connect(pr);
}

/* http: send the request, once connected. */
static void
probe_send(struct probe *pr)
{
	char req[READY_PATH_MAX + 128];
	int n;

	n = snprintf(req, sizeof req, "GET %s HTTP/1.0\r\nHost: localhost:%d"
	    "\r\nUser-Agent: formation\r\nConnection: close\r\n\r\n",
	    pr->spec.path, pr->target.port);
	/* A fresh socket's buffer takes it whole, or the attempt fails. */
	if (send(pr->io.fd, req, (size_t)n, MSG_NOSIGNAL) != n) {
		probe_next(pr);
		return;
	}
	pr->sent = 1;
	ev_io_stop(EV_DEFAULT, &pr->io);
	ev_io_set(&pr->io, pr->io.fd, EV_READ);
	ev_io_start(EV_DEFAULT, &pr->io);
}

/* http: "HTTP/1.x 2xx" or 3xx passes; anything else fails the attempt. */
static void
probe_read(struct probe *pr)
{
	ssize_t n;
	char *sp;

	n = read(pr->io.fd, pr->reply + pr->nreply,
	    sizeof pr->reply - 1 - pr->nreply);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n > 0) {
		pr->nreply += (size_t)n;
		pr->reply[pr->nreply] = '\0';
		if ((sp = strchr(pr->reply, ' ')) == NULL ||
		    strlen(sp) < 4) {
			if (pr->nreply < sizeof pr->reply - 1)
				return;
		} else if (strncmp(pr->reply, "HTTP/", 5) == 0 &&
		    (sp[1] == '2' || sp[1] == '3')) {
			probe_pass(pr);
			return;
		}
	}
	log_debug("ready check http :%d%s: %s", pr->target.port, pr->spec.path,
	    n > 0 ? "not 2xx or 3xx" : "no answer");
	probe_next(pr);
}

/* The next look, later than the last. */
static void
probe_accept_later(struct probe *pr)
{
	ev_timer_stop(EV_DEFAULT, &pr->look);
	ev_timer_set(&pr->look, pr->look_after, 0.);
	ev_timer_start(EV_DEFAULT, &pr->look);
	pr->look_after *= 2;
	if (pr->look_after > PROBE_LOOK_MAX)
		pr->look_after = PROBE_LOOK_MAX;
}

/*
 * accept: who took the connection? Nobody yet (its server end has no
 * inode): look again. A process of the instance: passed. Another process,
 * or it is closed already: this attempt is over.
 */
static void
probe_accept_look(struct probe *pr)
{
	unsigned long ino = 0;
	int rc, state = TCP_ESTABLISHED;

	if (pr->target.addr.ss_family == AF_UNIX)
		rc = sockpeer_unix(pr->ino, &ino);
	else
		rc = sockpeer_tcp(&pr->local, &pr->target.addr, &ino, &state);
	if (rc == -1) {
		log_debug("ready check accept, pid %ld: %s",
		    (long)pr->target.pid, strerror(errno));
		probe_next(pr);
	} else if (ino == 0 && state == TCP_ESTABLISHED)
		probe_accept_later(pr);	/* in the queue */
	else if (ino != 0 && sockpeer_held(pr->target.pid, ino))
		probe_pass(pr);
	else {
		log_debug("ready check accept, pid %ld: taken by another "
		    "process", (long)pr->target.pid);
		probe_close(pr);
		pr->addr = 0;
		probe_wait(pr, PROBE_AGAIN);
	}
}

/* accept, connected: what we need to find the server end, then the
 * looks, and the fd watched for the close of that end. */
static void
probe_accept_begin(struct probe *pr)
{
	socklen_t len = sizeof pr->local;
	struct stat st;
	int rc;

	if (pr->target.addr.ss_family == AF_UNIX) {
		if ((rc = fstat(pr->io.fd, &st)) == 0)
			pr->ino = st.st_ino;
	} else
		rc = getsockname(pr->io.fd, (struct sockaddr *)&pr->local,
		    &len);
	if (rc == -1) {
		probe_next(pr);
		return;
	}
	pr->looking = 1;
	ev_io_stop(EV_DEFAULT, &pr->io);
	ev_io_set(&pr->io, pr->io.fd, EV_READ);
	ev_io_start(EV_DEFAULT, &pr->io);
	pr->look_after = PROBE_LOOK;
	probe_accept_look(pr);
}

/* accept: the server end sent or closed. Closed, it was accepted and is
 * done with: by whom, no one can tell any more. */
static void
probe_accept_read(struct probe *pr)
{
	char c;
	ssize_t n;

	n = recv(pr->io.fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		probe_next(pr);
		return;
	}
	/* A banner: taken, so a look now tells by whom; then only the
	 * looks, as the unread byte would wake us at every turn. */
	ev_io_stop(EV_DEFAULT, &pr->io);
	probe_accept_look(pr);
}

static void
probe_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct probe *pr = w->data;
	socklen_t len = sizeof(int);
	int error = 0;

	if (pr->sent) {
		probe_read(pr);
		return;
	}
	if (pr->looking) {
		probe_accept_read(pr);
		return;
	}
	if (getsockopt(w->fd, SOL_SOCKET, SO_ERROR, &error, &len) == -1 ||
	    error != 0) {
		probe_next(pr);
		return;
	}
	if (pr->spec.kind == READY_HTTP)
		probe_send(pr);
	else if (pr->spec.kind == READY_ACCEPT)
		probe_accept_begin(pr);
	else
		probe_pass(pr);
}

static void
probe_look_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	probe_accept_look(w->data);
}

static void
probe_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct probe *pr = w->data;

	if (pr->spec.kind == READY_DELAY) {
		probe_pass(pr);
		return;
	}
	/* An attempt that took too long, or the interval is over. */
	if (pr->io.fd != -1)
		probe_next(pr);
	else
		probe_connect(pr);
}

struct probe *
probe_new(const struct ready_spec *spec, const struct probe_target *target,
    probe_cb done, void *arg)
{
	struct probe *pr;

	if (spec->kind == READY_STARTED || spec->kind == READY_NOTIFY)
		return NULL;
	pr = xcalloc(1, sizeof *pr);
	pr->spec = *spec;
	pr->target = *target;
	pr->done = done;
	pr->arg = arg;
	ev_io_init(&pr->io, probe_io_cb, -1, EV_WRITE);
	pr->io.data = pr;
	ev_init(&pr->timer, probe_timer_cb);
	pr->timer.data = pr;
	ev_init(&pr->look, probe_look_cb);
	pr->look.data = pr;
	if (spec->kind == READY_DELAY)
		probe_wait(pr, spec->delay_ms / 1000.);
	else
		probe_connect(pr);
	return pr;
}

void
probe_free(struct probe *pr)
{
	if (pr == NULL)
		return;
	probe_close(pr);
	ev_timer_stop(EV_DEFAULT, &pr->timer);
	free(pr);
}
