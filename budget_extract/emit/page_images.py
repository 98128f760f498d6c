"""PDF pages as small embedded images, for the review page (``S.html``).

A reviewer compares each extracted cell with the printed page, so the page has to be in the
review file itself (it must open offline, mailed or copied to a shared folder).  Pages are
rendered by pdfium (already installed: it is pdfplumber's renderer) at 96 dpi in 16 gray
levels, saved as a 4-bit PNG (about 30 ms a page): Chinese table text stays legible and a
page costs 20–40 KB, a third of a grayscale JPEG of the same size.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

DPI = 96
GRAY_LEVELS = 16
MAX_SIDE_PX = 2400
"""A page larger than A2 is rendered smaller: a hostile 200-inch page would otherwise take
hundreds of megabytes of pixels."""


@dataclass
class PageImage:
    """One rendered page: the PNG as a data URI and how PDF points map onto it.

    ``width``/``height`` are the visible (crop box) size in points; ``dx``/``dy`` the crop
    box's offset from the media box's top-left corner, where the readers' bounding boxes
    have their origin.
    """

    page: int
    data_uri: str
    width: float
    height: float
    dx: float = 0.0
    dy: float = 0.0

    def percent_box(self, bbox: tuple[float, float, float, float]
                    ) -> tuple[float, float, float, float]:
        """``(left, top, width, height)`` of a reader's bbox, in percent of the image."""
        x0, top, x1, bottom = bbox
        return ((x0 - self.dx) / self.width * 100, (top - self.dy) / self.height * 100,
                (x1 - x0) / self.width * 100, (bottom - top) / self.height * 100)


_STEP = 255 / (GRAY_LEVELS - 1)
_LEVEL_OF = [round(v / _STEP) for v in range(256)]
_PALETTE = [round(i * _STEP) for i in range(GRAY_LEVELS) for _ in range(3)]


class PageImageError(Exception):
    """The PDF could not be rendered (the review page is then written without images)."""


def render_pages(pdf: str | bytes, pages: Iterable[int], *, password: str | None = None,
                 dpi: int = DPI) -> dict[int, PageImage]:
    """The given 1-based pages of ``pdf`` (a path or the file's bytes) as images.

    Pages outside the document are left out.  Raises :class:`PageImageError` when pdfium
    cannot open the file.
    """
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(pdf, password=password)
    except (pdfium.PdfiumError, OSError, ValueError) as e:
        raise PageImageError(str(e) or type(e).__name__) from e
    out: dict[int, PageImage] = {}
    try:
        n = len(doc)
        for no in sorted(set(pages)):
            if not 1 <= no <= n:
                continue
            page = doc[no - 1]
            try:
                out[no] = _render(page, no, dpi)
            except pdfium.PdfiumError:
                continue  # one unrenderable page: the others are still shown
            finally:
                page.close()
    finally:
        doc.close()
    return out


def _render(page: Any, no: int, dpi: int) -> PageImage:
    mx0, _my0, _mx1, my1 = page.get_mediabox()
    cx0, cy0, cx1, cy1 = page.get_cropbox()
    scale = min(dpi / 72, MAX_SIDE_PX / max(cx1 - cx0, cy1 - cy0, 1))
    bitmap = page.render(scale=scale, grayscale=True)
    image = bitmap.to_pil().convert("L")
    bitmap.close()
    # gray value → index of the nearest of 16 evenly spaced grays, as a palette image:
    # a lookup, ten times faster than Pillow's quantize() and as small once compressed
    image = image.point(_LEVEL_OF).convert("P")
    image.putpalette(_PALETTE)
    buf = io.BytesIO()
    image.save(buf, "PNG", bits=4)
    uri = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
    rotation = page.get_rotation()
    width, height = cx1 - cx0, cy1 - cy0
    if rotation in (90, 270):
        width, height = height, width
    return PageImage(page=no, data_uri=uri, width=width, height=height,
                     dx=cx0 - mx0, dy=my1 - cy1)
