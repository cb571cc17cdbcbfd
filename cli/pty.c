/*
 * The relay between our terminal and a one-off's pty (pty.h).
 */
#include <sys/ioctl.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/pty.h"
#include "common/util.h"

static struct {
	int		 fd;		/* in raw mode; -1: none */
	int		 stopped;	/* fd while suspended; -1: none */
	int		 registered;	/* with atexit() */
	struct termios	 saved;
} pty_term = { -1, -1, 0, { 0 } };

/* Raw mode on fd, made from the saved settings. */
static int
pty_set_raw(int fd)
{
	struct termios raw;

	raw = pty_term.saved;
	cfmakeraw(&raw);
	while (tcsetattr(fd, TCSADRAIN, &raw) == -1) {
		if (errno != EINTR)
			return -1;
	}
	return 0;
}

int
pty_raw(int fd)
{
	if (tcgetattr(fd, &pty_term.saved) == -1)
		return -1;
	if (!pty_term.registered && atexit(pty_restore) == 0)
		pty_term.registered = 1;
	pty_term.fd = fd;
	if (pty_set_raw(fd) == -1) {
		pty_term.fd = -1;
		return -1;
	}
	return 0;
}

void
pty_suspend(void)
{
	int fd = pty_term.fd;

	pty_restore();
	pty_term.stopped = fd;
}

void
pty_resume(void)
{
	int saved_errno = errno;

	if (pty_term.fd == -1 && pty_term.stopped != -1)
		pty_term.fd = pty_term.stopped;
	pty_term.stopped = -1;
	/* The shell may have set the terminal its way meanwhile. */
	if (pty_term.fd != -1)
		(void)pty_set_raw(pty_term.fd);
	errno = saved_errno;
}

void
pty_restore(void)
{
	int saved_errno = errno;

	if (pty_term.fd == -1)
		return;
	while (tcsetattr(pty_term.fd, TCSADRAIN, &pty_term.saved) == -1 &&
	    errno == EINTR)
		;
	pty_term.fd = -1;
	errno = saved_errno;
}

static int
pty_get_window(struct winsize *ws)
{
	return ioctl(STDIN_FILENO, TIOCGWINSZ, ws) == 0 ||
	    ioctl(STDOUT_FILENO, TIOCGWINSZ, ws) == 0 ? 0 : -1;
}

void
pty_window(unsigned *rows, unsigned *cols)
{
	struct winsize ws;

	*rows = *cols = 0;
	if (pty_get_window(&ws) == 0) {
		*rows = ws.ws_row;
		*cols = ws.ws_col;
	}
}

/* A positive number of at most USHRT_MAX from the environment, or 0. */
static unsigned
pty_env_size(const char *name)
{
	const char *v = getenv(name);
	char *end;
	unsigned long n;

	if (v == NULL || *v < '0' || *v > '9')
		return 0;
	errno = 0;
	n = strtoul(v, &end, 10);
	return errno != 0 || *end != '\0' || n > 0xffff ? 0 : (unsigned)n;
}

void
pty_default_window(unsigned *rows, unsigned *cols)
{
	if ((*rows = pty_env_size("LINES")) == 0)
		*rows = 24;
	if ((*cols = pty_env_size("COLUMNS")) == 0)
		*cols = 80;
}

void
pty_relay_init(struct pty_relay *r, int master)
{
	memset(r, 0, sizeof *r);
	r->master = master;
	r->in_open = 1;
	escape_init(&r->esc, -1);
	r->action = ESCAPE_NONE;
	fd_set_nonblock(master, 1);
}

void
pty_relay_escape(struct pty_relay *r, int ch)
{
	escape_init(&r->esc, ch);
}

void
pty_relay_close(struct pty_relay *r)
{
	if (r->master != -1)
		close(r->master);
	r->master = -1;
	r->in_open = 0;
	r->len = 0;
}

void
pty_relay_resize(struct pty_relay *r)
{
	struct winsize ws;

	/* The kernel sends SIGWINCH to the one-off's foreground group. */
	if (r->master != -1 && pty_get_window(&ws) == 0)
		(void)ioctl(r->master, TIOCSWINSZ, &ws);
}

int
pty_relay_poll(struct pty_relay *r, struct pollfd *pfd)
{
	int n = 0;

	if (r->master == -1)
		return 0;
	pfd[n].fd = r->master;
	pfd[n].events = (short)(POLLIN | (r->len > 0 ? POLLOUT : 0));
	pfd[n++].revents = 0;
	/* Room for what a read may add: one held-back escape more. */
	if (r->in_open && r->len + 1 < sizeof r->buf &&
	    r->action == ESCAPE_NONE) {
		pfd[n].fd = STDIN_FILENO;
		pfd[n].events = POLLIN;
		pfd[n++].revents = 0;
	}
	return n;
}

/* The one-off's output, to stdout as it comes. */
static void
pty_relay_output(struct pty_relay *r)
{
	char buf[16384];
	ssize_t n;

	n = read(r->master, buf, sizeof buf);
	if (n > 0) {
		/* Read on when stdout fails: the one-off must not block. */
		if (!r->out_broken &&
		    write_all(STDOUT_FILENO, buf, (size_t)n) == -1)
			r->out_broken = 1;
		return;
	}
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	pty_relay_close(r);	/* EIO: no one holds the slave any more */
}

static void
pty_relay_write(struct pty_relay *r)
{
	ssize_t n;

	n = write(r->master, r->buf, r->len);
	if (n > 0) {
		memmove(r->buf, r->buf + n, r->len - (size_t)n);
		r->len -= (size_t)n;
	} else if (n == -1 && errno != EAGAIN && errno != EINTR) {
		r->len = 0;
		r->in_open = 0;
	}
}

/* End of our input: the one-off reads EOF too, if its terminal is in
 * canonical mode (twice after a partial line, as at a keyboard). */
static void
pty_relay_eof(struct pty_relay *r)
{
	struct termios t;
	int held;

	r->in_open = 0;
	if ((held = escape_flush(&r->esc)) != -1 && r->len < sizeof r->buf) {
		r->buf[r->len++] = (char)held;
		r->midline = held != '\n';
	}
	if (r->master == -1 || tcgetattr(r->master, &t) == -1 ||
	    !(t.c_lflag & ICANON) || r->len + 2 > sizeof r->buf)
		return;
	if (r->midline)
		r->buf[r->len++] = (char)t.c_cc[VEOF];
	r->buf[r->len++] = (char)t.c_cc[VEOF];
}

/* What we read, through the escapes, into buf (room for n + 1). */
static void
pty_relay_filter(struct pty_relay *r, const char *in, size_t n)
{
	enum escape_action action;
	size_t used, out;
	char help[512];

	while (n > 0) {
		used = escape_filter(&r->esc, in, n, r->buf + r->len, &out,
		    &action);
		r->len += out;
		if (out > 0)
			r->midline = r->buf[r->len - 1] != '\n';
		in += used;
		n -= used;
		if (action == ESCAPE_HELP) {
			escape_help(&r->esc, help, sizeof help);
			(void)write_all(STDERR_FILENO, help, strlen(help));
		} else if (action == ESCAPE_DETACH) {
			r->action = action;
			return;		/* the rest goes nowhere */
		} else if (action == ESCAPE_SUSPEND)
			r->action = action;
	}
}

static void
pty_relay_input(struct pty_relay *r)
{
	char in[sizeof r->buf];
	ssize_t n;

	n = read(STDIN_FILENO, in, sizeof r->buf - r->len - 1);
	if (n > 0) {
		pty_relay_filter(r, in, (size_t)n);
		return;
	}
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	pty_relay_eof(r);
}

void
pty_relay_run(struct pty_relay *r, const struct pollfd *pfd, int n)
{
	int i;

	for (i = 0; i < n && r->master != -1; i++) {
		if (pfd[i].revents == 0)
			continue;
		if (pfd[i].fd == STDIN_FILENO) {
			pty_relay_input(r);
			continue;
		}
		if (pfd[i].revents & POLLOUT)
			pty_relay_write(r);
		if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
			pty_relay_output(r);
	}
}
