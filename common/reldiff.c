/*
 * The differences between two releases (common/reldiff.h).
 */
#include <string.h>

#include "common/reldiff.h"

#define RELDIFF_NAMES	3	/* keys named in a summary, per group */

static int
reldiff_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static void
reldiff_emit(reldiff_fn fn, void *arg, enum reldiff_kind kind,
    enum reldiff_how how, const char *name, const char *key,
    const char *from, const char *to)
{
	struct reldiff_item it;

	it.kind = kind;
	it.how = how;
	it.name = name;
	it.key = key;
	it.from = from;
	it.to = to;
	fn(&it, arg);
}

/* Key by key, in b's order, then what only a has, in a's. */
static void
reldiff_env(const struct env *a, const struct env *b, enum reldiff_kind kind,
    const char *name, reldiff_fn fn, void *arg)
{
	const struct env_var *v;
	const char *was, *key;
	size_t i;

	for (i = 0; i < b->n; i++) {
		v = &b->vars[i];
		key = kind == RELDIFF_SETTING ? v->key : NULL;
		if ((was = env_get(a, v->key)) == NULL)
			reldiff_emit(fn, arg, kind, RELDIFF_ADDED,
			    kind == RELDIFF_ENV ? v->key : name, key, NULL,
			    v->value);
		else if (strcmp(was, v->value) != 0)
			reldiff_emit(fn, arg, kind, RELDIFF_CHANGED,
			    kind == RELDIFF_ENV ? v->key : name, key, was,
			    v->value);
	}
	for (i = 0; i < a->n; i++) {
		v = &a->vars[i];
		if (env_find(b, v->key) == NULL)
			reldiff_emit(fn, arg, kind, RELDIFF_REMOVED,
			    kind == RELDIFF_ENV ? v->key : name,
			    kind == RELDIFF_SETTING ? v->key : NULL, v->value,
			    NULL);
	}
}

static void
reldiff_procs(const struct release *a, const struct release *b,
    reldiff_fn fn, void *arg)
{
	const struct release_proc *p, *was;
	size_t i;

	for (i = 0; i < b->nprocs; i++) {
		p = &b->procs[i];
		if ((was = release_find(a, p->name)) == NULL)
			reldiff_emit(fn, arg, RELDIFF_PROC, RELDIFF_ADDED,
			    p->name, NULL, NULL, p->command);
		else if (strcmp(was->command, p->command) != 0)
			reldiff_emit(fn, arg, RELDIFF_PROC, RELDIFF_CHANGED,
			    p->name, NULL, was->command, p->command);
	}
	for (i = 0; i < a->nprocs; i++) {
		p = &a->procs[i];
		if (release_find(b, p->name) == NULL)
			reldiff_emit(fn, arg, RELDIFF_PROC, RELDIFF_REMOVED,
			    p->name, NULL, p->command, NULL);
	}
}

void
reldiff(const struct release *a, const struct release *b, reldiff_fn fn,
    void *arg)
{
	char change[CODE_CHANGE_MAX];
	const struct release_proc *p, *was;
	size_t i;

	if (!code_equal(&a->code, &b->code)) {
		code_change(&a->code, &b->code, change);
		reldiff_emit(fn, arg, RELDIFF_CODE, RELDIFF_CHANGED, "code",
		    NULL, NULL, change);
	}
	reldiff_procs(a, b, fn, arg);
	for (i = 0; i < b->nprocs; i++) {
		p = &b->procs[i];
		if ((was = release_find(a, p->name)) != NULL &&
		    was->settings.n > 0 && p->settings.n > 0)
			reldiff_env(&was->settings, &p->settings,
			    RELDIFF_SETTING, p->name, fn, arg);
	}
	reldiff_env(&a->env, &b->env, RELDIFF_ENV, NULL, fn, arg);
	if (!reldiff_same(a->root, b->root))
		reldiff_emit(fn, arg, RELDIFF_ROOT, RELDIFF_CHANGED, "root",
		    NULL, a->root, b->root);
}

/* A summary as it is made: the parts, and the keys of each env group. */
struct reldiff_sum {
	struct strbuf	*out;
	struct strbuf	 keys[3];	/* by enum reldiff_how */
	size_t		 nkeys[3];
	struct strbuf	 rest;		/* code, types, settings, root */
};

static struct strbuf *
reldiff_next(struct strbuf *sb)
{
	if (sb->len > 0)
		strbuf_addstr(sb, "; ");
	return sb;
}

static void
reldiff_sum_item(const struct reldiff_item *it, void *arg)
{
	static const char *const hows[] = { "added", "removed", "changed" };
	struct reldiff_sum *s = arg;
	struct strbuf *k;

	switch (it->kind) {
	case RELDIFF_ENV:
		k = &s->keys[it->how];
		if (s->nkeys[it->how]++ < RELDIFF_NAMES)
			strbuf_addf(k, "%s%s", k->len > 0 ? ", " : "",
			    it->name);
		break;
	case RELDIFF_CODE:
		strbuf_addf(reldiff_next(&s->rest), "code %s", it->to);
		break;
	case RELDIFF_PROC:
		strbuf_addf(reldiff_next(&s->rest), "%s %s", it->name,
		    it->how == RELDIFF_CHANGED ? "command changed" :
		    hows[it->how]);
		break;
	case RELDIFF_SETTING:
		/* "worker tty false -> true": settings are no secrets */
		strbuf_addf(reldiff_next(&s->rest), "%s %s %s%s%s", it->name,
		    it->key, it->from != NULL ? it->from : "unset",
		    it->to != NULL ? " -> " : " removed",
		    it->to != NULL ? it->to : "");
		break;
	case RELDIFF_ROOT:
		strbuf_addf(reldiff_next(&s->rest), "root %s -> %s",
		    it->from != NULL ? it->from : "",
		    it->to != NULL ? it->to : "");
		break;
	}
}

void
reldiff_summary(const struct release *a, const struct release *b,
    struct strbuf *out)
{
	static const char *const hows[] = { "added", "removed", "changed" };
	static const int order[] = { RELDIFF_CHANGED, RELDIFF_ADDED,
	    RELDIFF_REMOVED };
	struct reldiff_sum s;
	size_t i, before = out->len;
	int h;

	if (a == NULL) {
		strbuf_addstr(out, "first release");
		return;
	}
	memset(&s, 0, sizeof s);
	for (i = 0; i < 3; i++)
		strbuf_init(&s.keys[i], 0);
	strbuf_init(&s.rest, 0);
	reldiff(a, b, reldiff_sum_item, &s);
	for (i = 0; i < 3; i++) {
		h = order[i];
		if (s.nkeys[h] == 0)
			continue;
		if (out->len > before)
			strbuf_addstr(out, "; ");
		strbuf_add(out, s.keys[h].buf, s.keys[h].len);
		if (s.nkeys[h] > RELDIFF_NAMES)
			strbuf_addf(out, " and %zu more",
			    s.nkeys[h] - RELDIFF_NAMES);
		strbuf_addf(out, " %s", hows[h]);
	}
	if (s.rest.len > 0) {
		if (out->len > before)
			strbuf_addstr(out, "; ");
		strbuf_add(out, s.rest.buf, s.rest.len);
	}
	if (out->len == before)
		strbuf_addstr(out, "same content");
	for (i = 0; i < 3; i++)
		strbuf_release(&s.keys[i]);
	strbuf_release(&s.rest);
}
