"""Property-based tests: the header normaliser and the text readers on arbitrary input."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budget_extract.errors import ExtractError
from budget_extract.headers import column_paths, fill_spans, header_row_count
from budget_extract.model import Grid, GridCell
from budget_extract.readers.html import read_html_text
from budget_extract.readers.markdown import read_markdown_text
from budget_extract.segment import norm

LABELS = st.sampled_from(["合计", "基本支出", "小计", "人员\n经费", "政府\n性基\n金预\n算", "项目",
                          "", "本年收入", "单位资金", "其他收入", "a b"])


@st.composite
def spanned_grids(draw):
    n_rows = draw(st.integers(1, 5))
    n_cols = draw(st.integers(1, 8))
    covered = [[False] * n_cols for _ in range(n_rows)]
    cells = []
    for r in range(n_rows):
        for c in range(n_cols):
            if covered[r][c]:
                continue
            max_cs = 1
            while c + max_cs < n_cols and not covered[r][c + max_cs]:
                max_cs += 1
            cs = draw(st.integers(1, max_cs))
            rs = draw(st.integers(1, n_rows - r))
            for rr in range(r, r + rs):
                if any(covered[rr][c:c + cs]):
                    rs = rr - r
                    break
            rs = max(rs, 1)
            for rr in range(r, r + rs):
                for cc in range(c, c + cs):
                    covered[rr][cc] = True
            cells.append(GridCell(text=draw(LABELS), row=r, col=c, rowspan=rs, colspan=cs))
    return Grid(cells=cells, n_rows=n_rows, n_cols=n_cols, ruled=True)


@given(spanned_grids(), st.integers(0, 5))
def test_one_path_per_column_consistent_with_spans(grid, n_header):
    n_header = min(n_header, grid.n_rows)
    paths = column_paths(grid, n_header)
    assert len(paths) == grid.n_cols
    owner = grid.owner_matrix()
    for k, path in enumerate(paths):
        assert all(level and not any(ch.isspace() for ch in level) for level in path)
        expected = []
        seen = []
        for r in range(n_header):
            cell = owner[r][k]
            if cell is None or id(cell) in seen:
                continue
            seen.append(id(cell))
            t = norm(cell.text)
            if t and (not expected or expected[-1] != t):
                expected.append(t)
        assert list(path) == expected


@given(spanned_grids())
def test_header_row_count_is_within_the_grid(grid):
    assert 0 <= header_row_count(grid) <= grid.n_rows


@given(st.lists(st.lists(LABELS.map(norm), min_size=3, max_size=3), min_size=1, max_size=4))
def test_fill_spans_only_fills_empty_cells(rows):
    filled = fill_spans(rows)
    for r, row in enumerate(rows):
        for k, t in enumerate(row):
            if t:
                assert filled[r][k] == t
            elif filled[r][k]:
                assert k > 0 and filled[r][k] == filled[r][k - 1]


MD_PIECES = st.sampled_from(["|", "---", "\n", "<br>", "**", "# ", "1. ", "<table>", "<td>",
                             "<tr>", "</table>", "单位：万元", "合计", "1,234.50", " ", "\r\n",
                             "\ufffd", "`", ">", "<!--", "&#x0;", "\x00"])


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(MD_PIECES, st.text(max_size=8)), max_size=60).map("".join))
def test_markdown_reader_never_raises(text):
    try:
        blocks, warnings = read_markdown_text(text)
    except ExtractError:
        return
    assert isinstance(blocks, list) and isinstance(warnings, list)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(MD_PIECES, st.sampled_from(
    ['<td rowspan="3">', '<td colspan="-1">', '<td colspan="x">', "<th colspan=99999>",
     "<p>", "</div>", "<div>", "<br/>"]), st.text(max_size=8)), max_size=60).map("".join))
def test_html_reader_never_raises(text):
    try:
        blocks = read_html_text(text)
    except ExtractError:
        return
    for b in blocks:
        if b.grid is not None:
            assert all(0 <= c.col < max(b.grid.n_cols, 1) for c in b.grid.cells)
