/*
 * How a process ended, from its wait(2) status, in the words of the
 * daemon's log lines and of ps.
 *
 * A process that is /bin/sh keeping its command (a list, a pipeline, a
 * builtin: see command_in_shell) has the shell's status, not that of a
 * program it ran. The shell exits with the status of the last command it
 * ran, and with 128 + N when that was a program killed by signal N, as
 * dash and bash say it; a shell killed by a signal was killed itself,
 * and what became of its program is not known. shell says which kind of
 * process the status is of: 0 for one that is its program (a simple
 * command, executed or run as exec COMMAND), 1 for a shell.
 */
#ifndef WAITSTATUS_H
#define WAITSTATUS_H

#include <stddef.h>

/* Whom the signal of waitstatus_signal() killed. */
enum waitstatus_killed {
	WAITSTATUS_NONE,		/* no one: it exited */
	WAITSTATUS_PROGRAM,		/* the process, the program itself */
	WAITSTATUS_SHELL,		/* the process, the shell itself */
	WAITSTATUS_LAST_PROGRAM,	/* the last program the shell ran, by
					 * its status of 128 + N */
};

/* The signal that ended it, 0 for none, and whom it killed. */
int	 waitstatus_signal(int, int, enum waitstatus_killed *);
/* "program", "shell", "last program"; NULL for WAITSTATUS_NONE. */
const char *waitstatus_killed_name(enum waitstatus_killed);
/*
 * The log line's words: "killed by SIGKILL", "exited with status 3",
 * "exited with status 127 (command not found)"; for a shell, "killed by
 * SIGTERM (the shell itself)", "exited with status 137 (the shell's: its
 * last program was killed by SIGKILL)", "exited with status 3 (the
 * shell's: that of the last command it ran)".
 */
void	 waitstatus_describe(int, int, char *, size_t);
/* The same in a few words, for a column that has little room:
 * "SIGKILL", "status 3"; a shell's marked with a "*": "status 3*",
 * "SIGKILL*" (killed itself, or its last program was). */
void	 waitstatus_brief(int, int, char *, size_t);
/* The status as a shell gives it: 128 + N when killed by signal N. */
int	 waitstatus_code(int);

#endif
