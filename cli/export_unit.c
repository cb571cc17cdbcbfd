/*
 * Writing a systemd unit file, every value escaped (cli/export.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/export.h"
#include "common/xmalloc.h"

size_t
export_utf8_len(const unsigned char *s)
{
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	}
	/* Overlong forms, surrogates, and past U+10FFFF. */
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
		return 0;
	return n;
}

static int
export_needs_quotes(const char *s)
{
	const unsigned char *p;
	size_t n;

	if (*s == '\0')
		return 1;
	for (p = (const unsigned char *)s; *p != '\0'; p += n) {
		if (*p <= ' ' || *p == 0x7f || *p == '"' || *p == '\'' ||
		    *p == '\\' || *p == ';' || (n = export_utf8_len(p)) == 0)
			return 1;
	}
	return 0;
}

/* One byte of a command-line word (inside double quotes if quoted). */
static void
export_exec_byte(struct strbuf *sb, unsigned char c, int quoted)
{
	static const char from[] = "\"\\\n\t\r", to[] = "\"\\ntr";
	const char *at;

	if (c == '%' || c == '$') {
		strbuf_addch(sb, c);
		strbuf_addch(sb, c);
	} else if (quoted && c != '\0' && (at = strchr(from, c)) != NULL) {
		strbuf_addch(sb, '\\');
		strbuf_addch(sb, to[at - from]);
	} else if (c < 0x20 || c == 0x7f)
		strbuf_addf(sb, "\\x%02x", c);
	else
		strbuf_addch(sb, c);
}

void
export_exec_word(struct strbuf *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int quoted;
	size_t n;

	quoted = export_needs_quotes(s);
	if (quoted)
		strbuf_addch(sb, '"');
	while (*p != '\0') {
		if ((n = export_utf8_len(p)) == 0) {
			strbuf_addf(sb, "\\x%02x", *p++);
			continue;
		}
		if (n > 1) {
			strbuf_add(sb, p, n);
			p += n;
			continue;
		}
		export_exec_byte(sb, *p++, quoted);
	}
	if (quoted)
		strbuf_addch(sb, '"');
}

int
export_value(struct strbuf *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), n;

	if (len == 0 || s[0] == ' ' || s[len - 1] == ' ' ||
	    s[len - 1] == '\\')
		return -1;
	for (; *p != '\0'; p += n) {
		if ((n = export_utf8_len(p)) == 0 || *p < 0x20 || *p == 0x7f)
			return -1;
		if (*p == '%')
			strbuf_addch(sb, '%');
		strbuf_add(sb, p, n);
	}
	return 0;
}

char *
export_app_name(const char *root)
{
	const char *base;
	char *name, *p;
	size_t len;

	base = strrchr(root, '/') != NULL ? strrchr(root, '/') + 1 : root;
	name = xstrdup(base);
	for (p = name; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '.'))
			*p = '-';
	}
	for (p = name; *p == '-' || *p == '.'; p++)
		;
	memmove(name, p, strlen(p) + 1);
	len = strlen(name);
	while (len > 0 && (name[len - 1] == '-' || name[len - 1] == '.'))
		name[--len] = '\0';
	if (len == 0) {
		free(name);
		name = xstrdup("app");
	}
	return name;
}


int
export_name_ok(const char *s)
{
	const char *p;

	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
	    (*s >= '0' && *s <= '9')) || strlen(s) > 200)
		return 0;
	for (p = s; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' ||
		    *p == '-'))
			return 0;
	}
	return 1;
}

int
export_systemd_version(const char *s)
{
	long v;
	char *end;

	if (strncmp(s, "systemd ", 8) != 0 || s[8] < '0' || s[8] > '9')
		return 0;
	v = strtol(s + 8, &end, 10);
	if (end == s + 8 || (*end != ' ' && *end != '\n' && *end != '\0') ||
	    v <= 0 || v > 100000)
		return 0;
	return (int)v;
}

/* Is path dir itself or below it? */
static int
export_below(const char *path, const char *dir)
{
	size_t len = strlen(dir);

	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (len == 0 || strncmp(path, dir, len) != 0)
		return 0;
	return path[len] == '\0' || path[len] == '/' || len == 1;
}

int
export_in_home(const char *path, const char *home)
{
	if (export_below(path, "/home") || export_below(path, "/root") ||
	    export_below(path, "/run/user"))
		return 1;
	return home != NULL && home[0] == '/' && strcmp(home, "/") != 0 &&
	    export_below(path, home);
}

/* "Key=value\n" for a plain setting; -1 with *err if it cannot be one. */
static int
export_setting(struct strbuf *sb, const char *key, const char *value,
    char **err)
{
	strbuf_addf(sb, "%s=", key);
	if (export_value(sb, value) == -1) {
		xasprintf(err, "%s '%s' cannot be written in a unit file",
		    key, value);
		return -1;
	}
	strbuf_addch(sb, '\n');
	return 0;
}

/*
 * "Key=PATH\n" for a setting that takes a list of paths: quoted when it
 * holds a blank. A path with a quote or a backslash is refused, as list
 * settings do not all take C escapes.
 */
static int
export_path_setting(struct strbuf *sb, const char *key, const char *path,
    char **err)
{
	struct strbuf v = STRBUF_INIT;
	int rc = 0;

	if (strpbrk(path, "\"'\\") != NULL || export_value(&v, path) == -1) {
		xasprintf(err, "%s '%s' cannot be written in a unit file",
		    key, path);
		rc = -1;
	} else if (strchr(path, ' ') != NULL)
		strbuf_addf(sb, "%s=\"%s\"\n", key, v.buf);
	else
		strbuf_addf(sb, "%s=%s\n", key, v.buf);
	strbuf_release(&v);
	return rc;
}

/* A time span in seconds, or milliseconds when it is not whole. */
static void
export_timespan(struct strbuf *sb, const char *key, int ms)
{
	if (ms % 1000 == 0)
		strbuf_addf(sb, "%s=%d\n", key, ms / 1000);
	else
		strbuf_addf(sb, "%s=%dms\n", key, ms);
}

static void
export_exec_start(struct strbuf *sb, const struct export_unit *u)
{
	size_t i;

	strbuf_addstr(sb, "ExecStart=");
	for (i = 0; i < u->argc; i++) {
		if (i > 0)
			strbuf_addch(sb, ' ');
		export_exec_word(sb, u->argv[i]);
	}
	strbuf_addf(sb, " --socket %%t/%s/formation.sock\n", u->name);
}

/* formation reload: it waits for the build, and fails (78) with it. */
static void
export_exec_reload(struct strbuf *sb, const struct export_unit *u)
{
	strbuf_addstr(sb, "ExecReload=");
	export_exec_word(sb, u->cli);
	strbuf_addf(sb, " --socket %%t/%s/formation.sock reload\n", u->name);
}

/*
 * The sandbox (formationd(8), "Hardening"). What a user manager can set
 * up unprivileged: no new privileges, and system call filters.
 */
static const char export_sandbox[] =
	"NoNewPrivileges=yes\n"
	"RestrictSUIDSGID=yes\n"
	"RestrictRealtime=yes\n"
	"RestrictNamespaces=yes\n"
	"LockPersonality=yes\n"
	"SystemCallArchitectures=native\n"
	"SystemCallFilter=@system-service\n"
	"RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6\n"
	"UMask=0027\n";

/* And what only the system manager can: namespaces, capabilities. */
static const char export_sandbox_system[] =
	"ProtectSystem=strict\n"
	"PrivateDevices=yes\n"
	"ProtectKernelTunables=yes\n"
	"ProtectKernelModules=yes\n"
	"ProtectKernelLogs=yes\n"
	"ProtectControlGroups=yes\n"
	"ProtectClock=yes\n"
	"ProtectHostname=yes\n"
	"RemoveIPC=yes\n";

/* An app root in /tmp would vanish under PrivateTmp=. */
static int
export_in_tmp(const char *root)
{
	return strncmp(root, "/tmp/", 5) == 0 ||
	    strncmp(root, "/var/tmp/", 9) == 0;
}

static int
export_harden(struct strbuf *sb, const struct export_unit *u, char **err)
{
	if (u->harden) {
		strbuf_addstr(sb, "\n# The sandbox: see Hardening in "
		    "formationd(8); --no-harden leaves it out.\n");
		strbuf_addstr(sb, export_sandbox);
	}
	if (u->harden && !u->user_unit) {
		strbuf_addstr(sb, export_sandbox_system);
		if (!export_in_tmp(u->root))
			strbuf_addstr(sb, "PrivateTmp=yes\n");
		strbuf_addf(sb, "ProtectHome=%s\n",
		    u->home ? "read-only" : "yes");
		if (export_path_setting(sb, "ReadWritePaths", u->root,
		    err) == -1)
			return -1;
		strbuf_addf(sb, "CapabilityBoundingSet=%s\n",
		    u->low_ports ? "CAP_NET_BIND_SERVICE" : "");
	}
	if (u->low_ports && !u->user_unit)
		strbuf_addstr(sb, "AmbientCapabilities=CAP_NET_BIND_SERVICE\n");
	return 0;
}

static int
export_service(struct strbuf *sb, const struct export_unit *u, char **err)
{
	strbuf_addf(sb, "\n[Service]\nType=%s\n",
	    u->systemd >= EXPORT_NOTIFY_RELOAD ? "notify-reload" : "notify");
	if (u->user != NULL && !u->user_unit &&
	    export_setting(sb, "User", u->user, err) == -1)
		return -1;
	if (export_setting(sb, "WorkingDirectory", u->root, err) == -1)
		return -1;
	export_exec_start(sb, u);
	export_exec_reload(sb, u);
	strbuf_addstr(sb, "KillMode=mixed\n");
	export_timespan(sb, "TimeoutStopSec", u->timeout_ms);
	strbuf_addf(sb, "RuntimeDirectory=%s\n"
	    "RuntimeDirectoryMode=0700\n"
	    "Restart=on-failure\n"
	    "RestartSec=5\n"
	    "RestartPreventExitStatus=78\n"
	    "WatchdogSec=30\n", u->name);
	return export_harden(sb, u, err);
}

int
export_unit(struct strbuf *sb, const struct export_unit *u, char **err)
{
	strbuf_addstr(sb, "# Made by 'formation export systemd'; see "
	    "formationd(8).\n[Unit]\n");
	if (export_setting(sb, "Description", u->description, err) == -1)
		return -1;
	if (!u->user_unit)
		strbuf_addstr(sb, "After=network.target\n");
	if (export_service(sb, u, err) == -1)
		return -1;
	strbuf_addf(sb, "\n[Install]\nWantedBy=%s\n",
	    u->user_unit ? "default.target" : "multi-user.target");
	return 0;
}
