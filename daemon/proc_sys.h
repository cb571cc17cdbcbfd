/*
 * The inside of proc.c that a test needs (tests/unit/check_proc.c): the
 * events of the state machine, the function that takes them, and the
 * seam of system calls (spawn, signal, clock, timer), so that the machine
 * runs without real processes, as dinit's proctests do.
 *
 * The daemon uses the real calls: spawn_begin()/spawn_start(), kill(2),
 * ev_now() and an ev_timer in each proc. A test installs its own with
 * proc_set_sys(), then feeds the events a watcher would.
 */
#ifndef PROC_SYS_H
#define PROC_SYS_H

#include <stddef.h>
#include <sys/types.h>

struct proc;
struct spawn;

enum proc_event {
	PROC_EV_START,		/* the user wants it up */
	PROC_EV_STOP,		/* the user wants it down */
	PROC_EV_RESTART,	/* stop it, then start it again */
	PROC_EV_EXITED,		/* arg: the wait status */
	PROC_EV_EXEC_FAILED,	/* a step before the exec failed; arg the
				 * code (126, 127, 125), why the reason */
	PROC_EV_READY,		/* its readiness check passed */
	PROC_EV_TIMER,		/* its timer (back-off, stop, ready) ran out */
	PROC_EV_NEW_SPEC,	/* a spec for the next start was given */
};

struct proc_sys {
	/* spawn_begin() when wait is 0 (*errfd the report pipe), else
	 * spawn_start() (*errfd -1). */
	pid_t	(*spawn)(const struct spawn *, int wait, int *errfd, char *,
		    size_t, int *);
	int	(*kill)(pid_t, int);
	double	(*now)(void);			/* seconds, monotonic */
	void	(*timer)(struct proc *, double);	/* arm p's timer to
						 * run out after that many
						 * seconds; < 0: disarm */
	void	(*probe)(struct proc *, int);	/* 1: begin the readiness
						 * check of p's spec (it
						 * feeds PROC_EV_READY); 0:
						 * end it */
};

/* NULL: the real calls. */
void	proc_set_sys(const struct proc_sys *);
/* The transition function: how the state moves on an event. */
void	proc_event(struct proc *, enum proc_event, int, const char *);
/* The event names, for the debug log. */
const char *proc_event_name(enum proc_event);

#endif
