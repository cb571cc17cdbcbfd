/*
 * The control socket: accepting connections, reading requests, queueing
 * replies (docs/protocol.md).
 *
 * A struct peer is one client connection. Requests are read without
 * blocking; a whole frame is handed to dispatch(). Replies queue in out
 * and are written as the socket takes them, so a client that never reads
 * costs memory up to a cap, then its connection. A peer that breaks the
 * protocol gets one MSG_ERROR and is closed; the daemon carries on.
 */
#ifndef SERVER_H
#define SERVER_H

#include <sys/queue.h>
#include <sys/types.h>

#include <ev.h>
#include <stdint.h>
#include <time.h>

#include "common/protocol.h"
#include "common/strbuf.h"

struct proc;
struct msg;
struct logreq;

/* Descriptors queued to go with the frame at offset off of what is
 * queued. */
struct peer_fds {
	size_t			 off;
	int			 fds[MSG_MAXFDS];
	int			 nfds;
};

struct peer {
	TAILQ_ENTRY(peer)	 entry;
	int			 fd;
	ev_io			 rio;
	ev_io			 wio;
	ev_timer		 idle;		/* silent, or closing and not
						 * reading, too long: closed */
	struct strbuf		 in;
	struct strbuf		 out;
	size_t			 outhead;	/* of out, sent already */
	struct peer_fds		*outfds;	/* fds to go with frames in
						 * out, in order, at offsets
						 * from outhead */
	size_t			 noutfds;
	int			 fds[MSG_MAXFDS]; /* received, not yet used */
	int			 nfds;
	uid_t			 uid;
	pid_t			 pid;
	int			 closing;	/* close once out is written */
	int			 dropped;	/* stopped reading: send nothing */
	int			 busy;		/* a request is under way */
	struct logreq		*logs;		/* its formation logs, under
						 * way or followed (logreq.c) */
	struct proc		*oneoff;	/* the one-off it is attached to */
	struct oneoff_wait	*oneoff_wait;	/* its one-off, not started yet
						 * (oneoff.c) */
};

/*
 * One daemon per app: take the lock (formation.lock) in the app's
 * directory appfd (ROOT/.formation, named app in messages), which the
 * server keeps until server_close(). -1 with *why set, and appfd closed,
 * when it cannot ("a formation is already up here" when another daemon
 * holds it).
 */
int	server_lock(int, const char *, char **);
/*
 * Listen on path, absolute, once the lock is held. dirfd is the
 * directory the socket goes in, opened and trusted by the caller (the
 * app's, or $RUNTIME_DIRECTORY; the server keeps it), or -1 for a path
 * that was named (--socket): then its directory is opened here, and a
 * lock beside the socket (NAME.lock) keeps another app off it. A socket
 * outside the app's directory gets a symbolic link formation.sock there.
 * -1 with *why set on failure.
 */
int	server_listen(int, const char *, char **);
void	server_close(void);
/* Queue a frame, or a frame with fds (dup'ed: they go out with the
 * frame's first byte, in order, when the socket takes it). */
void	peer_send(struct peer *, const struct strbuf *);
int	peer_send_fds(struct peer *, const struct strbuf *, const int *, int);
void	peer_ok(struct peer *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Send MSG_ERROR with an exit status for the CLI; the peer stays open. */
void	peer_error(struct peer *, uint32_t, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
/*
 * Room in the queue: peer_queued() is what is queued and not sent yet,
 * peer_fits() whether a frame of n bytes fits now, peer_caught_up()
 * whether the queue is down to half of what fits, where a follower that
 * fell behind is sent lines again.
 */
size_t	peer_queued(const struct peer *);
int	peer_fits(const struct peer *, size_t);
int	peer_caught_up(const struct peer *);
/* Queue a frame past the cap (a few bytes of farewell). */
void	peer_send_last(struct peer *, const struct strbuf *);
/* Close once what is queued has been written. */
void	peer_close(struct peer *);
/* Take the fds a request brought (they become the caller's). */
int	peer_take_fds(struct peer *, int *, int);
/* Every connected peer, for broadcasts. */
TAILQ_HEAD(peer_list, peer);
extern struct peer_list peers;
/* Called when the daemon is about to exit: flush and close them all. */
void	server_farewell(void);

/* dispatch.c: act on one request; -1 if it was malformed. */
int	dispatch(struct peer *, struct msg *);
/* dispatch.c: the connection is going away (free what it holds). */
void	dispatch_peer_gone(struct peer *);
/* dispatch.c: all that was queued for it is written. */
void	dispatch_peer_drained(struct peer *);

#endif
