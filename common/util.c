#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "common/util.h"
#include "common/xmalloc.h"

/*
 * Read fd to its end, and close it; what fstat(2) says of it in st (when
 * not NULL), and with regular, -1 with EINVAL for what is not a regular
 * file. -1 with errno set on failure.
 */
static int
read_fd(int fd, struct strbuf *sb, struct stat *st, int regular)
{
	char buf[65536];
	ssize_t n = 0;
	int saved;

	if (fd == -1)
		return -1;
	if (st != NULL && fstat(fd, st) == -1)
		n = -1;
	else if (regular && !S_ISREG(st->st_mode)) {
		errno = EINVAL;
		n = -1;
	}
	while (n != -1) {
		n = read(fd, buf, sizeof buf);
		if (n == -1 && errno == EINTR)
			n = 0;
		else if (n <= 0)
			break;
		strbuf_add(sb, buf, (size_t)n);
	}
	saved = errno;
	close(fd);
	errno = saved;
	return n == -1 ? -1 : 0;
}

int
read_file(const char *path, struct strbuf *sb)
{
	return read_file_stat(path, sb, NULL);
}

int
read_file_stat(const char *path, struct strbuf *sb, struct stat *st)
{
	return read_fd(open(path, O_RDONLY | O_CLOEXEC), sb, st, 0);
}

int
read_file_at(int dirfd, const char *name, struct strbuf *sb, struct stat *st)
{
	return read_fd(openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC), sb, st, 1);
}

ssize_t
write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = write(fd, p + done, len - done);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

int
write_file_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
	char *dir, *slash;
	const char *name = path;
	int dfd, rc, saved;

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL) {
		slash[slash == dir ? 1 : 0] = '\0';
		name = strrchr(path, '/') + 1;
	} else
		strcpy(dir, ".");
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (dfd == -1)
		return -1;
	rc = write_file_atomic_at(dfd, name, data, len, mode);
	saved = errno;
	close(dfd);
	errno = saved;
	return rc;
}

int
write_file_atomic_at(int dirfd, const char *name, const void *data,
    size_t len, mode_t mode)
{
	char *tmp;
	int fd, saved;

	xasprintf(&tmp, "%s.tmp.%ld", name, (long)getpid());
	(void)unlinkat(dirfd, tmp, 0);
	if ((fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL |
	    O_NOFOLLOW | O_CLOEXEC, mode)) == -1)
		goto fail;
	if (fchmod(fd, mode) == -1 || write_all(fd, data, len) == -1 ||
	    fsync(fd) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		goto fail_unlink;
	}
	if (close(fd) == -1 || renameat(dirfd, tmp, dirfd, name) == -1)
		goto fail_unlink;
	free(tmp);
	(void)fsync(dirfd);
	return 0;

fail_unlink:
	saved = errno;
	unlinkat(dirfd, tmp, 0);
	errno = saved;
fail:
	saved = errno;
	free(tmp);
	errno = saved;
	return -1;
}

char *
path_join(const char *dir, const char *name)
{
	char *p;

	if (name[0] == '/' || dir == NULL || *dir == '\0')
		return xstrdup(name);
	xasprintf(&p, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
	    name);
	return p;
}

char *
path_clean(char *path)
{
	size_t len = 0, seglen, depth = 0, base = path[0] == '/';
	char *src = path, *seg, *slash;

	len = base;
	while (*src != '\0') {
		while (*src == '/')
			src++;
		seg = src;
		while (*src != '\0' && *src != '/')
			src++;
		if ((seglen = (size_t)(src - seg)) == 0 ||
		    (seglen == 1 && seg[0] == '.'))
			continue;
		if (seglen == 2 && seg[0] == '.' && seg[1] == '.') {
			if (depth > 0) {
				path[len] = '\0';
				slash = strrchr(path + base, '/');
				len = slash != NULL ? (size_t)(slash - path) :
				    base;
				depth--;
				continue;
			}
			if (base)
				continue;	/* "/.." is "/" */
		} else
			depth++;
		if (len > base)
			path[len++] = '/';
		memmove(path + len, seg, seglen);
		len += seglen;
	}
	if (len == 0)
		path[len++] = '.';
	path[len] = '\0';
	return path;
}

static const struct {
	const char	*name;
	int		 number;
} signals[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
	{ "ILL", SIGILL }, { "TRAP", SIGTRAP }, { "ABRT", SIGABRT },
	{ "BUS", SIGBUS }, { "FPE", SIGFPE }, { "KILL", SIGKILL },
	{ "USR1", SIGUSR1 }, { "SEGV", SIGSEGV }, { "USR2", SIGUSR2 },
	{ "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
	{ "CHLD", SIGCHLD }, { "CONT", SIGCONT }, { "STOP", SIGSTOP },
	{ "TSTP", SIGTSTP }, { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU },
	{ "URG", SIGURG }, { "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ },
	{ "VTALRM", SIGVTALRM }, { "PROF", SIGPROF }, { "WINCH", SIGWINCH },
	{ "IO", SIGIO }, { "PWR", SIGPWR }, { "SYS", SIGSYS },
};

int
signal_parse(const char *s)
{
	size_t i;
	int n;

	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (i = 0; i < sizeof signals / sizeof signals[0]; i++) {
		if (strcasecmp(s, signals[i].name) == 0)
			return signals[i].number;
	}
	n = number_parse(s, 64);
	return n >= 1 ? n : -1;
}

const char *
signal_name(int sig)
{
	static char buf[16];
	size_t i;

	for (i = 0; i < sizeof signals / sizeof signals[0]; i++) {
		if (signals[i].number == sig) {
			snprintf(buf, sizeof buf, "SIG%s", signals[i].name);
			return buf;
		}
	}
	snprintf(buf, sizeof buf, "signal %d", sig);
	return buf;
}

int
number_parse(const char *s, int max)
{
	char *end;
	long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0 || v > max)
		return -1;
	return (int)v;
}

int
duration_parse_ms(const char *s)
{
	char *end;
	double v;

	if (s == NULL || !((*s >= '0' && *s <= '9') || *s == '.'))
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || v < 0 ||
	    v > INT_MAX / 1000)
		return -1;
	return (int)(v * 1000 + 0.5);
}

int
fd_set_nonblock(int fd, int on)
{
	int flags;

	if ((flags = fcntl(fd, F_GETFL)) == -1)
		return -1;
	flags = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
	return fcntl(fd, F_SETFL, flags);
}

int
fd_set_cloexec(int fd, int on)
{
	int flags;

	if ((flags = fcntl(fd, F_GETFD)) == -1)
		return -1;
	flags = on ? flags | FD_CLOEXEC : flags & ~FD_CLOEXEC;
	return fcntl(fd, F_SETFD, flags);
}

long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
