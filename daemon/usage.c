#include <sys/types.h>

#include <dirent.h>
#include <ev.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/msg.h"
#include "common/xmalloc.h"
#include "daemon/formation.h"
#include "daemon/server.h"
#include "daemon/usage.h"

#define USAGE_PENDING_MAX	1024	/* requests waiting for a sample */

/* One process in a sample. */
struct usage_task {
	pid_t			 pid;
	struct usage_stat	 st;
};

/* What /proc said at one moment, of the processes in our sessions,
 * sorted by pid. */
struct usage_sample {
	double			 at;		/* CLOCK_BOOTTIME, seconds */
	struct usage_task	*tasks;
	size_t			 n;
};

static struct {
	ev_timer		 timer;
	int			 timer_init;
	struct usage_sample	 hist[USAGE_HISTORY];	/* oldest first */
	size_t			 nhist;
	ev_tstamp		 last_ask;
	struct peer		**pending;
	size_t			 npending, alloc;
	long			 hz, pagesize;
} usage;

int
usage_parse_stat(const char *buf, struct usage_stat *st)
{
	const char *p = strrchr(buf, ')');
	unsigned long long utime, stime;
	long session;
	int n = 0;

	/* After "pid (comm)", which may hold anything: fields 3 on. */
	if (p == NULL || sscanf(p + 1, " %*c %*d %*d %ld %*d %*d %*u %*u %*u "
	    "%*u %*u %llu %llu %*d %*d %*d %*d %*d %*d %llu %*s %ld%n",
	    &session, &utime, &stime, &st->start, &st->rss, &n) != 5 || n == 0)
		return -1;
	st->session = (pid_t)session;
	st->ticks = utime + stime;
	return 0;
}

static int
usage_pid_cmp(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

static double
usage_boottime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The sessions of our live processes, sorted: each leads its own. */
static pid_t *
usage_sessions(size_t *n)
{
	struct member *mb;
	pid_t *s = NULL;
	size_t alloc = 0;

	*n = 0;
	TAILQ_FOREACH(mb, &formation.members, entry) {
		if (!proc_alive(mb->proc) || proc_pid(mb->proc) <= 0)
			continue;
		ALLOC_GROW(s, *n + 1, alloc);
		s[(*n)++] = proc_pid(mb->proc);
	}
	if (*n > 1)
		qsort(s, *n, sizeof *s, usage_pid_cmp);
	return s;
}

int
usage_read_stat(pid_t pid, struct usage_stat *st)
{
	char path[64], buf[1024];
	ssize_t len;
	int fd;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	len = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	return usage_parse_stat(buf, st);
}

/* Read /proc into s: every process in one of our sessions. */
static void
usage_sample(struct usage_sample *s)
{
	size_t nsess, alloc = 0;
	pid_t *sess = usage_sessions(&nsess), pid;
	struct usage_stat st;
	struct dirent *de;
	DIR *d;

	s->at = usage_boottime();
	s->tasks = NULL;
	s->n = 0;
	/* readdir gives /proc's pids in increasing order: s stays sorted. */
	if (nsess > 0 && (d = opendir("/proc")) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if ((pid = (pid_t)atol(de->d_name)) <= 0 ||
			    usage_read_stat(pid, &st) == -1 ||
			    bsearch(&st.session, sess, nsess, sizeof *sess,
			    usage_pid_cmp) == NULL)
				continue;
			ALLOC_GROW(s->tasks, s->n + 1, alloc);
			s->tasks[s->n].pid = pid;
			s->tasks[s->n++].st = st;
		}
		closedir(d);
		if (s->n > 1)
			qsort(s->tasks, s->n, sizeof *s->tasks, usage_pid_cmp);
	}
	free(sess);
}

static void
usage_push(void)
{
	if (usage.nhist == USAGE_HISTORY) {
		free(usage.hist[0].tasks);
		memmove(&usage.hist[0], &usage.hist[1],
		    (USAGE_HISTORY - 1) * sizeof usage.hist[0]);
		usage.nhist--;
	}
	usage_sample(&usage.hist[usage.nhist++]);
}

/* What one session used: CPU ticks since the base sample, resident
 * pages and processes now. */
struct usage_sum {
	pid_t			 session;
	unsigned long long	 ticks;
	unsigned long long	 rss;
	uint32_t		 nprocs;
};

static int
usage_sum_cmp(const void *a, const void *b)
{
	pid_t x = ((const struct usage_sum *)a)->session;
	pid_t y = ((const struct usage_sum *)b)->session;

	return (x > y) - (x < y);
}

/* The ticks task t used since the base sample. */
static unsigned long long
usage_ticks(const struct usage_sample *base, const struct usage_task *t)
{
	const struct usage_task *b;

	b = bsearch(&t->pid, base->tasks, base->n, sizeof *base->tasks,
	    usage_pid_cmp);
	if (b != NULL && b->st.start == t->st.start)
		return t->st.ticks > b->st.ticks ? t->st.ticks - b->st.ticks : 0;
	/* Born since the base: all it used is new. */
	if ((double)t->st.start >= base->at * (double)usage.hz)
		return t->st.ticks;
	return 0;
}

/* The sums of every session of the newest sample, sorted by session
 * (one pass over its tasks). */
static struct usage_sum *
usage_sums(size_t *n)
{
	const struct usage_sample *now = &usage.hist[usage.nhist - 1];
	size_t nsess, i;
	pid_t *sess = usage_sessions(&nsess);
	struct usage_sum *sums = xcalloc(nsess + 1, sizeof *sums), key, *s;
	const struct usage_task *t;

	for (i = 0; i < nsess; i++)
		sums[i].session = sess[i];
	free(sess);
	for (i = 0; i < now->n; i++) {
		t = &now->tasks[i];
		key.session = t->st.session;
		if ((s = bsearch(&key, sums, nsess, sizeof *sums,
		    usage_sum_cmp)) == NULL)
			continue;
		s->nprocs++;
		s->rss += t->st.rss > 0 ? (unsigned long long)t->st.rss : 0;
		if (usage.nhist >= 2)
			s->ticks += usage_ticks(&usage.hist[0], t);
	}
	*n = nsess;
	return sums;
}

/*
 * MSG_USAGE_REPLY: u32 window (ms the CPU figures cover), u32 n, n x
 * (str name, u32 cpu, u64 rss, u32 processes), in ps's order. cpu is in
 * hundredths of a percent of one CPU, UINT32_MAX when not known.
 */
static void
usage_answer(struct peer *peer)
{
	const struct usage_sample *now = &usage.hist[usage.nhist - 1];
	double window = now->at - usage.hist[0].at;
	struct strbuf sb = STRBUF_INIT;
	struct usage_sum *sums, key, *s;
	struct member *mb;
	uint32_t n = 0, cpu;
	size_t nsums;

	sums = usage_sums(&nsums);
	TAILQ_FOREACH(mb, &formation.members, entry)
		n++;
	msg_new(&sb, MSG_USAGE_REPLY);
	msg_put_u32(&sb, (uint32_t)(window * 1000));
	msg_put_u32(&sb, n);
	TAILQ_FOREACH(mb, &formation.members, entry) {
		s = NULL;
		if (proc_alive(mb->proc) && (key.session = proc_pid(mb->proc)) > 0)
			s = bsearch(&key, sums, nsums, sizeof *sums,
			    usage_sum_cmp);
		cpu = UINT32_MAX;
		if (s != NULL && s->nprocs > 0 && usage.nhist >= 2 && window > 0)
			cpu = (uint32_t)(s->ticks * 10000.0 / (double)usage.hz /
			    window + 0.5);
		msg_put_str(&sb, proc_name(mb->proc));
		msg_put_u32(&sb, cpu);
		msg_put_u64(&sb, s != NULL ? s->rss * (uint64_t)usage.pagesize :
		    0);
		msg_put_u32(&sb, s != NULL ? s->nprocs : 0);
	}
	msg_finish(&sb, 0);
	peer_send(peer, &sb);
	strbuf_release(&sb);
	free(sums);
}

static void
usage_forget(void)
{
	size_t i;

	for (i = 0; i < usage.nhist; i++)
		free(usage.hist[i].tasks);
	usage.nhist = 0;
}

static void
usage_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	size_t i;

	usage_push();
	for (i = 0; i < usage.npending; i++)
		usage_answer(usage.pending[i]);
	usage.npending = 0;
	if (ev_now(loop) - usage.last_ask > USAGE_LINGER) {
		ev_timer_stop(loop, w);
		usage_forget();
	}
}

int
usage_request(struct peer *peer, struct msg *m)
{
	uint32_t flags = 0;

	if ((m->off < m->len && msg_get_u32(m, &flags) == -1) ||
	    msg_end(m) == -1 || (flags & ~USAGE_WAIT) != 0)
		return -1;
	if (!usage.timer_init) {
		usage.hz = sysconf(_SC_CLK_TCK);
		usage.pagesize = sysconf(_SC_PAGESIZE);
		ev_timer_init(&usage.timer, usage_timer_cb, USAGE_FIRST,
		    USAGE_PERIOD);
		usage.timer_init = 1;
	}
	usage.last_ask = ev_now(EV_DEFAULT);
	if (!ev_is_active(&usage.timer)) {
		usage_push();
		ev_timer_set(&usage.timer, USAGE_FIRST, USAGE_PERIOD);
		ev_timer_start(EV_DEFAULT, &usage.timer);
	}
	/* Without USAGE_WAIT, what the first sample says: memory and
	 * processes, CPU not yet. */
	if (usage.nhist >= 2 || !(flags & USAGE_WAIT)) {
		usage_answer(peer);
		return 0;
	}
	if (usage.npending >= USAGE_PENDING_MAX) {
		peer_error(peer, 1, "too many requests for usage waiting");
		return 0;
	}
	ALLOC_GROW(usage.pending, usage.npending + 1, usage.alloc);
	usage.pending[usage.npending++] = peer;
	return 0;
}

void
usage_peer_gone(struct peer *peer)
{
	size_t i = 0;

	while (i < usage.npending) {
		if (usage.pending[i] == peer)
			usage.pending[i] = usage.pending[--usage.npending];
		else
			i++;
	}
}

void
usage_shutdown(void)
{
	if (usage.timer_init)
		ev_timer_stop(EV_DEFAULT, &usage.timer);
	usage_forget();
	free(usage.pending);
	usage.pending = NULL;
	usage.npending = usage.alloc = 0;
}
