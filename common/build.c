/*
 * The build of a release from the app's files (common/build.h).
 */
#include <stdlib.h>
#include <string.h>

#include "common/build.h"
#include "common/formspec.h"
#include "common/strbuf.h"
#include "common/trust.h"

extern char **environ;

/* Does the formation spec text v give a count to name? */
static int
build_spec_names(const char *v, const char *name)
{
	struct formspec fs;
	char *err = NULL;
	size_t i;
	int found = 0;

	if (v == NULL || *v == '\0')
		return 0;
	formspec_init(&fs);
	if (formspec_parse(&fs, v, &err) == 0) {
		for (i = 0; i < fs.n; i++)
			found |= strcmp(fs.entries[i].name, name) == 0;
	}
	formspec_release(&fs);
	free(err);
	return found;
}

/* Where a count came from, the last layer first: -m, FORMATION_SCALE,
 * else formation.ini. */
static const char *
build_scale_origin(const struct settings_flags *f, const struct settings *s,
    const char *name)
{
	if (build_spec_names(f->scale, name))
		return "-m";
	if (build_spec_names(getenv("FORMATION_SCALE"), name))
		return "FORMATION_SCALE";
	return settings_label(s, s->config_file);
}

/* Every count must name a type of the release. */
static void
build_check_scale(const struct settings_flags *f, const struct settings *s,
    const struct release *r, struct diags *d)
{
	const struct formspec *fs = &s->scale;
	struct strbuf types = STRBUF_INIT;
	size_t i;

	for (i = 0; i < r->nprocs; i++)
		strbuf_addf(&types, "%s%s", i > 0 ? ", " : "",
		    r->procs[i].name);
	for (i = 0; i < fs->n; i++) {
		if (strcmp(fs->entries[i].name, RELEASE_PHASE_TYPE) == 0) {
			diag_error(d, build_scale_origin(f, s,
			    fs->entries[i].name), 0, "%s",
			    release_phase_error());
			continue;
		}
		if (release_find(r, fs->entries[i].name) != NULL)
			continue;
		diag_error(d, build_scale_origin(f, s, fs->entries[i].name), 0,
		    "no process type '%s' in %s to scale (types: %s)",
		    fs->entries[i].name, settings_label(s, s->procfile),
		    types.buf);
	}
	strbuf_release(&types);
}

int
build_release(const struct settings_flags *f, struct settings *s,
    struct release *r, struct diags *d, const struct code_seen *seen)
{
	size_t before = d->nerrors;

	if (settings_load(s, f, environ, d) == -1 &&
	    (s->root == NULL || s->procfile == NULL))
		return -1;
	trust_app(s, d);
	if (release_build_seen(r, s, environ, d, seen) == 0)
		build_check_scale(f, s, r, d);
	if (f->strict)
		diags_strict(d);
	return d->nerrors > before ? -1 : 0;
}
