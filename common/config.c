/*
 * Settings: defaults, formation.ini, FORMATION_* variables and flags, in
 * that order, each layer overriding the one before (formation.ini(5)).
 *
 * formation.ini is read with inih, but inih alone cannot be trusted with
 * it: Debian builds it with INI_MAX_LINE 200 and it silently splits a
 * longer line in two, and its handler is not told the line number. So the
 * file is scanned first (long lines and NUL bytes are refused), then fed
 * to inih one line at a time by config_reader(), which keeps the line
 * number, the current section and whether the line was used.
 */
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/config.h"
#include "common/env.h"
#include "common/listen.h"
#include "common/strbuf.h"
#include "common/trust.h"
#include "common/util.h"
#include "common/xmalloc.h"

#define CONFIG_MAX_LINE	199	/* INI_MAX_LINE 200, less the NUL */

/* Where a value came from, for its diagnostic. */
struct config_where {
	struct diags	*diags;
	const char	*file;
	int		 line;
};

/* A setter for one setting; base resolves a relative path. */
typedef int (*settings_setter)(struct settings *, const char *,
    const char *, const struct config_where *);

/* The state of one formation.ini as inih reads it. */
struct config_state {
	struct settings	*s;
	struct config_where where;
	const char	*data;
	size_t		 len, off;
	char		*section;	/* NULL before the first header */
	int		 section_ok;	/* a known section */
	int		 after_key;	/* inih takes an indented line as a
					 * continuation */
	int		 handled;	/* the current line needs no check */
	int		 continuation;
	int		 bad_header;	/* '[' with no ']' */
};

static int
config_error(const struct config_where *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
config_error(const struct config_where *w, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	diag_error(w->diags, w->file, w->line, "%s", msg != NULL ? msg : fmt);
	free(msg);
	return -1;
}

const char *
restart_policy_name(enum restart_policy p)
{
	switch (p) {
	case RESTART_ALWAYS:
		return "always";
	case RESTART_ON_FAILURE:
		return "on-failure";
	case RESTART_NEVER:
		return "never";
	default:
		return "unset";
	}
}

int
restart_policy_parse(const char *s)
{
	if (strcmp(s, "always") == 0)
		return RESTART_ALWAYS;
	if (strcmp(s, "on-failure") == 0)
		return RESTART_ON_FAILURE;
	if (strcmp(s, "never") == 0)
		return RESTART_NEVER;
	return -1;
}

/* true/false, yes/no, on/off, 1/0; -1 if none. */
static int
config_bool_parse(const char *s)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	size_t i;

	for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	}
	return -1;
}

/* name joined to base, a leading "./" dropped so labels stay clean. */
static char *
settings_path(const char *base, const char *name)
{
	while (name[0] == '.' && name[1] == '/') {
		name += 2;
		while (*name == '/')
			name++;
	}
	if (*name == '\0' || strcmp(name, ".") == 0)
		return xstrdup(base != NULL ? base : ".");
	return path_clean(path_join(base, name));
}

const char *
settings_label(const struct settings *s, const char *path)
{
	size_t n;

	if (s->root == NULL)
		return path;
	n = strlen(s->root);
	if (n > 0 && s->root[n - 1] == '/')
		n--;
	if (strncmp(path, s->root, n) == 0 && path[n] == '/' &&
	    path[n + 1] != '\0')
		return path + n + 1;
	return path;
}

static void
settings_env_list(struct settings *s, const char *list, const char *base)
{
	const char *p, *end;
	size_t i, len;
	char *item;

	for (i = 0; i < s->nenv_files; i++)
		free(s->env_files[i]);
	s->nenv_files = 0;
	for (p = list; *p != '\0'; p = *end == ',' ? end + 1 : end) {
		end = p + strcspn(p, ",");
		p += strspn(p, " \t");
		for (len = (size_t)(end - p); len > 0; len--) {
			if (p[len - 1] != ' ' && p[len - 1] != '\t')
				break;
		}
		if (len == 0)
			continue;
		item = xstrndup(p, len);
		s->env_files = xreallocarray(s->env_files, s->nenv_files + 1,
		    sizeof *s->env_files);
		s->env_files[s->nenv_files++] = settings_path(base, item);
		free(item);
	}
	s->env_files_given = 1;
}

void
settings_set_env_files(struct settings *s, const char *list)
{
	settings_env_list(s, list, s->root);
}

static int
settings_set_env(struct settings *s, const char *v, const char *base,
    const struct config_where *w)
{
	settings_env_list(s, v, base);
	return 0;
}

static int
settings_set_procfile(struct settings *s, const char *v, const char *base,
    const struct config_where *w)
{
	if (*v == '\0')
		return config_error(w, "empty procfile path");
	free(s->procfile);
	s->procfile = settings_path(base, v);
	return 0;
}

static int
settings_set_socket(struct settings *s, const char *v, const char *base,
    const struct config_where *w)
{
	if (*v == '\0')
		return config_error(w, "empty socket path");
	free(s->socket);
	s->socket = settings_path(base, v);
	return 0;
}

static int
settings_set_port(struct settings *s, const char *v, const char *base,
    const struct config_where *w)
{
	int n;

	if ((n = number_parse(v, 65535)) < 1)
		return config_error(w, "bad port '%s': expected 1-65535", v);
	s->port = n;
	return 0;
}

static int
config_timeout_parse(const char *v, const struct config_where *w)
{
	int ms;

	if ((ms = duration_parse_ms(v)) == -1)
		return config_error(w, "bad timeout '%s': expected seconds "
		    "(10, 0.5)", v);
	return ms;
}

static int
settings_set_timeout(struct settings *s, const char *v, const char *base,
    const struct config_where *w)
{
	int ms;

	if ((ms = config_timeout_parse(v, w)) == -1)
		return -1;
	s->timeout_ms = ms;
	return 0;
}

static int
config_restart_parse(const char *v, const struct config_where *w)
{
	int p;

	if ((p = restart_policy_parse(v)) == -1)
		return config_error(w, "bad restart policy '%s': expected "
		    "always, on-failure or never", v);
	return p;
}

static int
settings_set_restart(struct settings *s, const char *v, const char *base,
    const struct config_where *w)
{
	int p;

	if ((p = config_restart_parse(v, w)) == -1)
		return -1;
	s->restart = (enum restart_policy)p;
	return 0;
}

static int
settings_set_color(struct settings *s, const char *v, const char *base,
    const struct config_where *w)
{
	if (strcmp(v, "auto") == 0)
		s->color = -1;
	else if (strcmp(v, "always") == 0)
		s->color = 1;
	else if (strcmp(v, "never") == 0)
		s->color = 0;
	else
		return config_error(w, "bad color '%s': expected auto, always "
		    "or never", v);
	return 0;
}

static int
settings_set_scale(struct settings *s, const char *v, const char *base,
    const struct config_where *w)
{
	char *err;

	if (formspec_parse(&s->scale, v, &err) == 0)
		return 0;
	config_error(w, "%s", err);
	free(err);
	return -1;
}

/* "64M", "512KiB", "1G", "1048576": bytes, at least
 * SETTINGS_LOG_MEMORY_MIN; 0 if bad. */
static unsigned long long
config_size_parse(const char *v)
{
	unsigned long long n, unit = 1;
	char *end;

	if (*v < '0' || *v > '9')
		return 0;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno != 0)
		return 0;
	switch (*end) {
	case 'k':
	case 'K':
		unit = 1024;
		break;
	case 'm':
	case 'M':
		unit = 1024 * 1024;
		break;
	case 'g':
	case 'G':
		unit = 1024 * 1024 * 1024;
		break;
	case '\0':
		break;
	default:
		return 0;
	}
	if (*end != '\0') {
		end++;
		if (strcmp(end, "iB") != 0 && strcmp(end, "B") != 0 &&
		    *end != '\0')
			return 0;
	}
	if (n > (1ULL << 40) / unit || n * unit < SETTINGS_LOG_MEMORY_MIN)
		return 0;
	return n * unit;
}

static int
settings_set_log_memory(struct settings *s, const char *v, const char *base,
    const struct config_where *w)
{
	unsigned long long n;

	if ((n = config_size_parse(v)) == 0)
		return config_error(w, "bad log_memory '%s': expected a size "
		    "from 64K to 1024G (64M, 512K, 1G)", v);
	s->log_memory = n;
	return 0;
}

/* The settings of [formation] and their FORMATION_* variables. */
static const struct settings_key {
	const char	*key;		/* NULL: not in formation.ini */
	const char	*var;
	settings_setter	 set;
} settings_keys[] = {
	{ "procfile", "FORMATION_PROCFILE", settings_set_procfile },
	{ "env", "FORMATION_ENV", settings_set_env },
	{ "port", "FORMATION_PORT", settings_set_port },
	{ "timeout", "FORMATION_TIMEOUT", settings_set_timeout },
	{ "restart", "FORMATION_RESTART", settings_set_restart },
	{ NULL, "FORMATION_SCALE", settings_set_scale },
	{ NULL, "FORMATION_SOCKET", settings_set_socket },
	{ "color", "FORMATION_COLOR", settings_set_color },
	{ "log_memory", "FORMATION_LOG_MEMORY", settings_set_log_memory },
};
#define NSETTINGS_KEYS (sizeof settings_keys / sizeof settings_keys[0])

/* The [process.NAME] entry for name, made on first use. */
static struct type_settings *
settings_type(struct settings *s, const char *name)
{
	struct type_settings *t;
	size_t i;

	for (i = 0; i < s->ntypes; i++) {
		if (strcmp(s->types[i].name, name) == 0)
			return &s->types[i];
	}
	ALLOC_GROW(s->types, s->ntypes + 1, s->atypes);
	t = &s->types[s->ntypes++];
	t->name = xstrdup(name);
	t->stop_signal = -1;
	t->timeout_ms = -1;
	t->restart = RESTART_UNSET;
	t->tty = -1;
	memset(&t->ready, 0, sizeof t->ready);
	t->ready_given = 0;
	t->ready_timeout_ms = -1;
	t->roll = -1;
	t->listen[0] = '\0';
	t->overlap = -1;
	t->line = 0;
	t->ready_line = 0;
	return t;
}

static int
type_set_stop_signal(struct type_settings *t, const char *v,
    const struct config_where *w)
{
	int n;

	if ((n = signal_parse(v)) == -1)
		return config_error(w, "bad signal '%s': expected a name "
		    "(TERM, SIGTERM) or a number", v);
	t->stop_signal = n;
	return 0;
}

static void
type_get_stop_signal(const struct type_settings *t, struct strbuf *sb)
{
	const char *name = signal_name(t->stop_signal);

	if (strncmp(name, "SIG", 3) == 0)
		strbuf_addstr(sb, name);
	else
		strbuf_addf(sb, "%d", t->stop_signal);
}

static int
type_set_timeout(struct type_settings *t, const char *v,
    const struct config_where *w)
{
	int n;

	if ((n = config_timeout_parse(v, w)) == -1)
		return -1;
	t->timeout_ms = n;
	return 0;
}

/* Seconds, as formation.ini gives them: "10", "0.5", "2.25". */
static void
type_get_timeout(const struct type_settings *t, struct strbuf *sb)
{
	char frac[8];
	size_t n;

	strbuf_addf(sb, "%d", t->timeout_ms / 1000);
	if (t->timeout_ms % 1000 == 0)
		return;
	snprintf(frac, sizeof frac, "%03d", t->timeout_ms % 1000);
	for (n = strlen(frac); frac[n - 1] == '0'; n--)
		;
	strbuf_addf(sb, ".%.*s", (int)n, frac);
}

static int
type_set_restart(struct type_settings *t, const char *v,
    const struct config_where *w)
{
	int n;

	if ((n = config_restart_parse(v, w)) == -1)
		return -1;
	t->restart = (enum restart_policy)n;
	return 0;
}

static void
type_get_restart(const struct type_settings *t, struct strbuf *sb)
{
	strbuf_addstr(sb, restart_policy_name(t->restart));
}

static int
type_set_tty(struct type_settings *t, const char *v,
    const struct config_where *w)
{
	int n;

	if ((n = config_bool_parse(v)) == -1)
		return config_error(w, "bad tty '%s': expected true or false",
		    v);
	t->tty = n;
	return 0;
}

static void
type_get_tty(const struct type_settings *t, struct strbuf *sb)
{
	strbuf_addstr(sb, t->tty ? "true" : "false");
}

static int
type_set_ready(struct type_settings *t, const char *v,
    const struct config_where *w)
{
	char *err;

	if (readyspec_parse(&t->ready, v, &err) == -1) {
		config_error(w, "%s", err);
		free(err);
		return -1;
	}
	t->ready_given = 1;
	t->ready_line = w->line;
	return 0;
}

/*
 * The keys after timeout are left out at their defaults (see below). The
 * default of ready is started, or, with listen, an implicit accept; so a
 * ready = started beside listen is recorded, and an explicit accept
 * (which fails as other checks do) is told from the implicit one.
 */
static void
type_get_ready(const struct type_settings *t, struct strbuf *sb)
{
	char buf[READY_PATH_MAX + 16];

	if (!t->ready_given || t->ready.implicit ||
	    (t->ready.kind == READY_STARTED && t->listen[0] == '\0'))
		return;
	readyspec_text(&t->ready, buf, sizeof buf);
	strbuf_addstr(sb, buf);
}

static int
type_set_ready_timeout(struct type_settings *t, const char *v,
    const struct config_where *w)
{
	int n;

	if ((n = config_timeout_parse(v, w)) == -1)
		return -1;
	t->ready_timeout_ms = n;
	return 0;
}

static void
type_get_ready_timeout(const struct type_settings *t, struct strbuf *sb)
{
	struct type_settings s;

	if (t->ready_timeout_ms == READY_TIMEOUT_MS ||
	    t->ready_timeout_ms == -1)
		return;
	s.timeout_ms = t->ready_timeout_ms;
	type_get_timeout(&s, sb);
}

static int
type_set_roll(struct type_settings *t, const char *v,
    const struct config_where *w)
{
	int n;

	if ((n = number_parse(v, 10000)) < 1)
		return config_error(w, "bad roll '%s': expected how many "
		    "instances at a time, 1 to 10000", v);
	t->roll = n;
	return 0;
}

static void
type_get_roll(const struct type_settings *t, struct strbuf *sb)
{
	if (t->roll > 1)
		strbuf_addf(sb, "%d", t->roll);
}

static int
type_set_listen(struct type_settings *t, const char *v,
    const struct config_where *w)
{
	struct listen_list l;
	char *err;

	if (strlen(v) >= sizeof t->listen)
		return config_error(w, "listen is too long");
	if (listen_parse(v, &l, &err) == -1) {
		config_error(w, "%s", err);
		free(err);
		return -1;
	}
	snprintf(t->listen, sizeof t->listen, "%s", v);
	return 0;
}

/* No listen is no key, as for the keys after timeout. */
static void
type_get_listen(const struct type_settings *t, struct strbuf *sb)
{
	strbuf_addstr(sb, t->listen);
}

static int
type_set_overlap(struct type_settings *t, const char *v,
    const struct config_where *w)
{
	int n;

	if ((n = config_bool_parse(v)) == -1)
		return config_error(w, "bad overlap '%s': expected true or "
		    "false", v);
	t->overlap = n;
	return 0;
}

static void
type_get_overlap(const struct type_settings *t, struct strbuf *sb)
{
	if (t->overlap == 1)
		strbuf_addstr(sb, "true");
}

/*
 * The keys of [process.NAME]: how each is read from formation.ini, and
 * how its resolved value is written back in the same syntax. A release
 * records every one of them (settings_type_text()), so a key added here
 * is part of the release, its file and its hash, and applies on reload.
 * A key whose get adds nothing is left out: those after timeout, at
 * their defaults, so that a release built before they existed is still
 * the same release.
 */
static const struct type_key {
	const char	*key;
	int		(*set)(struct type_settings *, const char *,
			    const struct config_where *);
	void		(*get)(const struct type_settings *, struct strbuf *);
} type_keys[] = {
	{ "tty", type_set_tty, type_get_tty },
	{ "restart", type_set_restart, type_get_restart },
	{ "stop_signal", type_set_stop_signal, type_get_stop_signal },
	{ "timeout", type_set_timeout, type_get_timeout },
	{ "ready", type_set_ready, type_get_ready },
	{ "ready_timeout", type_set_ready_timeout, type_get_ready_timeout },
	{ "roll", type_set_roll, type_get_roll },
	{ "listen", type_set_listen, type_get_listen },
	{ "overlap", type_set_overlap, type_get_overlap },
};
#define NTYPE_KEYS (sizeof type_keys / sizeof type_keys[0])

static const struct type_key *
type_key_find(const char *key)
{
	size_t i;

	for (i = 0; i < NTYPE_KEYS; i++) {
		if (strcmp(type_keys[i].key, key) == 0)
			return &type_keys[i];
	}
	return NULL;
}

static void
config_type_key(struct settings *s, const char *type, const char *key,
    const char *v, const struct config_where *w)
{
	const struct type_key *k;

	if ((k = type_key_find(key)) == NULL)
		config_error(w, "unknown key '%s' in [process.%s]", key, type);
	else
		k->set(settings_type(s, type), v, w);
}

void
settings_type_text(const struct type_settings *t, struct env *out)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < NTYPE_KEYS; i++) {
		strbuf_reset(&sb);
		type_keys[i].get(t, &sb);
		if (sb.len > 0)
			env_set(out, type_keys[i].key, sb.buf, NULL);
	}
	strbuf_release(&sb);
}

int
settings_type_set(struct type_settings *t, const char *key, const char *v,
    char **err)
{
	const struct type_key *k;
	struct config_where w;
	struct diags d;
	int rc;

	*err = NULL;
	if ((k = type_key_find(key)) == NULL) {
		xasprintf(err, "unknown key '%s'", key);
		return -1;
	}
	diags_init(&d);
	w.diags = &d;
	w.file = "";
	w.line = 0;
	if ((rc = k->set(t, v, &w)) == -1)
		*err = xstrdup(d.nerrors > 0 ? d.errors[0].message :
		    "bad value");
	diags_release(&d);
	return rc;
}

static void
config_formation_key(struct settings *s, const char *key, const char *v,
    const struct config_where *w)
{
	size_t i;

	for (i = 0; i < NSETTINGS_KEYS; i++) {
		if (settings_keys[i].key != NULL &&
		    strcmp(settings_keys[i].key, key) == 0) {
			settings_keys[i].set(s, v, s->root, w);
			return;
		}
	}
	config_error(w, "unknown key '%s' in [formation]", key);
}

/* [release]: what a release records, and how one-offs hold to it. */
static void
config_release_key(struct settings *s, const char *key, const char *v,
    const struct config_where *w)
{
	int n;

	if (strcmp(key, "code") == 0) {
		if (strcmp(v, "git") == 0)
			s->code = SETTINGS_CODE_GIT;
		else if (strcmp(v, "none") == 0)
			s->code = SETTINGS_CODE_NONE;
		else
			config_error(w, "bad code '%s': expected git or none",
			    v);
	} else if (strcmp(key, "timeout") == 0) {
		if ((n = config_timeout_parse(v, w)) != -1)
			s->phase_timeout_ms = n;
	} else if (strcmp(key, "strict") == 0) {
		if ((n = config_bool_parse(v)) == -1)
			config_error(w, "bad strict '%s': expected true or "
			    "false", v);
		else
			s->strict = n;
	} else
		config_error(w, "unknown key '%s' in [release]", key);
}

static void
config_scale_key(struct settings *s, const char *key, const char *v,
    const struct config_where *w)
{
	char *err;

	if (formspec_add(&s->scale, key, v, &err) == -1) {
		config_error(w, "%s", err);
		free(err);
	} else
		formspec_set_line(&s->scale, key, w->line);
}

/*
 * [security] trust_others: a daemon of root runs files that other uids
 * own or may write. It counts only because this file was trusted to be
 * read at all (trust_file(), in config_load()); a flag that said yes is
 * not undone by a no here.
 */
static void
config_security_key(struct settings *s, const char *key, const char *v,
    const struct config_where *w)
{
	int n;

	if (strcmp(key, "trust_others") != 0)
		config_error(w, "unknown key '%s' in [security]", key);
	else if ((n = config_bool_parse(v)) == -1)
		config_error(w, "bad trust_others '%s': expected true or false",
		    v);
	else if (n)
		s->trust_others = 1;
}

/* A section header: is it one we know? Reported once, here. */
static void
config_section(struct config_state *cp, const char *name, size_t len)
{
	const char *type;

	while (len > 0 && (*name == ' ' || *name == '\t')) {
		name++;
		len--;
	}
	while (len > 0 && (name[len - 1] == ' ' || name[len - 1] == '\t'))
		len--;
	free(cp->section);
	cp->section = xstrndup(name, len);
	cp->section_ok = 0;
	if (strcmp(cp->section, "formation") == 0 ||
	    strcmp(cp->section, "scale") == 0 ||
	    strcmp(cp->section, "release") == 0 ||
	    strcmp(cp->section, "security") == 0)
		cp->section_ok = 1;
	else if (strncmp(cp->section, "process.", 8) == 0) {
		type = cp->section + 8;
		if (procfile_valid_name(type)) {
			cp->section_ok = 1;
			/* Made here, so that an empty one is seen unused. */
			settings_type(cp->s, type)->line = cp->where.line;
		} else
			config_error(&cp->where, "bad process type name '%s' "
			    "in [%s]", type, cp->section);
	} else
		config_error(&cp->where, "unknown section [%s]", cp->section);
}

static int
config_handler(void *arg, const char *section, const char *key,
    const char *v)
{
	struct config_state *cp = arg;
	const struct config_where *w = &cp->where;

	cp->handled = 1;
	if (cp->continuation) {
		config_error(w, "indented line taken as a continuation of "
		    "'%s': values are one line, unindent it", key);
		return 1;
	}
	cp->after_key = 1;
	if (cp->section == NULL)
		config_error(w, "key '%s' outside a section", key);
	else if (!cp->section_ok)
		;	/* the header was reported */
	else if (strcmp(cp->section, "formation") == 0)
		config_formation_key(cp->s, key, v, w);
	else if (strcmp(cp->section, "scale") == 0)
		config_scale_key(cp->s, key, v, w);
	else if (strcmp(cp->section, "release") == 0)
		config_release_key(cp->s, key, v, w);
	else if (strcmp(cp->section, "security") == 0)
		config_security_key(cp->s, key, v, w);
	else
		config_type_key(cp->s, cp->section + 8, key, v, w);
	return 1;
}

/*
 * Classify a line as inih will (blank or comment, continuation, section
 * header, key), so that a line inih rejects without calling the handler is
 * still reported, and so that sections are known in full (inih cuts their
 * names at 49 bytes).
 */
static void
config_line_start(struct config_state *cp, const char *line)
{
	const char *start = line, *p;
	int was_space = 0;

	if (cp->where.line == 1 && strncmp(start, "\xef\xbb\xbf", 3) == 0)
		start += 3;
	while (isspace((unsigned char)*start))
		start++;
	cp->handled = cp->continuation = cp->bad_header = 0;
	if (*start == '\0' || *start == ';' || *start == '#') {
		cp->handled = 1;
		return;
	}
	if (cp->after_key && start > line) {
		cp->continuation = 1;
		return;
	}
	if (*start != '[')
		return;
	for (p = start + 1; *p != '\0' && *p != ']'; p++) {
		if (was_space && *p == ';')
			break;
		was_space = isspace((unsigned char)*p);
	}
	if (*p != ']') {
		cp->bad_header = 1;
		return;
	}
	config_section(cp, start + 1, (size_t)(p - start - 1));
	cp->after_key = 0;
	cp->handled = 1;
}

/* The line inih has just finished with: did it make sense? */
static void
config_line_done(struct config_state *cp)
{
	if (cp->handled)
		return;
	if (cp->bad_header)
		config_error(&cp->where, "section header without ']'");
	else
		config_error(&cp->where, "expected 'key = value' or "
		    "'[section]'");
	cp->handled = 1;
}

/* inih's fgets(): one line of the file per call. */
static char *
config_reader(char *buf, int size, void *arg)
{
	struct config_state *cp = arg;
	const char *line, *nl;
	size_t n, max;

	config_line_done(cp);
	if (cp->off >= cp->len || size < 2)
		return NULL;
	max = (size_t)size - 1;
	line = cp->data + cp->off;
	nl = memchr(line, '\n', cp->len - cp->off);
	n = nl != NULL ? (size_t)(nl - line) : cp->len - cp->off;
	cp->off += n + (nl != NULL);
	if (n > max)
		n = max;	/* config_scan() refused such a file */
	memcpy(buf, line, n);
	if (nl != NULL && n < max)
		buf[n++] = '\n';
	buf[n] = '\0';
	cp->where.line++;
	config_line_start(cp, buf);
	return buf;
}

/* Refuse what inih would misread: a line too long for it, a NUL byte. */
static int
config_scan(const char *data, size_t len, struct config_where *w)
{
	const char *p = data, *end = data + len, *nl;
	size_t n;
	int r = 0;

	for (w->line = 1; p < end; w->line++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		if (memchr(p, '\0', n) != NULL)
			r = config_error(w, "NUL byte in line");
		else if (n > CONFIG_MAX_LINE)
			r = config_error(w, "line too long (max %d bytes)",
			    CONFIG_MAX_LINE);
		p = nl != NULL ? nl + 1 : end;
	}
	w->line = 0;
	return r;
}

static int
config_has_error(const struct diags *d, size_t from, int line)
{
	size_t i;

	for (i = from; i < d->nerrors; i++) {
		if (d->errors[i].line == line)
			return 1;
	}
	return 0;
}

/* Feed a scanned file to inih, line by line. */
static void
config_feed(struct settings *s, const char *data, size_t len,
    const struct config_where *w)
{
	struct config_state cp;
	size_t before = w->diags->nerrors;
	int r;

	memset(&cp, 0, sizeof cp);
	cp.s = s;
	cp.where = *w;
	cp.data = data;
	cp.len = len;
	cp.handled = 1;
	r = ini_parse_stream(config_reader, &cp, config_handler, &cp);
	config_line_done(&cp);
	/* Not expected: the checks above see what inih rejects. */
	if (r > 0 && !config_has_error(w->diags, before, r)) {
		cp.where.line = r;
		config_error(&cp.where, "syntax error");
	} else if (r < 0) {
		cp.where.line = 0;
		config_error(&cp.where, "cannot parse (inih error %d)", r);
	}
	free(cp.section);
}

/*
 * The held socket that a type's ready check would connect to, formatted
 * into buf: tcp and http:/PATH look at each instance's PORT, which for
 * listen = tcp:$PORT is the held socket for the first instance and
 * nothing for the others; tcp:HOST:PORT may name a held address itself.
 * 0 when the check looks elsewhere.
 */
static int
config_ready_held(const struct type_settings *t, char *buf, size_t len)
{
	const struct ready_spec *r = &t->ready;
	const struct listen_addr *a;
	struct listen_list l;
	struct in6_addr a6;
	char *err;
	size_t i;
	int any, v6;

	if (t->listen[0] == '\0' || (r->kind != READY_TCP &&
	    r->kind != READY_HTTP))
		return 0;
	if (listen_parse(t->listen, &l, &err) == -1) {
		free(err);	/* reported at its line */
		return 0;
	}
	v6 = inet_pton(AF_INET6, r->host, &a6) == 1;
	for (i = 0; i < l.n; i++) {
		a = &l.a[i];
		if (a->kind == LISTEN_UNIX)
			continue;
		any = a->host[0] == '\0' || strcmp(a->host, "0.0.0.0") == 0 ||
		    strcmp(a->host, "::") == 0;
		if (r->host[0] == '\0' ? a->port != 0 :
		    a->port != r->port || (a->kind == LISTEN_TCP6) != v6 ||
		    (!any && strcmp(a->host, r->host) != 0))
			continue;
		listen_format(a, buf, len);
		return 1;
	}
	return 0;
}

/*
 * What one key cannot see alone: a ready check on a socket that listen
 * holds. The daemon's socket takes every connection into its queue,
 * whichever instance accepts, or none, so a connect there says nothing
 * of the process being checked.
 */
static void
config_check_types(struct settings *s, const struct config_where *w)
{
	const struct type_settings *t;
	struct config_where at = *w;
	char addr[160], ready[READY_PATH_MAX + 16];
	size_t i;

	for (i = 0; i < s->ntypes; i++) {
		t = &s->types[i];
		if (!config_ready_held(t, addr, sizeof addr))
			continue;
		readyspec_text(&t->ready, ready, sizeof ready);
		at.line = t->ready_line;
		config_error(&at, "ready = %s cannot tell when a process of "
		    "%s is ready: listen holds %s, which takes connections "
		    "into its queue for any instance or none%s; use ready = "
		    "accept (the default with listen), notify, "
		    "delay:SECONDS, or tcp:HOST:PORT of a port the process "
		    "binds itself", ready, t->name, addr,
		    t->ready.host[0] == '\0' ? ", and the PORT of the other "
		    "instances has nothing on it" : "");
	}
}

/* ready = accept looks at a held socket: without listen there is none. */
static void
config_check_accept(struct settings *s, const struct config_where *w)
{
	const struct type_settings *t;
	struct config_where at = *w;
	size_t i;

	for (i = 0; i < s->ntypes; i++) {
		t = &s->types[i];
		if (!t->ready_given || t->ready.kind != READY_ACCEPT ||
		    t->listen[0] != '\0')
			continue;
		at.line = t->ready_line;
		config_error(&at, "ready = accept in [process.%s] needs "
		    "listen: it waits for a process of %s to accept a "
		    "connection on a socket the daemon holds, and %s has "
		    "none", t->name, t->name, t->name);
	}
}

int
config_parse(struct settings *s, const char *file, const char *buf,
    size_t len, struct diags *diags)
{
	struct config_where w;
	size_t before = diags->nerrors;

	w.diags = diags;
	w.file = file;
	w.line = 0;
	if (config_scan(buf, len, &w) == 0) {
		config_feed(s, buf, len, &w);
		config_check_types(s, &w);
		config_check_accept(s, &w);
	}
	return diags->nerrors > before ? -1 : 0;
}

int
config_load(struct settings *s, const char *path, struct diags *diags)
{
	struct strbuf sb = STRBUF_INIT;
	struct config_where w;
	struct stat st;
	size_t before = diags->nerrors;

	w.diags = diags;
	w.file = settings_label(s, path);
	w.line = 0;
	if (read_file_stat(path, &sb, &st) == -1) {
		if (errno != ENOENT || s->config_given)
			config_error(&w, "cannot read: %s", strerror(errno));
	} else if (trust_file(s, &st, path, w.file, diags) == 0)
		config_parse(s, w.file, sb.buf, sb.len, diags);
	strbuf_release(&sb);
	return diags->nerrors > before ? -1 : 0;
}

void
settings_init(struct settings *s)
{
	memset(s, 0, sizeof *s);
	s->port = -1;
	s->timeout_ms = 10000;
	s->restart = RESTART_ALWAYS;
	formspec_init(&s->scale);
	s->color = -1;
	s->phase_timeout_ms = SETTINGS_PHASE_TIMEOUT_MS;
	s->log_memory = SETTINGS_LOG_MEMORY;
}

void
settings_release(struct settings *s)
{
	size_t i;

	free(s->root);
	free(s->procfile);
	for (i = 0; i < s->nenv_files; i++)
		free(s->env_files[i]);
	free(s->env_files);
	free(s->config_file);
	formspec_release(&s->scale);
	for (i = 0; i < s->ntypes; i++)
		free(s->types[i].name);
	free(s->types);
	free(s->socket);
	settings_init(s);
}

void
settings_flags_init(struct settings_flags *f)
{
	memset(f, 0, sizeof *f);
	f->color = -1;
}

struct type_settings
settings_for_type(const struct settings *s, const char *name)
{
	struct type_settings t;
	const struct type_settings *e = NULL;
	size_t i;

	for (i = 0; i < s->ntypes; i++) {
		if (strcmp(s->types[i].name, name) == 0)
			e = &s->types[i];
	}
	t.name = e != NULL ? e->name : NULL;
	t.stop_signal = SIGTERM;
	t.timeout_ms = s->timeout_ms;
	t.restart = s->restart;
	t.tty = 0;
	memset(&t.ready, 0, sizeof t.ready);
	t.ready_given = 0;
	t.ready_timeout_ms = READY_TIMEOUT_MS;
	t.roll = 1;
	t.overlap = 0;
	t.line = 0;
	t.ready_line = 0;
	t.listen[0] = '\0';
	if (e == NULL)
		return t;
	if (e->stop_signal != -1)
		t.stop_signal = e->stop_signal;
	if (e->timeout_ms != -1)
		t.timeout_ms = e->timeout_ms;
	if (e->restart != RESTART_UNSET)
		t.restart = e->restart;
	if (e->tty != -1)
		t.tty = e->tty;
	if (e->ready_given) {
		t.ready = e->ready;
		t.ready_given = 1;
	}
	if (e->ready_timeout_ms != -1)
		t.ready_timeout_ms = e->ready_timeout_ms;
	if (e->roll != -1)
		t.roll = e->roll;
	t.line = e->line;
	memcpy(t.listen, e->listen, sizeof t.listen);
	/* A new instance started beside its old self is worth it once
	 * something says when it serves: by default, a type with a ready
	 * check or held sockets rolls with overlap. */
	if (e->overlap != -1)
		t.overlap = e->overlap;
	else
		t.overlap = t.listen[0] != '\0' ||
		    t.ready.kind != READY_STARTED;
	settings_type_ready_default(&t);
	return t;
}

void
settings_type_ready_default(struct type_settings *t)
{
	if (t->ready_given || t->listen[0] == '\0')
		return;
	memset(&t->ready, 0, sizeof t->ready);
	t->ready.kind = READY_ACCEPT;
	t->ready.implicit = 1;
}

/* The value of name in envp; NULL when unset or empty. */
static const char *
settings_getenv(char *const *envp, const char *name)
{
	size_t n = strlen(name);

	for (; envp != NULL && *envp != NULL; envp++) {
		if (strncmp(*envp, name, n) == 0 && (*envp)[n] == '=')
			return (*envp)[n + 1] != '\0' ? *envp + n + 1 : NULL;
	}
	return NULL;
}

int
settings_from_env(struct settings *s, char *const *envp, struct diags *diags)
{
	struct config_where w;
	const char *v;
	size_t i, before = diags->nerrors;

	w.diags = diags;
	w.line = 0;
	for (i = 0; i < NSETTINGS_KEYS; i++) {
		if ((v = settings_getenv(envp, settings_keys[i].var)) == NULL)
			continue;
		w.file = settings_keys[i].var;
		settings_keys[i].set(s, v, s->root, &w);
	}
	return diags->nerrors > before ? -1 : 0;
}

/* -C DIR, else the directory of -f FILE, else the working directory. */
static int
settings_find_root(struct settings *s, const struct settings_flags *f,
    const char *cwd, struct diags *diags)
{
	struct stat st;
	char *dir, *slash;
	int saved;

	if (f->root != NULL)
		dir = xstrdup(cwd);	/* settings_load made it the -C dir */
	else if (f->procfile != NULL) {
		dir = settings_path(cwd, f->procfile);
		slash = strrchr(dir, '/');
		slash[slash == dir ? 1 : 0] = '\0';
	} else
		dir = xstrdup(cwd);
	if ((s->root = realpath(dir, NULL)) == NULL || stat(s->root, &st) == -1)
		goto fail;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		goto fail;
	}
	free(dir);
	return 0;

fail:
	saved = errno;
	free(s->root);
	s->root = NULL;
	diag_error(diags, dir, 0, "cannot use as the app root: %s",
	    strerror(saved));
	free(dir);
	return -1;
}

/* Where formation.ini is: -c, else $FORMATION_CONFIG, else the root's. */
static void
settings_defaults(struct settings *s, const struct settings_flags *f,
    char *const *envp, const char *cwd)
{
	const char *v;

	s->procfile = path_join(s->root, "Procfile");
	s->env_files = xcalloc(1, sizeof *s->env_files);
	s->env_files[0] = path_join(s->root, ".env");
	s->nenv_files = 1;
	if (f->config != NULL) {
		s->config_file = settings_path(cwd, f->config);
		s->config_given = 1;
	} else if ((v = settings_getenv(envp, "FORMATION_CONFIG")) != NULL) {
		s->config_file = settings_path(s->root, v);
		s->config_given = 1;
	} else
		s->config_file = path_join(s->root, "formation.ini");
}

static void
settings_from_flags(struct settings *s, const struct settings_flags *f,
    const char *cwd, struct diags *diags)
{
	const struct {
		const char	*flag;
		const char	*value;
		settings_setter	 set;
	} flags[] = {
		{ "-f", f->procfile, settings_set_procfile },
		{ "-e", f->env, settings_set_env },
		{ "-m", f->scale, settings_set_scale },
		{ "-p", f->port, settings_set_port },
		{ "-t", f->timeout, settings_set_timeout },
		{ "--socket", f->socket, settings_set_socket },
	};
	struct config_where w;
	size_t i;

	w.diags = diags;
	w.line = 0;
	for (i = 0; i < sizeof flags / sizeof flags[0]; i++) {
		if (flags[i].value == NULL)
			continue;
		w.file = flags[i].flag;
		flags[i].set(s, flags[i].value, cwd, &w);
	}
	if (f->color != -1)
		s->color = f->color;
}

int
settings_load(struct settings *s, const struct settings_flags *f,
    char *const *envp, struct diags *diags)
{
	size_t before = diags->nerrors;
	char *cwd;

	settings_init(s);
	if ((cwd = getcwd(NULL, 0)) == NULL) {
		diag_error(diags, ".", 0, "cannot get the working directory: "
		    "%s", strerror(errno));
		return -1;
	}
	/* As with make -C and git -C: the other paths are taken from there. */
	if (f->root != NULL) {
		char *dir = settings_path(cwd, f->root);

		free(cwd);
		cwd = dir;
	}
	s->guard = f->guard;
	s->trust_others = f->trust_others;
	if (settings_find_root(s, f, cwd, diags) == 0) {
		settings_defaults(s, f, envp, cwd);
		config_load(s, s->config_file, diags);
		settings_from_env(s, envp, diags);
		settings_from_flags(s, f, cwd, diags);
	}
	free(cwd);
	return diags->nerrors > before ? -1 : 0;
}
