/*
 * The formation: every process of the app, the release they run, and
 * the counts the user asked for. There is one, `formation`.
 *
 * formation_apply() makes the processes match the release and the counts:
 * it creates the missing instances and retires the extra ones (they are
 * stopped, then disposed of). formation_shutdown() stops everything and
 * ends the loop once no process, nor any escaped descendant, is left.
 */
#ifndef FORMATION_H
#define FORMATION_H

#include <sys/queue.h>
#include <sys/types.h>

#include <ev.h>

#include "common/config.h"
#include "common/formspec.h"
#include "daemon/proc.h"

#ifndef TAILQ_FOREACH_SAFE
#define TAILQ_FOREACH_SAFE(var, head, field, tvar)                           \
	for ((var) = TAILQ_FIRST(head);                                      \
	    (var) && ((tvar) = TAILQ_NEXT(var, field), 1); (var) = (tvar))
#endif

struct rel;

TAILQ_HEAD(proc_list, proc);

struct formation {
	struct settings		*settings;
	struct rel		*rel;		/* the current release */
	struct proc_list	 procs;
	struct proc_list	 graveyard;	/* freed on the next loop turn */
	struct formspec		 counts;	/* what the user asked for */
	char			**only;		/* up TYPE...: NULL for all */
	size_t			 nonly;
	int			 exit_on_exit;
	int			 exit_status;	/* -1: none yet */
	int			 shutting_down;
	int			 down;		/* on_down was called */
	int			 next_oneoff;
	mode_t			 umask;
	ev_child		 reaper;	/* escaped descendants */
	ev_timer		 sweep;
	ev_prepare		 gc;		/* frees the graveyard */
	void			(*on_down)(void);
};

extern struct formation formation;

void		 formation_init(struct settings *, char **, size_t, int);
void		 formation_free(void);
void		 formation_set_release(struct rel *);
/*
 * Move the formation onto a new release with the settings it was built
 * with (s is taken, and left initialised; NULL keeps the settings): the
 * types gone from the Procfile are retired, new ones started, and every
 * other instance marked to start on the new release the next time it
 * starts (reload.c restarts them). Returns how many instances that are up
 * were marked.
 */
size_t		 formation_reload(struct rel *, struct settings *);
/* Give p the command, settings and release of the current release. */
void		 formation_rebase(struct proc *);
/* Create or retire instances to match the counts. */
void		 formation_apply(const char *);
void		 formation_fit_names(void);
/* -1 with *err if the type is unknown or the count bad. */
int		 formation_scale(const char *, int, char **);
void		 formation_shutdown(int);
struct proc	*formation_find(const char *);
/* The count asked for a type (0 when up TYPE... left it out). */
int		 formation_count(const char *);
/* Add p: a formation process in Procfile, then instance order; a
 * one-off after them all. */
void		 formation_insert(struct proc *);
/* Remove p from the formation and free it on the next loop turn. */
void		 formation_dispose(struct proc *);
/* Number of live processes. */
size_t		 formation_alive(void);

#endif
