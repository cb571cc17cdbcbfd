#include <stdlib.h>
#include <string.h>

#include "cli/kube.h"
#include "common/env.h"
#include "common/release.h"
#include "common/strbuf.h"
#include "common/xmalloc.h"
#include "tests/unit/unit.h"

/* want NULL: refused. */
static void
assert_yaml(const char *s, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "x: ");
	if (want == NULL) {
		ck_assert_int_eq(yaml_str(&sb, s), -1);
		ck_assert_str_eq(sb.buf, "x: ");
	} else {
		ck_assert_int_eq(yaml_str(&sb, s), 0);
		ck_assert_str_eq(sb.buf + 3, want);
	}
	strbuf_release(&sb);
}

START_TEST(test_yaml_scalars)
{
	assert_yaml("", "\"\"");
	assert_yaml("web", "\"web\"");
	/* What a plain scalar would make something else. */
	assert_yaml("yes", "\"yes\"");
	assert_yaml("0755", "\"0755\"");
	assert_yaml("~", "\"~\"");
	assert_yaml("a: b # c", "\"a: b # c\"");
	assert_yaml("- [x]", "\"- [x]\"");
	assert_yaml(" lead", "\" lead\"");
	assert_yaml("say \"hi\"", "\"say \\\"hi\\\"\"");
	assert_yaml("C:\\dir", "\"C:\\\\dir\"");
	assert_yaml("'single'", "\"'single'\"");
	assert_yaml("a\nb\tc\rd", "\"a\\nb\\tc\\rd\"");
	assert_yaml("\x01\x1b\x7f", "\"\\x01\\x1b\\x7f\"");
	/* UTF-8 as it is; C1 controls, separators and BOM escaped. */
	assert_yaml("caf\xc3\xa9 \xe2\x82\xac", "\"caf\xc3\xa9 \xe2\x82\xac\"");
	assert_yaml("\xc2\x85\xc2\x9f", "\"\\x85\\x9f\"");
	assert_yaml("a\xe2\x80\xa8" "b\xe2\x80\xa9", "\"a\\Lb\\P\"");
	assert_yaml("\xef\xbb\xbfx", "\"\\ufeffx\"");
	assert_yaml("\xef\xbf\xbe", "\"\\ufffe\"");
	assert_yaml("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"");
	/* Not UTF-8: YAML cannot hold it. */
	assert_yaml("\xff", NULL);
	assert_yaml("ok \xc3", NULL);
	assert_yaml("\xc0\xaf", NULL);
	assert_yaml("\xed\xa0\x80", NULL);
}
END_TEST

START_TEST(test_kube_names)
{
	char *s;

	ck_assert_int_eq(kube_label_ok("web"), 1);
	ck_assert_int_eq(kube_label_ok("web-2"), 1);
	ck_assert_int_eq(kube_label_ok("2web"), 1);
	ck_assert_int_eq(kube_label_ok(""), 0);
	ck_assert_int_eq(kube_label_ok("Web"), 0);
	ck_assert_int_eq(kube_label_ok("web_2"), 0);
	ck_assert_int_eq(kube_label_ok("web."), 0);
	ck_assert_int_eq(kube_label_ok("-web"), 0);
	ck_assert_int_eq(kube_label_ok("web-"), 0);
	ck_assert_int_eq(kube_label_ok(
	    "a23456789012345678901234567890123456789012345678901234567890123"),
	    1);
	ck_assert_int_eq(kube_label_ok(
	    "a234567890123456789012345678901234567890123456789012345678901234"),
	    0);
	s = kube_app_name("/srv/My_App.v2");
	ck_assert_str_eq(s, "my-app-v2");
	free(s);
	s = kube_app_name("/srv/--x  y--");
	ck_assert_str_eq(s, "x-y");
	free(s);
	s = kube_app_name("/srv/caf\xc3\xa9");
	ck_assert_str_eq(s, "caf");
	free(s);
	s = kube_app_name("/");
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

static void
assert_shell(const char *command, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	kube_shell_command(&sb, command);
	ck_assert_str_eq(sb.buf, want);
	strbuf_release(&sb);
}

static void
assert_dollars(const char *s, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	kube_escape_dollars(&sb, s);
	ck_assert_str_eq(sb.buf, want);
	strbuf_release(&sb);
}

START_TEST(test_kube_commands)
{
	assert_shell("bundle exec puma -p $PORT", "exec bundle exec puma -p "
	    "$PORT");
	assert_shell("node server.js > log 2>&1", "node server.js > log 2>&1");
	assert_shell("python -c 'import a; a.b()'",
	    "exec python -c 'import a; a.b()'");
	assert_shell("echo \"a|b\"", "exec echo \"a|b\"");
	/* A list, a pipeline, a subshell, a substitution, a compound
	 * command, an assignment or a comment: exec would change it. */
	assert_shell("cd app && rails s", "cd app && rails s");
	assert_shell("a | b", "a | b");
	assert_shell("a; b", "a; b");
	assert_shell("worker &", "worker &");
	assert_shell("(cd x; y)", "(cd x; y)");
	assert_shell("echo $(date)", "echo $(date)");
	assert_shell("echo \"$(date)\"", "echo \"$(date)\"");
	assert_shell("echo `date`", "echo `date`");
	assert_shell("while true; do x; done", "while true; do x; done");
	assert_shell("if x; then y; fi", "if x; then y; fi");
	assert_shell("RAILS_ENV=production rails s",
	    "RAILS_ENV=production rails s");
	assert_shell("exec puma", "exec puma");
	assert_shell("puma # the server", "puma # the server");
	assert_shell("echo 'unterminated", "echo 'unterminated");
	/* Kubernetes makes "$$" "$" and "$(X)" X's value; the rest stays. */
	assert_dollars("exec puma -p $PORT", "exec puma -p $PORT");
	assert_dollars("echo $(date)", "echo $$(date)");
	assert_dollars("echo $$", "echo $$$");
	assert_dollars("$$(x) ${Y} $", "$$$$(x) ${Y} $");
	assert_dollars("no dollars", "no dollars");
}
END_TEST

/* A release of /srv/shop: web, worker (QUIT, 2.5 s), release, and a
 * type that is never run. */
static void
release_shop(struct release *r)
{
	struct release_proc *p;

	release_init(r);
	r->version = 7;
	r->root = xstrdup("/srv/shop");
	release_add_proc(r, "web", "bundle exec puma -p $PORT", "Procfile:1");
	p = release_add_proc(r, "worker", "sidekiq -q $(QUEUE)", "Procfile:2");
	env_set(&p->settings, "stop_signal", "QUIT", NULL);
	env_set(&p->settings, "timeout", "2.5", NULL);
	release_add_proc(r, "release", "rake db:migrate", "Procfile:3");
	release_add_proc(r, "clock", "clockwork clock.rb", "Procfile:4");
	env_set(&r->env, "PATH", "/home/me/bin:/usr/bin", "inherited");
	env_set(&r->env, "HOME", "/home/me", "inherited");
	env_set(&r->env, "LANG", "C.UTF-8", "inherited");
	env_set(&r->env, "DATABASE_URL", "postgres://db/shop?a=1&b=\"2\"",
	    ".env:1");
	env_set(&r->env, "TOKEN", "$ecret", ".env:2");
}

static const int shop_counts[] = { 2, 1, 1, 0 };

static void
export_shop(struct kube_export *x, const struct release *r)
{
	memset(x, 0, sizeof *x);
	x->rel = r;
	x->app = "shop";
	x->image = "registry.example/shop:v7";
	x->history = 10;
	x->port = 5000;
	x->counts = shop_counts;
}

static const char *
object(const struct kube_objects *objs, const char *file)
{
	size_t i;

	for (i = 0; i < objs->n; i++) {
		if (strcmp(objs->v[i].file, file) == 0)
			return objs->v[i].yaml.buf;
	}
	ck_abort_msg("no object %s", file);
	return NULL;
}

static const char web_deployment[] =
"apiVersion: apps/v1\n"
"kind: Deployment\n"
"metadata:\n"
"  name: \"shop-web\"\n"
"  namespace: \"prod\"\n"
"  labels:\n"
"    app.kubernetes.io/part-of: \"shop\"\n"
"    app.kubernetes.io/component: \"web\"\n"
"    app.kubernetes.io/managed-by: \"formation\"\n"
"    formation.release: \"v7\"\n"
"spec:\n"
"  replicas: 2\n"
"  revisionHistoryLimit: 10\n"
"  selector:\n"
"    matchLabels:\n"
"      app.kubernetes.io/part-of: \"shop\"\n"
"      app.kubernetes.io/component: \"web\"\n"
"  template:\n"
"    metadata:\n"
"      labels:\n"
"        app.kubernetes.io/part-of: \"shop\"\n"
"        app.kubernetes.io/component: \"web\"\n"
"        formation.release: \"v7\"\n"
"      annotations:\n"
"        formation.release: \"v7\"\n"
"    spec:\n"
"      enableServiceLinks: false\n"
"      terminationGracePeriodSeconds: 10\n"
"      containers:\n"
"        - name: \"web\"\n"
"          image: \"registry.example/shop:v7\"\n"
"          command:\n"
"            - \"/bin/sh\"\n"
"            - \"-c\"\n"
"            - \"exec bundle exec puma -p $PORT\"\n"
"          env:\n"
"            - name: \"PORT\"\n"
"              value: \"5000\"\n"
"            - name: \"PS\"\n"
"              value: \"web\"\n"
"          envFrom:\n"
"            - configMapRef:\n"
"                name: \"shop-env-v7\"\n";

START_TEST(test_kube_objects)
{
	struct kube_objects objs;
	struct kube_export x;
	struct release r;
	struct strbuf sb = STRBUF_INIT;
	const char *y;
	char *err;

	release_shop(&r);
	export_shop(&x, &r);
	x.ns = "prod";
	x.history = 12;
	ck_assert_int_eq(kube_check(&x, &err), 0);
	kube_objects(&x, &objs);
	/* The apply order: the environment, the release phase, the rest. */
	ck_assert_int_eq(objs.n, 5);
	ck_assert_str_eq(objs.v[0].file, "shop-env-v7.yaml");
	ck_assert_str_eq(objs.v[1].file, "shop-release-v7.yaml");
	ck_assert_str_eq(objs.v[2].file, "shop-web-deployment.yaml");
	ck_assert_str_eq(objs.v[3].file, "shop-worker-deployment.yaml");
	ck_assert_str_eq(objs.v[4].file, "shop-web-service.yaml");
	y = object(&objs, "shop-web-deployment.yaml");
	x.history = 10;
	ck_assert_ptr_nonnull(strstr(y, "revisionHistoryLimit: 12\n"));
	kube_objects_release(&objs);
	kube_objects(&x, &objs);
	ck_assert_str_eq(object(&objs, "shop-web-deployment.yaml"),
	    web_deployment);

	/* The environment: the release's, without the machine's. */
	y = object(&objs, "shop-env-v7.yaml");
	ck_assert_ptr_nonnull(strstr(y, "kind: ConfigMap\n"));
	ck_assert_ptr_nonnull(strstr(y, "\nimmutable: true\ndata:\n"
	    "  \"LANG\": \"C.UTF-8\"\n"
	    "  \"DATABASE_URL\": \"postgres://db/shop?a=1&b=\\\"2\\\"\"\n"
	    "  \"TOKEN\": \"$ecret\"\n"
	    "  \"FORMATION_RELEASE\": \"v7\"\n"));
	ck_assert_ptr_null(strstr(y, "PATH"));
	ck_assert_ptr_null(strstr(y, "HOME"));

	/* The worker: its signal before SIGTERM, its timeout rounded up,
	 * "$(" kept from Kubernetes, no exec before a compound command. */
	y = object(&objs, "shop-worker-deployment.yaml");
	ck_assert_ptr_nonnull(strstr(y, "  replicas: 1\n"));
	ck_assert_ptr_nonnull(strstr(y, "terminationGracePeriodSeconds: 3\n"));
	ck_assert_ptr_nonnull(strstr(y, "- \"sidekiq -q $$(QUEUE)\"\n"));
	ck_assert_ptr_nonnull(strstr(y, "preStop:\n"));
	ck_assert_ptr_nonnull(strstr(y, "\"kill -QUIT 1; while kill -0 1; do "
	    "sleep 1; done\""));
	ck_assert_ptr_null(strstr(object(&objs, "shop-web-deployment.yaml"),
	    "preStop"));

	/* The release phase: a Job that runs once. */
	y = object(&objs, "shop-release-v7.yaml");
	ck_assert_ptr_nonnull(strstr(y, "kind: Job\n"));
	ck_assert_ptr_nonnull(strstr(y, "  backoffLimit: 0\n"));
	ck_assert_ptr_nonnull(strstr(y, "      restartPolicy: Never\n"));
	ck_assert_ptr_nonnull(strstr(y, "- \"exec rake db:migrate\"\n"));

	y = object(&objs, "shop-web-service.yaml");
	ck_assert_ptr_nonnull(strstr(y, "kind: Service\n"));
	ck_assert_ptr_nonnull(strstr(y, "      targetPort: 5000\n"));

	/* kustomize gets what kubectl apply -k applies: not the Job. */
	kube_kustomization(&x, &objs, &sb);
	ck_assert_str_eq(sb.buf, "apiVersion: kustomize.config.k8s.io/v1beta1\n"
	    "kind: Kustomization\n"
	    "namespace: \"prod\"\n"
	    "resources:\n"
	    "  - \"shop-env-v7.yaml\"\n"
	    "  - \"shop-web-deployment.yaml\"\n"
	    "  - \"shop-worker-deployment.yaml\"\n"
	    "  - \"shop-web-service.yaml\"\n");
	strbuf_release(&sb);
	kube_objects_release(&objs);

	/* --secret: the same values as an immutable Secret. */
	x.secret = 1;
	kube_objects(&x, &objs);
	y = object(&objs, "shop-env-v7.yaml");
	ck_assert_ptr_nonnull(strstr(y, "kind: Secret\n"));
	ck_assert_ptr_nonnull(strstr(y, "immutable: true\ntype: Opaque\n"
	    "stringData:\n"));
	ck_assert_ptr_nonnull(strstr(object(&objs, "shop-web-deployment.yaml"),
	    "            - secretRef:\n"
	    "                name: \"shop-env-v7\"\n"));
	kube_objects_release(&objs);
	release_release(&r);
}
END_TEST

START_TEST(test_kube_oneoff)
{
	struct kube_oneoff one = { "rails console", 42, 1, 0 };
	struct kube_objects objs;
	struct kube_export x;
	struct release r;
	const char *y;
	char *err;

	release_shop(&r);
	export_shop(&x, &r);
	x.oneoff = &one;
	ck_assert_int_eq(kube_check(&x, &err), 0);
	kube_objects(&x, &objs);
	/* The environment and the pod; no Job, no Deployment. */
	ck_assert_int_eq(objs.n, 2);
	ck_assert_str_eq(objs.v[0].file, "shop-env-v7.yaml");
	ck_assert_str_eq(objs.v[1].file, "shop-v7-run-00042.yaml");
	y = objs.v[1].yaml.buf;
	ck_assert_ptr_nonnull(strstr(y, "kind: Pod\nmetadata:\n"
	    "  name: \"shop-v7-run-00042\"\n"));
	ck_assert_ptr_nonnull(strstr(y, "\nspec:\n  restartPolicy: Never\n"));
	ck_assert_ptr_nonnull(strstr(y, "      stdin: true\n      tty: true\n"));
	ck_assert_ptr_nonnull(strstr(y, "        - name: \"PS\"\n"
	    "          value: \"run.42\"\n"));
	ck_assert_ptr_null(strstr(y, "\"PORT\""));
	ck_assert_ptr_nonnull(strstr(y, "      envFrom:\n"
	    "        - configMapRef:\n            name: \"shop-env-v7\"\n"));
	kube_objects_release(&objs);
	/* run TYPE: PORT as the type has it; no tty unless asked. */
	one.tty = 0;
	one.port = 1;
	kube_objects(&x, &objs);
	y = objs.v[1].yaml.buf;
	ck_assert_ptr_nonnull(strstr(y, "        - name: \"PORT\"\n"
	    "          value: \"5000\"\n"));
	ck_assert_ptr_null(strstr(y, "stdin"));
	kube_objects_release(&objs);
	release_release(&r);
}
END_TEST

/* The objects of a release of four types, each with a ready check. */
START_TEST(test_kube_probes)
{
	static const int counts[] = { 1, 1, 1, 1, 1 };
	struct kube_objects objs;
	struct release_proc *p;
	struct kube_export x;
	struct release r;
	const char *y;
	char *err;

	release_init(&r);
	r.version = 3;
	r.root = xstrdup("/srv/shop");
	p = release_add_proc(&r, "web", "puma", "Procfile:1");
	env_set(&p->settings, "ready", "tcp", NULL);
	p = release_add_proc(&r, "api", "api", "Procfile:2");
	env_set(&p->settings, "ready", "http:/health?full=1", NULL);
	env_set(&p->settings, "ready_timeout", "0", NULL);
	p = release_add_proc(&r, "cache", "cache", "Procfile:3");
	env_set(&p->settings, "ready", "tcp:10.1.2.3:6379", NULL);
	env_set(&p->settings, "ready_timeout", "7.5", NULL);
	p = release_add_proc(&r, "slow", "slow", "Procfile:4");
	env_set(&p->settings, "ready", "delay:2.5", NULL);
	p = release_add_proc(&r, "bus", "bus", "Procfile:5");
	env_set(&p->settings, "ready", "notify", NULL);
	memset(&x, 0, sizeof x);
	x.rel = &r;
	x.app = "shop";
	x.image = "i";
	x.history = 10;
	x.port = 5000;
	x.counts = counts;
	ck_assert_int_eq(kube_check(&x, &err), 0);
	kube_objects(&x, &objs);
	y = object(&objs, "shop-web-deployment.yaml");
	ck_assert_ptr_nonnull(strstr(y, "          readinessProbe:\n"
	    "            tcpSocket:\n"
	    "              port: 5000\n"
	    "            periodSeconds: 1\n"
	    "            timeoutSeconds: 2\n"
	    "          startupProbe:\n"
	    "            tcpSocket:\n"
	    "              port: 5000\n"
	    "            periodSeconds: 1\n"
	    "            timeoutSeconds: 2\n"
	    "            failureThreshold: 60\n"));
	/* ready_timeout = 0 waits for ever: no startup probe. */
	y = object(&objs, "shop-api-deployment.yaml");
	ck_assert_ptr_nonnull(strstr(y, "            httpGet:\n"
	    "              path: \"/health?full=1\"\n"
	    "              port: 5000\n"));
	ck_assert_ptr_null(strstr(y, "startupProbe"));
	y = object(&objs, "shop-cache-deployment.yaml");
	ck_assert_ptr_nonnull(strstr(y, "            tcpSocket:\n"
	    "              host: \"10.1.2.3\"\n"
	    "              port: 6379\n"));
	ck_assert_ptr_nonnull(strstr(y, "            failureThreshold: 8\n"));
	y = object(&objs, "shop-slow-deployment.yaml");
	ck_assert_ptr_nonnull(strstr(y, "          readinessProbe:\n"
	    "            exec:\n"
	    "              command: [\"/bin/sh\", \"-c\", \"true\"]\n"
	    "            initialDelaySeconds: 3\n"));
	ck_assert_ptr_null(strstr(y, "startupProbe"));
	ck_assert_ptr_null(strstr(object(&objs, "shop-bus-deployment.yaml"),
	    "Probe"));
	/* A Service for web and for what is checked on its PORT. */
	object(&objs, "shop-web-service.yaml");
	object(&objs, "shop-api-service.yaml");
	ck_assert_int_eq(objs.n, 1 + 5 + 2);
	kube_objects_release(&objs);
	release_release(&r);
}
END_TEST

static void
assert_refused(const struct kube_export *x, const char *want)
{
	char *err = NULL;

	ck_assert_int_eq(kube_check(x, &err), -1);
	ck_assert_str_eq(err, want);
	free(err);
}

START_TEST(test_kube_check)
{
	struct kube_oneoff one = { "x", 1, 0, 0 };
	struct kube_export x;
	struct release r;
	int counts[] = { 2, 1, 1, 0, 1 };

	release_shop(&r);
	export_shop(&x, &r);
	x.app = "Shop";
	assert_refused(&x, "'Shop' cannot be the app's name: lowercase "
	    "letters, digits and '-', starting with a letter, at most 63 "
	    "characters (give --app NAME)");
	x.app = "2shop";
	assert_refused(&x, "'2shop' cannot be the app's name: lowercase "
	    "letters, digits and '-', starting with a letter, at most 63 "
	    "characters (give --app NAME)");
	x.app = "";
	assert_refused(&x, "'' cannot be the app's name: lowercase letters, "
	    "digits and '-', starting with a letter, at most 63 characters "
	    "(give --app NAME)");
	/* APP-TYPE in 63: "worker" makes it 64. */
	x.app = "a23456789012345678901234567890123456789012345678901234567";
	assert_refused(&x, "the name 'a2345678901234567890123456789012345678901"
	    "2345678901234567-worker' of process type 'worker' is longer than "
	    "63 characters: give a shorter --app");
	x.app = "shop";
	/* A type that cannot be a name, counted: refused, naming it. */
	release_add_proc(&r, "Mail_Out", "mailer", "Procfile:5");
	x.counts = counts;
	assert_refused(&x, "process type 'Mail_Out' (Procfile:5) cannot be a "
	    "Kubernetes name: lowercase letters, digits and '-', starting and "
	    "ending with a letter or a digit (RFC 1123)");
	/* Not counted: not mapped, no error. */
	counts[4] = 0;
	ck_assert_int_eq(kube_check(&x, &(char *){ NULL }), 0);
	env_set(&r.env, "BAD", "\xff", ".env:9");
	assert_refused(&x, "the value of 'BAD' (.env:9) is not UTF-8, which "
	    "YAML cannot hold");
	env_unset(&r.env, "BAD");
	env_set(&r.env, "BASH_FUNC_x%%", "() { :; }", "inherited");
	assert_refused(&x, "variable 'BASH_FUNC_x%%' (inherited) cannot be a "
	    "key of a ConfigMap: letters, digits, '-', '_' and '.'");
	env_unset(&r.env, "BASH_FUNC_x%%");
	x.oneoff = &one;
	x.app = "a2345678901234567890123456789012345678901234567890";
	ck_assert_int_eq(kube_check(&x, &(char *){ NULL }), 0);
	x.app = "a23456789012345678901234567890123456789012345678901";
	assert_refused(&x, "the name 'a2345678901234567890123456789012345678901"
	    "2345678901-v7-run-00000' of the one-off's Pod is longer than 63 "
	    "characters: give a shorter --app");
	release_release(&r);
}
END_TEST

START_TEST(test_compose)
{
	struct strbuf sb = STRBUF_INIT;
	struct kube_export x;
	struct release r;
	char *err;

	release_shop(&r);
	export_shop(&x, &r);
	ck_assert_int_eq(compose_file(&x, &sb, &err), 0);
	/* No top-level name: (docker-compose 1.29 refuses it). */
	ck_assert_ptr_null(strstr(sb.buf, "\nname:"));
	ck_assert_ptr_nonnull(strstr(sb.buf, "\nservices:\n  web:\n"
	    "    image: \"registry.example/shop:v7\"\n"
	    "    command: [\"sh\", \"-c\", \"exec bundle exec puma -p "
	    "$$PORT\"]\n"
	    "    environment:\n"
	    "      \"LANG\": \"C.UTF-8\"\n"
	    "      \"DATABASE_URL\": \"postgres://db/shop?a=1&b=\\\"2\\\"\"\n"
	    "      \"TOKEN\": \"$$ecret\"\n"
	    "      \"FORMATION_RELEASE\": \"v7\"\n"
	    "      \"PORT\": \"5000\"\n"
	    "      \"PS\": \"web\"\n"
	    "    restart: \"always\"\n"
	    "    deploy:\n      replicas: 2\n"
	    "    stop_grace_period: \"10s\"\n"
	    "    stop_signal: \"SIGTERM\"\n"
	    "    labels:\n      formation.release: \"v7\"\n  worker:\n"));
	ck_assert_ptr_nonnull(strstr(sb.buf, "\"sidekiq -q $$(QUEUE)\""));
	ck_assert_ptr_nonnull(strstr(sb.buf, "    stop_grace_period: "
	    "\"2500ms\"\n    stop_signal: \"SIGQUIT\"\n"));
	ck_assert_ptr_nonnull(strstr(sb.buf, "  release:\n"));
	ck_assert_ptr_nonnull(strstr(sb.buf, "    profiles: [\"release\"]\n"));
	/* A type at 0 is there, for docker-compose run. */
	ck_assert_ptr_nonnull(strstr(sb.buf, "  clock:\n"));
	ck_assert_ptr_nonnull(strstr(sb.buf, "      replicas: 0\n"));
	strbuf_release(&sb);
	release_release(&r);
}
END_TEST

static Suite *
kube_suite(void)
{
	Suite *s = suite_create("kube");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_yaml_scalars);
	tcase_add_test(tc, test_kube_names);
	tcase_add_test(tc, test_kube_commands);
	tcase_add_test(tc, test_kube_objects);
	tcase_add_test(tc, test_kube_oneoff);
	tcase_add_test(tc, test_kube_probes);
	tcase_add_test(tc, test_kube_check);
	tcase_add_test(tc, test_compose);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(kube_suite)
