#include <ev.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/config.h"
#include "common/release.h"
#include "common/xmalloc.h"
#include "daemon/formation.h"
#include "common/store.h"
#include "tests/unit/unit.h"

static struct settings settings;
static int busy[2] = { -1, -1 };
static ev_io busy_io;

static void
busy_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	/* Never drained: there is always something to do. */
}

static void
setup(void)
{
	struct release r;

	store_init();
	release_init(&r);
	r.root = xstrdup("/srv/app");
	release_add_proc(&r, "web", "true", "Procfile:1");
	release_hash(&r);
	settings_init(&settings);
	formation_init(&settings, NULL, 0, 0);
	formation_set_release(store_add(&r));
}

static void
teardown(void)
{
	if (busy[0] != -1) {
		ev_io_stop(EV_DEFAULT, &busy_io);
		close(busy[0]);
		close(busy[1]);
		busy[0] = busy[1] = -1;
	}
	formation_free();
	store_free();
	settings_release(&settings);
}

static struct member *
new_member(const char *name)
{
	struct proc_spec spec;

	proc_spec_init(&spec);
	spec.name = xstrdup(name);
	spec.argv = xcalloc(2, sizeof *spec.argv);
	spec.argv[0] = xstrdup("/bin/true");
	spec.display = xstrdup("true");
	spec.rel = rel_ref(formation.rel);
	spec.policy.once = 1;
	return formation_member_new(proc_new(&spec, NULL, NULL), "run", 1, 1,
	    1);
}

/*
 * A disposed process is freed on the next loop turn, even when the loop
 * never runs out of events: under a stream of one-offs, memory must not
 * wait for a quiet moment that does not come.
 */
START_TEST(test_graveyard_busy_loop)
{
	struct member *m;
	int i;

	ck_assert_int_eq(pipe(busy), 0);
	ck_assert_int_eq(write(busy[1], "x", 1), 1);
	ev_io_init(&busy_io, busy_cb, busy[0], EV_READ);
	ev_io_start(EV_DEFAULT, &busy_io);
	for (i = 0; i < 3; i++) {
		m = new_member("run.1");
		formation_insert(m);
		ck_assert_ptr_eq(formation_find("run.1"), m);
		formation_dispose(m);
		ck_assert_ptr_null(formation_find("run.1"));
		ev_run(EV_DEFAULT, EVRUN_ONCE);
		ev_run(EV_DEFAULT, EVRUN_ONCE);
		ck_assert(TAILQ_EMPTY(&formation.graveyard));
	}
}
END_TEST

static Suite *
formation_suite(void)
{
	Suite *s = suite_create("formation");
	TCase *tc = tcase_create("graveyard");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_graveyard_busy_loop);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(formation_suite)
