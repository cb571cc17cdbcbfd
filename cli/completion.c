/*
 * formation completion SHELL: print the completion script of bash, zsh or
 * fish (cli/completion/, embedded at build time).
 *
 * The scripts ask "formation __complete KIND" for what changes: the
 * commands, the live process names of the running daemon, the process
 * types of the Procfile, the release versions on disk. It answers on stdout, one name a line, and
 * says nothing else, ever: no daemon, a broken Procfile or a daemon that
 * does not answer within a second give no names and exit 0, so that a
 * completion never prints into the command line being edited.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/client.h"
#include "cli/ps.h"
#include "common/config.h"
#include "common/paths.h"
#include "common/procfile.h"
#include "common/util.h"
#include "common/xmalloc.h"

#define COMPLETE_WAIT	1	/* seconds for the daemon to answer */

extern char **environ;
extern const char completion_bash[], completion_zsh[], completion_fish[];

static const struct completion_shell {
	const char	*name;
	const char	*script;
} completion_shells[] = {
	{ "bash", completion_bash },
	{ "zsh", completion_zsh },
	{ "fish", completion_fish },
};

int
cmd_completion(int argc, char **argv)
{
	static const char usage[] = "completion bash|zsh|fish";
	size_t i;

	if (argc != 2)
		return cli_usage(usage);
	for (i = 0; i < sizeof completion_shells / sizeof *completion_shells;
	    i++) {
		if (strcmp(argv[1], completion_shells[i].name) == 0) {
			fputs(completion_shells[i].script, stdout);
			return EXIT_OK;
		}
	}
	cli_error("completion: no completion for '%s' (there are bash, zsh "
	    "and fish)", argv[1]);
	return cli_usage(usage);
}

/* Print each distinct name once, in the order they come. */
static void
complete_print(const char **seen, size_t *n, const char *name)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		if (strcmp(seen[i], name) == 0)
			return;
	}
	seen[(*n)++] = name;
	printf("%s\n", name);
}

/* The process names of the running daemon, and their types. */
static void
complete_targets(void)
{
	struct strbuf sb = STRBUF_INIT;
	struct ps_row *rows = NULL;
	const char *release, *code, **seen;
	struct client c;
	struct msg m;
	uint32_t n = 0, i;
	size_t nseen = 0;

	if (client_open(&c) == -1)
		return;
	msg_new(&sb, MSG_PS);
	if (client_send(&c, &sb, NULL, 0) == 0 && client_recv(&c, &m) == 1 &&
	    m.type == MSG_PS_REPLY && ps_decode(&m, &release, &code, &rows,
	    &n) == 0) {
		seen = xcalloc(2 * (size_t)n + 1, sizeof *seen);
		for (i = 0; i < n; i++) {
			if (strcmp(rows[i].type, "run") != 0)
				complete_print(seen, &nseen, rows[i].type);
			complete_print(seen, &nseen, rows[i].name);
		}
		free(seen);
	}
	free(rows);
	strbuf_release(&sb);
	client_close(&c);
}

/* The types of the app's Procfile: no daemon needed. */
static void
complete_procfile_types(void)
{
	struct settings_flags f;
	struct settings s;
	struct procfile pf;
	struct diags d;
	size_t i;

	settings_flags_init(&f);
	f.root = cli_globals.root;
	diags_init(&d);
	procfile_init(&pf);
	if (settings_load(&s, &f, environ, &d) == 0 &&
	    procfile_load(&pf, s.procfile, &d) == 0) {
		for (i = 0; i < pf.n; i++)
			printf("%s\n", pf.entries[i].name);
	}
	procfile_release(&pf);
	settings_release(&s);
	diags_release(&d);
}

static int
complete_version_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* vN of every release file of the nearest app, oldest first. */
static void
complete_releases(void)
{
	const char *start = cli_globals.root != NULL ? cli_globals.root : ".";
	char *sock, *root = NULL, *state, *dir, *end;
	int *v = NULL;
	size_t n = 0, alloc = 0, i;
	struct dirent *de;
	long x;
	DIR *d;

	/* A --socket or FORMATION_SOCKET names no app directory. */
	sock = paths_find_socket(start, NULL, &root);
	free(sock);
	if (root == NULL)
		return;
	state = paths_state_dir(root);
	dir = path_join(state, "releases");
	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] != 'v')
				continue;
			x = strtol(de->d_name + 1, &end, 10);
			if (x <= 0 || x > 0x7fffffff ||
			    strcmp(end, ".release") != 0)
				continue;
			ALLOC_GROW(v, n + 1, alloc);
			v[n++] = (int)x;
		}
		closedir(d);
	}
	if (n > 1)
		qsort(v, n, sizeof *v, complete_version_cmp);
	for (i = 0; i < n; i++)
		printf("v%d\n", v[i]);
	free(v);
	free(dir);
	free(state);
	free(root);
}

/*
 * The flags of the commands whose usage does not list them all: what the
 * scripts offer after a "-", besides what "formation help" shows.
 */
static const struct complete_flags {
	const char	*cmd;
	const char	*const flags[10];
} complete_flags[] = {
	{ "logs", { "-f", "-n", "--since", "--no-timestamps",
	    "--timestamps=clock", "--timestamps=iso", "--timestamps=none",
	    "--json" } },
	{ "ps", { "--json" } },
	{ "top", { "-d" } },
};

static void
complete_cmd_flags(const char *cmd)
{
	const char *const *f;
	size_t i;

	for (i = 0; i < sizeof complete_flags / sizeof *complete_flags; i++) {
		if (strcmp(cmd, complete_flags[i].cmd) != 0)
			continue;
		for (f = complete_flags[i].flags; *f != NULL; f++)
			printf("%s\n", *f);
	}
}

/* Out of time: what was printed stands, and nothing else is said. */
static void
complete_timeout(int sig)
{
	_exit(EXIT_OK);
}

/*
 * formation __complete commands|targets|types|releases|exports|flags CMD:
 * one name a line on stdout, nothing on stderr, exit 0.
 */
int
cmd_complete(int argc, char **argv)
{
	static const char *const exports[] = {
		"systemd", "kubernetes", "compose",
	};
	const char *kind = argc > 1 ? argv[1] : "";
	size_t i;

	if (freopen("/dev/null", "w", stderr) == NULL)
		return EXIT_OK;
	/* A daemon that does not answer ends the completion, silently. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGALRM, complete_timeout);
	alarm(COMPLETE_WAIT);
	if (strcmp(kind, "commands") == 0)
		cli_list_commands(stdout);
	else if (strcmp(kind, "targets") == 0)
		complete_targets();
	else if (strcmp(kind, "types") == 0)
		complete_procfile_types();
	else if (strcmp(kind, "releases") == 0)
		complete_releases();
	else if (strcmp(kind, "flags") == 0 && argc > 2)
		complete_cmd_flags(argv[2]);
	else if (strcmp(kind, "exports") == 0) {
		for (i = 0; i < sizeof exports / sizeof *exports; i++)
			printf("%s\n", exports[i]);
	}
	return EXIT_OK;
}
