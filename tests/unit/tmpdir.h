/*
 * Temporary directories for the suites that read real files.
 *
 * tmpdir_make() creates an empty directory (mkdtemp) and returns its real
 * path; tmpdir_write() puts a file in it, making parent directories, and
 * returns the file's path; tmpdir_remove() removes the directory and all
 * it holds, and frees the path. Every returned string is the caller's.
 */
#ifndef TMPDIR_H
#define TMPDIR_H

#include <check.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/util.h"
#include "common/xmalloc.h"

static inline char *
tmpdir_make(void)
{
	const char *base;
	char *tmpl, *dir;

	if ((base = getenv("TMPDIR")) == NULL || *base == '\0')
		base = "/tmp";
	xasprintf(&tmpl, "%s/formation-unit.XXXXXX", base);
	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	dir = realpath(tmpl, NULL);
	ck_assert_ptr_nonnull(dir);
	free(tmpl);
	return dir;
}

static inline char *
tmpdir_write_len(const char *dir, const char *name, const char *text,
    size_t len)
{
	char *path, *slash;
	int fd;

	path = path_join(dir, name);
	for (slash = path + strlen(dir) + 1; (slash = strchr(slash, '/'));
	    slash++) {
		*slash = '\0';
		(void)mkdir(path, 0700);
		*slash = '/';
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write_all(fd, text, len), (ssize_t)len);
	close(fd);
	return path;
}

static inline char *
tmpdir_write(const char *dir, const char *name, const char *text)
{
	return tmpdir_write_len(dir, name, text, strlen(text));
}

static inline int
tmpdir_remove_one(const char *path, const struct stat *st, int type,
    struct FTW *ftw)
{
	return remove(path);
}

static inline void
tmpdir_remove(char *dir)
{
	ck_assert_int_eq(nftw(dir, tmpdir_remove_one, 16,
	    FTW_DEPTH | FTW_PHYS), 0);
	free(dir);
}

#endif
