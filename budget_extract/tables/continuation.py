"""Joining the fragments of a table split by page breaks into one grid.

A continuation fragment may repeat the header rows (dropped here, in full or the lower
rows only), start with an empty header row (Markdown conversions emit one for every pipe
table), or have a different number of columns than the first fragment (conversions drop
empty leading columns, a borderless reading finds one column more): it is then aligned by
its repeated header's labels, else by the x position of its cells, else on its 科目编码
column, else on its last non-empty column.  The geometry and code-tree tests here also tell
the detector whether an untitled fragment continues a table at all.  Rows keep their cells'
pages, so row numbers continue across the break while each value still knows its page.
"""

from __future__ import annotations

import re

from ..headers import header_row_count, looks_numeric
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


def _tolerance(grid: Grid) -> float:
    """How far two x positions may differ and still be the same column line (points)."""
    width = grid.bbox[2] - grid.bbox[0] if grid.bbox else 0.0
    return max(4.0, 0.01 * width)


def columns_line_up(prev: Grid, frag: Grid, *, loose: bool = False) -> bool:
    """Whether a fragment's columns stand where the previous part's do on its page.

    Same column count: every left and right edge within tolerance.  Another count (a ruling
    the continuation lacks, or one more): every edge of the fragment on an edge of the
    previous part, and the two spanning the same width.  ``loose``: only the table's outer
    edges (the same width on the page).  Without cell geometry (Markdown, HTML) nothing can be
    said: ``False``.
    """
    tol = _tolerance(prev)
    if loose:
        return (prev.bbox is not None and frag.bbox is not None and frag.n_cols >= 2
                and abs(prev.bbox[0] - frag.bbox[0]) <= tol
                and abs(prev.bbox[2] - frag.bbox[2]) <= tol)
    a, b = _col_edges(prev), _col_edges(frag)
    if a is None or b is None or frag.n_cols < 2:
        return False
    if prev.n_cols == frag.n_cols:
        return all(abs(x - y) <= tol for x, y in zip(a[0] + a[1], b[0] + b[1], strict=True))
    on_edge = all(min(abs(x - y) for y in a[0]) <= tol for x in b[0]) and all(
        min(abs(x - y) for y in a[1]) <= tol for x in b[1])
    return on_edge and abs(a[0][0] - b[0][0]) <= tol and abs(a[1][-1] - b[1][-1]) <= tol


CODE_CELL = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
"""A 科目编码 written whole (类 3 digits, 款 5, 项 7): the running code tree of a table."""


def code_column(grid: Grid, rows: range) -> int | None:
    """The column holding whole 科目编码 in these rows (most of its filled cells codes,
    at least two), or ``None``."""
    best: tuple[int, int] | None = None
    text = grid.text_rows()
    for k in range(grid.n_cols):
        cells = [norm(text[r][k]) for r in rows if r < grid.n_rows and norm(text[r][k])]
        codes = sum(1 for t in cells if CODE_CELL.match(t))
        if codes >= 2 and codes * 2 >= len(cells) and (best is None or codes > best[0]):
            best = (codes, k)
    return best[1] if best else None


def continues_code_tree(prev: Grid, frag: Grid) -> bool:
    """Whether a fragment's first 科目编码 comes after the previous part's last one in the
    code tree (codes are printed in ascending order: ``2080503`` → ``2080505`` → ``221``)."""
    k_prev, k_frag = code_column(prev, range(prev.n_rows)), code_column(frag, range(frag.n_rows))
    if k_prev is None or k_frag is None:
        return False
    prev_codes = [norm(r[k_prev]) for r in prev.text_rows() if CODE_CELL.match(norm(r[k_prev]))]
    frag_codes = [norm(r[k_frag]) for r in frag.text_rows() if CODE_CELL.match(norm(r[k_frag]))]
    return prev_codes[-1] < frag_codes[0] and prev_codes[0][:1] == frag_codes[0][:1]


def _first_row(grid: Grid) -> list[str]:
    rows = grid.text_rows()
    return [t for t in (norm(x) for x in rows[0])] if rows else []


def same_header(first: Grid, frag: Grid) -> bool:
    """Whether a table block starts with the first part's first header row, text for text
    (a page that prints the title and the header again)."""
    head, again = [t for t in _first_row(first) if t], [t for t in _first_row(frag) if t]
    return bool(head) and head == again and not any(looks_numeric(t) for t in head)


def _header_paths(grid: Grid, n_header: int) -> list[tuple[str, ...]]:
    owner = grid.owner_matrix()
    paths: list[tuple[str, ...]] = []
    for k in range(grid.n_cols):
        levels: list[str] = []
        for r in range(min(n_header, grid.n_rows)):
            c = owner[r][k]
            t = norm(c.text) if c is not None else ""
            if t and (not levels or levels[-1] != t):
                levels.append(t)
        paths.append(tuple(levels))
    return paths


def _header_map(first: Grid, frag: Grid, n_header: int) -> list[int] | None:
    """Frag column → first-part column, matching the repeated header's labels in order; a
    column with no label goes just after the previous match.  ``None`` unless every labelled
    column of the fragment finds its label."""
    want, have = _header_paths(first, n_header), _header_paths(frag, n_header)
    out: list[int] = []
    j = 0
    for path in have:
        if not path:
            out.append(min(j, first.n_cols - 1))
            j += 1
            continue
        while j < len(want) and want[j] != path:
            j += 1
        if j == len(want):
            return None
        out.append(j)
        j += 1
    return out


def _page_of(frag: Grid) -> int | None:
    pages = [c.page for c in frag.cells if c.page is not None]
    return min(pages) if pages else frag.page


def _repeated_header_rows(frag: Grid, header: list[list[str]], start: int) -> int:
    """How many leading rows (from ``start``) of a continuation repeat *part* of the header:
    rows with no number whose every text is printed in the first part's header (a header
    whose top level — a unit line, a spanning word — was left off the continuation)."""
    words = {t for row in header for t in row if t}
    joined = "".join(t for row in header for t in row)
    rows = frag.text_rows()
    k = start
    while k < frag.n_rows and k - start < len(header):
        texts = [norm(t) for t in rows[k] if norm(t)]
        if not texts or any(looks_numeric(t) for t in texts) or not all(
                t in words or (len(t) >= 2 and t in joined) for t in texts):
            break
        k += 1
    return k - start


def _split_row(cells: list[GridCell], new: list[GridCell], r: int) -> bool:
    """Join a row the page break split: the last row above the break holds figures (code,
    amounts) and no label, and the continuation's first row ``r`` holds only the label,
    where the row above is blank (a wrapped label vertically centred started below the
    page's end).  ``new`` (the continuation's cells) is rewritten in place, rows moved up
    one; returns whether the rows were joined."""
    above = [c for c in cells if c.row + c.rowspan == r]
    below = [c for c in new if c.row == r]
    if not above or not below or any(c.rowspan > 1 or c.row != r - 1 for c in above) or any(
            c.rowspan > 1 for c in below):
        return False
    texts_above = [norm(c.text) for c in above if norm(c.text)]
    label = [c for c in below if norm(c.text)]
    if not label or not any(looks_numeric(t) for t in texts_above) or any(
            looks_numeric(c.text) or CODE_CELL.match(norm(c.text)) for c in label):
        return False
    taken = {k for c in above if norm(c.text) for k in range(c.col, c.col + c.colspan)}
    if any(k in taken for c in label for k in range(c.col, c.col + c.colspan)):
        return _split_label(cells, new, r, above, label)
    if any(not looks_numeric(t) and not CODE_CELL.match(t) for t in texts_above):
        return False  # the row above has its label: the one below is a row of its own
    spots = {k for c in label for k in range(c.col, c.col + c.colspan)}
    cells[:] = [c for c in cells if not (c.row == r - 1 and not norm(c.text) and (
        set(range(c.col, c.col + c.colspan)) & spots))]
    kept = [c for c in new if c.row != r]
    new[:] = [GridCell(text=c.text, row=r - 1, col=c.col, colspan=c.colspan, page=c.page,
                       bbox=c.bbox) for c in label] + [
        GridCell(text=c.text, row=c.row - 1, col=c.col, rowspan=c.rowspan, colspan=c.colspan,
                 page=c.page, bbox=c.bbox) for c in kept]
    return True


def _split_label(cells: list[GridCell], new: list[GridCell], r: int, above: list[GridCell],
                 label: list[GridCell]) -> bool:
    """The label's first line above the break, the rest below (``机关`` | ``事业单位基本养老
    保险缴费支出``): the row above has a 科目编码 and figures, the one below nothing but text
    in the label cell the row above prints.  Rows without a code (收支总表 lines, printed
    without an amount on purpose) are never joined: nothing tells a wrapped label there."""
    if not any(CODE_CELL.match(norm(c.text)) for c in above) or len(label) != 1:
        return False
    cont = label[0]
    head = next((c for c in above if c.col == cont.col and c.colspan == cont.colspan
                 and norm(c.text) and not looks_numeric(c.text)
                 and not CODE_CELL.match(norm(c.text))), None)
    if head is None:
        return False
    cells[cells.index(head)] = GridCell(text=head.text + cont.text, row=head.row, col=head.col,
                                        colspan=head.colspan, page=head.page, bbox=head.bbox)
    kept = [c for c in new if c.row != r]
    new[:] = [GridCell(text=c.text, row=c.row - 1, col=c.col, rowspan=c.rowspan,
                       colspan=c.colspan, page=c.page, bbox=c.bbox) for c in kept]
    return True


def join_fragments(fragments: list[Grid], joined_by: list[str] | None = None,
                   ) -> tuple[Grid, int, list[str]]:
    """One grid from a table's fragments; returns (grid, header rows, warnings).

    ``joined_by`` says, per continuation, on what evidence the detector joined it ('' for
    the plain case: nothing but repeatable lines between the parts).  A warning says how
    each continuation was joined unless it was plain and repeated its header in full or
    not at all with the same columns (the ordinary page break).
    """
    reasons = list(joined_by or []) + [""] * len(fragments)
    first = fragments[0]
    n_header = header_row_count(first)
    if len(fragments) == 1:
        return first, n_header, []
    warnings: list[str] = []
    header = [_row_texts(first, r) for r in range(n_header)]
    cells: list[GridCell] = list(first.cells)
    n_rows = first.n_rows
    n_cols = first.n_cols
    for n_frag, frag in enumerate(fragments[1:]):
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
        where = f"continued on p.{_page_of(frag)}" if _page_of(frag) is not None else "continued"
        how = reasons[n_frag]
        if n_header and skip >= n_header:
            state = "with its header repeated"
        elif n_header and (partial := _repeated_header_rows(frag, header, skip)):
            skip += partial
            state = (f"with part of its header repeated ({partial} of {n_header} header rows, "
                     "dropped)")
            how = how or "as the next part of the table (nothing else between)"
        else:
            state = "without a repeated header"
        if how:
            warnings.append(f"{where} {state}: joined {how}")
        offset = 0
        place = None
        mapping = _header_map(first, frag, n_header) if (
            frag.n_cols != n_cols and n_header and skip >= n_header) else None
        if mapping is not None:
            # the continuation repeats the header: each column goes under its own label
            def place(c: GridCell, _m=mapping) -> tuple[int, int]:
                k1 = _m[min(c.col + c.colspan - 1, len(_m) - 1)]
                return _m[c.col], max(1, k1 - _m[c.col] + 1)
            warnings.append(f"a continuation of this table has {frag.n_cols} columns where the "
                            f"first part has {n_cols}; aligned by its repeated header")
        elif frag.n_cols != n_cols:
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
            elif (k_first := code_column(first, range(n_header, first.n_rows))) is not None \
                    and (k_frag := code_column(frag, range(skip, frag.n_rows))) is not None \
                    and k_first >= k_frag:
                offset = k_first - k_frag
                warnings.append(
                    f"a continuation of this table has {frag.n_cols} columns where the first "
                    f"part has {n_cols}; aligned on its 科目编码 column (shifted by {offset})")
            else:
                prev_last = _last_nonempty_col(Grid(cells=cells, n_rows=n_rows, n_cols=n_cols),
                                               range(max(0, n_rows - 3), n_rows))
                frag_last = _last_nonempty_col(frag, range(skip, frag.n_rows))
                offset = max(0, prev_last - frag_last) if frag.n_cols < n_cols else 0
                warnings.append(
                    f"a continuation of this table has {frag.n_cols} columns where the first "
                    f"part has {n_cols}; aligned on its last non-empty column (shifted by "
                    f"{offset})")
        new: list[GridCell] = []
        for c in frag.cells:
            if c.row < skip:
                continue
            col, span = place(c) if place else (c.col + offset, c.colspan)
            new.append(GridCell(text=c.text, row=c.row - skip + n_rows, col=col,
                                rowspan=c.rowspan, colspan=span, page=c.page, bbox=c.bbox))
        n_cols = max(n_cols, frag.n_cols + offset) if place is None else n_cols
        n_rows += frag.n_rows - skip
        if _split_row(cells, new, n_rows - (frag.n_rows - skip)):
            n_rows -= 1
            warnings.append(f"{where}: the row the page break split (its amounts above the "
                            "break, its label below) rejoined")
        cells.extend(new)
    joined = Grid(cells=cells, n_rows=n_rows, n_cols=n_cols, page=first.page, bbox=first.bbox,
                  ruled=first.ruled and all(f.ruled for f in fragments))
    return joined, n_header, warnings
