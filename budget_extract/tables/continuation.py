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
        if frag.n_cols != n_cols:
            prev_last = _last_nonempty_col(
                Grid(cells=cells, n_rows=n_rows, n_cols=n_cols), range(max(0, n_rows - 3), n_rows))
            frag_last = _last_nonempty_col(frag, range(skip, frag.n_rows))
            offset = max(0, prev_last - frag_last) if frag.n_cols < n_cols else 0
            warnings.append(
                f"a continuation of this table has {frag.n_cols} columns where the first part "
                f"has {n_cols}; aligned on its last non-empty column (shifted by {offset})")
        for c in frag.cells:
            if c.row < skip:
                continue
            cells.append(GridCell(text=c.text, row=c.row - skip + n_rows, col=c.col + offset,
                                  rowspan=c.rowspan, colspan=c.colspan, page=c.page, bbox=c.bbox))
        n_rows += frag.n_rows - skip
        n_cols = max(n_cols, frag.n_cols + offset)
    joined = Grid(cells=cells, n_rows=n_rows, n_cols=n_cols, page=first.page, bbox=first.bbox,
                  ruled=first.ruled and all(f.ruled for f in fragments))
    return joined, n_header, warnings
