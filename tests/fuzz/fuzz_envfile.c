/*
 * envfile_parse() on arbitrary bytes, twice: into an empty environment
 * with nothing inherited, then on top of what an earlier file set, with a
 * small inherited environment to expand from. Besides the sanitizers,
 * checks what envfile.h promises: valid keys, variables within Linux's
 * limit, origins that name a line of the file, diagnostics within the
 * file, and on error an environment left exactly as it was (nothing
 * half-applied).
 */
#include <stdlib.h>
#include <string.h>

#include "common/envfile.h"
#include "tests/fuzz/fuzz.h"

#define FUZZ_FILE "fuzz.env"

static char inherited_home[] = "HOME=/home/app";
static char inherited_path[] = "PATH=/usr/local/bin:/usr/bin:/bin";
static char inherited_empty[] = "EMPTY=";
static char inherited_port[] = "PORT=5000";
static char inherited_a[] = "A=inherited";
static char *const inherited_environ[] = {
	inherited_home, inherited_path, inherited_empty, inherited_port,
	inherited_a, NULL
};

/* Its line ends (LF, CRLF, lone CR), plus a last line with none. */
static int
fuzz_env_lines(const uint8_t *data, size_t size)
{
	size_t i;
	int n = 0;

	for (i = 0; i < size; i++) {
		if (data[i] == '\n')
			n++;
		else if (data[i] == '\r' && (i + 1 == size ||
		    data[i + 1] != '\n'))
			n++;
	}
	if (size > 0 && data[size - 1] != '\n' && data[size - 1] != '\r')
		n++;
	return n;
}

static int
fuzz_key_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

/* A variable this file set: a key of the corpus rules, a good origin. */
static void
fuzz_check_var(const struct env_var *v, int lines)
{
	const char *p, *prefix = FUZZ_FILE ":";
	char *end;
	long line;

	FUZZ_ASSERT(*v->key != '\0');
	FUZZ_ASSERT(strlen(v->key) + strlen(v->value) + 2 <= 128 * 1024);
	for (p = v->key; *p != '\0'; p++)
		FUZZ_ASSERT(fuzz_key_char((unsigned char)*p));
	FUZZ_ASSERT(strncmp(v->origin, prefix, strlen(prefix)) == 0);
	line = strtol(v->origin + strlen(prefix), &end, 10);
	FUZZ_ASSERT(*end == '\0' && line >= 1 && line <= lines);
}

/* Parse into env; check the result against before, a copy of env. */
static void
fuzz_parse(struct env *env, const struct env *inherited,
    const uint8_t *data, size_t size)
{
	struct env before;
	struct diags d;
	size_t i;
	int r, lines = fuzz_env_lines(data, size);

	env_init(&before);
	env_copy(&before, env);
	diags_init(&d);
	r = envfile_parse(env, FUZZ_FILE, (const char *)data, size,
	    inherited, &d);
	FUZZ_ASSERT(r == (d.nerrors == 0 ? 0 : -1));
	fuzz_check_diags(&d, lines, 1);
	if (r == -1)
		FUZZ_ASSERT(env_equal(env, &before));
	else {
		FUZZ_ASSERT(env->n >= before.n);
		for (i = 0; i < env->n; i++) {
			if (i >= before.n || strcmp(env->vars[i].origin,
			    before.vars[i].origin) != 0)
				fuzz_check_var(&env->vars[i], lines);
		}
	}
	env_release(&before);
	diags_release(&d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct env env, inherited;

	env_init(&env);
	fuzz_parse(&env, NULL, data, size);
	env_release(&env);

	env_init(&inherited);
	env_add_environ(&inherited, inherited_environ);
	env_set(&env, "A", "from an earlier file", "earlier.env:1");
	env_set(&env, "B", "$A", "earlier.env:2");
	fuzz_parse(&env, &inherited, data, size);
	env_release(&env);
	env_release(&inherited);
	return 0;
}
