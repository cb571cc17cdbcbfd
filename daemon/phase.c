/*
 * The release phase (daemon/phase.h).
 */
#include <sys/wait.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/command.h"
#include "common/store.h"
#include "common/waitstatus.h"
#include "common/xmalloc.h"
#include "daemon/formation.h"
#include "daemon/oneoff.h"
#include "daemon/output.h"
#include "daemon/phase.h"

#define PHASE_NAME	RELEASE_PHASE_TYPE ".1"
#define PHASE_TAIL	20	/* lines kept for the reply */

static struct {
	struct rel	*rel;		/* while it runs; a reference */
	struct member	*m;
	ev_timer	 timer;
	int		 timeout_ms;
	int		 timed_out;
	phase_done_fn	 done;
	void		*arg;
	struct strbuf	 tail;		/* its last lines, once ended */
} phase = { .tail = STRBUF_INIT };

static void phase_changed(struct proc *, int, void *);

int
phase_needed(const struct release *r)
{
	return release_find(r, RELEASE_PHASE_TYPE) != NULL;
}

struct rel *
phase_running(void)
{
	return phase.rel;
}

static void
phase_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	if (phase.m == NULL)
		return;
	phase.timed_out = 1;
	output_system("%s: timed out after %g s", PHASE_NAME,
	    phase.timeout_ms / 1000.0);
	proc_stop(phase.m->proc, "release phase timed out");
}

/* What the release runs it with: its command, its type's settings. */
static void
phase_spec(struct proc_spec *spec, struct rel *rel)
{
	const struct release *r = &rel->release;
	const struct release_proc *rp = release_find(r, RELEASE_PHASE_TYPE);
	struct type_settings ts;

	proc_spec_init(spec);
	spec->name = xstrdup(PHASE_NAME);
	spec->color = release_index(r, RELEASE_PHASE_TYPE);
	spec->argv = command_shell(rp->command);
	spec->words = command_words(rp->command);
	spec->display = xstrdup(rp->command);
	spec->shell = command_in_shell(rp->command);
	spec->rel = rel_ref(rel);
	ts = release_type_settings(r, RELEASE_PHASE_TYPE);
	spec->io.tty = ts.tty == 1;
	spec->policy.restart = RESTART_NEVER;
	spec->policy.stop_signal = ts.stop_signal;
	spec->policy.stop_timeout_ms = ts.timeout_ms;
	spec->policy.umask = formation.umask;
	spec->policy.once = 1;
}

int
phase_start(struct rel *rel, int timeout_ms, phase_done_fn done, void *arg)
{
	struct proc_spec spec;
	struct proc *p;

	if (phase.rel != NULL || !phase_needed(&rel->release))
		return -1;
	phase.rel = rel_ref(rel);
	phase.done = done;
	phase.arg = arg;
	phase.timed_out = 0;
	phase.timeout_ms = timeout_ms;
	strbuf_reset(&phase.tail);
	phase_spec(&spec, rel);
	p = proc_new(&spec, NULL, NULL);
	phase.m = formation_member_new(p, RELEASE_PHASE_TYPE, 1,
	    release_index(&rel->release, RELEASE_PHASE_TYPE), 1);
	formation_insert(phase.m);
	proc_set_callback(p, phase_changed, phase.m);
	output_fit_name(PHASE_NAME);
	output_system("release phase of v%d: %s", rel->release.version,
	    release_find(&rel->release, RELEASE_PHASE_TYPE)->command);
	ev_timer_init(&phase.timer, phase_timer_cb,
	    timeout_ms > 0 ? timeout_ms / 1000.0 : 0., 0.);
	if (timeout_ms > 0)
		ev_timer_start(EV_DEFAULT, &phase.timer);
	proc_start(p, "release phase");	/* may end it at once */
	return 0;
}

/* Its last lines, "release.1 | text", for the caller's reply. */
static void
phase_keep_tail(struct proc *p)
{
	struct logring *ring = proc_ring(p);
	const struct logentry *e;
	size_t i;

	strbuf_reset(&phase.tail);
	i = ring->count > PHASE_TAIL ? ring->count - PHASE_TAIL : 0;
	for (; i < ring->count; i++) {
		e = logring_get(ring, i);
		strbuf_addf(&phase.tail, "%s | %.*s\n", PHASE_NAME,
		    (int)e->len, e->text);
	}
}

/* How it ended: NULL when it exited 0, else why, into buf; its status
 * as a shell gives it in *code. */
static const char *
phase_outcome(struct proc *p, char *buf, size_t len, int *code)
{
	int status = proc_last_status(p);

	*code = status == -1 ? 1 : waitstatus_code(status);
	if (proc_state(p) == PROC_FAILED) {
		/* The exec's report: 126 or 127, as a shell says. */
		*code = status != -1 && WIFEXITED(status) ?
		    WEXITSTATUS(status) : 125;
		snprintf(buf, len, "%s", proc_start_error(p) != NULL ?
		    proc_start_error(p) : "it could not be started");
	} else if (phase.timed_out)
		snprintf(buf, len, "timed out after %g s",
		    phase.timeout_ms / 1000.0);
	else if (status != -1 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0)
		return NULL;
	else
		proc_describe_exit(p, buf, len);
	return buf;
}

static void
phase_changed(struct proc *p, int ended, void *arg)
{
	struct member *m = arg;
	struct rel *rel = phase.rel;
	phase_done_fn done = phase.done;
	char buf[512];
	const char *why;
	int code;

	if (!ended)
		return;
	ev_timer_stop(EV_DEFAULT, &phase.timer);
	why = phase_outcome(p, buf, sizeof buf, &code);
	phase_keep_tail(p);
	proc_set_callback(p, NULL, NULL);
	oneoff_keep_log(p);
	formation_dispose(m);
	phase.m = NULL;
	phase.rel = NULL;
	phase.done = NULL;
	if (done != NULL)
		done(rel, why == NULL ? 0 : code == 0 ? 1 : code, why,
		    phase.arg);
	rel_unref(rel);
}

void
phase_last_lines(struct strbuf *sb, size_t n)
{
	const char *p = phase.tail.buf + phase.tail.len;
	size_t lines = 0;

	if (phase.tail.len == 0)
		return;
	/* From the n-th newline from the end. */
	for (p--; p > phase.tail.buf; p--) {
		if (p[-1] == '\n' && ++lines == n)
			break;
	}
	strbuf_addstr(sb, p);
}

void
phase_free(void)
{
	ev_timer_stop(EV_DEFAULT, &phase.timer);
	strbuf_release(&phase.tail);
	rel_unref(phase.rel);
	phase.rel = NULL;
}
