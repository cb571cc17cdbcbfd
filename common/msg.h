/*
 * Building and reading protocol frames (common/protocol.h).
 *
 * Out: msg_new() starts a frame in a strbuf, msg_put_*() append fields,
 * msg_finish() writes the length into the header. Strings go with their
 * NUL; bytes with a u32 length.
 *
 * In: msg_parse() takes one whole frame off the front of a receive
 * buffer; the msg_get_*() getters fail (-1) on a short payload, a string
 * with no NUL, and msg_end() on trailing bytes, so a bad frame is
 * refused whole. Returned strings point into the frame and live as long
 * as it does.
 */
#ifndef MSG_H
#define MSG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/protocol.h"
#include "common/strbuf.h"

struct msg {
	uint32_t	 version;
	uint32_t	 type;
	const char	*data;
	size_t		 len;
	size_t		 off;
	int		 fds[MSG_MAXFDS];
	int		 nfds;
};

void	msg_new(struct strbuf *, uint32_t);
void	msg_put_u32(struct strbuf *, uint32_t);
void	msg_put_u64(struct strbuf *, uint64_t);
void	msg_put_str(struct strbuf *, const char *);
void	msg_put_bytes(struct strbuf *, const void *, size_t);
void	msg_finish(struct strbuf *, size_t);

/*
 * Look at the front of buf: 1 and *m filled when a whole frame is there
 * (its size in *size), 0 when more bytes are needed, -1 when the header
 * is bad (oversized length; *why says so). A version mismatch is not an
 * error here: the caller answers it.
 */
int	msg_parse(const struct strbuf *, struct msg *, size_t *,
	    const char **);
int	msg_get_u32(struct msg *, uint32_t *);
int	msg_get_u64(struct msg *, uint64_t *);
int	msg_get_str(struct msg *, const char **);
int	msg_get_bytes(struct msg *, const char **, size_t *);
int	msg_end(struct msg *);

/*
 * Socket I/O. msg_recv() appends what one recvmsg() gives to buf and the
 * fds that came with it to fds (at most MSG_MAXFDS in all: more, or a
 * truncated control message, is an error with the extra fds closed).
 * Returns bytes read, 0 at EOF, -1 with errno (EAGAIN when none).
 * msg_send() sends a whole frame, blocking, with fds on its first byte
 * (at most MSG_MAXFDS: more is EINVAL, and nothing is sent).
 * msg_sendv() is one sendmsg() of len bytes of buf, the fds on the first
 * of them, with flags (MSG_DONTWAIT...): bytes sent, or -1 with errno;
 * when it sends anything, the fds went with it.
 */
ssize_t	msg_recv(int, struct strbuf *, int *, int *);
int	msg_send(int, const struct strbuf *, const int *, int);
ssize_t	msg_sendv(int, const void *, size_t, const int *, int, int);

#endif
