"""What a batch shows while it runs, and the summary it closes with.

On a terminal: a live bar (rich) with files and pages done, the page rate and the time
left — estimated from the bytes still to read, since pages are only known once a file is
opened.  The bar moves with every page a worker reads (a file's share of the bytes,
page by page), not only when whole files finish.  Elsewhere (CI logs, pipes): one plain
line per finished file.  Either way a failed input is one ``error: FILE: reason`` line,
as the contract says.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

from .batch import BatchResult, InputStatus
from .names import shown


class LineProgress:
    """One line per finished file on a stream (for logs and pipes)."""

    def __init__(self, stream: TextIO | None = None, quiet: bool = False) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.n = self.files = 0

    def start(self, files: int, size: int, reused: int) -> None:
        self.files = files
        if not self.quiet and reused:
            print(f"{reused} input(s) already done in an earlier run: skipped "
                  "(--force redoes them)", file=self.stream)

    def done(self, status: InputStatus, size: int) -> None:
        self.n += 1
        if self.quiet or status.status != "ok":
            return
        print(f"[{self.n}/{self.files}] {shown(status.source_path)}: {status.tables} tables, "
              f"{status.facts} facts, {status.checks_failed} failed checks", file=self.stream)

    def error(self, line: str) -> None:
        print(line, file=self.stream, flush=True)

    def stop(self) -> None:
        pass


class RichProgress:
    """A live progress bar on the terminal."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.console = Console(stderr=True)
        self.progress = Progress(
            TextColumn("[bold]extracting"), BarColumn(),
            TextColumn("{task.fields[files]}/{task.fields[nfiles]} files"),
            TextColumn("• {task.fields[pages]} pages • {task.fields[rate]}"),
            TextColumn("•"), TimeElapsedColumn(), TextColumn("• left"),
            TimeRemainingColumn(), console=self.console, transient=False)
        self.task = None
        self.pages = self.files = 0
        self.t0 = time.monotonic()
        self.partial: dict[str, tuple[int, float]] = {}
        """Files being read: pages reported so far and bytes advanced for them."""

    def start(self, files: int, size: int, reused: int) -> None:
        if reused:
            self.console.print(f"{reused} input(s) already done in an earlier run: skipped "
                               "(--force redoes them)", markup=False, highlight=False)
        self.t0 = time.monotonic()
        self.progress.start()
        self.task = self.progress.add_task("batch", total=max(size, 1), files=0, nfiles=files,
                                           pages=0, rate="– pages/s")

    def page(self, source_path: str, size: int, done: int, total: int) -> None:
        """A worker has read ``done`` of the ``total`` pages of ``source_path``."""
        pages, advanced = self.partial.get(source_path, (0, 0.0))
        share = size * min(done, total) / total if total > 0 else 0.0
        self.partial[source_path] = (max(pages, done), max(advanced, share))
        self.pages += max(0, done - pages)
        self._update(max(0.0, share - advanced))

    def done(self, status: InputStatus, size: int) -> None:
        pages, advanced = self.partial.pop(status.source_path, (0, 0.0))
        self.files += 1
        self.pages += status.pages - pages
        self._update(max(0.0, size - advanced))

    def _update(self, advance: float) -> None:
        rate = self.pages / max(time.monotonic() - self.t0, 1e-6)
        if self.task is not None:
            self.progress.update(self.task, advance=advance, files=self.files,
                                 pages=self.pages, rate=f"{rate:.1f} pages/s")

    def error(self, line: str) -> None:
        self.console.print(line, markup=False, highlight=False, soft_wrap=True)

    def stop(self) -> None:
        self.progress.stop()


def make_progress(quiet: bool, stream: TextIO | None = None) -> LineProgress | RichProgress:
    stream = stream or sys.stderr
    if not quiet and stream.isatty():
        try:
            return RichProgress()
        except ImportError:  # pragma: no cover - rich is a dependency
            pass
    return LineProgress(stream, quiet=quiet)


def summary(result: BatchResult, outdir: str, seconds: float) -> str:
    """The closing lines: files ok/failed, tables, facts, failed checks, where it all is."""
    ok, failed, pending = result.count("ok"), result.count("failed"), result.count("pending")
    parts = [f"{len(result.inputs)} inputs: {ok} ok", f"{failed} failed"]
    if pending:
        parts.append(f"{pending} not reached")
    lines = [
        "batch " + ("interrupted — " if result.interrupted else "done — ") + ", ".join(parts)
        + f" ({result.extracted} extracted now, {result.reused} from an earlier run)"
        + f" in {seconds:.1f} s",
        f"  {result.total('pages')} pages, {result.total('tables')} tables, "
        f"{result.total('facts')} facts; {result.total('checks')} checks, "
        f"{result.total('checks_failed')} failed",
    ]
    if result.interrupted:
        lines.append("  finished inputs are saved; run the same command again to do the rest")
    elif result.datasets_written:
        lines.append(f"  datasets: {outdir}/facts.csv, budget.sqlite, datapackage.json; "
                     f"report: {outdir}/report.json")
        lines.append(f"  browse: datasette {os.path.join(outdir, 'budget.sqlite')} -m "
                     f"{os.path.join(outdir, 'metadata.json')}  (pip install datasette)")
    else:
        lines.append(f"  nothing changed: datasets in {outdir} are up to date; "
                     f"report: {outdir}/report.json")
    return "\n".join(lines)
