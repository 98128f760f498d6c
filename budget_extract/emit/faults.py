"""Writes that fail for want of room, said in one line that names the file and the cause.

A disk that fills up, a quota, or a file-size limit (``ulimit -f``) surfaces in as many
shapes as there are writers: ``OSError(ENOSPC)`` from a plain write, ``OSError(EFBIG)``
when ``RLIMIT_FSIZE`` is set (Python ignores ``SIGXFSZ``, so the write fails instead of
killing the process), and from SQLite either ``database or disk is full`` or, for the
same file-size limit, an uninformative ``disk I/O error``.  :func:`write_failed` turns
each into a :class:`WriteFailed` — an ``OSError`` whose ``filename`` is the file the user
would look for (``out/budget.sqlite``, not ``out/.tmp-x.sqlite.part``) and whose
``strerror`` says why, checking the file-size limit and the free space itself when SQLite
does not tell.  Callers that already catch ``OSError`` keep working and print a better line.
"""

from __future__ import annotations

import errno
import os
import sqlite3

NO_ROOM = frozenset({errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)})
"""The errnos of a write that failed for want of room."""


def no_room(e: BaseException) -> int | None:
    """The errno of a write that failed for want of room (disk full, quota, file-size
    limit): an OSError's, or lxml's ``SerialisationError: IO_EFBIG`` (openpyxl writes
    worksheets through lxml); None for any other failure."""
    if isinstance(e, OSError):
        return e.errno if e.errno in NO_ROOM else None
    text = str(e)
    for name in ("EFBIG", "ENOSPC", "EDQUOT"):
        if f"IO_{name}" in text and hasattr(errno, name):
            return int(getattr(errno, name))
    return None


class WriteFailed(OSError):
    """A write that failed: ``filename`` the final name, ``strerror`` the cause."""

    def __str__(self) -> str:
        return f"cannot write {self.filename} ({self.strerror})"


def file_size_limit() -> int | None:
    """This process's file-size limit in bytes (``ulimit -f``), or None when unlimited."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return None
    soft, _hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    return None if soft == resource.RLIM_INFINITY else int(soft)


def free_bytes(path: str) -> int | None:
    """Bytes free to this user on the file system holding ``path`` (None if unknown)."""
    folder = path
    while folder and not os.path.isdir(folder):
        folder = os.path.dirname(folder)
    try:
        st = os.statvfs(folder or ".")
    except (OSError, AttributeError):
        return None
    return st.f_bavail * st.f_frsize


def _size(n: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"


def _sqlite_errno(e: sqlite3.Error, path: str) -> int | None:
    """The errno behind a SQLite error, where it is a want of room (SQLite keeps the
    system's errno to itself): SQLITE_FULL is a full disk; an I/O error under a file-size
    limit, or on a disk with almost nothing free, is that."""
    name = getattr(e, "sqlite_errorname", "") or ""
    if name == "SQLITE_FULL" or "disk is full" in str(e):
        return errno.ENOSPC
    if name.startswith("SQLITE_IOERR") or "disk I/O error" in str(e):
        if file_size_limit() is not None:
            return errno.EFBIG
        free = free_bytes(path)
        if free is not None and free < 1 << 20:
            return errno.ENOSPC
    return None


def cause(code: int, path: str) -> str:
    """Why a write of ``path`` failed with ``code``, with what the user can do."""
    if code == errno.EFBIG:
        limit = file_size_limit()
        if limit is not None:
            return (f"file too large: a file-size limit of {limit:,} bytes is set (ulimit -f); "
                    "raise it and run again")
        return "file too large for the file system"
    if code == errno.ENOSPC:
        free = free_bytes(path)
        left = f", {_size(free)} free" if free is not None else ""
        return f"no space left on the device{left}; free some space and run again"
    if code == getattr(errno, "EDQUOT", None):
        return "disk quota exceeded; free some space and run again"
    return os.strerror(code)


def write_failed(path: str, e: BaseException) -> BaseException:
    """``e`` raised while writing ``path``, as a :class:`WriteFailed` naming ``path`` and the
    cause when it is a want of room; any other error is returned as it is."""
    if isinstance(e, WriteFailed):
        return e
    code = no_room(e)
    if isinstance(e, sqlite3.Error):
        code = _sqlite_errno(e, path)
        if code is None:  # another SQLite failure on this file: still named, still OSError
            return WriteFailed(errno.EIO, f"SQLite: {e}", path)
    if code is None:
        return e
    return WriteFailed(code, cause(code, path), path)
