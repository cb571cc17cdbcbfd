# The client of the rollout scenario: GET / on each port in turn, one
# every 10 ms (each with a 1 s timeout), until the file STOP exists; then
# prints "ok N failed M". python3 rollclient.py STOP PORT...
import os
import socket
import sys
import time

stop, ports = sys.argv[1], [int(p) for p in sys.argv[2:]]
ok = failed = 0
i = 0
while not os.path.exists(stop):
    port = ports[i % len(ports)]
    i += 1
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as c:
            c.sendall(b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n")
            head = c.recv(64)
        if head.startswith(b"HTTP/1.0 200") or head.startswith(b"HTTP/1.1 200"):
            ok += 1
        else:
            failed += 1
    except OSError:
        failed += 1
    time.sleep(0.01)
print("ok %d failed %d" % (ok, failed))
