# A stand-in for formationd that another user runs, to see what a CLI
# hands it: python3 fakeserver.py SOCKET LOG. Each connection is a line
# "connection" of LOG, each read a line "bytes N fds M", and the end of
# one "closed". It never answers, and closes a connection after its first
# read. SOCKET is made mode 0777, so that anyone can reach it.
import os
import socket
import sys

path, log = sys.argv[1], sys.argv[2]


def note(line):
    with open(log, "a") as f:
        f.write(line + "\n")


s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
os.chmod(path, 0o777)
s.listen(16)
note("listening")
while True:
    c, _ = s.accept()
    note("connection")
    c.settimeout(10)
    try:
        data, anc, _, _ = c.recvmsg(65536, socket.CMSG_SPACE(16 * 4))
    except OSError as e:
        data, anc = b"", []
        note("error %s" % e)
    fds = []
    for level, kind, blob in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds += [int.from_bytes(blob[i:i + 4], sys.byteorder)
                    for i in range(0, len(blob) - len(blob) % 4, 4)]
    note("bytes %d fds %d %r" % (len(data), len(fds), data))
    for fd in fds:
        os.close(fd)
    c.close()
    note("closed")
