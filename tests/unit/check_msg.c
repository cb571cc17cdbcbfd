#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "common/msg.h"
#include "common/strbuf.h"
#include "tests/unit/unit.h"

/* A frame of type t whose payload is the n bytes at p. */
static void
frame_raw(struct strbuf *sb, uint32_t t, const void *p, size_t n)
{
	msg_new(sb, t);
	strbuf_add(sb, p, n);
	msg_finish(sb, 0);
}

/* Parse the one frame in sb, which must be whole. */
static void
parse_whole(const struct strbuf *sb, struct msg *m)
{
	const char *why = NULL;
	size_t size = 0;

	ck_assert_int_eq(msg_parse(sb, m, &size, &why), 1);
	ck_assert_uint_eq(size, sb->len);
	ck_assert_ptr_null(why);
}

START_TEST(test_msg_round_trip)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s, *b;
	struct msg m;
	uint32_t u;
	uint64_t v;
	size_t len;

	msg_new(&sb, MSG_LOG_LINE);
	msg_put_u32(&sb, 0xdeadbeef);
	msg_put_str(&sb, "web.1");
	msg_put_u64(&sb, UINT64_C(0x0123456789abcdef));
	msg_put_str(&sb, "");
	msg_put_bytes(&sb, "a\0b", 3);
	msg_put_bytes(&sb, "", 0);
	msg_finish(&sb, 0);
	ck_assert_uint_eq(sb.len, sizeof(struct msg_hdr) + 4 + 6 + 8 + 1 +
	    4 + 3 + 4);

	parse_whole(&sb, &m);
	ck_assert_uint_eq(m.version, PROTOCOL_VERSION);
	ck_assert_uint_eq(m.type, MSG_LOG_LINE);
	ck_assert_uint_eq(m.len, sb.len - sizeof(struct msg_hdr));
	ck_assert_int_eq(msg_get_u32(&m, &u), 0);
	ck_assert_uint_eq(u, 0xdeadbeef);
	ck_assert_int_eq(msg_get_str(&m, &s), 0);
	ck_assert_str_eq(s, "web.1");
	ck_assert_int_eq(msg_get_u64(&m, &v), 0);
	ck_assert(v == UINT64_C(0x0123456789abcdef));
	ck_assert_int_eq(msg_get_str(&m, &s), 0);
	ck_assert_str_eq(s, "");
	ck_assert_int_eq(msg_get_bytes(&m, &b, &len), 0);
	ck_assert_uint_eq(len, 3);
	ck_assert_int_eq(memcmp(b, "a\0b", 3), 0);
	ck_assert_int_eq(msg_get_bytes(&m, &b, &len), 0);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(msg_end(&m), 0);
	/* Nothing left: every getter fails. */
	ck_assert_int_eq(msg_get_u32(&m, &u), -1);
	ck_assert_int_eq(msg_get_str(&m, &s), -1);
	strbuf_release(&sb);
}
END_TEST

START_TEST(test_msg_empty_payload)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s;
	struct msg m;
	uint32_t u;

	msg_new(&sb, MSG_PS);
	msg_finish(&sb, 0);
	ck_assert_uint_eq(sb.len, sizeof(struct msg_hdr));
	parse_whole(&sb, &m);
	ck_assert_uint_eq(m.type, MSG_PS);
	ck_assert_uint_eq(m.len, 0);
	ck_assert_int_eq(msg_end(&m), 0);
	ck_assert_int_eq(msg_get_u32(&m, &u), -1);
	ck_assert_int_eq(msg_get_str(&m, &s), -1);
	strbuf_release(&sb);
}
END_TEST

START_TEST(test_msg_short_payloads)
{
	static const char seven[7] = "1234567";
	struct strbuf sb = STRBUF_INIT;
	const char *b;
	struct msg m;
	uint32_t u;
	uint64_t v;
	size_t len;

	/* Three bytes are not a u32, seven not a u64. */
	frame_raw(&sb, MSG_ROLLBACK, seven, 3);
	parse_whole(&sb, &m);
	ck_assert_int_eq(msg_get_u32(&m, &u), -1);
	frame_raw(&sb, MSG_LOG_LINE, seven, 7);
	parse_whole(&sb, &m);
	ck_assert_int_eq(msg_get_u64(&m, &v), -1);
	ck_assert_int_eq(msg_get_u32(&m, &u), 0);
	ck_assert_int_eq(msg_get_u32(&m, &u), -1);

	/* Bytes that claim more than the payload holds. */
	msg_new(&sb, MSG_LOG_LINE);
	msg_put_u32(&sb, 10);
	strbuf_add(&sb, "123456789", 9);
	msg_finish(&sb, 0);
	parse_whole(&sb, &m);
	ck_assert_int_eq(msg_get_bytes(&m, &b, &len), -1);

	/* A length of UINT32_MAX must not wrap around. */
	msg_new(&sb, MSG_LOG_LINE);
	msg_put_u32(&sb, UINT32_MAX);
	strbuf_add(&sb, "x", 1);
	msg_finish(&sb, 0);
	parse_whole(&sb, &m);
	ck_assert_int_eq(msg_get_bytes(&m, &b, &len), -1);
	strbuf_release(&sb);
}
END_TEST

START_TEST(test_msg_string_without_nul)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s, *why = NULL;
	struct msg m;
	size_t size;

	frame_raw(&sb, MSG_STOP, "web.1", 5);
	parse_whole(&sb, &m);
	ck_assert_int_eq(msg_get_str(&m, &s), -1);

	/* The NUL of the first string does not end the second. */
	frame_raw(&sb, MSG_STOP, "web\0worker", 10);
	parse_whole(&sb, &m);
	ck_assert_int_eq(msg_get_str(&m, &s), 0);
	ck_assert_str_eq(s, "web");
	ck_assert_int_eq(msg_get_str(&m, &s), -1);

	/* The NUL must be inside the payload: bytes after the frame (the
	 * next frame's) do not count. */
	frame_raw(&sb, MSG_STOP, "web", 3);
	strbuf_add(&sb, "\0\0\0\0", 4);
	ck_assert_int_eq(msg_parse(&sb, &m, &size, &why), 1);
	ck_assert_uint_eq(m.len, 3);
	ck_assert_int_eq(msg_get_str(&m, &s), -1);
	strbuf_release(&sb);
}
END_TEST

START_TEST(test_msg_trailing_bytes)
{
	struct strbuf sb = STRBUF_INIT;
	struct msg m;
	uint32_t u;

	msg_new(&sb, MSG_ROLLBACK);
	msg_put_u32(&sb, 3);
	strbuf_addch(&sb, 'x');
	msg_finish(&sb, 0);
	parse_whole(&sb, &m);
	ck_assert_int_eq(msg_get_u32(&m, &u), 0);
	ck_assert_uint_eq(u, 3);
	ck_assert_int_eq(msg_end(&m), -1);

	/* An empty request that carries a payload. */
	frame_raw(&sb, MSG_PS, "\0", 1);
	parse_whole(&sb, &m);
	ck_assert_int_eq(msg_end(&m), -1);
	strbuf_release(&sb);
}
END_TEST

START_TEST(test_msg_oversized)
{
	struct msg_hdr hdr = { PROTOCOL_VERSION, MSG_PS, MSG_MAX + 1 };
	struct strbuf sb = STRBUF_INIT;
	const char *why = NULL;
	struct msg m;
	size_t size = 0;

	/* Refused from the header alone: no need to wait for the bytes. */
	strbuf_add(&sb, &hdr, sizeof hdr);
	ck_assert_int_eq(msg_parse(&sb, &m, &size, &why), -1);
	ck_assert_ptr_nonnull(why);
	ck_assert_str_eq(why, "message too long");

	hdr.length = UINT32_MAX;
	strbuf_reset(&sb);
	strbuf_add(&sb, &hdr, sizeof hdr);
	why = NULL;
	ck_assert_int_eq(msg_parse(&sb, &m, &size, &why), -1);
	ck_assert_ptr_nonnull(why);

	/* MSG_MAX itself is allowed: it waits for the rest. */
	hdr.length = MSG_MAX;
	strbuf_reset(&sb);
	strbuf_add(&sb, &hdr, sizeof hdr);
	ck_assert_int_eq(msg_parse(&sb, &m, &size, &why), 0);
	strbuf_grow(&sb, MSG_MAX);
	memset(sb.buf + sb.len, 'x', MSG_MAX);
	strbuf_setlen(&sb, sb.len + MSG_MAX);
	ck_assert_int_eq(msg_parse(&sb, &m, &size, &why), 1);
	ck_assert_uint_eq(size, sizeof hdr + MSG_MAX);
	strbuf_release(&sb);
}
END_TEST

START_TEST(test_msg_partial_frames)
{
	struct strbuf sb = STRBUF_INIT, part = STRBUF_INIT;
	const char *why = NULL;
	struct msg m;
	size_t size, i;

	msg_new(&sb, MSG_RESTART);
	msg_put_u32(&sb, 1);
	msg_put_str(&sb, "web.2");
	msg_finish(&sb, 0);
	/* Every proper prefix, header included, needs more. */
	for (i = 0; i < sb.len; i++) {
		strbuf_reset(&part);
		strbuf_add(&part, sb.buf, i);
		ck_assert_int_eq(msg_parse(&part, &m, &size, &why), 0);
	}
	strbuf_add(&part, sb.buf + i - 1, 1);
	ck_assert_int_eq(msg_parse(&part, &m, &size, &why), 1);
	ck_assert_uint_eq(size, sb.len);
	ck_assert_ptr_null(why);
	strbuf_release(&part);
	strbuf_release(&sb);
}
END_TEST

START_TEST(test_msg_two_frames)
{
	struct strbuf sb = STRBUF_INIT;
	const char *why = NULL, *s;
	struct msg m;
	size_t size, second;
	uint32_t u;

	msg_new(&sb, MSG_STOP);
	msg_put_u32(&sb, 1);
	msg_put_str(&sb, "web");
	msg_finish(&sb, 0);
	/* A second frame built after the first: msg_finish at its start. */
	second = sb.len;
	{
		struct msg_hdr hdr = { PROTOCOL_VERSION, MSG_START, 0 };

		strbuf_add(&sb, &hdr, sizeof hdr);
	}
	msg_put_u32(&sb, 1);
	msg_put_str(&sb, "worker.1");
	msg_finish(&sb, second);

	ck_assert_int_eq(msg_parse(&sb, &m, &size, &why), 1);
	ck_assert_uint_eq(size, second);
	ck_assert_uint_eq(m.type, MSG_STOP);
	ck_assert_int_eq(msg_get_u32(&m, &u), 0);
	ck_assert_int_eq(msg_get_str(&m, &s), 0);
	ck_assert_str_eq(s, "web");
	ck_assert_int_eq(msg_end(&m), 0);
	strbuf_remove_front(&sb, size);
	ck_assert_int_eq(msg_parse(&sb, &m, &size, &why), 1);
	ck_assert_uint_eq(m.type, MSG_START);
	ck_assert_uint_eq(size, sb.len);
	ck_assert_int_eq(msg_get_u32(&m, &u), 0);
	ck_assert_int_eq(msg_get_str(&m, &s), 0);
	ck_assert_str_eq(s, "worker.1");
	ck_assert_int_eq(msg_end(&m), 0);
	strbuf_release(&sb);
}
END_TEST

START_TEST(test_msg_other_version)
{
	struct msg_hdr hdr = { PROTOCOL_VERSION + 1, MSG_PS, 0 };
	struct strbuf sb = STRBUF_INIT;
	const char *why = NULL;
	struct msg m;
	size_t size;

	/* Not the codec's business: it parses, the caller answers. */
	strbuf_add(&sb, &hdr, sizeof hdr);
	ck_assert_int_eq(msg_parse(&sb, &m, &size, &why), 1);
	ck_assert_uint_eq(m.version, PROTOCOL_VERSION + 1);
	strbuf_release(&sb);
}
END_TEST

/* Receive on fd until one whole frame is in buf. */
static void
recv_frame(int fd, struct strbuf *buf, struct msg *m, int *fds, int *nfds)
{
	const char *why = NULL;
	size_t size;
	int rc;

	while ((rc = msg_parse(buf, m, &size, &why)) == 0)
		ck_assert_int_gt(msg_recv(fd, buf, fds, nfds), 0);
	ck_assert_int_eq(rc, 1);
}

static void
write_str(int fd, const char *s)
{
	ck_assert_int_eq(write(fd, s, strlen(s)), (ssize_t)strlen(s));
}

START_TEST(test_msg_socket_fds)
{
	struct strbuf out = STRBUF_INIT, in = STRBUF_INIT;
	int sv[2], p[2], fds[MSG_MAXFDS], nfds = 0, send[2];
	const char *s;
	struct msg m;
	char buf[8];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(pipe(p), 0);
	msg_new(&out, MSG_ONEOFF_STARTED);
	msg_put_str(&out, "run.1");
	msg_put_u32(&out, 42);
	msg_finish(&out, 0);
	send[0] = p[1];
	send[1] = p[1];
	ck_assert_int_eq(msg_send(sv[0], &out, send, 2), 0);
	close(p[1]);

	recv_frame(sv[1], &in, &m, fds, &nfds);
	ck_assert_uint_eq(m.type, MSG_ONEOFF_STARTED);
	ck_assert_int_eq(msg_get_str(&m, &s), 0);
	ck_assert_str_eq(s, "run.1");
	ck_assert_int_eq(nfds, 2);
	/* Both are the pipe's write end, received close-on-exec. */
	ck_assert_int_ne(fcntl(fds[0], F_GETFD) & FD_CLOEXEC, 0);
	write_str(fds[0], "ab");
	write_str(fds[1], "c");
	close(fds[0]);
	close(fds[1]);
	ck_assert_int_eq(read(p[0], buf, sizeof buf), 3);
	ck_assert_int_eq(memcmp(buf, "abc", 3), 0);
	ck_assert_int_eq(read(p[0], buf, sizeof buf), 0);	/* all closed */

	/* EOF after the last frame. */
	close(sv[0]);
	ck_assert_int_eq(msg_recv(sv[1], &in, fds, &nfds), 0);
	close(sv[1]);
	close(p[0]);
	strbuf_release(&out);
	strbuf_release(&in);
}
END_TEST

/*
 * Send n write ends of n pipes on an empty frame, by hand, since
 * msg_send() will not send more than MSG_MAXFDS; the read ends go to r.
 */
static void
send_pipes(int sock, int n, int *r)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int) * 8)];
	} cm;
	struct msg_hdr hdr = { PROTOCOL_VERSION, MSG_ONEOFF, 0 };
	struct iovec iov = { &hdr, sizeof hdr };
	struct msghdr mh;
	struct cmsghdr *c;
	int p[2], w[8], i;

	ck_assert_int_le(n, 8);
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(pipe2(p, O_NONBLOCK), 0);
		r[i] = p[0];
		w[i] = p[1];
	}
	memset(&mh, 0, sizeof mh);
	memset(&cm, 0, sizeof cm);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cm.buf;
	mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)n);
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)n);
	memcpy(CMSG_DATA(c), w, sizeof(int) * (size_t)n);
	ck_assert_int_eq(sendmsg(sock, &mh, 0), (ssize_t)sizeof hdr);
	for (i = 0; i < n; i++)
		close(w[i]);
}

/* The read end r sees EOF: no one holds the write end any more. */
static int
pipe_closed(int r)
{
	char c;

	return read(r, &c, 1) == 0;
}

START_TEST(test_msg_too_many_fds_at_once)
{
	struct strbuf in = STRBUF_INIT;
	int sv[2], r[5], fds[MSG_MAXFDS], nfds = 0, i;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	send_pipes(sv[0], 5, r);
	errno = 0;
	ck_assert_int_eq(msg_recv(sv[1], &in, fds, &nfds), -1);
	ck_assert_int_eq(errno, EPROTO);
	/* What fitted is the caller's to close; nothing else leaked. */
	ck_assert_int_eq(nfds, MSG_MAXFDS);
	for (i = 0; i < nfds; i++)
		close(fds[i]);
	for (i = 0; i < 5; i++) {
		ck_assert_msg(pipe_closed(r[i]), "fd %d was kept open", i);
		close(r[i]);
	}
	close(sv[0]);
	close(sv[1]);
	strbuf_release(&in);
}
END_TEST

START_TEST(test_msg_too_many_fds_in_all)
{
	struct strbuf in = STRBUF_INIT;
	int sv[2], r[4], fds[MSG_MAXFDS], nfds = 0, i;

	/* Two frames of two fds each: the fourth fd has no room. */
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	send_pipes(sv[0], 2, r);
	send_pipes(sv[0], 2, r + 2);
	ck_assert_int_gt(msg_recv(sv[1], &in, fds, &nfds), 0);
	ck_assert_int_eq(nfds, 2);
	errno = 0;
	ck_assert_int_eq(msg_recv(sv[1], &in, fds, &nfds), -1);
	ck_assert_int_eq(errno, EPROTO);
	ck_assert_int_eq(nfds, MSG_MAXFDS);
	for (i = 0; i < nfds; i++)
		close(fds[i]);
	for (i = 0; i < 4; i++) {
		ck_assert_msg(pipe_closed(r[i]), "fd %d was kept open", i);
		close(r[i]);
	}
	close(sv[0]);
	close(sv[1]);
	strbuf_release(&in);
}
END_TEST

START_TEST(test_msg_socket_large)
{
	struct strbuf out = STRBUF_INIT, in = STRBUF_INIT;
	size_t big = 3 * 65536 + 123, len, i;
	int sv[2], fds[MSG_MAXFDS], nfds = 0, status;
	const char *b;
	struct msg m;
	pid_t pid;

	/* Bigger than the socket buffer: the writer blocks, in a child. */
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	msg_new(&out, MSG_LOG_LINE);
	strbuf_grow(&out, big + 4);
	msg_put_u32(&out, (uint32_t)big);
	for (i = 0; i < big; i++)
		strbuf_addch(&out, (char)('a' + i % 26));
	msg_finish(&out, 0);
	ck_assert_int_ge((pid = fork()), 0);
	if (pid == 0) {
		close(sv[1]);
		_exit(msg_send(sv[0], &out, &sv[0], 1) == 0 ? 0 : 1);
	}
	close(sv[0]);
	recv_frame(sv[1], &in, &m, fds, &nfds);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(status, 0);
	ck_assert_int_eq(nfds, 1);	/* on the first byte only */
	close(fds[0]);
	ck_assert_int_eq(msg_get_bytes(&m, &b, &len), 0);
	ck_assert_uint_eq(len, big);
	ck_assert_int_eq(memcmp(b, out.buf + sizeof(struct msg_hdr) + 4,
	    big), 0);
	ck_assert_int_eq(msg_end(&m), 0);
	close(sv[1]);
	strbuf_release(&out);
	strbuf_release(&in);
}
END_TEST

START_TEST(test_msg_send_too_many_fds)
{
	struct strbuf out = STRBUF_INIT, in = STRBUF_INIT;
	int sv[2], fds[MSG_MAXFDS + 1], got[MSG_MAXFDS], ngot = 0, i;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0,
	    sv), 0);
	for (i = 0; i <= MSG_MAXFDS; i++)
		fds[i] = sv[0];
	msg_new(&out, MSG_PS);
	msg_finish(&out, 0);
	errno = 0;
	ck_assert_int_eq(msg_send(sv[0], &out, fds, MSG_MAXFDS + 1), -1);
	ck_assert_int_eq(errno, EINVAL);
	/* Nothing went out. */
	ck_assert_int_eq(msg_recv(sv[1], &in, got, &ngot), -1);
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_int_eq(msg_send(sv[0], &out, fds, MSG_MAXFDS), 0);
	close(sv[0]);
	close(sv[1]);
	strbuf_release(&out);
	strbuf_release(&in);
}
END_TEST

START_TEST(test_msg_send_closed)
{
	struct strbuf out = STRBUF_INIT;
	int sv[2];

	/* A reader that went away: an error, not SIGPIPE. */
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	close(sv[1]);
	msg_new(&out, MSG_PS);
	msg_finish(&out, 0);
	errno = 0;
	ck_assert_int_eq(msg_send(sv[0], &out, NULL, 0), -1);
	ck_assert_int_eq(errno, EPIPE);
	close(sv[0]);
	strbuf_release(&out);
}
END_TEST

static Suite *
msg_suite(void)
{
	Suite *s = suite_create("msg");
	TCase *tc = tcase_create("codec");
	TCase *io = tcase_create("socket");

	tcase_add_test(tc, test_msg_round_trip);
	tcase_add_test(tc, test_msg_empty_payload);
	tcase_add_test(tc, test_msg_short_payloads);
	tcase_add_test(tc, test_msg_string_without_nul);
	tcase_add_test(tc, test_msg_trailing_bytes);
	tcase_add_test(tc, test_msg_oversized);
	tcase_add_test(tc, test_msg_partial_frames);
	tcase_add_test(tc, test_msg_two_frames);
	tcase_add_test(tc, test_msg_other_version);
	tcase_add_test(io, test_msg_socket_fds);
	tcase_add_test(io, test_msg_too_many_fds_at_once);
	tcase_add_test(io, test_msg_too_many_fds_in_all);
	tcase_add_test(io, test_msg_socket_large);
	tcase_add_test(io, test_msg_send_too_many_fds);
	tcase_add_test(io, test_msg_send_closed);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, io);
	return s;
}

UNIT_MAIN(msg_suite)
