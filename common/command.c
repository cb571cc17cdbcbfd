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

long
command_exec_at(const char *command)
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
			if (command_is_builtin(p, (size_t)(end - p)) ||
			    (end - p == 1 && strchr("{}!", *p) != NULL) ||
			    strncmp(p, "((", 2) == 0)
				return -1;
			at = p;
		}
		p = end;
	}
	return at == NULL || target ? -1 : (long)(at - command);
}

int
command_in_shell(const char *command)
{
	const char *p = command + strspn(command, COMMAND_BLANKS);

	/* "exec CMD": the shell's own exec, the process is CMD's. */
	if (strncmp(p, "exec", 4) == 0 && p[4] != '\0' &&
	    strchr(COMMAND_BLANKS, p[4]) != NULL)
		return command_exec_at(p + 5) == -1;
	return command_exec_at(command) == -1;
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
