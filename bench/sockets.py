"""Whether a running process's TCP connections to a port have Nagle's algorithm off, read from outside.

A process's socket options cannot be read from /proc, so this borrows each socket: `pidfd_getfd(2)`
(Linux >= 5.6, same user or CAP_SYS_PTRACE) duplicates the process's descriptor into ours, and
`getsockopt(TCP_NODELAY)` reads the option of the one socket both descriptors share. Used by
`make bench` to check that every server talks to Neo4j with TCP_NODELAY, as a tuned deployment would.
"""

from __future__ import annotations

import ctypes
import os
import socket
from pathlib import Path

_PIDFD_GETFD = 438  # the same number on x86-64 and arm64
_ESTABLISHED = "01"


def _connection_inodes(pid: int, port: int) -> set[str]:
    """Socket inodes of established TCP connections (IPv4 or IPv6) whose remote port is `port`."""
    inodes = set()
    for table in ("tcp", "tcp6"):
        path = Path(f"/proc/{pid}/net/{table}")
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            if remote_port == port and fields[3] == _ESTABLISHED:
                inodes.add(fields[9])
    return inodes


def nodelay(pid: int, port: int) -> list[bool] | None:
    """TCP_NODELAY of each of `pid`'s connections to `port` (an empty list: none open); None when this
    kernel or these permissions do not let us look."""
    inodes = _connection_inodes(pid, port)
    libc = ctypes.CDLL(None, use_errno=True)
    found = []
    try:
        pidfd = os.pidfd_open(pid)
    except (OSError, AttributeError):
        return None
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue  # closed meanwhile
            if not (target.startswith("socket:[") and target[8:-1] in inodes):
                continue
            copy = libc.syscall(_PIDFD_GETFD, pidfd, int(fd), 0)
            if copy < 0:
                return None
            with socket.socket(fileno=copy) as borrowed:
                found.append(borrowed.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0)
    finally:
        os.close(pidfd)
    return found
