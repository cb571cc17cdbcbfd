/*
 * The address of a Unix socket at any path length. sun_path holds 108
 * bytes; a socket is reached through its directory's descriptor instead,
 * /proc/self/fd/N/NAME, which also keeps the directory from being
 * swapped under its name between the check and the bind or connect.
 * Both formationd (bind) and formation (connect) go this way.
 */
#ifndef UNIXSOCK_H
#define UNIXSOCK_H

struct sockaddr_un;

/* Open the directory of path ("." for a bare name, "/" for "/NAME"),
 * O_DIRECTORY and close-on-exec; *name gets the last component, a
 * pointer into path. -1 with errno (EINVAL: path ends in '/'). */
int	unixsock_open_dir(const char *, const char **);
/* sun for name in the directory dirfd; -1 with ENAMETOOLONG if even
 * that does not fit. */
int	unixsock_addr_at(struct sockaddr_un *, int, const char *);
/* sun for path: the path itself when it fits, else through its
 * directory, whose descriptor *dirfd gets (to close after the bind or
 * connect; -1 when none was opened). -1 with errno. */
int	unixsock_addr(struct sockaddr_un *, const char *, int *);

#endif
