/*
 * The formation: every process of the app, the release they run, and
 * the counts the user asked for. There is one, `formation`.
 *
 * Each process is a struct member: its struct proc (daemon/proc.h, which
 * runs it) and what the formation knows of it, its type and instance.
 * Members are found by (type, instance), never by a formatted name.
 * formation_apply() makes the processes match the release and the counts:
 * it creates the missing instances and retires the extra ones (they are
 * stopped, then disposed of). formation_shutdown() stops everything and
 * ends the loop once no process, nor any escaped descendant, is left.
 */
#ifndef FORMATION_H
#define FORMATION_H

#include <sys/queue.h>
#include <sys/types.h>

#include <time.h>

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

/*
 * One process of the formation: an instance of a type (web.2), or a
 * one-off (run.3, type "run"). The member owns proc and type; caller is
 * a one-off's attached peer (oneoff.c), NULL when there is none.
 */
struct member {
	TAILQ_ENTRY(member)	 entry;
	struct proc		*proc;
	char			*type;
	int			 instance;	/* web.2: 2, run.3: 3 */
	int			 index;		/* of the type in the Procfile;
						 * one-offs sort after */
	int			 oneoff;
	int			 retired;	/* to be disposed of once
						 * stopped */
	int			 incoming;	/* started by a roll beside the
						 * instance it is to replace,
						 * until it is ready
						 * (daemon/roll.h) */
	int			 roll_due;	/* a roll is to replace it */
	int			 rolling;	/* restarted in its place by a
						 * roll, not ready yet */
	int			 disposed;	/* in the graveyard */
	int			 signal;	/* the last one formation kill
						 * sent it; 0: none */
	time_t			 signalled_at;
	pid_t			 pid_seen;	/* by the last callback; its
						 * group is not an escapee */
	void			*caller;
};
TAILQ_HEAD(member_list, member);

struct formation {
	struct settings		*settings;
	struct rel		*rel;		/* the current release */
	struct member_list	 members;
	struct member_list	 graveyard;	/* freed on the next loop turn */
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
 * were marked; each is roll_due. An incoming instance of a roll under
 * way is retired.
 */
size_t		 formation_reload(struct rel *, struct settings *);
/*
 * A new instance beside old, of its type and instance number, on the
 * current release and on a port no process has (old's on held sockets),
 * started; it is incoming (not
 * found by formation_instance()) until the roll says otherwise. NULL
 * when the release has no such type.
 */
struct member	*formation_incoming(struct member *, const char *);
/* No instance is roll_due any more (those replaced and stopping stay). */
void		 formation_roll_clear(void);
/*
 * On its next start, m takes the spec of the current release (none when
 * it runs that one), with a port chosen now: a roll that was to replace
 * m beside it gave others ports without counting the one m would have
 * taken, so when m is to start again after all, its port is chosen anew.
 */
void		 formation_rebase(struct member *);
/* Stop m for good: it is disposed of once stopped. */
void		 formation_retire(struct member *, const char *);
/* Create or retire instances to match the counts. */
void		 formation_apply(const char *);
void		 formation_fit_names(void);
/* -1 with *err if the type is unknown or the count bad: what
 * formation_scale() refuses, checked without a change. */
int		 formation_scale_check(const char *, int, char **);
/* Set the count of a type (or all) and apply it: missing instances are
 * started, and so are those within the count that were stopped; -1 with
 * *err as formation_scale_check(). */
int		 formation_scale(const char *, int, char **);
void		 formation_shutdown(int);
/* The member named name ("web.2", "run.3"), or NULL. */
struct member	*formation_find(const char *);
/* The instance of a type, or NULL. */
struct member	*formation_instance(const char *, int);
/* The member whose process is p, or NULL. */
struct member	*formation_member(const struct proc *);
/* The count asked for a type (0 when up TYPE... left it out). */
int		 formation_count(const char *);
/* A new member for p (taken); type is copied. */
struct member	*formation_member_new(struct proc *, const char *, int, int,
		    int);
/* Add m: a formation process in Procfile, then instance order; a
 * one-off after them all. */
void		 formation_insert(struct member *);
/* Remove m from the formation and free it on the next loop turn; once. */
void		 formation_dispose(struct member *);
/*
 * Are the processes with a readiness check ready? 1 all are; 0 some are
 * still starting, none has failed; -1 some were not ready (in time, or
 * exited first), named with why in notready ("web.1 (not ready within
 * 60s (tcp :5000))", ", "-separated); those still starting named
 * in waitlist ("web.1, web.2"), if not NULL.
 */
struct strbuf;
int		 formation_readiness(struct strbuf *, struct strbuf *);
/* Number of live processes. */
size_t		 formation_alive(void);

#endif
