#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/remote.h"
#include "common/strbuf.h"
#include "tests/unit/unit.h"

/* What cli/main.c defines for the rest of the CLI. */
struct cli_globals cli_globals = { NULL, NULL, -1, NULL, NULL, 0, NULL };

void
cli_error(const char *fmt, ...)
{
}

void
cli_errno(const char *fmt, ...)
{
}

/* The parts of url as "user|host|port|dir", "-" for none; or the error. */
static const char *
parse(const char *url)
{
	static char out[512];
	struct remote r;
	char err[256];

	if (remote_parse(url, &r, err, sizeof err) == -1) {
		snprintf(out, sizeof out, "error: %s", err);
		return out;
	}
	snprintf(out, sizeof out, "%s|%s|%s|%s", r.user ? r.user : "-",
	    r.host, r.port ? r.port : "-", r.dir ? r.dir : "-");
	remote_release(&r);
	return out;
}

START_TEST(test_remote_parse)
{
	ck_assert_str_eq(parse("ssh://web1"), "-|web1|-|-");
	ck_assert_str_eq(parse("ssh://deploy@web1:2222/srv/shop"),
	    "deploy|web1|2222|/srv/shop");
	ck_assert_str_eq(parse("ssh://web1/srv/shop"), "-|web1|-|/srv/shop");
	ck_assert_str_eq(parse("ssh://web1/"), "-|web1|-|-");
	ck_assert_str_eq(parse("ssh://a@b@web1"), "a@b|web1|-|-");
	ck_assert_str_eq(parse("ssh://[::1]:22/x"), "-|::1|22|/x");
	ck_assert_str_eq(parse("ssh://u@[fe80::1]"), "u|fe80::1|-|-");
	/* An @ in the path is the path's. */
	ck_assert_str_eq(parse("ssh://web1/srv/a@b"), "-|web1|-|/srv/a@b");
}
END_TEST

START_TEST(test_remote_parse_bad)
{
	ck_assert_str_eq(parse("web1"),
	    "error: not ssh://[USER@]HOST[:PORT][/DIR]");
	ck_assert_str_eq(parse("http://web1"),
	    "error: not ssh://[USER@]HOST[:PORT][/DIR]");
	ck_assert_str_eq(parse("ssh://"), "error: no host name");
	ck_assert_str_eq(parse("ssh://u@"), "error: no host name");
	ck_assert_str_eq(parse("ssh://@web1"), "error: no user name before '@'");
	/* Never an option for ssh. */
	ck_assert_str_eq(parse("ssh://-oProxyCommand=x"), "error: no host name");
	ck_assert_str_eq(parse("ssh://-lroot@web1"),
	    "error: no user name before '@'");
	ck_assert_str_eq(parse("ssh://web1:0"), "error: bad port '0'");
	ck_assert_str_eq(parse("ssh://web1:65536"), "error: bad port '65536'");
	ck_assert_str_eq(parse("ssh://web1:"), "error: bad port ''");
	ck_assert_str_eq(parse("ssh://web1:x/y"), "error: bad port 'x'");
	ck_assert_str_eq(parse("ssh://[::1"), "error: no ']' after '['");
	ck_assert_str_eq(parse("ssh://[::1]x"),
	    "error: unexpected 'x' after the host");
}
END_TEST

static const char *
command(char *dir, const struct cli_globals *g, int argc, char **argv)
{
	static char out[1024];
	struct remote r = { NULL, NULL, NULL, dir };
	struct strbuf sb = STRBUF_INIT;

	remote_command(&sb, &r, g, argc, argv);
	snprintf(out, sizeof out, "%s", sb.buf);
	strbuf_release(&sb);
	return out;
}

START_TEST(test_remote_command)
{
	struct cli_globals g = { NULL, NULL, -1, NULL, NULL, 0, NULL };
	char *ps[] = { "ps", "--json" };
	char *echo[] = { "oneoff", "echo $HOME" };
	char *args[] = { "oneoff", "printf", "%s\n", "it's", "" };

	ck_assert_str_eq(command(NULL, &g, 2, ps), "formation ps --json");
	ck_assert_str_eq(command("/srv/my shop", &g, 2, echo),
	    "formation -C '/srv/my shop' oneoff 'echo $HOME'");
	ck_assert_str_eq(command(NULL, &g, 5, args),
	    "formation oneoff printf '%s\n' 'it'\\''s' ''");
	g.remote_formation = "/opt/formation/bin/formation";
	g.socket = "/run/shop/formation.sock";
	g.color = 0;
	ck_assert_str_eq(command("/srv/shop", &g, 2, ps),
	    "/opt/formation/bin/formation -C /srv/shop --socket "
	    "/run/shop/formation.sock --no-color ps --json");
	g.remote_formation = "~/bin/formation";
	g.socket = NULL;
	g.color = 1;
	g.root = "shop";
	ck_assert_str_eq(command(NULL, &g, 2, ps),
	    "~/bin/formation -C shop --color ps --json");
	g.remote_formation = "~/my bin/f";
	ck_assert_str_eq(command(NULL, &g, 1, ps),
	    "~/'my bin/f' -C shop --color ps");
	/* --timeout goes along when given, as given. */
	g.timeout_arg = "0.5";
	ck_assert_str_eq(command(NULL, &g, 1, ps),
	    "~/'my bin/f' -C shop --color --timeout 0.5 ps");
}
END_TEST

static Suite *
remote_suite(void)
{
	Suite *s = suite_create("remote");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_remote_parse);
	tcase_add_test(tc, test_remote_parse_bad);
	tcase_add_test(tc, test_remote_command);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(remote_suite)
