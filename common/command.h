/*
 * Commands that need no shell.
 *
 * A Procfile command runs as /bin/sh -c COMMAND would run it. When it is
 * only words (no quotes, expansions, redirections, operators, globs or
 * comments) and its first word is a program, not a shell builtin or
 * keyword, the shell would split it on blanks and execute the program:
 * command_words() does that split, so the daemon can execute the program
 * itself and save a shell per process (as bash, and Ruby's spawn, do).
 * The rules are dash's (Debian's /bin/sh), with bash's builtins added;
 * the daemon leaves the command to the shell when the environment could
 * change what bash would do (see spawn_exec_words).
 */
#ifndef COMMAND_H
#define COMMAND_H

struct strbuf;

/* The words of command, NULL-terminated and allocated (free with
 * strv_free), or NULL when it needs /bin/sh. */
char	**command_words(const char *);
/* Append s as one /bin/sh word: as it is when no character of it means
 * anything to the shell, else in single quotes. */
void	  command_quote(struct strbuf *, const char *);
/* { "/bin/sh", "-c", command, NULL }, allocated (free with strv_free). */
char	**command_shell(const char *);

#endif
