"""Tables without rulings: which text lines form one, and its grid with header spans.

A run of closely spaced lines is a table when its words fall into two or more columns
(the strips between "rivers" that no line writes into) and figures stand in a column
other than the first.  Its grid is then built from the geometry: the header from where
its text is centred (:mod:`.borderless_header`), the columns and rows of the body from
how its cells line up (:mod:`.borderless_body`).  Where the headings are not centred
every line is a plain row in the columns the text's gaps give, the header normaliser
inferring spans as for Markdown.  A page's first run that is too thin to tell a table
(label-only rows and one amount line) is one all the same when it repeats the first header
row of the unruled table that ended the previous page: that table's continuation.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from statistics import median

from ...model import Grid, GridCell
from ...numtext import NO_DATA, UNIT_LINE, is_column_numbers, is_figure
from .borderless_body import body_columns, body_rows, columns, row_gap
from .borderless_header import MAX_ABOVE, Header, above_candidates, header_cells, read_header
from .geometry import Word, bbox_of, cx, rivers, round_bbox
from .textlines import TextChunk, TextLine, words_text


def find_borderless_tables(
    lines: list[TextLine], page: int | None = None, min_rows: int = 3,
    after: Grid | None = None,
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

    ``after`` is the unruled table that ended the previous page: the page's first run, if
    it is not a table by those tests, is still its continuation when it opens with that
    table's first header row (see :func:`_continuation`).

    Returns (first line index, end line index, grid) per table; grids are
    ``ruled=False``, with the header spans that the geometry shows (see
    :func:`build_grid`).
    """
    found: list[tuple[int, int, Grid]] = []
    i = 0
    n = len(lines)
    while i < n:
        end = _run_end(lines, i)
        hit = _borderless(lines, i, end, page, min_rows)
        if hit is None and i == 0 and after is not None:
            hit = _continuation(lines, end, page, after)
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
    return rivers([w for ln in run for w in ln.words], len(run))


def _columns_of(run: list[TextLine]) -> list[float] | None:
    """Cut positions between columns, or None for fewer than two columns.

    The figure-bearing (body) lines decide where columns are; within a wide body river
    (empty body columns, as under a 收入总表's unused headings) the narrower rivers left
    by the header words refine the cuts.  Without two body lines, all lines decide.
    """
    every = _rivers(run)
    body_lines = [ln for ln in run if any(is_figure(w.text) for w in ln.words)
                  and not _numbers_columns(ln.words)]
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


def _numbers_columns(words: Sequence[Word]) -> bool:
    """A 栏次 row (``栏次 1 2 3 …``): its digits sit centred under the headings, not where
    the body's amounts are aligned, so it does not decide where the body's columns are."""
    return is_column_numbers([w.text for w in words])


def _heading_over_amounts(run: list[TextLine]) -> bool:
    """Two lines that are a table all the same: a row of three or more headings over a
    row of as many figures, each under a heading (an empty table's row of 0s)."""
    if len(run) != 2:
        return False
    head, amounts = run[0].words, run[1].words
    if len(head) < 3 or len(amounts) != len(head):
        return False
    if any(is_figure(w.text) for w in head) or not all(is_figure(w.text) for w in amounts):
        return False
    edges = [(a.x1 + b.x0) / 2 for a, b in pairwise(head)]
    return sorted(bisect_right(edges, (w.x0 + w.x1) / 2) for w in amounts) == list(
        range(len(head)))


def _borderless(
    lines: list[TextLine], start: int, end: int, page: int | None, min_rows: int
) -> tuple[int, int, Grid] | None:
    """The borderless table in ``lines[start:end]`` (trimmed to where it is one), if any."""
    lo, hi = start, end
    # the title and unit on one line (``…支出表   单位：万元``) announce the table: no row
    first = next((k for k in range(lo, hi) if len(lines[k].words) >= 2), hi)
    if first < hi and any(UNIT_LINE.search(w.text) for w in lines[first].words) and not any(
            is_figure(w.text) for w in lines[first].words):
        lo = first + 1
    for _ in range(3):  # trim to multi-column lines, recompute columns, until stable
        while lo < hi and len(lines[lo].words) < 2:
            lo += 1
        while hi > lo and len(lines[hi - 1].words) < 2:
            hi -= 1
        if sum(1 for ln in lines[lo:hi] if len(ln.words) >= 2) < min_rows and not (
                _heading_over_amounts(lines[lo:hi])) and not _label_rows_fill(
                lines[lo:hi], min_rows):
            return _heading_over_no_data(lines, start, lo, hi, end, page)
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
    while hi < end and _wraps_last_row(lines[lo:hi], lines[hi], cuts):
        hi += 1
    if lo > start and all(_label_only_row(lines[k], lines[lo:hi], cuts)
                          for k in range(start, lo)):
        lo = start  # a continuation page opening with rows that print only a label
    while hi < end and _label_only_row(lines[hi], lines[lo:hi], cuts):
        hi += 1  # ... or a page ending with such rows (二十四、预备费 before the break)
    if hi < end and NO_DATA.match(words_text(lines[hi].words).replace(" ", "")) and all(
            _numbers_columns(ln.words) for ln in lines[lo:hi]
            if any(is_figure(w.text) for w in ln.words)):
        hi += 1  # the header (and 栏次 row) over 本表无数据: the marker is the table's row
    run = lines[lo:hi]
    n_cols = len(cuts) + 1
    rows: list[list[list[TextChunk]]] = []
    for ln in run:
        row: list[list[TextChunk]] = [[] for _ in range(n_cols)]
        for w in ln.words:
            row[bisect_right(cuts, (w.x0 + w.x1) / 2)].append(w)
        rows.append(row)
    multi = sum(1 for row in rows if sum(1 for ws in row if ws) >= 2)
    figures = sum(1 for row in rows for ws in row[1:] for w in ws if is_figure(w.text))
    if (multi < min_rows and not _heading_over_amounts(run) and not _label_rows_fill(
            run, min_rows)) or figures < 2:
        return None
    above = [lines[k].words for k in range(lo - 1, max(start, lo - MAX_ABOVE) - 1, -1)]
    built = build_grid(above, [ln.words for ln in run], page, cuts)
    lo -= built.above
    run = lines[lo:hi]
    return lo, hi, _grid_of(built, run, page)


def _grid_of(built: BorderlessGrid, run: list[TextLine], page: int | None) -> Grid:
    """The unruled table ``built`` from the lines ``run``, boxed by their words."""
    return Grid(
        cells=built.cells,
        n_rows=built.n_rows,
        n_cols=built.n_cols,
        page=page,
        bbox=round_bbox((min(w.x0 for ln in run for w in ln.words), run[0].top,
                         max(w.x1 for ln in run for w in ln.words), run[-1].bottom)),
        ruled=False,
    )


def _continuation(
    lines: list[TextLine], end: int, page: int | None, after: Grid
) -> tuple[int, int, Grid] | None:
    """The page's first run as the continuation of ``after`` (the unruled table ending the
    previous page), though too few of its lines write in two columns to tell a table: its
    first line repeats ``after``'s first header row (``收 入 | 支 出`` over a 收支总表's
    columns), each heading inside that heading's column on the previous page, and the run
    holds a line with a figure (a continuation whose rows print labels and no amount but
    the 总计 line).  Its columns are the previous part's."""
    run = lines[:end]
    if after.bbox is None or len(run) < 2 or not any(
            is_figure(w.text) for ln in run[1:] for w in ln.words):
        return None
    owner = after.owner_matrix()
    heads = [c for k, c in enumerate(owner[0] if owner else [])
             if c is not None and c.text.strip() and c.col == k]
    words = run[0].words
    if len(heads) < 2 or len(words) != len(heads) or any(
            c.bbox is None or "".join(c.text.split()) != "".join(w.text.split())
            or not c.bbox[0] - 1 <= cx(w) <= c.bbox[2] + 1
            for c, w in zip(heads, words, strict=True)):
        return None
    rights: dict[int, list[float]] = {}
    lefts: dict[int, list[float]] = {}
    for c in after.cells:
        if c.bbox is not None and c.colspan == 1 and c.text.strip():
            lefts.setdefault(c.col, []).append(c.bbox[0])
            rights.setdefault(c.col, []).append(c.bbox[2])
    if len(lefts) != after.n_cols or len(rights) != after.n_cols:
        return None
    cuts = [(max(rights[k]) + min(lefts[k + 1])) / 2 for k in range(after.n_cols - 1)]
    built = build_grid([], [ln.words for ln in run], page, cuts)
    return 0, end, _grid_of(built, run, page)


def _heading_over_no_data(
    lines: list[TextLine], start: int, lo: int, hi: int, end: int, page: int | None
) -> tuple[int, int, Grid] | None:
    """An empty table printed as its header over a line saying so (``本表无数据`` where the
    rows would be): too few multi-column lines and no figures, yet a table all the same,
    which a ruled print would show as a grid.  The header lines (no figures but a 栏次 row,
    one of them with two or more headings) are read as any header is; the marker becomes
    one row."""
    if not (lo < hi < end) or hi - lo > MAX_ABOVE:
        return None
    marker = lines[hi]
    head = lines[lo:hi]
    if not NO_DATA.match(words_text(marker.words).replace(" ", "")) or any(
            is_figure(w.text) for ln in head if not _numbers_columns(ln.words)
            for w in ln.words) or max(len(ln.words) for ln in head) < 2:
        return None
    x0 = min(w.x0 for ln in head for w in ln.words)
    x1 = max(w.x1 for ln in head for w in ln.words)
    if not x0 <= cx(marker.words[0]) <= x1:
        return None
    above = [lines[k].words for k in range(lo - 1, max(start, lo - MAX_ABOVE) - 1, -1)]
    built = build_grid(above, [ln.words for ln in lines[lo:hi + 1]], page)
    lo -= built.above
    run = lines[lo:hi + 1]
    return lo, hi + 1, _grid_of(built, run, page)


def _label_rows_fill(run: list[TextLine], min_rows: int) -> bool:
    """Two multi-column lines with label-only rows between them make a table too: a page
    continuing a 收支总表 whose 支出 lines print no amount but two (住房保障支出, 总计)."""
    multi = [ln for ln in run if len(ln.words) >= 2]
    if len(multi) < 2:
        return False
    cuts = _columns_of(multi)
    if cuts is None:
        return False
    labels = sum(1 for ln in run if len(ln.words) == 1 and _label_only_row(ln, multi, cuts))
    return len(multi) + labels >= min_rows and labels + len(multi) == len(run)


def _label_only_row(line: TextLine, table: list[TextLine], cuts: list[float]) -> bool:
    """Whether a one-column line above the table's first multi-column line (or below its
    last) is a row of it: text (no figure, no colon) over no other column's text, starting
    where the text in its column starts (left-aligned labels: ``二十四、预备费`` over
    ``本年支出小计``), as on a page continuing a table with no header, whose first rows print
    a label and no amount, or a page ending with such rows.  Above the table only a run made
    of such lines up to it is taken in (a caption, title or header line above stops it);
    below, such lines up to the first that is not one (a note has a colon)."""
    h = max(line.bottom - line.top, 1.0)
    for w in line.words:
        col = bisect_right(cuts, (w.x0 + w.x1) / 2)
        if is_figure(w.text) or any(ch in w.text for ch in ":："):
            return False
        starts = []
        for u in (u for ln in table for u in ln.words):
            if bisect_right(cuts, (u.x0 + u.x1) / 2) != col:
                if min(u.x1, w.x1) > max(u.x0, w.x0):
                    return False  # it writes over another column's text
            elif not is_figure(u.text):
                starts.append(u.x0)
        if not any(abs(x - w.x0) <= 0.2 * h for x in starts):
            return False
    return bool(line.words)


def _wraps_last_row(table: list[TextLine], line: TextLine, cuts: list[float]) -> bool:
    """Whether a one-column line just below the table is the rest of its last row's text
    (a long unit or item name wrapped in a narrow column: ``淮北市人力资源和社会保障`` /
    ``局信息中心``, the row's amounts centred between the two lines).  Trimming to
    multi-column lines would cut it off; it belongs to the table when it is text, sits inside
    one column, and lines up with the table's lowest text in that column a line pitch
    below it.  A note under the table crosses the columns or starts elsewhere."""
    last = table[-1]
    h = max(last.bottom - last.top, 1.0)
    if not line.words or line.top - last.bottom > 0.6 * h:
        return False
    for w in line.words:
        col = bisect_right(cuts, (w.x0 + w.x1) / 2)
        if is_figure(w.text) or any(w.x0 < c < w.x1 for c in cuts):
            return False
        above = [u for ln in table[-3:] for u in ln.words
                 if bisect_right(cuts, (u.x0 + u.x1) / 2) == col]
        if not above:
            return False
        lowest = max(above, key=lambda u: u.bottom)
        if is_figure(lowest.text) or abs(lowest.x0 - w.x0) > 0.3 * h or not (
                -0.1 * h <= w.top - lowest.bottom <= 0.6 * h):
            return False
    return True


def _leaf_columns(head: list[GridCell]) -> tuple[list[float], list[int]]:
    """Where each headed column ends: cuts halfway between neighbouring columns' headings
    (the lowest one-column header cell over each), and the columns in that order."""
    best: dict[int, GridCell] = {}
    for c in head:
        if c.colspan == 1 and c.bbox is not None and c.text.strip() and (
                c.col not in best or c.row > best[c.col].row):
            best[c.col] = c
    order = sorted(best)
    cuts = [(best[a].bbox[2] + best[b].bbox[0]) / 2  # type: ignore[index]
            for a, b in pairwise(order)]
    return cuts, order


@dataclass
class BorderlessGrid:
    """A borderless table's cells (header spans included) and how many lines above the
    table's first multi-column line turned out to be header."""

    cells: list[GridCell]
    n_rows: int
    n_cols: int
    above: int = 0


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
    # the header over 本表无数据 (a 栏次 row between them at most): that line is the body
    no_data = len(lines) > 1 and bool(NO_DATA.match(words_text(lines[-1]).replace(" ", ""))
                                      ) and all(_numbers_columns(ln) for ln in lines[start:-1])
    if no_data:
        start = min(start, len(lines) - 1)
    heights = [w.bottom - w.top for ln in (lines[start:] or lines) for w in ln]
    h = max(median(heights), 1.0) if heights else 10.0
    # a row without figures just above them (``一、基本支出``, a label's first line) is
    # body when its words start where the body's text does; headings are centred
    starts = [w.x0 for ln in lines[start:] for w in ln if not is_figure(w.text)]
    while start > 0 and all(any(abs(w.x0 - x) <= 0.2 * h for x in starts)
                            for w in lines[start - 1]):
        start -= 1
    head, body = list(lines[:start]), list(lines[start:])
    amounts = [ln for ln in body if not _numbers_columns(ln)]  # the 栏次 row left out
    g_in = min(0.45 * h, 0.75 * row_gap(amounts, h))
    body_words = [w for ln in body for w in ln]
    header: Header | None = None
    accepted: list[Sequence[Word]] = []
    if head and body_words:
        head_words = [w for ln in head for w in ln]
        bottom = max(w.bottom for w in head_words)
        band_bottom = (bottom + min(w.top for w in body_words)) / 2
        margin = max(band_bottom - bottom, 0.5)
        accepted = above_candidates(above, head_words, body_words, h, margin)
        while True:
            header = read_header(accepted, head, body_words, band_bottom, margin, h, g_in,
                                 edges=not no_data)
            if header is None or header.rejected is None:
                break
            accepted = accepted[: header.rejected]
    cells: list[GridCell] = []
    n_head = 0
    made = None
    if header is not None:
        cuts, groups = body_columns(amounts, h)
        col_of_group, unit_cols = columns(header, groups)
        made = header_cells(header, unit_cols, page)
    if made is None:  # no header read: header lines are plain rows
        accepted = []
        body = head + body
        if fallback_cuts:
            cuts = sorted(fallback_cuts)
            col_of_group, unit_cols = {k: k for k in range(len(cuts) + 1)}, []
        else:
            cuts, groups = body_columns(body, h)
            col_of_group, unit_cols = columns(None, groups)
    else:
        n_head, head_cells = made
        cells.extend(head_cells)
    n_cols = max([c + 1 for c in col_of_group.values()]
                 + [a + s for a, s in unit_cols] + [1])
    # a 栏次 row's digits go to the column whose heading they sit under: the body's columns
    # merge the columns no amount is printed in
    leaf_cuts, leaves = _leaf_columns(cells)
    numbering = {id(w) for ln in body if _numbers_columns(ln) for w in ln
                 if is_figure(w.text)}

    marker = no_data and made is not None  # 本表无数据 stands for the rows: one across them

    def col_of(w: Word) -> int:
        group = bisect_right(cuts, cx(w))
        # the 栏次 row's digits, and any word where no amount gives the body's columns
        # (the 栏次 label over 本表无数据), go under the heading above them
        if (id(w) in numbering or marker or group not in col_of_group) and leaves:
            return leaves[bisect_right(leaf_cuts, cx(w))]
        return col_of_group[group]

    rows = body_rows(body[:-1] if marker else body, col_of, h, g_in)
    spanning = 0
    if marker:
        cells.append(GridCell(text=words_text(body[-1]), row=n_head + len(rows), col=0,
                              colspan=n_cols, page=page, bbox=round_bbox(bbox_of(body[-1]))))
        spanning = 1
    for i, row in enumerate(rows):
        for c, ws in row.cells.items():
            cells.append(GridCell(text=words_text(ws), row=n_head + i, col=c, page=page,
                                  bbox=round_bbox(bbox_of(ws))))
    n_rows = n_head + spanning + len(rows)
    taken = [[False] * n_cols for _ in range(n_rows)]
    for c in cells:
        for r in range(c.row, c.row + c.rowspan):
            for k in range(c.col, c.col + c.colspan):
                taken[r][k] = True
    cells.extend(GridCell(text="", row=r, col=k, page=page)
                 for r in range(n_rows) for k in range(n_cols) if not taken[r][k])
    cells.sort(key=lambda c: (c.row, c.col))
    return BorderlessGrid(cells=cells, n_rows=n_rows, n_cols=n_cols, above=len(accepted))
