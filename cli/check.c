/*
 * formation check: parse the Procfile, the env files and formation.ini the
 * way formationd would, without a daemon, and show the result or every
 * error. Exit 0 when the app would start, 78 when it would not.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/check.h"
#include "cli/cli.h"
#include "common/strbuf.h"
#include "common/xmalloc.h"

extern char **environ;

#define CHECK_USAGE \
	"check [--json] [--strict] [-f procfile] [-e file[,file...]] " \
	"[-c file]"

/* The options; the paths in flags point into paths[], which they own. */
struct check_opts {
	int			 json;
	int			 strict;
	struct settings_flags	 flags;
	char			*paths[3];
};

/* Everything the check holds, released in one place. */
struct check_state {
	struct settings		 settings;
	struct release		 release;
	struct diags		 diags;
	int			 built;
};

const char *
check_label(const struct settings *s, const char *path)
{
	return path == NULL ? NULL : settings_label(s, path);
}

/* Where a diagnostic's file comes in the order of the report: settings
 * from the environment first, then formation.ini, the Procfile and each
 * env file in turn. */
static size_t
check_rank(const struct settings *s, const char *file)
{
	const char *label;
	size_t i;

	label = check_label(s, s->config_file);
	if (label != NULL && strcmp(file, label) == 0)
		return 1;
	label = check_label(s, s->procfile);
	if (label != NULL && strcmp(file, label) == 0)
		return 2;
	for (i = 0; i < s->nenv_files; i++) {
		label = check_label(s, s->env_files[i]);
		if (label != NULL && strcmp(file, label) == 0)
			return 3 + i;
	}
	return 0;
}

struct check_sortkey {
	struct check_diag	 cd;
	size_t			 rank;
	size_t			 seq;
};

static int
check_cmp(const void *a, const void *b)
{
	const struct check_sortkey *x = a, *y = b;
	/* Line 0 is about the file as a whole: after its lines. */
	unsigned int lx = (unsigned int)x->cd.diag->line - 1;
	unsigned int ly = (unsigned int)y->cd.diag->line - 1;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
check_add(struct check_sortkey *keys, size_t *n, const struct settings *s,
    const struct diag *d, int error)
{
	keys[*n].cd.diag = d;
	keys[*n].cd.error = error;
	keys[*n].rank = check_rank(s, d->file);
	keys[*n].seq = *n;
	(*n)++;
}

/* Gather warnings and errors into r->diags, in report order. */
static void
check_collect(struct check_result *r, const struct check_state *st,
    int strict)
{
	const struct diags *d = &st->diags;
	struct check_sortkey *keys;
	size_t i, n = 0;

	keys = xcalloc(d->nwarnings + d->nerrors + 1, sizeof *keys);
	for (i = 0; i < d->nerrors; i++)
		check_add(keys, &n, &st->settings, &d->errors[i], 1);
	for (i = 0; i < d->nwarnings; i++)
		check_add(keys, &n, &st->settings, &d->warnings[i], strict);
	qsort(keys, n, sizeof *keys, check_cmp);
	r->diags = xcalloc(n + 1, sizeof *r->diags);
	r->ndiags = n;
	r->nerrors = 0;
	for (i = 0; i < n; i++) {
		r->diags[i] = keys[i].cd;
		r->nerrors += keys[i].cd.error;
	}
	free(keys);
}

/* Where a [scale] count came from: formation.ini when it has a line
 * there, else FORMATION_SCALE (check takes no -m). */
const char *
check_scale_origin(const struct settings *s, int line)
{
	return line > 0 ? check_label(s, s->config_file) : "FORMATION_SCALE";
}

/*
 * Settings for types the Procfile does not define: a count would stop
 * "up", so it is an error; a [process.NAME] section is only unused, but
 * likely a typo, so it is a warning. Both list the types there are.
 */
static void
check_scale(struct check_state *st)
{
	const struct formspec *fs = &st->settings.scale;
	const struct release *rel = &st->release;
	struct strbuf types = STRBUF_INIT;
	const char *name;
	size_t i;
	int line;

	for (i = 0; i < rel->nprocs; i++)
		strbuf_addf(&types, "%s%s", i > 0 ? ", " : "",
		    rel->procs[i].name);
	for (i = 0; rel->nprocs > 0 && i < fs->n; i++) {
		name = fs->entries[i].name;
		if (release_find(rel, name) != NULL)
			continue;
		line = fs->entries[i].line;
		diag_error(&st->diags, check_scale_origin(&st->settings, line),
		    line, "no process type '%s' in %s to scale (types: %s)",
		    name, check_label(&st->settings, st->settings.procfile),
		    types.buf);
	}
	for (i = 0; rel->nprocs > 0 && i < st->settings.ntypes; i++) {
		name = st->settings.types[i].name;
		if (release_find(rel, name) != NULL)
			continue;
		diag_warn(&st->diags, check_label(&st->settings,
		    st->settings.config_file), st->settings.types[i].line,
		    "[process.%s] is unused: no process type '%s' in %s "
		    "(types: %s)", name, name,
		    check_label(&st->settings, st->settings.procfile),
		    types.buf);
	}
	strbuf_release(&types);
}

/* Load the settings and build a release from them. The release is still
 * built when only the settings failed, so that one run reports the errors
 * of every file, as long as the settings name the files. */
static void
check_build(struct check_state *st, const struct settings_flags *flags)
{
	int rc;

	settings_init(&st->settings);
	release_init(&st->release);
	diags_init(&st->diags);
	rc = settings_load(&st->settings, flags, environ, &st->diags);
	if (rc == -1 && (st->settings.root == NULL ||
	    st->settings.procfile == NULL))
		return;
	release_build(&st->release, &st->settings, environ, &st->diags);
	check_scale(st);
	st->built = 1;
}

static void
check_state_release(struct check_state *st)
{
	release_release(&st->release);
	settings_release(&st->settings);
	diags_release(&st->diags);
}

static int
check_report(const struct check_opts *o)
{
	struct check_state st;
	struct check_result r;
	int status;

	memset(&st, 0, sizeof st);
	check_build(&st, &o->flags);
	memset(&r, 0, sizeof r);
	r.settings = &st.settings;
	r.release = st.built ? &st.release : NULL;
	check_collect(&r, &st, o->strict);
	status = r.nerrors > 0 ? EXIT_CONFIG : EXIT_OK;
	if (o->json)
		check_print_json(&r);
	else {
		check_print_diags(&r);
		if (status == EXIT_OK)
			check_print_text(&r);
	}
	free(r.diags);
	check_state_release(&st);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_errno("cannot write the report");
		return EXIT_FAILED;
	}
	return status;
}

/*
 * A path typed after -f, -e or -c, with its directory resolved from the
 * working directory: "../app/Procfile" becomes "/srv/app/Procfile", so that
 * it is named relative to the app root in every message. A path whose
 * directory does not resolve is kept as typed, for the error to name.
 */
static char *
check_flag_path(const char *path, size_t len)
{
	char *copy, *slash, *dir, *real, *out;
	const char *base;

	copy = xstrndup(path, len);
	slash = strrchr(copy, '/');
	base = slash != NULL ? slash + 1 : copy;
	if (*base == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return copy;
	dir = slash == NULL ? xstrdup(".") : slash == copy ? xstrdup("/") :
	    xstrndup(copy, (size_t)(slash - copy));
	real = realpath(dir, NULL);
	free(dir);
	if (real == NULL)
		return copy;
	xasprintf(&out, "%s%s%s", real, strcmp(real, "/") == 0 ? "" : "/",
	    base);
	free(real);
	free(copy);
	return out;
}

/* The same for each file of a comma-separated list (-e). */
static char *
check_flag_list(const char *list)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p, *end;
	size_t len;
	char *item;

	for (p = list; *p != '\0'; p = *end == ',' ? end + 1 : end) {
		end = p + strcspn(p, ",");
		p += strspn(p, " \t");
		for (len = (size_t)(end - p); len > 0 &&
		    (p[len - 1] == ' ' || p[len - 1] == '\t'); len--)
			;
		if (len == 0)
			continue;
		item = check_flag_path(p, len);
		strbuf_addf(&sb, "%s%s", sb.len > 0 ? "," : "", item);
		free(item);
	}
	return strbuf_detach(&sb, NULL);
}

static int
check_bad_option(int c, char **argv)
{
	if (c == ':')
		cli_error("check: option '%s' needs an argument",
		    argv[optind - 1]);
	else if (optopt != 0)
		cli_error("check: unknown option '-%c'", optopt);
	else
		cli_error("check: unknown option '%s'", argv[optind - 1]);
	return cli_usage(CHECK_USAGE);
}

static int
check_options(struct check_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "strict", no_argument, NULL, 's' },
		{ "procfile", required_argument, NULL, 'f' },
		{ "env", required_argument, NULL, 'e' },
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:c:e:f:h", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'j':
			o->json = 1;
			break;
		case 's':
			o->strict = 1;
			break;
		case 'f':
			free(o->paths[0]);
			o->flags.procfile = o->paths[0] =
			    check_flag_path(optarg, strlen(optarg));
			break;
		case 'e':
			free(o->paths[1]);
			o->flags.env = o->paths[1] = check_flag_list(optarg);
			break;
		case 'c':
			free(o->paths[2]);
			o->flags.config = o->paths[2] =
			    check_flag_path(optarg, strlen(optarg));
			break;
		case 'h':
			printf("usage: formation %s\n", CHECK_USAGE);
			return EXIT_OK;
		default:
			return check_bad_option(c, argv);
		}
	}
	if (optind < argc) {
		cli_error("check: unexpected argument '%s'", argv[optind]);
		return cli_usage(CHECK_USAGE);
	}
	return -1;
}

int
cmd_check(int argc, char **argv)
{
	struct check_opts o;
	size_t i;
	int rc;

	memset(&o, 0, sizeof o);
	settings_flags_init(&o.flags);
	o.flags.root = cli_globals.root;
	if ((rc = check_options(&o, argc, argv)) == -1)
		rc = check_report(&o);
	for (i = 0; i < sizeof o.paths / sizeof o.paths[0]; i++)
		free(o.paths[i]);
	return rc;
}
