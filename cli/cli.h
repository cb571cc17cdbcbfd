/*
 * The formation command: one function per command, cmd_NAME(argc, argv)
 * with argv[0] the command's name, returning the exit status (EXIT STATUS
 * in formation(1)).
 */
#ifndef CLI_H
#define CLI_H

#include <stdio.h>

#define EXIT_OK		0
#define EXIT_FAILED	1	/* the request failed */
#define EXIT_USAGE	2
#define EXIT_CONFIG	78	/* bad Procfile, env file or formation.ini */
#define EXIT_UNREACHABLE 125	/* run/oneoff: formation's own failure */
#define EXIT_NOEXEC	126
#define EXIT_NOTFOUND	127

/* How long a daemon may take to accept and to answer a request. */
#define CLI_TIMEOUT_MS	5000

/* Global options given before the command. */
struct cli_globals {
	char		*root;		/* -C DIR */
	char		*socket;	/* --socket PATH */
	int		 color;		/* -1 auto, 0 --no-color, 1 --color */
	char		*host;		/* -H URL, else $FORMATION_HOST */
	char		*remote_formation; /* --remote-formation PATH */
	int		 timeout_ms;	/* --timeout SECS, else
					 * $FORMATION_CLI_TIMEOUT; 0: no limit */
	char		*timeout_arg;	/* --timeout as given, or NULL */
};
extern struct cli_globals cli_globals;

/* "formation: what failed: why" on stderr. */
void	cli_error(const char *, ...) __attribute__((format(printf, 1, 2)));
/* As cli_error, with ": strerror(errno)" appended. */
void	cli_errno(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Print "usage: formation USAGE" to stderr and return EXIT_USAGE. */
int	cli_usage(const char *);

int	cmd_check(int, char **);
int	cmd_up(int, char **);
int	cmd_down(int, char **);
int	cmd_ps(int, char **);
int	cmd_scale(int, char **);
int	cmd_restart(int, char **);
int	cmd_stop(int, char **);
int	cmd_start(int, char **);
int	cmd_logs(int, char **);
int	cmd_top(int, char **);
int	cmd_env(int, char **);
int	cmd_reload(int, char **);
int	cmd_releases(int, char **);
/* releases diff and releases show (cli/release_show.c); argv[0] is
 * "diff" or "show". */
int	releases_diff(int, char **);
int	releases_show(int, char **);
int	cmd_rollback(int, char **);
int	cmd_export(int, char **);
int	cmd_kill(int, char **);
int	cmd_run(int, char **);
int	cmd_oneoff(int, char **);
int	cmd_completion(int, char **);
int	cmd_complete(int, char **);

/* The name of every command, one a line (for the completion). */
void	cli_list_commands(FILE *);

#endif
