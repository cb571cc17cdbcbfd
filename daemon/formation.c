#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/command.h"
#include "common/log.h"
#include "common/util.h"
#include "common/waitstatus.h"
#include "common/xmalloc.h"
#include "daemon/escapee.h"
#include "daemon/formation.h"
#include "daemon/status.h"
#include "daemon/notify.h"
#include "daemon/notifysock.h"
#include "daemon/output.h"
#include "daemon/sockets.h"
#include "common/store.h"

#define SWEEP_INTERVAL	0.05

struct formation formation;

static void formation_reaper_cb(struct ev_loop *, ev_child *, int);
static void formation_sweep_cb(struct ev_loop *, ev_timer *, int);
static void formation_gc_cb(struct ev_loop *, ev_prepare *, int);
static void formation_check_down(void);

/* Did up TYPE... name this type (or name none)? */
static int
formation_named(const char *type)
{
	size_t i;

	if (formation.nonly == 0)
		return 1;
	for (i = 0; i < formation.nonly; i++) {
		if (strcmp(formation.only[i], type) == 0)
			return 1;
	}
	return 0;
}

/* up TYPE...: the configured counts of the other types do not apply; a
 * later scale of one does. */
static void
formation_filter_counts(void)
{
	struct formspec kept;
	const struct formspec_entry *e;
	size_t i;

	formspec_init(&kept);
	kept.all = formation.counts.all;
	for (i = 0; i < formation.counts.n; i++) {
		e = &formation.counts.entries[i];
		if (formation_named(e->name))
			formspec_set(&kept, e->name, e->count);
	}
	formspec_release(&formation.counts);
	formation.counts = kept;
}

void
formation_init(struct settings *s, char **only, size_t nonly, int exit_on_exit)
{
	memset(&formation, 0, sizeof formation);
	formation.settings = s;
	TAILQ_INIT(&formation.members);
	TAILQ_INIT(&formation.graveyard);
	formspec_init(&formation.counts);
	formspec_copy(&formation.counts, &s->scale);
	formation.only = only;
	formation.nonly = nonly;
	formation_filter_counts();
	formation.exit_on_exit = exit_on_exit;
	formation.exit_status = -1;
	formation.umask = umask(022);
	umask(formation.umask);
	ev_child_init(&formation.reaper, formation_reaper_cb, 0, 0);
	ev_child_start(EV_DEFAULT, &formation.reaper);
	ev_timer_init(&formation.sweep, formation_sweep_cb, SWEEP_INTERVAL,
	    SWEEP_INTERVAL);
	ev_prepare_init(&formation.gc, formation_gc_cb);
}

static void
formation_member_free(struct member *m)
{
	proc_free(m->proc);
	free(m->type);
	free(m);
}

static void
formation_gc_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct member *m;

	while ((m = TAILQ_FIRST(&formation.graveyard)) != NULL) {
		TAILQ_REMOVE(&formation.graveyard, m, entry);
		formation_member_free(m);
	}
	ev_prepare_stop(loop, w);
}

void
formation_free(void)
{
	struct member *m;

	while ((m = TAILQ_FIRST(&formation.members)) != NULL) {
		TAILQ_REMOVE(&formation.members, m, entry);
		formation_member_free(m);
	}
	formation_gc_cb(EV_DEFAULT, &formation.gc, 0);
	escapee_forget();
	ev_child_stop(EV_DEFAULT, &formation.reaper);
	ev_timer_stop(EV_DEFAULT, &formation.sweep);
	formspec_release(&formation.counts);
	rel_unref(formation.rel);
	formation.rel = NULL;
}

struct member *
formation_member_new(struct proc *p, const char *type, int instance,
    int index, int oneoff)
{
	struct member *m;

	m = xcalloc(1, sizeof *m);
	m->proc = p;
	m->type = xstrdup(type);
	m->instance = instance;
	m->index = index;
	m->oneoff = oneoff;
	return m;
}

void
formation_dispose(struct member *m)
{
	if (m->disposed)
		return;
	m->disposed = 1;
	TAILQ_REMOVE(&formation.members, m, entry);
	TAILQ_INSERT_TAIL(&formation.graveyard, m, entry);
	ev_prepare_start(EV_DEFAULT, &formation.gc);
	status_changed();
	/* A one-off may be the last to go. */
	if (formation.shutting_down)
		formation_check_down();
}

void
formation_set_release(struct rel *rel)
{
	rel_ref(rel);
	rel_unref(formation.rel);
	formation.rel = rel;
}

struct member *
formation_find(const char *name)
{
	struct member *m;

	TAILQ_FOREACH(m, &formation.members, entry) {
		if (strcmp(proc_name(m->proc), name) == 0)
			return m;
	}
	return NULL;
}

struct member *
formation_instance(const char *type, int instance)
{
	struct member *m, *gone = NULL;

	/* After a roll, the instance that replaced a retired one. */
	TAILQ_FOREACH(m, &formation.members, entry) {
		if (m->oneoff || m->incoming || m->instance != instance ||
		    strcmp(m->type, type) != 0)
			continue;
		if (!m->retired)
			return m;
		gone = m;
	}
	return gone;
}

struct member *
formation_member(const struct proc *p)
{
	struct member *m;

	TAILQ_FOREACH(m, &formation.members, entry) {
		if (m->proc == p)
			return m;
	}
	return NULL;
}

size_t
formation_alive(void)
{
	struct member *m;
	size_t n = 0;

	TAILQ_FOREACH(m, &formation.members, entry)
		n += proc_alive(m->proc);
	return n;
}

int
formation_count(const char *type)
{
	size_t i;

	/* It runs once per new release, before the formation. */
	if (strcmp(type, RELEASE_PHASE_TYPE) == 0)
		return 0;
	/* up TYPE...: the others run only once scaled explicitly. */
	for (i = 0; i < formation.counts.n; i++) {
		if (strcmp(formation.counts.entries[i].name, type) == 0)
			return formation.counts.entries[i].count;
	}
	if (!formation_named(type))
		return 0;
	return formspec_count(&formation.counts, type);
}

static void formation_proc_cb(struct proc *, int, void *);

/* Will m start again on its next spec? Not if it is on its way out, or
 * to be replaced by a new instance beside it (unless a roll restarts it
 * in its place after all: rolling). */
static int
formation_restarts_onto_next(const struct member *m)
{
	return !m->retired && !(m->roll_due && !m->rolling &&
	    release_type_settings(&formation.rel->release, m->type).overlap);
}

/* A set of ports, one bit a port. */
#define FORMATION_PORT_BYTES	(65536 / 8)

static void
formation_port_set(unsigned char *map, int port)
{
	if (port > 0 && port < 65536)
		map[port / 8] |= (unsigned char)(1u << (port % 8));
}

static int
formation_port_isset(const unsigned char *map, int port)
{
	return port > 0 && port < 65536 && (map[port / 8] >> (port % 8)) & 1;
}

/*
 * The ports given to processes of the formation other than self, now or
 * for their next start: those of the ones on their way out (retired) in
 * gone, the others' in live. One walk, whatever is asked of it after: a
 * roll of thousands asks for as many ports.
 */
static void
formation_ports_taken(unsigned char *live, unsigned char *gone,
    const struct member *self)
{
	struct member *m;
	unsigned char *map;

	memset(live, 0, FORMATION_PORT_BYTES);
	memset(gone, 0, FORMATION_PORT_BYTES);
	TAILQ_FOREACH(m, &formation.members, entry) {
		if (m == self)
			continue;
		map = m->retired ? gone : live;
		formation_port_set(map, proc_port(m->proc));
		if (proc_next_port(m->proc) > 0 &&
		    formation_restarts_onto_next(m))
			formation_port_set(map, proc_next_port(m->proc));
	}
}

/*
 * The PORT of an instance of the type at index. Its own port (base +
 * instance - 1) while no other process has it (one that is stopping for
 * good does not count: that was always so); else, for self, the one it
 * has; else, and always for a new instance started beside its old self
 * (beside), the lowest of the type's ports that no process has, not
 * even one on its way out, which may still serve it (an old instance
 * that drains), so that no two ever share one.
 */
static int
formation_port(int index, int instance, const struct member *self,
    int beside)
{
	const struct release *r = &formation.rel->release;
	unsigned char live[FORMATION_PORT_BYTES], gone[FORMATION_PORT_BYTES];
	int base = formation.settings->port, port;
	int own = release_port(r, base, index, instance);

	formation_ports_taken(live, gone, self);
	if (!beside && !formation_port_isset(live, own))
		return own;
	port = self != NULL ? proc_port(self->proc) : 0;
	if (!beside && port > 0 && !formation_port_isset(live, port))
		return port;
	for (port = release_port(r, base, index, 1); port <= 65535; port++) {
		if (!formation_port_isset(live, port) &&
		    !formation_port_isset(gone, port))
			return port;
	}
	return own;
}

/* What an instance takes from the current release: its command, its
 * type's settings, its place in the Procfile and its port. */
static void
formation_fill_spec(struct proc_spec *spec, const struct release_proc *rp,
    int index, int instance, int port)
{
	struct type_settings ts;

	proc_spec_init(spec);
	xasprintf(&spec->name, "%s.%d", rp->name, instance);
	spec->color = index;
	spec->port = port;
	spec->argv = command_shell(rp->command);
	spec->words = command_words(rp->command);
	spec->display = xstrdup(rp->command);
	spec->shell = command_in_shell(rp->command);
	spec->rel = rel_ref(formation.rel);
	ts = release_type_settings(&formation.rel->release, rp->name);
	spec->io.tty = ts.tty == 1;
	spec->sockets = sockets_for(rp->name);
	spec->policy.restart = ts.restart;
	spec->policy.stop_signal = ts.stop_signal;
	spec->policy.stop_timeout_ms = ts.timeout_ms;
	spec->policy.umask = formation.umask;
	/* The first exit ends the formation: formation_proc_cb. */
	spec->policy.never_restart = formation.exit_on_exit;
	spec->ready = ts.ready;
	spec->ready_timeout_ms = ts.ready_timeout_ms;
	if (ts.ready.kind == READY_NOTIFY && notifysock_name() != NULL)
		spec->notify_socket = xstrdup(notifysock_name());
}

static struct member *
formation_new_member(const struct release_proc *rp, int index, int instance)
{
	struct proc_spec spec;
	struct member *m;

	formation_fill_spec(&spec, rp, index, instance,
	    formation_port(index, instance, NULL, 0));
	m = formation_member_new(proc_new(&spec, NULL, NULL), rp->name,
	    instance, index, 0);
	proc_set_callback(m->proc, formation_proc_cb, m);
	return m;
}

void
formation_rebase(struct member *m)
{
	const struct release *r = &formation.rel->release;
	struct proc_spec spec;
	int index;

	if (proc_rel(m->proc) == formation.rel ||
	    (index = release_index(r, m->type)) == -1) {
		proc_set_next_spec(m->proc, NULL);
		return;
	}
	formation_fill_spec(&spec, &r->procs[index], index, m->instance,
	    formation_port(index, m->instance, m, 0));
	proc_set_next_spec(m->proc, &spec);
}

void
formation_insert(struct member *nm)
{
	struct member *m;

	status_changed();
	if (nm->oneoff) {
		TAILQ_INSERT_TAIL(&formation.members, nm, entry);
		return;
	}
	TAILQ_FOREACH(m, &formation.members, entry) {
		if (m->oneoff || m->index > nm->index ||
		    (m->index == nm->index && m->instance > nm->instance)) {
			TAILQ_INSERT_BEFORE(m, nm, entry);
			return;
		}
	}
	TAILQ_INSERT_TAIL(&formation.members, nm, entry);
}

void
formation_roll_clear(void)
{
	struct member *m;

	TAILQ_FOREACH(m, &formation.members, entry) {
		if (!m->retired)
			m->roll_due = 0;
		m->rolling = 0;
	}
	/* Their next ports were chosen while some of them were to be
	 * replaced, and did not count: chosen again, once all count. */
	TAILQ_FOREACH(m, &formation.members, entry) {
		if (!m->oneoff && !m->retired && proc_has_next_spec(m->proc))
			formation_rebase(m);
	}
}

struct member *
formation_incoming(struct member *old, const char *why)
{
	const struct release *r = &formation.rel->release;
	struct proc_spec spec;
	struct member *m;
	int index, port;

	if ((index = release_index(r, old->type)) == -1)
		return NULL;
	/* Beside its old self, on a port of its own, unless its traffic
	 * comes through the sockets the daemon holds for the type. */
	if (release_type_settings(r, old->type).listen[0] != '\0')
		port = proc_port(old->proc);
	else
		port = formation_port(index, old->instance, NULL, 1);
	formation_fill_spec(&spec, &r->procs[index], index, old->instance,
	    port);
	if (port != proc_port(old->proc))
		output_system("%s starting beside pid %ld, on port %d",
		    proc_name(old->proc), (long)proc_pid(old->proc), port);
	m = formation_member_new(proc_new(&spec, NULL, NULL), old->type,
	    old->instance, index, 0);
	m->incoming = 1;
	proc_set_callback(m->proc, formation_proc_cb, m);
	formation_insert(m);
	proc_start(m->proc, why);
	return m;
}

/* Stop m for good: it is disposed of once stopped. */
void
formation_retire(struct member *m, const char *why)
{
	m->retired = 1;
	proc_stop(m->proc, why);
	if (!proc_alive(m->proc))
		formation_dispose(m);
}

/* wake: a scale, which starts the instances stopped within the count. */
static void
formation_apply_type(const struct release_proc *rp, int index,
    const char *why, int wake)
{
	struct member *m, *next;
	int i, count = formation_count(rp->name);

	for (i = 1; i <= count; i++) {
		if ((m = formation_instance(rp->name, i)) == NULL) {
			m = formation_new_member(rp, index, i);
			formation_insert(m);
			proc_start(m->proc, why);
		} else if (m->retired) {
			/* Asked for again before it was gone. */
			m->retired = 0;
			formation_rebase(m);
			proc_start(m->proc, why);
		} else if (wake && !proc_wants_up(m->proc))
			proc_start(m->proc, why);
	}
	TAILQ_FOREACH_SAFE(m, &formation.members, entry, next) {
		if (m->oneoff || strcmp(m->type, rp->name) != 0 ||
		    m->instance <= count || m->retired)
			continue;
		m->incoming = 0;	/* a roll has no part in it now */
		formation_retire(m, "scaled down");
	}
}

/* Size the name column once, before the first line. */
void
formation_fit_names(void)
{
	const struct release *r = &formation.rel->release;
	char *name;
	size_t i;
	int count;

	for (i = 0; i < r->nprocs; i++) {
		if ((count = formation_count(r->procs[i].name)) > 0) {
			xasprintf(&name, "%s.%d", r->procs[i].name, count);
			output_fit_name(name);
			free(name);
		}
	}
}

void
formation_apply(const char *why)
{
	const struct release *r = &formation.rel->release;
	size_t i;

	if (formation.shutting_down)
		return;
	formation_fit_names();
	for (i = 0; i < r->nprocs; i++)
		formation_apply_type(&r->procs[i], (int)i, why, 0);
}

int
formation_scale_check(const char *type, int count, char **err)
{
	const struct release *r = &formation.rel->release;

	if (strcmp(type, "all") != 0 && release_index(r, type) == -1) {
		xasprintf(err, "unknown process type '%s'", type);
		return -1;
	}
	if (strcmp(type, RELEASE_PHASE_TYPE) == 0) {
		xasprintf(err, "%s", release_phase_error());
		return -1;
	}
	if (count < 0 || count > 10000) {
		xasprintf(err, "bad count %d for '%s'", count, type);
		return -1;
	}
	return 0;
}

int
formation_scale(const char *type, int count, char **err)
{
	const struct release *r = &formation.rel->release;
	size_t i;
	int index;

	if (formation_scale_check(type, count, err) == -1)
		return -1;
	index = strcmp(type, "all") == 0 ? -1 : release_index(r, type);
	if (index == -1) {
		/* all=N: every type, even those counted before. */
		formspec_set(&formation.counts, "all", count);
		for (i = 0; i < r->nprocs; i++)
			formspec_set(&formation.counts, r->procs[i].name,
			    count);
		if (formation.shutting_down)
			return 0;
		formation_fit_names();
		for (i = 0; i < r->nprocs; i++)
			formation_apply_type(&r->procs[i], (int)i, "scaled",
			    1);
		return 0;
	}
	formspec_set(&formation.counts, type, count);
	formation_apply_type(&r->procs[index], index, "scaled", 1);
	return 0;
}

/*
 * New settings from a reload. Counts that formation.ini (or the
 * environment) changes apply; a count set with scale and not changed
 * there stays.
 */
static void
formation_take_settings(struct settings *s)
{
	const struct formspec *was = &formation.settings->scale;
	const struct formspec_entry *e;
	size_t i, j;

	for (i = 0; i < s->scale.n; i++) {
		e = &s->scale.entries[i];
		for (j = 0; j < was->n; j++) {
			if (strcmp(was->entries[j].name, e->name) == 0)
				break;
		}
		if (j == was->n || was->entries[j].count != e->count)
			formspec_set(&formation.counts, e->name, e->count);
	}
	if (s->scale.all != was->all)
		formation.counts.all = s->scale.all;
	settings_release(formation.settings);
	*formation.settings = *s;
	settings_init(s);
	logring_budget((size_t)formation.settings->log_memory);
}

/* Keep the list in Procfile order once the Procfile may have moved. */
static void
formation_sort(void)
{
	struct member_list keep;
	struct member *m;

	TAILQ_INIT(&keep);
	while ((m = TAILQ_FIRST(&formation.members)) != NULL) {
		TAILQ_REMOVE(&formation.members, m, entry);
		TAILQ_INSERT_TAIL(&keep, m, entry);
	}
	while ((m = TAILQ_FIRST(&keep)) != NULL) {
		TAILQ_REMOVE(&keep, m, entry);
		formation_insert(m);
	}
}

/* Is m up, or on its way up again (a back-off, a restart)? */
static int
formation_up(const struct member *m)
{
	switch (proc_state(m->proc)) {
	case PROC_STOPPED:
	case PROC_EXITED:
	case PROC_FAILED:
		return 0;
	default:
		return proc_wants_up(m->proc);
	}
}

size_t
formation_reload(struct rel *rel, struct settings *s)
{
	const struct release *r = &rel->release;
	struct member *m, *next;
	size_t n = 0;
	int index;

	if (s != NULL)
		formation_take_settings(s);
	formation_set_release(rel);
	TAILQ_FOREACH_SAFE(m, &formation.members, entry, next) {
		if (m->oneoff || m->retired)
			continue;
		/* A roll under way is over: a new instance of it that is
		 * not ready yet goes, the one it was to replace stays. */
		if (m->incoming) {
			m->incoming = 0;
			formation_retire(m, "superseded by a newer release");
			continue;
		}
		m->rolling = 0;
		if ((index = release_index(r, m->type)) == -1) {
			formation_retire(m, "removed from the Procfile");
			continue;
		}
		m->index = index;
		formation_rebase(m);
		m->roll_due = proc_has_next_spec(m->proc) && formation_up(m);
		n += m->roll_due;
	}
	formation_sort();
	formation_apply("reload");
	return n;
}

int
formation_readiness(struct strbuf *notready, struct strbuf *waitlist)
{
	struct member *m;
	const char *why;
	int waiting = 0, failed = 0;

	TAILQ_FOREACH(m, &formation.members, entry) {
		if (m->oneoff || m->retired || !proc_has_check(m->proc))
			continue;
		switch (proc_readiness(m->proc)) {
		case PROC_READY_YES:
			break;
		case PROC_READY_WAIT:
			waiting = 1;
			if (waitlist != NULL)
				strbuf_addf(waitlist, "%s%s", waitlist->len >
				    0 ? ", " : "", proc_name(m->proc));
			break;
		default:
			failed = 1;
			why = proc_last_failure(m->proc);
			strbuf_addf(notready, "%s%s (%s)", notready->len > 0 ?
			    ", " : "", proc_name(m->proc), why != NULL ? why :
			    proc_state_name(proc_state(m->proc)));
			break;
		}
	}
	return waiting ? 0 : failed ? -1 : 1;
}

/* The pid of the instance that took retired m's place beside it in a
 * roll (the same name, the same PS), or 0. */
static pid_t
formation_successor(const struct member *m)
{
	struct member *q;

	TAILQ_FOREACH(q, &formation.members, entry) {
		if (q != m && !q->oneoff && !q->retired &&
		    q->instance == m->instance && strcmp(q->type, m->type) == 0 &&
		    proc_pid(q->proc) != 0)
			return proc_pid(q->proc);
	}
	return 0;
}

static void
formation_proc_cb(struct proc *p, int ended, void *arg)
{
	struct member *m = arg;
	pid_t next;

	/* What escaped its group goes with it, but not what its next run
	 * (restarted, or its successor beside it) left; at shutdown, the
	 * sweep. */
	if (!m->oneoff && !formation.shutting_down && (ended ||
	    proc_state(p) == PROC_STOPPING)) {
		next = ended ? proc_pid(p) : 0;
		if (next == 0 && m->retired)
			next = formation_successor(m);
		escapee_note(proc_name(p), ended ? SIGKILL : SIGTERM,
		    m->pid_seen, next);
	}
	m->pid_seen = proc_pid(p);
	/* Alive again: a restart that was asked for, not an exit; nor is
	 * the exit of one that was asked to stop (an old one, replaced). */
	if (ended && formation.exit_on_exit && !formation.shutting_down &&
	    !proc_alive(p) && proc_wants_up(p)) {
		formation.exit_status = waitstatus_code(proc_last_status(p));
		output_system("%s ended the formation (--exit-on-exit)",
		    proc_name(p));
		formation_shutdown(0);
	}
	if (m->retired && !proc_alive(p))
		formation_dispose(m);	/* checks whether all are down */
	else if (formation.shutting_down)
		formation_check_down();
	status_changed();
}

/* Is pid one of our processes? They get their own stop signal. */
static int
formation_owns(pid_t pid)
{
	struct member *m;

	TAILQ_FOREACH(m, &formation.members, entry) {
		if (proc_pid(m->proc) == pid)
			return 1;
	}
	return 0;
}

/*
 * Children of ours that are not our processes: descendants that escaped
 * their process group and were handed to us, the subreaper, when their
 * parent died.
 */
static size_t
formation_escapees(int sig)
{
	struct dirent *de;
	pid_t self = getpid(), pid, ppid, pgid;
	size_t n = 0;
	char state;
	DIR *d;

	if ((d = opendir("/proc")) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if ((pid = (pid_t)atol(de->d_name)) <= 0 || pid == self ||
		    escapee_stat(pid, &state, &ppid, &pgid, NULL) == -1)
			continue;
		if (ppid != self || state == 'Z' || formation_owns(pid))
			continue;
		kill(pid, sig);
		n++;
	}
	closedir(d);
	log_debug("looked for escaped processes: %zu found", n);
	return n;
}

/* No process of ours is alive: kill the escapees, and end once none is
 * left. */
static void
formation_sweep(void)
{
	if (formation_escapees(SIGKILL) > 0) {
		if (!ev_is_active(&formation.sweep))
			ev_timer_start(EV_DEFAULT, &formation.sweep);
		return;
	}
	ev_timer_stop(EV_DEFAULT, &formation.sweep);
	formation.down = 1;
	if (formation.on_down != NULL)
		formation.on_down();
}

/*
 * Called at every exit while shutting down. A look reads all of /proc, so
 * it is not repeated for every child reaped: once escapees have been
 * found, only the sweep timer looks again, and once the formation is down
 * no one does (the loop still reaps what is left in this turn).
 */
static void
formation_check_down(void)
{
	if (formation.down || formation_alive() > 0 ||
	    ev_is_active(&formation.sweep))
		return;
	formation_sweep();
}

static void
formation_sweep_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	if (!formation.down && formation_alive() == 0)
		formation_sweep();
}

static void
formation_reaper_cb(struct ev_loop *loop, ev_child *w, int revents)
{
	if (formation.shutting_down)
		formation_check_down();
}

void
formation_shutdown(int force)
{
	struct member *m, *next;

	if (formation.shutting_down && !force)
		return;
	if (!formation.shutting_down)
		notify_stopping();
	formation.shutting_down = 1;
	escapee_forget();
	TAILQ_FOREACH_SAFE(m, &formation.members, entry, next) {
		proc_stop(m->proc, "shutdown");
		if (force)
			proc_kill_now(m->proc);
	}
	formation_escapees(force ? SIGKILL : SIGTERM);
	formation_check_down();
}
