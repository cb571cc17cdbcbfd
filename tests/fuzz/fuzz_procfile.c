/*
 * procfile_parse() on arbitrary bytes. Besides the sanitizers, checks
 * what procfile(5) promises of a parse: valid, unique names in file
 * order, commands within one line, an error when nothing was defined,
 * and diagnostics that name a line of the file. And of each command,
 * command_words(): words, when it gives them, that are the command's own,
 * in order, with nothing between them but blanks and no shell syntax.
 */
#include <string.h>

#include "common/command.h"
#include "common/procfile.h"
#include "common/xmalloc.h"
#include "tests/fuzz/fuzz.h"

static void
fuzz_check_words(const char *command)
{
	char **words = command_words(command), **w;
	const char *c = command;
	size_t len;

	if (words == NULL)
		return;
	FUZZ_ASSERT(words[0] != NULL);
	for (w = words; *w != NULL; w++) {
		c += strspn(c, " \t");
		len = strlen(*w);
		FUZZ_ASSERT(len > 0 && strncmp(c, *w, len) == 0);
		FUZZ_ASSERT(strpbrk(*w, " \t\n\"'\\`$&|;<>()*?[]{}~#!") == NULL);
		c += len;
		FUZZ_ASSERT(*c == '\0' || *c == ' ' || *c == '\t');
	}
	FUZZ_ASSERT(c[strspn(c, " \t")] == '\0');
	FUZZ_ASSERT(strchr(words[0], '=') == NULL);
	strv_free(words);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct procfile_entry *e;
	struct procfile pf;
	struct diags d;
	size_t i;
	int r;

	procfile_init(&pf);
	diags_init(&d);
	r = procfile_parse(&pf, "Procfile", (const char *)data, size, &d);
	FUZZ_ASSERT(r == (d.nerrors == 0 ? 0 : -1));
	FUZZ_ASSERT(pf.n > 0 || r == -1);
	for (i = 0; i < pf.n; i++) {
		e = &pf.entries[i];
		FUZZ_ASSERT(procfile_valid_name(e->name));
		FUZZ_ASSERT(procfile_find(&pf, e->name) == e);
		FUZZ_ASSERT(*e->command != '\0');
		FUZZ_ASSERT(strchr(e->command, '\n') == NULL);
		FUZZ_ASSERT(e->command[0] != ' ' && e->command[0] != '\t');
		FUZZ_ASSERT(i == 0 || e->line > pf.entries[i - 1].line);
		fuzz_check_words(e->command);
	}
	fuzz_check_diags(&d, fuzz_lines(data, size), 0);
	procfile_release(&pf);
	diags_release(&d);
	return 0;
}
