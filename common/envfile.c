#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/envfile.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "common/xmalloc.h"

#define ENVFILE_BOM "\xef\xbb\xbf"

/*
 * Expansion can double a value on every line (A=$A$A), so sizes are
 * bounded: a variable as Linux passes it to a program ("KEY=VALUE" and a
 * NUL, MAX_ARG_STRLEN), and all that the env files set, which a release
 * keeps, writes and sends whole.
 */
#define ENVFILE_MAX_VAR		(128 * 1024)
#define ENVFILE_MAX_TOTAL	(1024 * 1024)

/* How the text of a value is decoded. */
enum envfile_mode {
	ENVFILE_UNQUOTED,
	ENVFILE_SINGLE,
	ENVFILE_DOUBLE
};

/*
 * One file being read. pos is where the next statement starts, at the
 * beginning of line number line. Assignments go to env, a scratch copy of
 * the caller's env that replaces it only when the file had no error.
 */
struct envfile_state {
	const char		*file;
	const char		*s;
	size_t			 len;
	size_t			 pos;
	int			 line;
	struct env		*env;
	size_t			 total;		/* of env's variables */
	const struct env	*inherited;
	struct diags		*diags;
};

static void	envfile_decode(struct envfile_state *, struct strbuf *,
		    const char *, size_t, enum envfile_mode, int);

static int
envfile_blank(int c)
{
	return c == ' ' || c == '\t';
}

static int
envfile_key_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

/* [A-Za-z_][A-Za-z0-9_]*: a name that $NAME and ${NAME} expand. */
static int
envfile_name_char(int c, int first)
{
	if (c >= '0' && c <= '9')
		return !first;
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* The index of the line end (LF or CR) at or after i, or len. */
static size_t
envfile_eol(const struct envfile_state *st, size_t i)
{
	while (i < st->len && st->s[i] != '\n' && st->s[i] != '\r')
		i++;
	return i;
}

/* Step over the line end at i (LF, CRLF or a lone CR) to the next line. */
static void
envfile_next_line(struct envfile_state *st, size_t i)
{
	if (i < st->len && st->s[i] == '\r') {
		i++;
		if (i < st->len && st->s[i] == '\n')
			i++;
	} else if (i < st->len && st->s[i] == '\n')
		i++;
	st->pos = i;
	st->line++;
}

/* The number of line ends (LF, CRLF, lone CR) in s[0..n). */
static int
envfile_count_lines(const char *s, size_t n)
{
	size_t i;
	int lines = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '\n')
			lines++;
		else if (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n'))
			lines++;
	}
	return lines;
}

/*
 * Append the value of a name: from the files so far, then the inherited
 * environment, else nothing. With a default (${NAME:-default}), an unset or
 * empty name gives the default, decoded but not expanded again.
 */
static void
envfile_add_var(struct envfile_state *st, struct strbuf *out,
    const char *name, size_t namelen, const char *dflt, size_t dlen,
    enum envfile_mode mode, int braced)
{
	const char *value;
	char *key;

	key = xstrndup(name, namelen);
	value = env_get(st->env, key);
	if (value == NULL && st->inherited != NULL)
		value = env_get(st->inherited, key);
	/* Set nowhere: most often a '$' meant literally, in a secret. */
	if (value == NULL && dflt == NULL)
		diag_warn(st->diags, st->file, st->line, "'%s%s%s' is not set: "
		    "expanded to empty (single-quote the value to keep it "
		    "literally)", braced ? "${" : "$", key, braced ? "}" : "");
	free(key);
	if (dflt != NULL && (value == NULL || *value == '\0'))
		envfile_decode(st, out, dflt, dlen, mode, 0);
	else if (value != NULL)
		strbuf_addstr(out, value);
}

/*
 * Expand $NAME, ${NAME} or ${NAME:-default} at s (s[0] is '$'). Returns
 * the number of bytes used, or 0 when no form starts here and the '$' is
 * literal.
 */
static size_t
envfile_expand(struct envfile_state *st, struct strbuf *out, const char *s,
    size_t n, enum envfile_mode mode)
{
	const char *close;
	size_t i;

	if (n > 1 && envfile_name_char((unsigned char)s[1], 1)) {
		for (i = 2; i < n && envfile_name_char((unsigned char)s[i], 0);
		    i++)
			;
		envfile_add_var(st, out, s + 1, i - 1, NULL, 0, mode, 0);
		return i;
	}
	if (n < 3 || s[1] != '{' || !envfile_name_char((unsigned char)s[2], 1))
		return 0;
	for (i = 3; i < n && envfile_name_char((unsigned char)s[i], 0); i++)
		;
	if (i < n && s[i] == '}') {
		envfile_add_var(st, out, s + 2, i - 2, NULL, 0, mode, 1);
		return i + 1;
	}
	if (i + 1 >= n || s[i] != ':' || s[i + 1] != '-')
		return 0;
	if ((close = memchr(s + i + 2, '}', n - i - 2)) == NULL)
		return 0;
	envfile_add_var(st, out, s + 2, i - 2, s + i + 2,
	    (size_t)(close - (s + i + 2)), mode, 1);
	return (size_t)(close - s) + 1;
}

/* Decode the escape \c into out; 0 if it is not one in this mode. */
static int
envfile_escape(struct strbuf *out, int c, enum envfile_mode mode)
{
	if (c == '$') {
		strbuf_addch(out, '$');
		return 1;
	}
	if (mode != ENVFILE_DOUBLE)
		return 0;
	switch (c) {
	case 'n':
		strbuf_addch(out, '\n');
		return 1;
	case 'r':
		strbuf_addch(out, '\r');
		return 1;
	case 't':
		strbuf_addch(out, '\t');
		return 1;
	case '"':
	case '\\':
		strbuf_addch(out, c);
		return 1;
	}
	return 0;
}

/*
 * Decode the text of a value into out: escapes as mode allows, CRLF and
 * CR to LF, and with expand, $ forms. Substituted text is not rescanned.
 */
static void
envfile_decode(struct envfile_state *st, struct strbuf *out, const char *s,
    size_t n, enum envfile_mode mode, int expand)
{
	size_t i = 0, used;

	/* Past the limit the value is refused: stop growing it. */
	while (i < n && out->len <= ENVFILE_MAX_VAR) {
		if (s[i] == '\\' && mode != ENVFILE_SINGLE && i + 1 < n &&
		    envfile_escape(out, (unsigned char)s[i + 1], mode)) {
			i += 2;
		} else if (s[i] == '$' && expand &&
		    (used = envfile_expand(st, out, s + i, n - i, mode)) > 0) {
			i += used;
		} else if (s[i] == '\r') {
			strbuf_addch(out, '\n');
			i += i + 1 < n && s[i + 1] == '\n' ? 2 : 1;
		} else
			strbuf_addch(out, s[i++]);
	}
}

/*
 * An unquoted value from v to the end of the line: a '#' after a blank
 * starts a comment, blanks at the end are trimmed.
 */
static void
envfile_unquoted(struct envfile_state *st, size_t v, struct strbuf *out)
{
	const char *s = st->s;
	size_t eol, end;

	eol = envfile_eol(st, v);
	for (end = v; end < eol; end++) {
		if (s[end] == '#' && envfile_blank((unsigned char)s[end - 1]))
			break;	/* s[v - 1] is the separator or a blank */
	}
	while (end > v && envfile_blank((unsigned char)s[end - 1]))
		end--;
	envfile_decode(st, out, s + v, end - v, ENVFILE_UNQUOTED, 1);
	envfile_next_line(st, eol);
}

/* The index of the quote closing the one at v, or len. */
static size_t
envfile_close(const struct envfile_state *st, size_t v)
{
	const char *s = st->s;
	size_t i;

	for (i = v + 1; i < st->len; i++) {
		if (s[i] == s[v])
			return i;
		if (s[i] == '\\' && i + 1 < st->len &&
		    (s[v] == '"' || s[i + 1] == '\'' || s[i + 1] == '\\'))
			i++;	/* \" or \' does not close */
	}
	return st->len;
}

/*
 * A quoted value starting at v, possibly over several lines; after it only
 * blanks and a comment may follow. Returns 0 and records an error at the
 * statement's first line when the value is refused.
 */
static int
envfile_quoted(struct envfile_state *st, size_t v, const char *key,
    struct strbuf *out)
{
	const char *s = st->s;
	size_t close, i, eol;
	int first = st->line;

	if ((close = envfile_close(st, v)) == st->len) {
		diag_error(st->diags, st->file, first,
		    "unterminated quote in the value of '%s'", key);
		envfile_next_line(st, envfile_eol(st, v));
		return 0;
	}
	st->line += envfile_count_lines(s + v, close - v);
	for (i = close + 1; i < st->len && envfile_blank((unsigned char)s[i]);
	    i++)
		;
	eol = envfile_eol(st, i);
	if (i < eol && s[i] != '#') {
		diag_error(st->diags, st->file, first,
		    "unexpected text after the closing quote of '%s'", key);
		envfile_next_line(st, eol);
		return 0;
	}
	envfile_decode(st, out, s + v + 1, close - v - 1,
	    s[v] == '"' ? ENVFILE_DOUBLE : ENVFILE_SINGLE, s[v] == '"');
	envfile_next_line(st, eol);
	return 1;
}

/*
 * Match "KEY [blanks] SEP [blanks]" at i, SEP being '=' or ':' and a
 * blank. Returns where the value starts, or 0 when nothing matches (a
 * value never starts at 0: a key comes first).
 */
static size_t
envfile_match(const struct envfile_state *st, size_t i, size_t *keylen)
{
	const char *s = st->s;
	size_t start = i;

	while (i < st->len && envfile_key_char((unsigned char)s[i]))
		i++;
	if (i == start)
		return 0;
	*keylen = i - start;
	while (i < st->len && envfile_blank((unsigned char)s[i]))
		i++;
	if (i < st->len && s[i] == '=')
		i++;
	else if (i + 1 < st->len && s[i] == ':' &&
	    envfile_blank((unsigned char)s[i + 1]))
		i += 2;
	else
		return 0;
	while (i < st->len && envfile_blank((unsigned char)s[i]))
		i++;
	return i;
}

/* The bytes of a variable as a program gets it: "KEY=VALUE" and a NUL. */
static size_t
envfile_size(const char *key, size_t valuelen)
{
	return strlen(key) + valuelen + 2;
}

/* Is there room for key = value? If so, count it in st->total. */
static int
envfile_fits(struct envfile_state *st, int line, const char *key,
    const struct strbuf *value)
{
	const struct env_var *old;
	size_t size = envfile_size(key, value->len), was = 0;

	if (size > ENVFILE_MAX_VAR) {
		diag_error(st->diags, st->file, line, "value of '%s' too long: "
		    "a variable takes at most %d bytes", key, ENVFILE_MAX_VAR);
		return 0;
	}
	if ((old = env_find(st->env, key)) != NULL)
		was = envfile_size(old->key, strlen(old->value));
	if (st->total - was + size > ENVFILE_MAX_TOTAL) {
		diag_error(st->diags, st->file, line, "too much to set at "
		    "'%s': the env files set at most %d bytes", key,
		    ENVFILE_MAX_TOTAL);
		return 0;
	}
	st->total = st->total - was + size;
	return 1;
}

/* Read the value at v and set the key; an error sets nothing. */
static void
envfile_assign(struct envfile_state *st, size_t k, size_t keylen, size_t v)
{
	struct strbuf value = STRBUF_INIT;
	char *key, *origin;
	int first = st->line, ok = 1;

	key = xstrndup(st->s + k, keylen);
	if (v < st->len && (st->s[v] == '"' || st->s[v] == '\''))
		ok = envfile_quoted(st, v, key, &value);
	else
		envfile_unquoted(st, v, &value);
	if (ok && envfile_fits(st, first, key, &value)) {
		xasprintf(&origin, "%s:%d", st->file, first);
		env_set(st->env, key, value.buf, origin);
		free(origin);
	}
	free(key);
	strbuf_release(&value);
}

/*
 * One statement from the start of a line: a blank line, a comment, an
 * assignment (with an optional "export" prefix) or a line to warn about.
 */
static void
envfile_statement(struct envfile_state *st)
{
	const char *s = st->s;
	size_t i = st->pos, k, keylen = 0, v = 0;

	while (i < st->len && envfile_blank((unsigned char)s[i]))
		i++;
	if (i == envfile_eol(st, i) || s[i] == '#') {
		envfile_next_line(st, envfile_eol(st, i));
		return;
	}
	k = i;
	if (st->len - i > 6 && memcmp(s + i, "export", 6) == 0 &&
	    envfile_blank((unsigned char)s[i + 6])) {
		for (k = i + 6; k < st->len &&
		    envfile_blank((unsigned char)s[k]); k++)
			;
		if ((v = envfile_match(st, k, &keylen)) == 0)
			k = i;	/* "export = x" sets a key named export */
	}
	if (v == 0 && (v = envfile_match(st, k, &keylen)) == 0) {
		diag_warn(st->diags, st->file, st->line,
		    "ignored line: not 'KEY=VALUE'");
		envfile_next_line(st, envfile_eol(st, i));
		return;
	}
	envfile_assign(st, k, keylen, v);
}

int
envfile_parse(struct env *env, const char *file, const char *buf,
    size_t len, const struct env *inherited, struct diags *diags)
{
	struct envfile_state st;
	struct env scratch;
	size_t errors = diags->nerrors, i;

	env_init(&scratch);
	env_copy(&scratch, env);
	memset(&st, 0, sizeof st);
	for (i = 0; i < scratch.n; i++)
		st.total += envfile_size(scratch.vars[i].key,
		    strlen(scratch.vars[i].value));
	st.file = file;
	st.s = buf;
	st.len = len;
	st.line = 1;
	st.env = &scratch;
	st.inherited = inherited;
	st.diags = diags;
	if (len >= 3 && memcmp(buf, ENVFILE_BOM, 3) == 0)
		st.pos = 3;
	while (st.pos < st.len)
		envfile_statement(&st);
	if (diags->nerrors != errors) {
		env_release(&scratch);
		return -1;
	}
	env_release(env);
	*env = scratch;
	return 0;
}

int
envfile_load(struct env *env, const char *path, const struct env *inherited,
    struct diags *diags)
{
	struct strbuf sb = STRBUF_INIT;
	int ret;

	if (read_file(path, &sb) == -1) {
		diag_error(diags, path, 0, "cannot read: %s", strerror(errno));
		strbuf_release(&sb);
		return -1;
	}
	ret = envfile_parse(env, path, sb.buf, sb.len, inherited, diags);
	strbuf_release(&sb);
	return ret;
}
