#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/top.h"
#include "common/strbuf.h"
#include "tests/unit/unit.h"

/* What cli/main.c defines for the rest of the CLI (ps.c, which draws
 * the cells, is linked with the rest of cmd_ps). */
struct cli_globals cli_globals = { .color = -1 };

void
cli_error(const char *fmt, ...)
{
}

void
cli_errno(const char *fmt, ...)
{
}

int
cli_usage(const char *usage)
{
	return EXIT_USAGE;
}

static struct top_row rows[3];
static struct top_last lasts[2];
static struct top t;

static void
setup(void)
{
	static char *names[] = { "web.1", "worker.1", "web.2" };
	static char *types[] = { "web", "worker", "web" };
	static const uint32_t cpu[] = { 1250, 9000, 0 };
	static const uint64_t rss[] = { 48u << 20, 3u << 20, 50u << 20 };
	size_t i, j;

	memset(&t, 0, sizeof t);
	memset(rows, 0, sizeof rows);
	for (i = 0; i < 3; i++) {
		rows[i].name = names[i];
		rows[i].type = types[i];
		rows[i].state = "running";
		rows[i].pid = 4240 + (uint32_t)i;
		rows[i].cpu = cpu[i];
		rows[i].rss = rss[i];
		rows[i].order = i;
		for (j = 0; j < TOP_HIST; j++)
			rows[i].hist[j] = UINT32_MAX;
	}
	lasts[0].name = "web.1";
	/* What a process prints must not move the cursor. */
	lasts[0].text = "\033[2Jcleared \ttab and a long line that goes on and "
	    "on well past the edge of an eighty column terminal";
	lasts[1].name = "worker.1";
	lasts[1].text = "caf\xc3\xa9";
	t.rows = rows;
	t.n = 3;
	t.lasts = lasts;
	t.nlasts = 2;
	snprintf(t.release, sizeof t.release, "v2");
	t.lines = 24;
	t.cols = 80;
	t.utf8 = 1;
}

/* The frame without the sequences top itself writes. */
static char *
plain(const char *s)
{
	static const char *const ours[] = {
		"\033[H", "\033[K", "\033[1m", "\033[0m", "\033[7m",
	};
	struct strbuf sb = STRBUF_INIT;
	size_t i, n;

	while (*s != '\0') {
		for (i = 0; i < sizeof ours / sizeof ours[0]; i++) {
			n = strlen(ours[i]);
			if (strncmp(s, ours[i], n) == 0)
				break;
		}
		if (i < sizeof ours / sizeof ours[0]) {
			s += n;
			continue;
		}
		if (*s != '\r')
			strbuf_addch(&sb, *s);
		s++;
	}
	return strbuf_detach(&sb, NULL);
}

/* Columns of a line: UTF-8 characters count one. */
static size_t
columns(const char *s, size_t len)
{
	size_t i, w = 0;

	for (i = 0; i < len; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	}
	return w;
}

START_TEST(test_top_draw_fits)
{
	struct strbuf sb = STRBUF_INIT;
	char *p, *line, *nl;
	int n = 0;

	top_draw(&t, &sb);
	p = plain(sb.buf);
	ck_assert_ptr_null(strchr(p, '\033'));
	for (line = p; line != NULL; line = nl != NULL ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		ck_assert_uint_le(columns(line, nl != NULL ? (size_t)(nl - line) :
		    strlen(line)), 80);
		n++;
	}
	ck_assert_int_eq(n, 24);
	ck_assert_ptr_nonnull(strstr(p, "formation top: release v2, 3 of 3 "
	    "processes, by order, type all"));
	ck_assert_ptr_nonnull(strstr(p, "?[2Jcleared ?tab"));
	ck_assert_ptr_nonnull(strstr(p, "caf\xc3\xa9"));
	free(p);
	strbuf_release(&sb);
}
END_TEST

START_TEST(test_top_sort_filter)
{
	size_t *v, n;

	t.sort = TOP_SORT_CPU;
	v = top_visible(&t, &n);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(t.rows[v[0]].name, "worker.1");
	ck_assert_str_eq(t.rows[v[2]].name, "web.2");
	free(v);
	t.sort = TOP_SORT_MEM;
	v = top_visible(&t, &n);
	ck_assert_str_eq(t.rows[v[0]].name, "web.2");
	free(v);
	t.sort = TOP_SORT_NAME;
	t.filter = "web";
	v = top_visible(&t, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(t.rows[v[0]].name, "web.1");
	ck_assert_str_eq(t.rows[v[1]].name, "web.2");
	free(v);
}
END_TEST

START_TEST(test_top_table)
{
	struct strbuf sb = STRBUF_INIT;

	top_table(&t, &sb);
	ck_assert_str_eq(sb.buf,
	    "NAME     STATE        PID UPTIME RST  CPU%   RSS LAST LINE\n"
	    "web.1    running     4240      -   0  12.5   48M ?[2Jcleared ?tab "
	    "and a long line that goes on and on well past the edge of an "
	    "eighty column terminal\n"
	    "worker.1 running     4241      -   0  90.0  3.0M caf\xc3\xa9\n"
	    "web.2    running     4242      -   0   0.0   50M\n");
	strbuf_release(&sb);
}
END_TEST

static Suite *
top_suite(void)
{
	Suite *s = suite_create("top");
	TCase *tc = tcase_create("draw");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_top_draw_fits);
	tcase_add_test(tc, test_top_sort_filter);
	tcase_add_test(tc, test_top_table);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(top_suite)
