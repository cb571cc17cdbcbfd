/*
 * formation -H ssh://[USER@]HOST[:PORT][/APP/DIR] COMMAND ...: the same
 * command, run by the formation CLI of that host through the system's
 * ssh(1) client (its configuration, keys and agent).
 *
 * remote_parse() splits the address; remote_command() makes the one
 * line the remote shell runs, every word quoted for it, so that nothing
 * of the command is expanded on our side or split differently there;
 * remote_main() runs ssh on our own stdio and returns our exit status:
 * the remote command's, 128 + N when ssh was killed by signal N, or 125
 * when ssh itself failed (its own messages on stderr).
 */
#ifndef REMOTE_H
#define REMOTE_H

struct cli_globals;
struct strbuf;

struct remote {
	char	*user;		/* NULL: ssh's default */
	char	*host;
	char	*port;		/* NULL: ssh's default */
	char	*dir;		/* the app root there; NULL: none given */
};

/* 0, or -1 with why in err. */
int	remote_parse(const char *, struct remote *, char *, size_t);
void	remote_release(struct remote *);
/* The remote command line: formation (or the path given), our global
 * options, -C DIR, then argv. */
void	remote_command(struct strbuf *, const struct remote *,
	    const struct cli_globals *, int, char **);
int	remote_main(const char *, int, char **);

#endif
