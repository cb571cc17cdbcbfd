/*
 * formation releases diff vA vB and formation releases show vN: what
 * differs between two releases, and what one holds, a line each. The
 * values of the environment are secrets: they are shown only with
 * --values. Both read the history from the daemon, or from the files
 * when none is up (cli/history.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/history.h"
#include "common/json.h"
#include "common/reldiff.h"

static const char diff_usage[] = "releases diff [--values] vA vB";
static const char show_usage[] = "releases show [--values] vN";

/* --values, then the versions; the number of versions, or -1. */
static int
show_parse(int argc, char **argv, int *values, int *v, int want)
{
	static const struct option longopts[] = {
		{ "values", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, i;

	*values = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'V')
			return -1;
		*values = 1;
	}
	if (argc - optind != want)
		return -1;
	for (i = 0; i < want; i++) {
		if ((v[i] = history_version(argv[optind + i])) == -1)
			return -2;
	}
	return want;
}

/* A value on one line, quoted as JSON quotes it. */
static void
show_quoted(struct strbuf *sb, const char *s)
{
	json_str(sb, s);
}

struct diff_out {
	struct strbuf	 sb;
	int		 values;
	size_t		 n;
};

static void
diff_item(const struct reldiff_item *it, void *arg)
{
	static const char *const hows[] = { "added", "removed", "changed" };
	struct diff_out *o = arg;
	struct strbuf *sb = &o->sb;

	o->n++;
	switch (it->kind) {
	case RELDIFF_CODE:
		strbuf_addf(sb, "code: %s\n", it->to);
		return;
	case RELDIFF_ROOT:
		strbuf_addstr(sb, "root: ");
		show_quoted(sb, it->from != NULL ? it->from : "");
		strbuf_addstr(sb, " -> ");
		show_quoted(sb, it->to != NULL ? it->to : "");
		strbuf_addch(sb, '\n');
		return;
	case RELDIFF_PROC:
		strbuf_addf(sb, "process %s: %s", it->name, hows[it->how]);
		break;
	case RELDIFF_SETTING:
		strbuf_addf(sb, "setting %s %s: %s", it->name, it->key,
		    hows[it->how]);
		break;
	case RELDIFF_ENV:
		strbuf_addf(sb, "env %s: %s", it->name, hows[it->how]);
		if (!o->values) {
			strbuf_addch(sb, '\n');
			return;
		}
		break;
	}
	strbuf_addstr(sb, ": ");
	if (it->from != NULL)
		show_quoted(sb, it->from);
	if (it->from != NULL && it->to != NULL)
		strbuf_addstr(sb, " -> ");
	if (it->to != NULL)
		show_quoted(sb, it->to);
	strbuf_addch(sb, '\n');
}

int
releases_diff(int argc, char **argv)
{
	struct release a, b;
	struct history h;
	struct diff_out o;
	int v[2], values, cur, rc = EXIT_FAILED;

	if ((rc = show_parse(argc, argv, &values, v, 2)) < 0)
		return rc == -1 ? cli_usage(diff_usage) : EXIT_USAGE;
	if (history_open(&h) == -1)
		return EXIT_FAILED;
	release_init(&a);
	release_init(&b);
	rc = EXIT_FAILED;
	if (history_release(&h, v[0], &a, &cur) == 0 &&
	    history_release(&h, v[1], &b, &cur) == 0) {
		memset(&o, 0, sizeof o);
		strbuf_init(&o.sb, 0);
		o.values = values;
		reldiff(&a, &b, diff_item, &o);
		if (o.n == 0)
			printf("v%d and v%d have the same content\n", v[0],
			    v[1]);
		fwrite(o.sb.buf, 1, o.sb.len, stdout);
		strbuf_release(&o.sb);
		rc = EXIT_OK;
	}
	release_release(&a);
	release_release(&b);
	history_close(&h);
	return rc;
}

static void
show_release(const struct release *r, int current, int values)
{
	struct strbuf sb = STRBUF_INIT;
	const struct env_var *e;
	char when[32];
	struct tm tm;
	time_t t = r->created_at;
	size_t i, j;

	localtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
	strbuf_addf(&sb, "version: v%d%s\ncreated: %s\n", r->version,
	    current ? " (current)" : "", when);
	if (r->reason != NULL)
		strbuf_addf(&sb, "reason: %s\n", r->reason);
	if (r->summary != NULL)
		strbuf_addf(&sb, "summary: %s\n", r->summary);
	if (r->status != RELEASE_OK)
		strbuf_addf(&sb, "status: release phase %s\n",
		    r->status == RELEASE_FAILED ? "failed" : "not done");
	if (r->code.commit == NULL)
		strbuf_addstr(&sb, "code: none\n");
	else if (r->code.diff == NULL)
		strbuf_addf(&sb, "code: %s\n", r->code.commit);
	else
		strbuf_addf(&sb, "code: %s+dirty (difference %s)\n",
		    r->code.commit, r->code.diff);
	strbuf_addstr(&sb, "root: ");
	show_quoted(&sb, r->root != NULL ? r->root : "");
	strbuf_addf(&sb, "\nhash: %s\n", r->hash);
	for (i = 0; i < r->nprocs; i++) {
		strbuf_addf(&sb, "process %s: ", r->procs[i].name);
		show_quoted(&sb, r->procs[i].command);
		strbuf_addf(&sb, " (%s)\n", r->procs[i].origin);
		for (j = 0; j < r->procs[i].settings.n; j++) {
			e = &r->procs[i].settings.vars[j];
			strbuf_addf(&sb, "setting %s %s: %s\n",
			    r->procs[i].name, e->key, e->value);
		}
	}
	for (i = 0; i < r->env.n; i++) {
		e = &r->env.vars[i];
		strbuf_addf(&sb, "env %s: ", e->key);
		if (values) {
			show_quoted(&sb, e->value);
			strbuf_addf(&sb, " (%s)\n", e->origin);
		} else
			strbuf_addf(&sb, "%s\n", e->origin);
	}
	fwrite(sb.buf, 1, sb.len, stdout);
	strbuf_release(&sb);
}

int
releases_show(int argc, char **argv)
{
	struct release r;
	struct history h;
	int v, values, current, rc;

	if ((rc = show_parse(argc, argv, &values, &v, 1)) < 0)
		return rc == -1 ? cli_usage(show_usage) : EXIT_USAGE;
	if (history_open(&h) == -1)
		return EXIT_FAILED;
	release_init(&r);
	rc = EXIT_FAILED;
	if (history_release(&h, v, &r, &current) == 0) {
		show_release(&r, current, values);
		rc = EXIT_OK;
	}
	release_release(&r);
	history_close(&h);
	return rc;
}
