/*
 * Where an app's state lives: ROOT/.formation (or $STATE_DIRECTORY under
 * systemd), mode 0700, with a .gitignore of "*"; the control socket in it
 * (or in $RUNTIME_DIRECTORY, or where --socket / FORMATION_SOCKET say).
 */
#ifndef PATHS_H
#define PATHS_H

char	*paths_state_dir(const char *);
/* Create the state directory if missing; -1 with errno. */
int	 paths_make_state_dir(const char *);
/* The daemon's socket for an app root and an explicit setting (or NULL). */
char	*paths_socket(const char *, const char *);
/* The CLI's: --socket, $FORMATION_SOCKET, else the socket of the nearest
 * directory from start upwards that holds .formation/formation.sock or a
 * Procfile. NULL if none; *root gets that directory (or NULL). */
char	*paths_find_socket(const char *, const char *, char **);

#endif
