#include <stdio.h>
#include <string.h>

#include "common/json.h"

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t
json_utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

void
json_strn(struct strbuf *sb, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, len;

	strbuf_addch(sb, '"');
	while (i < n) {
		switch (s[i]) {
		case '"':
			strbuf_addstr(sb, "\\\"");
			break;
		case '\\':
			strbuf_addstr(sb, "\\\\");
			break;
		case '\n':
			strbuf_addstr(sb, "\\n");
			break;
		case '\r':
			strbuf_addstr(sb, "\\r");
			break;
		case '\t':
			strbuf_addstr(sb, "\\t");
			break;
		default:
			if (s[i] < 0x20) {
				strbuf_addf(sb, "\\u%04x", s[i]);
				break;
			}
			if ((len = json_utf8_len(s + i, n - i)) == 0) {
				strbuf_addstr(sb, "\\ufffd");
				break;
			}
			strbuf_add(sb, s + i, len);
			i += len;
			continue;
		}
		i++;
	}
	strbuf_addch(sb, '"');
}

void
json_str(struct strbuf *sb, const char *s)
{
	json_strn(sb, s, strlen(s));
}
