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

from ..headers import (
    column_paths,
    header_row_count,
    is_column_numbers,
    looks_numeric,
    split_meta,
    unique_paths,
)
from ..model import CellValue, Column, Grid, GridCell, Row, Table, TableKind, TableLayout
from ..numtext import is_placeholder
from ..segment import TocEntry, norm
from .continuation import join_fragments
from .detect import TableCandidate, heading_cell, is_title, without_row
from .numbering import toc_number

CODE_HEADER = re.compile(r"编码|代码|^类$|^款$|^项$")
INDEX_HEADER = re.compile(r"^(序号|编号|行次|栏次)$")
NOT_MONEY_HEADER = re.compile(r"指标值|指标性质|度量单位|^[一二三]级指标$")
STUB_HEADER = re.compile(r"名称|^项目$|品目|内容|单位$|科目$|指标")  # 单位: 预算单位 …
DIGITS = re.compile(r"^\d+$")


def _strip_title_row(grid: Grid) -> tuple[Grid, str]:
    """A title printed as the table's first row (``项目支出绩效目标公开清单`` over the columns),
    or as the first row under meta rows (``单位名称：… 单位：万元`` drawn above it)."""
    found = heading_cell(grid)
    if found is None or grid.n_cols < 2:
        return grid, ""
    r, cell = found
    if is_title(cell.text) and cell.col == 0:
        return without_row(grid, r), norm(cell.text)
    return grid, ""


# Columns whose figures are not money: kept in the table, never facts, never summed.
# A rate or ratio: a header that ends in 率 (使用率, 利用率, 执行率, 完成率, 增长率 …, with or
# without a printed unit: 执行率（%）), names a share (占比, 比重, 比例, 百分比) or prints %.
# Anchored at the end so that money named after a rate (效率提升资金) stays money.
PERCENT_HEADER = re.compile(
    r"%|％|‰|比例|比重|占比|百分比|率(?:[（(][^)）]*[)）])?$")
# The same, said by a level above the leaf: only a level that ends in it (执行率 over years).
RATE_LEVEL = re.compile(r"(率|比例|比重|占比|百分比|[%％‰])(?:[（(][^)）]*[)）])?$")
QUANTITY_HEADER = re.compile(
    r"数量|人数|人次|编制数|个数|台数|辆数|[（(](人|辆|台|个|套|件|台、件)[)）]")
MONEY_HEADER = re.compile(r"金额|资金|经费|预算数|决算数|[（(]?(万元|元|千元|亿元)[)）]?$")


def _is_rate(path: tuple[str, ...]) -> bool:
    """A header path naming a rate or ratio: its leaf does (``使用率``, ``增减(%)``), or a
    level above it does and the leaf does not name money (``执行率`` over ``2025年`` |
    ``2026年``; but ``增减率`` never sits over an amount, so ``金额`` under it stays money)."""
    levels = [re.sub(r"\s+", "", lvl) for lvl in path]
    if not levels:
        return False
    if PERCENT_HEADER.search(levels[-1]):
        return True
    return not MONEY_HEADER.search(levels[-1]) and not levels[-1].endswith("额") and any(
        RATE_LEVEL.search(lvl) for lvl in levels[:-1])


def _figure_role(path: tuple[str, ...]) -> str:
    """``percent`` or ``quantity`` for a numeric column whose header says so (``增减(%)``,
    ``资产利用率``, ``数量（台、件）``, ``人数``), else ``value`` (money)."""
    leaf = path[-1] if path else ""
    if _is_rate(path):
        return "percent"
    if QUANTITY_HEADER.search(leaf) and not MONEY_HEADER.search(leaf):
        return "quantity"
    return "value"


def _counts_rows(texts: list[str]) -> bool:
    """Body texts that number the rows 1..N (an unlabelled 行次 column)."""
    return len(texts) >= 3 and texts == [str(i) for i in range(1, len(texts) + 1)]


def _roles(paths: list[tuple[str, ...]], body: list[list[GridCell | None]],
           placeholder: bool) -> list[str]:
    roles: list[str] = []
    for k, path in enumerate(paths):
        leaf = path[-1] if path else ""
        # a dash or slash stands for zero or nothing, as a blank does: a column of them
        # is an amount column left empty, not a text column (which would start a panel)
        texts = [t for row in body if row[k] is not None
                 and (t := norm(row[k].text)) and not is_placeholder(t)]
        if any(CODE_HEADER.search(lvl) for lvl in path) and not any(
                "名称" in lvl for lvl in path[-1:]):
            roles.append("code")
        elif INDEX_HEADER.match(leaf) or (not path and _counts_rows(texts)):
            roles.append("index")
        elif NOT_MONEY_HEADER.search(leaf):
            roles.append("stub")  # a 绩效 grid's 指标值 (95 %, 3000 册) is no amount
        elif placeholder or not texts:
            roles.append(_figure_role(path) if not STUB_HEADER.search(leaf) or re.search(
                r"合计|金额|数量|资金|经费|支出$|收入$|预算$", leaf) else "stub")
        elif any(looks_numeric(t) for t in texts):
            roles.append(_figure_role(path))
        else:
            roles.append("stub")
    return roles


def _panels(roles: list[str]) -> list[int]:
    """The panel of each column: a stub after a money column starts a panel (收入 | 支出 |
    …, any number of them), but only if money follows it — a trailing text column
    (绩效目标, 备注) belongs to the panel before it.  A count (数量) is no panel's figures:
    a 政府采购 row prints 数量, then more codes, then its 预算金额, all one panel."""
    starts = [0]
    seen_value = False
    for k, role in enumerate(roles):
        if role in ("stub", "code") and seen_value:
            starts.append(k)
            seen_value = False
        if role == "value":
            seen_value = True
    bounds = starts + [len(roles)]
    keep = [starts[0]] + [a for a, b in zip(starts[1:], bounds[2:], strict=True)
                          if any(r == "value" for r in roles[a:b])]
    return [sum(1 for a in keep[1:] if a <= k) for k in range(len(roles))]


def _sides(paths: list[tuple[str, ...]], roles: list[str],
           body: list[list[GridCell | None]] | None = None
           ) -> tuple[list[str], list[tuple[str, ...]]]:
    """Name the panels of a side-by-side table and give their columns paths that say which
    panel they are in.

    A panel is named by the top header level its columns share (收入, 支出) when no other
    panel has it; panels sharing a top level (西安: 支出 over three classifications) or with
    none (人员经费 | 公用经费 halves with the same headers) add their stub's header
    (``支出/部门预算支出经济分类科目（按大类）``), else the name their own total line gives
    them (``人员经费合计`` | ``公用经费合计`` under the two halves of a 基本支出决算表: the
    halves are 人员经费 and 公用经费), else their position (``第2栏``).  Paths
    change only where panels would otherwise print the same path twice, so a column key is
    never a ``#2``.  Returns each column's side ('' for a one-panel table) and path.
    """
    panel_of = _panels(roles)
    n = max(panel_of, default=0) + 1
    if n == 1:
        return [""] * len(roles), list(paths)
    cols = [[k for k, x in enumerate(panel_of) if x == s] for s in range(n)]
    tops: list[str] = []
    for ks in cols:
        firsts = {paths[k][0] for k in ks if len(paths[k]) > 1}
        tops.append(firsts.pop() if len(firsts) == 1 else "")
    stubs = [next((paths[k][-1] for k in ks if roles[k] == "stub" and paths[k]), "")
             for ks in cols]
    totals = [_total_name(body or [], [k for k in ks if roles[k] != "value"]) for ks in cols]
    names: list[tuple[str, ...]] = []
    for s in range(n):
        if tops[s] and tops.count(tops[s]) == 1:
            names.append((tops[s],))
            continue
        head = (tops[s],) if tops[s] else ()
        rivals = [stubs[x] for x in range(n) if tops[x] == tops[s]]
        if stubs[s] and rivals.count(stubs[s]) == 1:
            own = stubs[s]
        elif totals[s] and totals.count(totals[s]) == 1:
            own = totals[s]
        else:
            own = f"第{s + 1}栏"
        names.append(head + (own,))
    sides = ["/".join(names[s]) for s in panel_of]
    flat = [p for p in paths if p]
    if len(set(flat)) == len(flat):
        return sides, list(paths)
    out: list[tuple[str, ...]] = []
    for k, p in enumerate(paths):
        name = names[panel_of[k]]
        rest = p[1:] if p and len(name) > 1 and p[0] == name[0] else p
        if rest and rest[0] == name[-1]:
            rest = rest[1:]
        out.append(p if p[:len(name)] == name or name[-1] in p else name + rest)
    return sides, out


_PANEL_TOTAL = re.compile(r"^(?P<name>[^合总小\d]{2,12}?)(?:合计|总计)$")


def _total_name(body: list[list[GridCell | None]], ks: list[int]) -> str:
    """What a panel's own total line calls it: ``人员经费`` from ``人员经费合计`` printed in
    its label columns ('' when the panel prints no such line, or more than one)."""
    found = {m.group("name") for row in body for k in ks
             if k < len(row) and row[k] is not None
             and (m := _PANEL_TOTAL.match(norm(row[k].text)))}  # type: ignore[union-attr]
    return found.pop() if len(found) == 1 else ""


def _placeholder(body: list[list[GridCell | None]]) -> bool:
    """Rows of ``0`` placeholders: every non-empty body cell is 0 (stubs included), but for
    a bare 合计/总计 label: an empty table often prints one total row of zeros."""
    texts = [norm(c.text) for row in body for c in row if c is not None and norm(c.text)]
    texts = [t for t in texts if not re.fullmatch(r"[合总小]计", t)]
    return bool(texts) and all(re.fullmatch(r"0+(\.0+)?", t) for t in texts)


def build_table(cand: TableCandidate, toc: list[TocEntry], doc_unit_name: str = "") -> Table:
    """Join, read headers and turn the body into rows (the kind is left ``unknown``)."""
    fragments = list(cand.fragments)
    fragments[0], inner_title = _strip_title_row(fragments[0])
    title = cand.title or inner_title
    for k, frag in enumerate(fragments[1:], start=1):  # the title row repeated on each page
        stripped, again = _strip_title_row(frag)
        if again and again == norm(title):
            fragments[k] = stripped
    metas = [split_meta(g) for g in fragments]
    fragments = [g for g, _ in metas]
    meta = metas[0][1]
    grid, n_header, warnings = join_fragments(fragments, cand.joined_by)
    n_header = header_row_count(grid) if n_header == 0 else n_header
    raw_paths = column_paths(grid, n_header)
    owner = grid.owner_matrix()
    origin = grid.origin_matrix()
    number_rows = {r for r in range(n_header, grid.n_rows)
                   if is_column_numbers([norm(c.text) if c else "" for c in origin[r]])}
    body = [row for r, row in enumerate(origin) if r >= n_header and r not in number_rows]
    first_col = [norm(r[0].text) for r in origin if r and r[0] is not None]
    placeholder = _placeholder(body)
    roles = _roles(raw_paths, body, placeholder)
    sides, panel_paths = _sides(raw_paths, roles, body)
    paths = unique_paths(panel_paths)
    columns = [Column(path=p, role=r, side=s, index=k)  # type: ignore[arg-type]
               for k, (p, r, s) in enumerate(zip(paths, roles, sides, strict=True))]
    rows: list[Row] = []
    row_no = 0
    side_names = list(dict.fromkeys(sides))
    for r in range(n_header, grid.n_rows):
        printed = [origin[r][k] for k in range(grid.n_cols)]
        if not any(c is not None and norm(c.text) for c in printed) or r in number_rows:
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
            code, padded = _join_code([origin[r][c.index] for c in _row_code_columns(cols)])
            if not DIGITS.match(code) or (placeholder and set(code) == {"0"}):
                if not label and not DIGITS.match(code) and re.search(r"[^\W\d_]", code):
                    label = code   # 合计 printed in the 科目编码 column, the name cell blank
                code = ""
            elif padded:
                warnings.append(f"row {row_no}: code part {padded} printed without its leading "
                                f"zero; read as {code}")
            cells: dict[str, CellValue] = {}
            for c in cols:
                cell = origin[r][c.index]
                if cell is None or not cell.text.strip():
                    continue
                cells[c.key] = CellValue(text=cell.text.strip(), page=cell.page, bbox=cell.bbox,
                                         grid_row=r, grid_col=c.index,
                                         confidence=cell.confidence)
            if not cells and len(side_names) > 1:
                continue
            pages = [v.page for v in cells.values() if v.page is not None]
            rows.append(Row(row_no=row_no, label=label, code=code, cells=cells, side=side,
                            page=pages[0] if pages else None))
    number = cand.number or toc_number(title, toc, doc_unit_name) or cand.inferred_number
    layout = TableLayout(fragments=list(cand.fragments), header_paths=raw_paths,
                         first_column=first_col, printed_number=cand.number, part=cand.part,
                         placeholder=placeholder)
    return Table(table_no=number, kind=TableKind.UNKNOWN, title=title,
                 unit=cand.unit or meta.unit, unit_name=meta.unit_name, pages=cand.pages,
                 empty=False, note=cand.note, columns=columns, rows=rows,
                 caption=cand.caption, position=cand.position,
                 header_rows=[[norm(t) for t in row] for row in grid.text_rows()[:n_header]],
                 warnings=warnings, grid=grid, layout=layout)


def _row_code_columns(cols: list[Column]) -> list[Column]:
    """The columns the row's code is printed in: the first code column, with the code
    columns right after it that are parts of the same code (类/款/项 under one 科目编码
    header).  Another code column (政府经济科目编码 beside 部门经济科目编码, a 单位编码) is a
    second code of the row, kept in its cells, not glued onto the first."""
    codes = [c for c in cols if c.role == "code"]
    if not codes:
        return []
    group = [codes[0]]
    for c in codes[1:]:
        prev = group[-1]
        part = bool(c.path) and c.path[-1] in ("款", "项")   # 类 starts a code of its own
        if c.index != prev.index + 1 or not (part or c.path == prev.path):
            break
        group.append(c)
    return group


def _join_code(parts: list[GridCell | None]) -> tuple[str, str]:
    """One code from its 科目编码 cells (``201 | 13 | 01`` → ``2011301``), and the cell whose
    leading zero was restored ('' if none).

    Under split 类/款/项 columns a 款 or 项 part is two digits; printed as one digit
    (``301 | 2`` for 30102) it lost its leading zero, which is put back.
    """
    texts = [norm(c.text) if c is not None else "" for c in parts]
    padded = ""
    if len(texts) in (2, 3) and len(texts[0]) == 3 and texts[0].isdigit() and all(
            len(t) <= 2 and t.isdigit() for t in texts[1:] if t):
        for i in range(1, len(texts)):
            cell = parts[i]
            if len(texts[i]) == 1 and texts[i].isdigit() and cell is not None:
                padded = padded or (f"'{texts[i]}' (grid row {cell.row}, column {cell.col}"
                                    f"{f', page {cell.page}' if cell.page else ''})")
                texts[i] = "0" + texts[i]
    return "".join(texts), padded


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
