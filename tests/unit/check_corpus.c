/*
 * The parser corpus (tests/corpus/): every case of procfile_cases.tsv and
 * envfile_cases.tsv is a test of its own, run against the real parsers.
 * A case added to a file is a new test, with no change here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/diag.h"
#include "common/env.h"
#include "common/envfile.h"
#include "common/procfile.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "tests/unit/unit.h"

/*
 * One case: its input file's bytes and what the parser must give, either
 * an error at error_line or exactly the pairs, in that order. bad
 * says why the case itself could not be read.
 */
struct corpus_pair {
	char	*key;
	char	*value;
};

struct corpus_case {
	char			*id;
	int			 at;
	struct strbuf		 input;
	int			 error_line;
	struct corpus_pair	*pairs;
	size_t			 n, alloc;
	char			*bad;
};

enum corpus_section {
	CORPUS_NONE,
	CORPUS_INPUT,
	CORPUS_EXPECT,
	CORPUS_SOURCES
};

struct corpus {
	const char		*path;
	int			 error;
	struct corpus_case	*cases;
	size_t			 n, alloc;
	enum corpus_section	 section;
};

static struct corpus corpus_procfile = {
	.path = "tests/corpus/procfile_cases.tsv"
};
static struct corpus corpus_envfile = {
	.path = "tests/corpus/envfile_cases.tsv"
};

static int
corpus_hex4(const char *s, size_t n, size_t i, unsigned *u)
{
	size_t j;
	int c;

	*u = 0;
	if (i + 4 > n)
		return -1;
	for (j = i; j < i + 4; j++) {
		c = (unsigned char)s[j];
		if (c >= '0' && c <= '9')
			*u = *u * 16 + (unsigned)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			*u = *u * 16 + (unsigned)((c | 0x20) - 'a' + 10);
		else
			return -1;
	}
	return 0;
}

static void
corpus_utf8(struct strbuf *sb, unsigned u)
{
	if (u < 0x80)
		strbuf_addch(sb, (int)u);
	else if (u < 0x800) {
		strbuf_addch(sb, (int)(0xc0 | u >> 6));
		strbuf_addch(sb, (int)(0x80 | (u & 0x3f)));
	} else if (u < 0x10000) {
		strbuf_addch(sb, (int)(0xe0 | u >> 12));
		strbuf_addch(sb, (int)(0x80 | (u >> 6 & 0x3f)));
		strbuf_addch(sb, (int)(0x80 | (u & 0x3f)));
	} else {
		strbuf_addch(sb, (int)(0xf0 | u >> 18));
		strbuf_addch(sb, (int)(0x80 | (u >> 12 & 0x3f)));
		strbuf_addch(sb, (int)(0x80 | (u >> 6 & 0x3f)));
		strbuf_addch(sb, (int)(0x80 | (u & 0x3f)));
	}
}

/* \uXXXX at s[i] (the 'u'), with a surrogate pair; i ends on the last. */
static int
corpus_json_u(const char *s, size_t n, size_t *i, struct strbuf *sb)
{
	unsigned u, lo;

	if (corpus_hex4(s, n, *i + 1, &u) == -1 || u == 0)
		return -1;
	*i += 4;
	if (u >= 0xdc00 && u <= 0xdfff)
		return -1;
	if (u >= 0xd800 && u <= 0xdbff) {
		if (*i + 2 >= n || s[*i + 1] != '\\' || s[*i + 2] != 'u' ||
		    corpus_hex4(s, n, *i + 3, &lo) == -1 ||
		    lo < 0xdc00 || lo > 0xdfff)
			return -1;
		u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
		*i += 6;
	}
	corpus_utf8(sb, u);
	return 0;
}

/* A JSON string (quotes included) to its bytes; NULL if it is not one. */
static char *
corpus_json(const char *s, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
	size_t i;

	if (n < 2 || s[0] != '"' || s[n - 1] != '"')
		return NULL;
	for (i = 1; i < n - 1; i++) {
		if (s[i] == '"' || (unsigned char)s[i] < 0x20)
			goto bad;
		if (s[i] != '\\') {
			strbuf_addch(&sb, s[i]);
			continue;
		}
		if (++i == n - 1)
			goto bad;
		if (s[i] == 'u') {
			if (corpus_json_u(s, n - 1, &i, &sb) == -1)
				goto bad;
		} else if (strchr(from, s[i]) != NULL)
			strbuf_addch(&sb, to[strchr(from, s[i]) - from]);
		else
			goto bad;
	}
	return strbuf_detach(&sb, NULL);
bad:
	strbuf_release(&sb);
	return NULL;
}

static void
corpus_bad(struct corpus_case *cc, const char *what, const char *line)
{
	if (cc->bad == NULL)
		xasprintf(&cc->bad, "line %d: %s: '%s'", cc->at, what, line);
}

/* One expectation: "ERROR line N" or KEY=<JSON string>. */
static void
corpus_expect(struct corpus_case *cc, const char *line)
{
	const char *eq;
	char *end, *value;
	long n;

	if (*line == '\0')
		return;
	if (strncmp(line, "ERROR line ", 11) == 0) {
		errno = 0;
		n = strtol(line + 11, &end, 10);
		if (errno != 0 || *end != '\0' || end == line + 11 || n < 0 ||
		    n > 1000000)
			corpus_bad(cc, "bad error line", line);
		else
			cc->error_line = (int)n;
		return;
	}
	if ((eq = strchr(line, '=')) == NULL || eq == line ||
	    (value = corpus_json(eq + 1, strlen(eq + 1))) == NULL) {
		corpus_bad(cc, "bad expectation", line);
		return;
	}
	ALLOC_GROW(cc->pairs, cc->n + 1, cc->alloc);
	cc->pairs[cc->n].key = xstrndup(line, (size_t)(eq - line));
	cc->pairs[cc->n++].value = value;
}

/* One input line: "\r" is a CR; each line ends with LF. */
static void
corpus_input(struct corpus_case *cc, const char *line)
{
	const char *p;

	for (p = line; *p != '\0'; p++) {
		if (p[0] == '\\' && p[1] == 'r') {
			strbuf_addch(&cc->input, '\r');
			p++;
		} else
			strbuf_addch(&cc->input, *p);
	}
	strbuf_addch(&cc->input, '\n');
}

/* The input ends: "\z" ending its last line means no final newline. */
static void
corpus_input_done(struct corpus_case *cc)
{
	struct strbuf *in = &cc->input;

	if (in->len >= 3 && memcmp(in->buf + in->len - 3, "\\z\n", 3) == 0)
		strbuf_setlen(in, in->len - 3);
}

static struct corpus_case *
corpus_new_case(struct corpus *c, const char *id, int at)
{
	struct corpus_case *cc;

	ALLOC_GROW(c->cases, c->n + 1, c->alloc);
	cc = &c->cases[c->n++];
	memset(cc, 0, sizeof *cc);
	cc->id = xstrdup(id);
	cc->at = at;
	strbuf_init(&cc->input, 0);
	cc->error_line = -1;
	c->section = CORPUS_NONE;
	return cc;
}

static void
corpus_line(struct corpus *c, const char *line, int at)
{
	struct corpus_case *cc;

	if (strncmp(line, "=== CASE ", 9) == 0) {
		corpus_new_case(c, line + 9, at);
		return;
	}
	if (c->n == 0)
		return;	/* comments before the first case */
	cc = &c->cases[c->n - 1];
	if (strcmp(line, "--- input") == 0)
		c->section = CORPUS_INPUT;
	else if (strcmp(line, "--- expect") == 0) {
		if (c->section == CORPUS_INPUT)
			corpus_input_done(cc);
		c->section = CORPUS_EXPECT;
	} else if (strcmp(line, "--- sources") == 0)
		c->section = CORPUS_SOURCES;
	else if (c->section == CORPUS_INPUT)
		corpus_input(cc, line);
	else if (c->section == CORPUS_EXPECT)
		corpus_expect(cc, line);
}

static void
corpus_load(struct corpus *c)
{
	struct strbuf sb = STRBUF_INIT;
	char *line, *nl, *end;
	int at = 0;

	if (read_file(c->path, &sb) == -1) {
		c->error = errno;
		strbuf_release(&sb);
		return;
	}
	end = sb.buf + sb.len;
	for (line = sb.buf; line < end; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			nl = end;
		*nl = '\0';
		corpus_line(c, line, ++at);
	}
	strbuf_release(&sb);
}

static void
corpus_free(struct corpus *c)
{
	struct corpus_case *cc;
	size_t i, j;

	for (i = 0; i < c->n; i++) {
		cc = &c->cases[i];
		for (j = 0; j < cc->n; j++) {
			free(cc->pairs[j].key);
			free(cc->pairs[j].value);
		}
		free(cc->pairs);
		free(cc->id);
		free(cc->bad);
		strbuf_release(&cc->input);
	}
	free(c->cases);
	c->cases = NULL;
	c->n = c->alloc = 0;
}

static void
corpus_free_all(void)
{
	corpus_free(&corpus_procfile);
	corpus_free(&corpus_envfile);
}

/* Every error as "LINE: message; ", for failure messages. */
static const char *
corpus_errors(const struct diags *d, struct strbuf *sb)
{
	size_t i;

	strbuf_reset(sb);
	for (i = 0; i < d->nerrors; i++)
		strbuf_addf(sb, "%d: %s; ", d->errors[i].line,
		    d->errors[i].message);
	if (d->nerrors == 0)
		strbuf_addstr(sb, "none");
	return sb->buf;
}

static int
corpus_has_error(const struct diags *d, int line)
{
	size_t i;

	for (i = 0; i < d->nerrors; i++) {
		if (d->errors[i].line == line)
			return 1;
	}
	return 0;
}

/*
 * The result of one case: ret and d from the parser, got[i]=gotv[i] the
 * pairs it gave in order.
 */
static void
corpus_check(const struct corpus_case *cc, int ret, const struct diags *d,
    char *const *got, char *const *gotv, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	ck_assert_msg(cc->bad == NULL, "%s: %s", cc->id, cc->bad);
	if (cc->error_line >= 0) {
		ck_assert_msg(ret == -1, "%s: accepted, want an error at line "
		    "%d", cc->id, cc->error_line);
		ck_assert_msg(corpus_has_error(d, cc->error_line), "%s: no "
		    "error at line %d; errors: %s", cc->id, cc->error_line,
		    corpus_errors(d, &sb));
		strbuf_release(&sb);
		return;
	}
	ck_assert_msg(ret == 0 && d->nerrors == 0, "%s: refused (%d); "
	    "errors: %s", cc->id, ret, corpus_errors(d, &sb));
	for (i = 0; i < n && i < cc->n; i++) {
		ck_assert_msg(strcmp(got[i], cc->pairs[i].key) == 0, "%s: #%zu "
		    "is '%s', want '%s'", cc->id, i + 1, got[i],
		    cc->pairs[i].key);
		ck_assert_msg(strcmp(gotv[i], cc->pairs[i].value) == 0, "%s: "
		    "%s is '%s', want '%s'", cc->id, got[i], gotv[i],
		    cc->pairs[i].value);
	}
	ck_assert_msg(n == cc->n, "%s: %zu values, want %zu", cc->id, n,
	    cc->n);
	strbuf_release(&sb);
}

START_TEST(test_corpus_read)
{
	ck_assert_msg(corpus_procfile.error == 0, "%s: %s",
	    corpus_procfile.path, strerror(corpus_procfile.error));
	ck_assert_msg(corpus_envfile.error == 0, "%s: %s",
	    corpus_envfile.path, strerror(corpus_envfile.error));
	ck_assert_uint_gt(corpus_procfile.n, 0);
	ck_assert_uint_gt(corpus_envfile.n, 0);
}
END_TEST

START_TEST(test_corpus_procfile)
{
	const struct corpus_case *cc = &corpus_procfile.cases[_i];
	struct procfile pf;
	struct diags d;
	char **names, **commands;
	size_t i;
	int ret;

	procfile_init(&pf);
	diags_init(&d);
	ret = procfile_parse(&pf, "Procfile", cc->input.buf, cc->input.len,
	    &d);
	names = xcalloc(pf.n + 1, sizeof *names);
	commands = xcalloc(pf.n + 1, sizeof *commands);
	for (i = 0; i < pf.n; i++) {
		names[i] = pf.entries[i].name;
		commands[i] = pf.entries[i].command;
	}
	corpus_check(cc, ret, &d, names, commands, pf.n);
	free(names);
	free(commands);
	procfile_release(&pf);
	diags_release(&d);
}
END_TEST

START_TEST(test_corpus_envfile)
{
	const struct corpus_case *cc = &corpus_envfile.cases[_i];
	struct env env;
	struct diags d;
	char **keys, **values;
	size_t i;
	int ret;

	env_init(&env);
	diags_init(&d);
	ret = envfile_parse(&env, ".env", cc->input.buf, cc->input.len, NULL,
	    &d);
	keys = xcalloc(env.n + 1, sizeof *keys);
	values = xcalloc(env.n + 1, sizeof *values);
	for (i = 0; i < env.n; i++) {
		keys[i] = env.vars[i].key;
		values[i] = env.vars[i].value;
	}
	corpus_check(cc, ret, &d, keys, values, env.n);
	free(keys);
	free(values);
	env_release(&env);
	diags_release(&d);
}
END_TEST

static Suite *
corpus_suite(void)
{
	Suite *s = suite_create("corpus");
	TCase *tc = tcase_create("corpus");

	corpus_load(&corpus_procfile);
	corpus_load(&corpus_envfile);
	atexit(corpus_free_all);
	tcase_add_test(tc, test_corpus_read);
	tcase_add_loop_test(tc, test_corpus_procfile, 0,
	    (int)corpus_procfile.n);
	tcase_add_loop_test(tc, test_corpus_envfile, 0,
	    (int)corpus_envfile.n);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(corpus_suite)
