/*
 * One supervised process: a formation instance (web.1) or a one-off
 * (run.3), and the state machine that drives it.
 *
 * What the user wants (want: up or down) is kept apart from what the
 * process is (state). Requests only change want, through proc_want() or
 * proc_restart(); events (exit, timers) only record facts; proc_drive()
 * alone moves the state and logs each transition as a system line.
 *
 * The spec is fixed while the process runs on a release; the rest is its
 * state. After a reload, rebase asks for the spec of the new release,
 * taken when the process next starts (formation_rebase()). The proc owns
 * its spec strings, its output source and its log ring; rel is a counted
 * reference.
 */
#ifndef PROC_H
#define PROC_H

#include <sys/queue.h>
#include <sys/types.h>

#include <ev.h>
#include <time.h>

#include "common/config.h"
#include "daemon/output.h"

struct rel;

enum proc_state {
	PROC_STOPPED,	/* not running, nothing pending */
	PROC_RUNNING,
	PROC_STOPPING,	/* stop signal sent, waiting for the exit */
	PROC_BACKOFF,	/* waiting to be restarted */
	PROC_EXITED,	/* exited and, by its policy, not restarted */
	PROC_FAILED,	/* could not be started, and not restarted */
};

enum proc_want {
	WANT_DOWN,
	WANT_UP,
};

struct proc_spec {
	char			*name;		/* "web.1", "run.3" */
	char			*type;		/* "web", "run" */
	int			 instance;
	int			 index;		/* Procfile position; colour */
	int			 port;		/* 0: no PORT */
	char			**argv;		/* argv[0] absolute */
	char			**words;	/* NULL, or the command split
						 * into words, tried first (see
						 * struct spawn) */
	char			*display;	/* the command, for ps and logs */
	struct type_settings	 ts;
	int			 oneoff;
};

/* How a one-off's stdio is wired; a formation process always logs. */
struct proc_io {
	int	 fds[3];	/* passed by the caller; -1: unused */
	int	 pty_slave;	/* -1: none; a tty type's too, until the exit */
	char	*term;		/* TERM for a pty one-off */
};

struct proc;
typedef void (*proc_exit_cb)(struct proc *, int, void *);

struct proc {
	TAILQ_ENTRY(proc)	 entry;
	struct proc_spec	 spec;
	struct rel		*rel;
	enum proc_state		 state;
	enum proc_want		 want;
	int			 restart_now;	/* stop, then start at once */
	int			 retired;	/* dispose of it once stopped */
	int			 rebase;	/* on the next start, take the
						 * current release */
	pid_t			 pid;		/* 0: none */
	ev_child		 child;
	ev_io			 exec;		/* the report of a child not
						 * yet exec'd; fd -1: none */
	ev_timer		 timer;		/* backoff or kill */
	ev_timer		 drain;		/* stopping: the leader is gone,
						 * its group not yet */
	int			 leader_status;	/* its wait status, meanwhile */
	struct outsrc		*out;
	struct logring		 ring;
	int			 restarts;	/* automatic restarts */
	int			 failures;	/* in a row, for the backoff */
	time_t			 started_at;	/* wall clock */
	ev_tstamp		 started_mono;
	int			 last_status;	/* wait status; -1: none */
	char			*start_error;	/* why the last start failed */
	struct proc_io		 io;
	proc_exit_cb		 on_exit;	/* after every exit */
	void			*on_exit_arg;
};

struct proc *proc_new(struct proc_spec *, struct rel *);
void	 proc_free(struct proc *);
void	 proc_want(struct proc *, enum proc_want, const char *);
void	 proc_restart(struct proc *, const char *);
/* SIGKILL the group now (a second Ctrl-C). */
void	 proc_kill_now(struct proc *);
/* Send a signal to the process group; -1 with errno on failure. */
int	 proc_signal(struct proc *, int);
const char *proc_state_name(enum proc_state);
/* 1 while a pid is alive (running or stopping). */
int	 proc_alive(const struct proc *);
/* "exited with status 3", "killed by SIGKILL". */
void	 proc_describe_status(int, char *, size_t);
/* The wait status as a shell would: code, or 128 + signal. */
int	 proc_exit_code(int);

#endif
