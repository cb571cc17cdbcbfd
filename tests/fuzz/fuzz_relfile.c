/*
 * Release files, as the daemon reads its history back from disk, two
 * ways. relfile_read() on arbitrary bytes: a refused file leaves the
 * release empty with a "line N: ..." message; an accepted one is written
 * again, and that text must read back to the same text. Then the input
 * as values: a release whose root, command, variable and origin are
 * pieces of the input must survive relfile_write() and relfile_read()
 * unchanged, whatever bytes they hold (the escaping round-trips).
 */
#include <string.h>

#include "common/relfile.h"
#include "common/xmalloc.h"
#include "tests/fuzz/fuzz.h"

static void
fuzz_read(const uint8_t *data, size_t size)
{
	struct strbuf once = STRBUF_INIT, twice = STRBUF_INIT;
	struct release r;
	char *err = NULL;

	release_init(&r);
	if (relfile_read((const char *)data, size, &r, &err) == -1) {
		FUZZ_ASSERT(err != NULL && strncmp(err, "line ", 5) == 0);
		FUZZ_ASSERT(r.root == NULL && r.nprocs == 0 &&
		    r.env.n == 0 && r.file_env.n == 0);
		free(err);
		release_release(&r);
		return;
	}
	FUZZ_ASSERT(r.root != NULL && r.version >= 1);
	relfile_write(&r, &once);
	err = NULL;
	FUZZ_ASSERT(relfile_read(once.buf, once.len, &r, &err) == 0);
	relfile_write(&r, &twice);
	FUZZ_ASSERT(once.len == twice.len &&
	    memcmp(once.buf, twice.buf, once.len) == 0);
	strbuf_release(&once);
	strbuf_release(&twice);
	release_release(&r);
}

/* The next NUL-terminated piece of the input (the rest, at the end). */
static char *
fuzz_piece(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *nul;
	char *s;

	if ((nul = memchr(*p, '\0', (size_t)(end - *p))) == NULL)
		nul = end;
	s = xstrndup((const char *)*p, (size_t)(nul - *p));
	*p = nul < end ? nul + 1 : end;
	return s;
}

static void
fuzz_values(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	struct strbuf sb = STRBUF_INIT;
	struct release r, back;
	char *err = NULL, *command, *value, *origin;

	release_init(&r);
	release_init(&back);
	r.version = 1;
	r.created_at = 1717171717;
	r.root = fuzz_piece(&p, end);
	command = fuzz_piece(&p, end);
	release_add_proc(&r, "web", command, "Procfile:1");
	free(command);
	value = fuzz_piece(&p, end);
	origin = fuzz_piece(&p, end);
	env_set(&r.env, "KEY", value, origin);
	release_hash(&r);
	relfile_write(&r, &sb);
	FUZZ_ASSERT(relfile_read(sb.buf, sb.len, &back, &err) == 0);
	FUZZ_ASSERT(strcmp(back.root, r.root) == 0);
	FUZZ_ASSERT(strcmp(back.procs[0].command, r.procs[0].command) == 0);
	FUZZ_ASSERT(strcmp(back.env.vars[0].value, value) == 0);
	FUZZ_ASSERT(strcmp(back.env.vars[0].origin, origin) == 0);
	FUZZ_ASSERT(strcmp(back.hash, r.hash) == 0);
	free(value);
	free(origin);
	strbuf_release(&sb);
	release_release(&r);
	release_release(&back);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_read(data, size);
	fuzz_values(data, size);
	return 0;
}
