/*
 * Whom formation trusts: the names it gives uids, the directories it
 * keeps state in, and what a daemon of root asks of the files it runs.
 */
#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/config.h"
#include "common/diag.h"
#include "common/trust.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "tests/unit/tmpdir.h"
#include "tests/unit/unit.h"

static struct stat
stat_of(uid_t uid, mode_t mode)
{
	struct stat st;

	memset(&st, 0, sizeof st);
	st.st_uid = uid;
	st.st_mode = mode;
	return st;
}

START_TEST(test_trust_who)
{
	char buf[TRUST_WHO_MAX];

	ck_assert_str_eq(trust_who(0, buf, sizeof buf), "uid 0 (root)");
	ck_assert_str_eq(trust_name(0, buf, sizeof buf), "root");
	/* Debian's nobody; a uid with no name is a number. */
	ck_assert_str_eq(trust_who(65534, buf, sizeof buf),
	    "uid 65534 (nobody)");
	ck_assert_str_eq(trust_who(4123456, buf, sizeof buf), "uid 4123456");
	ck_assert_str_eq(trust_name(4123456, buf, sizeof buf), "uid 4123456");
}
END_TEST

START_TEST(test_trust_dir)
{
	struct stat st;
	char *why = NULL, me[TRUST_WHO_MAX], *want;
	uid_t other = geteuid() == 65534 ? 4123456 : 65534;

	st = stat_of(geteuid(), S_IFDIR | 0700);
	ck_assert_int_eq(trust_dir(&st, ".formation", &why), 0);
	ck_assert_ptr_null(why);
	/* A wide mode is for the caller to tighten, not a refusal. */
	st = stat_of(geteuid(), S_IFDIR | 0777);
	ck_assert_int_eq(trust_dir(&st, ".formation", &why), 0);

	st = stat_of(geteuid(), S_IFLNK | 0777);
	ck_assert_int_eq(trust_dir(&st, ".formation", &why), -1);
	ck_assert_str_eq(why, ".formation: a symbolic link: refusing to "
	    "follow it");
	free(why);

	st = stat_of(other, S_IFLNK | 0777);
	ck_assert_int_eq(trust_dir(&st, ".formation", &why), -1);
	xasprintf(&want, ".formation: owned by uid %lu%s, not by %s: "
	    "refusing to use it", (unsigned long)other,
	    other == 65534 ? " (nobody)" : "",
	    trust_name(geteuid(), me, sizeof me));
	ck_assert_str_eq(why, want);
	free(want);
	free(why);
}
END_TEST

/* trust_file() of a stat; its diagnostics in d. */
static int
judge(struct settings *s, uid_t uid, mode_t mode, struct diags *d)
{
	struct stat st = stat_of(uid, S_IFREG | mode);

	return trust_file(s, &st, "/srv/app/Procfile", "Procfile", d);
}

START_TEST(test_trust_file)
{
	struct settings s;
	struct diags d;
	const char *owned = "Procfile: owned by uid 65534 (nobody), not by "
	    "root: fix it with 'chown root /srv/app/Procfile', or set "
	    "trust_others (formationd(8) SECURITY)\n";
	const char *group = "Procfile: writable by group (mode 0664): fix it "
	    "with 'chmod go-w /srv/app/Procfile', or set trust_others "
	    "(formationd(8) SECURITY)\n";
	char *got;

	settings_init(&s);
	diags_init(&d);
	/* Off unless the daemon asks (formation check, export). */
	ck_assert_int_eq(judge(&s, 65534, 0666, &d), 0);
	ck_assert_uint_eq(d.nerrors + d.nwarnings, 0);
	s.guard = 1;
	s.trust_others = 1;
	ck_assert_int_eq(judge(&s, 65534, 0666, &d), 0);
	ck_assert_uint_eq(d.nerrors + d.nwarnings, 0);
	s.trust_others = 0;
	ck_assert_int_eq(judge(&s, geteuid(), 0644, &d), 0);
	ck_assert_int_eq(judge(&s, 0, 0600, &d), 0);
	ck_assert_uint_eq(d.nerrors + d.nwarnings, 0);
	if (geteuid() == 0) {
		ck_assert_int_eq(judge(&s, 65534, 0644, &d), -1);
		assert_errors(&d, owned);
		diags_release(&d);
		ck_assert_int_eq(judge(&s, 0, 0664, &d), -1);
		assert_errors(&d, group);
		diags_release(&d);
		ck_assert_int_eq(judge(&s, 65534, 0646, &d), -1);
		ck_assert_uint_eq(d.nerrors, 2);
		ck_assert_ptr_nonnull(strstr(d.errors[1].message,
		    "writable by others (mode 0646)"));
	} else {
		/* Not root: a warning for what anyone may write, only. */
		ck_assert_int_eq(judge(&s, 65534, 0664, &d), 0);
		ck_assert_uint_eq(d.nerrors + d.nwarnings, 0);
		ck_assert_int_eq(judge(&s, geteuid(), 0666, &d), 0);
		ck_assert_uint_eq(d.nerrors, 0);
		ck_assert_uint_eq(d.nwarnings, 1);
		got = d.warnings[0].message;
		ck_assert_str_eq(got, "writable by others (mode 0666): anyone "
		    "may change what runs; fix it with 'chmod o-w "
		    "/srv/app/Procfile'");
	}
	diags_release(&d);
	settings_release(&s);
}
END_TEST

/* trust_app() of the app in dir, as the daemon asks for it. */
static int
judge_app(const char *dir, struct diags *d)
{
	struct settings s;
	int rc;

	settings_init(&s);
	s.root = xstrdup(dir);
	s.guard = 1;
	rc = trust_app(&s, d);
	settings_release(&s);
	return rc;
}

START_TEST(test_trust_app)
{
	struct diags d;
	char *tmp, *app, *link, *want;

	unsetenv("STATE_DIRECTORY");
	tmp = tmpdir_make();
	diags_init(&d);
	/* No .formation yet, a private root: nothing to say. */
	ck_assert_int_eq(judge_app(tmp, &d), 0);
	ck_assert_uint_eq(d.nerrors + d.nwarnings, 0);
	app = path_join(tmp, ".formation");
	link = path_join(tmp, "elsewhere");
	ck_assert_int_eq(mkdir(link, 0700), 0);
	ck_assert_int_eq(symlink(link, app), 0);
	ck_assert_int_eq(judge_app(tmp, &d), -1);
	assert_errors(&d, ".formation: a symbolic link: refusing to follow "
	    "it\n");
	diags_release(&d);
	ck_assert_int_eq(unlink(app), 0);
	ck_assert_int_eq(mkdir(app, 0700), 0);
	ck_assert_int_eq(judge_app(tmp, &d), 0);

	/* A root others may write: refused by root, a warning otherwise. */
	ck_assert_int_eq(chmod(tmp, 01777), 0);
	if (geteuid() == 0) {
		ck_assert_int_eq(judge_app(tmp, &d), -1);
		xasprintf(&want, "%s: writable by group and others (mode "
		    "1777): fix it with 'chmod go-w %s', or set trust_others "
		    "(formationd(8) SECURITY)\n", tmp, tmp);
		assert_errors(&d, want);
		free(want);
	} else {
		ck_assert_int_eq(judge_app(tmp, &d), 0);
		ck_assert_uint_eq(d.nwarnings, 1);
	}
	diags_release(&d);
	ck_assert_int_eq(chmod(tmp, 0700), 0);
	free(link);
	free(app);
	tmpdir_remove(tmp);
}
END_TEST

static Suite *
trust_suite(void)
{
	Suite *s = suite_create("trust");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_trust_who);
	tcase_add_test(tc, test_trust_dir);
	tcase_add_test(tc, test_trust_file);
	tcase_add_test(tc, test_trust_app);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(trust_suite)
