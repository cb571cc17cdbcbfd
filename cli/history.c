/*
 * The release history, from the daemon or from the files (cli/history.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/history.h"
#include "common/paths.h"
#include "common/relfile.h"
#include "common/store.h"
#include "common/util.h"
#include "common/xmalloc.h"

char *
history_app_root(void)
{
	const char *start = cli_globals.root != NULL ? cli_globals.root : ".";
	char *dir, *p, *slash;
	struct stat st;
	int found;

	if ((dir = realpath(start, NULL)) == NULL)
		return NULL;
	for (;;) {
		p = path_join(dir, "Procfile");
		found = stat(p, &st) == 0;
		free(p);
		p = path_join(dir, ".formation");
		found |= stat(p, &st) == 0;
		free(p);
		if (found)
			return dir;
		if ((slash = strrchr(dir, '/')) == NULL || dir[1] == '\0')
			break;
		slash[slash == dir ? 1 : 0] = '\0';
	}
	free(dir);
	return NULL;
}

/* The history in the files of the app's state directory. */
static int
history_files(struct history *h)
{
	char *root, *state;

	if ((root = history_app_root()) == NULL) {
		cli_error("no release history here: no Procfile in '%s' or any "
		    "parent directory", cli_globals.root != NULL ?
		    cli_globals.root : ".");
		return -1;
	}
	state = paths_state_dir(root);
	h->dir = path_join(state, "releases");
	free(state);
	free(root);
	if (store_read(h->dir) == 0 && store_count() > 0)
		return 0;
	if (errno == ENOENT || store_count() == 0)
		cli_error("no release history in '%s': formation up makes the "
		    "first release", h->dir);
	else
		cli_errno("cannot read '%s'", h->dir);
	history_close(h);
	return -1;
}

int
history_open(struct history *h)
{
	int rc;

	memset(h, 0, sizeof *h);
	if ((rc = client_try_open(&h->c)) == 0) {
		h->daemon = 1;
		return 0;
	}
	if (rc == -1)
		return -1;
	return history_files(h);
}

int
history_open_files(struct history *h)
{
	memset(h, 0, sizeof *h);
	return history_files(h);
}

void
history_close(struct history *h)
{
	if (h->daemon)
		client_close(&h->c);
	else
		store_free();
	free(h->dir);
	h->dir = NULL;
	h->daemon = 0;
}

int
history_version(const char *s)
{
	int v;

	if ((v = number_parse(s[0] == 'v' ? s + 1 : s, 0x7fffffff)) <= 0) {
		cli_error("bad release '%s': expected vN, as 'formation "
		    "releases' lists them", s);
		return -1;
	}
	return v;
}

static int
history_none(int version)
{
	char *msg = store_no_release((unsigned)version);

	cli_error("%s", msg);
	free(msg);
	return -1;
}

static int
history_ask(struct history *h, int version, struct release *r, int *current)
{
	struct strbuf sb = STRBUF_INIT;
	const char *text;
	uint32_t cur;
	struct msg m;
	char *err = NULL;
	int rc = -1;

	msg_new(&sb, MSG_RELEASE_GET);
	msg_put_u32(&sb, (uint32_t)version);
	if (client_send(&h->c, &sb, NULL, 0) == -1 ||
	    client_reply(&h->c, &m) == -1)
		;
	else if (m.type == MSG_ERROR)
		client_error(&m);
	else if (m.type != MSG_RELEASE_REPLY || msg_get_u32(&m, &cur) == -1 ||
	    msg_get_str(&m, &text) == -1 || msg_end(&m) == -1)
		client_protocol_error("bad release reply");
	else if (relfile_read(text, strlen(text), r, &err) == -1) {
		cli_error("release v%d from the daemon: %s", version, err);
		free(err);
	} else {
		*current = cur != 0;
		rc = 0;
	}
	strbuf_release(&sb);
	return rc;
}

int
history_release(struct history *h, int version, struct release *r,
    int *current)
{
	struct rel *rel;

	if (h->daemon)
		return history_ask(h, version, r, current);
	if ((rel = store_find(version)) == NULL)
		return history_none(version);
	release_copy(r, &rel->release);
	*current = rel == store_current();
	return 0;
}
