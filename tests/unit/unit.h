/*
 * Shared by the Check suites: each check_X.c defines X_suite() and ends
 * with UNIT_MAIN(X_suite), which makes it a test program of its own.
 */
#ifndef UNIT_H
#define UNIT_H

#include <check.h>
#include <stdlib.h>

#include "common/diag.h"
#include "common/strbuf.h"

/* Every error of d, formatted "FILE:LINE: message", one per line. */
static inline char *
errors(const struct diags *d)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[512];
	size_t i;

	for (i = 0; i < d->nerrors; i++) {
		diag_format(&d->errors[i], buf, sizeof buf);
		strbuf_addf(&sb, "%s\n", buf);
	}
	return strbuf_detach(&sb, NULL);
}

static inline void
assert_errors(const struct diags *d, const char *want)
{
	char *got;

	got = errors(d);
	ck_assert_str_eq(got, want);
	free(got);
}

#define UNIT_MAIN(suite_fn)                                                  \
	int main(void);                                                      \
	int                                                                  \
	main(void)                                                           \
	{                                                                    \
		SRunner *sr;                                                 \
		int failed;                                                  \
                                                                             \
		sr = srunner_create(suite_fn());                             \
		srunner_run_all(sr, CK_NORMAL);                              \
		failed = srunner_ntests_failed(sr);                          \
		srunner_free(sr);                                            \
		return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;            \
	}

#endif
