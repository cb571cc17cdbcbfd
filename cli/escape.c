/*
 * The escape sequences of a tty one-off (escape.h).
 */
#include <stdio.h>
#include <string.h>

#include "cli/escape.h"

#define ESCAPE_CTRL(c)	((c) & 0x1f)

void
escape_init(struct escape *e, int ch)
{
	e->ch = ch;
	e->bol = 1;
	e->pending = 0;
}

/* The byte after the escape character: what it asks for, or
 * ESCAPE_NONE when it is to be sent (*send bytes put in out). */
static enum escape_action
escape_second(const struct escape *e, unsigned char c, char *out,
    size_t *send)
{
	if (c == '.')
		return ESCAPE_DETACH;
	if (c == ESCAPE_CTRL('Z'))
		return ESCAPE_SUSPEND;
	if (c == '?')
		return ESCAPE_HELP;
	if (c != (unsigned char)e->ch)
		out[(*send)++] = (char)e->ch;
	out[(*send)++] = (char)c;
	return ESCAPE_NONE;
}

size_t
escape_filter(struct escape *e, const char *in, size_t n, char *out,
    size_t *outlen, enum escape_action *action)
{
	size_t i, len = 0;
	unsigned char c;

	*action = ESCAPE_NONE;
	for (i = 0; i < n; i++) {
		c = (unsigned char)in[i];
		if (e->pending) {
			e->pending = 0;
			*action = escape_second(e, c, out, &len);
			/* After an escape, as after a newline, another may
			 * follow at once (ssh: ~? then ~.). */
			e->bol = *action != ESCAPE_NONE || c == '\r' ||
			    c == '\n';
			if (*action != ESCAPE_NONE) {
				i++;
				break;
			}
			continue;
		}
		if (e->bol && e->ch != -1 && c == (unsigned char)e->ch) {
			e->pending = 1;
			e->bol = 0;
			continue;
		}
		out[len++] = (char)c;
		e->bol = c == '\r' || c == '\n';
	}
	*outlen = len;
	return i;
}

int
escape_flush(struct escape *e)
{
	if (!e->pending)
		return -1;
	e->pending = 0;
	return e->ch;
}

int
escape_parse(const char *arg)
{
	if (strcmp(arg, "none") == 0)
		return -1;
	if (arg[0] == '^' && arg[1] != '\0' && arg[2] == '\0') {
		if (arg[1] == '?')
			return 0x7f;
		if ((arg[1] >= '@' && arg[1] <= '_') ||
		    (arg[1] >= 'a' && arg[1] <= 'z'))
			return ESCAPE_CTRL(arg[1]);
		return -2;
	}
	if (arg[0] != '\0' && arg[1] == '\0')
		return (unsigned char)arg[0];
	return -2;
}

/* How the escape character is typed: "~", "^]". */
static void
escape_name(int ch, char *buf, size_t len)
{
	if (ch < 0x20)
		snprintf(buf, len, "^%c", ch + '@');
	else if (ch == 0x7f)
		snprintf(buf, len, "^?");
	else
		snprintf(buf, len, "%c", ch);
}

void
escape_help(const struct escape *e, char *buf, size_t len)
{
	char c[4];

	escape_name(e->ch, c, sizeof c);
	snprintf(buf, len,
	    "Supported escape sequences:\r\n"
	    " %s.    - detach (the one-off is hung up)\r\n"
	    " %s^Z   - suspend formation\r\n"
	    " %s?    - this message\r\n"
	    " %s%s   - send the escape character by typing it twice\r\n"
	    "(Note that escapes are only recognized immediately after "
	    "newline.)\r\n", c, c, c, c, c);
}
