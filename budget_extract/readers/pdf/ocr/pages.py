"""The PDF reader's side of OCR: textless pages in, blocks and warnings out.

Kept apart from :mod:`.page` so that the reader can import it without the ``ocr`` extra:
nothing heavy is imported until the first page is recognised.

Pages are recognised after the text layer of the whole file is read (:meth:`OcrPages.defer`,
then :meth:`OcrPages.place`), so that a scanned file's pages can be recognised side by
side: up to :func:`use_workers` processes, forked from the file's worker.  Each runs one
onnxruntime thread and inherits the worker's memory cap, and dies with it (so the file's
time limit, which kills the worker, stops them too).  Every page is recognised the same
way in whichever process, and the blocks are laid out in page order in this process, so
the output is the same with one process or several.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from typing import Any

from ....errors import ExtractError
from ....model import Block
from . import OCR_EXTRA, OcrReader, ocr_available

MAX_LISTED = 40
"""Low-confidence cells listed one by one in the warnings; the rest are counted."""

_workers = 1


def use_workers(n: int) -> None:
    """Let up to ``n`` processes recognise the pages of each file read from now on in this
    process.  The batch sets it in a file's worker: ``-j`` divided among the files it
    runs, so OCR processes and files together never exceed ``-j`` (and the memory budget
    that ``-j`` was fitted to).  1, the default: one page after another, in-process."""
    global _workers
    _workers = max(1, int(n))


class OcrPages:
    """Recognises a file's textless pages and remembers what to report."""

    def __init__(self, data: bytes, password: str | None, shown: str) -> None:
        self._data = data
        self._password = password
        self._shown = shown
        self._reader: OcrReader | None = None
        self._available: bool | None = None
        self._deferred: list[tuple[int, int]] = []
        """(page, index in the file's blocks where its blocks go), in page order."""
        self.read: list[int] = []
        """Pages recognised, 1-based."""
        self.low: list[tuple[int, Any]] = []
        """(page, line) of every table cell line read with low confidence."""
        self.turned: list[tuple[int, int]] = []
        """(page, clockwise degrees) of every page scanned sideways, read turned upright."""

    @property
    def available(self) -> bool:
        if self._available is None:
            self._available = ocr_available()
        return self._available

    def defer(self, number: int, at: int) -> None:
        """Recognise page ``number`` later (:meth:`place`); its blocks go at index ``at``
        of the file's blocks (those of the text pages before it)."""
        self._deferred.append((number, at))

    def place(self, blocks: list[Block]) -> list[Block]:
        """``blocks`` with the recognised blocks of every deferred page inserted where the
        page belongs; an error names the first failing page, as reading in order would."""
        from ..page import page_blocks

        if not self._deferred:
            return blocks
        out: list[Block] = []
        done = 0
        numbers = [n for n, _ in self._deferred]
        for (number, at), page in zip(self._deferred, self._recognised(numbers), strict=True):
            out.extend(blocks[done:at])
            done = at
            self.read.append(number)
            self.low.extend((number, ln) for ln in page.low)
            if page.turned:
                self.turned.append((number, page.turned))
            out.extend(page_blocks(page.objects))
        out.extend(blocks[done:])
        self._deferred = []
        return out

    def _recognised(self, numbers: list[int]) -> Iterator[Any]:
        """The :class:`~.page.OcrPage` of each page, in order."""
        workers = min(_workers, len(numbers))
        if workers > 1 and _can_fork():
            yield from self._in_workers(numbers, workers)
            return
        for number in numbers:
            yield self._one(number)

    def _one(self, number: int) -> Any:
        if self._reader is None:
            self._reader = OcrReader(self._data, self._password)
        try:
            return self._reader.page(number)
        except ExtractError as exc:
            exc.path = self._shown
            raise
        except ImportError as exc:  # installed but broken (e.g. the GUI OpenCV without libGL)
            raise ExtractError(_broken(number, exc), self._shown) from exc

    def _in_workers(self, numbers: list[int], workers: int) -> Iterator[Any]:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_start_worker,
                                   initargs=(self._data, self._password))
        try:
            futures = [pool.submit(_recognise, n) for n in numbers]
            for number, fut in zip(numbers, futures, strict=True):
                try:
                    kind, value = fut.result()
                except BrokenProcessPool as exc:
                    raise ExtractError(f"page {number}: the OCR process died (out of memory, "
                                       "or the recogniser crashed)", self._shown) from exc
                if kind == "error":
                    raise ExtractError(value, self._shown)
                if kind == "import":
                    raise ExtractError(_broken(number, value), self._shown)
                yield value
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def warnings(self, pages_phrase: Callable[[list[int]], str]) -> list[str]:
        """What the document's warnings say about OCR: which pages were recognised, and
        each table cell read with low confidence (page, box in PDF points, confidence)."""
        if not self.read:
            return []
        out = [f"{pages_phrase(self.read)} no text layer and "
               f"{'was' if len(self.read) == 1 else 'were'} read by OCR: every value from "
               f"{'it' if len(self.read) == 1 else 'them'} carries its recognition "
               "confidence; failed identities there most likely mean a misread figure"]
        for number, degrees in self.turned:
            out.append(f"page {number} was scanned sideways and was read turned "
                       f"90° {'clockwise' if degrees == 90 else 'counter-clockwise'}: the boxes "
                       "of its values are on the page so turned (its width and height "
                       "swapped), not on the PDF page as stored")
        for number, ln in self.low[:MAX_LISTED]:
            out.append(f"page {number}: OCR read “{ln.text}” with confidence "
                       f"{ln.confidence:.2f} at [{ln.x0:.1f}, {ln.top:.1f}, {ln.x1:.1f}, "
                       f"{ln.bottom:.1f}]; check it against the page")
        if len(self.low) > MAX_LISTED:
            out.append(f"… and {len(self.low) - MAX_LISTED} more table cells read by OCR "
                       "with low confidence")
        return out

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None


def _broken(number: int, exc: object) -> str:
    return (f"page {number} needs OCR, but the OCR extra cannot be loaded ({exc}); "
            f"reinstall it: {OCR_EXTRA}")


def _can_fork() -> bool:
    """Whether pages can go to forked processes (POSIX; the reader's bytes are shared,
    not copied through a pipe)."""
    import multiprocessing

    return sys.platform != "win32" and "fork" in multiprocessing.get_all_start_methods()


_worker_reader: OcrReader | None = None


def _start_worker(data: bytes, password: str | None) -> None:
    """An OCR process: it dies with the file's worker (whose time limit kills it), and
    opens the file once for all the pages it is given."""
    from ....jobs import die_with_parent

    global _worker_reader
    die_with_parent()
    _worker_reader = OcrReader(data, password)


def _recognise(number: int) -> tuple[str, Any]:
    """One page in an OCR process: ("page", OcrPage), or ("error", reason) / ("import",
    message) for the parent to raise (exceptions with extra fields do not pickle)."""
    assert _worker_reader is not None
    try:
        return "page", _worker_reader.page(number)
    except ExtractError as exc:
        return "error", exc.reason
    except ImportError as exc:
        return "import", str(exc)
