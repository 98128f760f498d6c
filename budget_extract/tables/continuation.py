"""Joining the fragments of a table split by page breaks into one grid.

A continuation fragment may repeat the header rows (dropped here), start with an empty
header row (Markdown conversions emit one for every pipe table), or have a different number
of columns than the first fragment (conversions drop empty leading columns): it is then
aligned on its last non-empty column.  Rows keep their cells' pages, so row numbers continue
across the break while each value still knows its page.
"""

from __future__ import annotations

from ..headers import header_row_count
from ..model import Grid, GridCell
from ..segment import norm


def _row_texts(grid: Grid, r: int) -> list[str]:
    return [norm(t) for t in grid.text_rows()[r]]


def _last_nonempty_col(grid: Grid, rows: range) -> int:
    last = -1
    for c in grid.cells:
        if c.row in rows and norm(c.text):
            last = max(last, c.col + c.colspan - 1)
    return last


def _col_edges(grid: Grid) -> tuple[list[float], list[float]] | None:
    """Left and right x of each grid column, from the cells that start/end there."""
    lefts: dict[int, list[float]] = {}
    rights: dict[int, list[float]] = {}
    for c in grid.cells:
        if c.bbox is None:
            continue
        lefts.setdefault(c.col, []).append(c.bbox[0])
        rights.setdefault(c.col + c.colspan - 1, []).append(c.bbox[2])
    if len(lefts) < grid.n_cols or len(rights) < grid.n_cols:
        return None
    return ([sorted(lefts[k])[len(lefts[k]) // 2] for k in range(grid.n_cols)],
            [sorted(rights[k])[len(rights[k]) // 2] for k in range(grid.n_cols)])


def _nearest(xs: list[float], x: float) -> int:
    return min(range(len(xs)), key=lambda k: abs(xs[k] - x))


def join_fragments(fragments: list[Grid]) -> tuple[Grid, int, list[str]]:
    """One grid from a table's fragments; returns (grid, header rows, warnings)."""
    first = fragments[0]
    n_header = header_row_count(first)
    if len(fragments) == 1:
        return first, n_header, []
    warnings: list[str] = []
    header = [_row_texts(first, r) for r in range(n_header)]
    cells: list[GridCell] = list(first.cells)
    n_rows = first.n_rows
    n_cols = first.n_cols
    for frag in fragments[1:]:
        skip = 0
        frag_rows = frag.text_rows()
        # drop a repeated header (compared by text, ignoring width differences)
        if n_header and frag.n_rows >= n_header and all(
            [t for t in (norm(x) for x in frag_rows[r]) if t] == [t for t in header[r] if t]
            for r in range(n_header)
        ):
            skip = n_header
        while skip < frag.n_rows and not any(norm(t) for t in frag_rows[skip]) and skip == 0:
            skip += 1  # the empty header row a pipe table needs
        offset = 0
        place = None
        if frag.n_cols != n_cols:
            edges = _col_edges(first)
            if edges is not None and all(c.bbox is not None for c in frag.cells):
                # PDF fragments: put each cell under the first part's column at the same x
                def place(c: GridCell, _e=edges) -> tuple[int, int]:
                    assert c.bbox is not None
                    k0 = _nearest(_e[0], c.bbox[0])
                    k1 = max(k0, _nearest(_e[1], c.bbox[2]))
                    return k0, k1 - k0 + 1
                warnings.append(f"a continuation of this table has {frag.n_cols} columns where "
                                f"the first part has {n_cols}; aligned by position on the page")
            else:
                prev_last = _last_nonempty_col(Grid(cells=cells, n_rows=n_rows, n_cols=n_cols),
                                               range(max(0, n_rows - 3), n_rows))
                frag_last = _last_nonempty_col(frag, range(skip, frag.n_rows))
                offset = max(0, prev_last - frag_last) if frag.n_cols < n_cols else 0
                warnings.append(
                    f"a continuation of this table has {frag.n_cols} columns where the first "
                    f"part has {n_cols}; aligned on its last non-empty column (shifted by "
                    f"{offset})")
        for c in frag.cells:
            if c.row < skip:
                continue
            col, span = place(c) if place else (c.col + offset, c.colspan)
            cells.append(GridCell(text=c.text, row=c.row - skip + n_rows, col=col,
                                  rowspan=c.rowspan, colspan=span, page=c.page, bbox=c.bbox))
        n_cols = max(n_cols, frag.n_cols + offset) if place is None else n_cols
        n_rows += frag.n_rows - skip
    joined = Grid(cells=cells, n_rows=n_rows, n_cols=n_cols, page=first.page, bbox=first.bbox,
                  ruled=first.ruled and all(f.ruled for f in fragments))
    return joined, n_header, warnings
