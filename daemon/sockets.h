/*
 * The listening sockets the daemon holds for the types with a listen
 * setting (common/listen.h), for the life of the daemon: bound once,
 * kept across restarts, reloads and rollbacks, and passed to each
 * instance of the type by socket activation (sd_listen_fds(3)).
 *
 * Each address is one socket, shared by every set that names it; a set
 * is what one type of one release listens on. A process's spec holds a
 * reference to its set (struct proc_spec), the table of the current
 * release holds one per type, and a socket is closed when the last set
 * naming it goes. So a reload that changes listen binds the new address
 * before the roll (sockets_stage()), and the old one is closed once the
 * last process started with it is gone.
 *
 * sockets_stage() binds what the release r needs and is not held yet;
 * -1 with *err (allocated, naming the setting, the address and errno)
 * when an address cannot be bound, and nothing changes. Then
 * sockets_commit() makes the staged sets current (at the move onto r),
 * or sockets_abort() drops them (the release did not go live).
 */
#ifndef SOCKETS_H
#define SOCKETS_H

#include <sys/socket.h>

#include <stddef.h>

struct release;
struct settings;
struct sockset;
struct spawn;

int	 sockets_stage(const struct release *, const struct settings *,
	    char **);
void	 sockets_commit(void);
void	 sockets_abort(void);
/* Close every socket (at exit); a unix socket's file is removed. */
void	 sockets_free(void);

/* The current set of a type, referenced; NULL when it listens on none. */
struct sockset *sockets_for(const char *);
struct sockset *sockset_ref(struct sockset *);
void	 sockset_unref(struct sockset *);	/* NULL is fine */

/*
 * Where the ready check accept connects (probe.h): the first socket of
 * the set, an address of every interface taken on the loopback; -1 with
 * errno when the set has none. And that socket's name in LISTEN_FDNAMES
 * (NULL: none), for the log.
 */
int	 sockset_connect_addr(const struct sockset *, struct sockaddr_storage *,
	    socklen_t *);
const char *sockset_name(const struct sockset *);

/*
 * For the child: LISTEN_FDS, LISTEN_FDNAMES, LISTEN_PID (its value
 * written by the child, struct spawn), SERVER_STARTER_PORT and
 * EINHORN_FD_COUNT, EINHORN_FD_0... added to *envp (reallocated, any
 * earlier value of those replaced), and the fds into sp.
 */
void	 sockset_spawn(const struct sockset *, char ***, struct spawn *);

/* What ps shows, per socket of the current sets: its type, its name in
 * LISTEN_FDNAMES, its address, and its fd in the child (3, 4, ...). */
struct sockets_info {
	const char	*type;
	const char	*name;
	const char	*address;
	int		 fd;
};
size_t	 sockets_count(void);
void	 sockets_info(size_t, struct sockets_info *);

#endif
