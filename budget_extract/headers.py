"""Header-merging normaliser: how many rows are header, and each body column's full path.

Printed budget tables stack two to four header rows with merged cells (``本年收入`` over
``单位资金`` over ``事业收入``) and stacked vertical text (``政府<br>性基<br>金预<br>算``).
The result is one path per column, top level first, each level with its line breaks and
whitespace removed: ``本年收入/单位资金/小计``.

Two cases:

* spans known (HTML, ruled PDF, borderless PDF whose reader rebuilt the spans from where
  the text sits): a level is the cell covering that header row and column; a cell
  spanning several header rows counts once.
* spans unknown (Markdown pipe tables): a label heads the empty cells to its right as long as
  they share the same parent one row up (an empty cell *below* a label means the label spans
  down).  This is the only way to read what the conversion flattened, and it reproduces
  whatever misalignment the conversion introduced, which the checks then expose.

Before either, :func:`split_meta` takes out the meta lines a reader may leave in the header
(``单位名称：… 单位：万元``).  A grid a reader rebuilt from where text sits (not ruled, every
header cell with a box) is read by geometry instead of by grid row: each printed line may
sit in a grid row of its own, so a cell's wrapped lines are joined into one level
(:func:`wrapped_lines`) and a heading's span is inferred from what sits under it
(:func:`infer_spans`).  :func:`is_column_numbers` (from :mod:`.numtext`, where the PDF
reader uses it too) recognises the 栏次 row under a header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Grid, GridCell
from .numtext import NO_DATA, NUMERIC_CELL, is_column_numbers  # noqa: F401 (re-exported)
from .segment import norm

CODE = re.compile(r"^\d{2,7}$")
TOTAL_LABEL = re.compile(r"^(合计|总计|小计|收入总计|支出总计)$")
MAX_HEADER_ROWS = 6

# A header line naming the unit or the money unit (``单位名称：广州市信访局``, ``单位：万元``,
# ``预算单位：…``, ``编制单位：…``): table meta, drawn above or inside the ruled area, never a
# header level.  Anchored at the start so a level such as ``预算数（单位：万元）`` stays.
_NAME_LABEL = r"(?:单位名称|预算单位|编制单位|编制部门|部门名称|预算部门|主管部门|填报单位)"
META_CELL = re.compile(rf"^(?:{_NAME_LABEL}|(?:金额)?单位)\s*[:：]")
META_UNIT = re.compile(r"(?:金额)?单位\s*[:：]\s*(?P<unit>万元|千元|亿元|元)")
META_NAME = re.compile(rf"{_NAME_LABEL}\s*[:：]\s*(?P<name>.+?)\s*(?=(?:金额)?单位\s*[:：]|$)")


def spans_known(grid: Grid) -> bool:
    """Whether the grid's spans are the printed ones: ruled tables, and tables whose reader
    found spans some other way (a PDF table without rulings whose header was rebuilt from
    where its text sits).  A span-less unruled grid (Markdown) lost them, and
    :func:`fill_spans` infers them."""
    return grid.ruled or any(c.rowspan > 1 or c.colspan > 1 for c in grid.cells)


def looks_numeric(text: str) -> bool:
    t = norm(text)
    return bool(t) and bool(NUMERIC_CELL.match(t))


def _row_is_body(cells: list[GridCell | None], n_cols: int) -> bool:
    texts = [norm(c.text) if c else "" for c in cells]
    nonempty = [t for t in texts if t]
    if any(looks_numeric(t) for t in texts):
        return True
    if texts and CODE.match(texts[0]):
        return True
    # 本表无数据 where an empty table's rows would be (one cell, or one across the row)
    if nonempty and all(NO_DATA.match(t) for t in nonempty):
        return True
    # an all-empty total row (``合计`` alone) of an empty table
    return bool(nonempty) and len(nonempty) == 1 and bool(TOTAL_LABEL.match(nonempty[0])) and (
        texts.index(nonempty[0]) <= 1) and n_cols > 1


def header_row_count(grid: Grid, *, min_rows: int = 1) -> int:
    """Rows above the first body row (a row with a number, a code or a lone 合计).

    With spans known, a header cell that spans down into a row makes that row a header row
    too.  A table with no body row keeps ``min_rows`` header rows (Markdown's first row).
    """
    origin = grid.origin_matrix()
    owner = grid.owner_matrix()
    for r in range(min(grid.n_rows, MAX_HEADER_ROWS + 1)):
        row_cells = [owner[r][k] if owner[r][k] and owner[r][k].row == r else None
                     for k in range(grid.n_cols)]
        if _row_is_body(row_cells, grid.n_cols) or (r > 0 and not any(
                c is not None and norm(c.text) for c in row_cells)):
            h = r  # a number, a code, a lone 合计, or an empty row: the body has begun
            break
    else:
        h = min(min_rows, grid.n_rows)
        if grid.ruled:
            # no body row to stop at (a table with nothing in it): a heading spanning
            # columns still has its sub-headings in the row under it
            while 0 < h < min(grid.n_rows, MAX_HEADER_ROWS) and any(
                    c.colspan > 1 and norm(c.text) for c in origin[h - 1] if c):
                h += 1
        return h
    if spans_known(grid):
        # header cells spanning down extend the header
        for r in range(h):
            for c in origin[r]:
                if c is not None and c.row + c.rowspan > h and c.rowspan > 1:
                    h = max(h, min(c.row + c.rowspan, grid.n_rows))
    return h


@dataclass
class TableMeta:
    """What meta lines found inside a table's grid say: the money unit and the unit name."""

    unit: str = ""
    unit_name: str = ""


def is_meta_text(text: str) -> bool:
    """Whether a header cell is a meta line (unit name, money unit), not a header level."""
    t = norm(text)
    return bool(t) and bool(META_CELL.match(t))


def split_meta(grid: Grid) -> tuple[Grid, TableMeta]:
    """The grid without the meta cells of its header rows, and what they say.

    A reader may take the ``单位名称：… 单位：万元`` line above the columns as the grid's first
    row (drawn inside the ruling, or a borderless table read from where text sits), or even
    put ``单位：万元`` in the same row as the top header cells.  Those cells are removed
    wherever they sit above the first body row; a row left without text is removed with them
    (the spans crossing it shrink), so the header paths start at the real top level.
    """
    n_header = header_row_count(grid)
    meta = TableMeta()
    drop: set[int] = set()
    for c in grid.cells:
        if c.row < n_header and is_meta_text(c.text):
            drop.add(id(c))
            t = norm(c.text)
            m_unit, m_name = META_UNIT.search(t), META_NAME.search(t)
            if m_unit and not meta.unit:
                meta.unit = m_unit.group("unit")
            if m_name and not meta.unit_name:
                meta.unit_name = m_name.group("name")
    if not drop:
        return grid, meta
    kept = [c for c in grid.cells if id(c) not in drop]
    had_meta = {c.row for c in grid.cells if id(c) in drop}
    empty_rows = sorted(r for r in had_meta if not any(
        c.row <= r < c.row + c.rowspan and norm(c.text) for c in kept))
    cells: list[GridCell] = []
    for c in kept:
        if c.row in empty_rows:
            continue  # an empty cell of a removed row
        gone_above = sum(1 for r in empty_rows if r < c.row)
        gone_inside = sum(1 for r in empty_rows if c.row < r < c.row + c.rowspan)
        cells.append(GridCell(text=c.text, row=c.row - gone_above, col=c.col,
                              rowspan=max(1, c.rowspan - gone_inside), colspan=c.colspan,
                              page=c.page, bbox=c.bbox))
    return Grid(cells=cells, n_rows=grid.n_rows - len(empty_rows), n_cols=grid.n_cols,
                page=grid.page, bbox=grid.bbox, ruled=grid.ruled), meta


def fill_spans(rows: list[list[str]]) -> list[list[str]]:
    """Infer colspans in header rows that lost them (Markdown): copy a label to the right.

    An empty cell takes the label to its left when both have the same (filled) parent in the
    row above; in the top row every empty cell right of a label takes it.  Cells under a
    label that are empty are left empty (the label spans down).
    """
    filled = [list(r) for r in rows]
    for r, row in enumerate(filled):
        for k in range(1, len(row)):
            if row[k] or not row[k - 1]:
                continue
            above_same = r == 0 or _parent_same(filled, r - 1, k)
            # a column whose header text sits lower down is its own column, not a span
            lower = any(filled[rr][k] for rr in range(r + 1, len(filled)))
            lower_left = any(filled[rr][k - 1] for rr in range(r + 1, len(filled)))
            if above_same and (r == 0 or lower == lower_left):
                row[k] = row[k - 1]
    return filled


def _parent_same(filled: list[list[str]], r: int, k: int) -> bool:
    return all(filled[rr][k] == filled[rr][k - 1] for rr in range(r + 1))


def _wrap_groups(lines: list[GridCell]) -> list[list[GridCell]]:
    """Split a stack of header lines (top to bottom, one column, close together) into the
    printed cells they are.

    Text wraps inside a cell, so every line of a cell but its last fills the cell's width
    and lines up with the others, and the last is no wider: read from the bottom up, a line
    joins the cell below it while it has the width (and the place) of that cell's full
    lines.  A wider or shifted line above is a heading of its own (``其他资金收入`` over
    ``事业单/位经营/收入``).
    """
    groups: list[list[GridCell]] = []
    for line in reversed(lines):
        assert line.bbox is not None
        if groups:
            group = groups[-1]
            full = group[0] if len(group) > 1 else None
            top = group[0]
            assert top.bbox is not None
            tol = 0.6 * min(line.bbox[3] - line.bbox[1], top.bbox[3] - top.bbox[1])
            if full is not None and full.bbox is not None:
                fits = abs(line.bbox[0] - full.bbox[0]) <= tol and abs(
                    line.bbox[2] - full.bbox[2]) <= tol
            else:  # the cell so far is its last line: this one must hold it
                fits = line.bbox[0] <= top.bbox[0] + tol and line.bbox[2] >= top.bbox[2] - tol
            if fits:
                group.insert(0, line)
                continue
        groups.append([line])
    return list(reversed(groups))


def wrapped_lines(grid: Grid, n_header: int) -> dict[int, GridCell]:
    """Header cells that are a wrapped line of the cell above them, mapped to one cell
    holding the whole text (``一般公共预`` + ``算`` → ``一般公共预算``).

    Only for grids a reader rebuilt from where text sits (not ruled, with boxes): there
    each printed line may land in a grid row of its own, while a ruled grid's cells are the
    printed cells.  Lines are one cell when they sit in the same columns, one under the
    other with less than a line's height between them, and have the widths of wrapped text
    (:func:`_wrap_groups`).  A cell's own lines make one level; only stacked separate cells
    are levels.
    """
    if grid.ruled or n_header < 2:
        return {}
    out: dict[int, GridCell] = {}
    for k in range(grid.n_cols):
        stack = sorted((c for c in grid.cells if c.col == k and c.row < n_header
                        and norm(c.text) and c.bbox is not None), key=lambda c: c.row)
        runs: list[list[GridCell]] = []
        for c in stack:
            prev = runs[-1][-1] if runs else None
            if prev is not None and prev.bbox is not None and c.bbox is not None and (
                    prev.colspan == c.colspan and c.row == prev.row + prev.rowspan
                    and 0 <= c.bbox[1] - prev.bbox[3]
                    <= 0.8 * min(c.bbox[3] - c.bbox[1], prev.bbox[3] - prev.bbox[1])):
                runs[-1].append(c)
            else:
                runs.append([c])
        for run in runs:
            for group in _wrap_groups(run) if len(run) > 1 else []:
                if len(group) < 2:
                    continue
                head = group[0]
                last = group[-1]
                assert head.bbox is not None and last.bbox is not None
                joined = GridCell(text="".join(norm(c.text) for c in group), row=head.row,
                                  col=head.col, rowspan=last.row + last.rowspan - head.row,
                                  colspan=head.colspan, page=head.page,
                                  bbox=(min(c.bbox[0] for c in group if c.bbox),
                                        head.bbox[1],
                                        max(c.bbox[2] for c in group if c.bbox),
                                        last.bbox[3]))
                for c in group:
                    out[id(c)] = joined
    return out


def _cols(c: GridCell) -> range:
    return range(c.col, c.col + c.colspan)


def _x_extents(grid: Grid, n_header: int, blocks: list[GridCell]) -> dict[int, tuple[float, float]]:
    """Each column's left and right x, from the text that sits in it alone: body cells and
    the lowest header block of the column."""
    spans: dict[int, list[tuple[float, float]]] = {}
    lowest = [b for b in blocks if not any(
        o is not b and set(_cols(o)) & set(_cols(b)) and o.bbox is not None
        and b.bbox is not None and o.bbox[1] >= b.bbox[3] for o in blocks)]
    for c in [*(c for c in grid.cells if c.row >= n_header), *lowest]:
        if c.colspan == 1 and c.bbox is not None and norm(c.text):
            spans.setdefault(c.col, []).append((c.bbox[0], c.bbox[2]))
    return {k: (min(a for a, _ in v), max(b for _, b in v)) for k, v in spans.items()}


def infer_spans(grid: Grid, n_header: int, blocks: list[GridCell]) -> dict[int, range]:
    """Columns a heading spans when the grid gave it one column only (a borderless grid, or
    rulings the reader could not see), from where the text sits.

    A heading with another heading under it spans the neighbouring columns whose headers sit
    lower than it too: their text is centred in the part of the header below the heading,
    not in the whole header (``一般公共预算`` beside ``政府性基金预算`` under ``财政拨款收入``,
    while ``合计`` is centred top to bottom).  Of those columns it spans the run it is
    centred over; between equally good runs, the widest.  Returns block id → columns.
    """
    boxed = [b for b in blocks if b.bbox is not None]
    if not boxed:
        return {}
    h_top = min(b.bbox[1] for b in boxed if b.bbox)
    h_bot = max(b.bbox[3] for b in boxed if b.bbox)
    ext = _x_extents(grid, n_header, boxed)
    out: dict[int, range] = {}
    for p in boxed:
        assert p.bbox is not None
        pb = p.bbox
        own = _cols(p)
        below = [b for b in boxed if b is not p and set(_cols(b)) & set(own)
                 and b.bbox is not None and b.bbox[1] >= pb[3]]
        if not below:
            continue
        tol = 0.5 * (pb[3] - pb[1])

        def under(j: int, _p: GridCell = p, _pb=pb, _tol: float = tol) -> bool:
            here = [b for b in boxed if b is not _p and j in _cols(b) and b.bbox is not None]
            if not here or any(b.bbox[1] < _pb[3] - _tol and b.bbox[3] > _pb[1] + _tol
                               for b in here if b.bbox):
                return False  # nothing there, or a heading level with this one
            lo = [b.bbox for b in here if b.bbox and b.bbox[1] >= _pb[3] - _tol]
            if len(lo) != len(here):
                return False
            mid = (min(b[1] for b in lo) + max(b[3] for b in lo)) / 2
            return abs(mid - (_pb[3] + h_bot) / 2) + _tol / 2 < abs(mid - (h_top + h_bot) / 2)

        left, right = own.start, own.stop - 1
        while left - 1 >= 0 and under(left - 1):
            left -= 1
        while right + 1 < grid.n_cols and under(right + 1):
            right += 1
        if (left, right) == (own.start, own.stop - 1):
            continue
        centre = (pb[0] + pb[2]) / 2
        best: tuple[float, int, range] | None = None
        for a in range(left, own.start + 1):
            for b in range(own.stop - 1, right + 1):
                if a not in ext or b not in ext:
                    continue
                miss = abs((ext[a][0] + ext[b][1]) / 2 - centre)
                key = (round(miss / tol), -(b - a), range(a, b + 1))
                if best is None or key[:2] < best[:2]:
                    best = key
        if best is not None and best[2] != own:
            out[id(p)] = best[2]
    return out


def _geometric_paths(grid: Grid, n_header: int) -> list[tuple[str, ...]] | None:
    """Paths of a grid rebuilt from where text sits (not ruled): each column's header
    blocks — wrapped lines joined, spans inferred — from the top down by position, or None
    when a header cell has no box."""
    heads = [c for c in grid.cells if c.row < n_header and norm(c.text)]
    if grid.ruled or not heads or any(c.bbox is None for c in heads):
        return None
    wrapped = wrapped_lines(grid, n_header)
    blocks = list({id(b): b for b in (wrapped.get(id(c), c) for c in heads)}.values())
    spans = infer_spans(grid, n_header, blocks)
    paths: list[tuple[str, ...]] = []
    for k in range(grid.n_cols):
        mine = sorted((b for b in blocks if k in spans.get(id(b), _cols(b))),
                      key=lambda b: (b.bbox[1] if b.bbox else 0.0, b.row))
        levels: list[str] = []
        for b in mine:
            t = norm(b.text)
            if t and (not levels or levels[-1] != t):
                levels.append(t)
        paths.append(tuple(levels))
    return paths


def column_paths(grid: Grid, n_header: int) -> list[tuple[str, ...]]:
    """One header path per grid column (levels normalised, empty levels dropped)."""
    if n_header == 0:
        return [() for _ in range(grid.n_cols)]
    paths: list[tuple[str, ...]] = []
    geometric = _geometric_paths(grid, n_header) if spans_known(grid) else None
    if geometric is not None:
        return geometric
    if spans_known(grid):
        owner = grid.owner_matrix()
        wrapped = wrapped_lines(grid, n_header)
        for k in range(grid.n_cols):
            levels: list[str] = []
            seen: list[int] = []
            for r in range(n_header):
                c = owner[r][k]
                c = wrapped.get(id(c), c)
                if c is None or id(c) in seen:
                    continue
                seen.append(id(c))
                t = norm(c.text)
                if t and (not levels or levels[-1] != t):
                    levels.append(t)
            paths.append(tuple(levels))
        return paths
    rows = [[norm(t) for t in row] for row in grid.text_rows()[:n_header]]
    filled = fill_spans(rows)
    for k in range(grid.n_cols):
        levels = []
        for r in range(n_header):
            t = filled[r][k]
            if t and (not levels or levels[-1] != t):
                levels.append(t)
        paths.append(tuple(levels))
    return paths


def unique_paths(paths: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Make paths unique (a repeated path gets ``#2``, ``#3``) so every column has its own key.

    Empty paths become the column's position (``列3``) so no value is ever without a column.
    """
    out: list[tuple[str, ...]] = []
    seen: dict[tuple[str, ...], int] = {}
    for k, p in enumerate(paths):
        if not p:
            p = (f"列{k + 1}",)
        n = seen.get(p, 0) + 1
        seen[p] = n
        out.append(p if n == 1 else p[:-1] + (f"{p[-1]}#{n}",))
    return out
