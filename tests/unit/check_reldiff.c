#include <stdlib.h>
#include <string.h>

#include "common/reldiff.h"
#include "common/strbuf.h"
#include "tests/unit/unit.h"

static struct release a, b;

static void
setup(void)
{
	struct settings s;

	release_init(&a);
	release_init(&b);
	a.root = strdup("/srv/app");
	release_add_proc(&a, "web", "bundle exec puma", "Procfile:1");
	release_add_proc(&a, "clock", "clockwork", "Procfile:2");
	env_set(&a.env, "PATH", "/bin", "inherited");
	env_set(&a.env, "DEBUG", "0", ".env:1");
	env_set(&a.env, "OLD", "x", ".env:2");
	settings_init(&s);
	release_set_settings(&a, &s);
	settings_release(&s);
	release_copy(&b, &a);
}

static void
teardown(void)
{
	release_release(&a);
	release_release(&b);
}

/* Each difference as "kind how name key from to", a line each. */
static void
collect(const struct reldiff_item *it, void *arg)
{
	static const char *const kinds[] = { "code", "proc", "setting", "env",
	    "root" };
	static const char *const hows[] = { "added", "removed", "changed" };
	struct strbuf *sb = arg;

	strbuf_addf(sb, "%s %s %s %s %s %s\n", kinds[it->kind], hows[it->how],
	    it->name, it->key != NULL ? it->key : "-",
	    it->from != NULL ? it->from : "-", it->to != NULL ? it->to : "-");
}

static void
assert_diff(const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	reldiff(&a, &b, collect, &sb);
	ck_assert_str_eq(sb.buf != NULL ? sb.buf : "", want);
	strbuf_release(&sb);
}

static void
assert_summary(const struct release *from, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	reldiff_summary(from, &b, &sb);
	ck_assert_str_eq(sb.buf, want);
	strbuf_release(&sb);
}

START_TEST(test_reldiff_same)
{
	assert_diff("");
	assert_summary(&a, "same content");
	assert_summary(NULL, "first release");
}
END_TEST

START_TEST(test_reldiff_everything)
{
	struct release_proc *p;

	env_set(&b.env, "DEBUG", "1", ".env:1");
	env_unset(&b.env, "OLD");
	env_set(&b.env, "NEW", "y", ".env:3");
	free(b.procs[0].command);
	b.procs[0].command = strdup("bundle exec puma -t 5");
	p = release_add_proc(&b, "worker", "sidekiq", "Procfile:3");
	env_set(&p->settings, "tty", "true", NULL);
	env_set(&b.procs[1].settings, "tty", "true", NULL);
	b.code.commit = strdup("9f8e7d6c5b4a39281706f5e4d3c2b1a098765432");
	assert_diff("code changed code - - none -> 9f8e7d6\n"
	    "proc changed web - bundle exec puma bundle exec puma -t 5\n"
	    "proc added worker - - sidekiq\n"
	    "setting changed clock tty false true\n"
	    "env changed DEBUG - 0 1\n"
	    "env added NEW - - y\n"
	    "env removed OLD - x -\n");
	assert_summary(&a, "DEBUG changed; NEW added; OLD removed; code none "
	    "-> 9f8e7d6; web command changed; worker added; clock tty false "
	    "-> true");
}
END_TEST

START_TEST(test_reldiff_removed_and_root)
{
	size_t i;

	/* clock gone */
	free(b.procs[1].name);
	free(b.procs[1].command);
	free(b.procs[1].origin);
	env_release(&b.procs[1].settings);
	b.nprocs = 1;
	free(b.root);
	b.root = strdup("/srv/other");
	assert_diff("proc removed clock - clockwork -\n"
	    "root changed root - /srv/app /srv/other\n");
	assert_summary(&a, "clock removed; root /srv/app -> /srv/other");

	/* many keys: three named, the rest counted */
	free(b.root);
	b.root = strdup("/srv/app");
	for (i = 0; i < 5; i++) {
		char key[8];

		snprintf(key, sizeof key, "K%zu", i);
		env_set(&b.env, key, "v", ".env:9");
	}
	assert_summary(&a, "K0, K1, K2 and 2 more added; clock removed");
}
END_TEST

/* A type of a format 1 file has no settings: they are not compared. */
START_TEST(test_reldiff_format_1)
{
	env_release(&a.procs[0].settings);
	a.format = 1;
	assert_diff("");
	assert_summary(&a, "same content");
}
END_TEST

/* Two uncommitted states on one commit are told apart. */
START_TEST(test_reldiff_code_detail)
{
	a.code.commit = strdup("a1b2c3d4e5f60718293a4b5c6d7e8f9012345678");
	a.code.diff = strdup("11111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	b.code.commit = strdup(a.code.commit);
	b.code.diff = strdup("22222222aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	assert_summary(&a, "code a1b2c3d+dirty:11111111 -> "
	    "a1b2c3d+dirty:22222222");
}
END_TEST

static Suite *
reldiff_suite(void)
{
	Suite *s = suite_create("reldiff");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_reldiff_same);
	tcase_add_test(tc, test_reldiff_everything);
	tcase_add_test(tc, test_reldiff_removed_and_root);
	tcase_add_test(tc, test_reldiff_format_1);
	tcase_add_test(tc, test_reldiff_code_detail);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(reldiff_suite)
