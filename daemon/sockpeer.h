/*
 * The far end of a connection the daemon made to a socket it holds (the
 * ready check accept, daemon/probe.h): the server's socket of that
 * connection, whether a process has accepted it yet, and which.
 *
 * A connection to a listening socket is complete, in the kernel, before
 * anyone accepts it: its server end waits in the listener's queue, a
 * socket with no file, so no inode. accept() gives it one, the inode a
 * process then holds as "socket:[N]" among its fds. So the check asks
 * the kernel for the server end of its own connection, by the exact
 * address pair (TCP: the sock_diag netlink family's tcp_diag, else
 * /proc/net/tcp and tcp6) or as the peer of its own socket (unix:
 * unix_diag), and looks for that inode in the fds of the processes of
 * the instance's session.
 *
 * Each call is one synchronous look, of microseconds (a netlink request
 * the kernel answers at once) to a few milliseconds (/proc); none waits
 * on another process.
 */
#ifndef SOCKPEER_H
#define SOCKPEER_H

#include <sys/socket.h>
#include <sys/types.h>

/*
 * The inode of the server end of the TCP connection from client to
 * server (either family, the two of one): 0 while it waits in the queue,
 * accepted by no one; *state its TCP state (TCP_ESTABLISHED, ...; a
 * server end in FIN_WAIT1 and after was accepted and closed). -1 with
 * errno ENOENT when there is no such connection, another errno when
 * neither tcp_diag nor /proc answers.
 */
int	sockpeer_tcp(const struct sockaddr_storage *,
	    const struct sockaddr_storage *, unsigned long *, int *);
/* The same, from /proc/net/tcp or tcp6 alone. */
int	sockpeer_tcp_proc(const struct sockaddr_storage *,
	    const struct sockaddr_storage *, unsigned long *, int *);
/*
 * In the text of /proc/net/tcp (or tcp6, by server's family), the line
 * of the socket whose local address is server and remote one client:
 * its inode and state. -1 when there is none.
 */
int	sockpeer_parse_proc(const char *, const struct sockaddr_storage *,
	    const struct sockaddr_storage *, unsigned long *, int *);
/*
 * The inode of the peer of the unix socket whose inode is ino (the
 * server end of its connection): 0 while it waits in the queue, or once
 * whoever accepted it has closed it. -1 with errno ENOENT when ino is
 * no socket or has no peer, another errno when unix_diag does not
 * answer.
 */
int	sockpeer_unix(unsigned long, unsigned long *);
/* Does a process of the session hold the socket ino among its fds?
 * The session's leader is looked at first. */
int	sockpeer_held(pid_t, unsigned long);

#endif
