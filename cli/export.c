/*
 * formation export systemd [DIR]: write DIR/APP.service (DIR "-": print
 * it), a unit that runs this app's formationd with the settings given
 * on the command line (cli/export.h has the escaping).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/export.h"
#include "common/config.h"
#include "common/util.h"
#include "common/xmalloc.h"

extern char **environ;

#define EXPORT_USAGE \
	"export systemd [-f procfile] [-e file[,file...]] [-c file]\n" \
	"                        [-m spec] [-p port] [-t secs] [dir | -]"

/* What a unit is made of; every string is ours. */
struct export_state {
	struct settings		 settings;
	struct export_unit	 unit;
	char			*app;
	char			*description;
	char			*user;
	char			**argv;
	size_t			 argc, alloc;
};

static void
export_release(struct export_state *st)
{
	size_t i;

	for (i = 0; i < st->argc; i++)
		free(st->argv[i]);
	free(st->argv);
	free(st->app);
	free(st->description);
	free(st->user);
	settings_release(&st->settings);
}

/* An executable formationd in dir (absolute), or NULL. */
static char *
export_daemon_in(const char *dir)
{
	char *path;

	if (dir[0] != '/')
		return NULL;
	path = path_join(dir, "formationd");
	if (access(path, X_OK) == 0)
		return path;
	free(path);
	return NULL;
}

/* formationd beside this binary, else the first on PATH; NULL if none. */
static char *
export_daemon_path(void)
{
	char self[PATH_MAX], *slash, *path = NULL, *dirs, *dir, *save = NULL;
	ssize_t n;

	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			path = export_daemon_in(self);
		}
	}
	dirs = xstrdup(getenv("PATH") != NULL ? getenv("PATH") : "");
	for (dir = strtok_r(dirs, ":", &save); path == NULL && dir != NULL;
	    dir = strtok_r(NULL, ":", &save))
		path = export_daemon_in(dir);
	free(dirs);
	return path;
}

static void
export_arg(struct export_state *st, const char *flag, const char *value)
{
	ALLOC_GROW(st->argv, st->argc + 2, st->alloc);
	st->argv[st->argc++] = xstrdup(flag);
	if (value != NULL)
		st->argv[st->argc++] = xstrdup(value);
}

/* -e as absolute paths, comma-separated. */
static char *
export_env_files(const struct settings *s)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < s->nenv_files; i++) {
		if (i > 0)
			strbuf_addch(&sb, ',');
		strbuf_addstr(&sb, s->env_files[i]);
	}
	return strbuf_detach(&sb, NULL);
}

/* formationd -C ROOT, then each setting given on the command line. */
static void
export_command(struct export_state *st, const struct settings_flags *f,
    char *daemon)
{
	const struct settings *s = &st->settings;
	char *env;

	export_arg(st, daemon, NULL);
	export_arg(st, "-C", s->root);
	if (f->procfile != NULL)
		export_arg(st, "-f", s->procfile);
	if (f->env != NULL) {
		env = export_env_files(s);
		export_arg(st, "-e", env);
		free(env);
	}
	if (f->config != NULL)
		export_arg(st, "-c", s->config_file);
	if (f->scale != NULL)
		export_arg(st, "-m", f->scale);
	if (f->port != NULL)
		export_arg(st, "-p", f->port);
	if (f->timeout != NULL)
		export_arg(st, "-t", f->timeout);
}

/* The longest stop timeout of any type, and 5 s for the daemon itself. */
static int
export_timeout(const struct settings *s)
{
	int ms = s->timeout_ms;
	size_t i;

	for (i = 0; i < s->ntypes; i++) {
		if (s->types[i].timeout_ms > ms)
			ms = s->types[i].timeout_ms;
	}
	return ms + 5000;
}

/* The last component of the app root, for Description=. */
static const char *
export_base(const char *root)
{
	const char *slash = strrchr(root, '/');

	if (slash == NULL || slash[1] == '\0')
		return root;
	return slash + 1;
}

/*
 * The name of uid from /etc/passwd, or its number when it has no line
 * there (a user of a directory service): systemd takes either. Not
 * getpwuid(3): the CLI is linked statically, and glibc's name services
 * do not work in a static program.
 */
static char *
export_user(uid_t uid)
{
	char *line = NULL, *name = NULL, *p, *end;
	size_t cap = 0;
	FILE *f;

	if ((f = fopen("/etc/passwd", "re")) != NULL) {
		while (name == NULL && getline(&line, &cap, f) != -1) {
			/* name:password:uid:... */
			if ((p = strchr(line, ':')) == NULL ||
			    (p = strchr(p + 1, ':')) == NULL)
				continue;
			errno = 0;
			if (strtoul(p + 1, &end, 10) == uid && *end == ':' &&
			    errno == 0 && end != p + 1)
				name = xstrndup(line, strcspn(line, ":"));
		}
		free(line);
		fclose(f);
	}
	if (name == NULL)
		xasprintf(&name, "%lu", (unsigned long)uid);
	return name;
}

/* Load the settings and make the unit; an exit status, or -1 on success. */
static int
export_build(struct export_state *st, const struct settings_flags *f)
{
	struct export_unit *u = &st->unit;
	struct diags d;
	char *daemon;
	int rc;

	diags_init(&d);
	rc = settings_load(&st->settings, f, environ, &d);
	diags_print(&d, stderr, "formation");
	diags_release(&d);
	if (rc == -1)
		return EXIT_CONFIG;
	if ((daemon = export_daemon_path()) == NULL) {
		cli_error("cannot find 'formationd' beside formation or on "
		    "PATH");
		return EXIT_FAILED;
	}
	export_command(st, f, daemon);
	free(daemon);
	st->app = export_app_name(st->settings.root);
	xasprintf(&st->description, "formation: %s",
	    export_base(st->settings.root));
	if (geteuid() != 0)
		st->user = export_user(geteuid());
	u->app = st->app;
	u->description = st->description;
	u->user = st->user;
	u->root = st->settings.root;
	u->argv = st->argv;
	u->argc = st->argc;
	u->timeout_ms = export_timeout(&st->settings);
	return -1;
}

/* DIR/APP.service, written whole or not at all; "-": stdout. */
static int
export_output(const char *dir, const char *app, const struct strbuf *sb)
{
	char *name, *path;
	int rc = EXIT_OK;

	if (strcmp(dir, "-") == 0) {
		if (fwrite(sb->buf, 1, sb->len, stdout) != sb->len ||
		    fflush(stdout) == EOF) {
			cli_errno("cannot write the unit");
			return EXIT_FAILED;
		}
		return EXIT_OK;
	}
	xasprintf(&name, "%s.service", app);
	path = path_join(dir, name);
	if (write_file_atomic(path, sb->buf, sb->len, 0644) == -1) {
		cli_errno("cannot write '%s'", path);
		rc = EXIT_FAILED;
	} else
		printf("%s\n", path);
	free(path);
	free(name);
	return rc;
}

static int
export_options(struct settings_flags *f, int argc, char **argv)
{
	int c;

	opterr = 0;
	while ((c = getopt(argc, argv, ":c:e:f:hm:p:t:")) != -1) {
		switch (c) {
		case 'c': f->config = optarg; break;
		case 'e': f->env = optarg; break;
		case 'f': f->procfile = optarg; break;
		case 'm': f->scale = optarg; break;
		case 'p': f->port = optarg; break;
		case 't': f->timeout = optarg; break;
		case 'h':
			printf("usage: formation %s\n", EXPORT_USAGE);
			return EXIT_OK;
		case ':':
			cli_error("export: option '-%c' needs an argument",
			    optopt);
			return cli_usage(EXPORT_USAGE);
		default:
			cli_error("export: unknown option '-%c'", optopt);
			return cli_usage(EXPORT_USAGE);
		}
	}
	return -1;
}

int
cmd_export(int argc, char **argv)
{
	struct export_state st;
	struct settings_flags f;
	struct strbuf sb = STRBUF_INIT;
	char *err = NULL;
	int rc;

	settings_flags_init(&f);
	f.root = cli_globals.root;
	if ((rc = export_options(&f, argc, argv)) != -1)
		return rc;
	if (argc - optind < 1 || argc - optind > 2)
		return cli_usage(EXPORT_USAGE);
	if (strcmp(argv[optind], "systemd") != 0) {
		cli_error("export: unknown format '%s' (there is 'systemd')",
		    argv[optind]);
		return cli_usage(EXPORT_USAGE);
	}
	memset(&st, 0, sizeof st);
	settings_init(&st.settings);
	if ((rc = export_build(&st, &f)) == -1) {
		if (export_unit(&sb, &st.unit, &err) == -1) {
			cli_error("export: %s", err);
			rc = EXIT_FAILED;
		} else
			rc = export_output(argc - optind == 2 ?
			    argv[optind + 1] : ".", st.app, &sb);
	}
	free(err);
	strbuf_release(&sb);
	export_release(&st);
	return rc;
}
