/*
 * The layout of formation top (cli/top.h): a title, a header, a row a
 * process, a bottom line; every line within the terminal's width, so
 * nothing wraps in 80 columns. What a process printed is shown with its
 * control characters as '?': a log line cannot move the cursor.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/ps.h"
#include "cli/top.h"
#include "common/xmalloc.h"

#define TOP_NAME_MAX	14

static const struct top *top_sorting;

static int
top_cmp(const void *a, const void *b)
{
	const struct top_row *x = &top_sorting->rows[*(const size_t *)a];
	const struct top_row *y = &top_sorting->rows[*(const size_t *)b];
	uint32_t cx = x->cpu == UINT32_MAX ? 0 : x->cpu;
	uint32_t cy = y->cpu == UINT32_MAX ? 0 : y->cpu;

	switch (top_sorting->sort) {
	case TOP_SORT_CPU:
		if (cx != cy)
			return cx < cy ? 1 : -1;
		break;
	case TOP_SORT_MEM:
		if (x->rss != y->rss)
			return x->rss < y->rss ? 1 : -1;
		break;
	case TOP_SORT_NAME:
		return strcmp(x->name, y->name);
	case TOP_SORT_ORDER:
		break;
	}
	return (x->order > y->order) - (x->order < y->order);
}

size_t *
top_visible(const struct top *t, size_t *n)
{
	size_t *v = xcalloc(t->n + 1, sizeof *v), i;

	*n = 0;
	for (i = 0; i < t->n; i++) {
		if (t->filter == NULL || strcmp(t->rows[i].type, t->filter) == 0)
			v[(*n)++] = i;
	}
	top_sorting = t;
	if (*n > 1)
		qsort(v, *n, sizeof *v, top_cmp);
	return v;
}

const char *
top_last_line(const struct top *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nlasts; i++) {
		if (strcmp(t->lasts[i].name, name) == 0)
			return t->lasts[i].text;
	}
	return "";
}

/* The columns s takes, as top_put() writes it. */
static size_t
top_width(const char *s, int utf8)
{
	size_t w = 0;

	for (; *s != '\0'; s++) {
		if (!utf8 || ((unsigned char)*s & 0xc0) != 0x80)
			w++;
	}
	return w;
}

/*
 * s in width columns: cut to fit, padded with spaces (before it when
 * right), control characters as '?', and outside UTF-8 every non-ASCII
 * byte too. A UTF-8 character counts one column.
 */
static void
top_put(struct strbuf *sb, const char *s, size_t width, int right, int utf8)
{
	size_t w = top_width(s, utf8), used = 0;
	const unsigned char *p = (const unsigned char *)s;

	if (right)
		for (; w < width; w++)
			strbuf_addch(sb, ' ');
	for (; *p != '\0'; p++) {
		if (utf8 && (*p & 0xc0) == 0x80) {
			if (used > 0)	/* the rest of a character shown */
				strbuf_addch(sb, (char)*p);
			continue;
		}
		if (used == width)
			break;
		if (*p < 0x20 || *p == 0x7f || (!utf8 && *p >= 0x80))
			strbuf_addch(sb, '?');
		else
			strbuf_addch(sb, (char)*p);
		used++;
	}
	for (; used < width && !right; used++)
		strbuf_addch(sb, ' ');
}

/* The CPU bar: a column a sample, higher for more. */
static void
top_bar(struct strbuf *sb, const uint32_t *hist, int utf8)
{
	static const char *const blocks[] = {
		"\u2581", "\u2582", "\u2583", "\u2584",
		"\u2585", "\u2586", "\u2587", "\u2588",
	};
	static const char ascii[] = ".:-=+*#@";
	uint32_t level;
	size_t i;

	for (i = 0; i < TOP_HIST; i++) {
		if (hist[i] == UINT32_MAX) {
			strbuf_addch(sb, ' ');
			continue;
		}
		/* Hundredths of a percent: 100% of one CPU is the top, and
		 * even 0 shows the lowest. */
		level = (hist[i] * 8 + 9999) / 10000;
		if (level > 8)
			level = 8;
		if (level == 0)
			level = 1;
		if (utf8)
			strbuf_addstr(sb, blocks[level - 1]);
		else
			strbuf_addch(sb, ascii[level - 1]);
	}
}

static size_t
top_name_width(const struct top *t)
{
	size_t w = 4, i, len;

	for (i = 0; i < t->n; i++) {
		len = strlen(t->rows[i].name);
		if (len > w)
			w = len;
	}
	return w > TOP_NAME_MAX ? TOP_NAME_MAX : w;
}

/*
 * One row: NAME STATE PID UPTIME RST CPU% [HISTORY] RSS LAST LINE, the
 * last line taking what is left of cols (none when cols is 0: all of
 * it, for the table).
 */
static void
top_row_line(const struct top *t, const struct top_row *r, size_t nw,
    int bar, unsigned cols, struct strbuf *sb)
{
	struct ps_row pr = { .cpu = r->cpu };
	char pid[16], up[32], rst[16], cpu[16], rss[16];
	size_t used;

	snprintf(pid, sizeof pid, r->pid ? "%u" : "-", r->pid);
	ps_uptime(up, sizeof up, r->pid ? r->started_at : 0);
	snprintf(rst, sizeof rst, "%u", r->restarts);
	ps_cpu(cpu, sizeof cpu, &pr);
	ps_rss(rss, sizeof rss, r->rss);
	top_put(sb, r->name, nw, 0, t->utf8);
	strbuf_addch(sb, ' ');
	top_put(sb, r->state, 8, 0, t->utf8);
	strbuf_addch(sb, ' ');
	top_put(sb, pid, 7, 1, 0);
	strbuf_addch(sb, ' ');
	top_put(sb, up, 6, 1, 0);
	strbuf_addch(sb, ' ');
	top_put(sb, rst, 3, 1, 0);
	strbuf_addch(sb, ' ');
	top_put(sb, cpu, 5, 1, 0);
	strbuf_addch(sb, ' ');
	used = nw + 1 + 8 + 1 + 7 + 1 + 6 + 1 + 3 + 1 + 5 + 1;
	if (bar) {
		top_bar(sb, r->hist, t->utf8);
		strbuf_addch(sb, ' ');
		used += TOP_HIST + 1;
	}
	top_put(sb, rss, 5, 1, 0);
	strbuf_addch(sb, ' ');
	used += 5 + 1;
	if (cols == 0)
		top_put(sb, top_last_line(t, r->name),
		    top_width(top_last_line(t, r->name), t->utf8), 0, t->utf8);
	else if (cols > used)
		top_put(sb, top_last_line(t, r->name), cols - used, 0,
		    t->utf8);
}

static void
top_header(size_t nw, int bar, unsigned cols, struct strbuf *sb)
{
	struct strbuf h = STRBUF_INIT;

	strbuf_addf(&h, "%-*s %-8s %7s %6s %3s %5s ", (int)nw, "NAME", "STATE",
	    "PID", "UPTIME", "RST", "CPU%");
	if (bar)
		strbuf_addf(&h, "%-*s ", TOP_HIST, "HISTORY");
	strbuf_addf(&h, "%5s LAST LINE", "RSS");
	top_put(sb, h.buf, cols == 0 ? h.len : cols, 0, 0);
	strbuf_release(&h);
}

/* Only the rows that fit, the selected one among them. */
static size_t
top_first(size_t nvis, size_t sel, size_t room)
{
	if (nvis <= room || sel < room)
		return 0;
	return sel - room + 1;
}

static void
top_title(const struct top *t, size_t nvis, struct strbuf *sb)
{
	static const char *const sorts[] = { "order", "cpu", "mem", "name" };
	struct strbuf s = STRBUF_INIT;

	strbuf_addf(&s, "formation top: release %s, %zu of %zu process%s, "
	    "by %s, type %s", t->release, nvis, t->n, t->n == 1 ? "" : "es",
	    sorts[t->sort], t->filter != NULL ? t->filter : "all");
	top_put(sb, s.buf, t->cols, 0, t->utf8);
	strbuf_release(&s);
}

void
top_draw(const struct top *t, struct strbuf *sb)
{
	static const char keys[] = "j/k move  c/m/n/o sort  t type  "
	    "r restart  s stop/start  l logs  q quit";
	size_t nvis, i, first, room, sel = 0, nw = top_name_width(t);
	size_t *vis = top_visible(t, &nvis);

	for (i = 0; i < nvis && t->selected != NULL; i++) {
		if (strcmp(t->rows[vis[i]].name, t->selected) == 0)
			sel = i;
	}
	room = t->lines > 3 ? t->lines - 3 : 0;
	first = top_first(nvis, sel, room);
	strbuf_addstr(sb, "\033[H");
	top_title(t, nvis, sb);
	strbuf_addstr(sb, "\033[K\r\n\033[1m");
	top_header(nw, 1, t->cols, sb);
	strbuf_addstr(sb, "\033[0m\033[K\r\n");
	for (i = first; i < nvis && i - first < room; i++) {
		if (i == sel)
			strbuf_addstr(sb, "\033[7m");
		top_row_line(t, &t->rows[vis[i]], nw, 1, t->cols, sb);
		strbuf_addstr(sb, i == sel ? "\033[0m\033[K\r\n" : "\033[K\r\n");
	}
	for (; i - first < room; i++)
		strbuf_addstr(sb, "\033[K\r\n");
	/* The bottom line ends the screen: no newline, no scroll. */
	top_put(sb, t->status[0] != '\0' ? t->status : keys, t->cols, 0,
	    t->utf8);
	strbuf_addstr(sb, "\033[K");
	free(vis);
}

void
top_table(const struct top *t, struct strbuf *sb)
{
	size_t nvis, i, nw = top_name_width(t);
	size_t *vis = top_visible(t, &nvis);

	top_header(nw, 0, 0, sb);
	strbuf_addch(sb, '\n');
	for (i = 0; i < nvis; i++) {
		top_row_line(t, &t->rows[vis[i]], nw, 0, 0, sb);
		/* No trailing blanks when there is no last line. */
		while (sb->len > 0 && sb->buf[sb->len - 1] == ' ')
			sb->buf[--sb->len] = '\0';
		strbuf_addch(sb, '\n');
	}
	free(vis);
}
