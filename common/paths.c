#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/paths.h"
#include "common/trust.h"
#include "common/util.h"
#include "common/xmalloc.h"

#define APP_DIR		".formation"

char *
paths_app_dir(const char *root)
{
	return path_join(root, APP_DIR);
}

char *
paths_state_dir(const char *root)
{
	const char *sd = getenv("STATE_DIRECTORY");

	if (sd != NULL && *sd == '/')
		return xstrndup(sd, strcspn(sd, ":"));
	return paths_app_dir(root);
}

/* Why dir could not be opened as a directory of ours. */
static void
paths_refused(int at, const char *dir, const char *label, char **why)
{
	struct stat st;
	int saved = errno;

	if (fstatat(at, dir, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(st.st_mode) && trust_dir(&st, label, why) == -1) {
		errno = ELOOP;
		return;
	}
	xasprintf(why, "cannot create '%s': %s", label, strerror(saved));
	errno = saved;
}

int
paths_open_dir(int at, const char *dir, const char *label, char **why)
{
	struct stat st;
	int fd, saved;

	*why = NULL;
	if (mkdirat(at, dir, 0700) == -1 && errno != EEXIST) {
		saved = errno;
		xasprintf(why, "cannot create '%s': %s", label,
		    strerror(saved));
		errno = saved;
		return -1;
	}
	fd = openat(at, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1) {
		paths_refused(at, dir, label, why);
		return -1;
	}
	if (fstat(fd, &st) == -1 ||
	    ((st.st_mode & 077) != 0 && st.st_uid == geteuid() &&
	    fchmod(fd, 0700) == -1)) {
		saved = errno;
		xasprintf(why, "cannot use '%s': %s", label, strerror(saved));
		close(fd);
		errno = saved;
		return -1;
	}
	if (trust_dir(&st, label, why) == -1) {
		close(fd);
		errno = EPERM;
		return -1;
	}
	return fd;
}

int
paths_open_app_dir(const char *root, char **why)
{
	static const char ignore[] =
	    "# formation's state: never commit it\n*\n";
	char *dir;
	int fd, gi;

	dir = paths_app_dir(root);
	fd = paths_open_dir(AT_FDCWD, dir, dir, why);
	free(dir);
	if (fd == -1)
		return -1;
	gi = openat(fd, ".gitignore", O_WRONLY | O_CREAT | O_EXCL |
	    O_NOFOLLOW | O_CLOEXEC, 0600);
	if (gi != -1) {
		(void)write_all(gi, ignore, sizeof ignore - 1);
		close(gi);
	}
	return fd;
}

char *
paths_socket(const char *root, const char *explicit)
{
	const char *rd = getenv("RUNTIME_DIRECTORY");
	char *dir, *sock;

	if (explicit != NULL && *explicit != '\0')
		return xstrdup(explicit);
	if (rd != NULL && *rd == '/')
		dir = xstrndup(rd, strcspn(rd, ":"));
	else
		dir = paths_app_dir(root);
	sock = path_join(dir, PATHS_SOCKET);
	free(dir);
	return sock;
}

char *
paths_find_socket(const char *start, const char *explicit, char **root)
{
	const char *env = getenv("FORMATION_SOCKET");
	char *dir, *app, *procfile, *slash, *sock;
	struct stat st;

	*root = NULL;
	if (explicit != NULL)
		return xstrdup(explicit);
	if (env != NULL && *env != '\0')
		return xstrdup(env);
	dir = realpath(start, NULL);
	while (dir != NULL) {
		/* A running formation's socket, or else a Procfile's place. */
		app = paths_app_dir(dir);
		sock = path_join(app, PATHS_SOCKET);
		procfile = path_join(dir, "Procfile");
		free(app);
		if (lstat(sock, &st) == 0 || stat(procfile, &st) == 0) {
			free(procfile);
			*root = dir;
			return sock;
		}
		free(sock);
		free(procfile);
		if ((slash = strrchr(dir, '/')) == NULL || dir[1] == '\0')
			break;
		slash[slash == dir ? 1 : 0] = '\0';
	}
	free(dir);
	return NULL;
}

/*
 * Take the lock name in dirfd, without waiting; -1 with EWOULDBLOCK when
 * another daemon holds it. A daemon going away removes its lock: one
 * that was opened just before is not the lock any longer, and is tried
 * again.
 */
int
paths_lock(int dirfd, const char *name)
{
	struct stat a, b;
	int fd, i, saved;

	for (i = 0; i < 8; i++) {
		fd = openat(dirfd, name, O_RDWR | O_CREAT | O_NOFOLLOW |
		    O_CLOEXEC, 0600);
		if (fd == -1)
			return -1;
		if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
			saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		if (fstat(fd, &a) == 0 &&
		    fstatat(dirfd, name, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
		    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			return fd;
		close(fd);
	}
	errno = EAGAIN;
	return -1;
}
