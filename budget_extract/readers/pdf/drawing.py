"""pdfplumber's drawn objects (lines, rectangles, curves) as ruling segments.

Budget tables are drawn in many ways: WPS and Excel export each cell border as a thin
filled bar, others stroke rectangles or polylines, and white boxes paint backgrounds.
This module decides which drawn objects are rulings; it works on pdfplumber's object
dictionaries, so another backend brings its own equivalent.
"""

from __future__ import annotations

from typing import Any

from .page_model import Segment

THIN = 2.0
"""A filled rectangle thinner than this (pt) is drawn as a ruling line, not an area."""

MIN_SEGMENT = 1.0
"""Segments shorter than this (pt) are dots or glyph debris, never rulings."""

AXIS_TOL = 1.0
"""A line whose ends differ by less than this across its direction counts as straight."""

_WHITE: dict[tuple[Any, ...], bool] = {}
""":func:`is_white` of the colour tuples seen so far (a page has a few colours and
thousands of glyphs and paths painted in them)."""


def is_white(color: Any) -> bool:
    """Whether a pdfminer colour value paints white (invisible on paper)."""
    if type(color) is tuple:
        try:
            known = _WHITE.get(color)
        except TypeError:  # a pattern colour holding a list: not cached
            return _is_white(color)
        if known is None:
            known = _WHITE[color] = _is_white(color)
            if len(_WHITE) > 4096:  # a flood of colours: keep the memory bounded
                _WHITE.clear()
        return known
    return _is_white(color)


def _is_white(color: Any) -> bool:
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


def line_segment(x0: float, top: float, x1: float, bottom: float) -> Segment | None:
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
    fill = bool(obj.get("fill")) and not is_white(obj.get("non_stroking_color"))
    stroke = bool(obj.get("stroke")) and not is_white(obj.get("stroking_color"))
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
    """Straight axis-parallel pieces of a stroked path (polylines, hand-drawn grids).

    A thin *filled* path that is not stroked is a ruling drawn as a polygon (the 广东 and
    西安 templates draw every cell border so): it stands for one line, like a thin rect.
    """
    if not obj.get("stroke") or is_white(obj.get("stroking_color")):
        if obj.get("fill") and not is_white(obj.get("non_stroking_color")):
            w, h = obj["x1"] - obj["x0"], obj["bottom"] - obj["top"]
            if (w < THIN) != (h < THIN):
                return rect_segments({**obj, "stroke": False})
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
            s = line_segment(cur[0], cur[1], nxt[0], nxt[1])
            if s:
                out.append(s)
            cur = nxt
        elif kind == "c":
            cur = op[-1]
        elif kind == "h" and cur is not None and start is not None:
            s = line_segment(cur[0], cur[1], start[0], start[1])
            if s:
                out.append(s)
            cur = start
    return out
