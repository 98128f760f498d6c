"""The command line as a user runs it: ``python -m budget_extract.cli ARGS`` in a child process.

One helper for every module that tests the CLI end to end (exit codes, one-line errors,
files written under a file-size limit), so that they all run it the same way: with this
interpreter, the inherited environment (so ``PYTHONPATH`` names this checkout), text output
and a timeout that ends a hung run instead of the suite.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path

CLI = (sys.executable, "-m", "budget_extract.cli")


def cli_argv(*args: object) -> list[str]:
    """The command line for ``budget-extract ARGS`` (for ``subprocess.Popen``)."""
    return [*CLI, *map(str, args)]


def _file_size_limit(limit: int) -> Callable[[], None]:
    """A ``preexec_fn``: files the child writes stop at ``limit`` bytes (RLIMIT_FSIZE), and a
    write past it fails with EFBIG instead of killing the process with SIGXFSZ."""

    def set_limit() -> None:
        import resource
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    return set_limit


def cli(*args: object, cwd: str | Path | None = None, env: Mapping[str, str] | None = None,
        timeout: float = 300, file_size_limit: int | None = None,
        ) -> subprocess.CompletedProcess[str]:
    """Run ``budget-extract ARGS`` to the end; stdout and stderr captured as text."""
    preexec = _file_size_limit(file_size_limit) if file_size_limit is not None else None
    return subprocess.run(cli_argv(*args), capture_output=True, text=True, cwd=cwd,
                          env=None if env is None else dict(env), timeout=timeout,
                          preexec_fn=preexec)


@cache
def cli_help() -> subprocess.CompletedProcess[str]:
    """``budget-extract --help``, run once per session: several modules read its text."""
    return cli("--help")


def errors_of(stderr: str) -> list[str]:
    """The ``error: …`` lines of a run's stderr (each failure is one such line)."""
    return [ln for ln in stderr.splitlines() if ln.startswith("error: ")]
