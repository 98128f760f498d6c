"""``budget-extract batch DIR -o OUTDIR``: every supported file under DIR, into datasets.

The run, in order:

1. **discover** every supported file under DIR (sorted; hidden files and OUTDIR skipped)
   and give each a document id — its file stem, with its subfolder, and with its
   extension when two inputs would otherwise share a stem;
2. **hash** each input and look it up in the state journal
   (``OUTDIR/.budget-extract/state.jsonl``): an input whose id, content hash and options
   match a finished entry is skipped (``--force`` redoes everything, ``--retry-failed``
   the failures);
3. **extract** the rest on an executor (local processes or Dask), each input isolated
   with a time limit and a memory cap.  The parent alone writes: each document's files
   atomically (``S.json`` last), then its dataset rows, then one journal line — the
   commit point.  Ctrl-C kills the workers; what was committed stays, and a rerun does
   the rest;
4. **build** the combined datasets (``facts.csv`` and the other dataset CSVs,
   ``budget.sqlite``, ``datapackage.json``) from every finished document, in document
   order, so they are the same bytes however the work was split across runs — skipped
   when nothing changed;
5. **report**: ``report.json`` (no timings, so it too is reproducible) and a summary.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from . import __version__
from .emit.bundle import write_rendered
from .emit.combined import DATASET_FILES, DatasetWriter
from .emit.dataset import DATASET_VERSION
from .emit.files import safe_stem, write_text
from .emit.json_out import CONTRACT_VERSION
from .executors import executor_for, sigint_held
from .inputs import NotReadable, hash_input
from .jobs import BatchJob, JobResult
from .names import shown, unicode_name
from .readers import SUPPORTED_SUFFIXES
from .readers.pdf.pagebudget import PAGE_SECONDS

STATE_DIR = ".budget-extract"


@dataclass
class Input:
    """One input file: where it is, its id, its size."""

    path: str
    source_path: str  # relative to DIR, '/'-separated
    document: str
    size: int


@dataclass
class BatchOptions:
    jobs: int = 1
    timeout: float = 300.0
    memory_mb: int = 4096
    force: bool = False
    retry_failed: bool = False
    xlsx: bool = True
    bom: bool = False
    review: bool = True  # S.html
    password: str | None = None
    pdf_engine: str | None = None  # None: the default engine
    page_timeout: float | None = None  # per-page CPU seconds of a PDF; None: the default
    executor: str = "local"
    scheduler: Any = None

    def signature(self) -> str:
        """What an earlier result must have been made with to be reused."""
        sig: dict[str, Any] = {"tool": __version__, "contract": CONTRACT_VERSION,
                               "dataset": DATASET_VERSION, "xlsx": self.xlsx, "bom": self.bom,
                               "review": self.review, "password": self.password is not None}
        # pages skipped or read depend on it; the default given explicitly is the default
        if self.page_timeout is not None and float(self.page_timeout) != PAGE_SECONDS:
            sig["page_timeout"] = float(self.page_timeout)
        return json.dumps(sig, sort_keys=True)


@dataclass
class InputStatus:
    """One line of ``report.json``."""

    source_path: str
    document: str
    sha256: str = ""
    status: str = "pending"  # ok, failed, pending (not reached: interrupted)
    error: str = ""
    reused: bool = False  # finished by an earlier run
    pages: int = 0
    tables: int = 0
    facts: int = 0
    checks: int = 0
    checks_failed: int = 0
    outputs: list[str] = field(default_factory=list)


@dataclass
class BatchResult:
    inputs: list[InputStatus]
    interrupted: bool = False
    datasets_written: bool = False
    datasets_error: str = ""
    """Why the combined datasets could not be built (disk full …); '' when they were."""
    debug: dict[str, str] = field(default_factory=dict)

    def count(self, status: str) -> int:
        return sum(1 for s in self.inputs if s.status == status)

    @property
    def extracted(self) -> int:
        return sum(1 for s in self.inputs if s.status != "pending" and not s.reused)

    @property
    def reused(self) -> int:
        return sum(1 for s in self.inputs if s.reused)

    def total(self, attr: str) -> int:
        return sum(getattr(s, attr) for s in self.inputs if s.status == "ok")


class Progress(Protocol):
    """What the batch tells its display (see :mod:`budget_extract.progress`)."""

    def start(self, files: int, size: int, reused: int) -> None: ...
    def done(self, status: InputStatus, size: int) -> None: ...
    def error(self, line: str) -> None: ...
    def stop(self) -> None: ...


class _Silent:
    def start(self, files: int, size: int, reused: int) -> None:
        pass

    def done(self, status: InputStatus, size: int) -> None:
        pass

    def error(self, line: str) -> None:
        print(line, file=sys.stderr)

    def stop(self) -> None:
        pass


# --------------------------------------------------------------------------- discovery


def discover(root: str, outdir: str | None = None) -> list[Input]:
    """Every supported file under ``root``, sorted, with unique document ids."""
    root = os.path.abspath(root)
    skip = os.path.realpath(outdir) if outdir else None
    found: list[tuple[str, str, int]] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                             and os.path.realpath(os.path.join(dirpath, d)) != skip)
        for name in sorted(filenames):
            if name.startswith(".") or not name.lower().endswith(SUPPORTED_SUFFIXES):
                continue
            p = os.path.join(dirpath, name)
            try:
                size = os.stat(p).st_size
            except OSError:
                size = 0
            rel = unicode_name(os.path.relpath(p, root).replace(os.sep, "/"))
            found.append((p, rel, size))
    found.sort(key=lambda x: x[1])
    ids = document_ids([rel for _, rel, _ in found])
    return [Input(path=p, source_path=rel, document=ids[rel], size=size)
            for p, rel, size in found]


def document_ids(rels: list[str]) -> dict[str, str]:
    """Each input's document id (see :func:`unique_ids`), by its relative path."""
    return dict(zip(rels, unique_ids(rels), strict=True))


DOC_SUFFIXES = ("", ".json", ".facts.csv", ".xlsx", ".html")
"""What a document with id S writes: the folder ``S/`` (its tables), ``S.json``,
``S.facts.csv``, ``S.xlsx`` and the review page ``S.html``."""


def unique_ids(rels: list[str], reserved: frozenset[str] | None = None) -> list[str]:
    """Each input's document id: ``sub/dir/stem``; ``stem.ext`` when two inputs in one
    folder share a stem, or when one of the files the stem names would be another
    document's or the batch's own (``facts.csv.md`` would make a folder ``facts.csv/``
    where the dataset's ``facts.csv`` goes; ``预算.xlsx.html`` a folder where ``预算.md``'s
    workbook goes); ``-2``, ``-3`` … after that.  Deterministic: the same inputs in the
    same order get the same ids.  Compared case-insensitively, since output folders may
    live on such file systems."""
    if reserved is None:
        reserved = frozenset(f.casefold() for f in (*DATASET_FILES, "report.json", STATE_DIR))

    def parts(rel: str, keep_ext: bool) -> str:
        *dirs, name = rel.split("/")
        stem = name if keep_ext else os.path.splitext(name)[0]
        return "/".join([safe_stem(d) for d in dirs] + [safe_stem(stem)])

    plain = [parts(rel, False) for rel in rels]
    counts: dict[str, int] = {}
    for d in plain:
        counts[d.casefold()] = counts.get(d.casefold(), 0) + 1
    claimed = set(reserved)

    def clash(d: str) -> bool:
        return any((d + s).casefold() in claimed for s in DOC_SUFFIXES)

    out: list[str] = []
    for rel, d in zip(rels, plain, strict=True):
        cands = [parts(rel, True)] if counts[d.casefold()] > 1 else [d, parts(rel, True)]
        chosen = next((c for c in cands if not clash(c)), None)
        n = 2
        while chosen is None:
            if not clash(f"{cands[-1]}-{n}"):
                chosen = f"{cands[-1]}-{n}"
            n += 1
        claimed.update((chosen + s).casefold() for s in DOC_SUFFIXES)
        out.append(chosen)
    return out


# --------------------------------------------------------------------------- state


class State:
    """The journal of finished inputs: one JSON line each, appended and fsynced.

    A line is written only after the document's files and rows are on disk, so it is
    the commit point; a torn last line (power loss) is ignored on reading.
    """

    def __init__(self, outdir: str) -> None:
        self.dir = os.path.join(outdir, STATE_DIR)
        self.path = os.path.join(self.dir, "state.jsonl")
        os.makedirs(self.dir, exist_ok=True)
        self.records: dict[str, dict[str, Any]] = {}
        try:
            with open(self.path, encoding="utf-8") as f:
                for line in f:
                    try:
                        rec = json.loads(line)
                        self.records[rec["source_path"]] = rec
                    except (ValueError, KeyError, TypeError):
                        continue
        except FileNotFoundError:
            pass

    def rows_path(self, document: str) -> str:
        return os.path.join(self.dir, "rows", *document.split("/")) + ".json"

    def append(self, rec: dict[str, Any]) -> None:
        """Append one line.  A line the disk has no room for is cut off again: left torn,
        the next run's first line would be glued to it and lost too."""
        line = (json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
        try:
            end = os.lseek(fd, 0, os.SEEK_END)
            try:
                view = memoryview(line)
                while view:  # unbuffered: nothing is left to be flushed after a failure
                    view = view[os.write(fd, view):]
                os.fsync(fd)
            except OSError as e:
                from .emit.faults import write_failed

                with contextlib.suppress(OSError):
                    os.ftruncate(fd, end)
                raise write_failed(self.path, e) from e
        finally:
            os.close(fd)
        self.records[rec["source_path"]] = rec

    def compact(self, keep: set[str]) -> None:
        """Rewrite the journal with one line per current input."""
        lines = [json.dumps(self.records[k], ensure_ascii=False, sort_keys=True) + "\n"
                 for k in sorted(keep) if k in self.records]
        write_text(self.path, "".join(lines))

    def read(self, name: str) -> Any:
        try:
            with open(os.path.join(self.dir, name), encoding="utf-8") as f:
                return json.load(f)
        except (OSError, ValueError):
            return None

    def write(self, name: str, obj: Any) -> None:
        write_text(os.path.join(self.dir, name),
                   json.dumps(obj, ensure_ascii=False, sort_keys=True) + "\n")


@contextlib.contextmanager
def _lock(state_dir: str) -> Iterator[None]:
    """One batch per output folder at a time (POSIX advisory lock; none elsewhere)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    f = open(os.path.join(state_dir, "lock"), "w")
    try:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise BatchError("another batch is writing to this output folder") from None
        yield
    finally:
        f.close()


class BatchError(Exception):
    """The batch as a whole cannot run (a usage problem, not a bad input)."""


# --------------------------------------------------------------------------- the run


def _status_from(rec: dict[str, Any], reused: bool) -> InputStatus:
    keys = InputStatus.__dataclass_fields__
    st = InputStatus(**{k: v for k, v in rec.items() if k in keys})
    st.reused = reused
    return st


def _reusable(rec: dict[str, Any] | None, inp: Input, sha: str, sig: str,
              opts: BatchOptions, state: State, outdir: str) -> bool:
    if rec is None or opts.force:
        return False
    if (rec.get("sha256"), rec.get("signature"), rec.get("document")) != (
            sha, sig, inp.document):
        return False
    if rec.get("status") == "failed":
        return not opts.retry_failed
    if rec.get("status") != "ok":
        return False
    outputs = rec.get("outputs") or []
    return (bool(outputs) and os.path.isfile(state.rows_path(inp.document))
            and all(os.path.isfile(os.path.join(outdir, *o.split("/"))) for o in outputs))


def run_batch(root: str, outdir: str, opts: BatchOptions,
              progress: Progress | None = None, executor: Any = None) -> BatchResult:
    """Run a batch (see the module docstring); raise :class:`BatchError` for usage errors.

    ``executor`` overrides the one ``opts`` names (anything with ``run(jobs)`` yielding
    results, e.g. a configured :class:`~budget_extract.executors.LocalExecutor`).
    KeyboardInterrupt is absorbed: the result says ``interrupted`` and ``report.json``
    lists the inputs not reached as ``pending``.
    """
    if not os.path.isdir(root):
        raise BatchError("not a folder" if os.path.exists(root) else "no such folder")
    progress = progress or _Silent()
    os.makedirs(outdir, exist_ok=True)
    state = State(outdir)
    with _lock(state.dir):
        return _run(root, outdir, opts, progress, state, executor)


def remove_leftovers(outdir: str) -> list[str]:
    """Delete the temporary files a killed run left behind; return their paths.

    Every file is written as ``.tmp-*.part`` (SQLite may add ``-journal``) and renamed
    into place, so a run killed outright (SIGKILL, power loss) can leave one such file per
    folder it was writing, never a half-written output.  Only the tool's own temporary
    names are touched, and only under the batch lock, when no other run is writing.
    """
    removed = []
    for dirpath, _dirnames, filenames in os.walk(outdir):
        for name in filenames:
            if name.startswith(".tmp-") and ".part" in name:
                p = os.path.join(dirpath, name)
                with contextlib.suppress(OSError):
                    os.unlink(p)
                    removed.append(p)
    return sorted(removed)


def _run(root: str, outdir: str, opts: BatchOptions, progress: Progress,
         state: State, executor: Any) -> BatchResult:
    remove_leftovers(outdir)
    inputs = discover(root, outdir)
    if not inputs:
        raise BatchError("no supported files (PDF, Markdown, HTML) under it")
    sig = opts.signature()
    statuses: dict[str, InputStatus] = {}
    todo: list[tuple[Input, BatchJob]] = []
    result = BatchResult(inputs=[])

    try:
        for inp in inputs:
            try:
                # a FIFO or /dev/zero is refused here: hashing it would never end
                sha, stamp = hash_input(inp.path)
            except NotReadable as e:  # a device, over the size cap: never read
                statuses[inp.source_path] = InputStatus(
                    inp.source_path, inp.document, status="failed", error=e.reason)
                continue
            except OSError as e:
                statuses[inp.source_path] = InputStatus(
                    inp.source_path, inp.document, status="failed",
                    error=f"cannot read the file ({e.strerror})")
                continue
            rec = state.records.get(inp.source_path)
            if _reusable(rec, inp, sha, sig, opts, state, outdir):
                statuses[inp.source_path] = _status_from(rec or {}, reused=True)
                continue
            statuses[inp.source_path] = InputStatus(inp.source_path, inp.document, sha)
            todo.append((inp, BatchJob(path=inp.path, source_path=inp.source_path,
                                       document=inp.document, sha256=sha, stamp=stamp,
                                       xlsx=opts.xlsx, bom=opts.bom, password=opts.password,
                                       review=opts.review, pdf_engine=opts.pdf_engine,
                                       page_timeout=opts.page_timeout)))
        for st in statuses.values():
            if st.status == "failed":
                note = " (unchanged since an earlier run; --retry-failed tries again)" \
                    if st.reused else ""
                progress.error(f"error: {shown_path(root, st.source_path)}: {st.error}{note}")

        sizes = {inp.source_path: inp.size for inp, _ in todo}
        progress.start(len(todo), sum(sizes.values()), len(inputs) - len(todo))
        executor = executor or executor_for(
            opts.executor, jobs=opts.jobs, timeout=opts.timeout, memory_mb=opts.memory_mb,
            scheduler=opts.scheduler)
        page = getattr(progress, "page", None)  # pages as a worker reads them, if shown
        if page is not None and getattr(executor, "on_page", False) is None:
            executor.on_page = lambda job, done, total: page(
                job.source_path, sizes.get(job.source_path, 0), done, total)
        results = executor.run(job for _, job in todo)
        try:
            for res in results:
                with sigint_held():  # committed and recorded, or neither
                    st = _commit(res, outdir, state, sig)
                    statuses[res.source_path] = st
                    if res.debug:
                        result.debug[res.source_path] = res.debug
                    if st.status == "failed":
                        progress.error(f"error: {shown_path(root, st.source_path)}: "
                                       f"{st.error}")
                    progress.done(st, sizes.get(res.source_path, 0))
        finally:
            results.close()  # kills any worker still running
    except KeyboardInterrupt:
        result.interrupted = True
    finally:
        progress.stop()
        result.inputs = [statuses.get(inp.source_path)
                         or InputStatus(inp.source_path, inp.document) for inp in inputs]

    if not result.interrupted:
        try:
            result.datasets_written = _build_datasets(outdir, state, result, opts)
            current = {s.source_path for s in result.inputs}
            if result.extracted or set(state.records) != current:
                state.compact(current)  # one line per current input
        except KeyboardInterrupt:
            result.interrupted = True
        except (OSError, sqlite3.Error) as e:  # disk full, a file-size limit …: the
            # temporary files are gone, the previous datasets untouched
            result.datasets_error = datasets_error(outdir, e)
    _write_report(root, outdir, result)
    return result


def shown_path(root: str, source_path: str) -> str:
    """The input as the user named it: DIR as given, joined with the relative path
    (control characters escaped: a newline in a name cannot forge a line)."""
    return shown(os.path.join(root, *source_path.split("/")))


def _commit(res: JobResult, outdir: str, state: State, sig: str) -> InputStatus:
    """Write one finished job: files, rows, then the journal line (the commit point)."""
    st = InputStatus(res.source_path, res.document, res.sha256)
    if res.ok:
        # Each file is renamed into place whole; one sync for all of them (where the
        # system offers it) instead of one per file, then the journal line.
        bulk = hasattr(os, "sync")
        try:
            write_rendered(outdir, res.files, fsync=not bulk)  # S.json last
            write_text(state.rows_path(res.document),
                       json.dumps(res.records, ensure_ascii=False, sort_keys=True,
                                  default=str), fsync=not bulk)
            if bulk:
                os.sync()
        except OSError as e:
            st.status, st.error = "failed", f"cannot write {e.filename or outdir} ({e.strerror})"
        else:
            st.status = "ok"
            st.pages, st.tables, st.facts = res.pages, res.tables, res.facts
            st.checks, st.checks_failed = res.checks, res.checks_failed
            st.outputs = list(res.files)
    else:
        st.status, st.error = "failed", res.error
    rec = asdict(st)
    rec.pop("reused")
    rec["signature"] = sig
    state.append(rec)
    return st


def _build_datasets(outdir: str, state: State, result: BatchResult,
                    opts: BatchOptions) -> bool:
    """Rebuild the combined datasets unless they already hold exactly these documents."""
    ok = sorted((s for s in result.inputs if s.status == "ok"), key=lambda s: s.document)
    inputs = [{"source_path": s.source_path, "document": s.document, "sha256": s.sha256,
               "status": s.status, "error": s.error} for s in result.inputs]
    manifest = {"documents": [[s.document, s.sha256] for s in ok], "inputs": inputs,
                "signature": opts.signature()}
    if (state.read("datasets.json") == manifest
            and all(os.path.isfile(os.path.join(outdir, f)) for f in DATASET_FILES)):
        return False
    writer = DatasetWriter(outdir, bom=opts.bom)
    try:
        for s in ok:
            with open(state.rows_path(s.document), encoding="utf-8") as f:
                writer.add(json.load(f))
    except BaseException:
        writer.abort()
        raise
    with sigint_held():  # the files are swapped in together, or not at all
        writer.commit(inputs)
        state.write("datasets.json", manifest)
    return True


def datasets_error(outdir: str, e: BaseException) -> str:
    """One line for a dataset build that failed on the file system."""
    cause = (e.strerror if isinstance(e, OSError) and e.strerror else str(e)) or type(e).__name__
    where = getattr(e, "filename", None) or outdir
    return (f"the combined datasets (facts.csv, budget.sqlite …) could not be written in "
            f"{shown(str(where))} ({cause}; is the disk full, or a file-size limit set?); "
            "the documents' own files are complete, and the previous datasets are "
            "untouched: run batch again when there is room")


def report_dict(root: str, result: BatchResult) -> dict[str, Any]:
    """``report.json``: each input's status and error, and the totals (no timings)."""
    return {
        "contract": CONTRACT_VERSION,
        "dataset_version": DATASET_VERSION,
        "tool": f"budget_extract {__version__}",
        "input_dir": root,
        "interrupted": result.interrupted,
        "summary": {
            "inputs": len(result.inputs), "ok": result.count("ok"),
            "failed": result.count("failed"), "pending": result.count("pending"),
            "extracted_this_run": result.extracted, "reused": result.reused,
            "pages": result.total("pages"), "tables": result.total("tables"),
            "facts": result.total("facts"), "checks": result.total("checks"),
            "checks_failed": result.total("checks_failed"),
        },
        "inputs": [asdict(s) for s in result.inputs],
        **({"datasets_error": result.datasets_error} if result.datasets_error else {}),
    }


def _write_report(root: str, outdir: str, result: BatchResult) -> None:
    write_text(os.path.join(outdir, "report.json"),
               json.dumps(report_dict(root, result), ensure_ascii=False, indent=1) + "\n")
