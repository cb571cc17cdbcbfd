/*
 * Shared by the libFuzzer targets (tests/fuzz/fuzz_*.c, "make fuzz").
 * Each defines LLVMFuzzerTestOneInput(), runs one parser on the input and
 * checks what the parser promises with FUZZ_ASSERT(), which aborts so
 * that libFuzzer keeps the input as a crash.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/diag.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_ASSERT(e)							\
	do {								\
		if (!(e)) {						\
			fprintf(stderr, "%s:%d: assertion failed: %s\n", \
			    __FILE__, __LINE__, #e);			\
			abort();					\
		}							\
	} while (0)

/* The lines of a file: its LFs, plus a last line with none. */
static inline int
fuzz_lines(const uint8_t *data, size_t size)
{
	size_t i;
	int n = 0;

	for (i = 0; i < size; i++)
		n += data[i] == '\n';
	return n + (size > 0 && data[size - 1] != '\n');
}

/* Every diagnostic names a line of the file (an error may name line 0,
 * the file as a whole, where first_error is 0). */
static inline void
fuzz_check_diags(const struct diags *d, int lines, int first_error)
{
	size_t i;

	for (i = 0; i < d->nwarnings; i++)
		FUZZ_ASSERT(d->warnings[i].line >= 1 &&
		    d->warnings[i].line <= lines);
	for (i = 0; i < d->nerrors; i++)
		FUZZ_ASSERT(d->errors[i].line >= first_error &&
		    d->errors[i].line <= lines);
}

#endif
