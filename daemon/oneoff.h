/*
 * One-off processes (formation oneoff, formation run): spawned by the
 * daemon from the current release, attached to the caller's terminal or
 * stdio, never restarted, ended when their caller goes away.
 *
 * A one-off is a member of the formation (type "run", instance N, its
 * proc named run.N), so ps lists it and shutdown stops it; its policy is
 * to run once. The member's caller is the attached peer (NULL when
 * detached, or once the caller is gone), and it is disposed of at its
 * exit. The output of a detached one-off outlives it in
 * oneoff_logs, for formation logs.
 */
#ifndef ONEOFF_H
#define ONEOFF_H

#include <sys/queue.h>

#include "daemon/output.h"

struct msg;
struct peer;
struct proc;

/* The log lines of a finished detached one-off; oldest first. */
struct oneoff_log {
	TAILQ_ENTRY(oneoff_log)	 entry;
	char			*name;
	struct logring		 ring;
};
TAILQ_HEAD(oneoff_log_list, oneoff_log);
extern struct oneoff_log_list oneoff_logs;

/* MSG_ONEOFF; -1 if malformed. */
int	oneoff_request(struct peer *, struct msg *);
/* The caller's connection closed before its one-off started. */
void	oneoff_peer_gone(struct peer *);
/* The caller's connection closed: SIGHUP, then SIGKILL after the timeout. */
void	oneoff_caller_gone(struct proc *);
/* Keep what a finished process said, for formation logs: a detached
 * one-off, the release phase. Its ring is emptied. */
void	oneoff_keep_log(struct proc *);
/* Free oneoff_logs, at daemon exit. */
void	oneoff_free(void);

#endif
