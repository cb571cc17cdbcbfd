/*
 * Where an app's state lives, and how its directories are opened: made
 * mode 0700, never through a link, refused when someone else owns them.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/paths.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "tests/unit/tmpdir.h"
#include "tests/unit/unit.h"

static char *tmp;

static void
setup(void)
{
	tmp = tmpdir_make();
	unsetenv("STATE_DIRECTORY");
	unsetenv("RUNTIME_DIRECTORY");
	unsetenv("FORMATION_SOCKET");
}

static void
teardown(void)
{
	tmpdir_remove(tmp);
	unsetenv("STATE_DIRECTORY");
	unsetenv("RUNTIME_DIRECTORY");
}

/* The mode of path (not following a link), or -1. */
static int
mode_of(const char *dir, const char *name)
{
	struct stat st;
	char *path;
	int rc;

	path = path_join(dir, name);
	rc = lstat(path, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
	free(path);
	return rc;
}

START_TEST(test_paths_state_dir)
{
	char *got;

	got = paths_state_dir("/srv/app");
	ck_assert_str_eq(got, "/srv/app/.formation");
	free(got);
	got = paths_app_dir("/srv/app");
	ck_assert_str_eq(got, "/srv/app/.formation");
	free(got);
	setenv("STATE_DIRECTORY", "/var/lib/app:/var/lib/other", 1);
	got = paths_state_dir("/srv/app");
	ck_assert_str_eq(got, "/var/lib/app");
	free(got);
	/* The lock and the link stay in the app, whatever systemd says. */
	got = paths_app_dir("/srv/app");
	ck_assert_str_eq(got, "/srv/app/.formation");
	free(got);
	setenv("STATE_DIRECTORY", "relative", 1);
	got = paths_state_dir("/srv/app");
	ck_assert_str_eq(got, "/srv/app/.formation");
	free(got);
}
END_TEST

START_TEST(test_paths_socket)
{
	char *got;

	got = paths_socket("/srv/app", NULL);
	ck_assert_str_eq(got, "/srv/app/.formation/formation.sock");
	free(got);
	setenv("RUNTIME_DIRECTORY", "/run/formation-app", 1);
	got = paths_socket("/srv/app", NULL);
	ck_assert_str_eq(got, "/run/formation-app/formation.sock");
	free(got);
	got = paths_socket("/srv/app", "/tmp/x.sock");
	ck_assert_str_eq(got, "/tmp/x.sock");
	free(got);
}
END_TEST

START_TEST(test_paths_open_app_dir)
{
	struct strbuf sb = STRBUF_INIT;
	char *dir, *why, *gi;
	int fd;

	fd = paths_open_app_dir(tmp, &why);
	ck_assert_int_ne(fd, -1);
	ck_assert_ptr_null(why);
	ck_assert_int_eq(mode_of(tmp, ".formation"), 0700);
	dir = path_join(tmp, ".formation");
	gi = path_join(dir, ".gitignore");
	ck_assert_int_eq(read_file(gi, &sb), 0);
	ck_assert_ptr_nonnull(strstr(sb.buf, "\n*\n"));
	ck_assert_int_eq(mode_of(dir, ".gitignore"), 0600);
	close(fd);

	/* Ours and wider: tightened; the user's .gitignore is kept. */
	ck_assert_int_eq(chmod(dir, 0755), 0);
	free(tmpdir_write(tmp, ".formation/.gitignore", "mine\n"));
	fd = paths_open_app_dir(tmp, &why);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(mode_of(tmp, ".formation"), 0700);
	strbuf_reset(&sb);
	ck_assert_int_eq(read_file(gi, &sb), 0);
	ck_assert_str_eq(sb.buf, "mine\n");
	close(fd);
	strbuf_release(&sb);
	free(gi);
	free(dir);
}
END_TEST

/* paths_open_dir() of tmp/name refuses with want; nothing is made. */
static void
assert_refused(const char *name, const char *want)
{
	char *path, *why;

	path = path_join(tmp, name);
	errno = 0;
	ck_assert_int_eq(paths_open_dir(AT_FDCWD, path, name, &why), -1);
	ck_assert_int_ne(errno, 0);
	ck_assert_ptr_nonnull(why);
	ck_assert_str_eq(why, want);
	free(why);
	free(path);
}

START_TEST(test_paths_open_dir_link)
{
	char *target, *link;

	target = path_join(tmp, "elsewhere");
	link = path_join(tmp, "state");
	ck_assert_int_eq(mkdir(target, 0755), 0);
	ck_assert_int_eq(symlink(target, link), 0);
	assert_refused("state", "state: a symbolic link: refusing to follow "
	    "it");
	/* Nothing made, nothing changed where it points. */
	ck_assert_int_eq(mode_of(tmp, "elsewhere"), 0755);
	ck_assert_int_eq(rmdir(target), 0);
	assert_refused("state", "state: a symbolic link: refusing to follow "
	    "it");
	ck_assert_int_eq(mode_of(tmp, "elsewhere"), -1);
	free(link);
	free(target);
}
END_TEST

START_TEST(test_paths_open_dir_not_dir)
{
	free(tmpdir_write(tmp, "state", "x"));
	assert_refused("state", "cannot create 'state': Not a directory");
}
END_TEST

START_TEST(test_paths_open_dir_other_owner)
{
	char *path;

	if (geteuid() != 0)
		return;		/* chown needs root */
	path = path_join(tmp, "state");
	ck_assert_int_eq(mkdir(path, 0755), 0);
	ck_assert_int_eq(chown(path, 65534, 65534), 0);
	assert_refused("state", "state: owned by uid 65534 (nobody), not by "
	    "root: refusing to use it");
	/* Not someone else's to tighten. */
	ck_assert_int_eq(mode_of(tmp, "state"), 0755);
	free(path);
}
END_TEST

START_TEST(test_paths_open_dir_at)
{
	char *why;
	int fd, sub;

	fd = paths_open_dir(AT_FDCWD, tmp, tmp, &why);
	ck_assert_int_ne(fd, -1);
	sub = paths_open_dir(fd, "releases", "R", &why);
	ck_assert_int_ne(sub, -1);
	ck_assert_int_eq(mode_of(tmp, "releases"), 0700);
	close(sub);
	close(fd);
}
END_TEST

/* A socket bound at dir/name. */
static void
bind_at(const char *dir, const char *name)
{
	struct sockaddr_un sun;
	char *path;
	int fd;

	path = path_join(dir, name);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	ck_assert_uint_lt(strlen(path), sizeof sun.sun_path);
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sun, sizeof sun), 0);
	close(fd);
	free(path);
}

START_TEST(test_paths_find_socket)
{
	char *sock, *root, *want, *app, *deep;

	free(tmpdir_write(tmp, "app/Procfile", "web: x\n"));
	free(tmpdir_write(tmp, "app/lib/deep/file", ""));
	deep = path_join(tmp, "app/lib/deep");
	want = path_join(tmp, "app/.formation/formation.sock");
	sock = paths_find_socket(deep, NULL, &root);
	ck_assert_str_eq(sock, want);
	app = path_join(tmp, "app");
	ck_assert_str_eq(root, app);
	free(sock);
	free(root);

	/* A link to a socket elsewhere, and no Procfile: found by it. */
	free(tmpdir_write(tmp, "other/lib/file", ""));
	free(tmpdir_write(tmp, "other/.formation/x", ""));
	bind_at(tmp, "run.sock");
	free(app);
	app = path_join(tmp, "run.sock");
	free(want);
	want = path_join(tmp, "other/.formation/formation.sock");
	ck_assert_int_eq(symlink(app, want), 0);
	free(deep);
	deep = path_join(tmp, "other/lib");
	sock = paths_find_socket(deep, NULL, &root);
	ck_assert_str_eq(sock, want);
	free(sock);
	free(root);
	/* Dangling, still the app's place. */
	ck_assert_int_eq(unlink(app), 0);
	sock = paths_find_socket(deep, NULL, &root);
	ck_assert_str_eq(sock, want);
	free(sock);
	free(root);

	/* Named: no root. */
	setenv("FORMATION_SOCKET", "/tmp/env.sock", 1);
	sock = paths_find_socket(deep, NULL, &root);
	ck_assert_str_eq(sock, "/tmp/env.sock");
	ck_assert_ptr_null(root);
	free(sock);
	sock = paths_find_socket(deep, "/tmp/flag.sock", &root);
	ck_assert_str_eq(sock, "/tmp/flag.sock");
	ck_assert_ptr_null(root);
	free(sock);
	unsetenv("FORMATION_SOCKET");
	free(deep);
	free(want);
	free(app);
}
END_TEST

static Suite *
paths_suite(void)
{
	Suite *s = suite_create("paths");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_paths_state_dir);
	tcase_add_test(tc, test_paths_socket);
	tcase_add_test(tc, test_paths_open_app_dir);
	tcase_add_test(tc, test_paths_open_dir_link);
	tcase_add_test(tc, test_paths_open_dir_not_dir);
	tcase_add_test(tc, test_paths_open_dir_other_owner);
	tcase_add_test(tc, test_paths_open_dir_at);
	tcase_add_test(tc, test_paths_find_socket);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(paths_suite)
