#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/timefmt.h"

long long
timefmt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Exactly n digits at *p, as a number; -1 if not. */
static int
timefmt_digits(const char **p, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	return v;
}

/* "1h30m", "10m", "2.5s": a sum of numbers with units, in ms. */
static int
timefmt_duration(const char *s, long long *ms)
{
	long long total = 0;
	double v;
	char *end;

	if (*s == '\0')
		return -1;
	while (*s != '\0') {
		if (!isdigit((unsigned char)*s))
			return -1;
		v = strtod(s, &end);
		if (end == s || v > 1e9)
			return -1;
		switch (*end) {
		case 's':
			v *= 1000;
			break;
		case 'm':
			v *= 60 * 1000;
			break;
		case 'h':
			v *= 3600 * 1000;
			break;
		case 'd':
			v *= 86400 * 1000;
			break;
		default:
			return -1;
		}
		total += (long long)(v + 0.5);
		s = end + 1;
	}
	*ms = total;
	return 0;
}

/* "HH:MM[:SS[.fff]]" into tm and *frac (ms); the rest in *p. */
static int
timefmt_clock(const char **p, struct tm *tm, int *frac)
{
	int scale;

	if ((tm->tm_hour = timefmt_digits(p, 2)) == -1 || *(*p)++ != ':' ||
	    (tm->tm_min = timefmt_digits(p, 2)) == -1)
		return -1;
	tm->tm_sec = 0;
	*frac = 0;
	if (**p == ':') {
		(*p)++;
		if ((tm->tm_sec = timefmt_digits(p, 2)) == -1)
			return -1;
		if (**p == '.' && isdigit((unsigned char)(*p)[1])) {
			for ((*p)++, scale = 100; isdigit((unsigned char)**p);
			    (*p)++, scale /= 10)
				*frac += (**p - '0') * scale;
		}
	}
	if (tm->tm_hour > 23 || tm->tm_min > 59 || tm->tm_sec > 60)
		return -1;
	return 0;
}

/* "Z", "+HH:MM", "+HHMM", "+HH" into *off (seconds east); 0 if p holds
 * none, 1 if it holds one, -1 if it holds something else. */
static int
timefmt_zone(const char *p, long *off)
{
	int sign, h, m = 0;

	if (*p == '\0')
		return 0;
	if (strcmp(p, "Z") == 0 || strcmp(p, "z") == 0) {
		*off = 0;
		return 1;
	}
	if (*p != '+' && *p != '-')
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	if ((h = timefmt_digits(&p, 2)) == -1)
		return -1;
	if (*p == ':')
		p++;
	if (*p != '\0' && (m = timefmt_digits(&p, 2)) == -1)
		return -1;
	if (*p != '\0' || h > 23 || m > 59)
		return -1;
	*off = sign * (h * 3600L + m * 60L);
	return 1;
}

/* "YYYY-MM-DD" with an optional time and zone. */
static int
timefmt_date(const char *p, long long *ms)
{
	struct tm tm = { 0 };
	int frac = 0, zoned;
	long off = 0;
	time_t t;

	if ((tm.tm_year = timefmt_digits(&p, 4)) == -1 || *p++ != '-' ||
	    (tm.tm_mon = timefmt_digits(&p, 2)) == -1 || *p++ != '-' ||
	    (tm.tm_mday = timefmt_digits(&p, 2)) == -1)
		return -1;
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_year < 1970)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon--;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (timefmt_clock(&p, &tm, &frac) == -1)
			return -1;
	}
	if ((zoned = timefmt_zone(p, &off)) == -1)
		return -1;
	tm.tm_isdst = -1;
	t = zoned ? timegm(&tm) - off : mktime(&tm);
	if (t == (time_t)-1)
		return -1;
	*ms = (long long)t * 1000 + frac;
	return 0;
}

int
timefmt_parse(const char *s, long long now, long long *ms)
{
	const char *p = s;
	struct tm tm;
	time_t t = (time_t)(now / 1000);
	int frac;
	long long back;

	if (timefmt_duration(s, &back) == 0) {
		*ms = now - back;
		return 0;
	}
	if (strlen(s) >= 10 && s[4] == '-')
		return timefmt_date(s, ms);
	localtime_r(&t, &tm);
	if (timefmt_clock(&p, &tm, &frac) == -1 || *p != '\0')
		return -1;
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) == (time_t)-1)
		return -1;
	/* A time of day still to come is yesterday's. */
	if ((long long)t * 1000 > now + 60 * 1000) {
		localtime_r(&t, &tm);
		tm.tm_mday--;
		tm.tm_isdst = -1;
		t = mktime(&tm);
	}
	*ms = (long long)t * 1000 + frac;
	return 0;
}

void
timefmt_rfc3339(char *buf, size_t len, long long ms, int utc)
{
	time_t t = (time_t)(ms / 1000);
	int msec = (int)(ms % 1000);
	char date[32], zone[16];
	struct tm tm;
	int off;

	if (ms < 0 && msec != 0) {
		t--;
		msec += 1000;
	}
	if (utc)
		gmtime_r(&t, &tm);
	else
		localtime_r(&t, &tm);
	strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
	/* Offsets are less than a day. */
	off = utc ? 0 : (int)(tm.tm_gmtoff % 86400);
	if (utc)
		snprintf(zone, sizeof zone, "Z");
	else
		snprintf(zone, sizeof zone, "%c%02d:%02d", off < 0 ? '-' : '+',
		    abs(off) / 3600 % 24, abs(off) % 3600 / 60);
	snprintf(buf, len, "%s.%03d%s", date, msec, zone);
}
