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
        """The pages recognised by ``workers`` forked processes (page k of the list by
        process k mod ``workers``), yielded in order as they arrive.

        Plain ``fork``, not multiprocessing: a batch's file worker is a daemonic
        multiprocessing process, which may not start multiprocessing children."""
        import os
        import pickle
        import select
        import signal

        children: dict[int, int] = {}  # read end of its pipe -> pid
        try:
            for k in range(workers):
                read_fd, write_fd = os.pipe()
                pid = os.fork()
                if pid == 0:  # the OCR process: never returns into the caller's code
                    os.close(read_fd)
                    _serve(self._data, self._password, numbers[k::workers], write_fd)
                os.close(write_fd)
                children[read_fd] = pid
            buffers = {fd: b"" for fd in children}
            results: dict[int, tuple[str, Any]] = {}
            for number in numbers:
                while number not in results:
                    if not buffers:
                        raise ExtractError(f"page {number}: the OCR process died (out of "
                                           "memory, or the recogniser crashed)", self._shown)
                    ready, _, _ = select.select(list(buffers), [], [])
                    for fd in ready:
                        chunk = os.read(fd, 1 << 20)
                        if not chunk:
                            del buffers[fd]
                            continue
                        buffers[fd] += chunk
                        buffers[fd] = _take(buffers[fd], results)
                kind, value = results.pop(number)
                if kind == "error":
                    raise ExtractError(value, self._shown)
                if kind == "import":
                    raise ExtractError(_broken(number, value), self._shown)
                yield pickle.loads(value)
        finally:
            for fd, pid in children.items():
                os.close(fd)
                try:
                    os.kill(pid, signal.SIGKILL)  # done already, or no longer needed
                    os.waitpid(pid, 0)
                except (ProcessLookupError, ChildProcessError):
                    pass

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

    def restart(self) -> None:
        """A new pass over the file (PDFium gave up, pdfplumber reads it again): what the
        last pass deferred or reported is forgotten."""
        self._deferred.clear()
        self.read.clear()
        self.low.clear()
        self.turned.clear()

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
    import os

    return hasattr(os, "fork") and sys.platform != "win32"


def _serve(data: bytes, password: str | None, numbers: list[int], fd: int) -> None:
    """An OCR process: recognise ``numbers`` and send each result down ``fd`` as
    (length, page, kind, payload); it dies with the file's worker (whose time limit
    kills it), and exits when done."""
    import os
    import pickle
    import signal
    import struct

    code = 0
    try:
        from ....isolation import die_with_parent

        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the batch decides on Ctrl-C
        die_with_parent()
        reader = OcrReader(data, password)
        with os.fdopen(fd, "wb") as out:
            for number in numbers:
                try:
                    msg: tuple[str, Any] = ("page", pickle.dumps(reader.page(number)))
                except ExtractError as exc:
                    msg = ("error", exc.reason)
                except ImportError as exc:
                    msg = ("import", str(exc))
                body = pickle.dumps((number, msg), protocol=pickle.HIGHEST_PROTOCOL)
                out.write(struct.pack("<Q", len(body)) + body)
                out.flush()
    except BaseException:  # noqa: BLE001 - nothing may escape a forked child
        code = 1
    finally:
        os._exit(code)


def _take(buffer: bytes, results: dict[int, tuple[str, Any]]) -> bytes:
    """Move the complete messages at the start of ``buffer`` into ``results``; the rest."""
    import pickle
    import struct

    while len(buffer) >= 8:
        (size,) = struct.unpack("<Q", buffer[:8])
        if len(buffer) < 8 + size:
            break
        number, msg = pickle.loads(buffer[8:8 + size])
        results[number] = msg
        buffer = buffer[8 + size:]
    return buffer
