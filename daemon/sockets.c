/*
 * The held listening sockets (daemon/sockets.h).
 */
#include <sys/queue.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/config.h"
#include "common/listen.h"
#include "common/log.h"
#include "common/procenv.h"
#include "common/release.h"
#include "common/spawn.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "daemon/sockets.h"

/* One bound address; shared by every set that names it. */
struct lsock {
	TAILQ_ENTRY(lsock)	 entry;
	struct listen_addr	 addr;
	char			 text[160];	/* listen_format() */
	int			 fd;
	int			 refs;		/* sets naming it */
	dev_t			 dev;		/* of a unix socket's file */
	ino_t			 ino;
};

/* What one type of one release listens on. */
struct sockset {
	int		 refs;
	char		*type;
	size_t		 n;
	struct lsock	*socks[LISTEN_MAX];
	char		 names[LISTEN_MAX][64];
};

/* The sets of a release, one per type that listens. */
struct socktable {
	struct sockset	**sets;
	size_t		  n;
};

static TAILQ_HEAD(, lsock) lsocks = TAILQ_HEAD_INITIALIZER(lsocks);
static struct socktable current, staged;

static struct lsock *
lsock_find(const char *text)
{
	struct lsock *s;

	TAILQ_FOREACH(s, &lsocks, entry) {
		if (strcmp(s->text, text) == 0)
			return s;
	}
	return NULL;
}

/* The address held already, or bound now; NULL with errno. */
static struct lsock *
lsock_get(const struct listen_addr *a)
{
	struct lsock *s;
	struct stat st;
	char text[160];
	int fd;

	listen_format(a, text, sizeof text);
	if ((s = lsock_find(text)) != NULL) {
		s->refs++;
		return s;
	}
	if ((fd = listen_open(a)) == -1)
		return NULL;
	s = xcalloc(1, sizeof *s);
	s->addr = *a;
	memcpy(s->text, text, sizeof s->text);
	s->fd = fd;
	s->refs = 1;
	if (a->kind == LISTEN_UNIX && lstat(a->path, &st) == 0) {
		s->dev = st.st_dev;
		s->ino = st.st_ino;
	}
	TAILQ_INSERT_TAIL(&lsocks, s, entry);
	log_info("listening on %s (fd %d)", s->text, s->fd);
	return s;
}

static void
lsock_unref(struct lsock *s)
{
	struct stat st;

	if (--s->refs > 0)
		return;
	TAILQ_REMOVE(&lsocks, s, entry);
	/* The file is removed only while it is still ours. */
	if (s->addr.kind == LISTEN_UNIX && lstat(s->addr.path, &st) == 0 &&
	    st.st_dev == s->dev && st.st_ino == s->ino)
		unlink(s->addr.path);
	close(s->fd);
	log_info("closed %s", s->text);
	free(s);
}

struct sockset *
sockset_ref(struct sockset *set)
{
	if (set != NULL)
		set->refs++;
	return set;
}

void
sockset_unref(struct sockset *set)
{
	size_t i;

	if (set == NULL || --set->refs > 0)
		return;
	for (i = 0; i < set->n; i++)
		lsock_unref(set->socks[i]);
	free(set->type);
	free(set);
}

static void
socktable_release(struct socktable *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		sockset_unref(t->sets[i]);
	free(t->sets);
	t->sets = NULL;
	t->n = 0;
}

/* The set of type with listen text, bound; NULL with *err. */
static struct sockset *
sockset_open(const struct release *r, const char *type, const char *text,
    int port, char **err)
{
	struct listen_list l;
	struct sockset *set;
	char *why, addr[160];
	size_t i;

	if (listen_parse(text, &l, &why) == -1 ||
	    listen_resolve(&l, port, r->root, &why) == -1) {
		xasprintf(err, "[process.%s] listen = %s: %s", type, text, why);
		free(why);
		return NULL;
	}
	set = xcalloc(1, sizeof *set);
	set->refs = 1;
	set->type = xstrdup(type);
	for (i = 0; i < l.n; i++) {
		if ((set->socks[i] = lsock_get(&l.a[i])) == NULL) {
			listen_format(&l.a[i], addr, sizeof addr);
			xasprintf(err, "[process.%s] listen = %s: cannot bind "
			    "%s: %s", type, text, addr, strerror(errno));
			sockset_unref(set);
			return NULL;
		}
		set->n++;
		snprintf(set->names[i], sizeof set->names[i], "%s",
		    l.a[i].name[0] != '\0' ? l.a[i].name : type);
	}
	return set;
}

int
sockets_stage(const struct release *r, const struct settings *s,
    char **err)
{
	struct socktable t = { NULL, 0 };
	struct type_settings ts;
	struct sockset *set;
	size_t i;

	*err = NULL;
	sockets_abort();
	for (i = 0; i < r->nprocs; i++) {
		if (strcmp(r->procs[i].name, RELEASE_PHASE_TYPE) == 0)
			continue;
		ts = release_type_settings(r, r->procs[i].name);
		if (ts.listen[0] == '\0')
			continue;
		if ((set = sockset_open(r, r->procs[i].name, ts.listen,
		    release_port(r, s->port, (int)i, 1), err)) == NULL) {
			socktable_release(&t);
			return -1;
		}
		t.sets = xreallocarray(t.sets, t.n + 1, sizeof *t.sets);
		t.sets[t.n++] = set;
	}
	staged = t;
	return 0;
}

void
sockets_commit(void)
{
	socktable_release(&current);
	current = staged;
	staged.sets = NULL;
	staged.n = 0;
}

void
sockets_abort(void)
{
	socktable_release(&staged);
}

void
sockets_free(void)
{
	sockets_abort();
	socktable_release(&current);
}

struct sockset *
sockets_for(const char *type)
{
	size_t i;

	for (i = 0; i < current.n; i++) {
		if (strcmp(current.sets[i]->type, type) == 0)
			return sockset_ref(current.sets[i]);
	}
	return NULL;
}

int
sockset_connect_addr(const struct sockset *set, struct sockaddr_storage *ss,
    socklen_t *len)
{
	if (set == NULL || set->n == 0) {
		errno = ENOENT;
		return -1;
	}
	return listen_sockaddr(&set->socks[0]->addr, 1, ss, len);
}

const char *
sockset_name(const struct sockset *set)
{
	return set != NULL && set->n > 0 ? set->names[0] : NULL;
}

/* Server::Starter's "5000=3;127.0.0.1:5001=4;/path=5". */
static void
sockets_starter_port(const struct sockset *set, struct strbuf *sb)
{
	const struct listen_addr *a;
	size_t i;

	strbuf_addstr(sb, "SERVER_STARTER_PORT=");
	for (i = 0; i < set->n; i++) {
		a = &set->socks[i]->addr;
		if (i > 0)
			strbuf_addch(sb, ';');
		if (a->kind == LISTEN_UNIX)
			strbuf_addstr(sb, a->path);
		else if (a->kind == LISTEN_TCP6)
			strbuf_addf(sb, "[%s]:%d", a->host[0] ? a->host : "::",
			    a->port);
		else if (a->host[0] != '\0')
			strbuf_addf(sb, "%s:%d", a->host, a->port);
		else
			strbuf_addf(sb, "%d", a->port);
		strbuf_addf(sb, "=%zu", 3 + i);
	}
}

void
sockset_spawn(const struct sockset *set, char ***envp, struct spawn *sp)
{
	static int fds[LISTEN_MAX];
	struct strbuf sb = STRBUF_INIT;
	char **in = *envp, **out, *pid;
	size_t n = 0, o = 0, i;

	while (in[n] != NULL)
		n++;
	out = xcalloc(n + 8 + set->n, sizeof *out);
	for (i = 0; i < n; i++) {
		/* The protocols' variables come from us alone; a one-off's
		 * -e is the only source left (procenv_build()). */
		if (procenv_activation(in[i]))
			free(in[i]);
		else
			out[o++] = in[i];
	}
	free(in);
	xasprintf(&out[o++], "LISTEN_FDS=%zu", set->n);
	strbuf_addstr(&sb, "LISTEN_FDNAMES=");
	for (i = 0; i < set->n; i++)
		strbuf_addf(&sb, "%s%s", i > 0 ? ":" : "", set->names[i]);
	out[o++] = strbuf_detach(&sb, NULL);
	/* The child writes its pid in the room after the '='. */
	pid = xcalloc(1, 11 + SPAWN_PID_DIGITS + 1);
	memcpy(pid, "LISTEN_PID=", 11);
	memset(pid + 11, '0', SPAWN_PID_DIGITS);
	sp->listen_pid = pid + 11;
	out[o++] = pid;
	sockets_starter_port(set, &sb);
	out[o++] = strbuf_detach(&sb, NULL);
	xasprintf(&out[o++], "EINHORN_FD_COUNT=%zu", set->n);
	for (i = 0; i < set->n; i++) {
		xasprintf(&out[o++], "EINHORN_FD_%zu=%zu", i, 3 + i);
		strbuf_addf(&sb, "%s%zu", i > 0 ? " " : "", 3 + i);
		fds[i] = set->socks[i]->fd;
	}
	xasprintf(&out[o++], "EINHORN_FDS=%s", sb.buf);
	strbuf_release(&sb);
	out[o] = NULL;
	*envp = out;
	sp->listen_fds = fds;
	sp->nlisten = set->n;
}

size_t
sockets_count(void)
{
	size_t i, n = 0;

	for (i = 0; i < current.n; i++)
		n += current.sets[i]->n;
	return n;
}

void
sockets_info(size_t k, struct sockets_info *info)
{
	size_t i;

	memset(info, 0, sizeof *info);
	for (i = 0; i < current.n; i++) {
		if (k < current.sets[i]->n) {
			info->type = current.sets[i]->type;
			info->name = current.sets[i]->names[k];
			info->address = current.sets[i]->socks[k]->text;
			info->fd = 3 + (int)k;
			return;
		}
		k -= current.sets[i]->n;
	}
}
