#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/unixsock.h"
#include "common/xmalloc.h"

int
unixsock_open_dir(const char *path, const char **name)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd;

	*name = slash != NULL ? slash + 1 : path;
	if (**name == '\0') {
		errno = EINVAL;
		return -1;
	}
	if (slash == NULL)
		dir = xstrdup(".");
	else if (slash == path)
		dir = xstrdup("/");
	else
		dir = xstrndup(path, (size_t)(slash - path));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	return fd;
}

int
unixsock_addr_at(struct sockaddr_un *sun, int dirfd, const char *name)
{
	memset(sun, 0, sizeof *sun);
	sun->sun_family = AF_UNIX;
	if ((size_t)snprintf(sun->sun_path, sizeof sun->sun_path,
	    "/proc/self/fd/%d/%s", dirfd, name) >= sizeof sun->sun_path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int
unixsock_addr(struct sockaddr_un *sun, const char *path, int *dirfd)
{
	const char *name;
	int saved;

	*dirfd = -1;
	if (strlen(path) < sizeof sun->sun_path) {
		memset(sun, 0, sizeof *sun);
		sun->sun_family = AF_UNIX;
		strcpy(sun->sun_path, path);
		return 0;
	}
	if ((*dirfd = unixsock_open_dir(path, &name)) == -1)
		return -1;
	if (unixsock_addr_at(sun, *dirfd, name) == -1) {
		saved = errno;
		close(*dirfd);
		*dirfd = -1;
		errno = saved;
		return -1;
	}
	return 0;
}
