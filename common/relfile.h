/*
 * The release file: one release as text, the way the daemon keeps its
 * history on disk (.formation/releases/vN.release, docs/releases.md).
 *
 *	formation-release 2
 *	version 3
 *	created_at 1717171717
 *	reason reload
 *	summary DEBUG\schanged;\sweb\scommand\schanged
 *	root /srv/my\sapp
 *	hash 5d41402abc4b2a76b9719d911017c592...
 *	code 9f8e7d6c5b4a39281706f5e4d3c2b1a098765432 \-
 *	proc web bundle\sexec\spuma\s-p\s$PORT Procfile:1
 *	setting web tty false
 *	setting web restart always
 *	env PATH /usr/bin:/bin inherited
 *	file_env DATABASE_URL postgres://localhost/app .env:2
 *	end
 *
 * The first line names the format and its version; a reader refuses any
 * version it does not know, and reads format 1 (no setting nor code
 * lines, a hash without them) as it was written. A code line, once, is
 * the commit and the digest of the difference from it ("\-": none); a
 * release without one has code "none". reason and summary, once each
 * and optional, say why the release was made and how it differs from
 * the one before; they are not content, and not hashed. status, once and
 * optional, is "pending" (its release phase runs, or was cut off) or
 * "failed"; without it the release is fine. Not hashed either. Every other line is a keyword
 * and its values, separated by one space, and ends with a newline.
 * Values are escaped so that any string round-trips: "\\" for a
 * backslash, "\s" for a space, "\t", "\n" and "\r", "\xHH" for any
 * other byte below 0x20 and for 0x7f, and "\-" for the empty string.
 * Every other byte, UTF-8 included, is written as it is. proc, setting,
 * env and file_env lines keep their order; the file ends with "end", so
 * a file cut short is seen as such.
 *
 * relfile_read() checks the hash: it is recomputed from the content, so a
 * file edited by hand is refused rather than run under a false name.
 * relfile_write() writes the format of the release (r->format).
 */
#ifndef RELFILE_H
#define RELFILE_H

#include <stddef.h>

#include "common/release.h"
#include "common/strbuf.h"

#define RELFILE_VERSION RELEASE_FORMAT	/* the newest */

/* Append the file form of a release to sb. */
void	relfile_write(const struct release *, struct strbuf *);
/*
 * Parse len bytes of buf into r, which must be initialised (its old
 * contents are released). On failure, return -1 with r empty and *err an
 * allocated message naming the line ("line 7: bad escape '\q'"), which the
 * caller frees.
 */
int	relfile_read(const char *, size_t, struct release *, char **);
/* Append s escaped as a release file value. */
void	relfile_escape(struct strbuf *, const char *);

#endif
