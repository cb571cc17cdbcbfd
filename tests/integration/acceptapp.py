# A server of a held socket that says what it accepts, for the ready
# check accept: python3 acceptapp.py. It takes fd 3 (TCP or unix, from
# LISTEN_FDS), waits $DELAY seconds (its start-up), then accepts: a connection that sends a line gets "PID\n"
# back; one that closes without a word (the daemon's check) is logged
# "pid PID took an empty connection". $IGNORE=1: it takes nothing from
# fd 3, as a process that does not use its sockets. It runs until
# SIGTERM, then exits 0.
import os
import signal
import socket
import sys
import time

stopping = False


def on_term(sig, frame):
    global stopping
    stopping = True


signal.signal(signal.SIGTERM, on_term)
pid = os.getpid()
delay = os.environ.get("DELAY", "0")
print("pid %d up, delay %s" % (pid, delay), flush=True)
if os.environ.get("IGNORE") == "1":
    while not stopping:
        time.sleep(0.1)
    sys.exit(0)
if os.environ.get("LISTEN_PID") != str(pid) or \
        os.environ.get("LISTEN_FDS") != "1":
    sys.exit("no socket: LISTEN_PID %s LISTEN_FDS %s" % (
        os.environ.get("LISTEN_PID"), os.environ.get("LISTEN_FDS")))
sock = socket.socket(fileno=3)
end = time.monotonic() + float(delay)
while not stopping and time.monotonic() < end:
    time.sleep(0.05)
print("pid %d accepting" % pid, flush=True)
# The socket is shared with the other instances: a timeout, so that one
# woken for a connection another took goes on, and a stop is seen.
sock.settimeout(0.2)
while not stopping:
    try:
        conn, _ = sock.accept()
    except (socket.timeout, BlockingIOError, InterruptedError):
        continue
    conn.settimeout(5)
    try:
        data = conn.recv(1024)
        if data:
            conn.sendall(b"%d\n" % pid)
        else:
            print("pid %d took an empty connection" % pid, flush=True)
    except OSError:
        pass
    conn.close()
print("pid %d stopped" % pid, flush=True)
