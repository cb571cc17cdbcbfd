#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/xmalloc.h"
#include "common/spawn.h"

/* The search path when the environment has no PATH. */
#define SPAWN_PATH	"/usr/local/bin:/usr/bin:/bin"

/* What the child reports when a step before exec fails. */
struct spawn_failure {
	int	step;
	int	error;
};

enum {
	STEP_SESSION,
	STEP_DUP,
	STEP_CTTY,
	STEP_CHDIR,
	STEP_PDEATHSIG,
	STEP_EXEC,
};

static void
spawn_close_from(int lowfd, int keep)
{
	if (keep > lowfd && close_range((unsigned)lowfd, (unsigned)keep - 1,
	    0) == -1) {
		for (int fd = lowfd; fd < keep; fd++)
			close(fd);
	}
	if (close_range((unsigned)keep + 1, ~0U, 0) == -1) {
		long max = sysconf(_SC_OPEN_MAX);

		for (int fd = keep + 1; fd < max; fd++)
			close(fd);
	}
}

static __attribute__((noreturn)) void
spawn_child_fail(int errfd, int step)
{
	struct spawn_failure f = { step, errno };

	(void)!write(errfd, &f, sizeof f);
	_exit(f.error == ENOENT && step == STEP_EXEC ? 127 :
	    step == STEP_EXEC ? 126 : 125);
}

/*
 * The signals a child resets: the standard ones and the two glibc keeps
 * for its threads (32, 33). The daemon resets those above once, at start
 * (spawn_init), and never handles or ignores one of them.
 */
#define SPAWN_SIG_CHILD	34

/*
 * Default dispositions for signals from to below, through the system call
 * itself: sigaction(3) refuses 32 and 33, and a parent may have left any
 * of them ignored, which exec would keep.
 */
static void
spawn_default_signals(int from, int below)
{
	/* A kernel struct sigaction, all zero: SIG_DFL, no flags. */
	static const unsigned long ksa[8];
	int i;

	for (i = from; i < below; i++) {
		if (i != SIGKILL && i != SIGSTOP)
			(void)syscall(SYS_rt_sigaction, i, ksa, NULL,
			    (size_t)(_NSIG - 1) / 8);
	}
}

void
spawn_init(void)
{
	spawn_default_signals(SPAWN_SIG_CHILD, _NSIG);
}

static void
spawn_reset_signals(void)
{
	sigset_t set;

	spawn_default_signals(1, SPAWN_SIG_CHILD);
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
}

/*
 * Variables that change what bash, as /bin/sh, would do with a command:
 * exported functions (which win over programs) and its options.
 */
static int
spawn_shell_env(const char *kv)
{
	return strncmp(kv, "BASH_FUNC_", 10) == 0 ||
	    strncmp(kv, "SHELLOPTS=", 10) == 0 ||
	    strncmp(kv, "BASHOPTS=", 9) == 0;
}

/*
 * Execute words[0] as the shell would, searching the PATH of envp from
 * the working directory. Returns whenever the shell might do otherwise,
 * and then the shell runs the command: a missing program, a script
 * without "#!" (found first, it is the shell's to run), a file we may not
 * execute, no PATH at all (the shell has its own default) or an
 * environment that changes the shell's behaviour. No allocation: this
 * runs in the child.
 */
static void
spawn_exec_words(const struct spawn *sp)
{
	const char *file = sp->words[0], *path = NULL, *p, *end;
	char cand[4096];
	char *const *e;
	size_t flen = strlen(file), dlen;

	for (e = sp->envp; *e != NULL; e++) {
		if (strncmp(*e, "PATH=", 5) == 0)
			path = *e + 5;
		else if (spawn_shell_env(*e))
			return;
	}
	if (strchr(file, '/') != NULL) {
		execve(file, sp->words, sp->envp);
		return;
	}
	if (path == NULL)
		return;
	for (p = path; ; p = end + 1) {
		end = strchrnul(p, ':');
		dlen = (size_t)(end - p);
		if (dlen + flen + 2 <= sizeof cand) {
			memcpy(cand, p, dlen);
			if (dlen > 0)
				cand[dlen++] = '/';
			memcpy(cand + dlen, file, flen + 1);
			execve(cand, sp->words, sp->envp);
			if (errno == ENOEXEC)
				return;
		}
		if (*end == '\0')
			break;
	}
}

/* Decimal, without stdio: this runs in the child. */
static void
spawn_put_pid(char *buf, pid_t pid)
{
	char digits[SPAWN_PID_DIGITS];
	int n = 0;
	unsigned long v = (unsigned long)pid;

	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0 && n < SPAWN_PID_DIGITS);
	while (n > 0)
		*buf++ = digits[--n];
	*buf = '\0';
}

/*
 * The listening sockets to 3, 4, ..., inherited across the exec; the
 * report pipe above them. Each goes through a close-on-exec copy above
 * the range first, so that none is overwritten before it is moved.
 * Returns the fd of the report pipe, or -1.
 */
static int
spawn_listen_fds(const struct spawn *sp, int errfd)
{
	int low = 3 + (int)sp->nlisten, tmp[SPAWN_LISTEN_MAX];
	size_t i;

	if (sp->nlisten > SPAWN_LISTEN_MAX) {
		errno = EMFILE;
		return -1;
	}
	if (errfd < low && (errfd = fcntl(errfd, F_DUPFD_CLOEXEC, low)) == -1)
		return -1;
	for (i = 0; i < sp->nlisten; i++) {
		if ((tmp[i] = fcntl(sp->listen_fds[i], F_DUPFD_CLOEXEC,
		    low)) == -1)
			return -1;
	}
	for (i = 0; i < sp->nlisten; i++) {
		/* dup2 leaves FD_CLOEXEC off the new fd. */
		if (dup2(tmp[i], 3 + (int)i) == -1)
			return -1;
	}
	if (sp->listen_pid != NULL)
		spawn_put_pid(sp->listen_pid, getpid());
	return errfd;
}

static __attribute__((noreturn)) void
spawn_child(const struct spawn *sp, int errfd, pid_t parent)
{
	int i, fd;

	spawn_reset_signals();

	if (setsid() == -1)
		spawn_child_fail(errfd, STEP_SESSION);
	for (i = 0; i < 3; i++) {
		if (dup2(sp->fds[i], i) == -1)
			spawn_child_fail(errfd, STEP_DUP);
	}
	if (sp->ctty && ioctl(1, TIOCSCTTY, 0) == -1)
		spawn_child_fail(errfd, STEP_CTTY);
	if (errfd < 3)
		spawn_child_fail(errfd, STEP_DUP);
	if (sp->nlisten > 0) {
		if ((fd = spawn_listen_fds(sp, errfd)) == -1)
			spawn_child_fail(errfd, STEP_DUP);
		errfd = fd;
	}
	spawn_close_from(3 + (int)sp->nlisten, errfd);
	if (sp->cwd != NULL && chdir(sp->cwd) == -1)
		spawn_child_fail(errfd, STEP_CHDIR);
	if (sp->pdeathsig != 0) {
		if (prctl(PR_SET_PDEATHSIG, sp->pdeathsig) == -1)
			spawn_child_fail(errfd, STEP_PDEATHSIG);
		/* The daemon may have died before prctl took effect. */
		if (getppid() != parent)
			_exit(125);
	}
	umask(sp->umask);
	if (sp->words != NULL)
		spawn_exec_words(sp);
	execve(sp->argv[0], sp->argv, sp->envp);
	spawn_child_fail(errfd, STEP_EXEC);
}

/*
 * A child for a caller that waits for its exec anyway: it shares our
 * memory until it execs (CLONE_VM | CLONE_VFORK, as posix_spawn does), so
 * there are no page tables to copy and no copy-on-write faults after,
 * which for a daemon of a few megabytes is most of the cost of a fork
 * (0.2 ms of the one-off round trip). We are suspended meanwhile, so the
 * child may use the arguments on our stack; and so children that start
 * together are forked instead, to set up in parallel. It runs on a stack
 * of its own. Its descriptors, working directory, umask and dispositions
 * are its own (no CLONE_FILES, CLONE_FS or CLONE_SIGHAND).
 */
struct spawn_args {
	const struct spawn	*sp;
	int			 errfd;
	pid_t			 parent;
};

static char spawn_stack[128 * 1024] __attribute__((aligned(64)));

/* Under AddressSanitizer: the last child's frames never returned, so its
 * marks on the stack are still there, in memory we share. */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define SPAWN_STACK_RESET() \
	ASAN_UNPOISON_MEMORY_REGION(spawn_stack, sizeof spawn_stack)
#else
#define SPAWN_STACK_RESET() do { } while (0)
#endif

static int
spawn_child_main(void *arg)
{
	const struct spawn_args *a = arg;

	spawn_child(a->sp, a->errfd, a->parent);
}

pid_t (*spawn_fork)(void) = fork;

/*
 * Either way the child starts with every signal blocked, until it has
 * reset their dispositions: a handler of ours must never run in it
 * (git's start_command, tmux's job_run). That the daemon's signals come
 * through a signalfd, and so have no handler, is not what keeps it safe.
 */
static pid_t
spawn_clone(const struct spawn *sp, int errfd, int shared)
{
	struct spawn_args a = { sp, errfd, getpid() };
	sigset_t all, old;
	pid_t pid;
	int saved;

	/* All of them, 32 and 33 too, which sigprocmask(3) leaves out. */
	memset(&all, 0xff, sizeof all);
	(void)syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &old,
	    (size_t)(_NSIG - 1) / 8);
	if (!shared) {
		if ((pid = spawn_fork()) == 0)
			spawn_child(sp, errfd, a.parent);
	} else {
		SPAWN_STACK_RESET();
		pid = clone(spawn_child_main, spawn_stack + sizeof spawn_stack,
		    CLONE_VM | CLONE_VFORK | SIGCHLD, &a);
	}
	saved = errno;
	(void)syscall(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL,
	    (size_t)(_NSIG - 1) / 8);
	errno = saved;
	return pid;
}

static void
spawn_describe(const struct spawn *sp, const struct spawn_failure *f,
    char *err, size_t errlen, int *code)
{
	const char *why = strerror(f->error);

	*code = 125;
	switch (f->step) {
	case STEP_CHDIR:
		snprintf(err, errlen, "cannot change to '%s': %s", sp->cwd, why);
		break;
	case STEP_EXEC:
		*code = f->error == ENOENT ? 127 : 126;
		snprintf(err, errlen, "cannot execute '%s': %s", sp->argv[0],
		    why);
		break;
	case STEP_CTTY:
		snprintf(err, errlen, "cannot set the terminal: %s", why);
		break;
	default:
		snprintf(err, errlen, "cannot set up the process: %s", why);
		break;
	}
}

static pid_t
spawn_make(const struct spawn *sp, int shared, int *errfd, char *err,
    size_t errlen, int *code)
{
	struct spawn child = *sp;
	int pipefd[2], devnull = -1, i;
	pid_t pid;

	*code = 0;
	*errfd = -1;
	for (i = 0; i < 3; i++) {
		if (child.fds[i] >= 0)
			continue;
		if (devnull == -1 &&
		    (devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) == -1)
			goto fail;
		child.fds[i] = devnull;
	}
	if (pipe2(pipefd, O_CLOEXEC) == -1)
		goto fail;
	if ((pid = spawn_clone(&child, pipefd[1], shared)) == -1) {
		close(pipefd[0]);
		close(pipefd[1]);
		goto fail;
	}
	close(pipefd[1]);
	if (devnull != -1)
		close(devnull);
	*errfd = pipefd[0];
	return pid;

fail:
	snprintf(err, errlen, "cannot start: %s", strerror(errno));
	*code = 125;
	if (devnull != -1)
		close(devnull);
	return -1;
}

pid_t
spawn_begin(const struct spawn *sp, int *errfd, char *err, size_t errlen,
    int *code)
{
	return spawn_make(sp, 0, errfd, err, errlen, code);
}

int
spawn_result(int errfd, const struct spawn *sp, char *err, size_t errlen,
    int *code)
{
	struct spawn_failure f;
	ssize_t n;

	*code = 0;
	do
		n = read(errfd, &f, sizeof f);
	while (n == -1 && errno == EINTR);
	if (n == -1 && errno == EAGAIN)
		return 1;
	if (n != (ssize_t)sizeof f)
		return 0;	/* EOF: the exec closed the pipe */
	/* The child has exited; libev reaps it. */
	spawn_describe(sp, &f, err, errlen, code);
	return -1;
}

pid_t
spawn_start(const struct spawn *sp, char *err, size_t errlen, int *code)
{
	pid_t pid;
	int errfd, rc;

	if ((pid = spawn_make(sp, 1, &errfd, err, errlen, code)) == -1)
		return -1;
	rc = spawn_result(errfd, sp, err, errlen, code);
	close(errfd);
	return rc == -1 ? -1 : pid;
}

char *
spawn_find_program(const char *file, char *const *envp)
{
	const char *path = NULL, *p, *end;
	struct stat st;
	char *cand;
	int saved = ENOENT;

	if (strchr(file, '/') != NULL)
		return xstrdup(file);
	for (; envp != NULL && *envp != NULL; envp++) {
		if (strncmp(*envp, "PATH=", 5) == 0)
			path = *envp + 5;
	}
	if (path == NULL)
		path = SPAWN_PATH;
	for (p = path; ; p = end + 1) {
		end = strchrnul(p, ':');
		xasprintf(&cand, "%.*s%s%s", (int)(end - p), p,
		    end == p ? "" : "/", file);
		if (stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
			if (access(cand, X_OK) == 0)
				return cand;
			saved = EACCES;
		}
		free(cand);
		if (*end == '\0')
			break;
	}
	errno = saved;
	return NULL;
}

int
spawn_open_pty(int *master, int *slave)
{
	char name[128];
	int m, sl;

	if ((m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1)
		return -1;
	if (grantpt(m) == -1 || unlockpt(m) == -1 ||
	    ptsname_r(m, name, sizeof name) != 0 ||
	    (sl = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1) {
		close(m);
		return -1;
	}
	*master = m;
	*slave = sl;
	return 0;
}
