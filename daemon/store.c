#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "daemon/store.h"

static struct {
	struct rel	**rels;
	size_t		  n, alloc;
	struct rel	 *current;
} store;

struct rel *
rel_ref(struct rel *r)
{
	if (r != NULL)
		r->refs++;
	return r;
}

void
rel_unref(struct rel *r)
{
	if (r == NULL || --r->refs > 0)
		return;
	release_release(&r->release);
	free(r);
}

void
store_init(void)
{
	memset(&store, 0, sizeof store);
}

void
store_free(void)
{
	size_t i;

	for (i = 0; i < store.n; i++)
		rel_unref(store.rels[i]);
	free(store.rels);
	memset(&store, 0, sizeof store);
}

struct rel *
store_add(struct release *release)
{
	struct rel *r;

	if (store.current != NULL &&
	    strcmp(store.current->release.hash, release->hash) == 0) {
		release_release(release);
		return store.current;
	}
	r = xcalloc(1, sizeof *r);
	r->release = *release;
	release_init(release);
	r->release.version = store.n == 0 ? 1 :
	    store.rels[store.n - 1]->release.version + 1;
	r->refs = 1;
	ALLOC_GROW(store.rels, store.n + 1, store.alloc);
	store.rels[store.n++] = r;
	store.current = r;
	return r;
}

struct rel *
store_current(void)
{
	return store.current;
}

struct rel *
store_find(int version)
{
	size_t i;

	for (i = 0; i < store.n; i++) {
		if (store.rels[i]->release.version == version)
			return store.rels[i];
	}
	return NULL;
}

size_t
store_count(void)
{
	return store.n;
}

struct rel *
store_get(size_t i)
{
	return i < store.n ? store.rels[i] : NULL;
}
