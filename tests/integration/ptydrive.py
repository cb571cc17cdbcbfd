#!/usr/bin/env python3
"""Run a command on a new pty, as a terminal user would, and script it.

usage: ptydrive.py [--size ROWS COLS] [--out FILE] [--stty FILE]
                   [STEP ...] -- COMMAND [ARG ...]

Steps, in order:
  expect:TEXT      wait (10 s at most) until the output holds TEXT after
                   what the previous expect matched
  send:TEXT        type TEXT (backslash escapes: \\x03 is Ctrl-C)
  resize:ROWS:COLS change the window size (SIGWINCH to the foreground)
  signal:NAME      send signal NAME (TSTP, CONT...) to the command
  state:S          wait until the command's state in /proc is S (T:
                   stopped) or, for !S, is no longer S
  mode:raw         wait until the terminal is in raw mode (no ICANON), or
  mode:cooked      back in canonical mode
  setmode:cooked   put the terminal in canonical mode, as a shell does
                   when a job stops
  hold:SECS        read nothing for SECS seconds (a terminal that is
                   slow, or scrolled back)
  hangup           close the terminal, as closing its window does: the
                   command gets no more input, and its output is lost
  sh:COMMAND       run COMMAND with /bin/sh, outside the terminal, and
                   wait (10 s at most) for it to succeed

Then wait for the command to exit, reading all its output. --out gets
the output; --stty gets `stty -g` of the pty before and after, one line
each. Exits with the command's status (128 + N after signal N), or 124
when a step or the command times out.
"""
import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time

TIMEOUT = 10.0


def set_size(fd, rows, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def stty_g(slave):
    return subprocess.run(["stty", "-g"], stdin=slave, capture_output=True,
                          text=True, check=True).stdout.strip()


def proc_state(pid):
    with open("/proc/%d/stat" % pid) as f:
        return f.read().rsplit(")", 1)[1].split()[0]


def wait_until(d, test):
    end = time.monotonic() + TIMEOUT
    while time.monotonic() < end:
        if test():
            return True
        d.pump(0.02)
    return False


def spawn(argv, slave):
    pid = os.fork()
    if pid == 0:
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        for fd in (0, 1, 2):
            os.dup2(slave, fd)
        os.execvp(argv[0], argv)
    return pid


class Driver:
    def __init__(self, master, pid):
        self.master = master
        self.pid = pid
        self.out = b""
        self.mark = 0
        self.status = None

    def hangup(self):
        os.close(self.master)
        self.master = None

    def pump(self, timeout):
        if self.master is None:
            time.sleep(timeout)
            if self.status is None:
                pid, st = os.waitpid(self.pid, os.WNOHANG)
                if pid == self.pid:
                    self.status = st
            return
        r, _, _ = select.select([self.master], [], [], timeout)
        if r:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                data = b""
            self.out += data
        if self.status is None:
            pid, st = os.waitpid(self.pid, os.WNOHANG)
            if pid == self.pid:
                self.status = st

    def expect(self, text):
        end = time.monotonic() + TIMEOUT
        while time.monotonic() < end:
            i = self.out.find(text, self.mark)
            if i >= 0:
                self.mark = i + len(text)
                return True
            if self.status is not None:
                # The command is gone, but the pty may still hold far
                # more than one read of its output: all of it, first.
                self.drain()
                i = self.out.find(text, self.mark)
                if i < 0:
                    return False
                self.mark = i + len(text)
                return True
            self.pump(0.05)
        return False

    def drain(self):
        """Read what is left in the pty, until it is empty or closed."""
        while self.master is not None and \
                select.select([self.master], [], [], 0.1)[0]:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                data = b""
            if not data:
                break
            self.out += data

    def finish(self):
        end = time.monotonic() + TIMEOUT
        while self.status is None and time.monotonic() < end:
            self.pump(0.05)
        if self.status is None:
            return False
        self.drain()
        return True


def main():
    args = sys.argv[1:]
    size, outfile, sttyfile, steps = (24, 80), None, None, []
    while args and args[0] != "--":
        a = args.pop(0)
        if a == "--size":
            size = (int(args.pop(0)), int(args.pop(0)))
        elif a == "--out":
            outfile = args.pop(0)
        elif a == "--stty":
            sttyfile = args.pop(0)
        else:
            steps.append(a)
    argv = args[1:]
    master, slave = os.openpty()
    set_size(master, *size)
    before = stty_g(slave)
    d = Driver(master, spawn(argv, slave))
    rc = None
    for step in steps:
        kind, _, arg = step.partition(":")
        if kind == "expect" and not d.expect(arg.encode()):
            sys.stderr.write("ptydrive: timed out on %r\n" % step)
            rc = 124
            break
        if kind == "send":
            os.write(master, arg.encode().decode("unicode_escape").encode())
        if kind == "resize":
            rows, cols = arg.split(":")
            set_size(master, int(rows), int(cols))
        if kind == "setmode":
            attrs = termios.tcgetattr(slave)
            attrs[3] |= termios.ICANON | termios.ECHO | termios.ISIG
            termios.tcsetattr(slave, termios.TCSANOW, attrs)
        if kind == "hold":
            time.sleep(float(arg))
        if kind == "hangup":
            d.hangup()
        if kind == "sh":
            try:
                ok = subprocess.run(["sh", "-c", arg], timeout=TIMEOUT,
                                    stdin=subprocess.DEVNULL).returncode == 0
            except subprocess.TimeoutExpired:
                ok = False
            if not ok:
                sys.stderr.write("ptydrive: failed: %r\n" % step)
                rc = 1
                break
        if kind == "signal":
            os.kill(d.pid, getattr(signal, "SIG" + arg))
        ok = True
        if kind == "state":
            want, neg = arg.lstrip("!"), arg.startswith("!")
            ok = wait_until(d, lambda: (proc_state(d.pid) == want) != neg)
        if kind == "mode":
            raw = arg == "raw"
            ok = wait_until(d, lambda: bool(termios.tcgetattr(slave)[3] &
                                            termios.ICANON) != raw)
        if not ok:
            sys.stderr.write("ptydrive: timed out on %r\n" % step)
            rc = 124
            break
    if not d.finish():
        os.kill(d.pid, 9)
        os.waitpid(d.pid, 0)
        rc = 124
    if sttyfile and d.master is not None:
        with open(sttyfile, "w") as f:
            f.write(before + "\n" + stty_g(slave) + "\n")
    if outfile:
        with open(outfile, "wb") as f:
            f.write(d.out)
    if rc is None:
        st = d.status
        rc = 128 + os.WTERMSIG(st) if os.WIFSIGNALED(st) else \
            os.WEXITSTATUS(st)
    sys.exit(rc)


main()
