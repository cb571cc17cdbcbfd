/*
 * A release as a compose file (cli/kube.h): a service per type with the
 * release's environment inline, the release phase under a profile of its
 * own. Compose reads "$" in every value as the start of a variable of the
 * caller's shell, so each is doubled: the values are the release's, not
 * the shell's of whoever runs docker-compose.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/kube.h"
#include "common/config.h"
#include "common/env.h"
#include "common/release.h"
#include "common/util.h"
#include "common/xmalloc.h"

/* s as a YAML scalar, every "$" doubled; -1 if it is not UTF-8. */
static int
compose_str(struct strbuf *sb, const char *s)
{
	struct strbuf d = STRBUF_INIT;
	int rc;

	for (; *s != '\0'; s++) {
		if (*s == '$')
			strbuf_addch(&d, '$');
		strbuf_addch(&d, *s);
	}
	rc = yaml_str(sb, d.buf);
	strbuf_release(&d);
	return rc;
}

/* A compose service name: [a-zA-Z0-9._-], a letter or digit first. */
static int
compose_name_ok(const char *s)
{
	const char *p;

	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
	    (*s >= '0' && *s <= '9')))
		return 0;
	for (p = s; *p != '\0'; p++) {
		if (strchr("._-", *p) == NULL && !(*p >= 'a' && *p <= 'z') &&
		    !(*p >= 'A' && *p <= 'Z') && !(*p >= '0' && *p <= '9'))
			return 0;
	}
	return 1;
}

/* "KEY": "VALUE" at indent 6; -1 with *err when it cannot be written. */
static int
compose_var(struct strbuf *sb, const char *key, const char *value,
    const char *origin, char **err)
{
	strbuf_addstr(sb, "      ");
	if (yaml_str(sb, key) == -1 || (strbuf_addstr(sb, ": "),
	    compose_str(sb, value)) == -1) {
		xasprintf(err, "the value of '%s' (%s) is not UTF-8, which "
		    "YAML cannot hold", key, origin);
		return -1;
	}
	strbuf_addch(sb, '\n');
	return 0;
}

static int
compose_service(const struct kube_export *x, size_t i, const struct env *env,
    struct strbuf *sb, char **err)
{
	const struct release_proc *p = &x->rel->procs[i];
	struct type_settings ts = release_type_settings(x->rel, p->name);
	int phase = strcmp(p->name, RELEASE_PHASE_TYPE) == 0;
	struct strbuf cmd = STRBUF_INIT;
	char port[16];
	size_t j;
	int ms;

	if (!compose_name_ok(p->name)) {
		xasprintf(err, "process type '%s' (%s) cannot be a compose "
		    "service: letters, digits, '.', '_' and '-'", p->name,
		    p->origin);
		return -1;
	}
	strbuf_addf(sb, "  %s:\n    image: ", p->name);
	if (yaml_str(sb, x->image) == -1) {
		xasprintf(err, "the image name is not UTF-8");
		return -1;
	}
	kube_shell_command(&cmd, p->command);
	strbuf_addstr(sb, "\n    command: [\"sh\", \"-c\", ");
	if (compose_str(sb, cmd.buf) == -1) {
		xasprintf(err, "the command of process type '%s' (%s) is not "
		    "UTF-8, which YAML cannot hold", p->name, p->origin);
		strbuf_release(&cmd);
		return -1;
	}
	strbuf_release(&cmd);
	strbuf_addstr(sb, "]\n    environment:\n");
	for (j = 0; j < env->n; j++) {
		if (strcmp(env->vars[j].key, "PORT") == 0 ||
		    strcmp(env->vars[j].key, "PS") == 0)
			continue;
		if (compose_var(sb, env->vars[j].key, env->vars[j].value,
		    env->vars[j].origin, err) == -1)
			return -1;
	}
	snprintf(port, sizeof port, "%d", x->port);
	compose_var(sb, "PORT", port, "", err);
	compose_var(sb, "PS", p->name, "", err);
	if (phase)
		strbuf_addstr(sb, "    profiles: [\"release\"]\n"
		    "    restart: \"no\"\n");
	else
		strbuf_addf(sb, "    restart: \"%s\"\n"
		    "    deploy:\n      replicas: %d\n",
		    ts.restart == RESTART_NEVER ? "no" :
		    ts.restart == RESTART_ON_FAILURE ? "on-failure" : "always",
		    x->counts[i]);
	ms = ts.timeout_ms >= 0 ? ts.timeout_ms : 10000;
	if (ms % 1000 == 0)
		strbuf_addf(sb, "    stop_grace_period: \"%ds\"\n", ms / 1000);
	else
		strbuf_addf(sb, "    stop_grace_period: \"%dms\"\n", ms);
	strbuf_addf(sb, "    stop_signal: \"%s\"\n", signal_name(
	    ts.stop_signal > 0 ? ts.stop_signal : SIGTERM));
	strbuf_addf(sb, "    labels:\n      formation.release: \"v%d\"\n",
	    x->rel->version);
	return 0;
}

int
compose_file(const struct kube_export *x, struct strbuf *sb, char **err)
{
	struct env env;
	size_t i;
	int rc = 0;

	*err = NULL;
	env_init(&env);
	kube_env(x->rel, &env);
	strbuf_addf(sb, "# formation release v%d; one-offs: docker-compose "
	    "run --rm TYPE COMMAND\nservices:\n", x->rel->version);
	for (i = 0; i < x->rel->nprocs && rc == 0; i++)
		rc = compose_service(x, i, &env, sb, err);
	env_release(&env);
	return rc;
}
