"""Where batch jobs run: local worker processes, or a Dask distributed cluster.

Both executors take :class:`~budget_extract.jobs.BatchJob` s and yield
:class:`~budget_extract.jobs.JobResult` s as they finish, and both isolate each input:

* **time limit** — a job running past ``timeout`` seconds is killed and reported;
* **memory cap** — the worker's address space is capped (``RLIMIT_AS``), so a
  decompression bomb fails with MemoryError instead of swapping the machine;
* **crash containment** — a segfault in a PDF library kills only that job's process;
  the batch records it and carries on.

:class:`LocalExecutor` starts one process per input from a ``forkserver`` that has the
code those inputs need preloaded (:func:`modules_for`; cheap to start, and a fresh process
per file also returns all of a file's memory); a single input is forked from the caller.
Workers ignore SIGINT so that Ctrl-C reaches only the parent, which then kills them:
nothing they were doing has been written yet.

:class:`DaskExecutor` runs the same job on a Dask cluster; inside a Dask worker (a
long-lived daemon process, which may not start multiprocessing children) each job runs in
an ``os.fork()`` of the warm worker with the same limits (:func:`run_forked`), and the
input travels as bytes so the cluster needs no shared file system.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from multiprocessing.connection import Connection, wait
from typing import Any

from .errors import ExtractError
from .isolation import helpers_started_safely, python_command, sanitise_sys_path
from .jobs import (
    BatchJob,
    JobResult,
    die_with_parent,
    failure,
    limit_memory,
    memory_reason,
    run_job,
)
from .pageprogress import PageDone, listening
from .readers import FORMAT_OF_SUFFIX

PRELOAD = ["budget_extract.jobs", "budget_extract.api"]
"""What every worker needs; :func:`modules_for` adds what a given set of jobs needs."""

_READER_MODULES = {"pdf": ["budget_extract.readers.pdf", "budget_extract.readers.pdf.pdfium",
                            "pypdfium2"],
                   "markdown": ["budget_extract.readers.markdown"],
                   "html": ["budget_extract.readers.html"]}
"""The modules of each format's reader (formats by file name: ``readers.FORMAT_OF_SUFFIX``)."""


def modules_for(jobs: Iterable[BatchJob]) -> list[str]:
    """The modules the workers of these jobs will import, to load once before forking.

    Only what the jobs need: the readers of their inputs' formats (an input named
    otherwise is sniffed in the worker and imports its reader there), openpyxl only when a
    workbook is written, the dataset writers only for a batch; pdfplumber never (it is the
    fallback engine, imported by the rare file that needs it).  An ``extract`` of one small
    Markdown file so pays for Markdown, not for two PDF libraries and a spreadsheet one.
    """
    mods = list(PRELOAD)
    for job in jobs:
        fmt = FORMAT_OF_SUFFIX.get(os.path.splitext(job.path)[1].lower(), "")
        extra = list(_READER_MODULES.get(fmt, []))
        if job.mode != "check" and job.xlsx:
            extra.append("budget_extract.emit.xlsx_out")
        if job.mode == "batch":
            extra += ["budget_extract.emit.dataset", "budget_extract.emit.datapackage"]
        mods += [m for m in extra if m not in mods]
    return mods


def timeout_reason(seconds: float) -> str:
    return (f"exceeded the {seconds:g} s time limit and was stopped "
            "(raise --timeout if the file is genuinely large)")


def crash_reason(exitcode: int | None, memory_mb: int) -> str:
    """Why a worker died without a result, in words."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        if name == "SIGKILL":
            return (f"the worker was killed (SIGKILL) — most likely out of memory "
                    f"(cap {memory_mb} MB)")
        return f"the worker crashed ({name}) reading this file"
    return f"the worker exited unexpectedly (exit code {exitcode})"


def _child(conn: Connection, job: BatchJob, memory_mb: int,
           worker: Callable[[BatchJob], JobResult]) -> None:
    """Worker process body: no Ctrl-C (the parent decides), capped memory, one job; it
    dies with the forkserver, which exits when the batch does (even by SIGKILL)."""
    sanitise_sys_path()  # the path was copied from the parent: no cwd for lazy imports
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
    limit_memory(memory_mb)

    def report(done: int, total: int) -> None:
        with contextlib.suppress(OSError, ValueError):  # progress is never worth failing
            conn.send(PageDone(done, total))

    try:
        with listening(report):
            result = worker(job)
    except MemoryError:
        result = failure(job, memory_reason(memory_mb))
    except BaseException as e:  # noqa: BLE001 - run_job reports ordinary errors itself
        result = failure(job, f"internal error ({type(e).__name__}: {e})")
    try:
        try:
            conn.send(result)
        except MemoryError:  # pragma: no cover - too big to pickle under the cap
            conn.send(failure(job, "ran out of memory sending the results"))
    except OSError:  # the parent is gone (interrupted, killed): nobody left to tell
        pass
    conn.close()


@contextlib.contextmanager
def _main_importable() -> Iterator[None]:
    """Workers re-import the parent's ``__main__`` by its file; when that is no file
    (``python - < script``, some embedders) hide it, as for ``python -c``."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if main is None or path is None or os.path.isfile(path):
        yield
        return
    del main.__file__
    try:
        yield
    finally:
        main.__file__ = path


def _context(preload: list[str] | None = None, *, single: bool = False) -> Any:
    """How worker processes start.

    A forkserver (a clean interpreter that imports ``preload`` once and forks a worker
    per job) pays off over many jobs; for a single job (``extract`` or ``check`` of one
    file) its second interpreter and resource tracker cost more than the job, so this
    process, still single-threaded, is forked directly."""
    methods = multiprocessing.get_all_start_methods()
    if single and "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        # not the running main module (``python -m budget_extract.cli``): the forkserver
        # runs that itself, and importing it first makes runpy warn on stderr
        spec = getattr(sys.modules.get("__main__"), "__spec__", None)
        ctx.set_forkserver_preload([m for m in preload or PRELOAD
                                    if m != getattr(spec, "name", None)])
        from multiprocessing import forkserver, resource_tracker

        # `python -c`: no cwd on the helpers' import path.  The forkserver's first start
        # launches the resource tracker, whose start ends by unblocking SIGINT: launch it
        # first, then the server with SIGINT blocked (its workers inherit the mask)
        with helpers_started_safely():
            resource_tracker.ensure_running()
            with sigint_held():
                forkserver.ensure_running()
        return ctx
    return multiprocessing.get_context("spawn")  # pragma: no cover - Windows


class LocalExecutor:
    """Up to ``jobs`` worker processes on this machine, one per input.

    ``worker`` is the function each process runs (a module-level function, since it is
    sent to the process by name); tests pass one that crashes or hangs on purpose.
    """

    name = "local"

    def __init__(self, jobs: int, timeout: float = 300, memory_mb: int = 4096,
                 worker: Callable[[BatchJob], JobResult] = run_job,
                 on_page: Callable[[BatchJob, int, int], None] | None = None) -> None:
        self.jobs = max(1, jobs)
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.worker = worker
        self.on_page = on_page
        """Called with (job, pages done, pages in the file) as a worker reads a PDF."""

    def _receive(self, conn: Connection, job: BatchJob) -> tuple[JobResult | None, bool]:
        """Everything the worker has sent so far: page reports go to :attr:`on_page`;
        returns its result (or None) and whether the pipe is closed or broken."""
        try:
            while conn.poll():
                msg = conn.recv()
                if isinstance(msg, PageDone):
                    if self.on_page is not None:
                        self.on_page(job, msg.done, msg.total)
                    continue
                return msg, False
        except (EOFError, OSError, pickle.UnpicklingError):
            return None, True
        return None, False

    def run(self, jobs: Iterable[BatchJob]) -> Iterator[JobResult]:
        pending = deque(jobs)
        ctx = _context(modules_for(pending), single=len(pending) == 1)
        # -j shared out: with fewer files than workers, a file's scanned pages use the rest
        ocr_workers = max(1, self.jobs // max(len(pending), 1))
        running: dict[Connection, tuple[Any, BatchJob, float]] = {}
        try:
            while pending or running:
                while pending and len(running) < self.jobs:
                    job = replace(pending.popleft(), ocr_workers=ocr_workers)
                    recv, send = ctx.Pipe(duplex=False)
                    proc = ctx.Process(target=_child, args=(send, job, self.memory_mb, self.worker),
                                       daemon=True, name=f"budget-extract {job.source_path}")
                    deadline = time.monotonic() + self.timeout if self.timeout > 0 else 1e18
                    with sigint_held():  # a Ctrl-C now arrives after registering
                        try:
                            with _main_importable():
                                proc.start()
                        finally:  # registered at once: Ctrl-C from here on kills it too
                            if proc.pid is not None:
                                running[recv] = (proc, job, deadline)
                    send.close()
                now = time.monotonic()
                wait_for = min(d for _, _, d in running.values()) - now
                waitables: list[Any] = list(running)
                waitables += [p.sentinel for p, _, _ in running.values()]
                ready = set(wait(waitables, timeout=max(0.0, min(wait_for, 3600))))
                for conn in list(running):
                    proc, job, deadline = running[conn]
                    result: JobResult | None = None
                    if conn in ready or proc.sentinel in ready:
                        result, closed = self._receive(conn, job)
                        if result is None and (closed or proc.sentinel in ready):
                            proc.join(5)
                            result = failure(job, crash_reason(proc.exitcode, self.memory_mb))
                    if result is None and time.monotonic() >= deadline:
                        _kill(proc)
                        result = failure(job, timeout_reason(self.timeout))
                    if result is None:
                        continue
                    del running[conn]
                    conn.close()
                    proc.join(5)
                    if proc.is_alive():  # pragma: no cover - sent its result, then hung
                        _kill(proc)
                    yield result
        finally:  # Ctrl-C, an error, or the consumer stopped: no orphaned workers
            for conn, (proc, _, _) in running.items():
                _kill(proc)
                conn.close()


@contextlib.contextmanager
def sigint_held() -> Iterator[None]:
    """Hold Ctrl-C until the block ends; the caller gets it as KeyboardInterrupt then.

    Two uses, one mechanism.  The batch's parent commits a document (files, rows, journal
    line) inside it, so a document is committed whole or not at all.  Workers are started
    inside it: SIGINT is blocked in the signal mask, which multiprocessing's forkserver
    (launched by the first start) and every worker it forks inherit, so a Ctrl-C (sent by
    the terminal to the whole process group) cannot interrupt a worker or the forkserver
    while it imports — each printed a ``KeyboardInterrupt`` traceback; workers need no
    SIGINT, the parent decides and kills them.  In the main thread a handler also
    records a Ctrl-C delivered meanwhile to another thread (Dask's client runs some),
    which the mask of this thread alone would not hold."""
    main = threading.current_thread() is threading.main_thread()
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum)) \
        if main else None
    mask = hasattr(signal, "pthread_sigmask")  # not on Windows
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if mask else None
    try:
        yield
    finally:
        if old is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)  # a held Ctrl-C arrives now
        if main:
            signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


def _kill(proc: Any) -> None:
    try:
        proc.kill()
    except (OSError, AttributeError):  # pragma: no cover - already gone
        pass
    proc.join(5)


# --------------------------------------------------------------------------- Dask


def run_forked(job: BatchJob, timeout: float, memory_mb: int) -> JobResult:
    """Run ``job`` in a fork of this process, with the time limit and the memory cap.

    The Dask task.  A Dask worker is a long-lived process: the modules the job needs are
    imported into it once (:func:`modules_for`), and each job then runs in a ``fork()`` of
    that warm process — a few milliseconds, instead of a new interpreter importing
    everything for every file.  The child caps its address space, runs the job and sends
    the pickled result through a pipe; the worker kills it at the deadline, and a crash
    (a PDF library in C) takes only the child down.  Where ``fork`` is missing (Windows)
    the job runs as a ``python -m budget_extract.jobs`` subprocess instead.
    """
    if not hasattr(os, "fork"):  # pragma: no cover - Windows
        return run_isolated(job, timeout, memory_mb)
    import importlib

    for name in modules_for([job]):  # warm the worker once; later forks share it
        importlib.import_module(name)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the Dask worker's code
        code = 0
        try:
            # the warm worker's objects (Dask, tornado) stay put: never walked by this
            # child's collector, so their pages are not copied on write (docs/performance)
            gc.freeze()
            os.close(read_fd)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            die_with_parent()
            if memory_mb > 0:  # the cap is the file's budget on top of the warm worker
                limit_memory(memory_mb + _address_space_mb())
            try:
                result = run_job(job)
            except MemoryError:
                result = failure(job, memory_reason(memory_mb))
            except BaseException as e:  # noqa: BLE001 - run_job reports bad input itself
                result = failure(job, f"internal error ({type(e).__name__}: {e})")
            data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_fd, "wb") as out:
                out.write(data)
        except BaseException:  # noqa: BLE001 - nothing may escape a forked child
            code = 1
        finally:
            os._exit(code)
    os.close(write_fd)
    return _collect(job, pid, read_fd, timeout, memory_mb)


def _address_space_mb() -> int:
    """This process's address space (VmSize) in MB; 0 where /proc is missing."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            return next(int(ln.split()[1]) for ln in f if ln.startswith("VmSize:")) // 1024
    except (OSError, StopIteration, ValueError):
        return 0


def _collect(job: BatchJob, pid: int, fd: int, timeout: float, memory_mb: int) -> JobResult:
    """The forked child's result, read until it closes the pipe or the deadline passes."""
    import select

    deadline = time.monotonic() + timeout if timeout > 0 else float("inf")
    chunks: list[bytes] = []
    timed_out = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([fd], [], [], min(left, 3600))
            if not ready:
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(fd)
        if timed_out:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if timed_out:
        return failure(job, timeout_reason(timeout))
    if not chunks:
        code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        return failure(job, crash_reason(code, memory_mb))
    try:
        result: JobResult = pickle.loads(b"".join(chunks))
    except Exception as e:  # noqa: BLE001 - a child that died mid-write
        return failure(job, f"the worker's result could not be read ({type(e).__name__})")
    return result


def run_isolated(job: BatchJob, timeout: float, memory_mb: int) -> JobResult:
    """Run ``job`` in a ``python -m budget_extract.jobs`` subprocess with the limits.

    Where :func:`run_forked` cannot fork: a fresh interpreter per file (about 1.5 CPU-s of
    start-up and imports), but the same isolation.
    """
    try:
        p = subprocess.run([*python_command("budget_extract.jobs"), str(memory_mb)],
                           input=pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL),
                           capture_output=True, timeout=timeout if timeout > 0 else None,
                           check=False)
    except subprocess.TimeoutExpired:
        return failure(job, timeout_reason(timeout))
    if p.returncode != 0 or not p.stdout:
        tail = p.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        reason = crash_reason(p.returncode, memory_mb)
        return failure(job, reason + (f": {tail[0]}" if tail[0] else ""))
    try:
        result: JobResult = pickle.loads(p.stdout)
    except Exception as e:  # noqa: BLE001 - any garbage from a dying worker
        return failure(job, f"the worker's result could not be read ({type(e).__name__})")
    return result


QUIET_CLUSTER: dict[str, Any] = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.scheduler.work-stealing": False,
    "distributed.scheduler.worker-saturation": 1.0,
}
"""Dask settings for the ``LocalCluster`` a batch starts itself: what keeps an idle cluster
ticking over, turned down.  Left on, a two-worker cluster burns ~0.065 CPU-s per second of
wall time doing nothing (0.013 with these), ~0.2 CPU-s per document of a batch: the
statistical profiler samples each worker's threads every 10 ms (the one thread there only
waits for its forked child), the event-loop watchdog ticks every 20 ms in every process,
the system monitor polls psutil twice a second, work stealing rebalances every 100 ms.
Instead of stealing, a worker is given one task at a time (saturation 1.0: the rest wait
at the scheduler), so a long document never holds another queued behind it on its worker
while the other worker idles at the end of a batch.  ``memory_limit=0`` beside it
stops the nanny's and the worker's memory monitors (10 psutil polls a second each): they
measure the worker process, never the forked child that holds a document's memory, whose
cap is its own ``RLIMIT_AS`` (:func:`run_forked`)."""


def local_cluster(workers: int) -> tuple[Any, Any]:
    """A quiet ``LocalCluster`` of ``workers`` single-threaded worker processes on the
    loopback (:data:`QUIET_CLUSTER`) and a client of it: what ``--executor dask`` without
    ``--scheduler`` runs on.  The caller closes both."""
    import dask
    from distributed import Client, LocalCluster

    # the nannies hand this configuration on to the worker processes they start
    with dask.config.set(QUIET_CLUSTER):
        # no dashboard; the scheduler's HTTP server (health routes) on any free loopback
        # port, not 8787, which another cluster may hold (Dask then warns on stderr)
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, host="127.0.0.1", memory_limit=0,
                               scheduler_kwargs={"dashboard": False,
                                                 "dashboard_address": "127.0.0.1:0"})
        try:
            client = Client(cluster)
        except BaseException:
            cluster.close()
            raise
    return client, cluster


class DaskExecutor:
    """The same jobs on a Dask distributed cluster (``pip install 'dask[distributed]'``).

    ``scheduler`` is the scheduler's address (``tcp://host:8786``) or an existing
    ``distributed.Client``/``LocalCluster``; without one a quiet ``LocalCluster`` of
    ``jobs`` single-threaded workers (:func:`local_cluster`) is started for the run.
    """

    name = "dask"

    def __init__(self, scheduler: Any = None, jobs: int = 2, timeout: float = 300,
                 memory_mb: int = 4096, window: int | None = None) -> None:
        self.scheduler = scheduler
        self.jobs = max(1, jobs)
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.window = window

    def _client(self) -> tuple[Any, list[Any]]:
        from distributed import Client
        if self.scheduler is None:
            client, cluster = local_cluster(self.jobs)
            return client, [client, cluster]
        if isinstance(self.scheduler, str):
            try:
                client = Client(self.scheduler, timeout="30s")
            except Exception as e:  # noqa: BLE001 - OSError, TimeoutError, bad address …
                raise RuntimeError(f"cannot reach the Dask scheduler at {self.scheduler} "
                                   f"({type(e).__name__}: {e})") from e
            return client, [client]
        if hasattr(self.scheduler, "submit"):
            return self.scheduler, []  # a Client the caller owns
        client = Client(self.scheduler)  # a cluster object the caller owns
        return client, [client]

    def run(self, jobs: Iterable[BatchJob]) -> Iterator[JobResult]:
        try:
            from distributed import as_completed
        except ImportError as e:  # the CLI prints this one line, no traceback
            from .extras import missing

            raise RuntimeError(missing("--executor dask", "dask")) from e

        client, owned = self._client()
        try:
            threads = sum(client.nthreads().values()) or self.jobs
            window = self.window or max(2 * threads, 2)
            pending = deque(jobs)
            futures: dict[Any, BatchJob] = {}

            refused: deque[JobResult] = deque()

            def submit() -> Any:
                """Send the next job that can be read; one that cannot (a FIFO, a device,
                over the size cap, gone) is refused here with the local executor's line."""
                while pending:
                    job = pending.popleft()
                    try:
                        sent = _with_bytes(job)  # workers may not see this disk
                    except ExtractError as e:
                        refused.append(failure(job, e.reason))
                        continue
                    fut = client.submit(run_forked, sent, self.timeout, self.memory_mb,
                                        pure=False, key=f"budget-extract-{job.sha256[:16]}-"
                                                        f"{time.monotonic_ns()}")
                    futures[fut] = job
                    return fut
                return None

            first = [submit() for _ in range(min(window, len(pending)))]
            ac = as_completed([f for f in first if f is not None])
            yield from _drain(refused)
            for fut in ac:
                job = futures.pop(fut)
                try:
                    result = fut.result()
                except Exception as e:  # noqa: BLE001 - a lost worker, KilledWorker …
                    result = failure(job, f"the Dask task failed ({type(e).__name__}: {e})")
                if pending:
                    nxt = submit()
                    if nxt is not None:
                        ac.add(nxt)
                yield result
                yield from _drain(refused)
        finally:
            for fut in list(futures):
                fut.cancel()
            for obj in owned:
                try:
                    obj.close()
                except Exception:  # noqa: BLE001 - closing is best effort
                    pass


def _with_bytes(job: BatchJob) -> BatchJob:
    """``job`` carrying its input's bytes, read through the input checks (a FIFO never
    blocks, a device or an oversized file is refused: :class:`ExtractError`); its stamp
    is kept only if the bytes are those the batch hashed."""
    if job.data is not None:
        return job
    from .readers import load_stamped

    data, stamp = load_stamped(job.path)
    return replace(job, data=data, stamp=job.stamp if stamp == job.stamp else None)


def _drain(queue: deque[JobResult]) -> Iterator[JobResult]:
    while queue:
        yield queue.popleft()


def executor_for(kind: str, *, jobs: int, timeout: float, memory_mb: int,
                 scheduler: Any = None) -> LocalExecutor | DaskExecutor:
    if kind == "dask":
        return DaskExecutor(scheduler, jobs=jobs, timeout=timeout, memory_mb=memory_mb)
    if kind == "local":
        return LocalExecutor(jobs=jobs, timeout=timeout, memory_mb=memory_mb)
    raise ValueError(f"unknown executor {kind!r} (local or dask)")


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1
