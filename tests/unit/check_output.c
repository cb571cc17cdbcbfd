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
	ck_assert_uint_eq(logring_used(), 0);
	logring_budget(LOG_MEMORY_DEFAULT);
}

/* Under the budget, a ring keeps every line, oldest first. */
START_TEST(test_logring_lines)
{
	char buf[32];
	int i, n;

	for (i = 0; i < 5000; i++) {
		n = snprintf(buf, sizeof buf, "line %d", i);
		logring_push(&ring, i, 0, buf, (size_t)n);
	}
	ck_assert_uint_eq(ring.count, 5000);
	ck_assert_str_eq(logring_get(&ring, 0)->text, "line 0");
	ck_assert_str_eq(logring_get(&ring, 4999)->text, "line 4999");
	ck_assert_ptr_null(logring_get(&ring, 5000));
	ck_assert_uint_eq(logring_used(), 5000 * LOGRING_LINE_COST +
	    10 * 7 + 90 * 8 + 900 * 9 + 4000 * 10);
}
END_TEST

/* The budget holds for all rings together; the chatty ring loses its
 * oldest lines, the quiet one keeps all of its own. */
START_TEST(test_logring_budget)
{
	struct logring quiet;
	char line[100];
	size_t i, cost = sizeof line + 1 + LOGRING_LINE_COST;

	logring_init(&quiet);
	logring_budget(1000 * cost);
	for (i = 0; i < 10; i++)
		logring_push(&quiet, 0, 0, "quiet", 5);
	for (i = 0; i < 20000; i++) {
		memset(line, 'a' + (int)(i % 26), sizeof line);
		logring_push(&ring, (long long)i, 0, line, sizeof line);
		ck_assert_uint_le(logring_used(), 1000 * cost);
	}
	ck_assert_uint_eq(quiet.count, 10);
	ck_assert_uint_eq(ring.bytes, ring.count * cost);
	ck_assert_uint_ge(ring.count, 990);
	/* The newest lines, in order. */
	for (i = 0; i < ring.count; i++)
		ck_assert_int_eq(logring_get(&ring, i)->when,
		    20000 - (long long)ring.count + (long long)i);
	/* A smaller budget drops lines at once. */
	logring_budget(100 * cost);
	ck_assert_uint_le(logring_used(), 100 * cost);
	ck_assert_uint_eq(quiet.count, 10);
	ck_assert_int_eq(logring_get(&ring, ring.count - 1)->when, 19999);
	logring_release(&quiet);
	ck_assert_uint_eq(logring_used(), ring.bytes);
}
END_TEST

/* The busiest go first: two chatty rings end up holding about the same,
 * whichever started first. */
START_TEST(test_logring_busiest)
{
	struct logring a, b;
	char line[200];
	size_t i, cost = sizeof line + 1 + LOGRING_LINE_COST;

	logring_init(&a);
	logring_init(&b);
	memset(line, 'x', sizeof line);
	for (i = 0; i < 3000; i++)
		logring_push(&a, 0, 0, line, sizeof line);
	logring_budget(2000 * cost);
	ck_assert_uint_eq(a.count, 2000);
	for (i = 0; i < 3000; i++)
		logring_push(&b, 0, 0, line, sizeof line);
	ck_assert_uint_le(a.count > b.count ? a.count - b.count :
	    b.count - a.count, 1);
	ck_assert_uint_le(logring_used(), 2000 * cost);
	/* A ring that moves still gives way, where it is now. */
	logring_move(&ring, &a);
	ck_assert_uint_eq(a.count, 0);
	for (i = 0; i < 600; i++)
		logring_push(&a, 0, 0, line, sizeof line);
	ck_assert_uint_eq(a.count, 600);
	ck_assert_uint_le(logring_used(), 2000 * cost);
	ck_assert_uint_lt(ring.count, 1000);
	logring_release(&a);
	logring_release(&b);
}
END_TEST

/* A line larger than the budget: its ring keeps it, alone. */
START_TEST(test_logring_newest_kept)
{
	static char big[OUTPUT_MAX_LINE];

	logring_budget(1000);
	logring_push(&ring, 1, 0, "small", 5);
	logring_push(&ring, 2, 0, big, sizeof big);
	ck_assert_uint_eq(ring.count, 1);
	ck_assert_int_eq(logring_get(&ring, 0)->when, 2);
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
	tcase_add_test(tc, test_logring_budget);
	tcase_add_test(tc, test_logring_busiest);
	tcase_add_test(tc, test_logring_newest_kept);
	tcase_add_test(tc, test_outsrc_streams);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(output_suite)
