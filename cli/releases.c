/*
 * formation reload, releases and rollback: the release history and the
 * moves along it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/client.h"
#include "cli/history.h"
#include "common/code.h"
#include "common/json.h"
#include "common/store.h"
#include "common/util.h"
#include "common/xmalloc.h"

/* One release as the list shows it: from a record of MSG_RELEASES_REPLY
 * or from a release of the files; strings point into either. */
struct releases_row {
	uint32_t	  version, current, nprocs, nkeys;
	uint64_t	  created_at;
	const char	**names, **commands, **keys;
	const char	 *code, *reason, *summary, *status;
	char		  codebuf[CODE_ID_MAX];
};

static void
releases_free(struct releases_row *rows, uint32_t n)
{
	uint32_t i;

	for (i = 0; rows != NULL && i < n; i++) {
		free(rows[i].names);
		free(rows[i].commands);
		free(rows[i].keys);
	}
	free(rows);
}

static int
releases_decode_row(struct msg *m, struct releases_row *r)
{
	uint32_t i;

	if (msg_get_u32(m, &r->version) == -1 ||
	    msg_get_u64(m, &r->created_at) == -1 ||
	    msg_get_u32(m, &r->current) == -1 ||
	    msg_get_u32(m, &r->nprocs) == -1 || r->nprocs > m->len)
		return -1;
	r->names = xcalloc(r->nprocs + 1, sizeof *r->names);
	r->commands = xcalloc(r->nprocs + 1, sizeof *r->commands);
	for (i = 0; i < r->nprocs; i++) {
		if (msg_get_str(m, &r->names[i]) == -1 ||
		    msg_get_str(m, &r->commands[i]) == -1)
			return -1;
	}
	if (msg_get_u32(m, &r->nkeys) == -1 || r->nkeys > m->len)
		return -1;
	r->keys = xcalloc(r->nkeys + 1, sizeof *r->keys);
	for (i = 0; i < r->nkeys; i++) {
		if (msg_get_str(m, &r->keys[i]) == -1)
			return -1;
	}
	return msg_get_str(m, &r->code) == -1 ||
	    msg_get_str(m, &r->reason) == -1 ||
	    msg_get_str(m, &r->summary) == -1 ||
	    msg_get_str(m, &r->status) == -1 ? -1 : 0;
}

/* The whole reply decodes, or none of it is used. */
static int
releases_decode(struct msg *m, struct releases_row **rows, uint32_t *n)
{
	uint32_t i;

	*rows = NULL;
	if (msg_get_u32(m, n) == -1 || *n > m->len)
		return -1;
	*rows = xcalloc(*n + 1, sizeof **rows);
	for (i = 0; i < *n; i++) {
		if (releases_decode_row(m, &(*rows)[i]) == -1)
			return -1;
	}
	return msg_end(m);
}

/* The same rows from the files, with no daemon. */
static void
releases_from_store(struct releases_row **rows, uint32_t *n)
{
	struct releases_row *row;
	const struct release *r;
	struct rel *rel;
	uint32_t i, j;

	*n = (uint32_t)store_count();
	*rows = xcalloc(*n + 1, sizeof **rows);
	for (i = 0; i < *n; i++) {
		rel = store_get(i);
		r = &rel->release;
		row = &(*rows)[i];
		row->version = (uint32_t)r->version;
		row->created_at = (uint64_t)r->created_at;
		row->current = rel == store_current();
		row->nprocs = (uint32_t)r->nprocs;
		row->names = xcalloc(r->nprocs + 1, sizeof *row->names);
		row->commands = xcalloc(r->nprocs + 1, sizeof *row->commands);
		for (j = 0; j < row->nprocs; j++) {
			row->names[j] = r->procs[j].name;
			row->commands[j] = r->procs[j].command;
		}
		row->nkeys = (uint32_t)r->file_env.n;
		row->keys = xcalloc(r->file_env.n + 1, sizeof *row->keys);
		for (j = 0; j < row->nkeys; j++)
			row->keys[j] = r->file_env.vars[j].key;
		code_id(&r->code, 0, row->codebuf);
		row->code = row->codebuf;
		row->reason = r->reason != NULL ? r->reason : "";
		row->summary = r->summary != NULL ? r->summary : "";
		row->status = release_status_name(r->status);
	}
}

/* "web, worker" for row r, in names (reset first). */
static void
releases_names(struct strbuf *names, const struct releases_row *r)
{
	uint32_t j;

	strbuf_reset(names);
	for (j = 0; j < r->nprocs; j++)
		strbuf_addf(names, "%s%s", j > 0 ? ", " : "", r->names[j]);
}

/* "reload: DEBUG changed", or what there is of it. */
static void
releases_description(struct strbuf *sb, const struct releases_row *r)
{
	strbuf_reset(sb);
	strbuf_addstr(sb, r->reason);
	if (*r->reason != '\0' && *r->summary != '\0')
		strbuf_addstr(sb, ": ");
	strbuf_addstr(sb, r->summary);
	if (strcmp(r->status, "failed") == 0)
		strbuf_addstr(sb, " [failed]");
	else if (strcmp(r->status, "pending") == 0)
		strbuf_addstr(sb, " [release phase not done]");
}

static void
releases_print(const struct releases_row *rows, uint32_t n)
{
	struct strbuf names = STRBUF_INIT, desc = STRBUF_INIT;
	char when[32], version[16];
	struct tm tm;
	time_t t;
	uint32_t i;
	int w = 9;

	for (i = 0; i < n; i++) {
		releases_names(&names, &rows[i]);
		if ((int)names.len > w)
			w = (int)names.len;
	}
	printf("%-7s  %-19s  %-7s  %-13s  %-*s  %-8s  %s\n", "VERSION",
	    "CREATED", "CURRENT", "CODE", w, "PROCESSES", "ENV KEYS",
	    "DESCRIPTION");
	for (i = 0; i < n; i++) {
		t = (time_t)rows[i].created_at;
		localtime_r(&t, &tm);
		strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
		snprintf(version, sizeof version, "v%u", rows[i].version);
		releases_names(&names, &rows[i]);
		releases_description(&desc, &rows[i]);
		printf("%-7s  %-19s  %-7s  %-13s  %-*s  %-8u  %s\n", version,
		    when, rows[i].current ? "*" : "", rows[i].code, w,
		    names.buf, rows[i].nkeys, desc.buf);
	}
	strbuf_release(&names);
	strbuf_release(&desc);
}

/* A string, or null when it is empty ("none" for a code). */
static void
releases_json_opt(struct strbuf *sb, const char *key, const char *s,
    const char *none)
{
	strbuf_addf(sb, ", \"%s\": ", key);
	if (*s == '\0' || (none != NULL && strcmp(s, none) == 0))
		strbuf_addstr(sb, "null");
	else
		json_str(sb, s);
}

static void
releases_json_row(struct strbuf *sb, const struct releases_row *r)
{
	struct strbuf desc = STRBUF_INIT;
	char when[32];
	struct tm tm;
	time_t t = (time_t)r->created_at;
	uint32_t j;

	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	strbuf_addf(sb, "{\"version\": \"v%u\", \"created_at\": ", r->version);
	json_str(sb, when);
	strbuf_addf(sb, ", \"current\": %s", r->current ? "true" : "false");
	releases_json_opt(sb, "code", r->code, "none");
	releases_json_opt(sb, "reason", r->reason, NULL);
	releases_json_opt(sb, "summary", r->summary, NULL);
	strbuf_addstr(sb, ", \"status\": ");
	json_str(sb, r->status);
	releases_description(&desc, r);
	strbuf_addstr(sb, ", \"description\": ");
	json_str(sb, desc.buf);
	strbuf_addstr(sb, ", \"processes\": [");
	for (j = 0; j < r->nprocs; j++) {
		strbuf_addstr(sb, j > 0 ? ", {\"name\": " : "{\"name\": ");
		json_str(sb, r->names[j]);
		strbuf_addstr(sb, ", \"command\": ");
		json_str(sb, r->commands[j]);
		strbuf_addch(sb, '}');
	}
	strbuf_addstr(sb, "], \"env_keys\": [");
	for (j = 0; j < r->nkeys; j++) {
		if (j > 0)
			strbuf_addstr(sb, ", ");
		json_str(sb, r->keys[j]);
	}
	strbuf_addstr(sb, "]}");
	strbuf_release(&desc);
}

static void
releases_json(const struct releases_row *rows, uint32_t n)
{
	struct strbuf sb = STRBUF_INIT;
	uint32_t i;

	strbuf_addch(&sb, '[');
	for (i = 0; i < n; i++) {
		if (i > 0)
			strbuf_addstr(&sb, ", ");
		releases_json_row(&sb, &rows[i]);
	}
	strbuf_addstr(&sb, "]\n");
	fwrite(sb.buf, 1, sb.len, stdout);
	strbuf_release(&sb);
}

/* The rows, from the daemon or the files; -1 said. */
static int
releases_rows(struct history *h, struct releases_row **rows, uint32_t *n)
{
	struct strbuf sb = STRBUF_INIT;
	struct msg m;
	int rc = 0;

	*rows = NULL;
	*n = 0;
	if (!h->daemon) {
		releases_from_store(rows, n);
		return 0;
	}
	msg_new(&sb, MSG_RELEASES);
	if (client_send(&h->c, &sb, NULL, 0) == -1 ||
	    client_reply(&h->c, &m) == -1)
		rc = -1;
	else if (m.type == MSG_ERROR) {
		client_error(&m);
		rc = -1;
	} else if (m.type != MSG_RELEASES_REPLY ||
	    releases_decode(&m, rows, n) == -1) {
		client_protocol_error("bad releases reply");
		rc = -1;
	}
	strbuf_release(&sb);
	return rc;
}

static const char releases_usage[] = "releases [--json] | releases diff "
    "[--values] vA vB | releases show [--values] vN";

int
cmd_releases(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct releases_row *rows = NULL;
	struct history h;
	uint32_t n = 0;
	int ch, json = 0, rc = EXIT_OK;

	/* Named so in getopt's messages. */
	if (argc > 1 && strcmp(argv[1], "diff") == 0) {
		argv[1] = "formation: releases diff";
		return releases_diff(argc - 1, argv + 1);
	}
	if (argc > 1 && strcmp(argv[1], "show") == 0) {
		argv[1] = "formation: releases show";
		return releases_show(argc - 1, argv + 1);
	}
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch != 'j')
			return cli_usage(releases_usage);
		json = 1;
	}
	if (optind != argc)
		return cli_usage(releases_usage);
	if (history_open(&h) == -1)
		return EXIT_FAILED;
	if (releases_rows(&h, &rows, &n) == -1)
		rc = EXIT_FAILED;
	else if (json)
		releases_json(rows, n);
	else
		releases_print(rows, n);
	releases_free(rows, n);
	history_close(&h);
	return rc;
}

/*
 * The daemon's answer, one line at a time: warnings and errors to stderr
 * as "formation: ...", the outcome of a reload to stdout.
 */
static void
releases_lines(const char *text, int error)
{
	const char *nl;
	int len;

	for (; *text != '\0'; text = *nl != '\0' ? nl + 1 : nl) {
		nl = strchrnul(text, '\n');
		len = (int)(nl - text);
		if (error || strncmp(text, "warning: ", 9) == 0)
			fprintf(stderr, "formation: %.*s\n", len, text);
		else
			printf("%.*s\n", len, text);
	}
}

/* --no-release-phase (and --strict where strict) and --parallel N
 * (*parallel, else 0), then nargs arguments: their flags, or -1. */
static int
releases_phase_flag(int argc, char **argv, int nargs, int strict,
    int *parallel)
{
	static const struct option longopts[] = {
		{ "no-release-phase", no_argument, NULL, 'P' },
		{ "strict", no_argument, NULL, 's' },
		{ "parallel", required_argument, NULL, 'N' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, flags = 0;

	*parallel = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (ch == 'P')
			flags |= RELOAD_NO_RELEASE_PHASE;
		else if (ch == 's' && strict)
			flags |= RELOAD_STRICT;
		else if (ch == 'N' &&
		    (*parallel = number_parse(optarg, 10000)) >= 1)
			flags |= RELOAD_PARALLEL;
		else
			return -1;
	}
	return argc - optind == nargs ? flags : -1;
}

/* The flags, and N after them with --parallel. */
static void
releases_put_flags(struct strbuf *sb, int flags, int parallel)
{
	if (flags != 0)
		msg_put_u32(sb, (uint32_t)flags);
	if (flags & RELOAD_PARALLEL)
		msg_put_u32(sb, (uint32_t)parallel);
}

int
cmd_reload(int argc, char **argv)
{
	struct strbuf sb = STRBUF_INIT;
	const char *text;
	struct client c;
	struct msg m;
	uint32_t code;
	int flags, parallel, rc = EXIT_OK;

	if ((flags = releases_phase_flag(argc, argv, 0, 1, &parallel)) == -1)
		return cli_usage("reload [--no-release-phase] [--strict] "
		    "[--parallel N]");
	if (client_open(&c) == -1)
		return EXIT_FAILED;
	msg_new(&sb, MSG_RELOAD);
	releases_put_flags(&sb, flags, parallel);
	if (client_send(&c, &sb, NULL, 0) == -1 || client_reply(&c, &m) == -1)
		rc = EXIT_FAILED;
	else if (m.type == MSG_OK && msg_get_str(&m, &text) == 0 &&
	    msg_end(&m) == 0)
		releases_lines(text, 0);
	else if (m.type == MSG_ERROR && msg_get_u32(&m, &code) == 0 &&
	    msg_get_str(&m, &text) == 0 && msg_end(&m) == 0) {
		releases_lines(text, 1);
		rc = code == 0 ? EXIT_FAILED : (int)code;
	} else
		rc = client_protocol_error("bad reload reply");
	strbuf_release(&sb);
	client_close(&c);
	return rc;
}

int
cmd_rollback(int argc, char **argv)
{
	static const char usage[] =
	    "rollback [--no-release-phase] [--parallel N] vN";
	struct strbuf sb = STRBUF_INIT;
	struct client c;
	int flags, parallel, version, rc;

	if ((flags = releases_phase_flag(argc, argv, 1, 0, &parallel)) == -1)
		return cli_usage(usage);
	if ((version = history_version(argv[optind])) == -1)
		return EXIT_USAGE;
	if (client_open(&c) == -1)
		return EXIT_FAILED;
	msg_new(&sb, MSG_ROLLBACK);
	msg_put_u32(&sb, (uint32_t)version);
	releases_put_flags(&sb, flags, parallel);
	rc = client_simple(&c, &sb, 0);
	strbuf_release(&sb);
	client_close(&c);
	return rc;
}
