/*
 * formation help CMD, formation CMD --help: each command's usage, with
 * a line for each of its options. formation(1) has the whole story.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/help.h"

static const struct help {
	const char	*name;
	const char	*usage;		/* after "usage: formation " */
	const char	*text;		/* what it does, then its options */
} helps[] = {
	{ "up",
	  "up [-d] [-v] [-f procfile] [-e file,...] [-c file] [-m spec]\n"
	  "                    [-p port] [-t seconds] [--exit-on-exit]\n"
	  "                    [--no-release-phase] [--trust-others] "
	  "[--strict] [type ...]",
	  "Start the formation, in the foreground: its log on standard output;\n"
	  "Ctrl-C stops it. Only the types named, if any.\n\n"
	  "  -d, --detach          in the background, once started\n"
	  "  -v                    say more of what the daemon does (twice: more)\n"
	  "  -f procfile           read it instead of Procfile\n"
	  "  -e file,...           read these env files instead of .env\n"
	  "  -c file               read it instead of formation.ini\n"
	  "  -m spec               the count of each type: web=2,worker=1,all=0\n"
	  "  -p port               the base of the PORT numbers (1-65535)\n"
	  "  -t seconds            how long a process may take to stop (10)\n"
	  "  --exit-on-exit        stop when any process exits, with its status\n"
	  "  --no-release-phase    go live without the release phase\n"
	  "  --trust-others        run files that others own or may write "
	  "(root)\n"
	  "  --strict              a warning of the build is an error\n" },
	{ "down", "down",
	  "Stop the formation and its daemon; return once they are gone.\n"
	  "With no formation up, say so and exit 0.\n" },
	{ "ps", "ps [--json]",
	  "List the processes of the formation and the one-offs.\n\n"
	  "  --json                as a JSON document\n" },
	{ "scale", "scale TYPE=N ...",
	  "Change how many instances of each type run (all=N: every type);\n"
	  "nothing else restarts.\n" },
	{ "restart", "restart [--all-at-once] [TARGET ...]",
	  "Restart processes: a type (web), an instance (web.2); none: all.\n"
	  "A type of two instances or more, or with a ready check, rolls:\n"
	  "the next one is stopped once the one before is ready again.\n\n"
	  "  --all-at-once         every one at once\n" },
	{ "stop", "stop TARGET ...",
	  "Stop processes until they are started again.\n" },
	{ "start", "start TARGET ...",
	  "Start processes that were stopped.\n" },
	{ "kill", "kill [-s SIGNAL | -SIGNAL] TARGET ...",
	  "Send a signal to each target's process group (SIGTERM unless\n"
	  "told); nothing is restarted for it.\n\n"
	  "  -s, --signal SIGNAL   HUP, SIGUSR1 or a number\n" },
	{ "logs",
	  "logs [-f] [-n N] [--since TIME] [--no-timestamps | "
	  "--timestamps=iso] [--json] [TARGET ...]",
	  "Show the recent lines of the log, of the targets only if named.\n\n"
	  "  -f                    then follow it, until the daemon goes\n"
	  "  -n N                  the last N lines (100)\n"
	  "  --since TIME          only those since: 10m, 1h30m, 15:04, "
	  "2006-01-02\n"
	  "  --no-timestamps       no time before the name\n"
	  "  --timestamps=iso      the date and time to the millisecond "
	  "(or clock,\n"
	  "                        none)\n"
	  "  --json                one JSON object a line\n" },
	{ "top", "top [-d SECONDS]",
	  "A live view of the formation: a row a process with its CPU, memory\n"
	  "and last line; keys sort (c m n o), filter by type (t), restart (r),\n"
	  "stop or start (s), follow its logs (l); q quits. Not at a terminal,\n"
	  "one table.\n\n"
	  "  -d SECONDS            redraw every SECONDS (1; 0.1 at least)\n" },
	{ "env", "env [--origin] [--json]",
	  "Show the environment of the current release.\n\n"
	  "  --origin              where each value comes from\n"
	  "  --json                as a JSON document\n" },
	{ "reload", "reload [--no-release-phase] [--strict] [--parallel N]",
	  "Build a new release from the files and roll onto it, a process\n"
	  "at a time, the next once the one before is ready; a release that\n"
	  "does not build changes nothing, one whose processes are not ready\n"
	  "is marked failed.\n\n"
	  "  --no-release-phase    go live without the release phase\n"
	  "  --strict              a warning of the build is an error\n"
	  "  --parallel N          N instances of each type at a time\n" },
	{ "releases",
	  "releases [--json] | releases diff [--values] vA vB | releases "
	  "show [--values] vN",
	  "List the releases, newest last; diff two; show one.\n\n"
	  "  --json                as a JSON document\n"
	  "  --values              with the values of the variables\n" },
	{ "rollback", "rollback [--no-release-phase] [--parallel N] vN",
	  "Make a new release with the content of vN and roll onto it.\n\n"
	  "  --no-release-phase    go live without the release phase\n"
	  "  --parallel N          N instances of each type at a time\n" },
	{ "run",
	  "run [-d] [-t | -T] [-e KEY=VALUE ...] [--port N]\n"
	  "                     [--escape CHAR | none] [--strict] [--listen]\n"
	  "                     [--daemon | --no-daemon] TYPE [ARG ...]",
	  "Run a process type's command as a one-off, the arguments added,\n"
	  "in the release's environment.\n\n"
	  "  -d, --detach          in the background, its output in the log\n"
	  "  -t, --tty             on a terminal (the default when on one)\n"
	  "  -T, --no-tty          on pipes\n"
	  "  -e, --env KEY=VALUE   a variable of its own\n"
	  "  --port N              this PORT (else a free one, if it reads it)\n"
	  "  --escape CHAR | none  the escape character (~)\n"
	  "  --strict              refuse when the code is not the release's\n"
	  "  --listen              with the sockets the daemon holds for TYPE\n"
	  "                        (listen =), as its instances have them\n"
	  "  --daemon              only as the daemon's: none up, exit 125\n"
	  "  --no-daemon           here, against the current release, even "
	  "with one\n" },
	{ "oneoff",
	  "oneoff [-d] [-t | -T] [-e KEY=VALUE ...] [--port N]\n"
	  "                        [--escape CHAR | none] [--strict]\n"
	  "                        [--daemon | --no-daemon] CMD [ARG ...]",
	  "Run an admin command as a one-off in the release's environment.\n\n"
	  "  -d, --detach          in the background, its output in the log\n"
	  "  -t, --tty             on a terminal (the default when on one)\n"
	  "  -T, --no-tty          on pipes\n"
	  "  -e, --env KEY=VALUE   a variable of its own\n"
	  "  --port N              a PORT for it\n"
	  "  --escape CHAR | none  the escape character (~)\n"
	  "  --strict              refuse when the code is not the release's\n"
	  "  --daemon              only as the daemon's: none up, exit 125\n"
	  "  --no-daemon           here, against the current release, even "
	  "with one\n" },
	{ "check",
	  "check [--json] [--strict] [-f procfile] [-e file[,file...]] "
	  "[-c file]",
	  "Parse the Procfile, the env files and formation.ini, without a\n"
	  "daemon; say what is wrong, and where.\n\n"
	  "  --json                as a JSON document\n"
	  "  --strict              a warning is an error\n"
	  "  -f, --procfile FILE   read it instead of Procfile\n"
	  "  -e, --env FILE,...    read these env files instead of .env\n"
	  "  -c, --config FILE     read it instead of formation.ini\n" },
	{ "export",
	  "export systemd [-f procfile] [-e file[,file...]] [-c file]\n"
	  "                        [-m spec] [-p port] [-t secs] [--user]\n"
	  "                        [--name name] [--as user] [--force]\n"
	  "                        [--no-harden] [--home] [--bind-low-ports]\n"
	  "                        [--formationd path] [dir | -]",
	  "Write a systemd unit that runs this app's formation, into dir (by\n"
	  "default the system's or the user's unit directory; -: standard\n"
	  "output).\n\n"
	  "  -f, -e, -c, -m, -p, -t  as for up, written into the unit\n"
	  "  --user                for the user's own manager (systemctl --user)\n"
	  "  --name name           the unit's name\n"
	  "  --as user             the user the app runs as\n"
	  "  --force               replace an existing unit\n"
	  "  --no-harden           leave the sandbox out\n"
	  "  --home                let the app read the home directories\n"
	  "  --bind-low-ports      let the app bind ports below 1024\n"
	  "  --formationd path     the formationd the unit runs\n\n"
	  "Or a release, from the history, as the objects of an engine:\n\n"
	  "  formation export kubernetes --image IMAGE [--release vN] "
	  "[--namespace NS]\n"
	  "        [--app NAME] [--secret] [-m spec] [-p port]\n"
	  "        [--oneoff CMD | --run TYPE [-t] [-- ARG...]] [dir | -]\n"
	  "  formation export compose --image IMAGE [--release vN] "
	  "[--app NAME]\n"
	  "        [-m spec] [-p port] [file | -]\n" },
	{ "completion", "completion bash|zsh|fish",
	  "Print the completion script for a shell.\n" },
	{ "help", "help [COMMAND]",
	  "List the commands, or show the usage of one.\n" },
	{ "version", "version",
	  "Print the version.\n" },
};

int
help_print(FILE *f, const char *name)
{
	size_t i;

	for (i = 0; i < sizeof helps / sizeof helps[0]; i++) {
		if (strcmp(helps[i].name, name) != 0)
			continue;
		fprintf(f, "usage: formation %s\n\n%s\nSee formation(1).\n",
		    helps[i].usage, helps[i].text);
		return 0;
	}
	return -1;
}
