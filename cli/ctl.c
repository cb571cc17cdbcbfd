/*
 * formation scale, restart, stop, start and down: requests that change
 * the formation and answer with one line.
 */
#include <sys/socket.h>
#include <sys/syscall.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/client.h"
#include "common/formspec.h"
#include "common/xmalloc.h"

static int
ctl_no_options(int argc, char **argv, const char *usage)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (argv[i][0] == '-' && argv[i][1] != '\0') {
			/* The usage starts with the command's name. */
			cli_error("%.*s: unknown option '%s'",
			    (int)strcspn(usage, " "), usage, argv[i]);
			return EXIT_USAGE;
		}
	}
	return 0;
}

int
cmd_scale(int argc, char **argv)
{
	static const char usage[] = "scale TYPE=N ...";
	struct formspec fs;
	struct strbuf sb = STRBUF_INIT;
	struct client c;
	char *err = NULL;
	int i, rc;
	size_t j;

	if (argc < 2 || ctl_no_options(argc, argv, usage) != 0)
		return cli_usage(usage);
	formspec_init(&fs);
	for (i = 1; i < argc; i++) {
		if (strchr(argv[i], '=') == NULL ||
		    formspec_parse(&fs, argv[i], &err) == -1) {
			cli_error("bad scale '%s': %s", argv[i],
			    err ? err : "expected TYPE=N");
			free(err);
			formspec_release(&fs);
			return EXIT_USAGE;
		}
	}
	if (client_open(&c) == -1) {
		formspec_release(&fs);
		return EXIT_FAILED;
	}
	msg_new(&sb, MSG_SCALE);
	msg_put_u32(&sb, (uint32_t)(fs.n + (fs.all >= 0)));
	/* all first, so that "all=1 web=3" leaves web at 3. */
	if (fs.all >= 0) {
		msg_put_str(&sb, "all");
		msg_put_u32(&sb, (uint32_t)fs.all);
	}
	for (j = 0; j < fs.n; j++) {
		msg_put_str(&sb, fs.entries[j].name);
		msg_put_u32(&sb, (uint32_t)fs.entries[j].count);
	}
	rc = client_simple(&c, &sb, 0);
	strbuf_release(&sb);
	formspec_release(&fs);
	client_close(&c);
	return rc;
}

static int
ctl_targets(int argc, char **argv, uint32_t type, int need, const char *usage)
{
	struct strbuf sb = STRBUF_INIT;
	struct client c;
	int i, rc;

	if ((need && argc < 2) || ctl_no_options(argc, argv, usage) != 0)
		return cli_usage(usage);
	if (client_open(&c) == -1)
		return EXIT_FAILED;
	msg_new(&sb, type);
	msg_put_u32(&sb, (uint32_t)(argc - 1));
	for (i = 1; i < argc; i++)
		msg_put_str(&sb, argv[i]);
	rc = client_simple(&c, &sb, 0);
	strbuf_release(&sb);
	client_close(&c);
	return rc;
}

int
cmd_restart(int argc, char **argv)
{
	static const char usage[] = "restart [--all-at-once] [TARGET ...]";
	struct strbuf sb = STRBUF_INIT;
	struct client c;
	int i, rc, first = 1;

	/* --all-at-once: every one now, as before rolls (MSG_RESTART_NOW). */
	if (argc > 1 && strcmp(argv[1], "--all-at-once") == 0)
		first = 2;
	if (first == 1)
		return ctl_targets(argc, argv, MSG_RESTART_WAIT, 0, usage);
	if (ctl_no_options(argc - 1, argv + 1, usage) != 0)
		return cli_usage(usage);
	if (client_open(&c) == -1)
		return EXIT_FAILED;
	msg_new(&sb, MSG_RESTART_NOW);
	msg_put_u32(&sb, (uint32_t)(argc - first));
	for (i = first; i < argc; i++)
		msg_put_str(&sb, argv[i]);
	rc = client_simple(&c, &sb, 0);
	strbuf_release(&sb);
	client_close(&c);
	return rc;
}

int
cmd_stop(int argc, char **argv)
{
	return ctl_targets(argc, argv, MSG_STOP, 1, "stop TARGET ...");
}

int
cmd_start(int argc, char **argv)
{
	return ctl_targets(argc, argv, MSG_START, 1, "start TARGET ...");
}

/*
 * A pidfd of the daemon, taken before asking it to go so that its pid
 * cannot be reused meanwhile: SO_PEERCRED of a connected socket names the
 * process that listened. -1 if there is none to be had.
 */
static int
ctl_daemon_pidfd(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof cred;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1 ||
	    cred.pid <= 0)
		return -1;
	return (int)syscall(SYS_pidfd_open, cred.pid, 0);
}

/* The daemon closes the connection as it ends, but it is gone only once
 * it has exited: a pidfd is readable then. */
static void
ctl_wait_exit(int pidfd)
{
	struct pollfd pfd = { pidfd, POLLIN, 0 };

	if (pidfd == -1)
		return;
	while (poll(&pfd, 1, -1) == -1 && errno == EINTR)
		;
}

int
cmd_down(int argc, char **argv)
{
	struct strbuf sb = STRBUF_INIT;
	struct client c;
	struct msg m;
	int rc, pidfd;

	if (ctl_no_options(argc, argv, "down") != 0 || argc != 1)
		return cli_usage("down");
	/* Nothing up is what down wants: cleanup scripts call it blind. */
	if ((rc = client_try_open(&c)) != 0) {
		if (rc == 1)
			printf("no formation is up\n");
		return rc == 1 ? EXIT_OK : EXIT_FAILED;
	}
	pidfd = ctl_daemon_pidfd(c.fd);
	msg_new(&sb, MSG_DOWN);
	rc = client_simple(&c, &sb, 1);
	strbuf_release(&sb);
	if (rc == EXIT_OK) {
		/* Stopping takes what the processes take. */
		c.timeout_ms = 0;
		while ((rc = client_recv(&c, &m)) == 1)
			;
		rc = rc == 0 ? EXIT_OK : EXIT_FAILED;
		if (rc == EXIT_OK) {
			ctl_wait_exit(pidfd);
			printf("formation is down\n");
		}
	}
	if (pidfd != -1)
		close(pidfd);
	client_close(&c);
	return rc;
}
