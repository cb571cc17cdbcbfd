#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/procenv.h"
#include "common/protocol.h"
#include "common/release.h"
#include "common/runcmd.h"
#include "common/strbuf.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "tests/unit/unit.h"

static void
make_release(struct release *r)
{
	release_init(r);
	r->version = 7;
	r->root = xstrdup("/srv/app");
	env_set(&r->env, "PATH", "/usr/bin:/bin", "inherited");
	env_set(&r->env, "GREETING", "hello", ".env:1");
	release_add_proc(r, "web", "puma -p $PORT", "Procfile:1");
	release_add_proc(r, "braces", "rails s -p ${PORT:-3000}", "Procfile:2");
	release_add_proc(r, "worker", "sidekiq -q $PORTAL", "Procfile:3");
	release_add_proc(r, "clock", "bin/clock", "Procfile:4");
}

static int
uses_port(const struct release *r, const char *type)
{
	const char *argv[] = { type, NULL };
	struct runcmd cmd;
	char err[256];
	int uses;

	ck_assert_int_eq(runcmd_resolve(&cmd, r, ONEOFF_TYPE, 1, argv, err,
	    sizeof err), 0);
	uses = cmd.uses_port;
	runcmd_release(&cmd);
	return uses;
}

START_TEST(test_runcmd_port_readers)
{
	struct release r;

	make_release(&r);
	ck_assert_int_eq(uses_port(&r, "web"), 1);
	ck_assert_int_eq(uses_port(&r, "braces"), 1);
	ck_assert_int_eq(uses_port(&r, "worker"), 0);
	ck_assert_int_eq(uses_port(&r, "clock"), 0);
	release_release(&r);
}
END_TEST

START_TEST(test_runcmd_resolve)
{
	const char *type[] = { "clock", "--once", "a b" };
	const char *unknown[] = { "nope" };
	const char *missing[] = { "no-such-program-here", "x" };
	const char *shell[] = { "echo $GREETING" };
	struct runcmd cmd;
	struct release r;
	char err[256];

	make_release(&r);
	ck_assert_int_eq(runcmd_resolve(&cmd, &r, ONEOFF_TYPE, 3, type, err,
	    sizeof err), 0);
	ck_assert_str_eq(cmd.argv[2], "exec bin/clock --once 'a b'");
	ck_assert_str_eq(cmd.words[2], "a b");
	runcmd_release(&cmd);
	ck_assert_int_eq(runcmd_resolve(&cmd, &r, ONEOFF_TYPE, 1, unknown, err,
	    sizeof err), 1);
	ck_assert_str_eq(err, "unknown process type 'nope' (types: web, "
	    "braces, worker, clock)");
	ck_assert_int_eq(runcmd_resolve(&cmd, &r, 0, 2, missing, err,
	    sizeof err), 127);
	ck_assert_str_eq(err, "command not found: 'no-such-program-here'");
	ck_assert_int_eq(runcmd_resolve(&cmd, &r, ONEOFF_SHELL, 1, shell, err,
	    sizeof err), 0);
	ck_assert_str_eq(cmd.argv[0], "/bin/sh");
	ck_assert_str_eq(cmd.display, "echo $GREETING");
	ck_assert_ptr_null(cmd.words);
	runcmd_release(&cmd);
	release_release(&r);
}
END_TEST

static const char *
get(char **envp, const char *key)
{
	size_t len = strlen(key);

	for (; *envp != NULL; envp++) {
		if (strncmp(*envp, key, len) == 0 && (*envp)[len] == '=')
			return *envp + len + 1;
	}
	return NULL;
}

START_TEST(test_procenv_build)
{
	char *added[] = { "GREETING=over", "PORT=9", "NEW=a=b", NULL };
	struct procenv pe = { "run.3", 4000, 0, NULL, NULL };
	struct strbuf sb = STRBUF_INIT;
	struct release r;
	char **envp;

	make_release(&r);
	envp = procenv_build(&r, &pe);
	ck_assert_str_eq(get(envp, "PS"), "run.3");
	ck_assert_str_eq(get(envp, "FORMATION_RELEASE"), "v7");
	ck_assert_str_eq(get(envp, "PORT"), "4000");
	ck_assert_str_eq(get(envp, "PWD"), "/srv/app");
	ck_assert_str_eq(get(envp, "GREETING"), "hello");
	ck_assert_ptr_null(get(envp, "TERM"));
	strv_free(envp);
	/* Added variables win over the release and formation's own. */
	pe.added = added;
	pe.port = 0;
	envp = procenv_build(&r, &pe);
	ck_assert_str_eq(get(envp, "GREETING"), "over");
	ck_assert_str_eq(get(envp, "PORT"), "9");
	ck_assert_str_eq(get(envp, "NEW"), "a=b");
	strv_free(envp);
	procenv_keys(&sb, added);
	ck_assert_str_eq(sb.buf, "GREETING, PORT, NEW");
	strbuf_release(&sb);
	release_release(&r);
}
END_TEST

START_TEST(test_procenv_valid)
{
	ck_assert_int_eq(procenv_valid("A=1"), 1);
	ck_assert_int_eq(procenv_valid("_x9="), 1);
	ck_assert_int_eq(procenv_valid("A"), 0);
	ck_assert_int_eq(procenv_valid("=1"), 0);
	ck_assert_int_eq(procenv_valid("9A=1"), 0);
	ck_assert_int_eq(procenv_valid("A-B=1"), 0);
	ck_assert_int_eq(procenv_valid("A B=1"), 0);
	ck_assert_int_eq(procenv_valid(""), 0);
}
END_TEST

/* An env file's socket-activation variables reach no process: only the
 * daemon sets them, for the sockets it passes. */
START_TEST(test_procenv_activation)
{
	struct procenv pe = { "web.1", 0, 0, NULL, NULL };
	struct release r;
	char **envp;

	ck_assert_int_eq(procenv_activation("LISTEN_FDS=1"), 1);
	ck_assert_int_eq(procenv_activation("LISTEN_PID"), 1);
	ck_assert_int_eq(procenv_activation("LISTEN_FDNAMES=web"), 1);
	ck_assert_int_eq(procenv_activation("SERVER_STARTER_PORT=5000=3"), 1);
	ck_assert_int_eq(procenv_activation("EINHORN_FD_COUNT=1"), 1);
	ck_assert_int_eq(procenv_activation("EINHORN_FDS=3"), 1);
	ck_assert_int_eq(procenv_activation("LISTEN_FDSX=1"), 0);
	ck_assert_int_eq(procenv_activation("LISTEN=1"), 0);
	ck_assert_int_eq(procenv_activation("MY_LISTEN_FDS=1"), 0);
	make_release(&r);
	env_set(&r.env, "LISTEN_FDS", "9", ".env:2");
	env_set(&r.env, "EINHORN_FD_0", "9", ".env:3");
	env_set(&r.env, "LISTEN_ADDR", ":80", ".env:4");
	envp = procenv_build(&r, &pe);
	ck_assert_ptr_null(get(envp, "LISTEN_FDS"));
	ck_assert_ptr_null(get(envp, "EINHORN_FD_0"));
	ck_assert_str_eq(get(envp, "LISTEN_ADDR"), ":80");
	ck_assert_str_eq(get(envp, "GREETING"), "hello");
	strv_free(envp);
	release_release(&r);
}
END_TEST

START_TEST(test_runcmd_port)
{
	struct sockaddr_in sin;
	int port, avoid[1], fd;

	port = runcmd_port(NULL, 0);
	ck_assert_int_gt(port, 0);
	/* Free indeed: we can bind it. */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((unsigned short)port);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	/* Held now: the next one differs, and never one to avoid. */
	avoid[0] = port + 1;
	port = runcmd_port(avoid, 1);
	ck_assert_int_gt(port, 0);
	ck_assert_int_ne(port, avoid[0]);
	ck_assert_int_ne(port, ntohs(sin.sin_port));
	close(fd);
}
END_TEST

static Suite *
runcmd_suite(void)
{
	Suite *s = suite_create("runcmd");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_runcmd_port_readers);
	tcase_add_test(tc, test_runcmd_resolve);
	tcase_add_test(tc, test_procenv_build);
	tcase_add_test(tc, test_procenv_valid);
	tcase_add_test(tc, test_procenv_activation);
	tcase_add_test(tc, test_runcmd_port);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_MAIN(runcmd_suite)
