/*
 * One-off processes (formation oneoff, formation run): spawned by the
 * daemon from the current release, attached to the caller's terminal or
 * stdio, never restarted, ended when their caller goes away.
 */
#ifndef ONEOFF_H
#define ONEOFF_H

struct msg;
struct peer;
struct proc;

/* MSG_ONEOFF; -1 if malformed. */
int	oneoff_request(struct peer *, struct msg *);
/* The caller's connection closed: SIGHUP, then SIGKILL after the timeout. */
void	oneoff_caller_gone(struct proc *);

#endif
