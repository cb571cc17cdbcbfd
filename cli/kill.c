/*
 * formation kill [-s SIGNAL] TARGET...: a signal to the process group of
 * each target, without changing what formation wants of it (gunicorn's
 * HUP, TTIN and TTOU, puma's USR2, sidekiq's TSTP).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/client.h"
#include "common/util.h"

static const char kill_usage[] = "kill [-s SIGNAL | -SIGNAL] TARGET ...";

/* SIGNAL: a name (HUP, SIGHUP) or a number; -1 (printed) if it is none. */
static int
kill_parse_signal(const char *s)
{
	int sig = signal_parse(s);

	if (sig == -1)
		cli_error("bad signal '%s' (a name such as HUP, or a number)",
		    s);
	return sig;
}

int
cmd_kill(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "signal", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	struct strbuf sb = STRBUF_INIT;
	struct client c;
	int ch, i, sig = 15, rc;

	/* kill -HUP web, as kill(1) takes it (-sHUP is -s HUP). */
	if (argc > 1 && argv[1][0] == '-' && argv[1][1] != '-' &&
	    strcmp(argv[1], "-s") != 0 && signal_parse(argv[1] + 1) != -1) {
		sig = signal_parse(argv[1] + 1);
		argv[1] = argv[0];
		argc--;
		argv++;
	}
	while ((ch = getopt_long(argc, argv, "+s:", longopts, NULL)) != -1) {
		if (ch != 's' || (sig = kill_parse_signal(optarg)) == -1)
			return cli_usage(kill_usage);
	}
	if (optind == argc)
		return cli_usage(kill_usage);
	if (client_open(&c) == -1)
		return EXIT_FAILED;
	msg_new(&sb, MSG_KILL);
	msg_put_u32(&sb, (uint32_t)sig);
	msg_put_u32(&sb, (uint32_t)(argc - optind));
	for (i = optind; i < argc; i++)
		msg_put_str(&sb, argv[i]);
	rc = client_simple(&c, &sb, 0);
	strbuf_release(&sb);
	client_close(&c);
	return rc;
}
