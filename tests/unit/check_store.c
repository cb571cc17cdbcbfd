#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/paths.h"
#include "common/release.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "common/store.h"
#include "tests/unit/tmpdir.h"
#include "tests/unit/unit.h"

static char *tmp, *state, *dir;
static int statefd = -1;

static void
setup(void)
{
	char *why;

	tmp = tmpdir_make();
	state = path_join(tmp, "state");
	dir = path_join(state, "releases");
	unsetenv("STATE_DIRECTORY");
	log_init("formationd", 0);
	statefd = paths_open_dir(AT_FDCWD, state, state, &why);
	ck_assert_ptr_null(why);
	ck_assert_int_ne(statefd, -1);
}

static void
teardown(void)
{
	store_free();
	close(statefd);
	free(dir);
	free(state);
	tmpdir_remove(tmp);
}

/* A built release of one type whose command is cmd. */
static void
make(struct release *r, const char *cmd)
{
	release_init(r);
	r->root = xstrdup("/srv/app");
	r->created_at = 1000;
	release_add_proc(r, "web", cmd, "Procfile:1");
	env_set(&r->env, "A", cmd, "inherited");
	env_set(&r->env, "B", "two words", ".env:1");
	env_set(&r->file_env, "B", "two words", ".env:1");
	release_hash(r);
}

/* Add a release of cmd; its version. */
static int
add(const char *cmd)
{
	struct release r;
	struct rel *rel;

	make(&r, cmd);
	rel = store_add(&r);
	ck_assert_ptr_nonnull(rel);
	ck_assert_ptr_null(r.root);
	return rel->release.version;
}

static void
restart(void)
{
	store_free();
	ck_assert_int_eq(store_open(statefd, state), 0);
}

static char *
file_of(int version)
{
	char name[32];

	snprintf(name, sizeof name, "v%d.release", version);
	return path_join(dir, name);
}

static int
mode_of_file(int version)
{
	struct stat st;
	char *path;
	int rc;

	path = file_of(version);
	rc = lstat(path, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
	free(path);
	return rc;
}

static void
assert_content(const struct release *r, const char *cmd)
{
	ck_assert_str_eq(r->root, "/srv/app");
	ck_assert_uint_eq(r->nprocs, 1);
	ck_assert_str_eq(r->procs[0].command, cmd);
	ck_assert_str_eq(r->procs[0].origin, "Procfile:1");
	ck_assert_str_eq(env_get(&r->env, "A"), cmd);
	ck_assert_str_eq(env_get(&r->file_env, "B"), "two words");
}

START_TEST(test_store_survives_restart)
{
	struct stat st;
	char *path;

	ck_assert_int_eq(store_open(statefd, state), 0);
	ck_assert_ptr_null(store_current());
	ck_assert_int_eq(add("one"), 1);
	ck_assert_int_eq(add("two\nlines"), 2);
	ck_assert_int_eq(stat(dir, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0700);
	path = file_of(2);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0600);
	free(path);

	restart();
	ck_assert_uint_eq(store_count(), 2);
	ck_assert_int_eq(store_current()->release.version, 2);
	ck_assert_int_eq(store_current()->release.created_at, 1000);
	assert_content(&store_find(1)->release, "one");
	assert_content(&store_find(2)->release, "two\nlines");
	ck_assert_int_eq(add("three"), 3);
}
END_TEST

START_TEST(test_store_identical_build_reuses)
{
	struct rel *first;

	ck_assert_int_eq(store_open(statefd, state), 0);
	ck_assert_int_eq(add("one"), 1);
	first = store_current();
	ck_assert_int_eq(add("one"), 1);
	ck_assert_ptr_eq(store_current(), first);
	ck_assert_uint_eq(store_count(), 1);
	restart();
	ck_assert_int_eq(add("one"), 1);
	ck_assert_int_eq(add("two"), 2);
	/* Only the current release is compared: back to one is new. */
	ck_assert_int_eq(add("one"), 3);
	ck_assert_uint_eq(store_count(), 3);
}
END_TEST

/* Run store_open(statefd, state) with stderr in a string. */
static char *
open_capturing(void)
{
	struct strbuf sb = STRBUF_INIT;
	char *log;
	int fd, saved;

	log = path_join(tmp, "stderr");
	fd = open(log, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ne(fd, -1);
	fflush(stderr);
	saved = dup(2);
	dup2(fd, 2);
	store_free();
	ck_assert_int_eq(store_open(statefd, state), 0);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fd);
	ck_assert_int_eq(read_file(log, &sb), 0);
	free(log);
	return strbuf_detach(&sb, NULL);
}

START_TEST(test_store_corrupt_file_skipped)
{
	struct strbuf sb = STRBUF_INIT, want = STRBUF_INIT;
	char *path, *log, *p;

	ck_assert_int_eq(store_open(statefd, state), 0);
	ck_assert_int_eq(add("one"), 1);
	ck_assert_int_eq(add("two"), 2);
	ck_assert_int_eq(add("three"), 3);
	path = file_of(3);
	ck_assert_int_eq(read_file(path, &sb), 0);
	ck_assert_int_eq(truncate(path, (off_t)sb.len - 4), 0);
	free(path);
	path = file_of(2);
	strbuf_reset(&sb);
	ck_assert_int_eq(read_file(path, &sb), 0);
	p = strstr(sb.buf, "proc web two");
	ck_assert_ptr_nonnull(p);
	p[9] = 'T';
	ck_assert_int_eq(write_file_atomic(path, sb.buf, sb.len, 0600), 0);
	free(path);
	path = file_of(1);
	strbuf_reset(&sb);
	ck_assert_int_eq(read_file(path, &sb), 0);
	free(path);
	free(tmpdir_write(dir, "v9.release", sb.buf));
	free(tmpdir_write(dir, "v0.release", "junk"));
	free(tmpdir_write(dir, "v01.release", "junk"));
	free(tmpdir_write(dir, "v4.release.tmp.123", "junk"));
	free(tmpdir_write(dir, "notes.txt", "junk"));

	log = open_capturing();
	strbuf_addf(&want, "formationd: %s/v2.release: line 6: hash does not "
	    "match the content (was the file edited?): skipped\n"
	    "formationd: %s/v3.release: line 11: truncated: no 'end' line: "
	    "skipped\n", dir, dir);
	ck_assert_msg(strstr(log, want.buf) != NULL, "%s", log);
	ck_assert_ptr_nonnull(strstr(log, "v9.release: holds version 1: "
	    "skipped"));
	ck_assert_ptr_nonnull(strstr(log, "/notes.txt: not a release file: "
	    "ignored\n"));
	ck_assert_ptr_nonnull(strstr(log, "/v4.release.tmp.123: not a release "
	    "file: ignored\n"));
	ck_assert_uint_eq(store_count(), 1);
	ck_assert_int_eq(store_current()->release.version, 1);
	/* A bad file is kept for a look, never overwritten. */
	ck_assert_int_eq(add("four"), 10);
	free(log);
	strbuf_release(&sb);
	strbuf_release(&want);
}
END_TEST

/* Copy release file version from to a new file name, of that mode. */
static char *
plant(int from, const char *name, mode_t mode)
{
	struct strbuf sb = STRBUF_INIT;
	char *src, *path;

	src = file_of(from);
	ck_assert_int_eq(read_file(src, &sb), 0);
	path = tmpdir_write_len(dir, name, sb.buf, sb.len);
	ck_assert_int_eq(chmod(path, mode), 0);
	free(src);
	strbuf_release(&sb);
	return path;
}

START_TEST(test_store_untrusted_ignored)
{
	struct strbuf want = STRBUF_INIT;
	char *log, *path, *v1;

	ck_assert_int_eq(store_open(statefd, state), 0);
	ck_assert_int_eq(add("one"), 1);
	ck_assert_int_eq(add("two"), 2);
	free(plant(2, "v3.release", 0644));
	free(plant(2, "v4.release", 0400));
	v1 = file_of(1);
	path = path_join(dir, "v5.release");
	ck_assert_int_eq(symlink(v1, path), 0);
	free(path);
	path = path_join(dir, "v6.release");
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	free(path);
	path = plant(2, "v7.release", 0600);
	if (geteuid() == 0)
		ck_assert_int_eq(chown(path, 65534, 65534), 0);
	free(path);
	free(tmpdir_write(dir, "README", "mine\n"));

	log = open_capturing();
	strbuf_addf(&want, "formationd: %s/v3.release: mode 0644, not 0600: "
	    "ignored\n"
	    "formationd: %s/v4.release: mode 0400, not 0600: ignored\n"
	    "formationd: %s/v5.release: a symbolic link: ignored\n"
	    "formationd: %s/v6.release: not a regular file: ignored\n",
	    dir, dir, dir, dir);
	ck_assert_msg(strstr(log, want.buf) != NULL, "%s", log);
	ck_assert_msg(strstr(log, "/releases/README: not a release file: "
	    "ignored\n") != NULL, "%s", log);
	if (geteuid() == 0)
		ck_assert_msg(strstr(log, "v7.release: owned by uid 65534 "
		    "(nobody), not by root: ignored\n") != NULL, "%s", log);
	/* Only the daemon's own; what was planted is never overwritten. */
	ck_assert_uint_eq(store_count(), 2);
	ck_assert_int_eq(add("three"), 8);
	ck_assert_int_eq(mode_of_file(3), 0644);
	free(v1);
	free(log);
	strbuf_release(&want);
}
END_TEST

START_TEST(test_store_rollback)
{
	struct rel *r;
	time_t before = time(NULL);

	ck_assert_int_eq(store_open(statefd, state), 0);
	ck_assert_int_eq(add("one"), 1);
	ck_assert_int_eq(add("two"), 2);
	r = store_rollback(1, NULL, RELEASE_OK);
	ck_assert_ptr_nonnull(r);
	ck_assert_ptr_eq(r, store_current());
	ck_assert_int_eq(r->release.version, 3);
	ck_assert_int_ge(r->release.created_at, before);
	assert_content(&r->release, "one");
	ck_assert_str_eq(r->release.hash, store_find(1)->release.hash);
	assert_content(&store_find(1)->release, "one");
	ck_assert_int_eq(store_find(1)->release.created_at, 1000);

	ck_assert_ptr_null(store_find(1)->release.reason);
	ck_assert_str_eq(store_find(1)->release.summary, "first release");
	ck_assert_str_eq(store_find(2)->release.summary,
	    "A changed; web command changed");
	ck_assert_str_eq(r->release.reason, "rollback of v1");
	ck_assert_str_eq(r->release.summary, "A changed; web command changed");

	errno = 0;
	ck_assert_ptr_null(store_rollback(7, NULL, RELEASE_OK));
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_uint_eq(store_count(), 3);

	restart();
	ck_assert_int_eq(store_current()->release.version, 3);
	assert_content(&store_current()->release, "one");
	ck_assert_str_eq(store_current()->release.reason, "rollback of v1");
	ck_assert_str_eq(store_find(2)->release.summary,
	    "A changed; web command changed");
	/* The files unchanged since v1: the rolled-back release is kept. */
	ck_assert_int_eq(add("one"), 3);
	ck_assert_int_eq(add("two"), 4);
}
END_TEST

/* A release of a format 1 file recorded no settings: its rollback
 * takes the settings the daemon runs with. */
START_TEST(test_store_rollback_format_1)
{
	struct settings live;
	struct type_settings t;
	struct release r;
	struct diags d;
	struct rel *rel;
	const char ini[] = "[process.web]\ntty = true\n";

	ck_assert_int_eq(store_open(statefd, state), 0);
	make(&r, "one");
	r.format = 1;
	release_hash(&r);
	ck_assert_int_eq(store_add(&r)->release.version, 1);
	ck_assert_int_eq(add("two"), 2);
	settings_init(&live);
	diags_init(&d);
	ck_assert_int_eq(config_parse(&live, "formation.ini", ini,
	    sizeof ini - 1, &d), 0);
	rel = store_rollback(1, &live, RELEASE_OK);
	ck_assert_ptr_nonnull(rel);
	ck_assert_int_eq(rel->release.format, RELEASE_FORMAT);
	ck_assert_str_ne(rel->release.hash, store_find(1)->release.hash);
	t = release_type_settings(&rel->release, "web");
	ck_assert_int_eq(t.tty, 1);
	restart();
	ck_assert_int_eq(store_find(1)->release.format, 1);
	ck_assert_int_eq(store_current()->release.version, 3);
	ck_assert_int_eq(store_current()->release.format, RELEASE_FORMAT);
	t = release_type_settings(&store_current()->release, "web");
	ck_assert_int_eq(t.tty, 1);
	settings_release(&live);
	diags_release(&d);
}
END_TEST

/* A release with a phase to run is current only once it passed. */
START_TEST(test_store_pending)
{
	struct release r;
	struct rel *two, *three;

	ck_assert_int_eq(store_open(statefd, state), 0);
	ck_assert_int_eq(add("one"), 1);
	make(&r, "two");
	r.status = RELEASE_PENDING;
	two = store_add(&r);
	ck_assert_int_eq(two->release.version, 2);
	ck_assert_int_eq(store_current()->release.version, 1);
	ck_assert_int_eq(store_settle(two, RELEASE_FAILED), 0);
	ck_assert_int_eq(store_current()->release.version, 1);

	/* the same content again is a new try, not "no change" */
	make(&r, "two");
	r.status = RELEASE_PENDING;
	three = store_add(&r);
	ck_assert_int_eq(three->release.version, 3);
	restart();
	/* cut off: a pending release is not current after a restart */
	ck_assert_int_eq(store_current()->release.version, 1);
	ck_assert_int_eq(store_find(2)->release.status, RELEASE_FAILED);
	ck_assert_int_eq(store_find(3)->release.status, RELEASE_PENDING);
	ck_assert_int_eq(store_settle(store_find(3), RELEASE_OK), 0);
	ck_assert_int_eq(store_current()->release.version, 3);
	restart();
	ck_assert_int_eq(store_current()->release.version, 3);
	ck_assert_int_eq(store_find(3)->release.status, RELEASE_OK);
	ck_assert_int_eq(store_rollback(1, NULL,
	    RELEASE_PENDING)->release.version, 4);
	ck_assert_int_eq(store_current()->release.version, 3);
}
END_TEST

/* At up, a pending newest of the same content is that release again. */
START_TEST(test_store_add_up)
{
	struct release r;
	struct rel *two;

	ck_assert_int_eq(store_open(statefd, state), 0);
	ck_assert_int_eq(add("one"), 1);
	make(&r, "two");
	r.status = RELEASE_PENDING;
	two = store_add_up(&r);
	ck_assert_int_eq(two->release.version, 2);
	restart();
	make(&r, "two");
	r.status = RELEASE_PENDING;
	two = store_add_up(&r);
	ck_assert_ptr_null(r.root);
	ck_assert_int_eq(two->release.version, 2);
	ck_assert_uint_eq(store_count(), 2);
	/* not when it is to go live at once (--no-release-phase) */
	make(&r, "two");
	ck_assert_int_eq(store_add_up(&r)->release.version, 3);
	ck_assert_int_eq(store_current()->release.version, 3);
	/* the same as the current one: no change, as store_add() */
	make(&r, "two");
	r.status = RELEASE_PENDING;
	ck_assert_int_eq(store_add_up(&r)->release.version, 3);
	/* nor when the newest pending one is of other content */
	make(&r, "four");
	r.status = RELEASE_PENDING;
	ck_assert_int_eq(store_add_up(&r)->release.version, 4);
	make(&r, "five");
	r.status = RELEASE_PENDING;
	ck_assert_int_eq(store_add_up(&r)->release.version, 5);
	make(&r, "four");
	r.status = RELEASE_PENDING;
	ck_assert_int_eq(store_add_up(&r)->release.version, 6);
}
END_TEST

START_TEST(test_store_write_failure)
{
	struct release r;

	ck_assert_int_eq(store_open(statefd, state), 0);
	ck_assert_int_eq(add("one"), 1);
	tmpdir_remove(xstrdup(dir));
	make(&r, "two");
	errno = 0;
	ck_assert_ptr_null(store_add(&r));
	ck_assert_int_eq(errno, ENOENT);
	/* Left to the caller, untouched. */
	ck_assert_int_eq(r.version, 0);
	ck_assert_str_eq(r.procs[0].command, "two");
	release_release(&r);
	ck_assert_int_eq(store_current()->release.version, 1);
	ck_assert_ptr_null(store_rollback(1, NULL, RELEASE_OK));
	ck_assert_uint_eq(store_count(), 1);
}
END_TEST

START_TEST(test_store_in_memory)
{
	store_init();
	ck_assert_int_eq(add("one"), 1);
	ck_assert_int_eq(add("two"), 2);
	ck_assert_int_eq(store_rollback(1, NULL, RELEASE_OK)->release.version, 3);
	ck_assert_uint_eq(store_count(), 3);
	ck_assert_int_eq(access(dir, F_OK), -1);
}
END_TEST

static Suite *
store_suite(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_store_survives_restart);
	tcase_add_test(tc, test_store_identical_build_reuses);
	tcase_add_test(tc, test_store_corrupt_file_skipped);
	tcase_add_test(tc, test_store_untrusted_ignored);
	tcase_add_test(tc, test_store_rollback);
	tcase_add_test(tc, test_store_rollback_format_1);
	tcase_add_test(tc, test_store_pending);
	tcase_add_test(tc, test_store_add_up);
	tcase_add_test(tc, test_store_write_failure);
	tcase_add_test(tc, test_store_in_memory);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(store_suite)
