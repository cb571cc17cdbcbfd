#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/client.h"
#include "common/paths.h"
#include "common/trust.h"
#include "common/unixsock.h"
#include "common/util.h"
#include "common/xmalloc.h"

/* The socket as the user would name it: relative to the app root. */
static const char *
client_socket_label(const struct client *c)
{
	size_t len;

	if (c->root == NULL)
		return c->socket;
	len = strlen(c->root);
	if (strncmp(c->socket, c->root, len) == 0 && c->socket[len] == '/')
		return c->socket + len + 1;
	return c->socket;
}

/* "formation: 'SOCKET' did not answer within 5s", and exit 125: a
 * daemon that is stopped or wedged must not hang the caller. */
static __attribute__((noreturn)) void
client_timed_out(struct client *c)
{
	cli_error("'%s' did not answer within %gs", client_socket_label(c),
	    c->timeout_ms / 1000.0);
	client_close(c);
	exit(EXIT_UNREACHABLE);
}

/* The timeout bounds connect (a full backlog blocks it) and every send:
 * SO_SNDTIMEO, then EAGAIN. */
static int
client_connect(struct client *c)
{
	struct sockaddr_un sun;
	struct timeval tv;
	int dirfd, rc, saved;

	if (unixsock_addr(&sun, c->socket, &dirfd) == -1)
		return -1;
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd != -1 && c->timeout_ms > 0) {
		tv.tv_sec = c->timeout_ms / 1000;
		tv.tv_usec = (c->timeout_ms % 1000) * 1000;
		(void)setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv,
		    sizeof tv);
	}
	rc = c->fd == -1 ? -1 :
	    connect(c->fd, (struct sockaddr *)&sun, sizeof sun);
	saved = errno;
	if (dirfd != -1)
		close(dirfd);
	if (rc == -1 && saved == EAGAIN && c->timeout_ms > 0)
		client_timed_out(c);
	errno = saved;
	return rc;
}

/* Nothing was sent: say why the daemon is not trusted, and exit 125. */
static __attribute__((noreturn)) void
client_refuse(struct client *c, const char *why, uid_t uid)
{
	char who[TRUST_WHO_MAX];

	if (why == NULL)
		cli_error("refusing '%s': it belongs to %s", c->socket,
		    trust_who(uid, who, sizeof who));
	else
		cli_error("refusing '%s': %s", c->socket, why);
	client_close(c);
	exit(EXIT_UNREACHABLE);
}

/*
 * A socket found by walking up the tree: the directory it is in must be
 * the caller's or root's, and private, or whoever owns it could listen
 * in the daemon's place (formationd(8) SECURITY).
 */
static void
client_trust_dir(struct client *c)
{
	struct stat st;
	char *app;
	int rc;

	app = paths_app_dir(c->root);
	rc = lstat(app, &st);
	free(app);
	if (rc == -1)
		return;		/* then nothing is up: connect says so */
	if (st.st_uid != geteuid() && st.st_uid != 0)
		client_refuse(c, NULL, st.st_uid);
	if (S_ISLNK(st.st_mode))
		client_refuse(c, "its directory is a symbolic link", 0);
	if ((st.st_mode & 022) != 0)
		client_refuse(c, "its directory is writable by group or "
		    "others", 0);
}

/*
 * The daemon proves who it is before it is sent anything (file
 * descriptors above all): SO_PEERCRED must be the caller's uid or root.
 * A socket named explicitly may be another uid's daemon when that uid
 * owns the socket file too (root driving a unit's daemon); the CLI then
 * says whose daemon it talks to.
 */
static void
client_trust_peer(struct client *c)
{
	struct ucred cred;
	socklen_t len = sizeof cred;
	struct stat st;
	char who[TRUST_WHO_MAX];

	if (getsockopt(c->fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1) {
		cli_errno("cannot tell who listens on '%s'", c->socket);
		client_close(c);
		exit(EXIT_UNREACHABLE);
	}
	if (cred.uid == geteuid())
		return;
	if (cred.uid != 0 && (c->root != NULL ||
	    stat(c->socket, &st) == -1 || st.st_uid != cred.uid))
		client_refuse(c, NULL, cred.uid);
	fprintf(stderr, "formation: talking to the daemon of %s on '%s'\n",
	    trust_who(cred.uid, who, sizeof who), c->socket);
}

int
client_open(struct client *c)
{
	const char *start = cli_globals.root != NULL ? cli_globals.root : ".";
	char cwd[4096];

	memset(c, 0, sizeof *c);
	c->fd = -1;
	c->timeout_ms = cli_globals.timeout_ms;
	strbuf_init(&c->in, 0);
	c->socket = paths_find_socket(start, cli_globals.socket, &c->root);
	if (c->socket == NULL) {
		if (realpath(start, cwd) == NULL)
			snprintf(cwd, sizeof cwd, "%s", start);
		cli_error("no formation is up here: no Procfile in '%s' or any "
		    "parent directory", cwd);
		client_close(c);
		return -1;
	}
	if (c->root != NULL)
		client_trust_dir(c);
	if (client_connect(c) == 0) {
		client_trust_peer(c);
		return 0;
	}
	if ((errno == ENOENT || errno == ECONNREFUSED) && c->root != NULL)
		cli_error("no formation is up in '%s' (socket '%s')", c->root,
		    client_socket_label(c));
	else if (errno == ENOENT || errno == ECONNREFUSED)
		cli_error("no formation is up (socket '%s')", c->socket);
	else
		cli_errno("cannot connect to '%s'", c->socket);
	client_close(c);
	return -1;
}

int
client_try_open(struct client *c)
{
	const char *start = cli_globals.root != NULL ? cli_globals.root : ".";

	memset(c, 0, sizeof *c);
	c->fd = -1;
	c->timeout_ms = cli_globals.timeout_ms;
	strbuf_init(&c->in, 0);
	c->socket = paths_find_socket(start, cli_globals.socket, &c->root);
	if (c->socket != NULL && c->root != NULL)
		client_trust_dir(c);
	if (c->socket != NULL && client_connect(c) == 0) {
		client_trust_peer(c);
		return 0;
	}
	if (c->socket == NULL || errno == ENOENT || errno == ECONNREFUSED) {
		client_close(c);
		return 1;
	}
	cli_errno("cannot connect to '%s'", c->socket);
	client_close(c);
	return -1;
}

void
client_close(struct client *c)
{
	int i;

	if (c->fd != -1)
		close(c->fd);
	for (i = 0; i < c->nfds; i++)
		close(c->fds[i]);
	c->nfds = 0;
	free(c->socket);
	free(c->root);
	c->socket = c->root = NULL;
	strbuf_release(&c->in);
	c->fd = -1;
}

/*
 * The daemon may refuse a connection (another uid, too many) and close it
 * before the request is sent: then its reason is waiting to be read.
 * 1 if it was there and printed.
 */
static int
client_refused(struct client *c)
{
	struct msg m;
	int saved = errno;

	if (client_recv(c, &m) == 1 && m.type == MSG_ERROR) {
		client_error(&m);
		return 1;
	}
	errno = saved;
	return 0;
}

int
client_send(struct client *c, struct strbuf *sb, const int *fds, int nfds)
{
	msg_finish(sb, 0);
	if (msg_send(c->fd, sb, fds, nfds) == -1) {
		if (errno == EAGAIN && c->timeout_ms > 0)
			client_timed_out(c);
		if ((errno == EPIPE || errno == ECONNRESET) &&
		    client_refused(c))
			return -1;
		cli_errno("cannot send to '%s'", client_socket_label(c));
		return -1;
	}
	return 0;
}

int
client_protocol_error(const char *why)
{
	cli_error("protocol error: %s", why);
	return EXIT_UNREACHABLE;
}

/* Wait until the socket is readable or the deadline passes: 0 then. */
static int
client_wait(struct client *c, long long deadline)
{
	struct pollfd pfd = { c->fd, POLLIN, 0 };
	long long left;
	int n;

	do {
		if ((left = deadline - now_ms()) <= 0)
			return 0;
		n = poll(&pfd, 1, (int)left);
	} while (n == -1 && errno == EINTR);
	return n != 0;
}

/* What of in is not consumed yet, as a buffer of its own. */
static struct strbuf
client_unread(const struct client *c)
{
	struct strbuf view = { c->in.buf + c->consumed,
	    c->in.len - c->consumed, 0 };

	return view;
}

int
client_pending(const struct client *c)
{
	struct strbuf view = client_unread(c);
	const char *why;
	struct msg m;
	size_t size;

	return msg_parse(&view, &m, &size, &why) != 0;
}

/*
 * Messages are taken from the front of in without moving what follows:
 * in is compacted only when it needs more, so that a stream of small
 * messages costs one copy, not one a message.
 */
int
client_recv(struct client *c, struct msg *m)
{
	const char *why = NULL;
	struct strbuf view;
	size_t size;
	ssize_t n;
	int rc;

	long long deadline = now_ms() + c->timeout_ms;

	for (;;) {
		view = client_unread(c);
		rc = msg_parse(&view, m, &size, &why);
		if (rc == -1) {
			client_protocol_error(why);
			return -1;
		}
		if (rc == 1)
			break;
		strbuf_remove_front(&c->in, c->consumed);
		c->consumed = 0;
		if (c->timeout_ms > 0 && client_wait(c, deadline) == 0)
			client_timed_out(c);
		n = msg_recv(c->fd, &c->in, c->fds, &c->nfds);
		if (n == 0)
			return 0;
		if (n == -1) {
			if (errno == ECONNRESET)
				return 0;
			cli_errno("cannot read from '%s'",
			    client_socket_label(c));
			return -1;
		}
	}
	c->consumed += size;
	if (m->version != PROTOCOL_VERSION) {
		cli_error("formationd speaks protocol version %u, this "
		    "formation speaks %d: restart the formation with this "
		    "version", m->version, PROTOCOL_VERSION);
		return -1;
	}
	return 1;
}

int
client_error(struct msg *m)
{
	const char *text;
	uint32_t code;

	if (msg_get_u32(m, &code) == -1 || msg_get_str(m, &text) == -1)
		return client_protocol_error("bad error reply");
	cli_error("%s", text);
	return code == 0 ? EXIT_FAILED : (int)code;
}

/* As client_recv, past a MSG_PROGRESS: the daemon has answered, and
 * what follows may take its time. */
static int
client_answer(struct client *c, struct msg *m)
{
	int rc;

	while ((rc = client_recv(c, m)) == 1 && m->type == MSG_PROGRESS)
		c->timeout_ms = 0;
	return rc;
}

int
client_simple(struct client *c, struct strbuf *sb, int quiet)
{
	const char *text;
	struct msg m;
	int rc;

	if (client_send(c, sb, NULL, 0) == -1)
		return EXIT_FAILED;
	if ((rc = client_answer(c, &m)) <= 0) {
		if (rc == 0)
			cli_error("the daemon closed the connection");
		return EXIT_FAILED;
	}
	if (m.type == MSG_ERROR)
		return client_error(&m);
	if (m.type != MSG_OK || msg_get_str(&m, &text) == -1)
		return client_protocol_error("unexpected reply");
	if (!quiet && *text != '\0')
		printf("%s\n", text);
	return EXIT_OK;
}

int
client_reply(struct client *c, struct msg *m)
{
	int rc;

	if ((rc = client_answer(c, m)) == 0)
		cli_error("formationd closed the connection without answering");
	return rc == 1 ? 0 : -1;
}
