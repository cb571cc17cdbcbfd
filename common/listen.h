/*
 * The listen setting of a process type ([process.NAME] listen in
 * formation.ini(5)): the sockets formationd binds once and holds, and
 * passes to every instance of the type by the socket-activation protocol
 * of systemd (sd_listen_fds(3)).
 *
 * The text is a comma-separated list of [NAME=]KIND:ADDRESS:
 *
 *	tcp:PORT		0.0.0.0:PORT
 *	tcp:HOST:PORT		an IPv4 address, or localhost
 *	tcp6:PORT		[::]:PORT, IPv6 only
 *	tcp6:[HOST]:PORT	an IPv6 address, or localhost (::1)
 *	unix:PATH		a stream socket; a relative path is taken
 *				from the app root
 *
 * PORT is a number or $PORT (${PORT}), the type's base port. NAME goes
 * into LISTEN_FDNAMES; without one the type's name does. listen_parse()
 * checks the syntax alone (formation check, formation.ini);
 * listen_resolve() puts in the port and the root, and is what is bound.
 */
#ifndef LISTEN_H
#define LISTEN_H

#include <sys/socket.h>

#include <stddef.h>

#define LISTEN_MAX	16	/* sockets of one type */

enum listen_kind {
	LISTEN_TCP,
	LISTEN_TCP6,
	LISTEN_UNIX,
};

struct listen_addr {
	enum listen_kind kind;
	char		 name[64];	/* "": the type's */
	char		 host[48];	/* numeric; "": any */
	int		 port;		/* 0: $PORT, until resolved */
	char		 path[108];	/* LISTEN_UNIX */
};

struct listen_list {
	size_t			n;
	struct listen_addr	a[LISTEN_MAX];
};

/* -1 with *err (allocated) saying what is wrong with text. An empty text
 * is an empty list: no sockets. */
int	listen_parse(const char *, struct listen_list *, char **);
/* $PORT becomes port, a relative path is joined to root; -1 with *err
 * when a path grows too long. */
int	listen_resolve(struct listen_list *, int, const char *, char **);
/* "tcp:0.0.0.0:5000", "tcp6:[::1]:5000", "unix:/srv/app/web.sock". */
void	listen_format(const struct listen_addr *, char *, size_t);
/*
 * The address of a, to bind (connect 0) or to connect to (connect 1: an
 * address of every interface is reached on the loopback, 127.0.0.1 or
 * ::1); -1 with errno EINVAL when a has no such address.
 */
int	listen_sockaddr(const struct listen_addr *, int,
	    struct sockaddr_storage *, socklen_t *);
/* A socket bound and listening, close-on-exec and blocking, as systemd
 * passes them; -1 with errno. A unix path left by a daemon that is gone
 * (nothing answers on it) is replaced. */
int	listen_open(const struct listen_addr *);

#endif
