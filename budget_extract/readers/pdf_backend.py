"""A neutral view of a PDF page: characters and ruling segments, nothing else.

The table detector and the reader work on these plain dataclasses so a second backend
(pypdfium2, faster on huge files) can later stand beside pdfplumber without touching them.
A backend yields one :class:`PageObjects` at a time and frees the page before the next,
so memory stays flat on 1,000-page disclosures.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from ..errors import ExtractError

THIN = 2.0
"""A filled rectangle thinner than this (pt) is drawn as a ruling line, not an area."""

MIN_SEGMENT = 1.0
"""Segments shorter than this (pt) are dots or glyph debris, never rulings."""

AXIS_TOL = 1.0
"""A line whose ends differ by less than this across its direction counts as straight."""

MAX_INFLATE_MB = 256
"""Decompressed stream data allowed per page (and while opening the file), in MB.

A real page decodes to well under 10 MB; a "compression bomb" (a few MB on disk that
inflate to gigabytes) would otherwise take all memory before any other limit applies."""

MAX_PAGE_OBJECTS = 100_000
"""Characters, paths and images allowed on one page.  The densest real budget pages hold
about 1,500; a page with hundreds of thousands of tiny objects costs ~4 KB of memory and
~70 µs each in pdfminer, so it is refused early instead of eating the per-file limits."""


class PdfDamaged(ExtractError):
    """The file's structure (cross-reference table, page tree, a page's objects) is broken:
    :func:`~budget_extract.readers.pdf.read_pdf` then tries a rebuilt copy before giving up."""


class PdfLimitExceeded(Exception):
    """A hostile-input limit was hit inside pdfminer; ``reason`` names the limit."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(slots=True)
class Char:
    """One glyph in page coordinates (origin top-left, as pdfplumber reports them)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    upright: bool = True


@dataclass(slots=True)
class Segment:
    """A ruling line, normalised to be exactly horizontal (top == bottom) or vertical."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return self.top == self.bottom

    @property
    def length(self) -> float:
        return (self.x1 - self.x0) if self.horizontal else (self.bottom - self.top)


@dataclass
class PageObjects:
    """What the table detector and reader need from one page."""

    number: int
    width: float
    height: float
    rotation: int
    chars: list[Char]
    segments: list[Segment]
    image_count: int = 0
    """Images on the page; with no characters they mark a scanned page."""


class PdfBackend(Protocol):
    """Opens a PDF and yields its pages one at a time as :class:`PageObjects`.

    Implementations raise :class:`ExtractError` (never their library's own exceptions)
    and release each page's parsed objects before yielding the next.
    """

    def open(self, path: str, password: str | None = None) -> None: ...

    @property
    def page_count(self) -> int: ...

    def iter_pages(self) -> Iterator[PageObjects]: ...

    def close(self) -> None: ...


# --------------------------------------------------------------------------- helpers


def _is_white(color: Any) -> bool:
    """Whether a pdfminer colour value paints white (invisible on paper)."""
    if color is None or isinstance(color, str):
        return False
    if isinstance(color, (int, float)):
        return float(color) >= 0.95
    try:
        vals = [float(v) for v in color]
    except (TypeError, ValueError):  # pattern colours: treat as visible
        return False
    if not vals:
        return False
    if len(vals) == 4:  # CMYK: white is no ink
        return all(v <= 0.05 for v in vals)
    return all(v >= 0.95 for v in vals)


def _h(x0: float, x1: float, y: float) -> Segment | None:
    if x1 < x0:
        x0, x1 = x1, x0
    return Segment(x0, y, x1, y) if x1 - x0 >= MIN_SEGMENT else None


def _v(x: float, top: float, bottom: float) -> Segment | None:
    if bottom < top:
        top, bottom = bottom, top
    return Segment(x, top, x, bottom) if bottom - top >= MIN_SEGMENT else None


def _line_segment(x0: float, top: float, x1: float, bottom: float) -> Segment | None:
    """A straight stroke as a segment, or None if it is diagonal."""
    if abs(bottom - top) <= AXIS_TOL:
        return _h(x0, x1, (top + bottom) / 2)
    if abs(x1 - x0) <= AXIS_TOL:
        return _v((x0 + x1) / 2, top, bottom)
    return None


def rect_segments(obj: dict[str, Any]) -> list[Segment]:
    """Ruling segments a pdfplumber rect stands for.

    A thin filled bar is one line (how WPS and Excel export cell borders); a thicker
    rectangle contributes its four edges (outlined or shaded cells).  Rectangles painted
    white or not painted at all are backgrounds and draw no line.
    """
    fill = bool(obj.get("fill")) and not _is_white(obj.get("non_stroking_color"))
    stroke = bool(obj.get("stroke")) and not _is_white(obj.get("stroking_color"))
    if not (fill or stroke):
        return []
    x0, x1, top, bottom = obj["x0"], obj["x1"], obj["top"], obj["bottom"]
    w, h = x1 - x0, bottom - top
    if w < THIN and h < THIN:
        return []
    if h < THIN:
        s = _h(x0, x1, (top + bottom) / 2)
        return [s] if s else []
    if w < THIN:
        s = _v((x0 + x1) / 2, top, bottom)
        return [s] if s else []
    edges = [_h(x0, x1, top), _h(x0, x1, bottom), _v(x0, top, bottom), _v(x1, top, bottom)]
    return [e for e in edges if e]


def path_segments(obj: dict[str, Any]) -> list[Segment]:
    """Straight axis-parallel pieces of a stroked path (polylines, hand-drawn grids)."""
    if not obj.get("stroke") or _is_white(obj.get("stroking_color")):
        return []
    out: list[Segment] = []
    path = obj.get("path") or []
    cur: tuple[float, float] | None = None
    start: tuple[float, float] | None = None
    for op in path:
        kind = op[0]
        if kind == "m":
            cur = start = op[1]
        elif kind == "l" and cur is not None:
            nxt = op[1]
            s = _line_segment(cur[0], cur[1], nxt[0], nxt[1])
            if s:
                out.append(s)
            cur = nxt
        elif kind == "c":
            cur = op[-1]
        elif kind == "h" and cur is not None and start is not None:
            s = _line_segment(cur[0], cur[1], start[0], start[1])
            if s:
                out.append(s)
            cur = start
    return out


# --------------------------------------------------------------------------- pdfplumber


class PdfplumberBackend:
    """The pdfplumber (pdfminer.six) implementation of :class:`PdfBackend`.

    Pages are created one at a time straight from pdfminer's page tree instead of through
    ``pdf.pages`` (which keeps every page, and with it every decoded content stream, alive
    until the file is closed); after each page its caches and pdfminer's object cache are
    dropped, so memory does not grow with the page count.
    """

    def __init__(self) -> None:
        self._pdf: Any = None
        self._path: str | None = None
        self._n_pages = 0

    def open(self, path: str, password: str | None = None) -> None:
        """Open the file, mapping pdfminer's failures to one-sentence ExtractErrors."""
        import pdfplumber

        guard_pdfminer()
        _inflated.reset()
        self._path = path
        tries = [password, ""] if password else [""]  # one --password for a whole batch:
        for i, pw in enumerate(tries):  # files that open without one must still open
            try:
                self._pdf = pdfplumber.open(path, password=pw)
                self._n_pages = _declared_page_count(self._pdf.doc)
                return
            except (MemoryError, SystemError):
                self.close()
                raise
            except Exception as exc:  # pdfminer raises many unrelated types
                self.close()
                err = classify_open_error(exc, path, password)
                if i + 1 == len(tries) or "password" not in err.reason:
                    raise err from exc

    @property
    def page_count(self) -> int:
        """Pages in the file: the page tree's /Count, or the number yielded once iterated."""
        return self._n_pages

    def iter_pages(self) -> Iterator[PageObjects]:
        """Yield each page's objects, then free everything parsed for it."""
        from pdfminer.pdfpage import PDFPage

        if self._pdf is None:
            raise ExtractError("the PDF is not open", self._path)
        doc = self._pdf.doc
        doctop = 0.0
        number = 0
        pages = PDFPage.create_pages(doc)
        while True:
            try:
                page_obj = next(pages)
            except StopIteration:
                break
            except (MemoryError, SystemError):  # out of memory (C code under the cap may
                raise  # fail without setting MemoryError): not damage, say so upstream
            except Exception as exc:
                raise self._failure(
                    exc, f"after page {number}",
                    f"the page tree after page {number} cannot be read ({_short(exc)}); the "
                    "PDF is damaged or truncated, download or export it again") from exc
            number += 1
            page = None
            _inflated.reset()
            try:
                page = guarded_page(self._pdf, page_obj, number, doctop)
                doctop += float(page.height)
                objs = self._page_objects(page)
            except (ExtractError, MemoryError, SystemError):
                raise
            except Exception as exc:
                raise self._failure(
                    exc, f"page {number}",
                    f"page {number} cannot be parsed ({_short(exc)}); the PDF is damaged, "
                    "try re-exporting or re-downloading it") from exc
            finally:
                if page is not None:
                    page.close()
                _release(doc)
            yield objs
        self._n_pages = number

    def close(self) -> None:
        if self._pdf is not None:
            # not pdf.close(): it would build every Page object just to flush them
            stream = getattr(self._pdf, "stream", None)
            if stream is not None and not getattr(self._pdf, "stream_is_external", False):
                try:
                    stream.close()
                except Exception:  # closing a half-opened file must not mask the real error
                    pass
        self._pdf = None

    def __enter__(self) -> PdfplumberBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _failure(self, exc: Exception, where: str, damaged: str) -> ExtractError:
        """The error for a page that could not be read: a limit hit, or damage."""
        limit = limit_exceeded(exc)
        if limit is not None:
            return ExtractError(f"{where}: {limit.reason}", self._path)
        return PdfDamaged(damaged, self._path)

    @staticmethod
    def _page_objects(page: Any) -> PageObjects:
        objects = page.objects  # one layout pass; chars/rects/lines below are views
        chars = [
            Char(
                c["text"],
                c["x0"],
                c["top"],
                c["x1"],
                c["bottom"],
                float(c.get("size") or (c["bottom"] - c["top"])),
                bool(c.get("upright", True)),
            )
            for c in objects.get("char", ())
        ]
        segs: list[Segment] = []
        for ln in objects.get("line", ()):
            if _is_white(ln.get("stroking_color")):
                continue
            s = _line_segment(ln["x0"], ln["top"], ln["x1"], ln["bottom"])
            if s is not None:  # diagonal strokes are no rulings
                segs.append(s)
        for r in objects.get("rect", ()):
            segs.extend(rect_segments(r))
        for cv in objects.get("curve", ()):
            segs.extend(path_segments(cv))
        return PageObjects(
            number=page.page_number,
            width=float(page.width),
            height=float(page.height),
            rotation=int(page.rotation or 0) % 360,
            chars=chars,
            segments=segs,
            image_count=len(objects.get("image", ())),
        )


def _declared_page_count(doc: Any) -> int:
    """/Count of the page tree (cheap: no page is parsed); 0 if it cannot be read."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(doc.catalog.get("Pages")).get("Count"))
        return int(count) if isinstance(count, (int, float)) and count >= 0 else 0
    except Exception:  # a broken page tree shows up again, with a page number, when iterating
        return 0


def _release(doc: Any) -> None:
    """Drop pdfminer's parsed-object cache once a page is done.

    pdfminer keeps every object it has parsed (decoded content streams included) for the
    life of the document; on a 1,000-page file that is the whole file, decoded.  Fonts live
    in the resource manager's own cache, so clearing this one only costs re-reading a few
    small dictionaries on the next page.
    """
    cache = getattr(doc, "_cached_objs", None)
    if isinstance(cache, dict):
        cache.clear()


def _short(exc: BaseException) -> str:
    """An exception as a short phrase for an error message."""
    msg = str(exc).strip() or type(exc).__name__
    return msg if len(msg) <= 120 else msg[:117] + "..."


def classify_open_error(exc: BaseException, path: str, password: str | None) -> ExtractError:
    """Turn whatever pdfminer raised while opening into a reason the user can act on."""
    chain: list[BaseException] = []
    e: BaseException | None = exc
    while e is not None and len(chain) < 5:
        chain.append(e)
        e = e.__cause__ or e.__context__
    names = " ".join(type(x).__name__ for x in chain)
    text = " ".join(str(x) for x in chain)
    for x in chain:  # pdfplumber wraps the pdfminer exception as args[0]
        if x.args and isinstance(x.args[0], BaseException):
            names += " " + type(x.args[0]).__name__
    if "PDFPasswordIncorrect" in names or "password" in text.lower():
        if password:
            return ExtractError(
                "the PDF is password-protected and the given password is wrong; "
                "pass the right one with --password",
                path,
            )
        return ExtractError("the PDF is password-protected; pass --password", path)
    limit = limit_exceeded(exc)
    if limit is not None:
        return ExtractError(limit.reason, path)
    if "PDFEncryptionError" in names or "Encrypt" in names:
        return ExtractError(
            f"the PDF uses an encryption this tool cannot open ({_short(exc)}); "
            "save an unencrypted copy and try again",
            path,
        )
    if "EOF" in text:
        return PdfDamaged(
            "the PDF is truncated or damaged (unexpected end of file); download it again",
            path,
        )
    if "No /Root" in text or "Is this really a PDF" in text:
        return PdfDamaged(
            "the PDF is damaged: its cross-reference table and document catalog cannot be "
            "found; download or export it again",
            path,
        )
    return PdfDamaged(
        f"the PDF is damaged and cannot be parsed ({_short(exc)}); try re-exporting it",
        path,
    )


# --------------------------------------------------------------------------- hostile input


def limit_exceeded(exc: BaseException) -> PdfLimitExceeded | None:
    """The :class:`PdfLimitExceeded` behind ``exc`` (pdfplumber and pdfminer wrap it)."""
    seen: list[BaseException] = [exc]
    while seen:
        e = seen.pop()
        if isinstance(e, PdfLimitExceeded):
            return e
        if len(seen) > 20:
            break
        seen.extend(x for x in (e.__cause__, e.__context__, *e.args[:1])
                    if isinstance(x, BaseException))
    return None


class _Inflated(threading.local):
    """Decompressed bytes since the last reset (per thread: each reads its own file)."""

    total = 0

    def reset(self) -> None:
        self.total = 0

    def add(self, n: int) -> None:
        self.total += n
        if self.total > MAX_INFLATE_MB << 20:
            raise PdfLimitExceeded(
                f"a compressed stream inflates past the {MAX_INFLATE_MB} MB limit for one "
                "page (a \"compression bomb\": the file is broken or hostile)")

    def room(self) -> int:
        """Bytes that may still be inflated (one more, to notice going over)."""
        return max((MAX_INFLATE_MB << 20) - self.total, 0) + 1


_inflated = _Inflated()


class _BoundedDecompressor:
    """``zlib.decompressobj()`` whose output counts against the page's inflate budget."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._d = zlib.decompressobj(*args, **kwargs)

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        room = _inflated.room()
        out = self._d.decompress(data, min(max_length, room) if max_length else room)
        _inflated.add(len(out))
        return out

    def flush(self, *args: Any) -> bytes:
        out = self._d.flush(*args)
        _inflated.add(len(out))
        return out

    def __getattr__(self, name: str) -> Any:  # eof, unused_data, unconsumed_tail
        return getattr(self._d, name)


class _BoundedZlib:
    """Stands in for the ``zlib`` module inside ``pdfminer.pdftypes``: the same calls, but
    inflating stops at the budget instead of at the machine's memory."""

    error = zlib.error
    MAX_WBITS = zlib.MAX_WBITS
    decompressobj = _BoundedDecompressor

    @staticmethod
    def decompress(data: bytes, wbits: int = zlib.MAX_WBITS, bufsize: int = 0) -> bytes:
        d = _BoundedDecompressor(wbits)
        out = d.decompress(data)
        if not d.eof:  # what zlib.decompress raises; pdfminer then salvages what it can
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated "
                             "stream")
        return out

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)


def _salvage_deflate(data: bytes) -> bytes:
    """pdfminer's ``decompress_corrupted`` (a stream with a bad checksum or a cut end:
    keep what inflates; damage before the checksum gives nothing), in two bounded steps
    instead of one quadratic step per byte."""
    d = _BoundedDecompressor()
    body, tail = (data[:-3], data[-3:]) if len(data) > 3 else (b"", data)
    try:
        out = d.decompress(body)
    except zlib.error:
        return b""
    try:
        out += d.decompress(tail)
    except zlib.error:  # the checksum: what inflated is the data
        pass
    return out


def _bounded_lzw(data: bytes) -> bytes:
    """pdfminer's LZW decoder with the output counted against the budget."""
    from io import BytesIO

    from pdfminer.lzw import LZWDecoder

    out = []
    for piece in LZWDecoder(BytesIO(data)).run():
        _inflated.add(len(piece))
        out.append(piece)
    return b"".join(out)


def _bounded_runlength(data: bytes) -> bytes:
    """RunLengthDecode (PDF 1.7, 7.4.5) with the output counted against the budget as it
    grows (pdfminer's builds a list of ints, eight times the output, before anyone can
    count it; after a Flate stage its input may itself be 256 MB)."""
    out = bytearray()
    i, n = 0, len(data)
    step = 0
    while i < n:
        length = data[i]
        if length == 128:  # end of data
            break
        if length < 128:
            chunk = data[i + 1:i + 2 + length]
            i += length + 2
        else:
            chunk = data[i + 1:i + 2] * (257 - length)
            i += 2
        out += chunk
        step += len(chunk)
        if step >= 1 << 20:
            _inflated.add(step)
            step = 0
    _inflated.add(step)
    return bytes(out)


_guarded = False


def guard_pdfminer() -> None:
    """Bound pdfminer's stream decoding (see :data:`MAX_INFLATE_MB`); idempotent.

    Flate, LZW and RunLength can expand (by ~1,000, ~2,700 and 128 times); the other
    filters shrink or pass image data through undecoded.

    pdfminer inflates every stream whole with ``zlib.decompress``; there is no option to
    cap it, so its module-level names are pointed at bounded equivalents.  The rest of
    pdfminer sees the same functions and exceptions as before.
    """
    global _guarded
    if _guarded:
        return
    import logging

    from pdfminer import pdftypes

    # pdfminer logs every oddity it survives ("Could not get FontBBox …"); with logging
    # unconfigured Python prints those on stderr, between the tool's one-line errors.  A
    # NullHandler silences only that fallback: an application's own handlers still get them.
    for name in ("pdfminer", "pdfplumber"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())

    pdftypes.zlib = _BoundedZlib()  # type: ignore[assignment]
    pdftypes.decompress_corrupted = _salvage_deflate
    pdftypes.lzwdecode = _bounded_lzw
    pdftypes.rldecode = _bounded_runlength
    _guarded = True


_page_class: Any = None


def guarded_page(pdf: Any, page_obj: Any, number: int, doctop: float) -> Any:
    """A pdfplumber Page whose layout pass stops at :data:`MAX_PAGE_OBJECTS` objects."""
    global _page_class
    if _page_class is None:
        _page_class = _guarded_page_class()
    return _page_class(pdf, page_obj, page_number=number, initial_doctop=doctop)


def _guarded_page_class() -> Any:
    """Built on first use, so importing this module does not import pdfplumber."""
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfplumber.page import Page, PDFPageAggregatorWithMarkedContent

    class Counting(PDFPageAggregatorWithMarkedContent):
        """pdfplumber's layout device, counting what the page paints."""

        count = 0

        def _one(self) -> None:
            self.count += 1
            if self.count > MAX_PAGE_OBJECTS:
                raise PdfLimitExceeded(
                    f"more than {MAX_PAGE_OBJECTS:,} objects on one page (the per-page "
                    "limit; real pages hold a few thousand): the file is broken or hostile")

        def render_char(self, *a: Any, **k: Any) -> float:
            self._one()
            return super().render_char(*a, **k)  # type: ignore[no-any-return]

        def paint_path(self, *a: Any, **k: Any) -> None:
            self._one()
            super().paint_path(*a, **k)

        def render_image(self, *a: Any, **k: Any) -> None:
            self._one()
            super().render_image(*a, **k)

    class GuardedPage(Page):  # type: ignore[misc]
        """``Page.layout`` as pdfplumber computes it, with the counting device and
        without wrapping the limit error into a generic PdfminerException."""

        @property
        def layout(self) -> Any:
            if not hasattr(self, "_layout"):
                device = Counting(self.pdf.rsrcmgr, pageno=self.page_number,
                                  laparams=self.pdf.laparams)
                PDFPageInterpreter(self.pdf.rsrcmgr, device).process_page(self.page_obj)
                self._layout = device.get_result()
            return self._layout

    return GuardedPage


# --------------------------------------------------------------------------- repair


def rebuild_copy(path: str, password: str | None, dest: str) -> bool:
    """Write a structurally clean copy of a damaged PDF to ``dest``; whether it worked.

    PDFium (``pypdfium2``, installed with pdfplumber) rebuilds a broken cross-reference
    table by scanning the file for objects, as viewers do, and saving writes a fresh one
    that pdfminer can follow.  The copy is only read, never shown to the user.
    """
    try:
        import pypdfium2 as pdfium
    except (ImportError, OSError):  # not installed, or its library cannot be mapped
        return False
    doc = None
    try:
        doc = pdfium.PdfDocument(path, password=password or None)
        if len(doc) == 0:
            return False
        doc.save(dest)
        return True
    except Exception:  # noqa: BLE001 - PdfiumError or anything else: the copy failed
        return False
    finally:
        if doc is not None:
            doc.close()
