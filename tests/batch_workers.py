"""Worker functions for the batch isolation tests (imported by the worker processes).

Each misbehaves on purpose according to the input's file name, the way a bad PDF makes a
C library crash, loop or eat memory, so the tests can watch the batch contain it.
"""

from __future__ import annotations

import os
import signal
import time

from budget_extract.jobs import BatchJob, JobResult, run_job


def misbehaving(job: BatchJob) -> JobResult:
    name = os.path.basename(job.path)
    if name.startswith("crash"):
        os.kill(os.getpid(), signal.SIGSEGV)
    if name.startswith("hang"):
        time.sleep(600)
    if name.startswith("hog"):
        hog = bytearray(8 * 1024 ** 3)  # far over the test's cap: MemoryError
        hog[0] = 1
    return run_job(job)


def peak_memory(job: BatchJob) -> JobResult:
    """``run_job``, reporting the worker's peak resident memory (VmHWM, kB) in ``debug``."""
    result = run_job(job)
    with open("/proc/self/status", encoding="ascii") as f:
        hwm = next(line.split()[1] for line in f if line.startswith("VmHWM:"))
    result.debug = hwm
    return result
