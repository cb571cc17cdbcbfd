/*
 * Env files (dotenv): KEY=VALUE, export KEY=VALUE, KEY: VALUE, with the
 * quoting and $KEY / ${KEY} / ${KEY:-default} expansion of procfile(5).
 *
 * envfile_parse() adds a file's assignments to env in order: an existing
 * key is updated in place, a new one appended, each with origin
 * "FILE:LINE" (the line where its statement starts). Expansion looks a
 * name up in env (what the files set so far), then in inherited (may be
 * NULL), else gives "". Lines that fit no statement are warnings; an
 * unterminated quote or text after a closing quote is an error at the
 * statement's first line. Returns 0 when no error was recorded, else -1;
 * on error the caller must not use env (nothing is half-applied).
 */
#ifndef ENVFILE_H
#define ENVFILE_H

#include <stddef.h>

#include "common/diag.h"
#include "common/env.h"

int	envfile_parse(struct env *, const char *, const char *, size_t,
	    const struct env *, struct diags *);
/* Read and parse path; an unreadable file is an error at line 0. */
int	envfile_load(struct env *, const char *, const struct env *,
	    struct diags *);

#endif
