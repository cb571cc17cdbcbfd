/*
 * Whom formation trusts (common/trust.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/config.h"
#include "common/diag.h"
#include "common/paths.h"
#include "common/strbuf.h"
#include "common/trust.h"
#include "common/util.h"
#include "common/xmalloc.h"

#define TRUST_HINT	"or set trust_others (formationd(8) SECURITY)"

/* The name /etc/passwd gives uid, in buf; NULL if none. */
static const char *
trust_passwd(uid_t uid, char *buf, size_t size)
{
	struct strbuf sb = STRBUF_INIT;
	const char *found = NULL;
	char *line, *next, *f[3], *end;
	unsigned long id;
	int i;

	if (read_file("/etc/passwd", &sb) == -1)
		return NULL;
	for (line = sb.buf; line != NULL && found == NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		/* name:password:uid:... */
		for (i = 0; i < 3 && line != NULL; i++)
			f[i] = strsep(&line, ":");
		if (line == NULL || *f[0] == '\0' || *f[2] < '0' || *f[2] > '9')
			continue;
		id = strtoul(f[2], &end, 10);
		if (*end == '\0' && id == (unsigned long)uid &&
		    strlen(f[0]) < size)
			found = strcpy(buf, f[0]);
	}
	strbuf_release(&sb);
	return found;
}

const char *
trust_who(uid_t uid, char *buf, size_t size)
{
	char name[64];

	if (trust_passwd(uid, name, sizeof name) != NULL)
		snprintf(buf, size, "uid %lu (%s)", (unsigned long)uid, name);
	else
		snprintf(buf, size, "uid %lu", (unsigned long)uid);
	return buf;
}

const char *
trust_name(uid_t uid, char *buf, size_t size)
{
	if (trust_passwd(uid, buf, size) == NULL)
		snprintf(buf, size, "uid %lu", (unsigned long)uid);
	return buf;
}

/* "LABEL: owned by uid N (name), not by ME" into *why. */
static void
trust_owner(char **why, const char *label, uid_t owner, const char *then)
{
	char who[TRUST_WHO_MAX], me[TRUST_WHO_MAX];

	xasprintf(why, "%s: owned by %s, not by %s: %s", label,
	    trust_who(owner, who, sizeof who),
	    trust_name(geteuid(), me, sizeof me), then);
}

int
trust_dir(const struct stat *st, const char *label, char **why)
{
	if (st->st_uid != geteuid()) {
		trust_owner(why, label, st->st_uid, "refusing to use it");
		return -1;
	}
	if (S_ISLNK(st->st_mode)) {
		xasprintf(why, "%s: a symbolic link: refusing to follow it",
		    label);
		return -1;
	}
	return 0;
}

/* "group", "others", "group and others" may write. */
static const char *
trust_writers(mode_t mode)
{
	if ((mode & 022) == 022)
		return "group and others";
	return (mode & 020) ? "group" : "others";
}

/* One file or directory that a daemon of root runs from. */
static int
trust_strict(const struct stat *st, const char *path, const char *label,
    int sticky_ok, struct diags *d)
{
	char who[TRUST_WHO_MAX];
	int rc = 0;

	if (st->st_uid != 0) {
		diag_error(d, label, 0, "owned by %s, not by root: fix it "
		    "with 'chown root %s', " TRUST_HINT,
		    trust_who(st->st_uid, who, sizeof who), path);
		rc = -1;
	}
	if ((st->st_mode & 022) != 0 &&
	    !(sticky_ok && (st->st_mode & S_ISVTX))) {
		diag_error(d, label, 0, "writable by %s (mode %04o): fix it "
		    "with 'chmod go-w %s', " TRUST_HINT,
		    trust_writers(st->st_mode), (unsigned)(st->st_mode & 07777),
		    path);
		rc = -1;
	}
	return rc;
}

/* A daemon of any other uid: say so of what anyone may change. */
static void
trust_lax(const struct stat *st, const char *path, const char *label,
    struct diags *d)
{
	if ((st->st_mode & 002) != 0 && !S_ISLNK(st->st_mode))
		diag_warn(d, label, 0, "writable by others (mode %04o): "
		    "anyone may change what runs; fix it with 'chmod o-w %s'",
		    (unsigned)(st->st_mode & 07777), path);
}

int
trust_file(const struct settings *s, const struct stat *st, const char *path,
    const char *label, struct diags *d)
{
	if (!s->guard || s->trust_others)
		return 0;
	if (geteuid() == 0)
		return trust_strict(st, path, label, 0, d);
	trust_lax(st, path, label, d);
	return 0;
}

/* A state directory that exists must be ours, and no link. */
static int
trust_state_dir(const char *path, const char *label, struct diags *d)
{
	struct stat st;
	char *why = NULL;
	int rc = 0;

	if (lstat(path, &st) == -1 ||
	    !(S_ISDIR(st.st_mode) || S_ISLNK(st.st_mode)))
		return 0;	/* made, or refused, when it is opened */
	if (trust_dir(&st, label, &why) == -1) {
		/* why is "LABEL: reason"; the diagnostic names LABEL. */
		diag_error(d, label, 0, "%s", why + strlen(label) + 2);
		rc = -1;
	}
	free(why);
	return rc;
}

/*
 * The app root, and for a daemon of root each directory above it up to
 * "/": whoever may replace one of them may replace the app.
 */
static int
trust_root(const struct settings *s, struct diags *d)
{
	struct stat st;
	char *dir, *slash;
	int rc = 0, top;

	if (geteuid() != 0) {
		if (stat(s->root, &st) == 0)
			trust_lax(&st, s->root, s->root, d);
		return 0;
	}
	dir = xstrdup(s->root);
	for (top = 1;; top = 0) {
		if (lstat(dir, &st) == -1) {
			diag_error(d, dir, 0, "cannot check: %s",
			    strerror(errno));
			rc = -1;
		} else if (trust_strict(&st, dir, dir, !top, d) == -1)
			rc = -1;
		if ((slash = strrchr(dir, '/')) == NULL || dir[1] == '\0')
			break;
		slash[slash == dir ? 1 : 0] = '\0';
	}
	free(dir);
	return rc;
}

int
trust_app(const struct settings *s, struct diags *d)
{
	char *app, *state;
	int rc = 0;

	if (s->root == NULL)
		return 0;
	app = paths_app_dir(s->root);
	state = paths_state_dir(s->root);
	if (trust_state_dir(app, settings_label(s, app), d) == -1)
		rc = -1;
	if (strcmp(state, app) != 0 && trust_state_dir(state, state, d) == -1)
		rc = -1;
	if (s->guard && !s->trust_others && trust_root(s, d) == -1)
		rc = -1;
	free(state);
	free(app);
	return rc;
}
