"""The per-file batch job: one input in, its rendered outputs and dataset rows out.

A job never writes to the output folder.  It returns bytes (the document's files) and
plain rows (for ``budget.sqlite`` and the combined CSVs), and the batch's parent process
writes them.  That keeps one writer per output folder, makes every write atomic, and lets
the same job run in a local worker process or on a Dask worker on another machine (which
then needs neither the input's path nor the output folder: :attr:`BatchJob.data` carries
the input's bytes).

Local workers (``executors.LocalExecutor``) and Dask tasks (``executors.run_forked``, in
a fork of the warm Dask worker) call :func:`run_job` directly.  Run as
``python -m budget_extract.jobs``, this module is the fallback worker where no fork is
possible (Windows: ``executors.run_isolated``): it reads a pickled job on stdin, caps its
own memory, and writes a pickled :class:`JobResult` on stdout.
"""

from __future__ import annotations

import errno
import os
import pickle
import shutil
import sys
import tempfile
import traceback
from dataclasses import dataclass, field
from typing import Any, Literal

from .errors import ExtractError
from .inputs import Stamp
from .isolation import die_with_parent  # noqa: F401 - where executors and main() get it

JobMode = Literal["batch", "extract", "check"]
"""What a job produces: ``batch`` the document's files, its dataset rows and the wide CSVs'
datapackage entries; ``extract`` the document's files only; ``check`` only the checks."""


@dataclass
class BatchJob:
    """What a worker needs: where the input is (or its bytes), and what to render.

    ``mode`` says what the caller writes, so the worker renders that and nothing more
    (``budget-extract extract`` has no use for dataset rows, ``check`` for any file).
    """

    path: str  # absolute path of the input (on the machine that submitted the job)
    source_path: str  # the input relative to the batch folder (recorded in the outputs)
    document: str  # the document id: output stem, possibly with a subfolder
    sha256: str
    xlsx: bool = True
    bom: bool = False
    password: str | None = None
    data: bytes | None = None  # the input's bytes, when the worker cannot read `path`
    stamp: Stamp | None = None
    """The input's stamp when ``sha256`` was computed (``inputs.hash_input``); with
    ``data``, set only if those are the bytes hashed.  The worker then reuses ``sha256``
    instead of hashing the input again."""
    mode: JobMode = "batch"
    review: bool = True  # write the review page S.html
    pdf_engine: str | None = None  # "pdfium", "pdfplumber", None: the default
    page_timeout: float | None = None  # per-page CPU seconds of a PDF; None: the default
    ocr_workers: int = 1  # processes that may recognise this file's scanned pages at once


@dataclass
class JobResult:
    """A job's outcome: the outputs and rows when it worked, a one-line reason when not."""

    source_path: str
    document: str
    sha256: str
    ok: bool
    error: str = ""
    files: dict[str, bytes] = field(default_factory=dict)
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    pages: int = 0
    tables: int = 0
    facts: int = 0
    checks: int = 0
    checks_failed: int = 0
    debug: str = ""  # the traceback of an internal error (shown with --debug)
    check_list: list[tuple[str, str, str]] = field(default_factory=list)
    """(id, status, message) of every check, for ``mode="check"``."""


def failure(job: BatchJob, reason: str, debug: str = "") -> JobResult:
    return JobResult(source_path=job.source_path, document=job.document, sha256=job.sha256,
                     ok=False, error=reason, debug=debug)


def _extract(job: BatchJob) -> tuple[Any, bytes]:
    """The job's document, and the input's bytes it was read from (read here once, through
    the input checks, unless the job carries them): the review page draws its pages from
    the same bytes.  The batch's hash is reused when the file is still the one it hashed
    (same stamp) or the bytes came with the job from the hashing process."""
    from .api import extract_data
    from .readers import load_stamped
    from .readers.pdf.ocr.pages import use_workers
    from .readers.pdf.pagebudget import set_page_seconds

    set_page_seconds(job.page_timeout)  # this worker's setting, for this job
    use_workers(job.ocr_workers)
    if job.data is not None:
        data, same = job.data, job.stamp is not None
    else:
        data, stamp = load_stamped(job.path)
        same = job.stamp is not None and stamp == job.stamp
    sha256 = job.sha256 if same and job.sha256 else None
    return extract_data(data, job.path, job.password, pdf_engine=job.pdf_engine,
                        sha256=sha256), data


def run_job(job: BatchJob) -> JobResult:
    """Extract one input and render what ``job.mode`` asks for; never raises for bad input
    (the reason is in the result) — only for interruption.

    Libraries write temporary files (openpyxl one per worksheet, left behind when writing
    fails); here they all go to a private folder removed when the job ends, however it
    ends, and a full temporary folder is named as such, not as an internal error."""
    try:
        tmp = tempfile.mkdtemp(prefix="budget-extract-job-")
    except OSError as e:
        return failure(job, f"cannot create a temporary folder in {tempfile.gettempdir()} "
                            f"({e.strerror}); free space there or set TMPDIR to another folder")
    old = tempfile.tempdir
    tempfile.tempdir = tmp
    try:
        return _run_job(job, os.path.dirname(tmp))
    finally:
        tempfile.tempdir = old
        shutil.rmtree(tmp, ignore_errors=True)


def _run_job(job: BatchJob, tmp_parent: str) -> JobResult:
    try:
        doc, data = _extract(job)
        doc.stem = job.document
        doc.source.path = job.source_path  # relative: the same bytes wherever it ran
        return _render(job, doc, data)
    except ExtractError as e:
        return failure(job, e.reason)
    except MemoryError:
        return failure(job, memory_reason(_memory_cap_mb))
    except RecursionError:
        return failure(job, "the file is nested too deeply to read")

    except Exception as e:  # a bug: one line here, the traceback kept for --debug
        from .emit.faults import no_room

        code = no_room(e)
        if code is None:
            return _internal(job, e)
        limit = "; a file-size limit (ulimit -f) is set" if code == errno.EFBIG else ""
        return failure(job, f"no room to write temporary files in {tmp_parent} "
                            f"({os.strerror(code)}{limit}): free space there or set TMPDIR "
                            "to another folder")


def _internal(job: BatchJob, e: Exception) -> JobResult:
    if near_memory_cap():  # C code out of memory often fails some other way
        return failure(job, memory_reason(_memory_cap_mb), traceback.format_exc())
    return failure(job, f"internal error ({type(e).__name__}: {e}); rerun with --debug "
                        "and report it", traceback.format_exc())


def _render(job: BatchJob, doc: Any, data: bytes) -> JobResult:
    """The job's result for an extracted document (read from ``data``): only what its mode
    needs."""
    from .emit.bundle import render_outputs, wide_paths
    from .emit.dataset import document_records, table_positions
    from .facts import document_facts

    files: dict[str, bytes] = {}
    records: dict[str, list[dict[str, Any]]] = {}
    if job.mode != "check":
        files = render_outputs(doc, bom=job.bom, xlsx=job.xlsx, review=job.review,
                               pdf=data, password=job.password)
    if job.mode == "batch":
        paths = wide_paths(doc)
        positions = table_positions(doc)
        wide = {positions[id(t)]: p for t, p in zip(doc.tables, paths, strict=True)}
        records = document_records(doc, job.source_path, wide)
        records["wide"] = wide_resources(doc, wide, files)
    n_facts = len(records["facts"]) if records else len(document_facts(doc))
    return JobResult(source_path=job.source_path, document=job.document, sha256=job.sha256,
                     ok=True, files=files, records=records, pages=doc.source.pages or 1,
                     tables=len(doc.tables), facts=n_facts, checks=len(doc.checks),
                     checks_failed=sum(1 for c in doc.checks if c.status == "fail"),
                     check_list=[(c.id, c.status, c.message) for c in doc.checks]
                     if job.mode == "check" else [])


def wide_resources(doc: Any, wide: dict[int, str], files: dict[str, bytes]
                   ) -> list[dict[str, Any]]:
    """Datapackage entries for the document's wide CSVs (schema inferred from the text)."""
    from .budget.kinds import TITLE_OF_KIND
    from .emit.datapackage import wide_schema
    from .emit.dataset import table_positions

    fdp = {"function": "functional-classification:generic:code",
           "economic": "economic-classification:generic:code"}
    out = []
    positions = table_positions(doc)
    for t in doc.tables:
        pos = positions[id(t)]
        rel = wide[pos]
        roles = {c.key: c.role for c in t.columns}
        desc = {c.key: " / ".join(c.path) + (f" ({t.unit})" if c.role == "value" and t.unit
                                             else "") for c in t.columns}
        text = files[rel].decode("utf-8")
        out.append({
            "name": f"table-{pos:02d}", "path": rel,
            "title": t.title or TITLE_OF_KIND.get(t.kind, t.kind),
            "description": f"{TITLE_OF_KIND.get(t.kind) or t.kind}, one column per printed "
                           f"header path; amounts in {t.unit or 'the unit printed'}.",
            "schema": wide_schema(text, roles, desc, fdp.get(t.code_scheme)),
        })
    return out


_memory_cap_mb = 0
"""The cap :func:`limit_memory` set in this process (0: none), for the error message."""


def memory_reason(megabytes: int) -> str:
    """Why a job stopped when it ran out of memory: the limit it hit, and what to do."""
    if megabytes <= 0:
        return "ran out of memory reading this file"
    return (f"exceeded the {megabytes} MB memory limit (raise --memory-limit if the file is "
            "genuinely large)")


def near_memory_cap() -> bool:
    """Whether this process's address space reached its cap (within 5 %): under the cap a
    library's allocation failure may surface as SystemError, OSError ("failed to map
    segment") or a parse error rather than MemoryError.  Linux only; elsewhere False."""
    if _memory_cap_mb <= 0:
        return False
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            peak_kb = next(int(ln.split()[1]) for ln in f if ln.startswith("VmPeak:"))
    except (OSError, StopIteration, ValueError):
        return False
    return peak_kb >= _memory_cap_mb * 1024 * 0.95


def limit_memory(megabytes: int) -> None:
    """Cap this process's address space (POSIX); a no-op where that is not possible."""
    global _memory_cap_mb
    if megabytes <= 0:
        return
    _memory_cap_mb = megabytes
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return
    limit = megabytes * 1024 * 1024
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash leaves no core file
    except (ValueError, OSError):  # pragma: no cover - refused by the system
        pass


def main() -> int:
    """Subprocess worker: ``argv[1]`` = memory cap in MB; pickled job in, result out.

    Anything a library prints goes to stderr: file descriptor 1 is moved aside first, so
    nothing but the pickled result ever reaches the parent's pipe.
    """
    # Run as ``-m``, this file is ``__main__``; results must pickle as the importable
    # module's classes, so the work goes through that module.
    from budget_extract import jobs

    result_fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    jobs.die_with_parent()
    jobs.limit_memory(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    job = pickle.load(sys.stdin.buffer)
    result = jobs.run_job(job)
    with os.fdopen(result_fd, "wb") as out:
        out.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    return 0


if __name__ == "__main__":
    sys.exit(main())
