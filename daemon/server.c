#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/msg.h"
#include "common/paths.h"
#include "common/unixsock.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "daemon/server.h"

#define PEERS_MAX	512		/* connections at once */
#define PEER_OUT_MAX	(8 * 1024 * 1024) /* queued for one client */
#define PEER_IDLE	30.		/* seconds before a request */
#define PEER_FAREWELL	1000		/* ms for the last words, at most */

struct peer_list peers = TAILQ_HEAD_INITIALIZER(peers);

static struct {
	int	 fd;
	int	 appfd;		/* ROOT/.formation: the lock, the link */
	int	 lockfd;	/* formation.lock in appfd */
	int	 dirfd;		/* the socket's directory */
	char	*name;		/* the socket's name in it */
	int	 socklockfd;	/* NAME.lock, for a socket outside appfd */
	int	 link;		/* formation.sock in appfd is a link to it */
	ev_io	 io;
	size_t	 npeers;
} server = { -1, -1, -1, -1, NULL, -1, 0, { 0 }, 0 };

static void peer_read_cb(struct ev_loop *, ev_io *, int);
static void peer_write_cb(struct ev_loop *, ev_io *, int);
static void peer_idle_cb(struct ev_loop *, ev_timer *, int);
static void peer_free(struct peer *);
static void peer_out_reset(struct peer *);
static ssize_t peer_write(struct peer *);

size_t
peer_queued(const struct peer *p)
{
	return p->out.len - p->outhead;
}

/* Where the daemon that holds the lock listens: the link's target. */
static char *
server_other(int appfd, const char *app)
{
	char buf[4096], *sock;
	ssize_t n;

	n = readlinkat(appfd, PATHS_SOCKET, buf, sizeof buf - 1);
	if (n > 0) {
		buf[n] = '\0';
		return xstrdup(buf);
	}
	xasprintf(&sock, "%s/%s", app, PATHS_SOCKET);
	return sock;
}

int
server_lock(int appfd, const char *app, char **why)
{
	char *sock;

	if ((server.lockfd = paths_lock(appfd, PATHS_LOCK)) == -1) {
		if (errno == EWOULDBLOCK) {
			sock = server_other(appfd, app);
			xasprintf(why, "a formation is already up here "
			    "(socket '%s')", sock);
			free(sock);
		} else
			xasprintf(why, "cannot lock '%s/%s': %s", app,
			    PATHS_LOCK, strerror(errno));
		close(appfd);
		return -1;
	}
	server.appfd = appfd;
	return 0;
}

static void
server_accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ucred cred;
	socklen_t len = sizeof cred;
	struct peer *p;
	int fd;

	if ((fd = accept4(server.fd, NULL, NULL, SOCK_NONBLOCK |
	    SOCK_CLOEXEC)) == -1) {
		if (errno != EAGAIN && errno != EINTR)
			log_warn("accept");
		return;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1) {
		close(fd);
		return;
	}
	p = xcalloc(1, sizeof *p);
	p->fd = fd;
	p->uid = cred.uid;
	p->pid = cred.pid;
	strbuf_init(&p->in, 0);
	strbuf_init(&p->out, 0);
	ev_io_init(&p->rio, peer_read_cb, fd, EV_READ);
	ev_io_init(&p->wio, peer_write_cb, fd, EV_WRITE);
	ev_timer_init(&p->idle, peer_idle_cb, PEER_IDLE, 0.);
	p->rio.data = p->wio.data = p->idle.data = p;
	TAILQ_INSERT_TAIL(&peers, p, entry);
	server.npeers++;
	if (cred.uid != getuid() && cred.uid != 0) {
		log_warnx("refused a connection from uid %ld (pid %ld)",
		    (long)cred.uid, (long)cred.pid);
		peer_error(p, 1, "permission denied: this formation belongs "
		    "to uid %ld", (long)getuid());
		peer_close(p);
		return;
	}
	if (server.npeers > PEERS_MAX) {
		peer_error(p, 1, "too many connections");
		peer_close(p);
		return;
	}
	ev_io_start(loop, &p->rio);
	ev_timer_start(loop, &p->idle);
}

/* Is the socket dirfd/name the app's own, .formation/formation.sock? */
static int
server_in_app(int dirfd, const char *name)
{
	struct stat a, b;

	return strcmp(name, PATHS_SOCKET) == 0 && fstat(dirfd, &a) == 0 &&
	    fstat(server.appfd, &b) == 0 && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino;
}

/* The socket's directory, when it was named: opened here, with a lock
 * beside the socket so that two apps cannot share one. */
static int
server_named_dir(const char *path, char **why)
{
	const char *name;
	char *lock;

	if ((server.dirfd = unixsock_open_dir(path, &name)) == -1)
		goto fail;
	if (server_in_app(server.dirfd, server.name))
		return 0;
	xasprintf(&lock, "%s.lock", server.name);
	server.socklockfd = paths_lock(server.dirfd, lock);
	free(lock);
	if (server.socklockfd != -1)
		return 0;
	if (errno == EWOULDBLOCK) {
		xasprintf(why, "socket '%s' is another formation's", path);
		return -1;
	}
fail:
	xasprintf(why, "cannot lock '%s': %s", path, strerror(errno));
	return -1;
}

/* Bind name in dirfd, through /proc/self/fd: no one can swap the
 * directory under its name meanwhile, and no path is too long. */
static int
server_bind(void)
{
	struct sockaddr_un sun;
	mode_t old;
	int rc;

	if (unixsock_addr_at(&sun, server.dirfd, server.name) == -1)
		return -1;
	/* We hold the lock: a socket file left here is stale. */
	(void)unlinkat(server.dirfd, server.name, 0);
	server.fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (server.fd == -1)
		return -1;
	old = umask(0177);
	rc = bind(server.fd, (struct sockaddr *)&sun, sizeof sun);
	umask(old);
	if (rc == -1 || fchmodat(server.dirfd, server.name, 0600, 0) == -1 ||
	    listen(server.fd, 128) == -1)
		return -1;
	return 0;
}

/* A socket outside the app's directory: a link to it there, for the
 * CLI to find from the app. */
static int
server_link(const char *path)
{
	if (server_in_app(server.dirfd, server.name))
		return 0;
	(void)unlinkat(server.appfd, PATHS_SOCKET, 0);
	if (symlinkat(path, server.appfd, PATHS_SOCKET) == -1)
		return -1;
	server.link = 1;
	return 0;
}

int
server_listen(int dirfd, const char *path, char **why)
{
	const char *slash;

	if (path[0] != '/' || (slash = strrchr(path, '/'))[1] == '\0') {
		xasprintf(why, "cannot listen on '%s': not an absolute path "
		    "to a file", path);
		if (dirfd != -1)
			close(dirfd);
		return -1;
	}
	server.name = xstrdup(slash + 1);
	if ((server.dirfd = dirfd) == -1 &&
	    server_named_dir(path, why) == -1)
		return -1;
	if (server_bind() == -1 || server_link(path) == -1) {
		xasprintf(why, "cannot listen on '%s': %s", path,
		    strerror(errno));
		if (server.fd != -1)
			close(server.fd);
		server.fd = -1;
		return -1;
	}
	ev_io_init(&server.io, server_accept_cb, server.fd, EV_READ);
	ev_io_start(EV_DEFAULT, &server.io);
	return 0;
}

/* Remove what the daemon made, and let go of its locks. */
static void
server_unlink(void)
{
	char *lock;

	if (server.fd != -1)
		(void)unlinkat(server.dirfd, server.name, 0);
	if (server.link)
		(void)unlinkat(server.appfd, PATHS_SOCKET, 0);
	server.link = 0;
	if (server.socklockfd != -1) {
		xasprintf(&lock, "%s.lock", server.name);
		(void)unlinkat(server.dirfd, lock, 0);
		free(lock);
		close(server.socklockfd);
		server.socklockfd = -1;
	}
	if (server.lockfd != -1) {
		(void)unlinkat(server.appfd, PATHS_LOCK, 0);
		close(server.lockfd);
		server.lockfd = -1;
	}
}

void
server_close(void)
{
	struct peer *p;

	/* Gone from the file system, and unlocked, before the peers see
	 * the end: "formation down" returns only then. */
	if (server.fd != -1)
		ev_io_stop(EV_DEFAULT, &server.io);
	server_unlink();
	if (server.fd != -1)
		close(server.fd);
	server.fd = -1;
	if (server.dirfd != -1)
		close(server.dirfd);
	if (server.appfd != -1)
		close(server.appfd);
	server.dirfd = server.appfd = -1;
	free(server.name);
	server.name = NULL;
	while ((p = TAILQ_FIRST(&peers)) != NULL)
		peer_free(p);
}

/*
 * What is queued goes out before we close, to clients that read it
 * within PEER_FAREWELL; what is sent leaves the queue, so that a write
 * later in this loop turn does not send it again.
 */
void
server_farewell(void)
{
	struct pollfd pfd[PEERS_MAX + 1];
	struct peer *p;
	long long deadline = now_ms() + PEER_FAREWELL, left;
	nfds_t n;
	ssize_t sent;

	while ((left = deadline - now_ms()) > 0) {
		n = 0;
		TAILQ_FOREACH(p, &peers, entry) {
			if (peer_queued(p) == 0 || p->dropped ||
			    n == PEERS_MAX + 1)
				continue;
			sent = peer_write(p);
			if (sent == -1 && errno != EAGAIN)
				peer_out_reset(p);	/* gone */
			if (peer_queued(p) > 0) {
				pfd[n].fd = p->fd;
				pfd[n++].events = POLLOUT;
			}
		}
		if (n == 0 || (poll(pfd, n, (int)left) == -1 &&
		    errno != EINTR))
			break;
	}
}

static void
peer_free(struct peer *p)
{
	int j;

	dispatch_peer_gone(p);
	ev_io_stop(EV_DEFAULT, &p->rio);
	ev_io_stop(EV_DEFAULT, &p->wio);
	ev_timer_stop(EV_DEFAULT, &p->idle);
	TAILQ_REMOVE(&peers, p, entry);
	server.npeers--;
	close(p->fd);
	for (j = 0; j < p->nfds; j++)
		close(p->fds[j]);
	peer_out_reset(p);
	strbuf_release(&p->in);
	strbuf_release(&p->out);
	free(p);
}

/* Forget what is queued for p, and close the fds that were to go. */
static void
peer_out_reset(struct peer *p)
{
	size_t i;
	int j;

	for (i = 0; i < p->noutfds; i++)
		for (j = 0; j < p->outfds[i].nfds; j++)
			close(p->outfds[i].fds[j]);
	free(p->outfds);
	p->outfds = NULL;
	p->noutfds = 0;
	strbuf_reset(&p->out);
	p->outhead = 0;
}

/*
 * One send of what is queued, never blocking: the bytes before the next
 * frame that has fds or, when that frame is at the front, its fds with
 * its first byte and what follows up to the next such frame (as imsg
 * does). Bytes sent, or -1 with errno (EAGAIN: the socket is full).
 */
static ssize_t
peer_write(struct peer *p)
{
	struct peer_fds *f = p->noutfds > 0 ? &p->outfds[0] : NULL;
	size_t len = peer_queued(p), i;
	ssize_t n;
	int j, head = f != NULL && f->off == 0;

	if (f != NULL && !head)
		len = f->off;
	else if (p->noutfds > 1)
		len = p->outfds[1].off;
	n = msg_sendv(p->fd, p->out.buf + p->outhead, len, head ? f->fds : NULL,
	    head ? f->nfds : 0, MSG_DONTWAIT);
	if (n <= 0)
		return n == 0 ? (errno = EPIPE, -1) : -1;
	if (head) {
		for (j = 0; j < f->nfds; j++)
			close(f->fds[j]);
		memmove(p->outfds, p->outfds + 1,
		    --p->noutfds * sizeof *p->outfds);
	}
	/* What was sent leaves the buffer when it is all sent, or half of
	 * it: a large queue is not moved for each send. */
	p->outhead += (size_t)n;
	if (p->outhead == p->out.len) {
		strbuf_reset(&p->out);
		p->outhead = 0;
	} else if (p->outhead > p->out.len / 2) {
		strbuf_remove_front(&p->out, p->outhead);
		p->outhead = 0;
	}
	for (i = 0; i < p->noutfds; i++)
		p->outfds[i].off -= (size_t)n;
	return n;
}

static void
peer_flush(struct peer *p)
{
	ssize_t n;

	while (peer_queued(p) > 0) {
		n = peer_write(p);
		if (n > 0)
			continue;
		if (errno == EAGAIN)
			break;
		peer_free(p);	/* gone */
		return;
	}
	if (peer_queued(p) > 0) {
		ev_io_start(EV_DEFAULT, &p->wio);
		return;
	}
	ev_io_stop(EV_DEFAULT, &p->wio);
	if (p->closing)
		peer_free(p);
	else
		dispatch_peer_drained(p);
}

static void
peer_write_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	peer_flush(w->data);
}

static void
peer_idle_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct peer *p = w->data;

	if (p->closing) {
		/* It did not read its last words either. */
		peer_free(p);
		return;
	}
	peer_error(p, 1, "no request within %.0f seconds", PEER_IDLE);
	peer_close(p);
}

/* Room for frame in p's queue, or p is dropped: 0, or -1 when dropped. */
static int
peer_room(struct peer *p, const struct strbuf *frame)
{
	if (p->dropped)
		return -1;
	if (peer_queued(p) + frame->len > PEER_OUT_MAX) {
		/* It does not read: drop it rather than grow without bound. */
		log_warnx("a client (pid %ld) stopped reading: closed",
		    (long)p->pid);
		peer_out_reset(p);
		p->dropped = 1;
		peer_close(p);
		return -1;
	}
	return 0;
}

static void
peer_queue(struct peer *p, const struct strbuf *frame)
{
	strbuf_add(&p->out, frame->buf, frame->len);
	/* Written in this loop turn, once the caller is done with p: a
	 * socket that takes it all needs no wait for EV_WRITE. */
	if (!ev_is_active(&p->wio)) {
		ev_io_start(EV_DEFAULT, &p->wio);
		ev_feed_event(EV_DEFAULT, &p->wio, EV_WRITE);
	}
}

int
peer_fits(const struct peer *p, size_t n)
{
	return !p->dropped && peer_queued(p) + n <= PEER_OUT_MAX;
}

int
peer_caught_up(const struct peer *p)
{
	return peer_queued(p) <= PEER_OUT_MAX / 2;
}

void
peer_send_last(struct peer *p, const struct strbuf *frame)
{
	if (!p->dropped)
		peer_queue(p, frame);
}

void
peer_send(struct peer *p, const struct strbuf *frame)
{
	if (peer_room(p, frame) == 0)
		peer_queue(p, frame);
}

/*
 * The fds wait in the queue, as copies, with the offset of their frame:
 * the socket is never made blocking, so a client that does not read
 * holds up no one but itself.
 */
int
peer_send_fds(struct peer *p, const struct strbuf *frame, const int *fds,
    int nfds)
{
	struct peer_fds f;
	int j;

	if (nfds < 0 || nfds > MSG_MAXFDS || frame->len == 0 ||
	    peer_room(p, frame) == -1)
		return -1;
	f.off = peer_queued(p);
	for (f.nfds = 0; f.nfds < nfds; f.nfds++) {
		f.fds[f.nfds] = fcntl(fds[f.nfds], F_DUPFD_CLOEXEC, 0);
		if (f.fds[f.nfds] == -1) {
			log_warn("cannot pass a descriptor to a client");
			for (j = 0; j < f.nfds; j++)
				close(f.fds[j]);
			return -1;
		}
	}
	p->outfds = xreallocarray(p->outfds, p->noutfds + 1,
	    sizeof *p->outfds);
	p->outfds[p->noutfds++] = f;
	peer_queue(p, frame);
	return 0;
}

void
peer_ok(struct peer *p, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT, text = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&text, fmt, ap);
	va_end(ap);
	msg_new(&sb, MSG_OK);
	msg_put_str(&sb, text.buf);
	msg_finish(&sb, 0);
	peer_send(p, &sb);
	strbuf_release(&sb);
	strbuf_release(&text);
}

void
peer_error(struct peer *p, uint32_t code, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT, text = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&text, fmt, ap);
	va_end(ap);
	msg_new(&sb, MSG_ERROR);
	msg_put_u32(&sb, code);
	msg_put_str(&sb, text.buf);
	msg_finish(&sb, 0);
	peer_send(p, &sb);
	strbuf_release(&sb);
	strbuf_release(&text);
}

/*
 * Never frees p at once: callers may still hold it. The write callback
 * runs on the next loop turn whether or not the socket is writable, so a
 * peer with nothing left to say goes then even if it reads nothing; one
 * that never reads what is left goes after PEER_IDLE.
 */
void
peer_close(struct peer *p)
{
	if (p->closing)
		return;
	p->closing = 1;
	ev_io_stop(EV_DEFAULT, &p->rio);
	ev_timer_stop(EV_DEFAULT, &p->idle);
	ev_timer_set(&p->idle, PEER_IDLE, 0.);
	ev_timer_start(EV_DEFAULT, &p->idle);
	ev_io_start(EV_DEFAULT, &p->wio);
	ev_feed_event(EV_DEFAULT, &p->wio, EV_WRITE);
}

int
peer_take_fds(struct peer *p, int *fds, int n)
{
	if (p->nfds != n)
		return -1;
	memcpy(fds, p->fds, sizeof *fds * (size_t)n);
	p->nfds = 0;
	return 0;
}

/* Refuse p: one error, then the connection closes. Returns -1. */
static int
peer_refuse(struct peer *p, const char *why)
{
	int j;

	for (j = 0; j < p->nfds; j++)
		close(p->fds[j]);
	p->nfds = 0;
	peer_error(p, 125, "%s", why);
	peer_close(p);
	return -1;
}

/* The version is checked as soon as the header is in: what follows a
 * header of another version need not even be a frame. */
static int
peer_check_version(struct peer *p)
{
	struct msg_hdr hdr;
	char why[128];

	if (p->in.len < sizeof hdr)
		return 0;
	memcpy(&hdr, p->in.buf, sizeof hdr);
	if (hdr.version == PROTOCOL_VERSION)
		return 0;
	snprintf(why, sizeof why, "protocol version %u is not spoken here "
	    "(formationd speaks %d)", hdr.version, PROTOCOL_VERSION);
	return peer_refuse(p, why);
}

/* Handle the whole frames at the front of p->in; -1 if p is refused. */
static int
peer_process(struct peer *p)
{
	const char *why = NULL;
	char buf[64];
	struct msg m;
	size_t size;
	int rc;

	while (!p->closing) {
		if (peer_check_version(p) == -1)
			return -1;
		if ((rc = msg_parse(&p->in, &m, &size, &why)) == -1)
			return peer_refuse(p, why);
		if (rc == 0)
			break;
		ev_timer_stop(EV_DEFAULT, &p->idle);
		/* Only a one-off request brings fds. */
		if (p->nfds > 0 && m.type != MSG_ONEOFF && m.type != MSG_RUN)
			return peer_refuse(p, "unexpected file descriptors");
		if (dispatch(p, &m) == -1) {
			snprintf(buf, sizeof buf, "malformed request (type %u)",
			    m.type);
			return peer_refuse(p, buf);
		}
		/* fds a request did not take are not welcome either. */
		if (p->nfds > 0)
			return peer_refuse(p, "unexpected file descriptors");
		strbuf_remove_front(&p->in, size);
	}
	return 0;
}

static void
peer_read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct peer *p = w->data;
	ssize_t n;

	n = msg_recv(p->fd, &p->in, p->fds, &p->nfds);
	if (n == -1 && errno == EAGAIN)
		return;
	if (n == -1 && errno == EPROTO) {
		peer_refuse(p, "too many file descriptors");
		return;
	}
	if (n == -1) {
		peer_free(p);	/* gone */
		return;
	}
	if (n == 0) {
		/* It has said all it will: what it asked is answered. */
		peer_close(p);
		return;
	}
	peer_process(p);
}
