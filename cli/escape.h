/*
 * The escape sequences of a tty one-off, as ssh(1) has them: the escape
 * character (~ unless --escape says otherwise), typed first on a line,
 * and the character after it:
 *
 *   .    detach: the CLI goes away, and the one-off is hung up
 *   ^Z   suspend the CLI (the one-off runs on)
 *   ?    list the escapes
 *   ~    send the escape character itself
 *
 * Any other character after it is sent, with the escape character before
 * it. "First on a line" means at the start, or after a CR or a LF.
 *
 * escape_filter() copies input bytes to what goes to the one-off, holding
 * back the escape character until the next byte says what it is. It
 * stops after a byte that completes an escape, so the caller acts on it
 * before the bytes that follow.
 */
#ifndef ESCAPE_H
#define ESCAPE_H

#include <stddef.h>

#define ESCAPE_DEFAULT	'~'

enum escape_action {
	ESCAPE_NONE,
	ESCAPE_DETACH,
	ESCAPE_SUSPEND,
	ESCAPE_HELP,
};

struct escape {
	int	ch;		/* the escape character; -1: none */
	int	bol;		/* the next byte is first on a line */
	int	pending;	/* the escape character was read, held back */
};

void	escape_init(struct escape *, int);
/*
 * Filter in[0..n) into out, which has room for n + 1 bytes. Returns how
 * many bytes of in were used, sets *outlen to the bytes to send and
 * *action to the escape that ended the run (ESCAPE_NONE when all of in
 * was used without one).
 */
size_t	escape_filter(struct escape *, const char *, size_t, char *,
	    size_t *, enum escape_action *);
/* At the end of input: the escape character held back, if any (-1). */
int	escape_flush(struct escape *);
/* "none", one character, or "^X" for a control character: the escape
 * character (-1 for none), or -2 when arg is none of those. */
int	escape_parse(const char *);
/* The list of escapes for ESCAPE_HELP, with CR LF line ends (the
 * terminal is in raw mode). */
void	escape_help(const struct escape *, char *, size_t);

#endif
