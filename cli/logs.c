/*
 * formation logs: the recent lines the daemon keeps, then (-f) what
 * follows, in the daemon's own format.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/client.h"
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

static int
logs_line(struct msg *m, int color, size_t *width)
{
	const char *name, *text;
	uint64_t when;
	size_t len;
	char ts[16];
	struct tm tm;
	time_t t;

	if (msg_get_str(m, &name) == -1 || msg_get_u64(m, &when) == -1 ||
	    msg_get_bytes(m, &text, &len) == -1 || msg_end(m) == -1)
		return -1;
	if (strlen(name) > *width)
		*width = strlen(name);
	t = (time_t)when;
	localtime_r(&t, &tm);
	strftime(ts, sizeof ts, "%H:%M:%S", &tm);
	printf("%s%s %-*s |%s ", color ? logs_color(name) : "", ts,
	    (int)*width, name, color ? "\033[0m" : "");
	fwrite(text, 1, len, stdout);
	putchar('\n');
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

int
cmd_logs(int argc, char **argv)
{
	static const char usage[] = "logs [-f] [-n N] [TARGET ...]";
	struct strbuf sb = STRBUF_INIT;
	struct client c;
	struct msg m;
	size_t width = 6;
	int ch, i, follow = 0, lines = LOGS_DEFAULT, rc, color;

	while ((ch = getopt(argc, argv, "fn:")) != -1) {
		switch (ch) {
		case 'f':
			follow = 1;
			break;
		case 'n':
			if ((lines = number_parse(optarg, 1 << 30)) == -1) {
				cli_error("bad line count '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		default:
			return cli_usage(usage);
		}
	}
	if (client_open(&c) == -1)
		return EXIT_FAILED;
	color = logs_color_wanted();
	msg_new(&sb, MSG_LOGS);
	msg_put_u32(&sb, (uint32_t)follow);
	msg_put_u32(&sb, (uint32_t)lines);
	msg_put_u32(&sb, (uint32_t)(argc - optind));
	for (i = optind; i < argc; i++)
		msg_put_str(&sb, argv[i]);
	rc = client_send(&c, &sb, NULL, 0) == -1 ? EXIT_FAILED : -1;
	while (rc == -1 && client_recv(&c, &m) == 1) {
		if (m.type == MSG_LOG_LINE) {
			if (logs_line(&m, color, &width) == -1)
				rc = client_protocol_error("bad log line");
			if (follow)
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
		rc = follow ? EXIT_OK : EXIT_FAILED;
	strbuf_release(&sb);
	client_close(&c);
	return rc;
}
