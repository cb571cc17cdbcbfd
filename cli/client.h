/*
 * The CLI's side of the control socket: find it, connect, send requests,
 * read replies (blocking; the CLI has nothing else to do meanwhile).
 *
 * client_open() resolves the socket (--socket, $FORMATION_SOCKET, the
 * nearest directory with a Procfile) and connects; on failure it prints
 * why, in one line, and returns -1. A daemon it cannot trust (another
 * uid's: formationd(8) SECURITY) is sent nothing: client_open() says so
 * and exits 125; so does a daemon that does not answer within the
 * timeout (--timeout, $FORMATION_CLI_TIMEOUT), with "'SOCKET' did not
 * answer within Ns". A struct msg from client_recv()
 * points into the client's buffer and is valid until the next call.
 */
#ifndef CLIENT_H
#define CLIENT_H

#include <stdint.h>

#include "common/msg.h"
#include "common/strbuf.h"

struct client {
	int		 fd;
	char		*socket;
	char		*root;		/* NULL when given by path */
	struct strbuf	 in;
	size_t		 consumed;	/* of in, by the last message */
	int		 fds[MSG_MAXFDS];
	int		 nfds;
	int		 timeout_ms;	/* for connect, each send and each
					 * reply; 0: none. A stream sets it
					 * to 0 once its first reply is in. */
};

int	client_open(struct client *);
/* As client_open(), but silent when no daemon is up (no socket, or no
 * one listening): 0 connected, 1 none up, -1 another failure (printed). */
int	client_try_open(struct client *);
void	client_close(struct client *);
int	client_send(struct client *, struct strbuf *, const int *, int);
/* 1 with a message, 0 at EOF, -1 on error (printed). */
int	client_recv(struct client *, struct msg *);
/* Whether client_recv() has a message (or an error) without reading. */
int	client_pending(const struct client *);
/* Wait for the reply to a request: 0, or -1 with the reason printed
 * (an EOF too). */
int	client_reply(struct client *, struct msg *);
/* Send a request with no payload but what sb holds, and wait for
 * MSG_OK (print its text unless quiet) or MSG_ERROR (print it). Returns
 * the exit status. */
int	client_simple(struct client *, struct strbuf *, int);
/* Print a MSG_ERROR's text and return its status. */
int	client_error(struct msg *);
/* "formation: protocol error: ..." and 125. */
int	client_protocol_error(const char *);

#endif
