/*
 * The environment of a process (procenv.h).
 */
#include <stdio.h>
#include <string.h>

#include "common/env.h"
#include "common/procenv.h"
#include "common/release.h"
#include "common/strbuf.h"

#define PROCENV_NAME_FIRST \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_"
#define PROCENV_NAME PROCENV_NAME_FIRST "0123456789"

int
procenv_activation(const char *s)
{
	static const char *const names[] = {
		"LISTEN_FDS", "LISTEN_FDNAMES", "LISTEN_PID",
		"SERVER_STARTER_PORT",
	};
	size_t len = strcspn(s, "="), i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strlen(names[i]) == len && strncmp(s, names[i], len) == 0)
			return 1;
	}
	return strncmp(s, "EINHORN_FD", 10) == 0;
}

/* A process with no sockets would take an env file's LISTEN_FDS for
 * fds that it does not have (the daemon's own are left out already:
 * release_session_var()). */
static void
procenv_drop_activation(struct env *env)
{
	size_t i;

	for (i = env->n; i > 0; i--) {
		if (procenv_activation(env->vars[i - 1].key))
			env_unset(env, env->vars[i - 1].key);
	}
}

/*
 * PWD is the app root, where the process runs: a shell would keep it, so
 * a command that runs without one sees the same as one that runs with
 * one. (The shell would also keep another name for the same directory;
 * finding out would take a stat, which a hung mount could block.)
 */
char **
procenv_build(const struct release *r, const struct procenv *pe)
{
	char buf[32], **envp, *const *kv;
	const char *pwd, *term;
	struct env env;
	char key[256];
	size_t klen;

	env_init(&env);
	env_copy(&env, &r->env);
	procenv_drop_activation(&env);
	env_set(&env, "PS", pe->name, NULL);
	release_add_env(r, &env);
	if (pe->port > 0) {
		snprintf(buf, sizeof buf, "%d", pe->port);
		env_set(&env, "PORT", buf, NULL);
	}
	if ((term = release_term(r, pe->pty, pe->term)) != NULL)
		env_set(&env, "TERM", term, NULL);
	pwd = env_get(&env, "PWD");
	if (pwd == NULL || strcmp(pwd, r->root) != 0)
		env_set(&env, "PWD", r->root, NULL);
	for (kv = pe->added; kv != NULL && *kv != NULL; kv++) {
		klen = strcspn(*kv, "=");
		if (klen >= sizeof key || (*kv)[klen] != '=')
			continue;	/* procenv_valid() said no */
		memcpy(key, *kv, klen);
		key[klen] = '\0';
		env_set(&env, key, *kv + klen + 1, "added");
	}
	envp = env_to_envp(&env);
	env_release(&env);
	return envp;
}

int
procenv_valid(const char *kv)
{
	size_t n = strspn(kv, PROCENV_NAME);

	return n > 0 && n < 256 && strchr(PROCENV_NAME_FIRST, kv[0]) != NULL &&
	    kv[n] == '=';
}

void
procenv_keys(struct strbuf *sb, char *const *added)
{
	char *const *kv;

	for (kv = added; kv != NULL && *kv != NULL; kv++)
		strbuf_addf(sb, "%s%.*s", kv == added ? "" : ", ",
		    (int)strcspn(*kv, "="), *kv);
}
