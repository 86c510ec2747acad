"""Limits a query worker process puts on itself before it answers anything (Linux).

- `deny_network()`: a seccomp filter makes `socket()` fail with EPERM for every family but
  AF_UNIX (the worker's pipe to the server is a Unix socket made before), so SERVICE cannot
  reach any host, whatever a query's text says. pyoxigraph has no switch to turn SERVICE off.
- `die_with_parent()`: the kernel kills the worker when the thread that started it ends
  (PR_SET_PDEATHSIG), so a killed server leaves no runaway query behind.
- `limit_memory(mb)`: RLIMIT_DATA, so a query that needs more fails inside the worker (an
  allocation failure aborts it) instead of taking the host's memory.

Each returns False where the platform cannot do it; the caller goes on without that limit.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import platform
import resource
import signal
import struct

_PR_SET_PDEATHSIG = 1
_PR_SET_SECCOMP = 22
_PR_SET_NO_NEW_PRIVS = 38
_SECCOMP_MODE_FILTER = 2
_RET_ALLOW = 0x7FFF0000
_RET_EPERM = 0x00050000 | 1  # SECCOMP_RET_ERRNO | EPERM
_AF_UNIX = 1
# machine -> (AUDIT_ARCH_*, number of the socket system call)
_ARCH = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}


def _prctl(*args: int) -> bool:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return False
    padded = [ctypes.c_ulong(a) for a in args] + [ctypes.c_ulong(0)] * (5 - len(args))
    return libc.prctl(*padded) == 0


def die_with_parent(parent_pid: int) -> bool:
    if not _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL):
        return False
    if os.getppid() != parent_pid:  # the parent died before the signal was asked for
        os._exit(1)
    return True


def limit_memory(megabytes: int) -> bool:
    if megabytes <= 0:
        return True
    limit = megabytes << 20
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_DATA)
        if hard != resource.RLIM_INFINITY and hard < limit:
            limit = hard
        resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    except (ValueError, OSError):
        return False
    return True


def deny_network() -> bool:
    arch = _ARCH.get(platform.machine())
    if arch is None:
        return False
    audit_arch, socket_nr = arch

    def op(code: int, jt: int, jf: int, k: int) -> bytes:
        return struct.pack("HBBI", code, jt, jf, k)

    ld, jeq, ret = 0x20, 0x15, 0x06  # BPF_LD|BPF_W|BPF_ABS, BPF_JMP|BPF_JEQ|BPF_K, BPF_RET|BPF_K
    program = b"".join([
        op(ld, 0, 0, 4),                  # 0: the architecture
        op(jeq, 1, 0, audit_arch),        # 1: ours: go on; another ABI (i386 calls): refuse every call
        op(ret, 0, 0, _RET_EPERM),        # 2
        op(ld, 0, 0, 0),                  # 3: the system call
        op(jeq, 0, 3, socket_nr),         # 4: not socket(): allow
        op(ld, 0, 0, 16),                 # 5: socket()'s family
        op(jeq, 1, 0, _AF_UNIX),          # 6: a Unix socket: allow
        op(ret, 0, 0, _RET_EPERM),        # 7
        op(ret, 0, 0, _RET_ALLOW),        # 8
    ])
    filters = ctypes.create_string_buffer(program, len(program))

    class _Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = _Program(len(program) // 8, ctypes.addressof(filters))
    if not _prctl(_PR_SET_NO_NEW_PRIVS, 1):
        return False
    return _prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(fprog))
