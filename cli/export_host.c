/*
 * What export learns of the machine it runs on: where formation is
 * installed, which systemd it has, who the users are, and which units
 * systemd knows already (cli/export.h).
 *
 * No getpwuid(3) or getpwnam(3): the CLI is linked statically, and
 * glibc's name services do not work in a static program, so users come
 * from /etc/passwd, or as numbers (a user of a directory service).
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/export.h"
#include "common/util.h"
#include "common/xmalloc.h"

extern char **environ;

/* dir/name if it is an executable file; dir absolute. */
static char *
export_exec_in(const char *dir, const char *name)
{
	struct stat st;
	char *path;

	if (dir[0] != '/')
		return NULL;
	path = path_join(dir, name);
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    access(path, X_OK) == 0)
		return path;
	free(path);
	return NULL;
}

char *
export_which(const char *name)
{
	const char *env = getenv("PATH");
	char *dirs, *dir, *save = NULL, *path = NULL;

	dirs = xstrdup(env != NULL ? env : "/usr/local/bin:/usr/bin:/bin");
	for (dir = strtok_r(dirs, ":", &save); path == NULL && dir != NULL;
	    dir = strtok_r(NULL, ":", &save))
		path = export_exec_in(dir, name);
	free(dirs);
	return path;
}

char *
export_beside(const char *path, const char *name)
{
	char *dir, *slash, *found;

	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) == NULL) {
		free(dir);
		return NULL;
	}
	slash[slash == dir ? 1 : 0] = '\0';
	found = export_exec_in(dir, name);
	free(dir);
	return found;
}

/* The first line systemctl --version prints, into buf. */
static int
export_systemctl_line(char *buf, size_t size)
{
	char *argv[] = { "systemctl", "--version", NULL };
	posix_spawn_file_actions_t fa;
	size_t len = 0;
	ssize_t n;
	pid_t pid;
	int fds[2], rc, status;

	if (pipe2(fds, O_CLOEXEC) == -1)
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null",
	    O_WRONLY, 0);
	rc = posix_spawnp(&pid, "systemctl", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	while (rc == 0 && len < size - 1 &&
	    ((n = read(fds[0], buf + len, size - 1 - len)) > 0 ||
	    (n == -1 && errno == EINTR)))
		len += n > 0 ? (size_t)n : 0;
	buf[len] = '\0';
	close(fds[0]);
	if (rc != 0)
		return -1;
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	return 0;
}

int
export_systemd_here(void)
{
	char buf[256];

	if (export_systemctl_line(buf, sizeof buf) == -1)
		return 0;
	return export_systemd_version(buf);
}

/* The passwd line whose field (0 name, 2 uid) is value; allocated. */
static char *
export_passwd(int field, const char *value)
{
	char *line = NULL, *found = NULL, *p;
	size_t cap = 0, len = strlen(value);
	FILE *f;
	int i;

	if ((f = fopen("/etc/passwd", "re")) == NULL)
		return NULL;
	while (found == NULL && getline(&line, &cap, f) != -1) {
		for (p = line, i = 0; i < field && p != NULL; i++)
			if ((p = strchr(p, ':')) != NULL)
				p++;
		if (p != NULL && strncmp(p, value, len) == 0 && p[len] == ':')
			found = xstrdup(line);
	}
	free(line);
	fclose(f);
	return found;
}

char *
export_user_name(unsigned long uid)
{
	char num[32], *line, *name;

	snprintf(num, sizeof num, "%lu", uid);
	if ((line = export_passwd(2, num)) == NULL)
		return xstrdup(num);
	name = xstrndup(line, strcspn(line, ":"));
	free(line);
	return name;
}

int
export_user_exists(const char *name)
{
	char *line;

	if (*name == '\0' || strchr(name, ':') != NULL)
		return 0;
	if (strspn(name, "0123456789") == strlen(name))
		return 1;
	line = export_passwd(0, name);
	free(line);
	return line != NULL;
}

/* Does dir hold one of the files that mark a source or build tree? */
static int
export_tree_marks(const char *dir)
{
	static const char *marks[] = { "Makefile", ".git", "CMakeCache.txt",
		"meson-private" };
	struct stat st;
	size_t i;
	char *p;
	int found = 0;

	for (i = 0; i < sizeof marks / sizeof marks[0] && !found; i++) {
		p = path_join(dir, marks[i]);
		found = lstat(p, &st) == 0;
		free(p);
	}
	return found;
}

int
export_in_build_tree(const char *path)
{
	char *dir, *slash;
	int i, found = 0;

	dir = xstrdup(path);
	for (i = 0; i < 2 && !found; i++) {
		if ((slash = strrchr(dir, '/')) == NULL || slash == dir)
			break;
		*slash = '\0';
		found = export_tree_marks(dir);
	}
	free(dir);
	return found;
}

/* Do a and b name the same directory? */
static int
export_same_dir(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	    sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

char *
export_unit_elsewhere(const char *file, const char *dir, int user,
    const char *home)
{
	static const char *sys[] = { "/etc/systemd/system",
		"/run/systemd/system", "/usr/local/lib/systemd/system",
		"/usr/lib/systemd/system", "/lib/systemd/system", NULL };
	static const char *usr[] = { "~/.config/systemd/user",
		"/etc/systemd/user", "/run/systemd/user",
		"~/.local/share/systemd/user", "/usr/local/lib/systemd/user",
		"/usr/lib/systemd/user", "/lib/systemd/user", NULL };
	const char **d;
	char *where, *path;
	struct stat st;

	for (d = user ? usr : sys; *d != NULL; d++) {
		if ((*d)[0] == '~' && (home == NULL || home[0] != '/'))
			continue;
		if ((*d)[0] == '~')
			xasprintf(&where, "%s%s", home, *d + 1);
		else
			where = xstrdup(*d);
		path = path_join(where, file);
		if (lstat(path, &st) == 0 && !export_same_dir(where, dir)) {
			free(path);
			return where;
		}
		free(path);
		free(where);
	}
	return NULL;
}
