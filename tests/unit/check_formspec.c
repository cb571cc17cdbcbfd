#include <stdlib.h>
#include <string.h>

#include "common/formspec.h"
#include "common/procfile.h"
#include "tests/unit/unit.h"

/* Parse spec into a fresh formspec; the error, if any, into err. */
static int
parse(struct formspec *fs, const char *spec, char **err)
{
	formspec_init(fs);
	return formspec_parse(fs, spec, err);
}

START_TEST(test_formspec_counts)
{
	struct formspec fs;
	char *err;

	ck_assert_int_eq(parse(&fs, "web=2,worker=1,all=0", &err), 0);
	ck_assert_ptr_null(err);
	ck_assert_int_eq(formspec_count(&fs, "web"), 2);
	ck_assert_int_eq(formspec_count(&fs, "worker"), 1);
	ck_assert_int_eq(formspec_count(&fs, "clock"), 0);
	ck_assert_int_eq(fs.all, 0);
	ck_assert_uint_eq(fs.n, 2);
	formspec_release(&fs);

	/* all defaults to 1 */
	ck_assert_int_eq(parse(&fs, "web=3", &err), 0);
	ck_assert_int_eq(formspec_count(&fs, "worker"), 1);
	ck_assert_int_eq(fs.all, -1);
	formspec_release(&fs);
}
END_TEST

START_TEST(test_formspec_blanks)
{
	struct formspec fs;
	char *err;

	ck_assert_int_eq(parse(&fs, " web = 2 ,\tworker=10000 , all=3", &err),
	    0);
	ck_assert_int_eq(formspec_count(&fs, "web"), 2);
	ck_assert_int_eq(formspec_count(&fs, "worker"), 10000);
	ck_assert_int_eq(formspec_count(&fs, "other"), 3);
	formspec_release(&fs);
}
END_TEST

/* A later count for a type wins; parsing adds to what is there. */
START_TEST(test_formspec_layers)
{
	struct formspec fs;
	char *err;

	ck_assert_int_eq(parse(&fs, "web=1,worker=2,web=4", &err), 0);
	ck_assert_int_eq(formspec_count(&fs, "web"), 4);
	ck_assert_uint_eq(fs.n, 2);
	ck_assert_int_eq(formspec_parse(&fs, "web=3,clock=0", &err), 0);
	ck_assert_int_eq(formspec_count(&fs, "web"), 3);
	ck_assert_int_eq(formspec_count(&fs, "worker"), 2);
	ck_assert_int_eq(formspec_count(&fs, "clock"), 0);
	ck_assert_str_eq(fs.entries[0].name, "web");
	ck_assert_str_eq(fs.entries[2].name, "clock");
	formspec_release(&fs);
}
END_TEST

static void
check_error(const char *spec, const char *want)
{
	struct formspec fs;
	char *err;

	formspec_init(&fs);
	formspec_set(&fs, "web", 7);
	ck_assert_int_eq(formspec_parse(&fs, spec, &err), -1);
	ck_assert_ptr_nonnull(err);
	ck_assert_str_eq(err, want);
	/* nothing of a refused spec is applied */
	ck_assert_uint_eq(fs.n, 1);
	ck_assert_int_eq(formspec_count(&fs, "web"), 7);
	ck_assert_int_eq(fs.all, -1);
	free(err);
	formspec_release(&fs);
}

START_TEST(test_formspec_errors)
{
	check_error("web=x", "bad count 'x' for 'web': expected a number "
	    "from 0 to 10000");
	check_error("web=1,worker=-1", "bad count '-1' for 'worker': "
	    "expected a number from 0 to 10000");
	check_error("web=10001", "bad count '10001' for 'web': expected a "
	    "number from 0 to 10000");
	check_error("web=", "bad count '' for 'web': expected a number from "
	    "0 to 10000");
	check_error("web=1.5", "bad count '1.5' for 'web': expected a number "
	    "from 0 to 10000");
	check_error("all=1,w@b=1", "bad process type name 'w@b'");
	check_error("=2", "bad process type name ''");
	check_error("web=1,,worker=2", "empty item in 'web=1,,worker=2'");
	check_error("web=1,", "empty item in 'web=1,'");
	check_error("web", "bad item 'web' in 'web': expected TYPE=COUNT");
	check_error("", "empty formation spec");
	check_error("  ", "empty formation spec");
}
END_TEST

START_TEST(test_formspec_add_set_copy)
{
	struct formspec fs, copy;
	char *err;

	formspec_init(&fs);
	formspec_init(&copy);
	ck_assert_int_eq(formspec_add(&fs, "web", "2", &err), 0);
	ck_assert_int_eq(formspec_add(&fs, "all", "0", &err), 0);
	ck_assert_int_eq(formspec_add(&fs, "web", "2,3", &err), -1);
	ck_assert_str_eq(err, "bad count '2,3' for 'web': expected a number "
	    "from 0 to 10000");
	free(err);
	formspec_set(&copy, "stale", 9);
	formspec_copy(&copy, &fs);
	formspec_release(&fs);
	ck_assert_uint_eq(copy.n, 1);
	ck_assert_int_eq(formspec_count(&copy, "web"), 2);
	ck_assert_int_eq(formspec_count(&copy, "stale"), 0);
	formspec_release(&copy);
}
END_TEST

START_TEST(test_formspec_check)
{
	static const char text[] = "web: ./web\nworker: ./worker\n";
	struct formspec fs;
	struct procfile pf;
	struct diags d;
	char *err;

	diags_init(&d);
	procfile_init(&pf);
	ck_assert_int_eq(procfile_parse(&pf, "Procfile", text,
	    sizeof text - 1, &d), 0);
	ck_assert_int_eq(parse(&fs, "web=2,all=0", &err), 0);
	ck_assert_int_eq(formspec_check(&fs, &pf, &err), 0);
	ck_assert_ptr_null(err);
	ck_assert_int_eq(formspec_parse(&fs, "wrker=1", &err), 0);
	ck_assert_int_eq(formspec_check(&fs, &pf, &err), -1);
	ck_assert_str_eq(err, "unknown process type 'wrker' (types: web, "
	    "worker)");
	free(err);
	formspec_release(&fs);
	procfile_release(&pf);
	diags_release(&d);
}
END_TEST

static Suite *
formspec_suite(void)
{
	Suite *s = suite_create("formspec");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_formspec_counts);
	tcase_add_test(tc, test_formspec_blanks);
	tcase_add_test(tc, test_formspec_layers);
	tcase_add_test(tc, test_formspec_errors);
	tcase_add_test(tc, test_formspec_add_set_copy);
	tcase_add_test(tc, test_formspec_check);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(formspec_suite)
