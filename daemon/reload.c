/*
 * Reload and rollback: build a new release (or take an old one's
 * content), make it current, and move the formation onto it.
 *
 * The move is rolling: per process type, one instance at a time is
 * stopped and started again on the new release, and the next one only
 * once that one runs again; the types move in parallel. A type gone from
 * the Procfile is stopped, a new type started at its count. One-offs keep
 * the release they started with. The roll is re-evaluated on every turn
 * of the loop (an ev_prepare watcher) rather than driven by callbacks, so
 * a stop, a crash or another reload in the middle needs no special case.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/build.h"
#include "common/diag.h"
#include "common/msg.h"
#include "common/relfile.h"
#include "common/xmalloc.h"
#include "daemon/codecheck.h"
#include "daemon/formation.h"
#include "daemon/notify.h"
#include "daemon/output.h"
#include "daemon/phase.h"
#include "daemon/reload.h"
#include "daemon/roll.h"
#include "daemon/server.h"
#include "daemon/sockets.h"
#include "daemon/status.h"
#include "common/store.h"

#define RELOAD_ERR_CONFIG	78
#define RELOAD_PHASE_LINES	10	/* of a failed phase, in the answer */


static struct {
	const struct settings_flags	*flags;
} reload;

/* A reload or rollback rolling onto its release: answered at the end. */
static struct {
	struct peer	*caller;	/* NULL: none (SIGHUP), or gone */
	struct rel	*rel;		/* rolled onto; NULL: no roll */
	int		 from;		/* a rollback's version; 0: reload */
	int		 parallel;	/* reload --parallel N; 0: roll */
	struct strbuf	 out;		/* the answer, if it goes well */
} rolling = { .out = STRBUF_INIT };

/* --parallel of the reload or rollback in hand, through its phase. */
static int next_parallel;


/* A reload or rollback waiting for its release's phase to end. */
static struct {
	struct peer	*caller;	/* to answer; NULL: none, or gone */
	struct settings	 settings;	/* a reload's, for the move */
	int		 has_settings;
	int		 from;		/* a rollback's version; 0: reload */
	struct strbuf	 out;		/* the answer so far */
} pending = { .out = STRBUF_INIT };

/* A reload waiting for git to say what the code is. */
static struct {
	struct codecheck	*check;
	struct peer		*caller;	/* NULL: SIGHUP's, or gone */
	int			 no_phase;
	int			 strict;	/* --strict: warnings are errors */
	int			 parallel;
} look;

static void reload_pending_release(void);

void
reload_init(const struct settings_flags *flags)
{
	reload.flags = flags;
	roll_init();
}

void
reload_free(void)
{
	roll_free();
	rel_unref(rolling.rel);
	rolling.rel = NULL;
	strbuf_release(&rolling.out);
	codecheck_cancel(look.check);
	look.check = NULL;
	reload_pending_release();
}

int
reload_build(struct settings *s, struct release *r, struct diags *d,
    const struct code_seen *seen)
{
	return build_release(reload.flags, s, r, d, seen);
}

/* One diagnostic per line of out, each also logged: errors first. */
static void
reload_report(const struct diags *d, struct strbuf *out)
{
	char buf[1024];
	size_t i;

	for (i = 0; i < d->nerrors + d->nwarnings; i++) {
		if (i < d->nerrors)
			diag_format(&d->errors[i], buf, sizeof buf);
		else
			diag_format(&d->warnings[i - d->nerrors], buf,
			    sizeof buf);
		strbuf_addf(out, "%s%s\n", i < d->nerrors ? "" : "warning: ",
		    buf);
		output_system("reload: %s%s", i < d->nerrors ? "" :
		    "warning: ", buf);
	}
}

/* Tell systemd the reload is over, whatever came of it; a roll under
 * way says so itself when it ends. */
static void
reload_ready(void)
{
	if (roll_active())
		return;
	notify_ready();
	status_send();
}

static void reload_answer(struct peer *, int, const char *);

/* After a failed roll onto rel: an instance that was restarted onto it
 * and is not ready goes back to the current release at once; those
 * that are ready run on until their next restart. */
static void
reload_restore(struct rel *rel)
{
	struct member *m;

	TAILQ_FOREACH(m, &formation.members, entry) {
		if (m->oneoff || m->retired || proc_rel(m->proc) != rel ||
		    !proc_wants_up(m->proc) ||
		    proc_readiness(m->proc) == PROC_READY_YES)
			continue;
		proc_restart(m->proc, "back to the current release");
	}
}

/*
 * The roll is over. Passed, the caller hears what it was told at the
 * start. Failed, the new release is marked failed, the one before is
 * current again, and the caller hears which instance was not ready (the
 * instances already replaced run on, on the new release, until they
 * restart).
 */
static void
reload_rolled(enum roll_result result, const char *why, void *arg)
{
	struct strbuf out = STRBUF_INIT;
	struct rel *rel = rolling.rel, *cur;
	int rc = 0;

	if (result == ROLL_OK) {
		output_system("%s: v%d", rolling.from > 0 ? "rolled back" :
		    "reloaded", rel->release.version);
		strbuf_add(&out, rolling.out.buf, rolling.out.len);
	} else if (result == ROLL_SUPERSEDED) {
		strbuf_addf(&out, "%s; a newer reload took over the roll",
		    rolling.out.buf);
	} else if (result == ROLL_STOPPED) {
		strbuf_addf(&out, "%s, but the formation is stopping",
		    rolling.out.buf);
		rc = 1;
	} else {
		if (store_settle(rel, RELEASE_FAILED) == -1)
			output_system("cannot mark v%d failed: %s",
			    rel->release.version, strerror(errno));
		cur = store_current();
		if (cur != NULL && cur != rel) {
			formation_reload(cur, NULL);
			formation_roll_clear();
			reload_restore(rel);
		}
		output_system("%s of v%d failed; v%d is current", rolling.from >
		    0 ? "rollback" : "reload", rel->release.version,
		    formation.rel->release.version);
		strbuf_addf(&out, "%s failed: %s\nv%d is marked failed; v%d is "
		    "current, the instances not replaced run on", rolling.from >
		    0 ? "rollback" : "reload", why, rel->release.version,
		    formation.rel->release.version);
		rc = 1;
	}
	reload_answer(rolling.caller, rc, out.buf);
	rolling.caller = NULL;
	strbuf_release(&out);
	strbuf_reset(&rolling.out);
	rel_unref(rolling.rel);
	rolling.rel = NULL;
	reload_ready();
}

static void reload_moved(struct strbuf *, struct rel *, size_t, int);
static void reload_progress(struct peer *, const struct rel *,
    const char *);

/*
 * Make rel current with settings s (NULL: keep them) and roll onto it;
 * caller (NULL: none) is answered when the roll ends, with what out
 * holds and the news of the move.
 */
static void
reload_move(struct peer *caller, struct rel *rel, struct settings *s,
    int from, struct strbuf *out)
{
	size_t n;

	/* The sockets it listens on, bound before, are its now. */
	sockets_commit();
	output_system("%s: v%d -> v%d", from > 0 ? "rolling back" :
	    "reloading", formation.rel->release.version,
	    rel->release.version);
	/* A roll under way is taken over: its caller hears so now. */
	if (rolling.rel != NULL) {
		roll_detach();
		reload_rolled(ROLL_SUPERSEDED, NULL, NULL);
	}
	n = formation_reload(rel, s);
	/* The roll takes the time it takes: the caller waits for it. */
	if (caller != NULL)
		reload_progress(caller, rel, "rolling onto");
	rolling.caller = caller;
	rolling.from = from;
	rolling.parallel = next_parallel;
	rolling.rel = rel_ref(rel);
	strbuf_reset(&rolling.out);
	strbuf_add(&rolling.out, out->buf, out->len);
	reload_moved(&rolling.out, rel, n, from);
	roll_start(rolling.parallel, from > 0 ? "rollback" : "reload",
	    reload_rolled, NULL);
}

/* Answer the caller of a reload or rollback (none: SIGHUP, or gone);
 * the lines are logged already. */
static void
reload_answer(struct peer *caller, int rc, const char *text)
{
	if (caller == NULL)
		return;
	if (rc == 0)
		peer_ok(caller, "%s", text);
	else
		peer_error(caller, (uint32_t)rc, "%s", text);
}

/* "reloaded: v2 (3 processes restarting)", or "rolled back to v1: v3". */
static void
reload_moved(struct strbuf *out, struct rel *rel, size_t n, int from)
{
	if (from > 0)
		strbuf_addf(out, "rolled back to v%d: ", from);
	else
		strbuf_addstr(out, "reloaded: ");
	strbuf_addf(out, "v%d (%zu process%s restarting)",
	    rel->release.version, n, n == 1 ? "" : "es");
}

static void
reload_pending_release(void)
{
	settings_release(&pending.settings);
	pending.has_settings = 0;
	pending.caller = NULL;
	pending.from = 0;
	strbuf_release(&pending.out);
}

/*
 * The release phase of the release a reload or rollback made has ended:
 * passed, the formation moves onto it; failed, the release is marked so
 * and the formation runs on, untouched.
 */
static void
reload_phase_done(struct rel *rel, int code, const char *why, void *arg)
{
	struct strbuf *out = &pending.out;
	int rc = 0;

	if (store_settle(rel, code == 0 ? RELEASE_OK : RELEASE_FAILED) == -1) {
		strbuf_addf(out, "cannot write the outcome of v%d's release "
		    "phase: %s; v%d is still running", rel->release.version,
		    strerror(errno), formation.rel->release.version);
		rc = 1;
	} else if (code == 0 && !formation.shutting_down) {
		output_system("release phase of v%d passed",
		    rel->release.version);
		strbuf_addf(out, "release phase of v%d passed\n",
		    rel->release.version);
		reload_move(pending.caller, rel, pending.has_settings ?
		    &pending.settings : NULL, pending.from, out);
		pending.caller = NULL;	/* answered at the end of the roll */
	} else if (code == 0) {
		strbuf_addf(out, "release phase of v%d passed, but the "
		    "formation is stopping", rel->release.version);
		rc = 1;
	} else {
		output_system("release phase of v%d failed: %s; v%d is still "
		    "running", rel->release.version, why,
		    formation.rel->release.version);
		strbuf_addf(out, "release phase of v%d failed: %s; v%d is still "
		    "running\n", rel->release.version, why,
		    formation.rel->release.version);
		phase_last_lines(out, RELOAD_PHASE_LINES);
		while (out->len > 0 && out->buf[out->len - 1] == '\n')
			strbuf_setlen(out, out->len - 1);
		rc = 1;
	}
	reload_answer(pending.caller, rc, out->buf);
	reload_pending_release();
	if (rc != 0) {
		sockets_abort();
		reload_ready();
	}
}

/* The caller is told at once that the answer waits for the release
 * phase, or a roll, so that it waits without its usual limit. */
static void
reload_progress(struct peer *caller, const struct rel *rel, const char *what)
{
	struct strbuf sb = STRBUF_INIT, text = STRBUF_INIT;

	strbuf_addf(&text, "%s v%d", what, rel->release.version);
	msg_new(&sb, MSG_PROGRESS);
	msg_put_str(&sb, text.buf);
	msg_finish(&sb, 0);
	peer_send(caller, &sb);
	strbuf_release(&sb);
	strbuf_release(&text);
}

/* Run the release phase of rel before moving on; the caller hears then.
 * s (a reload's settings, or NULL) is taken. */
static void
reload_phase(struct peer *caller, struct rel *rel, struct settings *s,
    int from, struct strbuf *out)
{
	/* The timeout the new settings give, as they come with it. */
	int timeout = (s != NULL ? s : formation.settings)->phase_timeout_ms;

	reload_pending_release();
	if (caller != NULL)
		reload_progress(caller, rel, "running the release phase of");
	pending.caller = caller;
	pending.from = from;
	if (s != NULL) {
		pending.settings = *s;
		pending.has_settings = 1;
		settings_init(s);
	}
	strbuf_add(&pending.out, out->buf, out->len);
	phase_start(rel, timeout, reload_phase_done, NULL);
}

/*
 * Why a reload found no change although the env files did: the keys
 * they changed that the inherited environment overrides, as
 * " (DEBUG in .env is overridden by the environment formationd started
 * with)"; nothing when there are none.
 */
static void
reload_overridden(const struct release *r, const struct release *cur,
    struct strbuf *out)
{
	const struct env_var *v, *was, *final;
	size_t i, n = 0, len;

	for (i = 0; i < r->file_env.n; i++) {
		v = &r->file_env.vars[i];
		was = env_find(&cur->file_env, v->key);
		final = env_find(&r->env, v->key);
		if ((was != NULL && strcmp(was->value, v->value) == 0) ||
		    final == NULL || final->origin == NULL ||
		    v->origin == NULL || strcmp(final->origin, v->origin) == 0)
			continue;
		/* The origin is FILE:LINE: the file. */
		len = strlen(v->origin);
		if (strrchr(v->origin, ':') != NULL)
			len = (size_t)(strrchr(v->origin, ':') - v->origin);
		strbuf_addf(out, "%s%s in %.*s", n == 0 ? " (" : ", ", v->key,
		    (int)len, v->origin);
		n++;
	}
	if (n > 0)
		strbuf_addf(out, " %s overridden by the environment formationd "
		    "started with)", n == 1 ? "is" : "are");
}

/*
 * Build from the files and move onto the result. The caller (NULL for
 * SIGHUP) is answered, one line each, now or once the release phase has
 * ended: 0, 1 or 78.
 */
static void
reload_run(struct peer *caller, int no_phase, int strict,
    const struct code_seen *seen, int parallel)
{
	struct strbuf out = STRBUF_INIT, why = STRBUF_INIT, over = STRBUF_INIT;
	struct settings s;
	struct release r;
	struct diags d;
	struct rel *cur = store_current(), *rel = NULL;
	char *err = NULL;
	int rc, phase = 0;

	notify_reloading();
	next_parallel = parallel;
	settings_init(&s);
	release_init(&r);
	diags_init(&d);
	rc = reload_build(&s, &r, &d, seen);
	if (strict) {
		diags_strict(&d);
		if (d.nerrors > 0)
			rc = -1;
	}
	r.reason = xstrdup("reload");
	reload_report(&d, &out);
	/* Before the store takes r, for a "no change". */
	if (rc == 0)
		reload_overridden(&r, &cur->release, &over);
	if (rc == 0 && (phase = !no_phase && phase_needed(&r)))
		r.status = RELEASE_PENDING;
	if (rc == -1) {
		strbuf_addf(&out, "reload failed: %zu error%s; v%d is still "
		    "running", d.nerrors, d.nerrors == 1 ? "" : "s",
		    cur->release.version);
		output_system("reload failed: v%d is still running",
		    cur->release.version);
		rc = RELOAD_ERR_CONFIG;
	} else if (sockets_stage(&r, &s, &err) == -1) {
		/* A new address is bound before the release is made. */
		strbuf_addf(&out, "reload failed: %s; v%d is still running",
		    err, cur->release.version);
		output_system("reload failed: %s; v%d is still running", err,
		    cur->release.version);
		free(err);
		rc = 1;
	} else if ((rel = store_add(&r)) == NULL) {
		strbuf_addf(&out, "reload failed: cannot write the release: %s",
		    strerror(errno));
		output_system("reload failed: cannot write the release");
		rc = 1;
	} else if (rel == cur) {
		sockets_commit();
		formation_reload(rel, &s);
		strbuf_addf(&why, "no change: v%d is current%s",
		    rel->release.version, over.buf);
		strbuf_add(&out, why.buf, why.len);
		output_system("reload: %s", why.buf);
	} else if (phase) {
		reload_phase(caller, rel, &s, 0, &out);
		caller = NULL;	/* answered then */
	} else {
		reload_move(caller, rel, &s, 0, &out);
		caller = NULL;	/* answered at the end of the roll */
	}
	reload_answer(caller, rc, out.buf);
	if (rc != 0)
		sockets_abort();
	if (rc != 0 || rel == cur)
		reload_ready();
	release_release(&r);
	settings_release(&s);
	diags_release(&d);
	strbuf_release(&out);
	strbuf_release(&why);
	strbuf_release(&over);
}

/* git has said what the code of the work tree is: build. */
static void
reload_looked(const struct code *code, int rc, const char *warn, void *arg)
{
	struct code_seen seen = { code, rc, warn };
	struct peer *caller = look.caller;

	look.check = NULL;
	look.caller = NULL;
	if (formation.shutting_down) {
		reload_answer(caller, 1, "cannot reload: the formation is "
		    "stopping");
		return;
	}
	reload_run(caller, look.no_phase, look.strict, &seen, look.parallel);
}

/* Reload once git has said what the code is, in a child: the loop goes
 * on meanwhile. Without git to ask (no code, or no child), now. */
static void
reload_look(struct peer *caller, int no_phase, int strict, int parallel)
{
	const char *root = formation.settings->root;

	if (formation.settings->code != SETTINGS_CODE_NONE && root != NULL &&
	    (look.check = codecheck_start(root, CODE_TIMEOUT_MS,
	    reload_looked, NULL)) != NULL) {
		look.caller = caller;
		look.no_phase = no_phase;
		look.strict = strict;
		look.parallel = parallel;
		return;
	}
	reload_run(caller, no_phase, strict, NULL, parallel);
}

/* Why a reload or rollback cannot be done now, or NULL. */
static const char *
reload_busy(void)
{
	if (formation.shutting_down)
		return "the formation is stopping";
	if (look.check != NULL)
		return "a reload is under way";
	if (phase_running() != NULL)
		return "a release phase is running";
	return NULL;
}

/* The flags after a reload's or rollback's payload, when given, and
 * the instances at a time of --parallel (0: each type's roll). */
static int
reload_flags(struct msg *m, uint32_t *flags, int *parallel)
{
	uint32_t n = 0;

	*flags = 0;
	if (m->off < m->len && msg_get_u32(m, flags) == -1)
		return -1;
	if ((*flags & ~(RELOAD_NO_RELEASE_PHASE | RELOAD_STRICT |
	    RELOAD_PARALLEL)) != 0)
		return -1;
	if ((*flags & RELOAD_PARALLEL) && (msg_get_u32(m, &n) == -1 ||
	    n < 1 || n > 10000))
		return -1;
	*parallel = (int)n;
	return msg_end(m);
}

int
reload_request(struct peer *peer, struct msg *m)
{
	const char *busy;
	uint32_t flags;
	int parallel;

	if (reload_flags(m, &flags, &parallel) == -1)
		return -1;
	if ((busy = reload_busy()) != NULL) {
		peer_error(peer, 1, "cannot reload: %s", busy);
		return 0;
	}
	output_system("reload requested (pid %ld)", (long)peer->pid);
	reload_look(peer, (flags & RELOAD_NO_RELEASE_PHASE) != 0,
	    (flags & RELOAD_STRICT) != 0, parallel);
	return 0;
}

void
reload_signal(void)
{
	const char *busy;

	if ((busy = reload_busy()) != NULL) {
		output_system("SIGHUP received: cannot reload: %s", busy);
		return;
	}
	output_system("SIGHUP received: reloading");
	reload_look(NULL, 0, 0, 0);	/* every line is logged already */
}

void
reload_peer_gone(struct peer *peer)
{
	if (pending.caller == peer)
		pending.caller = NULL;
	if (look.caller == peer)
		look.caller = NULL;
	if (rolling.caller == peer)
		rolling.caller = NULL;
}

static void
reload_put_release(struct strbuf *sb, const struct release *r, int current)
{
	char code[CODE_ID_MAX];
	size_t i;

	msg_put_u32(sb, (uint32_t)r->version);
	msg_put_u64(sb, (uint64_t)r->created_at);
	msg_put_u32(sb, (uint32_t)current);
	msg_put_u32(sb, (uint32_t)r->nprocs);
	for (i = 0; i < r->nprocs; i++) {
		msg_put_str(sb, r->procs[i].name);
		msg_put_str(sb, r->procs[i].command);
	}
	msg_put_u32(sb, (uint32_t)r->file_env.n);
	for (i = 0; i < r->file_env.n; i++)
		msg_put_str(sb, r->file_env.vars[i].key);
	code_id(&r->code, 0, code);
	msg_put_str(sb, code);
	msg_put_str(sb, r->reason != NULL ? r->reason : "");
	msg_put_str(sb, r->summary != NULL ? r->summary : "");
	msg_put_str(sb, release_status_name(r->status));
}

int
reload_releases(struct peer *peer, struct msg *m)
{
	struct strbuf sb = STRBUF_INIT;
	struct rel *rel;
	size_t i, n = store_count();

	if (msg_end(m) == -1)
		return -1;
	msg_new(&sb, MSG_RELEASES_REPLY);
	msg_put_u32(&sb, (uint32_t)n);
	for (i = 0; i < n; i++) {
		rel = store_get(i);
		reload_put_release(&sb, &rel->release,
		    rel == store_current());
	}
	msg_finish(&sb, 0);
	peer_send(peer, &sb);
	strbuf_release(&sb);
	return 0;
}

/* "no release v9 (releases: v1, v2)" */
static void
reload_no_release(struct peer *peer, uint32_t version)
{
	char *msg = store_no_release(version);

	peer_error(peer, 1, "%s", msg);
	free(msg);
}

/* One whole release, as its file holds it, for releases diff and show. */
int
reload_release_get(struct peer *peer, struct msg *m)
{
	struct strbuf sb = STRBUF_INIT, text = STRBUF_INIT;
	struct rel *rel;
	uint32_t version;

	if (msg_get_u32(m, &version) == -1 || msg_end(m) == -1)
		return -1;
	if (version > 0x7fffffff || (rel = store_find((int)version)) == NULL) {
		reload_no_release(peer, version);
		return 0;
	}
	relfile_write(&rel->release, &text);
	msg_new(&sb, MSG_RELEASE_REPLY);
	msg_put_u32(&sb, rel == store_current());
	msg_put_str(&sb, text.buf);
	msg_finish(&sb, 0);
	peer_send(peer, &sb);
	strbuf_release(&text);
	strbuf_release(&sb);
	return 0;
}

int
reload_rollback(struct peer *peer, struct msg *m)
{
	struct strbuf out = STRBUF_INIT;
	struct rel *old, *cur = store_current(), *rel;
	const char *busy;
	uint32_t version, flags;
	char *err;
	int phase, parallel;

	if (msg_get_u32(m, &version) == -1 ||
	    reload_flags(m, &flags, &parallel) == -1)
		return -1;
	if (version > 0x7fffffff || (old = store_find((int)version)) == NULL) {
		reload_no_release(peer, version);
		return 0;
	}
	if ((busy = reload_busy()) != NULL) {
		peer_error(peer, 1, "cannot roll back: %s", busy);
		return 0;
	}
	if (old == cur) {
		peer_ok(peer, "no change: v%d is current",
		    cur->release.version);
		return 0;
	}
	if (strcmp(old->release.hash, cur->release.hash) == 0) {
		peer_ok(peer, "no change: v%d, the current release, has the "
		    "content of v%u", cur->release.version, version);
		return 0;
	}
	if (sockets_stage(&old->release, formation.settings, &err) == -1) {
		peer_error(peer, 1, "cannot roll back: %s; v%d is still "
		    "running", err, cur->release.version);
		output_system("rollback failed: %s", err);
		free(err);
		return 0;
	}
	output_system("rollback to v%u requested (pid %ld)", version,
	    (long)peer->pid);
	notify_reloading();
	phase = !(flags & RELOAD_NO_RELEASE_PHASE) &&
	    phase_needed(&old->release);
	if ((rel = store_rollback((int)version, formation.settings, phase ?
	    RELEASE_PENDING : RELEASE_OK)) == NULL) {
		peer_error(peer, 1, "cannot write the release: %s",
		    strerror(errno));
		sockets_abort();
		reload_ready();
		return 0;
	}
	next_parallel = parallel;
	if (phase)
		reload_phase(peer, rel, NULL, (int)version, &out);
	else
		reload_move(peer, rel, NULL, (int)version, &out);
	strbuf_release(&out);
	return 0;
}
