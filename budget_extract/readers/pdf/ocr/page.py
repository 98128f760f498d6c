"""One scanned page → :class:`PageObjects` (characters with boxes, ruling segments).

The recognised page goes through the same table, header and semantics code as a text
layer, so only this step is OCR-specific:

1. render at 150 dpi, straighten, find the rulings (:mod:`.image`);
2. lay the rulings out as tables with the text-layer code (:func:`find_ruled_layouts`);
3. inside each ruled cell, with the ruling pixels painted out, find the cell's text lines
   by their ink rows and recognise each line on its own.  Whole-page recognition lost the
   first characters next to a cell's left border and joined neighbouring cells' text;
4. outside the tables (title, unit line, 目录, narrative), the detector finds the lines;
5. every recognised line becomes characters spread evenly over its box, each carrying the
   line's confidence.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from ..page_model import Char, PageObjects
from ..ruled import find_ruled_layouts
from .cleanup import clean_cell, clean_label
from .engine import TextLine, detect, recognise
from .image import contrast_lut, find_rulings, ink_mask, render, straighten, text_runs

LOW_CONFIDENCE = 0.8
"""A table cell read with less confidence than this is listed in the document's warnings."""

MAX_PAGE_SECONDS = 60.0
"""Wall-clock seconds allowed for recognising one page (a table page takes 2–6 s); a page
past it is refused with a one-line error instead of eating the whole file's time limit."""

MIN_TABLE = (72.0, 20.0)
"""Width and height (pt) a ruled table must have: the strokes of a large bold title can
pass for rulings and form a "table" the size of two characters; real tables are wider
than an inch."""

MARK_SHARE = 0.6
"""A short text in a cell less than 0.6 times as tall as the page's typical cell line is a
mark: the recogniser reads the ``**`` heading a 栏次 row as ``88`` or ``*串``, which would
make the row a data row and the table's stub column numeric."""

MAX_LINES = 4000
"""Text lines recognised per page at most (a dense table page has ~600)."""

SIDEWAYS_SHARE = 2.0
"""A page is sideways when it has this many times more runs of text down the page than
across it (and at least :data:`SIDEWAYS_MIN` of them)."""

SIDEWAYS_MIN = 5

SIDEWAYS_SAMPLE = 8
"""Runs of text recognised both ways up to tell which way a sideways page is turned."""


class OcrLimitExceeded(Exception):
    """A per-page OCR limit was hit; ``reason`` names it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class OcrPage:
    """A recognised page and what it needs to report."""

    objects: PageObjects
    low: list[TextLine] = field(default_factory=list)
    """Table-cell lines read with less than :data:`LOW_CONFIDENCE`, in PDF points."""
    skew: float = 0.0
    """Degrees the scan was turned back by (reported by ``benchmarks/ocr.py``)."""
    turned: int = 0
    """Degrees (90 or 270, clockwise) a sideways page was turned to be read; its boxes are
    on the page so turned."""


def ocr_page(pdf_page: Any, number: int) -> OcrPage:
    """Recognise one pypdfium2 page (1-based ``number``) into page objects."""
    start = time.monotonic()
    width_pt, height_pt = pdf_page.get_size()
    gray, scale = render(pdf_page, width_pt, height_pt)
    gray, turned = upright(gray, scale)
    img = straighten(gray, scale)
    segments, line_mask = find_rulings(img)
    layouts = [lay for lay in find_ruled_layouts(segments)
               if lay.bbox[2] - lay.bbox[0] >= MIN_TABLE[0]
               and lay.bbox[3] - lay.bbox[1] >= MIN_TABLE[1]]
    segments = [s for s in segments if any(lay.contains(s.x0, s.top, 2.0)
                                           and lay.contains(s.x1, s.bottom, 2.0)
                                           for lay in layouts)]
    clean = img.gray.copy()
    h, w = clean.shape
    for lay in layouts:  # paint out the rulings, only inside tables: elsewhere a "ruling"
        x0, y0, x1, y1 = _px(lay.bbox, scale, 3, w, h)  # is a stroke of a title glyph
        clean[y0:y1, x0:x1][line_mask[y0:y1, x0:x1] > 0] = 255
    ink = ink_mask(clean)
    lut = contrast_lut(clean, ink)
    crops: list[Any] = []
    boxes: list[tuple[float, float, float, float, bool]] = []
    outside = clean.copy()
    for lay in layouts:
        for i in range(len(lay.regions)):
            x0, y0, x1, y1 = (v * scale for v in lay.region_bbox(i))
            for bx0, by0, bx1, by1 in _cell_lines(ink, x0, y0, x1, y1, scale):
                crops.append(_crop(clean, bx0, by0, bx1, by1, lut))
                boxes.append((bx0, by0, bx1, by1, True))
        x0, y0, x1, y1 = _px(lay.bbox, scale, 2, w, h)
        outside[y0:y1, x0:x1] = 255
    _check_time(start, number)
    for bx0, by0, bx1, by1 in detect(outside, ink_mask(outside)):
        crops.append(_crop(outside, bx0, by0, bx1, by1, lut))
        boxes.append((bx0, by0, bx1, by1, False))
    if len(crops) > MAX_LINES:
        raise OcrLimitExceeded(f"page {number}: more than {MAX_LINES:,} text lines to "
                               "recognise (the per-page OCR limit); is this a scanned page?")
    _check_time(start, number)
    results = recognise(crops)
    _check_time(start, number)
    page = OcrPage(PageObjects(number=number, width=w / scale, height=h / scale, rotation=0,
                               chars=[], segments=segments, image_count=1),
                   skew=img.skew, turned=turned)
    heights = sorted(b[3] - b[1] for b in boxes if b[4])
    mark_height = heights[len(heights) // 2] * MARK_SHARE if heights else 0
    for (bx0, by0, bx1, by1, in_table), (text, conf) in zip(boxes, results, strict=True):
        text = clean_cell(text) if in_table else clean_label(text)
        if in_table and by1 - by0 < mark_height and len(text) <= 4:
            text = "*" * len(text)  # a mark (the ** of a 栏次 row) read as 88 or *串
        if not text:
            continue
        line = TextLine(bx0 / scale, by0 / scale, bx1 / scale, by1 / scale, text, conf)
        if in_table and conf < LOW_CONFIDENCE:
            page.low.append(line)
        page.objects.chars.extend(_chars(line))
    return page


def upright(gray: Any, scale: float) -> tuple[Any, int]:
    """The page turned so that its text runs across, and the clockwise degrees it was
    turned by (0: it already did).

    A page with far more runs of text down it than across (:func:`.image.text_runs`) was
    scanned sideways.  Which way up is decided by the recogniser: a sample of the longest
    runs is read turned each way, and the way it reads them with more confidence wins
    (turned wrong, Chinese text reads as a few low-confidence marks).
    """
    import numpy as np

    across, down = text_runs(gray, scale)
    if len(down) < SIDEWAYS_MIN or len(down) < SIDEWAYS_SHARE * len(across):
        return gray, 0
    sample = sorted(down, key=lambda b: b[1] - b[3])[:SIDEWAYS_SAMPLE]  # the longest
    lut = np.arange(256, dtype=np.uint8)
    crops = [_crop(gray, x0, y0, x1, y1, lut) for x0, y0, x1, y1 in sample]
    score = {}
    for k in (1, 3):  # np.rot90: k=1 turns counter-clockwise (270° clockwise), k=3 clockwise
        read = recognise([np.ascontiguousarray(np.rot90(c, k)) for c in crops])
        score[k] = sum(conf * len(text) for text, conf in read)
    k = 3 if score[3] >= score[1] else 1
    return np.ascontiguousarray(np.rot90(gray, k)), 90 if k == 3 else 270


def _px(box: tuple[float, float, float, float], scale: float, margin: int, w: int,
        h: int) -> tuple[int, int, int, int]:
    """A box in points as pixel slice bounds, grown by ``margin`` and clipped to the page."""
    x0, y0, x1, y1 = (int(round(v * scale)) for v in box)
    return max(x0 - margin, 0), max(y0 - margin, 0), min(x1 + margin + 1, w), \
        min(y1 + margin + 1, h)


def _check_time(start: float, number: int) -> None:
    if time.monotonic() - start > MAX_PAGE_SECONDS:
        raise OcrLimitExceeded(f"page {number}: OCR took longer than the {MAX_PAGE_SECONDS:.0f}"
                               " s per-page limit")


def _cell_lines(ink: Any, x0: float, y0: float, x1: float, y1: float,
                scale: float) -> list[tuple[int, int, int, int]]:
    """Boxes (page pixels) of the text lines inside one cell, from its ink rows.

    A row of pixels with ink belongs to a line; lines are runs of such rows, a run
    shorter than ~2 pt is noise (a speck, a ruling's remnant).
    """
    import numpy as np

    pad = max(int(round(scale)), 2)  # ~1 pt off each ruling
    cx0, cy0 = int(round(x0)) + pad, int(round(y0)) + pad
    cx1, cy1 = int(round(x1)) - pad, int(round(y1)) - pad
    if cx1 - cx0 < 3 or cy1 - cy0 < 3:
        return []
    cell = _trim_edges(ink[cy0:cy1, cx0:cx1].copy(), max(int(scale * 2), 4))
    rows = np.count_nonzero(cell, axis=1)
    min_h = max(int(scale * 2.5), 3)
    out: list[tuple[int, int, int, int]] = []
    start = -1
    gap = 0
    for y, n in enumerate(list(rows) + [0, 0, 0]):
        if n > 0:
            if start < 0:
                start = y
            gap = 0
            continue
        if start < 0:
            continue
        gap += 1
        if gap < 2 and y < len(rows):  # a one-pixel gap inside a line (thin strokes)
            continue
        end = y - gap + 1
        if end - start >= min_h:
            band = cell[start:end]
            cols = np.nonzero(np.count_nonzero(band, axis=0))[0]
            if len(cols) and np.count_nonzero(band) >= 6:
                for a, b in _pieces(cols, end - start):
                    out.append((cx0 + a, cy0 + start, cx0 + b, cy0 + end))
        start = -1
        gap = 0
    return out


def _pieces(cols: Any, height: int) -> list[tuple[int, int]]:
    """A line's inked columns split where the gap is wider than the line is high: headers
    letter-spaced across their cell (``支    出``, ``项    目``) are read piece by piece, as
    the recogniser otherwise reads the empty middle as a character (支爾出)."""
    out: list[tuple[int, int]] = []
    a = prev = int(cols[0])
    for c in cols[1:]:
        c = int(c)
        if c - prev > max(height * 1.2, 8):
            out.append((a, prev + 1))
            a = c
        prev = c
    out.append((a, prev + 1))
    return out


def _trim_edges(cell: Any, width: int) -> Any:
    """``cell`` without the remnants of its rulings: a run of inked columns (rows)
    touching the cell's edge, at most ``width`` pixels wide and followed by blank ones,
    is the anti-aliased fringe of a border the ruling mask did not cover, not text."""
    import numpy as np

    for axis in (0, 1):
        counts = np.count_nonzero(cell, axis=axis)
        n = len(counts)
        for edge in (range(n), range(n - 1, -1, -1)):
            run = []
            for i in edge:
                if counts[i] == 0:
                    break
                run.append(i)
            if run and len(run) <= width and len(run) < n:
                if axis == 0:
                    cell[:, run] = 0
                else:
                    cell[run, :] = 0
    return cell


def _crop(gray: Any, x0: float, y0: float, x1: float, y1: float, lut: Any) -> Any:
    """The box with a margin of white, as the recogniser was trained on, its contrast
    stretched by ``lut`` (see :func:`.image.contrast_lut`)."""
    import cv2

    h, w = gray.shape
    a, b = max(int(x0), 0), min(int(round(x1)), w)
    c, d = max(int(y0), 0), min(int(round(y1)), h)
    m = max((d - c) // 4, 3)
    return cv2.copyMakeBorder(cv2.LUT(gray[c:d, a:b], lut), m, m, m, m, cv2.BORDER_CONSTANT,
                              value=255)


def _chars(line: TextLine) -> list[Char]:
    """The line's characters spread evenly over its box (the recogniser gives no
    per-character positions; cells and reading order need only the line's)."""
    text = line.text
    n = len(text)
    step = (line.x1 - line.x0) / n
    size = line.bottom - line.top
    return [Char(ch, line.x0 + k * step, line.top, line.x0 + (k + 1) * step, line.bottom,
                 size, True, confidence=line.confidence)
            for k, ch in enumerate(text) if not ch.isspace()]
