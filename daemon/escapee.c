/*
 * The escapees of an instance (daemon/escapee.h).
 */
#include <sys/types.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>

#include "common/log.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "daemon/escapee.h"
#include "daemon/formation.h"
#include "daemon/output.h"

#define ANCESTRY_MAX	256	/* generations looked up from a process */

struct noted {
	char	*name;
	int	 sig;
	pid_t	 group;		/* its own: not escapees */
	pid_t	 next;		/* the process of its next run; 0: none */
	unsigned long long born;	/* when next started: what started then
				 * or after is not the last run's; 0: none */
	size_t	 hit;
	struct strbuf pids;	/* "123, 456" */
};

struct pstat {
	pid_t	 pid;
	pid_t	 ppid;
	pid_t	 pgid;
	unsigned long long start;	/* clock ticks since boot */
};

static struct noted *noted;
static size_t nnoted, alloc_noted;
static ev_prepare look;
static int look_init;

static void escapee_look_cb(struct ev_loop *, ev_prepare *, int);

int
escapee_stat(pid_t pid, char *state, pid_t *ppid, pid_t *pgid,
    unsigned long long *start)
{
	char path[64], buf[1024], *paren;
	unsigned long long st;
	long pp, pg;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "re")) == NULL)
		return -1;
	paren = fgets(buf, sizeof buf, f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	/* Fields 3 to 5, then 22 (proc(5)). */
	if (paren == NULL || sscanf(paren + 1, " %c %ld %ld %*s %*s %*s %*s "
	    "%*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %llu", state,
	    &pp, &pg, &st) != 4)
		return -1;
	*ppid = (pid_t)pp;
	*pgid = (pid_t)pg;
	if (start != NULL)
		*start = st;
	return 0;
}

void
escapee_note(const char *name, int sig, pid_t group, pid_t next)
{
	unsigned long long born = 0;
	pid_t ppid, pgid;
	char state;
	size_t i;

	if (next != 0 &&
	    escapee_stat(next, &state, &ppid, &pgid, &born) == -1)
		born = 0;

	for (i = 0; i < nnoted; i++) {
		if (strcmp(noted[i].name, name) == 0) {
			if (sig == SIGKILL)
				noted[i].sig = SIGKILL;
			if (group != 0)
				noted[i].group = group;
			if (next != 0) {
				noted[i].next = next;
				noted[i].born = born;
			}
			return;
		}
	}
	ALLOC_GROW(noted, nnoted + 1, alloc_noted);
	noted[nnoted].name = xstrdup(name);
	noted[nnoted].sig = sig;
	noted[nnoted].group = group;
	noted[nnoted].next = next;
	noted[nnoted].born = born;
	noted[nnoted].hit = 0;
	strbuf_init(&noted[nnoted].pids, 0);
	nnoted++;
	if (!look_init) {
		ev_prepare_init(&look, escapee_look_cb);
		look_init = 1;
	}
	if (!ev_is_active(&look))
		ev_prepare_start(EV_DEFAULT, &look);
}

void
escapee_forget(void)
{
	size_t i;

	for (i = 0; i < nnoted; i++) {
		free(noted[i].name);
		strbuf_release(&noted[i].pids);
	}
	free(noted);
	noted = NULL;
	nnoted = alloc_noted = 0;
	if (look_init)
		ev_prepare_stop(EV_DEFAULT, &look);
}

static int
pstat_cmp(const void *a, const void *b)
{
	const struct pstat *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* Every live process, sorted by pid. */
static struct pstat *
escapee_all(size_t *n)
{
	struct pstat *all = NULL;
	struct dirent *de;
	size_t alloc = 0;
	unsigned long long start;
	pid_t pid, ppid, pgid;
	char state;
	DIR *d;

	*n = 0;
	if ((d = opendir("/proc")) == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		if ((pid = (pid_t)atol(de->d_name)) <= 0 ||
		    escapee_stat(pid, &state, &ppid, &pgid, &start) == -1 ||
		    state == 'Z')
			continue;
		ALLOC_GROW(all, *n + 1, alloc);
		all[*n].pid = pid;
		all[*n].ppid = ppid;
		all[*n].pgid = pgid;
		all[*n].start = start;
		(*n)++;
	}
	closedir(d);
	if (*n > 1)
		qsort(all, *n, sizeof *all, pstat_cmp);
	return all;
}

/* Is pid a live process of the formation? */
static int
escapee_member_pid(pid_t pid)
{
	struct member *m;

	TAILQ_FOREACH(m, &formation.members, entry) {
		if (proc_pid(m->proc) == pid)
			return 1;
	}
	return 0;
}

/* Is anc an ancestor of ps (through the processes of all)? */
static int
escapee_descends(const struct pstat *all, size_t n, const struct pstat *ps,
    pid_t anc)
{
	struct pstat key, *up;
	pid_t cur = ps->ppid;
	int i;

	for (i = 0; i < ANCESTRY_MAX && cur > 1; i++) {
		if (cur == anc)
			return 1;
		key.pid = cur;
		if ((up = bsearch(&key, all, n, sizeof *all, pstat_cmp)) ==
		    NULL)
			return 0;
		cur = up->ppid;
	}
	return 0;
}

/*
 * Is ps a descendant of the daemon that is not a process of the
 * formation, nor in the group of one? An escapee, then, of whom its PS
 * says.
 */
static int
escapee_loose(const struct pstat *all, size_t n, const struct pstat *ps,
    pid_t self)
{
	return ps->pid != self && escapee_descends(all, n, ps, self) &&
	    !escapee_member_pid(ps->pid) && !escapee_member_pid(ps->pgid);
}

/*
 * Is ps of the run noted, not of the next one, started already? Not if
 * it descends from the next one's process, or started with it or after.
 */
static int
escapee_last_run(const struct pstat *all, size_t n, const struct pstat *ps,
    const struct noted *nt)
{
	if (nt->group != 0 && ps->pgid == nt->group)
		return 0;	/* its own group: killed with it */
	if (nt->next == 0)
		return 1;
	return !(nt->born != 0 && ps->start >= nt->born) &&
	    !escapee_descends(all, n, ps, nt->next);
}

/* The noted instance whose PS pid carries, or NULL. */
static struct noted *
escapee_whose(pid_t pid)
{
	struct strbuf env = STRBUF_INIT;
	char path[64];
	const char *p, *end;
	size_t i;

	snprintf(path, sizeof path, "/proc/%ld/environ", (long)pid);
	if (read_file(path, &env) == -1)
		return NULL;
	for (p = env.buf, end = env.buf + env.len; p < end;
	    p += strlen(p) + 1) {
		if (strncmp(p, "PS=", 3) != 0)
			continue;
		for (i = 0; i < nnoted; i++) {
			if (strcmp(p + 3, noted[i].name) == 0) {
				strbuf_release(&env);
				return &noted[i];
			}
		}
		break;
	}
	strbuf_release(&env);
	return NULL;
}

static void
escapee_look_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct pstat *all;
	struct noted *nt;
	pid_t self = getpid();
	size_t n, i;

	ev_prepare_stop(loop, w);
	all = escapee_all(&n);
	for (i = 0; i < n; i++) {
		if (!escapee_loose(all, n, &all[i], self) ||
		    (nt = escapee_whose(all[i].pid)) == NULL ||
		    !escapee_last_run(all, n, &all[i], nt))
			continue;
		if (kill(all[i].pid, nt->sig) == -1)
			continue;
		strbuf_addf(&nt->pids, "%s%ld", nt->hit ? ", " : "",
		    (long)all[i].pid);
		nt->hit++;
	}
	free(all);
	for (i = 0; i < nnoted; i++) {
		if (noted[i].hit > 0)
			output_system("%s left %zu process%s outside its group: "
			    "%s to pid %s", noted[i].name, noted[i].hit,
			    noted[i].hit == 1 ? "" : "es",
			    signal_name(noted[i].sig), noted[i].pids.buf);
	}
	log_debug("looked for escapees of %zu instance%s", nnoted,
	    nnoted == 1 ? "" : "s");
	escapee_forget();
}
