/*
 * The protocol decoder on arbitrary bytes, as formationd and formation
 * read their sockets: msg_parse() takes whole frames off the front of
 * the stream until it needs more bytes or refuses a header, and each
 * frame is read with the getter sequence of its layout in
 * common/protocol.h. A frame that decodes whole (msg_end() agrees) is
 * encoded again with msg_put_*() and must come out byte for byte the
 * same. A frame of a type with no layout is read with a getter sequence
 * taken from its type number, so that every getter meets every offset.
 *
 * The stream and each payload are copied into buffers of exactly their
 * size, so that ASan sees a read one byte past a frame.
 */
#include <string.h>

#include "common/msg.h"
#include "common/xmalloc.h"
#include "tests/fuzz/fuzz.h"

/*
 * Fields: 'u' u32, 'U' u64, 's' str, 'b' bytes; "[...]" is the group
 * repeated as many times as the last u32 read says.
 */
static const struct fuzz_layout {
	uint32_t	 type;
	const char	*fields;
} fuzz_layouts[] = {
	{ MSG_PS, "" },
	{ MSG_SCALE, "u[su]" },
	{ MSG_RESTART, "u[s]" },
	{ MSG_STOP, "u[s]" },
	{ MSG_START, "u[s]" },
	{ MSG_LOGS, "uuu[s]" },
	{ MSG_LOGS_QUERY, "uuUu[s]" },
	{ MSG_USAGE, "" },
	{ MSG_DOWN, "" },
	{ MSG_ENV, "" },
	{ MSG_RELOAD, "" },
	{ MSG_RELEASES, "" },
	{ MSG_ROLLBACK, "u" },
	{ MSG_ONEOFF, "usuuu[s]" },
	{ MSG_SIGNAL, "u" },
	{ MSG_KILL, "uu[s]" },
	{ MSG_RUN, "usuuuu[s]u[s]" },
	{ MSG_OK, "s" },
	{ MSG_ERROR, "us" },
	{ MSG_PS_REPLY, "su[ssusuuUusssuUsu]su[sssu]" },
	{ MSG_ENV_REPLY, "su[sss]" },
	{ MSG_RELEASES_REPLY, "u[uUuu[ss]u[s]]" },
	{ MSG_LOG_LINE, "sUb" },
	{ MSG_LOG_ENTRY, "sUub" },
	{ MSG_USAGE_REPLY, "uu[suUu]" },
	{ MSG_LOG_END, "" },
	{ MSG_ONEOFF_STARTED, "su" },
	{ MSG_ONEOFF_EXIT, "u" },
	{ MSG_RUN_STARTED, "suu" },
	{ MSG_PROGRESS, "s" },
	{ MSG_LOG_COLORS, "u[su]" },
	{ MSG_LOG_LIVE, "" },
};
#define FUZZ_NLAYOUTS (sizeof fuzz_layouts / sizeof fuzz_layouts[0])

/* One frame being decoded, and encoded again into out. */
struct fuzz_frame {
	struct msg	 m;
	struct strbuf	 out;
	uint32_t	 count;		/* the last u32 read */
};

/* What a getter returned lies inside the payload. */
static void
fuzz_inside(const struct msg *m, const char *p, size_t len)
{
	FUZZ_ASSERT(p >= m->data && p <= m->data + m->len);
	FUZZ_ASSERT(len <= (size_t)(m->data + m->len - p));
	FUZZ_ASSERT(m->off <= m->len);
}

/* Read one field and put it back; -1 when the getter refuses it. */
static int
fuzz_field(struct fuzz_frame *f, int c)
{
	const char *p;
	size_t len;
	uint64_t v64;

	switch (c) {
	case 'u':
		if (msg_get_u32(&f->m, &f->count) == -1)
			return -1;
		msg_put_u32(&f->out, f->count);
		break;
	case 'U':
		if (msg_get_u64(&f->m, &v64) == -1)
			return -1;
		msg_put_u64(&f->out, v64);
		break;
	case 's':
		if (msg_get_str(&f->m, &p) == -1)
			return -1;
		fuzz_inside(&f->m, p, strlen(p) + 1);
		msg_put_str(&f->out, p);
		break;
	case 'b':
		if (msg_get_bytes(&f->m, &p, &len) == -1)
			return -1;
		fuzz_inside(&f->m, p, len);
		msg_put_bytes(&f->out, p, len);
		break;
	default:
		abort();
	}
	fuzz_inside(&f->m, f->m.data + f->m.off, 0);
	return 0;
}

/* The ']' that closes the '[' at p. */
static const char *
fuzz_close(const char *p)
{
	int depth = 0;

	for (;; p++) {
		if (*p == '[')
			depth++;
		else if (*p == ']' && --depth == 0)
			return p;
	}
}

/*
 * The fields from p to the end of the group. Every group reads at least
 * one byte or fails, so a count is bounded by the payload's length.
 */
static int
fuzz_group(struct fuzz_frame *f, const char *p)
{
	const char *close;
	uint32_t n, i;

	for (; *p != '\0' && *p != ']'; p++) {
		if (*p != '[') {
			if (fuzz_field(f, *p) == -1)
				return -1;
			continue;
		}
		n = f->count;
		close = fuzz_close(p);
		for (i = 0; i < n; i++) {
			if (fuzz_group(f, p + 1) == -1)
				return -1;
		}
		p = close;
	}
	return 0;
}

static void
fuzz_layout(struct fuzz_frame *f, const char *fields)
{
	const size_t hdr = sizeof(struct msg_hdr);

	msg_new(&f->out, f->m.type);
	if (fuzz_group(f, fields) == -1 || msg_end(&f->m) == -1)
		return;
	msg_finish(&f->out, 0);
	FUZZ_ASSERT(f->out.len == hdr + f->m.len);
	FUZZ_ASSERT(memcmp(f->out.buf + hdr, f->m.data, f->m.len) == 0);
}

/* No layout: two bits of the type number per getter, lowest first. */
static void
fuzz_getters(struct fuzz_frame *f)
{
	static const char ops[] = "uUsb";
	uint32_t type = f->m.type;
	int i;

	msg_new(&f->out, type);
	for (i = 0; i < 16; i++, type >>= 2) {
		if (fuzz_field(f, ops[type & 3]) == -1)
			break;
	}
	msg_end(&f->m);
}

static void
fuzz_frame(const struct msg *m)
{
	struct fuzz_frame f;
	char *payload;
	size_t i;

	if ((payload = malloc(m->len)) == NULL && m->len > 0)
		abort();
	memcpy(payload, m->data, m->len);
	f.m = *m;
	f.m.data = payload;
	f.count = 0;
	strbuf_init(&f.out, 0);
	for (i = 0; i < FUZZ_NLAYOUTS; i++) {
		if (fuzz_layouts[i].type == m->type)
			break;
	}
	if (i < FUZZ_NLAYOUTS)
		fuzz_layout(&f, fuzz_layouts[i].fields);
	else
		fuzz_getters(&f);
	strbuf_release(&f.out);
	free(payload);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf view;
	const char *why;
	struct msg m;
	char *copy;
	size_t off = 0, n;
	int rc;

	if ((copy = malloc(size)) == NULL && size > 0)
		abort();
	memcpy(copy, data, size);
	for (;;) {
		view.buf = copy + off;
		view.len = view.alloc = size - off;
		why = NULL;
		if ((rc = msg_parse(&view, &m, &n, &why)) != 1)
			break;
		FUZZ_ASSERT(n == sizeof(struct msg_hdr) + m.len);
		FUZZ_ASSERT(n <= view.len && m.len <= MSG_MAX);
		FUZZ_ASSERT(m.data == view.buf + sizeof(struct msg_hdr));
		fuzz_frame(&m);
		off += n;
	}
	FUZZ_ASSERT(rc == 0 || why != NULL);
	free(copy);
	return 0;
}
