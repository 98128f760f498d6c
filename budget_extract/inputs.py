"""Only regular files of a sane size are read as inputs.

A folder of downloads may hold a named pipe (FIFO), a symlink to ``/dev/zero`` or a
socket named ``x.pdf``, or a sparse file claiming a terabyte.  Opening a FIFO blocks until
someone writes to it; reading ``/dev/zero`` or hashing a terabyte never ends.  Every input
is therefore checked before any byte is read: ``stat`` says what it is, and it is opened
with ``O_NONBLOCK`` (so even a FIFO swapped in after the check cannot block the open) and
checked again on the open descriptor.  Anything but a regular file, or a file over
:data:`MAX_INPUT_MB`, is refused with a one-line reason.
"""

from __future__ import annotations

import hashlib
import os
import stat

MAX_INPUT_MB = 1024
"""The largest input read (MB).  Real disclosures are under 100 MB; the cap bounds the
time spent hashing an input (about a second) before the per-file limits apply."""


class NotReadable(Exception):
    """An input refused before reading; ``reason`` is the one line the user sees."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _kind_problem(mode: int, size: int) -> str | None:
    if stat.S_ISDIR(mode):
        return "is a directory, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a regular file: not read"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file: not read"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file: not read"
    if not stat.S_ISREG(mode):
        return "is not a regular file: not read"
    if size > MAX_INPUT_MB * 1024 * 1024:
        return (f"is {size / 2**20:,.0f} MB, over the {MAX_INPUT_MB:,} MB limit for one "
                "input (real disclosures are under 100 MB): not read")
    return None


def _os_problem(e: OSError) -> str:
    if isinstance(e, FileNotFoundError):
        return "no such file"
    return f"cannot read the file ({e.strerror or e})"


def input_problem(path: str) -> str | None:
    """Why ``path`` cannot be an input (without opening it), or None."""
    try:
        st = os.stat(path)
    except OSError as e:
        return _os_problem(e)
    return _kind_problem(st.st_mode, st.st_size)


Stamp = tuple[int, int, int, int]
"""Which file, and which version of it: (device, inode, size, modification time in ns)."""


def _stamp(st: os.stat_result) -> Stamp:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def open_input(path: str) -> tuple[int, Stamp]:
    """A read-only descriptor of the regular file ``path`` and its stamp, or
    :class:`NotReadable`."""
    problem = input_problem(path)
    if problem:
        raise NotReadable(problem)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        raise NotReadable(_os_problem(e)) from None
    st = os.fstat(fd)
    problem = _kind_problem(st.st_mode, st.st_size)  # swapped since the check?
    if problem:
        os.close(fd)
        raise NotReadable(problem)
    return fd, _stamp(st)


def read_input(path: str) -> tuple[bytes, Stamp]:
    """The bytes of the regular file ``path`` (at most :data:`MAX_INPUT_MB`), and its
    stamp (compare with :func:`hash_input`'s: equal, the bytes are those it hashed)."""
    fd, stamp = open_input(path)
    with os.fdopen(fd, "rb") as f:
        data = f.read()  # not read(cap): that would allocate the cap up front
    if len(data) > MAX_INPUT_MB * 1024 * 1024:  # grew while being read
        raise NotReadable(f"is over the {MAX_INPUT_MB:,} MB limit for one input: not read")
    return data, stamp


def hash_input(path: str) -> tuple[str, Stamp]:
    """SHA-256 of the regular file ``path``, read in blocks (bounded by the size cap), and
    its stamp: a later :func:`read_input` with the same stamp reads the same bytes (as
    ``make`` and ``rsync`` trust), so the reader need not hash them again."""
    fd, stamp = open_input(path)
    h = hashlib.sha256()
    limit = MAX_INPUT_MB * 1024 * 1024
    n = 0
    with os.fdopen(fd, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            n += len(block)
            if n > limit:
                raise NotReadable(f"is over the {MAX_INPUT_MB:,} MB limit for one input: "
                                  "not read")
            h.update(block)
    return h.hexdigest(), stamp
