/*
 * Whom formation trusts (formationd(8) SECURITY).
 *
 * The directories formation keeps state in (ROOT/.formation, the
 * $STATE_DIRECTORY and $RUNTIME_DIRECTORY of systemd) are its own: owned
 * by the uid it runs as, never reached through a symbolic link. The files
 * a daemon run by root builds its release from (the app root and its
 * parents, the Procfile, the env files, formation.ini) are root's and
 * writable by no one else, as sshd's StrictModes and git's safe.directory
 * demand, unless it was told to trust their owners (settings.trust_others);
 * a daemon of another uid only warns of files that anyone may write.
 *
 * Every function takes what stat(2) said of the file, so that a file is
 * judged by the descriptor it is read from, not by a name someone may
 * have swapped since.
 */
#ifndef TRUST_H
#define TRUST_H

#include <sys/stat.h>
#include <sys/types.h>

#include <stddef.h>

struct diags;
struct settings;

#define TRUST_WHO_MAX	96

/* "uid 65534 (nobody)", or "uid 65534" when /etc/passwd has no name for
 * it (read directly: the CLI is linked statically, without NSS). */
const char *trust_who(uid_t, char *, size_t);
/* How a daemon names the uid it runs as: "root", "deploy", else "uid N". */
const char *trust_name(uid_t, char *, size_t);
/* A directory to keep state in, as lstat(2) or fstat(2) describe it: 0
 * when it is a directory owned by the effective uid; else -1 and *why
 * ("LABEL: owned by uid 65534 (nobody), not by root: refusing to use
 * it"). */
int	trust_dir(const struct stat *, const char *, char **);
/* A file the daemon builds its release from (path, as labelled in
 * diagnostics): 0, or -1 with an error in the diags. Only when the
 * settings ask for it (settings.guard). */
int	trust_file(const struct settings *, const struct stat *, const char *,
	    const char *, struct diags *);
/* Before a build: the state directories, when they exist, must be ours;
 * a daemon run by root also needs the app root and every directory above
 * it to be root's, writable by no one else (a directory above may be
 * sticky, as /tmp is). 0, or -1 with every error in the diags. */
int	trust_app(const struct settings *, struct diags *);

#endif
