/*
 * The code of an app, from a spawned git (common/code.h).
 *
 * git runs in a process group of its own, its stdin /dev/null, its
 * output read here through pipes until EOF or the deadline, whichever
 * comes first; at the deadline the group is killed. The caller's signal
 * mask and dispositions are not the child's (posix_spawn resets them),
 * and no descriptor but 0, 1 and 2 reaches it.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/code.h"
#include "common/sha256.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "common/xmalloc.h"

#define CODE_KEEP	4096	/* bytes of stdout or stderr kept */

extern char **environ;

/* One git command: what it said, and how it ended. */
struct code_run {
	const char	*root;
	int		 timeout_ms;
	long long	 deadline;	/* now_ms() */
	struct sha256	*hash;		/* stdout hashed, or else kept */
	size_t		 hashed;
	struct strbuf	 out, err;
	int		 status;	/* wait status; -1: not run */
	int		 spawn_errno;	/* posix_spawn's failure, or 0 */
	int		 timed_out;
};

void
code_init(struct code *c)
{
	c->commit = NULL;
	c->diff = NULL;
}

void
code_release(struct code *c)
{
	free(c->commit);
	free(c->diff);
	code_init(c);
}

void
code_copy(struct code *dst, const struct code *src)
{
	code_release(dst);
	dst->commit = src->commit != NULL ? xstrdup(src->commit) : NULL;
	dst->diff = src->diff != NULL ? xstrdup(src->diff) : NULL;
}

static int
code_same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

int
code_equal(const struct code *a, const struct code *b)
{
	return code_same_str(a->commit, b->commit) &&
	    code_same_str(a->diff, b->diff);
}

void
code_id(const struct code *c, int detail, char *buf)
{
	if (c->commit == NULL) {
		snprintf(buf, CODE_ID_MAX, "none");
		return;
	}
	snprintf(buf, CODE_ID_MAX, "%.*s%s%s%.*s", CODE_SHORT, c->commit,
	    c->diff != NULL ? "+dirty" : "",
	    c->diff != NULL && detail ? ":" : "",
	    c->diff != NULL && detail ? 8 : 0, c->diff != NULL ? c->diff : "");
}

char *
code_env(const struct code *c)
{
	char *s;

	if (c->commit == NULL)
		return NULL;
	xasprintf(&s, "%s%s", c->commit, c->diff != NULL ? "+dirty" : "");
	return s;
}

void
code_change(const struct code *from, const struct code *to, char *buf)
{
	char a[CODE_ID_MAX], b[CODE_ID_MAX];
	int detail;

	code_id(from, 0, a);
	code_id(to, 0, b);
	detail = strcmp(a, b) == 0;
	code_id(from, detail, a);
	code_id(to, detail, b);
	snprintf(buf, CODE_CHANGE_MAX, "%s -> %s", a, b);
}

/* git's environment: where to find it and its configuration, no more. */
static char **
code_envp(void)
{
	static const char *const keep[] = { "PATH=", "HOME=",
	    "XDG_CONFIG_HOME=" };
	char **envp, **e;
	size_t i, n = 0;

	envp = xcalloc(sizeof keep / sizeof keep[0] + 4, sizeof *envp);
	for (e = environ; e != NULL && *e != NULL; e++) {
		for (i = 0; i < sizeof keep / sizeof keep[0]; i++) {
			if (strncmp(*e, keep[i], strlen(keep[i])) == 0)
				envp[n++] = xstrdup(*e);
		}
	}
	if (getenv("PATH") == NULL)
		envp[n++] = xstrdup("PATH=/usr/local/bin:/usr/bin:/bin");
	envp[n++] = xstrdup("GIT_OPTIONAL_LOCKS=0");	/* no index.lock */
	envp[n++] = xstrdup("LC_ALL=C");
	return envp;
}

static pid_t
code_spawn(struct code_run *run, char *const *argv, int out, int err)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, all;
	char **envp;
	pid_t pid;
	int rc;

	sigemptyset(&none);
	sigfillset(&all);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out, 1);
	posix_spawn_file_actions_adddup2(&fa, err, 2);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setpgroup(&attr, 0);
	envp = code_envp();
	rc = posix_spawnp(&pid, "git", &fa, &attr, argv, envp);
	strv_free(envp);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		run->spawn_errno = rc;
		return -1;
	}
	return pid;
}

/* Take what is there on fd: 0 at EOF, 1 for more to come. */
static int
code_drain(struct code_run *run, int fd, int is_out)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(fd, buf, sizeof buf)) > 0) {
		if (is_out && run->hash != NULL) {
			sha256_update(run->hash, buf, (size_t)n);
			run->hashed += (size_t)n;
		} else {
			struct strbuf *sb = is_out ? &run->out : &run->err;

			if (sb->len < CODE_KEEP)
				strbuf_add(sb, buf, (size_t)n < CODE_KEEP -
				    sb->len ? (size_t)n : CODE_KEEP - sb->len);
		}
	}
	if (n == 0)
		return 0;
	return errno == EAGAIN || errno == EINTR ? 1 : 0;
}

/* Read both pipes until EOF or the deadline; then reap the child. */
static void
code_wait(struct code_run *run, pid_t pid, int out, int err)
{
	struct pollfd pfd[2];
	int open = 2, left, i, r;

	pfd[0].fd = out;
	pfd[1].fd = err;
	pfd[0].events = pfd[1].events = POLLIN;
	while (open > 0) {
		if ((left = (int)(run->deadline - now_ms())) <= 0) {
			run->timed_out = 1;
			break;
		}
		if ((r = poll(pfd, 2, left)) == -1 && errno != EINTR)
			break;
		for (i = 0; r > 0 && i < 2; i++) {
			if (pfd[i].fd != -1 && pfd[i].revents != 0 &&
			    code_drain(run, pfd[i].fd, i == 0) == 0) {
				pfd[i].fd = -1;
				open--;
			}
		}
	}
	/* EOF comes just before the exit: wait for it, to the deadline. */
	while (!run->timed_out && waitpid(pid, &run->status, WNOHANG) == 0) {
		if (now_ms() >= run->deadline)
			run->timed_out = 1;
		else
			poll(NULL, 0, 1);
	}
	if (run->timed_out) {
		killpg(pid, SIGKILL);	/* and what it started */
		while (waitpid(pid, &run->status, 0) == -1 && errno == EINTR)
			;
	}
}

/* Run git with args in run->root; 0 when it exited 0. */
static int
code_git(struct code_run *run, const char *const *args)
{
	char *argv[32];
	int outp[2] = { -1, -1 }, errp[2] = { -1, -1 };
	size_t n = 0;
	pid_t pid;

	argv[n++] = xstrdup("git");
	argv[n++] = xstrdup("-C");
	argv[n++] = xstrdup(run->root);
	argv[n++] = xstrdup("-c");
	argv[n++] = xstrdup("core.fsmonitor=false");
	for (; *args != NULL && n < 31; args++)
		argv[n++] = xstrdup(*args);
	argv[n] = NULL;
	strbuf_reset(&run->out);
	strbuf_reset(&run->err);
	run->status = -1;
	run->spawn_errno = 0;
	if (pipe2(outp, O_CLOEXEC | O_NONBLOCK) == -1 ||
	    pipe2(errp, O_CLOEXEC | O_NONBLOCK) == -1) {
		run->spawn_errno = errno;
		goto out;
	}
	if ((pid = code_spawn(run, argv, outp[1], errp[1])) != -1) {
		close(outp[1]);
		close(errp[1]);
		outp[1] = errp[1] = -1;
		code_wait(run, pid, outp[0], errp[0]);
	}
out:
	if (outp[0] != -1) {
		close(outp[0]);
		close(outp[1]);
	}
	if (errp[0] != -1) {
		close(errp[0]);
		close(errp[1]);
	}
	while (n > 0)
		free(argv[--n]);
	return run->status != -1 && WIFEXITED(run->status) &&
	    WEXITSTATUS(run->status) == 0 && !run->timed_out ? 0 : -1;
}

/* Why a git command failed, for the user: NULL when it only means
 * "no code here". */
static char *
code_failure(const struct code_run *run, const char *what)
{
	const char *e = run->err.buf;
	char *msg;
	int len;

	if (run->spawn_errno == ENOENT)
		return NULL;	/* no git: no code */
	if (run->spawn_errno != 0) {
		xasprintf(&msg, "cannot run %s: %s", what,
		    strerror(run->spawn_errno));
		return msg;
	}
	if (run->timed_out) {
		xasprintf(&msg, "%s took more than %g s", what,
		    run->timeout_ms / 1000.0);
		return msg;
	}
	if (strstr(e, "not a git repository") != NULL)
		return NULL;
	if (strncmp(e, "fatal: ", 7) == 0)
		e += 7;
	len = (int)strcspn(e, "\n");
	if (len == 0)
		xasprintf(&msg, "%s failed", what);
	else
		xasprintf(&msg, "%s: %.*s", what, len > 200 ? 200 : len, e);
	return msg;
}

/*
 * What `git status --porcelain=v2 --branch` says: the commit of HEAD
 * ("# branch.oid HEX", 40 or 64 hex digits: SHA-1 or SHA-256 names; or
 * "(initial)" before the first commit, into NULL) and whether any
 * tracked file differs (a line that is not a header). 0, or -1 when the
 * output is not that.
 */
static int
code_status(const struct strbuf *sb, char **commit, int *dirty)
{
	static const char oid[] = "# branch.oid ";
	const char *line, *nl, *end = sb->buf + sb->len;
	size_t n;

	*commit = NULL;
	*dirty = 0;
	for (line = sb->buf; line < end; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			nl = end;
		if (*line != '#') {
			*dirty = 1;
			break;
		}
		if ((size_t)(nl - line) < sizeof oid - 1 ||
		    memcmp(line, oid, sizeof oid - 1) != 0)
			continue;
		line += sizeof oid - 1;
		n = strspn(line, "0123456789abcdef");
		if ((n == 40 || n == 64) && line + n == nl)
			*commit = xstrndup(line, n);
		else if (strncmp(line, "(initial)", 9) != 0)
			return -1;
	}
	return 0;
}

/* The digest of how the tracked files differ from HEAD; NULL when they
 * do not (after all). -1 (*warn) when git failed. */
static int
code_diff(struct code_run *run, char **diff, char **warn)
{
	static const char *const args[] = { "diff", "--no-ext-diff",
	    "--no-textconv", "--no-color", "--binary", "--no-renames",
	    "--src-prefix=a/", "--dst-prefix=b/", "--no-relative", "-U3",
	    "--inter-hunk-context=0", "--diff-algorithm=myers",
	    "--no-indent-heuristic", "--ignore-submodules=none", "-O/dev/null",
	    "HEAD", "--", NULL };
	uint8_t digest[SHA256_DIGEST_LEN];
	char hex[SHA256_HEX_LEN];
	struct sha256 h;

	*diff = NULL;
	sha256_init(&h);
	run->hash = &h;
	run->hashed = 0;
	if (code_git(run, args) == -1) {
		*warn = code_failure(run, "git diff HEAD");
		return -1;
	}
	if (run->hashed > 0) {
		sha256_final(&h, digest);
		sha256_to_hex(digest, hex);
		*diff = xstrdup(hex);
	}
	return 0;
}

/* One git status, and a git diff only when the tree differs: a clean
 * tree costs one git. */
int
code_read(struct code *c, const char *root, int timeout_ms, char **warn)
{
	static const char *const status[] = { "status", "--porcelain=v2",
	    "--branch", "--untracked-files=no", "--ignore-submodules=none",
	    NULL };
	struct code_run run;
	char *commit = NULL;
	int rc = 0, dirty;

	code_release(c);
	*warn = NULL;
	memset(&run, 0, sizeof run);
	run.root = root;
	run.timeout_ms = timeout_ms;
	run.deadline = now_ms() + timeout_ms;
	strbuf_init(&run.out, 0);
	strbuf_init(&run.err, 0);
	if (code_git(&run, status) == -1) {
		*warn = code_failure(&run, "git status");
		goto out;
	}
	if (code_status(&run.out, &commit, &dirty) == -1) {
		xasprintf(warn, "git status: unexpected output");
		goto out;
	}
	if (commit == NULL)
		goto out;	/* no commit yet: no code */
	if (dirty && code_diff(&run, &c->diff, warn) == -1) {
		free(commit);
		goto out;
	}
	c->commit = commit;
out:
	if (*warn != NULL)
		rc = -1;
	strbuf_release(&run.out);
	strbuf_release(&run.err);
	return rc;
}
