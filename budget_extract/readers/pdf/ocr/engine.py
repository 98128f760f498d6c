"""The text recogniser: rapidocr-onnxruntime's PP-OCRv4 models, offline, one thread.

Why this engine: its wheel ships the detection and recognition models, so nothing is
downloaded at run time (``rapidocr`` 3.x fetches any non-default model, PaddleOCR fetches
everything); it read every amount of the seed's scan, Tesseract under half.

Settings that matter here:

* one onnxruntime thread: the default two doubled CPU per page for no gain, and batch
  workers already run pages in parallel;
* ``max_side_len`` raised: rapidocr silently shrinks any image longer than 2,000 px
  before detection, losing small table text on large pages;
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
                           rec_batch_num=1)
    return _engine


def recognise(crops: list[Any]) -> list[tuple[str, float]]:
    """Text and confidence of each single-line crop (grayscale), in one batched pass."""
    import cv2

    if not crops:
        return []
    imgs = [cv2.cvtColor(c, cv2.COLOR_GRAY2BGR) for c in crops]
    res, _elapse = engine().text_rec(imgs)
    return [(str(t), float(s)) for t, s in res]


def detect(gray: Any) -> list[tuple[float, float, float, float]]:
    """Boxes (x0, top, x1, bottom) of the text lines the detector finds in ``gray``."""
    import cv2

    eng = engine()
    boxes, _elapse = eng.text_det(cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR))
    if boxes is None:
        return []
    out = []
    for quad in boxes:
        xs = [float(p[0]) for p in quad]
        ys = [float(p[1]) for p in quad]
        out.append((min(xs), min(ys), max(xs), max(ys)))
    return out
