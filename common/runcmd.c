/*
 * What a one-off runs (runcmd.h).
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/command.h"
#include "common/env.h"
#include "common/protocol.h"
#include "common/release.h"
#include "common/runcmd.h"
#include "common/spawn.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "common/xmalloc.h"

#define RUNCMD_PORT_TRIES	16

/* The command on one line, for ps and the log. */
static char *
runcmd_display(const char *command)
{
	char *d, *p;

	d = xstrdup(command);
	for (p = d; *p != '\0'; p++) {
		if ((unsigned char)*p < ' ' || *p == 0x7f)
			*p = ' ';
	}
	return d;
}

static void
runcmd_shell(struct runcmd *cmd, const char *command)
{
	cmd->argv = command_shell(command);
	cmd->words = command_words(command);
	cmd->display = runcmd_display(command);
	cmd->shell = command_in_shell(command);
}

/* Does command read $NAME or ${NAME...}? */
static int
runcmd_reads(const char *command, const char *name)
{
	size_t len = strlen(name);
	const char *p, *after;

	for (p = command; (p = strchr(p, '$')) != NULL; p++) {
		if (strncmp(p + 1, name, len) == 0) {
			after = p + 1 + len;
			if (*after != '_' && !isalnum((unsigned char)*after))
				return 1;
		} else if (p[1] == '{' && strncmp(p + 2, name, len) == 0) {
			after = p + 2 + len;
			if (*after != '\0' && strchr("}:-=+?#%", *after) != NULL)
				return 1;
		}
	}
	return 0;
}

/* run TYPE ARG...: the type's command, the arguments quoted after it. */
static int
runcmd_type(struct runcmd *cmd, const struct release *r, int argc,
    const char *const *argv, char *err, size_t errlen)
{
	const struct release_proc *rp;
	struct strbuf sb = STRBUF_INIT;
	char **words;
	size_t j;
	int i;

	if ((rp = release_find(r, argv[0])) == NULL) {
		for (j = 0; j < r->nprocs; j++)
			strbuf_addf(&sb, "%s%s", j > 0 ? ", " : "",
			    r->procs[j].name);
		snprintf(err, errlen, "unknown process type '%s' (types: %s)",
		    argv[0], sb.buf);
		strbuf_release(&sb);
		return 1;
	}
	strbuf_addstr(&sb, rp->command);
	for (i = 1; i < argc; i++) {
		strbuf_addch(&sb, ' ');
		command_quote(&sb, argv[i]);
	}
	runcmd_shell(cmd, sb.buf);
	strbuf_release(&sb);
	cmd->uses_port = runcmd_reads(rp->command, "PORT");
	/* A plain command takes the arguments as words of its own. */
	if (cmd->words == NULL && argc > 1 &&
	    (words = command_words(rp->command)) != NULL) {
		for (j = 0; words[j] != NULL; j++)
			;
		cmd->words = xcalloc(j + (size_t)argc, sizeof *cmd->words);
		memcpy(cmd->words, words, j * sizeof *words);
		for (i = 1; i < argc; i++)
			cmd->words[j++] = xstrdup(argv[i]);
		free(words);
	}
	return 0;
}

/* "PATH=..." of the release, relative entries taken from the app root
 * (where the one-off runs, not where we do); NULL when it has none. */
static char *
runcmd_path(const struct release *r)
{
	const char *path = env_get(&r->env, "PATH"), *p, *end;
	struct strbuf sb = STRBUF_INIT;

	if (path == NULL)
		return NULL;
	strbuf_addstr(&sb, "PATH=");
	for (p = path; ; p = end + 1) {
		end = strchrnul(p, ':');
		if (p != path)
			strbuf_addch(&sb, ':');
		if (*p != '/')
			strbuf_addf(&sb, "%s/", r->root);
		strbuf_add(&sb, p, (size_t)(end - p));
		if (*end == '\0')
			break;
	}
	return strbuf_detach(&sb, NULL);
}

/* A program with a '/' is relative to the app root; NULL with errno. */
static char *
runcmd_program_path(const char *root, const char *file)
{
	struct stat st;
	char *prog;

	prog = path_join(root, file);
	if (stat(prog, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			errno = EISDIR;
		else if (access(prog, X_OK) == 0)
			return prog;
	}
	free(prog);
	return NULL;
}

/* Find argv[0] as execvp would from the one-off's directory and PATH;
 * NULL with the exit status in *code and why in err. */
static char *
runcmd_program(const struct release *r, const char *file, char *err,
    size_t errlen, int *code)
{
	char *envp[2] = { NULL, NULL }, *prog;

	if (strchr(file, '/') == NULL) {
		envp[0] = runcmd_path(r);
		prog = spawn_find_program(file, envp);
		free(envp[0]);
	} else
		prog = runcmd_program_path(r->root, file);
	if (prog != NULL)
		return prog;
	if (errno == ENOENT || errno == ENOTDIR) {
		snprintf(err, errlen, "command not found: '%s'", file);
		*code = 127;
	} else {
		snprintf(err, errlen, "cannot execute '%s': %s", file,
		    strerror(errno));
		*code = 126;
	}
	return NULL;
}

/* oneoff CMD ARG...: an argv, no shell. */
static int
runcmd_argv(struct runcmd *cmd, const struct release *r, int argc,
    const char *const *argv, char *err, size_t errlen)
{
	struct strbuf sb = STRBUF_INIT;
	char *prog;
	int i, code = 0;

	if ((prog = runcmd_program(r, argv[0], err, errlen, &code)) == NULL)
		return code;
	cmd->argv = xcalloc((size_t)argc + 1, sizeof *cmd->argv);
	cmd->argv[0] = prog;
	for (i = 0; i < argc; i++) {
		if (i > 0) {
			cmd->argv[i] = xstrdup(argv[i]);
			strbuf_addch(&sb, ' ');
		}
		command_quote(&sb, argv[i]);
	}
	cmd->display = runcmd_display(sb.buf);
	strbuf_release(&sb);
	return 0;
}

int
runcmd_resolve(struct runcmd *cmd, const struct release *r, unsigned flags,
    int argc, const char *const *argv, char *err, size_t errlen)
{
	memset(cmd, 0, sizeof *cmd);
	if (flags & ONEOFF_TYPE)
		return runcmd_type(cmd, r, argc, argv, err, errlen);
	if (flags & ONEOFF_SHELL) {
		runcmd_shell(cmd, argv[0]);
		return 0;
	}
	return runcmd_argv(cmd, r, argc, argv, err, errlen);
}

void
runcmd_release(struct runcmd *cmd)
{
	strv_free(cmd->argv);
	strv_free(cmd->words);
	free(cmd->display);
	memset(cmd, 0, sizeof *cmd);
}

/* The port the kernel picks for a bind to 127.0.0.1:0; 0 on failure. */
static int
runcmd_port_once(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	int fd, port = 0;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return 0;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof sin) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sin, &len) == 0)
		port = ntohs(sin.sin_port);
	close(fd);
	return port;
}

int
runcmd_port(const int *avoid, size_t n)
{
	size_t i;
	int try, port;

	for (try = 0; try < RUNCMD_PORT_TRIES; try++) {
		if ((port = runcmd_port_once()) == 0)
			return 0;
		for (i = 0; i < n && avoid[i] != port; i++)
			;
		if (i == n)
			return port;
	}
	errno = EADDRINUSE;
	return 0;
}
