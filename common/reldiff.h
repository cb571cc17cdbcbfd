/*
 * What differs between two releases: the code, the process types (added,
 * removed, command changed), each type's settings, the environment
 * (keys added, removed, changed) and the root, in that order.
 *
 * reldiff() calls fn once per difference, with an item that points into
 * the two releases (valid during the call only). reldiff_summary() is the
 * one line a release records of how it differs from the one before it
 * ("DEBUG changed; code a1b2c3d -> 9f8e7d6; web command changed; worker
 * added"), values never shown; "first release" when there is none
 * before, "same content" when nothing differs. A type read from a format
 * 1 file records no settings, and its settings are not compared.
 */
#ifndef RELDIFF_H
#define RELDIFF_H

#include "common/release.h"
#include "common/strbuf.h"

enum reldiff_kind {
	RELDIFF_CODE,
	RELDIFF_PROC,		/* name the type; from, to its commands */
	RELDIFF_SETTING,	/* name the type, key the setting */
	RELDIFF_ENV,		/* name the key */
	RELDIFF_ROOT,
};

enum reldiff_how {
	RELDIFF_ADDED,		/* from NULL */
	RELDIFF_REMOVED,	/* to NULL */
	RELDIFF_CHANGED,
};

struct reldiff_item {
	enum reldiff_kind	 kind;
	enum reldiff_how	 how;
	const char		*name;
	const char		*key;		/* RELDIFF_SETTING */
	const char		*from, *to;	/* values; for RELDIFF_CODE,
						 * code_change() text in to */
};

typedef void (*reldiff_fn)(const struct reldiff_item *, void *);

void	reldiff(const struct release *, const struct release *, reldiff_fn,
	    void *);
/* Append the summary of how b differs from a (NULL: none before). */
void	reldiff_summary(const struct release *, const struct release *,
	    struct strbuf *);

#endif
