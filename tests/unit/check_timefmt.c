#include <stdlib.h>
#include <time.h>

#include "common/timefmt.h"
#include "tests/unit/unit.h"

/* 2026-01-02T15:04:05Z: 20455 days after the epoch, and 54245 s. */
#define T0	(1767366245LL * 1000)

static void
zone(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

START_TEST(test_timefmt_durations)
{
	long long ms;

	ck_assert_int_eq(timefmt_parse("10m", T0, &ms), 0);
	ck_assert_int_eq(T0 - ms, 600000);
	ck_assert_int_eq(timefmt_parse("1h30m", T0, &ms), 0);
	ck_assert_int_eq(T0 - ms, 5400000);
	ck_assert_int_eq(timefmt_parse("2.5s", T0, &ms), 0);
	ck_assert_int_eq(T0 - ms, 2500);
	ck_assert_int_eq(timefmt_parse("2d", T0, &ms), 0);
	ck_assert_int_eq(T0 - ms, 2LL * 86400000);
	ck_assert_int_eq(timefmt_parse("10", T0, &ms), -1);
	ck_assert_int_eq(timefmt_parse("10x", T0, &ms), -1);
	ck_assert_int_eq(timefmt_parse("m", T0, &ms), -1);
	ck_assert_int_eq(timefmt_parse("", T0, &ms), -1);
	ck_assert_int_eq(timefmt_parse("-5m", T0, &ms), -1);
}
END_TEST

START_TEST(test_timefmt_dates)
{
	long long ms;

	zone("CET-1");	/* +01:00 all year */
	ck_assert_int_eq(timefmt_parse("2026-01-02T15:04:05Z", 0, &ms), 0);
	ck_assert_int_eq(ms, T0);
	ck_assert_int_eq(timefmt_parse("2026-01-02 15:04:05.25+00:00", 0,
	    &ms), 0);
	ck_assert_int_eq(ms, T0 + 250);
	ck_assert_int_eq(timefmt_parse("2026-01-02T10:04:05-0500", 0, &ms), 0);
	ck_assert_int_eq(ms, T0);
	/* Local time without a zone. */
	ck_assert_int_eq(timefmt_parse("2026-01-02T16:04:05", 0, &ms), 0);
	ck_assert_int_eq(ms, T0);
	ck_assert_int_eq(timefmt_parse("2026-01-02T16:04", 0, &ms), 0);
	ck_assert_int_eq(ms, T0 - 5000);
	ck_assert_int_eq(timefmt_parse("2026-01-02", 0, &ms), 0);
	ck_assert_int_eq(ms, T0 - (16 * 3600 + 4 * 60 + 5) * 1000LL);
	ck_assert_int_eq(timefmt_parse("2026-13-02", 0, &ms), -1);
	ck_assert_int_eq(timefmt_parse("2026-01-02T25:00", 0, &ms), -1);
	ck_assert_int_eq(timefmt_parse("2026-01-02T15:04:05+1", 0, &ms), -1);
	ck_assert_int_eq(timefmt_parse("2026-01-02x", 0, &ms), -1);
}
END_TEST

START_TEST(test_timefmt_clock)
{
	long long ms;

	zone("CET-1");
	/* 16:04:05 local is now: an hour back is 15:04:05 today. */
	ck_assert_int_eq(timefmt_parse("15:04:05", T0, &ms), 0);
	ck_assert_int_eq(ms, T0 - 3600000);
	ck_assert_int_eq(timefmt_parse("16:00", T0, &ms), 0);
	ck_assert_int_eq(ms, T0 - 245000);
	/* Still to come today: yesterday's. */
	ck_assert_int_eq(timefmt_parse("17:04:05", T0, &ms), 0);
	ck_assert_int_eq(ms, T0 + 3600000 - 86400000);
	ck_assert_int_eq(timefmt_parse("7:00", T0, &ms), -1);
	ck_assert_int_eq(timefmt_parse("16:04:05 ", T0, &ms), -1);
}
END_TEST

START_TEST(test_timefmt_rfc3339)
{
	char buf[TIMEFMT_RFC3339];

	zone("CET-1");
	timefmt_rfc3339(buf, sizeof buf, T0 + 7, 1);
	ck_assert_str_eq(buf, "2026-01-02T15:04:05.007Z");
	timefmt_rfc3339(buf, sizeof buf, T0 + 999, 0);
	ck_assert_str_eq(buf, "2026-01-02T16:04:05.999+01:00");
	zone("EST5");
	timefmt_rfc3339(buf, sizeof buf, T0, 0);
	ck_assert_str_eq(buf, "2026-01-02T10:04:05.000-05:00");
}
END_TEST

static Suite *
timefmt_suite(void)
{
	Suite *s = suite_create("timefmt");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_timefmt_durations);
	tcase_add_test(tc, test_timefmt_dates);
	tcase_add_test(tc, test_timefmt_clock);
	tcase_add_test(tc, test_timefmt_rfc3339);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(timefmt_suite)
