/*
 * formation env: the environment of the current release, as a one-off
 * sees it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/client.h"
#include "common/json.h"

static void
env_print(struct msg *m, uint32_t n, int origin, int json)
{
	struct strbuf sb = STRBUF_INIT;
	const char *k, *v, *o;
	uint32_t i;

	strbuf_addch(&sb, '{');
	for (i = 0; i < n; i++) {
		msg_get_str(m, &k);
		msg_get_str(m, &v);
		msg_get_str(m, &o);
		if (!json) {
			if (origin)
				printf("%s=%s\t# %s\n", k, v, o);
			else
				printf("%s=%s\n", k, v);
			continue;
		}
		if (i > 0)
			strbuf_addstr(&sb, ", ");
		json_str(&sb, k);
		strbuf_addstr(&sb, ": ");
		if (origin) {
			strbuf_addstr(&sb, "{\"value\": ");
			json_str(&sb, v);
			strbuf_addstr(&sb, ", \"origin\": ");
			json_str(&sb, o);
			strbuf_addch(&sb, '}');
		} else
			json_str(&sb, v);
	}
	strbuf_addstr(&sb, "}\n");
	if (json)
		fwrite(sb.buf, 1, sb.len, stdout);
	strbuf_release(&sb);
}

/* Check the whole reply decodes before printing any of it. */
static int
env_check(struct msg *m, uint32_t *n)
{
	const char *release, *s;
	size_t start;
	uint32_t i;

	/* An entry takes three bytes at least (three NULs): a count past
	 * that is a lie, and *n * 3 below cannot wrap. */
	if (msg_get_str(m, &release) == -1 || msg_get_u32(m, n) == -1 ||
	    *n > m->len / 3)
		return -1;
	start = m->off;
	for (i = 0; i < *n * 3; i++) {
		if (msg_get_str(m, &s) == -1)
			return -1;
	}
	if (msg_end(m) == -1)
		return -1;
	m->off = start;
	return 0;
}

int
cmd_env(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "origin", no_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	struct strbuf sb = STRBUF_INIT;
	struct client c;
	struct msg m;
	uint32_t n;
	int ch, json = 0, origin = 0, rc = EXIT_OK;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch == 'j')
			json = 1;
		else if (ch == 'o')
			origin = 1;
		else
			return cli_usage("env [--origin] [--json]");
	}
	if (optind != argc)
		return cli_usage("env [--origin] [--json]");
	if (client_open(&c) == -1)
		return EXIT_FAILED;
	msg_new(&sb, MSG_ENV);
	if (client_send(&c, &sb, NULL, 0) == -1 || client_reply(&c, &m) == -1)
		rc = EXIT_FAILED;
	else if (m.type == MSG_ERROR)
		rc = client_error(&m);
	else if (m.type != MSG_ENV_REPLY || env_check(&m, &n) == -1)
		rc = client_protocol_error("bad env reply");
	else
		env_print(&m, n, origin, json);
	strbuf_release(&sb);
	client_close(&c);
	return rc;
}
