/*
 * STATUS= for systemd: the formation counted by state (daemon/status.h).
 */
#include <ev.h>
#include <stdlib.h>
#include <string.h>

#include "common/release.h"
#include "common/store.h"
#include "common/xmalloc.h"
#include "daemon/formation.h"
#include "daemon/notify.h"
#include "daemon/status.h"

static struct {
	ev_prepare	 prepare;
	char		*last;		/* the line sent last; NULL: none */
} status;

/* The states, in the order the line names them. */
static const enum proc_state status_order[] = {
	PROC_RUNNING, PROC_STARTING, PROC_STOPPING, PROC_BACKOFF,
	PROC_FAILED, PROC_EXITED, PROC_STOPPED,
};
#define NSTATES (sizeof status_order / sizeof status_order[0])

static void
status_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	ev_prepare_stop(loop, w);
	status_send();
}

void
status_init(void)
{
	ev_prepare_init(&status.prepare, status_cb);
}

void
status_free(void)
{
	ev_prepare_stop(EV_DEFAULT, &status.prepare);
	free(status.last);
	status.last = NULL;
}

void
status_changed(void)
{
	if (notify_on() && !ev_is_active(&status.prepare))
		ev_prepare_start(EV_DEFAULT, &status.prepare);
}

void
status_line(struct strbuf *sb)
{
	size_t count[NSTATES] = { 0 }, oneoffs = 0, i, n = 0;
	struct member *m;

	TAILQ_FOREACH(m, &formation.members, entry) {
		if (m->oneoff) {
			oneoffs++;
			continue;
		}
		for (i = 0; i < NSTATES; i++)
			count[i] += proc_state(m->proc) == status_order[i];
	}
	if (formation.rel != NULL)
		strbuf_addf(sb, "formation v%d in %s: ",
		    formation.rel->release.version, formation.rel->release.root);
	for (i = 0; i < NSTATES; i++) {
		if (count[i] > 0)
			strbuf_addf(sb, "%s%zu %s", n++ > 0 ? ", " : "",
			    count[i], proc_state_name(status_order[i]));
	}
	if (oneoffs > 0)
		strbuf_addf(sb, "%s%zu one-off%s", n++ > 0 ? ", " : "", oneoffs,
		    oneoffs == 1 ? "" : "s");
	if (n == 0)
		strbuf_addstr(sb, "no processes");
}

void
status_send(void)
{
	struct strbuf sb = STRBUF_INIT;

	if (!notify_on())
		return;
	status_line(&sb);
	if (status.last == NULL || strcmp(status.last, sb.buf) != 0) {
		notify_status("%s", sb.buf);
		free(status.last);
		status.last = strbuf_detach(&sb, NULL);
	}
	strbuf_release(&sb);
}
