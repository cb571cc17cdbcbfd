/*
 * The formation in one line, for systemd's STATUS= (systemctl status):
 *
 *	formation v3 in /srv/shop: 3 running, 1 backoff, 1 stopped
 *
 * the release, then the processes of the formation counted by state, in
 * the words of formation ps (running, starting, stopping, backoff,
 * failed, exited, stopped; those at 0 left out), then the one-offs;
 * "no processes" when there are none.
 *
 * status_changed() is called wherever a process changes state or joins
 * or leaves the formation; the line is made once per loop turn at most,
 * and sent only when it differs from the last. Without NOTIFY_SOCKET it
 * costs nothing.
 */
#ifndef STATUS_H
#define STATUS_H

#include "common/strbuf.h"

void	status_init(void);
void	status_free(void);
/* Something changed: send the line before the loop next waits. */
void	status_changed(void);
/* Send the line now (after READY=1), if it changed. */
void	status_send(void);
/* The line, appended to sb. */
void	status_line(struct strbuf *);

#endif
