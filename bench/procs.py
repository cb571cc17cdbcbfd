#!/usr/bin/env python3
"""Process facts from /proc for the bench scripts.

procs.py wait ARG N T0_NS TIMEOUT
    Poll every 5 ms until exactly N live processes run "sleep ARG" (N = 0:
    until none is left); print the seconds since T0_NS (a `date +%s%N`
    taken before the action), or exit 1 after TIMEOUT seconds.
procs.py count ARG
    The number of live "sleep ARG" processes.
procs.py stat PID
    "rss_kb cpu_s switches" of PID: VmRSS, the CPU time of all its threads
    (schedstat, else utime + stime), and its threads' voluntary +
    involuntary context switches.
procs.py time RUNS COMMAND...
    Run COMMAND (no shell, output to /dev/null) RUNS times after 3
    warm-up runs; print the median and the minimum in seconds, or exit 1
    if it failed.
procs.py kill ARG
    SIGKILL every "sleep ARG" left (cleanup after a failed run).
"""
import os
import signal
import sys
import time


def sleepers(arg):
    want = b"sleep\0" + arg.encode() + b"\0"
    pids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % d, "rb") as f:
                if f.read() != want:
                    continue
            with open("/proc/%s/stat" % d, "rb") as f:
                state = f.read().rsplit(b")", 1)[1].split()[0]
        except OSError:
            continue
        if state not in (b"Z", b"X"):
            pids.append(int(d))
    return pids


def wait(arg, n, t0_ns, timeout):
    deadline = time.monotonic() + timeout
    while True:
        if len(sleepers(arg)) == n:
            print("%.6f" % ((time.time_ns() - t0_ns) / 1e9))
            return 0
        if time.monotonic() > deadline:
            return 1
        time.sleep(0.005)


def stat(pid):
    with open("/proc/%d/status" % pid) as f:
        rss = [int(l.split()[1]) for l in f if l.startswith("VmRSS:")][0]
    cpu_ns = 0
    switches = 0
    for tid in os.listdir("/proc/%d/task" % pid):
        task = "/proc/%d/task/%s/" % (pid, tid)
        try:
            with open(task + "schedstat") as f:
                cpu_ns += int(f.read().split()[0])
        except OSError:
            # No schedstat: utime + stime in clock ticks.
            with open(task + "stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            cpu_ns += (int(fields[11]) + int(fields[12])) * 10**9 // \
                os.sysconf("SC_CLK_TCK")
        with open(task + "status") as f:
            for line in f:
                if "ctxt_switches:" in line:
                    switches += int(line.split()[1])
    print("%d %.6f %d" % (rss, cpu_ns / 1e9, switches))
    return 0


def timed(runs, argv):
    times = []
    with open(os.devnull, "r+b") as null:
        for i in range(runs + 3):
            t0 = time.perf_counter()
            pid = os.posix_spawnp(argv[0], argv, os.environ,
                                  file_actions=[(os.POSIX_SPAWN_DUP2,
                                                 null.fileno(), 0),
                                                (os.POSIX_SPAWN_DUP2,
                                                 null.fileno(), 1)])
            status = os.waitpid(pid, 0)[1]
            t1 = time.perf_counter()
            if status != 0:
                return 1
            if i >= 3:
                times.append(t1 - t0)
    times.sort()
    mid = len(times) // 2
    print("%.6f %.6f" % (times[mid] if len(times) % 2 else
                         (times[mid - 1] + times[mid]) / 2, times[0]))
    return 0


def main(argv):
    if len(argv) == 5 and argv[0] == "wait":
        return wait(argv[1], int(argv[2]), int(argv[3]), float(argv[4]))
    if len(argv) == 2 and argv[0] == "count":
        print(len(sleepers(argv[1])))
        return 0
    if len(argv) == 2 and argv[0] == "stat":
        return stat(int(argv[1]))
    if len(argv) >= 3 and argv[0] == "time":
        return timed(int(argv[1]), argv[2:])
    if len(argv) == 2 and argv[0] == "kill":
        for pid in sleepers(argv[1]):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
