"""A batch-wide memory budget: how many files may be read at once under the per-file cap.

``--memory-limit`` caps each worker's address space, so ``batch -j N`` may take up to
N times the cap.  Where that is more than the machine (or the container) has, the
out-of-memory killer, not the per-file limit, would end the run, taking a random
process with it.  :func:`jobs_within_memory` lowers N so that N caps fit, and says so.
"""

from __future__ import annotations

import os
from pathlib import Path


def _cgroup_limit_mb() -> int:
    """The memory limit of this process's cgroup in MB (0: none found).

    A container sees the host's ``MemTotal``; its real budget is the cgroup's
    (``memory.max`` in cgroup v2, ``memory.limit_in_bytes`` in v1).
    """
    for name in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(name).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            continue
        if text.isdigit() and int(text) < 1 << 60:  # v1 says "no limit" with a huge number
            return int(text) >> 20
    return 0


def machine_memory_mb() -> int:
    """The memory this process may use, in MB: physical memory, or the cgroup's limit
    if that is lower (0: unknown, e.g. on a platform without ``sysconf``)."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") >> 20
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not POSIX
        total = 0
    cgroup = _cgroup_limit_mb()
    if cgroup and (not total or cgroup < total):
        return cgroup
    return total


def jobs_within_memory(jobs: int, cap_mb: int, total_mb: int) -> tuple[int, str | None]:
    """``jobs`` lowered so that ``jobs × cap_mb`` fits in ``total_mb``, and a note saying
    so (None when nothing changed).  No cap (0) or unknown memory (0): unchanged; one
    job is always allowed (a single file over the machine is the per-file limit's case).
    """
    if cap_mb <= 0 or total_mb <= 0 or jobs * cap_mb <= total_mb:
        return jobs, None
    fits = max(1, total_mb // cap_mb)
    if fits >= jobs:
        return jobs, None
    return fits, (f"{jobs} files at once with the {cap_mb:,} MB memory limit per file could "
                  f"take {jobs * cap_mb:,} MB, more than the {total_mb:,} MB this machine has: "
                  f"reading {fits} at once (lower --memory-limit to read more at once)")
