/*
 * The readiness check of a process type (readyspec.h).
 */
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/readyspec.h"
#include "common/util.h"
#include "common/xmalloc.h"

/* tcp:HOST:PORT, HOST 127.0.0.1, [::1] or localhost. */
static int
readyspec_parse_addr(struct ready_spec *r, const char *v, char **err)
{
	const char *colon, *host = v;
	struct in6_addr a6;
	struct in_addr a4;
	size_t n;

	if (*v == '[') {
		host = v + 1;
		if ((colon = strchr(host, ']')) == NULL || colon[1] != ':')
			goto bad;
		n = (size_t)(colon - host);
		colon++;
	} else {
		if ((colon = strrchr(v, ':')) == NULL)
			goto bad;
		n = (size_t)(colon - v);
	}
	if (n == 0 || n >= sizeof r->host)
		goto bad;
	memcpy(r->host, host, n);
	r->host[n] = '\0';
	if (strcmp(r->host, "localhost") == 0)
		snprintf(r->host, sizeof r->host, "127.0.0.1");
	if (inet_pton(AF_INET, r->host, &a4) != 1 &&
	    inet_pton(AF_INET6, r->host, &a6) != 1) {
		xasprintf(err, "bad ready host '%.*s': expected an IP address "
		    "or localhost (a name would be looked up, which can block)",
		    (int)n, host);
		return -1;
	}
	if ((r->port = number_parse(colon + 1, 65535)) <= 0) {
		xasprintf(err, "bad ready port '%s': expected 1 to 65535",
		    colon + 1);
		return -1;
	}
	return 0;
bad:
	xasprintf(err, "bad ready 'tcp:%s': expected tcp:HOST:PORT", v);
	return -1;
}

int
readyspec_parse(struct ready_spec *r, const char *v, char **err)
{
	int ms;

	*err = NULL;
	memset(r, 0, sizeof *r);
	if (strcmp(v, "started") == 0)
		r->kind = READY_STARTED;
	else if (strcmp(v, "tcp") == 0)
		r->kind = READY_TCP;
	else if (strcmp(v, "notify") == 0)
		r->kind = READY_NOTIFY;
	else if (strcmp(v, "accept") == 0)
		r->kind = READY_ACCEPT;
	else if (strncmp(v, "tcp:", 4) == 0) {
		r->kind = READY_TCP;
		return readyspec_parse_addr(r, v + 4, err);
	} else if (strncmp(v, "http:", 5) == 0) {
		r->kind = READY_HTTP;
		if (v[5] != '/' || strlen(v + 5) >= sizeof r->path ||
		    strpbrk(v + 5, " \t\r\n") != NULL) {
			xasprintf(err, "bad ready '%s': expected http:/PATH, "
			    "a path without spaces of at most %d bytes", v,
			    READY_PATH_MAX - 1);
			return -1;
		}
		snprintf(r->path, sizeof r->path, "%s", v + 5);
	} else if (strncmp(v, "delay:", 6) == 0) {
		r->kind = READY_DELAY;
		if ((ms = duration_parse_ms(v + 6)) < 0) {
			xasprintf(err, "bad ready '%s': expected delay:SECONDS",
			    v);
			return -1;
		}
		r->delay_ms = ms;
	} else {
		xasprintf(err, "bad ready '%s': expected started, accept, tcp, "
		    "tcp:HOST:PORT, http:/PATH, notify or delay:SECONDS", v);
		return -1;
	}
	return 0;
}

/* "2", "0.5", "2.25": seconds as formation.ini gives them. */
static void
readyspec_seconds(int ms, char *buf, size_t len)
{
	size_t n;

	if (ms % 1000 == 0) {
		snprintf(buf, len, "%d", ms / 1000);
		return;
	}
	snprintf(buf, len, "%d.%03d", ms / 1000, ms % 1000);
	for (n = strlen(buf); n > 0 && buf[n - 1] == '0'; n--)
		buf[n - 1] = '\0';
}

void
readyspec_text(const struct ready_spec *r, char *buf, size_t len)
{
	char secs[32];

	switch (r->kind) {
	case READY_TCP:
		if (r->host[0] == '\0')
			snprintf(buf, len, "tcp");
		else if (strchr(r->host, ':') != NULL)
			snprintf(buf, len, "tcp:[%s]:%d", r->host, r->port);
		else
			snprintf(buf, len, "tcp:%s:%d", r->host, r->port);
		break;
	case READY_HTTP:
		snprintf(buf, len, "http:%s", r->path);
		break;
	case READY_NOTIFY:
		snprintf(buf, len, "notify");
		break;
	case READY_DELAY:
		readyspec_seconds(r->delay_ms, secs, sizeof secs);
		snprintf(buf, len, "delay:%s", secs);
		break;
	case READY_ACCEPT:
		snprintf(buf, len, "accept");
		break;
	default:
		snprintf(buf, len, "started");
		break;
	}
}

void
readyspec_describe(const struct ready_spec *r, int port, const char *sock,
    char *buf, size_t len)
{
	char secs[32];

	switch (r->kind) {
	case READY_TCP:
		if (r->host[0] == '\0')
			snprintf(buf, len, "tcp :%d", port);
		else if (strchr(r->host, ':') != NULL)
			snprintf(buf, len, "tcp [%s]:%d", r->host, r->port);
		else
			snprintf(buf, len, "tcp %s:%d", r->host, r->port);
		break;
	case READY_HTTP:
		snprintf(buf, len, "http :%d%s", port, r->path);
		break;
	case READY_NOTIFY:
		snprintf(buf, len, "notify");
		break;
	case READY_DELAY:
		readyspec_seconds(r->delay_ms, secs, sizeof secs);
		snprintf(buf, len, "delay %ss", secs);
		break;
	case READY_ACCEPT:
		snprintf(buf, len, "accept%s%s", sock != NULL ? " " : "",
		    sock != NULL ? sock : "");
		break;
	default:
		snprintf(buf, len, "started");
		break;
	}
}
