/*
 * Telling systemd how the daemon is doing: the sd_notify protocol, without
 * libsystemd. Each message is one datagram to the socket that
 * $NOTIFY_SOCKET names, a path or "@name" in the abstract namespace.
 *
 * notify_init() reads NOTIFY_SOCKET and WATCHDOG_USEC once; it leaves the
 * environment alone (the release builder keeps service variables out of
 * the children's). When WATCHDOG_USEC is set, and WATCHDOG_PID is unset or
 * names this process, a timer on loop sends WATCHDOG=1 every half of it;
 * the timer does not keep the loop alive. Without NOTIFY_SOCKET every
 * function is a no-op. A message that cannot be sent is dropped: systemd
 * is told, never waited for.
 */
#ifndef NOTIFY_H
#define NOTIFY_H

#include <ev.h>

void	notify_init(struct ev_loop *);
/* 1 under systemd: there is a NOTIFY_SOCKET to tell. */
int	notify_on(void);
/* Stop the watchdog and close the socket. */
void	notify_free(void);
/* READY=1: the formation is started (again, after a reload). */
void	notify_ready(void);
/* RELOADING=1 and MONOTONIC_USEC=, as Type=notify-reload expects. */
void	notify_reloading(void);
/* STOPPING=1: shutdown has begun. */
void	notify_stopping(void);
/* STATUS=, one line: a newline in the text becomes a space. */
void	notify_status(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
