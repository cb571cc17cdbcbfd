#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "daemon/logring.h"

#define LOGRING_MIN_CAP	16

static struct {
	size_t		  budget, used;
	struct logring	**heap;		/* a max-heap by bytes */
	size_t		  n, alloc;
} logmem = { .budget = LOG_MEMORY_DEFAULT };

/* Orders the lines of all rings: milliseconds are too coarse for that. */
static unsigned long long logring_seq;

static size_t
logring_cost(size_t len)
{
	return len + 1 + LOGRING_LINE_COST;
}

static void
logring_heap_set(size_t i, struct logring *r)
{
	logmem.heap[i] = r;
	r->heap = i + 1;
}

static void
logring_heap_up(size_t i)
{
	struct logring *r = logmem.heap[i];
	size_t parent;

	while (i > 0 && logmem.heap[parent = (i - 1) / 2]->bytes < r->bytes) {
		logring_heap_set(i, logmem.heap[parent]);
		i = parent;
	}
	logring_heap_set(i, r);
}

static void
logring_heap_down(size_t i)
{
	struct logring *r = logmem.heap[i];
	size_t child;

	while ((child = 2 * i + 1) < logmem.n) {
		if (child + 1 < logmem.n &&
		    logmem.heap[child + 1]->bytes > logmem.heap[child]->bytes)
			child++;
		if (logmem.heap[child]->bytes <= r->bytes)
			break;
		logring_heap_set(i, logmem.heap[child]);
		i = child;
	}
	logring_heap_set(i, r);
}

static void
logring_heap_remove(struct logring *r)
{
	size_t i = r->heap - 1;
	struct logring *last;

	r->heap = 0;
	last = logmem.heap[--logmem.n];
	if (last == r)
		return;
	logring_heap_set(i, last);
	logring_heap_up(i);
	logring_heap_down(last->heap - 1);
}

void
logring_init(struct logring *r)
{
	memset(r, 0, sizeof *r);
}

void
logring_release(struct logring *r)
{
	size_t i;

	for (i = 0; i < r->count; i++)
		free(r->lines[(r->start + i) % r->cap].text);
	free(r->lines);
	logmem.used -= r->bytes;
	if (r->heap != 0)
		logring_heap_remove(r);
	logring_init(r);
}

void
logring_move(struct logring *dst, struct logring *src)
{
	*dst = *src;
	if (dst->heap != 0)
		logmem.heap[dst->heap - 1] = dst;
	logring_init(src);
}

/* To cap entries, the lines in order from 0. */
static void
logring_resize(struct logring *r, size_t cap)
{
	struct logentry *lines = xcalloc(cap, sizeof *lines);
	size_t i;

	for (i = 0; i < r->count; i++)
		lines[i] = r->lines[(r->start + i) % r->cap];
	free(r->lines);
	r->lines = lines;
	r->cap = cap;
	r->start = 0;
}

static void
logring_drop_oldest(struct logring *r)
{
	struct logentry *e = &r->lines[r->start];
	size_t cost = logring_cost(e->len);

	free(e->text);
	e->text = NULL;
	r->start = (r->start + 1) % r->cap;
	r->count--;
	r->bytes -= cost;
	logmem.used -= cost;
	if (r->count == 0) {
		logring_heap_remove(r);
		free(r->lines);
		r->lines = NULL;
		r->start = r->cap = 0;
		return;
	}
	logring_heap_down(r->heap - 1);
	/* A ring that was busy once gives back what it no longer needs. */
	if (r->cap > LOGRING_MIN_CAP && r->count < r->cap / 4)
		logring_resize(r, r->cap / 2);
}

/* Drop the oldest lines of the fullest rings until all fit; keep keeps
 * its newest line. */
static void
logring_fit(const struct logring *keep)
{
	struct logring *r;

	while (logmem.used > logmem.budget && logmem.n > 0) {
		r = logmem.heap[0];
		if (r == keep && r->count == 1) {
			/* The newest line alone is too much: the next fullest
			 * gives way, if there is one. */
			if (logmem.n == 1)
				break;
			r = logmem.heap[1];
			if (logmem.n > 2 && logmem.heap[2]->bytes > r->bytes)
				r = logmem.heap[2];
		}
		logring_drop_oldest(r);
	}
}

void
logring_push(struct logring *r, long long when, int stream, const char *text,
    size_t len)
{
	struct logentry *e;
	size_t cost = logring_cost(len);

	if (r->count == r->cap)
		logring_resize(r, r->cap == 0 ? LOGRING_MIN_CAP : 2 * r->cap);
	e = &r->lines[(r->start + r->count) % r->cap];
	e->when = when;
	e->stream = stream;
	e->seq = ++logring_seq;
	e->text = xmalloc(len + 1);
	memcpy(e->text, text, len);
	e->text[len] = '\0';
	e->len = len;
	r->count++;
	r->bytes += cost;
	logmem.used += cost;
	if (r->heap == 0) {
		ALLOC_GROW(logmem.heap, logmem.n + 1, logmem.alloc);
		logring_heap_set(logmem.n++, r);
	}
	logring_heap_up(r->heap - 1);
	logring_fit(r);
}

const struct logentry *
logring_get(const struct logring *r, size_t i)
{
	if (i >= r->count)
		return NULL;
	return &r->lines[(r->start + i) % r->cap];
}

void
logring_budget(size_t budget)
{
	logmem.budget = budget;
	logring_fit(NULL);
}

unsigned long long
logring_last_seq(void)
{
	return logring_seq;
}

size_t
logring_used(void)
{
	return logmem.used;
}
