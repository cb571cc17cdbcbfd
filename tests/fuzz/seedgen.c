/*
 * Seeds the fuzz targets cannot take from a text corpus: valid protocol
 * frames, made by the real encoder (msg.h), and release files, made by
 * relfile_write(). Usage: seedgen DIR; writes DIR/protocol/ and
 * DIR/relfile/, which must exist.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/msg.h"
#include "common/relfile.h"
#include "common/xmalloc.h"

int	main(int, char **);

static const char *seed_dir;

static void
seed_write(const char *sub, const char *name, const struct strbuf *sb)
{
	char *path;
	FILE *f;

	xasprintf(&path, "%s/%s/%s", seed_dir, sub, name);
	if ((f = fopen(path, "w")) == NULL ||
	    fwrite(sb->buf, 1, sb->len, f) != sb->len || fclose(f) != 0) {
		fprintf(stderr, "seedgen: cannot write '%s': %s\n", path,
		    strerror(errno));
		exit(1);
	}
	free(path);
}

/* A frame of type with the strings of list (u32 count first). */
static void
seed_strings(struct strbuf *sb, uint32_t type, const char *const *list)
{
	uint32_t n = 0;

	msg_new(sb, type);
	while (list[n] != NULL)
		n++;
	msg_put_u32(sb, n);
	for (n = 0; list[n] != NULL; n++)
		msg_put_str(sb, list[n]);
	msg_finish(sb, 0);
}

static void
seed_requests(void)
{
	static const char *const targets[] = { "web", "worker.2", NULL };
	static const char *const none[] = { NULL };
	static const char *const argv[] = { "rake db:migrate", NULL };
	struct strbuf sb = STRBUF_INIT;

	msg_new(&sb, MSG_PS);
	msg_finish(&sb, 0);
	seed_write("protocol", "ps", &sb);
	msg_new(&sb, MSG_SCALE);
	msg_put_u32(&sb, 2);
	msg_put_str(&sb, "web");
	msg_put_u32(&sb, 3);
	msg_put_str(&sb, "worker");
	msg_put_u32(&sb, 0);
	msg_finish(&sb, 0);
	seed_write("protocol", "scale", &sb);
	seed_strings(&sb, MSG_RESTART, none);
	seed_write("protocol", "restart-all", &sb);
	seed_strings(&sb, MSG_STOP, targets);
	seed_write("protocol", "stop", &sb);
	msg_new(&sb, MSG_LOGS);
	msg_put_u32(&sb, 1);
	msg_put_u32(&sb, 100);
	msg_put_u32(&sb, 1);
	msg_put_str(&sb, "web");
	msg_finish(&sb, 0);
	seed_write("protocol", "logs", &sb);
	msg_new(&sb, MSG_ROLLBACK);
	msg_put_u32(&sb, 2);
	msg_finish(&sb, 0);
	seed_write("protocol", "rollback", &sb);
	msg_new(&sb, MSG_ONEOFF);
	msg_put_u32(&sb, ONEOFF_SHELL | ONEOFF_TTY);
	msg_put_str(&sb, "xterm-256color");
	msg_put_u32(&sb, 24);
	msg_put_u32(&sb, 80);
	msg_put_u32(&sb, 1);
	msg_put_str(&sb, argv[0]);
	msg_finish(&sb, 0);
	seed_write("protocol", "oneoff", &sb);
	strbuf_release(&sb);
}

static void
seed_ps_reply(struct strbuf *sb)
{
	msg_new(sb, MSG_PS_REPLY);
	msg_put_str(sb, "v3");
	msg_put_u32(sb, 1);
	msg_put_str(sb, "web.1");
	msg_put_str(sb, "web");
	msg_put_u32(sb, 4242);
	msg_put_str(sb, "running");
	msg_put_u32(sb, 5000);
	msg_put_u32(sb, 1);
	msg_put_u64(sb, 1717171717);
	msg_put_u32(sb, MSG_NO_STATUS);
	msg_put_str(sb, "v3");
	msg_put_str(sb, "bundle exec puma -p $PORT");
	msg_put_str(sb, "a1b2c3d");
	msg_put_u32(sb, 1);
	msg_put_u64(sb, 1717171800);
	msg_put_str(sb, "");
	msg_put_u32(sb, 0);
	msg_put_str(sb, "a1b2c3d");
	msg_put_u32(sb, 1);
	msg_put_str(sb, "web");
	msg_put_str(sb, "web");
	msg_put_str(sb, "tcp:0.0.0.0:5000");
	msg_put_u32(sb, 3);
	msg_finish(sb, 0);
}

static void
seed_releases_reply(struct strbuf *sb)
{
	msg_new(sb, MSG_RELEASES_REPLY);
	msg_put_u32(sb, 1);
	msg_put_u32(sb, 1);
	msg_put_u64(sb, 1717171717);
	msg_put_u32(sb, 1);
	msg_put_u32(sb, 1);
	msg_put_str(sb, "web");
	msg_put_str(sb, "python -m http.server $PORT");
	msg_put_u32(sb, 2);
	msg_put_str(sb, "PATH");
	msg_put_str(sb, "DATABASE_URL");
	msg_finish(sb, 0);
}

static void
seed_replies(void)
{
	struct strbuf sb = STRBUF_INIT;
	size_t start;

	seed_ps_reply(&sb);
	seed_write("protocol", "ps-reply", &sb);
	seed_releases_reply(&sb);
	seed_write("protocol", "releases-reply", &sb);
	msg_new(&sb, MSG_ENV_REPLY);
	msg_put_str(&sb, "v1");
	msg_put_u32(&sb, 1);
	msg_put_str(&sb, "PORT");
	msg_put_str(&sb, "5000");
	msg_put_str(&sb, ".env:1");
	msg_finish(&sb, 0);
	seed_write("protocol", "env-reply", &sb);
	/* A stream: an error, a log line, the end of the log. */
	msg_new(&sb, MSG_ERROR);
	msg_put_u32(&sb, 1);
	msg_put_str(&sb, "no such process 'db'");
	msg_finish(&sb, 0);
	start = sb.len;
	strbuf_add(&sb, &(struct msg_hdr){ PROTOCOL_VERSION, MSG_LOG_LINE, 0 },
	    sizeof(struct msg_hdr));
	msg_put_str(&sb, "web.1");
	msg_put_u64(&sb, 1717171717);
	msg_put_bytes(&sb, "listening on :5000", 18);
	msg_finish(&sb, start);
	start = sb.len;
	strbuf_add(&sb, &(struct msg_hdr){ PROTOCOL_VERSION, MSG_LOG_END, 0 },
	    sizeof(struct msg_hdr));
	msg_finish(&sb, start);
	seed_write("protocol", "stream", &sb);
	strbuf_release(&sb);
}

static void
seed_proc(struct release *r, const char *name, const char *command,
    const char *origin)
{
	release_add_proc(r, name, command, origin);
}

/* worker on a pty, stopped with SIGQUIT after 2.5 s; web the defaults. */
static void
seed_settings(struct release *r)
{
	static const char ini[] = "[process.worker]\ntty = true\n"
	    "stop_signal = QUIT\ntimeout = 2.5\n";
	struct settings s;
	struct diags d;

	settings_init(&s);
	diags_init(&d);
	if (config_parse(&s, "formation.ini", ini, sizeof ini - 1, &d) == 0)
		release_set_settings(r, &s);
	diags_release(&d);
	settings_release(&s);
}

static void
seed_release(const char *name, struct release *r)
{
	struct strbuf sb = STRBUF_INIT;

	release_hash(r);
	relfile_write(r, &sb);
	seed_write("relfile", name, &sb);
	strbuf_release(&sb);
	release_release(r);
}

static void
seed_releases(void)
{
	struct release r;

	release_init(&r);
	r.version = 3;
	r.created_at = 1717171717;
	r.root = xstrdup("/srv/my app");
	seed_proc(&r, "web", "bundle exec puma -p $PORT", "Procfile:1");
	seed_proc(&r, "worker", "sidekiq -c 5", "Procfile:2");
	env_set(&r.env, "PATH", "/usr/bin:/bin", "inherited");
	env_set(&r.env, "DATABASE_URL", "postgres://db/app", ".env:2");
	env_set(&r.file_env, "DATABASE_URL", "postgres://db/app", ".env:2");
	seed_settings(&r);
	r.code.commit = xstrdup("9f8e7d6c5b4a39281706f5e4d3c2b1a098765432");
	r.code.diff = xstrdup("5e3a09f1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaa");
	seed_release("plain", &r);

	r.version = 1;
	r.root = xstrdup("/");
	seed_proc(&r, "run", "", "Procfile:1");
	env_set(&r.env, "TABS", "a\tb\\c\r\n\x01\x7f caf\xc3\xa9", ".env:1");
	env_set(&r.env, "EMPTY", "", ".env:2");
	seed_release("awkward", &r);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: seedgen DIR\n");
		return 2;
	}
	seed_dir = argv[1];
	seed_requests();
	seed_replies();
	seed_releases();
	return 0;
}
