/*
 * formation top: a live view of the formation, refreshed every second,
 * with keys to sort, to filter by type, and to restart, stop, start and
 * follow the logs of the selected process; a one-shot table when standard
 * output is not a terminal.
 *
 * Plain ANSI (ECMA-48) sequences, not ncurses: all this needs is the
 * alternate screen, the cursor home, clearing to the end of a line and
 * reverse video, which every terminal in use (xterm and its kin, tmux,
 * screen, the Linux console) has spoken for decades; the whole frame is
 * redrawn each time, a few kilobytes. ncurses would add a library, its
 * terminfo lookup and its own signal handling to a static binary for
 * none of its strengths (windows, pads, optimised updates). What the
 * terminal is left in is ours to restore, on every exit: q, Ctrl-C, the
 * end of the daemon, and SIGTERM, SIGHUP, SIGINT or SIGQUIT from outside
 * (restored in the handler, then the signal taken as it comes).
 */
#include <sys/ioctl.h>
#include <sys/wait.h>

#include <errno.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/client.h"
#include "cli/ps.h"
#include "cli/top.h"
#include "common/util.h"
#include "common/xmalloc.h"

#define TOP_ENTER	"\033[?1049h\033[?25l\033[H\033[2J"
#define TOP_LEAVE	"\033[0m\033[?25h\033[?1049l"
#define TOP_HISTORY	2000	/* log lines read at the start */

static struct {
	int		 on;		/* raw, on the alternate screen */
	int		 live;		/* the live view wants it so */
	struct termios	 saved;
} top_term;

static volatile sig_atomic_t top_resized, top_resumed;

/*
 * Async-signal-safe: write(2), tcsetattr(3) and sigprocmask(2) only.
 * SIGTTOU is blocked meanwhile: when the shell has taken the terminal
 * back already (the job stopped under us), the terminal is restored all
 * the same, instead of top stopping half-way.
 */
static void
top_restore(void)
{
	sigset_t ttou, old;

	if (!top_term.on)
		return;
	top_term.on = 0;
	sigemptyset(&ttou);
	sigaddset(&ttou, SIGTTOU);
	sigprocmask(SIG_BLOCK, &ttou, &old);
	(void)!write(STDOUT_FILENO, TOP_LEAVE, sizeof TOP_LEAVE - 1);
	(void)tcsetattr(STDIN_FILENO, TCSADRAIN, &top_term.saved);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static void
top_fatal_signal(int sig)
{
	top_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
top_winch(int sig)
{
	top_resized = 1;
}

/*
 * SIGTSTP, or Ctrl-Z read raw: the terminal as it was, then stopped
 * (here: the handler runs with SIGTSTP unblocked); at SIGCONT, top takes
 * the terminal again in its loop (top_resumed).
 */
static void
top_stop(int sig)
{
	struct sigaction sa;

	top_restore();
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGTSTP, &sa, NULL);
	raise(SIGTSTP);
	sa.sa_handler = top_stop;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGTSTP, &sa, NULL);
	if (top_term.live)
		top_resumed = 1;
}

static int
top_enter(void)
{
	struct termios raw;

	if (tcgetattr(STDIN_FILENO, &top_term.saved) == -1)
		return -1;
	raw = top_term.saved;
	cfmakeraw(&raw);
	if (tcsetattr(STDIN_FILENO, TCSADRAIN, &raw) == -1)
		return -1;
	top_term.on = 1;
	(void)write_all(STDOUT_FILENO, TOP_ENTER, sizeof TOP_ENTER - 1);
	return 0;
}

static void
top_signals(void)
{
	static const int fatal[] = { SIGTERM, SIGHUP, SIGINT, SIGQUIT };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = top_fatal_signal;
	for (i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		sigaction(fatal[i], &sa, NULL);
	sa.sa_handler = top_winch;
	sigaction(SIGWINCH, &sa, NULL);
	sa.sa_handler = top_stop;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGTSTP, &sa, NULL);
	atexit(top_restore);
}

static void
top_size(struct top *t)
{
	struct winsize ws;

	t->lines = 24;
	t->cols = 80;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0) {
		t->lines = ws.ws_row;
		t->cols = ws.ws_col;
	}
}

static struct top_row *
top_find(struct top *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		if (strcmp(t->rows[i].name, name) == 0)
			return &t->rows[i];
	}
	return NULL;
}

static void
top_row_free(struct top_row *r)
{
	free(r->name);
	free(r->type);
	free(r->state);
}

/* One ps row into its top row (a new one for a new name), its CPU
 * sample added to the bar. */
static void
top_take_row(struct top *t, const struct ps_row *p, size_t order)
{
	struct top_row *r = top_find(t, p->name);
	size_t i;

	if (r == NULL) {
		ALLOC_GROW(t->rows, t->n + 1, t->alloc);
		r = &t->rows[t->n++];
		memset(r, 0, sizeof *r);
		r->name = xstrdup(p->name);
		r->type = xstrdup(p->type);
		for (i = 0; i < TOP_HIST; i++)
			r->hist[i] = UINT32_MAX;
	}
	free(r->state);
	r->state = xstrdup(p->state);
	r->pid = p->pid;
	r->restarts = p->restarts;
	r->started_at = p->started_at;
	r->cpu = p->cpu;
	r->rss = p->rss;
	r->order = order;
	r->seen = 1;
	memmove(r->hist, r->hist + 1, (TOP_HIST - 1) * sizeof r->hist[0]);
	r->hist[TOP_HIST - 1] = p->cpu;
}

/* Ask the daemon again; the rows it no longer lists go. */
static int
top_refresh(struct top *t, struct client *c)
{
	struct strbuf keep = STRBUF_INIT;
	struct ps_row *rows;
	const char *release, *code;
	uint32_t n, i;
	size_t j = 0;
	int rc;

	if ((rc = ps_fetch(c, &keep, &release, &code, &rows, &n,
	    t->wait)) == EXIT_OK) {
		snprintf(t->release, sizeof t->release, "%s", release);
		for (i = 0; i < t->n; i++)
			t->rows[i].seen = 0;
		for (i = 0; i < n; i++)
			top_take_row(t, &rows[i], i);
		for (i = 0; i < t->n; i++) {
			if (t->rows[i].seen)
				t->rows[j++] = t->rows[i];
			else
				top_row_free(&t->rows[i]);
		}
		t->n = j;
	}
	free(rows);
	strbuf_release(&keep);
	return rc;
}

static void
top_set_last(struct top *t, const char *name, const char *text, size_t len)
{
	struct top_last *l = NULL;
	size_t i;

	for (i = 0; i < t->nlasts && l == NULL; i++) {
		if (strcmp(t->lasts[i].name, name) == 0)
			l = &t->lasts[i];
	}
	if (l == NULL) {
		ALLOC_GROW(t->lasts, t->nlasts + 1, t->alasts);
		l = &t->lasts[t->nlasts++];
		l->name = xstrdup(name);
		l->text = NULL;
	}
	free(l->text);
	l->text = xstrndup(text, len);
}

/* Every process's lines, from the last TOP_HISTORY on, then (follow)
 * what comes. */
static int
top_follow(struct client *lc, int follow)
{
	struct strbuf sb = STRBUF_INIT;
	int rc;

	if (client_open(lc) == -1)
		return -1;
	msg_new(&sb, MSG_LOGS_QUERY);
	msg_put_u32(&sb, follow ? LOGS_FOLLOW : 0);
	msg_put_u32(&sb, TOP_HISTORY);
	msg_put_u64(&sb, 0);
	msg_put_u32(&sb, 0);
	rc = client_send(lc, &sb, NULL, 0);
	strbuf_release(&sb);
	return rc;
}

/* A line from the follower: 0, 1 at the end of the lines asked for,
 * -1 when it ends otherwise (the daemon is gone). */
static int
top_read_line(struct top *t, struct client *lc)
{
	const char *name, *text;
	uint64_t when;
	uint32_t stream;
	size_t len;
	struct msg m;

	if (client_recv(lc, &m) != 1)
		return -1;
	if (m.type == MSG_LOG_END)
		return 1;
	if (m.type != MSG_LOG_ENTRY)
		return -1;
	if (msg_get_str(&m, &name) == -1 || msg_get_u64(&m, &when) == -1 ||
	    msg_get_u32(&m, &stream) == -1 ||
	    msg_get_bytes(&m, &text, &len) == -1 || msg_end(&m) == -1)
		return -1;
	if (strcmp(name, "system") != 0)
		top_set_last(t, name, text, len);
	return 0;
}

static void
top_draw_now(const struct top *t)
{
	struct strbuf sb = STRBUF_INIT;

	top_draw(t, &sb);
	(void)write_all(STDOUT_FILENO, sb.buf, sb.len);
	strbuf_release(&sb);
}

/* The selected row, or NULL when none is shown. */
static const struct top_row *
top_selected(struct top *t)
{
	const struct top_row *r = NULL;
	size_t *vis, n, i;

	vis = top_visible(t, &n);
	for (i = 0; i < n && r == NULL && t->selected != NULL; i++) {
		if (strcmp(t->rows[vis[i]].name, t->selected) == 0)
			r = &t->rows[vis[i]];
	}
	if (r == NULL && n > 0)
		r = &t->rows[vis[0]];
	free(vis);
	return r;
}

static void
top_select(struct top *t, const struct top_row *r)
{
	free(t->selected);
	t->selected = r != NULL ? xstrdup(r->name) : NULL;
}

/* Down (+1) or up (-1) a row. */
static void
top_move(struct top *t, int by)
{
	const struct top_row *cur = top_selected(t);
	size_t *vis, n, i;

	vis = top_visible(t, &n);
	for (i = 0; i < n && cur != NULL; i++) {
		if (&t->rows[vis[i]] != cur)
			continue;
		if (by > 0 && i + 1 < n)
			top_select(t, &t->rows[vis[i + 1]]);
		else if (by < 0 && i > 0)
			top_select(t, &t->rows[vis[i - 1]]);
		break;
	}
	free(vis);
}

/* The next type to show alone: all, then each in turn (in ps's order),
 * then all again. */
static void
top_next_filter(struct top *t)
{
	const struct top_row *next = NULL, *r;
	size_t *vis, n, i, after = 0;

	for (i = 0; i < t->n && t->filter != NULL; i++) {
		r = &t->rows[i];
		if (strcmp(r->type, t->filter) == 0 && r->order + 1 > after)
			after = r->order + 1;
	}
	for (i = 0; i < t->n; i++) {
		r = &t->rows[i];
		if (r->order >= after && (t->filter == NULL ||
		    strcmp(r->type, t->filter) != 0) &&
		    (next == NULL || r->order < next->order))
			next = r;
	}
	free(t->filter);
	t->filter = next != NULL ? xstrdup(next->type) : NULL;
	vis = top_visible(t, &n);
	top_select(t, n > 0 ? &t->rows[vis[0]] : NULL);
	free(vis);
}

/* restart, stop or start one process; its answer in the status line. */
static int
top_control(struct top *t, struct client *c, uint32_t type, const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	const char *text = "";
	uint32_t code;
	struct msg m;
	int rc = 0;

	msg_new(&sb, type);
	msg_put_u32(&sb, 1);
	msg_put_str(&sb, name);
	if (client_send(c, &sb, NULL, 0) == -1 || client_reply(c, &m) == -1)
		rc = -1;
	else if (m.type == MSG_OK)
		(void)msg_get_str(&m, &text);
	else if (m.type == MSG_ERROR)
		(void)(msg_get_u32(&m, &code) == -1 ||
		    msg_get_str(&m, &text) == -1);
	snprintf(t->status, sizeof t->status, "%s", text);
	strbuf_release(&sb);
	return rc;
}

/*
 * l: the selected process's logs, followed, until Ctrl-C; then back. Our
 * own follower is closed meanwhile, so that the daemon does not queue
 * for a reader that does not read; -1 if it cannot be opened again.
 */
static int
top_logs(struct top *t, struct client *lc, char *name)
{
	char *argv[] = { "logs", "-f", "-n", "20", NULL, NULL };
	struct sigaction ign, oldint, oldquit;
	pid_t pid;
	int status;

	top_restore();
	top_term.live = 0;
	client_close(lc);
	printf("Following the logs of %s: Ctrl-C to return to top.\n", name);
	fflush(stdout);
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigaction(SIGINT, &ign, &oldint);
	sigaction(SIGQUIT, &ign, &oldquit);
	if ((pid = fork()) == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		argv[4] = name;
		optind = 0;
		fflush(stdout);
		_exit(cmd_logs(5, argv));
	}
	while (pid > 0 && waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	sigaction(SIGINT, &oldint, NULL);
	sigaction(SIGQUIT, &oldquit, NULL);
	top_term.live = 1;
	if (top_enter() == -1)
		snprintf(t->status, sizeof t->status, "cannot take the "
		    "terminal back");
	return top_follow(lc, 1);
}

/* Act on the keys read; 1 to quit, -1 when the daemon is gone. */
static int
top_keys(struct top *t, struct client *c, struct client *lc, const char *buf,
    size_t n)
{
	char *name;
	const struct top_row *r;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		t->status[0] = '\0';
		r = top_selected(t);
		if (buf[i] == '\033' && i + 2 < n && buf[i + 1] == '[') {
			if (buf[i + 2] == 'A')
				top_move(t, -1);
			else if (buf[i + 2] == 'B')
				top_move(t, 1);
			i += 2;
			continue;
		}
		switch (buf[i]) {
		case 'q':
		case 'Q':
		case 3:		/* Ctrl-C, raw */
			return 1;
		case 26:	/* Ctrl-Z, raw: the whole job stops, as
				 * the terminal would have it, once the
				 * terminal is as it was */
			top_restore();
			kill(0, SIGTSTP);
			break;
		case 'j':
			top_move(t, 1);
			break;
		case 'k':
			top_move(t, -1);
			break;
		case 'c':
			t->sort = TOP_SORT_CPU;
			break;
		case 'm':
			t->sort = TOP_SORT_MEM;
			break;
		case 'n':
			t->sort = TOP_SORT_NAME;
			break;
		case 'o':
			t->sort = TOP_SORT_ORDER;
			break;
		case 't':
			top_next_filter(t);
			break;
		case 'r':
			if (r != NULL && top_control(t, c, MSG_RESTART,
			    r->name) == -1)
				return -1;
			break;
		case 's':
			if (r != NULL && top_control(t, c,
			    strcmp(r->state, "stopped") == 0 ||
			    strcmp(r->state, "exited") == 0 ||
			    strcmp(r->state, "failed") == 0 ? MSG_START :
			    MSG_STOP, r->name) == -1)
				return -1;
			break;
		case 'l':
			if (r == NULL)
				break;
			name = xstrdup(r->name);
			rc = top_logs(t, lc, name);
			free(name);
			if (rc == -1)
				return -1;
			break;
		}
	}
	return 0;
}

static void
top_free(struct top *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		top_row_free(&t->rows[i]);
	free(t->rows);
	for (i = 0; i < t->nlasts; i++) {
		free(t->lasts[i].name);
		free(t->lasts[i].text);
	}
	free(t->lasts);
	free(t->filter);
	free(t->selected);
}

/* The lines the follower has now, without waiting. */
static int
top_drain(struct top *t, struct client *lc)
{
	struct pollfd pfd = { .fd = lc->fd, .events = POLLIN };

	while (lc->in.len > lc->consumed || poll(&pfd, 1, 0) == 1) {
		if (top_read_line(t, lc) != 0)
			return -1;
	}
	return 0;
}

/* The live view, until q or the daemon's end; the exit status. */
static int
top_live(struct top *t, struct client *c, struct client *lc, int delay_ms)
{
	struct pollfd pfd[2];
	long long next = 0, now;
	char buf[64];
	ssize_t n;
	int rc = 0, gone = 0;

	top_signals();
	if (top_enter() == -1) {
		cli_errno("cannot set up the terminal");
		return EXIT_FAILED;
	}
	t->wait = 1;
	top_term.live = 1;
	while (rc == 0) {
		if (top_resumed) {
			top_resumed = 0;
			if (top_enter() == -1)
				break;
			top_resized = 1;
		}
		if ((now = now_ms()) >= next || top_resized) {
			top_resized = 0;
			top_size(t);
			if (now >= next && top_refresh(t, c) != EXIT_OK) {
				gone = 1;
				break;
			}
			if (now >= next)
				next = now + delay_ms;
			if (top_drain(t, lc) == -1) {
				gone = 1;
				break;
			}
			top_draw_now(t);
		}
		pfd[0].fd = STDIN_FILENO;
		pfd[0].events = POLLIN;
		pfd[1].fd = lc->fd;
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, (int)(next - now_ms() > 0 ? next - now_ms() :
		    0)) <= 0)
			continue;
		if (pfd[1].revents != 0 && top_drain(t, lc) == -1) {
			gone = 1;
			break;
		}
		if (pfd[0].revents != 0) {
			if ((n = read(STDIN_FILENO, buf, sizeof buf)) <= 0)
				break;
			if ((rc = top_keys(t, c, lc, buf, (size_t)n)) == -1) {
				gone = 1;
				break;
			}
			if (top_term.on)
				top_draw_now(t);
		}
	}
	top_term.live = 0;
	top_restore();
	if (gone) {
		cli_error("top: the daemon is gone");
		return EXIT_FAILED;
	}
	return EXIT_OK;
}

/* Not a terminal: the table, once, with the last lines so far. */
static int
top_once(struct top *t, struct client *c, struct client *lc)
{
	struct strbuf sb = STRBUF_INIT;
	int rc;

	if ((rc = top_refresh(t, c)) != EXIT_OK)
		return rc;
	while ((rc = top_read_line(t, lc)) == 0)
		;
	if (rc == -1)
		return EXIT_FAILED;
	top_table(t, &sb);
	fwrite(sb.buf, 1, sb.len, stdout);
	strbuf_release(&sb);
	return EXIT_OK;
}

int
cmd_top(int argc, char **argv)
{
	static const char usage[] = "top [-d SECONDS]";
	struct top t;
	struct client c, lc;
	int ch, rc, live, delay = 1000;

	while ((ch = getopt(argc, argv, "d:")) != -1) {
		if (ch != 'd')
			return cli_usage(usage);
		if ((delay = duration_parse_ms(optarg)) < 100) {
			cli_error("top: bad delay '%s' (seconds, 0.1 or more)",
			    optarg);
			return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return cli_usage(usage);
	memset(&t, 0, sizeof t);
	setlocale(LC_CTYPE, "");
	t.utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	if (client_open(&c) == -1)
		return EXIT_FAILED;
	live = isatty(STDOUT_FILENO) && isatty(STDIN_FILENO);
	if (top_follow(&lc, live) == -1) {
		client_close(&c);
		return EXIT_FAILED;
	}
	if (live)
		rc = top_live(&t, &c, &lc, delay);
	else
		rc = top_once(&t, &c, &lc);
	top_free(&t);
	client_close(&lc);
	client_close(&c);
	return rc;
}
