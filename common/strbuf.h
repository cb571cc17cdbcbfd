/*
 * A growable byte buffer, always NUL-terminated (git's strbuf).
 *
 * Initialise with STRBUF_INIT or strbuf_init(); buf is never NULL after
 * that. strbuf_release() frees the contents and leaves an empty buffer;
 * strbuf_detach() hands the string to the caller.
 */
#ifndef STRBUF_H
#define STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char	*buf;
	size_t	 len;
	size_t	 alloc;
};

extern char strbuf_empty[];
#define STRBUF_INIT { strbuf_empty, 0, 0 }

void	 strbuf_init(struct strbuf *, size_t);
void	 strbuf_release(struct strbuf *);
char	*strbuf_detach(struct strbuf *, size_t *);
void	 strbuf_grow(struct strbuf *, size_t);
void	 strbuf_reset(struct strbuf *);
void	 strbuf_setlen(struct strbuf *, size_t);
void	 strbuf_add(struct strbuf *, const void *, size_t);
void	 strbuf_addstr(struct strbuf *, const char *);
void	 strbuf_addch(struct strbuf *, int);
void	 strbuf_addf(struct strbuf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 strbuf_vaddf(struct strbuf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
/* Remove the first n bytes. */
void	 strbuf_remove_front(struct strbuf *, size_t);

#endif
