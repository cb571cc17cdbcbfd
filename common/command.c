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

char **
command_shell(const char *command)
{
	char **argv;

	argv = xcalloc(4, sizeof *argv);
	argv[0] = xstrdup("/bin/sh");
	argv[1] = xstrdup("-c");
	argv[2] = xstrdup(command);
	return argv;
}
