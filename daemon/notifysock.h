/*
 * The daemon's own NOTIFY_SOCKET, for its processes: the sd_notify
 * protocol the other way round (daemon/notify.h tells systemd). One
 * datagram socket per daemon, STATE/notify.sock (an abstract "@" name
 * when that path is too long for a socket); a process whose readiness
 * check is notify gets its name in NOTIFY_SOCKET.
 *
 * A datagram counts for the process whose group its sender is in, as
 * the kernel vouches for the sender (SCM_CREDENTIALS); from anyone else
 * it is dropped. Of its lines READY=1 and STATUS= are read, the rest
 * ignored; fds sent with it (systemd-notify's BARRIER=1) are closed,
 * which releases the sender.
 */
#ifndef NOTIFYSOCK_H
#define NOTIFYSOCK_H

#include <sys/types.h>

struct proc;

/* Listen; -1 (logged) when it cannot: notify checks then never pass. */
int		 notifysock_init(const char *);
void		 notifysock_free(void);
/* The NOTIFY_SOCKET to give; NULL when there is none. */
const char	*notifysock_name(void);
/* One datagram's text, as the socket reads it: what it says. */
void		 notifysock_parse(const char *, size_t, int *, char *, size_t);

#endif
