/*
 * Shared by the Check suites: each check_X.c defines X_suite() and ends
 * with UNIT_MAIN(X_suite), which makes it a test program of its own.
 */
#ifndef UNIT_H
#define UNIT_H

#include <check.h>
#include <stdlib.h>

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
