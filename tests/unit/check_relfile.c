#include <stdlib.h>
#include <string.h>

#include "common/relfile.h"
#include "common/strbuf.h"
#include "common/xmalloc.h"
#include "tests/unit/unit.h"

static struct release r, back;
static struct strbuf text;
static char *err;

static void
setup(void)
{
	release_init(&r);
	release_init(&back);
	strbuf_init(&text, 0);
	err = NULL;
}

static void
teardown(void)
{
	release_release(&r);
	release_release(&back);
	strbuf_release(&text);
	free(err);
}

static void
add_proc(struct release *rel, const char *name, const char *command,
    const char *origin)
{
	release_add_proc(rel, name, command, origin);
}

/* Settings as formation.ini text gives them. */
static void
ini_settings(struct settings *s, const char *ini)
{
	struct diags d;

	settings_init(s);
	diags_init(&d);
	ck_assert_int_eq(config_parse(s, "formation.ini", ini, strlen(ini),
	    &d), 0);
	diags_release(&d);
}

/* A plain release: two types and their settings, three variables. */
static void
plain(void)
{
	struct settings s;

	r.version = 3;
	r.created_at = 1717171717;
	r.root = xstrdup("/srv/app");
	add_proc(&r, "web", "bundle exec puma -p $PORT", "Procfile:1");
	add_proc(&r, "worker", "sidekiq", "Procfile:2");
	ini_settings(&s, "[process.worker]\ntty = yes\nstop_signal = INT\n"
	    "timeout = 2.5\n");
	release_set_settings(&r, &s);
	settings_release(&s);
	env_set(&r.env, "PATH", "/usr/bin:/bin", "inherited");
	env_set(&r.env, "DATABASE_URL", "postgres://db/app", ".env:2");
	env_set(&r.file_env, "DATABASE_URL", "postgres://db/app", ".env:2");
	release_hash(&r);
	relfile_write(&r, &text);
}

static int
parse(const char *s, size_t len)
{
	free(err);
	err = NULL;
	return relfile_read(s, len, &back, &err);
}

/* s fails to parse with exactly the message want. */
static void
assert_refused(const char *s, const char *want)
{
	ck_assert_int_eq(parse(s, strlen(s)), -1);
	ck_assert_ptr_nonnull(err);
	ck_assert_str_eq(err, want);
	ck_assert_uint_eq(back.nprocs, 0);
	ck_assert_ptr_null(back.root);
}

/* text with *at made c is refused with exactly want. */
static void
assert_edited(char *at, char c, const char *want)
{
	*at = c;
	ck_assert_int_eq(parse(text.buf, text.len), -1);
	ck_assert_str_eq(err, want);
}

static void
assert_same_env(const struct env *a, const struct env *b)
{
	size_t i;

	ck_assert_uint_eq(a->n, b->n);
	for (i = 0; i < a->n; i++) {
		ck_assert_str_eq(a->vars[i].key, b->vars[i].key);
		ck_assert_str_eq(a->vars[i].value, b->vars[i].value);
		ck_assert_str_eq(a->vars[i].origin, b->vars[i].origin);
	}
}

static void
assert_same(const struct release *a, const struct release *b)
{
	size_t i;

	ck_assert_int_eq(a->version, b->version);
	ck_assert_int_eq((long long)a->created_at, (long long)b->created_at);
	ck_assert_str_eq(a->root, b->root);
	ck_assert_str_eq(a->hash, b->hash);
	ck_assert_int_eq(a->format, b->format);
	ck_assert_uint_eq(a->nprocs, b->nprocs);
	for (i = 0; i < a->nprocs; i++) {
		ck_assert_str_eq(a->procs[i].name, b->procs[i].name);
		ck_assert_str_eq(a->procs[i].command, b->procs[i].command);
		ck_assert_str_eq(a->procs[i].origin, b->procs[i].origin);
		ck_assert_int_eq(env_equal(&a->procs[i].settings,
		    &b->procs[i].settings), 1);
	}
	assert_same_env(&a->env, &b->env);
	assert_same_env(&a->file_env, &b->file_env);
}

START_TEST(test_relfile_plain)
{
	plain();
	ck_assert_int_eq(parse(text.buf, text.len), 0);
	assert_same(&r, &back);
}
END_TEST

START_TEST(test_relfile_layout)
{
	struct strbuf want = STRBUF_INIT;

	plain();
	strbuf_addf(&want, "formation-release 2\nversion 3\n"
	    "created_at 1717171717\nroot /srv/app\nhash %s\n"
	    "proc web bundle\\sexec\\spuma\\s-p\\s$PORT Procfile:1\n"
	    "proc worker sidekiq Procfile:2\n"
	    "setting web tty false\n"
	    "setting web restart always\n"
	    "setting web stop_signal SIGTERM\n"
	    "setting web timeout 10\n"
	    "setting worker tty true\n"
	    "setting worker restart always\n"
	    "setting worker stop_signal SIGINT\n"
	    "setting worker timeout 2.5\n"
	    "env PATH /usr/bin:/bin inherited\n"
	    "env DATABASE_URL postgres://db/app .env:2\n"
	    "file_env DATABASE_URL postgres://db/app .env:2\n"
	    "end\n", r.hash);
	ck_assert_str_eq(text.buf, want.buf);
	strbuf_release(&want);
}
END_TEST

START_TEST(test_relfile_awkward_values)
{
	static const char *const values[] = {
		"", " ", "-", "\\-", "\\", "\\\\s", "a  b", " lead", "trail ",
		"line\nbreak\r\n", "\ttab", "\x01\x1f\x7f",
		"caf\xc3\xa9 \xe2\x9c\x93",
		"\xff\xfe not utf-8", "%h $HOME ${X:-y} 'q' \"dq\"", "end",
	};
	struct strbuf big = STRBUF_INIT, again = STRBUF_INIT;
	char name[32];
	size_t i;

	r.version = 12;
	r.created_at = 0;
	r.root = xstrdup("/tmp/my app%1/\xc3\xa9\\x");
	for (i = 0; i < 70000; i++)
		strbuf_addch(&big, "ab \\\n\t\x02"[i % 7]);
	add_proc(&r, "big", big.buf, "Procfile:1");
	for (i = 0; i < sizeof values / sizeof values[0]; i++) {
		snprintf(name, sizeof name, "p%zu", i);
		add_proc(&r, name, values[i], values[i]);
		snprintf(name, sizeof name, "K%zu", i);
		env_set(&r.env, name, values[i], values[i]);
		env_set(&r.file_env, name, values[i], "");
	}
	release_hash(&r);
	relfile_write(&r, &text);
	ck_assert_ptr_null(memchr(text.buf, '\t', text.len));
	ck_assert_int_eq(parse(text.buf, text.len), 0);
	assert_same(&r, &back);
	ck_assert_uint_eq(strlen(back.procs[0].command), 70000);
	relfile_write(&back, &again);
	ck_assert_uint_eq(again.len, text.len);
	ck_assert_int_eq(memcmp(again.buf, text.buf, text.len), 0);
	strbuf_release(&big);
	strbuf_release(&again);
}
END_TEST

START_TEST(test_relfile_every_prefix_refused)
{
	size_t len;

	plain();
	for (len = 0; len < text.len; len++) {
		ck_assert_int_eq(parse(text.buf, len), -1);
		ck_assert_ptr_nonnull(err);
		ck_assert_ptr_nonnull(strstr(err, len < 20 ?
		    "not a release file" : "truncated"));
	}
	ck_assert_int_eq(parse(text.buf, text.len), 0);
}
END_TEST

START_TEST(test_relfile_truncated_messages)
{
	plain();
	ck_assert_int_eq(parse(text.buf, text.len - 4), -1);
	ck_assert_str_eq(err, "line 19: truncated: no 'end' line");
	ck_assert_int_eq(parse(text.buf, text.len - 1), -1);
	ck_assert_str_eq(err, "line 19: truncated: no newline");
	ck_assert_int_eq(parse(text.buf, text.len - 10), -1);
	ck_assert_str_eq(err, "line 18: truncated: no newline");
}
END_TEST

START_TEST(test_relfile_hand_edited)
{
	char *p;

	plain();
	p = strstr(text.buf, "sidekiq");
	ck_assert_ptr_nonnull(p);
	p[0] = 'S';
	ck_assert_int_eq(parse(text.buf, text.len), -1);
	ck_assert_str_eq(err, "line 5: hash does not match the content "
	    "(was the file edited?)");
	p[0] = 's';
	p = strstr(text.buf, "version 3");
	p[8] = '4';
	ck_assert_int_eq(parse(text.buf, text.len), 0);
	ck_assert_int_eq(back.version, 4);
}
END_TEST

START_TEST(test_relfile_format_version)
{
	plain();
	text.buf[18] = '3';
	ck_assert_int_eq(parse(text.buf, text.len), -1);
	ck_assert_str_eq(err, "line 1: unknown format version '3' "
	    "(expected 1 to 2)");
	text.buf[18] = '1';
	ck_assert_int_eq(parse(text.buf, text.len), -1);
	ck_assert_str_eq(err, "line 8: unknown line 'setting web tty fals'");
	assert_refused("formation-release 10\nend\n",
	    "line 1: unknown format version '10' (expected 1 to 2)");
	assert_refused("formation-release 0\nend\n",
	    "line 1: unknown format version '0' (expected 1 to 2)");
	assert_refused("formation-release\nend\n",
	    "line 1: not a release file");
}
END_TEST

/*
 * A file written before settings were release content (format 1, its
 * hash over root, types, commands and environment, computed here apart
 * from the code under test) still loads, as it was, session variables
 * and all; written again, it is the same file.
 */
START_TEST(test_relfile_format_1)
{
	static const char old[] = "formation-release 1\nversion 7\n"
	    "created_at 1717171717\nroot /srv/app\n"
	    "hash 5cc0f2a06836d507ad9497f20ff539964efe21d6eb7539de081c667ea226d300\n"
	    "proc web bundle\\sexec\\spuma\\s-p\\s$PORT Procfile:1\n"
	    "proc worker sidekiq Procfile:2\n"
	    "env PATH /usr/bin:/bin inherited\n"
	    "env SHLVL 2 inherited\n"
	    "env TERM xterm inherited\n"
	    "env DATABASE_URL postgres://db/app .env:2\n"
	    "file_env DATABASE_URL postgres://db/app .env:2\n"
	    "end\n";
	struct type_settings t;

	ck_assert_int_eq(parse(old, sizeof old - 1), 0);
	ck_assert_int_eq(back.format, 1);
	ck_assert_int_eq(back.version, 7);
	ck_assert_uint_eq(back.nprocs, 2);
	ck_assert_uint_eq(back.procs[1].settings.n, 0);
	ck_assert_str_eq(env_get(&back.env, "TERM"), "xterm");
	ck_assert_str_eq(back.hash, "5cc0f2a06836d507ad9497f20ff539964efe21d6"
	    "eb7539de081c667ea226d300");
	t = release_type_settings(&back, "worker");
	ck_assert_int_eq(t.tty, 0);
	ck_assert_int_eq(t.timeout_ms, 10000);
	relfile_write(&back, &text);
	ck_assert_str_eq(text.buf, old);
}
END_TEST

/*
 * A release with listen written before ready = accept existed (by that
 * daemon, its hash its own): it loads as it was, its types without a
 * ready key checked by the implicit accept, a ready = started given then
 * beside listen included (it recorded no key); written again, it is the
 * same file.
 */
START_TEST(test_relfile_listen_before_accept)
{
	static const char old[] = "formation-release 2\nversion 1\n"
	    "created_at 1796192369\nreason up\nsummary first\\srelease\n"
	    "root /tmp/oldrel\n"
	    "hash c58b162cd229f0241435fb832e6bd9a715e10e3da1517c09f75cb84f7ed8547d\n"
	    "proc web ./web Procfile:1\n"
	    "proc clock ./clock Procfile:2\n"
	    "setting web tty false\n"
	    "setting web restart always\n"
	    "setting web stop_signal SIGTERM\n"
	    "setting web timeout 10\n"
	    "setting web listen tcp:$PORT\n"
	    "setting web overlap true\n"
	    "setting clock tty false\n"
	    "setting clock restart always\n"
	    "setting clock stop_signal SIGTERM\n"
	    "setting clock timeout 10\n"
	    "setting clock listen unix:c.sock\n"
	    "setting clock overlap true\n"
	    "env PATH /usr/bin:/bin inherited\n"
	    "env HOME /tmp inherited\n"
	    "end\n";
	struct type_settings t;

	ck_assert_int_eq(parse(old, sizeof old - 1), 0);
	ck_assert_str_eq(back.hash, "c58b162cd229f0241435fb832e6bd9a715e10e3d"
	    "a1517c09f75cb84f7ed8547d");
	t = release_type_settings(&back, "web");
	ck_assert_int_eq(t.ready.kind, READY_ACCEPT);
	ck_assert_int_eq(t.ready.implicit, 1);
	ck_assert_int_eq(t.overlap, 1);
	t = release_type_settings(&back, "clock");
	ck_assert_int_eq(t.ready.kind, READY_ACCEPT);
	ck_assert_int_eq(t.ready.implicit, 1);
	relfile_write(&back, &text);
	ck_assert_str_eq(text.buf, old);
}
END_TEST

/* Settings are content: read back, hashed, and checked on reading. */
START_TEST(test_relfile_settings)
{
	struct type_settings t;
	char hash[65], *p;

	plain();
	ck_assert_int_eq(parse(text.buf, text.len), 0);
	t = release_type_settings(&back, "worker");
	ck_assert_int_eq(t.tty, 1);
	ck_assert_int_eq(t.stop_signal, 2);
	ck_assert_int_eq(t.timeout_ms, 2500);
	ck_assert_int_eq(t.restart, RESTART_ALWAYS);
	t = release_type_settings(&back, "web");
	ck_assert_int_eq(t.tty, 0);
	ck_assert_int_eq(t.stop_signal, 15);

	/* a changed setting is a changed release */
	memcpy(hash, r.hash, sizeof hash);
	env_set(&r.procs[1].settings, "tty", "false", NULL);
	release_hash(&r);
	ck_assert_str_ne(r.hash, hash);

	p = strstr(text.buf, "worker timeout 2.5");
	assert_edited(p + 17, '6', "line 5: hash does not match the content "
	    "(was the file edited?)");
	assert_edited(p + 17, 'x', "line 15: setting 'timeout' of 'worker': "
	    "bad timeout '2.x': expected seconds (10, 0.5)");
	p[17] = '5';
	p = strstr(text.buf, "worker tty true");
	memcpy(p + 7, "sty", 3);
	ck_assert_int_eq(parse(text.buf, text.len), -1);
	ck_assert_str_eq(err, "line 12: setting 'sty' of 'worker': unknown "
	    "key 'sty'");
	memcpy(p + 7, "tty", 3);
	p[0] = 'W';
	ck_assert_int_eq(parse(text.buf, text.len), -1);
	ck_assert_str_eq(err, "line 12: setting of an unknown process type "
	    "'Worker'");
	assert_refused("formation-release 2\nproc web w Procfile:1\n"
	    "setting web tty true\nsetting web tty true\nend\n",
	    "line 4: second setting 'tty' of 'web'");
	assert_refused("formation-release 2\nsetting web tty true\n"
	    "proc web w Procfile:1\nend\n",
	    "line 2: setting of an unknown process type 'web'");
}
END_TEST

/* The code line: read back, hashed, checked. */
START_TEST(test_relfile_code)
{
	static const char commit[] = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432";
	static const char diff[] =
	    "5e3a09f1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	char hash[65], *p;

	plain();
	memcpy(hash, r.hash, sizeof hash);
	r.code.commit = xstrdup(commit);
	release_hash(&r);
	ck_assert_str_ne(r.hash, hash);
	memcpy(hash, r.hash, sizeof hash);
	r.code.diff = xstrdup(diff);
	release_hash(&r);
	ck_assert_str_ne(r.hash, hash);
	strbuf_reset(&text);
	relfile_write(&r, &text);
	ck_assert_ptr_nonnull(strstr(text.buf, "\ncode 9f8e7d6c5b4a39281706f5e4"
	    "d3c2b1a098765432 5e3a09f1aaaa"));
	ck_assert_int_eq(parse(text.buf, text.len), 0);
	assert_same(&r, &back);
	ck_assert_str_eq(back.code.commit, commit);
	ck_assert_str_eq(back.code.diff, diff);

	/* clean: no digest */
	free(r.code.diff);
	r.code.diff = NULL;
	release_hash(&r);
	strbuf_reset(&text);
	relfile_write(&r, &text);
	ck_assert_ptr_nonnull(strstr(text.buf, "32 \\-\n"));
	ck_assert_int_eq(parse(text.buf, text.len), 0);
	ck_assert_ptr_null(back.code.diff);

	/* a commit is content */
	p = strstr(text.buf, "code 9f8e");
	assert_edited(p + 5, '8', "line 5: hash does not match the content "
	    "(was the file edited?)");
	assert_edited(p + 5, 'x', "line 6: bad commit "
	    "'xf8e7d6c5b4a39281706f5e4d3c2b1a098765432'");
	assert_refused("formation-release 2\ncode 9f8e7d6c5b4a39281706f5e4d3c2b1"
	    "a098765432 \\-\ncode 9f8e7d6c5b4a39281706f5e4d3c2b1a098765432 "
	    "\\-\nend\n", "line 3: second 'code'");
	assert_refused("formation-release 2\ncode 9f8e7d6c5b4a39281706f5e4d3c2b1"
	    "a098765432 abc\nend\n", "line 2: bad digest 'abc'");
	assert_refused("formation-release 1\ncode 9f8e7d6c5b4a39281706f5e4d3c2b1"
	    "a098765432 \\-\nend\n", "line 2: unknown line 'code 9f8e7d6c5b4a"
	    "392'");
}
END_TEST

/* Why it was made: read back, not content. */
START_TEST(test_relfile_reason)
{
	char hash[65];

	plain();
	memcpy(hash, r.hash, sizeof hash);
	r.reason = xstrdup("rollback of v3");
	r.summary = xstrdup("DEBUG changed; web command changed");
	release_hash(&r);
	ck_assert_str_eq(r.hash, hash);
	strbuf_reset(&text);
	relfile_write(&r, &text);
	ck_assert_ptr_nonnull(strstr(text.buf, "\nreason rollback\\sof\\sv3\n"
	    "summary DEBUG\\schanged;\\sweb\\scommand\\schanged\n"));
	ck_assert_int_eq(parse(text.buf, text.len), 0);
	ck_assert_str_eq(back.reason, "rollback of v3");
	ck_assert_str_eq(back.summary, "DEBUG changed; web command changed");
	assert_refused("formation-release 2\nreason up\nreason up\nend\n",
	    "line 3: second 'reason'");
	assert_refused("formation-release 2\nstatus broken\nend\n",
	    "line 2: bad status 'broken'");
	r.status = RELEASE_FAILED;
	strbuf_reset(&text);
	relfile_write(&r, &text);
	ck_assert_ptr_nonnull(strstr(text.buf, "\nstatus failed\n"));
	ck_assert_int_eq(parse(text.buf, text.len), 0);
	ck_assert_int_eq(back.status, RELEASE_FAILED);
	ck_assert_str_eq(back.hash, r.hash);
}
END_TEST

START_TEST(test_relfile_garbage)
{
	static const char bin[] = "formation-release 1\nversion 1\0\n";

	assert_refused("", "line 1: not a release file");
	assert_refused("\n", "line 1: not a release file");
	assert_refused("hello world\n", "line 1: not a release file");
	assert_refused("\x7f" "ELF\x02\x01\x01", "line 1: not a release file");
	ck_assert_int_eq(parse(bin, sizeof bin - 1), -1);
	ck_assert_str_eq(err, "line 2: NUL byte");
	assert_refused("formation-release 1\nversion x\nend\n",
	    "line 2: bad version 'x'");
	assert_refused("formation-release 1\nversion 0\nend\n",
	    "line 2: bad version '0'");
	assert_refused("formation-release 1\nversion 99999999999\nend\n",
	    "line 2: bad version '99999999999'");
	assert_refused("formation-release 1\ncreated_at -1\nend\n",
	    "line 2: bad created_at '-1'");
	assert_refused("formation-release 1\nhash abc\nend\n",
	    "line 2: bad hash 'abc'");
	assert_refused("formation-release 1\nversion 1\nversion 2\nend\n",
	    "line 3: second 'version'");
	assert_refused("formation-release 1\nfrobnicate 1\nend\n",
	    "line 2: unknown line 'frobnicate 1'");
	assert_refused("formation-release 1\nversion\nend\n",
	    "line 2: 'version' takes 1 value");
	assert_refused("formation-release 1\nversion 1 2\nend\n",
	    "line 2: 'version' takes 1 value");
	assert_refused("formation-release 1\nproc web  cmd o\nend\n",
	    "line 2: 'proc' takes 3 values");
	assert_refused("formation-release 1\nproc web cmd o \nend\n",
	    "line 2: 'proc' takes 3 values");
	assert_refused("formation-release 1\nproc web a\\qb o\nend\n",
	    "line 2: bad escape '\\qb'");
	assert_refused("formation-release 1\nproc web a\\x0 o\nend\n",
	    "line 2: bad escape '\\x0'");
	assert_refused("formation-release 1\nproc web a\\x00 o\nend\n",
	    "line 2: bad escape '\\x00'");
	assert_refused("formation-release 1\nproc web a\\ o\nend\n",
	    "line 2: bad escape '\\'");
	assert_refused("formation-release 1\nproc w a o\nproc w b o\nend\n",
	    "line 3: second process type 'w'");
	assert_refused("formation-release 1\nenv A=B v o\nend\n",
	    "line 2: bad key 'A=B'");
	assert_refused("formation-release 1\nend\n",
	    "line 2: no 'version' line");
	assert_refused("formation-release 1\nend\nend\n",
	    "line 3: text after 'end'");
}
END_TEST

START_TEST(test_relfile_escape)
{
	relfile_escape(&text, "a b\\c\x1b\n");
	ck_assert_str_eq(text.buf, "a\\sb\\\\c\\x1b\\n");
	strbuf_reset(&text);
	relfile_escape(&text, "");
	ck_assert_str_eq(text.buf, "\\-");
}
END_TEST

static Suite *
relfile_suite(void)
{
	Suite *s = suite_create("relfile");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_relfile_plain);
	tcase_add_test(tc, test_relfile_layout);
	tcase_add_test(tc, test_relfile_awkward_values);
	tcase_add_test(tc, test_relfile_every_prefix_refused);
	tcase_add_test(tc, test_relfile_truncated_messages);
	tcase_add_test(tc, test_relfile_hand_edited);
	tcase_add_test(tc, test_relfile_format_version);
	tcase_add_test(tc, test_relfile_format_1);
	tcase_add_test(tc, test_relfile_listen_before_accept);
	tcase_add_test(tc, test_relfile_settings);
	tcase_add_test(tc, test_relfile_code);
	tcase_add_test(tc, test_relfile_reason);
	tcase_add_test(tc, test_relfile_garbage);
	tcase_add_test(tc, test_relfile_escape);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(relfile_suite)
