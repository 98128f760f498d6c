"""Ruling segments snapped and joined into lines, grouped into one set per drawn table.

WPS draws each border as a thin filled bar, often in pieces and with the bar's own width
as an offset: segments whose positions nearly agree are one line, collinear pieces with
small gaps are joined, and lines that touch form one table.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from .geometry import cluster
from .page_model import Segment

SNAP_TOL = 2.0
"""Segments whose positions differ by less than this (pt) are the same ruling line."""

JOIN_TOL = 3.0
"""Collinear pieces with a gap up to this (pt) are one line (dashes, pieces per cell)."""

MIN_CELL = 3.0
"""Grid positions closer than this (pt) are one (double borders, bar width offsets)."""


@dataclass(slots=True)
class Piece:
    """A merged ruling: position across, extent along."""

    pos: float
    lo: float
    hi: float


def merge_segments(
    segments: Iterable[Segment], tol: float = SNAP_TOL, join: float = JOIN_TOL
) -> tuple[list[Piece], list[Piece]]:
    """Snap segments to common positions and join collinear pieces.

    Returns (horizontal, vertical) rulings.  A horizontal piece's ``pos`` is its y and
    ``lo``/``hi`` its x extent; a vertical piece the other way round.
    """
    hs: list[tuple[float, float, float]] = []
    vs: list[tuple[float, float, float]] = []
    for s in segments:
        if s.top == s.bottom:
            hs.append((s.top, s.x0, s.x1))
        else:
            vs.append((s.x0, s.top, s.bottom))
    return _merge(hs, tol, join), _merge(vs, tol, join)


def _merge(segs: list[tuple[float, float, float]], tol: float, join: float) -> list[Piece]:
    out: list[Piece] = []
    if not segs:
        return out
    for group in cluster([s[0] for s in segs], tol):
        members = [segs[i] for i in group]
        weight = sum(max(s[2] - s[1], 0.1) for s in members)
        pos = sum(s[0] * max(s[2] - s[1], 0.1) for s in members) / weight
        spans = sorted((s[1], s[2]) for s in members)
        lo, hi = spans[0]
        for a, b in spans[1:]:
            if a <= hi + join:
                hi = max(hi, b)
            else:
                out.append(Piece(pos, lo, hi))
                lo, hi = a, b
        out.append(Piece(pos, lo, hi))
    return out


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        p = self.parent
        while p[i] != i:
            p[i] = p[p[i]]
            i = p[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def components(
    hs: list[Piece], vs: list[Piece], tol: float
) -> list[tuple[list[Piece], list[Piece]]]:
    """Groups of rulings that touch each other (one group per drawn table)."""
    n_h = len(hs)
    uf = _UnionFind(n_h + len(vs))
    v_sorted = sorted(range(len(vs)), key=lambda j: vs[j].pos)
    v_pos = [vs[j].pos for j in v_sorted]
    for i, h in enumerate(hs):
        lo = bisect_right(v_pos, h.lo - tol - 1e-9)
        hi = bisect_right(v_pos, h.hi + tol)
        for k in range(lo, hi):
            j = v_sorted[k]
            v = vs[j]
            if v.lo - tol <= h.pos <= v.hi + tol:
                uf.union(i, n_h + j)
    groups: dict[int, tuple[list[Piece], list[Piece]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(uf.find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(uf.find(n_h + j), ([], []))[1].append(v)
    return [g for g in groups.values() if g[0] and g[1]]


def positions(values: list[float], tol: float) -> list[float]:
    """Distinct grid positions: clustered, then anything closer than MIN_CELL merged."""
    if not values:
        return []
    pos = [sum(values[i] for i in g) / len(g) for g in cluster(values, tol)]
    pos.sort()
    out = [pos[0]]
    for p in pos[1:]:
        if p - out[-1] < MIN_CELL:
            out[-1] = (out[-1] + p) / 2
        else:
            out.append(p)
    return out


def coverage(spans: list[tuple[float, float]], a: float, b: float) -> float:
    """Share of [a, b] covered by the (possibly overlapping) spans, given sorted (the
    grid asks each ruling position for every cell side along it: sorted once there)."""
    if b <= a:
        return 0.0
    covered = 0.0
    cur_lo = cur_hi = None
    for lo, hi in spans:
        if a > lo:  # lo, hi = max(lo, a), min(hi, b), spelt out
            lo = a
        if b < hi:
            hi = b
        if hi <= lo:
            continue
        if cur_hi is None or lo > cur_hi:
            if cur_hi is not None and cur_lo is not None:
                covered += cur_hi - cur_lo
            cur_lo, cur_hi = lo, hi
        elif hi > cur_hi:
            cur_hi = hi
    if cur_hi is not None and cur_lo is not None:
        covered += cur_hi - cur_lo
    return covered / (b - a)


def nearest(positions: list[float], v: float) -> int:
    k = bisect_right(positions, v)
    if k == 0:
        return 0
    if k == len(positions):
        return k - 1
    return k if positions[k] - v < v - positions[k - 1] else k - 1
