/*
 * formation -H ssh://...: the command, run on another host by ssh
 * (remote.h).
 *
 * ssh gets our stdin, stdout and stderr as they are, so pipes stay byte
 * for byte what the remote command reads and writes; -t only when both
 * stdin and stdout are terminals (a pty would turn "\n" into "\r\n" in a
 * file); BatchMode when stdin is not a terminal, so a script fails
 * instead of waiting for a password. ssh's own messages go to a file of
 * ours (-E): ssh exits 255 both when it fails and when the remote
 * command does, and only its messages tell which.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/remote.h"
#include "common/command.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "common/waitstatus.h"
#include "common/xmalloc.h"

#define REMOTE_SCHEME	"ssh://"
#define REMOTE_SSH	"ssh"
#define REMOTE_FAILED	255	/* ssh's status when it fails */

/* What we pass on to ssh while it runs (SIGINT and SIGQUIT from a
 * terminal reach it too: a second one does no harm). */
static const int remote_signals[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2,
};
static volatile sig_atomic_t remote_child;
static volatile sig_atomic_t remote_signalled;

void
remote_release(struct remote *r)
{
	free(r->user);
	free(r->host);
	free(r->port);
	free(r->dir);
	memset(r, 0, sizeof *r);
}

/* HOST or [HOST] at *p, up to the port or the path. */
static int
remote_parse_host(const char **p, struct remote *r, char *err, size_t len)
{
	const char *s = *p, *end;

	if (*s == '[') {
		if ((end = strchr(s, ']')) == NULL) {
			snprintf(err, len, "no ']' after '['");
			return -1;
		}
		r->host = xstrndup(s + 1, (size_t)(end - s - 1));
		end++;
	} else {
		end = s + strcspn(s, ":/");
		r->host = xstrndup(s, (size_t)(end - s));
	}
	if (*r->host == '\0' || *r->host == '-' ||
	    r->host[strcspn(r->host, " \t\n@[]")] != '\0') {
		snprintf(err, len, "no host name");
		return -1;
	}
	*p = end;
	return 0;
}

static int
remote_parse_port(const char **p, struct remote *r, char *err, size_t len)
{
	const char *s = *p, *end;
	char *port;

	if (*s != ':')
		return 0;
	end = s + 1 + strcspn(s + 1, "/");
	port = xstrndup(s + 1, (size_t)(end - s - 1));
	if (number_parse(port, 65535) < 1) {
		snprintf(err, len, "bad port '%s'", port);
		free(port);
		return -1;
	}
	r->port = port;
	*p = end;
	return 0;
}

int
remote_parse(const char *url, struct remote *r, char *err, size_t len)
{
	const char *p, *at, *slash;

	memset(r, 0, sizeof *r);
	if (strncmp(url, REMOTE_SCHEME, strlen(REMOTE_SCHEME)) != 0) {
		snprintf(err, len, "not ssh://[USER@]HOST[:PORT][/DIR]");
		return -1;
	}
	p = url + strlen(REMOTE_SCHEME);
	slash = p + strcspn(p, "/");
	if ((at = memrchr(p, '@', (size_t)(slash - p))) != NULL) {
		if (at == p || *p == '-') {
			snprintf(err, len, "no user name before '@'");
			return -1;
		}
		r->user = xstrndup(p, (size_t)(at - p));
		p = at + 1;
	}
	if (remote_parse_host(&p, r, err, len) == -1 ||
	    remote_parse_port(&p, r, err, len) == -1) {
		remote_release(r);
		return -1;
	}
	if (*p != '\0' && *p != '/') {
		snprintf(err, len, "unexpected '%s' after the host", p);
		remote_release(r);
		return -1;
	}
	if (*p == '/' && p[1] != '\0')
		r->dir = xstrdup(p);
	return 0;
}

/* The remote formation: a "~/" at its start is left for the remote
 * shell to expand. */
static void
remote_quote_program(struct strbuf *sb, const char *path)
{
	if (strncmp(path, "~/", 2) == 0) {
		strbuf_addstr(sb, "~/");
		path += 2;
		if (*path == '\0')
			return;
	}
	command_quote(sb, path);
}

void
remote_command(struct strbuf *sb, const struct remote *r,
    const struct cli_globals *g, int argc, char **argv)
{
	int i;

	remote_quote_program(sb, g->remote_formation != NULL ?
	    g->remote_formation : "formation");
	if (r->dir != NULL || g->root != NULL) {
		strbuf_addstr(sb, " -C ");
		command_quote(sb, r->dir != NULL ? r->dir : g->root);
	}
	if (g->socket != NULL) {
		strbuf_addstr(sb, " --socket ");
		command_quote(sb, g->socket);
	}
	if (g->color != -1)
		strbuf_addstr(sb, g->color ? " --color" : " --no-color");
	if (g->timeout_arg != NULL) {
		strbuf_addstr(sb, " --timeout ");
		command_quote(sb, g->timeout_arg);
	}
	for (i = 0; i < argc; i++) {
		strbuf_addch(sb, ' ');
		command_quote(sb, argv[i]);
	}
}

static void
remote_forward(int sig)
{
	int saved_errno = errno;

	remote_signalled = sig;
	if (remote_child > 0)
		kill((pid_t)remote_child, sig);
	errno = saved_errno;
}

static void
remote_catch_signals(void (*handler)(int))
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof remote_signals / sizeof *remote_signals; i++)
		sigaction(remote_signals[i], &sa, NULL);
}

/* ssh's arguments: options, then the host and the command. */
static char **
remote_argv(const struct remote *r, const char *log, const char *cmd)
{
	char **argv = xcalloc(20, sizeof *argv);
	int n = 0;

	argv[n++] = xstrdup(REMOTE_SSH);
	if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
		argv[n++] = xstrdup("-t");
	if (!isatty(STDIN_FILENO)) {
		argv[n++] = xstrdup("-o");
		argv[n++] = xstrdup("BatchMode=yes");
	}
	/* Its errors, not "Connection to HOST closed." after each command. */
	argv[n++] = xstrdup("-o");
	argv[n++] = xstrdup("LogLevel=ERROR");
	argv[n++] = xstrdup("-E");
	argv[n++] = xstrdup(log);
	if (r->port != NULL) {
		argv[n++] = xstrdup("-p");
		argv[n++] = xstrdup(r->port);
	}
	if (r->user != NULL) {
		argv[n++] = xstrdup("-l");
		argv[n++] = xstrdup(r->user);
	}
	argv[n++] = xstrdup("--");
	argv[n++] = xstrdup(r->host);
	argv[n++] = xstrdup(cmd);
	return argv;
}

/* Start ssh; -1 (printed) if it could not be executed. */
static pid_t
remote_spawn(char **argv)
{
	int pipefd[2], error = 0;
	ssize_t n;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) == -1) {
		cli_errno("cannot create a pipe");
		return -1;
	}
	if ((pid = fork()) == 0) {
		close(pipefd[0]);
		execvp(argv[0], argv);
		error = errno;
		(void)!write(pipefd[1], &error, sizeof error);
		_exit(127);
	}
	close(pipefd[1]);
	if (pid == -1) {
		cli_errno("cannot fork");
		close(pipefd[0]);
		return -1;
	}
	do
		n = read(pipefd[0], &error, sizeof error);
	while (n == -1 && errno == EINTR);
	close(pipefd[0]);
	if (n == (ssize_t)sizeof error) {
		errno = error;
		cli_errno("cannot run '%s'", argv[0]);
		waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

/*
 * ssh's exit. When ssh stops (~^Z) so do we, so that the shell sees the
 * job stopped, then we continue it; when the whole job was stopped and
 * continued already (Ctrl-Z without a pty), there is nothing to do.
 */
static int
remote_wait(pid_t pid)
{
	int st, continued, r;

	for (;;) {
		if (waitpid(pid, &st, WUNTRACED) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (!WIFSTOPPED(st))
			return st;
		continued = 0;
		while ((r = waitpid(pid, &st, WNOHANG | WUNTRACED |
		    WCONTINUED)) != 0) {
			if (r == -1 && errno == EINTR)
				continue;
			if (r == -1)
				return -1;
			if (!WIFSTOPPED(st) && !WIFCONTINUED(st))
				return st;
			continued = WIFCONTINUED(st);
		}
		if (!continued) {
			raise(SIGTSTP);
			kill(pid, SIGCONT);
		}
	}
}

/* A file for ssh's messages; -1 (printed) if none can be made. */
static int
remote_log_open(char *path, size_t len)
{
	const char *tmp = getenv("TMPDIR");
	int fd;

	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(path, len, "%s/formation-ssh.XXXXXX", tmp);
	if ((fd = mkstemp(path)) == -1)
		cli_errno("cannot create a file in '%s'", tmp);
	return fd;
}

/* Copy what ssh said to stderr; 1 if it said anything. */
static int
remote_log_show(int fd)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	ssize_t n;
	int said;

	while ((n = read(fd, buf, sizeof buf)) > 0)
		strbuf_add(&sb, buf, (size_t)n);
	if (sb.len > 0 && sb.buf[sb.len - 1] != '\n')
		strbuf_addch(&sb, '\n');
	(void)write_all(STDERR_FILENO, sb.buf, sb.len);
	said = sb.len > 0;
	strbuf_release(&sb);
	return said;
}

/* Run ssh; our exit status. */
static int
remote_ssh(const struct remote *r, const char *url, const char *cmd)
{
	char log[PATH_MAX], **argv;
	int logfd, st, said;
	pid_t pid;

	if ((logfd = remote_log_open(log, sizeof log)) == -1)
		return EXIT_UNREACHABLE;
	argv = remote_argv(r, log, cmd);
	remote_catch_signals(remote_forward);
	pid = remote_spawn(argv);
	remote_child = pid;
	st = pid == -1 ? -1 : remote_wait(pid);
	remote_child = 0;
	said = remote_log_show(logfd);
	close(logfd);
	unlink(log);
	strv_free(argv);
	if (st == -1)
		return EXIT_UNREACHABLE;
	if (WIFSIGNALED(st))
		return waitstatus_code(st);
	if (WEXITSTATUS(st) == REMOTE_FAILED && remote_signalled != 0)
		return 128 + remote_signalled;
	if (WEXITSTATUS(st) == REMOTE_FAILED && said) {
		cli_error("ssh to '%s' failed", url);
		return EXIT_UNREACHABLE;
	}
	return WEXITSTATUS(st);
}

int
remote_main(const char *url, int argc, char **argv)
{
	struct strbuf cmd = STRBUF_INIT;
	struct remote r;
	char err[256];
	int rc;

	if (remote_parse(url, &r, err, sizeof err) == -1) {
		cli_error("bad host '%s': %s", url, err);
		return EXIT_USAGE;
	}
	if (r.dir != NULL && cli_globals.root != NULL) {
		cli_error("both -C and a directory in '%s': give one", url);
		remote_release(&r);
		return EXIT_USAGE;
	}
	remote_command(&cmd, &r, &cli_globals, argc, argv);
	rc = remote_ssh(&r, url, cmd.buf);
	strbuf_release(&cmd);
	remote_release(&r);
	return rc;
}
