#include <stdlib.h>
#include <string.h>

#include "common/env.h"
#include "common/xmalloc.h"

void
env_init(struct env *e)
{
	e->vars = NULL;
	e->n = e->alloc = 0;
}

void
env_release(struct env *e)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		free(e->vars[i].key);
		free(e->vars[i].value);
		free(e->vars[i].origin);
	}
	free(e->vars);
	env_init(e);
}

void
env_copy(struct env *dst, const struct env *src)
{
	size_t i;

	for (i = 0; i < src->n; i++)
		env_set(dst, src->vars[i].key, src->vars[i].value,
		    src->vars[i].origin);
}

struct env_var *
env_find(const struct env *e, const char *key)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		if (strcmp(e->vars[i].key, key) == 0)
			return &e->vars[i];
	}
	return NULL;
}

const char *
env_get(const struct env *e, const char *key)
{
	struct env_var *v;

	v = env_find(e, key);
	return v == NULL ? NULL : v->value;
}

void
env_set(struct env *e, const char *key, const char *value, const char *origin)
{
	struct env_var *v;

	if (origin == NULL)
		origin = "";
	if ((v = env_find(e, key)) != NULL) {
		free(v->value);
		free(v->origin);
		v->value = xstrdup(value);
		v->origin = xstrdup(origin);
		return;
	}
	ALLOC_GROW(e->vars, e->n + 1, e->alloc);
	v = &e->vars[e->n++];
	v->key = xstrdup(key);
	v->value = xstrdup(value);
	v->origin = xstrdup(origin);
}

void
env_unset(struct env *e, const char *key)
{
	struct env_var *v;
	size_t i;

	if ((v = env_find(e, key)) == NULL)
		return;
	i = (size_t)(v - e->vars);
	free(v->key);
	free(v->value);
	free(v->origin);
	memmove(v, v + 1, (e->n - i - 1) * sizeof *v);
	e->n--;
}

void
env_add_environ(struct env *e, char *const *envp)
{
	const char *eq;
	char *key;

	for (; envp != NULL && *envp != NULL; envp++) {
		if ((eq = strchr(*envp, '=')) == NULL || eq == *envp)
			continue;
		key = xstrndup(*envp, (size_t)(eq - *envp));
		env_set(e, key, eq + 1, "inherited");
		free(key);
	}
}

char **
env_to_envp(const struct env *e)
{
	char **envp;
	size_t i;

	envp = xcalloc(e->n + 1, sizeof *envp);
	for (i = 0; i < e->n; i++)
		xasprintf(&envp[i], "%s=%s", e->vars[i].key,
		    e->vars[i].value);
	return envp;
}

int
env_equal(const struct env *a, const struct env *b)
{
	size_t i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++) {
		if (strcmp(a->vars[i].key, b->vars[i].key) != 0 ||
		    strcmp(a->vars[i].value, b->vars[i].value) != 0)
			return 0;
	}
	return 1;
}
