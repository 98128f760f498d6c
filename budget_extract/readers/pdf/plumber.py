"""The pdfplumber (pdfminer.six) implementation of :class:`~.backend.PdfBackend`.

Everything pdfminer-specific lives here and in :mod:`.guards` / :mod:`.drawing`: opening
(with the password retry and the mapping of pdfminer's many exception types to one-line
errors), streaming pages with flat memory, and turning a page's objects into the neutral
:class:`~.page_model.PageObjects`.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from ...errors import ExtractError
from .backend import PdfDamaged, password_error
from .drawing import is_white, line_segment, path_segments, rect_segments
from .guards import cmap_codes, guard_pdfminer, guarded_page, inflated, limit_exceeded
from .page_model import Char, PageObjects, Segment
from .pagebudget import over_budget


class PdfplumberBackend:
    """The pdfplumber (pdfminer.six) implementation of :class:`~.backend.PdfBackend`.

    Pages are created one at a time straight from pdfminer's page tree instead of through
    ``pdf.pages`` (which keeps every page, and with it every decoded content stream, alive
    until the file is closed); after each page its caches and pdfminer's object cache are
    dropped, so memory does not grow with the page count.
    """

    def __init__(self) -> None:
        self._pdf: Any = None
        self._n_pages = 0

    def open(self, data: bytes, password: str | None = None) -> None:
        """Open the file's bytes, mapping pdfminer's failures to one-sentence ExtractErrors."""
        import pdfplumber

        guard_pdfminer()
        inflated.reset()
        cmap_codes.total = 0
        tries = [password, ""] if password else [""]  # one --password for a whole batch:
        for i, pw in enumerate(tries):  # files that open without one must still open
            try:
                self._pdf = pdfplumber.open(io.BytesIO(data), password=pw)
                self._n_pages = _declared_page_count(self._pdf.doc)
                return
            except (MemoryError, SystemError):
                self.close()
                raise
            except Exception as exc:  # pdfminer raises many unrelated types
                self.close()
                err = classify_open_error(exc, password)
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
            raise ExtractError("the PDF is not open")
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
            inflated.reset()
            try:
                page = guarded_page(self._pdf, page_obj, number, doctop)
                doctop += float(page.height)
                objs = self._page_objects(page)
            except (ExtractError, MemoryError, SystemError):
                raise
            except Exception as exc:
                over = over_budget(exc)
                if over is None:
                    raise self._failure(
                        exc, f"page {number}",
                        f"page {number} cannot be parsed ({_short(exc)}); the PDF is "
                        "damaged, try re-exporting or re-downloading it") from exc
                objs = PageObjects(number=number, width=0.0, height=0.0, rotation=0,
                                   chars=[], segments=[], skipped=over.reason)
            finally:
                if page is not None:
                    page.close()
                _release(doc)
            yield objs
        self._n_pages = number

    def close(self) -> None:
        # not pdf.close(): it would build every Page object just to flush them; the stream
        # is a view of the caller's bytes, nothing to release but the reference
        self._pdf = None

    def __enter__(self) -> PdfplumberBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _failure(self, exc: Exception, where: str, damaged: str) -> ExtractError:
        """The error for a page that could not be read: a limit hit, or damage."""
        limit = limit_exceeded(exc)
        if limit is not None:
            return ExtractError(f"{where}: {limit.reason}")
        return PdfDamaged(damaged)

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
                float(c["size"] if c.get("size") is not None else c["bottom"] - c["top"]),
                bool(c.get("upright", True)),
                int(c.get("render_mode", 0)),
                float(c.get("hscale", 1.0)),
                _colour(c.get("non_stroking_color")),
            )
            for c in objects.get("char", ())
        ]
        segs: list[Segment] = []
        for ln in objects.get("line", ()):
            if is_white(ln.get("stroking_color")):
                continue
            s = line_segment(ln["x0"], ln["top"], ln["x1"], ln["bottom"])
            if s is not None:  # diagonal strokes are no rulings
                segs.append(s)
        for r in objects.get("rect", ()):
            segs.extend(rect_segments(r))
        for cv in objects.get("curve", ()):
            segs.extend(path_segments(cv))
        backgrounds = [(float(o["x0"]), float(o["top"]), float(o["x1"]), float(o["bottom"]))
                       for kind in ("rect", "curve", "image") for o in objects.get(kind, ())
                       if kind == "image" or (o.get("fill") and not is_white(
                           o.get("non_stroking_color")))]
        return PageObjects(
            number=page.page_number,
            width=float(page.width),
            height=float(page.height),
            rotation=int(page.rotation or 0) % 360,
            chars=chars,
            segments=segs,
            image_count=len(objects.get("image", ())),
            view=_crop_box(page),
            backgrounds=backgrounds,
        )


def _crop_box(page: Any) -> tuple[float, float, float, float] | None:
    """The page's CropBox in pdfplumber's coordinates when it is smaller than the page.

    pdfplumber gives characters relative to the MediaBox but the CropBox as declared: the
    two agree only for an unrotated MediaBox starting at (0, 0); otherwise None (the
    whole page counts as visible, as before)."""
    try:
        if "CropBox" not in page.page_obj.attrs or page.rotation:
            return None
        mb = page.mediabox
        if (float(mb[0]), float(mb[1])) != (0.0, 0.0):
            return None
        x0, top, x1, bottom = (float(v) for v in page.cropbox)
    except (AttributeError, TypeError, ValueError, IndexError):
        return None
    x0, top = max(x0, 0.0), max(top, 0.0)
    x1, bottom = min(x1, float(page.width)), min(bottom, float(page.height))
    if x1 - x0 < 1 or bottom - top < 1:  # a degenerate box: viewers ignore it
        return None
    if (x0, top, x1, bottom) == (0.0, 0.0, float(page.width), float(page.height)):
        return None
    return (x0, top, x1, bottom)


def _colour(value: Any) -> tuple[float, ...] | None:
    """A character's fill colour as numbers (gray, RGB, CMYK); None for a pattern or an
    unknown value (then it counts as visible)."""
    if isinstance(value, (int, float)):
        return (float(value),)
    if not isinstance(value, (tuple, list)) or not value:
        return None
    try:
        return tuple(float(v) for v in value)
    except (TypeError, ValueError):
        return None


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


def classify_open_error(exc: BaseException, password: str | None) -> ExtractError:
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
        return password_error(password)
    limit = limit_exceeded(exc)
    if limit is not None:
        return ExtractError(limit.reason)
    if "PDFEncryptionError" in names or "Encrypt" in names:
        return ExtractError(
            f"the PDF uses an encryption this tool cannot open ({_short(exc)}); "
            "save an unencrypted copy and try again",
        )
    if "EOF" in text:
        return PdfDamaged(
            "the PDF is truncated or damaged (unexpected end of file); download it again",
        )
    if "No /Root" in text or "Is this really a PDF" in text:
        return PdfDamaged(
            "the PDF is damaged: its cross-reference table and document catalog cannot be "
            "found; download or export it again",
        )
    return PdfDamaged(
        f"the PDF is damaged and cannot be parsed ({_short(exc)}); try re-exporting it",
    )
