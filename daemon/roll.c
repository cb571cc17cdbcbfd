/*
 * Rolling restarts and reloads (roll.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ev.h>

#include "common/store.h"
#include "common/strbuf.h"
#include "common/xmalloc.h"
#include "daemon/formation.h"
#include "daemon/output.h"
#include "daemon/roll.h"

#define ROLL_LINES	10	/* of a failed instance, for the caller */

static struct {
	ev_prepare	 turn;
	int		 parallel;	/* 0: each type's roll */
	char		*why;
	roll_cb		 cb;
	void		*arg;
} roll;

static void roll_turn_cb(struct ev_loop *, ev_prepare *, int);

void
roll_init(void)
{
	ev_prepare_init(&roll.turn, roll_turn_cb);
}

int
roll_active(void)
{
	return ev_is_active(&roll.turn);
}

/* The roll is over: the callback, once, last. */
static void
roll_end(enum roll_result result, const char *why)
{
	roll_cb cb = roll.cb;
	void *arg = roll.arg;

	ev_prepare_stop(EV_DEFAULT, &roll.turn);
	free(roll.why);
	roll.why = NULL;
	roll.cb = NULL;
	roll.arg = NULL;
	if (cb != NULL)
		cb(result, why, arg);
}

void
roll_detach(void)
{
	roll.cb = NULL;
	roll.arg = NULL;
}

void
roll_free(void)
{
	roll.cb = NULL;
	roll_end(ROLL_STOPPED, NULL);
}

/* How many instances of a type may be in flight at once. */
static int
roll_limit(const char *type)
{
	if (roll.parallel > 0)
		return roll.parallel;
	return release_type_settings(&formation.rel->release, type).roll;
}

/* In flight: a new instance not ready yet, an old one replaced and not
 * gone yet, or one restarted in its place and not ready yet. */
static int
roll_flying(const struct member *m)
{
	if (m->incoming || m->rolling)
		return 1;
	return m->retired && m->roll_due && proc_alive(m->proc);
}

static int
roll_flying_type(const char *type)
{
	struct member *m;
	int n = 0;

	TAILQ_FOREACH(m, &formation.members, entry) {
		if (!m->oneoff && strcmp(m->type, type) == 0)
			n += roll_flying(m);
	}
	return n;
}

/* The old instance an incoming one replaces, or NULL. */
static struct member *
roll_old(const struct member *n)
{
	struct member *q;

	TAILQ_FOREACH(q, &formation.members, entry) {
		if (q != n && !q->oneoff && !q->retired && !q->incoming &&
		    q->roll_due && q->instance == n->instance &&
		    strcmp(q->type, n->type) == 0)
			return q;
	}
	return NULL;
}

/* Has old an incoming replacement? */
static int
roll_replaced(const struct member *old)
{
	struct member *q;

	TAILQ_FOREACH(q, &formation.members, entry) {
		if (q->incoming && q->instance == old->instance &&
		    strcmp(q->type, old->type) == 0)
			return 1;
	}
	return 0;
}

/* m is not to be replaced after all: it starts on its next spec, on a
 * port chosen now, as the roll gave others ports that its did not count
 * against (formation_rebase()). */
static void
roll_drop(struct member *m)
{
	m->roll_due = 0;
	if (proc_has_next_spec(m->proc))
		formation_rebase(m);
}

/* A new instance is ready: it takes the old one's place, which stops. */
static void
roll_promote(struct member *n)
{
	struct member *old = roll_old(n);
	char why[128];

	n->incoming = 0;
	n->roll_due = 0;
	if (old == NULL)
		return;
	snprintf(why, sizeof why, "replaced by pid %ld", (long)proc_pid(
	    n->proc));
	formation_retire(old, why);	/* roll_due stays: in flight */
}

/* "web.1 was not ready: not ready within 60s (tcp :5000)", then its
 * last lines. */
static void
roll_describe(struct member *n, struct strbuf *sb)
{
	struct logring *ring = proc_ring(n->proc);
	const struct logentry *e;
	const char *err = proc_last_failure(n->proc);
	char desc[128];
	size_t i;

	if (err == NULL && proc_last_status(n->proc) != -1) {
		proc_describe_exit(n->proc, desc, sizeof desc);
		err = desc;
	}
	strbuf_addf(sb, "%s was not ready: %s", proc_name(n->proc),
	    err != NULL ? err : proc_state_name(proc_state(n->proc)));
	i = ring->count > ROLL_LINES ? ring->count - ROLL_LINES : 0;
	for (; i < ring->count; i++) {
		e = logring_get(ring, i);
		strbuf_addf(sb, "\n%s | %.*s", proc_name(n->proc), (int)e->len,
		    e->text);
	}
}

/* An instance was not ready: the roll ends, the old ones run on. */
static void
roll_fail(struct member *failed)
{
	struct strbuf why = STRBUF_INIT;
	struct member *m, *next;

	roll_describe(failed, &why);
	output_system("roll stopped: %.*s", (int)strcspn(why.buf, "\n"),
	    why.buf);
	TAILQ_FOREACH_SAFE(m, &formation.members, entry, next) {
		if (m->oneoff)
			continue;
		m->rolling = 0;
		if (m->incoming) {
			m->incoming = 0;
			formation_retire(m, "the roll stopped");
		} else if (!m->retired && m->roll_due)
			roll_drop(m);
	}
	roll_end(ROLL_FAILED, why.buf);
	strbuf_release(&why);
}

/* Where a new or restarted instance is: 1 still on its way, 0 there
 * (or out of the roll), -1 not ready. */
static int
roll_progress(struct member *m)
{
	if (!proc_wants_up(m->proc)) {
		m->rolling = 0;		/* stopped by hand: out of it */
		m->roll_due = 0;
		return 0;
	}
	/* Restarted in place, it is stopping first. */
	if (proc_state(m->proc) == PROC_STOPPING)
		return 1;
	switch (proc_readiness(m->proc)) {
	case PROC_READY_YES:
		if (m->incoming)
			roll_promote(m);
		m->rolling = 0;
		m->roll_due = 0;
		return 0;
	case PROC_READY_WAIT:
		return 1;
	default:
		return -1;
	}
}

/*
 * Start the roll of old if its type has room: a new instance beside it
 * (overlap = true), else a restart in its place. 1 if old is still to be
 * rolled.
 */
static int
roll_next(struct member *old)
{
	enum proc_state s = proc_state(old->proc);

	int overlap = release_type_settings(&formation.rel->release,
	    old->type).overlap;

	if (!proc_wants_up(old->proc) || (s != PROC_RUNNING &&
	    s != PROC_STARTING && s != PROC_BACKOFF)) {
		roll_drop(old);		/* not up: its next start will do */
		return 0;
	}
	if (roll_flying_type(old->type) >= roll_limit(old->type))
		return 1;
	if (s == PROC_BACKOFF || !overlap) {
		old->rolling = 1;
		if (overlap)
			formation_rebase(old);	/* in its place after all */
		proc_restart(old->proc, roll.why);
		return 1;
	}
	if (formation_incoming(old, roll.why) == NULL)
		roll_drop(old);
	return 1;
}

static void
roll_turn(void)
{
	struct member *m, *next;
	size_t left = 0;

	if (formation.shutting_down) {
		roll_end(ROLL_STOPPED, "the formation is stopping");
		return;
	}
	TAILQ_FOREACH_SAFE(m, &formation.members, entry, next) {
		if (m->oneoff || m->retired || !(m->incoming || m->rolling))
			continue;
		if (roll_progress(m) == -1) {
			roll_fail(m);
			return;
		}
	}
	TAILQ_FOREACH_SAFE(m, &formation.members, entry, next) {
		if (m->oneoff || !(m->roll_due || m->incoming))
			continue;
		if (roll_flying(m))
			left++;
		else if (m->retired)
			m->roll_due = 0;
		else if (roll_replaced(m) || roll_next(m))
			left++;
	}
	if (left == 0)
		roll_end(ROLL_OK, NULL);
}

static void
roll_turn_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	roll_turn();
}

void
roll_start(int parallel, const char *why, roll_cb cb, void *arg)
{
	roll_cb was = roll.cb;
	void *was_arg = roll.arg;

	roll.cb = NULL;
	if (roll_active())
		roll_end(ROLL_SUPERSEDED, NULL);
	if (was != NULL)
		was(ROLL_SUPERSEDED, NULL, was_arg);
	roll.parallel = parallel;
	roll.why = xstrdup(why);
	roll.cb = cb;
	roll.arg = arg;
	ev_prepare_start(EV_DEFAULT, &roll.turn);
	roll_turn();
}
