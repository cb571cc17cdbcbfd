/*
 * The log into systemd's journal through its native protocol, without
 * libsystemd: one datagram per line to /run/systemd/journal/socket,
 * each a list of fields (systemd.journal-fields(7)):
 *
 *	MESSAGE=web.1    | Listening on 0.0.0.0:5000
 *	PRIORITY=6			(3 for what the process wrote on stderr)
 *	SYSLOG_IDENTIFIER=shop		(the app: the app root's base name)
 *	FORMATION_PROCESS=web.1		(not on the daemon's own lines)
 *
 * so that "journalctl -u formation-shop FORMATION_PROCESS=web.1" shows
 * one process, and "-p err" what the processes wrote on stderr. MESSAGE
 * is the line as the log writes it without a time, as it would reach the
 * journal through standard output.
 *
 * journal_init() decides once: the journal is used when standard output
 * is the journal's stream (JOURNAL_STREAM names it) and its socket is
 * there. Otherwise, and for any line it cannot take at once (journald is
 * slow: the socket is full), journal_line() returns -1 and the caller
 * writes the plain line to standard output, where journald reads it too:
 * nothing is dropped, and the daemon never waits for the journal.
 */
#ifndef JOURNAL_H
#define JOURNAL_H

#include <stddef.h>

#include "common/strbuf.h"

#define JOURNAL_SOCKET	"/run/systemd/journal/socket"
#define JOURNAL_INFO	6
#define JOURNAL_ERR	3

/* Under journald (standard output is its stream): use the journal, as
 * ident, when its socket is there. */
void	journal_init(const char *);
/* The same with a socket of one's own, whatever standard output is. */
void	journal_init_at(const char *, const char *);
void	journal_free(void);
/* 1 when lines go to the journal. */
int	journal_on(void);
/* Is fd the journal's stream (JOURNAL_STREAM holds its device:inode)? */
int	journal_is_stream(int);
/*
 * One line: label (len bytes: "web.1    |") then a blank and text, from
 * process (NULL for the daemon's own), at priority. 0 sent, -1 not sent.
 */
int	journal_line(const char *, int, const char *, size_t, const char *,
	    size_t);
/* The datagram of such a line, for ident. */
void	journal_format(struct strbuf *, const char *, const char *, int,
	    const char *, size_t, const char *, size_t);

#endif
