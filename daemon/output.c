#include <sys/queue.h>
#include <sys/stat.h>

#include <errno.h>
#include <ev.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/color.h"
#include "common/log.h"
#include "common/strbuf.h"
#include "common/timefmt.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "daemon/journal.h"
#include "daemon/output.h"

#define OUTPUT_HIGH	(1024 * 1024)	/* pause the sources above this */
#define OUTPUT_LOW	(256 * 1024)	/* and resume below this */
#define OUTPUT_JOIN	1.0		/* a partial line waits this long for
					 * its end, to be one line */
#define OUTPUT_FLUSH	0.1		/* then its further pieces (a prompt,
					 * a progress bar) this long */
#define LOGFILE_MAX	(10 * 1024 * 1024)
#define OUTPUT_LAST_WORDS 3000		/* ms they wait for a reader, at most */

struct outsrc {
	TAILQ_ENTRY(outsrc)	 entry;
	int			 fd;
	char			*name;
	int			 color;
	struct logring		*ring;
	struct strbuf		 label;		/* name, padded, " |" */
	size_t			 label_width;	/* out.width it was made for */
	ev_io			 io;
	ev_timer		 flush;
	struct strbuf		 partial;
	int			 shown;		/* the line so far was shown in
						 * part: a prompt */
	outsrc_eof_cb		 cb;
	void			*arg;
	int			 priority;	/* in the journal */
	int			 stream;	/* LOG_STREAM_* */
	struct outsrc		*err;		/* its stderr, read apart */
};

static struct {
	int			 fd;
	int			 restore_flags;	/* -1: nothing to restore */
	int			 dead;		/* the reader went away */
	struct strbuf		 queue;
	size_t			 sent;		/* of its first line, written */
	ev_io			 io;
	int			 color;
	int			 timestamps;
	size_t			 width;
	time_t			 ts_sec;
	char			 ts[16];
	int			 paused;
	TAILQ_HEAD(, outsrc)	 srcs;
	int			 logfd;
	int			 logdir;	/* the directory it is in */
	char			*logname;	/* its name there */
	char			*logpath;	/* for messages */
	off_t			 logsize;
	struct strbuf		 logq;		/* waiting for the log file */
} out = { .fd = -1, .restore_flags = -1, .logfd = -1, .logdir = -1 };

struct logring output_system_ring;
void (*output_tap)(const char *, long long, int, const char *, size_t);
void (*output_sink_lost)(int);

static void output_write_cb(struct ev_loop *, ev_io *, int);
static void output_logfile_flush(void);
static void output_flush(void);
static void outsrc_read_cb(struct ev_loop *, ev_io *, int);
static void outsrc_flush_cb(struct ev_loop *, ev_timer *, int);
static void outsrc_arm_flush(struct outsrc *);

/*
 * A non-blocking description of stdout of our own where we can get one,
 * so the shell that shares the terminal is not left with O_NONBLOCK.
 */
static void
output_open_sink(void)
{
	struct stat st, null;
	int fd, flags;

	out.fd = STDOUT_FILENO;
	if (fstat(STDOUT_FILENO, &st) == -1)
		return;
	if (S_ISREG(st.st_mode))
		return;
	/* /dev/null (up -d): nothing to write, not even to the kernel. */
	if (S_ISCHR(st.st_mode) && stat("/dev/null", &null) == 0 &&
	    st.st_rdev == null.st_rdev) {
		out.dead = 1;
		return;
	}
	fd = open("/proc/self/fd/1", O_WRONLY | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC | O_APPEND);
	if (fd != -1) {
		out.fd = fd;
		return;
	}
	if ((flags = fcntl(STDOUT_FILENO, F_GETFL)) != -1 &&
	    fcntl(STDOUT_FILENO, F_SETFL, flags | O_NONBLOCK) != -1)
		out.restore_flags = flags;
}

void
output_init(int color)
{
	const char *nc = getenv("NO_COLOR");
	/* Under journald, stdout is the journal's stream: it stamps lines
	 * itself. */
	int journald = journal_is_stream(STDOUT_FILENO);

	TAILQ_INIT(&out.srcs);
	strbuf_init(&out.queue, 0);
	strbuf_init(&out.logq, 0);
	logring_init(&output_system_ring);
	output_open_sink();
	out.timestamps = !journald;
	if (color == -1)
		color = isatty(STDOUT_FILENO) && !journald &&
		    (nc == NULL || *nc == '\0');
	out.color = color;
	out.width = strlen("system");
	ev_io_init(&out.io, output_write_cb, out.fd, EV_WRITE);
}

/*
 * Last words go out even to a slow reader, but not to one that is
 * stopped (less at a prompt, a terminal after Ctrl-S): the daemon would
 * never exit. They wait OUTPUT_LAST_WORDS at most.
 */
static void
output_last_words(void)
{
	struct pollfd pfd = { .fd = out.fd, .events = POLLOUT };
	long long deadline = now_ms() + OUTPUT_LAST_WORDS, left;
	size_t off = out.sent;
	ssize_t n;

	while (!out.dead && off < out.queue.len &&
	    (left = deadline - now_ms()) > 0) {
		if (poll(&pfd, 1, (int)left) == -1 && errno != EINTR)
			break;
		n = write(out.fd, out.queue.buf + off, out.queue.len - off);
		if (n > 0)
			off += (size_t)n;
		else if (n == -1 && errno != EAGAIN && errno != EINTR)
			break;
	}
}

void
output_shutdown(void)
{
	output_last_words();
	strbuf_release(&out.queue);
	if (out.restore_flags != -1)
		fcntl(STDOUT_FILENO, F_SETFL, out.restore_flags);
	if (out.fd != STDOUT_FILENO && out.fd != -1)
		close(out.fd);
	output_logfile_flush();
	strbuf_release(&out.logq);
	if (out.logfd != -1)
		close(out.logfd);
	if (out.logdir != -1)
		close(out.logdir);
	free(out.logname);
	free(out.logpath);
	logring_release(&output_system_ring);
}

/* (Re)open the log file, never through a link. */
static int
output_reopen_logfile(void)
{
	struct stat st;
	int fd;

	fd = openat(out.logdir, out.logname, O_WRONLY | O_CREAT | O_APPEND |
	    O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd == -1)
		return -1;
	if (out.logfd != -1)
		close(out.logfd);
	out.logfd = fd;
	out.logsize = fstat(fd, &st) == 0 ? st.st_size : 0;
	return 0;
}

int
output_logfile_at(int dirfd, const char *name, const char *dir)
{
	if ((dirfd = dup(dirfd)) == -1)
		return -1;
	if (out.logdir != -1)
		close(out.logdir);
	free(out.logname);
	free(out.logpath);
	out.logdir = dirfd;
	out.logname = xstrdup(name);
	xasprintf(&out.logpath, "%s/%s", dir, name);
	return 0;
}

int
output_open_logfile(void)
{
	if (out.logdir == -1) {
		errno = ENOENT;
		return -1;
	}
	return output_reopen_logfile();
}

void
output_fit_name(const char *name)
{
	size_t len = strlen(name);

	if (len > out.width)
		out.width = len;
}

size_t
output_pending(void)
{
	return out.queue.len - out.sent;
}

static const char *
output_timestamp(time_t now)
{
	struct tm tm;

	if (now != out.ts_sec) {
		localtime_r(&now, &tm);
		strftime(out.ts, sizeof out.ts, "%H:%M:%S ", &tm);
		out.ts_sec = now;
	}
	return out.ts;
}

static void
output_logfile_flush(void)
{
	char *old;

	if (out.logfd == -1 || out.logq.len == 0)
		return;
	if (write_all(out.logfd, out.logq.buf, out.logq.len) != -1)
		out.logsize += (off_t)out.logq.len;
	strbuf_reset(&out.logq);
	if (out.logsize < LOGFILE_MAX)
		return;
	xasprintf(&old, "%s.1", out.logname);
	if (renameat(out.logdir, out.logname, out.logdir, old) == -1 ||
	    output_reopen_logfile() == -1)
		log_warn("cannot rotate '%s'", out.logpath);
	free(old);
}

/* "name   |": the name padded to the column, then the bar. */
static void
output_label(struct strbuf *sb, const char *name)
{
	size_t len = strlen(name);

	strbuf_reset(sb);
	strbuf_grow(sb, out.width + 2);
	strbuf_add(sb, name, len);
	while (len++ < out.width)
		strbuf_addch(sb, ' ');
	strbuf_add(sb, " |", 2);
}

/*
 * The hot path: one line into the queue (and the log file), with no
 * formatting call and no allocation beyond the buffers' growth.
 */
static void
output_put(time_t now, const char *label, size_t llen, int color,
    const char *text, size_t len)
{
	const char *ts = output_timestamp(now);
	struct strbuf *q = &out.queue;

	if (out.logfd != -1) {
		strbuf_grow(&out.logq, 9 + llen + len + 2);
		strbuf_add(&out.logq, ts, 9);
		strbuf_add(&out.logq, label, llen);
		strbuf_addch(&out.logq, ' ');
		strbuf_add(&out.logq, text, len);
		strbuf_addch(&out.logq, '\n');
	}
	if (out.dead)
		return;
	strbuf_grow(q, 24 + llen + len);
	if (out.color)
		strbuf_addstr(q, color_code(color));
	if (out.timestamps)
		strbuf_add(q, ts, 9);
	strbuf_add(q, label, llen);
	if (out.color)
		strbuf_addstr(q, COLOR_RESET);
	strbuf_addch(q, ' ');
	strbuf_add(q, text, len);
	strbuf_addch(q, '\n');
	if (q->len >= OUTPUT_HIGH && !out.paused) {
		struct outsrc *src;

		out.paused = 1;
		TAILQ_FOREACH(src, &out.srcs, entry)
			ev_io_stop(EV_DEFAULT, &src->io);
	}
}

static void
output_record(long long ms, const char *name, struct logring *ring,
    int stream, const char *text, size_t len)
{

	if (ring != NULL)
		logring_push(ring, ms, stream, text, len);
	if (output_tap != NULL)
		output_tap(name, ms, stream, text, len);
}

void
output_line(const char *name, int color, struct logring *ring,
    const char *text, size_t len)
{
	struct strbuf label = STRBUF_INIT;
	long long ms = timefmt_now_ms();
	time_t now = (time_t)(ms / 1000);

	output_record(ms, name, ring, LOG_STREAM_UNKNOWN, text, len);
	output_label(&label, name);
	if (journal_line(color < 0 ? NULL : name, JOURNAL_INFO, label.buf,
	    label.len, text, len) == -1)
		output_put(now, label.buf, label.len, color, text, len);
	strbuf_release(&label);
}

void
output_system(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof buf)
		n = sizeof buf - 1;
	output_line("system", -1, &output_system_ring, buf, (size_t)n);
	output_flush();
}

static void
output_resume(void)
{
	struct outsrc *src;

	out.paused = 0;
	TAILQ_FOREACH(src, &out.srcs, entry) {
		if (src->fd == -1)
			continue;
		ev_io_start(EV_DEFAULT, &src->io);
		/* Time spent paused does not count against a partial line. */
		if (src->partial.len > 0)
			outsrc_arm_flush(src);
	}
}

/*
 * Drop what stdout took from the queue, but for the head of a line it
 * took only in part: that stays, with out.sent marking how much, so the
 * line can still be diverted whole (output_divert).
 */
static void
output_sent(size_t off)
{
	const char *nl;
	size_t whole;

	nl = off == 0 ? NULL : memrchr(out.queue.buf, '\n', off);
	whole = nl == NULL ? 0 : (size_t)(nl + 1 - out.queue.buf);
	strbuf_remove_front(&out.queue, whole);
	out.sent = off - whole;
}

static void
output_flush(void)
{
	size_t off = out.sent;
	ssize_t n;
	int error;

	output_logfile_flush();
	while (off < out.queue.len && !out.dead) {
		n = write(out.fd, out.queue.buf + off, out.queue.len - off);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			break;
		/* EPIPE and worse: no one reads; keep supervising. */
		error = errno;
		out.dead = 1;
		output_sent(off);
		off = out.sent;
		if (output_sink_lost != NULL)
			output_sink_lost(error);
	}
	if (out.dead) {
		strbuf_reset(&out.queue);
		out.sent = 0;
	} else
		output_sent(off);
	if (out.queue.len > out.sent)
		ev_io_start(EV_DEFAULT, &out.io);
	else
		ev_io_stop(EV_DEFAULT, &out.io);
	if (out.paused && out.queue.len - out.sent < OUTPUT_LOW)
		output_resume();
}

/* One queued line without the colours output_put() gave it: the code
 * that starts it and the reset after the bar of its label. */
static void
output_uncolor(struct strbuf *to, const char *p, size_t len)
{
	static const char reset[] = "|\033[0m ";
	const char *m, *bar;

	if (len > 2 && p[0] == '\033' && p[1] == '[' &&
	    (m = memchr(p, 'm', len)) != NULL) {
		len -= (size_t)(m + 1 - p);
		p = m + 1;
	}
	if ((bar = memmem(p, len, reset, sizeof reset - 1)) != NULL) {
		strbuf_add(to, p, (size_t)(bar + 1 - p));
		len -= (size_t)(bar + 5 - p);
		p = bar + 5;
	}
	strbuf_add(to, p, len);
}

int
output_divert(void)
{
	const char *p, *end, *nl;

	out.dead = 1;
	out.sent = 0;	/* a line half shown goes to the log whole */
	if (out.logfd != -1) {
		/* Every line is in the log file already. */
		strbuf_reset(&out.queue);
		return 0;
	}
	if (output_open_logfile() == -1) {
		strbuf_reset(&out.queue);
		return -1;
	}
	p = out.queue.buf;
	end = p + out.queue.len;
	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end - 1;
		if (out.color)
			output_uncolor(&out.logq, p, (size_t)(nl + 1 - p));
		else
			strbuf_add(&out.logq, p, (size_t)(nl + 1 - p));
	}
	strbuf_reset(&out.queue);
	output_logfile_flush();
	return 0;
}

static void
output_write_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	output_flush();
}

/* Cut at most max bytes, never inside a UTF-8 sequence when avoidable. */
static size_t
outsrc_cut(const char *p, size_t len, size_t max)
{
	size_t cut = max, back = 0;

	if (len <= max)
		return len;
	while (back < 3 && cut - back > 0 &&
	    ((unsigned char)p[cut - back] & 0xc0) == 0x80)
		back++;
	if (back < 3 || ((unsigned char)p[cut - back] & 0xc0) != 0x80)
		cut -= back;
	return cut == 0 ? max : cut;
}

static void
outsrc_line(struct outsrc *src, const char *p, size_t len)
{
	long long ms = timefmt_now_ms();
	time_t now = (time_t)(ms / 1000);

	if (src->label_width != out.width) {
		output_label(&src->label, src->name);
		src->label_width = out.width;
	}
	output_record(ms, src->name, src->ring, src->stream, p, len);
	if (journal_line(src->name, src->priority, src->label.buf,
	    src->label.len, p, len) == -1)
		output_put(now, src->label.buf, src->label.len, src->color, p,
		    len);
}

static void
outsrc_emit(struct outsrc *src, const char *p, size_t len)
{
	size_t n;

	do {
		n = outsrc_cut(p, len, OUTPUT_MAX_LINE);
		outsrc_line(src, p, n);
		p += n;
		len -= n;
	} while (len > 0);
}

static void
outsrc_flush_partial(struct outsrc *src)
{
	ev_timer_stop(EV_DEFAULT, &src->flush);
	if (src->partial.len == 0)
		return;
	outsrc_emit(src, src->partial.buf, src->partial.len);
	strbuf_reset(&src->partial);
}

/*
 * A partial line waits OUTPUT_JOIN from its first byte for the rest, so
 * that "Applying migration..." and " OK" a moment later are one line;
 * once a line has been shown in part, as a prompt is, its next pieces
 * wait only OUTPUT_FLUSH.
 */
static void
outsrc_arm_flush(struct outsrc *src)
{
	ev_timer_stop(EV_DEFAULT, &src->flush);
	if (src->partial.len == 0)
		return;
	ev_timer_set(&src->flush, src->shown ? OUTPUT_FLUSH : OUTPUT_JOIN,
	    0.);
	ev_timer_start(EV_DEFAULT, &src->flush);
}

static void
outsrc_feed(struct outsrc *src, const char *buf, size_t len)
{
	const char *nl;
	size_t n;
	int fresh = src->partial.len == 0;

	while ((nl = memchr(buf, '\n', len)) != NULL) {
		fresh = 1;
		n = (size_t)(nl - buf);
		if (src->partial.len > 0) {
			strbuf_add(&src->partial, buf, n);
			outsrc_emit(src, src->partial.buf, src->partial.len);
			strbuf_reset(&src->partial);
		} else if (n > 0 || !src->shown)
			outsrc_emit(src, buf, n);
		/* (The newline after a prompt that was shown is no empty
		 * line of its own.) */
		src->shown = 0;
		buf += n + 1;
		len -= n + 1;
	}
	strbuf_add(&src->partial, buf, len);
	while (src->partial.len >= OUTPUT_MAX_LINE) {
		n = outsrc_cut(src->partial.buf, src->partial.len,
		    OUTPUT_MAX_LINE);
		outsrc_line(src, src->partial.buf, n);
		strbuf_remove_front(&src->partial, n);
	}
	/* A line still growing keeps its deadline; a new one gets its own. */
	if (src->partial.len == 0 || fresh)
		outsrc_arm_flush(src);
}

/* Read once; 1 if there may be more, 0 at EAGAIN, -1 at EOF or error. */
static int
outsrc_read(struct outsrc *src)
{
	char buf[65536];
	ssize_t n;

	n = read(src->fd, buf, sizeof buf);
	if (n > 0) {
		outsrc_feed(src, buf, (size_t)n);
		return 1;
	}
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return 0;
	return -1;	/* 0: EOF; EIO: a pty whose other side closed */
}

static void
outsrc_close(struct outsrc *src)
{
	if (src->fd == -1)
		return;
	outsrc_flush_partial(src);
	ev_io_stop(EV_DEFAULT, &src->io);
	close(src->fd);
	src->fd = -1;
}

static void
outsrc_read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct outsrc *src = w->data;

	if (outsrc_read(src) == -1) {
		outsrc_close(src);
		output_flush();
		if (src->cb != NULL)
			src->cb(src, src->arg);
		return;
	}
	output_flush();
}

static void
outsrc_flush_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct outsrc *src = w->data;

	/* Paused, the rest of the line may be waiting in the pipe:
	 * output_resume() gives it a new deadline. */
	if (out.paused)
		return;
	/* The rest may have arrived with this very loop turn: read it first.
	 * A new partial line re-arms the timer; EOF is seen by the reader. */
	if (src->fd != -1)
		(void)outsrc_read(src);
	if (!ev_is_active(&src->flush) && src->partial.len > 0) {
		outsrc_flush_partial(src);
		src->shown = 1;
	}
	output_flush();
}

struct outsrc *
outsrc_new(int fd, const char *name, int color, struct logring *ring,
    outsrc_eof_cb cb, void *arg)
{
	struct outsrc *src;

	src = xcalloc(1, sizeof *src);
	src->fd = fd;
	src->name = xstrdup(name);
	src->color = color;
	src->ring = ring;
	src->cb = cb;
	src->arg = arg;
	src->priority = JOURNAL_INFO;
	strbuf_init(&src->partial, 0);
	strbuf_init(&src->label, 0);
	fd_set_nonblock(fd, 1);
	fd_set_cloexec(fd, 1);
	ev_io_init(&src->io, outsrc_read_cb, fd, EV_READ);
	src->io.data = src;
	ev_timer_init(&src->flush, outsrc_flush_cb, OUTPUT_FLUSH, 0.);
	src->flush.data = src;
	TAILQ_INSERT_TAIL(&out.srcs, src, entry);
	if (!out.paused)
		ev_io_start(EV_DEFAULT, &src->io);
	output_fit_name(name);
	return src;
}

int
outsrc_split_stderr(struct outsrc *src, int *fd)
{
	int pipefd[2];

	if (pipe2(pipefd, O_CLOEXEC) == -1)
		return -1;
	src->err = outsrc_new(pipefd[0], src->name, src->color, src->ring,
	    NULL, NULL);
	src->err->priority = JOURNAL_ERR;
	src->err->stream = LOG_STREAM_STDERR;
	src->stream = LOG_STREAM_STDOUT;
	*fd = pipefd[1];
	return 0;
}

void
outsrc_drain(struct outsrc *src)
{
	int i, r = 1;

	if (src->err != NULL)
		outsrc_drain(src->err);
	/* Bounded: an escaped grandchild may keep writing forever. */
	for (i = 0; i < 64 && src->fd != -1 && r == 1; i++)
		r = outsrc_read(src);
	if (r == -1)
		outsrc_close(src);
	else
		outsrc_flush_partial(src);
	output_flush();
}

void
outsrc_free(struct outsrc *src)
{
	if (src == NULL)
		return;
	outsrc_free(src->err);
	outsrc_close(src);
	ev_timer_stop(EV_DEFAULT, &src->flush);
	TAILQ_REMOVE(&out.srcs, src, entry);
	strbuf_release(&src->partial);
	strbuf_release(&src->label);
	free(src->name);
	free(src);
}
