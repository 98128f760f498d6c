"""The body of a table without rulings: its columns and its rows.

Body cells line up, so the columns are the strips between the body's "rivers" (refined
by the header's leaf cells when a header was read), and body rows never overlap: lines
that overlap vertically (a label wrapped over two lines beside amounts centred between
them), or that continue a label a line pitch below it, are one row.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import median

from ...numtext import is_figure
from .borderless_header import Header
from .geometry import Word, aligned, cx, rivers


@dataclass
class _Row:
    top: float
    bottom: float
    cells: dict[int, list[Word]]


def body_columns(body: list[Sequence[Word]], h: float
                  ) -> tuple[list[float], dict[int, list[Word]]]:
    """Cuts between the body's columns and the words of each (by index between cuts)."""
    words = [w for ln in body for w in ln]
    cuts = [(a + b) / 2 for a, b in rivers(words, len(body))]
    groups: dict[int, list[Word]] = {}
    for w in words:
        groups.setdefault(bisect_right(cuts, cx(w)), []).append(w)
    return cuts, groups


def columns(
    header: Header | None, groups: dict[int, list[Word]]
) -> tuple[dict[int, int], list[tuple[int, int]]]:
    """Grid columns: one per leaf cell, split where the body has several columns under
    one leaf, plus body columns outside every leaf cell.

    Returns the column of each body column and (first column, colspan) of each leaf.
    """
    col_of_group: dict[int, int] = {}
    if header is None:
        for k, g in enumerate(sorted(groups)):
            col_of_group[g] = k
        return col_of_group, []
    bounds = header.bounds
    n_units = len(header.leaves)
    per_unit: list[list[int]] = [[] for _ in range(n_units)]
    left: list[int] = []
    right: list[int] = []
    for g, ws in sorted(groups.items()):
        c = (min(w.x0 for w in ws) + max(w.x1 for w in ws)) / 2
        u = bisect_right(bounds, c) - 1
        (left if u < 0 else right if u >= n_units else per_unit[u]).append(g)
    n = 0
    for g in left:
        col_of_group[g] = n
        n += 1
    unit_cols: list[tuple[int, int]] = []
    for gs in per_unit:
        first = n
        for g in gs:
            col_of_group[g] = n
            n += 1
        n = max(n, first + 1)
        unit_cols.append((first, n - first))
    for g in right:
        col_of_group[g] = n
        n += 1
    return col_of_group, unit_cols


def row_gap(body: Sequence[Sequence[Word]], h: float) -> float:
    """The usual blank between two body rows (between lines that both hold figures)."""
    gaps = []
    prev: Sequence[Word] | None = None
    for ln in body:
        if not any(is_figure(w.text) for w in ln):
            prev = None
            continue
        if prev is not None:
            gap = min(w.top for w in ln) - max(w.bottom for w in prev)
            if gap > 0:
                gaps.append(gap)
        prev = ln
    return median(gaps) if gaps else 0.6 * h


def body_rows(lines: Sequence[Sequence[Word]], col_of: Callable[[Word], int], h: float,
               g_in: float) -> list[_Row]:
    """Body lines as rows: a line joins the row before it when it overlaps it vertically
    (cells centred on a row of several lines) or continues its text a line pitch below."""
    rows: list[_Row] = []
    for ln in lines:
        if not ln:
            continue
        cols: dict[int, list[Word]] = {}
        for w in ln:
            cols.setdefault(col_of(w), []).append(w)
        top = min(w.top for w in ln)
        bottom = max(w.bottom for w in ln)
        if rows and _continues(rows[-1], top, bottom, cols, h, g_in):
            row = rows[-1]
            row.top = min(row.top, top)
            row.bottom = max(row.bottom, bottom)
            for c, ws in cols.items():
                row.cells.setdefault(c, []).extend(ws)
        else:
            rows.append(_Row(top, bottom, cols))
    return rows


def _continues(row: _Row, top: float, bottom: float, cols: dict[int, list[Word]], h: float,
               g_in: float) -> bool:
    """Whether a line belongs to ``row``.

    It does when it overlaps the row (rows never overlap; it may then fill empty columns),
    or when it continues the row's text a line pitch below, aligned with it, in at least
    one column: a wrapped label's next line, or the line holding its amounts when the row
    so far is text only (a label of three lines beside amounts on the middle one).
    Amounts never continue each other.
    """
    if top - row.bottom > g_in:
        return False
    overlap = min(row.bottom, bottom) - max(row.top, top) > 0.2 * h
    if not overlap:
        shared = [c for c in cols if c in row.cells]
        if not shared:
            return False
        if len(shared) < len(cols) and any(
                is_figure(w.text) for ws in row.cells.values() for w in ws):
            return False
    for c, ws in cols.items():
        if c not in row.cells:
            continue
        last = max(row.cells[c], key=lambda w: w.bottom)
        first = min(ws, key=lambda w: w.top)
        if is_figure(first.text) or is_figure(last.text):
            return False
        gap = first.top - last.bottom
        if gap < -0.1 * h or gap > g_in or not aligned(first, last, 0.3 * h):
            return False
    return True
