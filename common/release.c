/*
 * Building a release from the files of an app. Every file is read and
 * parsed even after one has failed, so that a refused build reports all
 * of its errors at once.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/envfile.h"
#include "common/release.h"
#include "common/sha256.h"
#include "common/strbuf.h"
#include "common/trust.h"
#include "common/util.h"
#include "common/xmalloc.h"

void
release_init(struct release *r)
{
	r->version = 0;
	r->format = RELEASE_FORMAT;
	r->created_at = 0;
	r->root = NULL;
	r->procs = NULL;
	r->nprocs = r->aprocs = 0;
	env_init(&r->env);
	env_init(&r->file_env);
	code_init(&r->code);
	r->hash[0] = '\0';
	r->reason = NULL;
	r->summary = NULL;
	r->status = RELEASE_OK;
}

void
release_release(struct release *r)
{
	size_t i;

	free(r->root);
	for (i = 0; i < r->nprocs; i++) {
		free(r->procs[i].name);
		free(r->procs[i].command);
		free(r->procs[i].origin);
		env_release(&r->procs[i].settings);
	}
	free(r->procs);
	env_release(&r->env);
	env_release(&r->file_env);
	code_release(&r->code);
	free(r->reason);
	free(r->summary);
	release_init(r);
}

const char *
release_phase_error(void)
{
	return "'" RELEASE_PHASE_TYPE "' is the release phase, not a process "
	    "of the formation: it runs once before each new release goes "
	    "live (see procfile(5))";
}

int
release_port_index(const struct release *r, int index)
{
	int i, n = 0;

	for (i = 0; i < index && (size_t)i < r->nprocs; i++)
		n += strcmp(r->procs[i].name, RELEASE_PHASE_TYPE) != 0;
	return n;
}

int
release_port(const struct release *r, int setting, int index, int instance)
{
	const char *env;
	int base = setting;

	if (base < 0) {
		env = env_get(&r->env, "PORT");
		base = env != NULL ? number_parse(env, 65535) : -1;
		if (base <= 0)
			base = 5000;
	}
	return base + 100 * release_port_index(r, index) + instance - 1;
}

const char *
release_status_name(int status)
{
	switch (status) {
	case RELEASE_OK:
		return "ok";
	case RELEASE_PENDING:
		return "pending";
	default:
		return "failed";
	}
}

struct release_proc *
release_add_proc(struct release *r, const char *name, const char *command,
    const char *origin)
{
	struct release_proc *p;

	ALLOC_GROW(r->procs, r->nprocs + 1, r->aprocs);
	p = &r->procs[r->nprocs++];
	p->name = xstrdup(name);
	p->command = xstrdup(command);
	p->origin = xstrdup(origin);
	env_init(&p->settings);
	return p;
}

void
release_set_settings(struct release *r, const struct settings *s)
{
	struct type_settings t;
	size_t i;

	for (i = 0; i < r->nprocs; i++) {
		t = settings_for_type(s, r->procs[i].name);
		env_release(&r->procs[i].settings);
		settings_type_text(&t, &r->procs[i].settings);
	}
}

struct type_settings
release_type_settings(const struct release *r, const char *name)
{
	const struct release_proc *p;
	struct settings defaults;
	struct type_settings t;
	const struct env_var *v;
	char *err;
	size_t i;

	settings_init(&defaults);
	t = settings_for_type(&defaults, name);
	t.name = NULL;
	settings_release(&defaults);
	if ((p = release_find(r, name)) == NULL)
		return t;
	for (i = 0; i < p->settings.n; i++) {
		v = &p->settings.vars[i];
		/* relfile_read() and the build checked them all. */
		if (settings_type_set(&t, v->key, v->value, &err) == -1)
			free(err);
	}
	settings_type_ready_default(&t);
	return t;
}

/* dst's contents are replaced by a deep copy of src. */
void
release_copy(struct release *dst, const struct release *src)
{
	size_t i;

	struct release_proc *p;

	release_release(dst);
	dst->version = src->version;
	dst->format = src->format;
	dst->created_at = src->created_at;
	dst->root = src->root != NULL ? xstrdup(src->root) : NULL;
	for (i = 0; i < src->nprocs; i++) {
		p = release_add_proc(dst, src->procs[i].name,
		    src->procs[i].command, src->procs[i].origin);
		env_copy(&p->settings, &src->procs[i].settings);
	}
	env_copy(&dst->env, &src->env);
	env_copy(&dst->file_env, &src->file_env);
	code_copy(&dst->code, &src->code);
	memcpy(dst->hash, src->hash, sizeof dst->hash);
	dst->reason = src->reason != NULL ? xstrdup(src->reason) : NULL;
	dst->summary = src->summary != NULL ? xstrdup(src->summary) : NULL;
	dst->status = src->status;
}

const struct release_proc *
release_find(const struct release *r, const char *name)
{
	int i;

	if ((i = release_index(r, name)) == -1)
		return NULL;
	return &r->procs[i];
}

int
release_index(const struct release *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nprocs; i++) {
		if (strcmp(r->procs[i].name, name) == 0)
			return (int)i;
	}
	return -1;
}

/*
 * What a shell session, a terminal or a service manager sets for itself,
 * and so differs from one terminal, login or restart to the next: none of
 * it is something the app runs with (formationd(8), ENVIRONMENT). TERM is
 * one: a process is given one of its own at spawn (release_term()).
 */
int
release_session_var(const char *name)
{
	static const char *const names[] = {
		"_", "OLDPWD", "PWD", "SHLVL", "TERM",
		"TMUX", "TMUX_PANE", "STY", "WINDOW", "WINDOWID",
		"TERM_SESSION_ID", "TERM_PROGRAM", "TERM_PROGRAM_VERSION",
		"COLORTERM", "VTE_VERSION", "WT_SESSION", "WT_PROFILE_ID",
		"SSH_TTY", "SSH_CLIENT", "SSH_CONNECTION", "SSH_AUTH_SOCK",
		"SSH_AGENT_PID", "GPG_TTY",
		"DISPLAY", "WAYLAND_DISPLAY", "XDG_VTNR",
		"DBUS_SESSION_BUS_ADDRESS",
		"SYSTEMD_EXEC_PID", "MANAGERPID", "INVOCATION_ID",
		"JOURNAL_STREAM", "NOTIFY_SOCKET",
		"RUNTIME_DIRECTORY", "STATE_DIRECTORY", "CACHE_DIRECTORY",
		"LOGS_DIRECTORY", "CONFIGURATION_DIRECTORY",
		"CREDENTIALS_DIRECTORY",
	};
	static const char *const prefixes[] = {
		"FORMATION_", "LISTEN_", "WATCHDOG_", "XDG_SESSION_",
		"KONSOLE_", "GNOME_TERMINAL_", "ITERM_", "KITTY_",
		"ALACRITTY_",
	};
	size_t i;

	for (i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	}
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(name, names[i]) == 0)
			return 1;
	}
	return 0;
}

int
release_code_differs(const struct release *r, int live,
    const struct code *now, char **msg)
{
	char change[CODE_CHANGE_MAX];

	*msg = NULL;
	if (r->code.commit == NULL || code_equal(now, &r->code))
		return 0;
	code_change(&r->code, now, change);
	if (live)
		xasprintf(msg, "the code changed since v%d (%s); the "
		    "formation still runs v%d's; 'formation reload' rolls it "
		    "out", r->version, change, r->version);
	else
		xasprintf(msg, "the code changed since v%d (%s); no formation "
		    "runs it yet: the next 'formation up' makes a release of "
		    "it", r->version, change);
	return 1;
}

int
release_code_changed(const struct release *r, int live, int timeout_ms,
    char **msg)
{
	struct code now;
	char *warn;
	int rc;

	*msg = NULL;
	if (r->code.commit == NULL || r->root == NULL)
		return 0;
	code_init(&now);
	if (code_read(&now, r->root, timeout_ms, &warn) == -1) {
		free(warn);
		return 0;
	}
	rc = release_code_differs(r, live, &now, msg);
	code_release(&now);
	return rc;
}

void
release_add_env(const struct release *r, struct env *env)
{
	char buf[32], *code;

	snprintf(buf, sizeof buf, "v%d", r->version);
	env_set(env, "FORMATION_RELEASE", buf, NULL);
	if ((code = code_env(&r->code)) != NULL) {
		env_set(env, "FORMATION_CODE", code, NULL);
		free(code);
	}
}

const char *
release_term(const struct release *r, int pty, const char *caller)
{
	const char *term;

	if ((term = env_get(&r->env, "TERM")) != NULL)
		return term;
	if (caller != NULL && *caller != '\0')
		return caller;
	return pty ? RELEASE_PTY_TERM : NULL;
}

/* One field of the hashed form: a tag, the length, the bytes. */
static void
release_hash_field(struct strbuf *sb, int tag, const char *s)
{
	strbuf_addf(sb, "%c%zu:", tag, strlen(s));
	strbuf_addstr(sb, s);
	strbuf_addch(sb, '\n');
}

/*
 * The hash covers what a process sees (root, types, their commands and
 * settings, the environment, in order, and the code) and not when or
 * from where it was built, so that an unchanged app builds a release
 * with the same hash. Code "none" adds nothing. Format 1 had no settings
 * nor code; its files are still checked as it hashed.
 */
void
release_content_hash(const struct release *r, int format, char *out)
{
	struct strbuf sb = STRBUF_INIT;
	const struct env *set;
	size_t i, j;

	strbuf_addf(&sb, "formation release %d\n", format);
	release_hash_field(&sb, 'R', r->root != NULL ? r->root : "");
	for (i = 0; i < r->nprocs; i++) {
		release_hash_field(&sb, 'P', r->procs[i].name);
		release_hash_field(&sb, 'C', r->procs[i].command);
		set = &r->procs[i].settings;
		for (j = 0; format >= 2 && j < set->n; j++) {
			release_hash_field(&sb, 'S', set->vars[j].key);
			release_hash_field(&sb, 'W', set->vars[j].value);
		}
	}
	for (i = 0; i < r->env.n; i++) {
		release_hash_field(&sb, 'K', r->env.vars[i].key);
		release_hash_field(&sb, 'V', r->env.vars[i].value);
	}
	if (format >= 2 && r->code.commit != NULL) {
		release_hash_field(&sb, 'G', r->code.commit);
		release_hash_field(&sb, 'D', r->code.diff != NULL ?
		    r->code.diff : "");
	}
	sha256_hex(sb.buf, sb.len, out);
	strbuf_release(&sb);
}

void
release_hash(struct release *r)
{
	release_content_hash(r, r->format, r->hash);
}

/* The daemon's environment without the variables of a session. */
static void
release_inherit(struct env *e, char *const *envp)
{
	size_t i = 0;

	env_add_environ(e, envp);
	while (i < e->n) {
		if (release_session_var(e->vars[i].key))
			env_unset(e, e->vars[i].key);
		else
			i++;
	}
}

/* 0 when read, 1 when missing and optional, -1 on error or when the
 * daemon may not trust it (reported). */
static int
release_read(const struct settings *s, const char *path, const char *label,
    int optional, struct strbuf *sb, struct diags *diags)
{
	struct stat st;

	strbuf_reset(sb);
	if (read_file_stat(path, sb, &st) == 0)
		return trust_file(s, &st, path, label, diags);
	if (errno == ENOENT && optional)
		return 1;
	diag_error(diags, label, 0, "cannot read: %s", strerror(errno));
	return -1;
}

static int
release_procfile(struct release *r, const struct settings *s,
    struct diags *diags)
{
	struct strbuf sb = STRBUF_INIT;
	struct procfile pf;
	const char *label;
	char *origin;
	size_t i;
	int ret;

	procfile_init(&pf);
	label = settings_label(s, s->procfile);
	if ((ret = release_read(s, s->procfile, label, 0, &sb, diags)) == 0)
		ret = procfile_parse(&pf, label, sb.buf, sb.len, diags);
	for (i = 0; ret == 0 && i < pf.n; i++) {
		xasprintf(&origin, "%s:%d", label, pf.entries[i].line);
		release_add_proc(r, pf.entries[i].name, pf.entries[i].command,
		    origin);
		free(origin);
	}
	procfile_release(&pf);
	strbuf_release(&sb);
	return ret;
}

/* Every env file in order into r->file_env; all of them, even after an
 * error, for the diagnostics. */
static int
release_env_files(struct release *r, const struct settings *s,
    const struct env *inherited, struct diags *diags)
{
	struct strbuf sb = STRBUF_INIT;
	const char *label;
	size_t i;
	int ret = 0, n;

	for (i = 0; i < s->nenv_files; i++) {
		label = settings_label(s, s->env_files[i]);
		n = release_read(s, s->env_files[i], label, !s->env_files_given,
		    &sb, diags);
		if (n == 0)
			n = envfile_parse(&r->file_env, label, sb.buf, sb.len,
			    inherited, diags);
		if (n == -1)
			ret = -1;
	}
	strbuf_release(&sb);
	return ret;
}

/* The final environment: inherited first, then what the files add. */
static void
release_merge_env(struct release *r, const struct env *inherited)
{
	const struct env_var *v;
	size_t i;

	env_copy(&r->env, inherited);
	for (i = 0; i < r->file_env.n; i++) {
		v = &r->file_env.vars[i];
		if (env_find(inherited, v->key) == NULL)
			env_set(&r->env, v->key, v->value, v->origin);
	}
}

/* The code of the work tree, unless the settings say not to look; as
 * seen already when seen is not NULL. */
static void
release_code(struct release *r, const struct settings *s,
    struct diags *diags, const struct code_seen *seen)
{
	char *warn = NULL;
	int rc;

	if (s->code == SETTINGS_CODE_NONE || r->root == NULL)
		return;
	if (seen != NULL) {
		code_copy(&r->code, seen->code);
		rc = seen->rc;
		if (seen->warn != NULL)
			warn = xstrdup(seen->warn);
	} else
		rc = code_read(&r->code, r->root, CODE_TIMEOUT_MS, &warn);
	if (rc == -1) {
		diag_warn(diags, "code", 0, "%s: the code is not recorded",
		    warn != NULL ? warn : "git could not be asked");
		code_release(&r->code);
	}
	free(warn);
}

int
release_build(struct release *r, const struct settings *s,
    char *const *envp, struct diags *diags)
{
	return release_build_seen(r, s, envp, diags, NULL);
}

int
release_build_seen(struct release *r, const struct settings *s,
    char *const *envp, struct diags *diags, const struct code_seen *seen)
{
	struct env inherited;
	size_t before = diags->nerrors;
	int ret = 0;

	release_release(r);
	env_init(&inherited);
	release_inherit(&inherited, envp);
	if (release_procfile(r, s, diags) == -1)
		ret = -1;
	if (release_env_files(r, s, &inherited, diags) == -1)
		ret = -1;
	if (ret == 0 && diags->nerrors == before) {
		r->root = s->root != NULL ? xstrdup(s->root) : NULL;
		release_set_settings(r, s);
		release_merge_env(r, &inherited);
		release_code(r, s, diags, seen);
		r->version = 0;
		r->created_at = time(NULL);
		release_hash(r);
	} else
		ret = -1;
	env_release(&inherited);
	return ret;
}
