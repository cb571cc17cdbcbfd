/*
 * Starting a child: fork and exec, nothing else (git's start_command,
 * dinit's exec stage).
 *
 * The caller allocates everything before spawn_start(): argv (argv[0] an
 * absolute path, see spawn_find_program), envp, cwd. In the child only
 * async-signal-safe calls run: a new session, an empty signal mask and
 * default dispositions, the three fds, no others, the working directory,
 * then execve. A failure at any step is sent back through a close-on-exec
 * pipe, so spawn_start() returns -1 with a reason ("chdir '/x': No such
 * file or directory") instead of a child that dies mysteriously.
 *
 * The daemon starts every process with it, and the CLI a one-off when no
 * daemon is up (cli/local.c).
 */
#ifndef SPAWN_H
#define SPAWN_H

#include <stddef.h>
#include <sys/types.h>

struct spawn {
	char *const	*argv;
	char *const	*words;		/* NULL, or a command that needs no
					 * shell: words[0] is looked up in the
					 * PATH of envp and executed; argv
					 * (its /bin/sh -c) only if that fails */
	char *const	*envp;
	const char	*cwd;
	int		 fds[3];	/* become 0, 1, 2; -1: /dev/null */
	int		 ctty;		/* fds[1] is a pty slave: make it the
					 * controlling terminal */
	int		 pdeathsig;	/* die with the daemon (0: no) */
	mode_t		 umask;
	/* Listening sockets (socket activation, sd_listen_fds(3)): they
	 * become fds 3, 4, ... without FD_CLOEXEC. listen_pid, when not
	 * NULL, points into envp at the value of LISTEN_PID, with room
	 * for SPAWN_PID_DIGITS: the child writes its own pid there. */
	const int	*listen_fds;
	size_t		 nlisten;	/* at most SPAWN_LISTEN_MAX */
	char		*listen_pid;
};

#define SPAWN_LISTEN_MAX	16
#define SPAWN_PID_DIGITS	20

/* Once, at start: default dispositions for the real-time signals, which
 * children do not reset each (one system call a signal). */
void	spawn_init(void);

/* Returns the pid once the child has exec'd, or -1 with a reason in err
 * (errno-style code in *code: 126 not executable, 127 not found, 125
 * other). */
pid_t	spawn_start(const struct spawn *, char *, size_t, int *);
/*
 * The same without waiting for the exec, so that many children can start
 * at once. Returns the pid and, in *errfd, the read end of the report pipe
 * (close-on-exec, blocking; the caller closes it): it reaches EOF once the
 * child has exec'd, or holds a report if a step before failed. -1 (err,
 * code) when no child could be made.
 */
pid_t	spawn_begin(const struct spawn *, int *, char *, size_t, int *);
/* Read the report of errfd for the child of sp (argv[0] and cwd are used
 * in the reason): 0 the child exec'd, -1 it failed (err, code as for
 * spawn_start), 1 not known yet (errfd non-blocking and empty). */
int	spawn_result(int, const struct spawn *, char *, size_t, int *);
/* Look file up in the PATH of envp (or use it as is when it has a '/').
 * Returns an allocated path, or NULL with errno set. */
char	*spawn_find_program(const char *, char *const *);

/* fork(2), unless a test puts another in its place; it is called with
 * every signal blocked. */
extern pid_t (*spawn_fork)(void);

/* A new pty pair, both ends close-on-exec, the slave not our terminal. */
int	 spawn_open_pty(int *, int *);

#endif
