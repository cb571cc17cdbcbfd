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

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_ASSERT(e)							\
	do {								\
		if (!(e)) {						\
			fprintf(stderr, "%s:%d: assertion failed: %s\n", \
			    __FILE__, __LINE__, #e);			\
			abort();					\
		}							\
	} while (0)

#endif
