# A small HTTP server that takes its listening socket by socket
# activation, as gunicorn or a Go server with go-systemd would:
# python3 listenapp.py [DELAY]. It checks LISTEN_PID and LISTEN_FDS,
# sleeps DELAY seconds (its start-up), then serves fd 3: each GET is
# answered "NAME PID\n" (NAME from $PS). Once it serves, it sends
# READY=1 to $NOTIFY_SOCKET when there is one (ready = notify). On
# SIGTERM it stops accepting, finishes the request it is on, and exits
# 0, as a server that is stopped gracefully does. Without LISTEN_FDS it
# binds $PORT itself.
import http.server
import os
import signal
import socket
import sys
import time

delay = float(sys.argv[1]) if len(sys.argv) > 1 else 0.0
stopping = False


def on_term(sig, frame):
    global stopping
    stopping = True


signal.signal(signal.SIGTERM, on_term)

if os.environ.get("LISTEN_FDS"):
    if os.environ.get("LISTEN_PID") != str(os.getpid()):
        sys.exit("LISTEN_PID is %s, not %d" %
                 (os.environ.get("LISTEN_PID"), os.getpid()))
    if int(os.environ["LISTEN_FDS"]) < 1:
        sys.exit("LISTEN_FDS is " + os.environ["LISTEN_FDS"])
    sock = socket.fromfd(3, socket.AF_INET, socket.SOCK_STREAM)
    os.close(3)
else:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", int(os.environ["PORT"])))
    sock.listen(128)

time.sleep(delay)
name = os.environ.get("PS", "?")
body = ("%s %d\n" % (name, os.getpid())).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler,
                                bind_and_activate=False)
server.socket.close()
server.socket = sock
# Each instance shares the socket: another may take the connection that
# woke this one, so accept must not block, and a stop is seen at once.
sock.settimeout(0.2)
if os.environ.get("NOTIFY_SOCKET"):
    n = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    n.sendto(b"READY=1", os.environ["NOTIFY_SOCKET"])
    n.close()
print("serving", flush=True)
while not stopping:
    try:
        conn, addr = sock.accept()
    except (socket.timeout, BlockingIOError, InterruptedError):
        continue
    conn.settimeout(10)
    try:
        server.finish_request(conn, addr)
    except OSError:
        pass
    finally:
        server.shutdown_request(conn)
print("stopped", flush=True)
