/*
 * What the engine exports share: YAML scalars, names, and commands as a
 * container runs them (cli/kube.h).
 */
#include <ctype.h>
#include <string.h>

#include "cli/export.h"
#include "cli/kube.h"
#include "common/xmalloc.h"

/* The code point of the n-byte UTF-8 sequence at p (valid). */
static unsigned long
yaml_code_point(const unsigned char *p, size_t n)
{
	static const unsigned char first[] = { 0, 0x7f, 0x1f, 0x0f, 0x07 };
	unsigned long c = p[0] & first[n];
	size_t i;

	for (i = 1; i < n; i++)
		c = (c << 6) | (p[i] & 0x3f);
	return c;
}

/*
 * YAML 1.1 and 1.2 double-quoted: '"' and '\' escaped, the C0 controls
 * and DEL as \n, \t, \r or \xHH; of the rest, what YAML does not print
 * as it is (the C1 controls but NEL, the line and paragraph separators
 * that YAML 1.1 reads as line breaks, the byte order mark, U+FFFE and
 * U+FFFF) escaped too, so that every reader gets the bytes back.
 */
int
yaml_str(struct strbuf *sb, const char *s)
{
	const unsigned char *p;
	unsigned long c;
	size_t n, start = sb->len;

	strbuf_addch(sb, '"');
	for (p = (const unsigned char *)s; *p != '\0'; p += n) {
		if ((n = export_utf8_len(p)) == 0) {
			strbuf_setlen(sb, start);
			return -1;
		}
		c = yaml_code_point(p, n);
		if (c == '"' || c == '\\')
			strbuf_addf(sb, "\\%c", (int)c);
		else if (c == '\n')
			strbuf_addstr(sb, "\\n");
		else if (c == '\t')
			strbuf_addstr(sb, "\\t");
		else if (c == '\r')
			strbuf_addstr(sb, "\\r");
		else if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
			strbuf_addf(sb, "\\x%02lx", c);
		else if (c == 0x2028)
			strbuf_addstr(sb, "\\L");
		else if (c == 0x2029)
			strbuf_addstr(sb, "\\P");
		else if (c == 0xfeff || c == 0xfffe || c == 0xffff)
			strbuf_addf(sb, "\\u%04lx", c);
		else
			strbuf_add(sb, p, n);
	}
	strbuf_addch(sb, '"');
	return 0;
}

int
kube_label_ok(const char *s)
{
	size_t i, len = strlen(s);

	if (len == 0 || len > KUBE_NAME_MAX || s[0] == '-' ||
	    s[len - 1] == '-')
		return 0;
	for (i = 0; i < len; i++) {
		if (!(s[i] >= 'a' && s[i] <= 'z') && !isdigit((unsigned char)
		    s[i]) && s[i] != '-')
			return 0;
	}
	return 1;
}

char *
kube_app_name(const char *dir)
{
	const char *base = strrchr(dir, '/'), *p;
	char *out, *q;

	base = base != NULL ? base + 1 : dir;
	out = q = xmalloc(strlen(base) + 1);
	for (p = base; *p != '\0'; p++) {
		if (isalnum((unsigned char)*p) && (unsigned char)*p < 0x80)
			*q++ = (char)tolower((unsigned char)*p);
		else if (q > out && q[-1] != '-')
			*q++ = '-';
	}
	while (q > out && q[-1] == '-')
		q--;
	*q = '\0';
	return out;
}

/* Is the word at p (up to a blank or the end) one of the shell's
 * reserved words, or an assignment (NAME=...)? Either makes "exec"
 * before it wrong. */
static int
kube_first_word_bad(const char *p)
{
	static const char *const reserved[] = {
		"if", "then", "else", "elif", "fi", "do", "done", "case",
		"esac", "while", "until", "for", "in", "{", "}", "!",
		"function", "[[", "exec",
	};
	size_t len = strcspn(p, " \t"), i;

	for (i = 0; i < sizeof reserved / sizeof *reserved; i++) {
		if (strlen(reserved[i]) == len &&
		    strncmp(p, reserved[i], len) == 0)
			return 1;
	}
	if (!isalpha((unsigned char)*p) && *p != '_')
		return 0;
	for (i = 1; i < len && (isalnum((unsigned char)p[i]) || p[i] == '_');
	    i++)
		;
	return i < len && p[i] == '=';
}

/* Is command one simple command: no ';', '&', '|', '(', ')', '`' or
 * newline outside quotes, and a program first? */
static int
kube_simple(const char *command)
{
	const char *p = command + strspn(command, " \t");
	char quote = 0;

	if (*p == '\0' || kube_first_word_bad(p))
		return 0;
	for (; *p != '\0'; p++) {
		if (quote == '\'') {
			if (*p == '\'')
				quote = 0;
		} else if (*p == '\\') {
			if (p[1] == '\0' || p[1] == '\n')
				return 0;
			p++;
		} else if (quote == '"') {
			if (*p == '"')
				quote = 0;
			else if (*p == '`' || (*p == '$' && p[1] == '('))
				return 0;
		} else if (*p == '\'' || *p == '"')
			quote = *p;
		else if (strchr(";&|()`\n#", *p) != NULL)
			return 0;
	}
	return quote == 0;
}

void
kube_shell_command(struct strbuf *sb, const char *command)
{
	if (kube_simple(command))
		strbuf_addstr(sb, "exec ");
	strbuf_addstr(sb, command);
}

void
kube_escape_dollars(struct strbuf *sb, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '$' && (s[1] == '(' || s[1] == '$'))
			strbuf_addch(sb, '$');
		strbuf_addch(sb, *s);
	}
}
