#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"

static const char *log_prog = "formation";
static int log_verbose;

void
log_init(const char *prog, int verbose)
{
	log_prog = prog;
	log_verbose = verbose;
}

static void __attribute__((format(printf, 1, 0)))
log_vmsg(const char *fmt, va_list ap, const char *reason)
{
	char buf[1024];

	vsnprintf(buf, sizeof buf, fmt, ap);
	if (reason != NULL)
		fprintf(stderr, "%s: %s: %s\n", log_prog, buf, reason);
	else
		fprintf(stderr, "%s: %s\n", log_prog, buf);
	fflush(stderr);
}

void
log_warn(const char *fmt, ...)
{
	const char *reason = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(fmt, ap, reason);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(fmt, ap, NULL);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	if (log_verbose < 1)
		return;
	va_start(ap, fmt);
	log_vmsg(fmt, ap, NULL);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (log_verbose < 2)
		return;
	va_start(ap, fmt);
	log_vmsg(fmt, ap, NULL);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	const char *reason = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(fmt, ap, reason);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(fmt, ap, NULL);
	va_end(ap);
	exit(1);
}
