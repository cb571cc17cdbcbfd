/*
 * The build of a release from the app's files: what formationd does at
 * up and at each reload, and what a one-off does when no daemon is up
 * and the app has no release yet (cli/local.c), so that both make the
 * same release from the same files.
 *
 * build_release() loads the settings from flags (then the FORMATION_*
 * variables of the environment, then formation.ini), checks whom to
 * trust (common/trust.h), builds the release (release_build()) and
 * checks that every count names a type of it. As check does, the files
 * are read even when the settings failed, as long as they name them, so
 * that one build reports every error. -1 with every error in diags; s
 * and r are released by the caller either way.
 */
#ifndef BUILD_H
#define BUILD_H

#include "common/config.h"
#include "common/diag.h"
#include "common/release.h"

/* seen: the code of the work tree read already, or NULL to read it. */
int	build_release(const struct settings_flags *, struct settings *,
	    struct release *, struct diags *, const struct code_seen *);

#endif
