/*
 * Releases as the daemon holds them: counted references to numbered,
 * immutable snapshots, and the history of them, kept on disk.
 *
 * store_open() loads the history from a directory of release files,
 * vN.release (common/relfile.h), and writes through its descriptor;
 * only release files the daemon wrote are loaded. A file that cannot be
 * read or parsed is
 * reported with its name and skipped; it is never overwritten, as new
 * versions are numbered past every file present. The current release is
 * the highest valid version: a build or a rollback always makes the
 * highest number, so no marker file is needed (a release whose phase
 * failed or was cut off is never current). store_init() makes an
 * empty history that lives in memory only.
 *
 * store_add() takes the contents of a built release, its reason set by
 * the caller ("up", "reload"): when it equals the current one (same
 * content hash) no new version is made, the release is released and the
 * current is returned; otherwise it is numbered vN+1, given the summary
 * of how it differs from the current (reldiff_summary()), written to disk
 * (temp file, fsync, rename) and only then made current, unless its
 * status is RELEASE_PENDING: a release with a release phase to run
 * becomes current only once store_settle() says it passed. The current
 * release is the newest with status RELEASE_OK. If the write fails, store_add() returns NULL with errno set and the
 * release is left to the caller, untouched. store_rollback() makes a new
 * version with the content of an old one.
 *
 * The history holds one reference to every release; a process holds one to
 * the release it runs, so a one-off keeps its release across a reload.
 */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>

#include "common/release.h"

struct rel {
	struct release	 release;
	int		 refs;
};

struct rel	*rel_ref(struct rel *);
void		 rel_unref(struct rel *);

/*
 * Load the history from "releases" in the state directory statefd
 * (common/paths.h), named state in messages: made (mode 0700) when
 * missing; it must be ours and no link. Only release files the daemon
 * itself wrote are loaded (regular, owned by its uid, mode 0600); any
 * other file in it is named in a warning and ignored. -1, reported, with
 * errno set, when the directory cannot be made, trusted or read.
 */
int		 store_open(int, const char *);
/*
 * Load the history in dir as it is, creating and writing nothing: for a
 * reader such as the CLI, with no daemon up. dir is not followed if it
 * is a link, and only the release files of its owner are loaded, as
 * store_open() loads only the daemon's. -1 with errno set (ENOENT: no
 * history there yet). Bad files are reported and skipped, as by
 * store_open().
 */
int		 store_read(const char *);
void		 store_init(void);
void		 store_free(void);
struct rel	*store_add(struct release *);
/*
 * store_add() for the first release of a formation (up) or of a one-off
 * with no daemon up: a pending release (status RELEASE_PENDING, its
 * phase to run) with the content of the newest, which is pending too (a
 * one-off made it with no daemon up, or its phase was cut off), is that
 * release again rather than a new version, so that its phase runs on it.
 */
struct rel	*store_add_up(struct release *);
/* A new version with the content of version (and a new created_at, the
 * reason "rollback of vN", and the status given); NULL
 * with errno ENOENT if there is no such version, or the write's errno.
 * A version read from a format 1 file recorded no settings: the copy
 * takes those of live (the settings the daemon runs with), if not NULL. */
struct rel	*store_rollback(int, const struct settings *, int);
/*
 * The outcome of a pending release's phase: RELEASE_OK makes it current
 * (being the newest), RELEASE_FAILED never. Its file is written again
 * first; -1 with errno, and nothing changed, if that fails. A current
 * release found failed afterwards (a roll onto it failed) is current no
 * more: the newest ok one before it is.
 */
int		 store_settle(struct rel *, int);
struct rel	*store_current(void);
/* The release numbered version, or NULL. */
struct rel	*store_find(int);
size_t		 store_count(void);
/* "no release v9 (releases: v1, v2)", allocated: what to say of a
 * version not in the history. */
char		*store_no_release(unsigned);
/* The i-th release, oldest first. */
struct rel	*store_get(size_t);

#endif
