"""The header of a table without rulings, rebuilt from where its text sits.

Header text is centred in its cell, both ways, so the structure is still in the geometry:

* the lines of one header cell stack at one centre a line pitch apart (``政府/性基/金预/算``),
  closer than two cells ever are (cell padding lies between those), so stacked words are
  one cell, joined without a separator;
* a header cell with another header cell below it is a group label; the others (leaves)
  are the columns.  Each leaf is centred in its cell, so the column boundaries follow by
  mirroring the leaf centres from the table's edges (``b[i] = 2·c[i] − b[i-1]``), which
  also puts a right-aligned ``0`` under the heading it belongs to;
* a leaf reaches down to the body, so its vertical centre tells how far up its cell goes:
  a column whose cell stops short of the header's top needs a group label above it, and a
  group label spans the run of such columns it is centred over (``基本支出`` over
  ``小计 人员经费 公用经费``, while ``合计`` beside them is centred on the whole header);
* a header whose cells were cut to their first row (blank cells under them, as when only
  the first row repeats on the next page) breaks that last assumption: a label that fits
  no run of columns by their centres is fitted once more by where their text starts.

Where the headings are not centred (left-aligned, or a form rather than a table) nothing
here applies and :func:`read_header` says so (None).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from ...model import GridCell
from .geometry import Word, aligned, bbox_of, cx, round_bbox
from .textlines import words_text

KEY_VALUE = re.compile(r"[:：]")
"""A colon marks a key/value line (``单位：万元``, ``编制部门：…``), never a header label."""

MAX_HEADER_ROWS = 6
"""More header levels than this is no header (the normaliser reads at most six)."""

MAX_ABOVE = 4
"""Lines above the first multi-column line that may still be header (group labels)."""


@dataclass(eq=False)
class HeaderBlock:
    """One header cell's text: words stacked at one alignment, top to bottom."""

    words: list[Word]
    source: list[int]
    """Line of each word: ≥ 0 inside the table, −1 − j for the j-th line above it."""
    label: bool = False

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return self.words[0].top

    @property
    def bottom(self) -> float:
        return self.words[-1].bottom

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Header:
    """The header as read from its blocks: leaves (columns), labels and their spans."""

    leaves: list[HeaderBlock]
    bounds: list[float]
    """Leaf cell boundaries, ``len(leaves) + 1`` of them."""
    spans: dict[HeaderBlock, tuple[int, int]] = field(default_factory=dict)
    """Label → (first, last) leaf index it spans."""
    rejected: int | None = None
    """The nearest line above the table whose labels do not fit (that line and everything
    above it are no header), or None."""


def above_candidates(
    above: Sequence[Sequence[Word]],
    head: list[Word],
    body: list[Word],
    h: float,
    margin: float,
) -> list[Sequence[Word]]:
    """Lines above the table that may be group labels: body-sized text, no colon, inside
    the table's width, a header row's distance above the next line."""
    everything = head + body
    x0 = min(w.x0 for w in everything)
    x1 = max(w.x1 for w in everything)
    top = min(w.top for w in head)
    out: list[Sequence[Word]] = []
    for ln in above[:MAX_ABOVE]:
        if not ln or any(
            abs((w.bottom - w.top) - h) > 0.15 * h or KEY_VALUE.search(w.text)
            or w.x0 < x0 - h or w.x1 > x1 + h for w in ln
        ):
            break
        if top - max(w.bottom for w in ln) > 2 * margin + 0.5 * h:
            break
        out.append(ln)
        top = min(top, min(w.top for w in ln))
    return out


def _blocks(words: list[tuple[Word, int]], h: float, g_in: float) -> list[HeaderBlock]:
    """Header words stacked into cells: a word continues the block whose last line sits a
    line pitch above it at the same alignment, and is no wider than the block."""
    blocks: list[HeaderBlock] = []
    tol = 0.3 * h
    for w, src in sorted(words, key=lambda ws: (ws[0].top, ws[0].x0)):
        best: HeaderBlock | None = None
        best_gap = g_in
        for b in blocks:
            last = b.words[-1]
            gap = w.top - last.bottom
            if gap < -0.1 * h or gap > best_gap:
                continue
            if w.x1 - w.x0 > b.x1 - b.x0 + tol or not aligned(w, last, tol):
                continue
            best, best_gap = b, gap
        if best is not None:
            best.words.append(w)
            best.source.append(src)
        else:
            blocks.append(HeaderBlock([w], [src]))
    return blocks


def read_header(
    above: Sequence[Sequence[Word]],
    head: Sequence[Sequence[Word]],
    body: list[Word],
    band_bottom: float,
    margin: float,
    h: float,
    g_in: float,
    edges: bool = True,
) -> Header | None:
    """Leaves, their cell boundaries and the group labels' spans; None if no leaf.
    ``edges=False``: no body rows show where the table's edges are (an empty table's
    header over 本表无数据), so only the headings between them place the boundaries."""
    words = [(w, i) for i, ln in enumerate(head) for w in ln]
    words += [(w, -1 - j) for j, ln in enumerate(above) for w in ln]
    blocks = _blocks(words, h, g_in)
    # a block with another one below it is a group label
    for x in blocks:
        x.label = any(
            y is not x and y.top >= x.bottom - 0.1 * h and min(x.x1, y.x1) - max(x.x0, y.x0) > 0.5
            for y in blocks
        )
    # ... and so is one centred over a gap between its children: as a leaf its cell would
    # rise above the header's top, while its neighbours on both sides start below it.  One
    # lower neighbour is not enough: a heading printed in the header's first row only (its
    # cell cut there, blank cells under it) beside a group's first child is a column, not
    # that child's label; so is one at the header's edge when other column headings share
    # its line.  (An edge block alone on its line, with one lower neighbour, stays out of
    # the leaves: such is a form's wrapped value cell, and the form is then not read as
    # centred headings.)
    header_top = min(b.top for b in blocks) - margin
    cands = sorted((b for b in blocks if not b.label), key=cx)
    for i, x in enumerate(cands):
        if 2 * x.cy - band_bottom >= header_top - 0.3 * h:
            continue
        near = cands[max(i - 1, 0): i] + cands[i + 1: i + 2]
        if all(y.top >= x.bottom - 0.1 * h for y in near) and (len(near) == 2 or not any(
                y is not x and not y.label and abs(y.top - x.top) <= 0.3 * h for y in blocks)):
            x.label = True
    leaves = [b for b in cands if not b.label]
    if not leaves:
        return None
    bounds = _bounds(leaves, body, h, edges)
    if bounds is None:
        return None
    header = Header(leaves=leaves, bounds=bounds)
    _place_labels(header, [b for b in blocks if b.label], band_bottom, h)
    # a column heading lies below the first multi-column line: one above it is prose
    stray = [-1 - max(b.source) for b in leaves if max(b.source) < 0]
    if stray:
        header.rejected = min([*stray, *([header.rejected] if header.rejected is not None
                                         else [])])
    return header


def _bounds(leaves: list[HeaderBlock], body: list[Word], h: float, edges: bool = True
            ) -> list[float] | None:
    """Column boundaries from the leaf centres, or None if the leaves are not centred.

    Each leaf is centred in its cell, so one boundary gives the next (``b[i] = 2·c[i] −
    b[i-1]``) and the table's left edge ``x`` fixes them all, each ``±x`` plus a constant.
    Every boundary must fall between its two leaves' texts, and the outer ones within a
    line height and a half outside the table's text; on the left up to four: a first column
    of codes printed right-aligned or centred under a centred 科目编码 leaves its cell's
    left part blank, and the right edge (amounts right-aligned) then places the table.  The
    ``x`` allowed by all of these is an interval, and the one taken is the nearest to what
    the text at both edges suggests (its outermost glyphs a cell padding in).  No such
    ``x``: the headings are not centred (left-aligned, or not headings at all) and nothing
    here applies.  Without ``edges`` the outer boundaries are free (the table's text does
    not reach its edges) and only the boundaries between headings constrain ``x``.
    """
    tol = 0.1 * h
    pad = 0.3 * h
    x0 = min([leaves[0].x0] + [w.x0 for w in body])
    x1 = max([leaves[-1].x1] + [w.x1 for w in body])
    n = len(leaves)
    s = [0.0]
    for b in leaves:
        s.append(2 * cx(b) - s[-1])
    sign = [1 if i % 2 == 0 else -1 for i in range(n + 1)]

    def allowed(i: int, a: float, b: float) -> tuple[float, float]:
        """The x for which a ≤ b[i] ≤ b."""
        return (a - s[i], b - s[i]) if sign[i] > 0 else (s[i] - b, s[i] - a)

    lo, hi = (x0 - 4 * h, x0 + tol) if edges else (-math.inf, x0 + tol)
    limits = [allowed(i, leaves[i - 1].x1 - tol, leaves[i].x0 + tol) for i in range(1, n)]
    limits.append(allowed(n, x1 - tol, x1 + 1.5 * h) if edges else allowed(n, x1 - tol, math.inf))
    for a, b in limits:
        lo, hi = max(lo, a), min(hi, b)
    if lo > hi:
        return None
    want = (x0 - pad + sign[n] * (x1 + pad - s[n])) / 2
    x = min(max(want, lo), hi)
    return [s[i] + sign[i] * x for i in range(n + 1)]


def _place_labels(header: Header, labels: list[HeaderBlock], band_bottom: float, h: float) -> None:
    """Give each group label the run of columns it heads, lowest labels first.

    A column needs a label above it where its cell (as far as known) stops below the
    label; the labels of one level share each run of such columns, split where each label
    is best centred over its part, never through a lower label's span.  A label that fits
    nowhere, or sits off the centre of every split, is tried once more against where the
    columns' text starts (a header whose cells were cut to their first row, blank cells
    under them, has leaves that do not reach the body, so their centres place their cells'
    tops too high); failing that it is placed over the column under its centre, unless it
    comes from a line above the table: that line is then no header.
    """
    n = len(header.leaves)
    bounds = header.bounds
    col_top = [2 * b.cy - band_bottom for b in header.leaves]
    text_top = [b.top for b in header.leaves]
    lower: list[tuple[int, int]] = []
    forced: list[HeaderBlock] = []
    failed_above: list[int] = []
    labels = sorted(labels, key=lambda b: -b.bottom)
    levels: list[list[HeaderBlock]] = []
    for lab in labels:
        if levels and lab.bottom > min(b.top for b in levels[-1]) + 0.1 * h:
            levels[-1].append(lab)
        else:
            levels.append([lab])

    def anchor(b: HeaderBlock) -> int:
        return min(max(bisect_right(bounds, cx(b)) - 1, 0), n - 1)

    def fit(level: list[HeaderBlock], cand: list[bool]) -> list[HeaderBlock]:
        """Place the level's labels over the runs of candidate columns; the misfits."""
        pending = [b for b in level if cand[anchor(b)]]
        failed = [b for b in level if not cand[anchor(b)]]
        i = 0
        while i < n:
            if not cand[i]:
                i += 1
                continue
            j = i
            while j + 1 < n and cand[j + 1]:
                j += 1
            run = sorted((b for b in pending if i <= anchor(b) <= j), key=cx)
            while run:
                segs = _partition(i, j, run, [anchor(b) for b in run], bounds, lower)
                if segs is None:
                    worst = max(run, key=lambda b: abs(
                        cx(b) - (bounds[anchor(b)] + bounds[anchor(b) + 1]) / 2))
                else:
                    costs = [_off_centre(b, s, bounds) for b, s in zip(run, segs, strict=True)]
                    bad = [k for k, (b, s) in enumerate(zip(run, segs, strict=True))
                           if costs[k] > 0.5 * h + 0.03 * (bounds[s[1] + 1] - bounds[s[0]])
                           or (len(level) == 1 and s == (0, n - 1) and n > 1
                               and min(b.source) < 0)]
                    if not bad:
                        break
                    worst = run[max(bad, key=lambda k: costs[k])]
                run.remove(worst)
                failed.append(worst)
            else:
                segs = []
            for b, (a, e) in zip(run, segs, strict=True):
                header.spans[b] = (a, e)
                base = sum(col_top[a: e + 1]) / (e - a + 1)
                for k in range(a, e + 1):
                    col_top[k] = 2 * b.cy - base
                    text_top[k] = b.top
                lower.append((a, e))
            i = j + 1
        return failed

    for level in levels:
        bot = max(b.bottom for b in level)
        failed = fit(level, [bot <= col_top[i] + 0.3 * h for i in range(n)])
        inside = [b for b in failed if min(b.source) >= 0]
        if inside:
            failed = [b for b in failed if min(b.source) < 0] + fit(
                inside, [bot <= text_top[i] + 0.3 * h for i in range(n)])
        for b in failed:
            if min(b.source) < 0:
                failed_above.append(-1 - min(b.source))
            else:
                forced.append(b)
    if failed_above:
        header.rejected = min(failed_above)
    for b in forced:
        a = anchor(b)
        header.spans[b] = (a, a)


def _off_centre(b: HeaderBlock, seg: tuple[int, int], bounds: list[float]) -> float:
    return abs(cx(b) - (bounds[seg[0]] + bounds[seg[1] + 1]) / 2)


def _partition(
    r0: int,
    r1: int,
    labels: list[HeaderBlock],
    anchors: list[int],
    bounds: list[float],
    lower: list[tuple[int, int]],
) -> list[tuple[int, int]] | None:
    """Split columns r0..r1 into one consecutive part per label (in order), each holding
    its label's anchor column, cutting through no lower span, with the labels as close to
    their parts' centres as possible.  None if no such split exists."""
    blocked = {k for a, e in lower for k in range(a + 1, e + 1)}  # a cut before column k
    k = len(labels)
    # best[j][e]: least cost of labels[:j] covering r0..e, with the split that got there
    best: list[dict[int, tuple[float, list[tuple[int, int]]]]] = [{r0 - 1: (0.0, [])}]
    for j in range(k):
        nxt: dict[int, tuple[float, list[tuple[int, int]]]] = {}
        for e, (cost, segs) in best[j].items():
            a = e + 1
            if a > anchors[j]:
                continue
            last = r1 if j == k - 1 else r1 - (k - 1 - j)
            for e2 in range(anchors[j], last + 1):
                if e2 < r1 and (e2 + 1) in blocked:
                    continue
                if j == k - 1 and e2 != r1:
                    continue
                c = cost + _off_centre(labels[j], (a, e2), bounds)
                if e2 not in nxt or c < nxt[e2][0]:
                    nxt[e2] = (c, segs + [(a, e2)])
        best.append(nxt)
    done = best[k].get(r1)
    return done[1] if done else None


def header_cells(
    header: Header, unit_cols: list[tuple[int, int]], page: int | None
) -> tuple[int, list[GridCell]] | None:
    """Header rows as grid cells: a label one row below the lowest label above it, a leaf
    from there down to the body.  None if that makes more rows than a header has."""
    n = len(header.leaves)
    lowest = [-1] * n
    rows: dict[HeaderBlock, int] = {}
    for b in sorted(header.spans, key=lambda b: b.cy):
        a, e = header.spans[b]
        r = max(lowest[a: e + 1]) + 1
        rows[b] = r
        for k in range(a, e + 1):
            lowest[k] = r
    n_rows = max(lowest) + 2
    if n_rows > MAX_HEADER_ROWS:
        return None
    cells: list[GridCell] = []
    for b, r in rows.items():
        a, e = header.spans[b]
        first = unit_cols[a][0]
        last = unit_cols[e][0] + unit_cols[e][1]
        cells.append(GridCell(text=words_text(b.words), row=r, col=first,
                              colspan=last - first, page=page, bbox=round_bbox(bbox_of(b.words))))
    for i, leaf in enumerate(header.leaves):
        r = lowest[i] + 1
        col, span = unit_cols[i]
        cells.append(GridCell(text=words_text(leaf.words), row=r, col=col, rowspan=n_rows - r,
                              colspan=span, page=page, bbox=round_bbox(bbox_of(leaf.words))))
    return n_rows, cells
