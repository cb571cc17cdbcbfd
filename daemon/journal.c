/*
 * journald's native protocol (daemon/journal.h). A field is "NAME=value\n",
 * or, when the value holds a newline, "NAME\n", its length as 64 bits
 * little-endian, the value and "\n".
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "daemon/journal.h"

#define JOURNAL_SNDBUF	(8 * 1024 * 1024)	/* as libsystemd asks */

static struct {
	int			 fd;		/* -1: plain lines */
	struct sockaddr_un	 addr;
	socklen_t		 addrlen;
	char			*ident;
	struct strbuf		 msg;
} journal = { .fd = -1 };

int
journal_is_stream(int fd)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (js == NULL || sscanf(js, "%llu:%llu", &dev, &ino) != 2)
		return 0;
	if (fstat(fd, &st) == -1)
		return 0;
	return (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

void
journal_init_at(const char *path, const char *ident)
{
	struct stat st;
	int size = JOURNAL_SNDBUF;

	journal_free();
	if (strlen(path) >= sizeof journal.addr.sun_path ||
	    stat(path, &st) == -1 || !S_ISSOCK(st.st_mode))
		return;
	journal.fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, 0);
	if (journal.fd == -1) {
		log_warn("cannot make a socket for the journal");
		return;
	}
	if (setsockopt(journal.fd, SOL_SOCKET, SO_SNDBUF, &size,
	    sizeof size) == -1)
		log_debug("journal: SO_SNDBUF: %s", strerror(errno));
	memset(&journal.addr, 0, sizeof journal.addr);
	journal.addr.sun_family = AF_UNIX;
	strcpy(journal.addr.sun_path, path);
	journal.addrlen = (socklen_t)sizeof journal.addr;
	journal.ident = xstrdup(ident);
	strbuf_init(&journal.msg, 0);
}

void
journal_init(const char *ident)
{
	if (journal_is_stream(STDOUT_FILENO))
		journal_init_at(JOURNAL_SOCKET, ident);
	else
		journal_free();
}

void
journal_free(void)
{
	if (journal.fd == -1)
		return;
	close(journal.fd);
	journal.fd = -1;
	free(journal.ident);
	journal.ident = NULL;
	strbuf_release(&journal.msg);
}

int
journal_on(void)
{
	return journal.fd != -1;
}

/* A part of a field's value. */
struct journal_part {
	const char	*p;
	size_t		 len;
};

/* NAME=value, the value the concatenation of the n parts. */
static void
journal_field(struct strbuf *sb, const char *name,
    const struct journal_part *parts, size_t n)
{
	unsigned char le[8];
	uint64_t total = 0;
	size_t i;
	int nl = 0;

	for (i = 0; i < n; i++) {
		total += parts[i].len;
		nl |= memchr(parts[i].p, '\n', parts[i].len) != NULL;
	}
	if (!nl)
		strbuf_addf(sb, "%s=", name);
	else {
		for (i = 0; i < 8; i++)
			le[i] = (unsigned char)(total >> (8 * i));
		strbuf_addf(sb, "%s\n", name);
		strbuf_add(sb, le, sizeof le);
	}
	for (i = 0; i < n; i++)
		strbuf_add(sb, parts[i].p, parts[i].len);
	strbuf_addch(sb, '\n');
}

static void
journal_string(struct strbuf *sb, const char *name, const char *value)
{
	struct journal_part part = { value, strlen(value) };

	journal_field(sb, name, &part, 1);
}

void
journal_format(struct strbuf *sb, const char *ident, const char *process,
    int priority, const char *label, size_t llen, const char *text,
    size_t len)
{
	struct journal_part msg[3] = { { label, llen }, { " ", 1 },
		{ text, len } };
	char prio[2] = { (char)('0' + (priority & 7)), '\0' };

	journal_field(sb, "MESSAGE", msg, 3);
	journal_string(sb, "PRIORITY", prio);
	journal_string(sb, "SYSLOG_IDENTIFIER", ident);
	if (process != NULL)
		journal_string(sb, "FORMATION_PROCESS", process);
}

int
journal_line(const char *process, int priority, const char *label,
    size_t llen, const char *text, size_t len)
{
	ssize_t n;

	if (journal.fd == -1)
		return -1;
	strbuf_reset(&journal.msg);
	journal_format(&journal.msg, journal.ident, process, priority, label,
	    llen, text, len);
	do {
		n = sendto(journal.fd, journal.msg.buf, journal.msg.len,
		    MSG_NOSIGNAL, (struct sockaddr *)&journal.addr,
		    journal.addrlen);
	} while (n == -1 && errno == EINTR);
	return n == (ssize_t)journal.msg.len ? 0 : -1;
}
