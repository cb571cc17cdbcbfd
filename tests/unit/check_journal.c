#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/xmalloc.h"
#include "daemon/journal.h"
#include "tests/unit/tmpdir.h"
#include "tests/unit/unit.h"

static char *tmp;
static int rx = -1;		/* the receiving end, as journald holds it */

static void
setup(void)
{
	tmp = tmpdir_make();
	unsetenv("JOURNAL_STREAM");
}

static void
teardown(void)
{
	journal_free();
	if (rx != -1)
		close(rx);
	rx = -1;
	tmpdir_remove(tmp);
}

static char *
listen_here(void)
{
	struct sockaddr_un sun;
	char *path;

	path = path_join(tmp, "socket");
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, path);
	rx = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	ck_assert_int_ne(rx, -1);
	ck_assert_int_eq(bind(rx, (struct sockaddr *)&sun, sizeof sun), 0);
	return path;
}

static void
assert_bytes(const struct strbuf *sb, const char *want, size_t len)
{
	ck_assert_uint_eq(sb->len, len);
	ck_assert_int_eq(memcmp(sb->buf, want, len), 0);
}

START_TEST(test_journal_format)
{
	struct strbuf sb = STRBUF_INIT;
	static const char want[] = "MESSAGE=web.1  | hi there\n"
	    "PRIORITY=6\n"
	    "SYSLOG_IDENTIFIER=shop\n"
	    "FORMATION_PROCESS=web.1\n";
	static const char sys[] = "MESSAGE=system | web.1 started\n"
	    "PRIORITY=6\n"
	    "SYSLOG_IDENTIFIER=my app\n";

	journal_format(&sb, "shop", "web.1", JOURNAL_INFO, "web.1  |", 8,
	    "hi there", 8);
	assert_bytes(&sb, want, sizeof want - 1);
	strbuf_reset(&sb);
	/* The daemon's own lines name no process. */
	journal_format(&sb, "my app", NULL, JOURNAL_INFO, "system |", 8,
	    "web.1 started", 13);
	assert_bytes(&sb, sys, sizeof sys - 1);
	strbuf_release(&sb);
}
END_TEST

/* A value with a newline: the name, its length in 64 bits LE, itself. */
START_TEST(test_journal_format_binary)
{
	struct strbuf sb = STRBUF_INIT;
	static const char want[] = "MESSAGE\n"
	    "\x0b\0\0\0\0\0\0\0"
	    "w.1 | a\nb\0c\n"
	    "PRIORITY=3\n"
	    "SYSLOG_IDENTIFIER=x\n"
	    "FORMATION_PROCESS=w.1\n";

	journal_format(&sb, "x", "w.1", JOURNAL_ERR, "w.1 |", 5, "a\nb\0c",
	    5);
	assert_bytes(&sb, want, sizeof want - 1);
	strbuf_release(&sb);
}
END_TEST

START_TEST(test_journal_send)
{
	static const char want[] = "MESSAGE=worker.1 | oops\n"
	    "PRIORITY=3\n"
	    "SYSLOG_IDENTIFIER=shop\n"
	    "FORMATION_PROCESS=worker.1\n";
	char buf[256], *path;
	ssize_t n;

	path = listen_here();
	journal_init_at(path, "shop");
	ck_assert_int_eq(journal_on(), 1);
	ck_assert_int_eq(journal_line("worker.1", JOURNAL_ERR, "worker.1 |",
	    10, "oops", 4), 0);
	n = recv(rx, buf, sizeof buf, 0);
	ck_assert_int_eq(n, (ssize_t)(sizeof want - 1));
	ck_assert_int_eq(memcmp(buf, want, sizeof want - 1), 0);
	/* journald gone: the line is refused, to be written plainly. */
	close(rx);
	rx = -1;
	ck_assert_int_eq(journal_line("worker.1", JOURNAL_ERR, "worker.1 |",
	    10, "oops", 4), -1);
	free(path);
}
END_TEST

START_TEST(test_journal_missing)
{
	char *path = path_join(tmp, "none");

	journal_init_at(path, "shop");
	ck_assert_int_eq(journal_on(), 0);
	ck_assert_int_eq(journal_line("web.1", JOURNAL_INFO, "web.1 |", 7,
	    "x", 1), -1);
	/* Not a socket. */
	free(path);
	path = tmpdir_write(tmp, "file", "");
	journal_init_at(path, "shop");
	ck_assert_int_eq(journal_on(), 0);
	free(path);
}
END_TEST

START_TEST(test_journal_stream)
{
	struct stat st;
	char *path, js[64];
	int fd;

	path = tmpdir_write(tmp, "out", "");
	fd = open(path, O_WRONLY | O_CLOEXEC);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_int_eq(journal_is_stream(fd), 0);
	snprintf(js, sizeof js, "%llu:%llu", (unsigned long long)st.st_dev,
	    (unsigned long long)st.st_ino);
	setenv("JOURNAL_STREAM", js, 1);
	ck_assert_int_eq(journal_is_stream(fd), 1);
	snprintf(js, sizeof js, "%llu:%llu", (unsigned long long)st.st_dev,
	    (unsigned long long)st.st_ino + 1);
	setenv("JOURNAL_STREAM", js, 1);
	ck_assert_int_eq(journal_is_stream(fd), 0);
	setenv("JOURNAL_STREAM", "junk", 1);
	ck_assert_int_eq(journal_is_stream(fd), 0);
	close(fd);
	free(path);
}
END_TEST

static Suite *
journal_suite(void)
{
	Suite *s = suite_create("journal");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_journal_format);
	tcase_add_test(tc, test_journal_format_binary);
	tcase_add_test(tc, test_journal_send);
	tcase_add_test(tc, test_journal_missing);
	tcase_add_test(tc, test_journal_stream);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(journal_suite)
