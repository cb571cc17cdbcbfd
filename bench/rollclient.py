# The client of the rollout scenario, as a proxy in front of a type
# would be: GET / every 10 ms (each attempt with a 1 s timeout), on the
# type's ports in turn; a port that refuses or does not answer 200 is
# skipped for the next one, and a request fails only when no port
# answered it. Until the file STOP exists; then prints "ok N failed M".
# python3 rollclient.py STOP PORT...
import os
import socket
import sys
import time

stop, ports = sys.argv[1], [int(p) for p in sys.argv[2:]]
ok = failed = 0
i = 0


def get(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as c:
            c.sendall(b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n")
            head = c.recv(64)
        return head.startswith(b"HTTP/1.0 200") or \
            head.startswith(b"HTTP/1.1 200")
    except OSError:
        return False


while not os.path.exists(stop):
    i += 1
    if any(get(ports[(i + k) % len(ports)]) for k in range(len(ports))):
        ok += 1
    else:
        failed += 1
    time.sleep(0.01)
print("ok %d failed %d" % (ok, failed))
