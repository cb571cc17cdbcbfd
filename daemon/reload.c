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

#include "common/diag.h"
#include "common/msg.h"
#include "common/relfile.h"
#include "common/xmalloc.h"
#include "daemon/formation.h"
#include "daemon/notify.h"
#include "daemon/output.h"
#include "daemon/reload.h"
#include "daemon/server.h"
#include "common/store.h"

#define RELOAD_ERR_CONFIG	78

extern char **environ;

static struct {
	const struct settings_flags	*flags;
	ev_prepare			 roll;
	const char			*why;		/* of the roll */
} reload;

static void reload_roll_cb(struct ev_loop *, ev_prepare *, int);

void
reload_init(const struct settings_flags *flags)
{
	reload.flags = flags;
	ev_prepare_init(&reload.roll, reload_roll_cb);
}

void
reload_free(void)
{
	ev_prepare_stop(EV_DEFAULT, &reload.roll);
}

/* Does the formation spec text v give a count to name? */
static int
reload_spec_names(const char *v, const char *name)
{
	struct formspec fs;
	char *err = NULL;
	size_t i;
	int found = 0;

	if (v == NULL || *v == '\0')
		return 0;
	formspec_init(&fs);
	if (formspec_parse(&fs, v, &err) == 0) {
		for (i = 0; i < fs.n; i++)
			found |= strcmp(fs.entries[i].name, name) == 0;
	}
	formspec_release(&fs);
	free(err);
	return found;
}

/* Where a count came from, the last layer first: -m, FORMATION_SCALE,
 * else formation.ini. */
static const char *
reload_scale_origin(const struct settings *s, const char *name)
{
	if (reload_spec_names(reload.flags->scale, name))
		return "-m";
	if (reload_spec_names(getenv("FORMATION_SCALE"), name))
		return "FORMATION_SCALE";
	return settings_label(s, s->config_file);
}

/* Every count must name a type of the release, as at up. */
static void
reload_check_scale(const struct settings *s, const struct release *r,
    struct diags *d)
{
	const struct formspec *fs = &s->scale;
	struct strbuf types = STRBUF_INIT;
	size_t i;

	for (i = 0; i < r->nprocs; i++)
		strbuf_addf(&types, "%s%s", i > 0 ? ", " : "",
		    r->procs[i].name);
	for (i = 0; i < fs->n; i++) {
		if (release_find(r, fs->entries[i].name) != NULL)
			continue;
		diag_error(d, reload_scale_origin(s, fs->entries[i].name), 0,
		    "no process type '%s' in %s to scale (types: %s)",
		    fs->entries[i].name, settings_label(s, s->procfile),
		    types.buf);
	}
	strbuf_release(&types);
}

/* As check does, the files are read even when the settings failed, as
 * long as they name them, so that one build reports every error. */
int
reload_build(struct settings *s, struct release *r, struct diags *d)
{
	size_t before = d->nerrors;

	if (settings_load(s, reload.flags, environ, d) == -1 &&
	    (s->root == NULL || s->procfile == NULL))
		return -1;
	if (release_build(r, s, environ, d) == 0)
		reload_check_scale(s, r, d);
	return d->nerrors > before ? -1 : 0;
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

/* Is m on its way to the new release: stopped so that it starts again? */
static int
reload_in_flight(const struct member *m)
{
	return !m->oneoff && !m->retired && proc_has_next_spec(m->proc) &&
	    proc_state(m->proc) == PROC_STOPPING;
}

/* Is m up on an old release, to be restarted? */
static int
reload_due(const struct member *m)
{
	enum proc_state s = proc_state(m->proc);

	return !m->oneoff && !m->retired && proc_has_next_spec(m->proc) &&
	    proc_wants_up(m->proc) &&
	    (s == PROC_RUNNING || s == PROC_BACKOFF);
}

/* Tell systemd the reload is over, whatever came of it; a roll under
 * way says so itself when it ends. */
static void
reload_ready(void)
{
	const struct release *r = &formation.rel->release;
	size_t n = formation_alive();

	if (ev_is_active(&reload.roll))
		return;
	notify_ready();
	notify_status("formation v%d in %s: %zu process%s", r->version,
	    r->root, n, n == 1 ? "" : "es");
}

static void
reload_done(void)
{
	ev_prepare_stop(EV_DEFAULT, &reload.roll);
	output_system("%s: v%d", strcmp(reload.why, "rollback") == 0 ?
	    "rolled back" : "reloaded", formation.rel->release.version);
	reload_ready();
}

/* Per type, restart the next instance once none is in flight. */
static void
reload_roll(void)
{
	struct member *m, *q;
	size_t left = 0;

	if (formation.shutting_down) {
		ev_prepare_stop(EV_DEFAULT, &reload.roll);
		return;
	}
	TAILQ_FOREACH(m, &formation.members, entry) {
		if (!reload_due(m) && !reload_in_flight(m))
			continue;
		left++;
		TAILQ_FOREACH(q, &formation.members, entry) {
			if (strcmp(q->type, m->type) == 0 &&
			    reload_in_flight(q))
				break;
		}
		if (q == NULL && reload_due(m))
			proc_restart(m->proc, reload.why);
	}
	if (left == 0)
		reload_done();
}

static void
reload_roll_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	reload_roll();
}

/* Make rel current with settings s (NULL: keep them) and start the roll.
 * Returns how many processes restart. */
static size_t
reload_move(struct rel *rel, struct settings *s, const char *why)
{
	size_t n;

	output_system("%s: v%d -> v%d", strcmp(why, "rollback") == 0 ?
	    "rolling back" : "reloading", formation.rel->release.version,
	    rel->release.version);
	n = formation_reload(rel, s);
	reload.why = why;
	ev_prepare_start(EV_DEFAULT, &reload.roll);
	reload_roll();
	return n;
}

/*
 * Build from the files and move onto the result. The reply goes into
 * out, one line each; returns the CLI's exit status (0, 1 or 78).
 */
static int
reload_run(struct strbuf *out)
{
	struct settings s;
	struct release r;
	struct diags d;
	struct rel *cur = store_current(), *rel = NULL;
	size_t n;
	int rc;

	notify_reloading();
	settings_init(&s);
	release_init(&r);
	diags_init(&d);
	rc = reload_build(&s, &r, &d);
	r.reason = xstrdup("reload");
	reload_report(&d, out);
	if (rc == -1) {
		strbuf_addf(out, "reload failed: %zu error%s; v%d is still "
		    "running", d.nerrors, d.nerrors == 1 ? "" : "s",
		    cur->release.version);
		output_system("reload failed: v%d is still running",
		    cur->release.version);
		rc = RELOAD_ERR_CONFIG;
	} else if ((rel = store_add(&r)) == NULL) {
		strbuf_addf(out, "reload failed: cannot write the release: %s",
		    strerror(errno));
		output_system("reload failed: cannot write the release");
		rc = 1;
	} else if (rel == cur) {
		formation_reload(rel, &s);
		strbuf_addf(out, "no change: v%d is current",
		    rel->release.version);
		output_system("reload: no change: v%d is current",
		    rel->release.version);
	} else {
		n = reload_move(rel, &s, "reload");
		strbuf_addf(out, "reloaded: v%d (%zu process%s restarting)",
		    rel->release.version, n, n == 1 ? "" : "es");
	}
	if (rc != 0 || rel == cur)
		reload_ready();
	release_release(&r);
	settings_release(&s);
	diags_release(&d);
	return rc;
}

int
reload_request(struct peer *peer, struct msg *m)
{
	struct strbuf out = STRBUF_INIT;
	int rc;

	if (msg_end(m) == -1)
		return -1;
	if (formation.shutting_down) {
		peer_error(peer, 1, "cannot reload: the formation is stopping");
		return 0;
	}
	output_system("reload requested (pid %ld)", (long)peer->pid);
	rc = reload_run(&out);
	if (rc == 0)
		peer_ok(peer, "%s", out.buf);
	else
		peer_error(peer, (uint32_t)rc, "%s", out.buf);
	strbuf_release(&out);
	return 0;
}

void
reload_signal(void)
{
	struct strbuf out = STRBUF_INIT;

	if (formation.shutting_down) {
		output_system("SIGHUP received: the formation is stopping");
		return;
	}
	output_system("SIGHUP received: reloading");
	reload_run(&out);	/* every line is logged already */
	strbuf_release(&out);
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
	struct rel *old, *cur = store_current(), *rel;
	uint32_t version;
	size_t n;

	if (msg_get_u32(m, &version) == -1 || msg_end(m) == -1)
		return -1;
	if (version > 0x7fffffff || (old = store_find((int)version)) == NULL) {
		reload_no_release(peer, version);
		return 0;
	}
	if (formation.shutting_down) {
		peer_error(peer, 1, "cannot roll back: the formation is "
		    "stopping");
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
	output_system("rollback to v%u requested (pid %ld)", version,
	    (long)peer->pid);
	notify_reloading();
	if ((rel = store_rollback((int)version, formation.settings)) == NULL) {
		peer_error(peer, 1, "cannot write the release: %s",
		    strerror(errno));
		reload_ready();
		return 0;
	}
	n = reload_move(rel, NULL, "rollback");
	peer_ok(peer, "rolled back to v%u: v%d (%zu process%s restarting)",
	    version, rel->release.version, n, n == 1 ? "" : "es");
	return 0;
}
