"""No code is imported from the input folder or the working directory.

A downloaded folder of disclosures may hold a file named ``selectors.py``, ``socket.py``
or ``struct.py`` (by accident or not).  Python puts the current folder first on the
import path of ``python -c …`` and ``python -m …``, and :mod:`multiprocessing` starts its
forkserver and resource tracker as ``python -c …``: run from inside that folder, the
tool would execute those files.  This module keeps the folder off every import path:

* :func:`sanitise_sys_path` drops ``''`` and the working directory from ``sys.path``
  (in the command-line process, and again in every worker, whose path is copied from
  its parent) — unless ``budget_extract`` itself was imported from there (a source
  checkout the user chose to run);
* :func:`helpers_started_safely` starts the forkserver and resource tracker with no
  working directory on their path: ``PYTHONSAFEPATH`` (Python 3.11+, the ``-P`` flag as
  an environment variable, which ``python -c`` obeys), and on 3.10, where that does not
  exist, from an empty private folder (their ``''`` entry then names that folder);
* :func:`python_command` is ``python -m MODULE`` without the working directory, for the
  subprocess worker of the Dask executor.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator

SAFE_PATH_ENV = sys.version_info >= (3, 11)
"""Whether this Python honours ``PYTHONSAFEPATH`` (and ``-P``)."""


def _package_root() -> str:
    """The folder ``budget_extract`` was imported from (its parent directory)."""
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _same_dir(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def sanitise_sys_path() -> None:
    """Remove the working directory (``''``, ``.``, or its absolute path) from
    ``sys.path``, so later (lazy) imports cannot pick up a planted module."""
    try:
        cwd = os.getcwd()
    except OSError:  # the working directory was deleted: '' finds nothing there anyway
        cwd = ""
    root = _package_root()
    keep = []
    for entry in sys.path:
        here = entry in ("", ".") or (cwd and os.path.isabs(entry) and _same_dir(entry, cwd))
        if here and not (cwd and _same_dir(cwd, root)):
            continue
        keep.append(entry)
    sys.path[:] = keep


@contextlib.contextmanager
def helpers_started_safely() -> Iterator[None]:
    """Inside this block, ``python -c`` children (multiprocessing's forkserver and
    resource tracker) get no working directory on their import path."""
    if SAFE_PATH_ENV:
        old = os.environ.get("PYTHONSAFEPATH")
        os.environ["PYTHONSAFEPATH"] = "1"
        try:
            yield
        finally:
            if old is None:
                os.environ.pop("PYTHONSAFEPATH", None)
            else:
                os.environ["PYTHONSAFEPATH"] = old
        return
    cwd = os.getcwd()
    empty = tempfile.mkdtemp(prefix="budget-extract-start-")
    os.chdir(empty)
    try:
        yield
    finally:
        os.chdir(cwd)
        with contextlib.suppress(OSError):
            os.rmdir(empty)  # the helper's '' then names a deleted folder: imports nothing


def python_command(module: str) -> list[str]:
    """``python -m module`` with the working directory kept off the import path (``-m``
    puts it first): ``-c`` drops the ``''`` entry before anything is imported."""
    boot = ("import sys; sys.path[:] = [p for p in sys.path if p not in ('', '.')]; "
            f"import runpy; runpy.run_module({module!r}, run_name='__main__', alter_sys=True)")
    return [sys.executable, "-c", boot]


def die_with_parent() -> None:
    """Have the kernel kill this worker when its parent dies (Linux), so that a batch
    killed with SIGKILL leaves no orphaned worker running on: nobody would read its
    result, and a hung one would never be stopped.  Elsewhere, a no-op."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - no libc prctl
        return
    if os.getppid() != parent:  # the parent died before the request: go now
        os._exit(1)
