/*
 * NOTIFY_SOCKET for the daemon's processes (notifysock.h).
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>

#include "common/log.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "daemon/formation.h"
#include "daemon/notifysock.h"
#include "daemon/proc.h"

#define NOTIFYSOCK_FILE		"notify.sock"
#define NOTIFYSOCK_MSG_MAX	4096
#define NOTIFYSOCK_STATUS_MAX	256	/* of STATUS=, what ps shows */
#define NOTIFYSOCK_FDS_MAX	16

static struct {
	ev_io		 io;
	char		*name;		/* NOTIFY_SOCKET; NULL: none */
	char		*path;		/* to unlink; NULL: abstract */
} ns;

static void notifysock_cb(struct ev_loop *, ev_io *, int);

/* The address: a path when it fits, else an abstract name. */
static socklen_t
notifysock_addr(struct sockaddr_un *sun, const char *dir)
{
	size_t n;

	memset(sun, 0, sizeof *sun);
	sun->sun_family = AF_UNIX;
	ns.path = path_join(dir, NOTIFYSOCK_FILE);
	if (strlen(ns.path) < sizeof sun->sun_path) {
		memcpy(sun->sun_path, ns.path, strlen(ns.path));
		ns.name = xstrdup(ns.path);
		return sizeof *sun;
	}
	free(ns.path);
	ns.path = NULL;
	xasprintf(&ns.name, "@formation-notify-%ld", (long)getpid());
	n = strlen(ns.name);
	memcpy(sun->sun_path + 1, ns.name + 1, n - 1);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
}

int
notifysock_init(const char *dir)
{
	struct sockaddr_un sun;
	socklen_t len;
	mode_t mask;
	int fd, on = 1, rc;

	ev_io_init(&ns.io, notifysock_cb, -1, EV_READ);
	len = notifysock_addr(&sun, dir);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		goto fail;
	/* Ours: the state directory is locked by this daemon. */
	if (ns.path != NULL && unlink(ns.path) == -1 && errno != ENOENT)
		goto fail;
	/* Mode 0600: for the daemon's user, whose processes they are. */
	mask = umask(077);
	rc = bind(fd, (struct sockaddr *)&sun, len);
	umask(mask);
	if (rc == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &on, sizeof on) == -1)
		goto fail;
	ev_io_set(&ns.io, fd, EV_READ);
	ev_io_start(EV_DEFAULT, &ns.io);
	/* It does not keep the loop alive. */
	ev_unref(EV_DEFAULT);
	return 0;
fail:
	log_warn("cannot listen on '%s' for the notify readiness check",
	    ns.name);
	if (fd != -1)
		close(fd);
	free(ns.name);
	free(ns.path);
	ns.name = ns.path = NULL;
	return -1;
}

void
notifysock_free(void)
{
	if (ns.io.fd != -1) {
		ev_ref(EV_DEFAULT);
		ev_io_stop(EV_DEFAULT, &ns.io);
		close(ns.io.fd);
		ev_io_set(&ns.io, -1, EV_READ);
	}
	if (ns.path != NULL)
		unlink(ns.path);
	free(ns.name);
	free(ns.path);
	ns.name = ns.path = NULL;
}

const char *
notifysock_name(void)
{
	return ns.name;
}

void
notifysock_parse(const char *buf, size_t len, int *ready, char *status,
    size_t slen)
{
	const char *line, *end, *nl;
	size_t n;

	*ready = 0;
	status[0] = '\0';
	for (line = buf, end = buf + len; line < end; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			nl = end;
		n = (size_t)(nl - line);
		if (n == 7 && memcmp(line, "READY=1", 7) == 0)
			*ready = 1;
		else if (n >= 7 && memcmp(line, "STATUS=", 7) == 0) {
			n -= 7;
			if (n >= slen)
				n = slen - 1;
			memcpy(status, line + 7, n);
			status[n] = '\0';
			/* One line for ps: no control characters. */
			for (char *c = status; *c != '\0'; c++)
				if ((unsigned char)*c < 0x20 || *c == 0x7f)
					*c = ' ';
		}
	}
}

/* The process the sender belongs to: it, or its group's leader. */
static struct proc *
notifysock_sender(pid_t pid)
{
	struct member *m;
	pid_t pgid = getpgid(pid);

	TAILQ_FOREACH(m, &formation.members, entry) {
		if (proc_pid(m->proc) != 0 && (proc_pid(m->proc) == pid ||
		    proc_pid(m->proc) == pgid))
			return m->proc;
	}
	return NULL;
}

/* Read one datagram: its text, its sender, and no fd kept. */
static ssize_t
notifysock_recv(int fd, char *buf, size_t len, pid_t *pid)
{
	union {
		struct cmsghdr	 hdr;
		char		 buf[CMSG_SPACE(sizeof(struct ucred)) +
				    CMSG_SPACE(NOTIFYSOCK_FDS_MAX *
				    sizeof(int))];
	} cm;
	struct iovec iov = { buf, len };
	struct msghdr msg;
	struct cmsghdr *c;
	struct ucred uc;
	ssize_t n;
	size_t i, nfds;
	int *fds;

	memset(&msg, 0, sizeof msg);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cm.buf;
	msg.msg_controllen = sizeof cm.buf;
	*pid = 0;
	if ((n = recvmsg(fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC)) == -1)
		return -1;
	for (c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != SOL_SOCKET)
			continue;
		if (c->cmsg_type == SCM_CREDENTIALS &&
		    c->cmsg_len >= CMSG_LEN(sizeof uc)) {
			memcpy(&uc, CMSG_DATA(c), sizeof uc);
			*pid = uc.pid;
		} else if (c->cmsg_type == SCM_RIGHTS) {
			fds = (int *)(void *)CMSG_DATA(c);
			nfds = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			for (i = 0; i < nfds; i++)
				close(fds[i]);
		}
	}
	return n;
}

static void
notifysock_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	char buf[NOTIFYSOCK_MSG_MAX], status[NOTIFYSOCK_STATUS_MAX];
	struct proc *p;
	ssize_t n;
	pid_t pid;
	int ready, i;

	/* A few at a time: a flood does not hold the loop. */
	for (i = 0; i < 64; i++) {
		if ((n = notifysock_recv(w->fd, buf, sizeof buf, &pid)) == -1) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("notify socket");
			return;
		}
		if (pid <= 0 || (p = notifysock_sender(pid)) == NULL) {
			log_debug("notify socket: a message from pid %ld, not "
			    "one of ours", (long)pid);
			continue;
		}
		notifysock_parse(buf, (size_t)n, &ready, status,
		    sizeof status);
		log_debug("%s: notify from pid %ld:%s%s%s", proc_name(p),
		    (long)pid, ready ? " READY=1" : "", status[0] ? " STATUS=" :
		    "", status);
		proc_notify(p, ready, status[0] != '\0' ? status : NULL);
	}
}
