/*
 * The code of the work tree, read in a child (daemon/codecheck.h).
 *
 * The child writes three NUL-terminated fields, the commit, the digest
 * of the difference and the warning (each empty for none), then "ok" or
 * "no" and exits. The parent reads them non-blocking and gives up on a
 * child that outlives the check's timeout by a second (git is given the
 * timeout by code_read() itself; this is the bound on the child).
 */
#include <sys/prctl.h>
#include <sys/types.h>

#include <ev.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/code.h"
#include "common/strbuf.h"
#include "common/xmalloc.h"
#include "daemon/codecheck.h"

#define CODECHECK_GRACE_MS	1000
#define CODECHECK_OUT_MAX	8192

struct codecheck {
	pid_t		 pid;
	int		 fd;
	int		 eof;
	int		 reaped;
	ev_io		 io;
	ev_child	 child;
	ev_timer	 timer;
	struct strbuf	 out;
	codecheck_fn	 done;
	void		*arg;
};

static void codecheck_io_cb(struct ev_loop *, ev_io *, int);
static void codecheck_child_cb(struct ev_loop *, ev_child *, int);
static void codecheck_timer_cb(struct ev_loop *, ev_timer *, int);

static void
codecheck_put(int fd, const char *s)
{
	size_t len = strlen(s) + 1, off = 0;
	ssize_t n;

	while (off < len) {
		if ((n = write(fd, s + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			_exit(1);
		}
		off += (size_t)n;
	}
}

static __attribute__((noreturn)) void
codecheck_child(const char *root, int timeout_ms, int fd, pid_t parent)
{
	struct code c;
	char *warn;
	int rc;

	(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	if (fd != 3) {
		if (dup2(fd, 3) == -1)
			_exit(1);
		fd = 3;
	}
	(void)close_range(4, ~0U, 0);
	code_init(&c);
	rc = code_read(&c, root, timeout_ms, &warn);
	codecheck_put(fd, c.commit != NULL ? c.commit : "");
	codecheck_put(fd, c.diff != NULL ? c.diff : "");
	codecheck_put(fd, warn != NULL ? warn : "");
	codecheck_put(fd, rc == 0 ? "ok" : "no");
	_exit(0);
}

struct codecheck *
codecheck_start(const char *root, int timeout_ms, codecheck_fn done,
    void *arg)
{
	struct codecheck *cc;
	sigset_t all, old;
	int p[2], saved;
	pid_t parent = getpid();

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) == -1)
		return NULL;
	/* No handler of ours may run in the child. */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	cc = xcalloc(1, sizeof *cc);
	if ((cc->pid = fork()) == 0) {
		close(p[0]);
		codecheck_child(root, timeout_ms, p[1], parent);
	}
	saved = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(p[1]);
	if (cc->pid == -1) {
		close(p[0]);
		free(cc);
		errno = saved;
		return NULL;
	}
	cc->fd = p[0];
	cc->done = done;
	cc->arg = arg;
	strbuf_init(&cc->out, 0);
	ev_io_init(&cc->io, codecheck_io_cb, cc->fd, EV_READ);
	cc->io.data = cc;
	ev_io_start(EV_DEFAULT, &cc->io);
	ev_child_init(&cc->child, codecheck_child_cb, cc->pid, 0);
	cc->child.data = cc;
	ev_child_start(EV_DEFAULT, &cc->child);
	ev_timer_init(&cc->timer, codecheck_timer_cb,
	    (timeout_ms + CODECHECK_GRACE_MS) / 1000.0, 0);
	cc->timer.data = cc;
	ev_timer_start(EV_DEFAULT, &cc->timer);
	return cc;
}

/* Stop watching; the child, if still there, is killed and reaped by the
 * loop's reaper. */
static void
codecheck_free(struct codecheck *cc)
{
	ev_io_stop(EV_DEFAULT, &cc->io);
	ev_child_stop(EV_DEFAULT, &cc->child);
	ev_timer_stop(EV_DEFAULT, &cc->timer);
	if (!cc->reaped)
		kill(cc->pid, SIGKILL);
	close(cc->fd);
	strbuf_release(&cc->out);
	free(cc);
}

void
codecheck_cancel(struct codecheck *cc)
{
	if (cc != NULL)
		codecheck_free(cc);
}

/* The fields the child wrote, in order; NULL past the end. */
static const char *
codecheck_field(const struct strbuf *sb, size_t *off)
{
	const char *s;

	if (*off >= sb->len)
		return NULL;
	s = sb->buf + *off;
	*off += strlen(s) + 1;
	return s;
}

static void
codecheck_finish(struct codecheck *cc)
{
	const char *commit, *diff, *warn, *ok;
	struct code c;
	size_t off = 0;
	codecheck_fn done = cc->done;
	void *arg = cc->arg;
	int rc;

	code_init(&c);
	commit = codecheck_field(&cc->out, &off);
	diff = codecheck_field(&cc->out, &off);
	warn = codecheck_field(&cc->out, &off);
	ok = codecheck_field(&cc->out, &off);
	if (ok == NULL || (strcmp(ok, "ok") != 0 && strcmp(ok, "no") != 0)) {
		rc = -1;
		warn = "git could not be asked";
	} else {
		rc = strcmp(ok, "ok") == 0 ? 0 : -1;
		if (*commit != '\0')
			c.commit = xstrdup(commit);
		if (*diff != '\0')
			c.diff = xstrdup(diff);
		if (*warn == '\0')
			warn = NULL;
	}
	/* done may cancel nothing now: this check is over. */
	cc->done = NULL;
	done(&c, rc, warn, arg);
	code_release(&c);
	codecheck_free(cc);
}

static void
codecheck_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct codecheck *cc = w->data;
	char buf[4096];
	ssize_t n;

	while ((n = read(cc->fd, buf, sizeof buf)) > 0) {
		if (cc->out.len + (size_t)n > CODECHECK_OUT_MAX) {
			/* Not what the child writes: no answer. */
			strbuf_reset(&cc->out);
			break;
		}
		strbuf_add(&cc->out, buf, (size_t)n);
	}
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	ev_io_stop(loop, w);
	cc->eof = 1;
	if (cc->reaped)
		codecheck_finish(cc);
}

static void
codecheck_child_cb(struct ev_loop *loop, ev_child *w, int revents)
{
	struct codecheck *cc = w->data;

	ev_child_stop(loop, w);
	cc->reaped = 1;
	if (cc->eof)
		codecheck_finish(cc);
}

static void
codecheck_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct codecheck *cc = w->data;

	/* A child past its bound: what it said so far is not an answer. */
	strbuf_reset(&cc->out);
	ev_io_stop(loop, &cc->io);
	cc->eof = 1;
	if (!cc->reaped)
		kill(cc->pid, SIGKILL);
	cc->reaped = 1;
	codecheck_finish(cc);
}
