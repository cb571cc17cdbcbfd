/*
 * The listen setting: parse, resolve, bind (common/listen.h).
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/listen.h"
#include "common/util.h"
#include "common/xmalloc.h"

#define LISTEN_NAME_CHARS \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-"

static int
listen_error(char **err, const char *item, const char *why)
{
	xasprintf(err, "bad listen address '%s': %s", item, why);
	return -1;
}

/* "$PORT", "${PORT}" (0) or 1-65535; -1 if neither. */
static int
listen_port(const char *s)
{
	if (strcmp(s, "$PORT") == 0 || strcmp(s, "${PORT}") == 0)
		return 0;
	if (*s < '1' || *s > '9')
		return -1;
	return number_parse(s, 65535);
}

/* host:port or port; host as inet_pton of family reads it, or
 * localhost. */
static int
listen_inet(struct listen_addr *a, char *rest, const char *item, char **err)
{
	int family = a->kind == LISTEN_TCP6 ? AF_INET6 : AF_INET;
	unsigned char buf[sizeof(struct in6_addr)];
	char *colon, *host = NULL;

	if (a->kind == LISTEN_TCP6 && rest[0] == '[') {
		if ((colon = strstr(rest, "]:")) == NULL)
			return listen_error(err, item, "expected [HOST]:PORT");
		*colon = '\0';
		host = rest + 1;
		rest = colon + 2;
	} else if (a->kind == LISTEN_TCP &&
	    (colon = strrchr(rest, ':')) != NULL) {
		*colon = '\0';
		host = rest;
		rest = colon + 1;
	}
	if ((a->port = listen_port(rest)) == -1)
		return listen_error(err, item, "the port is not $PORT or "
		    "a number from 1 to 65535");
	if (host == NULL)
		return 0;
	if (strcmp(host, "localhost") == 0)
		host = a->kind == LISTEN_TCP6 ? "::1" : "127.0.0.1";
	if (inet_pton(family, host, buf) != 1)
		return listen_error(err, item, family == AF_INET ?
		    "the host is not an IPv4 address or localhost "
		    "(tcp6:[HOST]:PORT for IPv6)" :
		    "the host is not an IPv6 address or localhost");
	snprintf(a->host, sizeof a->host, "%s", host);
	return 0;
}

static int
listen_item(struct listen_addr *a, char *item, const char *text,
    char **err)
{
	char *colon, *eq, *rest;

	memset(a, 0, sizeof *a);
	colon = strchr(item, ':');
	eq = strchr(item, '=');
	if (eq != NULL && (colon == NULL || eq < colon)) {
		*eq = '\0';
		if (*item == '\0' || strlen(item) >= sizeof a->name ||
		    item[strspn(item, LISTEN_NAME_CHARS)] != '\0')
			return listen_error(err, text, "a name is 1 to 63 "
			    "of A-Z a-z 0-9 _ . -");
		snprintf(a->name, sizeof a->name, "%s", item);
		item = eq + 1;
	}
	if ((colon = strchr(item, ':')) == NULL)
		return listen_error(err, text, "expected tcp:PORT, "
		    "tcp:HOST:PORT, tcp6:PORT, tcp6:[HOST]:PORT or unix:PATH");
	*colon = '\0';
	rest = colon + 1;
	if (strcmp(item, "unix") == 0) {
		a->kind = LISTEN_UNIX;
		if (*rest == '\0')
			return listen_error(err, text, "no path");
		if (strlen(rest) >= sizeof a->path)
			return listen_error(err, text, "the path is too long");
		snprintf(a->path, sizeof a->path, "%s", rest);
		return 0;
	}
	if (strcmp(item, "tcp") == 0)
		a->kind = LISTEN_TCP;
	else if (strcmp(item, "tcp6") == 0)
		a->kind = LISTEN_TCP6;
	else
		return listen_error(err, text, "the kind is not tcp, tcp6 or "
		    "unix");
	return listen_inet(a, rest, text, err);
}

int
listen_parse(const char *text, struct listen_list *l, char **err)
{
	const char *p, *end;
	char *item, *orig;
	size_t len;
	int rc = 0;

	*err = NULL;
	l->n = 0;
	for (p = text; rc == 0 && *p != '\0'; p = *end == ',' ? end + 1 :
	    end) {
		end = p + strcspn(p, ",");
		p += strspn(p, " \t");
		for (len = (size_t)(end - p); len > 0; len--) {
			if (p[len - 1] != ' ' && p[len - 1] != '\t')
				break;
		}
		if (len == 0)
			continue;
		if (l->n == LISTEN_MAX) {
			xasprintf(err, "more than %d listen addresses",
			    LISTEN_MAX);
			return -1;
		}
		item = xstrndup(p, len);
		orig = xstrndup(p, len);
		rc = listen_item(&l->a[l->n], item, orig, err);
		free(item);
		free(orig);
		l->n++;
	}
	/* The same address twice could not be bound twice. */
	for (size_t i = 0; rc == 0 && i < l->n; i++) {
		for (size_t j = 0; j < i; j++) {
			char x[160], y[160];

			listen_format(&l->a[i], x, sizeof x);
			listen_format(&l->a[j], y, sizeof y);
			if (strcmp(x, y) == 0) {
				xasprintf(err, "listen address '%s' given "
				    "twice", x);
				return -1;
			}
		}
	}
	return rc;
}

int
listen_resolve(struct listen_list *l, int port, const char *root, char **err)
{
	struct listen_addr *a;
	char *path;
	size_t i;

	*err = NULL;
	for (i = 0; i < l->n; i++) {
		a = &l->a[i];
		if (a->kind != LISTEN_UNIX) {
			if (a->port == 0)
				a->port = port;
			continue;
		}
		if (a->path[0] == '/' || root == NULL)
			continue;
		path = path_clean(path_join(root, a->path));
		if (strlen(path) >= sizeof a->path) {
			xasprintf(err, "listen path '%s' is too long for a "
			    "socket (%zu bytes at most)", path,
			    sizeof a->path - 1);
			free(path);
			return -1;
		}
		snprintf(a->path, sizeof a->path, "%s", path);
		free(path);
	}
	return 0;
}

void
listen_format(const struct listen_addr *a, char *buf, size_t len)
{
	char port[16];

	if (a->port == 0)
		snprintf(port, sizeof port, "$PORT");
	else
		snprintf(port, sizeof port, "%d", a->port);
	switch (a->kind) {
	case LISTEN_TCP:
		snprintf(buf, len, "tcp:%s:%s", a->host[0] ? a->host :
		    "0.0.0.0", port);
		break;
	case LISTEN_TCP6:
		snprintf(buf, len, "tcp6:[%s]:%s", a->host[0] ? a->host :
		    "::", port);
		break;
	case LISTEN_UNIX:
		snprintf(buf, len, "unix:%s", a->path);
		break;
	}
}

/* A socket file that nothing answers on: left by a daemon that is gone. */
static void
listen_unlink_stale(const char *path, const struct sockaddr_un *sun)
{
	struct stat st;
	int fd, rc;

	if (lstat(path, &st) == -1 || !S_ISSOCK(st.st_mode))
		return;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return;
	rc = connect(fd, (const struct sockaddr *)sun, sizeof *sun);
	close(fd);
	if (rc == -1 && errno == ECONNREFUSED)
		unlink(path);
}

int
listen_sockaddr(const struct listen_addr *a, int connect,
    struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_un *sun = (struct sockaddr_un *)ss;
	const char *host = a->host;

	memset(ss, 0, sizeof *ss);
	switch (a->kind) {
	case LISTEN_UNIX:
		sun->sun_family = AF_UNIX;
		memcpy(sun->sun_path, a->path, strlen(a->path) + 1);
		*len = sizeof *sun;
		return 0;
	case LISTEN_TCP:
		/* Every address holds the loopback one: reach it there. */
		if (connect && (host[0] == '\0' || strcmp(host, "0.0.0.0") ==
		    0))
			host = "127.0.0.1";
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)a->port);
		if (host[0] != '\0' &&
		    inet_pton(AF_INET, host, &sin->sin_addr) != 1)
			break;
		*len = sizeof *sin;
		return 0;
	case LISTEN_TCP6:
		if (connect && (host[0] == '\0' || strcmp(host, "::") == 0))
			host = "::1";
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)a->port);
		if (host[0] != '\0' &&
		    inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1)
			break;
		*len = sizeof *sin6;
		return 0;
	}
	errno = EINVAL;
	return -1;
}

static int
listen_bind(const struct listen_addr *a, int fd)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1;

	if (listen_sockaddr(a, 0, &ss, &len) == -1)
		return -1;
	if (a->kind == LISTEN_UNIX) {
		listen_unlink_stale(a->path, (struct sockaddr_un *)&ss);
		if (bind(fd, (struct sockaddr *)&ss, len) == -1)
			return -1;
		/* Who may connect is the directory's to say, as systemd's
		 * SocketMode=0666. */
		(void)chmod(a->path, 0666);
		return 0;
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (a->kind == LISTEN_TCP6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
		    sizeof one);
	return bind(fd, (struct sockaddr *)&ss, len);
}

int
listen_open(const struct listen_addr *a)
{
	int family = a->kind == LISTEN_UNIX ? AF_UNIX :
	    a->kind == LISTEN_TCP6 ? AF_INET6 : AF_INET;
	int fd, saved;

	if (a->kind != LISTEN_UNIX && a->port == 0) {
		errno = EINVAL;
		return -1;
	}
	if ((fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (listen_bind(a, fd) == -1 || listen(fd, SOMAXCONN) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}
