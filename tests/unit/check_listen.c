/*
 * listen: the listen setting's syntax, its resolution, and sockets
 * bound from it; and spawn handing them over as fds 3, 4, ... with
 * LISTEN_PID the child's own pid.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/listen.h"
#include "common/spawn.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "tests/unit/tmpdir.h"
#include "tests/unit/unit.h"

/* The list text parses to, formatted back, "|"-separated, with names. */
static char *
parsed(const char *text, int port, const char *root)
{
	struct strbuf sb = STRBUF_INIT;
	struct listen_list l;
	char *err, buf[160];
	size_t i;

	if (listen_parse(text, &l, &err) == -1 ||
	    (port >= 0 && listen_resolve(&l, port, root, &err) == -1)) {
		strbuf_addf(&sb, "error: %s", err);
		free(err);
		return strbuf_detach(&sb, NULL);
	}
	for (i = 0; i < l.n; i++) {
		listen_format(&l.a[i], buf, sizeof buf);
		strbuf_addf(&sb, "%s%s%s%s", i ? "|" : "", l.a[i].name,
		    l.a[i].name[0] ? "=" : "", buf);
	}
	return strbuf_detach(&sb, NULL);
}

static void
assert_parsed(const char *text, int port, const char *want)
{
	char *got = parsed(text, port, "/srv/app");

	ck_assert_msg(strcmp(got, want) == 0, "'%s': got '%s', want '%s'",
	    text, got, want);
	free(got);
}

START_TEST(test_listen_parse_good)
{
	assert_parsed("tcp:$PORT", -1, "tcp:0.0.0.0:$PORT");
	assert_parsed("tcp:${PORT}", 5000, "tcp:0.0.0.0:5000");
	assert_parsed("tcp:127.0.0.1:8080", 5000, "tcp:127.0.0.1:8080");
	assert_parsed("tcp:localhost:$PORT", 5100, "tcp:127.0.0.1:5100");
	assert_parsed("tcp6:$PORT", 5000, "tcp6:[::]:5000");
	assert_parsed("tcp6:[::1]:9000", 5000, "tcp6:[::1]:9000");
	assert_parsed("tcp6:[localhost]:9000", 5000, "tcp6:[::1]:9000");
	assert_parsed("unix:web.sock", 5000, "unix:/srv/app/web.sock");
	assert_parsed("unix:/run/a/b.sock", 5000, "unix:/run/a/b.sock");
	assert_parsed(" http=tcp:$PORT , admin=unix:tmp/admin.sock ", 5000,
	    "http=tcp:0.0.0.0:5000|admin=unix:/srv/app/tmp/admin.sock");
	assert_parsed("", 5000, "");
	assert_parsed(" , ", 5000, "");
}
END_TEST

START_TEST(test_listen_parse_bad)
{
	assert_parsed("5000", -1, "error: bad listen address '5000': "
	    "expected tcp:PORT, tcp:HOST:PORT, tcp6:PORT, tcp6:[HOST]:PORT "
	    "or unix:PATH");
	assert_parsed("udp:53", -1, "error: bad listen address 'udp:53': "
	    "the kind is not tcp, tcp6 or unix");
	assert_parsed("tcp:0", -1, "error: bad listen address 'tcp:0': "
	    "the port is not $PORT or a number from 1 to 65535");
	assert_parsed("tcp:65536", -1, "error: bad listen address "
	    "'tcp:65536': the port is not $PORT or a number from 1 to 65535");
	assert_parsed("tcp:$HOME", -1, "error: bad listen address "
	    "'tcp:$HOME': the port is not $PORT or a number from 1 to 65535");
	assert_parsed("tcp:example.com:80", -1, "error: bad listen address "
	    "'tcp:example.com:80': the host is not an IPv4 address or "
	    "localhost (tcp6:[HOST]:PORT for IPv6)");
	assert_parsed("tcp6:[::1:80", -1, "error: bad listen address "
	    "'tcp6:[::1:80': expected [HOST]:PORT");
	assert_parsed("unix:", -1, "error: bad listen address 'unix:': "
	    "no path");
	assert_parsed("a:b=tcp:1", -1, "error: bad listen address 'a:b=tcp:1': "
	    "the kind is not tcp, tcp6 or unix");
	assert_parsed("=tcp:1", -1, "error: bad listen address '=tcp:1': a "
	    "name is 1 to 63 of A-Z a-z 0-9 _ . -");
	assert_parsed("tcp:$PORT,tcp:0.0.0.0:$PORT", -1,
	    "error: listen address 'tcp:0.0.0.0:$PORT' given twice");
}
END_TEST

/* An address as text: "127.0.0.1:80", "[::1]:80", "/path". */
static void
sockaddr_text(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;
	const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;
	char host[INET6_ADDRSTRLEN];

	if (ss->ss_family == AF_UNIX) {
		snprintf(buf, len, "%s", ((const struct sockaddr_un *)ss)->
		    sun_path);
	} else if (ss->ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof host);
		snprintf(buf, len, "[%s]:%d", host, ntohs(sin6->sin6_port));
	} else {
		inet_ntop(AF_INET, &sin->sin_addr, host, sizeof host);
		snprintf(buf, len, "%s:%d", host, ntohs(sin->sin_port));
	}
}

/* Where each address is bound, and where a check connects to it: an
 * address of every interface on the loopback of its family. */
START_TEST(test_listen_sockaddr)
{
	static const char *const want[][2] = {
		{ "0.0.0.0:5000", "127.0.0.1:5000" },
		{ "10.1.2.3:80", "10.1.2.3:80" },
		{ "0.0.0.0:82", "127.0.0.1:82" },
		{ "127.0.0.1:83", "127.0.0.1:83" },
		{ "[::]:5000", "[::1]:5000" },
		{ "[::1]:81", "[::1]:81" },
		{ "[::]:84", "[::1]:84" },
		{ "/srv/app/a.sock", "/srv/app/a.sock" },
	};
	struct sockaddr_storage ss;
	struct listen_list l;
	socklen_t len;
	char *err, buf[160];
	size_t i;
	int c;

	ck_assert_int_eq(listen_parse("tcp:$PORT, tcp:10.1.2.3:80, "
	    "tcp:0.0.0.0:82, tcp:localhost:83, tcp6:$PORT, tcp6:[::1]:81, "
	    "tcp6:[::]:84, unix:a.sock", &l, &err), 0);
	ck_assert_int_eq(listen_resolve(&l, 5000, "/srv/app", &err), 0);
	ck_assert_uint_eq(l.n, sizeof want / sizeof want[0]);
	for (i = 0; i < l.n; i++) {
		for (c = 0; c < 2; c++) {
			ck_assert_int_eq(listen_sockaddr(&l.a[i], c, &ss, &len),
			    0);
			sockaddr_text(&ss, buf, sizeof buf);
			ck_assert_str_eq(buf, want[i][c]);
			ck_assert_uint_eq(len, ss.ss_family == AF_UNIX ?
			    sizeof(struct sockaddr_un) : ss.ss_family ==
			    AF_INET6 ? sizeof(struct sockaddr_in6) :
			    sizeof(struct sockaddr_in));
		}
	}
}
END_TEST

/* A socket bound from a setting answers a connect, and a second bind
 * of the same address fails with EADDRINUSE. */
START_TEST(test_listen_open_tcp)
{
	struct listen_list l;
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	char *err;
	int fd, fd2, c, flags;

	ck_assert_int_eq(listen_parse("tcp:127.0.0.1:$PORT", &l, &err), 0);
	/* Port 0 is not a port a setting can give: find a free one. */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	close(fd);
	ck_assert_int_eq(listen_resolve(&l, ntohs(sin.sin_port), NULL, &err),
	    0);
	fd = listen_open(&l.a[0]);
	ck_assert_msg(fd >= 0, "listen_open: %s", strerror(errno));
	ck_assert_int_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	flags = fcntl(fd, F_GETFL);
	ck_assert_int_eq(flags & O_NONBLOCK, 0);
	c = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_eq(connect(c, (struct sockaddr *)&sin, sizeof sin), 0);
	close(c);
	fd2 = listen_open(&l.a[0]);
	ck_assert_int_eq(fd2, -1);
	ck_assert_int_eq(errno, EADDRINUSE);
	close(fd);
}
END_TEST

/* A unix socket file left by a daemon that is gone is replaced; one a
 * live listener holds is not. */
START_TEST(test_listen_open_unix_stale)
{
	struct listen_list l;
	struct sockaddr_un sun;
	char *dir = tmpdir_make(), *err, text[200];
	int live, fd;

	snprintf(text, sizeof text, "unix:%s/web.sock", dir);
	ck_assert_int_eq(listen_parse(text, &l, &err), 0);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s/web.sock", dir);
	live = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_eq(bind(live, (struct sockaddr *)&sun, sizeof sun), 0);
	ck_assert_int_eq(listen(live, 1), 0);
	ck_assert_int_eq(listen_open(&l.a[0]), -1);
	ck_assert_int_eq(errno, EADDRINUSE);
	close(live);	/* the file stays: stale */
	fd = listen_open(&l.a[0]);
	ck_assert_msg(fd >= 0, "listen_open over a stale file: %s",
	    strerror(errno));
	close(fd);
	unlink(sun.sun_path);
	tmpdir_remove(dir);
}
END_TEST

/*
 * The child sees the sockets as fds 3 and 4, inherited, nothing else
 * above them, and LISTEN_PID as its own pid: a shell prints what it
 * finds.
 */
START_TEST(test_listen_spawn_fds)
{
	char *argv[] = { "/bin/sh", "-c",
	    "echo \"$LISTEN_PID $$\"; ls /proc/self/fd | sort -n | tr '\\n' ' '; "
	    "echo; readlink /proc/self/fd/3 /proc/self/fd/4", NULL };
	char pidvar[11 + SPAWN_PID_DIGITS + 1] = "LISTEN_PID=";
	char *envp[] = { pidvar, "PATH=/usr/bin:/bin", NULL };
	struct spawn sp;
	struct stat st0, st1;
	char err[256], buf[512], want[128];
	int socks[2], fds[2], out[2], code, status;
	ssize_t n;
	size_t got = 0;
	pid_t pid;

	/* Two sockets, well above 4, as the daemon's are. */
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
	    socks), 0);
	fds[0] = fcntl(socks[0], F_DUPFD_CLOEXEC, 20);
	fds[1] = fcntl(socks[1], F_DUPFD_CLOEXEC, 21);
	ck_assert_int_eq(pipe2(out, O_CLOEXEC), 0);
	memset(&sp, 0, sizeof sp);
	sp.argv = argv;
	sp.envp = envp;
	sp.fds[0] = -1;
	sp.fds[1] = out[1];
	sp.fds[2] = -1;
	sp.umask = 022;
	sp.listen_fds = fds;
	sp.nlisten = 2;
	sp.listen_pid = pidvar + 11;
	pid = spawn_start(&sp, err, sizeof err, &code);
	ck_assert_msg(pid > 0, "spawn: %s", err);
	close(out[1]);
	while ((n = read(out[0], buf + got, sizeof buf - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	close(out[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	fstat(fds[0], &st0);
	fstat(fds[1], &st1);
	/* ls sees its own directory fd too: the first one free, 5. */
	snprintf(want, sizeof want, "%ld %ld\n0 1 2 3 4 5 \n"
	    "socket:[%lu]\nsocket:[%lu]\n", (long)pid, (long)pid,
	    (unsigned long)st0.st_ino, (unsigned long)st1.st_ino);
	ck_assert_str_eq(buf, want);
	close(socks[0]);
	close(socks[1]);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

static Suite *
listen_suite(void)
{
	Suite *s = suite_create("listen");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_listen_parse_good);
	tcase_add_test(tc, test_listen_parse_bad);
	tcase_add_test(tc, test_listen_sockaddr);
	tcase_add_test(tc, test_listen_open_tcp);
	tcase_add_test(tc, test_listen_open_unix_stale);
	tcase_add_test(tc, test_listen_spawn_fds);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(listen_suite)
