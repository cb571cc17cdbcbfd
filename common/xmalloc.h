/*
 * Allocation that never returns NULL: running out of memory is fatal, so
 * callers need no error path for it.
 */
#ifndef XMALLOC_H
#define XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xrealloc(void *, size_t);
void *xreallocarray(void *, size_t, size_t);
char *xstrdup(const char *);
char *xstrndup(const char *, size_t);
/* Free a NULL-terminated array of strings and the array; NULL is fine. */
void strv_free(char **);
int xasprintf(char **, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* Grow *array so that it holds at least n elements of size sz. */
#define ALLOC_GROW(array, n, alloc)                                          \
	do {                                                                 \
		if ((n) > (alloc)) {                                         \
			(alloc) = (alloc) < 8 ? 8 : (alloc) * 2;             \
			if ((alloc) < (n))                                   \
				(alloc) = (n);                               \
			(array) = xreallocarray((array), (alloc),            \
			    sizeof *(array));                                \
		}                                                            \
	} while (0)

#endif
