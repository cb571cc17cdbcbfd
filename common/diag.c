#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/diag.h"
#include "common/xmalloc.h"

void
diags_init(struct diags *d)
{
	d->warnings = d->errors = NULL;
	d->nwarnings = d->awarnings = d->nerrors = d->aerrors = 0;
}

static void
diag_free_all(struct diag *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(list[i].file);
		free(list[i].message);
	}
	free(list);
}

void
diags_release(struct diags *d)
{
	diag_free_all(d->warnings, d->nwarnings);
	diag_free_all(d->errors, d->nerrors);
	diags_init(d);
}

static void
diag_push(struct diag **list, size_t *n, size_t *alloc, const char *file,
    int line, char *message)
{
	ALLOC_GROW(*list, *n + 1, *alloc);
	(*list)[*n].file = xstrdup(file);
	(*list)[*n].line = line;
	(*list)[*n].message = message;
	(*n)++;
}

static char * __attribute__((format(printf, 1, 0)))
diag_vformat(const char *fmt, va_list ap)
{
	char *msg;

	if (vasprintf(&msg, fmt, ap) < 0)
		msg = xstrdup(fmt);
	return msg;
}

void
diag_warn(struct diags *d, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = diag_vformat(fmt, ap);
	va_end(ap);
	diag_push(&d->warnings, &d->nwarnings, &d->awarnings, file, line, msg);
}

void
diag_error(struct diags *d, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = diag_vformat(fmt, ap);
	va_end(ap);
	diag_push(&d->errors, &d->nerrors, &d->aerrors, file, line, msg);
}

void
diags_merge(struct diags *dst, const struct diags *src)
{
	size_t i;

	for (i = 0; i < src->nwarnings; i++)
		diag_push(&dst->warnings, &dst->nwarnings, &dst->awarnings,
		    src->warnings[i].file, src->warnings[i].line,
		    xstrdup(src->warnings[i].message));
	for (i = 0; i < src->nerrors; i++)
		diag_push(&dst->errors, &dst->nerrors, &dst->aerrors,
		    src->errors[i].file, src->errors[i].line,
		    xstrdup(src->errors[i].message));
}

void
diags_strict(struct diags *d)
{
	size_t i;

	for (i = 0; i < d->nwarnings; i++) {
		diag_push(&d->errors, &d->nerrors, &d->aerrors,
		    d->warnings[i].file, d->warnings[i].line,
		    d->warnings[i].message);
		free(d->warnings[i].file);
	}
	d->nwarnings = 0;
}

void
diag_format(const struct diag *dg, char *buf, size_t size)
{
	if (dg->line > 0)
		snprintf(buf, size, "%s:%d: %s", dg->file, dg->line,
		    dg->message);
	else
		snprintf(buf, size, "%s: %s", dg->file, dg->message);
}

void
diags_print(const struct diags *d, FILE *f, const char *prog)
{
	char buf[1024];
	size_t i;

	for (i = 0; i < d->nerrors; i++) {
		diag_format(&d->errors[i], buf, sizeof buf);
		fprintf(f, "%s: %s\n", prog, buf);
	}
	for (i = 0; i < d->nwarnings; i++) {
		diag_format(&d->warnings[i], buf, sizeof buf);
		fprintf(f, "%s: warning: %s\n", prog, buf);
	}
}
