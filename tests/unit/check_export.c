#include <stdlib.h>
#include <string.h>

#include "cli/export.h"
#include "common/strbuf.h"
#include "common/xmalloc.h"
#include "tests/unit/unit.h"

static char *
word(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	export_exec_word(&sb, s);
	return strbuf_detach(&sb, NULL);
}

static void
assert_word(const char *s, const char *want)
{
	char *got = word(s);

	ck_assert_str_eq(got, want);
	free(got);
}

/* want NULL: the value is refused. */
static void
assert_value(const char *s, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	if (want == NULL)
		ck_assert_int_eq(export_value(&sb, s), -1);
	else {
		ck_assert_int_eq(export_value(&sb, s), 0);
		ck_assert_str_eq(sb.buf, want);
	}
	strbuf_release(&sb);
}

static void
assert_app(const char *root, const char *want)
{
	char *got = export_app_name(root);

	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(test_export_exec_words)
{
	assert_word("/usr/bin/formationd", "/usr/bin/formationd");
	assert_word("web=2,all=1", "web=2,all=1");
	assert_word("", "\"\"");
	assert_word("/srv/my app", "\"/srv/my app\"");
	assert_word("100%", "100%%");
	assert_word("$HOME", "$$HOME");
	assert_word("a b%c$d", "\"a b%%c$$d\"");
	assert_word("say \"hi\"", "\"say \\\"hi\\\"\"");
	assert_word("it's", "\"it's\"");
	assert_word("back\\slash", "\"back\\\\slash\"");
	assert_word(";", "\";\"");
	assert_word("a\nb\tc\rd\x01" "e\x7f", "\"a\\nb\\tc\\rd\\x01e\\x7f\"");
	assert_word("caf\xc3\xa9", "caf\xc3\xa9");
	assert_word("bad\xff\xc3", "\"bad\\xff\\xc3\"");
	assert_word("\xed\xa0\x80", "\"\\xed\\xa0\\x80\"");
}
END_TEST

START_TEST(test_export_values)
{
	assert_value("/srv/my app", "/srv/my app");
	assert_value("/srv/100%/x", "/srv/100%%/x");
	assert_value("/srv/$HOME/\"q\"/it's/a\\b",
	    "/srv/$HOME/\"q\"/it's/a\\b");
	assert_value("caf\xc3\xa9", "caf\xc3\xa9");
	assert_value("", NULL);
	assert_value(" lead", NULL);
	assert_value("trail ", NULL);
	assert_value("ends\\", NULL);
	assert_value("new\nline", NULL);
	assert_value("tab\there", NULL);
	assert_value("bad\xff", NULL);
}
END_TEST

START_TEST(test_export_app_names)
{
	assert_app("/srv/myapp", "myapp");
	assert_app("/tmp/my app%1", "my-app-1");
	assert_app("/srv/caf\xc3\xa9", "caf");
	assert_app("/srv/.hidden", "hidden");
	assert_app("/srv/web_v2.1", "web_v2.1");
	assert_app("/", "app");
	assert_app("/srv/%%%", "app");
}
END_TEST

/* The unit of /srv/a b%1, as root exporting for deploy. */
static void
unit_init(struct export_unit *u)
{
	static char *argv[] = { "/opt/f d/formationd", "-C", "/srv/a b%1",
		"-m", "web=2" };

	memset(u, 0, sizeof *u);
	u->name = "formation-a-b-1";
	u->description = "formation: a b%1";
	u->user = "deploy";
	u->root = "/srv/a b%1";
	u->argv = argv;
	u->argc = 5;
	u->cli = "/opt/f d/formation";
	u->timeout_ms = 15000;
	u->systemd = 252;
	u->harden = 1;
}

static char *
unit_text(const struct export_unit *u)
{
	struct strbuf sb = STRBUF_INIT;
	char *err = NULL;

	ck_assert_int_eq(export_unit(&sb, u, &err), 0);
	ck_assert_ptr_null(err);
	return strbuf_detach(&sb, NULL);
}

static void
assert_line(const char *text, const char *line, int present)
{
	char *want;

	xasprintf(&want, "\n%s\n", line);
	if (present)
		ck_assert_msg(strstr(text, want) != NULL, "no line '%s' in:\n%s",
		    line, text);
	else
		ck_assert_msg(strstr(text, want) == NULL, "a line '%s' in:\n%s",
		    line, text);
	free(want);
}

START_TEST(test_export_unit)
{
	struct export_unit u;
	char *text;

	unit_init(&u);
	text = unit_text(&u);
	ck_assert_str_eq(text,
	    "# Made by 'formation export systemd'; see formationd(8).\n"
	    "[Unit]\n"
	    "Description=formation: a b%%1\n"
	    "After=network.target\n"
	    "\n"
	    "[Service]\n"
	    "Type=notify\n"
	    "User=deploy\n"
	    "WorkingDirectory=/srv/a b%%1\n"
	    "ExecStart=\"/opt/f d/formationd\" -C \"/srv/a b%%1\" -m web=2 "
	    "--socket %t/formation-a-b-1/formation.sock\n"
	    "ExecReload=\"/opt/f d/formation\" "
	    "--socket %t/formation-a-b-1/formation.sock reload\n"
	    "KillMode=mixed\n"
	    "TimeoutStopSec=15\n"
	    "RuntimeDirectory=formation-a-b-1\n"
	    "RuntimeDirectoryMode=0700\n"
	    "Restart=on-failure\n"
	    "RestartSec=5\n"
	    "RestartPreventExitStatus=78\n"
	    "WatchdogSec=30\n"
	    "\n"
	    "# The sandbox: see Hardening in formationd(8); --no-harden "
	    "leaves it out.\n"
	    "NoNewPrivileges=yes\n"
	    "RestrictSUIDSGID=yes\n"
	    "RestrictRealtime=yes\n"
	    "RestrictNamespaces=yes\n"
	    "LockPersonality=yes\n"
	    "SystemCallArchitectures=native\n"
	    "SystemCallFilter=@system-service\n"
	    "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6\n"
	    "UMask=0027\n"
	    "ProtectSystem=strict\n"
	    "PrivateDevices=yes\n"
	    "ProtectKernelTunables=yes\n"
	    "ProtectKernelModules=yes\n"
	    "ProtectKernelLogs=yes\n"
	    "ProtectControlGroups=yes\n"
	    "ProtectClock=yes\n"
	    "ProtectHostname=yes\n"
	    "RemoveIPC=yes\n"
	    "PrivateTmp=yes\n"
	    "ProtectHome=yes\n"
	    "ReadWritePaths=\"/srv/a b%%1\"\n"
	    "CapabilityBoundingSet=\n"
	    "\n"
	    "[Install]\n"
	    "WantedBy=multi-user.target\n");
	free(text);

	/* No user, a stop timeout that is not whole seconds. */
	u.user = NULL;
	u.timeout_ms = 7500;
	text = unit_text(&u);
	ck_assert_ptr_null(strstr(text, "User="));
	assert_line(text, "TimeoutStopSec=7500ms", 1);
	free(text);
}
END_TEST

/* systemd 253 and later: Type=notify-reload, and ExecReload= still, so
 * that a broken file fails the reload. */
START_TEST(test_export_unit_notify_reload)
{
	struct export_unit u;
	char *text;

	unit_init(&u);
	u.systemd = 253;
	text = unit_text(&u);
	assert_line(text, "Type=notify-reload", 1);
	assert_line(text, "Type=notify", 0);
	ck_assert_ptr_nonnull(strstr(text, "\nExecReload="));
	free(text);
	u.systemd = 0;
	text = unit_text(&u);
	assert_line(text, "Type=notify", 1);
	free(text);
}
END_TEST

START_TEST(test_export_unit_user)
{
	struct export_unit u;
	char *text;

	unit_init(&u);
	u.user_unit = 1;
	text = unit_text(&u);
	ck_assert_ptr_null(strstr(text, "User="));
	ck_assert_ptr_null(strstr(text, "After=network.target"));
	assert_line(text, "WantedBy=default.target", 1);
	/* What a user manager cannot set up is left out. */
	assert_line(text, "NoNewPrivileges=yes", 1);
	assert_line(text, "SystemCallFilter=@system-service", 1);
	ck_assert_ptr_null(strstr(text, "CapabilityBoundingSet="));
	ck_assert_ptr_null(strstr(text, "PrivateDevices="));
	ck_assert_ptr_null(strstr(text, "ProtectSystem="));
	ck_assert_ptr_null(strstr(text, "ProtectHome="));
	ck_assert_ptr_null(strstr(text, "ReadWritePaths="));
	free(text);
}
END_TEST

START_TEST(test_export_unit_sandbox)
{
	struct export_unit u;
	char *text;

	unit_init(&u);
	u.harden = 0;
	text = unit_text(&u);
	ck_assert_ptr_null(strstr(text, "sandbox"));
	ck_assert_ptr_null(strstr(text, "NoNewPrivileges"));
	ck_assert_ptr_null(strstr(text, "CapabilityBoundingSet"));
	ck_assert_ptr_null(strstr(text, "AmbientCapabilities"));
	free(text);

	/* Low ports: the one capability, bounded and ambient. */
	u.low_ports = 1;
	text = unit_text(&u);
	assert_line(text, "AmbientCapabilities=CAP_NET_BIND_SERVICE", 1);
	ck_assert_ptr_null(strstr(text, "CapabilityBoundingSet"));
	free(text);
	u.harden = 1;
	text = unit_text(&u);
	assert_line(text, "AmbientCapabilities=CAP_NET_BIND_SERVICE", 1);
	assert_line(text, "CapabilityBoundingSet=CAP_NET_BIND_SERVICE", 1);
	free(text);

	/* A home, read-only; an app in /tmp keeps the real /tmp. */
	u.low_ports = 0;
	u.home = 1;
	u.root = "/tmp/app";
	text = unit_text(&u);
	assert_line(text, "ProtectHome=read-only", 1);
	assert_line(text, "ReadWritePaths=/tmp/app", 1);
	ck_assert_ptr_null(strstr(text, "PrivateTmp"));
	free(text);
}
END_TEST

START_TEST(test_export_unit_refused)
{
	static char *argv[] = { "/usr/bin/formationd" };
	struct export_unit u;
	struct strbuf sb = STRBUF_INIT;
	char *err = NULL;

	unit_init(&u);
	u.argv = argv;
	u.argc = 1;
	u.root = "/srv/x\n";
	ck_assert_int_eq(export_unit(&sb, &u, &err), -1);
	ck_assert_str_eq(err, "WorkingDirectory '/srv/x\n' cannot be "
	    "written in a unit file");
	free(err);
	err = NULL;
	strbuf_reset(&sb);
	/* A quote is fine for WorkingDirectory=, not in a list of paths. */
	u.root = "/srv/it's";
	ck_assert_int_eq(export_unit(&sb, &u, &err), -1);
	ck_assert_str_eq(err, "ReadWritePaths '/srv/it's' cannot be "
	    "written in a unit file");
	free(err);
	err = NULL;
	strbuf_reset(&sb);
	u.harden = 0;
	ck_assert_int_eq(export_unit(&sb, &u, &err), 0);
	strbuf_release(&sb);
}
END_TEST

START_TEST(test_export_names)
{
	ck_assert_int_eq(export_name_ok("formation-shop"), 1);
	ck_assert_int_eq(export_name_ok("shop_2.web"), 1);
	ck_assert_int_eq(export_name_ok("9lives"), 1);
	ck_assert_int_eq(export_name_ok(""), 0);
	ck_assert_int_eq(export_name_ok("-shop"), 0);
	ck_assert_int_eq(export_name_ok(".shop"), 0);
	ck_assert_int_eq(export_name_ok("a@b"), 0);
	ck_assert_int_eq(export_name_ok("a b"), 0);
	ck_assert_int_eq(export_name_ok("a/b"), 0);
	ck_assert_int_eq(export_name_ok("a\\x2db"), 0);
}
END_TEST

START_TEST(test_export_systemd_versions)
{
	ck_assert_int_eq(export_systemd_version(
	    "systemd 252 (252.39-1~deb12u2)\n+PAM +AUDIT\n"), 252);
	ck_assert_int_eq(export_systemd_version("systemd 256 (256.5)"), 256);
	ck_assert_int_eq(export_systemd_version("systemd 253\n"), 253);
	ck_assert_int_eq(export_systemd_version("systemd 25x"), 0);
	ck_assert_int_eq(export_systemd_version("systemd  252"), 0);
	ck_assert_int_eq(export_systemd_version("elogind 252"), 0);
	ck_assert_int_eq(export_systemd_version(""), 0);
}
END_TEST

START_TEST(test_export_homes)
{
	ck_assert_int_eq(export_in_home("/home/deploy/app", NULL), 1);
	ck_assert_int_eq(export_in_home("/home", NULL), 1);
	ck_assert_int_eq(export_in_home("/root/app", NULL), 1);
	ck_assert_int_eq(export_in_home("/run/user/1000/x", NULL), 1);
	ck_assert_int_eq(export_in_home("/homeless/app", NULL), 0);
	ck_assert_int_eq(export_in_home("/srv/app", NULL), 0);
	ck_assert_int_eq(export_in_home("/srv/app", "/srv"), 1);
	ck_assert_int_eq(export_in_home("/srv/app", "/srv/"), 1);
	ck_assert_int_eq(export_in_home("/srvx/app", "/srv"), 0);
	/* A HOME of / or relative makes no home of everything. */
	ck_assert_int_eq(export_in_home("/srv/app", "/"), 0);
	ck_assert_int_eq(export_in_home("/srv/app", "srv"), 0);
}
END_TEST

static Suite *
export_suite(void)
{
	Suite *s = suite_create("export");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_export_exec_words);
	tcase_add_test(tc, test_export_values);
	tcase_add_test(tc, test_export_app_names);
	tcase_add_test(tc, test_export_unit);
	tcase_add_test(tc, test_export_unit_notify_reload);
	tcase_add_test(tc, test_export_unit_user);
	tcase_add_test(tc, test_export_unit_sandbox);
	tcase_add_test(tc, test_export_unit_refused);
	tcase_add_test(tc, test_export_names);
	tcase_add_test(tc, test_export_systemd_versions);
	tcase_add_test(tc, test_export_homes);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(export_suite)
