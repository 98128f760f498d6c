"""Ruled-table detection on a PDF page: ruling segments + characters → :class:`Grid`.

Why not pdfplumber's ``extract_tables``: it re-scans the page's characters once per cell
and loses row/column spans, which budget tables (类/款/项 under 功能分类科目编码, a
功能分类科目名称 spanning two header rows) depend on.  Here the page is processed once:

1. segments are snapped and joined into ruling lines (WPS draws each border as a thin
   filled bar, often in pieces and with the bar's own width as an offset);
2. lines that touch form a connected component; each component with at least two
   columns is a table, its distinct line positions are the grid;
3. a missing stretch of interior line between two grid positions means the cells on
   either side are one merged cell (rowspan/colspan);
4. every character goes to the cell holding its centre, in one pass over the page.

The text helpers (lines from characters, CJK-aware joining) are shared with ``pdf.py``.
A borderless fallback builds unruled grids from text aligned in columns, their header
spans rebuilt from where the text sits (:mod:`budget_extract.readers.borderless`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from ..model import BBox, Grid, GridCell
from .borderless import MAX_ABOVE, build_grid
from .pdf_backend import Char, Segment

SNAP_TOL = 2.0
"""Segments whose positions differ by less than this (pt) are the same ruling line."""

JOIN_TOL = 3.0
"""Collinear pieces with a gap up to this (pt) are one line (dashes, pieces per cell)."""

MIN_CELL = 3.0
"""Grid positions closer than this (pt) are one (double borders, bar width offsets)."""

COVER = 0.5
"""A ruling must run along at least this share of a cell side to separate two cells."""

GAP_SPACE = 0.6
"""A horizontal gap wider than this × font size between two glyphs prints as a space."""

GAP_CHUNK = 3.0
"""A gap wider than this × font size splits a text line into separate pieces."""


# --------------------------------------------------------------------------- text helpers


def group_lines(chars: Iterable[Char]) -> list[list[Char]]:
    """Characters grouped into text lines by vertical position, top to bottom.

    A glyph joins the current line when its vertical centre is within half a glyph height
    of the line's; each line's characters are then sorted left to right.
    """
    ordered = sorted(chars, key=lambda c: (c.top, c.x0))
    lines: list[list[Char]] = []
    mids: list[float] = []
    heights: list[float] = []
    for ch in ordered:
        h = max(ch.bottom - ch.top, 0.1)
        mid = (ch.top + ch.bottom) / 2
        if lines and abs(mid - mids[-1]) <= max(1.0, 0.5 * min(h, heights[-1])):
            line = lines[-1]
            line.append(ch)
            n = len(line)
            mids[-1] += (mid - mids[-1]) / n
            heights[-1] = max(heights[-1], h)
        else:
            lines.append([ch])
            mids.append(mid)
            heights.append(h)
    for line in lines:
        line.sort(key=lambda c: c.x0)
    return lines


def _dedupe(chars: Sequence[Char]) -> list[Char]:
    """Drop glyphs printed twice at (almost) the same spot (fake bold)."""
    out: list[Char] = []
    for ch in chars:
        if out:
            p = out[-1]
            if p.text == ch.text and abs(p.x0 - ch.x0) < 0.3 * max(ch.size, 1.0):
                if abs(p.top - ch.top) < 0.3 * max(ch.size, 1.0):
                    continue
        out.append(ch)
    return out


def line_text(chars: Sequence[Char], *, cell: bool = False) -> str:
    """One line's characters (sorted left to right) as a string.

    CJK text is joined without spaces (distributed alignment like ``合    计`` prints as
    ``合计``).  A space is kept where the glyphs are visibly apart: in running text for any
    gap wider than ~0.6 em, or for an explicit space next to ASCII; in a table cell only
    between two ASCII characters, so ``1.00`` and ``201 13`` survive but CJK labels don't
    pick up padding.
    """
    out: list[str] = []
    prev: Char | None = None
    explicit = False
    for ch in _dedupe(chars):
        t = ch.text
        if not t or t.isspace():
            explicit = prev is not None
            continue
        if prev is not None:
            gap = ch.x0 - prev.x1
            size = max(min(prev.size, ch.size), 1.0)
            both_ascii = prev.text[-1].isascii() and t[0].isascii()
            if cell:
                space = both_ascii and (gap > GAP_SPACE * size or (explicit and gap > 0.15 * size))
            else:
                any_ascii = prev.text[-1].isascii() or t[0].isascii()
                space = gap > GAP_SPACE * size or (explicit and any_ascii and gap > 0.15 * size)
            if space:
                out.append(" ")
        out.append(t)
        prev = ch
        explicit = False
    return "".join(out)


def split_chunks(line: Sequence[Char], gap: float = GAP_CHUNK) -> list[list[Char]]:
    """Split a sorted line where glyphs are more than ``gap`` em apart."""
    chunks: list[list[Char]] = []
    cur: list[Char] = []
    last: Char | None = None
    for ch in line:
        if ch.text.isspace():
            if cur:
                cur.append(ch)
            continue
        if last is not None and ch.x0 - last.x1 > gap * max(min(last.size, ch.size), 1.0):
            while cur and cur[-1].text.isspace():
                cur.pop()
            chunks.append(cur)
            cur = []
        cur.append(ch)
        last = ch
    while cur and cur[-1].text.isspace():
        cur.pop()
    if cur:
        chunks.append(cur)
    return chunks


def bbox_of(chars: Iterable[Char]) -> BBox:
    cs = list(chars)
    return (
        min(c.x0 for c in cs),
        min(c.top for c in cs),
        max(c.x1 for c in cs),
        max(c.bottom for c in cs),
    )


def cell_text(chars: Sequence[Char]) -> str:
    """A cell's characters as text: lines top to bottom joined with no separator.

    Narrow cells stack CJK labels (``政府/性基/金预/算``); joining without a separator
    restores ``政府性基金预算``.  Numbers never wrap in these tables.  Only a wrap between
    two Latin letters gets a space back.
    """
    visible = [c for c in chars if not c.text.isspace()]
    if not visible:
        return ""
    if sum(1 for c in visible if not c.upright) * 2 > len(visible):
        # rotated glyphs (vertical headers): read column by column
        cols = sorted(visible, key=lambda c: (round(c.x0), c.top))
        return "".join(c.text for c in _dedupe(cols))
    parts: list[str] = []
    for line in group_lines(chars):
        t = line_text(line, cell=True)
        if not t:
            continue
        if parts and parts[-1][-1:].isascii() and parts[-1][-1:].isalpha():
            if t[:1].isascii() and t[:1].isalpha():
                parts.append(" ")
        parts.append(t)
    return "".join(parts)


# --------------------------------------------------------------------------- rulings


@dataclass(slots=True)
class _Piece:
    """A merged ruling: position across, extent along."""

    pos: float
    lo: float
    hi: float


def _cluster(values: Sequence[float], tol: float) -> list[list[int]]:
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


def merge_segments(
    segments: Iterable[Segment], tol: float = SNAP_TOL, join: float = JOIN_TOL
) -> tuple[list[_Piece], list[_Piece]]:
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


def _merge(segs: list[tuple[float, float, float]], tol: float, join: float) -> list[_Piece]:
    out: list[_Piece] = []
    if not segs:
        return out
    for group in _cluster([s[0] for s in segs], tol):
        members = [segs[i] for i in group]
        weight = sum(max(s[2] - s[1], 0.1) for s in members)
        pos = sum(s[0] * max(s[2] - s[1], 0.1) for s in members) / weight
        spans = sorted((s[1], s[2]) for s in members)
        lo, hi = spans[0]
        for a, b in spans[1:]:
            if a <= hi + join:
                hi = max(hi, b)
            else:
                out.append(_Piece(pos, lo, hi))
                lo, hi = a, b
        out.append(_Piece(pos, lo, hi))
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


def _components(
    hs: list[_Piece], vs: list[_Piece], tol: float
) -> list[tuple[list[_Piece], list[_Piece]]]:
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
    groups: dict[int, tuple[list[_Piece], list[_Piece]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(uf.find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(uf.find(n_h + j), ([], []))[1].append(v)
    return [g for g in groups.values() if g[0] and g[1]]


def _positions(values: list[float], tol: float) -> list[float]:
    """Distinct grid positions: clustered, then anything closer than MIN_CELL merged."""
    if not values:
        return []
    pos = [sum(values[i] for i in g) / len(g) for g in _cluster(values, tol)]
    pos.sort()
    out = [pos[0]]
    for p in pos[1:]:
        if p - out[-1] < MIN_CELL:
            out[-1] = (out[-1] + p) / 2
        else:
            out.append(p)
    return out


def _coverage(spans: list[tuple[float, float]], a: float, b: float) -> float:
    """Share of [a, b] covered by the (possibly overlapping) spans."""
    if b <= a:
        return 0.0
    covered = 0.0
    cur_lo = cur_hi = None
    for lo, hi in sorted(spans):
        lo, hi = max(lo, a), min(hi, b)
        if hi <= lo:
            continue
        if cur_hi is None or lo > cur_hi:
            if cur_hi is not None and cur_lo is not None:
                covered += cur_hi - cur_lo
            cur_lo, cur_hi = lo, hi
        else:
            cur_hi = max(cur_hi, hi)
    if cur_hi is not None and cur_lo is not None:
        covered += cur_hi - cur_lo
    return covered / (b - a)


def _nearest(positions: list[float], v: float) -> int:
    k = bisect_right(positions, v)
    if k == 0:
        return 0
    if k == len(positions):
        return k - 1
    return k if positions[k] - v < v - positions[k - 1] else k - 1


# --------------------------------------------------------------------------- layouts


@dataclass
class TableLayout:
    """A ruled table's geometry before text: grid lines and merged-cell regions."""

    xs: list[float]
    ys: list[float]
    regions: list[tuple[int, int, int, int]]
    """(row, col, rowspan, colspan) per printed cell, row-major."""
    owner: list[list[int]] = field(default_factory=list)
    """Grid position → index into ``regions``."""
    hs: list[_Piece] = field(default_factory=list, repr=False)
    vs: list[_Piece] = field(default_factory=list, repr=False)
    """The rulings the layout was built from (to rebuild it with extra row lines)."""

    @property
    def bbox(self) -> BBox:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1

    def contains(self, x: float, y: float, slack: float = 0.0) -> bool:
        return (
            self.xs[0] - slack <= x <= self.xs[-1] + slack
            and self.ys[0] - slack <= y <= self.ys[-1] + slack
        )

    def locate(self, x: float, y: float) -> int:
        """Index of the region holding point (x, y), assumed inside the table."""
        c = min(max(bisect_right(self.xs, x) - 1, 0), self.n_cols - 1)
        r = min(max(bisect_right(self.ys, y) - 1, 0), self.n_rows - 1)
        return self.owner[r][c]

    def region_bbox(self, i: int) -> BBox:
        r, c, rs, cs = self.regions[i]
        return (self.xs[c], self.ys[r], self.xs[c + cs], self.ys[r + rs])

    def to_grid(self, cell_chars: list[list[Char]], page: int | None) -> Grid:
        """The layout as a model Grid, each cell's text built from its characters."""
        cells = [
            GridCell(
                text=cell_text(cell_chars[i]),
                row=r,
                col=c,
                rowspan=rs,
                colspan=cs,
                page=page,
                bbox=round_bbox(self.region_bbox(i)),
            )
            for i, (r, c, rs, cs) in enumerate(self.regions)
        ]
        return Grid(
            cells=cells,
            n_rows=self.n_rows,
            n_cols=self.n_cols,
            page=page,
            bbox=round_bbox(self.bbox),
            ruled=True,
        )


def round_bbox(b: BBox) -> BBox:
    """A bbox rounded to 0.01 pt: stable in JSON output and tests."""
    return (round(b[0], 2), round(b[1], 2), round(b[2], 2), round(b[3], 2))


def _boundaries(
    xs: list[float], ys: list[float], hs: list[_Piece], vs: list[_Piece]
) -> tuple[list[list[bool]], list[list[bool]]]:
    """vb[r][k]: a ruling at xs[k] separates row r; hb[k][c]: one at ys[k] closes col c."""
    v_at: list[list[tuple[float, float]]] = [[] for _ in xs]
    for v in vs:
        v_at[_nearest(xs, v.pos)].append((v.lo, v.hi))
    h_at: list[list[tuple[float, float]]] = [[] for _ in ys]
    for h in hs:
        h_at[_nearest(ys, h.pos)].append((h.lo, h.hi))
    vb = [
        [_coverage(v_at[k], ys[r], ys[r + 1]) >= COVER for k in range(len(xs))]
        for r in range(len(ys) - 1)
    ]
    hb = [
        [_coverage(h_at[k], xs[c], xs[c + 1]) >= COVER for c in range(len(xs) - 1)]
        for k in range(len(ys))
    ]
    return vb, hb


def _layout(hs: list[_Piece], vs: list[_Piece], tol: float) -> TableLayout | None:
    """Grid lines and merged cells of one connected group of rulings."""
    xs = _positions([v.pos for v in vs] + [min(h.lo for h in hs), max(h.hi for h in hs)], tol)
    ys = _positions([h.pos for h in hs] + [min(v.lo for v in vs), max(v.hi for v in vs)], tol)
    if len(xs) < 2 or len(ys) < 2:
        return None
    vb, hb = _boundaries(xs, ys, hs, vs)
    # a grid position no row (column) is actually separated at is not a grid line
    keep_x = [0] + [k for k in range(1, len(xs) - 1) if any(row[k] for row in vb)] + [len(xs) - 1]
    keep_y = [0] + [k for k in range(1, len(ys) - 1) if any(hb[k])] + [len(ys) - 1]
    if len(keep_x) != len(xs) or len(keep_y) != len(ys):
        xs = [xs[k] for k in keep_x]
        ys = [ys[k] for k in keep_y]
        vb, hb = _boundaries(xs, ys, hs, vs)
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    if n_cols < 2 or n_rows < 1:
        return None
    owner = [[-1] * n_cols for _ in range(n_rows)]
    regions: list[tuple[int, int, int, int]] = []
    for r in range(n_rows):
        for c in range(n_cols):
            if owner[r][c] != -1:
                continue
            cs = 1
            while c + cs < n_cols and owner[r][c + cs] == -1 and not vb[r][c + cs]:
                cs += 1
            rs = 1
            while (
                r + rs < n_rows
                and all(owner[r + rs][k] == -1 and not hb[r + rs][k] for k in range(c, c + cs))
                and not any(vb[r + rs][k] for k in range(c + 1, c + cs))
            ):
                rs += 1
            idx = len(regions)
            regions.append((r, c, rs, cs))
            for rr in range(r, r + rs):
                for cc in range(c, c + cs):
                    owner[rr][cc] = idx
    return TableLayout(xs=xs, ys=ys, regions=regions, owner=owner, hs=hs, vs=vs)


def find_ruled_layouts(segments: Iterable[Segment], tol: float = SNAP_TOL) -> list[TableLayout]:
    """Every ruled table on a page (at least two columns), top to bottom."""
    hs, vs = merge_segments(segments, tol)
    if not hs or not vs:
        return []
    layouts = [lay for g in _components(hs, vs, tol) if (lay := _layout(g[0], g[1], tol))]
    layouts.sort(key=lambda lay: (lay.ys[0], lay.xs[0]))
    return layouts


def fill_layouts(
    layouts: list[TableLayout], chars: Iterable[Char], page: int | None
) -> tuple[list[Grid], list[Char]]:
    """Put every character into the cell holding its centre (one pass over the page).

    Returns the grids (same order as ``layouts``) and the characters outside all tables.
    """
    buckets: list[list[list[Char]]] = [[[] for _ in lay.regions] for lay in layouts]
    rest: list[Char] = []
    for ch in chars:
        cx = (ch.x0 + ch.x1) / 2
        cy = (ch.top + ch.bottom) / 2
        for t, lay in enumerate(layouts):
            if lay.contains(cx, cy):
                buckets[t][lay.locate(cx, cy)].append(ch)
                break
        else:
            rest.append(ch)
    grids = []
    for t, lay in enumerate(layouts):
        split = _split_unruled_rows(lay, buckets[t])
        if split is not None:
            lay, cells = split
            layouts[t] = lay
            buckets[t] = cells
        grids.append(lay.to_grid(buckets[t], page))
    return grids, rest


_NUMBER = re.compile(r"^[-+−(（]?[\d,，]*\d(\.\d+)?[)）%]?$")


def _split_unruled_rows(
    lay: TableLayout, buckets: list[list[Char]]
) -> tuple[TableLayout, list[list[Char]]] | None:
    """Add the row lines a table leaves out (column rules only, no rules between rows).

    Numbers never wrap in these tables, so a cell holding two or more lines that are
    each a number is several rows sharing one ruled band; joining them would glue the
    amounts together.  Between two such number lines the band is cut, across the whole
    table, at the widest gap between text lines (so a label wrapped over two lines stays
    in one row), and the layout is rebuilt.  Returns None when every band is ruled.
    """
    anchors: dict[tuple[float, float], list[tuple[float, float]]] = {}
    for i, cell in enumerate(buckets):
        visible = [c for c in cell if not c.text.isspace()]
        if len(visible) < 2:
            continue
        lines = group_lines(visible)
        if len(lines) >= 2 and all(_NUMBER.match(line_text(ln, cell=True)) for ln in lines):
            r, _, rs, _ = lay.regions[i]
            band = (lay.ys[r], lay.ys[r + rs])
            anchors.setdefault(band, []).extend(
                (min(c.top for c in ln), max(c.bottom for c in ln)) for ln in lines
            )
    if not anchors:
        return None
    everything = [c for cell in buckets for c in cell]
    cuts: list[float] = []
    for (top, bottom), nums in anchors.items():
        inside = [
            c for c in everything if not c.text.isspace() and top < (c.top + c.bottom) / 2 < bottom
        ]
        lines = group_lines(inside)
        gaps = [(max(c.bottom for c in a), min(c.top for c in b)) for a, b in pairwise(lines)]
        nums.sort()
        for (_, a_bottom), (b_top, _) in pairwise(nums):
            if b_top - a_bottom < -0.5:  # the same line reported by two cells
                continue
            between = [g for g in gaps if g[0] >= a_bottom - 0.5 and g[1] <= b_top + 0.5]
            if between:
                lo, hi = max(between, key=lambda g: g[1] - g[0])
                cuts.append((lo + hi) / 2)
            else:
                cuts.append((a_bottom + b_top) / 2)
    if not cuts:
        return None
    extra = [_Piece(y, lay.xs[0], lay.xs[-1]) for y in sorted(set(cuts))]
    new = _layout(lay.hs + extra, lay.vs, SNAP_TOL)
    if new is None or new.n_rows <= lay.n_rows:
        return None
    cells: list[list[Char]] = [[] for _ in new.regions]
    for c in everything:
        cells[new.locate((c.x0 + c.x1) / 2, (c.top + c.bottom) / 2)].append(c)
    return new, cells


def extract_ruled_tables(
    chars: Iterable[Char], segments: Iterable[Segment], page: int | None = None
) -> tuple[list[Grid], list[Char]]:
    """Ruled tables of one page as Grids, plus the characters outside them."""
    return fill_layouts(find_ruled_layouts(segments), chars, page)


# --------------------------------------------------------------------------- borderless


@dataclass
class TextChunk:
    """A run of text on one line, set apart from its neighbours by a gap."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class TextLine:
    """A visual line of text outside any ruled table.

    ``chunks`` split it only at wide gaps (≥ 3 em): the pieces that become paragraph
    blocks.  ``words`` split it at any visible gap (> 0.6 em): what column detection of
    borderless tables looks at.
    """

    chunks: list[TextChunk]
    words: list[TextChunk] = field(default_factory=list)

    @property
    def top(self) -> float:
        return min(c.top for c in self.chunks)

    @property
    def bottom(self) -> float:
        return max(c.bottom for c in self.chunks)


def _pieces(line: Sequence[Char], gap: float) -> list[TextChunk]:
    out = []
    for part in split_chunks(line, gap):
        text = line_text(part)
        if text:
            x0, top, x1, bottom = bbox_of(c for c in part if not c.text.isspace())
            out.append(TextChunk(text, x0, top, x1, bottom))
    return out


def _join_words(words: list[TextChunk]) -> list[TextChunk]:
    """Words merged into chunks where less than 3 em apart (they print a space between)."""
    out = [words[0]]
    for w in words[1:]:
        last = out[-1]
        size = max(min(last.bottom - last.top, w.bottom - w.top), 1.0)
        if w.x0 - last.x1 > GAP_CHUNK * size:
            out.append(w)
        else:
            out[-1] = TextChunk(
                f"{last.text} {w.text}",
                last.x0,
                min(last.top, w.top),
                w.x1,
                max(last.bottom, w.bottom),
            )
    return out


def text_lines(chars: Iterable[Char]) -> list[TextLine]:
    """Characters outside tables as lines of chunks, top to bottom.

    Rotated glyphs are kept out of the horizontal lines: a column of them stacked at one
    x (a sideways label) reads as one line, top to bottom; scattered ones (a diagonal
    watermark) are dropped rather than sprinkled into the text.
    """
    upright: list[Char] = []
    rotated: list[Char] = []
    for c in chars:
        (upright if c.upright or c.text.isspace() else rotated).append(c)
    out: list[TextLine] = []
    for line in group_lines(upright):
        words = _pieces(line, GAP_SPACE)
        if words:
            out.append(TextLine(_join_words(words), words))
    if rotated:
        out.extend(_vertical_lines(rotated))
        out.sort(key=lambda ln: (ln.top, ln.chunks[0].x0))
    return out


def _vertical_lines(chars: list[Char]) -> list[TextLine]:
    """Rotated glyphs sharing an x position, as top-to-bottom lines of text."""
    out: list[TextLine] = []
    centres = [(c.x0 + c.x1) / 2 for c in chars]
    tol = max(1.0, 0.3 * min(c.size for c in chars))
    for group in _cluster(centres, tol):
        col = sorted((chars[i] for i in group), key=lambda c: c.top)
        if len(col) < 2:
            continue
        text = "".join(c.text for c in _dedupe(col))
        x0, top, x1, bottom = bbox_of(col)
        chunk = TextChunk(text, x0, top, x1, bottom)
        out.append(TextLine([chunk], [chunk]))
    return out


_AMOUNT = re.compile(r"^[-+−(（]?\d[\d,，]*(\.\d+)?[)）%]?$")


def find_borderless_tables(
    lines: list[TextLine], page: int | None = None, min_rows: int = 3
) -> list[tuple[int, int, Grid]]:
    """Unruled tables: text aligned in columns, found from the gaps no line writes into.

    A run of closely spaced lines is cut down to the stretch between its first and last
    line with words in two or more columns; the columns are the x-intervals between
    "rivers" (vertical strips that (almost) no line writes into).  Lines at either end of
    the stretch that write across a river (``编制部门：… 单位：元`` above the table) stay
    prose.  A table needs ``min_rows`` multi-column lines (or a row of headings over one
    row of figures) and figures in a column other than the first, which keeps tables of
    contents and key/value prose out.  Group labels just above the stretch (``基本支出``
    alone on its line) are taken in when they head columns of it.

    Returns (first line index, end line index, grid) per table; grids are
    ``ruled=False``, with the header spans that the geometry shows (see
    :func:`budget_extract.readers.borderless.build_grid`).
    """
    found: list[tuple[int, int, Grid]] = []
    i = 0
    n = len(lines)
    while i < n:
        end = _run_end(lines, i)
        hit = _borderless(lines, i, end, page, min_rows)
        if hit is not None:
            found.append(hit)
            i = hit[1]
        else:
            i = end
    return found


def _run_end(lines: list[TextLine], i: int) -> int:
    """End of the run of closely spaced lines starting at line ``i``."""
    j = i + 1
    while j < len(lines):
        prev = lines[j - 1]
        if lines[j].top - prev.bottom > 1.5 * max(prev.bottom - prev.top, 1.0):
            break
        j += 1
    return j


def _rivers(run: list[TextLine]) -> list[tuple[float, float]]:
    """Vertical strips inside the run that (almost) no line writes into."""
    words = [w for ln in run for w in ln.words]
    if not words:
        return []
    size = min(w.bottom - w.top for w in words)
    allowed = min(2, len(run) // 10)  # spanning header words may cross a river
    events: list[tuple[float, int]] = []
    for w in words:
        events.append((w.x0, 1))
        events.append((w.x1, -1))
    events.sort()
    left = events[0][0]
    rivers: list[tuple[float, float]] = []
    depth = 0
    start: float | None = None
    for x, d in events:
        depth += d
        if depth <= allowed and start is None:
            start = x
        elif depth > allowed and start is not None:
            if start > left and x - start >= GAP_SPACE * size:
                rivers.append((start, x))
            start = None
    return rivers  # the open strip right of everything is no river


def _is_figure(text: str) -> bool:
    return bool(_AMOUNT.match(text.replace(" ", "")))


def _columns_of(run: list[TextLine]) -> list[float] | None:
    """Cut positions between columns, or None for fewer than two columns.

    The figure-bearing (body) lines decide where columns are; within a wide body river
    (empty body columns, as under a 收入总表's unused headings) the narrower rivers left
    by the header words refine the cuts.  Without two body lines, all lines decide.
    """
    every = _rivers(run)
    body_lines = [ln for ln in run if any(_is_figure(w.text) for w in ln.words)]
    if len(body_lines) < 2:
        cuts = [(a + b) / 2 for a, b in every]
        return cuts or None
    body = _rivers(body_lines)
    cuts = []
    for a, b in body:
        inner = [(x + y) / 2 for x, y in every if x >= a - 0.5 and y <= b + 0.5]
        cuts.extend(inner or [(a + b) / 2])
    lo = min(w.x0 for ln in body_lines for w in ln.words)
    hi = max(w.x1 for ln in body_lines for w in ln.words)
    cuts.extend((x + y) / 2 for x, y in every if y <= lo or x >= hi)  # header-only columns
    cuts.sort()
    return cuts or None


def _heading_over_amounts(run: list[TextLine]) -> bool:
    """Two lines that are a table all the same: a row of three or more headings over a
    row of as many figures, each under a heading (an empty table's row of 0s)."""
    if len(run) != 2:
        return False
    head, amounts = run[0].words, run[1].words
    if len(head) < 3 or len(amounts) != len(head):
        return False
    if any(_is_figure(w.text) for w in head) or not all(_is_figure(w.text) for w in amounts):
        return False
    edges = [(a.x1 + b.x0) / 2 for a, b in pairwise(head)]
    return sorted(bisect_right(edges, (w.x0 + w.x1) / 2) for w in amounts) == list(
        range(len(head)))


def _borderless(
    lines: list[TextLine], start: int, end: int, page: int | None, min_rows: int
) -> tuple[int, int, Grid] | None:
    """The borderless table in ``lines[start:end]`` (trimmed to where it is one), if any."""
    lo, hi = start, end
    for _ in range(3):  # trim to multi-column lines, recompute columns, until stable
        while lo < hi and len(lines[lo].words) < 2:
            lo += 1
        while hi > lo and len(lines[hi - 1].words) < 2:
            hi -= 1
        if sum(1 for ln in lines[lo:hi] if len(ln.words) >= 2) < min_rows and not (
                _heading_over_amounts(lines[lo:hi])):
            return None
        cuts = _columns_of(lines[lo:hi])
        if cuts is None:
            return None

        def fits(ln: TextLine, cuts: list[float] = cuts) -> bool:
            # header rows (3+ words) may straddle a river; a short line doing so is prose
            cols = {bisect_right(cuts, (w.x0 + w.x1) / 2) for w in ln.words}
            crosses = any(w.x0 < c < w.x1 for w in ln.words for c in cuts)
            return len(cols) >= 2 and (not crosses or len(ln.words) >= 3)

        new_lo, new_hi = lo, hi
        while new_lo < new_hi and not fits(lines[new_lo]):
            new_lo += 1
        while new_hi > new_lo and not fits(lines[new_hi - 1]):
            new_hi -= 1
        if (new_lo, new_hi) == (lo, hi):
            break
        lo, hi = new_lo, new_hi
    else:
        return None
    run = lines[lo:hi]
    n_cols = len(cuts) + 1
    rows: list[list[list[TextChunk]]] = []
    for ln in run:
        row: list[list[TextChunk]] = [[] for _ in range(n_cols)]
        for w in ln.words:
            row[bisect_right(cuts, (w.x0 + w.x1) / 2)].append(w)
        rows.append(row)
    multi = sum(1 for row in rows if sum(1 for ws in row if ws) >= 2)
    figures = sum(1 for row in rows for ws in row[1:] for w in ws if _is_figure(w.text))
    if (multi < min_rows and not _heading_over_amounts(run)) or figures < 2:
        return None
    above = [lines[k].words for k in range(lo - 1, max(start, lo - MAX_ABOVE) - 1, -1)]
    built = build_grid(above, [ln.words for ln in run], page, cuts)
    lo -= built.above
    run = lines[lo:hi]
    x0 = min(w.x0 for ln in run for w in ln.words)
    x1 = max(w.x1 for ln in run for w in ln.words)
    grid = Grid(
        cells=built.cells,
        n_rows=built.n_rows,
        n_cols=built.n_cols,
        page=page,
        bbox=round_bbox((x0, run[0].top, x1, run[-1].bottom)),
        ruled=False,
    )
    return lo, hi, grid
