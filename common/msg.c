#include <sys/socket.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "common/msg.h"

void
msg_new(struct strbuf *sb, uint32_t type)
{
	struct msg_hdr hdr = { PROTOCOL_VERSION, type, 0 };

	strbuf_reset(sb);
	strbuf_add(sb, &hdr, sizeof hdr);
}

void
msg_put_u32(struct strbuf *sb, uint32_t v)
{
	strbuf_add(sb, &v, sizeof v);
}

void
msg_put_u64(struct strbuf *sb, uint64_t v)
{
	strbuf_add(sb, &v, sizeof v);
}

void
msg_put_str(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s) + 1);
}

void
msg_put_bytes(struct strbuf *sb, const void *p, size_t len)
{
	msg_put_u32(sb, (uint32_t)len);
	strbuf_add(sb, p, len);
}

/* Set the length of the frame that starts at offset start of sb. */
void
msg_finish(struct strbuf *sb, size_t start)
{
	struct msg_hdr hdr;

	memcpy(&hdr, sb->buf + start, sizeof hdr);
	hdr.length = (uint32_t)(sb->len - start - sizeof hdr);
	memcpy(sb->buf + start, &hdr, sizeof hdr);
}

int
msg_parse(const struct strbuf *buf, struct msg *m, size_t *size,
    const char **why)
{
	struct msg_hdr hdr;

	if (buf->len < sizeof hdr)
		return 0;
	memcpy(&hdr, buf->buf, sizeof hdr);
	if (hdr.length > MSG_MAX) {
		*why = "message too long";
		return -1;
	}
	if (buf->len - sizeof hdr < hdr.length)
		return 0;
	m->version = hdr.version;
	m->type = hdr.type;
	m->data = buf->buf + sizeof hdr;
	m->len = hdr.length;
	m->off = 0;
	*size = sizeof hdr + hdr.length;
	return 1;
}

static int
msg_get(struct msg *m, void *out, size_t n)
{
	if (m->len - m->off < n)
		return -1;
	memcpy(out, m->data + m->off, n);
	m->off += n;
	return 0;
}

int
msg_get_u32(struct msg *m, uint32_t *v)
{
	return msg_get(m, v, sizeof *v);
}

int
msg_get_u64(struct msg *m, uint64_t *v)
{
	return msg_get(m, v, sizeof *v);
}

int
msg_get_str(struct msg *m, const char **s)
{
	const char *nul;

	nul = memchr(m->data + m->off, '\0', m->len - m->off);
	if (nul == NULL)
		return -1;
	*s = m->data + m->off;
	m->off = (size_t)(nul - m->data) + 1;
	return 0;
}

int
msg_get_bytes(struct msg *m, const char **p, size_t *len)
{
	uint32_t n;

	if (msg_get_u32(m, &n) == -1 || m->len - m->off < n)
		return -1;
	*p = m->data + m->off;
	*len = n;
	m->off += n;
	return 0;
}

int
msg_end(struct msg *m)
{
	return m->off == m->len ? 0 : -1;
}

static int
msg_take_fds(struct msghdr *mh, int *fds, int *nfds)
{
	struct cmsghdr *c;
	int *p, n, i, bad = (mh->msg_flags & MSG_CTRUNC) != 0;

	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		p = (int *)(void *)CMSG_DATA(c);
		n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		for (i = 0; i < n; i++) {
			if (*nfds < MSG_MAXFDS)
				fds[(*nfds)++] = p[i];
			else {
				close(p[i]);
				bad = 1;
			}
		}
	}
	return bad ? -1 : 0;
}

ssize_t
msg_recv(int fd, struct strbuf *buf, int *fds, int *nfds)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int) * MSG_MAXFDS)];
	} cm;
	char data[65536];
	struct msghdr mh;
	struct iovec iov;
	ssize_t n;

	memset(&mh, 0, sizeof mh);
	iov.iov_base = data;
	iov.iov_len = sizeof data;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cm.buf;
	mh.msg_controllen = sizeof cm.buf;
	do
		n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	if (msg_take_fds(&mh, fds, nfds) == -1) {
		errno = EPROTO;
		return -1;
	}
	strbuf_add(buf, data, (size_t)n);
	return n;
}

ssize_t
msg_sendv(int fd, const void *buf, size_t len, const int *fds, int nfds,
    int flags)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int) * MSG_MAXFDS)];
	} cm;
	struct msghdr mh;
	struct iovec iov;
	struct cmsghdr *c;
	ssize_t n;

	if (nfds < 0 || nfds > MSG_MAXFDS) {
		errno = EINVAL;
		return -1;
	}
	memset(&mh, 0, sizeof mh);
	iov.iov_base = (void *)(uintptr_t)buf;
	iov.iov_len = len;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (nfds > 0) {
		memset(&cm, 0, sizeof cm);
		mh.msg_control = cm.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)nfds);
	}
	do
		n = sendmsg(fd, &mh, MSG_NOSIGNAL | flags);
	while (n == -1 && errno == EINTR);
	return n;
}

int
msg_send(int fd, const struct strbuf *frame, const int *fds, int nfds)
{
	size_t done = 0;
	ssize_t n;

	if (nfds < 0 || nfds > MSG_MAXFDS) {
		errno = EINVAL;
		return -1;
	}
	while (done < frame->len) {
		n = msg_sendv(fd, frame->buf + done, frame->len - done,
		    done == 0 ? fds : NULL, done == 0 ? nfds : 0, 0);
		if (n == -1)
			return -1;
		done += (size_t)n;
	}
	return 0;
}
