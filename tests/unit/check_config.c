#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/config.h"
#include "common/strbuf.h"
#include "tests/unit/tmpdir.h"
#include "tests/unit/unit.h"

/* Load text as DIR/formation.ini with root DIR. */
static int
load_ini(struct settings *s, const char *text, struct diags *d)
{
	char *dir, *path;
	int r;

	dir = tmpdir_make();
	path = tmpdir_write(dir, "formation.ini", text);
	settings_init(s);
	s->root = xstrdup(dir);
	diags_init(d);
	r = config_load(s, path, d);
	free(path);
	tmpdir_remove(dir);
	return r;
}

static char *
rooted(const struct settings *s, const char *name)
{
	return path_join(s->root, name);
}

static void
assert_path(const struct settings *s, const char *got, const char *name)
{
	char *want;

	want = rooted(s, name);
	ck_assert_str_eq(got, want);
	free(want);
}

START_TEST(test_config_every_key)
{
	static const char ini[] =
	    "; formation.ini\n"
	    "[formation]\n"
	    "procfile = Procfile.dev      ; relative to the root\n"
	    "env = .env, config/dev.env\n"
	    "port = 6000\n"
	    "timeout = 0.5\n"
	    "restart = on-failure\n"
	    "color = always\n"
	    "\n"
	    "[scale]\n"
	    "web = 2\n"
	    "all = 0\n"
	    "\n"
	    "# per type\n"
	    "[process.web]\n"
	    "stop_signal = SIGINT\n"
	    "timeout = 30\n"
	    "restart = never\n"
	    "tty = true\n";
	struct settings s;
	struct diags d;

	ck_assert_int_eq(load_ini(&s, ini, &d), 0);
	assert_errors(&d, "");
	ck_assert_uint_eq(d.nwarnings, 0);
	assert_path(&s, s.procfile, "Procfile.dev");
	ck_assert_uint_eq(s.nenv_files, 2);
	assert_path(&s, s.env_files[0], ".env");
	assert_path(&s, s.env_files[1], "config/dev.env");
	ck_assert_int_eq(s.env_files_given, 1);
	ck_assert_int_eq(s.port, 6000);
	ck_assert_int_eq(s.timeout_ms, 500);
	ck_assert_int_eq(s.restart, RESTART_ON_FAILURE);
	ck_assert_int_eq(s.color, 1);
	ck_assert_int_eq(formspec_count(&s.scale, "web"), 2);
	ck_assert_int_eq(formspec_count(&s.scale, "worker"), 0);
	/* Lines, for check's messages. */
	ck_assert_uint_eq(s.scale.n, 1);
	ck_assert_int_eq(s.scale.entries[0].line, 11);
	ck_assert_int_eq(s.scale.all_line, 12);
	ck_assert_uint_eq(s.ntypes, 1);
	ck_assert_str_eq(s.types[0].name, "web");
	ck_assert_int_eq(s.types[0].line, 15);
	ck_assert_int_eq(s.types[0].stop_signal, SIGINT);
	ck_assert_int_eq(s.types[0].timeout_ms, 30000);
	ck_assert_int_eq(s.types[0].restart, RESTART_NEVER);
	ck_assert_int_eq(s.types[0].tty, 1);
	settings_release(&s);
	diags_release(&d);
}
END_TEST

START_TEST(test_config_value_spellings)
{
	static const char ini[] =
	    "\xef\xbb\xbf[formation]\r\n"
	    "color = never\r\n"
	    "port: 1\r\n"
	    "[process.a]\ntty = YES\nstop_signal = INT\n"
	    "[process.b]\ntty = off\nstop_signal = 9\n"
	    "[process.c]\ntty = 1\nstop_signal = sigusr1\n"
	    "[process.d]\ntty = False\n"
	    "[process.e]\ntty = on\n"
	    "[process.f]\ntty = no\n"
	    "[process.g]\ntty = 0\n"
	    "[ formation ]\ncolor = auto\nport = 65535\n";
	static const int tty[] = { 1, 0, 1, 0, 1, 0, 0 };
	struct settings s;
	struct diags d;
	size_t i;

	ck_assert_int_eq(load_ini(&s, ini, &d), 0);
	assert_errors(&d, "");
	ck_assert_int_eq(s.color, -1);
	ck_assert_int_eq(s.port, 65535);
	ck_assert_uint_eq(s.ntypes, 7);
	for (i = 0; i < s.ntypes; i++)
		ck_assert_int_eq(s.types[i].tty, tty[i]);
	ck_assert_int_eq(s.types[0].stop_signal, SIGINT);
	ck_assert_int_eq(s.types[1].stop_signal, SIGKILL);
	ck_assert_int_eq(s.types[2].stop_signal, SIGUSR1);
	ck_assert_int_eq(s.types[3].stop_signal, -1);
	settings_release(&s);
	diags_release(&d);
}
END_TEST

/* inih keeps 49 bytes of a section name; the whole name is used. */
START_TEST(test_config_long_section)
{
	static const char ini[] =
	    "[scale]   ; counts\n"
	    "a_process_type_with_a_rather_long_name_of_sixty_bytes_xx = 3\n"
	    "[process.a_process_type_with_a_rather_long_name_of_sixty_bytes_xx]"
	    "\ntty = true\n";
	struct settings s;
	struct diags d;

	ck_assert_int_eq(load_ini(&s, ini, &d), 0);
	assert_errors(&d, "");
	ck_assert_uint_eq(s.ntypes, 1);
	ck_assert_uint_eq(strlen(s.types[0].name), 56);
	ck_assert_int_eq(formspec_count(&s.scale, s.types[0].name), 3);
	ck_assert_int_eq(s.types[0].tty, 1);
	settings_release(&s);
	diags_release(&d);
}
END_TEST

/* Every error, each at its own line, in one pass. */
START_TEST(test_config_errors)
{
	static const char ini[] =
	    "port = 1\n"			/* 1 */
	    "[formation]\n"
	    "prot = 5000\n"
	    "port = abc\n"
	    "port = 0\n"			/* 5 */
	    "timeout = soon\n"
	    "restart = sometimes\n"
	    "color = blue\n"
	    "procfile =\n"
	    "just words\n"			/* 10 */
	    "[scale\n"
	    "[scale]\n"
	    "w@b = 1\n"
	    "web = many\n"
	    "[process.w@b]\n"			/* 15 */
	    "tty = true\n"
	    "[process.web]\n"
	    "stop_signal = SIGNOPE\n"
	    "timeout = -1\n"
	    "restart = maybe\n"		/* 20 */
	    "tty = perhaps\n"
	    "user = root\n"
	    "[servers]\n"
	    "a = 1\n"
	    "b = 2\n"				/* 25 */
	    "[formation]\n"
	    "port = 5000\n"
	    "  timeout = 3\n";
	struct settings s;
	struct diags d;

	ck_assert_int_eq(load_ini(&s, ini, &d), -1);
	assert_errors(&d,
	    "formation.ini:1: key 'port' outside a section\n"
	    "formation.ini:3: unknown key 'prot' in [formation]\n"
	    "formation.ini:4: bad port 'abc': expected 1-65535\n"
	    "formation.ini:5: bad port '0': expected 1-65535\n"
	    "formation.ini:6: bad timeout 'soon': expected seconds (10, 0.5)\n"
	    "formation.ini:7: bad restart policy 'sometimes': expected "
	    "always, on-failure or never\n"
	    "formation.ini:8: bad color 'blue': expected auto, always or "
	    "never\n"
	    "formation.ini:9: empty procfile path\n"
	    "formation.ini:10: expected 'key = value' or '[section]'\n"
	    "formation.ini:11: section header without ']'\n"
	    "formation.ini:13: bad process type name 'w@b'\n"
	    "formation.ini:14: bad count 'many' for 'web': expected a number "
	    "from 0 to 10000\n"
	    "formation.ini:15: bad process type name 'w@b' in "
	    "[process.w@b]\n"
	    "formation.ini:18: bad signal 'SIGNOPE': expected a name (TERM, "
	    "SIGTERM) or a number\n"
	    "formation.ini:19: bad timeout '-1': expected seconds (10, 0.5)\n"
	    "formation.ini:20: bad restart policy 'maybe': expected always, "
	    "on-failure or never\n"
	    "formation.ini:21: bad tty 'perhaps': expected true or false\n"
	    "formation.ini:22: unknown key 'user' in [process.web]\n"
	    "formation.ini:23: unknown section [servers]\n"
	    "formation.ini:28: indented line taken as a continuation of "
	    "'port': values are one line, unindent it\n");
	/* the good lines still count, for a caller that goes on */
	ck_assert_int_eq(s.port, 5000);
	settings_release(&s);
	diags_release(&d);
}
END_TEST

/* log_memory: a size with a unit, in bounds. */
START_TEST(test_config_log_memory)
{
	static const struct {
		const char		*v;
		unsigned long long	 want;	/* 0: an error */
	} cases[] = {
		{ "64M", 64ULL << 20 }, { "512K", 512ULL << 10 },
		{ "1G", 1ULL << 30 }, { "2GiB", 2ULL << 30 },
		{ "100KB", 100ULL << 10 }, { "1048576", 1ULL << 20 },
		{ "1024G", 1ULL << 40 }, { "64k", 64ULL << 10 },
		{ "63K", 0 }, { "1025G", 0 }, { "lots", 0 }, { "10X", 0 },
		{ "10Mb", 0 }, { "-1M", 0 },
	};
	struct settings s;
	struct diags d;
	char ini[128], err[256];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(ini, sizeof ini, "[formation]\nlog_memory = %s\n",
		    cases[i].v);
		ck_assert_int_eq(load_ini(&s, ini, &d),
		    cases[i].want ? 0 : -1);
		if (cases[i].want) {
			ck_assert_uint_eq(s.log_memory, cases[i].want);
		} else {
			snprintf(err, sizeof err, "formation.ini:2: bad "
			    "log_memory '%s': expected a size from 64K to "
			    "1024G (64M, 512K, 1G)\n", cases[i].v);
			assert_errors(&d, err);
		}
		settings_release(&s);
		diags_release(&d);
	}
	settings_init(&s);
	ck_assert_uint_eq(s.log_memory, 64ULL << 20);
	settings_release(&s);
}
END_TEST

/* inih would split a line longer than 199 bytes: the file is refused
 * before it is parsed, so no half-read value can slip in. */
START_TEST(test_config_long_line)
{
	struct strbuf ini = STRBUF_INIT;
	struct settings s;
	struct diags d;
	size_t i;

	strbuf_addstr(&ini, "[formation]\n; ");
	for (i = 0; i < 197; i++)
		strbuf_addch(&ini, 'x');
	strbuf_addstr(&ini, "\nport = 6000\n");
	ck_assert_uint_eq(strchr(ini.buf + 12, '\n') - (ini.buf + 12), 199);
	ck_assert_int_eq(load_ini(&s, ini.buf, &d), 0);
	assert_errors(&d, "");
	ck_assert_int_eq(s.port, 6000);
	settings_release(&s);
	diags_release(&d);

	strbuf_reset(&ini);
	strbuf_addstr(&ini, "[formation]\nenv = ");
	for (i = 0; i < 194; i++)
		strbuf_addch(&ini, 'e');
	strbuf_addstr(&ini, "\nport = 6000\nport = bad\n");
	ck_assert_int_eq(load_ini(&s, ini.buf, &d), -1);
	assert_errors(&d, "formation.ini:2: line too long (max 199 bytes)\n");
	ck_assert_int_eq(s.port, -1);
	ck_assert_uint_eq(s.nenv_files, 0);
	settings_release(&s);
	diags_release(&d);
	strbuf_release(&ini);
}
END_TEST

START_TEST(test_config_nul_byte)
{
	static const char ini[] = "[formation]\nport = 6\0" "000\n";
	struct settings s;
	struct diags d;
	char *dir, *path;

	dir = tmpdir_make();
	path = tmpdir_write_len(dir, "formation.ini", ini, sizeof ini - 1);
	settings_init(&s);
	s.root = xstrdup(dir);
	diags_init(&d);
	ck_assert_int_eq(config_load(&s, path, &d), -1);
	assert_errors(&d, "formation.ini:2: NUL byte in line\n");
	ck_assert_int_eq(s.port, -1);
	free(path);
	tmpdir_remove(dir);
	settings_release(&s);
	diags_release(&d);
}
END_TEST

/* From memory: the length is what counts, not a NUL, and file labels. */
START_TEST(test_config_parse_text)
{
	static const char ini[] = "[formation]\nport = 6000\n[nope]\nx";
	struct settings s;
	struct diags d;

	settings_init(&s);
	s.root = xstrdup("/srv/app");
	diags_init(&d);
	ck_assert_int_eq(config_parse(&s, "mem.ini", ini, 24, &d), 0);
	ck_assert_int_eq(s.port, 6000);
	ck_assert_int_eq(config_parse(&s, "mem.ini", ini, sizeof ini - 1,
	    &d), -1);
	assert_errors(&d, "mem.ini:3: unknown section [nope]\n"
	    "mem.ini:4: expected 'key = value' or '[section]'\n");
	settings_release(&s);
	diags_release(&d);
}
END_TEST

START_TEST(test_config_missing)
{
	struct settings s;
	struct diags d;
	char *dir, *path;

	dir = tmpdir_make();
	path = path_join(dir, "formation.ini");
	settings_init(&s);
	s.root = xstrdup(dir);
	diags_init(&d);
	ck_assert_int_eq(config_load(&s, path, &d), 0);
	ck_assert_uint_eq(d.nerrors + d.nwarnings, 0);
	s.config_given = 1;
	ck_assert_int_eq(config_load(&s, path, &d), -1);
	assert_errors(&d, "formation.ini: cannot read: No such file or "
	    "directory\n");
	ck_assert_int_eq(d.errors[0].line, 0);
	/* a directory is never a fine formation.ini */
	s.config_given = 0;
	ck_assert_int_eq(config_load(&s, dir, &d), -1);
	ck_assert_uint_eq(d.nerrors, 2);
	ck_assert_str_eq(d.errors[1].message, "cannot read: Is a directory");
	free(path);
	tmpdir_remove(dir);
	settings_release(&s);
	diags_release(&d);
}
END_TEST

/* settings_load() run from the working directory cwd. */
static int
load_in(const char *cwd, const struct settings_flags *f, char *const *envp,
    struct settings *s, struct diags *d)
{
	int fd, r;

	fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(chdir(cwd), 0);
	diags_init(d);
	r = settings_load(s, f, envp, d);
	ck_assert_int_eq(fchdir(fd), 0);
	close(fd);
	return r;
}

START_TEST(test_settings_defaults)
{
	char *const envp[] = { "HOME=/nowhere", "FORMATION_PORT=", NULL };
	struct settings_flags f;
	struct settings s;
	struct diags d;
	char *dir;

	dir = tmpdir_make();
	settings_flags_init(&f);
	ck_assert_int_eq(load_in(dir, &f, envp, &s, &d), 0);
	ck_assert_uint_eq(d.nerrors + d.nwarnings, 0);
	ck_assert_str_eq(s.root, dir);
	assert_path(&s, s.procfile, "Procfile");
	ck_assert_uint_eq(s.nenv_files, 1);
	assert_path(&s, s.env_files[0], ".env");
	ck_assert_int_eq(s.env_files_given, 0);
	assert_path(&s, s.config_file, "formation.ini");
	ck_assert_int_eq(s.config_given, 0);
	ck_assert_int_eq(s.port, -1);
	ck_assert_int_eq(s.timeout_ms, 10000);
	ck_assert_int_eq(s.restart, RESTART_ALWAYS);
	ck_assert_int_eq(s.color, -1);
	ck_assert_ptr_null(s.socket);
	ck_assert_uint_eq(s.scale.n, 0);
	ck_assert_int_eq(s.scale.all, -1);
	ck_assert_uint_eq(s.ntypes, 0);
	settings_release(&s);
	diags_release(&d);
	tmpdir_remove(dir);
}
END_TEST

static const char layered_ini[] =
    "[formation]\n"
    "procfile = ini.Procfile\n"
    "env = ini.env\n"
    "port = 6000\n"
    "timeout = 6\n"
    "restart = never\n"
    "color = never\n"
    "[scale]\n"
    "web = 6\n"
    "worker = 6\n"
    "clock = 6\n";

static char *const layered_env[] = {
	"PATH=/usr/bin:/bin",
	"FORMATION_PROCFILE=env.Procfile",
	"FORMATION_ENV=env.env, other.env",
	"FORMATION_PORT=7000",
	"FORMATION_TIMEOUT=7",
	"FORMATION_RESTART=on-failure",
	"FORMATION_COLOR=always",
	"FORMATION_SCALE=worker=7,clock=7",
	"FORMATION_SOCKET=env.sock",
	NULL
};

/* Each layer over the one before: formation.ini over the defaults. */
START_TEST(test_settings_ini_layer)
{
	char *const envp[] = { NULL };
	struct settings_flags f;
	struct settings s;
	struct diags d;
	char *dir, *path;

	dir = tmpdir_make();
	path = tmpdir_write(dir, "formation.ini", layered_ini);
	settings_flags_init(&f);
	ck_assert_int_eq(load_in(dir, &f, envp, &s, &d), 0);
	assert_path(&s, s.procfile, "ini.Procfile");
	ck_assert_uint_eq(s.nenv_files, 1);
	assert_path(&s, s.env_files[0], "ini.env");
	ck_assert_int_eq(s.env_files_given, 1);
	ck_assert_int_eq(s.port, 6000);
	ck_assert_int_eq(s.timeout_ms, 6000);
	ck_assert_int_eq(s.restart, RESTART_NEVER);
	ck_assert_int_eq(s.color, 0);
	ck_assert_int_eq(formspec_count(&s.scale, "web"), 6);
	ck_assert_int_eq(formspec_count(&s.scale, "other"), 1);
	ck_assert_ptr_null(s.socket);
	settings_release(&s);
	diags_release(&d);
	free(path);
	tmpdir_remove(dir);
}
END_TEST

/* FORMATION_* over formation.ini; paths relative to the root even when
 * the working directory is elsewhere. */
START_TEST(test_settings_env_layer)
{
	struct settings_flags f;
	struct settings s;
	struct diags d;
	char *dir, *path, *sub;

	dir = tmpdir_make();
	path = tmpdir_write(dir, "formation.ini", layered_ini);
	sub = path_join(dir, "sub");
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	settings_flags_init(&f);
	f.root = "..";
	ck_assert_int_eq(load_in(sub, &f, layered_env, &s, &d), 0);
	assert_errors(&d, "");
	ck_assert_str_eq(s.root, dir);
	assert_path(&s, s.procfile, "env.Procfile");
	ck_assert_uint_eq(s.nenv_files, 2);
	assert_path(&s, s.env_files[0], "env.env");
	assert_path(&s, s.env_files[1], "other.env");
	ck_assert_int_eq(s.port, 7000);
	ck_assert_int_eq(s.timeout_ms, 7000);
	ck_assert_int_eq(s.restart, RESTART_ON_FAILURE);
	ck_assert_int_eq(s.color, 1);
	ck_assert_int_eq(formspec_count(&s.scale, "web"), 6);
	ck_assert_int_eq(formspec_count(&s.scale, "worker"), 7);
	ck_assert_int_eq(formspec_count(&s.scale, "clock"), 7);
	assert_path(&s, s.socket, "env.sock");
	settings_release(&s);
	diags_release(&d);
	free(sub);
	free(path);
	tmpdir_remove(dir);
}
END_TEST

/* Flags over everything; their relative paths are the working
 * directory's, as the user typed them there. */
START_TEST(test_settings_flag_layer)
{
	struct settings_flags f;
	struct settings s;
	struct diags d;
	char *dir, *path, *sub, *want;

	dir = tmpdir_make();
	path = tmpdir_write(dir, "formation.ini", layered_ini);
	sub = path_join(dir, "sub");
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	settings_flags_init(&f);
	f.root = dir;
	f.procfile = "flag.Procfile";
	f.env = "./flag.env,/abs/x.env";
	f.scale = "clock=8";
	f.port = "8000";
	f.timeout = "8";
	f.socket = "flag.sock";
	f.color = 0;
	ck_assert_int_eq(load_in(sub, &f, layered_env, &s, &d), 0);
	assert_errors(&d, "");
	ck_assert_str_eq(s.root, dir);
	/* With -C, relative flags are taken from there (make -C, git -C). */
	assert_path(&s, s.procfile, "flag.Procfile");
	ck_assert_uint_eq(s.nenv_files, 2);
	assert_path(&s, s.env_files[0], "flag.env");
	ck_assert_str_eq(s.env_files[1], "/abs/x.env");
	ck_assert_int_eq(s.port, 8000);
	ck_assert_int_eq(s.timeout_ms, 8000);
	ck_assert_int_eq(s.restart, RESTART_ON_FAILURE);	/* no flag */
	ck_assert_int_eq(s.color, 0);
	/* per type: ini's web, the variable's worker, the flag's clock */
	ck_assert_int_eq(formspec_count(&s.scale, "web"), 6);
	ck_assert_int_eq(formspec_count(&s.scale, "worker"), 7);
	ck_assert_int_eq(formspec_count(&s.scale, "clock"), 8);
	want = path_join(dir, "flag.sock");
	ck_assert_str_eq(s.socket, want);
	free(want);
	settings_release(&s);
	diags_release(&d);
	free(sub);
	free(path);
	tmpdir_remove(dir);
}
END_TEST

/* Without -C, the root is the directory of -f. */
START_TEST(test_settings_root_from_procfile)
{
	char *const envp[] = { NULL };
	struct settings_flags f;
	struct settings s;
	struct diags d;
	char *dir, *path, *want;

	dir = tmpdir_make();
	path = tmpdir_write(dir, "app/formation.ini",
	    "[formation]\nenv = config/dev.env\n");
	settings_flags_init(&f);
	f.procfile = "app/Procfile.dev";
	ck_assert_int_eq(load_in(dir, &f, envp, &s, &d), 0);
	assert_errors(&d, "");
	want = path_join(dir, "app");
	ck_assert_str_eq(s.root, want);
	free(want);
	assert_path(&s, s.procfile, "Procfile.dev");
	assert_path(&s, s.config_file, "formation.ini");
	assert_path(&s, s.env_files[0], "config/dev.env");
	ck_assert_str_eq(settings_label(&s, s.env_files[0]), "config/dev.env");
	settings_release(&s);
	diags_release(&d);
	free(path);
	tmpdir_remove(dir);
}
END_TEST

/* -c is the working directory's; FORMATION_CONFIG is the root's; the
 * ini's own paths are the root's wherever the ini is. */
START_TEST(test_settings_config_choice)
{
	char *const envp[] = { "FORMATION_CONFIG=conf/app.ini", NULL };
	char *const missing[] = { "FORMATION_CONFIG=conf/nope.ini", NULL };
	struct settings_flags f;
	struct settings s;
	struct diags d;
	char *dir, *a, *b;

	dir = tmpdir_make();
	a = tmpdir_write(dir, "conf/app.ini", "[formation]\nport = 6001\n"
	    "procfile = conf/Procfile\n");
	b = tmpdir_write(dir, "formation.ini", "[formation]\nport = 6002\n");
	settings_flags_init(&f);
	f.root = dir;
	ck_assert_int_eq(load_in(dir, &f, envp, &s, &d), 0);
	ck_assert_str_eq(s.config_file, a);
	ck_assert_int_eq(s.config_given, 1);
	ck_assert_int_eq(s.port, 6001);
	assert_path(&s, s.procfile, "conf/Procfile");
	settings_release(&s);
	diags_release(&d);

	f.config = "formation.ini";	/* the flag wins over the variable */
	ck_assert_int_eq(load_in(dir, &f, envp, &s, &d), 0);
	ck_assert_str_eq(s.config_file, b);
	ck_assert_int_eq(s.port, 6002);
	settings_release(&s);
	diags_release(&d);

	f.config = NULL;
	ck_assert_int_eq(load_in("/", &f, missing, &s, &d), -1);
	assert_errors(&d, "conf/nope.ini: cannot read: No such file or "
	    "directory\n");
	settings_release(&s);
	diags_release(&d);

	f.config = "nope.ini";
	ck_assert_int_eq(load_in(dir, &f, envp, &s, &d), -1);
	assert_errors(&d, "nope.ini: cannot read: No such file or "
	    "directory\n");
	settings_release(&s);
	diags_release(&d);
	free(a);
	free(b);
	tmpdir_remove(dir);
}
END_TEST

START_TEST(test_settings_bad_root)
{
	char *const envp[] = { NULL };
	struct settings_flags f;
	struct settings s;
	struct diags d;
	char *dir, *file;

	dir = tmpdir_make();
	file = tmpdir_write(dir, "Procfile", "web: ./web\n");
	settings_flags_init(&f);
	f.root = "missing";
	ck_assert_int_eq(load_in(dir, &f, envp, &s, &d), -1);
	ck_assert_uint_eq(d.nerrors, 1);
	ck_assert_str_eq(d.errors[0].message, "cannot use as the app root: "
	    "No such file or directory");
	ck_assert_ptr_null(s.root);
	settings_release(&s);
	diags_release(&d);

	f.root = "Procfile";
	ck_assert_int_eq(load_in(dir, &f, envp, &s, &d), -1);
	ck_assert_str_eq(d.errors[0].message, "cannot use as the app root: "
	    "Not a directory");
	settings_release(&s);
	diags_release(&d);
	free(file);
	tmpdir_remove(dir);
}
END_TEST

START_TEST(test_settings_env_errors)
{
	char *const envp[] = {
		"FORMATION_PORT=x", "FORMATION_TIMEOUT=1m",
		"FORMATION_RESTART=no", "FORMATION_COLOR=yes",
		"FORMATION_SCALE=web", NULL
	};
	struct settings s;
	struct diags d;

	settings_init(&s);
	diags_init(&d);
	ck_assert_int_eq(settings_from_env(&s, envp, &d), -1);
	assert_errors(&d,
	    "FORMATION_PORT: bad port 'x': expected 1-65535\n"
	    "FORMATION_TIMEOUT: bad timeout '1m': expected seconds (10, 0.5)\n"
	    "FORMATION_RESTART: bad restart policy 'no': expected always, "
	    "on-failure or never\n"
	    "FORMATION_SCALE: bad item 'web' in 'web': expected TYPE=COUNT\n"
	    "FORMATION_COLOR: bad color 'yes': expected auto, always or "
	    "never\n");
	ck_assert_int_eq(d.errors[0].line, 0);
	settings_release(&s);
	diags_release(&d);
}
END_TEST

START_TEST(test_settings_flag_errors)
{
	char *const envp[] = { NULL };
	struct settings_flags f;
	struct settings s;
	struct diags d;
	char *dir;

	dir = tmpdir_make();
	settings_flags_init(&f);
	f.port = "65536";
	f.timeout = "";
	f.scale = "web=1,,";
	f.procfile = "";
	ck_assert_int_eq(load_in(dir, &f, envp, &s, &d), -1);
	assert_errors(&d,
	    "-f: empty procfile path\n"
	    "-m: empty item in 'web=1,,'\n"
	    "-p: bad port '65536': expected 1-65535\n"
	    "-t: bad timeout '': expected seconds (10, 0.5)\n");
	settings_release(&s);
	diags_release(&d);
	tmpdir_remove(dir);
}
END_TEST

START_TEST(test_settings_for_type)
{
	struct type_settings t;
	struct settings s;
	struct diags d;

	ck_assert_int_eq(load_ini(&s, "[formation]\ntimeout = 4\nrestart = "
	    "never\n[process.web]\ntty = on\n[process.worker]\nstop_signal"
	    " = QUIT\ntimeout = 60\nrestart = always\n", &d), 0);
	t = settings_for_type(&s, "clock");
	ck_assert_ptr_null(t.name);
	ck_assert_int_eq(t.stop_signal, SIGTERM);
	ck_assert_int_eq(t.timeout_ms, 4000);
	ck_assert_int_eq(t.restart, RESTART_NEVER);
	ck_assert_int_eq(t.tty, 0);
	t = settings_for_type(&s, "web");
	ck_assert_str_eq(t.name, "web");
	ck_assert_int_eq(t.stop_signal, SIGTERM);
	ck_assert_int_eq(t.timeout_ms, 4000);
	ck_assert_int_eq(t.restart, RESTART_NEVER);
	ck_assert_int_eq(t.tty, 1);
	t = settings_for_type(&s, "worker");
	ck_assert_int_eq(t.stop_signal, SIGQUIT);
	ck_assert_int_eq(t.timeout_ms, 60000);
	ck_assert_int_eq(t.restart, RESTART_ALWAYS);
	ck_assert_int_eq(t.tty, 0);
	settings_release(&s);
	diags_release(&d);
}
END_TEST

START_TEST(test_settings_small_parts)
{
	struct settings s;

	ck_assert_int_eq(restart_policy_parse("always"), RESTART_ALWAYS);
	ck_assert_int_eq(restart_policy_parse("on-failure"),
	    RESTART_ON_FAILURE);
	ck_assert_int_eq(restart_policy_parse("never"), RESTART_NEVER);
	ck_assert_int_eq(restart_policy_parse("Always"), -1);
	ck_assert_str_eq(restart_policy_name(RESTART_ON_FAILURE),
	    "on-failure");
	ck_assert_str_eq(restart_policy_name(RESTART_NEVER), "never");

	settings_init(&s);
	ck_assert_str_eq(settings_label(&s, "/a/b"), "/a/b");
	s.root = xstrdup("/srv/app");
	ck_assert_str_eq(settings_label(&s, "/srv/app/Procfile"), "Procfile");
	ck_assert_str_eq(settings_label(&s, "/srv/app/config/dev.env"),
	    "config/dev.env");
	ck_assert_str_eq(settings_label(&s, "/srv/apple/.env"),
	    "/srv/apple/.env");
	ck_assert_str_eq(settings_label(&s, "/srv/app"), "/srv/app");
	settings_set_env_files(&s, " a.env ,, /b.env ,");
	ck_assert_uint_eq(s.nenv_files, 2);
	ck_assert_str_eq(s.env_files[0], "/srv/app/a.env");
	ck_assert_str_eq(s.env_files[1], "/b.env");
	ck_assert_int_eq(s.env_files_given, 1);
	settings_release(&s);
	ck_assert_ptr_null(s.root);
}
END_TEST

START_TEST(test_config_release_section)
{
	struct settings s;
	struct diags d;

	ck_assert_int_eq(load_ini(&s, "[formation]\nport = 6000\n", &d), 0);
	ck_assert_int_eq(s.code, SETTINGS_CODE_GIT);
	ck_assert_int_eq(s.strict, 0);
	settings_release(&s);
	diags_release(&d);
	ck_assert_int_eq(load_ini(&s, "[release]\ncode = none\nstrict = yes\n",
	    &d), 0);
	ck_assert_int_eq(s.code, SETTINGS_CODE_NONE);
	ck_assert_int_eq(s.strict, 1);
	settings_release(&s);
	diags_release(&d);
	ck_assert_int_eq(load_ini(&s, "[release]\ncode = svn\nstrict = "
	    "sometimes\nphase = 1\n", &d), -1);
	assert_errors(&d, "formation.ini:2: bad code 'svn': expected git or "
	    "none\n"
	    "formation.ini:3: bad strict 'sometimes': expected true or false\n"
	    "formation.ini:4: unknown key 'phase' in [release]\n");
	settings_release(&s);
	diags_release(&d);
}
END_TEST

/* Every per-type key as text, and back: what a release records. */
START_TEST(test_settings_type_text)
{
	static const struct {
		int		 sig, ms, restart, tty;
		const char	*want;
	} cases[] = {
		{ SIGTERM, 10000, RESTART_ALWAYS, 0,
		    "tty=false restart=always stop_signal=SIGTERM timeout=10" },
		{ SIGQUIT, 2500, RESTART_ON_FAILURE, 1,
		    "tty=true restart=on-failure stop_signal=SIGQUIT "
		    "timeout=2.5" },
		{ 36, 1, RESTART_NEVER, 0,
		    NULL },
		{ SIGINT, 0, RESTART_NEVER, 1,
		    "tty=true restart=never stop_signal=SIGINT timeout=0" },
		{ SIGHUP, 60250, RESTART_ALWAYS, 0,
		    "tty=false restart=always stop_signal=SIGHUP "
		    "timeout=60.25" },
	};
	struct strbuf sb = STRBUF_INIT;
	struct type_settings t, back;
	struct env text;
	size_t i, j;
	char *err;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memset(&t, 0, sizeof t);
		t.stop_signal = cases[i].sig;
		t.timeout_ms = cases[i].ms;
		t.restart = (enum restart_policy)cases[i].restart;
		t.tty = cases[i].tty;
		t.ready_timeout_ms = READY_TIMEOUT_MS;
		env_init(&text);
		settings_type_text(&t, &text);
		strbuf_reset(&sb);
		for (j = 0; j < text.n; j++)
			strbuf_addf(&sb, "%s%s=%s", j > 0 ? " " : "",
			    text.vars[j].key, text.vars[j].value);
		if (cases[i].want != NULL)
			ck_assert_str_eq(sb.buf, cases[i].want);
		memset(&back, 0, sizeof back);
		for (j = 0; j < text.n; j++)
			ck_assert_int_eq(settings_type_set(&back,
			    text.vars[j].key, text.vars[j].value, &err), 0);
		ck_assert_int_eq(back.stop_signal, t.stop_signal);
		ck_assert_int_eq(back.timeout_ms, t.timeout_ms);
		ck_assert_int_eq(back.restart, t.restart);
		ck_assert_int_eq(back.tty, t.tty);
		env_release(&text);
	}
	ck_assert_int_eq(settings_type_set(&back, "tty", "perhaps", &err), -1);
	ck_assert_str_eq(err, "bad tty 'perhaps': expected true or false");
	free(err);
	ck_assert_int_eq(settings_type_set(&back, "colour", "1", &err), -1);
	ck_assert_str_eq(err, "unknown key 'colour'");
	free(err);
	strbuf_release(&sb);
}
END_TEST

/* ready, ready_timeout and roll: each spelling, its text back, its
 * default left out of the text, and the errors that name the line. */
START_TEST(test_config_ready)
{
	static const struct {
		const char	*v, *text, *describe;
	} good[] = {
		{ "started", "started", "started" },
		{ "tcp", "tcp", "tcp :5000" },
		{ "tcp:127.0.0.1:6379", "tcp:127.0.0.1:6379",
		    "tcp 127.0.0.1:6379" },
		{ "tcp:localhost:80", "tcp:127.0.0.1:80", "tcp 127.0.0.1:80" },
		{ "tcp:[::1]:8080", "tcp:[::1]:8080", "tcp [::1]:8080" },
		{ "http:/health", "http:/health", "http :5000/health" },
		{ "http:/", "http:/", "http :5000/" },
		{ "notify", "notify", "notify" },
		{ "delay:2", "delay:2", "delay 2s" },
		{ "delay:0.25", "delay:0.25", "delay 0.25s" },
		{ "accept", "accept", "accept web" },
	};
	static const char ini[] =
	    "[process.web]\n"
	    "ready = tcp:db:5432\n"
	    "ready = http:health\n"
	    "ready = soon\n"
	    "ready = tcp:127.0.0.1:0\n"		/* 5 */
	    "ready = delay:-1\n"
	    "ready_timeout = never\n"
	    "roll = 0\n"
	    "[process.worker]\n"
	    "ready = notify\n"			/* 10 */
	    "ready_timeout = 2.5\n"
	    "roll = 3\n"
	    "overlap = yes\n"
	    "[process.web]\n"
	    "overlap = sometimes\n";		/* 15 */
	struct ready_spec r;
	struct type_settings t;
	struct settings s;
	struct diags d;
	struct env text;
	char buf[300], *err;
	size_t i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		ck_assert_int_eq(readyspec_parse(&r, good[i].v, &err), 0);
		readyspec_text(&r, buf, sizeof buf);
		ck_assert_str_eq(buf, good[i].text);
		readyspec_describe(&r, 5000, "web", buf, sizeof buf);
		ck_assert_str_eq(buf, good[i].describe);
		ck_assert_int_eq(r.implicit, 0);
	}
	ck_assert_int_eq(load_ini(&s, ini, &d), -1);
	assert_errors(&d,
	    "formation.ini:2: bad ready host 'db': expected an IP address or "
	    "localhost (a name would be looked up, which can block)\n"
	    "formation.ini:3: bad ready 'http:health': expected http:/PATH, "
	    "a path without spaces of at most 255 bytes\n"
	    "formation.ini:4: bad ready 'soon': expected started, accept, "
	    "tcp, tcp:HOST:PORT, http:/PATH, notify or delay:SECONDS\n"
	    "formation.ini:5: bad ready port '0': expected 1 to 65535\n"
	    "formation.ini:6: bad ready 'delay:-1': expected delay:SECONDS\n"
	    "formation.ini:7: bad timeout 'never': expected seconds (10, "
	    "0.5)\n"
	    "formation.ini:8: bad roll '0': expected how many instances at a "
	    "time, 1 to 10000\n"
	    "formation.ini:15: bad overlap 'sometimes': expected true or "
	    "false\n");
	/* The defaults, then what [process.worker] set. */
	t = settings_for_type(&s, "web");
	ck_assert_int_eq(t.ready.kind, READY_STARTED);
	ck_assert_int_eq(t.ready_timeout_ms, READY_TIMEOUT_MS);
	ck_assert_int_eq(t.roll, 1);
	env_init(&text);
	settings_type_text(&t, &text);
	ck_assert_ptr_null(env_get(&text, "ready"));
	ck_assert_ptr_null(env_get(&text, "ready_timeout"));
	ck_assert_ptr_null(env_get(&text, "roll"));
	ck_assert_ptr_null(env_get(&text, "overlap"));
	ck_assert_int_eq(t.overlap, 0);
	env_release(&text);
	t = settings_for_type(&s, "worker");
	ck_assert_int_eq(t.ready.kind, READY_NOTIFY);
	ck_assert_int_eq(t.ready_timeout_ms, 2500);
	ck_assert_int_eq(t.roll, 3);
	env_init(&text);
	settings_type_text(&t, &text);
	ck_assert_str_eq(env_get(&text, "ready"), "notify");
	ck_assert_str_eq(env_get(&text, "ready_timeout"), "2.5");
	ck_assert_str_eq(env_get(&text, "roll"), "3");
	ck_assert_str_eq(env_get(&text, "overlap"), "true");
	env_release(&text);
	settings_release(&s);
	diags_release(&d);
}
END_TEST

/* A ready check on a socket that listen holds is refused at its line,
 * whichever key comes first; one that looks elsewhere is kept. */
START_TEST(test_config_ready_listen)
{
	static const char ini[] =
	    "[process.web]\n"
	    "ready = tcp\n"
	    "listen = tcp:$PORT\n"
	    "[process.api]\n"
	    "listen = http=tcp:127.0.0.1:8080, unix:api.sock\n"	/* 5 */
	    "ready = tcp:localhost:8080\n"
	    "[process.www]\n"
	    "listen = tcp6:$PORT\n"
	    "ready = http:/health\n"
	    "[process.ok]\n"					/* 10 */
	    "listen = tcp:127.0.0.1:$PORT\n"
	    "ready = tcp:127.0.0.1:9090\n"
	    "[process.v6]\n"
	    "listen = tcp6:[::1]:8081\n"
	    "ready = tcp:127.0.0.1:8081\n"			/* 15 */
	    "[process.sock]\n"
	    "listen = unix:sock.sock\n"
	    "ready = tcp\n"
	    "[process.any]\n"
	    "listen = tcp:0.0.0.0:7000\n"			/* 20 */
	    "ready = tcp:127.0.0.1:7000\n"
	    "[process.note]\n"
	    "listen = tcp:$PORT\n"
	    "ready = notify\n";
	struct settings s;
	struct diags d;

	ck_assert_int_eq(load_ini(&s, ini, &d), -1);
	assert_errors(&d,
	    "formation.ini:2: ready = tcp cannot tell when a process of web "
	    "is ready: listen holds tcp:0.0.0.0:$PORT, which takes "
	    "connections into its queue for any instance or none, and the "
	    "PORT of the other instances has nothing on it; use ready = "
	    "accept (the default with listen), notify, delay:SECONDS, or "
	    "tcp:HOST:PORT of a port the process binds itself\n"
	    "formation.ini:6: ready = tcp:127.0.0.1:8080 cannot tell when a "
	    "process of api is ready: listen holds tcp:127.0.0.1:8080, which "
	    "takes connections into its queue for any instance or none; use "
	    "ready = accept (the default with listen), notify, "
	    "delay:SECONDS, or tcp:HOST:PORT of a port the process binds "
	    "itself\n"
	    "formation.ini:9: ready = http:/health cannot tell when a process "
	    "of www is ready: listen holds tcp6:[::]:$PORT, which takes "
	    "connections into its queue for any instance or none, and the "
	    "PORT of the other instances has nothing on it; use ready = "
	    "accept (the default with listen), notify, delay:SECONDS, or "
	    "tcp:HOST:PORT of a port the process binds itself\n"
	    "formation.ini:21: ready = tcp:127.0.0.1:7000 cannot tell when a "
	    "process of any is ready: listen holds tcp:0.0.0.0:7000, which "
	    "takes connections into its queue for any instance or none; use "
	    "ready = accept (the default with listen), notify, "
	    "delay:SECONDS, or tcp:HOST:PORT of a port the process binds "
	    "itself\n");
	settings_release(&s);
	diags_release(&d);
}
END_TEST

/*
 * A type with listen and no ready is checked by accept, implicitly, and
 * records no ready, as before there was accept; ready = accept given is
 * recorded, and so is ready = started beside listen, where it is no
 * longer the default. accept without listen is refused at its line.
 */
START_TEST(test_config_ready_accept)
{
	static const char ini[] =
	    "[process.web]\n"
	    "listen = tcp:$PORT\n"
	    "[process.api]\n"
	    "ready = accept\n"
	    "listen = unix:api.sock\n"				/* 5 */
	    "[process.old]\n"
	    "listen = tcp:127.0.0.1:7000\n"
	    "ready = started\n"
	    "[process.worker]\n"
	    "ready = started\n";				/* 10 */
	static const char bad[] =
	    "[process.web]\n"
	    "listen = tcp:$PORT\n"
	    "[process.worker]\n"
	    "roll = 2\n"
	    "ready = accept\n";				/* 5 */
	struct type_settings t, back;
	struct settings s;
	struct diags d;
	struct env text;
	char *err;
	size_t i;

	ck_assert_int_eq(load_ini(&s, ini, &d), 0);
	t = settings_for_type(&s, "web");
	ck_assert_int_eq(t.ready.kind, READY_ACCEPT);
	ck_assert_int_eq(t.ready.implicit, 1);
	ck_assert_int_eq(t.ready_given, 0);
	env_init(&text);
	settings_type_text(&t, &text);
	ck_assert_ptr_null(env_get(&text, "ready"));
	ck_assert_str_eq(env_get(&text, "listen"), "tcp:$PORT");
	/* Read back as a release reads it: the same check. */
	memset(&back, 0, sizeof back);
	for (i = 0; i < text.n; i++)
		ck_assert_int_eq(settings_type_set(&back, text.vars[i].key,
		    text.vars[i].value, &err), 0);
	settings_type_ready_default(&back);
	ck_assert_int_eq(back.ready.kind, READY_ACCEPT);
	ck_assert_int_eq(back.ready.implicit, 1);
	env_release(&text);

	t = settings_for_type(&s, "api");
	ck_assert_int_eq(t.ready.kind, READY_ACCEPT);
	ck_assert_int_eq(t.ready.implicit, 0);
	env_init(&text);
	settings_type_text(&t, &text);
	ck_assert_str_eq(env_get(&text, "ready"), "accept");
	env_release(&text);

	t = settings_for_type(&s, "old");
	ck_assert_int_eq(t.ready.kind, READY_STARTED);
	env_init(&text);
	settings_type_text(&t, &text);
	ck_assert_str_eq(env_get(&text, "ready"), "started");
	env_release(&text);

	/* Without listen, started is the default: not recorded. */
	t = settings_for_type(&s, "worker");
	ck_assert_int_eq(t.ready.kind, READY_STARTED);
	env_init(&text);
	settings_type_text(&t, &text);
	ck_assert_ptr_null(env_get(&text, "ready"));
	env_release(&text);
	t = settings_for_type(&s, "clock");
	ck_assert_int_eq(t.ready.kind, READY_STARTED);
	settings_release(&s);
	diags_release(&d);

	ck_assert_int_eq(load_ini(&s, bad, &d), -1);
	assert_errors(&d,
	    "formation.ini:5: ready = accept in [process.worker] needs "
	    "listen: it waits for a process of worker to accept a connection "
	    "on a socket the daemon holds, and worker has none\n");
	settings_release(&s);
	diags_release(&d);
}
END_TEST

static Suite *
config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *ini = tcase_create("ini");
	TCase *load = tcase_create("load");

	tcase_add_test(ini, test_config_every_key);
	tcase_add_test(ini, test_config_value_spellings);
	tcase_add_test(ini, test_config_long_section);
	tcase_add_test(ini, test_config_errors);
	tcase_add_test(ini, test_config_ready);
	tcase_add_test(ini, test_config_ready_listen);
	tcase_add_test(ini, test_config_ready_accept);
	tcase_add_test(ini, test_config_log_memory);
	tcase_add_test(ini, test_config_long_line);
	tcase_add_test(ini, test_config_nul_byte);
	tcase_add_test(ini, test_config_missing);
	tcase_add_test(ini, test_config_parse_text);
	suite_add_tcase(s, ini);
	tcase_add_test(load, test_settings_defaults);
	tcase_add_test(load, test_settings_ini_layer);
	tcase_add_test(load, test_settings_env_layer);
	tcase_add_test(load, test_settings_flag_layer);
	tcase_add_test(load, test_settings_root_from_procfile);
	tcase_add_test(load, test_settings_config_choice);
	tcase_add_test(load, test_settings_bad_root);
	tcase_add_test(load, test_settings_env_errors);
	tcase_add_test(load, test_settings_flag_errors);
	tcase_add_test(load, test_settings_for_type);
	tcase_add_test(load, test_settings_type_text);
	tcase_add_test(load, test_config_release_section);
	tcase_add_test(load, test_settings_small_parts);
	suite_add_tcase(s, load);
	return s;
}

UNIT_MAIN(config_suite)
