/*
 * What a one-off runs, the same whether the daemon spawns it or the CLI
 * does when no daemon is up (formation(1), oneoff and run):
 *
 *   ONEOFF_SHELL	one argument: /bin/sh -c COMMAND, or its words
 *			directly when it needs no shell
 *   ONEOFF_TYPE	the type's command, the arguments quoted after it
 *   neither		an argv, argv[0] looked up in the release's PATH
 *			from the app root
 *
 * (the flags of common/protocol.h)
 *
 * runcmd_resolve() fills a struct runcmd or says why it cannot run, with
 * the exit status to give (1 unknown type, 126, 127). runcmd_port() finds
 * a PORT for a one-off that needs one.
 */
#ifndef RUNCMD_H
#define RUNCMD_H

#include <stddef.h>

struct release;

struct runcmd {
	char	**argv;		/* argv[0] absolute */
	char	**words;	/* NULL, or words tried first (struct spawn) */
	char	 *display;	/* the command on one line, for ps and logs */
	int	  uses_port;	/* a type's command that reads $PORT */
	int	  shell;		/* the process is /bin/sh (command_in_shell) */
};

/* 0, or the exit status with why in err. */
int	runcmd_resolve(struct runcmd *, const struct release *, unsigned,
	    int, const char *const *, char *, size_t);
/* Free what the struct holds (what no one took). */
void	runcmd_release(struct runcmd *);
/* A TCP port free on 127.0.0.1 now and none of avoid[0..n); 0 with errno
 * when none is found. */
int	runcmd_port(const int *, size_t);

#endif
