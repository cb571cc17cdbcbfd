/*
 * One function per request (docs/protocol.md). Each reads its payload
 * with the bounds-checked getters, acts, and replies; a payload that does
 * not decode returns -1 and the server drops the connection.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/msg.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "daemon/dispatch.h"
#include "daemon/formation.h"
#include "daemon/logreq.h"
#include "daemon/oneoff.h"
#include "daemon/reload.h"
#include "daemon/roll.h"
#include "daemon/server.h"
#include "daemon/usage.h"
#include "daemon/sockets.h"
#include "common/store.h"

#define TARGETS_MAX	1024

int
dispatch_strings(struct msg *m, const char ***out, size_t *n)
{
	uint32_t count, i;

	*out = NULL;
	*n = 0;
	if (msg_get_u32(m, &count) == -1 || count > TARGETS_MAX)
		return -1;
	*out = xcalloc(count + 1, sizeof **out);
	for (i = 0; i < count; i++) {
		if (msg_get_str(m, &(*out)[i]) == -1) {
			free(*out);
			*out = NULL;
			return -1;
		}
	}
	*n = count;
	return 0;
}

/* Does member m answer to target ("web" or "web.2")? */
static int
dispatch_matches(const struct member *m, const char *target)
{
	return strcmp(proc_name(m->proc), target) == 0 ||
	    strcmp(m->type, target) == 0;
}

int
dispatch_check_targets(struct peer *peer, const char **targets, size_t n)
{
	const struct release *r = &formation.rel->release;
	struct strbuf names = STRBUF_INIT;
	struct member *m;
	size_t i;

	for (i = 0; i < n; i++) {
		/* run: every one-off, as logs has it. */
		if (release_find(r, targets[i]) != NULL ||
		    formation_find(targets[i]) != NULL ||
		    strcmp(targets[i], "run") == 0)
			continue;
		TAILQ_FOREACH(m, &formation.members, entry)
			strbuf_addf(&names, "%s%s", names.len ? ", " : "",
			    proc_name(m->proc));
		peer_error(peer, 1, "no such process '%s' (processes: %s)",
		    targets[i], names.len ? names.buf : "none");
		strbuf_release(&names);
		return -1;
	}
	return 0;
}

/* The sockets held for the types that listen, after the processes. */
static void
dispatch_put_sockets(struct strbuf *sb)
{
	struct sockets_info si;
	size_t i, n = sockets_count();

	msg_put_u32(sb, (uint32_t)n);
	for (i = 0; i < n; i++) {
		sockets_info(i, &si);
		msg_put_str(sb, si.type);
		msg_put_str(sb, si.name);
		msg_put_str(sb, si.address);
		msg_put_u32(sb, (uint32_t)si.fd);
	}
}

static int
dispatch_ps(struct peer *peer, struct msg *m)
{
	struct strbuf sb = STRBUF_INIT;
	struct proc_info pi;
	struct member *mb;
	struct rel *r;
	char rel[32], code[CODE_ID_MAX];
	uint32_t n = 0;

	if (msg_end(m) == -1)
		return -1;
	TAILQ_FOREACH(mb, &formation.members, entry)
		n++;
	msg_new(&sb, MSG_PS_REPLY);
	snprintf(rel, sizeof rel, "v%d", formation.rel->release.version);
	msg_put_str(&sb, rel);
	msg_put_u32(&sb, n);
	TAILQ_FOREACH(mb, &formation.members, entry) {
		proc_info(mb->proc, &pi);
		msg_put_str(&sb, pi.name);
		msg_put_str(&sb, mb->type);
		msg_put_u32(&sb, (uint32_t)pi.pid);
		msg_put_str(&sb, proc_state_name(pi.state));
		msg_put_u32(&sb, (uint32_t)pi.port);
		msg_put_u32(&sb, (uint32_t)pi.restarts);
		msg_put_u64(&sb, (uint64_t)pi.started_at);
		msg_put_u32(&sb, pi.last_status == -1 ? MSG_NO_STATUS :
		    (uint32_t)pi.last_status);
		snprintf(rel, sizeof rel, "v%d", pi.version);
		msg_put_str(&sb, rel);
		msg_put_str(&sb, pi.display);
		r = proc_rel(mb->proc);
		code_id(r != NULL ? &r->release.code : &formation.rel->release.code,
		    0, code);
		msg_put_str(&sb, code);
		msg_put_u32(&sb, (uint32_t)mb->signal);
		msg_put_u64(&sb, (uint64_t)mb->signalled_at);
		msg_put_str(&sb, pi.status);
		msg_put_u32(&sb, (pi.shell ? PS_SHELL : 0) |
		    (pi.last_shell ? PS_LAST_SHELL : 0));
	}
	code_id(&formation.rel->release.code, 0, code);
	msg_put_str(&sb, code);
	dispatch_put_sockets(&sb);
	msg_finish(&sb, 0);
	peer_send(peer, &sb);
	strbuf_release(&sb);
	return 0;
}

static int
dispatch_scale(struct peer *peer, struct msg *m)
{
	struct strbuf done = STRBUF_INIT;
	const char *type;
	uint32_t n, count, i;
	char *err = NULL;

	if (msg_get_u32(m, &n) == -1 || n > TARGETS_MAX)
		return -1;
	for (i = 0; i < n; i++) {
		if (msg_get_str(m, &type) == -1 ||
		    msg_get_u32(m, &count) == -1)
			return -1;
	}
	if (msg_end(m) == -1)
		return -1;
	/* All of it or nothing: the whole request is checked first. */
	m->off = sizeof(uint32_t);
	for (i = 0; i < n && err == NULL; i++) {
		msg_get_str(m, &type);
		msg_get_u32(m, &count);
		if (count > INT_MAX)
			xasprintf(&err, "bad count %u for '%s'", count, type);
		else
			formation_scale_check(type, (int)count, &err);
	}
	m->off = sizeof(uint32_t);
	for (i = 0; i < n && err == NULL; i++) {
		msg_get_str(m, &type);
		msg_get_u32(m, &count);
		if (formation_scale(type, (int)count, &err) == 0)
			strbuf_addf(&done, "%s%s=%u", done.len ? ", " : "",
			    type, count);
	}
	if (err != NULL)
		peer_error(peer, 1, "%s; nothing was scaled", err);
	else
		peer_ok(peer, "scaled %s", done.buf);
	free(err);
	strbuf_release(&done);
	return 0;
}

/*
 * Is the request a no-op for mb? start of one that is up (or on its way
 * up), stop of one that is not running, or on its way down already.
 */
static int
dispatch_noop(const struct member *mb, int what)
{
	enum proc_state st = proc_state(mb->proc);

	if (what == MSG_START)
		return proc_wants_up(mb->proc) &&
		    (st == PROC_STARTING || st == PROC_RUNNING);
	if (what == MSG_STOP)
		return !proc_alive(mb->proc) ? st != PROC_BACKOFF :
		    st == PROC_STOPPING && !proc_wants_up(mb->proc);
	return 0;
}

#define NOOP_NAMES	8	/* named in a reply; then "and N more" */

/* The processes a request left alone, by their state. */
struct noops {
	struct strbuf	 names[PROC_FAILED + 1];
	size_t		 count[PROC_FAILED + 1];
	size_t		 n;
};

static void
noops_init(struct noops *no)
{
	int st;

	for (st = PROC_STOPPED; st <= PROC_FAILED; st++) {
		strbuf_init(&no->names[st], 0);
		no->count[st] = 0;
	}
	no->n = 0;
}

static void
noops_release(struct noops *no)
{
	int st;

	for (st = PROC_STOPPED; st <= PROC_FAILED; st++)
		strbuf_release(&no->names[st]);
}

static void
noops_add(struct noops *no, const struct member *mb)
{
	enum proc_state st = proc_state(mb->proc);

	if (no->count[st]++ < NOOP_NAMES)
		strbuf_addf(&no->names[st], "%s%s",
		    no->names[st].len ? ", " : "", proc_name(mb->proc));
	no->n++;
}

/* "web.1, web.2 are already running; web.3 is already stopping". */
static void
noops_say(struct noops *no, struct strbuf *sb)
{
	int st;

	for (st = PROC_STOPPED; st <= PROC_FAILED; st++) {
		if (no->count[st] == 0)
			continue;
		if (no->count[st] > NOOP_NAMES)
			strbuf_addf(&no->names[st], " and %zu more",
			    no->count[st] - NOOP_NAMES);
		strbuf_addf(sb, "%s%s %s already %s", sb->len ? "; " : "",
		    no->names[st].buf, no->count[st] > 1 ? "are" : "is",
		    proc_state_name((enum proc_state)st));
	}
}

/*
 * Before anything is done, every target must name something the request
 * can act on: "run" is every one-off, as for logs; a one-off is never
 * restarted; a type with no instance has nothing to stop or restart
 * (start runs one). -1 once the error is sent.
 */
static int
dispatch_check_control(struct peer *peer, const char **targets, size_t n,
    int what)
{
	const struct release *r = &formation.rel->release;
	struct member *mb;
	size_t i;
	int found;

	for (i = 0; i < n; i++) {
		found = 0;
		TAILQ_FOREACH(mb, &formation.members, entry) {
			if (mb->retired || !dispatch_matches(mb, targets[i]))
				continue;
			if (mb->oneoff && what == MSG_RESTART) {
				peer_error(peer, 1, "%s is a one-off: one-offs "
				    "are never restarted", proc_name(mb->proc));
				return -1;
			}
			found = 1;
		}
		if (found || (what == MSG_START &&
		    release_find(r, targets[i]) != NULL))
			continue;
		if (strcmp(targets[i], "run") == 0)
			peer_error(peer, 1, "no such process: no one-off is "
			    "running");
		else if (release_find(r, targets[i]) == NULL)
			peer_error(peer, 1, "no such process: %s is going "
			    "away (scaled down)", targets[i]);
		else
			peer_error(peer, 1, "no such process: '%s' has no "
			    "instance (scale %s=N to run some)", targets[i],
			    targets[i]);
		return -1;
	}
	return 0;
}

/*
 * start TYPE for a type with no instance runs one: fresh gets the
 * instances started so (n at most); returns how many.
 */
static size_t
dispatch_start_types(const char **targets, size_t n, struct member **fresh)
{
	size_t i, nfresh = 0;
	char *err;

	for (i = 0; i < n; i++) {
		err = NULL;
		if (release_find(&formation.rel->release, targets[i]) &&
		    formation_count(targets[i]) == 0 &&
		    formation_scale(targets[i], 1, &err) == 0 &&
		    (fresh[nfresh] = formation_instance(targets[i], 1)) !=
		    NULL)
			nfresh++;
		free(err);
	}
	return nfresh;
}

/* Does the request name mb (and not as a fresh instance)? */
static int
dispatch_names(const struct member *mb, const char **targets, size_t n,
    struct member **fresh, size_t nfresh)
{
	size_t i;

	if (mb->retired || (n == 0 && mb->oneoff))
		return 0;
	for (i = 0; i < nfresh; i++) {
		if (fresh[i] == mb)
			return 0;
	}
	for (i = 0; i < n && !dispatch_matches(mb, targets[i]); i++)
		;
	return n == 0 || i < n;
}

/* What a request did, and what it left alone: -1 if nothing (no such
 * process). */
static int
dispatch_control_text(struct strbuf *out, int what, size_t hit,
    struct noops *no)
{
	struct strbuf said = STRBUF_INIT;

	noops_say(no, &said);
	if (hit == 0 && no->n == 0)
		strbuf_addstr(out, "no such process: the formation has none");
	else if (hit == 0)
		strbuf_addstr(out, said.buf);
	else
		strbuf_addf(out, "%s %zu process%s%s%s%s",
		    what == MSG_RESTART ? "restarting" :
		    what == MSG_STOP ? "stopping" : "starting", hit,
		    hit == 1 ? "" : "es", said.len ? " (" : "",
		    said.len ? said.buf : "", said.len ? ")" : "");
	strbuf_release(&said);
	return hit == 0 && no->n == 0 ? -1 : 0;
}

static void
dispatch_control_reply(struct peer *peer, int what, size_t hit,
    struct noops *no)
{
	struct strbuf out = STRBUF_INIT;

	if (dispatch_control_text(&out, what, hit, no) == -1)
		peer_error(peer, 1, "%s", out.buf);
	else
		peer_ok(peer, "%s", out.buf);
	strbuf_release(&out);
}

/*
 * Does a restart of m roll (daemon/roll.h)? When its type has more than
 * one instance, or a readiness check: then the type never has more than
 * roll of them not ready. One instance with no check restarts at once.
 */
static int
dispatch_rolls(const struct member *m)
{
	struct member *q;
	int n = 0;

	if (m->oneoff)
		return 0;
	if (proc_has_check(m->proc))
		return 1;
	TAILQ_FOREACH(q, &formation.members, entry) {
		if (!q->oneoff && !q->retired && strcmp(q->type, m->type) == 0)
			n++;
	}
	return n > 1;
}

/* restart of m: by a roll, or at once (now, or it is not up). 1 if it
 * rolls. */
static int
dispatch_restart(struct member *m, int now)
{
	enum proc_state s = proc_state(m->proc);

	if (now || !dispatch_rolls(m) || !proc_wants_up(m->proc) ||
	    (s != PROC_RUNNING && s != PROC_STARTING)) {
		proc_restart(m->proc, "restart requested");
		return 0;
	}
	m->roll_due = 1;
	return 1;
}

/* A restart that rolls, its caller answered when the roll ends. */
static struct {
	struct peer	*caller;
	struct strbuf	 out;	/* what it hears if the roll passes */
} restarting = { NULL, STRBUF_INIT };

/* The roll of a restart is over: not ready, the caller hears which
 * instance and why (its last lines), and exits 1. */
static void
dispatch_rolled(enum roll_result result, const char *why, void *arg)
{
	struct peer *caller = restarting.caller;

	restarting.caller = NULL;
	if (caller == NULL)
		;
	else if (result == ROLL_OK)
		peer_ok(caller, "%s", restarting.out.buf);
	else if (result == ROLL_SUPERSEDED)
		peer_ok(caller, "%s; a reload took over the roll",
		    restarting.out.buf);
	else if (result == ROLL_STOPPED)
		peer_error(caller, 1, "%s, but the formation is stopping",
		    restarting.out.buf);
	else
		peer_error(caller, 1, "restart failed: %s\nthe instances not "
		    "restarted run on", why);
	strbuf_reset(&restarting.out);
}

/* The roll takes the time it takes: the caller waits without a limit. */
static void
dispatch_restart_progress(struct peer *peer)
{
	struct strbuf sb = STRBUF_INIT;

	msg_new(&sb, MSG_PROGRESS);
	msg_put_str(&sb, "rolling");
	msg_finish(&sb, 0);
	peer_send(peer, &sb);
	strbuf_release(&sb);
}

/*
 * restart, stop and start: the same walk over the targets; a restart
 * rolls unless now (restart --all-at-once). wait (MSG_RESTART_WAIT): the
 * answer comes when the roll this restart starts ends; one that joins a
 * roll under way is answered at once, as MSG_RESTART always is.
 */
static int
dispatch_control(struct peer *peer, struct msg *m, int what, int now,
    int wait)
{
	const char **targets;
	struct member *mb, *next, **fresh;
	struct noops no;
	size_t n, nfresh = 0, hit, rolled = 0;

	if (dispatch_strings(m, &targets, &n) == -1 || msg_end(m) == -1) {
		free(targets);
		return -1;
	}
	if (dispatch_check_targets(peer, targets, n) == -1 ||
	    dispatch_check_control(peer, targets, n, what) == -1) {
		free(targets);
		return 0;
	}
	fresh = xcalloc(n + 1, sizeof *fresh);
	if (what == MSG_START)
		nfresh = dispatch_start_types(targets, n, fresh);
	hit = nfresh;
	noops_init(&no);
	TAILQ_FOREACH_SAFE(mb, &formation.members, entry, next) {
		if (!dispatch_names(mb, targets, n, fresh, nfresh))
			continue;
		if (dispatch_noop(mb, what) ||
		    (mb->oneoff && what == MSG_START)) {
			noops_add(&no, mb);
			/* An exited one is not to be started again. */
			if (what == MSG_STOP)
				proc_stop(mb->proc, "stop requested");
			continue;
		}
		hit++;
		if (what == MSG_RESTART)
			rolled += dispatch_restart(mb, now);
		else if (what == MSG_STOP)
			proc_stop(mb->proc, "stop requested");
		else
			proc_start(mb->proc, "start requested");
	}
	free(targets);
	free(fresh);
	/* A roll under way takes them on; else one rolls them. */
	if (rolled > 0 && !roll_active() && wait) {
		dispatch_restart_progress(peer);
		(void)dispatch_control_text(&restarting.out, what, hit, &no);
		restarting.caller = peer;
		roll_start(0, "restart requested", dispatch_rolled, NULL);
		noops_release(&no);
		return 0;
	}
	if (rolled > 0 && !roll_active())
		roll_start(0, "restart requested", NULL, NULL);
	dispatch_control_reply(peer, what, hit, &no);
	noops_release(&no);
	return 0;
}

/* "web.1 running, web.2 stopped": what kill could have reached. */
static void
dispatch_list_states(struct strbuf *sb)
{
	struct member *mb;

	TAILQ_FOREACH(mb, &formation.members, entry)
		strbuf_addf(sb, "%s%s %s", sb->len ? ", " : "",
		    proc_name(mb->proc), proc_state_name(proc_state(mb->proc)));
}

/*
 * kill: a signal to the process group of every live target. What
 * formation wants of them is unchanged, so one that dies of it is
 * restarted by its policy. Nothing alive to signal is an error.
 */
static int
dispatch_kill(struct peer *peer, struct msg *m)
{
	struct strbuf done = STRBUF_INIT;
	const char **targets;
	struct member *mb;
	uint32_t sig;
	size_t n, i;

	if (msg_get_u32(m, &sig) == -1 || sig == 0 || sig >= NSIG)
		return -1;
	if (dispatch_strings(m, &targets, &n) == -1 || msg_end(m) == -1 ||
	    n == 0) {
		free(targets);
		return -1;
	}
	if (dispatch_check_targets(peer, targets, n) == -1) {
		free(targets);
		return 0;
	}
	TAILQ_FOREACH(mb, &formation.members, entry) {
		for (i = 0; i < n && !dispatch_matches(mb, targets[i]); i++)
			;
		if (i == n || !proc_alive(mb->proc) ||
		    proc_signal(mb->proc, (int)sig) == -1)
			continue;
		mb->signal = (int)sig;
		mb->signalled_at = time(NULL);
		strbuf_addf(&done, "%s%s", done.len ? ", " : "",
		    proc_name(mb->proc));
	}
	free(targets);
	if (done.len == 0) {
		dispatch_list_states(&done);
		peer_error(peer, 1, "no process to send %s to (processes: %s)",
		    signal_name((int)sig), done.len ? done.buf : "none");
	} else {
		output_system("%s sent to %s (kill requested)",
		    signal_name((int)sig), done.buf);
		peer_ok(peer, "sent %s to %s", signal_name((int)sig), done.buf);
	}
	strbuf_release(&done);
	return 0;
}

static int
dispatch_down(struct peer *peer, struct msg *m)
{
	if (msg_end(m) == -1)
		return -1;
	/* The connection stays open: its EOF tells the client we are gone. */
	peer_ok(peer, "stopping");
	output_system("down requested (pid %ld)", (long)peer->pid);
	formation_shutdown(0);
	return 0;
}

static int
dispatch_env(struct peer *peer, struct msg *m)
{
	const struct env *env = &formation.rel->release.env;
	struct strbuf sb = STRBUF_INIT;
	char rel[32];
	size_t i;

	if (msg_end(m) == -1)
		return -1;
	msg_new(&sb, MSG_ENV_REPLY);
	snprintf(rel, sizeof rel, "v%d", formation.rel->release.version);
	msg_put_str(&sb, rel);
	msg_put_u32(&sb, (uint32_t)env->n);
	for (i = 0; i < env->n; i++) {
		msg_put_str(&sb, env->vars[i].key);
		msg_put_str(&sb, env->vars[i].value);
		msg_put_str(&sb, env->vars[i].origin);
	}
	msg_finish(&sb, 0);
	peer_send(peer, &sb);
	strbuf_release(&sb);
	return 0;
}

static int
dispatch_signal(struct peer *peer, struct msg *m)
{
	uint32_t sig;

	if (msg_get_u32(m, &sig) == -1 || msg_end(m) == -1 || sig == 0 ||
	    sig >= NSIG)
		return -1;
	if (peer->oneoff != NULL)
		proc_signal(peer->oneoff, (int)sig);
	return 0;
}

int
dispatch(struct peer *peer, struct msg *m)
{
	switch (m->type) {
	case MSG_PS:
		return dispatch_ps(peer, m);
	case MSG_SCALE:
		return dispatch_scale(peer, m);
	case MSG_RESTART:
	case MSG_STOP:
	case MSG_START:
		return dispatch_control(peer, m, (int)m->type, 0, 0);
	case MSG_RESTART_NOW:
		return dispatch_control(peer, m, MSG_RESTART, 1, 0);
	case MSG_RESTART_WAIT:
		return dispatch_control(peer, m, MSG_RESTART, 0, 1);
	case MSG_LOGS:
	case MSG_LOGS_QUERY:
		return logreq_request(peer, m);
	case MSG_DOWN:
		return dispatch_down(peer, m);
	case MSG_ENV:
		return dispatch_env(peer, m);
	case MSG_SIGNAL:
		return dispatch_signal(peer, m);
	case MSG_KILL:
		return dispatch_kill(peer, m);
	case MSG_USAGE:
		return usage_request(peer, m);
	case MSG_ONEOFF:
	case MSG_RUN:
		return oneoff_request(peer, m);
	case MSG_RELOAD:
		return reload_request(peer, m);
	case MSG_RELEASES:
		return reload_releases(peer, m);
	case MSG_RELEASE_GET:
		return reload_release_get(peer, m);
	case MSG_ROLLBACK:
		return reload_rollback(peer, m);
	default:
		peer_error(peer, 125, "unknown request (type %u)", m->type);
		peer_close(peer);
		return 0;
	}
}

void
dispatch_peer_gone(struct peer *peer)
{
	logreq_peer_gone(peer);
	oneoff_peer_gone(peer);
	if (peer->oneoff != NULL)
		oneoff_caller_gone(peer->oneoff);
	peer->oneoff = NULL;
	reload_peer_gone(peer);
	usage_peer_gone(peer);
	if (restarting.caller == peer)
		restarting.caller = NULL;
}

void
dispatch_peer_drained(struct peer *peer)
{
	logreq_drained(peer);
}
