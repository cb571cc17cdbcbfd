/*
 * Wall-clock times as people write them and as scripts read them:
 * parsing what formation logs --since takes, printing RFC 3339 with
 * milliseconds.
 */
#ifndef TIMEFMT_H
#define TIMEFMT_H

#include <stddef.h>

/* The real time, in milliseconds since the epoch. */
long long timefmt_now_ms(void);

/*
 * A moment, in milliseconds since the epoch, into *ms: a duration back
 * from now_ms ("10m", "90s", "1h30m", "2d"; units s, m, h, d), a time of
 * day in local time ("15:04", "15:04:05": today, or yesterday when that
 * is still to come), a date ("2026-01-02", local midnight), or both
 * ("2026-01-02T15:04:05", a space for the T allowed, seconds optional,
 * a fraction of them too), in local time unless "Z" or an offset
 * ("+01:00", "-0500") follows. -1 if s is none of them.
 */
int	timefmt_parse(const char *, long long, long long *);

/*
 * ms as RFC 3339 with milliseconds into buf (TIMEFMT_RFC3339 bytes
 * suffice): "2026-01-02T15:04:05.123Z" in UTC, or in local time with its
 * offset ("2026-01-02T16:04:05.123+01:00").
 */
#define TIMEFMT_RFC3339	40
void	timefmt_rfc3339(char *, size_t, long long, int);

#endif
