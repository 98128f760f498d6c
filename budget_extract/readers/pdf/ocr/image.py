"""A scanned page as a straight grayscale image, and the ruling lines drawn on it.

Why straighten first: rulings are found with morphology (an opening with a long thin
kernel keeps only long straight runs of ink); on a page scanned 1° askew a table's
horizontal lines climb one pixel every 57, so no long run survives and no table is found.
The skew is measured on the long lines themselves (a short kernel keeps their pieces,
a straight line is fitted through each long one) and the page rotated back.

Why the minimum lengths: a large bold title's strokes are long, thick runs of ink too;
rulings are thin and at least a third of an inch long, and a table needs both directions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..page_model import Segment

DPI = 150
"""Render resolution: enough for 8-pt table text, and the page fits the recogniser's
2,000-pixel detector limit (an A4 page is 1,754 px long at 150 dpi)."""

MAX_PIXELS = 12_000_000
"""Pixels allowed per rendered page (a few A3 pages' worth); larger pages are rendered at
a lower resolution, so one odd page size cannot take the worker's memory."""

MAX_SKEW = 5.0
"""Degrees: a larger measured angle is not scan skew (a diagonal stamp, a chart); ignored."""


@dataclass
class PageImage:
    """A straightened page: ``gray`` (uint8, white paper), and pixels per PDF point."""

    gray: Any
    scale: float
    skew: float
    """Degrees the scan was rotated back by (positive: it was turned counter-clockwise)."""


def render(page: Any, width_pt: float, height_pt: float) -> tuple[Any, float]:
    """Render a pypdfium2 page to grayscale at :data:`DPI` (less for huge pages)."""
    import numpy as np

    scale = DPI / 72
    px = width_pt * height_pt * scale * scale
    if px > MAX_PIXELS:
        scale *= math.sqrt(MAX_PIXELS / px)
    bitmap = page.render(scale=scale, grayscale=True)
    arr = bitmap.to_numpy()
    gray = np.array(arr[:, :, 0] if arr.ndim == 3 else arr, dtype=np.uint8)
    bitmap.close()
    return gray, scale


def ink_mask(gray: Any) -> Any:
    """Ink as 255 on 0: darker than its surroundings (an adaptive threshold, so grey
    paper and uneven lighting do not turn whole areas black) and darker than the page's
    Otsu threshold (so JPEG ringing and noise on blank paper are not ink)."""
    import cv2

    local = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C,
                                  cv2.THRESH_BINARY_INV, 31, 15)
    _t, dark = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return cv2.bitwise_and(local, dark)


def measure_skew(ink: Any) -> float:
    """The page's skew in degrees, from straight lines fitted through its long horizontal
    rulings (0.0 when it has none)."""
    import cv2
    import numpy as np

    h, w = ink.shape
    pieces = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(
        cv2.MORPH_RECT, (max(w // 60, 15), 1)))
    pieces = cv2.dilate(pieces, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 3)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(pieces, connectivity=8)
    angles: list[tuple[float, float]] = []
    for i in range(1, n):
        x, y, bw, bh, _area = stats[i]
        if bw < w * 0.25 or bh > bw * 0.1:
            continue
        ys, xs = np.nonzero(labels[y:y + bh, x:x + bw] == i)
        if len(xs) < 50:
            continue
        slope = np.polyfit(xs.astype(np.float64), ys.astype(np.float64), 1)[0]
        angles.append((math.degrees(math.atan(slope)), float(bw)))
    if not angles:
        return 0.0
    angles.sort()
    total = sum(wt for _, wt in angles)
    acc = 0.0
    for a, wt in angles:  # the length-weighted median: one odd line cannot tilt the page
        acc += wt
        if acc >= total / 2:
            return a if abs(a) <= MAX_SKEW else 0.0
    return 0.0


def straighten(gray: Any, scale: float) -> PageImage:
    """Rotate the page back by its measured skew (white fills the corners)."""
    import cv2

    skew = measure_skew(ink_mask(gray))
    if abs(skew) < 0.05:
        return PageImage(gray, scale, 0.0)
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), skew, 1.0)
    out = cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_CONSTANT, borderValue=255)
    return PageImage(out, scale, skew)


def find_rulings(img: PageImage) -> tuple[list[Segment], Any]:
    """The page's ruling lines as :class:`Segment` s in PDF points, and a mask of their
    pixels (so they can be painted out before text is recognised)."""
    import cv2

    ink = ink_mask(img.gray)
    min_len = max(int(img.scale * 24), 20)  # a third of an inch
    h_mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN,
                              cv2.getStructuringElement(cv2.MORPH_RECT, (min_len, 1)))
    v_mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN,
                              cv2.getStructuringElement(cv2.MORPH_RECT, (1, min_len)))
    max_thick = max(int(img.scale * 3), 4)  # rulings are thin; bold strokes and bars are not
    segs: list[Segment] = []
    for mask, horizontal in ((h_mask, True), (v_mask, False)):
        n, _labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for i in range(1, n):
            x, y, bw, bh, _area = (int(v) for v in stats[i])
            length, thick = (bw, bh) if horizontal else (bh, bw)
            if length < min_len or thick > max_thick:
                continue
            s = img.scale
            if horizontal:
                yc = (y + bh / 2) / s
                segs.append(Segment(x / s, yc, (x + bw) / s, yc))
            else:
                xc = (x + bw / 2) / s
                segs.append(Segment(xc, y / s, xc, (y + bh) / s))
    lines = cv2.bitwise_or(h_mask, v_mask)
    return segs, cv2.dilate(lines, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))


def contrast_lut(gray: Any, ink: Any) -> Any:
    """A lookup table stretching the page's ink to black and its paper to white.

    On grey, noisy paper the recogniser drops thin strokes at a line's start (the 一 of
    一、, read as nothing); with the paper's noise pushed to white and the ink to black
    it reads them.  Levels are the page's: ink = a dark percentile of the inked pixels,
    white = most of the way from ink to the paper's median.
    """
    import numpy as np

    paper = float(np.median(gray))
    inked = gray[ink > 0]
    black = float(np.percentile(inked, 10)) if inked.size else 0.0
    white = max(black + 0.85 * (paper - black), black + 16.0)
    x = np.arange(256, dtype=np.float32)
    return np.clip((x - black) * 255.0 / (white - black), 0, 255).astype(np.uint8)
