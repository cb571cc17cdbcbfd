/*
 * formation: the command-line interface. "formation up" runs formationd;
 * every other command but check talks to it over its control socket.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/remote.h"
#include "common/util.h"
#include "common/version.h"

struct cli_globals cli_globals = { NULL, NULL, -1, NULL, NULL, -1, NULL };

static int cmd_help(int, char **);
static int cmd_version(int, char **);

static const struct command {
	const char	*name;
	int		(*fn)(int, char **);
	const char	*summary;
} commands[] = {
	{ "up", cmd_up, "start the formation (-d: in the background)" },
	{ "down", cmd_down, "stop the formation and its daemon" },
	{ "ps", cmd_ps, "list the processes" },
	{ "scale", cmd_scale, "change how many of a type run: web=3" },
	{ "restart", cmd_restart, "restart processes (a type, web.2, or all)" },
	{ "stop", cmd_stop, "stop processes until started again" },
	{ "start", cmd_start, "start stopped processes" },
	{ "kill", cmd_kill, "send a signal to processes: kill -s HUP web" },
	{ "logs", cmd_logs, "show recent output (-f: and follow it)" },
	{ "top", cmd_top, "a live view: CPU, memory, last lines; keys act" },
	{ "env", cmd_env, "show the environment of the current release" },
	{ "reload", cmd_reload, "build a new release and restart onto it" },
	{ "releases", cmd_releases, "list the releases" },
	{ "rollback", cmd_rollback, "make a new release from an old one: v2" },
	{ "run", cmd_run, "run a process type's command as a one-off" },
	{ "oneoff", cmd_oneoff, "run an admin command in the release" },
	{ "check", cmd_check, "parse the Procfile, env files and formation.ini" },
	{ "export", cmd_export, "export to systemd, Kubernetes or compose" },
	{ "completion", cmd_completion, "print a completion script: bash, zsh, fish" },
	{ "help", cmd_help, "show this help" },
	{ "version", cmd_version, "print the version" },
	/* For the completion scripts: no summary, not listed. */
	{ "__complete", cmd_complete, NULL },
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void __attribute__((format(printf, 1, 0)))
cli_vmsg(const char *fmt, va_list ap, const char *reason)
{
	fprintf(stderr, "formation: ");
	vfprintf(stderr, fmt, ap);
	if (reason != NULL)
		fprintf(stderr, ": %s", reason);
	fputc('\n', stderr);
}

void
cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vmsg(fmt, ap, NULL);
	va_end(ap);
}

void
cli_errno(const char *fmt, ...)
{
	const char *reason = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	cli_vmsg(fmt, ap, reason);
	va_end(ap);
}

int
cli_usage(const char *usage)
{
	fprintf(stderr, "usage: formation %s\n", usage);
	return EXIT_USAGE;
}

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: formation [-C dir] [--socket path] [--color | "
	    "--no-color]\n                 [-H ssh://[user@]host[:port][/dir]] "
	    "command [args]\n\ncommands:\n");
	for (i = 0; i < NCOMMANDS; i++) {
		if (commands[i].summary != NULL)
			fprintf(f, "  %-10s %s\n", commands[i].name,
			    commands[i].summary);
	}
	fprintf(f, "\nSee formation(1).\n");
}

void
cli_list_commands(FILE *f)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++) {
		if (commands[i].summary != NULL)
			fprintf(f, "%s\n", commands[i].name);
	}
}

/* --timeout, else $FORMATION_CLI_TIMEOUT, else the default. */
static int
cli_set_timeout(void)
{
	const char *v = cli_globals.timeout_arg, *what = "--timeout";

	if (v == NULL && (v = getenv("FORMATION_CLI_TIMEOUT")) != NULL &&
	    *v != '\0')
		what = "FORMATION_CLI_TIMEOUT";
	else if (v == NULL || *v == '\0') {
		cli_globals.timeout_ms = CLI_TIMEOUT_MS;
		return 0;
	}
	if ((cli_globals.timeout_ms = duration_parse_ms(v)) == -1) {
		cli_error("%s: bad timeout '%s': expected seconds (5, 0.5; 0: "
		    "no limit)", what, v);
		return -1;
	}
	return 0;
}

static int
cmd_help(int argc, char **argv)
{
	usage(stdout);
	return EXIT_OK;
}

static int
cmd_version(int argc, char **argv)
{
	printf("formation %s\n", FORMATION_VERSION);
	return EXIT_OK;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 'S' },
		{ "color", no_argument, NULL, 'K' },
		{ "no-color", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "host", required_argument, NULL, 'H' },
		{ "remote-formation", required_argument, NULL, 'R' },
		{ "timeout", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 }
	};
	size_t i;
	int c;

	/* Stop at the command: its options are its own. */
	while ((c = getopt_long(argc, argv, "+C:hVH:", longopts, NULL)) != -1) {
		switch (c) {
		case 'C':
			cli_globals.root = optarg;
			break;
		case 'S':
			cli_globals.socket = optarg;
			break;
		case 'K':
			cli_globals.color = 1;
			break;
		case 'N':
			cli_globals.color = 0;
			break;
		case 'H':
			cli_globals.host = optarg;
			break;
		case 'R':
			cli_globals.remote_formation = optarg;
			break;
		case 'T':
			cli_globals.timeout_arg = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			return cmd_version(0, NULL);
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (cli_set_timeout() == -1)
		return EXIT_USAGE;
	if (argc == 0) {
		usage(stderr);
		return EXIT_USAGE;
	}
	/* -H '' runs here, whatever FORMATION_HOST says. */
	if (cli_globals.host == NULL)
		cli_globals.host = getenv("FORMATION_HOST");
	if (cli_globals.host != NULL && *cli_globals.host != '\0')
		return remote_main(cli_globals.host, argc, argv);
	for (i = 0; i < NCOMMANDS; i++) {
		if (strcmp(argv[0], commands[i].name) == 0) {
			optind = 0;	/* reset getopt for the command */
			return commands[i].fn(argc, argv);
		}
	}
	cli_error("unknown command '%s' (see 'formation help')", argv[0]);
	return EXIT_USAGE;
}
