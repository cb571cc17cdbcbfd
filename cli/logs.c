/*
 * formation logs: the recent lines the daemon keeps, then (-f) what
 * follows, in the daemon's own format and colours or as JSON, one object
 * a line.
 *
 * The kept lines are held until their end (MSG_LOG_END, or MSG_LOG_LIVE
 * where the new ones begin) and printed with the name column as wide as
 * the widest name among them.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/client.h"
#include "common/color.h"
#include "common/json.h"
#include "common/timefmt.h"
#include "common/util.h"
#include "common/xmalloc.h"

#define LOGS_DEFAULT	100
#define LOGS_BUFSIZE	(256 * 1024)

/* How each line is shown. */
enum logs_style {
	LOGS_CLOCK,		/* "15:04:05 web.1 | text", local time */
	LOGS_ISO,		/* RFC 3339 with ms, local time */
	LOGS_BARE,		/* no time */
	LOGS_JSON,		/* one object per line */
};

static const char *const logs_streams[] = { NULL, "stdout", "stderr" };

struct logs_line {
	char		*name, *text;
	size_t		 len;
	long long	 when;
	uint32_t	 stream;
};

struct logs {
	enum logs_style	 style;
	int		 color;
	size_t		 width;		/* of the name column */
	char		**types;	/* MSG_LOG_COLORS: type i ... */
	uint32_t	*colors;	/* ... has colour colors[i] */
	uint32_t	 ntypes;
	struct logs_line *held;		/* the recent lines, until their end */
	size_t		 nheld, aheld;
};

static void
logs_release(struct logs *l)
{
	size_t i;

	for (i = 0; i < l->ntypes; i++)
		free(l->types[i]);
	free(l->types);
	free(l->colors);
	for (i = 0; i < l->nheld; i++) {
		free(l->held[i].name);
		free(l->held[i].text);
	}
	free(l->held);
}

/* A type's colour as formation up gives it; a type the daemon did not
 * name (of an older release) gets one by its name. */
static const char *
logs_color(const struct logs *l, const char *name)
{
	size_t len = strcspn(name, "."), i;
	unsigned h = 5381;

	if (strcmp(name, "system") == 0)
		return color_code(-1);
	for (i = 0; i < l->ntypes; i++) {
		if (strlen(l->types[i]) == len &&
		    strncmp(l->types[i], name, len) == 0)
			return color_code((int)l->colors[i]);
	}
	for (i = 0; i < len; i++)
		h = h * 33 + (unsigned char)name[i];
	return color_code((int)(h % 1024));
}

static int
logs_take_colors(struct logs *l, struct msg *m)
{
	const char *type;
	uint32_t n, i;

	if (msg_get_u32(m, &n) == -1 || n > m->len || l->ntypes > 0)
		return -1;
	l->types = xcalloc(n + 1, sizeof *l->types);
	l->colors = xcalloc(n + 1, sizeof *l->colors);
	for (i = 0; i < n; i++) {
		if (msg_get_str(m, &type) == -1 ||
		    msg_get_u32(m, &l->colors[i]) == -1)
			return -1;
		l->types[l->ntypes++] = xstrdup(type);
	}
	return msg_end(m);
}

/* What is to be written, in blocks of up to LOGS_BUFSIZE. */
static struct strbuf logs_out = STRBUF_INIT;

static int
logs_flush(void)
{
	int rc = 0;

	if (logs_out.len > 0 &&
	    write_all(STDOUT_FILENO, logs_out.buf, logs_out.len) == -1) {
		cli_errno("logs: cannot write");
		rc = -1;
	}
	strbuf_reset(&logs_out);
	return rc;
}

/* {"time": "...Z", "process": "web.1", "stream": "stderr", "text": ...}:
 * the stream only when the daemon knows it. */
static void
logs_json(const char *name, long long when, uint32_t stream,
    const char *text, size_t len)
{
	struct strbuf *sb = &logs_out;
	char ts[TIMEFMT_RFC3339];

	timefmt_rfc3339(ts, sizeof ts, when, 1);
	strbuf_addstr(sb, "{\"time\": ");
	json_str(sb, ts);
	strbuf_addstr(sb, ", \"process\": ");
	json_str(sb, name);
	if (stream < sizeof logs_streams / sizeof logs_streams[0] &&
	    logs_streams[stream] != NULL) {
		strbuf_addstr(sb, ", \"stream\": ");
		json_str(sb, logs_streams[stream]);
	}
	strbuf_addstr(sb, ", \"text\": ");
	json_strn(sb, text, len);
	strbuf_addstr(sb, "}\n");
}

static void
logs_text(struct logs *l, const char *name, long long when, const char *text,
    size_t len)
{
	static char clock[16];
	static time_t last = -1;
	enum logs_style style = l->style;
	char ts[TIMEFMT_RFC3339 + 1];
	struct tm tm;
	time_t t = (time_t)(when / 1000);
	size_t nlen = strlen(name);

	if (nlen > l->width)
		l->width = nlen;
	/* "%s%s%-*s |%s TEXT\n", without printf: a follower writes
	 * millions of these. */
	if (l->color)
		strbuf_addstr(&logs_out, logs_color(l, name));
	if (style == LOGS_CLOCK) {
		if (t != last) {	/* many lines share a second */
			localtime_r(&t, &tm);
			strftime(clock, sizeof clock, "%H:%M:%S ", &tm);
			last = t;
		}
		strbuf_addstr(&logs_out, clock);
	} else if (style == LOGS_ISO) {
		timefmt_rfc3339(ts, sizeof ts - 1, when, 0);
		strbuf_addstr(&logs_out, ts);
		strbuf_addch(&logs_out, ' ');
	}
	strbuf_add(&logs_out, name, nlen);
	for (; nlen < l->width; nlen++)
		strbuf_addch(&logs_out, ' ');
	strbuf_addstr(&logs_out, " |");
	if (l->color)
		strbuf_addstr(&logs_out, COLOR_RESET);
	strbuf_addch(&logs_out, ' ');
	strbuf_add(&logs_out, text, len);
	strbuf_addch(&logs_out, '\n');
}

/* The marker where a follower that fell behind missed lines. */
static int
logs_skipped(const struct logs *l, struct msg *m)
{
	uint64_t n;

	if (msg_get_u64(m, &n) == -1 || msg_end(m) == -1)
		return -1;
	if (l->style == LOGS_JSON)
		strbuf_addf(&logs_out, "{\"skipped\": %llu}\n",
		    (unsigned long long)n);
	else
		strbuf_addf(&logs_out, "formation: logs: fell behind; %llu "
		    "lines skipped\n", (unsigned long long)n);
	return 0;
}

/* The recent lines are in: the widest name sets the column. */
static void
logs_print_held(struct logs *l)
{
	struct logs_line *h;
	size_t i;

	for (i = 0; i < l->nheld; i++) {
		if (strlen(l->held[i].name) > l->width)
			l->width = strlen(l->held[i].name);
	}
	for (i = 0; i < l->nheld; i++) {
		h = &l->held[i];
		logs_text(l, h->name, h->when, h->text, h->len);
		free(h->name);
		free(h->text);
	}
	l->nheld = 0;
}

static void
logs_hold(struct logs *l, const char *name, long long when, const char *text,
    size_t len)
{
	struct logs_line *h;

	if (l->nheld == l->aheld) {
		l->aheld = l->aheld ? 2 * l->aheld : 64;
		l->held = xreallocarray(l->held, l->aheld, sizeof *l->held);
	}
	h = &l->held[l->nheld++];
	h->name = xstrdup(name);
	h->text = xmalloc(len + 1);
	memcpy(h->text, text, len);
	h->len = len;
	h->when = when;
}

/* One MSG_LOG_ENTRY, held until the end of the recent lines unless
 * live; -1 if it does not decode. */
static int
logs_line(struct logs *l, struct msg *m, int live)
{
	const char *name, *text;
	uint64_t when;
	uint32_t stream;
	size_t len;

	if (msg_get_str(m, &name) == -1 || msg_get_u64(m, &when) == -1 ||
	    msg_get_u32(m, &stream) == -1 ||
	    msg_get_bytes(m, &text, &len) == -1 || msg_end(m) == -1 ||
	    when > (uint64_t)LLONG_MAX)
		return -1;
	if (l->style == LOGS_JSON)
		logs_json(name, (long long)when, stream, text, len);
	else if (live)
		logs_text(l, name, (long long)when, text, len);
	else
		logs_hold(l, name, (long long)when, text, len);
	return 0;
}

static int
logs_color_wanted(void)
{
	const char *nc = getenv("NO_COLOR");

	if (cli_globals.color != -1)
		return cli_globals.color;
	return isatty(STDOUT_FILENO) && (nc == NULL || *nc == '\0');
}

static const char logs_usage[] = "logs [-f] [-n N] [--since TIME] "
    "[--no-timestamps | --timestamps=iso] [--json] [TARGET ...]";

/* --timestamps=WHEN: clock (the default), iso or none. */
static int
logs_timestamps(const char *arg, enum logs_style *style)
{
	if (strcmp(arg, "clock") == 0)
		*style = LOGS_CLOCK;
	else if (strcmp(arg, "iso") == 0)
		*style = LOGS_ISO;
	else if (strcmp(arg, "none") == 0)
		*style = LOGS_BARE;
	else {
		cli_error("bad --timestamps '%s' (clock, iso or none)", arg);
		return -1;
	}
	return 0;
}

struct logs_opts {
	int		 follow;
	long long	 lines;		/* LOGS_ALL: all */
	long long	 since;		/* ms since the epoch; 0: all */
	enum logs_style	 style;
};

/* The options into o; the index of the first target, or -1 with the exit
 * status in *rc. */
static int
logs_options(int argc, char **argv, struct logs_opts *o, int *rc)
{
	static const struct option longopts[] = {
		{ "follow", no_argument, NULL, 'f' },
		{ "lines", required_argument, NULL, 'n' },
		{ "since", required_argument, NULL, 'S' },
		{ "no-timestamps", no_argument, NULL, 'T' },
		{ "timestamps", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, json = 0;

	o->follow = 0;
	o->lines = -1;
	o->since = 0;
	o->style = LOGS_CLOCK;
	*rc = EXIT_USAGE;
	while ((ch = getopt_long(argc, argv, "fn:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			o->follow = 1;
			break;
		case 'n':
			if ((o->lines = number_parse(optarg, 1 << 30)) == -1) {
				cli_error("bad line count '%s'", optarg);
				return -1;
			}
			break;
		case 'S':
			if (timefmt_parse(optarg, timefmt_now_ms(),
			    &o->since) == -1) {
				cli_error("bad time '%s' (a duration as 10m, "
				    "1h30m, or a time as 15:04, 2006-01-02, "
				    "2006-01-02T15:04:05)", optarg);
				return -1;
			}
			if (o->since <= 0)
				o->since = 1;
			break;
		case 'T':
			o->style = LOGS_BARE;
			break;
		case 't':
			if (logs_timestamps(optarg, &o->style) == -1)
				return -1;
			break;
		case 'j':
			json = 1;
			break;
		default:
			cli_usage(logs_usage);
			return -1;
		}
	}
	/* The JSON carries its own time. */
	if (json)
		o->style = LOGS_JSON;
	/* --since alone: every line since, not the last 100. */
	if (o->lines == -1)
		o->lines = o->since != 0 ? LOGS_ALL : LOGS_DEFAULT;
	return optind;
}

/* One request: the kept lines, with the colours, then with -f the new
 * ones after MSG_LOG_LIVE. */
static void
logs_request(struct strbuf *sb, const struct logs_opts *o, int color,
    int argc, char **argv)
{
	int i;

	msg_new(sb, MSG_LOGS_QUERY);
	msg_put_u32(sb, (o->follow ? LOGS_FOLLOW | LOGS_LIVE : 0) |
	    (color ? LOGS_COLORS : 0));
	msg_put_u32(sb, (uint32_t)o->lines);
	msg_put_u64(sb, (uint64_t)o->since);
	msg_put_u32(sb, (uint32_t)argc);
	for (i = 0; i < argc; i++)
		msg_put_str(sb, argv[i]);
}

/* The replies: the exit status. */
static int
logs_read(struct logs *l, struct client *c, int follow)
{
	struct msg m;
	int rc = -1, live = 0, got = 1;

	/* Written in large blocks: a follower keeps up with the daemon by
	 * writing only when it has taken all that has come. */
	while (rc == -1) {
		if (!client_pending(c) && logs_flush() == -1) {
			rc = EXIT_FAILED;
			break;
		}
		if ((got = client_recv(c, &m)) != 1)
			break;
		/* The daemon answered: a follower waits for lines. */
		c->timeout_ms = 0;
		if (m.type == MSG_LOG_ENTRY) {
			if (logs_line(l, &m, live) == -1)
				rc = client_protocol_error("bad log line");
			else if (logs_out.len >= LOGS_BUFSIZE &&
			    logs_flush() == -1)
				rc = EXIT_FAILED;
		} else if (m.type == MSG_LOG_SKIPPED && live) {
			if (logs_skipped(l, &m) == -1)
				rc = client_protocol_error("bad skip count");
		} else if (m.type == MSG_LOG_END && follow && live) {
			rc = EXIT_OK;	/* formationd exited */
		} else if (m.type == MSG_LOG_COLORS && !live) {
			if (logs_take_colors(l, &m) == -1)
				rc = client_protocol_error("bad log colours");
		} else if ((m.type == MSG_LOG_END && !follow) ||
		    (m.type == MSG_LOG_LIVE && follow && !live)) {
			logs_print_held(l);
			live = 1;
			if (!follow)
				rc = EXIT_OK;
		} else if (m.type == MSG_ERROR) {
			(void)logs_flush();	/* what came first, first */
			rc = client_error(&m);
		} else
			rc = client_protocol_error("unexpected reply");
	}
	logs_print_held(l);
	if (logs_flush() == -1 && rc == EXIT_OK)
		rc = EXIT_FAILED;
	strbuf_release(&logs_out);
	/* The connection closed before the end: formationd went away. */
	if (rc == -1 && got == 0) {
		cli_error("logs: formationd went away (the connection closed "
		    "before the end of the log)");
		rc = EXIT_FAILED;
	} else if (rc == -1)
		rc = EXIT_FAILED;
	return rc;
}

int
cmd_logs(int argc, char **argv)
{
	struct strbuf sb = STRBUF_INIT;
	struct logs_opts o;
	struct client c;
	struct logs l;
	int first, rc;

	if ((first = logs_options(argc, argv, &o, &rc)) == -1)
		return rc;
	if (client_open(&c) == -1)
		return EXIT_FAILED;
	memset(&l, 0, sizeof l);
	l.style = o.style;
	l.color = o.style != LOGS_JSON && logs_color_wanted();
	logs_request(&sb, &o, l.color, argc - first, argv + first);
	rc = client_send(&c, &sb, NULL, 0) == -1 ? EXIT_FAILED :
	    logs_read(&l, &c, o.follow);
	logs_release(&l);
	strbuf_release(&sb);
	client_close(&c);
	return rc;
}
