/*
 * The terminal of a daemon run in the foreground (formation up).
 *
 * A shell job is expected to end with its terminal: when the controlling
 * terminal the daemon started with hangs up (the window was closed, the
 * ssh connection dropped), the formation stops gracefully, and what the
 * terminal could not show, with everything logged after, is appended to
 * the log file instead. SIGHUP is "reload" only while the terminal is
 * there, or for a daemon that never had one (up -d, systemd).
 *
 * Job control does not apply to a supervisor: stopped, it would supervise
 * nothing and answer no one. Ctrl-Z (SIGTSTP) is refused with a hint;
 * SIGTTOU and SIGTTIN are ignored, so a daemon in a background job writes
 * its log rather than stop.
 */
#ifndef TERMINAL_H
#define TERMINAL_H

#include <ev.h>

/* Note the controlling terminal, if any; logpath names where the log
 * goes once it hangs up (copied; output_logfile_at() says where it is).
 * Watches SIGTSTP on loop. */
void	terminal_init(struct ev_loop *, const char *);
void	terminal_free(void);
/* 1 if the daemon started with a controlling terminal and it is gone. */
int	terminal_gone(void);
/* The terminal hung up: divert the log, stop the formation (once). */
void	terminal_hangup(const char *);

#endif
