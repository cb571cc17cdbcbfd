/*
 * Reading and writing release files (common/relfile.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/relfile.h"
#include "common/xmalloc.h"

#define RELFILE_MAXFIELDS 3

/* The scalars a file holds exactly once. */
enum {
	RELFILE_SEEN_VERSION = 0x1,
	RELFILE_SEEN_CREATED = 0x2,
	RELFILE_SEEN_ROOT = 0x4,
	RELFILE_SEEN_HASH = 0x8,
	RELFILE_SEEN_ALL = 0xf,
	RELFILE_SEEN_CODE = 0x10,	/* optional */
	RELFILE_SEEN_REASON = 0x20,	/* optional */
	RELFILE_SEEN_SUMMARY = 0x40,	/* optional */
	RELFILE_SEEN_STATUS = 0x80,	/* optional */
};

struct relfile_parser {
	const char	*p, *end;	/* what is left of the input */
	int		 line;		/* of the line being parsed */
	int		 format;	/* 1 or RELFILE_VERSION */
	struct release	*r;
	int		 seen;
	char		 hash[65];	/* as the file states it */
	int		 hash_line;
	char		*err;
};

void
relfile_escape(struct strbuf *sb, const char *s)
{
	unsigned char c;

	if (*s == '\0') {
		strbuf_addstr(sb, "\\-");
		return;
	}
	for (; (c = (unsigned char)*s) != '\0'; s++) {
		switch (c) {
		case '\\': strbuf_addstr(sb, "\\\\"); break;
		case ' ': strbuf_addstr(sb, "\\s"); break;
		case '\t': strbuf_addstr(sb, "\\t"); break;
		case '\n': strbuf_addstr(sb, "\\n"); break;
		case '\r': strbuf_addstr(sb, "\\r"); break;
		default:
			if (c < 0x20 || c == 0x7f)
				strbuf_addf(sb, "\\x%02x", c);
			else
				strbuf_addch(sb, c);
		}
	}
}

/* "keyword v1 v2 v3\n", each value escaped. */
static void
relfile_line_out(struct strbuf *sb, const char *keyword, const char *a,
    const char *b, const char *c)
{
	const char *v[3] = { a, b, c };
	size_t i;

	strbuf_addstr(sb, keyword);
	for (i = 0; i < 3 && v[i] != NULL; i++) {
		strbuf_addch(sb, ' ');
		relfile_escape(sb, v[i]);
	}
	strbuf_addch(sb, '\n');
}

static void
relfile_env_out(struct strbuf *sb, const char *keyword, const struct env *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		relfile_line_out(sb, keyword, e->vars[i].key,
		    e->vars[i].value, e->vars[i].origin);
}

static void
relfile_settings_out(struct strbuf *sb, const struct release_proc *p)
{
	size_t i;

	for (i = 0; i < p->settings.n; i++)
		relfile_line_out(sb, "setting", p->name,
		    p->settings.vars[i].key, p->settings.vars[i].value);
}

void
relfile_write(const struct release *r, struct strbuf *sb)
{
	size_t i;

	strbuf_addf(sb, "formation-release %d\n", r->format);
	strbuf_addf(sb, "version %d\n", r->version);
	strbuf_addf(sb, "created_at %lld\n", (long long)r->created_at);
	if (r->format >= 2 && r->reason != NULL)
		relfile_line_out(sb, "reason", r->reason, NULL, NULL);
	if (r->format >= 2 && r->summary != NULL)
		relfile_line_out(sb, "summary", r->summary, NULL, NULL);
	if (r->format >= 2 && r->status != RELEASE_OK)
		relfile_line_out(sb, "status", release_status_name(r->status),
		    NULL, NULL);
	relfile_line_out(sb, "root", r->root != NULL ? r->root : "", NULL,
	    NULL);
	strbuf_addf(sb, "hash %s\n", r->hash);
	if (r->format >= 2 && r->code.commit != NULL)
		relfile_line_out(sb, "code", r->code.commit, r->code.diff !=
		    NULL ? r->code.diff : "", NULL);
	for (i = 0; i < r->nprocs; i++)
		relfile_line_out(sb, "proc", r->procs[i].name,
		    r->procs[i].command, r->procs[i].origin);
	for (i = 0; r->format >= 2 && i < r->nprocs; i++)
		relfile_settings_out(sb, &r->procs[i]);
	relfile_env_out(sb, "env", &r->env);
	relfile_env_out(sb, "file_env", &r->file_env);
	strbuf_addstr(sb, "end\n");
}

static int __attribute__((format(printf, 2, 3)))
relfile_error(struct relfile_parser *ps, const char *fmt, ...)
{
	char *msg;
	va_list ap;

	if (ps->err != NULL)
		return -1;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = xstrdup(fmt);
	va_end(ap);
	xasprintf(&ps->err, "line %d: %s", ps->line, msg);
	free(msg);
	return -1;
}

static int
relfile_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The byte an escape at s[0] ('\\') stands for, and its length in *n;
 * -1 if it is not one. */
static int
relfile_unescape_one(const char *s, const char *end, size_t *n)
{
	static const char from[] = "\\stnr", to[] = "\\ \t\n\r";
	const char *at;
	int hi, lo;

	*n = 2;
	if (s + 1 >= end)
		return -1;
	if (s[1] != '\0' && (at = strchr(from, s[1])) != NULL)
		return (unsigned char)to[at - from];
	if (s[1] != 'x' || end - s < 4)
		return -1;
	hi = relfile_hex((unsigned char)s[2]);
	lo = relfile_hex((unsigned char)s[3]);
	if (hi == -1 || lo == -1 || (hi == 0 && lo == 0))
		return -1;
	*n = 4;
	return hi << 4 | lo;
}

/* Unescape the n bytes of a field into an allocated string. */
static char *
relfile_unescape(struct relfile_parser *ps, const char *s, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	const char *end = s + n;
	size_t len;
	int c;

	if (n == 2 && s[0] == '\\' && s[1] == '-')
		return xstrdup("");
	while (s < end) {
		if (*s != '\\') {
			strbuf_addch(&sb, *s++);
			continue;
		}
		if ((c = relfile_unescape_one(s, end, &len)) == -1) {
			relfile_error(ps, "bad escape '%.*s'",
			    (int)(end - s < 4 ? end - s : 4), s);
			strbuf_release(&sb);
			return NULL;
		}
		strbuf_addch(&sb, c);
		s += len;
	}
	return strbuf_detach(&sb, NULL);
}

/*
 * Split a line (without its newline) into its keyword and exactly want
 * values, unescaped into v[]. -1 on a bad line, with v[] freed.
 */
static int
relfile_fields(struct relfile_parser *ps, const char *line, size_t n,
    const char *keyword, char **v, size_t want)
{
	const char *p = line + strlen(keyword), *end = line + n, *sp;
	size_t i;

	for (i = 0; i < want; i++) {
		if (p >= end || *p != ' ' || p + 1 >= end || p[1] == ' ')
			break;
		p++;
		if ((sp = memchr(p, ' ', (size_t)(end - p))) == NULL)
			sp = end;
		if ((v[i] = relfile_unescape(ps, p, (size_t)(sp - p))) == NULL)
			goto fail;
		p = sp;
	}
	if (i == want && p == end)
		return 0;
	relfile_error(ps, "'%s' takes %zu value%s", keyword, want,
	    want == 1 ? "" : "s");
fail:
	while (i > 0)
		free(v[--i]);
	return -1;
}

static int
relfile_once(struct relfile_parser *ps, int bit, const char *keyword)
{
	if (ps->seen & bit)
		return relfile_error(ps, "second '%s'", keyword);
	ps->seen |= bit;
	return 0;
}

static int
relfile_number(struct relfile_parser *ps, const char *keyword,
    const char *s, long long min, long long max, long long *out)
{
	char *end;

	errno = 0;
	if (*s >= '0' && *s <= '9')
		*out = strtoll(s, &end, 10);
	if (*s < '0' || *s > '9' || errno != 0 || *end != '\0' ||
	    *out < min || *out > max)
		return relfile_error(ps, "bad %s '%s'", keyword, s);
	return 0;
}

static int
relfile_hash(struct relfile_parser *ps, const char *s)
{
	size_t i;

	for (i = 0; i < 64; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			break;
	}
	if (i != 64 || s[64] != '\0')
		return relfile_error(ps, "bad hash '%s'", s);
	memcpy(ps->hash, s, sizeof ps->hash);
	ps->hash_line = ps->line;
	return 0;
}

/* code COMMIT DIFF: a commit, and the digest of the difference from
 * it or nothing. */
static int
relfile_code(struct relfile_parser *ps, char **v)
{
	size_t n = strspn(v[0], "0123456789abcdef");

	if (relfile_once(ps, RELFILE_SEEN_CODE, "code") == -1)
		return -1;
	if ((n != 40 && n != 64) || v[0][n] != '\0')
		return relfile_error(ps, "bad commit '%s'", v[0]);
	if (*v[1] != '\0' && (strspn(v[1], "0123456789abcdef") != 64 ||
	    v[1][64] != '\0'))
		return relfile_error(ps, "bad digest '%s'", v[1]);
	ps->r->code.commit = xstrdup(v[0]);
	if (*v[1] != '\0')
		ps->r->code.diff = xstrdup(v[1]);
	return 0;
}

/* version, created_at, root or hash, and its one value. */
static int
relfile_scalar(struct relfile_parser *ps, int bit, const char *keyword,
    char *v)
{
	long long n;

	if (relfile_once(ps, bit, keyword) == -1)
		return -1;
	switch (bit) {
	case RELFILE_SEEN_VERSION:
		if (relfile_number(ps, keyword, v, 1, 0x7fffffff, &n) == -1)
			return -1;
		ps->r->version = (int)n;
		return 0;
	case RELFILE_SEEN_CREATED:
		if (relfile_number(ps, keyword, v, 0, 0x7fffffffffffffffLL,
		    &n) == -1)
			return -1;
		ps->r->created_at = (time_t)n;
		return 0;
	case RELFILE_SEEN_ROOT:
		ps->r->root = xstrdup(v);
		return 0;
	case RELFILE_SEEN_REASON:
		ps->r->reason = xstrdup(v);
		return 0;
	case RELFILE_SEEN_SUMMARY:
		ps->r->summary = xstrdup(v);
		return 0;
	case RELFILE_SEEN_STATUS:
		if (strcmp(v, "pending") == 0)
			ps->r->status = RELEASE_PENDING;
		else if (strcmp(v, "failed") == 0)
			ps->r->status = RELEASE_FAILED;
		else
			return relfile_error(ps, "bad status '%s'", v);
		return 0;
	default:
		return relfile_hash(ps, v);
	}
}

static int
relfile_proc(struct relfile_parser *ps, char **v)
{
	struct release *r = ps->r;

	if (*v[0] == '\0' || release_find(r, v[0]) != NULL)
		return relfile_error(ps, "%s process type '%s'",
		    *v[0] == '\0' ? "empty" : "second", v[0]);
	release_add_proc(r, v[0], v[1], v[2]);
	return 0;
}

/* setting TYPE KEY VALUE: of a type given before, each key once, and a
 * value formation.ini would take. */
static int
relfile_setting(struct relfile_parser *ps, char **v)
{
	struct release_proc *p;
	struct type_settings t;
	char *err;
	int i;

	if ((i = release_index(ps->r, v[0])) == -1)
		return relfile_error(ps, "setting of an unknown process type "
		    "'%s'", v[0]);
	p = &ps->r->procs[i];
	if (env_find(&p->settings, v[1]) != NULL)
		return relfile_error(ps, "second setting '%s' of '%s'", v[1],
		    v[0]);
	memset(&t, 0, sizeof t);
	if (settings_type_set(&t, v[1], v[2], &err) == -1) {
		relfile_error(ps, "setting '%s' of '%s': %s", v[1], v[0], err);
		free(err);
		return -1;
	}
	env_set(&p->settings, v[1], v[2], NULL);
	return 0;
}

static int
relfile_env(struct relfile_parser *ps, struct env *e, char **v)
{
	if (*v[0] == '\0' || strchr(v[0], '=') != NULL ||
	    env_find(e, v[0]) != NULL)
		return relfile_error(ps, "%s key '%s'", env_find(e, v[0]) !=
		    NULL ? "second" : "bad", v[0]);
	env_set(e, v[0], v[1], v[2]);
	return 0;
}

static const struct relfile_keyword {
	const char	*name;
	size_t		 nvalues;
	int		 bit;		/* a scalar, or 0 */
	int		 format;	/* the first format with it */
} relfile_keywords[] = {
	{ "version", 1, RELFILE_SEEN_VERSION, 1 },
	{ "created_at", 1, RELFILE_SEEN_CREATED, 1 },
	{ "reason", 1, RELFILE_SEEN_REASON, 2 },
	{ "summary", 1, RELFILE_SEEN_SUMMARY, 2 },
	{ "status", 1, RELFILE_SEEN_STATUS, 2 },
	{ "root", 1, RELFILE_SEEN_ROOT, 1 },
	{ "hash", 1, RELFILE_SEEN_HASH, 1 },
	{ "code", 2, 0, 2 },
	{ "proc", 3, 0, 1 },
	{ "setting", 3, 0, 2 },
	{ "env", 3, 0, 1 },
	{ "file_env", 3, 0, 1 },
};

static const struct relfile_keyword *
relfile_keyword(const char *line, size_t n, int format)
{
	const struct relfile_keyword *k;
	size_t i, len;

	for (i = 0; i < sizeof relfile_keywords / sizeof *k; i++) {
		k = &relfile_keywords[i];
		if (k->format > format)
			continue;
		len = strlen(k->name);
		if (n >= len && memcmp(line, k->name, len) == 0 &&
		    (n == len || line[len] == ' '))
			return k;
	}
	return NULL;
}

/* One line between the first and "end". */
static int
relfile_line(struct relfile_parser *ps, const char *line, size_t n)
{
	const struct relfile_keyword *k;
	char *v[RELFILE_MAXFIELDS];
	size_t i;
	int rc;

	if ((k = relfile_keyword(line, n, ps->format)) == NULL)
		return relfile_error(ps, "unknown line '%.*s'",
		    (int)(n > 20 ? 20 : n), line);
	if (relfile_fields(ps, line, n, k->name, v, k->nvalues) == -1)
		return -1;
	if (k->bit != 0)
		rc = relfile_scalar(ps, k->bit, k->name, v[0]);
	else if (strcmp(k->name, "proc") == 0)
		rc = relfile_proc(ps, v);
	else if (strcmp(k->name, "setting") == 0)
		rc = relfile_setting(ps, v);
	else if (strcmp(k->name, "code") == 0)
		rc = relfile_code(ps, v);
	else
		rc = relfile_env(ps, strcmp(k->name, "env") == 0 ?
		    &ps->r->env : &ps->r->file_env, v);
	for (i = 0; i < k->nvalues; i++)
		free(v[i]);
	return rc;
}

/* The next line, without its newline; -1 at the end of the input, or
 * when the last line has no newline (the file was cut short). */
static int
relfile_next(struct relfile_parser *ps, const char **line, size_t *n)
{
	const char *nl;

	if (ps->p >= ps->end)
		return -1;
	ps->line++;
	if ((nl = memchr(ps->p, '\n', (size_t)(ps->end - ps->p))) == NULL)
		return relfile_error(ps, "truncated: no newline");
	*line = ps->p;
	*n = (size_t)(nl - ps->p);
	ps->p = nl + 1;
	if (memchr(*line, '\0', *n) != NULL)
		return relfile_error(ps, "NUL byte");
	return 0;
}

static int
relfile_header(struct relfile_parser *ps)
{
	static const char magic[] = "formation-release ";
	const char *line;
	size_t n, m = sizeof magic - 1;

	if (relfile_next(ps, &line, &n) == -1) {
		free(ps->err);
		ps->err = NULL;
		ps->line = 1;
		return relfile_error(ps, "not a release file");
	}
	if (n < m || memcmp(line, magic, m) != 0)
		return relfile_error(ps, "not a release file");
	if (n - m != 1 || line[m] < '1' || line[m] > '0' + RELFILE_VERSION)
		return relfile_error(ps, "unknown format version '%.*s' "
		    "(expected 1 to %d)", (int)(n - m > 20 ? 20 : n - m),
		    line + m, RELFILE_VERSION);
	ps->format = line[m] - '0';
	ps->r->format = ps->format;
	return 0;
}

/* After "end": every scalar given, and the hash right. */
static int
relfile_finish(struct relfile_parser *ps)
{
	static const char *const names[] = {
		"version", "created_at", "root", "hash"
	};
	size_t i;

	if (ps->p != ps->end) {
		ps->line++;
		return relfile_error(ps, "text after 'end'");
	}
	for (i = 0; i < 4; i++) {
		if (!(ps->seen & (1 << i)))
			return relfile_error(ps, "no '%s' line", names[i]);
	}
	release_hash(ps->r);	/* as its format hashed it */
	if (strcmp(ps->r->hash, ps->hash) != 0) {
		ps->line = ps->hash_line;
		return relfile_error(ps, "hash does not match the content "
		    "(was the file edited?)");
	}
	return 0;
}

int
relfile_read(const char *buf, size_t len, struct release *r, char **err)
{
	struct relfile_parser ps;
	const char *line;
	size_t n;
	int rc = -1;

	memset(&ps, 0, sizeof ps);
	ps.p = buf;
	ps.end = buf + len;
	ps.r = r;
	release_release(r);
	if (relfile_header(&ps) == 0) {
		while (relfile_next(&ps, &line, &n) == 0) {
			if (n == 3 && memcmp(line, "end", 3) == 0) {
				rc = relfile_finish(&ps);
				break;
			}
			if (relfile_line(&ps, line, n) == -1)
				break;
		}
	}
	if (rc == -1 && ps.err == NULL) {
		ps.line++;
		relfile_error(&ps, "truncated: no 'end' line");
	}
	if (rc == -1) {
		release_release(r);
		*err = ps.err;
	}
	return rc;
}
