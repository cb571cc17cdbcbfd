#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/procfile.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "common/xmalloc.h"

#define PROCFILE_BOM "\xef\xbb\xbf"

static int
procfile_name_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static int
procfile_blank(int c)
{
	return c == ' ' || c == '\t';
}

void
procfile_init(struct procfile *pf)
{
	pf->entries = NULL;
	pf->n = pf->alloc = 0;
}

void
procfile_release(struct procfile *pf)
{
	size_t i;

	for (i = 0; i < pf->n; i++) {
		free(pf->entries[i].name);
		free(pf->entries[i].command);
	}
	free(pf->entries);
	procfile_init(pf);
}

int
procfile_valid_name(const char *name)
{
	const char *p;

	if (name == NULL || *name == '\0')
		return 0;
	for (p = name; *p != '\0'; p++) {
		if (!procfile_name_char((unsigned char)*p))
			return 0;
	}
	return 1;
}

const struct procfile_entry *
procfile_find(const struct procfile *pf, const char *name)
{
	size_t i;

	for (i = 0; i < pf->n; i++) {
		if (strcmp(pf->entries[i].name, name) == 0)
			return &pf->entries[i];
	}
	return NULL;
}

/*
 * Split one line (its end already cut off) into name and command. Returns 1
 * for an entry, 0 for a line to skip quietly (blank or a comment) and -1
 * for a line to skip with a warning.
 */
static int
procfile_split(const char *s, size_t len, size_t *namelen, size_t *cmd)
{
	size_t i;

	for (i = 0; i < len && procfile_blank((unsigned char)s[i]); i++)
		;
	if (i == len || s[i] == '#')
		return 0;
	if (memchr(s, '\0', len) != NULL)
		return -1;	/* a command cannot hold a NUL byte */
	for (i = 0; i < len && procfile_name_char((unsigned char)s[i]); i++)
		;
	if (i == 0 || i == len || s[i] != ':')
		return -1;
	*namelen = i;
	for (i++; i < len && procfile_blank((unsigned char)s[i]); i++)
		;
	if (i == len)
		return -1;	/* no command, or only blanks */
	*cmd = i;
	return 1;
}

static void
procfile_line(struct procfile *pf, const char *file, int line,
    const char *s, size_t len, struct diags *diags)
{
	const struct procfile_entry *first;
	struct procfile_entry *e;
	size_t namelen, cmd;
	char *name;

	switch (procfile_split(s, len, &namelen, &cmd)) {
	case 0:
		return;
	case -1:
		diag_warn(diags, file, line,
		    "ignored line: not 'name: command'");
		return;
	}
	name = xstrndup(s, namelen);
	if ((first = procfile_find(pf, name)) != NULL) {
		diag_error(diags, file, line,
		    "duplicate process type '%s' (first defined at line %d)",
		    name, first->line);
		free(name);
		return;
	}
	if (strcmp(name, "run") == 0)
		diag_warn(diags, file, line, "process type 'run' is named "
		    "like the one-offs (run.1, run.2...): better rename it");
	ALLOC_GROW(pf->entries, pf->n + 1, pf->alloc);
	e = &pf->entries[pf->n++];
	e->name = name;
	e->command = xstrndup(s + cmd, len - cmd);
	e->line = line;
}

int
procfile_parse(struct procfile *pf, const char *file, const char *buf,
    size_t len, struct diags *diags)
{
	size_t errors = diags->nerrors, before = pf->n, n;
	const char *end = buf + len, *nl;
	int line = 0;

	if (len >= 3 && memcmp(buf, PROCFILE_BOM, 3) == 0)
		buf += 3;
	while (buf < end) {
		line++;
		if ((nl = memchr(buf, '\n', (size_t)(end - buf))) == NULL)
			nl = end;
		n = (size_t)(nl - buf);
		if (n > 0 && buf[n - 1] == '\r')
			n--;	/* the CR of a CRLF belongs to the line end */
		procfile_line(pf, file, line, buf, n, diags);
		buf = nl < end ? nl + 1 : end;
	}
	if (pf->n == before)
		diag_error(diags, file, 0, "no process types defined");
	return diags->nerrors == errors ? 0 : -1;
}

int
procfile_load(struct procfile *pf, const char *path, struct diags *diags)
{
	struct strbuf sb = STRBUF_INIT;
	int ret;

	if (read_file(path, &sb) == -1) {
		diag_error(diags, path, 0, "cannot read: %s", strerror(errno));
		strbuf_release(&sb);
		return -1;
	}
	ret = procfile_parse(pf, path, sb.buf, sb.len, diags);
	strbuf_release(&sb);
	return ret;
}
