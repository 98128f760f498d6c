"""From a detected table (fragments, caption, title, unit, note) to a typed :class:`Table`.

Here the header paths meet the body: each column gets a role (stub label, 科目编码, 序号,
value), side-by-side tables (收入 on the left, 支出 on the right) get one stub per side,
and each body row gets its code, label and cells with provenance.

This stage knows layout, not budgets: the table leaves here as ``unknown`` with what it
saw kept in :class:`~budget_extract.model.TableLayout`; :mod:`budget_extract.budget.interpret`
then says what it is (kind, emptiness, column ids, code scheme, 绩效目标 form) and, for a
form, re-lays it out with :func:`form_layout`.
"""

from __future__ import annotations

import re

from ..headers import column_paths, header_row_count, looks_numeric, unique_paths
from ..model import CellValue, Column, Grid, GridCell, Row, Table, TableKind, TableLayout
from ..segment import TocEntry, norm
from .continuation import join_fragments
from .detect import TableCandidate, _is_title
from .numbering import toc_number

CODE_HEADER = re.compile(r"编码|代码|^类$|^款$|^项$")
INDEX_HEADER = re.compile(r"^(序号|编号|行次|栏次)$")
NOT_MONEY_HEADER = re.compile(r"指标值|指标性质|度量单位|^[一二三]级指标$")
STUB_HEADER = re.compile(r"名称|^项目$|品目|内容|项目单位|^单位$|科目$|指标")
DIGITS = re.compile(r"^\d+$")


def _strip_title_row(grid: Grid) -> tuple[Grid, str]:
    """A title printed as the table's first row (``项目支出绩效目标公开清单`` over the columns)."""
    if grid.n_rows < 2 or grid.n_cols < 2:
        return grid, ""
    first = [c for c in grid.cells if c.row == 0 and norm(c.text)]
    if len(first) == 1 and _is_title(first[0].text) and first[0].col == 0:
        rest = [GridCell(text=c.text, row=c.row - 1, col=c.col, rowspan=c.rowspan,
                         colspan=c.colspan, page=c.page, bbox=c.bbox)
                for c in grid.cells if c.row > 0]
        return Grid(cells=rest, n_rows=grid.n_rows - 1, n_cols=grid.n_cols, page=grid.page,
                    bbox=grid.bbox, ruled=grid.ruled), norm(first[0].text)
    return grid, ""


def _roles(paths: list[tuple[str, ...]], body: list[list[GridCell | None]],
           placeholder: bool) -> list[str]:
    roles: list[str] = []
    for k, path in enumerate(paths):
        leaf = path[-1] if path else ""
        texts = [norm(row[k].text) for row in body if row[k] is not None and norm(row[k].text)]
        if any(CODE_HEADER.search(lvl) for lvl in path) and not any(
                "名称" in lvl for lvl in path[-1:]):
            roles.append("code")
        elif INDEX_HEADER.match(leaf):
            roles.append("index")
        elif NOT_MONEY_HEADER.search(leaf):
            roles.append("stub")  # a 绩效 grid's 指标值 (95 %, 3000 册) is no amount
        elif placeholder or not texts:
            roles.append("stub" if STUB_HEADER.search(leaf) and not re.search(
                r"合计|金额|数量|资金|经费|支出$|收入$|预算$", leaf) else "value")
        elif any(looks_numeric(t) for t in texts):
            roles.append("value")
        else:
            roles.append("stub")
    return roles


def _sides(paths: list[tuple[str, ...]], roles: list[str]) -> list[str]:
    """Name the halves of a side-by-side table: a stub after a value column starts a side."""
    side_of: list[int] = []
    side = 0
    seen_value = False
    for role in roles:
        if role in ("stub", "code") and seen_value:
            side += 1
            seen_value = False
        if role == "value":
            seen_value = True
        side_of.append(side)
    if side == 0:
        return [""] * len(roles)
    names: list[str] = []
    for s in range(side + 1):
        cols = [k for k, x in enumerate(side_of) if x == s]
        firsts = {paths[k][0] for k in cols if len(paths[k]) > 1}
        names.append(firsts.pop() if len(firsts) == 1 else f"side{s + 1}")
    return [names[s] for s in side_of]


def _placeholder(body: list[list[GridCell | None]]) -> bool:
    """Rows of ``0`` placeholders: every non-empty body cell is 0 (stubs included)."""
    texts = [norm(c.text) for row in body for c in row if c is not None and norm(c.text)]
    return bool(texts) and all(re.fullmatch(r"0+(\.0+)?", t) for t in texts)


def build_table(cand: TableCandidate, toc: list[TocEntry], doc_unit_name: str = "") -> Table:
    """Join, read headers and turn the body into rows (the kind is left ``unknown``)."""
    fragments = list(cand.fragments)
    fragments[0], inner_title = _strip_title_row(fragments[0])
    title = cand.title or inner_title
    grid, n_header, warnings = join_fragments(fragments, cand.joined_by)
    n_header = header_row_count(grid) if n_header == 0 else n_header
    raw_paths = column_paths(grid, n_header)
    owner = grid.owner_matrix()
    origin = grid.origin_matrix()
    body = origin[n_header:]
    first_col = [norm(r[0].text) for r in origin if r and r[0] is not None]
    placeholder = _placeholder(body)
    roles = _roles(raw_paths, body, placeholder)
    paths = unique_paths(raw_paths)
    sides = _sides(paths, roles)
    columns = [Column(path=p, role=r, side=s, index=k)  # type: ignore[arg-type]
               for k, (p, r, s) in enumerate(zip(paths, roles, sides, strict=True))]
    rows: list[Row] = []
    row_no = 0
    side_names = list(dict.fromkeys(sides))
    for r in range(n_header, grid.n_rows):
        printed = [origin[r][k] for k in range(grid.n_cols)]
        if not any(c is not None and norm(c.text) for c in printed):
            continue
        row_no += 1
        for side in side_names:
            cols = [c for c in columns if c.side == side]
            label = ""
            for c in cols:
                cell = owner[r][c.index]
                if c.role == "stub" and cell is not None and norm(cell.text):
                    label = norm(cell.text)
                    break
            code_parts = [norm(origin[r][c.index].text) if origin[r][c.index] else ""
                          for c in cols if c.role == "code"]
            code = "".join(code_parts)
            if not DIGITS.match(code) or (placeholder and set(code) == {"0"}):
                code = ""
            cells: dict[str, CellValue] = {}
            for c in cols:
                cell = origin[r][c.index]
                if cell is None or not cell.text.strip():
                    continue
                cells[c.key] = CellValue(text=cell.text.strip(), page=cell.page, bbox=cell.bbox,
                                         grid_row=r, grid_col=c.index)
            if not cells and len(side_names) > 1:
                continue
            pages = [v.page for v in cells.values() if v.page is not None]
            rows.append(Row(row_no=row_no, label=label, code=code, cells=cells, side=side,
                            page=pages[0] if pages else None))
    number = cand.number or toc_number(title, toc, doc_unit_name) or cand.inferred_number
    layout = TableLayout(fragments=list(cand.fragments), header_paths=raw_paths,
                         first_column=first_col, printed_number=cand.number, part=cand.part,
                         placeholder=placeholder)
    return Table(table_no=number, kind=TableKind.UNKNOWN, title=title, unit=cand.unit,
                 pages=cand.pages, empty=False, note=cand.note, columns=columns, rows=rows,
                 caption=cand.caption, position=cand.position,
                 header_rows=[[norm(t) for t in row] for row in grid.text_rows()[:n_header]],
                 warnings=warnings, grid=grid, layout=layout)


def form_layout(table: Table) -> None:
    """Re-lay a table out as a form (绩效目标表): its grid's rows as printed, one ``列N``
    column per grid column, no header, no codes, the number only as printed with the
    caption.  Forms are not grids, so nothing here is a fact."""
    grid = table.grid
    if grid is None:
        return
    table.columns = [Column(path=(f"列{k + 1}",), role="value", index=k)
                     for k in range(grid.n_cols)]
    rows: list[Row] = []
    origin = grid.origin_matrix()
    for r in range(grid.n_rows):
        cells = {f"列{k + 1}": CellValue(text=c.text, page=c.page, bbox=c.bbox, grid_row=r,
                                         grid_col=k)
                 for k, c in enumerate(origin[r]) if c is not None and c.text.strip()}
        if not cells:
            continue
        label = norm(next(iter(cells.values())).text)
        rows.append(Row(row_no=len(rows) + 1, label=label, cells=cells))
    table.rows = rows
    table.header_rows = []
    table.table_no = table.layout.printed_number if table.layout else ""
