"""``budget-extract``: the command line, a thin layer over :mod:`budget_extract.api`.

Exit codes (contract): 0 every input extracted; 1 at least one input failed (the others are
still written); 2 usage error; 3 (``check`` only) at least one check failed, so a script
can gate on it; 130 interrupted (Ctrl-C).  A failed input gets one line on stderr,
``error: FILE: reason``, and no traceback unless ``--debug``.
"""

from __future__ import annotations

import sys
from dataclasses import replace


def _quiet_interrupt(kind: type[BaseException], value: BaseException, tb: object) -> None:
    """A Ctrl-C that reaches the top (while the command line is still starting) is one
    line, like every other interruption, not a traceback."""
    if issubclass(kind, KeyboardInterrupt):
        print("interrupted", file=sys.stderr)
        return
    _previous_hook(kind, value, tb)  # type: ignore[arg-type]


_previous_hook = sys.excepthook
sys.excepthook = _quiet_interrupt

import argparse  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402

from . import __version__  # noqa: E402
from .emit.files import safe_stem  # noqa: E402
from .inputs import input_problem  # noqa: E402
from .jobs import BatchJob, JobMode  # noqa: E402
from .names import shown, unicode_name  # noqa: E402

EPILOG = """\
examples:
  budget-extract extract 某单位2026年单位预算.pdf -o out/
      writes out/某单位2026年单位预算.json (the whole document), .facts.csv (one row per
      amount) and out/某单位2026年单位预算/NN-KIND.csv (each table, one column per header)
  budget-extract extract docs/*.md docs/*.html -o out/
  budget-extract check 某单位2026年单位预算.pdf
      prints which accounting identities hold (合计 = Σ parts, 收入总计 = 支出总计, …)
  budget-extract batch downloads/ -o dataset/
      every PDF/Markdown/HTML file under downloads/, in parallel: per-file outputs plus
      dataset/facts.csv, budget.sqlite, datapackage.json and report.json; run it again
      to pick up new files (finished ones are skipped)

exit codes:
  0    every input extracted (extract, batch); check: no check failed
  1    some input failed (the rest are written); check: FILE could not be extracted
  2    usage error (bad option, DIR not a folder)
  3    check only: at least one check failed (`budget-extract check F || echo wrong`)
  130  interrupted (Ctrl-C); finished outputs are complete, nothing half-written is left
  Checks that fail do not change the exit code of extract and batch: they are reported.
"""

EXIT_CHECK_FAILED = 3
"""``check``'s exit code when at least one check fails (1 is taken: the input failed)."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="budget-extract",
        description="Turn Chinese government budget disclosures (部门预算/单位预算公开; PDF, "
                    "Markdown, HTML) into checked, machine-readable datasets.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    ex = sub.add_parser("extract", help="extract one or more files into OUTDIR",
                        description="Extract each INPUT into OUTDIR: S.json, S.facts.csv, "
                                    "S/NN-KIND.csv and the review page S.html per input "
                                    "with file stem S.",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    ex.add_argument("inputs", nargs="+", metavar="INPUT", help="PDF, Markdown or HTML files")
    ex.add_argument("-o", "--outdir", required=True, metavar="OUTDIR",
                    help="output folder (created if missing)")
    ex.add_argument("--xlsx", action="store_true",
                    help="also write S.xlsx: one sheet per table, headers merged as printed "
                         "(without it, an S.xlsx of an earlier run, e.g. a batch's, is left "
                         "as it was)")
    _no_review(ex)
    _limits(ex)
    _common(ex)

    ba = sub.add_parser(
        "batch", help="extract every supported file under DIR, in parallel, into datasets",
        description="Extract every PDF, Markdown and HTML file under DIR (subfolders too)\n"
                    "into OUTDIR, in parallel, with progress.  Besides each document's files\n"
                    "(S.json, S.facts.csv, S/NN-KIND.csv, S.xlsx) it writes the combined\n"
                    "facts.csv, budget.sqlite (SQLite), datapackage.json (Frictionless) and\n"
                    "report.json.  Resumable: a second run skips the inputs already done\n"
                    "(same content, same options) and rebuilds the datasets only when\n"
                    "something changed; Ctrl-C leaves no half-written file.\n"
                    "Each file runs in its own process with a time limit and a memory cap;\n"
                    "one that crashes, hangs or runs out of memory is reported and the rest\n"
                    "carry on.  Dataset columns and SQL examples: docs/dataset.md.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ba.add_argument("dir", metavar="DIR", help="folder of disclosures")
    ba.add_argument("-o", "--outdir", required=True, metavar="OUTDIR",
                    help="output folder (created if missing)")
    ba.add_argument("-j", "--jobs", type=_positive_int, default=None, metavar="N",
                    help="files extracted at once (default: the number of cores)")
    _limits(ba)
    ba.add_argument("--force", action="store_true",
                    help="redo every input, even those finished by an earlier run")
    ba.add_argument("--retry-failed", action="store_true",
                    help="try again the inputs that failed in an earlier run")
    ba.add_argument("--no-xlsx", dest="xlsx", action="store_false",
                    help="do not write S.xlsx workbooks (those of an earlier run are left "
                         "as they were)")
    _no_review(ba)
    ba.add_argument("--executor", choices=("local", "dask"), default="local",
                    help="where files are extracted: local processes (default) or a Dask "
                         "cluster (needs budget_extract[dask])")
    ba.add_argument("--scheduler", metavar="ADDRESS",
                    help="Dask scheduler address (tcp://host:8786); without it --executor "
                         "dask starts a local cluster")
    _common(ba)

    ck = sub.add_parser("check", help="print a readable summary of the accounting checks",
                        description="Extract FILE and print which accounting identities pass, "
                                    "round or fail, with the tables and rows involved.  Exit "
                                    "code 0 when no check fails, 3 when one does, 1 when FILE "
                                    "cannot be extracted.")
    ck.add_argument("input", metavar="FILE")
    ck.add_argument("--all", action="store_true", help="list passing checks too")
    _limits(ck)
    _common(ck)
    return p


def _no_review(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--no-review", dest="review", action="store_false",
                    help="do not write the review page S.html (pages with the extracted "
                         "cells drawn, the table, the failing checks; docs/review.md); an "
                         "S.html of an earlier run is removed")


def _limits(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS",
                    help="per-file time limit; a file over it is stopped and reported "
                         "(default 300, 0 = none)")
    sp.add_argument("--memory-limit", type=int, default=4096, metavar="MB",
                    help="per-file memory cap (address space) in MB (default 4096, "
                         "0 = none)")
    sp.add_argument("--page-timeout", type=float, default=None, metavar="SECONDS",
                    help="per-page time limit (CPU) of a PDF; a page over it is skipped "
                         "with a warning, the rest is read (default 10, 0 = none)")


def _common(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--password", help="password of an encrypted PDF")
    sp.add_argument("--pdf-engine", choices=("pdfium", "pdfplumber"), default=None,
                    help="library that reads PDFs: pdfium (default, fast) or pdfplumber; "
                         "files pdfium cannot read go to pdfplumber either way")
    sp.add_argument("--excel-csv", action="store_true",
                    help="write CSVs with a UTF-8 BOM so Excel on Chinese Windows reads them")
    sp.add_argument("--debug", action="store_true", help="show tracebacks of failures")
    sp.add_argument("-q", "--quiet", action="store_true", help="print errors only")


def _positive_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def _fail(path: str, reason: str) -> None:
    print(f"error: {shown(path)}: {reason}", file=sys.stderr)


def cmd_extract(args: argparse.Namespace) -> int:
    """Each input in its own worker process with the time and memory limits (as in
    ``batch``): a hostile file is stopped and reported, a crashing PDF library takes only
    its worker down, and the other inputs are still written."""
    from .batch import unique_ids
    from .emit.bundle import write_rendered
    from .executors import LocalExecutor

    problems = {p: input_problem(p) for p in args.inputs}  # FIFOs, devices: never opened
    files = [p for p in args.inputs if not problems[p]]
    # one output stem per input, as batch gives them: x.md, x.md-2, x.html for
    # a/x.md b/x.md c/x.html (never one x.json for all three)
    first: dict[str, str] = {}  # a file named twice gets one stem
    for p in files:
        first.setdefault(os.path.realpath(p), p)
    stem_of = dict(zip(first, unique_ids([os.path.basename(p) for p in first.values()]),
                       strict=True))
    jobs = [replace(_job(p, args, "extract"), document=stem_of[real])
            for real, p in first.items()]  # a file named twice is extracted once
    executor = LocalExecutor(jobs=1, timeout=args.timeout, memory_mb=args.memory_limit)
    results = executor.run(jobs)  # one at a time, in order: results come back in order
    failed = 0
    done: set[str] = set()
    try:
        for path in args.inputs:
            if problems[path]:
                _fail(path, "is a folder: extract takes files; for every file under a "
                            f"folder use: budget-extract batch {shown(path)} -o OUTDIR"
                      if os.path.isdir(path) else problems[path] or "")
                failed += 1
                continue
            real = os.path.realpath(path)
            if real in done:
                if not args.quiet:
                    print(f"note: {shown(path)}: the same file as {shown(first[real])}, "
                          "extracted once", file=sys.stderr)
                continue
            done.add(real)
            res = next(results)
            if not res.ok:
                if args.debug and res.debug:
                    print(res.debug, file=sys.stderr, end="")
                _fail(path, res.error)
                failed += 1
                continue
            try:
                os.makedirs(args.outdir, exist_ok=True)
                write_rendered(args.outdir, res.files)
            except OSError as e:
                _fail(path, f"cannot write {e.filename or args.outdir} ({e.strerror})")
                failed += 1
                continue
            if not args.quiet:
                print(f"{shown(path)}: {res.tables} tables, {res.facts} facts, "
                      f"{res.checks} checks "
                      f"({res.checks_failed} failed) -> "
                      f"{os.path.join(args.outdir, res.document)}.json", file=sys.stderr)
    finally:
        results.close()  # kills a worker still running (Ctrl-C)
    return 1 if failed else 0


def _job(path: str, args: argparse.Namespace, mode: JobMode) -> BatchJob:
    return BatchJob(path=os.path.abspath(path), source_path=unicode_name(path), sha256="",
                    document=safe_stem(os.path.splitext(os.path.basename(path))[0]),
                    xlsx=getattr(args, "xlsx", False), bom=args.excel_csv,
                    password=args.password, mode=mode, review=getattr(args, "review", False),
                    pdf_engine=args.pdf_engine, page_timeout=args.page_timeout)


def cmd_check(args: argparse.Namespace) -> int:
    """The checks of one input, extracted in a worker with the same time and memory limits
    as ``extract``."""
    from .executors import LocalExecutor

    problem = input_problem(args.input)  # `check` on a FIFO must not hang
    if problem:
        _fail(args.input, problem)
        return 1
    executor = LocalExecutor(jobs=1, timeout=args.timeout, memory_mb=args.memory_limit)
    results = executor.run([_job(args.input, args, "check")])
    try:
        res = next(results)
    finally:
        results.close()
    if not res.ok:
        if args.debug and res.debug:
            print(res.debug, file=sys.stderr, end="")
        _fail(args.input, res.error)
        return 1
    counts: dict[str, int] = {}
    for _id, status, _msg in res.check_list:
        counts[status] = counts.get(status, 0) + 1
    base = ["pass", "rounding", "fail", "warn", "skip"]
    order = base + sorted(set(counts) - set(base))
    print(f"{shown(args.input)}: {len(res.check_list)} checks — "
          + ", ".join(f"{counts.get(s, 0)} {s}" for s in order))
    for cid, status, msg in res.check_list:
        if status in ("fail", "rounding", "warn") or args.all:
            mark = {"pass": "ok  ", "rounding": "~   ", "fail": "FAIL", "warn": "WARN",
                    "skip": "skip"}.get(status, f"{status[:4]:4}")
            print(f"  {mark} {cid}: {msg}")
    return EXIT_CHECK_FAILED if counts.get("fail") else 0


def cmd_batch(args: argparse.Namespace) -> int:
    import time

    from .batch import BatchError, BatchOptions, run_batch
    from .executors import default_jobs
    from .progress import make_progress, summary

    if args.scheduler and args.executor != "dask":
        print("error: --scheduler needs --executor dask", file=sys.stderr)
        return 2
    jobs = args.jobs or default_jobs()
    if args.executor != "dask":  # Dask workers run on other machines, with their own memory
        from .memory_budget import jobs_within_memory, machine_memory_mb

        jobs, note = jobs_within_memory(jobs, args.memory_limit, machine_memory_mb())
        if note:
            print(f"note: {note}", file=sys.stderr)
    opts = BatchOptions(jobs=jobs, timeout=args.timeout,
                        memory_mb=args.memory_limit, force=args.force,
                        retry_failed=args.retry_failed, xlsx=args.xlsx, bom=args.excel_csv,
                        review=args.review, password=args.password,
                        pdf_engine=args.pdf_engine, page_timeout=args.page_timeout,
                        executor=args.executor,
                        scheduler=args.scheduler)
    t0 = time.monotonic()
    try:
        result = run_batch(args.dir, args.outdir, opts, make_progress(args.quiet))
    except BatchError as e:
        _fail(args.dir, str(e))
        return 2
    except RuntimeError as e:  # the Dask executor without Dask, an unreachable scheduler
        _fail(args.dir, str(e))
        return 1
    except OSError as e:
        _fail(args.outdir, f"cannot write {e.filename or 'there'} ({e.strerror})")
        return 1
    if args.debug:
        for path, tb in result.debug.items():
            print(f"--- {path}\n{tb}", file=sys.stderr)
    if not args.quiet:
        print(summary(result, args.outdir, time.monotonic() - t0), file=sys.stderr)
    if result.datasets_error:
        _fail(args.outdir, result.datasets_error)
    if result.interrupted:
        return 130
    return 1 if result.count("failed") or result.datasets_error else 0


def main(argv: list[str] | None = None) -> int:
    from .isolation import sanitise_sys_path

    sanitise_sys_path()  # lazy imports never come from the folder the user is in
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        if args.command == "extract":
            return cmd_extract(args)
        if args.command == "check":
            return cmd_check(args)
        if args.command == "batch":
            return cmd_batch(args)
    except KeyboardInterrupt:
        if argv is None:  # the program itself: a second Ctrl-C must not break its exit
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        print("interrupted; finished outputs are complete, nothing half-written was left",
              file=sys.stderr)
        return 130
    except BrokenPipeError:  # `budget-extract check FILE | head`: the reader left, fine
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
