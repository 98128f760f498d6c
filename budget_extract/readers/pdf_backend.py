"""A neutral view of a PDF page: characters and ruling segments, nothing else.

The table detector and the reader work on these plain dataclasses so a second backend
(pypdfium2, faster on huge files) can later stand beside pdfplumber without touching them.
A backend yields one :class:`PageObjects` at a time and frees the page before the next,
so memory stays flat on 1,000-page disclosures.
"""

from __future__ import annotations

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

        self._path = path
        try:
            self._pdf = pdfplumber.open(path, password=password or "")
            self._n_pages = _declared_page_count(self._pdf.doc)
        except Exception as exc:  # pdfminer raises many unrelated types
            self.close()
            raise classify_open_error(exc, path, password) from exc

    @property
    def page_count(self) -> int:
        """Pages in the file: the page tree's /Count, or the number yielded once iterated."""
        return self._n_pages

    def iter_pages(self) -> Iterator[PageObjects]:
        """Yield each page's objects, then free everything parsed for it."""
        from pdfminer.pdfpage import PDFPage
        from pdfplumber.page import Page

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
            except Exception as exc:
                raise ExtractError(
                    f"the page tree after page {number} cannot be read ({_short(exc)}); the "
                    "PDF is damaged or truncated, download or export it again",
                    self._path,
                ) from exc
            number += 1
            page = None
            try:
                page = Page(self._pdf, page_obj, page_number=number, initial_doctop=doctop)
                doctop += float(page.height)
                objs = self._page_objects(page)
            except ExtractError:
                raise
            except Exception as exc:
                raise ExtractError(
                    f"page {number} cannot be parsed ({_short(exc)}); the PDF is damaged, "
                    "try re-exporting or re-downloading it",
                    self._path,
                ) from exc
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
    if "PDFEncryptionError" in names or "Encrypt" in names:
        return ExtractError(
            f"the PDF uses an encryption this tool cannot open ({_short(exc)}); "
            "save an unencrypted copy and try again",
            path,
        )
    if "EOF" in text:
        return ExtractError(
            "the PDF is truncated or damaged (unexpected end of file); download it again",
            path,
        )
    if "No /Root" in text or "Is this really a PDF" in text:
        return ExtractError(
            "the file is not a readable PDF (no document catalog); check that it is a PDF "
            "and download it again",
            path,
        )
    return ExtractError(
        f"the PDF cannot be parsed ({_short(exc)}); it may be damaged, try re-exporting it",
        path,
    )
