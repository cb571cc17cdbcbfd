/*
 * The code an app runs: the commit of the git work tree its root is in,
 * and whether the tracked files differ from that commit, with a digest
 * of the difference, so that two different uncommitted states are two
 * different codes (formationd(8), "The code").
 *
 * code_read() asks a spawned git (no library), bounded in time: `git
 * status --porcelain=v2 --branch` for the commit and whether a tracked
 * file differs, then, only if one does, `git diff HEAD`, hashed as it
 * streams. An app outside a work tree, a
 * work tree with no commit yet, or no git installed is code "none"
 * (commit NULL), as is a git that failed, timed out or was refused the
 * work tree; those are said in *warn. git runs with the daemon's PATH
 * and HOME only, every other variable (GIT_DIR...) left out, and takes
 * no lock of the work tree.
 *
 * The struct owns its strings. code_init() before use, code_release()
 * after.
 */
#ifndef CODE_H
#define CODE_H

#include <stddef.h>

#define CODE_TIMEOUT_MS		10000	/* for a build */
#define CODE_CHECK_MS		2000	/* for a one-off's look */
#define CODE_SHORT		7	/* hex digits of a commit shown */

struct code {
	char	*commit;	/* 40 hex digits; NULL: none */
	char	*diff;		/* hex SHA-256 of the difference from the
				 * commit; NULL: none (clean) */
};

void	code_init(struct code *);
void	code_release(struct code *);
void	code_copy(struct code *, const struct code *);
/* 1 if both are the same code (none included). */
int	code_equal(const struct code *, const struct code *);
/*
 * Read the code of the work tree at root into c (released first), git
 * given at most timeout_ms. 0 when git said (c may be none); -1 when
 * it could not (c is none, *warn an allocated reason for the user).
 * *warn is NULL otherwise.
 */
int	code_read(struct code *, const char *, int, char **);
/* The code of a work tree as read already, elsewhere (daemon/codecheck.h):
 * what code_read() gave (rc), the code, and its warning (NULL: none). */
struct code_seen {
	const struct code	*code;
	int			 rc;
	const char		*warn;
};

/*
 * How a user sees it: "a1b2c3d", "a1b2c3d+dirty", "none". With detail,
 * the difference's digest too ("a1b2c3d+dirty:5e3a09f1"), to tell two
 * uncommitted states apart. Into buf of at least CODE_ID_MAX bytes.
 */
#define CODE_ID_MAX	64
void	code_id(const struct code *, int, char *);
/* What a process is given as FORMATION_CODE: the whole commit, and
 * "+dirty" when the tree differed; NULL for none. */
char	*code_env(const struct code *);
/* "a1b2c3d -> 9f8e7d6+dirty", the detail added when the short forms
 * would read the same. Into buf of at least CODE_CHANGE_MAX bytes. */
#define CODE_CHANGE_MAX	(2 * CODE_ID_MAX + 8)
void	code_change(const struct code *, const struct code *, char *);

#endif
