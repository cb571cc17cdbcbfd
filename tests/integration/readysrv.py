# A process that becomes ready when the test says so: python3 readysrv.py
# MODE [GO]. It waits for the file GO (default "go", in the working
# directory; "-" not at all) and then, by MODE:
#   tcp     listens on $PORT (127.0.0.1)
#   http    listens on $PORT at once, and answers 503 until GO exists,
#           then 200 (for any path)
#   notify  sends STATUS=booting at once, then once GO exists STATUS=up
#           and READY=1 to $NOTIFY_SOCKET, from a child in its group
#   slowhttp  as http, ready (200) a second after it starts, and then
#           READY=1 when it has a NOTIFY_SOCKET: for bench/
# Each line it logs ends with its PORT. It runs until killed.
import os
import socket
import subprocess
import sys
import threading
import time

mode = sys.argv[1]
go = sys.argv[2] if len(sys.argv) > 2 else "go"
port = int(os.environ.get("PORT", "0"))
name = os.environ.get("PS", "?")
began = time.monotonic()


def say(text):
    print("%s %s port %d" % (name, text, port), flush=True)


def wait_go():
    while go == "-" or not os.path.exists(go):
        time.sleep(0.05)


def notify(text):
    path = os.environ["NOTIFY_SOCKET"]
    if path.startswith("@"):
        path = "\0" + path[1:]
    # Sent by a child of ours, in our process group, as a helper would:
    # then BARRIER=1 with a pipe, and it waits for the reader to close
    # it, as systemd-notify does, so that it is alive when read.
    code = """
import array, os, select, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(sys.argv[1].encode(), sys.argv[2])
r, w = os.pipe()
s.sendmsg([b"BARRIER=1"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS,
    array.array("i", [w]))], 0, sys.argv[2])
os.close(w)
p = select.poll()
p.register(r, select.POLLHUP)
sys.exit(0 if p.poll(10000) else 1)
"""
    subprocess.run([sys.executable, "-c", code, text, path], check=True)


def listen():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # A new instance binds beside the old one in a roll with overlap.
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    s.bind(("127.0.0.1", port))
    s.listen(64)
    return s


def ready_now():
    if mode == "slowhttp":
        return time.monotonic() - began >= 1.0
    return os.path.exists(go)


def serve_http(s):
    while True:
        c, _ = s.accept()
        try:
            c.settimeout(2)
            c.recv(4096)
            ok = ready_now()
            body = b"ok\n" if ok else b"booting\n"
            c.sendall(b"HTTP/1.0 %s\r\nContent-Length: %d\r\n\r\n%s" % (
                b"200 OK" if ok else b"503 Service Unavailable",
                len(body), body))
        except OSError:
            pass
        c.close()


if mode == "tcp":
    wait_go()
    s = listen()
    say("listening")
    while True:
        c, _ = s.accept()
        c.close()
elif mode in ("http", "slowhttp"):
    s = listen()
    say("listening")
    if mode == "slowhttp" and "NOTIFY_SOCKET" in os.environ:
        def booted():
            time.sleep(max(0.0, 1.0 - (time.monotonic() - began)))
            notify("READY=1")
        threading.Thread(target=booted, daemon=True).start()
    serve_http(s)
elif mode == "notify":
    notify("STATUS=booting")
    wait_go()
    notify("STATUS=up and serving\nREADY=1")
    say("notified")
    while True:
        time.sleep(60)
else:
    sys.exit("readysrv.py: unknown mode " + mode)
