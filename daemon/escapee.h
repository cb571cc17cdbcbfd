/*
 * Escapees: descendants of an instance that left its process group (a
 * setsid, a double fork) and so are not reached by the signals sent to
 * the group. The daemon is their subreaper, so they stay its
 * descendants; whose they are is told by the PS of their environment,
 * which a process inherits from the instance ("web.1"), unless it
 * clears it.
 *
 * When an instance stops, its escapees are stopped with it: the stop
 * signal goes to them when the instance is asked to stop, SIGKILL once
 * the instance is gone. The processes of the live instances, and their
 * groups, are never signalled (the new web.1 of a restart is not an
 * escapee of the old one). The look reads /proc once per loop turn for
 * every instance noted in it.
 */
#ifndef ESCAPEE_H
#define ESCAPEE_H

#include <sys/types.h>

/*
 * Signal the escapees of the instance named (its PS) with sig, before
 * the loop next waits; SIGKILL wins over another signal in one turn.
 * group (0: none) is the instance's own process group, gone or going:
 * not escapees. next (0: none) is the process of its next run, started
 * already (a restart): what started with it or after is its, not the
 * last run's.
 */
void	escapee_note(const char *, int, pid_t, pid_t);
/* Forget what is noted: the formation is shutting down, and its sweep
 * kills every escapee. */
void	escapee_forget(void);
/* The state, parent, process group and start time (in clock ticks
 * since boot; may be NULL) of pid from /proc/PID/stat; -1 when there is
 * no such process. */
int	escapee_stat(pid_t, char *, pid_t *, pid_t *, unsigned long long *);

#endif
