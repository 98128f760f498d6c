"""Borderless tables rebuilt from where their text sits: header tree, columns, body rows.

Without rulings a table's structure is still printed in its geometry, because header
text is centred in its cell, both ways, and body cells line up:

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
* body rows never overlap: lines that overlap vertically (a label wrapped over two lines
  beside amounts centred between them), or that continue a label a line pitch below it,
  are one row.

Where the headings are not centred (left-aligned, or a form rather than a table) none of
this applies, and every line is a plain row in the columns the text's gaps give, the
header normaliser inferring spans as for Markdown.  Everything here works on words (text
with a bounding box) and returns grid cells; which lines form a table is decided by
:mod:`budget_extract.readers.pdf_tables`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from statistics import median
from typing import Protocol

from ..model import BBox, GridCell

AMOUNT = re.compile(r"^[-+−(（]?\d[\d,，]*(\.\d+)?[)）%]?$")
KEY_VALUE = re.compile(r"[:：]")
"""A colon marks a key/value line (``单位：万元``, ``编制部门：…``), never a header label."""

MAX_HEADER_ROWS = 6
"""More header levels than this is no header (the normaliser reads at most six)."""

MAX_ABOVE = 4
"""Lines above the first multi-column line that may still be header (group labels)."""


class Word(Protocol):
    """A run of text on one line with its box (``TextChunk`` of the PDF reader)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float


def is_figure(text: str) -> bool:
    """An amount, a code or a count: what marks a body line."""
    return bool(AMOUNT.match(text.replace(" ", "")))


def _cx(w: Word | _Block) -> float:
    return (w.x0 + w.x1) / 2


def _aligned(a: Word | _Block, b: Word | _Block, tol: float) -> bool:
    """Same centre, left edge or right edge: lines of one cell, whatever its alignment."""
    return abs(_cx(a) - _cx(b)) <= tol or abs(a.x0 - b.x0) <= tol or abs(a.x1 - b.x1) <= tol


@dataclass(eq=False)
class _Block:
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
class BorderlessGrid:
    """A borderless table's cells (header spans included) and how many lines above the
    table's first multi-column line turned out to be header."""

    cells: list[GridCell]
    n_rows: int
    n_cols: int
    above: int = 0


@dataclass
class _Header:
    """The header as read from its blocks: leaves (columns), labels and their spans."""

    leaves: list[_Block]
    bounds: list[float]
    """Leaf cell boundaries, ``len(leaves) + 1`` of them."""
    spans: dict[_Block, tuple[int, int]] = field(default_factory=dict)
    """Label → (first, last) leaf index it spans."""
    rejected: int | None = None
    """The nearest line above the table whose labels do not fit (that line and everything
    above it are no header), or None."""


@dataclass
class _Row:
    top: float
    bottom: float
    cells: dict[int, list[Word]]


def build_grid(
    above: Sequence[Sequence[Word]],
    lines: Sequence[Sequence[Word]],
    page: int | None,
    fallback_cuts: Sequence[float] = (),
) -> BorderlessGrid:
    """Cells of the borderless table printed in ``lines`` (top to bottom, words left to
    right), with header spans rebuilt from the geometry.

    ``above`` are the lines just above the first line (nearest first) that may hold group
    labels.  Header lines are those above the first line with a figure; if they cannot be
    read as a header (headings not centred, a form rather than a table) every line is a
    plain row, in the columns between ``fallback_cuts`` (or the body's own, if none are
    given): what the reader did before it rebuilt headers.
    """
    start = next((i for i, ln in enumerate(lines) if any(is_figure(w.text) for w in ln)),
                 len(lines))
    heights = [w.bottom - w.top for ln in (lines[start:] or lines) for w in ln]
    h = max(median(heights), 1.0) if heights else 10.0
    # a row without figures just above them (``一、基本支出``, a label's first line) is
    # body when its words start where the body's text does; headings are centred
    starts = [w.x0 for ln in lines[start:] for w in ln if not is_figure(w.text)]
    while start > 0 and all(any(abs(w.x0 - x) <= 0.2 * h for x in starts)
                            for w in lines[start - 1]):
        start -= 1
    head, body = list(lines[:start]), list(lines[start:])
    g_in = min(0.45 * h, 0.75 * _row_gap(body, h))
    body_words = [w for ln in body for w in ln]
    header: _Header | None = None
    accepted: list[Sequence[Word]] = []
    if head and body_words:
        head_words = [w for ln in head for w in ln]
        bottom = max(w.bottom for w in head_words)
        band_bottom = (bottom + min(w.top for w in body_words)) / 2
        margin = max(band_bottom - bottom, 0.5)
        accepted = _above_candidates(above, head_words, body_words, h, margin)
        while True:
            header = _read_header(accepted, head, body_words, band_bottom, margin, h, g_in)
            if header is None or header.rejected is None:
                break
            accepted = accepted[: header.rejected]
    cells: list[GridCell] = []
    n_head = 0
    made = None
    if header is not None:
        cuts, groups = _body_columns(body, h)
        col_of_group, unit_cols = _columns(header, groups)
        made = _header_cells(header, unit_cols, page)
    if made is None:  # no header read: header lines are plain rows
        accepted = []
        body = head + body
        if fallback_cuts:
            cuts = sorted(fallback_cuts)
            col_of_group, unit_cols = {k: k for k in range(len(cuts) + 1)}, []
        else:
            cuts, groups = _body_columns(body, h)
            col_of_group, unit_cols = _columns(None, groups)
    else:
        n_head, head_cells = made
        cells.extend(head_cells)
    n_cols = max([c + 1 for c in col_of_group.values()]
                 + [a + s for a, s in unit_cols] + [1])

    def col_of(w: Word) -> int:
        return col_of_group[bisect_right(cuts, _cx(w))]

    rows = _body_rows(body, col_of, h, g_in)
    for i, row in enumerate(rows):
        for c, ws in row.cells.items():
            cells.append(GridCell(text=_cell_text(ws), row=n_head + i, col=c, page=page,
                                  bbox=_bbox(ws)))
    n_rows = n_head + len(rows)
    taken = [[False] * n_cols for _ in range(n_rows)]
    for c in cells:
        for r in range(c.row, c.row + c.rowspan):
            for k in range(c.col, c.col + c.colspan):
                taken[r][k] = True
    cells.extend(GridCell(text="", row=r, col=k, page=page)
                 for r in range(n_rows) for k in range(n_cols) if not taken[r][k])
    cells.sort(key=lambda c: (c.row, c.col))
    return BorderlessGrid(cells=cells, n_rows=n_rows, n_cols=n_cols, above=len(accepted))


def _body_columns(body: list[Sequence[Word]], h: float
                  ) -> tuple[list[float], dict[int, list[Word]]]:
    """Cuts between the body's columns and the words of each (by index between cuts)."""
    words = [w for ln in body for w in ln]
    cuts = _rivers(words, len(body), h)
    groups: dict[int, list[Word]] = {}
    for w in words:
        groups.setdefault(bisect_right(cuts, _cx(w)), []).append(w)
    return cuts, groups


def _columns(
    header: _Header | None, groups: dict[int, list[Word]]
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


def _rivers(words: list[Word], n_lines: int, h: float) -> list[float]:
    """x positions between body columns: the middles of the vertical strips that (almost)
    no word writes into (a long label may cross one in a long table)."""
    if not words:
        return []
    allowed = min(2, n_lines // 10)
    events = sorted([(w.x0, 1) for w in words] + [(w.x1, -1) for w in words])
    left = events[0][0]
    size = min(w.bottom - w.top for w in words)
    cuts: list[float] = []
    depth = 0
    start: float | None = None
    for x, d in events:
        depth += d
        if depth <= allowed and start is None:
            start = x
        elif depth > allowed and start is not None:
            if start > left and x - start >= 0.6 * size:
                cuts.append((start + x) / 2)
            start = None
    return cuts


# --------------------------------------------------------------------------- header


def _above_candidates(
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


def _blocks(words: list[tuple[Word, int]], h: float, g_in: float) -> list[_Block]:
    """Header words stacked into cells: a word continues the block whose last line sits a
    line pitch above it at the same alignment, and is no wider than the block."""
    blocks: list[_Block] = []
    tol = 0.3 * h
    for w, src in sorted(words, key=lambda ws: (ws[0].top, ws[0].x0)):
        best: _Block | None = None
        best_gap = g_in
        for b in blocks:
            last = b.words[-1]
            gap = w.top - last.bottom
            if gap < -0.1 * h or gap > best_gap:
                continue
            if w.x1 - w.x0 > b.x1 - b.x0 + tol or not _aligned(w, last, tol):
                continue
            best, best_gap = b, gap
        if best is not None:
            best.words.append(w)
            best.source.append(src)
        else:
            blocks.append(_Block([w], [src]))
    return blocks


def _read_header(
    above: Sequence[Sequence[Word]],
    head: Sequence[Sequence[Word]],
    body: list[Word],
    band_bottom: float,
    margin: float,
    h: float,
    g_in: float,
) -> _Header | None:
    """Leaves, their cell boundaries and the group labels' spans; None if no leaf."""
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
    # rise above the header's top, while a neighbour's text starts below it
    header_top = min(b.top for b in blocks) - margin
    cands = sorted((b for b in blocks if not b.label), key=_cx)
    for i, x in enumerate(cands):
        if 2 * x.cy - band_bottom >= header_top - 0.3 * h:
            continue
        near = cands[max(i - 1, 0): i] + cands[i + 1: i + 2]
        if any(y.top >= x.bottom - 0.1 * h for y in near):
            x.label = True
    leaves = [b for b in cands if not b.label]
    if not leaves:
        return None
    bounds = _bounds(leaves, body, h)
    if bounds is None:
        return None
    header = _Header(leaves=leaves, bounds=bounds)
    _place_labels(header, [b for b in blocks if b.label], band_bottom, h)
    # a column heading lies below the first multi-column line: one above it is prose
    stray = [-1 - max(b.source) for b in leaves if max(b.source) < 0]
    if stray:
        header.rejected = min([*stray, *([header.rejected] if header.rejected is not None
                                         else [])])
    return header


def _bounds(leaves: list[_Block], body: list[Word], h: float) -> list[float] | None:
    """Column boundaries from the leaf centres, or None if the leaves are not centred.

    Each leaf is centred in its cell, so one boundary gives the next (``b[i] = 2·c[i] −
    b[i-1]``) and the table's left edge ``x`` fixes them all, each ``±x`` plus a constant.
    Every boundary must fall between its two leaves' texts, and the outer ones within a
    line height outside the table's text; the ``x`` allowed by all of these is an
    interval, and the one taken is the nearest to what the text at both edges suggests
    (its outermost glyphs a cell padding in).  No such ``x``: the headings are not
    centred (left-aligned, or not headings at all) and nothing here applies.
    """
    tol = 0.1 * h
    pad = 0.3 * h
    x0 = min([leaves[0].x0] + [w.x0 for w in body])
    x1 = max([leaves[-1].x1] + [w.x1 for w in body])
    n = len(leaves)
    s = [0.0]
    for b in leaves:
        s.append(2 * _cx(b) - s[-1])
    sign = [1 if i % 2 == 0 else -1 for i in range(n + 1)]

    def allowed(i: int, a: float, b: float) -> tuple[float, float]:
        """The x for which a ≤ b[i] ≤ b."""
        return (a - s[i], b - s[i]) if sign[i] > 0 else (s[i] - b, s[i] - a)

    lo, hi = x0 - 1.5 * h, x0 + tol
    limits = [allowed(i, leaves[i - 1].x1 - tol, leaves[i].x0 + tol) for i in range(1, n)]
    limits.append(allowed(n, x1 - tol, x1 + 1.5 * h))
    for a, b in limits:
        lo, hi = max(lo, a), min(hi, b)
    if lo > hi:
        return None
    want = (x0 - pad + sign[n] * (x1 + pad - s[n])) / 2
    x = min(max(want, lo), hi)
    return [s[i] + sign[i] * x for i in range(n + 1)]


def _place_labels(header: _Header, labels: list[_Block], band_bottom: float, h: float) -> None:
    """Give each group label the run of columns it heads, lowest labels first.

    A column needs a label above it where its cell (as far as known) stops below the
    label; the labels of one level share each run of such columns, split where each label
    is best centred over its part, never through a lower label's span.  A label that fits
    nowhere, or sits off the centre of every split, is placed over the column under its
    centre, unless it comes from a line above the table: that line is then no header.
    """
    n = len(header.leaves)
    bounds = header.bounds
    col_top = [2 * b.cy - band_bottom for b in header.leaves]
    lower: list[tuple[int, int]] = []
    forced: list[_Block] = []
    failed_above: list[int] = []
    labels = sorted(labels, key=lambda b: -b.bottom)
    levels: list[list[_Block]] = []
    for lab in labels:
        if levels and lab.bottom > min(b.top for b in levels[-1]) + 0.1 * h:
            levels[-1].append(lab)
        else:
            levels.append([lab])

    def anchor(b: _Block) -> int:
        return min(max(bisect_right(bounds, _cx(b)) - 1, 0), n - 1)

    for level in levels:
        bot = max(b.bottom for b in level)
        cand = [bot <= col_top[i] + 0.3 * h for i in range(n)]
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
            run = sorted((b for b in pending if i <= anchor(b) <= j), key=_cx)
            while run:
                segs = _partition(i, j, run, [anchor(b) for b in run], bounds, lower)
                if segs is None:
                    worst = max(run, key=lambda b: abs(
                        _cx(b) - (bounds[anchor(b)] + bounds[anchor(b) + 1]) / 2))
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
                lower.append((a, e))
            i = j + 1
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


def _off_centre(b: _Block, seg: tuple[int, int], bounds: list[float]) -> float:
    return abs(_cx(b) - (bounds[seg[0]] + bounds[seg[1] + 1]) / 2)


def _partition(
    r0: int,
    r1: int,
    labels: list[_Block],
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


def _header_cells(
    header: _Header, unit_cols: list[tuple[int, int]], page: int | None
) -> tuple[int, list[GridCell]] | None:
    """Header rows as grid cells: a label one row below the lowest label above it, a leaf
    from there down to the body.  None if that makes more rows than a header has."""
    n = len(header.leaves)
    lowest = [-1] * n
    rows: dict[_Block, int] = {}
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
        cells.append(GridCell(text=_cell_text(b.words), row=r, col=first,
                              colspan=last - first, page=page, bbox=_bbox(b.words)))
    for i, leaf in enumerate(header.leaves):
        r = lowest[i] + 1
        col, span = unit_cols[i]
        cells.append(GridCell(text=_cell_text(leaf.words), row=r, col=col, rowspan=n_rows - r,
                              colspan=span, page=page, bbox=_bbox(leaf.words)))
    return n_rows, cells


# --------------------------------------------------------------------------- body


def _row_gap(body: Sequence[Sequence[Word]], h: float) -> float:
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


def _body_rows(lines: Sequence[Sequence[Word]], col_of: Callable[[Word], int], h: float,
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
        if gap < -0.1 * h or gap > g_in or not _aligned(first, last, 0.3 * h):
            return False
    return True


# --------------------------------------------------------------------------- cells


def _cell_text(words: Sequence[Word]) -> str:
    """A cell's words as text: lines top to bottom joined with no separator (stacked CJK),
    a space only between ASCII words on one line or Latin letters across a wrap."""
    ordered = sorted(words, key=lambda w: (w.top, w.x0))
    lines: list[list[Word]] = []
    for w in ordered:
        if lines and w.top < lines[-1][0].bottom - 0.5 * (w.bottom - w.top):
            lines[-1].append(w)
        else:
            lines.append([w])
    out = ""
    for i, ln in enumerate(lines):
        text = ""
        for w in sorted(ln, key=lambda w: w.x0):
            if text and text[-1].isascii() and w.text[:1].isascii():
                text += " "
            text += w.text
        if i and out[-1:].isascii() and out[-1:].isalpha() and text[:1].isascii() and (
                text[:1].isalpha()):
            out += " "
        out += text
    return out


def _bbox(words: Sequence[Word]) -> BBox:
    return (
        round(min(w.x0 for w in words), 2),
        round(min(w.top for w in words), 2),
        round(max(w.x1 for w in words), 2),
        round(max(w.bottom for w in words), 2),
    )
