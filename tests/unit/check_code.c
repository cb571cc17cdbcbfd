#include <sys/wait.h>

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/code.h"
#include "common/util.h"
#include "tests/unit/tmpdir.h"
#include "tests/unit/unit.h"

static char *dir;

static void
setup(void)
{
	dir = tmpdir_make();
}

static void
teardown(void)
{
	tmpdir_remove(dir);
}

/* Run a shell command in dir; its exit status. */
static int
sh(const char *fmt, ...)
{
	struct strbuf cmd = STRBUF_INIT;
	va_list ap;
	int rc;

	strbuf_addf(&cmd, "cd '%s' && exec >/dev/null 2>&1 && ", dir);
	va_start(ap, fmt);
	strbuf_vaddf(&cmd, fmt, ap);
	va_end(ap);
	rc = system(cmd.buf);
	strbuf_release(&cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

static int
have_git(void)
{
	return system("git --version >/dev/null 2>&1") == 0;
}

/* What git itself says HEAD is, asked apart from the code under test. */
static char *
head_of(void)
{
	char cmd[4096], buf[128];
	FILE *f;

	snprintf(cmd, sizeof cmd, "git -C '%s' rev-parse HEAD", dir);
	ck_assert_ptr_nonnull(f = popen(cmd, "r"));
	ck_assert_ptr_nonnull(fgets(buf, sizeof buf, f));
	pclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return xstrdup(buf);
}

static void
read_ok(struct code *c)
{
	char *warn = (char *)"unset";

	ck_assert_int_eq(code_read(c, dir, CODE_TIMEOUT_MS, &warn), 0);
	ck_assert_ptr_null(warn);
}

#define GIT "git -c user.name=t -c user.email=t@example.org "

START_TEST(test_code_not_a_work_tree)
{
	struct code c;

	code_init(&c);
	free(tmpdir_write(dir, "Procfile", "web: ./web\n"));
	read_ok(&c);
	ck_assert_ptr_null(c.commit);
	ck_assert_ptr_null(c.diff);
	if (!have_git())
		return;
	/* a work tree with no commit yet has no code either */
	ck_assert_int_eq(sh("git init -q ."), 0);
	read_ok(&c);
	ck_assert_ptr_null(c.commit);
	code_release(&c);
}
END_TEST

START_TEST(test_code_commit_and_changes)
{
	struct code clean, a, b, again;
	char *head, *head2, *sub, *warn;

	if (!have_git())
		return;
	code_init(&clean);
	code_init(&a);
	code_init(&b);
	code_init(&again);
	free(tmpdir_write(dir, "app.py", "print('one')\n"));
	free(tmpdir_write(dir, "lib/util.py", "X = 1\n"));
	ck_assert_int_eq(sh("git init -q . && git add . && " GIT
	    "commit -q -m one"), 0);
	head = head_of();
	read_ok(&clean);
	ck_assert_str_eq(clean.commit, head);
	ck_assert_ptr_null(clean.diff);

	/* untracked files are not the code */
	free(tmpdir_write(dir, "notes.txt", "todo\n"));
	read_ok(&again);
	ck_assert_int_eq(code_equal(&again, &clean), 1);

	/* two different uncommitted states, two codes */
	free(tmpdir_write(dir, "app.py", "print('two')\n"));
	read_ok(&a);
	ck_assert_str_eq(a.commit, head);
	ck_assert_ptr_nonnull(a.diff);
	ck_assert_uint_eq(strlen(a.diff), 64);
	free(tmpdir_write(dir, "app.py", "print('three')\n"));
	read_ok(&b);
	ck_assert_ptr_nonnull(b.diff);
	ck_assert_str_ne(a.diff, b.diff);
	ck_assert_int_eq(code_equal(&a, &b), 0);

	/* staged is uncommitted too; and the same state, the same code */
	ck_assert_int_eq(sh("git add app.py"), 0);
	read_ok(&again);
	ck_assert_int_eq(code_equal(&again, &b), 1);

	/* back to the commit: clean again */
	ck_assert_int_eq(sh("git checkout -q HEAD -- app.py"), 0);
	read_ok(&again);
	ck_assert_int_eq(code_equal(&again, &clean), 1);

	/* a new commit */
	free(tmpdir_write(dir, "lib/util.py", "X = 2\n"));
	ck_assert_int_eq(sh(GIT "commit -q -a -m two"), 0);
	head2 = head_of();
	read_ok(&again);
	ck_assert_str_eq(again.commit, head2);
	ck_assert_ptr_null(again.diff);
	ck_assert_str_ne(head, head2);

	/* from a subdirectory of the work tree, the same code */
	xasprintf(&sub, "%s/lib", dir);
	ck_assert_int_eq(code_read(&a, sub, CODE_TIMEOUT_MS, &warn), 0);
	ck_assert_int_eq(code_equal(&a, &again), 1);
	free(sub);
	free(head);
	free(head2);
	code_release(&clean);
	code_release(&a);
	code_release(&b);
	code_release(&again);
}
END_TEST

/* A script in dir/bin, first on the PATH, as git; its path. */
static char *
fake_git(const char *script)
{
	char *path, *newpath, *text;

	xasprintf(&text, "#!/bin/sh\n%s", script);
	path = tmpdir_write(dir, "bin/git", text);
	free(text);
	ck_assert_int_eq(chmod(path, 0755), 0);
	xasprintf(&newpath, "%s/bin:%s", dir, getenv("PATH"));
	setenv("PATH", newpath, 1);
	free(newpath);
	return path;
}

/* A git that hangs is killed at the bound, and said so. */
START_TEST(test_code_timeout)
{
	struct strbuf sb = STRBUF_INIT;
	struct code c;
	char *path, *warn, *pidfile;
	long long t0;
	int pid;

	code_init(&c);
	path = fake_git("echo $$ >\"$0.pid\"\nexec sleep 30\n");
	t0 = now_ms();
	ck_assert_int_eq(code_read(&c, dir, 300, &warn), -1);
	ck_assert_int_lt(now_ms() - t0, 5000);
	ck_assert_ptr_null(c.commit);
	ck_assert_str_eq(warn, "git status took more than 0.3 s");
	free(warn);
	/* and it is gone */
	xasprintf(&pidfile, "%s.pid", path);
	ck_assert_int_eq(read_file(pidfile, &sb), 0);
	pid = atoi(sb.buf);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(kill(pid, 0), -1);
	strbuf_release(&sb);
	free(pidfile);
	free(path);
}
END_TEST

/* A git that fails says why. */
START_TEST(test_code_git_fails)
{
	struct code c;
	char *path, *warn;

	code_init(&c);
	path = fake_git("echo 'fatal: detected dubious ownership in "
	    "repository at x' >&2\nexit 128\n");
	ck_assert_int_eq(code_read(&c, dir, CODE_TIMEOUT_MS, &warn), -1);
	ck_assert_ptr_null(c.commit);
	ck_assert_str_eq(warn, "git status: detected dubious "
	    "ownership in repository at x");
	free(warn);
	/* no git at all: no code, nothing to say */
	setenv("PATH", dir, 1);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(code_read(&c, dir, CODE_TIMEOUT_MS, &warn), 0);
	ck_assert_ptr_null(warn);
	ck_assert_ptr_null(c.commit);
	free(path);
}
END_TEST

START_TEST(test_code_id)
{
	struct code none, clean, d1, d2, other;
	char buf[CODE_CHANGE_MAX], *env;

	code_init(&none);
	clean.commit = (char *)"a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
	clean.diff = NULL;
	d1.commit = clean.commit;
	d1.diff = (char *)"5e3a09f1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	d2.commit = clean.commit;
	d2.diff = (char *)"77aa0b3cbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
	other.commit = (char *)"9f8e7d6c5b4a39281706f5e4d3c2b1a098765432";
	other.diff = d1.diff;
	code_id(&none, 0, buf);
	ck_assert_str_eq(buf, "none");
	code_id(&clean, 1, buf);
	ck_assert_str_eq(buf, "a1b2c3d");
	code_id(&d1, 0, buf);
	ck_assert_str_eq(buf, "a1b2c3d+dirty");
	code_id(&d1, 1, buf);
	ck_assert_str_eq(buf, "a1b2c3d+dirty:5e3a09f1");
	code_change(&clean, &other, buf);
	ck_assert_str_eq(buf, "a1b2c3d -> 9f8e7d6+dirty");
	code_change(&d1, &d2, buf);
	ck_assert_str_eq(buf, "a1b2c3d+dirty:5e3a09f1 -> a1b2c3d+dirty:77aa0b3c");
	code_change(&none, &clean, buf);
	ck_assert_str_eq(buf, "none -> a1b2c3d");
	ck_assert_int_eq(code_equal(&d1, &d2), 0);
	ck_assert_int_eq(code_equal(&none, &none), 1);
	ck_assert_int_eq(code_equal(&none, &clean), 0);
	ck_assert_ptr_null(code_env(&none));
	env = code_env(&d1);
	ck_assert_str_eq(env, "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678+dirty");
	free(env);
}
END_TEST

static Suite *
code_suite(void)
{
	Suite *s = suite_create("code");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_code_not_a_work_tree);
	tcase_add_test(tc, test_code_commit_and_changes);
	tcase_add_test(tc, test_code_timeout);
	tcase_add_test(tc, test_code_git_fails);
	tcase_add_test(tc, test_code_id);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(code_suite)
