#include <sys/wait.h>

#include <signal.h>
#include <stdio.h>

#include "common/util.h"
#include "common/waitstatus.h"

int
waitstatus_signal(int status, int shell, enum waitstatus_killed *killed)
{
	int code;

	if (WIFSIGNALED(status)) {
		*killed = shell ? WAITSTATUS_SHELL : WAITSTATUS_PROGRAM;
		return WTERMSIG(status);
	}
	/* 128 + N, with N a signal: how a shell tells of a program that
	 * signal N killed. A program's own 137 is only a number. */
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
	if (shell && code > 128 && code - 128 < NSIG) {
		*killed = WAITSTATUS_LAST_PROGRAM;
		return code - 128;
	}
	*killed = WAITSTATUS_NONE;
	return 0;
}

const char *
waitstatus_killed_name(enum waitstatus_killed killed)
{
	switch (killed) {
	case WAITSTATUS_PROGRAM:
		return "program";
	case WAITSTATUS_SHELL:
		return "shell";
	case WAITSTATUS_LAST_PROGRAM:
		return "last program";
	default:
		return NULL;
	}
}

void
waitstatus_describe(int status, int shell, char *buf, size_t len)
{
	enum waitstatus_killed killed;
	int sig = waitstatus_signal(status, shell, &killed);
	int code = WEXITSTATUS(status);
	const char *core = WCOREDUMP(status) ? "core dumped" : NULL;

	if (killed == WAITSTATUS_PROGRAM)
		snprintf(buf, len, "killed by %s%s%s%s", signal_name(sig),
		    core ? " (" : "", core ? core : "", core ? ")" : "");
	else if (killed == WAITSTATUS_SHELL)
		snprintf(buf, len, "killed by %s (the shell itself%s%s)",
		    signal_name(sig), core ? ", " : "", core ? core : "");
	else if (killed == WAITSTATUS_LAST_PROGRAM)
		snprintf(buf, len, "exited with status %d (the shell's: its "
		    "last program was killed by %s)", code, signal_name(sig));
	else if (code == 127)
		snprintf(buf, len, "exited with status 127 (command not found)");
	else if (code == 126)
		snprintf(buf, len,
		    "exited with status 126 (command not executable)");
	else if (shell)
		snprintf(buf, len, "exited with status %d (the shell's: that "
		    "of the last command it ran)", code);
	else
		snprintf(buf, len, "exited with status %d", code);
}

void
waitstatus_brief(int status, int shell, char *buf, size_t len)
{
	enum waitstatus_killed killed;
	int sig = waitstatus_signal(status, shell, &killed);
	const char *mark = shell ? "*" : "";

	if (sig != 0)
		snprintf(buf, len, "%s%s", signal_name(sig), mark);
	else
		snprintf(buf, len, "status %d%s", WEXITSTATUS(status), mark);
}

int
waitstatus_code(int status)
{
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
