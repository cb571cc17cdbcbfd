/*
 * A release as Kubernetes objects (cli/kube.h): the environment as an
 * immutable ConfigMap (or Secret) named after the release, a Deployment
 * per type that runs, a Service for web, a Job for the release phase, and
 * a one-off as a Pod.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/kube.h"
#include "common/config.h"
#include "common/readyspec.h"
#include "common/env.h"
#include "common/release.h"
#include "common/util.h"
#include "common/xmalloc.h"

/* The variables of the machine that exports, when inherited: the image
 * and the engine set their own. */
static int
kube_host_var(const struct env_var *v)
{
	static const char *const names[] = {
		"PATH", "HOME", "HOSTNAME", "USER", "LOGNAME", "SHELL",
		"MAIL", "TMPDIR",
	};
	size_t i;

	if (strcmp(v->origin, "inherited") != 0)
		return 0;
	for (i = 0; i < sizeof names / sizeof *names; i++) {
		if (strcmp(v->key, names[i]) == 0)
			return 1;
	}
	return 0;
}

void
kube_env(const struct release *r, struct env *out)
{
	size_t i;

	for (i = 0; i < r->env.n; i++) {
		if (!kube_host_var(&r->env.vars[i]))
			env_set(out, r->env.vars[i].key, r->env.vars[i].value,
			    r->env.vars[i].origin);
	}
	release_add_env(r, out);
}

/* Does the type run: a count above 0, and not the release phase? */
static int
kube_runs(const struct kube_export *x, size_t i)
{
	return x->counts[i] > 0 &&
	    strcmp(x->rel->procs[i].name, RELEASE_PHASE_TYPE) != 0;
}

static int
kube_has_phase(const struct kube_export *x)
{
	return x->oneoff == NULL &&
	    release_find(x->rel, RELEASE_PHASE_TYPE) != NULL;
}

int
kube_has_probe(const struct type_settings *ts)
{
	return ts->ready_given && (ts->ready.kind == READY_TCP ||
	    ts->ready.kind == READY_HTTP || ts->ready.kind == READY_DELAY);
}

/* A Service for web, and for a type whose ready check is on its PORT. */
static int
kube_serves(const struct kube_export *x, size_t i)
{
	struct type_settings ts;

	if (strcmp(x->rel->procs[i].name, "web") == 0)
		return 1;
	ts = release_type_settings(x->rel, x->rel->procs[i].name);
	return ts.ready_given && (ts.ready.kind == READY_HTTP ||
	    (ts.ready.kind == READY_TCP && ts.ready.host[0] == '\0'));
}

char *
kube_oneoff_name(const struct kube_export *x)
{
	char *name;

	xasprintf(&name, "%s-v%d-run-%05d", x->app, x->rel->version,
	    x->oneoff != NULL ? x->oneoff->number : 0);
	return name;
}

/* A ConfigMap key: [-._a-zA-Z0-9]+. */
static int
kube_key_ok(const char *s)
{
	if (*s == '\0' || strlen(s) > 253)
		return 0;
	for (; *s != '\0'; s++) {
		if (strchr("-._", *s) == NULL && !(*s >= 'a' && *s <= 'z') &&
		    !(*s >= 'A' && *s <= 'Z') && !(*s >= '0' && *s <= '9'))
			return 0;
	}
	return 1;
}

static int
kube_utf8(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	int rc = yaml_str(&sb, s);

	strbuf_release(&sb);
	return rc == 0;
}

static int
kube_check_env(const struct kube_export *x, char **err)
{
	struct env env;
	const struct env_var *v;
	size_t i;
	int rc = 0;

	env_init(&env);
	kube_env(x->rel, &env);
	for (i = 0; i < env.n && rc == 0; i++) {
		v = &env.vars[i];
		if (!kube_key_ok(v->key)) {
			xasprintf(err, "variable '%s' (%s) cannot be a key of "
			    "a ConfigMap: letters, digits, '-', '_' and '.'",
			    v->key, v->origin);
			rc = -1;
		} else if (!kube_utf8(v->value)) {
			xasprintf(err, "the value of '%s' (%s) is not UTF-8, "
			    "which YAML cannot hold", v->key, v->origin);
			rc = -1;
		}
	}
	env_release(&env);
	return rc;
}

/* APP-SUFFIX must be a label. */
static int
kube_check_name(const struct kube_export *x, const char *suffix,
    const char *what, char **err)
{
	char *name;
	int ok;

	xasprintf(&name, "%s-%s", x->app, suffix);
	ok = strlen(name) <= KUBE_NAME_MAX;
	if (!ok)
		xasprintf(err, "the name '%s' of %s is longer than %d "
		    "characters: give a shorter --app", name, what,
		    KUBE_NAME_MAX);
	free(name);
	return ok ? 0 : -1;
}

static int
kube_check_type(const struct kube_export *x, const struct release_proc *p,
    char **err)
{
	char *what;
	int rc;

	if (!kube_label_ok(p->name)) {
		xasprintf(err, "process type '%s' (%s) cannot be a Kubernetes "
		    "name: lowercase letters, digits and '-', starting and "
		    "ending with a letter or a digit (RFC 1123)", p->name,
		    p->origin);
		return -1;
	}
	if (!kube_utf8(p->command)) {
		xasprintf(err, "the command of process type '%s' (%s) is not "
		    "UTF-8, which YAML cannot hold", p->name, p->origin);
		return -1;
	}
	xasprintf(&what, "process type '%s'", p->name);
	rc = kube_check_name(x, p->name, what, err);
	free(what);
	return rc;
}

int
kube_check(const struct kube_export *x, char **err)
{
	char suffix[64];
	size_t i;

	*err = NULL;
	if (!kube_label_ok(x->app) || !(x->app[0] >= 'a' && x->app[0] <= 'z')) {
		xasprintf(err, "'%s' cannot be the app's name: lowercase "
		    "letters, digits and '-', starting with a letter, at most "
		    "%d characters (give --app NAME)", x->app, KUBE_NAME_MAX);
		return -1;
	}
	if (!kube_utf8(x->image)) {
		xasprintf(err, "the image name is not UTF-8");
		return -1;
	}
	for (i = 0; i < x->rel->nprocs; i++) {
		if ((kube_runs(x, i) || (kube_has_phase(x) && strcmp(
		    x->rel->procs[i].name, RELEASE_PHASE_TYPE) == 0)) &&
		    kube_check_type(x, &x->rel->procs[i], err) == -1)
			return -1;
	}
	snprintf(suffix, sizeof suffix, "env-v%d", x->rel->version);
	if (kube_check_name(x, suffix, "the environment", err) == -1)
		return -1;
	snprintf(suffix, sizeof suffix, "release-v%d", x->rel->version);
	if (kube_has_phase(x) &&
	    kube_check_name(x, suffix, "the release phase's Job", err) == -1)
		return -1;
	snprintf(suffix, sizeof suffix, "v%d-run-00000", x->rel->version);
	if (x->oneoff != NULL) {
		if (kube_check_name(x, suffix, "the one-off's Pod", err) == -1)
			return -1;
		if (!kube_utf8(x->oneoff->command)) {
			xasprintf(err, "the one-off's command is not UTF-8, "
			    "which YAML cannot hold");
			return -1;
		}
	}
	return kube_check_env(x, err);
}

/* kube_check() made every string YAML. */
static void
kube_str(struct strbuf *sb, const char *s)
{
	if (yaml_str(sb, s) == -1)
		abort();
}

static void
kube_indent(struct strbuf *sb, int n)
{
	strbuf_addf(sb, "%*s", n, "");
}

/* key: "value" at indent n. */
static void
kube_kv(struct strbuf *sb, int n, const char *key, const char *value)
{
	kube_indent(sb, n);
	strbuf_addf(sb, "%s: ", key);
	kube_str(sb, value);
	strbuf_addch(sb, '\n');
}

/* The labels that select a type's pods. */
static void
kube_selector(struct strbuf *sb, int n, const struct kube_export *x,
    const char *component)
{
	kube_kv(sb, n, "app.kubernetes.io/part-of", x->app);
	if (component != NULL)
		kube_kv(sb, n, "app.kubernetes.io/component", component);
}

static void
kube_release_label(struct strbuf *sb, int n, const struct kube_export *x)
{
	char v[16];

	snprintf(v, sizeof v, "v%d", x->rel->version);
	kube_kv(sb, n, "formation.release", v);
}

static void
kube_meta(struct strbuf *sb, const struct kube_export *x, const char *api,
    const char *kind, const char *name, const char *component)
{
	strbuf_addf(sb, "apiVersion: %s\nkind: %s\nmetadata:\n", api, kind);
	kube_kv(sb, 2, "name", name);
	if (x->ns != NULL)
		kube_kv(sb, 2, "namespace", x->ns);
	strbuf_addstr(sb, "  labels:\n");
	kube_selector(sb, 4, x, component);
	kube_kv(sb, 4, "app.kubernetes.io/managed-by", "formation");
	kube_release_label(sb, 4, x);
}

static char *
kube_env_name(const struct kube_export *x)
{
	char *name;

	xasprintf(&name, "%s-env-v%d", x->app, x->rel->version);
	return name;
}

/* What one container runs. */
struct kube_run {
	const char	*name;		/* the container's */
	const char	*command;
	const char	*ps;
	int		 port;		/* 0: no PORT */
	int		 tty;
	int		 stop_signal;	/* -1: SIGTERM */
	int		 probe;		/* ready has a probe */
	struct ready_spec ready;
	int		 ready_timeout_ms; /* 0: none */
};

/* A probe's check of a ready spec that has one, at indent n. */
static void
kube_probe_check(struct strbuf *sb, int n, const struct kube_run *run)
{
	const struct ready_spec *r = &run->ready;
	char port[16];

	snprintf(port, sizeof port, "%d", r->kind == READY_TCP &&
	    r->host[0] != '\0' ? r->port : run->port);
	kube_indent(sb, n);
	switch (r->kind) {
	case READY_TCP:
		strbuf_addstr(sb, "tcpSocket:\n");
		/* The pod's own address is what loopback is in it. */
		if (r->host[0] != '\0' && strcmp(r->host, "localhost") != 0 &&
		    strcmp(r->host, "127.0.0.1") != 0 &&
		    strcmp(r->host, "[::1]") != 0 && strcmp(r->host, "::1") != 0)
			kube_kv(sb, n + 2, "host", r->host);
		kube_indent(sb, n + 2);
		strbuf_addf(sb, "port: %s\n", port);
		break;
	case READY_HTTP:
		strbuf_addstr(sb, "httpGet:\n");
		kube_kv(sb, n + 2, "path", r->path);
		kube_indent(sb, n + 2);
		strbuf_addf(sb, "port: %s\n", port);
		break;
	default:	/* READY_DELAY */
		strbuf_addstr(sb, "exec:\n");
		kube_indent(sb, n + 2);
		strbuf_addstr(sb, "command: [\"/bin/sh\", \"-c\", \"true\"]\n");
		kube_indent(sb, n);
		strbuf_addf(sb, "initialDelaySeconds: %d\n",
		    (r->delay_ms + 999) / 1000);
		break;
	}
	kube_indent(sb, n);
	/* formation tries every 0.1 s, an attempt having 2 s. */
	strbuf_addstr(sb, "periodSeconds: 1\n");
	kube_indent(sb, n);
	strbuf_addstr(sb, "timeoutSeconds: 2\n");
}

/* readinessProbe for the ready check; startupProbe for its timeout,
 * which restarts a process not ready in time, as formation does. */
static void
kube_probes(struct strbuf *sb, int n, const struct kube_run *run)
{
	if (!run->probe)
		return;
	kube_indent(sb, n);
	strbuf_addstr(sb, "readinessProbe:\n");
	kube_probe_check(sb, n + 2, run);
	if (run->ready.kind == READY_DELAY || run->ready_timeout_ms == 0)
		return;
	kube_indent(sb, n);
	strbuf_addstr(sb, "startupProbe:\n");
	kube_probe_check(sb, n + 2, run);
	kube_indent(sb, n + 2);
	strbuf_addf(sb, "failureThreshold: %d\n",
	    (run->ready_timeout_ms + 999) / 1000);
}

static void
kube_container(struct strbuf *sb, int n, const struct kube_export *x,
    const struct kube_run *run)
{
	struct strbuf cmd = STRBUF_INIT, shell = STRBUF_INIT;
	char port[16], *env = kube_env_name(x);

	kube_indent(sb, n);
	strbuf_addstr(sb, "containers:\n");
	kube_indent(sb, n);
	strbuf_addstr(sb, "  - name: ");
	kube_str(sb, run->name);
	strbuf_addch(sb, '\n');
	kube_kv(sb, n + 4, "image", x->image);
	kube_shell_command(&shell, run->command);
	kube_escape_dollars(&cmd, shell.buf);
	kube_indent(sb, n + 4);
	strbuf_addstr(sb, "command:\n");
	kube_indent(sb, n + 6);
	strbuf_addstr(sb, "- \"/bin/sh\"\n");
	kube_indent(sb, n + 6);
	strbuf_addstr(sb, "- \"-c\"\n");
	kube_indent(sb, n + 6);
	strbuf_addstr(sb, "- ");
	kube_str(sb, cmd.buf);
	strbuf_addch(sb, '\n');
	if (run->tty) {
		kube_indent(sb, n + 4);
		strbuf_addstr(sb, "stdin: true\n");
		kube_indent(sb, n + 4);
		strbuf_addstr(sb, "tty: true\n");
	}
	kube_indent(sb, n + 4);
	strbuf_addstr(sb, "env:\n");
	if (run->port > 0) {
		snprintf(port, sizeof port, "%d", run->port);
		kube_kv(sb, n + 6, "- name", "PORT");
		kube_kv(sb, n + 8, "value", port);
	}
	kube_kv(sb, n + 6, "- name", "PS");
	kube_kv(sb, n + 8, "value", run->ps);
	kube_indent(sb, n + 4);
	strbuf_addf(sb, "envFrom:\n");
	kube_indent(sb, n + 6);
	strbuf_addf(sb, "- %s:\n", x->secret ? "secretRef" : "configMapRef");
	kube_kv(sb, n + 10, "name", env);
	kube_probes(sb, n + 4, run);
	if (run->stop_signal > 0 && run->stop_signal != SIGTERM) {
		/* The process is PID 1 (exec): the signal, then the wait
		 * for it to end, before the engine sends SIGTERM. */
		strbuf_reset(&shell);
		strbuf_addf(&shell, "kill -%s 1; while kill -0 1; do sleep 1; "
		    "done", signal_name(run->stop_signal) + 3);
		kube_indent(sb, n + 4);
		strbuf_addstr(sb, "lifecycle:\n");
		kube_indent(sb, n + 6);
		strbuf_addstr(sb, "preStop:\n");
		kube_indent(sb, n + 8);
		strbuf_addstr(sb, "exec:\n");
		kube_indent(sb, n + 10);
		strbuf_addstr(sb, "command: [\"/bin/sh\", \"-c\", ");
		kube_str(sb, shell.buf);
		strbuf_addstr(sb, "]\n");
	}
	free(env);
	strbuf_release(&cmd);
	strbuf_release(&shell);
}

/* The pod's spec, its containers last, at indent n. */
static void
kube_pod_spec(struct strbuf *sb, int n, const struct kube_export *x,
    const struct kube_run *run, int timeout_ms, int once)
{
	if (once) {
		kube_indent(sb, n);
		strbuf_addstr(sb, "restartPolicy: Never\n");
	}
	/* The environment is the release's alone, as on one host: no
	 * variables for each Service of the namespace. */
	kube_indent(sb, n);
	strbuf_addstr(sb, "enableServiceLinks: false\n");
	kube_indent(sb, n);
	strbuf_addf(sb, "terminationGracePeriodSeconds: %d\n",
	    (timeout_ms + 999) / 1000);
	kube_container(sb, n, x, run);
}

static struct kube_object *
kube_new(struct kube_objects *objs, const char *file, int listed)
{
	struct kube_object *o;

	ALLOC_GROW(objs->v, objs->n + 1, objs->alloc);
	o = &objs->v[objs->n++];
	o->file = xstrdup(file);
	strbuf_init(&o->yaml, 0);
	o->listed = listed;
	return o;
}

static void
kube_configmap(const struct kube_export *x, struct kube_objects *objs)
{
	struct kube_object *o;
	struct env env;
	char *name = kube_env_name(x), *file;
	size_t i;

	xasprintf(&file, "%s.yaml", name);
	o = kube_new(objs, file, 1);
	kube_meta(&o->yaml, x, "v1", x->secret ? "Secret" : "ConfigMap", name,
	    NULL);
	env_init(&env);
	kube_env(x->rel, &env);
	strbuf_addstr(&o->yaml, "immutable: true\n");
	if (x->secret)
		strbuf_addstr(&o->yaml, "type: Opaque\n");
	strbuf_addf(&o->yaml, "%s:%s\n", x->secret ? "stringData" : "data",
	    env.n == 0 ? " {}" : "");
	for (i = 0; i < env.n; i++) {
		strbuf_addstr(&o->yaml, "  ");
		kube_str(&o->yaml, env.vars[i].key);
		strbuf_addstr(&o->yaml, ": ");
		kube_str(&o->yaml, env.vars[i].value);
		strbuf_addch(&o->yaml, '\n');
	}
	env_release(&env);
	free(file);
	free(name);
}

/* The settings of type i that the objects use. */
static void
kube_run_of(const struct kube_export *x, size_t i, struct kube_run *run,
    int *timeout_ms)
{
	struct type_settings ts;

	ts = release_type_settings(x->rel, x->rel->procs[i].name);
	run->name = x->rel->procs[i].name;
	run->command = x->rel->procs[i].command;
	run->ps = run->name;
	run->port = x->port;
	run->tty = 0;
	run->stop_signal = ts.stop_signal;
	run->probe = kube_has_probe(&ts);
	run->ready = ts.ready;
	run->ready_timeout_ms = ts.ready_timeout_ms >= 0 ?
	    ts.ready_timeout_ms : READY_TIMEOUT_MS;
	*timeout_ms = ts.timeout_ms >= 0 ? ts.timeout_ms : 10000;
}

/* The pod template's metadata: the labels, the release twice. */
static void
kube_template(struct strbuf *sb, const struct kube_export *x,
    const char *component)
{
	strbuf_addstr(sb, "  template:\n    metadata:\n      labels:\n");
	kube_selector(sb, 8, x, component);
	kube_release_label(sb, 8, x);
	strbuf_addstr(sb, "      annotations:\n");
	kube_release_label(sb, 8, x);
	strbuf_addstr(sb, "    spec:\n");
}

static void
kube_deployment(const struct kube_export *x, size_t i,
    struct kube_objects *objs)
{
	const char *type = x->rel->procs[i].name;
	struct kube_object *o;
	struct kube_run run;
	char *name, *file;
	int timeout_ms;

	xasprintf(&name, "%s-%s", x->app, type);
	xasprintf(&file, "%s-deployment.yaml", name);
	o = kube_new(objs, file, 1);
	kube_meta(&o->yaml, x, "apps/v1", "Deployment", name, type);
	strbuf_addf(&o->yaml, "spec:\n  replicas: %d\n"
	    "  revisionHistoryLimit: %d\n  selector:\n    matchLabels:\n",
	    x->counts[i], x->history);
	kube_selector(&o->yaml, 6, x, type);
	kube_template(&o->yaml, x, type);
	kube_run_of(x, i, &run, &timeout_ms);
	kube_pod_spec(&o->yaml, 6, x, &run, timeout_ms, 0);
	free(file);
	free(name);
}

static void
kube_service(const struct kube_export *x, size_t i, struct kube_objects *objs)
{
	const char *type = x->rel->procs[i].name;
	struct kube_object *o;
	char *name, *file;

	xasprintf(&name, "%s-%s", x->app, type);
	xasprintf(&file, "%s-service.yaml", name);
	o = kube_new(objs, file, 1);
	kube_meta(&o->yaml, x, "v1", "Service", name, type);
	strbuf_addstr(&o->yaml, "spec:\n  selector:\n");
	kube_selector(&o->yaml, 4, x, type);
	strbuf_addf(&o->yaml, "  ports:\n    - name: \"http\"\n"
	    "      port: 80\n      targetPort: %d\n", x->port);
	free(file);
	free(name);
}

static void
kube_job(const struct kube_export *x, struct kube_objects *objs)
{
	struct kube_object *o;
	struct kube_run run;
	char *name, *file;
	int timeout_ms, i = release_index(x->rel, RELEASE_PHASE_TYPE);

	xasprintf(&name, "%s-release-v%d", x->app, x->rel->version);
	xasprintf(&file, "%s.yaml", name);
	o = kube_new(objs, file, 0);
	kube_meta(&o->yaml, x, "batch/v1", "Job", name, RELEASE_PHASE_TYPE);
	strbuf_addstr(&o->yaml, "spec:\n  backoffLimit: 0\n");
	kube_template(&o->yaml, x, RELEASE_PHASE_TYPE);
	kube_run_of(x, (size_t)i, &run, &timeout_ms);
	run.probe = 0;
	kube_pod_spec(&o->yaml, 6, x, &run, timeout_ms, 1);
	free(file);
	free(name);
}

static void
kube_pod(const struct kube_export *x, struct kube_objects *objs)
{
	struct kube_object *o;
	struct kube_run run;
	char *name = kube_oneoff_name(x), *file, ps[32];

	xasprintf(&file, "%s.yaml", name);
	o = kube_new(objs, file, 0);
	kube_meta(&o->yaml, x, "v1", "Pod", name, "run");
	strbuf_addstr(&o->yaml, "spec:\n");
	snprintf(ps, sizeof ps, "run.%d", x->oneoff->number);
	memset(&run, 0, sizeof run);
	run.name = "run";
	run.command = x->oneoff->command;
	run.ps = ps;
	run.port = x->oneoff->port ? x->port : 0;
	run.tty = x->oneoff->tty;
	run.stop_signal = -1;
	kube_pod_spec(&o->yaml, 2, x, &run, 10000, 1);
	free(file);
	free(name);
}

void
kube_objects(const struct kube_export *x, struct kube_objects *objs)
{
	size_t i;

	memset(objs, 0, sizeof *objs);
	kube_configmap(x, objs);
	if (x->oneoff != NULL) {
		kube_pod(x, objs);
		return;
	}
	if (kube_has_phase(x))
		kube_job(x, objs);
	for (i = 0; i < x->rel->nprocs; i++) {
		if (kube_runs(x, i))
			kube_deployment(x, i, objs);
	}
	for (i = 0; i < x->rel->nprocs; i++) {
		if (kube_runs(x, i) && kube_serves(x, i))
			kube_service(x, i, objs);
	}
}

void
kube_objects_release(struct kube_objects *objs)
{
	size_t i;

	for (i = 0; i < objs->n; i++) {
		free(objs->v[i].file);
		strbuf_release(&objs->v[i].yaml);
	}
	free(objs->v);
	memset(objs, 0, sizeof *objs);
}

void
kube_kustomization(const struct kube_export *x,
    const struct kube_objects *objs, struct strbuf *sb)
{
	size_t i;

	strbuf_addstr(sb, "apiVersion: kustomize.config.k8s.io/v1beta1\n"
	    "kind: Kustomization\n");
	if (x->ns != NULL)
		kube_kv(sb, 0, "namespace", x->ns);
	strbuf_addstr(sb, "resources:\n");
	for (i = 0; i < objs->n; i++) {
		if (objs->v[i].listed) {
			strbuf_addstr(sb, "  - ");
			kube_str(sb, objs->v[i].file);
			strbuf_addch(sb, '\n');
		}
	}
}
