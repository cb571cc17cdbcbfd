/*
 * formation logs (MSG_LOGS, MSG_LOGS_QUERY): the kept lines a request
 * wants, the last of them or those since a time, then, when it follows,
 * every new line.
 *
 * A reply is sent a chunk at a time: LOGREQ_CHUNK bytes, then the next
 * once the client has taken them (logreq_drained(), from the server), so
 * that a history as large as log_memory never overflows the peer's queue.
 * Lines logged meanwhile wait in the rings and go out after the history,
 * in order. Lines dropped from the rings before their turn are not sent.
 */
#ifndef LOGREQ_H
#define LOGREQ_H

#include <stddef.h>

struct msg;
struct peer;

#define LOGREQ_CHUNK	(1024 * 1024)

/* -1 if malformed. */
int	logreq_request(struct peer *, struct msg *);
/* What the peer had queued is written: the next chunk. */
void	logreq_drained(struct peer *);
/* The peer goes: what it asked for is forgotten. */
void	logreq_peer_gone(struct peer *);
/*
 * Every line logged (output_tap): to the followers that want it. A
 * follower is never dropped for not keeping up: while its queue is full,
 * the lines it would get are counted, and once it has read half of its
 * queue, or all of it, it gets the count (MSG_LOG_SKIPPED), then the
 * lines again.
 */
void	logreq_tap(const char *, long long, int, const char *, size_t);
/* The daemon exits: each follower is told what it missed, and that the
 * log ends here (MSG_LOG_END), so that it can tell an exit from a crash. */
void	logreq_farewell(void);

#endif
