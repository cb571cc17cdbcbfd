/*
 * Releases as the daemon holds them: counted references to numbered,
 * immutable snapshots, and the history of them.
 *
 * store_add() takes the contents of a built release: when it equals the
 * current one (same content hash) no new version is made and the current
 * is returned; otherwise it becomes vN+1 and the current. The history
 * holds one reference to every release; a process holds one to the
 * release it runs, so a one-off keeps its release across a reload.
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

void		 store_init(void);
void		 store_free(void);
struct rel	*store_add(struct release *);
struct rel	*store_current(void);
/* The release numbered version, or NULL. */
struct rel	*store_find(int);
size_t		 store_count(void);
/* The i-th release, oldest first. */
struct rel	*store_get(size_t);

#endif
