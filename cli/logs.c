/*
 * formation logs: the recent lines the daemon keeps, then (-f) what
 * follows, in the daemon's own format or as JSON, one object a line.
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
#include "common/json.h"
#include "common/timefmt.h"
#include "common/util.h"

#define LOGS_DEFAULT	100

static const char *logs_colors[] = {
	"\033[36m", "\033[33m", "\033[32m", "\033[35m", "\033[31m",
	"\033[34m", "\033[96m", "\033[93m", "\033[92m", "\033[95m",
};

/* A stable colour per type name, so a type keeps its colour. */
static const char *
logs_color(const char *name)
{
	unsigned h = 5381;
	const char *p;

	if (strcmp(name, "system") == 0)
		return "\033[1m";
	for (p = name; *p != '\0' && *p != '.'; p++)
		h = h * 33 + (unsigned char)*p;
	return logs_colors[h % (sizeof logs_colors / sizeof logs_colors[0])];
}

/* How each line is shown. */
enum logs_style {
	LOGS_CLOCK,		/* "15:04:05 web.1 | text", local time */
	LOGS_ISO,		/* RFC 3339 with ms, local time */
	LOGS_BARE,		/* no time */
	LOGS_JSON,		/* one object per line */
};

static const char *const logs_streams[] = { NULL, "stdout", "stderr" };

/* {"time": "...Z", "process": "web.1", "stream": "stderr", "text": ...}:
 * the stream only when the daemon knows it. */
static void
logs_json(const char *name, long long when, uint32_t stream,
    const char *text, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	char ts[TIMEFMT_RFC3339];

	timefmt_rfc3339(ts, sizeof ts, when, 1);
	strbuf_addstr(&sb, "{\"time\": ");
	json_str(&sb, ts);
	strbuf_addstr(&sb, ", \"process\": ");
	json_str(&sb, name);
	if (stream < sizeof logs_streams / sizeof logs_streams[0] &&
	    logs_streams[stream] != NULL) {
		strbuf_addstr(&sb, ", \"stream\": ");
		json_str(&sb, logs_streams[stream]);
	}
	strbuf_addstr(&sb, ", \"text\": ");
	json_strn(&sb, text, len);
	strbuf_addstr(&sb, "}\n");
	fwrite(sb.buf, 1, sb.len, stdout);
	strbuf_release(&sb);
}

static void
logs_text(enum logs_style style, int color, size_t width, const char *name,
    long long when, const char *text, size_t len)
{
	char ts[TIMEFMT_RFC3339 + 1];
	struct tm tm;
	time_t t = (time_t)(when / 1000);

	ts[0] = '\0';
	if (style == LOGS_CLOCK) {
		localtime_r(&t, &tm);
		strftime(ts, sizeof ts, "%H:%M:%S ", &tm);
	} else if (style == LOGS_ISO) {
		timefmt_rfc3339(ts, sizeof ts - 1, when, 0);
		strcat(ts, " ");
	}
	printf("%s%s%-*s |%s ", color ? logs_color(name) : "", ts,
	    (int)width, name, color ? "\033[0m" : "");
	fwrite(text, 1, len, stdout);
	putchar('\n');
}

/* One MSG_LOG_ENTRY; -1 if it does not decode. */
static int
logs_line(struct msg *m, enum logs_style style, int color, size_t *width)
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
	if (style == LOGS_JSON) {
		logs_json(name, (long long)when, stream, text, len);
		return 0;
	}
	if (strlen(name) > *width)
		*width = strlen(name);
	logs_text(style, color, *width, name, (long long)when, text, len);
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

int
cmd_logs(int argc, char **argv)
{
	struct strbuf sb = STRBUF_INIT;
	struct logs_opts o;
	struct client c;
	struct msg m;
	size_t width = 6;
	int i, first, rc, color;

	if ((first = logs_options(argc, argv, &o, &rc)) == -1)
		return rc;
	if (client_open(&c) == -1)
		return EXIT_FAILED;
	color = o.style != LOGS_JSON && logs_color_wanted();
	msg_new(&sb, MSG_LOGS_QUERY);
	msg_put_u32(&sb, o.follow ? LOGS_FOLLOW : 0);
	msg_put_u32(&sb, (uint32_t)o.lines);
	msg_put_u64(&sb, (uint64_t)o.since);
	msg_put_u32(&sb, (uint32_t)(argc - first));
	for (i = first; i < argc; i++)
		msg_put_str(&sb, argv[i]);
	rc = client_send(&c, &sb, NULL, 0) == -1 ? EXIT_FAILED : -1;
	while (rc == -1 && client_recv(&c, &m) == 1) {
		/* The daemon answered: a follower waits for lines. */
		c.timeout_ms = 0;
		if (m.type == MSG_LOG_ENTRY) {
			if (logs_line(&m, o.style, color, &width) == -1)
				rc = client_protocol_error("bad log line");
			if (o.follow)
				fflush(stdout);
		} else if (m.type == MSG_LOG_END)
			rc = EXIT_OK;
		else if (m.type == MSG_ERROR)
			rc = client_error(&m);
		else
			rc = client_protocol_error("unexpected reply");
	}
	/* Following ends when the daemon goes away. */
	if (rc == -1)
		rc = o.follow ? EXIT_OK : EXIT_FAILED;
	strbuf_release(&sb);
	client_close(&c);
	return rc;
}
