/*
 * The release history (common/store.h): in memory, and in one release
 * file per version on disk.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "common/paths.h"
#include "common/reldiff.h"
#include "common/relfile.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "common/store.h"

static struct {
	struct rel	**rels;		/* oldest first */
	size_t		  n, alloc;
	struct rel	 *current;
	char		 *dir;		/* NULL: in memory only */
	int		  next;		/* the number of the next version */
} store = { .next = 1 };

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
	store.next = 1;
}

void
store_free(void)
{
	size_t i;

	for (i = 0; i < store.n; i++)
		rel_unref(store.rels[i]);
	free(store.rels);
	free(store.dir);
	store_init();
}

/* mkdir -p, each new directory with the given mode whatever the umask. */
static int
store_mkdir(const char *path, mode_t mode)
{
	char *p, *slash;
	int rc = 0;

	p = xstrdup(path);
	for (slash = p + 1; rc == 0; slash++) {
		if ((slash = strchr(slash, '/')) != NULL)
			*slash = '\0';
		if (mkdir(p, mode) == 0)
			rc = chmod(p, mode);
		else if (errno != EEXIST)
			rc = -1;
		if (slash == NULL)
			break;
		*slash = '/';
	}
	free(p);
	return rc;
}

char *
store_dir(const char *root)
{
	char *state, *dir = NULL;

	state = paths_state_dir(root);
	if (paths_make_state_dir(state) == 0)
		dir = path_join(state, "releases");
	free(state);
	return dir;
}

static void
store_push(struct rel *r)
{
	ALLOC_GROW(store.rels, store.n + 1, store.alloc);
	store.rels[store.n++] = r;
	if (r->release.status == RELEASE_OK)
		store.current = r;
	if (r->release.version >= store.next)
		store.next = r->release.version + 1;
}

/* N for a name "vN.release", else 0. */
static int
store_version_of(const char *name)
{
	char *end;
	long v;

	if (name[0] != 'v' || name[1] < '1' || name[1] > '9')
		return 0;
	errno = 0;
	v = strtol(name + 1, &end, 10);
	if (errno != 0 || v > 0x7fffffffL || strcmp(end, ".release") != 0)
		return 0;
	return (int)v;
}

static int
store_compare(const struct dirent **a, const struct dirent **b)
{
	int va = store_version_of((*a)->d_name);
	int vb = store_version_of((*b)->d_name);

	return (va > vb) - (va < vb);
}

static int
store_filter(const struct dirent *de)
{
	return store_version_of(de->d_name) != 0;
}

/* Read one file into the history; a bad one is reported and skipped. */
static void
store_load(const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	struct release r;
	struct rel *rel;
	char *path, *err = NULL;
	int version = store_version_of(name);

	path = path_join(store.dir, name);
	release_init(&r);
	if (read_file(path, &sb) == -1)
		xasprintf(&err, "%s", strerror(errno));
	else if (relfile_read(sb.buf, sb.len, &r, &err) == 0 &&
	    r.version != version)
		xasprintf(&err, "holds version %d", r.version);
	if (version >= store.next)
		store.next = version + 1;
	if (err == NULL) {
		rel = xcalloc(1, sizeof *rel);
		rel->release = r;
		rel->refs = 1;
		store_push(rel);
	} else {
		log_warnx("%s: %s: skipped", path, err);
		release_release(&r);
	}
	free(err);
	free(path);
	strbuf_release(&sb);
}

int
store_open(const char *dir)
{
	store_free();
	if (store_mkdir(dir, 0700) == -1)
		return -1;
	return store_read(dir);
}

int
store_read(const char *dir)
{
	struct dirent **list;
	int i, n;

	store_free();
	if ((n = scandir(dir, &list, store_filter, store_compare)) == -1)
		return -1;
	store.dir = xstrdup(dir);
	for (i = 0; i < n; i++) {
		store_load(list[i]->d_name);
		free(list[i]);
	}
	free(list);
	return 0;
}

/* Write a release's file, whole or not at all; -1 with errno. */
static int
store_write(const struct release *release)
{
	struct strbuf sb = STRBUF_INIT;
	char name[32], *path;
	int rc, saved;

	if (store.dir == NULL)
		return 0;
	relfile_write(release, &sb);
	snprintf(name, sizeof name, "v%d.release", release->version);
	path = path_join(store.dir, name);
	rc = write_file_atomic(path, sb.buf, sb.len, 0600);
	saved = errno;
	free(path);
	strbuf_release(&sb);
	errno = saved;
	return rc;
}

/* Number a release, write it, and make it current (unless pending); NULL
 * with errno set and the release untouched when it cannot be written. */
static struct rel *
store_insert(struct release *release)
{
	struct strbuf sb = STRBUF_INIT;
	struct rel *r;

	release->version = store.next;
	if (release->summary == NULL) {
		reldiff_summary(store.current != NULL ?
		    &store.current->release : NULL, release, &sb);
		release->summary = strbuf_detach(&sb, NULL);
	}
	if (store_write(release) == -1) {
		release->version = 0;
		return NULL;
	}
	r = xcalloc(1, sizeof *r);
	r->release = *release;
	release_init(release);
	r->refs = 1;
	store_push(r);
	return r;
}

struct rel *
store_add(struct release *release)
{
	if (store.current != NULL &&
	    strcmp(store.current->release.hash, release->hash) == 0) {
		release_release(release);
		return store.current;
	}
	return store_insert(release);
}

int
store_settle(struct rel *r, int status)
{
	int was = r->release.status;

	r->release.status = status;
	if (store_write(&r->release) == -1) {
		r->release.status = was;
		return -1;
	}
	if (status == RELEASE_OK && (store.current == NULL ||
	    r->release.version > store.current->release.version))
		store.current = r;
	return 0;
}

struct rel *
store_rollback(int version, const struct settings *live, int status)
{
	struct release copy;
	struct rel *old, *r;

	if ((old = store_find(version)) == NULL) {
		errno = ENOENT;
		return NULL;
	}
	release_init(&copy);
	release_copy(&copy, &old->release);
	if (copy.format < RELEASE_FORMAT) {
		/* It ran with the settings of the day: keep today's. */
		copy.format = RELEASE_FORMAT;
		if (live != NULL)
			release_set_settings(&copy, live);
	}
	copy.created_at = time(NULL);
	free(copy.reason);
	free(copy.summary);
	copy.summary = NULL;
	xasprintf(&copy.reason, "rollback of v%d", version);
	copy.status = status;
	release_hash(&copy);
	if ((r = store_insert(&copy)) == NULL)
		release_release(&copy);
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

char *
store_no_release(unsigned version)
{
	struct strbuf names = STRBUF_INIT;
	char *msg;
	size_t i;

	for (i = 0; i < store.n; i++)
		strbuf_addf(&names, "%sv%d", i > 0 ? ", " : "",
		    store.rels[i]->release.version);
	xasprintf(&msg, "no release v%u (releases: %s)", version,
	    names.len > 0 ? names.buf : "none");
	strbuf_release(&names);
	return msg;
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
