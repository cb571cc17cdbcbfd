/*
 * The release history as the CLI reads it: from the daemon when one is
 * up, else from the app's release files (common/store.h, store_read()),
 * so that formation releases, releases diff and releases show work with
 * no daemon running.
 *
 * history_open() finds it, or prints why not and returns -1;
 * history_close() after. history_release() gives the whole content of
 * one version.
 */
#ifndef HISTORY_H
#define HISTORY_H

#include "cli/client.h"
#include "common/release.h"

struct history {
	struct client	 c;
	int		 daemon;	/* c is connected to one */
	char		*dir;		/* else the files read from */
};

int	history_open(struct history *);
/* The files alone, whether a daemon is up or not: what they hold is
 * what it holds, and store_current() and store_count() tell of them. */
int	history_open_files(struct history *);
void	history_close(struct history *);
/*
 * Version v into r (initialised; its contents replaced), and whether it
 * is the current release in *current. -1 when there is no such version
 * (said, with the versions there are) or it cannot be had (said).
 */
int	history_release(struct history *, int, struct release *, int *);
/* The app root without a daemon: the nearest directory, from -C or the
 * working directory up, with a Procfile or a state directory; allocated,
 * or NULL. */
char	*history_app_root(void);
/* "v3" or "3" to 3; else an error is printed and -1 returned. */
int	history_version(const char *);

#endif
