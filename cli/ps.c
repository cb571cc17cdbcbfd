/*
 * formation ps: the processes of the formation, one-offs included.
 */
#include <sys/ioctl.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/client.h"
#include "cli/ps.h"
#include "common/json.h"
#include "common/util.h"
#include "common/waitstatus.h"
#include "common/xmalloc.h"

/* The usage of the row named name, if there is one: the daemon lists
 * them in ps's order, so the at-th row first. */
static void
ps_usage_set(struct ps_row *rows, uint32_t n, uint32_t at, const char *name,
    uint32_t cpu, uint64_t rss, uint32_t nprocs)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(rows[(at + i) % n].name, name) != 0)
			continue;
		i = (at + i) % n;
		rows[i].cpu = cpu;
		rows[i].rss = rss;
		rows[i].nprocs = nprocs;
		return;
	}
}

int
ps_usage(struct client *c, struct ps_row *rows, uint32_t n, int wait)
{
	struct strbuf sb = STRBUF_INIT;
	uint32_t window, count, i, cpu, nprocs;
	const char *name;
	uint64_t rss;
	struct msg m;
	int rc = -1;

	for (i = 0; i < n; i++) {
		rows[i].cpu = UINT32_MAX;
		rows[i].rss = 0;
		rows[i].nprocs = 0;
	}
	msg_new(&sb, MSG_USAGE);
	msg_put_u32(&sb, wait ? USAGE_WAIT : 0);
	if (client_send(c, &sb, NULL, 0) == -1 || client_reply(c, &m) == -1)
		goto out;
	/* A daemon that cannot tell: no figures, no error. */
	if (m.type == MSG_ERROR) {
		rc = 0;
		goto out;
	}
	if (m.type != MSG_USAGE_REPLY || msg_get_u32(&m, &window) == -1 ||
	    msg_get_u32(&m, &count) == -1 || count > m.len)
		goto out;
	for (i = 0; i < count; i++) {
		if (msg_get_str(&m, &name) == -1 ||
		    msg_get_u32(&m, &cpu) == -1 ||
		    msg_get_u64(&m, &rss) == -1 ||
		    msg_get_u32(&m, &nprocs) == -1)
			goto out;
		if (n > 0)
			ps_usage_set(rows, n, i, name, cpu, rss, nprocs);
	}
	rc = msg_end(&m);
out:
	strbuf_release(&sb);
	return rc;
}

int
ps_fetch(struct client *c, struct strbuf *keep, const char **release,
    const char **code, struct ps_row **rows, uint32_t *n, int wait)
{
	struct strbuf sb = STRBUF_INIT;
	struct msg m;
	int rc = EXIT_OK;

	*rows = NULL;
	msg_new(&sb, MSG_PS);
	if (client_send(c, &sb, NULL, 0) == -1 || client_reply(c, &m) == -1)
		rc = EXIT_FAILED;
	else if (m.type == MSG_ERROR)
		rc = client_error(&m);
	else {
		/* The rows point into it; the next reply takes its place. */
		strbuf_reset(keep);
		strbuf_add(keep, m.data, m.len);
		m.data = keep->buf;
		if (m.type != MSG_PS_REPLY || ps_decode(&m, release, code,
		    rows, n) == -1)
			rc = client_protocol_error("bad ps reply");
		else if (ps_usage(c, *rows, *n, wait) == -1)
			rc = client_protocol_error("bad usage reply");
	}
	strbuf_release(&sb);
	return rc;
}

void
ps_cpu(char *buf, size_t len, const struct ps_row *r)
{
	if (r->cpu == UINT32_MAX)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f", r->cpu / 100.0);
}

void
ps_rss(char *buf, size_t len, uint64_t rss)
{
	static const char units[] = "KMGT";
	double v = (double)rss / 1024;
	int u = 0;

	if (rss == 0) {
		snprintf(buf, len, "-");
		return;
	}
	while (v >= 1000 && u < 3) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, v < 10 ? "%.1f%c" : "%.0f%c", v, units[u]);
}

int
ps_decode(struct msg *m, const char **release, const char **code,
    struct ps_row **rows, uint32_t *n)
{
	struct ps_row *r;
	uint32_t i;

	if (msg_get_str(m, release) == -1 || msg_get_u32(m, n) == -1 ||
	    *n > m->len)
		return -1;
	*rows = xcalloc(*n + 1, sizeof **rows);
	for (i = 0; i < *n; i++) {
		r = &(*rows)[i];
		if (msg_get_str(m, &r->name) == -1 ||
		    msg_get_str(m, &r->type) == -1 ||
		    msg_get_u32(m, &r->pid) == -1 ||
		    msg_get_str(m, &r->state) == -1 ||
		    msg_get_u32(m, &r->port) == -1 ||
		    msg_get_u32(m, &r->restarts) == -1 ||
		    msg_get_u64(m, &r->started_at) == -1 ||
		    msg_get_u32(m, &r->last_status) == -1 ||
		    msg_get_str(m, &r->release) == -1 ||
		    msg_get_str(m, &r->command) == -1 ||
		    msg_get_str(m, &r->code) == -1 ||
		    msg_get_u32(m, &r->signal) == -1 ||
		    msg_get_u64(m, &r->signalled_at) == -1 ||
		    msg_get_str(m, &r->status) == -1 ||
		    msg_get_u32(m, &r->shell) == -1)
			return -1;
	}
	return msg_get_str(m, code);
}

int
ps_decode_sockets(struct msg *m, struct ps_socket **socks, uint32_t *n)
{
	struct ps_socket *s;
	uint32_t i;

	*socks = NULL;
	if (msg_get_u32(m, n) == -1 || *n > m->len)
		return -1;
	*socks = xcalloc(*n + 1, sizeof **socks);
	for (i = 0; i < *n; i++) {
		s = &(*socks)[i];
		if (msg_get_str(m, &s->type) == -1 ||
		    msg_get_str(m, &s->name) == -1 ||
		    msg_get_str(m, &s->address) == -1 ||
		    msg_get_u32(m, &s->fd) == -1)
			return -1;
	}
	return msg_end(m);
}

void
ps_uptime(char *buf, size_t len, uint64_t started)
{
	long long s = (long long)time(NULL) - (long long)started;

	if (started == 0)
		snprintf(buf, len, "-");
	else if (s < 60)
		snprintf(buf, len, "%llds", s < 0 ? 0 : s);
	else if (s < 3600)
		snprintf(buf, len, "%lldm%02llds", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%lldh%02lldm", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, len, "%lldd%02lldh", s / 86400, s % 86400 / 3600);
}

/* "SIGKILL", "status 3*" (the shell's), "-" before the first exit. */
static void
ps_last_exit(char *buf, size_t len, const struct ps_row *r)
{
	if (r->last_status == MSG_NO_STATUS)
		snprintf(buf, len, "-");
	else
		waitstatus_brief((int)r->last_status,
		    (r->shell & PS_LAST_SHELL) != 0, buf, len);
}

/* "4242", "4242*" when it is the shell's, "-" for none. */
static void
ps_pid(char *buf, size_t len, const struct ps_row *r)
{
	if (r->pid == 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%u%s", r->pid,
		    r->shell & PS_SHELL ? "*" : "");
}

/* "SIGHUP 2m05s ago" in the SIGNAL column, "-" when none. */
static void
ps_signal(char *buf, size_t len, const struct ps_row *r)
{
	char ago[32];

	if (r->signal == 0) {
		snprintf(buf, len, "-");
		return;
	}
	ps_uptime(ago, sizeof ago, r->signalled_at);
	snprintf(buf, len, "%s %s ago", signal_name((int)r->signal), ago);
}

/*
 * The table: each column as wide as its widest cell, so that no text
 * (a long LAST EXIT, a long name) pushes the others out of line; the
 * COMMAND last, shortened to what the terminal's width (COLUMNS, else
 * the terminal's own) leaves it rather than wrapped. Output that is not
 * a terminal keeps the whole command, unless COLUMNS says otherwise.
 */
enum { PS_NAME, PS_STATE, PS_PID, PS_UPTIME, PS_CPU, PS_RSS, PS_RESTARTS,
	PS_PORT, PS_LAST, PS_SIGNAL, PS_STATUS, PS_NCELLS };

static const struct {
	const char	*title;
	int		 right;		/* numbers and times, right-aligned */
} ps_cols[PS_NCELLS] = {
	{ "NAME", 0 }, { "STATE", 0 }, { "PID", 1 }, { "UPTIME", 1 },
	{ "CPU%", 1 }, { "RSS", 1 }, { "RESTARTS", 1 }, { "PORT", 1 }, { "LAST EXIT", 0 }, { "SIGNAL", 0 },
	{ "STATUS", 0 },
};

#define PS_CELL		256
#define PS_COMMAND_MIN	4	/* one character and "..." at the least */

struct ps_cells {
	char	cell[PS_NCELLS][PS_CELL];
};

/* The width the table must fit: COLUMNS, else stdout's terminal; 0 for
 * none. */
static int
ps_columns(void)
{
	const char *v = getenv("COLUMNS");
	struct winsize ws;
	int n;

	if (v != NULL && (n = number_parse(v, 1 << 16)) > 0)
		return n;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
		return ws.ws_col;
	return 0;
}

static void
ps_fill(struct ps_cells *c, const struct ps_row *r)
{
	snprintf(c->cell[PS_NAME], PS_CELL, "%s", r->name);
	snprintf(c->cell[PS_STATE], PS_CELL, "%s", r->state);
	ps_pid(c->cell[PS_PID], PS_CELL, r);
	ps_uptime(c->cell[PS_UPTIME], PS_CELL, r->pid ? r->started_at : 0);
	ps_cpu(c->cell[PS_CPU], PS_CELL, r);
	ps_rss(c->cell[PS_RSS], PS_CELL, r->rss);
	snprintf(c->cell[PS_RESTARTS], PS_CELL, "%u", r->restarts);
	snprintf(c->cell[PS_PORT], PS_CELL, r->port ? "%u" : "-", r->port);
	ps_last_exit(c->cell[PS_LAST], PS_CELL, r);
	ps_signal(c->cell[PS_SIGNAL], PS_CELL, r);
	snprintf(c->cell[PS_STATUS], PS_CELL, "%s", r->status);
}

/* The command in at most max bytes (0: no limit), on one line, cut on a
 * character's boundary and marked so. */
static void
ps_command(const char *cmd, int max)
{
	size_t len = strlen(cmd), i;

	if (max > 0 && len > (size_t)max) {
		len = (size_t)(max > 3 ? max - 3 : 0);
		while (len > 0 && ((unsigned char)cmd[len] & 0xc0) == 0x80)
			len--;
	}
	for (i = 0; i < len; i++)
		putchar(cmd[i] == '\n' || cmd[i] == '\t' ? ' ' : cmd[i]);
	if (len < strlen(cmd))
		fputs("...", stdout);
	putchar('\n');
}

static void
ps_line(const int *w, char cells[][PS_CELL], const char *cmd, int cmdmax)
{
	int i;

	for (i = 0; i < PS_NCELLS; i++) {
		if (w[i] > 0)
			printf(ps_cols[i].right ? "%*s  " : "%-*s  ", w[i],
			    cells[i]);
	}
	ps_command(cmd, cmdmax);
}

static void
ps_print(const char *release, const char *code, struct ps_row *rows,
    uint32_t n)
{
	struct ps_cells *cells = xcalloc(n + 1, sizeof *cells);
	char titles[PS_NCELLS][PS_CELL];
	int w[PS_NCELLS], i, used = 0, cols = ps_columns(), cmdmax = 0;
	uint32_t j;

	if (strcmp(code, "none") != 0)
		printf("release %s (code %s), %u process%s\n", release, code, n,
		    n == 1 ? "" : "es");
	else
		printf("release %s, %u process%s\n", release, n,
		    n == 1 ? "" : "es");
	for (i = 0; i < PS_NCELLS; i++) {
		snprintf(titles[i], PS_CELL, "%s", ps_cols[i].title);
		w[i] = (int)strlen(titles[i]);
	}
	/* SIGNAL only once formation kill has sent one, STATUS once a
	 * process has sent one (NOTIFY_SOCKET). */
	w[PS_SIGNAL] = w[PS_STATUS] = 0;
	for (j = 0; j < n; j++) {
		ps_fill(&cells[j], &rows[j]);
		for (i = 0; i < PS_NCELLS; i++) {
			if ((i == PS_SIGNAL && rows[j].signal == 0) ||
			    (i == PS_STATUS && *rows[j].status == '\0'))
				continue;
			if ((int)strlen(cells[j].cell[i]) > w[i])
				w[i] = (int)strlen(cells[j].cell[i]);
		}
	}
	for (i = PS_SIGNAL; i <= PS_STATUS; i++) {
		if (w[i] > 0 && w[i] < (int)strlen(ps_cols[i].title))
			w[i] = (int)strlen(ps_cols[i].title);
	}
	for (i = 0; i < PS_NCELLS; i++)
		used += w[i] > 0 ? w[i] + 2 : 0;
	if (cols > 0)
		cmdmax = cols - used < PS_COMMAND_MIN ? PS_COMMAND_MIN :
		    cols - used;
	if (n > 0)
		ps_line(w, titles, "COMMAND", 0);
	for (j = 0; j < n; j++)
		ps_line(w, cells[j].cell, rows[j].command, cmdmax);
	free(cells);
}

/* "listen web: tcp:0.0.0.0:5000 (fd 3, web)", one line a socket. */
static void
ps_print_sockets(const struct ps_socket *socks, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		printf("listen %s: %s (fd %u, %s)\n", socks[i].type,
		    socks[i].address, socks[i].fd, socks[i].name);
}

static void
ps_json_sockets(struct strbuf *sb, const struct ps_socket *socks,
    uint32_t n)
{
	uint32_t i;

	strbuf_addstr(sb, ", \"sockets\": [");
	for (i = 0; i < n; i++) {
		strbuf_addstr(sb, i ? ", {\"type\": " : "{\"type\": ");
		json_str(sb, socks[i].type);
		strbuf_addstr(sb, ", \"name\": ");
		json_str(sb, socks[i].name);
		strbuf_addstr(sb, ", \"address\": ");
		json_str(sb, socks[i].address);
		strbuf_addf(sb, ", \"fd\": %u}", socks[i].fd);
	}
	strbuf_addch(sb, ']');
}

static void
ps_json_time(struct strbuf *sb, uint64_t t)
{
	char buf[32];
	struct tm tm;
	time_t tt = (time_t)t;

	if (t == 0) {
		strbuf_addstr(sb, "null");
		return;
	}
	gmtime_r(&tt, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_str(sb, buf);
}

/* A code id, or null for none. */
static void
ps_json_code(struct strbuf *sb, const char *code)
{
	if (strcmp(code, "none") == 0)
		strbuf_addstr(sb, "null");
	else
		json_str(sb, code);
}

/* "last_signal": what formation kill sent last, or null. */
static void
ps_json_signal(struct strbuf *sb, const struct ps_row *r)
{
	strbuf_addstr(sb, ", \"last_signal\": ");
	if (r->signal == 0) {
		strbuf_addstr(sb, "null");
		return;
	}
	strbuf_addstr(sb, "{\"signal\": ");
	json_str(sb, signal_name((int)r->signal));
	strbuf_addf(sb, ", \"number\": %u, \"at\": ", r->signal);
	ps_json_time(sb, r->signalled_at);
	strbuf_addch(sb, '}');
}

/* "last_exit_signal": what ended it at its last exit, and whom it
 * killed (common/waitstatus.h), or null. */
static void
ps_json_exit_signal(struct strbuf *sb, const struct ps_row *r)
{
	enum waitstatus_killed killed = WAITSTATUS_NONE;
	int sig = 0;

	if (r->last_status != MSG_NO_STATUS)
		sig = waitstatus_signal((int)r->last_status,
		    (r->shell & PS_LAST_SHELL) != 0, &killed);
	strbuf_addstr(sb, ", \"last_exit_signal\": ");
	if (sig == 0) {
		strbuf_addstr(sb, "null");
		return;
	}
	strbuf_addstr(sb, "{\"signal\": ");
	json_str(sb, signal_name(sig));
	strbuf_addf(sb, ", \"number\": %d, \"killed\": ", sig);
	json_str(sb, waitstatus_killed_name(killed));
	strbuf_addch(sb, '}');
}

/* "cpu_percent", "rss_bytes": null when not known; "processes". */
static void
ps_json_usage(struct strbuf *sb, const struct ps_row *r)
{
	if (r->cpu == UINT32_MAX)
		strbuf_addstr(sb, ", \"cpu_percent\": null");
	else
		strbuf_addf(sb, ", \"cpu_percent\": %u.%02u", r->cpu / 100,
		    r->cpu % 100);
	if (r->nprocs == 0)
		strbuf_addstr(sb, ", \"rss_bytes\": null");
	else
		strbuf_addf(sb, ", \"rss_bytes\": %llu",
		    (unsigned long long)r->rss);
	strbuf_addf(sb, ", \"processes\": %u", r->nprocs);
}

static void
ps_json(const char *release, const char *code, struct ps_row *rows,
    uint32_t n, const struct ps_socket *socks, uint32_t nsocks)
{
	struct strbuf sb = STRBUF_INIT;
	uint32_t i;

	strbuf_addstr(&sb, "{\"release\": ");
	json_str(&sb, release);
	strbuf_addstr(&sb, ", \"code\": ");
	ps_json_code(&sb, code);
	strbuf_addstr(&sb, ", \"processes\": [");
	for (i = 0; i < n; i++) {
		struct ps_row *r = &rows[i];

		strbuf_addstr(&sb, i ? ", {\"name\": " : "{\"name\": ");
		json_str(&sb, r->name);
		strbuf_addstr(&sb, ", \"type\": ");
		json_str(&sb, r->type);
		strbuf_addf(&sb, r->pid ? ", \"pid\": %u" : ", \"pid\": null",
		    r->pid);
		strbuf_addstr(&sb, ", \"state\": ");
		json_str(&sb, r->state);
		strbuf_addf(&sb, r->port ? ", \"port\": %u" :
		    ", \"port\": null", r->port);
		strbuf_addf(&sb, ", \"restarts\": %u, \"started_at\": ",
		    r->restarts);
		ps_json_time(&sb, r->pid ? r->started_at : 0);
		if (r->last_status == MSG_NO_STATUS)
			strbuf_addstr(&sb, ", \"last_exit\": null");
		else
			strbuf_addf(&sb, ", \"last_exit\": %d",
			    waitstatus_code((int)r->last_status));
		ps_json_exit_signal(&sb, r);
		strbuf_addstr(&sb, r->shell & PS_SHELL ? ", \"shell\": true" :
		    ", \"shell\": false");
		strbuf_addstr(&sb, ", \"release\": ");
		json_str(&sb, r->release);
		strbuf_addstr(&sb, ", \"command\": ");
		json_str(&sb, r->command);
		strbuf_addstr(&sb, ", \"code\": ");
		ps_json_code(&sb, r->code);
		ps_json_signal(&sb, r);
		strbuf_addstr(&sb, ", \"status\": ");
		if (r->status[0] == '\0')
			strbuf_addstr(&sb, "null");
		else
			json_str(&sb, r->status);
		ps_json_usage(&sb, r);
		strbuf_addch(&sb, '}');
	}
	strbuf_addch(&sb, ']');
	ps_json_sockets(&sb, socks, nsocks);
	strbuf_addstr(&sb, "}\n");
	fwrite(sb.buf, 1, sb.len, stdout);
	strbuf_release(&sb);
}

/* The sockets at the end of the ps reply that ps_fetch() kept. */
static int
ps_sockets(const struct strbuf *keep, struct ps_socket **socks,
    uint32_t *n)
{
	struct ps_row *rows = NULL;
	const char *release, *code;
	struct msg m;
	uint32_t nrows;
	int rc;

	memset(&m, 0, sizeof m);
	m.data = keep->buf;
	m.len = keep->len;
	rc = ps_decode(&m, &release, &code, &rows, &nrows);
	free(rows);
	if (rc == -1)
		return -1;
	return ps_decode_sockets(&m, socks, n);
}

int
cmd_ps(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct strbuf keep = STRBUF_INIT;
	struct ps_row *rows = NULL;
	struct ps_socket *socks = NULL;
	const char *release, *code;
	struct client c;
	uint32_t n, nsocks = 0;
	int ch, json = 0, rc;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'j')
			return cli_usage("ps [--json]");
		json = 1;
	}
	if (optind != argc)
		return cli_usage("ps [--json]");
	if (client_open(&c) == -1)
		return EXIT_FAILED;
	/* At a terminal, the CPU is worth a quarter of a second's wait;
	 * a script gets an answer at once, and null until it asks again. */
	rc = ps_fetch(&c, &keep, &release, &code, &rows, &n,
	    isatty(STDOUT_FILENO));
	if (rc == EXIT_OK && ps_sockets(&keep, &socks, &nsocks) == -1)
		rc = client_protocol_error("bad ps reply");
	if (rc == EXIT_OK && json)
		ps_json(release, code, rows, n, socks, nsocks);
	else if (rc == EXIT_OK) {
		ps_print(release, code, rows, n);
		ps_print_sockets(socks, nsocks);
	}
	free(socks);
	free(rows);
	strbuf_release(&keep);
	client_close(&c);
	return rc;
}
