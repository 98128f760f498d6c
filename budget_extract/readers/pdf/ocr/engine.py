"""The text recogniser: rapidocr-onnxruntime's PP-OCRv4 models, offline, one thread.

Why this engine: its wheel ships the detection and recognition models, so nothing is
downloaded at run time (``rapidocr`` 3.x fetches any non-default model, PaddleOCR fetches
everything); it read every amount of the seed's scan, Tesseract under half.

Settings that matter here:

* one onnxruntime thread: the default two doubled CPU per page for no gain, and batch
  workers already run pages in parallel;
* ``max_side_len`` raised: rapidocr silently shrinks any image longer than 2,000 px
  before detection, losing small table text on large pages;
* ``det_limit_side_len`` lowered: the detector scales up any image whose short side is
  under 736 px, and it is given bands of the page (:func:`detect`), read at their scale;
* no angle classifier: pages are straightened before recognition, and the classifier
  flips short numbers ("61" → "19") more often than it fixes anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

_engine: Any = None


@dataclass(slots=True)
class TextLine:
    """One recognised line of text: its box in page pixels, text and confidence (0–1)."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    confidence: float


def engine() -> Any:
    """The process's recogniser, built on first use (loading the models takes ~0.3 s)."""
    global _engine
    if _engine is None:
        from rapidocr_onnxruntime import RapidOCR

        _engine = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1,
                           max_side_len=8000, use_cls=False, print_verbose=False,
                           rec_batch_num=1, det_limit_side_len=32)
    return _engine


def recognise(crops: list[Any]) -> list[tuple[str, float]]:
    """Text and confidence of each single-line crop (grayscale), in one batched pass."""
    import cv2

    if not crops:
        return []
    imgs = [cv2.cvtColor(c, cv2.COLOR_GRAY2BGR) for c in crops]
    res, _elapse = engine().text_rec(imgs)
    return [(str(t), float(s)) for t, s in res]


BAND = 384
"""Rows of the page the detector sees at once at most (where the page has a blank gap to
cut at)."""

CUT_GAP = 24
"""Blank rows (pixels) a band keeps above and below its ink where the gap allows."""

MIN_CUT = 6
"""Blank rows a gap needs for the page to be cut there (between two lines of text)."""


def detect(gray: Any, ink: Any) -> list[tuple[float, float, float, float]]:
    """Boxes (x0, top, x1, bottom) of the text lines the detector finds in ``gray``.

    Why in bands: the detector's activations for a whole 150-dpi page take ~480 MB, most of
    an OCR worker's peak, and on a table page (the tables painted out) most of the page is
    blank.  The page is cut in the middle of blank gaps (``ink`` has no ink there) into
    bands of up to :data:`BAND` rows (more where no gap allows a cut); blank stretches are
    skipped, no text line is cut, and each keeps some blank paper around it.
    """
    import cv2
    import numpy as np

    h = gray.shape[0]
    # a row has ink where, over 9 rows, it averages more than 4 inked pixels: a line of
    # text has dozens, a scan's specks and the remnants of a table's skewed border a few
    counts = np.count_nonzero(ink, axis=1).astype(np.float32)
    inked = np.convolve(counts, np.ones(9, np.float32) / 9, mode="same") > 4
    runs: list[list[int]] = []  # [first, last + 1] of each run of inked rows
    for y in np.flatnonzero(inked):
        if runs and y == runs[-1][1]:
            runs[-1][1] = y + 1
        else:
            runs.append([int(y), int(y) + 1])
    bands: list[list[int]] = []
    for a, b in runs:
        if bands and (a - bands[-1][1] < MIN_CUT or b - bands[-1][0] <= BAND - CUT_GAP):
            bands[-1][1] = b  # too close to cut, or still fits: the same band
        else:
            bands.append([a, b])
    paper = float(np.median(gray))
    out: list[tuple[float, float, float, float]] = []
    for k, (a, b) in enumerate(bands):
        y0 = max(a - CUT_GAP, 0 if k == 0 else (bands[k - 1][1] + a) // 2)
        y1 = min(b + CUT_GAP, h if k == len(bands) - 1 else (b + bands[k + 1][0]) // 2)
        band = gray[y0:y1]
        pad = -band.shape[0] % 32  # the detector resizes to multiples of 32: pad instead
        if pad:
            band = cv2.copyMakeBorder(band, 0, pad, 0, 0, cv2.BORDER_CONSTANT, value=paper)
        boxes, _elapse = engine().text_det(cv2.cvtColor(band, cv2.COLOR_GRAY2BGR))
        for quad in boxes if boxes is not None else []:
            xs = [float(p[0]) for p in quad]
            ys = [float(p[1]) + y0 for p in quad]
            out.append((min(xs), min(ys), max(xs), min(max(ys), float(y1))))
    return out
