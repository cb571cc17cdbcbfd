#include <stdlib.h>
#include <string.h>

#include "common/formspec.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "common/xmalloc.h"

#define FORMSPEC_MAX	10000

void
formspec_init(struct formspec *fs)
{
	fs->entries = NULL;
	fs->n = fs->alloc = 0;
	fs->all = -1;
	fs->all_line = 0;
}

void
formspec_release(struct formspec *fs)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		free(fs->entries[i].name);
	free(fs->entries);
	formspec_init(fs);
}

/* dst's contents are replaced by a copy of src's. */
void
formspec_copy(struct formspec *dst, const struct formspec *src)
{
	size_t i;

	formspec_release(dst);
	for (i = 0; i < src->n; i++) {
		formspec_set(dst, src->entries[i].name, src->entries[i].count);
		dst->entries[i].line = src->entries[i].line;
	}
	dst->all = src->all;
	dst->all_line = src->all_line;
}

static struct formspec_entry *
formspec_find(const struct formspec *fs, const char *name)
{
	size_t i;

	for (i = 0; i < fs->n; i++) {
		if (strcmp(fs->entries[i].name, name) == 0)
			return &fs->entries[i];
	}
	return NULL;
}

void
formspec_set(struct formspec *fs, const char *name, int count)
{
	struct formspec_entry *e;

	if (strcmp(name, "all") == 0) {
		fs->all = count;
		fs->all_line = 0;
		return;
	}
	if ((e = formspec_find(fs, name)) != NULL) {
		e->count = count;
		e->line = 0;
		return;
	}
	ALLOC_GROW(fs->entries, fs->n + 1, fs->alloc);
	e = &fs->entries[fs->n++];
	e->name = xstrdup(name);
	e->count = count;
	e->line = 0;
}

void
formspec_set_line(struct formspec *fs, const char *name, int line)
{
	struct formspec_entry *e;

	if (strcmp(name, "all") == 0)
		fs->all_line = line;
	else if ((e = formspec_find(fs, name)) != NULL)
		e->line = line;
}

int
formspec_add(struct formspec *fs, const char *name, const char *count,
    char **err)
{
	int n;

	if (strcmp(name, "all") != 0 && !procfile_valid_name(name)) {
		xasprintf(err, "bad process type name '%s'", name);
		return -1;
	}
	if ((n = number_parse(count, FORMSPEC_MAX)) == -1) {
		xasprintf(err, "bad count '%s' for '%s': expected a number "
		    "from 0 to %d", count, name, FORMSPEC_MAX);
		return -1;
	}
	formspec_set(fs, name, n);
	return 0;
}

/* Bounds of s[0..len) without the blanks around it. */
static void
formspec_trim(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
}

/* One "NAME=COUNT" item, len bytes at item. */
static int
formspec_parse_item(struct formspec *fs, const char *item, size_t len,
    const char *spec, char **err)
{
	const char *eq, *count;
	size_t nlen, clen;
	char *name, *value;
	int r;

	formspec_trim(&item, &len);
	if (len == 0) {
		xasprintf(err, "empty item in '%s'", spec);
		return -1;
	}
	if ((eq = memchr(item, '=', len)) == NULL) {
		xasprintf(err, "bad item '%.*s' in '%s': expected TYPE=COUNT",
		    (int)len, item, spec);
		return -1;
	}
	nlen = (size_t)(eq - item);
	count = eq + 1;
	clen = len - nlen - 1;
	formspec_trim(&item, &nlen);
	formspec_trim(&count, &clen);
	name = xstrndup(item, nlen);
	value = xstrndup(count, clen);
	r = formspec_add(fs, name, value, err);
	free(name);
	free(value);
	return r;
}

/*
 * The items go into a scratch copy first, so that a spec with an error
 * changes nothing.
 */
int
formspec_parse(struct formspec *fs, const char *spec, char **err)
{
	struct formspec tmp;
	const char *p, *comma;
	size_t len;

	*err = NULL;
	if (spec[strspn(spec, " \t")] == '\0') {
		xasprintf(err, "empty formation spec");
		return -1;
	}
	formspec_init(&tmp);
	formspec_copy(&tmp, fs);
	for (p = spec;; p = comma + 1) {
		comma = strchr(p, ',');
		len = comma == NULL ? strlen(p) : (size_t)(comma - p);
		if (formspec_parse_item(&tmp, p, len, spec, err) == -1) {
			formspec_release(&tmp);
			return -1;
		}
		if (comma == NULL)
			break;
	}
	formspec_release(fs);
	*fs = tmp;
	return 0;
}

int
formspec_count(const struct formspec *fs, const char *name)
{
	const struct formspec_entry *e;

	if ((e = formspec_find(fs, name)) != NULL)
		return e->count;
	return fs->all == -1 ? 1 : fs->all;
}

int
formspec_check(const struct formspec *fs, const struct procfile *pf,
    char **err)
{
	struct strbuf types = STRBUF_INIT;
	size_t i, j;

	*err = NULL;
	for (i = 0; i < fs->n; i++) {
		if (procfile_find(pf, fs->entries[i].name) == NULL)
			break;
	}
	if (i == fs->n)
		return 0;
	for (j = 0; j < pf->n; j++)
		strbuf_addf(&types, "%s%s", j == 0 ? "" : ", ",
		    pf->entries[j].name);
	xasprintf(err, "unknown process type '%s' (types: %s)",
	    fs->entries[i].name, types.len > 0 ? types.buf : "none");
	strbuf_release(&types);
	return -1;
}
