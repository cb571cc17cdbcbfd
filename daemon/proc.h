/*
 * One supervised process and the state machine that drives it: a
 * formation instance (web.1) or a one-off (run.3), which proc.c does not
 * tell apart; the spec says all it needs.
 *
 * What the user wants (up or down, and at most one pending restart) is
 * kept apart from what the process is (enum proc_state). The requests
 * (proc_start, proc_stop, proc_restart) change the want and then feed an
 * event to the one transition function; the watchers (the child's exit,
 * its exec report, the timer, a readiness check) feed events too, and
 * never change the want. Each transition is logged once, at debug level
 * ("web.1: starting -> running (ready)").
 *
 * The spec is what a process runs and how (struct proc_spec); the rest is
 * its state, private to proc.c. A spec for the next start (a reload's) is
 * given with proc_set_next_spec() and taken at the next start. The owner
 * hears of every change through its callback, and asks the questions
 * below; it never reads the struct.
 */
#ifndef PROC_H
#define PROC_H

#include <sys/types.h>

#include <time.h>

#include "common/config.h"
#include "common/readyspec.h"

struct logring;
struct rel;
struct proc;
struct sockset;

enum proc_state {
	PROC_STOPPED,	/* not running, nothing pending */
	PROC_STARTING,	/* spawned, not ready yet */
	PROC_RUNNING,	/* ready */
	PROC_STOPPING,	/* stop signal sent, waiting for the exit */
	PROC_BACKOFF,	/* waiting to be started again */
	PROC_EXITED,	/* exited and, by its policy, not restarted */
	PROC_FAILED,	/* could not be started, and not restarted */
};

/*
 * Where stdin, stdout and stderr go. With no fds and no pty, stdout and
 * stderr go into the log, through a pipe (or, with tty, a pty of its own
 * that is the controlling terminal), and stdin is /dev/null.
 */
struct proc_io {
	int	 fds[3];	/* the caller's stdio; -1: /dev/null */
	int	 pty;		/* a pty slave for 0, 1, 2 and the
				 * controlling terminal; -1: none */
	char	*term;		/* TERM with pty; NULL: unchanged */
	int	 tty;		/* log through a pty, not a pipe */
};

/* How the process is run, stopped and restarted. */
struct proc_policy {
	enum restart_policy restart;	/* after an exit not asked for */
	int	 stop_signal;		/* to the whole group */
	int	 stop_timeout_ms;	/* then SIGKILL */
	mode_t	 umask;
	int	 never_restart;		/* the owner acts at the exit
					 * (--exit-on-exit): no restart and
					 * no note of it */
	int	 once;			/* runs once (a one-off): neither
					 * restarted nor started again, and
					 * its start waits for the exec */
};

/*
 * What a process runs. proc_new() and proc_set_next_spec() take every
 * pointer and fd in it (and the reference to rel), and leave the struct
 * to be discarded.
 */
struct proc_spec {
	char			*name;		/* "web.1", "run.3" */
	int			 color;		/* colour index of its lines */
	int			 port;		/* PORT; 0: none */
	char			**argv;		/* argv[0] absolute */
	char			**words;	/* NULL, or the command split
						 * into words, tried first (see
						 * struct spawn) */
	char			*display;	/* the command, for ps and logs */
	int			 shell;		/* the process is /bin/sh running
						 * the command, not the app (see
						 * command_in_shell) */
	char			**env;		/* "KEY=VALUE"s added to the
						 * release's (a one-off's -e);
						 * NULL: none */
	struct rel		*rel;		/* its release: environment,
						 * root, version */
	struct proc_io		 io;
	struct proc_policy	 policy;
	struct ready_spec	 ready;		/* when it is ready: started
						 * (all zero) for at once */
	int			 ready_timeout_ms; /* not ready by then: it
						 * is stopped, a failed
						 * start; 0: no limit */
	char			*notify_socket;	/* its NOTIFY_SOCKET; NULL:
						 * none */
	struct sockset		*sockets;	/* its type's listening sockets
						 * (daemon/sockets.h), a
						 * reference; NULL: none */
};

/*
 * The owner's callback, once after each event that changed anything;
 * ended is 1 when the process exited or failed to start in it. It may
 * dispose of the process (it is called last).
 */
typedef void (*proc_cb)(struct proc *, int ended, void *);

void	 proc_spec_init(struct proc_spec *);
/* Free what a spec holds, when it was not given to a proc. */
void	 proc_spec_release(struct proc_spec *);

struct proc *proc_new(struct proc_spec *, proc_cb, void *);
void	 proc_free(struct proc *);
void	 proc_set_callback(struct proc *, proc_cb, void *);

/* Requests: why goes into the log ("stopping (SIGTERM, scaled down)"). */
void	 proc_start(struct proc *, const char *);
void	 proc_stop(struct proc *, const char *);
/* Stop, then start again; a stopped process is started. */
void	 proc_restart(struct proc *, const char *);
/* SIGKILL the group now (a second Ctrl-C). */
void	 proc_kill_now(struct proc *);
/* Send a signal to the process group; -1 with errno on failure. */
int	 proc_signal(struct proc *, int);
/*
 * What came to NOTIFY_SOCKET from its group: READY=1 (ready, for a
 * process whose check is notify) and STATUS= (status, or NULL).
 */
void	 proc_notify(struct proc *, int ready, const char *status);
/* The spec of the next start: a reload's. Replaces any pending one. */
void	 proc_set_next_spec(struct proc *, struct proc_spec *);

/* Questions. */
enum proc_state proc_state(const struct proc *);
const char *proc_state_name(enum proc_state);
const char *proc_name(const struct proc *);
/* 1 while a pid is alive (starting, running or stopping). */
int	 proc_alive(const struct proc *);
pid_t	 proc_pid(const struct proc *);
/* Does the user want it up? */
int	 proc_wants_up(const struct proc *);
/* Is a spec waiting for the next start? */
int	 proc_has_next_spec(const struct proc *);
/* The release it runs (or ran last). */
struct rel *proc_rel(const struct proc *);
/* Its PORT, and the one its next spec gives (0: none, or no next spec). */
int	 proc_port(const struct proc *);
int	 proc_next_port(const struct proc *);
/* Its last lines, for formation logs. */
struct logring *proc_ring(struct proc *);
/* Why its last start failed, or NULL. */
const char *proc_start_error(const struct proc *);
/* Why its last start failed (not ready in time, exited before it was,
 * could not be spawned), kept through the restarts until it is running
 * again; NULL: none. */
const char *proc_last_failure(const struct proc *);
/* The wait status of its last exit; -1: none. */
int	 proc_last_status(const struct proc *);
/* Has it a readiness check other than started? */
int	 proc_has_check(const struct proc *);

/*
 * Is it ready? PROC_READY_YES running; PROC_READY_WAIT starting, the
 * first attempt since it was asked to start; PROC_READY_NO anything else
 * (not ready in time, exited, backoff, stopped, failed).
 */
enum proc_readiness {
	PROC_READY_NO,
	PROC_READY_WAIT,
	PROC_READY_YES,
};
enum proc_readiness proc_readiness(const struct proc *);

/* What ps shows of a process; the strings are the proc's. */
struct proc_info {
	const char	*name;
	pid_t		 pid;		/* 0: none */
	enum proc_state	 state;
	int		 port;
	int		 restarts;	/* automatic ones */
	time_t		 started_at;	/* 0: not running */
	int		 last_status;	/* -1: none */
	int		 version;	/* of its release */
	const char	*display;
	const char	*status;	/* its last STATUS=; "": none */
	int		 shell;		/* its pid is /bin/sh's (the command
					 * it runs is kept in the shell) */
	int		 last_shell;	/* last_status is /bin/sh's */
};
void	 proc_info(const struct proc *, struct proc_info *);

/* Its last exit in words, the shell's said so: "exited with status 3",
 * "killed by SIGKILL" (common/waitstatus.h). */
void	 proc_describe_exit(const struct proc *, char *, size_t);

#endif
