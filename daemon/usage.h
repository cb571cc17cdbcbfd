/*
 * What each process of the formation costs: CPU and resident memory,
 * read from /proc and summed over its session (the instance, everything
 * it started, and what escaped its process group but not its session),
 * for ps and top (MSG_USAGE).
 *
 * The daemon samples only while someone asks: a request starts a sampler
 * that reads /proc every USAGE_PERIOD, and stops USAGE_LINGER after the
 * last request, freeing what it kept, so an idle daemon never wakes for
 * it. CPU is measured between the newest sample and one a few seconds
 * older. The first request is answered at once with no CPU figures, or,
 * with USAGE_WAIT, at the second sample, USAGE_FIRST after the first; a
 * peer that goes away meanwhile is forgotten (usage_peer_gone).
 */
#ifndef USAGE_H
#define USAGE_H

#include <sys/types.h>

struct msg;
struct peer;

#define USAGE_PERIOD	1.0	/* seconds between samples */
#define USAGE_FIRST	0.25	/* the second sample after the first */
#define USAGE_HISTORY	4	/* samples kept: CPU over ~3 periods */
#define USAGE_LINGER	10.0	/* seconds of sampling after a request */

/* One line of /proc/PID/stat, as much as the sampler needs. */
struct usage_stat {
	pid_t			 session;
	unsigned long long	 ticks;		/* utime + stime */
	unsigned long long	 start;		/* starttime, ticks after boot */
	long			 rss;		/* pages */
};

/* Parse the text of /proc/PID/stat; -1 if it is not one. */
int	usage_parse_stat(const char *, struct usage_stat *);
/* Read and parse /proc/PID/stat; -1 when there is no such process. */
int	usage_read_stat(pid_t, struct usage_stat *);

/* MSG_USAGE: answer now or at the next sample; -1 if malformed. */
int	usage_request(struct peer *, struct msg *);
void	usage_peer_gone(struct peer *);
/* Stop sampling and free it all (at exit). */
void	usage_shutdown(void);

#endif
