/*
 * formation export systemd [DIR]: write DIR/formation-APP.service (DIR
 * "-": print it), a unit that runs this app's installed formationd with
 * the settings given on the command line, as the app's owner, in a
 * sandbox (cli/export.h has the unit and the escaping).
 */
#include <sys/stat.h>

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
	"                        [-m spec] [-p port] [-t secs] [--user]\n" \
	"                        [--name name] [--as user] [--force]\n" \
	"                        [--no-harden] [--home] [--bind-low-ports]\n" \
	"                        [--formationd path] [dir | -]"

/* What was asked on the command line. */
struct export_opts {
	struct settings_flags	 flags;
	const char		*name;		/* --name */
	const char		*as;		/* --as */
	const char		*formationd;	/* --formationd */
	int			 user_unit;	/* --user */
	int			 force;
	int			 no_harden;
	int			 home;
	int			 low_ports;
};

/* What a unit is made of; every string is ours. */
struct export_state {
	struct settings		 settings;
	struct export_unit	 unit;
	char			*name;
	char			*description;
	char			*user;
	char			*cli;
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
	free(st->name);
	free(st->description);
	free(st->user);
	free(st->cli);
	settings_release(&st->settings);
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
    const char *daemon)
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

/* A program the unit runs should be installed, not in a checkout. */
static void
export_warn_path(const char *path)
{
	if (export_in_home(path, getenv("HOME")))
		fprintf(stderr, "formation: warning: the unit runs '%s', in a "
		    "home directory; install formation, or give "
		    "--formationd\n", path);
	else if (export_in_build_tree(path))
		fprintf(stderr, "formation: warning: the unit runs '%s', in a "
		    "build tree; install formation, or give --formationd\n",
		    path);
}

/* formationd (--formationd, else PATH) and the formation beside it
 * (else on PATH); an exit status, or -1. */
static int
export_programs(struct export_state *st, const struct export_opts *o,
    char **daemon)
{
	char *abs, *beside;

	if (o->formationd != NULL) {
		if ((abs = realpath(o->formationd, NULL)) == NULL ||
		    access(abs, X_OK) == -1) {
			cli_errno("export: cannot run '%s'", o->formationd);
			free(abs);
			return EXIT_FAILED;
		}
		*daemon = abs;
	} else if ((*daemon = export_which("formationd")) == NULL) {
		cli_error("export: cannot find 'formationd' on PATH: install "
		    "formation, or give --formationd");
		return EXIT_FAILED;
	}
	beside = export_beside(*daemon, "formation");
	if ((st->cli = beside) == NULL &&
	    (st->cli = export_which("formation")) == NULL) {
		cli_error("export: cannot find 'formation' beside '%s' or on "
		    "PATH", *daemon);
		free(*daemon);
		return EXIT_FAILED;
	}
	export_warn_path(*daemon);
	if (beside == NULL)
		export_warn_path(st->cli);
	return -1;
}

/*
 * User=: --as, else the owner of the app root when root exports (root
 * itself only when asked), else the exporting user. NULL: none, a user
 * unit or root.
 */
static int
export_user(struct export_state *st, const struct export_opts *o)
{
	struct stat sb;

	if (o->as != NULL) {
		if (!export_user_exists(o->as)) {
			cli_error("export: no user '%s' in /etc/passwd", o->as);
			return EXIT_FAILED;
		}
		if (strcmp(o->as, "root") != 0 && strcmp(o->as, "0") != 0)
			st->user = xstrdup(o->as);
		return -1;
	}
	if (o->user_unit)
		return -1;
	if (geteuid() != 0) {
		st->user = export_user_name(geteuid());
		return -1;
	}
	if (stat(st->settings.root, &sb) == -1) {
		cli_errno("export: cannot stat '%s'", st->settings.root);
		return EXIT_FAILED;
	}
	if (sb.st_uid == 0) {
		cli_error("export: '%s' is owned by root, so the app would run "
		    "as root: give --as USER, or --as root to mean it",
		    st->settings.root);
		return EXIT_FAILED;
	}
	st->user = export_user_name(sb.st_uid);
	return -1;
}

/* The unit name: --name (".service" optional), else formation-APP. */
static int
export_name(struct export_state *st, const struct export_opts *o)
{
	char *app;
	size_t len;

	if (o->name != NULL) {
		st->name = xstrdup(o->name);
		len = strlen(st->name);
		if (len > 8 && strcmp(st->name + len - 8, ".service") == 0)
			st->name[len - 8] = '\0';
		if (!export_name_ok(st->name)) {
			cli_error("export: bad unit name '%s': letters, digits, "
			    "'_', '.' and '-', starting with a letter or a "
			    "digit", o->name);
			return EXIT_USAGE;
		}
		return -1;
	}
	app = export_app_name(st->settings.root);
	xasprintf(&st->name, "formation-%s", app);
	free(app);
	return -1;
}

/* The sandbox and what it lets through. */
static void
export_relax(struct export_state *st, const struct export_opts *o)
{
	struct export_unit *u = &st->unit;

	u->harden = !o->no_harden;
	u->home = o->home;
	u->low_ports = o->low_ports;
	if (u->harden && !u->home && !u->user_unit &&
	    export_in_home(st->settings.root, getenv("HOME"))) {
		fprintf(stderr, "formation: warning: '%s' is in a home "
		    "directory: the unit may read homes (as with --home)\n",
		    st->settings.root);
		u->home = 1;
	}
}

/* Load the settings and make the unit; an exit status, or -1 on success. */
static int
export_build(struct export_state *st, const struct export_opts *o)
{
	struct export_unit *u = &st->unit;
	struct diags d;
	char *daemon = NULL;
	int rc;

	diags_init(&d);
	rc = settings_load(&st->settings, &o->flags, environ, &d);
	diags_print(&d, stderr, "formation");
	diags_release(&d);
	if (rc == -1)
		return EXIT_CONFIG;
	if ((rc = export_name(st, o)) != -1 || (rc = export_user(st, o)) != -1 ||
	    (rc = export_programs(st, o, &daemon)) != -1)
		return rc;
	export_command(st, &o->flags, daemon);
	free(daemon);
	xasprintf(&st->description, "formation: %s",
	    export_base(st->settings.root));
	u->name = st->name;
	u->description = st->description;
	u->user = st->user;
	u->root = st->settings.root;
	u->argv = st->argv;
	u->argc = st->argc;
	u->cli = st->cli;
	u->timeout_ms = export_timeout(&st->settings);
	u->systemd = export_systemd_here();
	u->user_unit = o->user_unit;
	export_relax(st, o);
	return -1;
}

/* Never replace a file, nor shadow a unit systemd has, unless --force. */
static int
export_check_target(const char *dir, const char *file, const char *path,
    const struct export_opts *o)
{
	struct stat sb;
	char *where;

	if (o->force)
		return 0;
	if (lstat(path, &sb) == 0) {
		cli_error("export: '%s' exists: give --force to replace it",
		    path);
		return -1;
	}
	where = export_unit_elsewhere(file, dir, o->user_unit,
	    getenv("HOME"));
	if (where != NULL) {
		cli_error("export: systemd has a unit '%s' already, in '%s': "
		    "give another --name, or --force", file, where);
		free(where);
		return -1;
	}
	return 0;
}

int
export_mkdir(const char *dir)
{
	char *p, *slash;
	int rc = 0;

	p = xstrdup(dir);
	for (slash = strchr(p + 1, '/'); rc == 0; slash = strchr(slash + 1,
	    '/')) {
		if (slash != NULL)
			*slash = '\0';
		if (mkdir(p, 0755) == -1 && errno != EEXIST)
			rc = -1;
		if (slash == NULL)
			break;
		*slash = '/';
	}
	free(p);
	return rc;
}

/* DIR/NAME.service, written whole or not at all; "-": stdout. */
static int
export_output(const char *dir, const char *name, const struct strbuf *sb,
    const struct export_opts *o)
{
	char *file, *path;
	int rc = EXIT_OK;

	if (strcmp(dir, "-") == 0) {
		if (fwrite(sb->buf, 1, sb->len, stdout) != sb->len ||
		    fflush(stdout) == EOF) {
			cli_errno("cannot write the unit");
			return EXIT_FAILED;
		}
		return EXIT_OK;
	}
	xasprintf(&file, "%s.service", name);
	path = path_join(dir, file);
	if (export_check_target(dir, file, path, o) == -1)
		rc = EXIT_FAILED;
	else if (export_mkdir(dir) == -1) {
		cli_errno("export: cannot create '%s'", dir);
		rc = EXIT_FAILED;
	} else if (write_file_atomic(path, sb->buf, sb->len, 0644) == -1) {
		cli_errno("cannot write '%s'", path);
		rc = EXIT_FAILED;
	} else
		printf("%s\n", path);
	free(path);
	free(file);
	return rc;
}

enum {
	OPT_USER = 256, OPT_NAME, OPT_AS, OPT_FORCE, OPT_NO_HARDEN, OPT_HOME,
	OPT_LOW_PORTS, OPT_FORMATIOND,
};

static int
export_long_option(struct export_opts *o, int c)
{
	switch (c) {
	case OPT_USER: o->user_unit = 1; break;
	case OPT_NAME: o->name = optarg; break;
	case OPT_AS: o->as = optarg; break;
	case OPT_FORCE: o->force = 1; break;
	case OPT_NO_HARDEN: o->no_harden = 1; break;
	case OPT_HOME: o->home = 1; break;
	case OPT_LOW_PORTS: o->low_ports = 1; break;
	case OPT_FORMATIOND: o->formationd = optarg; break;
	default: return -1;
	}
	return 0;
}

static int
export_options(struct export_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "user", no_argument, NULL, OPT_USER },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "as", required_argument, NULL, OPT_AS },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "no-harden", no_argument, NULL, OPT_NO_HARDEN },
		{ "home", no_argument, NULL, OPT_HOME },
		{ "bind-low-ports", no_argument, NULL, OPT_LOW_PORTS },
		{ "formationd", required_argument, NULL, OPT_FORMATIOND },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct settings_flags *f = &o->flags;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:e:f:hm:p:t:", longopts,
	    NULL)) != -1) {
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
			cli_error("export: option '%s' needs an argument",
			    argv[optind - 1]);
			return cli_usage(EXPORT_USAGE);
		case '?':
			if (optopt != 0)
				cli_error("export: unknown option '-%c'",
				    optopt);
			else
				cli_error("export: unknown option '%s'",
				    argv[optind - 1]);
			return cli_usage(EXPORT_USAGE);
		default:
			if (export_long_option(o, c) == -1)
				return cli_usage(EXPORT_USAGE);
		}
	}
	if (o->user_unit && (o->as != NULL || o->home || o->low_ports)) {
		cli_error("export: %s is for a system unit", o->as != NULL ?
		    "--as" : o->home ? "--home" : "--bind-low-ports");
		return cli_usage(EXPORT_USAGE);
	}
	return -1;
}

int
cmd_export(int argc, char **argv)
{
	struct export_state st;
	struct export_opts o;
	struct strbuf sb = STRBUF_INIT;
	char *err = NULL;
	int rc;

	if (argc > 1 && (strcmp(argv[1], "kubernetes") == 0 ||
	    strcmp(argv[1], "compose") == 0))
		return export_engine(argc - 1, argv + 1);
	memset(&o, 0, sizeof o);
	settings_flags_init(&o.flags);
	o.flags.root = cli_globals.root;
	if ((rc = export_options(&o, argc, argv)) != -1)
		return rc;
	if (argc - optind < 1 || argc - optind > 2)
		return cli_usage(EXPORT_USAGE);
	if (strcmp(argv[optind], "systemd") != 0) {
		cli_error("export: unknown format '%s' (there are 'systemd', "
		    "'kubernetes' and 'compose')",
		    argv[optind]);
		return cli_usage(EXPORT_USAGE);
	}
	memset(&st, 0, sizeof st);
	settings_init(&st.settings);
	if ((rc = export_build(&st, &o)) == -1) {
		if (export_unit(&sb, &st.unit, &err) == -1) {
			cli_error("export: %s", err);
			rc = EXIT_FAILED;
		} else
			rc = export_output(argc - optind == 2 ?
			    argv[optind + 1] : ".", st.name, &sb, &o);
	}
	free(err);
	strbuf_release(&sb);
	export_release(&st);
	return rc;
}
