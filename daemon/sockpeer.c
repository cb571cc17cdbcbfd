/*
 * The server end of the daemon's own connection, and who holds it
 * (daemon/sockpeer.h).
 */
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/strbuf.h"
#include "common/util.h"
#include "daemon/sockpeer.h"
#include "daemon/usage.h"

#define SOCKPEER_REPLY	8192	/* one answer, with its attributes */

union sockpeer_reply {
	struct nlmsghdr	 h;
	char		 buf[SOCKPEER_REPLY];
};

/*
 * One sock_diag request of len bytes, and its answer: a pointer into
 * reply to the payload of the first message, of *n bytes; NULL with
 * errno (the kernel's: ENOENT, no such socket). The kernel answers
 * within the send, so the read never waits.
 */
static void *
sockpeer_ask(const void *req, size_t len, union sockpeer_reply *reply,
    size_t *n)
{
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };
	struct nlmsghdr h;
	struct iovec iov[2];
	struct msghdr mh;
	struct nlmsgerr *e;
	ssize_t got;
	int fd, saved;

	if ((fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
	    NETLINK_SOCK_DIAG)) == -1)
		return NULL;
	memset(&h, 0, sizeof h);
	h.nlmsg_len = (uint32_t)NLMSG_LENGTH(len);
	h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	h.nlmsg_flags = NLM_F_REQUEST;
	h.nlmsg_seq = 1;
	iov[0].iov_base = &h;
	iov[0].iov_len = sizeof h;
	iov[1].iov_base = (void *)(uintptr_t)req;
	iov[1].iov_len = len;
	memset(&mh, 0, sizeof mh);
	mh.msg_name = &nl;
	mh.msg_namelen = sizeof nl;
	mh.msg_iov = iov;
	mh.msg_iovlen = 2;
	got = -1;
	if (sendmsg(fd, &mh, 0) != -1)
		got = recv(fd, reply->buf, sizeof reply->buf, MSG_DONTWAIT);
	saved = errno;
	close(fd);
	errno = saved;
	if (got == -1)
		return NULL;
	if (!NLMSG_OK(&reply->h, (size_t)got)) {
		errno = EPROTO;
		return NULL;
	}
	if (reply->h.nlmsg_type == NLMSG_ERROR) {
		e = NLMSG_DATA(&reply->h);
		errno = reply->h.nlmsg_len >= NLMSG_LENGTH(sizeof *e) &&
		    e->error < 0 ? -e->error : EPROTO;
		return NULL;
	}
	*n = reply->h.nlmsg_len - NLMSG_LENGTH(0);
	return NLMSG_DATA(&reply->h);
}

/* An address and port into the id of an inet_diag request. */
static void
sockpeer_id(const struct sockaddr_storage *ss, __be16 *port, __be32 *addr)
{
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;
	const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;

	if (ss->ss_family == AF_INET6) {
		*port = sin6->sin6_port;
		memcpy(addr, &sin6->sin6_addr, sizeof sin6->sin6_addr);
	} else {
		*port = sin->sin_port;
		memcpy(addr, &sin->sin_addr, sizeof sin->sin_addr);
	}
}

/* tcp_diag: the socket whose local end is server, its remote client. */
static int
sockpeer_tcp_diag(const struct sockaddr_storage *client,
    const struct sockaddr_storage *server, unsigned long *ino, int *state)
{
	union sockpeer_reply reply;
	struct inet_diag_req_v2 req;
	struct inet_diag_msg *m;
	size_t n;

	memset(&req, 0, sizeof req);
	req.sdiag_family = (uint8_t)server->ss_family;
	req.sdiag_protocol = IPPROTO_TCP;
	req.idiag_states = ~0U;
	sockpeer_id(server, &req.id.idiag_sport, req.id.idiag_src);
	sockpeer_id(client, &req.id.idiag_dport, req.id.idiag_dst);
	req.id.idiag_cookie[0] = req.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	if ((m = sockpeer_ask(&req, sizeof req, &reply, &n)) == NULL)
		return -1;
	if (n < sizeof *m) {
		errno = EPROTO;
		return -1;
	}
	/* With no such connection the lookup finds the listener: not it. */
	if (m->idiag_state == TCP_LISTEN ||
	    m->id.idiag_dport != req.id.idiag_dport) {
		errno = ENOENT;
		return -1;
	}
	*ino = m->idiag_inode;
	*state = m->idiag_state;
	return 0;
}

/* "0100007F" or 32 digits: the address as /proc/net/tcp prints it, the
 * words of its bytes as this machine holds them; 1 if it is ss's. */
static int
sockpeer_proc_addr(const char *hex, const struct sockaddr_storage *ss)
{
	uint32_t words[4], w;
	char digits[9];
	size_t i, nwords;
	__be16 port;

	nwords = ss->ss_family == AF_INET6 ? 4 : 1;
	if (strlen(hex) != nwords * 8)
		return 0;
	sockpeer_id(ss, &port, words);
	for (i = 0; i < nwords; i++) {
		memcpy(digits, hex + i * 8, 8);
		digits[8] = '\0';
		w = (uint32_t)strtoul(digits, NULL, 16);
		if (w != words[i])
			return 0;
	}
	return 1;
}

static int
sockpeer_port(const struct sockaddr_storage *ss)
{
	__be16 port;
	uint32_t words[4];

	sockpeer_id(ss, &port, words);
	return ntohs(port);
}

int
sockpeer_parse_proc(const char *text, const struct sockaddr_storage *client,
    const struct sockaddr_storage *server, unsigned long *ino, int *state)
{
	char local[40], remote[40], buf[256];
	unsigned int lport, rport, st;
	unsigned long inode;
	const char *line, *nl;
	size_t n;

	for (line = text; *line != '\0'; line = nl + 1) {
		/* One line at a time: sscanf would measure the whole text at
		 * each call, tens of thousands of lines of it. */
		nl = strchr(line, '\n');
		n = nl != NULL ? (size_t)(nl - line) : strlen(line);
		if (n >= sizeof buf)
			n = sizeof buf - 1;
		memcpy(buf, line, n);
		buf[n] = '\0';
		if (sscanf(buf, " %*u: %32[0-9A-Fa-f]:%x %32[0-9A-Fa-f]:%x "
		    "%x %*x:%*x %*x:%*x %*x %*u %*u %lu", local, &lport, remote,
		    &rport, &st, &inode) == 6 &&
		    (int)lport == sockpeer_port(server) &&
		    (int)rport == sockpeer_port(client) &&
		    sockpeer_proc_addr(local, server) &&
		    sockpeer_proc_addr(remote, client)) {
			*ino = inode;
			*state = (int)st;
			return 0;
		}
		if (nl == NULL)
			break;
	}
	return -1;
}

int
sockpeer_tcp_proc(const struct sockaddr_storage *client,
    const struct sockaddr_storage *server, unsigned long *ino, int *state)
{
	struct strbuf sb = STRBUF_INIT;
	int rc;

	if (read_file(server->ss_family == AF_INET6 ? "/proc/net/tcp6" :
	    "/proc/net/tcp", &sb) == -1) {
		strbuf_release(&sb);
		return -1;
	}
	rc = sockpeer_parse_proc(sb.buf, client, server, ino, state);
	strbuf_release(&sb);
	if (rc == -1)
		errno = ENOENT;
	return rc;
}

int
sockpeer_tcp(const struct sockaddr_storage *client,
    const struct sockaddr_storage *server, unsigned long *ino, int *state)
{
	/* Asked of a kernel without tcp_diag: ask it once. */
	static int no_diag;

	if (!no_diag) {
		if (sockpeer_tcp_diag(client, server, ino, state) == 0)
			return 0;
		if (errno == ENOENT)
			return -1;
		no_diag = 1;
	}
	return sockpeer_tcp_proc(client, server, ino, state);
}

int
sockpeer_unix(unsigned long ino, unsigned long *peer)
{
	union sockpeer_reply reply;
	struct unix_diag_req req;
	struct unix_diag_msg *m;
	struct rtattr *a;
	size_t n;
	unsigned int len;

	memset(&req, 0, sizeof req);
	req.sdiag_family = AF_UNIX;
	req.udiag_states = ~0U;
	req.udiag_ino = (uint32_t)ino;
	req.udiag_show = UDIAG_SHOW_PEER;
	req.udiag_cookie[0] = req.udiag_cookie[1] = INET_DIAG_NOCOOKIE;
	if ((m = sockpeer_ask(&req, sizeof req, &reply, &n)) == NULL)
		return -1;
	if (n < NLMSG_ALIGN(sizeof *m)) {
		errno = EPROTO;
		return -1;
	}
	len = (unsigned int)(n - NLMSG_ALIGN(sizeof *m));
	for (a = (struct rtattr *)((char *)m + NLMSG_ALIGN(sizeof *m));
	    RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == UNIX_DIAG_PEER &&
		    RTA_PAYLOAD(a) >= sizeof(uint32_t)) {
			*peer = *(uint32_t *)RTA_DATA(a);
			return 0;
		}
	}
	errno = ENOENT;
	return -1;
}

/* Has pid the link text want ("socket:[123]") among its fds? */
static int
sockpeer_pid_holds(pid_t pid, const char *want)
{
	char path[64], link[64];
	struct dirent *de;
	ssize_t n;
	int found = 0;
	DIR *d;

	snprintf(path, sizeof path, "/proc/%ld/fd", (long)pid);
	if ((d = opendir(path)) == NULL)
		return 0;
	while (!found && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		n = readlinkat(dirfd(d), de->d_name, link, sizeof link - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		found = strcmp(link, want) == 0;
	}
	closedir(d);
	return found;
}

int
sockpeer_held(pid_t session, unsigned long ino)
{
	struct usage_stat st;
	struct dirent *de;
	char want[48];
	pid_t pid;
	int found;
	DIR *d;

	snprintf(want, sizeof want, "socket:[%lu]", ino);
	/* A server that accepts in its first process, most do. */
	if (sockpeer_pid_holds(session, want))
		return 1;
	if ((d = opendir("/proc")) == NULL)
		return 0;
	found = 0;
	while (!found && (de = readdir(d)) != NULL) {
		if ((pid = (pid_t)atol(de->d_name)) <= 0 || pid == session ||
		    usage_read_stat(pid, &st) == -1 || st.session != session)
			continue;
		found = sockpeer_pid_holds(pid, want);
	}
	closedir(d);
	return found;
}
