/*
 * sockpeer: the server end of a connection, before and after accept(),
 * as the kernel tells it (tcp_diag, /proc/net/tcp, unix_diag), on real
 * loopback and unix sockets; and who holds it.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "daemon/sockpeer.h"
#include "tests/unit/tmpdir.h"
#include "tests/unit/unit.h"

#define NO_SESSION	((pid_t)0x7ffffff0)	/* no process's */

static unsigned long
fd_ino(int fd)
{
	struct stat st;

	ck_assert_int_eq(fstat(fd, &st), 0);
	return (unsigned long)st.st_ino;
}

/* A listener on the loopback of family, and a client connected to it,
 * not accepted; the addresses of both ends. -1: no such loopback. */
static int
tcp_pair(int family, int *lfd, int *cfd, struct sockaddr_storage *server,
    struct sockaddr_storage *client)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)server;
	struct sockaddr_in *sin = (struct sockaddr_in *)server;
	socklen_t len = sizeof *server;

	memset(server, 0, sizeof *server);
	if (family == AF_INET6) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = in6addr_loopback;
	} else {
		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	}
	*lfd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(*lfd, 0);
	if (bind(*lfd, (struct sockaddr *)server, family == AF_INET6 ?
	    sizeof *sin6 : sizeof *sin) == -1) {
		close(*lfd);
		return -1;
	}
	ck_assert_int_eq(listen(*lfd, 8), 0);
	ck_assert_int_eq(getsockname(*lfd, (struct sockaddr *)server, &len),
	    0);
	*cfd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_eq(connect(*cfd, (struct sockaddr *)server, len), 0);
	len = sizeof *client;
	ck_assert_int_eq(getsockname(*cfd, (struct sockaddr *)client, &len),
	    0);
	return 0;
}

typedef int (*tcp_fn)(const struct sockaddr_storage *,
    const struct sockaddr_storage *, unsigned long *, int *);

/* In the queue: no inode. Accepted: the accepted socket's, which this
 * session holds and no other; and the listener is never taken for it. */
static void
check_tcp(int family, tcp_fn fn)
{
	struct sockaddr_storage server, client, other;
	unsigned long ino = 99;
	int lfd, cfd, afd, state = -1;

	if (tcp_pair(family, &lfd, &cfd, &server, &client) == -1)
		return;		/* no ::1 here */
	ck_assert_int_eq(fn(&client, &server, &ino, &state), 0);
	ck_assert_uint_eq(ino, 0);
	ck_assert_int_eq(state, TCP_ESTABLISHED);
	afd = accept(lfd, NULL, NULL);
	ck_assert_int_ge(afd, 0);
	ck_assert_int_eq(fn(&client, &server, &ino, &state), 0);
	ck_assert_uint_eq(ino, fd_ino(afd));
	ck_assert_uint_ne(ino, fd_ino(lfd));
	ck_assert_int_eq(sockpeer_held(getsid(0), ino), 1);
	ck_assert_int_eq(sockpeer_held(NO_SESSION, ino), 0);
	/* A client port no connection has: not the listener's inode. */
	other = client;
	if (family == AF_INET6)
		((struct sockaddr_in6 *)&other)->sin6_port = htons(1);
	else
		((struct sockaddr_in *)&other)->sin_port = htons(1);
	errno = 0;
	ck_assert_int_eq(fn(&other, &server, &ino, &state), -1);
	ck_assert_int_eq(errno, ENOENT);
	/* Closed by the server: accepted and done with, no inode. */
	close(afd);
	ck_assert_int_eq(fn(&client, &server, &ino, &state), 0);
	ck_assert_uint_eq(ino, 0);
	ck_assert_int_ne(state, TCP_ESTABLISHED);
	close(cfd);
	close(lfd);
}

START_TEST(test_sockpeer_tcp_diag)
{
	check_tcp(AF_INET, sockpeer_tcp);
	check_tcp(AF_INET6, sockpeer_tcp);
}
END_TEST

START_TEST(test_sockpeer_tcp_proc)
{
	check_tcp(AF_INET, sockpeer_tcp_proc);
	check_tcp(AF_INET6, sockpeer_tcp_proc);
}
END_TEST

/* Lines as /proc/net/tcp prints them on a little-endian machine (the
 * words of the address as it holds them): the exact pair is found, the
 * listener and the reverse direction are not. */
START_TEST(test_sockpeer_parse_proc)
{
	static const char text[] =
	    "  sl  local_address rem_address   st tx_queue rx_queue tr "
	    "tm->when retrnsmt   uid  timeout inode\n"
	    "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 "
	    "00:00000000 00000000  1000        0 4242 1 0000000000000000 100 "
	    "0 0 10 0\n"
	    "   1: 0100007F:D431 0100007F:1F90 01 00000000:00000000 "
	    "00:00000000 00000000  1000        0 5151 1 0000000000000000 20 "
	    "4 30 10 -1\n"
	    "   2: 0100007F:1F90 0100007F:D431 01 00000000:00000000 "
	    "00:00000000 00000000  1000        0 6161 1 0000000000000000 20 "
	    "4 30 10 -1\n";
	struct sockaddr_storage server, client;
	struct sockaddr_in *s = (struct sockaddr_in *)&server;
	struct sockaddr_in *c = (struct sockaddr_in *)&client;
	unsigned long ino = 0;
	uint16_t probe = 1;
	int state = -1;

	if (*(uint8_t *)&probe != 1)
		return;		/* the text is a little-endian machine's */
	memset(&server, 0, sizeof server);
	memset(&client, 0, sizeof client);
	s->sin_family = c->sin_family = AF_INET;
	s->sin_addr.s_addr = c->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s->sin_port = htons(0x1F90);
	c->sin_port = htons(0xD431);
	ck_assert_int_eq(sockpeer_parse_proc(text, &client, &server, &ino,
	    &state), 0);
	ck_assert_uint_eq(ino, 6161);
	ck_assert_int_eq(state, TCP_ESTABLISHED);
	ck_assert_int_eq(sockpeer_parse_proc(text, &server, &client, &ino,
	    &state), 0);
	ck_assert_uint_eq(ino, 5151);
	c->sin_port = htons(0xD432);
	ck_assert_int_eq(sockpeer_parse_proc(text, &client, &server, &ino,
	    &state), -1);
	ck_assert_int_eq(sockpeer_parse_proc("", &client, &server, &ino,
	    &state), -1);
	ck_assert_int_eq(sockpeer_parse_proc("garbage\n\n", &client, &server,
	    &ino, &state), -1);
}
END_TEST

/* The peer of a unix client: none yet while queued, the accepted
 * socket after, none again once the server closed it. */
START_TEST(test_sockpeer_unix)
{
	struct sockaddr_un sun;
	unsigned long peer = 99;
	char *dir;
	int lfd, cfd, afd;

	dir = tmpdir_make();
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s/s.sock", dir);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_eq(bind(lfd, (struct sockaddr *)&sun, sizeof sun), 0);
	ck_assert_int_eq(listen(lfd, 8), 0);
	cfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	ck_assert_int_eq(connect(cfd, (struct sockaddr *)&sun, sizeof sun), 0);
	ck_assert_int_eq(sockpeer_unix(fd_ino(cfd), &peer), 0);
	ck_assert_uint_eq(peer, 0);
	afd = accept(lfd, NULL, NULL);
	ck_assert_int_ge(afd, 0);
	ck_assert_int_eq(sockpeer_unix(fd_ino(cfd), &peer), 0);
	ck_assert_uint_eq(peer, fd_ino(afd));
	ck_assert_int_eq(sockpeer_held(getsid(0), peer), 1);
	ck_assert_int_eq(sockpeer_held(NO_SESSION, peer), 0);
	close(afd);
	ck_assert_int_eq(sockpeer_unix(fd_ino(cfd), &peer), 0);
	ck_assert_uint_eq(peer, 0);
	/* The listener's inode is no connected socket: no peer. */
	errno = 0;
	ck_assert_int_eq(sockpeer_unix(fd_ino(lfd), &peer), -1);
	ck_assert_int_eq(errno, ENOENT);
	close(cfd);
	close(lfd);
	tmpdir_remove(dir);
}
END_TEST

static Suite *
sockpeer_suite(void)
{
	Suite *s = suite_create("sockpeer");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_sockpeer_tcp_diag);
	tcase_add_test(tc, test_sockpeer_tcp_proc);
	tcase_add_test(tc, test_sockpeer_parse_proc);
	tcase_add_test(tc, test_sockpeer_unix);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(sockpeer_suite)
