/*
 * The output of formation check: diagnostics on stderr, a summary a new
 * user can read on stdout, or one JSON document with --json (the shape is
 * in formation(1)).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/check.h"
#include "common/json.h"
#include "common/strbuf.h"

/* Names longer than this do not widen the name column. */
#define CHECK_NAME_COLUMN	24
#define CHECK_WIDTH		78

void
check_print_diags(const struct check_result *r)
{
	const struct diag *d;
	size_t i;

	for (i = 0; i < r->ndiags; i++) {
		d = r->diags[i].diag;
		fprintf(stderr, "formation: %s%s", r->diags[i].error ? "" :
		    "warning: ", d->file);
		if (d->line > 0)
			fprintf(stderr, ":%d", d->line);
		fprintf(stderr, ": %s\n", d->message);
	}
}

static void
check_print_procs(const struct release *rel, const char *label)
{
	size_t i, len, width = 0;

	for (i = 0; i < rel->nprocs; i++) {
		len = strlen(rel->procs[i].name);
		if (len > width && len <= CHECK_NAME_COLUMN)
			width = len;
	}
	printf("%s: %zu process type%s\n", label, rel->nprocs,
	    rel->nprocs == 1 ? "" : "s");
	for (i = 0; i < rel->nprocs; i++)
		printf("  %-*s  %s\n", (int)width, rel->procs[i].name,
		    rel->procs[i].command);
}

/* The keys, as many to a line as fit. */
static void
check_print_keys(const struct env *e)
{
	size_t i, len, col = 0;

	for (i = 0; i < e->n; i++) {
		len = strlen(e->vars[i].key);
		if (col > 0 && col + 2 + len > CHECK_WIDTH) {
			putchar('\n');
			col = 0;
		}
		printf("  %s", e->vars[i].key);
		col += 2 + len;
	}
	if (col > 0)
		putchar('\n');
}

/* Keys of the env files that the inherited environment overrides. */
static void
check_print_overridden(const struct release *rel)
{
	const struct env_var *v;
	size_t i, n = 0;

	for (i = 0; i < rel->file_env.n; i++) {
		v = env_find(&rel->env, rel->file_env.vars[i].key);
		if (v == NULL || strcmp(v->origin, "inherited") != 0)
			continue;
		if (n++ == 0)
			printf("  overridden by the environment:");
		printf(" %s", v->key);
	}
	if (n > 0)
		putchar('\n');
}

/* The env files that were read, comma-separated, or "" for none. */
static void
check_env_files(const struct check_result *r, struct strbuf *sb)
{
	const struct settings *s = r->settings;
	size_t i;

	for (i = 0; i < s->nenv_files; i++) {
		if (access(s->env_files[i], F_OK) != 0)
			continue;
		if (sb->len > 0)
			strbuf_addstr(sb, ", ");
		strbuf_addstr(sb, check_label(s, s->env_files[i]));
	}
}

static void
check_print_env(const struct check_result *r)
{
	const struct settings *s = r->settings;
	const struct env *fe = &r->release->file_env;
	struct strbuf files = STRBUF_INIT;

	check_env_files(r, &files);
	if (files.len > 0)
		printf("env: %zu key%s from %s\n", fe->n, fe->n == 1 ? "" :
		    "s", files.buf);
	else if (s->nenv_files == 1)
		printf("env: no env file (%s not found)\n",
		    check_label(s, s->env_files[0]));
	else
		printf("env: no env file\n");
	strbuf_release(&files);
	check_print_keys(fe);
	check_print_overridden(r->release);
}

/* One count that was set, and where. */
static void
check_print_count(const struct settings *s, int line, const char *name,
    int count)
{
	if (line > 0)
		printf("  %s:%d  %s = %d\n", check_scale_origin(s, line), line,
		    name, count);
	else
		printf("  %s  %s=%d\n", check_scale_origin(s, line), name,
		    count);
}

/*
 * The count of each type as up would run it, then where each count set
 * came from ("formation.ini:2  web = 2"), or that none was. The release
 * phase is not scaled.
 */
static void
check_print_scale(const struct check_result *r)
{
	const struct settings *s = r->settings;
	const struct formspec *fs = &s->scale;
	const char *name;
	size_t i, total = 0;
	int n;

	printf("scale:");
	for (i = 0; i < r->release->nprocs; i++) {
		name = r->release->procs[i].name;
		if (strcmp(name, RELEASE_PHASE_TYPE) == 0)
			continue;
		n = formspec_count(fs, name);
		total += (size_t)n;
		printf(" %s=%d", name, n);
	}
	printf(" (%zu process%s)\n", total, total == 1 ? "" : "es");
	if (fs->n == 0 && fs->all == -1)
		printf("  1 of each type: no [scale] in %s\n",
		    check_label(s, s->config_file));
	for (i = 0; i < fs->n; i++)
		check_print_count(s, fs->entries[i].line,
		    fs->entries[i].name, fs->entries[i].count);
	if (fs->all != -1)
		check_print_count(s, fs->all_line, "all", fs->all);
}

void
check_print_text(const struct check_result *r)
{
	const struct settings *s = r->settings;

	if (r->release == NULL)
		return;
	printf("app root: %s\n", s->root);
	if (s->config_file != NULL && access(s->config_file, F_OK) == 0)
		printf("settings: %s\n", check_label(s, s->config_file));
	check_print_procs(r->release, check_label(s, s->procfile));
	check_print_scale(r);
	check_print_env(r);
}

static void
check_json_diag(struct strbuf *sb, const struct diag *d)
{
	strbuf_addstr(sb, "{\"file\":");
	json_str(sb, d->file);
	strbuf_addf(sb, ",\"line\":%d,\"message\":", d->line);
	json_str(sb, d->message);
	strbuf_addch(sb, '}');
}

/* "NAME":[...] holding the diagnostics that are errors (or are not). */
static void
check_json_diags(struct strbuf *sb, const struct check_result *r,
    const char *name, int errors)
{
	size_t i, n = 0;

	strbuf_addf(sb, "\"%s\":[", name);
	for (i = 0; i < r->ndiags; i++) {
		if (r->diags[i].error != errors)
			continue;
		if (n++ > 0)
			strbuf_addch(sb, ',');
		check_json_diag(sb, r->diags[i].diag);
	}
	strbuf_addch(sb, ']');
}

static void
check_json_release(struct strbuf *sb, const struct release *rel,
    const struct formspec *scale)
{
	size_t i, n;

	strbuf_addstr(sb, "\"processes\":[");
	for (i = 0; i < rel->nprocs; i++) {
		strbuf_addstr(sb, i > 0 ? ",{\"name\":" : "{\"name\":");
		json_str(sb, rel->procs[i].name);
		strbuf_addstr(sb, ",\"command\":");
		json_str(sb, rel->procs[i].command);
		strbuf_addch(sb, '}');
	}
	strbuf_addstr(sb, "],\"scale\":{");
	for (i = 0, n = 0; i < rel->nprocs; i++) {
		if (strcmp(rel->procs[i].name, RELEASE_PHASE_TYPE) == 0)
			continue;
		if (n++ > 0)
			strbuf_addch(sb, ',');
		json_str(sb, rel->procs[i].name);
		strbuf_addf(sb, ":%d", formspec_count(scale,
		    rel->procs[i].name));
	}
	strbuf_addstr(sb, "},\"env\":{");
	for (i = 0; i < rel->file_env.n; i++) {
		if (i > 0)
			strbuf_addch(sb, ',');
		json_str(sb, rel->file_env.vars[i].key);
		strbuf_addch(sb, ':');
		json_str(sb, rel->file_env.vars[i].value);
	}
	strbuf_addstr(sb, "},");
}

void
check_print_json(const struct check_result *r)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addch(&sb, '{');
	if (r->nerrors > 0) {
		check_json_diags(&sb, r, "errors", 1);
		strbuf_addch(&sb, ',');
	} else
		check_json_release(&sb, r->release, &r->settings->scale);
	check_json_diags(&sb, r, "warnings", 0);
	strbuf_addstr(&sb, "}\n");
	fwrite(sb.buf, 1, sb.len, stdout);
	strbuf_release(&sb);
}
