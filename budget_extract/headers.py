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
"""

from __future__ import annotations

import re

from .model import Grid, GridCell
from .segment import norm

NUMERIC = re.compile(
    r"^[-－(（]?[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?[)）]?%?$|^[-－][0-9０-９.．,，]+$")
CODE = re.compile(r"^\d{2,7}$")
TOTAL_LABEL = re.compile(r"^(合计|总计|小计|收入总计|支出总计)$")
MAX_HEADER_ROWS = 6


def spans_known(grid: Grid) -> bool:
    """Whether the grid's spans are the printed ones: ruled tables, and tables whose reader
    found spans some other way (a PDF table without rulings whose header was rebuilt from
    where its text sits).  A span-less unruled grid (Markdown) lost them, and
    :func:`fill_spans` infers them."""
    return grid.ruled or any(c.rowspan > 1 or c.colspan > 1 for c in grid.cells)


def looks_numeric(text: str) -> bool:
    t = norm(text)
    return bool(t) and bool(NUMERIC.match(t))


def _row_is_body(cells: list[GridCell | None], n_cols: int) -> bool:
    texts = [norm(c.text) if c else "" for c in cells]
    nonempty = [t for t in texts if t]
    if any(looks_numeric(t) for t in texts):
        return True
    if texts and CODE.match(texts[0]):
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
        return h
    if spans_known(grid):
        # header cells spanning down extend the header
        for r in range(h):
            for c in origin[r]:
                if c is not None and c.row + c.rowspan > h and c.rowspan > 1:
                    h = max(h, min(c.row + c.rowspan, grid.n_rows))
    return h


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


def column_paths(grid: Grid, n_header: int) -> list[tuple[str, ...]]:
    """One header path per grid column (levels normalised, empty levels dropped)."""
    if n_header == 0:
        return [() for _ in range(grid.n_cols)]
    paths: list[tuple[str, ...]] = []
    if spans_known(grid):
        owner = grid.owner_matrix()
        for k in range(grid.n_cols):
            levels: list[str] = []
            seen: list[int] = []
            for r in range(n_header):
                c = owner[r][k]
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
