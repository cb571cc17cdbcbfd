#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/paths.h"
#include "common/util.h"
#include "common/xmalloc.h"

#define STATE_DIR	".formation"
#define SOCKET_NAME	"formation.sock"

char *
paths_state_dir(const char *root)
{
	const char *sd = getenv("STATE_DIRECTORY");

	if (sd != NULL && *sd == '/')
		return xstrndup(sd, strcspn(sd, ":"));
	return path_join(root, STATE_DIR);
}

int
paths_make_state_dir(const char *dir)
{
	static const char ignore[] = "# formation's state: never commit it\n*\n";
	struct stat st;
	char *gi;
	int fd;

	if (mkdir(dir, 0700) == -1 && errno != EEXIST)
		return -1;
	if (stat(dir, &st) == -1)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	if ((st.st_mode & 077) != 0 && chmod(dir, 0700) == -1)
		return -1;
	gi = path_join(dir, ".gitignore");
	fd = open(gi, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd != -1) {
		(void)write_all(fd, ignore, sizeof ignore - 1);
		close(fd);
	}
	free(gi);
	return 0;
}

char *
paths_socket(const char *root, const char *explicit)
{
	const char *rd = getenv("RUNTIME_DIRECTORY");
	char *dir, *sock;

	if (explicit != NULL && *explicit != '\0')
		return xstrdup(explicit);
	if (rd != NULL && *rd == '/') {
		dir = xstrndup(rd, strcspn(rd, ":"));
		sock = path_join(dir, SOCKET_NAME);
		free(dir);
		return sock;
	}
	dir = path_join(root, STATE_DIR);
	sock = path_join(dir, SOCKET_NAME);
	free(dir);
	return sock;
}

char *
paths_find_socket(const char *start, const char *explicit, char **root)
{
	const char *env = getenv("FORMATION_SOCKET");
	char *dir, *procfile, *slash, *sock;
	struct stat st;

	*root = NULL;
	if (explicit != NULL)
		return xstrdup(explicit);
	if (env != NULL && *env != '\0')
		return xstrdup(env);
	dir = realpath(start, NULL);
	while (dir != NULL) {
		/* A running formation's socket, or else a Procfile's place. */
		sock = paths_socket(dir, NULL);
		procfile = path_join(dir, "Procfile");
		if (stat(sock, &st) == 0 || stat(procfile, &st) == 0) {
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
