/*
 * The control protocol between formation and formationd
 * (docs/protocol.md). A Unix stream socket carries frames: a fixed header
 * in host byte order, then length bytes of payload built and read with
 * msg.h. File descriptors travel as SCM_RIGHTS on the header's first byte.
 *
 * Message numbers are never reused or renumbered: requests 100-199,
 * replies 200-299, streamed events 300-399.
 */
#ifndef PROTOCOL_H
#define PROTOCOL_H

#include <stdint.h>

#define PROTOCOL_VERSION	1
#define MSG_MAX			(4 * 1024 * 1024) /* payload bytes: a whole
						 * environment fits */
#define MSG_MAXFDS		3		/* fds on one message */

struct msg_hdr {
	uint32_t	version;
	uint32_t	type;
	uint32_t	length;		/* of the payload */
};

enum msg_type {
	/* Requests, formation -> formationd. */
	MSG_PS = 100,		/* - */
	MSG_SCALE = 101,	/* u32 n, n x (str type, u32 count) */
	MSG_RESTART = 102,	/* u32 n, n x str target (n = 0: all) */
	MSG_STOP = 103,		/* u32 n, n x str target */
	MSG_START = 104,	/* u32 n, n x str target */
	MSG_LOGS = 105,		/* u32 follow, u32 lines, u32 n, n x str */
	MSG_DOWN = 106,		/* - */
	MSG_ENV = 107,		/* - */
	MSG_RELOAD = 108,	/* [u32 flags [u32 parallel]] */
	MSG_RELEASES = 109,	/* - */
	MSG_ROLLBACK = 110,	/* u32 version, [u32 flags [u32 parallel]] */
	MSG_ONEOFF = 111,	/* u32 flags, str term, u32 rows, u32 cols,
				 * u32 argc, argc x str; 3 fds unless
				 * ONEOFF_TTY or ONEOFF_DETACH */
	MSG_SIGNAL = 112,	/* u32 signal, to this connection's one-off */
	MSG_RESTART_NOW = 125,	/* as MSG_RESTART, every target at once
				 * (restart --all-at-once), not rolling */
	MSG_RESTART_WAIT = 126,	/* as MSG_RESTART, answered once the roll
				 * it starts ends (MSG_PROGRESS first) */
	MSG_RELEASE_GET = 140,	/* u32 version */
	MSG_KILL = 151,		/* u32 signal, u32 n, n x str target
				 * (n >= 1) */
	MSG_LOGS_QUERY = 160,	/* u32 flags (LOGS_*), u32 lines (LOGS_ALL),
				 * u64 since (ms since the epoch; 0: all),
				 * u32 n, n x str target; answered with
				 * MSG_LOG_ENTRY, not MSG_LOG_LINE */
	MSG_USAGE = 161,	/* [u32 flags (USAGE_*)]: CPU and memory
				 * of each process (daemon/usage.h) */
	MSG_RUN = 150,		/* a one-off with options: u32 flags,
				 * str term, u32 rows, u32 cols, u32 port
				 * (0: none asked for), u32 nenv, nenv x
				 * str "KEY=VALUE", u32 argc, argc x str;
				 * fds as MSG_ONEOFF */

	/* Replies, formationd -> formation. */
	MSG_OK = 200,		/* str message (may be empty) */
	MSG_ERROR = 201,	/* u32 exit status, str message */
	MSG_PS_REPLY = 202,	/* str release, u32 n, n x ps record,
				 * str code, u32 n, n x (str type,
				 * str name, str address, u32 fd) */
	MSG_ENV_REPLY = 203,	/* str release, u32 n, n x (str key,
				 * str value, str origin) */
	MSG_RELEASES_REPLY = 204, /* u32 n, n x release record */
	MSG_RELEASE_REPLY = 230,
	MSG_USAGE_REPLY = 250,	/* u32 window (ms), u32 n, n x (str name,
				 * u32 cpu (hundredths of a percent of one
				 * CPU; UINT32_MAX: not known), u64 rss
				 * (bytes), u32 processes) */ /* u32 current, str release file */

	/* Streamed events, formationd -> formation. */
	MSG_LOG_LINE = 300,	/* str name, u64 time, bytes text */
	MSG_LOG_END = 301,	/* - */
	MSG_ONEOFF_STARTED = 302, /* str name, u32 pid; the pty master
				 * as an fd with ONEOFF_TTY */
	MSG_ONEOFF_EXIT = 303,	/* u32 wait status */
	MSG_LOG_SKIPPED = 325,	/* u64 lines: a follower fell behind, and
				 * that many of its lines were not sent */
	MSG_ONEOFF_WARNING = 330, /* str text; before MSG_ONEOFF_STARTED
				 * (or MSG_RUN_STARTED) */
	MSG_LOG_COLORS = 321,	/* u32 n, n x (str type, u32 color): for
				 * LOGS_COLORS, before the lines */
	MSG_LOG_LIVE = 322,	/* -: for LOGS_LIVE, between the kept
				 * lines and the new ones */
	MSG_PROGRESS = 320,	/* str text: the answer will take a
				 * while (a release phase runs); the
				 * caller waits for it without a limit */
	MSG_LOG_ENTRY = 350,	/* str name, u64 time (ms since the epoch),
				 * u32 stream (LOG_STREAM_*), bytes text */
	MSG_RUN_STARTED = 340,	/* for MSG_RUN: str name, u32 pid, u32 port
				 * (0: none); the pty master as for
				 * MSG_ONEOFF_STARTED */
};

/* MSG_RELOAD and MSG_ROLLBACK flags, an optional u32 after the payload. */
#define RELOAD_NO_RELEASE_PHASE	0x1	/* --no-release-phase */
#define RELOAD_STRICT		0x2	/* --strict: warnings are errors */
#define RELOAD_PARALLEL		0x4	/* --parallel N: a u32 N follows
					 * the flags */

/* MSG_LOGS_QUERY flags. */
#define LOGS_FOLLOW	0x1	/* then every new line, until the peer goes */
#define LOGS_LIVE	0x4	/* with LOGS_FOLLOW: MSG_LOG_LIVE once the
				 * kept lines are out */
#define LOGS_COLORS	0x2	/* first MSG_LOG_COLORS: the colour
				 * (common/color.h) of each type, as
				 * formation up shows it */
#define LOGS_ALL	UINT32_MAX	/* lines: no limit */

/* MSG_USAGE flags. */
#define USAGE_WAIT	0x1	/* with no CPU figures yet, answer at the
				 * second sample, USAGE_FIRST later */

/* MSG_LOG_ENTRY streams: unknown when stdout and stderr share a pipe. */
#define LOG_STREAM_UNKNOWN	0
#define LOG_STREAM_STDOUT	1
#define LOG_STREAM_STDERR	2

/* MSG_ONEOFF and MSG_RUN flags. */
#define ONEOFF_SHELL	0x1	/* argv[0] is a command for /bin/sh -c */
#define ONEOFF_TTY	0x2	/* the daemon opens a pty, sends the master */
#define ONEOFF_DETACH	0x4	/* output to the daemon's log */
#define ONEOFF_TYPE	0x8	/* argv[0] is a process type: run its
				 * command with argv[1..] appended */
#define ONEOFF_STRICT	0x10	/* refuse when the work tree's code is
				 * not the release's */
#define ONEOFF_LISTEN	0x20	/* with ONEOFF_TYPE: the sockets the
				 * daemon holds for the type, passed as
				 * to its instances (daemon/sockets.h) */

/*
 * A ps record: str name, str type, u32 pid (0: none), str state,
 * u32 port, u32 restarts, u64 started_at (0: never), u32 last_status
 * (a wait status; UINT32_MAX: none), str release ("v3"), str command,
 * str code, u32 signal (the last one formation kill sent; 0: none),
 * u64 signalled_at (when; 0: never), str status (the last STATUS= its
 * group sent to NOTIFY_SOCKET; "": none), u32 shell (PS_SHELL,
 * PS_LAST_SHELL).
 *
 * A release record: u32 version, u64 created_at, u32 current,
 * u32 nprocs, nprocs x (str name, str command), u32 nkeys, nkeys x str,
 * str code, str reason, str summary ("" when not known), str status.
 */
#define MSG_NO_STATUS	UINT32_MAX

/* A ps record's shell: whose the pid and the last status are. */
#define PS_SHELL	0x1	/* the pid is /bin/sh's, running a command
				 * it keeps (not one simple command) */
#define PS_LAST_SHELL	0x2	/* last_status is such a shell's, not that
				 * of a program it ran */

#endif
