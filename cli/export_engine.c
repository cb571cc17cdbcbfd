/*
 * formation export kubernetes [DIR] and formation export compose [FILE]:
 * a release from the history on disk (no daemon needed) as the objects of
 * an engine, for an image the user builds (cli/kube.h). The counts and
 * PORT are the formation's settings (-m, -p, formation.ini), as formation
 * up takes them.
 */
#include <sys/random.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/export.h"
#include "cli/history.h"
#include "cli/kube.h"
#include "common/command.h"
#include "common/config.h"
#include "common/env.h"
#include "common/readyspec.h"
#include "common/store.h"
#include "common/util.h"
#include "common/xmalloc.h"

extern char **environ;

#define KUBE_USAGE \
	"export kubernetes --image IMAGE [--release vN] [--namespace NS]\n" \
	"                        [--app NAME] [--secret] [-m spec] [-p port]\n" \
	"                        [--oneoff CMD | --run TYPE [-t] [-- ARG...]]\n" \
	"                        [dir | -]"
#define COMPOSE_USAGE \
	"export compose --image IMAGE [--release vN] [--app NAME]\n" \
	"                        [-m spec] [-p port] [file | -]"

/* Kept in the history of a Deployment at least, as Kubernetes does. */
#define KUBE_HISTORY_MIN	10

struct engine_opts {
	int		 compose;
	struct settings_flags flags;
	const char	*image, *release, *ns, *app, *oneoff, *run;
	const char	*out;		/* DIR or FILE */
	char		**args;		/* after "--" */
	int		  nargs;
	int		  secret, tty;
};

enum {
	OPT_IMAGE = 256, OPT_RELEASE, OPT_NAMESPACE, OPT_APP, OPT_SECRET,
	OPT_ONEOFF, OPT_RUN,
};

static int
engine_option(struct engine_opts *o, int c)
{
	switch (c) {
	case 'm': o->flags.scale = optarg; break;
	case 'p': o->flags.port = optarg; break;
	case 't': o->tty = 1; break;
	case OPT_IMAGE: o->image = optarg; break;
	case OPT_RELEASE: o->release = optarg; break;
	case OPT_NAMESPACE: o->ns = optarg; break;
	case OPT_APP: o->app = optarg; break;
	case OPT_SECRET: o->secret = 1; break;
	case OPT_ONEOFF: o->oneoff = optarg; break;
	case OPT_RUN: o->run = optarg; break;
	default: return -1;
	}
	return 0;
}

/* Options, one DIR or FILE among them, and the arguments after "--". */
static int
engine_parse(struct engine_opts *o, int argc, char **argv, const char *usage)
{
	static const struct option longopts[] = {
		{ "image", required_argument, NULL, OPT_IMAGE },
		{ "release", required_argument, NULL, OPT_RELEASE },
		{ "namespace", required_argument, NULL, OPT_NAMESPACE },
		{ "app", required_argument, NULL, OPT_APP },
		{ "secret", no_argument, NULL, OPT_SECRET },
		{ "oneoff", required_argument, NULL, OPT_ONEOFF },
		{ "run", required_argument, NULL, OPT_RUN },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	opterr = 0;
	optind = 0;
	for (;;) {
		c = getopt_long(argc, argv, "+:m:p:th", longopts, NULL);
		if (c == -1) {
			if (optind >= argc)
				break;
			if (strcmp(argv[optind - 1], "--") == 0) {
				o->args = argv + optind;
				o->nargs = argc - optind;
				break;
			}
			if (o->out != NULL) {
				cli_error("export: one %s only ('%s' too)",
				    o->compose ? "file" : "directory",
				    argv[optind]);
				return cli_usage(usage);
			}
			o->out = argv[optind++];
			continue;
		}
		if (c == 'h') {
			printf("usage: formation %s\n", usage);
			return EXIT_OK;
		}
		if (c == ':' || c == '?' || engine_option(o, c) == -1) {
			if (c == ':')
				cli_error("export: option '%s' needs an "
				    "argument", argv[optind - 1]);
			else
				cli_error("export: unknown option '%s'",
				    argv[optind - 1]);
			return cli_usage(usage);
		}
	}
	if (o->image == NULL || *o->image == '\0') {
		cli_error("export: --image IMAGE is required: formation builds "
		    "no image; give the one that holds the app");
		return cli_usage(usage);
	}
	if (o->compose && (o->ns != NULL || o->secret || o->oneoff != NULL ||
	    o->run != NULL || o->tty)) {
		cli_error("export: --namespace, --secret, --oneoff, --run and "
		    "-t are for kubernetes; a one-off of a compose export is "
		    "'docker-compose run --rm TYPE COMMAND'");
		return cli_usage(usage);
	}
	if ((o->oneoff != NULL && o->run != NULL) ||
	    (o->tty && o->oneoff == NULL && o->run == NULL) ||
	    (o->nargs > 0 && o->run == NULL)) {
		cli_error("export: %s", o->oneoff != NULL && o->run != NULL ?
		    "--oneoff or --run, not both" : o->tty ?
		    "-t is for a one-off (--oneoff or --run)" :
		    "arguments after '--' are for --run TYPE");
		return cli_usage(usage);
	}
	if (o->ns != NULL && !kube_label_ok(o->ns)) {
		cli_error("export: bad namespace '%s': lowercase letters, "
		    "digits and '-' (RFC 1123), at most %d characters", o->ns,
		    KUBE_NAME_MAX);
		return EXIT_USAGE;
	}
	return -1;
}

/* What the export is made from. */
struct engine_state {
	struct settings		 settings;
	struct history		 h;
	int			 opened;
	struct release		 rel;
	char			*app;
	int			*counts;
	char			*command;	/* the one-off's */
	struct kube_oneoff	 oneoff;
	struct kube_export	 x;
};

static int
engine_release(struct engine_state *st, const struct engine_opts *o)
{
	struct rel *rel;
	char *msg;
	int v;

	if (history_open_files(&st->h) == -1)
		return EXIT_FAILED;
	st->opened = 1;
	if (o->release == NULL) {
		if ((rel = store_current()) == NULL) {
			cli_error("export: no release has passed its release "
			    "phase yet: give --release vN");
			return EXIT_FAILED;
		}
	} else {
		if ((v = history_version(o->release)) == -1)
			return EXIT_USAGE;
		if ((rel = store_find(v)) == NULL) {
			msg = store_no_release((unsigned)v);
			cli_error("export: %s", msg);
			free(msg);
			return EXIT_FAILED;
		}
	}
	if (rel->release.status == RELEASE_FAILED) {
		cli_error("export: the release phase of v%d failed: it never "
		    "went live", rel->release.version);
		return EXIT_FAILED;
	}
	release_copy(&st->rel, &rel->release);
	return -1;
}

/* The counts: -m and [scale], the release phase none. */
static int
engine_counts(struct engine_state *st)
{
	const struct formspec *fs = &st->settings.scale;
	size_t i;

	for (i = 0; i < fs->n; i++) {
		if (release_find(&st->rel, fs->entries[i].name) == NULL) {
			cli_error("export: a count for '%s', which v%d has no "
			    "process type of", fs->entries[i].name,
			    st->rel.version);
			return EXIT_CONFIG;
		}
	}
	st->counts = xcalloc(st->rel.nprocs + 1, sizeof *st->counts);
	for (i = 0; i < st->rel.nprocs; i++)
		st->counts[i] = formspec_count(fs, st->rel.procs[i].name);
	return -1;
}

/* PORT: -p or formation.ini, else the release's, else 5000. */
static int
engine_port(const struct engine_state *st)
{
	const char *env;
	int port = st->settings.port;

	if (port > 0)
		return port;
	env = env_get(&st->rel.env, "PORT");
	if (env != NULL && (port = number_parse(env, 65535)) > 0)
		return port;
	return 5000;
}

/* --oneoff CMD, or --run TYPE [ARG...]: the type's command, the
 * arguments quoted after it, as formation run does. */
static int
engine_oneoff(struct engine_state *st, const struct engine_opts *o)
{
	const struct release_proc *p;
	struct strbuf sb = STRBUF_INIT;
	unsigned int r;
	int i;

	if (o->run != NULL) {
		if ((p = release_find(&st->rel, o->run)) == NULL) {
			for (i = 0; (size_t)i < st->rel.nprocs; i++)
				strbuf_addf(&sb, "%s%s", i > 0 ? ", " : "",
				    st->rel.procs[i].name);
			cli_error("export: unknown process type '%s' (v%d has "
			    "%s)", o->run, st->rel.version, sb.buf);
			strbuf_release(&sb);
			return EXIT_FAILED;
		}
		strbuf_addstr(&sb, p->command);
		for (i = 0; i < o->nargs; i++) {
			strbuf_addch(&sb, ' ');
			command_quote(&sb, o->args[i]);
		}
		st->oneoff.port = 1;
	} else
		strbuf_addstr(&sb, o->oneoff);
	st->command = strbuf_detach(&sb, NULL);
	if (getrandom(&r, sizeof r, GRND_NONBLOCK) != sizeof r)
		r = (unsigned int)time(NULL) ^ (unsigned int)getpid();
	st->oneoff.command = st->command;
	st->oneoff.number = (int)(r % 99999) + 1;
	st->oneoff.tty = o->tty;
	st->x.oneoff = &st->oneoff;
	return -1;
}

/* A ready check that no probe can make (notify, accept) is left out,
 * said. */
static void
engine_warn_probes(const struct engine_state *st)
{
	char check[READY_PATH_MAX + 16];
	struct type_settings ts;
	size_t i;

	for (i = 0; i < st->rel.nprocs; i++) {
		ts = release_type_settings(&st->rel, st->rel.procs[i].name);
		if (st->counts[i] == 0 || !ts.ready_given ||
		    ts.ready.kind == READY_STARTED || kube_has_probe(&ts))
			continue;
		readyspec_text(&ts.ready, check, sizeof check);
		fprintf(stderr, "formation: warning: export: the ready check "
		    "of '%s' (%s) has no Kubernetes probe: left out\n",
		    st->rel.procs[i].name, check);
	}
}

static int
engine_build(struct engine_state *st, const struct engine_opts *o)
{
	struct diags d;
	char *err;
	int rc;

	diags_init(&d);
	rc = settings_load(&st->settings, &o->flags, environ, &d);
	diags_print(&d, stderr, "formation");
	diags_release(&d);
	if (rc == -1)
		return EXIT_CONFIG;
	if ((rc = engine_release(st, o)) != -1 ||
	    (rc = engine_counts(st)) != -1)
		return rc;
	st->app = o->app != NULL ? xstrdup(o->app) :
	    kube_app_name(st->settings.root);
	st->x.rel = &st->rel;
	st->x.app = st->app;
	st->x.image = o->image;
	st->x.ns = o->ns;
	st->x.secret = o->secret;
	st->x.history = store_count() > KUBE_HISTORY_MIN ? (int)store_count() :
	    KUBE_HISTORY_MIN;
	st->x.port = engine_port(st);
	st->x.counts = st->counts;
	if ((o->oneoff != NULL || o->run != NULL) &&
	    (rc = engine_oneoff(st, o)) != -1)
		return rc;
	if (kube_check(&st->x, &err) == -1) {
		cli_error("export: %s", err);
		free(err);
		return EXIT_FAILED;
	}
	if (!o->compose && st->x.oneoff == NULL)
		engine_warn_probes(st);
	return -1;
}

static int
engine_write(const char *path, const struct strbuf *sb)
{
	if (write_file_atomic(path, sb->buf, sb->len, 0644) == -1) {
		cli_errno("export: cannot write '%s'", path);
		return -1;
	}
	printf("%s\n", path);
	return 0;
}

/* How to start the one-off, see it, and learn how it ended. */
static void
engine_oneoff_hint(const struct engine_state *st, const char *dir,
    const struct kube_objects *objs)
{
	char *name = kube_oneoff_name(&st->x), ns[96] = "";

	if (st->x.ns != NULL)
		snprintf(ns, sizeof ns, " -n %s", st->x.ns);
	fprintf(stderr, "formation: the one-off, in the environment of v%d:\n"
	    "  kubectl%s apply -f %s/%s -f %s/%s\n", st->rel.version, ns, dir,
	    objs->v[0].file, dir, objs->v[1].file);
	if (st->oneoff.tty)
		fprintf(stderr, "  kubectl%s wait --for=condition=Ready "
		    "pod/%s && kubectl%s attach -it pod/%s\n", ns, name, ns,
		    name);
	else
		fprintf(stderr, "  kubectl%s logs -f pod/%s\n", ns, name);
	fprintf(stderr, "  kubectl%s get pod/%s -o jsonpath="
	    "'{.status.containerStatuses[0].state.terminated.exitCode}'\n"
	    "  kubectl%s delete pod/%s\n", ns, name, ns, name);
	free(name);
}

static void
engine_apply_hint(const struct engine_state *st, const char *dir,
    const struct kube_objects *objs)
{
	char ns[96] = "";

	if (st->x.ns != NULL)
		snprintf(ns, sizeof ns, " -n %s", st->x.ns);
	fprintf(stderr, "formation: to apply v%d:\n", st->rel.version);
	if (objs->n > 1 && !objs->v[1].listed)
		fprintf(stderr, "  kubectl%s apply -f %s/%s && kubectl%s apply "
		    "-f %s/%s &&\n  kubectl%s wait --for=condition=complete "
		    "--timeout=1h job/%s-release-v%d &&\n", ns, dir,
		    objs->v[0].file, ns, dir, objs->v[1].file, ns, st->app,
		    st->rel.version);
	fprintf(stderr, "  kubectl apply -k %s\n", dir);
}

static int
engine_kube_out(struct engine_state *st, const char *dir)
{
	struct kube_objects objs;
	struct strbuf sb = STRBUF_INIT;
	char *path;
	size_t i;
	int rc = EXIT_OK;

	kube_objects(&st->x, &objs);
	if (strcmp(dir, "-") == 0) {
		for (i = 0; i < objs.n; i++)
			printf("---\n%s", objs.v[i].yaml.buf);
		if (fflush(stdout) == EOF) {
			cli_errno("export: cannot write the objects");
			rc = EXIT_FAILED;
		}
		kube_objects_release(&objs);
		return rc;
	}
	if (export_mkdir(dir) == -1) {
		cli_errno("export: cannot create '%s'", dir);
		kube_objects_release(&objs);
		return EXIT_FAILED;
	}
	for (i = 0; i < objs.n && rc == EXIT_OK; i++) {
		path = path_join(dir, objs.v[i].file);
		if (engine_write(path, &objs.v[i].yaml) == -1)
			rc = EXIT_FAILED;
		free(path);
	}
	if (rc == EXIT_OK && st->x.oneoff == NULL) {
		kube_kustomization(&st->x, &objs, &sb);
		path = path_join(dir, "kustomization.yaml");
		if (engine_write(path, &sb) == -1)
			rc = EXIT_FAILED;
		free(path);
	}
	if (rc == EXIT_OK) {
		if (st->x.oneoff != NULL)
			engine_oneoff_hint(st, dir, &objs);
		else
			engine_apply_hint(st, dir, &objs);
	}
	strbuf_release(&sb);
	kube_objects_release(&objs);
	return rc;
}

static int
engine_compose_out(struct engine_state *st, const char *file)
{
	struct strbuf sb = STRBUF_INIT;
	char *err;
	int rc = EXIT_OK;

	if (compose_file(&st->x, &sb, &err) == -1) {
		cli_error("export: %s", err);
		free(err);
		rc = EXIT_FAILED;
	} else if (strcmp(file, "-") == 0) {
		if (fwrite(sb.buf, 1, sb.len, stdout) != sb.len ||
		    fflush(stdout) == EOF) {
			cli_errno("export: cannot write the compose file");
			rc = EXIT_FAILED;
		}
	} else if (engine_write(file, &sb) == -1)
		rc = EXIT_FAILED;
	strbuf_release(&sb);
	return rc;
}

int
export_engine(int argc, char **argv)
{
	struct engine_state st;
	struct engine_opts o;
	int rc;

	memset(&o, 0, sizeof o);
	o.compose = strcmp(argv[0], "compose") == 0;
	settings_flags_init(&o.flags);
	o.flags.root = cli_globals.root;
	if ((rc = engine_parse(&o, argc, argv, o.compose ? COMPOSE_USAGE :
	    KUBE_USAGE)) != -1)
		return rc;
	memset(&st, 0, sizeof st);
	settings_init(&st.settings);
	release_init(&st.rel);
	if ((rc = engine_build(&st, &o)) == -1)
		rc = o.compose ? engine_compose_out(&st, o.out != NULL ? o.out :
		    "docker-compose.yml") : engine_kube_out(&st, o.out != NULL ?
		    o.out : ".");
	if (st.opened)
		history_close(&st.h);
	release_release(&st.rel);
	settings_release(&st.settings);
	free(st.counts);
	free(st.app);
	free(st.command);
	return rc;
}
