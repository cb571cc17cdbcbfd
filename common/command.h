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
/*
 * Where "exec " goes into command to make the shell execute it in its
 * own process: the offset of its command word, when command is one
 * simple command (words, quotes, parameter expansions, globs,
 * redirections and leading assignments: no ; & | ( ) newline, no command
 * substitution, no here-document) whose command word is not a keyword or
 * builtin; else -1.
 */
long	  command_exec_at(const char *);
/*
 * { "/bin/sh", "-c", command, NULL }, allocated (free with strv_free),
 * with "exec " inserted where command_exec_at() says: dash does not
 * exec the last command itself, and the process would be the shell.
 */
char	**command_shell(const char *);
/*
 * Whether the process of command_shell(command) stays /bin/sh (a list,
 * a pipeline, a compound command, a builtin): its pid and its exit
 * status are then the shell's, not those of a program it ran. A
 * command whose last command is "exec " and one simple command (alone,
 * or last in a list after ; & && or a newline, outside any compound
 * command) is its program's: the shell's process becomes the program
 * when it gets there.
 */
int	  command_in_shell(const char *);

#endif
