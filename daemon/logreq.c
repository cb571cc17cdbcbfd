#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/msg.h"
#include "common/store.h"
#include "common/xmalloc.h"
#include "daemon/dispatch.h"
#include "daemon/formation.h"
#include "daemon/logreq.h"
#include "daemon/oneoff.h"
#include "daemon/output.h"
#include "daemon/server.h"

/* What one peer asked for, while its reply is under way or it follows. */
struct logreq {
	char			**targets;	/* n = 0: all */
	size_t			  ntargets;
	int			  follow;
	int			  entries;	/* MSG_LOG_ENTRY, not _LINE */
	long long		  since;	/* ms; 0: all */
	unsigned long long	  skipped;	/* lines a follower that fell
						 * behind was not sent */
	unsigned long long	  next;		/* seq of the next line due */
	unsigned long long	  end;		/* and of the last one */
	int			  live;		/* history sent: following */
	int			  mark;		/* LOGS_LIVE: say when */
};

/* A ring a request reads, and where it is in it. */
struct logsrc {
	const char		*name;
	const struct logring	*ring;
	size_t			 i;
};

static size_t followers;

/* A line as the peer asked for them: MSG_LOG_ENTRY (in ms, with its
 * stream) for MSG_LOGS_QUERY, MSG_LOG_LINE (in seconds) for MSG_LOGS. */
static void
logreq_line_frame(struct strbuf *sb, int entries, const char *name,
    long long when, int stream, const char *text, size_t len)
{
	msg_new(sb, entries ? MSG_LOG_ENTRY : MSG_LOG_LINE);
	msg_put_str(sb, name);
	msg_put_u64(sb, (uint64_t)(entries ? when : when / 1000));
	if (entries)
		msg_put_u32(sb, (uint32_t)stream);
	msg_put_bytes(sb, text, len);
	msg_finish(sb, 0);
}

static void
logreq_send_line(struct peer *peer, const char *name, long long when,
    int stream, const char *text, size_t len)
{
	struct strbuf sb = STRBUF_INIT;

	logreq_line_frame(&sb, peer->logs->entries, name, when, stream, text,
	    len);
	peer_send(peer, &sb);
	strbuf_release(&sb);
}

/* The count of the lines a follower that fell behind was not sent. */
static void
logreq_send_skipped(struct peer *peer, int last)
{
	struct strbuf sb = STRBUF_INIT;

	msg_new(&sb, MSG_LOG_SKIPPED);
	msg_put_u64(&sb, (uint64_t)peer->logs->skipped);
	msg_finish(&sb, 0);
	if (last)
		peer_send_last(peer, &sb);
	else
		peer_send(peer, &sb);
	strbuf_release(&sb);
	peer->logs->skipped = 0;
}

/* A line for a follower, or one more skipped while it is behind. */
static void
logreq_follow_send(struct peer *peer, const struct strbuf *line)
{
	struct logreq *lr = peer->logs;

	if (lr->skipped > 0 && peer_caught_up(peer))
		logreq_send_skipped(peer, 0);
	if (lr->skipped > 0 || !peer_fits(peer, line->len))
		lr->skipped++;
	else
		peer_send(peer, line);
}

static int
logreq_wants(const struct logreq *lr, const char *name)
{
	const char *dot = strrchr(name, '.');
	size_t i;

	if (lr->ntargets == 0)
		return 1;
	for (i = 0; i < lr->ntargets; i++) {
		if (strcmp(lr->targets[i], name) == 0 || (dot != NULL &&
		    strlen(lr->targets[i]) == (size_t)(dot - name) &&
		    strncmp(lr->targets[i], name, (size_t)(dot - name)) == 0))
			return 1;
	}
	return 0;
}

/* The first line of r at seq or later. */
static size_t
logreq_find(const struct logring *r, unsigned long long seq)
{
	size_t lo = 0, hi = r->count, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (logring_get(r, mid)->seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
logreq_add_src(struct logsrc **srcs, size_t *n, size_t *alloc,
    const struct logreq *lr, const char *name, const struct logring *ring)
{
	size_t i;

	if (ring->count == 0 || !logreq_wants(lr, name))
		return;
	if ((i = logreq_find(ring, lr->next)) == ring->count)
		return;
	ALLOC_GROW(*srcs, *n + 1, *alloc);
	(*srcs)[*n].name = name;
	(*srcs)[*n].ring = ring;
	(*srcs)[(*n)++].i = i;
}

/* Every ring the request reads (system's, the processes', the ended
 * one-offs'), each from its first line at lr->next or later. */
static struct logsrc *
logreq_sources(const struct logreq *lr, size_t *n)
{
	struct logsrc *srcs = NULL;
	struct oneoff_log *l;
	struct member *mb;
	size_t alloc = 0;

	*n = 0;
	logreq_add_src(&srcs, n, &alloc, lr, "system", &output_system_ring);
	TAILQ_FOREACH(mb, &formation.members, entry)
		logreq_add_src(&srcs, n, &alloc, lr, proc_name(mb->proc),
		    proc_ring(mb->proc));
	TAILQ_FOREACH(l, &oneoff_logs, entry)
		logreq_add_src(&srcs, n, &alloc, lr, l->name, &l->ring);
	return srcs;
}

static unsigned long long
logreq_seq(const struct logsrc *s)
{
	return logring_get(s->ring, s->i)->seq;
}

/* A min-heap of the sources by the seq of their next line. */
static void
logreq_heap_down(struct logsrc *h, size_t n, size_t i)
{
	struct logsrc tmp;
	size_t c;

	while ((c = 2 * i + 1) < n) {
		if (c + 1 < n && logreq_seq(&h[c + 1]) < logreq_seq(&h[c]))
			c++;
		if (logreq_seq(&h[i]) <= logreq_seq(&h[c]))
			break;
		tmp = h[i];
		h[i] = h[c];
		h[c] = tmp;
		i = c;
	}
}

/* Send the lines due, in order, until a chunk is queued; 1 when none is
 * left. */
static int
logreq_send_chunk(struct peer *peer)
{
	struct logreq *lr = peer->logs;
	const struct logentry *e;
	struct logsrc *h;
	size_t n, i;

	h = logreq_sources(lr, &n);
	for (i = n; i-- > 0;)
		logreq_heap_down(h, n, i);
	while (n > 0 && peer_queued(peer) < LOGREQ_CHUNK && !peer->dropped) {
		e = logring_get(h[0].ring, h[0].i);
		if (e->seq > lr->end)
			break;
		lr->next = e->seq + 1;
		if (e->when >= lr->since)
			logreq_send_line(peer, h[0].name, e->when, e->stream,
			    e->text, e->len);
		if (++h[0].i == h[0].ring->count)
			h[0] = h[--n];
		logreq_heap_down(h, n, 0);
	}
	i = n > 0 && logring_get(h[0].ring, h[0].i)->seq <= lr->end;
	free(h);
	return !i;
}

static void
logreq_free(struct peer *peer)
{
	struct logreq *lr = peer->logs;
	size_t i;

	if (lr == NULL)
		return;
	if (lr->live)
		followers--;
	for (i = 0; i < lr->ntargets; i++)
		free(lr->targets[i]);
	free(lr->targets);
	free(lr);
	peer->logs = NULL;
}

/* The history is out: the end of the reply, or following from now. */
static void
logreq_history_sent(struct peer *peer)
{
	struct strbuf sb = STRBUF_INIT;

	if (peer->logs->follow) {
		peer->logs->live = 1;
		followers++;
		if (!peer->logs->mark)
			return;
		msg_new(&sb, MSG_LOG_LIVE);
		msg_finish(&sb, 0);
		peer_send(peer, &sb);
		strbuf_release(&sb);
		return;
	}
	logreq_free(peer);
	msg_new(&sb, MSG_LOG_END);
	msg_finish(&sb, 0);
	peer_send(peer, &sb);
	strbuf_release(&sb);
}

void
logreq_drained(struct peer *peer)
{
	if (peer->logs != NULL && peer->logs->live &&
	    peer->logs->skipped > 0)
		logreq_send_skipped(peer, 0);
	if (peer->logs == NULL || peer->logs->live)
		return;
	if (logreq_send_chunk(peer))
		logreq_history_sent(peer);
}

static int
logreq_seq_cmp(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return (x > y) - (x < y);
}

/* The seq of the first of the last lines lines wanted since lr->since. */
static unsigned long long
logreq_start(struct logreq *lr, uint32_t lines)
{
	unsigned long long *seqs = NULL, first = ULLONG_MAX;
	const struct logentry *e;
	struct logsrc *srcs;
	size_t n, i, j, count = 0, alloc = 0;

	lr->next = 0;
	srcs = logreq_sources(lr, &n);
	for (i = 0; i < n; i++) {
		for (j = srcs[i].i; j < srcs[i].ring->count; j++) {
			e = logring_get(srcs[i].ring, j);
			if (e->when < lr->since)
				continue;
			ALLOC_GROW(seqs, count + 1, alloc);
			seqs[count++] = e->seq;
		}
	}
	free(srcs);
	if (count > 0) {
		qsort(seqs, count, sizeof *seqs, logreq_seq_cmp);
		first = lines >= count ? seqs[0] :
		    lines == 0 ? ULLONG_MAX : seqs[count - lines];
	}
	free(seqs);
	return first;
}

/* Lines kept with no process: system's, and those of ended one-offs
 * ("run" for all of them). */
static int
logreq_kept(const char *target)
{
	struct oneoff_log *l;

	if (strcmp(target, "system") == 0 || strcmp(target, "run") == 0)
		return 1;
	TAILQ_FOREACH(l, &oneoff_logs, entry) {
		if (strcmp(target, l->name) == 0)
			return 1;
	}
	return 0;
}

/* The colour of each type's lines as formation up shows them: its place
 * in the Procfile, one-offs the next (daemon/formation.c, oneoff.c). */
static void
logreq_colors(struct peer *peer)
{
	const struct release *r = &formation.rel->release;
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	msg_new(&sb, MSG_LOG_COLORS);
	msg_put_u32(&sb, (uint32_t)r->nprocs + 1);
	for (i = 0; i < r->nprocs; i++) {
		msg_put_str(&sb, r->procs[i].name);
		msg_put_u32(&sb, (uint32_t)i);
	}
	msg_put_str(&sb, "run");
	msg_put_u32(&sb, (uint32_t)r->nprocs);
	msg_finish(&sb, 0);
	peer_send(peer, &sb);
	strbuf_release(&sb);
}

/*
 * MSG_LOGS (u32 follow, u32 lines, targets) and MSG_LOGS_QUERY (u32
 * flags, u32 lines, u64 since, targets).
 */
int
logreq_request(struct peer *peer, struct msg *m)
{
	const char **targets;
	struct logreq *lr;
	uint32_t follow, lines;
	uint64_t since = 0;
	size_t n, i;
	int query = m->type == MSG_LOGS_QUERY;

	if (msg_get_u32(m, &follow) == -1 || msg_get_u32(m, &lines) == -1 ||
	    (query && msg_get_u64(m, &since) == -1) ||
	    dispatch_strings(m, &targets, &n) == -1)
		return -1;
	if (msg_end(m) == -1 || since > (uint64_t)LLONG_MAX) {
		free(targets);
		return -1;
	}
	/* A typo would follow nothing, silently: refuse it. */
	for (i = 0; i < n; i++) {
		if (!logreq_kept(targets[i]) &&
		    dispatch_check_targets(peer, &targets[i], 1) == -1) {
			free(targets);
			return 0;
		}
	}
	if (query && (follow & LOGS_COLORS))
		logreq_colors(peer);
	/* Asked again on this connection: the new request replaces the
	 * old, and it is still one follower. */
	logreq_free(peer);
	lr = peer->logs = xcalloc(1, sizeof *lr);
	lr->targets = xcalloc(n + 1, sizeof *lr->targets);
	for (i = 0; i < n; i++)
		lr->targets[i] = xstrdup(targets[i]);
	lr->ntargets = n;
	free(targets);
	lr->follow = (follow & LOGS_FOLLOW) != 0;
	lr->mark = query && (follow & LOGS_LIVE) != 0;
	lr->entries = query;
	lr->since = (long long)since;
	lr->end = lr->follow ? ULLONG_MAX : logring_last_seq();
	lr->next = logreq_start(lr, lines);
	logreq_drained(peer);
	return 0;
}

void
logreq_peer_gone(struct peer *peer)
{
	logreq_free(peer);
}

void
logreq_tap(const char *name, long long when, int stream, const char *text,
    size_t len)
{
	/* The frames, one for each format, are made once a line, and their
	 * buffers kept. */
	static struct strbuf frames[2] = { STRBUF_INIT, STRBUF_INIT };
	struct peer *peer, *next;
	int made[2] = { 0, 0 }, f;

	if (followers == 0)
		return;
	TAILQ_FOREACH_SAFE(peer, &peers, entry, next) {
		if (peer->logs == NULL || !peer->logs->live || peer->closing ||
		    !logreq_wants(peer->logs, name))
			continue;
		f = peer->logs->entries != 0;
		if (!made[f])
			logreq_line_frame(&frames[f], f, name, when, stream,
			    text, len);
		made[f] = 1;
		logreq_follow_send(peer, &frames[f]);
	}
	for (f = 0; f < 2; f++) {
		if (frames[f].alloc > 64 * 1024)	/* a huge line's */
			strbuf_release(&frames[f]);
	}
}

void
logreq_farewell(void)
{
	struct strbuf sb = STRBUF_INIT;
	struct peer *peer;

	if (followers == 0)
		return;
	msg_new(&sb, MSG_LOG_END);
	msg_finish(&sb, 0);
	TAILQ_FOREACH(peer, &peers, entry) {
		if (peer->logs == NULL || !peer->logs->live || peer->closing)
			continue;
		if (peer->logs->skipped > 0)
			logreq_send_skipped(peer, 1);
		peer_send_last(peer, &sb);
	}
	strbuf_release(&sb);
}
