"""Geometry shared by the PDF table finders: boxes, clustering, and column "rivers".

Everything on a page (a glyph, a word, a header cell) is a box in page coordinates with
the origin top-left; these helpers work on anything with ``x0``/``top``/``x1``/``bottom``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from ...model import BBox
from ...numtext import is_figure


class Box(Protocol):
    """Anything with a box: a glyph, a word, a header cell."""

    @property
    def x0(self) -> float: ...

    @property
    def top(self) -> float: ...

    @property
    def x1(self) -> float: ...

    @property
    def bottom(self) -> float: ...


class Word(Box, Protocol):
    """A run of text on one line with its box (``TextChunk`` of the PDF reader)."""

    @property
    def text(self) -> str: ...


def bbox_of(boxes: Iterable[Box]) -> BBox:
    """The box around all of ``boxes``."""
    cs = list(boxes)
    return (
        min(c.x0 for c in cs),
        min(c.top for c in cs),
        max(c.x1 for c in cs),
        max(c.bottom for c in cs),
    )


def round_bbox(b: BBox) -> BBox:
    """A bbox rounded to 0.01 pt: stable in JSON output and tests."""
    return (round(b[0], 2), round(b[1], 2), round(b[2], 2), round(b[3], 2))


def cx(w: Box) -> float:
    """Horizontal centre."""
    return (w.x0 + w.x1) / 2


def aligned(a: Box, b: Box, tol: float) -> bool:
    """Same centre, left edge or right edge: lines of one cell, whatever its alignment."""
    return abs(cx(a) - cx(b)) <= tol or abs(a.x0 - b.x0) <= tol or abs(a.x1 - b.x1) <= tol


def cluster(values: Sequence[float], tol: float) -> list[list[int]]:
    """Indices of sorted-by-value items grouped where neighbours are within tol of the
    group's first value (no chaining drift)."""
    order = sorted(range(len(values)), key=values.__getitem__)
    groups: list[list[int]] = []
    first = 0.0
    for i in order:
        v = values[i]
        if groups and v - first <= tol:
            groups[-1].append(i)
        else:
            groups.append([i])
            first = v
    return groups


RIVER_MIN = 0.5
"""The narrowest gap between columns, in em: two cells' paddings (3 pt each, 0.55 em at
11 pt) between an amount right-aligned in one column and the next column's label."""


def rivers(words: Sequence[Box], n_lines: int) -> list[tuple[float, float]]:
    """Vertical strips that (almost) no word writes into: the gaps between the columns of
    a table without rulings, as (left, right).

    In a run of ``n_lines`` lines up to ``min(2, n_lines // 10)`` words may cross a strip
    (a long label or a spanning header word in a long table), but no figure, and none
    lying wholly inside it; a strip must be at least :data:`RIVER_MIN` em wide, and the
    open strips left and right of everything are no rivers.
    """
    if not words:
        return []
    size = min(w.bottom - w.top for w in words)
    allowed = min(2, n_lines // 10)
    # a figure never spills out of its column: one amount closes a strip (an amount column
    # printing two figures on a page of a long table is a column all the same)
    weight = [allowed + 1 if is_figure(getattr(w, "text", "")) else 1 for w in words]
    events = sorted([(w.x0, k) for w, k in zip(words, weight, strict=True)]
                    + [(w.x1, -k) for w, k in zip(words, weight, strict=True)])
    left = events[0][0]
    raw: list[tuple[float, float]] = []
    depth = 0
    start: float | None = None
    for x, d in events:
        depth += d
        if depth <= allowed and start is None:
            start = x
        elif depth > allowed and start is not None:
            raw.append((start, x))
            start = None
    strips: list[tuple[float, float]] = []
    for a, b in raw:
        # a word wholly inside the strip spills over from no neighbour (that crosses the
        # strip's edge): it is a column too sparse to close the strip (a 收入总计 alone on a
        # continuation page), and parts it
        edge = a
        for x0, x1 in sorted((w.x0, w.x1) for w in words if w.x0 >= a and w.x1 <= b):
            if x0 > edge:
                strips.append((edge, x0))
            edge = max(edge, x1)
        strips.append((edge, b))
    return [(a, b) for a, b in strips if a > left and b - a >= RIVER_MIN * size]
