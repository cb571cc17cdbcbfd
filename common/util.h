/*
 * Small helpers shared by the daemon and the CLI.
 */
#ifndef UTIL_H
#define UTIL_H

#include <stddef.h>
#include <sys/types.h>

#include "common/strbuf.h"

struct stat;

/* Read a whole file; -1 with errno set on failure. */
int	 read_file(const char *, struct strbuf *);
/* The same, and what fstat(2) says of the file read (st may be NULL). */
int	 read_file_stat(const char *, struct strbuf *, struct stat *);
/* A regular file in a directory, never through a link, never blocking on
 * a FIFO (-1 with EINVAL for what is not a regular file), and its stat. */
int	 read_file_at(int, const char *, struct strbuf *, struct stat *);
/* Write a whole file atomically: temp file of that mode, fsync, rename,
 * fsync the directory. The _at form writes in a directory's descriptor,
 * never through a link. */
int	 write_file_atomic(const char *, const void *, size_t, mode_t);
int	 write_file_atomic_at(int, const char *, const void *, size_t, mode_t);
/* Write all of buf, retrying on EINTR and short writes; -1 on error. */
ssize_t	 write_all(int, const void *, size_t);
/* "dir/name", or name itself when it is absolute. */
char	*path_join(const char *, const char *);
/* Remove "." and "dir/.." lexically, in place; returns path. */
char	*path_clean(char *);
/* Signal name ("TERM", "SIGTERM", "15") to number; -1 if unknown. */
int	 signal_parse(const char *);
/* "SIGTERM"; a static string. */
const char *signal_name(int);
/* Seconds, possibly fractional ("10", "0.5"), to milliseconds; -1 if bad. */
int	 duration_parse_ms(const char *);
/* A non-negative decimal int; -1 if bad or out of range. */
int	 number_parse(const char *, int);
/* Set or clear O_NONBLOCK / FD_CLOEXEC; -1 on error. */
int	 fd_set_nonblock(int, int);
int	 fd_set_cloexec(int, int);
/* Monotonic time in milliseconds. */
long long now_ms(void);

#endif
