# A bounded HTTP client: python3 listenclient.py PORT SECONDS [STOPFILE].
# It sends GET / to 127.0.0.1:PORT one request after the other, from
# two connections at a time, until SECONDS have passed or STOPFILE
# exists, and prints one line: "requests N failed N resets N served
# NAMES", NAMES the distinct "web.N" that answered. A request fails when
# it cannot connect, is reset, times out (5 s) or is not answered 200.
import http.client
import os
import sys
import threading
import time

port, seconds = int(sys.argv[1]), float(sys.argv[2])
stopfile = sys.argv[3] if len(sys.argv) > 3 else None
deadline = time.monotonic() + seconds
lock = threading.Lock()
counts = {"requests": 0, "failed": 0, "resets": 0}
served = set()
errors = []


def one():
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        c.request("GET", "/")
        r = c.getresponse()
        data = r.read()
        if r.status != 200:
            raise RuntimeError("status %d" % r.status)
        return data.decode().split()[0], None
    except ConnectionResetError as e:
        return None, ("reset", e)
    except Exception as e:
        return None, ("failed", e)
    finally:
        c.close()


def worker():
    while time.monotonic() < deadline:
        if stopfile and os.path.exists(stopfile):
            return
        name, err = one()
        with lock:
            counts["requests"] += 1
            if err is not None:
                counts["failed"] += 1
                if err[0] == "reset":
                    counts["resets"] += 1
                if len(errors) < 5:
                    errors.append("%s: %r" % err)
            else:
                served.add(name)


threads = [threading.Thread(target=worker) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
for e in errors:
    print("error:", e, file=sys.stderr)
print("requests %d failed %d resets %d served %s" % (
    counts["requests"], counts["failed"], counts["resets"],
    ",".join(sorted(served))), flush=True)
