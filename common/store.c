/*
 * The release history (common/store.h): in memory, and in one release
 * file per version on disk.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "common/paths.h"
#include "common/reldiff.h"
#include "common/relfile.h"
#include "common/trust.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "common/store.h"

static struct {
	struct rel	**rels;		/* oldest first */
	size_t		  n, alloc;
	struct rel	 *current;
	int		  dirfd;	/* -1: in memory only */
	char		 *dir;		/* its name, for messages */
	uid_t		  owner;	/* whose release files are loaded */
	int		  next;		/* the number of the next version */
} store = { .dirfd = -1, .next = 1 };

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
	store.dirfd = -1;
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
	if (store.dirfd != -1)
		close(store.dirfd);
	store_init();
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
store_compare(const void *a, const void *b)
{
	int va = store_version_of(*(char *const *)a);
	int vb = store_version_of(*(char *const *)b);

	return (va > vb) - (va < vb);
}

/*
 * Only a file the daemon wrote is loaded: a regular file, no link, ours,
 * mode 0600. Anything else may have been put there by someone else, for
 * the daemon to run its commands.
 */
static int
store_trusted(const struct stat *st, char **err)
{
	char who[TRUST_WHO_MAX], me[TRUST_WHO_MAX];

	if (st->st_uid != store.owner)
		xasprintf(err, "owned by %s, not by %s",
		    trust_who(st->st_uid, who, sizeof who),
		    trust_name(store.owner, me, sizeof me));
	else if ((st->st_mode & 07777) != 0600)
		xasprintf(err, "mode %04o, not 0600",
		    (unsigned)(st->st_mode & 07777));
	else
		return 1;
	return 0;
}

/* Read one file into the history; a bad one is reported and skipped. */
static void
store_load(const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	struct release r;
	struct rel *rel;
	struct stat st;
	const char *what = "skipped";
	char *err = NULL;
	int version = store_version_of(name);

	release_init(&r);
	if (version >= store.next)
		store.next = version + 1;
	if (read_file_at(store.dirfd, name, &sb, &st) == -1) {
		if (errno == ELOOP || errno == EINVAL) {
			xasprintf(&err, "%s", errno == ELOOP ?
			    "a symbolic link" : "not a regular file");
			what = "ignored";
		} else
			xasprintf(&err, "%s", strerror(errno));
	} else if (!store_trusted(&st, &err))
		what = "ignored";
	else if (relfile_read(sb.buf, sb.len, &r, &err) == 0 &&
	    r.version != version)
		xasprintf(&err, "holds version %d", r.version);
	if (err == NULL) {
		rel = xcalloc(1, sizeof *rel);
		rel->release = r;
		rel->refs = 1;
		store_push(rel);
	} else {
		log_warnx("%s/%s: %s: %s", store.dir, name, err, what);
		release_release(&r);
	}
	free(err);
	strbuf_release(&sb);
}

static void
store_load_all(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		store_load(names[i]);
		free(names[i]);
	}
	free(names);
}

/* The names of the directory, release files by version; what is not a
 * release file is reported and left alone. */
static int
store_scan(char ***names, size_t *n)
{
	struct dirent *de;
	size_t alloc = 0;
	DIR *d;
	int fd;

	*names = NULL;
	*n = 0;
	if ((fd = dup(store.dirfd)) == -1 || (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return -1;
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (store_version_of(de->d_name) == 0) {
			log_warnx("%s/%s: not a release file: ignored",
			    store.dir, de->d_name);
			continue;
		}
		ALLOC_GROW(*names, *n + 1, alloc);
		(*names)[(*n)++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (*n > 0)
		qsort(*names, *n, sizeof **names, store_compare);
	return 0;
}

int
store_open(int statefd, const char *state)
{
	char **names, *why;
	size_t n;
	int saved;

	store_free();
	store.owner = geteuid();
	xasprintf(&store.dir, "%s/releases", state);
	if ((store.dirfd = paths_open_dir(statefd, "releases", store.dir,
	    &why)) == -1 || store_scan(&names, &n) == -1) {
		saved = errno;
		if (why != NULL)
			log_warnx("%s", why);
		else
			log_warn("cannot read '%s'", store.dir);
		free(why);
		store_free();
		errno = saved;
		return -1;
	}
	store_load_all(names, n);
	return 0;
}

int
store_read(const char *dir)
{
	struct stat st;
	char **names;
	size_t n;
	int saved;

	store_free();
	store.dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (store.dirfd == -1 || fstat(store.dirfd, &st) == -1)
		goto fail;
	/* No daemon to compare with: the files of whoever made it. */
	store.owner = st.st_uid;
	store.dir = xstrdup(dir);
	if (store_scan(&names, &n) == -1)
		goto fail;
	store_load_all(names, n);
	return 0;
fail:
	saved = errno;
	store_free();
	errno = saved;
	return -1;
}

/* Write a release's file, whole or not at all; -1 with errno. */
static int
store_write(const struct release *release)
{
	struct strbuf sb = STRBUF_INIT;
	char name[32];
	int rc, saved;

	if (store.dirfd == -1)
		return 0;
	relfile_write(release, &sb);
	snprintf(name, sizeof name, "v%d.release", release->version);
	rc = write_file_atomic_at(store.dirfd, name, sb.buf, sb.len, 0600);
	saved = errno;
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

struct rel *
store_add_up(struct release *release)
{
	struct rel *newest = store.n > 0 ? store.rels[store.n - 1] : NULL;

	if (release->status == RELEASE_PENDING && newest != NULL &&
	    newest != store.current &&
	    newest->release.status == RELEASE_PENDING &&
	    strcmp(newest->release.hash, release->hash) == 0) {
		release_release(release);
		return newest;
	}
	return store_add(release);
}

/* The newest release with status ok, or NULL. */
static struct rel *
store_newest_ok(void)
{
	struct rel *best = NULL;
	size_t i;

	for (i = 0; i < store.n; i++) {
		if (store.rels[i]->release.status == RELEASE_OK &&
		    (best == NULL || store.rels[i]->release.version >
		    best->release.version))
			best = store.rels[i];
	}
	return best;
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
	else if (status != RELEASE_OK && store.current == r)
		store.current = store_newest_ok();
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
