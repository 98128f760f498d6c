"""Atomic, deterministic file writing: a temporary file in the target folder, then rename.

A crash or Ctrl-C leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
import re
import tempfile

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]')
_DEVICE = re.compile(r"^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$", re.IGNORECASE)


MAX_STEM_BYTES = 240
"""File systems allow 255 bytes per name; ``S.facts.csv`` adds 10 to the stem."""


def safe_stem(name: str) -> str:
    """A file stem that cannot escape the output folder or upset a file system: no path
    separators, control characters or bidi overrides, no bytes that are not UTF-8, no
    leading/trailing dots or blanks (``..``), no Windows device name (``CON``, ``NUL`` …),
    and short enough in UTF-8 bytes (a long Chinese name is three bytes a character) for
    every output name built on it."""
    # bytes that are not UTF-8 (a name from another system) arrive as surrogate escapes,
    # which no file can be named with: shown as U+FFFD instead
    name = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    stem = _UNSAFE.sub("_", name).strip(" .")[:180]
    while len(stem.encode("utf-8")) > MAX_STEM_BYTES:
        stem = stem[:-1]
    stem = stem.rstrip(" .") or "document"
    return _DEVICE.sub(r"\1_\2", stem)  # CON.json, con.x.json cannot exist on Windows


def current_umask() -> int:
    """The process's umask, read without changing it where Linux tells it (``os.umask``
    can only be read by setting it, which would race with threads creating files)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def make_tmp(folder: str, suffix: str = ".part") -> tuple[int, str]:
    """A new ``.tmp-*`` file in ``folder`` (open fd, path) with the permissions the umask
    gives a new file (0644 under umask 022).  ``tempfile.mkstemp`` creates 0600 whatever
    the umask, and an output renamed from it would stay unreadable to the web server or
    the team sharing the folder."""
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=suffix, dir=folder)
    try:
        os.fchmod(fd, 0o666 & ~current_umask())
    except BaseException:
        os.close(fd)
        os.unlink(tmp)
        raise
    return fd, tmp


def write_bytes(path: str, data: bytes, *, fsync: bool = True) -> None:
    """Write ``data`` to ``path`` atomically.  ``fsync=False`` skips forcing it to disk
    (still atomic against crashes and Ctrl-C, not against power loss) for callers that
    write many files and then sync once, as the batch does.  A failure leaves no temporary
    file; a want of room is raised as :class:`~.faults.WriteFailed` naming ``path``."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = make_tmp(folder)
    except OSError as e:  # a full disk refuses even the empty temporary file
        from .faults import write_failed

        raise write_failed(path, e) from e
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            if fsync:
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):  # disk full, a file-size limit: the path and the cause
            from .faults import write_failed

            raise write_failed(path, e) from e
        raise


def write_text(path: str, text: str, *, bom: bool = False, fsync: bool = True) -> None:
    write_bytes(path, (("\ufeff" if bom else "") + text).encode("utf-8"), fsync=fsync)
