/*
 * Reload and rollback: build a new release and move the formation onto
 * it, instance by instance; the release history.
 *
 * reload_init() keeps the daemon's command-line flags (they must outlive
 * the loop): every build, at up and at each reload, starts from them, and
 * re-reads formation.ini, the FORMATION_* variables, the Procfile and the
 * env files. reload_build() is that build (common/build.h) from those
 * flags; -1 with every error in diags.
 *
 * A reload looks at the code of the work tree first, through a child
 * (daemon/codecheck.h), and builds once git has said: the loop never
 * waits for git.
 */
#ifndef RELOAD_H
#define RELOAD_H

#include "common/config.h"
#include "common/diag.h"
#include "common/release.h"

struct msg;
struct peer;

void	reload_init(const struct settings_flags *);
/* Stop a roll under way (at exit). */
void	reload_free(void);
/* seen: the code of the work tree read already, or NULL to read it. */
int	reload_build(struct settings *, struct release *, struct diags *,
	    const struct code_seen *);
/* SIGHUP: reload, and say how it went in the log only. */
void	reload_signal(void);

int	reload_request(struct peer *, struct msg *);
int	reload_releases(struct peer *, struct msg *);
int	reload_release_get(struct peer *, struct msg *);
/* A connection went away: a reload or rollback waiting for its release
 * phase has no one to answer. */
void	reload_peer_gone(struct peer *);
int	reload_rollback(struct peer *, struct msg *);

#endif
