#include <sys/socket.h>
#include <sys/un.h>

#include <ev.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/xmalloc.h"
#include "daemon/notify.h"
#include "tests/unit/tmpdir.h"
#include "tests/unit/unit.h"

static char *tmp;
static int rx = -1;		/* the receiving end, as systemd holds it */
static struct ev_loop *loop;

static void
setup(void)
{
	tmp = tmpdir_make();
	loop = ev_loop_new(EVFLAG_AUTO);
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
}

static void
teardown(void)
{
	notify_free();
	if (rx != -1)
		close(rx);
	rx = -1;
	ev_loop_destroy(loop);
	tmpdir_remove(tmp);
}

/* Listen where NOTIFY_SOCKET will say: a path, or "@name". */
static void
listen_at(const char *name)
{
	struct sockaddr_un sun;
	size_t len = strlen(name);
	socklen_t sl;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, name, len);
	if (name[0] == '@')
		sun.sun_path[0] = '\0';
	sl = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
	rx = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	ck_assert_int_ne(rx, -1);
	ck_assert_int_eq(bind(rx, (struct sockaddr *)&sun, sl), 0);
	setenv("NOTIFY_SOCKET", name, 1);
}

/* The next datagram, or "" when none is waiting. */
static const char *
next(void)
{
	static char buf[1024];
	ssize_t n;

	n = recv(rx, buf, sizeof buf - 1, MSG_DONTWAIT);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static unsigned long long
monotonic_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000ULL +
	    (unsigned long long)ts.tv_nsec / 1000;
}

/* Every message, in order, exactly. */
static void
check_messages(void)
{
	unsigned long long before, after, usec;
	const char *m;

	notify_init(loop);
	notify_ready();
	notify_status("formation v%d: %d processes\nand more", 3, 2);
	before = monotonic_usec();
	notify_reloading();
	after = monotonic_usec();
	notify_ready();
	notify_stopping();
	ck_assert_str_eq(next(), "READY=1");
	ck_assert_str_eq(next(), "STATUS=formation v3: 2 processes and more");
	m = next();
	ck_assert_int_eq(sscanf(m, "RELOADING=1\nMONOTONIC_USEC=%llu", &usec),
	    1);
	ck_assert_uint_ge(usec, before);
	ck_assert_uint_le(usec, after);
	ck_assert_ptr_null(strchr(strchr(m, '\n') + 1, '\n'));
	ck_assert_str_eq(next(), "READY=1");
	ck_assert_str_eq(next(), "STOPPING=1");
	ck_assert_str_eq(next(), "");
}

START_TEST(test_notify_path)
{
	char *path;

	path = path_join(tmp, "notify");
	listen_at(path);
	free(path);
	check_messages();
}
END_TEST

START_TEST(test_notify_abstract)
{
	char name[64];

	snprintf(name, sizeof name, "@formation-unit-%ld-%ld", (long)getpid(),
	    (long)monotonic_usec());
	listen_at(name);
	check_messages();
}
END_TEST

START_TEST(test_notify_unset)
{
	char *path;

	path = path_join(tmp, "notify");
	listen_at(path);
	free(path);
	unsetenv("NOTIFY_SOCKET");
	setenv("WATCHDOG_USEC", "1000", 1);
	notify_init(loop);
	notify_ready();
	notify_status("%s", "x");
	notify_reloading();
	notify_stopping();
	ev_run(loop, EVRUN_NOWAIT);
	ck_assert_str_eq(next(), "");
}
END_TEST

START_TEST(test_notify_bad_socket)
{
	int fd, saved;

	/* Unsupported: warned about (on a silenced stderr), then ignored. */
	fflush(stderr);
	saved = dup(2);
	fd = open("/dev/null", O_WRONLY);
	dup2(fd, 2);
	setenv("NOTIFY_SOCKET", "vsock:2:1234", 1);
	notify_init(loop);
	notify_ready();
	dup2(saved, 2);
	close(saved);
	close(fd);
	/* A socket no one listens on: the message is dropped. */
	setenv("NOTIFY_SOCKET", "/nonexistent/notify", 1);
	notify_init(loop);
	notify_ready();
}
END_TEST

static void
on_readable(struct ev_loop *l, ev_io *w, int revents)
{
	ev_break(l, EVBREAK_ALL);
}

static void
on_timeout(struct ev_loop *l, ev_timer *w, int revents)
{
	*(int *)w->data = 1;
	ev_break(l, EVBREAK_ALL);
}

/* Run the loop until a datagram arrives or secs pass; 1 on timeout. */
static int
wait_datagram(double secs)
{
	ev_io io;
	ev_timer t;
	int timed_out = 0;

	ev_io_init(&io, on_readable, rx, EV_READ);
	ev_timer_init(&t, on_timeout, secs, 0);
	t.data = &timed_out;
	ev_io_start(loop, &io);
	ev_timer_start(loop, &t);
	ev_run(loop, 0);
	ev_io_stop(loop, &io);
	ev_timer_stop(loop, &t);
	return timed_out;
}

START_TEST(test_notify_watchdog)
{
	char *path, pid[32];

	path = path_join(tmp, "notify");
	listen_at(path);
	free(path);
	setenv("WATCHDOG_USEC", "20000", 1);
	snprintf(pid, sizeof pid, "%ld", (long)getpid());
	setenv("WATCHDOG_PID", pid, 1);
	notify_init(loop);
	ck_assert_int_eq(wait_datagram(5), 0);
	ck_assert_str_eq(next(), "WATCHDOG=1");
	ck_assert_int_eq(wait_datagram(5), 0);
	ck_assert_str_eq(next(), "WATCHDOG=1");
	/* The watchdog alone does not keep the loop running. */
	ev_run(loop, 0);
	notify_free();
	/* What was sent before the free may wait in the queue, on a busy
	 * machine; after it, nothing comes, for ten watchdog periods. */
	while (next()[0] != '\0')
		;
	ck_assert_int_eq(wait_datagram(0.2), 1);
}
END_TEST

START_TEST(test_notify_watchdog_not_ours)
{
	char *path, pid[32];

	path = path_join(tmp, "notify");
	listen_at(path);
	free(path);
	setenv("WATCHDOG_USEC", "2000", 1);
	snprintf(pid, sizeof pid, "%ld", (long)getpid() + 1);
	setenv("WATCHDOG_PID", pid, 1);
	notify_init(loop);
	ck_assert_int_eq(wait_datagram(0.05), 1);
	ck_assert_str_eq(next(), "");
}
END_TEST

static Suite *
notify_suite(void)
{
	Suite *s = suite_create("notify");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_notify_path);
	tcase_add_test(tc, test_notify_abstract);
	tcase_add_test(tc, test_notify_unset);
	tcase_add_test(tc, test_notify_bad_socket);
	tcase_add_test(tc, test_notify_watchdog);
	tcase_add_test(tc, test_notify_watchdog_not_ours);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(notify_suite)
