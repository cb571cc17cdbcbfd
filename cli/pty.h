/*
 * The CLI's side of a one-off's terminal: our own terminal in raw mode,
 * and the bytes between it and the pty master the daemon handed us.
 *
 * pty_raw() saves the terminal's settings and registers pty_restore()
 * with atexit(), so they come back however the CLI ends short of
 * SIGKILL; call pty_restore() before printing a message too.
 *
 * A struct pty_relay owns master. pty_relay_poll() asks for what the
 * relay can do now (at most PTY_POLLFDS entries), pty_relay_run() does it.
 * stdin goes to the master through a small buffer, never blocking, so a
 * one-off that does not read cannot stall its own output; its output goes
 * to stdout as it comes. At stdin's EOF the terminal's EOF character is
 * sent, once. When the master gives EIO (every slave closed: the one-off
 * is gone) the relay is done.
 *
 * With an escape character (pty_relay_escape), stdin goes through
 * escape_filter() first: the escapes that end the relay or stop the CLI
 * are left in action for the caller, which clears it once it has acted;
 * the list of escapes is written to stderr at once.
 */
#ifndef PTY_H
#define PTY_H

#include <poll.h>
#include <stddef.h>

#include "cli/escape.h"

#define PTY_POLLFDS	2

struct pty_relay {
	int	 master;	/* -1 once done */
	int	 in_open;	/* stdin still read */
	int	 out_broken;	/* stdout failed: output is dropped */
	int	 midline;	/* stdin's last byte was not a newline */
	char	 buf[4096];	/* from stdin, for the master */
	size_t	 len;
	struct escape		esc;	/* ch -1: no escapes */
	enum escape_action	action;	/* DETACH or SUSPEND, to act on */
};

int	pty_raw(int);
void	pty_restore(void);
/* Before we stop (SIGTSTP): the saved settings back, for the shell. */
void	pty_suspend(void);
/* Continued (SIGCONT): raw mode again, if it was on. */
void	pty_resume(void);
/* Our window size (stdin's, else stdout's); 0 x 0 when neither is a tty. */
void	pty_window(unsigned *, unsigned *);
/* The size for a terminal we do not have: $LINES x $COLUMNS, else
 * 24 x 80. */
void	pty_default_window(unsigned *, unsigned *);

void	pty_relay_init(struct pty_relay *, int);
void	pty_relay_close(struct pty_relay *);
/* Recognise the escapes of escape.h on stdin, with this character. */
void	pty_relay_escape(struct pty_relay *, int);
/* Copy our window size to the one-off's terminal (on SIGWINCH). */
void	pty_relay_resize(struct pty_relay *);
int	pty_relay_poll(struct pty_relay *, struct pollfd *);
/* Act on what poll() said about the entries pty_relay_poll() filled. */
void	pty_relay_run(struct pty_relay *, const struct pollfd *, int);

#endif
