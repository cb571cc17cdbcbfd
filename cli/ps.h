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
};

/* The release, its code ("a1b2c3d", "none") and the rows (allocated, n
 * of them; free(*rows) whatever the result); -1 if the reply does not
 * decode whole. */
int	ps_decode(struct msg *, const char **, const char **, struct ps_row **,
	    uint32_t *);

#endif
