/*
 * formation.ini text through config_parse(), as config_load() gives it
 * a file's bytes. Besides the sanitizers, checks that the settings stay
 * in the ranges formation.ini(5) allows whatever the text, and that
 * diagnostics name a line of the file.
 */
#include <signal.h>
#include <string.h>

#include "common/config.h"
#include "common/procfile.h"
#include "common/xmalloc.h"
#include "tests/fuzz/fuzz.h"

static void
fuzz_check_type(const struct settings *s, const struct type_settings *t)
{
	struct type_settings all;

	FUZZ_ASSERT(procfile_valid_name(t->name));
	FUZZ_ASSERT(t->stop_signal == -1 ||
	    (t->stop_signal > 0 && t->stop_signal < NSIG));
	FUZZ_ASSERT(t->timeout_ms >= -1);
	FUZZ_ASSERT(t->restart >= RESTART_UNSET &&
	    t->restart <= RESTART_NEVER);
	FUZZ_ASSERT(t->tty >= -1 && t->tty <= 1);
	all = settings_for_type(s, t->name);
	FUZZ_ASSERT(all.stop_signal > 0 && all.timeout_ms >= 0 &&
	    all.restart != RESTART_UNSET && all.tty != -1);
}

static void
fuzz_check(const struct settings *s)
{
	size_t i;

	FUZZ_ASSERT(s->port == -1 || (s->port >= 1 && s->port <= 65535));
	FUZZ_ASSERT(s->timeout_ms >= 0);
	FUZZ_ASSERT(s->restart >= RESTART_ALWAYS &&
	    s->restart <= RESTART_NEVER);
	FUZZ_ASSERT(s->color >= -1 && s->color <= 1);
	FUZZ_ASSERT(s->procfile == NULL || s->procfile[0] == '/');
	for (i = 0; i < s->nenv_files; i++)
		FUZZ_ASSERT(s->env_files[i][0] == '/');
	for (i = 0; i < s->ntypes; i++)
		fuzz_check_type(s, &s->types[i]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct settings s;
	struct diags d;
	int r, lines = fuzz_lines(data, size);

	settings_init(&s);
	s.root = xstrdup("/srv/app");
	diags_init(&d);
	r = config_parse(&s, "formation.ini", (const char *)data, size, &d);
	FUZZ_ASSERT(r == (d.nerrors == 0 ? 0 : -1));
	FUZZ_ASSERT(d.nwarnings == 0);
	fuzz_check_diags(&d, lines, 0);
	fuzz_check(&s);
	settings_release(&s);
	diags_release(&d);
	return 0;
}
