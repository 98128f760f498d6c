"""A scanned page as a straight grayscale image, and the ruling lines drawn on it.

Why straighten first: rulings are found with morphology (an opening with a long thin
kernel keeps only long straight runs of ink); on a page scanned 1° askew a table's
horizontal lines climb one pixel every 57, so no long run survives and no table is found.
The skew is measured on the long lines themselves (a short kernel keeps their pieces,
a straight line is fitted through each long one) and the page rotated back.

Why the minimum lengths: a large bold title's strokes are long, thick runs of ink too;
rulings are thin and at least a third of an inch long, and a table needs both directions.

Rulings too faint for the ink threshold are found on the grey levels (:func:`thin_lines`),
and rulings cut short by noise are extended to the ruling they meet (:func:`close_gaps`).
:func:`text_runs` tells a page scanned sideways by the direction its text runs.
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


FAINT_CONTRAST = 12.0
"""Grey levels a ruling must be darker than the paper on both sides of it, once averaged
along its length (the paper's noise averages out; a faint grey ruling's contrast does not)."""

FAINT_EVENNESS = 25.0
"""Standard deviation (grey levels) a ruling may have along its length: a ruling is one
even grey, a row through text alternates ink and paper (~90 there)."""


def thin_lines(gray: Any, scale: float, vertical: bool = True) -> tuple[Any, Any | None]:
    """Masks (255 on 0) of thin, even, straight lines, horizontal and vertical (None when
    not ``vertical``), however faint: the rulings :func:`ink_mask` misses.

    Why: some templates (北京's WPS tables) draw their rulings in light grey.  On a grey,
    noisy scan such a line is barely darker than the paper, below the page's ink
    threshold, and thresholding it pixel by pixel breaks it into dashes no opening keeps.
    Averaged along its own direction over ~7 pt, though, the noise cancels and the line
    stays darker than the paper a pixel or two above and below it.  Three tests, each
    on that average, keep rulings and reject text: darker, by :data:`FAINT_CONTRAST`, than
    the brightest row within 1.5 pt on *each* side (thin: a text band or a fill's edge is
    dark on one side only), and even along its length (:data:`FAINT_EVENNESS`: a row
    through characters is not).  A figure printed a pixel off a ruling darkens that
    side, so the tests also run on the page with its ink (text) painted as paper.
    """
    import cv2
    import numpy as np

    k = max(int(round(scale * 7)), 7)
    reach = max(int(round(scale)), 1) + 1  # 1.5 pt
    g = gray.astype(np.float32)
    bare = g.copy()
    bare[cv2.dilate(ink_mask(gray), np.ones((3, 3), np.uint8)) > 0] = float(np.median(gray))
    h = cv2.bitwise_or(_thin(g, 0, k, reach), _thin(bare, 0, k, reach))
    if not vertical:
        return h, None
    return h, cv2.bitwise_or(_thin(g, 1, k, reach), _thin(bare, 1, k, reach))


def _thin(g: Any, axis: int, k: int, reach: int) -> Any:
    """:func:`thin_lines` of one direction (``axis`` 0: horizontal lines, 1: vertical) on
    one version of the page."""
    import cv2
    import numpy as np

    size = (k, 1) if axis == 0 else (1, k)
    mean = cv2.blur(g, size)
    spread = cv2.blur(g * g, size)
    spread -= mean * mean
    n = mean.shape[axis]
    above = np.full_like(mean, -1.0)  # the brightest of the rows 1..reach before / after
    below = np.full_like(mean, -1.0)
    for d in range(1, reach + 1):
        if axis == 0:
            np.maximum(above[d:], mean[:n - d], out=above[d:])
            np.maximum(below[:n - d], mean[d:], out=below[:n - d])
        else:
            np.maximum(above[:, d:], mean[:, :n - d], out=above[:, d:])
            np.maximum(below[:, :n - d], mean[:, d:], out=below[:, :n - d])
    np.minimum(above, below, out=above)
    above -= mean
    line = (above > FAINT_CONTRAST) & (spread < FAINT_EVENNESS * FAINT_EVENNESS)
    return line.astype(np.uint8) * 255


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

    skew = measure_skew(cv2.bitwise_or(ink_mask(gray), thin_lines(gray, scale, vertical=False)[0]))
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
    h_thin, v_thin = thin_lines(img.gray, img.scale)
    min_len = max(int(img.scale * 24), 20)  # a third of an inch
    h_mask = cv2.morphologyEx(cv2.bitwise_or(ink, h_thin), cv2.MORPH_OPEN,
                              cv2.getStructuringElement(cv2.MORPH_RECT, (min_len, 1)))
    v_mask = cv2.morphologyEx(cv2.bitwise_or(ink, v_thin), cv2.MORPH_OPEN,
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
    return close_gaps(segs), cv2.dilate(lines, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))


MAX_GAP = 12.0
"""Points a ruling may stop short of the ruling it should meet (about one text line)."""

_TOUCH = 2.0
"""Points short of a crossing ruling within which a ruling's end meets it."""

_OVER = 1.0
"""Points past a crossing ruling within which a ruling's end meets it (half a ruling's
width and the mask's rounding); one that runs on further and stops inside the next cell
was cut short there."""


def close_gaps(segs: list[Segment]) -> list[Segment]:
    """Rulings extended across the gaps a scan leaves in them.

    Where a figure is printed a pixel from a faint ruling, noise and JPEG blur fill the
    paper between them and the ruling is lost for that stretch: the ruling then stops
    short of the crossing ruling it meets on the page, and the grid merges the two cells
    it should separate.  Printed rulings end on other rulings, so an end that meets none
    is extended to the next crossing ruling (or the next piece of the same line) when
    that is at most :data:`MAX_GAP` away.
    """
    hs = [s for s in segs if s.top == s.bottom]
    vs = [s for s in segs if s.top != s.bottom]
    # as (position across, start, end) along each direction
    h_lines = [(s.top, s.x0, s.x1) for s in hs]
    v_lines = [(s.x0, s.top, s.bottom) for s in vs]
    new_h = [_extend(line, v_lines, h_lines) for line in h_lines]
    new_v = [_extend(line, h_lines, v_lines) for line in v_lines]
    return ([Segment(a, pos, b, pos) for pos, a, b in new_h]
            + [Segment(pos, a, pos, b) for pos, a, b in new_v])


def _extend(line: tuple[float, float, float], crossing: list[tuple[float, float, float]],
            same: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """``line`` (pos, lo, hi) with each free end moved to the nearest crossing ruling or
    collinear piece within :data:`MAX_GAP`."""
    pos, lo, hi = line
    crosses = [c[0] for c in crossing if c[1] - _TOUCH <= pos <= c[2] + _TOUCH]
    if not any(lo - _TOUCH <= c <= lo + _OVER for c in crosses):
        stops = [c for c in crosses if lo - MAX_GAP <= c < lo]
        stops += [p[2] for p in same if abs(p[0] - pos) <= _TOUCH and lo - MAX_GAP <= p[2] < lo]
        if stops:
            lo = max(stops)
    if not any(hi - _OVER <= c <= hi + _TOUCH for c in crosses):
        stops = [c for c in crosses if hi < c <= hi + MAX_GAP]
        stops += [p[1] for p in same if abs(p[0] - pos) <= _TOUCH and hi < p[1] <= hi + MAX_GAP]
        if stops:
            hi = min(stops)
    return pos, lo, hi


def text_runs(gray: Any, scale: float) -> tuple[list[tuple[int, int, int, int]],
                                                list[tuple[int, int, int, int]]]:
    """Boxes (x0, y0, x1, y1; pixels) of the page's runs of text across and down the page.

    Why: a page scanned sideways (a landscape table fed into the scanner turned by 90°)
    has its rulings still horizontal and vertical, so nothing else notices; its text,
    though, runs down the page.  Characters of a word or a figure stand a fraction of a
    point apart, so closing the ink (rulings removed) along one direction joins them into
    long thin runs in the direction the text runs, and in that direction only (lines of
    text are further apart than characters).  A run is at least a third of an inch long
    and three times as long as it is thick.
    """
    import cv2
    import numpy as np

    ink = ink_mask(gray)
    length = max(int(scale * 24), 20)
    rulings = cv2.bitwise_or(
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, length), np.uint8)),
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8)))
    text = cv2.bitwise_and(ink, cv2.bitwise_not(cv2.dilate(rulings, np.ones((5, 5), np.uint8))))
    gap = max(int(round(scale * 4)), 4)
    out: list[list[tuple[int, int, int, int]]] = []
    for kernel in ((1, gap), (gap, 1)):  # rows x columns: join across, then down
        joined = cv2.morphologyEx(text, cv2.MORPH_CLOSE, np.ones(kernel, np.uint8))
        n, _labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
        runs = []
        for i in range(1, n):
            x, y, bw, bh, _area = (int(v) for v in stats[i])
            long, thick = (bw, bh) if kernel[0] == 1 else (bh, bw)
            if long >= length and long >= 3 * thick:
                runs.append((x, y, x + bw, y + bh))
        out.append(runs)
    return out[0], out[1]


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
