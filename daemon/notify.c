/*
 * sd_notify for formationd (daemon/notify.h).
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "daemon/notify.h"

static struct {
	int			 fd;		/* -1: not under systemd */
	struct sockaddr_un	 addr;
	socklen_t		 addrlen;
	struct ev_loop		*loop;
	ev_timer		 watchdog;
} notify = { .fd = -1 };

static void
notify_send(const char *msg)
{
	ssize_t n;

	if (notify.fd == -1)
		return;
	do {
		n = sendto(notify.fd, msg, strlen(msg), MSG_NOSIGNAL,
		    (struct sockaddr *)&notify.addr, notify.addrlen);
	} while (n == -1 && errno == EINTR);
	if (n == -1)
		log_debug("cannot notify '%s': %s", msg, strerror(errno));
}

/* The address of NOTIFY_SOCKET; -1 if it is not one we can use. */
static int
notify_address(const char *name)
{
	size_t len = strlen(name);

	if ((name[0] != '/' && name[0] != '@') || len < 2 ||
	    len >= sizeof notify.addr.sun_path) {
		log_warnx("NOTIFY_SOCKET '%s': not a socket path", name);
		return -1;
	}
	memset(&notify.addr, 0, sizeof notify.addr);
	notify.addr.sun_family = AF_UNIX;
	memcpy(notify.addr.sun_path, name, len);
	if (name[0] == '@')
		notify.addr.sun_path[0] = '\0';
	notify.addrlen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	    len + (name[0] == '/'));
	return 0;
}

static void
notify_on_watchdog(struct ev_loop *loop, ev_timer *w, int revents)
{
	notify_send("WATCHDOG=1");
}

/* A ping every half of WATCHDOG_USEC, if the watchdog is ours. */
static void
notify_start_watchdog(struct ev_loop *loop)
{
	const char *usec, *pid;
	unsigned long long v;
	char *end;

	if ((usec = getenv("WATCHDOG_USEC")) == NULL)
		return;
	pid = getenv("WATCHDOG_PID");
	if (pid != NULL && strtol(pid, NULL, 10) != (long)getpid())
		return;
	errno = 0;
	v = strtoull(usec, &end, 10);
	if (errno != 0 || end == usec || *end != '\0' || v == 0) {
		log_warnx("WATCHDOG_USEC '%s': not a number", usec);
		return;
	}
	notify.loop = loop;
	ev_timer_init(&notify.watchdog, notify_on_watchdog, v / 2e6,
	    v / 2e6);
	ev_timer_start(loop, &notify.watchdog);
	ev_unref(loop);
}

void
notify_init(struct ev_loop *loop)
{
	const char *name;

	notify_free();
	if ((name = getenv("NOTIFY_SOCKET")) == NULL || *name == '\0')
		return;
	if (notify_address(name) == -1)
		return;
	notify.fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0);
	if (notify.fd == -1) {
		log_warn("cannot make a socket for NOTIFY_SOCKET");
		return;
	}
	notify_start_watchdog(loop);
}

void
notify_free(void)
{
	if (notify.loop != NULL) {
		ev_ref(notify.loop);
		ev_timer_stop(notify.loop, &notify.watchdog);
		notify.loop = NULL;
	}
	if (notify.fd != -1)
		close(notify.fd);
	notify.fd = -1;
}

int
notify_on(void)
{
	return notify.fd != -1;
}

void
notify_ready(void)
{
	notify_send("READY=1");
}

void
notify_reloading(void)
{
	struct timespec ts;
	char msg[64];

	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(msg, sizeof msg, "RELOADING=1\nMONOTONIC_USEC=%llu",
	    (unsigned long long)ts.tv_sec * 1000000ULL +
	    (unsigned long long)ts.tv_nsec / 1000);
	notify_send(msg);
}

void
notify_stopping(void)
{
	notify_send("STOPPING=1");
}

void
notify_status(const char *fmt, ...)
{
	char msg[512], *p;
	va_list ap;

	if (notify.fd == -1)
		return;
	memcpy(msg, "STATUS=", 7);
	va_start(ap, fmt);
	vsnprintf(msg + 7, sizeof msg - 7, fmt, ap);
	va_end(ap);
	for (p = msg; (p = strchr(p, '\n')) != NULL; p++)
		*p = ' ';
	notify_send(msg);
}
