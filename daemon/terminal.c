#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "daemon/formation.h"
#include "daemon/output.h"
#include "daemon/terminal.h"

static struct {
	int		 had_tty;	/* started with a controlling terminal */
	int		 stdout_tty;	/* and the log went to a terminal */
	int		 hung_up;
	char		*logpath;
	ev_signal	 tstp;
	ev_timer	 later;		/* a hangup seen inside the output */
} term;

static void
terminal_tstp_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	output_system("Ctrl-Z ignored: a formation cannot be suspended "
	    "('formation up -d' runs it in the background)");
}

static void
terminal_later_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	terminal_hangup("the terminal hung up");
}

/*
 * Writing the log to the terminal failed. EIO is a terminal that hung
 * up: as a SIGHUP may come late (or, for a background job, never), that
 * is the hangup too. The stop waits for the next loop turn: we are inside
 * the output code.
 */
static void
terminal_sink_lost(int error)
{
	if (!term.stdout_tty || error != EIO || term.hung_up)
		return;
	if (output_divert() == -1)
		log_warn("cannot open '%s'", term.logpath);
	ev_timer_start(EV_DEFAULT, &term.later);
}

void
terminal_init(struct ev_loop *loop, const char *logpath)
{
	int fd;

	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) != -1) {
		term.had_tty = 1;
		close(fd);
	}
	term.stdout_tty = isatty(STDOUT_FILENO);
	term.logpath = xstrdup(logpath);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	ev_signal_init(&term.tstp, terminal_tstp_cb, SIGTSTP);
	ev_signal_start(loop, &term.tstp);
	ev_timer_init(&term.later, terminal_later_cb, 0., 0.);
	output_sink_lost = terminal_sink_lost;
}

void
terminal_free(void)
{
	ev_signal_stop(EV_DEFAULT, &term.tstp);
	ev_timer_stop(EV_DEFAULT, &term.later);
	output_sink_lost = NULL;
	free(term.logpath);
	term.logpath = NULL;
}

/* After a hangup the kernel has taken the terminal from the session:
 * /dev/tty cannot be opened any more. */
int
terminal_gone(void)
{
	int fd;

	if (!term.had_tty)
		return 0;
	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1)
		return errno == ENXIO || errno == EIO;
	close(fd);
	return 0;
}

void
terminal_hangup(const char *why)
{
	ev_timer_stop(EV_DEFAULT, &term.later);
	if (term.hung_up)
		return;
	term.hung_up = 1;
	if (output_divert() == -1)
		log_warn("cannot open '%s'", term.logpath);
	output_system("%s: stopping (the log goes on in '%s')", why,
	    term.logpath);
	formation_shutdown(0);
}
