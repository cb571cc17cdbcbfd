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
#include "cli/help.h"
#include "cli/remote.h"
#include "common/util.h"
#include "common/version.h"
#include "common/xmalloc.h"

struct cli_globals cli_globals = { NULL, NULL, -1, NULL, NULL, -1, NULL };

static int cmd_help(int, char **);
static int cmd_version(int, char **);

/* CMD_ARGV: the words after the first operand are a command's own
 * (run TYPE ARG..., oneoff CMD ARG...): no global option is taken from
 * them, nor --help. */
#define CMD_ARGV	0x1

static const struct command {
	const char	*name;
	int		(*fn)(int, char **);
	const char	*summary;
	int		 flags;
} commands[] = {
	{ "up", cmd_up, "start the formation (-d: in the background)", 0 },
	{ "down", cmd_down, "stop the formation and its daemon", 0 },
	{ "ps", cmd_ps, "list the processes", 0 },
	{ "scale", cmd_scale, "change how many of a type run: web=3", 0 },
	{ "restart", cmd_restart, "restart processes (a type, web.2, or all)",
	  0 },
	{ "stop", cmd_stop, "stop processes until started again", 0 },
	{ "start", cmd_start, "start stopped processes", 0 },
	{ "kill", cmd_kill, "send a signal to processes: kill -s HUP web", 0 },
	{ "logs", cmd_logs, "show recent output (-f: and follow it)", 0 },
	{ "top", cmd_top, "a live view: CPU, memory, last lines; keys act", 0 },
	{ "env", cmd_env, "show the environment of the current release", 0 },
	{ "reload", cmd_reload, "build a new release and restart onto it", 0 },
	{ "releases", cmd_releases, "list the releases", 0 },
	{ "rollback", cmd_rollback, "make a new release from an old one: v2",
	  0 },
	{ "run", cmd_run, "run a process type's command as a one-off",
	  CMD_ARGV },
	{ "oneoff", cmd_oneoff, "run an admin command in the release",
	  CMD_ARGV },
	{ "check", cmd_check, "parse the Procfile, env files and formation.ini",
	  0 },
	{ "export", cmd_export, "export to systemd, Kubernetes or compose", 0 },
	{ "completion", cmd_completion,
	  "print a completion script: bash, zsh, fish", 0 },
	{ "help", cmd_help, "show this help (help CMD: of a command)", 0 },
	{ "version", cmd_version, "print the version", 0 },
	/* For the completion scripts: no summary, not listed. */
	{ "__complete", cmd_complete, NULL, 0 },
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
	    "--no-color]\n                 [--timeout secs] "
	    "[-H ssh://[user@]host[:port][/dir]]\n                 "
	    "command [args]\n\ncommands:\n");
	for (i = 0; i < NCOMMANDS; i++) {
		if (commands[i].summary != NULL)
			fprintf(f, "  %-10s %s\n", commands[i].name,
			    commands[i].summary);
	}
	fprintf(f, "\n'formation help COMMAND' shows a command's usage; see "
	    "formation(1).\n");
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

/* Does the option word w of a CMD_ARGV command take the next word? */
static int
cli_takes_next(const char *w)
{
	static const char *const with_arg[] = { "-e", "--env", "--escape",
	    "--port" };
	size_t i;

	for (i = 0; i < sizeof with_arg / sizeof with_arg[0]; i++) {
		if (strcmp(w, with_arg[i]) == 0)
			return 1;
	}
	return 0;
}

/* A global option at argv[i] (--socket P, --socket=P, --color,
 * --no-color, --timeout S, --timeout=S): taken, and the number of words
 * it had; 0 if it is not one. */
static int
cli_global_word(int argc, char **argv, int i)
{
	static const struct { const char *name; char **arg; } with_arg[] = {
		{ "--socket", &cli_globals.socket },
		{ "--timeout", &cli_globals.timeout_arg },
	};
	size_t k, len;

	if (strcmp(argv[i], "--color") == 0 ||
	    strcmp(argv[i], "--no-color") == 0) {
		cli_globals.color = argv[i][2] == 'c';
		return 1;
	}
	for (k = 0; k < sizeof with_arg / sizeof with_arg[0]; k++) {
		len = strlen(with_arg[k].name);
		if (strncmp(argv[i], with_arg[k].name, len) != 0)
			continue;
		if (argv[i][len] == '=') {
			*with_arg[k].arg = argv[i] + len + 1;
			return 1;
		}
		if (argv[i][len] == '\0' && i + 1 < argc) {
			*with_arg[k].arg = argv[i + 1];
			return 2;
		}
	}
	return 0;
}

/*
 * The command's words: the global options among them are taken out
 * (formation ps --socket S is formation --socket S ps), up to "--" and,
 * for run and oneoff, up to the first operand. 1 if --help or -h is
 * among them.
 */
static int
cli_command_words(const struct command *cmd, int *argc, char **argv)
{
	int i = 1, n, help = 0;

	while (i < *argc && strcmp(argv[i], "--") != 0) {
		if ((cmd->flags & CMD_ARGV) && argv[i][0] != '-')
			break;
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0)
			help = 1;
		if ((n = cli_global_word(*argc, argv, i)) > 0) {
			memmove(argv + i, argv + i + n,
			    sizeof *argv * (size_t)(*argc - i - n + 1));
			*argc -= n;
			continue;
		}
		i += (cmd->flags & CMD_ARGV) && cli_takes_next(argv[i]) ? 2 : 1;
	}
	return help;
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

static const struct command *
cli_find(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++) {
		if (strcmp(name, commands[i].name) == 0)
			return &commands[i];
	}
	return NULL;
}

/* The edit distance of a and b (insert, delete, substitute, swap two);
 * 99 for a word too long to be a command. */
static size_t
cli_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d[16][16], v;

	if (la >= 16 || lb >= 16)
		return 99;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

/* "unknown command 'scal' (did you mean 'scale'?)": the nearest listed
 * command, if one is near enough to be what was meant. */
static int
cli_unknown(const char *name)
{
	size_t i, d, best = 99, len = strlen(name);
	const char *near = NULL;

	for (i = 0; i < NCOMMANDS; i++) {
		if (commands[i].summary == NULL)
			continue;
		d = cli_distance(name, commands[i].name);
		if (d < best) {
			best = d;
			near = commands[i].name;
		}
	}
	if (near != NULL && best < len && best <= (len >= 5 ? 2 : 1))
		cli_error("unknown command '%s' (did you mean '%s'?)", name,
		    near);
	else
		cli_error("unknown command '%s' (see 'formation help')", name);
	return EXIT_USAGE;
}

static int
cmd_help(int argc, char **argv)
{
	if (argc > 2)
		return cli_usage("help [COMMAND]");
	if (argc == 1) {
		usage(stdout);
		return EXIT_OK;
	}
	if (help_print(stdout, argv[1]) == -1)
		return cli_unknown(argv[1]);
	return EXIT_OK;
}

static int
cmd_version(int argc, char **argv)
{
	if (argc > 1) {
		cli_error("version: unexpected '%s'", argv[1]);
		return cli_usage("version");
	}
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
	const struct command *cmd;
	int c;

	argv[0] = "formation";	/* in getopt's messages */
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
	if (argc == 0) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if ((cmd = cli_find(argv[0])) != NULL) {
		if (cli_command_words(cmd, &argc, argv) == 1)
			return help_print(stdout, cmd->name) == 0 ? EXIT_OK :
			    cmd_help(1, NULL);
		if (cli_set_timeout() == -1)
			return EXIT_USAGE;
	}
	/* -H '' runs here, whatever FORMATION_HOST says. */
	if (cli_globals.host == NULL)
		cli_globals.host = getenv("FORMATION_HOST");
	if (cli_globals.host != NULL && *cli_globals.host != '\0')
		return remote_main(cli_globals.host, argc, argv);
	if (cmd == NULL)
		return cli_unknown(argv[0]);
	/* getopt's messages name it: "formation: ps: unrecognized option". */
	xasprintf(&argv[0], "formation: %s", cmd->name);
	optind = 0;	/* reset getopt for the command */
	return cmd->fn(argc, argv);
}
