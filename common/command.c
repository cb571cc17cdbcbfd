#include <stdlib.h>
#include <string.h>

#include "common/command.h"
#include "common/strbuf.h"
#include "common/xmalloc.h"

/* Anything the shell would give a meaning to, but blanks. */
#define COMMAND_SPECIAL	"\"'\\`$&|;<>()*?[]{}~#!\n"

#define COMMAND_BLANKS	" \t"

/* What a shell word needs no quotes for. */
#define COMMAND_SAFE \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" \
	"_-+=.,/:@%"

/*
 * A first word the shell runs itself: the keywords and the builtins of
 * dash, and those of bash in case /bin/sh is bash.
 */
static const char *const command_builtins[] = {
	".", ":", "[", "[[", "alias", "bg", "bind", "break", "builtin",
	"caller", "case", "cd", "chdir", "command", "compgen", "complete",
	"compopt",
	"continue", "coproc", "declare", "dirs", "disown", "do", "done",
	"echo", "elif", "else", "enable", "esac", "eval", "exec", "exit",
	"export", "false", "fc", "fg", "fi", "for", "function", "getopts",
	"hash", "help", "history", "if", "in", "jobs", "kill", "let",
	"local", "logout", "mapfile", "popd", "printf", "pushd", "pwd",
	"read", "readarray", "readonly", "return", "select", "set", "shift",
	"shopt", "source", "suspend", "test", "then", "time", "times",
	"trap", "true", "type", "typeset", "ulimit", "umask", "unalias",
	"unset", "until", "wait", "while",
};

static int
command_cmp(const void *a, const void *b)
{
	return strcmp(a, *(const char *const *)b);
}

static int
command_is_builtin(const char *first, size_t len)
{
	char word[16];

	if (len >= sizeof word)
		return 0;
	memcpy(word, first, len);
	word[len] = '\0';
	return bsearch(word, command_builtins,
	    sizeof command_builtins / sizeof *command_builtins,
	    sizeof *command_builtins, command_cmp) != NULL;
}

char **
command_words(const char *command)
{
	const char *p, *first;
	char **words;
	size_t n = 0, len, i;

	for (p = command; *p != '\0'; p++) {
		if ((unsigned char)*p < ' ' && *p != '\t')
			return NULL;
		if (*p == 0x7f || strchr(COMMAND_SPECIAL, *p) != NULL)
			return NULL;
	}
	first = command + strspn(command, COMMAND_BLANKS);
	len = strcspn(first, COMMAND_BLANKS);
	if (len == 0)
		return NULL;
	/* An assignment (FOO=1 cmd) is the shell's. */
	if (memchr(first, '=', len) != NULL || command_is_builtin(first, len))
		return NULL;

	for (p = first; *p != '\0'; p += len) {
		p += strspn(p, COMMAND_BLANKS);
		if ((len = strcspn(p, COMMAND_BLANKS)) > 0)
			n++;
	}
	words = xcalloc(n + 1, sizeof *words);
	for (i = 0, p = first; *p != '\0'; p += len) {
		p += strspn(p, COMMAND_BLANKS);
		if ((len = strcspn(p, COMMAND_BLANKS)) > 0)
			words[i++] = xstrndup(p, len);
	}
	return words;
}

void
command_quote(struct strbuf *sb, const char *s)
{
	if (*s != '\0' && s[strspn(s, COMMAND_SAFE)] == '\0') {
		strbuf_addstr(sb, s);
		return;
	}
	strbuf_addch(sb, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			strbuf_addstr(sb, "'\\''");
		else
			strbuf_addch(sb, *s);
	}
	strbuf_addch(sb, '\'');
}

/* Past the quoted text that starts at p (at the quote), or NULL when
 * it is unterminated or holds a command substitution. */
static const char *
command_skip_quoted(const char *p)
{
	if (*p == '\'') {
		p = strchr(p + 1, '\'');
		return p == NULL ? NULL : p + 1;
	}
	for (p++; *p != '"'; p++) {
		if (*p == '\0' || *p == '`' || (*p == '$' && p[1] == '('))
			return NULL;
		if (*p == '\\' && p[1] != '\0')
			p++;
	}
	return p + 1;
}

/* The end of the word at p, or NULL when it has syntax beyond a simple
 * command's. */
static const char *
command_skip_word(const char *p)
{
	const char *q;

	while (*p != '\0' && strchr(COMMAND_BLANKS, *p) == NULL) {
		switch (*p) {
		case '\'':
		case '"':
			if ((p = command_skip_quoted(p)) == NULL)
				return NULL;
			continue;
		case '\\':
			if (p[1] == '\0')
				return NULL;
			p += 2;
			continue;
		case '`':
		case ';':
		case '|':
		case '&':
		case '(':
		case ')':
			return NULL;
		case '$':
			if (p[1] == '(')
				return NULL;
			if (p[1] == '{') {
				q = strchr(p, '}');
				if (q == NULL || memchr(p, '`', (size_t)(q - p)) ||
				    memchr(p + 2, '$', (size_t)(q - p - 2)) ||
				    memchr(p, '\'', (size_t)(q - p)) ||
				    memchr(p, '"', (size_t)(q - p)))
					return NULL;
				p = q + 1;
				continue;
			}
			break;
		case '<':
		case '>':
			/* <&, >&, >| and <> are redirections; << is a
			 * here-document, beyond one line. */
			if (*p == '<' && p[1] == '<')
				return NULL;
			if (p[1] == '&' || p[1] == '|' || p[1] == '>' ||
			    (*p == '<' && p[1] == '>'))
				p++;
			break;
		default:
			if ((unsigned char)*p < ' ' || *p == 0x7f)
				return NULL;
		}
		p++;
	}
	return p;
}

/* NAME=... */
static int
command_is_assignment(const char *w, const char *end)
{
	const char *p = w;

	if (p == end || !(*p == '_' || (*p >= 'A' && *p <= 'Z') ||
	    (*p >= 'a' && *p <= 'z')))
		return 0;
	while (p < end && (*p == '_' || (*p >= 'A' && *p <= 'Z') ||
	    (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
		p++;
	return p < end && *p == '=';
}

/* [N]< [N]> ... : a redirection, and whether its target is the next
 * word (the operator stands alone). */
static int
command_is_redirection(const char *w, const char *end, int *alone)
{
	const char *p = w;

	while (p < end && *p >= '0' && *p <= '9')
		p++;
	if (p == end || (*p != '<' && *p != '>'))
		return 0;
	p++;
	if (p < end && strchr("&|><", *p) != NULL)
		p++;
	*alone = p == end;
	return 1;
}

/* The offset of the command word of command when it is one simple
 * command, else -1; with programs, a word that names a builtin is a
 * program too (the word after exec, which runs no builtin). */
static long
command_word_at(const char *command, int programs)
{
	const char *p = command, *end, *at = NULL;
	int alone = 0, target = 0;

	for (;;) {
		p += strspn(p, COMMAND_BLANKS);
		if (*p == '\0' || (*p == '#' && !target))
			break;		/* the end, or a comment */
		if ((end = command_skip_word(p)) == NULL)
			return -1;
		if (target)
			target = 0;	/* the file of a redirection */
		else if (command_is_redirection(p, end, &alone))
			target = alone;
		else if (at == NULL && !command_is_assignment(p, end)) {
			/* The command word: not a keyword or builtin, which
			 * exec would not find, or would run differently. */
			if ((!programs &&
			    command_is_builtin(p, (size_t)(end - p))) ||
			    (end - p == 1 && strchr("{}!", *p) != NULL) ||
			    strncmp(p, "((", 2) == 0)
				return -1;
			at = p;
		}
		p = end;
	}
	return at == NULL || target ? -1 : (long)(at - command);
}

long
command_exec_at(const char *command)
{
	return command_word_at(command, 0);
}

/* Past the separator at p (; & && || newline), or NULL when p is
 * none; -1 in *bad for what is not sure to separate (&>, |&). */
static const char *
command_skip_separator(const char *p, int *bad)
{
	if (*p == '\n' || (*p == ';' && p[1] != ';'))
		return p + 1;
	if ((*p == '&' && p[1] == '&') || (*p == '|' && p[1] == '|'))
		return p + 2;
	if ((*p == '&' && p[1] == '>') || (*p == '|' && p[1] == '&'))
		*bad = 1;
	else if (*p == '&')
		return p + 1;
	return NULL;
}

/*
 * Where the last command of the list command[0..len) starts: past its
 * last separator outside quotes, parentheses, substitutions, ${...} and
 * comments (0 when it has none). -1 when that is not sure: a quote or
 * parenthesis left open, a here-document, a case (its ";;" and ")"),
 * or when it runs only if the one before fails (||).
 */
static long
command_last(const char *command, size_t len)
{
	const char *p = command, *end = command + len, *q;
	int depth = 0, braces = 0, bad = 0, word = 1, or = 0;
	long at = 0;

	while (p < end && !bad) {
		switch (*p) {
		case '\\':
			p += p + 1 < end ? 2 : 1;
			word = 0;
			continue;
		case '\'':
		case '"':
			if ((q = command_skip_quoted(p)) == NULL || q > end)
				return -1;
			p = q;
			word = 0;
			continue;
		case '`':
			if ((q = memchr(p + 1, '`', (size_t)(end - p - 1))) ==
			    NULL)
				return -1;
			p = q + 1;
			word = 0;
			continue;
		case '(':
			depth++;
			break;
		case ')':
			if (--depth < 0)
				return -1;
			break;
		case '$':
			if (p[1] == '{') {
				braces++;
				p++;
			}
			break;
		case '}':
			if (braces > 0)
				braces--;
			break;
		case '<':
			if (p[1] == '<')
				return -1;
			break;
		case '#':
			/* A comment, to the end of its line. */
			if (word) {
				while (p < end && *p != '\n')
					p++;
				continue;
			}
			break;
		}
		if (depth == 0 && braces == 0 && (*p != '&' || p == command ||
		    (p[-1] != '>' && p[-1] != '<')) &&
		    (q = command_skip_separator(p, &bad)) != NULL) {
			or = *p == '|';
			at = q - command;
			p = q;
			word = 1;
			continue;
		}
		word = strchr(COMMAND_BLANKS, *p) != NULL;
		p++;
	}
	return bad || or || depth != 0 || braces != 0 ? -1 : at;
}

/* Is command[0..len) exec PROGRAM, which the shell's process becomes? A
 * program even when a builtin has its name (exec true). */
static int
command_execs(const char *command, size_t len)
{
	char *copy = xstrndup(command, len), *p;
	int execs;

	p = copy + strspn(copy, COMMAND_BLANKS);
	execs = strncmp(p, "exec", 4) == 0 && p[4] != '\0' &&
	    strchr(COMMAND_BLANKS, p[4]) != NULL &&
	    command_word_at(p + 5, 1) != -1;
	free(copy);
	return execs;
}

int
command_in_shell(const char *command)
{
	size_t len = strlen(command);
	long at;

	/* A ; or newline at the end ends the last command, no more. */
	while (len > 0 && strchr(" \t\n;", command[len - 1]) != NULL &&
	    (len < 2 || command[len - 2] != '\\'))
		len--;
	if ((at = command_last(command, len)) == -1)
		return 1;
	/* The list's last command is exec PROGRAM: the process becomes
	 * the program once it gets there, as a list run first then. */
	if (command_execs(command + at, len - (size_t)at))
		return 0;
	return at > 0 || command_exec_at(command) == -1;
}

char **
command_shell(const char *command)
{
	struct strbuf sb = STRBUF_INIT;
	char **argv;
	long at;

	argv = xcalloc(4, sizeof *argv);
	argv[0] = xstrdup("/bin/sh");
	argv[1] = xstrdup("-c");
	if ((at = command_exec_at(command)) == -1)
		argv[2] = xstrdup(command);
	else {
		strbuf_add(&sb, command, (size_t)at);
		strbuf_addstr(&sb, "exec ");
		strbuf_addstr(&sb, command + at);
		argv[2] = strbuf_detach(&sb, NULL);
	}
	return argv;
}
