#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/timefmt.h"
#include "daemon/output.h"
#include "tests/unit/unit.h"

static struct logring ring;

static void
setup(void)
{
	logring_init(&ring);
}

static void
teardown(void)
{
	logring_release(&ring);
}

/* The last LOGRING_LINES lines, oldest first. */
START_TEST(test_logring_lines)
{
	char buf[32];
	int i, n;

	for (i = 0; i < LOGRING_LINES + 10; i++) {
		n = snprintf(buf, sizeof buf, "line %d", i);
		logring_push(&ring, i, 0, buf, (size_t)n);
	}
	ck_assert_uint_eq(ring.count, LOGRING_LINES);
	ck_assert_str_eq(logring_get(&ring, 0)->text, "line 10");
	snprintf(buf, sizeof buf, "line %d", LOGRING_LINES + 9);
	ck_assert_str_eq(logring_get(&ring, LOGRING_LINES - 1)->text, buf);
	ck_assert_ptr_null(logring_get(&ring, LOGRING_LINES));
}
END_TEST

/* Long lines: as many of the last as fit in LOGRING_BYTES. */
START_TEST(test_logring_bytes)
{
	static char line[OUTPUT_MAX_LINE];
	size_t fit = LOGRING_BYTES / sizeof line, i, total = 0;

	for (i = 0; i < 3 * fit; i++) {
		memset(line, 'a' + (int)(i % 26), sizeof line);
		logring_push(&ring, i, 0, line, sizeof line);
	}
	ck_assert_uint_eq(ring.count, fit);
	for (i = 0; i < ring.count; i++)
		total += logring_get(&ring, i)->len;
	ck_assert_uint_le(total, LOGRING_BYTES);
	ck_assert_uint_eq(ring.bytes, total);
	ck_assert_int_eq(logring_get(&ring, ring.count - 1)->text[0],
	    'a' + (int)((3 * fit - 1) % 26));
	/* A short line after them takes the place of one long one. */
	logring_push(&ring, 0, 0, "short", 5);
	ck_assert_uint_eq(ring.count, fit);
	ck_assert_str_eq(logring_get(&ring, ring.count - 1)->text, "short");
}
END_TEST

/* Each line keeps when it came (in ms) and, with stderr read apart, from
 * which stream. */
START_TEST(test_outsrc_streams)
{
	long long before = timefmt_now_ms(), after;
	const struct logentry *e;
	struct outsrc *src;
	int fds[2], errfd;
	size_t i;

	output_init(0);
	ck_assert_int_eq(pipe(fds), 0);
	src = outsrc_new(fds[0], "web.1", 0, &ring, NULL, NULL);
	ck_assert_int_eq(outsrc_split_stderr(src, &errfd), 0);
	ck_assert_int_eq(write(fds[1], "to stdout\n", 10), 10);
	ck_assert_int_eq(write(errfd, "to stderr\n", 10), 10);
	close(fds[1]);
	close(errfd);
	outsrc_drain(src);
	after = timefmt_now_ms();
	ck_assert_uint_eq(ring.count, 2);
	for (i = 0; i < ring.count; i++) {
		e = logring_get(&ring, i);
		ck_assert_int_eq(e->stream, strcmp(e->text, "to stdout") == 0 ?
		    LOG_STREAM_STDOUT : LOG_STREAM_STDERR);
		ck_assert_int_ge(e->when, before);
		ck_assert_int_le(e->when, after);
	}
	ck_assert_str_ne(logring_get(&ring, 0)->text,
	    logring_get(&ring, 1)->text);
	outsrc_free(src);
	output_shutdown();
}
END_TEST

static Suite *
output_suite(void)
{
	Suite *s = suite_create("output");
	TCase *tc = tcase_create("logring");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_logring_lines);
	tcase_add_test(tc, test_logring_bytes);
	tcase_add_test(tc, test_outsrc_streams);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(output_suite)
