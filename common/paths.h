/*
 * Where an app's state lives (formationd(8) FILES).
 *
 * ROOT/.formation, the app's directory, always: the lock (formation.lock)
 * that keeps one daemon per app, and the control socket (formation.sock),
 * or a symbolic link of that name to the socket when it lives elsewhere
 * (--socket, $RUNTIME_DIRECTORY), so that the CLI finds it from the app;
 * a .gitignore of "*".
 *
 * The state directory: $STATE_DIRECTORY under systemd, else
 * ROOT/.formation itself: the release history and formation.log.
 *
 * Each directory is made mode 0700 and opened without following a link,
 * must be owned by the effective uid (common/trust.h), and what is inside
 * it is reached through its descriptor (openat(2) and friends), so that
 * no one can slip another directory in under the same name.
 */
#ifndef PATHS_H
#define PATHS_H

#define PATHS_SOCKET	"formation.sock"
#define PATHS_LOCK	"formation.lock"

/* ROOT/.formation. */
char	*paths_app_dir(const char *);
/* $STATE_DIRECTORY (its first path), else ROOT/.formation. */
char	*paths_state_dir(const char *);
/* Make dir (relative to the directory at, or AT_FDCWD) if missing, mode
 * 0700; open it without following a link and check that it is ours,
 * tightening a wider mode to 0700. Its descriptor, or -1 with errno and
 * *why, which names it by label. */
int	 paths_open_dir(int, const char *, const char *, char **);
/* The same for ROOT/.formation, with its .gitignore. */
int	 paths_open_app_dir(const char *, char **);
/* The daemon's socket for an app root and an explicit setting (or NULL):
 * explicit, else $RUNTIME_DIRECTORY/formation.sock, else
 * ROOT/.formation/formation.sock. */
char	*paths_socket(const char *, const char *);
/* The CLI's: --socket, $FORMATION_SOCKET, else the socket of the nearest
 * directory from start upwards that holds .formation/formation.sock (a
 * socket or the link to one) or a Procfile. NULL if none; *root gets
 * that directory, or NULL when the socket was named. */
char	*paths_find_socket(const char *, const char *, char **);
/* Take the lock name (PATHS_LOCK) in the directory dirfd without
 * waiting: its descriptor, or -1 with errno (EWOULDBLOCK: another holds
 * it). The daemon holds the app's while it lives; a one-off with no
 * daemon up holds it while it writes a release. */
int	 paths_lock(int, const char *);

#endif
