#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "common/release.h"
#include "common/strbuf.h"
#include "tests/unit/tmpdir.h"
#include "tests/unit/unit.h"

static char *const plain_env[] = { "PATH=/usr/bin:/bin", "HOME=/home/u",
	NULL };

static void
assert_var(const struct env *e, size_t i, const char *key,
    const char *value, const char *origin)
{
	ck_assert_uint_lt(i, e->n);
	ck_assert_str_eq(e->vars[i].key, key);
	ck_assert_str_eq(e->vars[i].value, value);
	ck_assert_str_eq(e->vars[i].origin, origin);
}

/* Settings for the app in dir, with env_files relative to it (NULL: the
 * default .env). */
static void
app_settings(struct settings *s, const char *dir, const char *env_files)
{
	struct settings_flags f;
	struct diags d;

	settings_flags_init(&f);
	f.root = dir;
	diags_init(&d);
	ck_assert_int_eq(settings_load(s, &f, NULL, &d), 0);
	if (env_files != NULL)
		settings_set_env_files(s, env_files);
	diags_release(&d);
}

/* Build the app in dir into r; the diagnostics into d. */
static int
build(struct release *r, const char *dir, const char *env_files,
    char *const *envp, struct diags *d)
{
	struct settings s;
	int ret;

	app_settings(&s, dir, env_files);
	release_init(r);
	diags_init(d);
	ret = release_build(r, &s, envp, d);
	settings_release(&s);
	return ret;
}

static char *
app(const char *procfile, const char *env)
{
	char *dir;

	dir = tmpdir_make();
	if (procfile != NULL)
		free(tmpdir_write(dir, "Procfile", procfile));
	if (env != NULL)
		free(tmpdir_write(dir, ".env", env));
	return dir;
}

START_TEST(test_release_build)
{
	char *const envp[] = {
		"PATH=/usr/bin:/bin", "NOTIFY_SOCKET=/run/notify",
		"LISTEN_PID=1", "LISTEN_FDS=2", "LISTEN_FDNAMES=a:b",
		"JOURNAL_STREAM=8:9", "INVOCATION_ID=abc", "WATCHDOG_USEC=1",
		"WATCHDOG_PID=1", "FORMATION_SOCKET=/x", "FORMATION_RELEASE=v1",
		"HOME=/home/u", "LANG=C", NULL
	};
	struct release r;
	struct diags d;
	char *dir;

	dir = app("# the app\nweb: ./web -p $PORT\n\nworker: ./work\n",
	    "A=1\nHOME=/elsewhere\nB=${A}-$HOME\n");
	ck_assert_int_eq(build(&r, dir, NULL, envp, &d), 0);
	assert_errors(&d, "");
	ck_assert_str_eq(r.root, dir);
	ck_assert_int_eq(r.version, 0);
	ck_assert_int_ne(r.created_at, 0);
	ck_assert_uint_eq(strlen(r.hash), 64);
	ck_assert_uint_eq(strspn(r.hash, "0123456789abcdef"), 64);

	ck_assert_uint_eq(r.nprocs, 2);
	ck_assert_str_eq(r.procs[0].name, "web");
	ck_assert_str_eq(r.procs[0].command, "./web -p $PORT");
	ck_assert_str_eq(r.procs[0].origin, "Procfile:2");
	ck_assert_str_eq(r.procs[1].name, "worker");
	ck_assert_str_eq(r.procs[1].origin, "Procfile:4");

	/* inherited first, service variables gone, the inherited HOME wins */
	ck_assert_uint_eq(r.env.n, 5);
	assert_var(&r.env, 0, "PATH", "/usr/bin:/bin", "inherited");
	assert_var(&r.env, 1, "HOME", "/home/u", "inherited");
	assert_var(&r.env, 2, "LANG", "C", "inherited");
	assert_var(&r.env, 3, "A", "1", ".env:1");
	assert_var(&r.env, 4, "B", "1-/elsewhere", ".env:3");

	/* what the files set, after expansion, in file order */
	ck_assert_uint_eq(r.file_env.n, 3);
	assert_var(&r.file_env, 0, "A", "1", ".env:1");
	assert_var(&r.file_env, 1, "HOME", "/elsewhere", ".env:2");
	assert_var(&r.file_env, 2, "B", "1-/elsewhere", ".env:3");
	release_release(&r);
	diags_release(&d);
	tmpdir_remove(dir);
}
END_TEST

/* Later files win; labels are relative to the root, or absolute. */
START_TEST(test_release_env_files)
{
	struct release r;
	struct diags d;
	char *dir, *out, *list;

	dir = app("web: ./web\n", "A=root\nB=root\n");
	free(tmpdir_write(dir, "config/dev.env", "\nB=dev\nC=$B$A\n"));
	out = tmpdir_make();
	free(tmpdir_write(out, "far.env", "C=far\n"));
	xasprintf(&list, "%s/.env,%s/config/dev.env,%s/far.env", dir, dir,
	    out);
	ck_assert_int_eq(build(&r, dir, list, plain_env, &d), 0);
	assert_errors(&d, "");
	ck_assert_uint_eq(r.file_env.n, 3);
	assert_var(&r.file_env, 0, "A", "root", ".env:1");
	assert_var(&r.file_env, 1, "B", "dev", "config/dev.env:2");
	ck_assert_str_eq(r.file_env.vars[2].key, "C");
	ck_assert_str_eq(r.file_env.vars[2].value, "far");
	ck_assert_str_eq(r.file_env.vars[2].origin + strlen(out),
	    "/far.env:1");
	ck_assert_int_eq(strncmp(r.file_env.vars[2].origin, out,
	    strlen(out)), 0);
	ck_assert_uint_eq(r.env.n, 5);
	assert_var(&r.env, 3, "B", "dev", "config/dev.env:2");
	release_release(&r);
	diags_release(&d);
	free(list);
	tmpdir_remove(out);
	tmpdir_remove(dir);
}
END_TEST

/* The hash follows the content, not the time or the line numbers. */
START_TEST(test_release_hash)
{
	struct release a, b;
	struct diags d;
	char *dir, hash[sizeof a.hash];

	dir = app("web: ./web\nworker: ./work\n", "A=1\nB=2\n");
	ck_assert_int_eq(build(&a, dir, NULL, plain_env, &d), 0);
	diags_release(&d);
	memcpy(hash, a.hash, sizeof hash);
	ck_assert_int_eq(build(&b, dir, NULL, plain_env, &d), 0);
	ck_assert_str_eq(b.hash, hash);
	b.created_at += 100;
	release_hash(&b);
	ck_assert_str_eq(b.hash, hash);
	release_release(&b);
	diags_release(&d);

	free(tmpdir_write(dir, ".env", "# moved down a line\nA=1\nB=2\n"));
	ck_assert_int_eq(build(&b, dir, NULL, plain_env, &d), 0);
	ck_assert_str_eq(b.env.vars[2].origin, ".env:2");
	ck_assert_str_eq(b.hash, hash);
	release_release(&b);
	diags_release(&d);

	free(tmpdir_write(dir, ".env", "A=1\nB=3\n"));
	ck_assert_int_eq(build(&b, dir, NULL, plain_env, &d), 0);
	ck_assert_str_ne(b.hash, hash);
	release_release(&b);
	diags_release(&d);

	free(tmpdir_write(dir, ".env", "A=1\nB=2\n"));
	free(tmpdir_write(dir, "Procfile", "web: ./web --fast\nworker: "
	    "./work\n"));
	ck_assert_int_eq(build(&b, dir, NULL, plain_env, &d), 0);
	ck_assert_str_ne(b.hash, hash);
	release_release(&b);
	diags_release(&d);

	/* an inherited variable is content too */
	free(tmpdir_write(dir, "Procfile", "web: ./web\nworker: ./work\n"));
	ck_assert_int_eq(build(&b, dir, NULL, NULL, &d), 0);
	ck_assert_str_ne(b.hash, hash);
	release_release(&b);
	release_release(&a);
	diags_release(&d);
	tmpdir_remove(dir);
}
END_TEST

/* Every error of every file, not only the first file's. */
START_TEST(test_release_all_errors)
{
	struct release r;
	struct diags d;
	char *dir;

	dir = app("web: ./a\nweb: ./b\n<<<<<<< HEAD\n",
	    "A=1\nB=\"open\nC=2\n");
	free(tmpdir_write(dir, "local.env", "D='x' y\nE=5\n"));
	ck_assert_int_eq(build(&r, dir, ".env,local.env,gone.env", plain_env,
	    &d), -1);
	assert_errors(&d,
	    "Procfile:2: duplicate process type 'web' (first "
	    "defined at line 1)\n"
	    ".env:2: unterminated quote in the value of 'B'\n"
	    "local.env:1: unexpected text after the closing quote of 'D'\n"
	    "gone.env: cannot read: No such file or directory\n");
	ck_assert_uint_eq(d.nwarnings, 1);
	ck_assert_str_eq(d.warnings[0].file, "Procfile");
	ck_assert_int_eq(d.warnings[0].line, 3);
	release_release(&r);
	diags_release(&d);
	tmpdir_remove(dir);
}
END_TEST

START_TEST(test_release_missing_files)
{
	struct release r;
	struct diags d;
	char *dir;

	/* no Procfile: an error; no .env: fine, unless it was named */
	dir = app(NULL, NULL);
	ck_assert_int_eq(build(&r, dir, NULL, plain_env, &d), -1);
	assert_errors(&d, "Procfile: cannot read: No such file or "
	    "directory\n");
	ck_assert_int_eq(d.errors[0].line, 0);
	release_release(&r);
	diags_release(&d);

	free(tmpdir_write(dir, "Procfile", "web: ./web\n"));
	ck_assert_int_eq(build(&r, dir, NULL, plain_env, &d), 0);
	assert_errors(&d, "");
	ck_assert_uint_eq(r.file_env.n, 0);
	ck_assert_uint_eq(r.env.n, 2);
	release_release(&r);
	diags_release(&d);

	ck_assert_int_eq(build(&r, dir, ".env", plain_env, &d), -1);
	assert_errors(&d, ".env: cannot read: No such file or directory\n");
	release_release(&r);
	diags_release(&d);

	free(tmpdir_write(dir, "Procfile", "# nothing\n"));
	ck_assert_int_eq(build(&r, dir, NULL, plain_env, &d), -1);
	assert_errors(&d, "Procfile: no process types defined\n");
	release_release(&r);
	diags_release(&d);
	tmpdir_remove(dir);
}
END_TEST

START_TEST(test_release_copy_find)
{
	struct release r, c;
	struct diags d;
	char *dir;

	dir = app("web: ./web\nworker: ./work\nclock: ./clock\n", "A=1\n");
	ck_assert_int_eq(build(&r, dir, NULL, plain_env, &d), 0);
	r.version = 4;
	release_init(&c);
	release_copy(&c, &r);
	release_copy(&c, &r);	/* replaces, does not append */
	release_release(&r);
	ck_assert_int_eq(c.version, 4);
	ck_assert_str_eq(c.root, dir);
	ck_assert_uint_eq(c.nprocs, 3);
	ck_assert_str_eq(c.procs[2].origin, "Procfile:3");
	ck_assert_uint_eq(c.env.n, 3);
	ck_assert_uint_eq(c.file_env.n, 1);
	ck_assert_uint_eq(strlen(c.hash), 64);
	ck_assert_int_eq(release_index(&c, "web"), 0);
	ck_assert_int_eq(release_index(&c, "clock"), 2);
	ck_assert_int_eq(release_index(&c, "nope"), -1);
	ck_assert_str_eq(release_find(&c, "worker")->command, "./work");
	ck_assert_ptr_null(release_find(&c, "nope"));
	release_release(&c);
	diags_release(&d);
	tmpdir_remove(dir);
}
END_TEST

START_TEST(test_release_session_vars)
{
	static const char *const session[] = {
		"NOTIFY_SOCKET", "LISTEN_FDNAMES", "LISTEN_ANYTHING",
		"JOURNAL_STREAM", "INVOCATION_ID", "WATCHDOG_USEC",
		"WATCHDOG_PID", "FORMATION_PORT", "_", "OLDPWD", "PWD",
		"SHLVL", "TERM", "TMUX", "TMUX_PANE", "STY", "WINDOW",
		"TERM_SESSION_ID", "TERM_PROGRAM", "TERM_PROGRAM_VERSION",
		"COLORTERM", "SSH_TTY", "SSH_CLIENT", "SSH_CONNECTION",
		"SSH_AUTH_SOCK", "DISPLAY", "WAYLAND_DISPLAY",
		"XDG_SESSION_ID", "XDG_SESSION_TYPE", "XDG_VTNR",
		"DBUS_SESSION_BUS_ADDRESS", "WINDOWID", "SYSTEMD_EXEC_PID",
		"MANAGERPID", "RUNTIME_DIRECTORY", "STATE_DIRECTORY",
		"CACHE_DIRECTORY", "LOGS_DIRECTORY",
		"CONFIGURATION_DIRECTORY",
	};
	static const char *const app_vars[] = {
		"LISTEN", "FORMATION", "NOTIFY_SOCKETS", "PORT", "PATH",
		"HOME", "LANG", "__", "TERMINFO", "XDG_RUNTIME_DIR",
		"XDG_CONFIG_HOME", "SSH", "DATABASE_URL", "PWD_", "TMUX_X",
	};
	size_t i;

	for (i = 0; i < sizeof session / sizeof session[0]; i++)
		ck_assert_msg(release_session_var(session[i]) == 1, "%s",
		    session[i]);
	for (i = 0; i < sizeof app_vars / sizeof app_vars[0]; i++)
		ck_assert_msg(release_session_var(app_vars[i]) == 0, "%s",
		    app_vars[i]);
}
END_TEST

/* A type's settings are content: recorded, hashed, read back. */
START_TEST(test_release_settings)
{
	struct type_settings t;
	struct release a, b;
	struct diags d;
	char *dir;

	dir = app("web: ./web\nworker: ./work\n", "A=1\n");
	ck_assert_int_eq(build(&a, dir, NULL, plain_env, &d), 0);
	diags_release(&d);
	ck_assert_str_eq(env_get(&a.procs[1].settings, "tty"), "false");
	ck_assert_str_eq(env_get(&a.procs[1].settings, "timeout"), "10");
	free(tmpdir_write(dir, "formation.ini", "[formation]\ntimeout = 3\n"
	    "[process.worker]\ntty = true\nstop_signal = QUIT\n"
	    "[scale]\nworker = 4\n"));
	ck_assert_int_eq(build(&b, dir, NULL, plain_env, &d), 0);
	diags_release(&d);
	ck_assert_str_ne(a.hash, b.hash);
	t = release_type_settings(&b, "worker");
	ck_assert_int_eq(t.tty, 1);
	ck_assert_int_eq(t.stop_signal, SIGQUIT);
	ck_assert_int_eq(t.timeout_ms, 3000);
	t = release_type_settings(&b, "web");
	ck_assert_int_eq(t.tty, 0);
	ck_assert_int_eq(t.timeout_ms, 3000);
	t = release_type_settings(&b, "clock");
	ck_assert_int_eq(t.timeout_ms, 10000);
	release_release(&b);

	/* counts are live state, not content */
	free(tmpdir_write(dir, "formation.ini", "[scale]\nworker = 4\n"));
	ck_assert_int_eq(build(&b, dir, NULL, plain_env, &d), 0);
	diags_release(&d);
	ck_assert_str_eq(a.hash, b.hash);
	release_release(&b);
	release_release(&a);
	tmpdir_remove(dir);
}
END_TEST

/*
 * ready with listen: no key is the implicit accept, recorded as no key
 * (the release of the same files before accept existed); accept and
 * started given are recorded, and make other releases.
 */
START_TEST(test_release_ready_accept)
{
	struct type_settings t;
	struct release a, b, c;
	struct diags d;
	char *dir;

	dir = app("web: ./web\n", "A=1\n");
	free(tmpdir_write(dir, "formation.ini",
	    "[process.web]\nlisten = tcp:$PORT\n"));
	ck_assert_int_eq(build(&a, dir, NULL, plain_env, &d), 0);
	diags_release(&d);
	ck_assert_ptr_null(env_get(&a.procs[0].settings, "ready"));
	ck_assert_str_eq(env_get(&a.procs[0].settings, "overlap"), "true");
	t = release_type_settings(&a, "web");
	ck_assert_int_eq(t.ready.kind, READY_ACCEPT);
	ck_assert_int_eq(t.ready.implicit, 1);

	free(tmpdir_write(dir, "formation.ini",
	    "[process.web]\nlisten = tcp:$PORT\nready = accept\n"));
	ck_assert_int_eq(build(&b, dir, NULL, plain_env, &d), 0);
	diags_release(&d);
	ck_assert_str_eq(env_get(&b.procs[0].settings, "ready"), "accept");
	ck_assert_str_ne(a.hash, b.hash);
	t = release_type_settings(&b, "web");
	ck_assert_int_eq(t.ready.kind, READY_ACCEPT);
	ck_assert_int_eq(t.ready.implicit, 0);

	free(tmpdir_write(dir, "formation.ini",
	    "[process.web]\nlisten = tcp:$PORT\nready = started\n"));
	ck_assert_int_eq(build(&c, dir, NULL, plain_env, &d), 0);
	diags_release(&d);
	ck_assert_str_eq(env_get(&c.procs[0].settings, "ready"), "started");
	ck_assert_str_ne(a.hash, c.hash);
	t = release_type_settings(&c, "web");
	ck_assert_int_eq(t.ready.kind, READY_STARTED);
	release_release(&c);

	/* Without listen, started is no key, as it always was. */
	free(tmpdir_write(dir, "formation.ini",
	    "[process.web]\nready = started\n"));
	ck_assert_int_eq(build(&c, dir, NULL, plain_env, &d), 0);
	diags_release(&d);
	ck_assert_ptr_null(env_get(&c.procs[0].settings, "ready"));
	t = release_type_settings(&c, "web");
	ck_assert_int_eq(t.ready.kind, READY_STARTED);
	release_release(&c);
	release_release(&b);
	release_release(&a);
	tmpdir_remove(dir);
}
END_TEST

/* Two terminals, two logins, a restart by systemd: one release. */
START_TEST(test_release_session_hash)
{
	char *const one[] = {
		"PATH=/usr/bin:/bin", "HOME=/home/u", "_=/usr/bin/formation",
		"OLDPWD=/tmp", "PWD=/srv/app", "SHLVL=2", "TERM=xterm",
		"TMUX=/tmp/tmux-1000/default,1,0", "TMUX_PANE=%1",
		"SSH_CONNECTION=10.0.0.1 5000 10.0.0.2 22",
		"SYSTEMD_EXEC_PID=41", "INVOCATION_ID=aaa", NULL
	};
	char *const two[] = {
		"TERM=screen-256color", "PATH=/usr/bin:/bin", "SHLVL=4",
		"XDG_SESSION_ID=7", "HOME=/home/u", "COLORTERM=truecolor",
		"SYSTEMD_EXEC_PID=9000", "MANAGERPID=1", "_=/bin/sh", NULL
	};
	char *const other[] = { "PATH=/usr/bin:/bin", "HOME=/home/v", NULL };
	struct release a, b;
	struct diags d;
	char *dir;

	dir = app("web: ./web\n", "A=1\n");
	ck_assert_int_eq(build(&a, dir, NULL, one, &d), 0);
	diags_release(&d);
	ck_assert_uint_eq(a.env.n, 3);
	ck_assert_ptr_null(env_get(&a.env, "TERM"));
	ck_assert_ptr_null(env_get(&a.env, "PWD"));
	ck_assert_int_eq(build(&b, dir, NULL, two, &d), 0);
	diags_release(&d);
	ck_assert_str_eq(a.hash, b.hash);
	ck_assert_int_eq(env_equal(&a.env, &b.env), 1);
	release_release(&b);
	ck_assert_int_eq(build(&b, dir, NULL, other, &d), 0);
	diags_release(&d);
	ck_assert_str_ne(a.hash, b.hash);
	release_release(&b);
	release_release(&a);
	tmpdir_remove(dir);
}
END_TEST

/* TERM: the env files', else a one-off's caller's, else a pty's. */
START_TEST(test_release_term)
{
	char *const envp[] = { "PATH=/bin", "TERM=vt100", NULL };
	struct release r;
	struct diags d;
	char *dir;

	dir = app("web: ./web\n", "A=1\n");
	ck_assert_int_eq(build(&r, dir, NULL, envp, &d), 0);
	diags_release(&d);
	ck_assert_ptr_null(release_term(&r, 0, NULL));
	ck_assert_ptr_null(release_term(&r, 0, ""));
	ck_assert_str_eq(release_term(&r, 1, NULL), "xterm-256color");
	ck_assert_str_eq(release_term(&r, 1, "screen"), "screen");
	ck_assert_str_eq(release_term(&r, 0, "screen"), "screen");
	release_release(&r);

	free(tmpdir_write(dir, ".env", "TERM=dumb\n"));
	ck_assert_int_eq(build(&r, dir, NULL, envp, &d), 0);
	diags_release(&d);
	ck_assert_str_eq(env_find(&r.env, "TERM")->origin, ".env:1");
	ck_assert_str_eq(release_term(&r, 0, NULL), "dumb");
	ck_assert_str_eq(release_term(&r, 1, "screen"), "dumb");
	release_release(&r);
	tmpdir_remove(dir);
}
END_TEST

static Suite *
release_suite(void)
{
	Suite *s = suite_create("release");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_release_build);
	tcase_add_test(tc, test_release_env_files);
	tcase_add_test(tc, test_release_hash);
	tcase_add_test(tc, test_release_all_errors);
	tcase_add_test(tc, test_release_missing_files);
	tcase_add_test(tc, test_release_copy_find);
	tcase_add_test(tc, test_release_settings);
	tcase_add_test(tc, test_release_ready_accept);
	tcase_add_test(tc, test_release_session_vars);
	tcase_add_test(tc, test_release_session_hash);
	tcase_add_test(tc, test_release_term);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(release_suite)
