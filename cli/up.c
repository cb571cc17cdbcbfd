/*
 * formation up: become formationd, in the foreground.
 */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/util.h"
#include "common/xmalloc.h"

/* formationd beside this binary, else on PATH. */
static char *
up_find_daemon(void)
{
	char self[PATH_MAX], *slash, *path;
	ssize_t n;

	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			xasprintf(&path, "%s/formationd", self);
			if (access(path, X_OK) == 0)
				return path;
			free(path);
		}
	}
	return xstrdup("formationd");
}

/* The line of progress on a terminal: drawn, and its text then. */
static void
up_progress(const char *waitlist, time_t since, int *drawn)
{
	if (waitlist == NULL || *waitlist == '\0') {
		if (*drawn)
			fputs("\r\033[K", stderr);
		*drawn = 0;
		return;
	}
	fprintf(stderr, "\r\033[Kwaiting for %.200s%s to be ready (%lds)",
	    waitlist, strlen(waitlist) > 200 ? "..." : "",
	    (long)(time(NULL) - since));
	*drawn = 1;
}

/*
 * What the daemon said on the ready pipe, until it closed it: its last
 * line. Lines "waiting: web.1, web.2" before it name those still
 * starting; on a terminal they show, rewritten once a second.
 */
static void
up_read_answer(int fd, struct strbuf *said)
{
	struct strbuf buf = STRBUF_INIT;
	char chunk[512], *waitlist = NULL, *nl;
	int tty = isatty(STDERR_FILENO), drawn = 0, rc;
	time_t since = time(NULL);
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t len;

	for (;;) {
		rc = poll(&pfd, 1, waitlist != NULL && tty ? 1000 : -1);
		if (rc == -1 && errno == EINTR)
			continue;
		if (rc == 0) {
			up_progress(waitlist, since, &drawn);
			continue;
		}
		len = read(fd, chunk, sizeof chunk);
		if (len == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (len <= 0 || buf.len > 65536)
			break;
		strbuf_add(&buf, chunk, (size_t)len);
		while ((nl = memchr(buf.buf, '\n', buf.len)) != NULL &&
		    strncmp(buf.buf, "waiting: ", 9) == 0) {
			free(waitlist);
			waitlist = xstrndup(buf.buf + 9,
			    (size_t)(nl - buf.buf - 9));
			len = nl - buf.buf + 1;
			memmove(buf.buf, nl + 1, buf.len - (size_t)len);
			strbuf_setlen(&buf, buf.len - (size_t)len);
			if (tty)
				up_progress(waitlist, since, &drawn);
		}
	}
	up_progress(NULL, since, &drawn);
	free(waitlist);
	strbuf_add(said, buf.buf, buf.len);
	strbuf_release(&buf);
}

/*
 * up -d: the daemon runs in a session of its own, its stdin /dev/null,
 * and says "ready" on a pipe once the formation is started; until then
 * its errors reach this terminal, and its exit status becomes ours.
 */
static int
up_detached(char *daemon, char **av, int n)
{
	struct strbuf said = STRBUF_INIT;
	char fdarg[32];
	int pipefd[2], status, fd;
	pid_t pid;

	if (pipe(pipefd) == -1) {
		cli_errno("cannot create a pipe");
		return EXIT_FAILED;
	}
	fd_set_cloexec(pipefd[0], 1);
	snprintf(fdarg, sizeof fdarg, "--ready-fd=%d", pipefd[1]);
	memmove(av + 2, av + 1, sizeof *av * (size_t)n);
	av[1] = fdarg;
	if ((pid = fork()) == -1) {
		cli_errno("cannot fork");
		return EXIT_FAILED;
	}
	if (pid == 0) {
		close(pipefd[0]);
		setsid();
		/* Nothing of the caller's terminal stays: it reads nothing. */
		if ((fd = open("/dev/null", O_RDONLY)) != -1 && fd != 0) {
			dup2(fd, 0);
			close(fd);
		}
		execvp(daemon, av);
		cli_errno("cannot run '%s'", daemon);
		_exit(EXIT_FAILED);
	}
	close(pipefd[1]);
	up_read_answer(pipefd[0], &said);
	close(pipefd[0]);
	if (strncmp(said.buf, "ready\n", 6) == 0) {
		strbuf_release(&said);
		printf("formation is up (pid %ld); see 'formation ps' and "
		    "'formation logs -f'\n", (long)pid);
		return EXIT_OK;
	}
	if (strncmp(said.buf, "not ready: ", 11) == 0) {
		strbuf_setlen(&said, strcspn(said.buf, "\n"));
		cli_error("%s", said.buf);
		printf("formation is up (pid %ld), not ready; see 'formation "
		    "ps' and 'formation logs'\n", (long)pid);
		strbuf_release(&said);
		return EXIT_FAILED;
	}
	strbuf_release(&said);
	if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status))
		return EXIT_FAILED;
	return WEXITSTATUS(status) == 0 ? EXIT_FAILED : WEXITSTATUS(status);
}

#define UP_WITH_ARG "Ccefmpt"	/* formationd's options that take one */

/*
 * Take -d or --detach out of a word, also from a bundle of short options
 * (-dv), since formationd does not know it. 1 if nothing is left.
 */
static int
up_strip_detach(char *w, int *detach)
{
	char *p;

	if (strcmp(w, "--detach") == 0) {
		*detach = 1;
		return 1;
	}
	if (w[0] != '-' || w[1] == '-' || w[1] == '\0')
		return 0;
	for (p = w + 1; *p != '\0' && strchr(UP_WITH_ARG, *p) == NULL; ) {
		if (*p == 'd') {
			*detach = 1;
			memmove(p, p + 1, strlen(p));
		} else
			p++;
	}
	return w[1] == '\0';
}

/* Does the option word w take the next word as its argument? */
static int
up_needs_next(const char *w)
{
	const char *p;

	if (strcmp(w, "--socket") == 0 || strcmp(w, "--ready-fd") == 0)
		return 1;
	if (w[0] != '-' || w[1] == '-' || w[1] == '\0')
		return 0;
	for (p = w + 1; *p != '\0'; p++) {
		if (strchr(UP_WITH_ARG, *p) != NULL)
			return p[1] == '\0';
	}
	return 0;
}

int
cmd_up(int argc, char **argv)
{
	char **av, *daemon;
	int i, n = 0, detach = 0, rc;

	av = xcalloc((size_t)argc + 9, sizeof *av);
	av[n++] = "formationd";
	av[n++] = "--up";	/* it speaks as formation up */
	if (cli_globals.root != NULL) {
		av[n++] = "-C";
		av[n++] = cli_globals.root;
	}
	if (cli_globals.socket != NULL) {
		av[n++] = "--socket";
		av[n++] = cli_globals.socket;
	}
	if (cli_globals.color != -1)
		av[n++] = cli_globals.color ? "--color" : "--no-color";
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < argc)
				av[n++] = argv[i++];
			break;
		}
		if (up_strip_detach(argv[i], &detach))
			continue;
		av[n++] = argv[i];
		if (up_needs_next(argv[i]) && i + 1 < argc)
			av[n++] = argv[++i];
	}
	daemon = up_find_daemon();
	if (detach)
		rc = up_detached(daemon, av, n);
	else {
		execvp(daemon, av);
		cli_errno("cannot run '%s'", daemon);
		rc = EXIT_FAILED;
	}
	free(daemon);
	free(av);
	return rc;
}
