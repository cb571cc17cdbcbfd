#include <sys/file.h>
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
	int	 lockfd;
	char	*path;
	ev_io	 io;
	size_t	 npeers;
} server = { -1, -1, NULL, { 0 }, 0 };

static void peer_read_cb(struct ev_loop *, ev_io *, int);
static void peer_write_cb(struct ev_loop *, ev_io *, int);
static void peer_idle_cb(struct ev_loop *, ev_timer *, int);
static void peer_free(struct peer *);

/* A sockaddr for path; a path too long for sun_path is reached through
 * /proc/self/fd/N of its directory, which *dirfd then holds. */
static int
server_addr(const char *path, struct sockaddr_un *sun, int *dirfd)
{
	char *dir, *slash;

	*dirfd = -1;
	memset(sun, 0, sizeof *sun);
	sun->sun_family = AF_UNIX;
	if (strlen(path) < sizeof sun->sun_path) {
		strcpy(sun->sun_path, path);
		return 0;
	}
	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) == NULL) {
		free(dir);
		errno = ENAMETOOLONG;
		return -1;
	}
	*slash = '\0';
	*dirfd = open(*dir ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (*dirfd == -1)
		return -1;
	if ((size_t)snprintf(sun->sun_path, sizeof sun->sun_path,
	    "/proc/self/fd/%d/%s", *dirfd, strrchr(path, '/') + 1) >=
	    sizeof sun->sun_path) {
		close(*dirfd);
		*dirfd = -1;
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

static int
server_lock(const char *path, char **why)
{
	char *lock;

	xasprintf(&lock, "%s.lock", path);
	server.lockfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (server.lockfd == -1) {
		xasprintf(why, "cannot open '%s': %s", lock, strerror(errno));
		free(lock);
		return -1;
	}
	free(lock);
	if (flock(server.lockfd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EWOULDBLOCK)
			xasprintf(why, "a formation is already up here "
			    "(socket '%s')", path);
		else
			xasprintf(why, "cannot lock '%s': %s", path,
			    strerror(errno));
		close(server.lockfd);
		server.lockfd = -1;
		return -1;
	}
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

int
server_listen(const char *path, char **why)
{
	struct sockaddr_un sun;
	mode_t old;
	int dirfd, rc;

	if (server_lock(path, why) == -1)
		return -1;
	if (server_addr(path, &sun, &dirfd) == -1)
		goto fail;
	/* We hold the lock: a socket file left here is stale. */
	unlink(sun.sun_path);
	server.fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (server.fd == -1)
		goto fail;
	old = umask(0177);
	rc = bind(server.fd, (struct sockaddr *)&sun, sizeof sun);
	umask(old);
	if (rc == -1 || chmod(sun.sun_path, 0600) == -1 ||
	    listen(server.fd, 128) == -1)
		goto fail;
	if (dirfd != -1)
		close(dirfd);
	server.path = xstrdup(path);
	ev_io_init(&server.io, server_accept_cb, server.fd, EV_READ);
	ev_io_start(EV_DEFAULT, &server.io);
	return 0;
fail:
	xasprintf(why, "cannot listen on '%s': %s", path, strerror(errno));
	if (dirfd != -1)
		close(dirfd);
	if (server.fd != -1)
		close(server.fd);
	server.fd = -1;
	return -1;
}

void
server_close(void)
{
	struct peer *p;
	char *lock;

	/* Gone from the file system, and unlocked, before the peers see
	 * the end: "formation down" returns only then. */
	if (server.fd != -1) {
		ev_io_stop(EV_DEFAULT, &server.io);
		close(server.fd);
		server.fd = -1;
	}
	if (server.path != NULL) {
		unlink(server.path);
		xasprintf(&lock, "%s.lock", server.path);
		unlink(lock);
		free(lock);
		free(server.path);
		server.path = NULL;
	}
	if (server.lockfd != -1)
		close(server.lockfd);
	server.lockfd = -1;
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
			if (p->out.len == 0 || p->dropped ||
			    n == PEERS_MAX + 1)
				continue;
			sent = send(p->fd, p->out.buf, p->out.len,
			    MSG_NOSIGNAL | MSG_DONTWAIT);
			if (sent > 0)
				strbuf_remove_front(&p->out, (size_t)sent);
			else if (sent == -1 && errno != EAGAIN &&
			    errno != EINTR)
				strbuf_reset(&p->out);	/* gone */
			if (p->out.len > 0) {
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
	strbuf_release(&p->in);
	strbuf_release(&p->out);
	free(p);
}

static void
peer_flush(struct peer *p)
{
	ssize_t n;

	while (p->out.len > 0) {
		n = send(p->fd, p->out.buf, p->out.len, MSG_NOSIGNAL);
		if (n > 0) {
			strbuf_remove_front(&p->out, (size_t)n);
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			break;
		peer_free(p);	/* gone */
		return;
	}
	if (p->out.len > 0) {
		ev_io_start(EV_DEFAULT, &p->wio);
		return;
	}
	ev_io_stop(EV_DEFAULT, &p->wio);
	if (p->closing)
		peer_free(p);
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

void
peer_send(struct peer *p, const struct strbuf *frame)
{
	if (p->dropped)
		return;
	if (p->out.len + frame->len > PEER_OUT_MAX) {
		/* It does not read: drop it rather than grow without bound. */
		log_warnx("a client (pid %ld) stopped reading: closed",
		    (long)p->pid);
		strbuf_reset(&p->out);
		p->dropped = 1;
		peer_close(p);
		return;
	}
	strbuf_add(&p->out, frame->buf, frame->len);
	/* Written in this loop turn, once the caller is done with p: a
	 * socket that takes it all needs no wait for EV_WRITE. */
	if (!ev_is_active(&p->wio)) {
		ev_io_start(EV_DEFAULT, &p->wio);
		ev_feed_event(EV_DEFAULT, &p->wio, EV_WRITE);
	}
}

int
peer_send_fds(struct peer *p, const struct strbuf *frame, const int *fds,
    int nfds)
{
	int flags, rc = -1;

	/* Order: whatever is queued goes first, then this frame. */
	if ((flags = fcntl(p->fd, F_GETFL)) != -1)
		fcntl(p->fd, F_SETFL, flags & ~O_NONBLOCK);
	if (p->out.len > 0 &&
	    write_all(p->fd, p->out.buf, p->out.len) == -1)
		goto out;
	strbuf_reset(&p->out);
	if (msg_send(p->fd, frame, fds, nfds) == -1)
		goto out;
	rc = 0;
out:
	/* Blocking, a later write could hang the whole daemon. */
	if (flags != -1)
		fcntl(p->fd, F_SETFL, flags);
	return rc;
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
