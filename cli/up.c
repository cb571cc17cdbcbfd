/*
 * formation up: become formationd, in the foreground.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/xmalloc.h"

/* formationd beside this binary, else on PATH. */
static char *
up_find_daemon(void)
{
	char self[PATH_MAX], *slash, *path;
	ssize_t n;

	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			xasprintf(&path, "%s/formationd", self);
			if (access(path, X_OK) == 0)
				return path;
			free(path);
		}
	}
	return xstrdup("formationd");
}

int
cmd_up(int argc, char **argv)
{
	char **av, *daemon;
	int i, n = 0;

	av = xcalloc((size_t)argc + 8, sizeof *av);
	av[n++] = "formationd";
	if (cli_globals.root != NULL) {
		av[n++] = "-C";
		av[n++] = cli_globals.root;
	}
	if (cli_globals.socket != NULL) {
		av[n++] = "--socket";
		av[n++] = cli_globals.socket;
	}
	if (cli_globals.color != -1)
		av[n++] = cli_globals.color ? "--color" : "--no-color";
	for (i = 1; i < argc; i++)
		av[n++] = argv[i];
	daemon = up_find_daemon();
	execvp(daemon, av);
	cli_errno("cannot run '%s'", daemon);
	free(daemon);
	free(av);
	return EXIT_FAILED;
}
