#!/usr/bin/env python3
"""The tables of a bench run: medians, ratios and targets.

report.py [--only SCENARIO] [--write FILE] [--commands FILE] RESULTS

RESULTS holds "scenario <TAB> tool <TAB> metric <TAB> value" lines (see
bench/lib.sh). The tables go to stdout; with --write, they also replace
the part of FILE between "<!-- bench:begin -->" and "<!-- bench:end -->"
(the rest of FILE, the analysis written by hand, is kept), with the
exact commands from --commands.
"""
import os
import statistics
import sys
from collections import defaultdict

BEGIN = "<!-- bench:begin -->"
END = "<!-- bench:end -->"
NAMES = {
    "sh": "`sh -c true`",
    "raw": "bare pipes",
    "formation": "formation",
    "formation-pty": "formation (pty)",
    "formation-started": "formation",
    "formation-inplace": "formation",
    "formation-1": "formation, web=1",
    "formation-inplace-1": "formation, web=1",
    "foreman": "foreman",
    "nf": "node-foreman",
    "supervisord": "supervisord",
}
NA = "not available"


class Results:
    def __init__(self, path):
        self.values = defaultdict(list)
        with open(path) as f:
            for line in f:
                parts = line.rstrip("\n").split("\t", 3)
                if len(parts) == 4:
                    self.values[tuple(parts[:3])].append(parts[3])

    def all(self, scenario, tool, metric):
        return self.values.get((scenario, tool, metric), [])

    def med(self, scenario, tool, metric):
        v = [float(x) for x in self.all(scenario, tool, metric)]
        return statistics.median(v) if v else None

    def one(self, scenario, tool, metric, default=""):
        v = self.all(scenario, tool, metric)
        return v[-1] if v else default

    def scenarios(self, prefix):
        found = sorted({k[0] for k in self.values
                        if k[0].startswith(prefix + "-")},
                       key=lambda s: int(s.rsplit("-", 1)[1]))
        return found

    def unavailable(self, scenario, tool):
        return bool(self.all(scenario, tool, "unavailable"))

    def ran(self, scenario, tool):
        return any(k[0] == scenario and k[1] == tool for k in self.values)


def fmt_ms(s):
    return "%.2f ms" % (s * 1000) if s < 0.1 else "%.3f s" % s


def fmt_rate(r):
    if r >= 1e6:
        return "%.2fM" % (r / 1e6)
    if r >= 1e3:
        return "%.0fk" % (r / 1e3)
    return "%.0f" % r


def ratio(a, b):
    if a is None or b is None or b == 0:
        return ""
    return "%.2f×" % (a / b) if a / b < 100 else "%.0f×" % (a / b)


def table(head, rows):
    out = ["| " + " | ".join(head) + " |",
           "|" + "|".join(" --- " for _ in head) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


class Report:
    def __init__(self, res):
        self.r = res
        self.targets = []	# (what, measured, met)

    def target(self, what, measured, met):
        self.targets.append((what, measured, met))

    def oneoff(self):
        r = self.r
        base = r.med("oneoff", "sh", "seconds")
        bmin = r.med("oneoff", "sh", "min_s")
        rows = []
        for tool in ("sh", "formation", "formation-pty", "foreman", "nf"):
            s = r.med("oneoff", tool, "seconds")
            cmd = {"sh": "sh -c true", "formation": "formation oneoff true",
                   "formation-pty": "formation oneoff -t true",
                   "foreman": "foreman run true",
                   "nf": "nf run true"}[tool]
            if s is None:
                if tool == "formation-pty":
                    continue
                why = ("not available yet" if tool == "formation"
                       else NA)
                rows.append(["`%s`" % cmd, why, "", "", ""])
                if tool == "formation":
                    self.target("one-off round trip ≤ 2× `sh -c true`",
                                "not available yet", None)
                continue
            mn = r.med("oneoff", tool, "min_s")
            rows.append(["`%s`" % cmd, fmt_ms(s), ratio(s, base),
                         fmt_ms(mn) if mn is not None else "",
                         ratio(mn, bmin)])
            if tool == "formation" and base:
                self.target("one-off round trip ≤ 2× `sh -c true` (median)",
                            "%s, %s (fastest run: %s)" % (
                                fmt_ms(s), ratio(s, base),
                                ratio(mn, bmin) or "?"),
                            s <= 2 * base)
        return ("### One-off round trip\n\nWall time of one run: the median "
                "(what a user sees on this machine) and the fastest run "
                "(the cost without waiting for a CPU), each with its ratio "
                "to `sh -c true`.\n\n" +
                table(["command", "median", "× `sh -c true`", "fastest",
                       "× `sh -c true`"], rows))

    def throughput(self):
        r = self.r
        tools = ("raw", "formation", "follow", "foreman", "nf")
        rows = []
        for scn in r.scenarios("throughput"):
            k = scn.rsplit("-", 1)[1]
            row = [k]
            rates = {}
            for t in tools:
                rate = r.med(scn, t, "lines_per_s")
                if rate is None:
                    row.append(NA if r.unavailable("throughput", t) or
                               t not in ("raw", "formation", "follow")
                               else "failed")
                    continue
                rates[t] = rate
                broken = len(r.all(scn, t, "broken"))
                runs = len(r.all(scn, t, "seconds"))
                cell = fmt_rate(rate) + "/s"
                shown = r.med(scn, t, "shown")
                skipped = r.med(scn, t, "skipped")
                if t == "follow" and shown is not None and skipped:
                    cell += " (logs -f shown %.0f%%)" % (
                        100.0 * shown / (shown + skipped))
                elif t == "follow" and shown is not None:
                    cell += " (logs -f: every line)"
                if broken:
                    cell += " **(lines torn or lost in %d of %d runs)**" % (
                        broken, runs)
                row.append(cell)
            f = rates.get("formation")
            row.append(ratio(f, rates.get("raw")))
            row.append(ratio(f, rates.get("foreman")))
            row.append(ratio(f, rates.get("nf")))
            rows.append(row)
            if f is not None:
                self.target("%s writers: ≥ 2M lines/s" % k,
                            fmt_rate(f) + " lines/s", f >= 2e6)
                fb = len(r.all(scn, "formation", "broken"))
                self.target("%s writers: no line lost or torn" % k,
                            "%d of %d runs broken" % (
                                fb, len(r.all(scn, "formation", "seconds"))),
                            fb == 0)
                if "foreman" in rates:
                    self.target("%s writers: ≥ 25× foreman" % k,
                                ratio(f, rates["foreman"]),
                                f >= 25 * rates["foreman"])
        return ("### Log throughput\n\nLines per second, 100-byte lines, "
                "median of the runs; every line checked whole and in "
                "order. formation + logs -f: the same with a follower "
                "writing to a file, each line shown or counted in a "
                "\"fell behind\" marker.\n\n" +
                table(["writers", "bare pipes", "formation",
                       "formation + logs -f", "foreman",
                       "node-foreman", "formation / bare",
                       "formation / foreman", "formation / node-foreman"],
                      rows))

    def scale(self):
        r = self.r
        out = []
        for scn in r.scenarios("scale"):
            n = scn.rsplit("-", 1)[1]
            rows = []
            fup = r.med(scn, "formation", "up_s")
            fdown = r.med(scn, "formation", "down_s")
            frss = r.med(scn, "formation", "rss_kb")
            for t in ("formation", "foreman", "nf", "supervisord"):
                up = r.med(scn, t, "up_s")
                if up is None and t != "formation" and not r.ran(scn, t):
                    continue	# formation alone (bench/curve.sh)
                if up is None:
                    rows.append([NAMES[t], NA if r.unavailable(scn, t)
                                 else "failed", "", "", "", "", ""])
                    continue
                rss = r.med(scn, t, "rss_kb")
                down = r.med(scn, t, "down_s")
                ex = r.med(scn, t, "exit_s")
                rows.append([
                    NAMES[t], "%.3f s" % up, ratio(up, fup),
                    "%.1f MB" % (rss / 1024) if rss else "",
                    ratio(rss, frss),
                    "%.3f s" % down if down is not None else
                    "**processes left**",
                    "%.3f s" % ex if ex is not None else ""])
            if fup is not None:
                self.target("%s processes up < 1 s" % n, "%.3f s" % fup,
                            fup < 1)
            if fdown is not None:
                self.target("%s processes down < 1 s" % n,
                            "%.3f s" % fdown, fdown < 1)
            if frss is not None:
                self.target("daemon RSS with %s processes < 10 MB" % n,
                            "%.1f MB" % (frss / 1024), frss < 10 * 1024)
            out.append(
                "### Scale: %s processes\n\n`sleep` ×%s: time from start "
                "until all run, the manager's RSS then, time from the stop "
                "request until no process is left, and until the manager "
                "has exited. Ratios: the peer's value over formation's."
                "\n\n" % (n, n) +
                table(["manager", "up", "× formation", "RSS",
                       "× formation", "down", "manager gone"], rows))
        return "\n\n".join(out)

    def chatty(self):
        r = self.r
        out = []
        for scn in r.scenarios("chatty"):
            n = scn.rsplit("-", 1)[1]
            s = r.med(scn, "formation", "seconds")
            rss = r.med(scn, "formation", "rss_kb")
            hwm = r.med(scn, "formation", "hwm_kb")
            kept = r.med(scn, "formation", "lines_kept")
            if s is None:
                continue
            if hwm is not None:
                self.target("daemon RSS with %s chatty processes < 100 MB"
                            % n, "%.1f MB" % (hwm / 1024), hwm < 100 * 1024)
            out.append(
                "### Chatty: %s processes\n\nEach prints 20000 lines of 100 "
                "bytes (2 MB), then sleeps; the daemon keeps their lines "
                "under `log_memory` (64 MiB). Its RSS once all is printed, "
                "its peak, and the lines `formation logs` then has.\n\n"
                % n + table(["manager", "all printed", "RSS", "peak RSS",
                             "lines kept"],
                            [[NAMES["formation"], "%.1f s" % s,
                              "%.1f MB" % (rss / 1024) if rss else "",
                              "%.1f MB" % (hwm / 1024) if hwm else "",
                              "%d" % kept if kept is not None else ""]]))
        return "\n\n".join(out)

    def idle(self):
        r = self.r
        out = []
        for scn in r.scenarios("idle"):
            n = scn.rsplit("-", 1)[1]
            secs = r.one(scn, "formation", "window_s", "10")
            rows = []
            for t in ("formation", "foreman", "nf", "supervisord"):
                cpu = r.med(scn, t, "cpu_ms")
                wk = r.med(scn, t, "wakeups")
                if cpu is None:
                    rows.append([NAMES[t], NA if r.unavailable(scn, t)
                                 else "failed", ""])
                    continue
                rows.append([NAMES[t], "%.2f ms" % cpu, "%d" % wk])
            wk = r.med(scn, "formation", "wakeups")
            if wk is not None:
                self.target("idle with %s processes: 0 wake-ups in %s s"
                            % (n, secs), "%d" % wk, wk == 0)
            out.append("### Idle: %s processes, %s s\n\nThe manager's CPU "
                       "time (all threads) and context switches (each a "
                       "wake-up) over %s s while its processes sleep.\n\n"
                       % (n, secs, secs) +
                       table(["manager", "CPU", "wake-ups"], rows))
        return "\n\n".join(out)

    def rollout(self):
        r = self.r
        if not any(k[0] == "rollout" for k in r.values):
            return ""
        rows = []
        for t, how in (("formation", "`reload`, `ready = http:/`: "
                        "new instance first"),
                       ("formation-inplace", "`reload`, `ready = http:/`, "
                        "`overlap = false`: in place"),
                       ("formation-started", "`reload`, no ready check"),
                       ("formation-1", "`reload`, `ready = http:/`: "
                        "new instance first"),
                       ("formation-inplace-1", "`reload`, `ready = http:/`, "
                        "`overlap = false`: in place"),
                       ("foreman", "stop, then start")):
            f = r.med("rollout", t, "failed")
            s = r.med("rollout", t, "seconds")
            if f is None:
                rows.append([NAMES.get(t, t), how, NA if r.unavailable(
                    "rollout", t) else "failed", ""])
                continue
            rows.append([NAMES.get(t, t), how, "%d" % f, "%.1f s" % s])
        return ("### Rollout: web=2, 1 s to boot\n\nA client sends GET /, "
                "one every 10 ms, while the app moves onto a new release, "
                "as a proxy would: to the type's ports (PORT to PORT+2) "
                "in turn, trying the next one when one refuses, times out "
                "(1 s) or does not answer 200; a request fails when none "
                "answered it. The median over the rounds of the failed "
                "requests and of the time until two ports answer 200 "
                "again.\n\n" +
                table(["manager", "how", "failed requests", "duration"],
                      rows))

    def control(self):
        r = self.r
        out = []
        for scn in r.scenarios("control"):
            n = scn.rsplit("-", 1)[1]
            f = r.med(scn, "formation", "seconds")
            rows = []
            for t, cmd in (("formation", "formation ps"),
                           ("formation-json", "formation ps --json"),
                           ("supervisord", "supervisorctl status")):
                s = r.med(scn, t, "seconds")
                if s is None:
                    rows.append(["`%s`" % cmd, NA, "", ""])
                    continue
                mn = r.med(scn, t, "min_s")
                rows.append(["`%s`" % cmd, fmt_ms(s), ratio(s, f),
                             fmt_ms(mn) if mn is not None else ""])
            if f is not None:
                self.target("`formation ps` with %s processes < 5 ms" % n,
                            fmt_ms(f), f < 0.005)
            out.append("### Control latency: %s processes\n\nMedian wall "
                       "time of the status command, all %s processes "
                       "running.\n\n" % (n, n) +
                       table(["command", "median", "× `formation ps`",
                              "fastest"], rows))
        return "\n\n".join(out)

    def listen(self):
        r = self.r
        if not any(k[0] == "listen" for k in r.values):
            return ""
        rows = []
        for t, name in (("formation", "formation, `listen`"),
                        ("formation-bind", "formation, no `listen`"),
                        ("foreman", "foreman (stop, start)")):
            if r.unavailable("listen", t) or not r.ran("listen", t):
                rows.append([name, NA, "", "", "", "", ""])
                continue
            n = r.med("listen", t, "requests")
            failed = r.med("listen", t, "failed")
            resets = r.med("listen", t, "resets")
            mv = [float(x) for x in r.all("listen", t, "reload_s")]
            rs = [float(x) for x in r.all("listen", t, "restart_s")]
            rd = [float(x) for x in r.all("listen", t, "ready_s")]

            def span(v):
                return ("%.1f s, %.1f s" % (statistics.median(v), max(v))
                        if v else "")
            rows.append([name, "%d" % n if n is not None else "",
                         "%d" % failed if failed is not None else "failed",
                         "%d" % resets if resets is not None else "",
                         span(mv), span(rs), span(rd)])
            if t == "formation" and failed is not None:
                self.target("held sockets: 0 failed requests, 0 resets "
                            "across reloads and restarts",
                            "%d failed, %d resets" % (failed, resets),
                            failed == 0 and resets == 0)
            if t == "formation" and rd:
                self.target("held sockets: each new instance ready within "
                            "2× its 1 s start-up", "%.1f s at most" %
                            max(rd), max(rd) <= 2.0)
        return ("### Held sockets: web=2 under reloads and restarts\n\n"
                "An HTTP server with a 1 s start-up as web=2; a client "
                "sends requests from two connections all along while the "
                "formation is reloaded 5 times and web restarted 5 times "
                "(foreman: stopped and started 10 times). A refused "
                "connect fails at once, so a gap with nothing listening "
                "counts many failures. Move: from the command until both "
                "instances run again (foreman: until it serves again); "
                "ready: each new instance's start-up as the daemon saw "
                "it. Median and maximum.\n\n" +
                table(["manager", "requests", "failed", "resets",
                       "reload: move", "restart: move", "ready"], rows))

    def summary(self):
        rows = []
        for what, measured, met in self.targets:
            rows.append([what, measured, "not measured" if met is None
                         else "met" if met else "**missed**"])
        return "### Targets\n\n" + table(["target", "measured", ""], rows)

    def machine(self):
        r = self.r
        keys = (("cpus", "CPUs (nproc)"), ("cpu", "CPU"),
                ("memory", "memory"), ("kernel", "kernel"),
                ("debian", "Debian"), ("load", "load average at start"),
                ("formation", "formation"), ("foreman", "foreman"),
                ("nf", "node-foreman"), ("supervisord", "supervisord"),
                ("hyperfine", "hyperfine"), ("date", "date"),
                ("duration", "whole run"))
        rows = [[label, r.one("machine", k, "value", "?")]
                for k, label in keys if r.all("machine", k, "value")]
        return "### Machine\n\n" + table(["", ""], rows)

    def failures(self):
        msgs = self.r.all("failures", "bench", "message")
        if not msgs:
            return ""
        return ("### Failures in this run\n\n" +
                "\n".join("- " + m for m in msgs))


def commands(path):
    if not path or not os.path.exists(path):
        return ""
    by = defaultdict(list)
    with open(path) as f:
        for line in f:
            s, _, cmd = line.rstrip("\n").partition("\t")
            by[s].append(cmd)
    out = ["### Commands", "",
           "APP is a fresh directory holding the Procfile of the scenario "
           "(and, for supervisord, the equivalent supervisord.conf: "
           "`numprocs`, `startsecs = 0`, output to a log file per "
           "process); K is the number of writers, N the lines of each, "
           "W the writer; see bench/*.sh.", ""]
    for s in sorted(by):
        out.append("%s:" % s)
        out.append("")
        out += ["    " + c for c in by[s]]
        out.append("")
    return "\n".join(out)


def main(argv):
    only = write = cmds = None
    args = []
    i = 0
    while i < len(argv):
        if argv[i] in ("--only", "--write", "--commands") and i + 1 < len(argv):
            if argv[i] == "--only":
                only = argv[i + 1]
            elif argv[i] == "--write":
                write = argv[i + 1]
            else:
                cmds = argv[i + 1]
            i += 2
        else:
            args.append(argv[i])
            i += 1
    if len(args) != 1:
        sys.stderr.write(__doc__)
        return 2
    rep = Report(Results(args[0]))
    if only == "oneoff":
        print(rep.oneoff())
        return 0
    if only == "listen":
        print(rep.listen())
        return 0
    parts = [rep.oneoff(), rep.throughput(), rep.scale(), rep.control(),
             rep.chatty(), rep.idle(), rep.listen(), rep.rollout()]
    parts = [rep.summary()] + [p for p in parts if p]
    parts += [p for p in (rep.failures(), rep.machine()) if p]
    text = "\n\n".join(parts)
    print(text)
    if write:
        generated = text + "\n\n" + commands(cmds)
        write_doc(write, generated.rstrip() + "\n")
    return 0


def write_doc(path, generated):
    old = ""
    if os.path.exists(path):
        with open(path) as f:
            old = f.read()
    if BEGIN in old and END in old:
        head, rest = old.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
    else:
        head = ("# Performance\n\nMeasured by `make bench` (bench/run): "
                "formation against foreman, node-foreman, supervisord "
                "and the bare limit, in one run on one machine.\n\n")
        tail = "\n"
    with open(path + ".tmp", "w") as f:
        f.write(head + BEGIN + "\n\n" + generated + "\n" + END + tail)
    os.rename(path + ".tmp", path)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
