/*
 * The records of a MSG_PS_REPLY, as formation ps and the completion read
 * them. Every string points into the message.
 */
#ifndef PS_H
#define PS_H

#include <stdint.h>

struct msg;

struct ps_row {
	const char	*name, *type, *state, *release, *command, *code;
	uint32_t	 pid, port, restarts, last_status;
	uint64_t	 started_at;
	uint32_t	 signal;	/* the last formation kill; 0: none */
	uint64_t	 signalled_at;
	const char	*status;	/* STATUS= it sent; "": none */
	uint32_t	 shell;		/* PS_SHELL, PS_LAST_SHELL: the pid,
					 * the last status are /bin/sh's */
	/* From MSG_USAGE_REPLY (ps_usage()): */
	uint32_t	 cpu;		/* hundredths of a percent of one CPU;
					 * UINT32_MAX: not known */
	uint64_t	 rss;		/* bytes; 0 with no processes */
	uint32_t	 nprocs;	/* in its session */
};

/* A socket the daemon holds for a type (listen in formation.ini). */
struct ps_socket {
	const char	*type, *name, *address;
	uint32_t	 fd;		/* in each instance: 3, 4, ... */
};

/* The release, its code ("a1b2c3d", "none") and the rows (allocated, n
 * of them; free(*rows) whatever the result); -1 if the reply does not
 * decode whole. */
int	ps_decode(struct msg *, const char **, const char **, struct ps_row **,
	    uint32_t *);
/* Ask c for the usage of each process and fill it into the n rows (by
 * name); rows it does not name, or all when the daemon cannot say, get
 * none. With wait, the daemon gives CPU figures even at its first
 * sample, a quarter of a second later; without, CPU may be unknown. -1
 * if the reply does not decode. */
struct client;
int	ps_usage(struct client *, struct ps_row *, uint32_t, int);
/* "12.5" (percent), "-" when not known; "12.3M", "-". */
void	ps_cpu(char *, size_t, const struct ps_row *);
/* MSG_PS then MSG_USAGE on c (wait as for ps_usage()): the release, its
 * code and the rows with their usage, pointing into keep; EXIT_OK, or the
 * exit status after the error was said. free(*rows) whatever the
 * result. */
struct strbuf;
int	ps_fetch(struct client *, struct strbuf *, const char **,
	    const char **, struct ps_row **, uint32_t *, int);
void	ps_rss(char *, size_t, uint64_t);
/* Since started (Unix time): "42s", "2m05s", "3h07m", "2d04h"; "-" for
 * 0. */
void	ps_uptime(char *, size_t, uint64_t);
/* After ps_decode() has read the rows: the held sockets (allocated,
 * *n of them; free(*socks) whatever the result). */
int	ps_decode_sockets(struct msg *, struct ps_socket **, uint32_t *);

#endif
