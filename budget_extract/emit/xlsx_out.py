"""``S.xlsx``: the document's tables as a workbook, for people who live in spreadsheets.

One sheet per table, laid out as printed: the title, unit and source pages above the
table, the header rows with their cells merged exactly as the source merges them, and the
body with every amount stored as a number (formatted with the decimals it was printed
with, so ``236.00`` still shows ``236.00``).  A first sheet lists the tables, a last one
the accounting checks.

The file is deterministic: openpyxl stamps the save time into ``docProps/core.xml`` and
into every zip entry, so the archive is rewritten with those stamps removed — the same
document gives the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from ..budget.kinds import TITLE_OF_KIND, published_kind
from ..budget.numbers import normalize_width, parse_amount
from ..model import Document, Grid, GridCell, Table

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_GROUPED = re.compile(r"\d,\d{3}")
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=13)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_STATUS_FILL = {"fail": PatternFill("solid", fgColor="F8CBAD"),
                "rounding": PatternFill("solid", fgColor="FFF2CC"),
                "pass": PatternFill("solid", fgColor="E2EFDA")}
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WRAP = Alignment(vertical="top", wrap_text=True)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # rejected by openpyxl / Excel
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _text(s: str) -> str:
    return _ILLEGAL.sub("", s or "")


def number_format(printed: str) -> str:
    """Excel number format showing a value the way ``printed`` shows it."""
    s = normalize_width(printed.strip())
    decimals = len(s.split(".", 1)[1].rstrip(")")) if "." in s else 0
    body = "#,##0" if _GROUPED.search(s) else "0"
    if decimals:
        body += "." + "0" * decimals
    return f"{body};({body})" if s.startswith("(") else body


def cell_value(text: str) -> tuple[str | Decimal, str | None]:
    """(value to store, number format): a Decimal for a printed amount, else the text."""
    d = parse_amount(text) if text else None
    if d is None:
        return _text(text), None
    return d, number_format(text)


def header_spans(grid: Grid, n_header: int) -> list[GridCell]:
    """The header cells with their spans: the grid's own when ruled, inferred otherwise.

    Markdown pipe tables cannot print a merged cell; they leave the covered cells blank.
    A blank is treated as covered by the nearest filled cell to its left (when some row
    below has text there, i.e. it is a parent over child columns) or above (when nothing
    below does), never across the boundary of a parent cell — which is how the header
    normaliser read them too.
    """
    cells = [c for c in grid.cells if c.row < n_header]
    if grid.ruled or any(c.rowspan > 1 or c.colspan > 1 for c in cells):
        return cells
    m = [["" for _ in range(grid.n_cols)] for _ in range(n_header)]
    for c in cells:
        m[c.row][c.col] = c.text
    owner: list[list[int]] = [[-1] * grid.n_cols for _ in range(n_header)]
    out: list[GridCell] = []

    def below_has_text(r: int, k: int) -> bool:
        return any(m[rr][k].strip() for rr in range(r + 1, n_header))

    for r in range(n_header):
        for c in range(grid.n_cols):
            if owner[r][c] != -1 or not m[r][c].strip():
                continue
            span = 1
            while (c + span < grid.n_cols and owner[r][c + span] == -1
                   and not m[r][c + span].strip() and below_has_text(r, c + span)
                   and (r == 0 or owner[r - 1][c + span] == owner[r - 1][c])):
                span += 1
            down = 1
            while r + down < n_header and all(
                    not m[r + down][k].strip() and owner[r + down][k] == -1
                    for k in range(c, c + span)):
                down += 1
            idx = len(out)
            for rr in range(r, r + down):
                for k in range(c, c + span):
                    owner[rr][k] = idx
            out.append(GridCell(text=m[r][c], row=r, col=c, rowspan=down, colspan=span))
    return out


def _width(text: str) -> float:
    lines = (text or "").split("\n")
    return max((sum(2 if ord(ch) > 0x2E80 else 1 for ch in ln) for ln in lines), default=0)


def sheet_name(base: str, taken: set[str]) -> str:
    """A valid, unique sheet name, as Excel requires: at most 31 characters, none of
    ``[]:*?/\\`` nor control characters, not blank, no apostrophe at either end, not the
    reserved ``History``, and unique ignoring case (``(2)``, ``(3)`` … added)."""
    base = _BAD_SHEET_CHARS.sub("_", _ILLEGAL.sub("", base).replace("\t", " "))
    base = re.sub(r"\s+", " ", base).strip(" '") or "表"
    if base.casefold() == "history":
        base += "_"
    name, n = base[:31].rstrip(" '"), 2
    while name.casefold() in taken:
        suffix = f"({n})"
        name = base[:31 - len(suffix)].rstrip(" '") + suffix
        n += 1
    taken.add(name.casefold())
    return name


def _table_label(t: Table) -> str:
    return t.table_no or str(t.position)


_LEADING_YEAR = re.compile(r"^\s*(19|20)\d{2}\s*年度?\s*")
_LEADING_ANNEX = re.compile(r"^附件\s*[\d一二三四五六七八九十]*\s*[：:、.]?\s*")


def short_title(doc: Document, t: Table) -> str:
    """The table's printed title without what every table of the document repeats: an
    附件 number, the unit's name and the year in front (淮北市…信息中心2026年收支总表 →
    收支总表), so the part that tells the tables apart fits Excel's 31 characters.  The
    kind's generic title only when nothing is printed."""
    title = re.sub(r"\s+", "", t.title or "")
    title = _LEADING_ANNEX.sub("", title) or title  # 附件1：…
    for name in sorted({doc.meta.unit_name or "", t.unit_name or ""}, key=len, reverse=True):
        name = re.sub(r"\s+", "", name)
        if name and title.startswith(name) and len(title) > len(name):
            title = title[len(name):]
            break
    title = _LEADING_YEAR.sub("", title) or title
    return title or TITLE_OF_KIND.get(t.kind) or "表"


def _pages(t: Table) -> str:
    if not t.pages:
        return ""
    lo, hi = min(t.pages), max(t.pages)
    return f"第{lo}页" if lo == hi else f"第{lo}–{hi}页"


def write_table_sheet(ws: Worksheet, doc: Document, t: Table) -> None:
    """Title, unit and source above; the printed header (merged) and body below."""
    ws.cell(1, 1, _text(t.title or TITLE_OF_KIND.get(t.kind, ""))).font = _TITLE
    ws.cell(2, 1, f"单位：{t.unit}" if t.unit else "单位：（未注明）")
    src = doc.source.path.replace("\\", "/").rsplit("/", 1)[-1]
    ws.cell(3, 1, _text("来源：" + src + (f" {_pages(t)}" if t.pages else "")
                        + (f"，表{t.table_no}" if t.table_no else "")))
    top = 4
    if t.note:
        ws.cell(4, 1, _text(t.note))
        top = 5
    top += 1  # a blank line between the caption and the table
    widths: dict[int, float] = {}

    grid = t.grid
    n_header = len(t.header_rows)
    # Only figure columns (amounts, quantities, percentages) hold numbers: 科目编码 such as 01
    # or 2011301 stay text.
    roles = {c.index: c.role for c in t.columns}
    if grid is None:  # no printed layout to follow: the header paths, then the wide rows
        keys = [c.key for c in t.columns]
        rows: list[list[str]] = [keys]
        lines: dict[int, dict[str, str]] = {}
        for r in t.rows:
            lines.setdefault(r.row_no, {}).update({k: v.text for k, v in r.cells.items()})
        rows += [[lines[no].get(k, "") for k in keys] for no in sorted(lines)]
        grid = Grid.from_rows(rows)
        n_header = 1
        roles = {k: c.role for k, c in enumerate(t.columns)}

    # Place every cell first, then merge: a span that would overlap one already placed
    # (a reader's mistake) is dropped rather than producing a workbook Excel must repair.
    taken: set[tuple[int, int]] = set()
    merges: list[tuple[int, int, int, int]] = []
    cells = header_spans(grid, n_header) + [c for c in grid.cells if c.row >= n_header]
    for c in cells:
        if (c.row, c.col) in taken:
            continue
        area = {(r, k) for r in range(c.row, c.row + c.rowspan)
                for k in range(c.col, c.col + c.colspan)}
        if area & taken:
            area = {(c.row, c.col)}
        taken |= area
        header = c.row < n_header
        if header:
            cell = ws.cell(top + c.row, 1 + c.col, _text(c.text))
            cell.font, cell.alignment, cell.fill = _BOLD, _CENTER, _HEADER_FILL
        else:
            value, fmt = (cell_value(c.text) if roles.get(c.col) in ("value", "quantity", "percent")
                          else (_text(c.text), None))
            cell = ws.cell(top + c.row, 1 + c.col, value)
            if fmt:
                cell.number_format = fmt
            elif "\n" in c.text:
                cell.alignment = _WRAP
        if len(area) > 1:
            merges.append((top + c.row, 1 + c.col, top + c.row + c.rowspan - 1,
                           c.col + c.colspan))
        else:
            w = _width(c.text) * (0.6 if header else 1.0)
            widths[c.col] = max(widths.get(c.col, 0), w)
    for r0, c0, r1, c1 in merges:
        ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)
    for col, w in sorted(widths.items()):
        ws.column_dimensions[get_column_letter(col + 1)].width = min(max(w + 2, 8), 50)
    if n_header:
        ws.freeze_panes = ws.cell(top + n_header, 1)
        ws.print_title_rows = f"{top}:{top + n_header - 1}"  # header on every printed page
    _landscape(ws)


def _landscape(ws: Worksheet) -> None:
    """Printed, a sheet fits the page width (landscape), as the source tables do."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _ref_text(ref: dict) -> str:  # type: ignore[type-arg]
    where = [f"表{ref['table_no']}" if ref.get("table_no") else str(ref.get("kind", ""))]
    if ref.get("row_no") is not None:
        where.append(f"第{ref['row_no']}行")
    if ref.get("row_label"):
        where.append(str(ref["row_label"]))
    if ref.get("column"):
        where.append(str(ref["column"]))
    if ref.get("value"):
        where.append(f"= {ref['value']}")
    return " ".join(w for w in where if w)


def write_checks_sheet(ws: Worksheet, doc: Document) -> None:
    heads = ["序号", "结果 status", "核对 check", "说明 message", "应为 expected",
             "实为 actual", "涉及单元格 cells"]
    for j, h in enumerate(heads, 1):
        c = ws.cell(1, j, h)
        c.font, c.fill = _BOLD, _HEADER_FILL
    for i, chk in enumerate(doc.checks, 1):
        cells = [i, chk.status, chk.id, chk.message, chk.expected, chk.actual,
                 "\n".join(_ref_text(r) for r in chk.refs if isinstance(r, dict))]
        for j, v in enumerate(cells, 1):
            if isinstance(v, str):
                num = parse_amount(v) if j in (5, 6) else None
                c = ws.cell(1 + i, j, num if num is not None else _text(v))
                if num is not None:
                    c.number_format = number_format(v)
            else:
                c = ws.cell(1 + i, j, v)
        ws.cell(1 + i, 2).fill = _STATUS_FILL.get(chk.status, PatternFill())
        ws.cell(1 + i, 7).alignment = _WRAP
    if not doc.checks:
        ws.cell(2, 1, "（没有可核对的勾稽关系 / no checks were run）")
    for j, w in enumerate([6, 10, 40, 80, 16, 16, 60], 1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = "A2"
    _landscape(ws)


def no_formulas(ws: Worksheet) -> None:
    """Store every text as text: openpyxl turns a string starting with ``=`` into a
    formula, and a cell printed as ``=HYPERLINK(…)`` in a hostile file must not run when
    the workbook is opened.  The workbook itself writes no formulas."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def deterministic_zip(data: bytes) -> bytes:
    """The same archive with fixed entry times and no save timestamps in the properties."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"",
                              body)
            zi = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, body)
    return out.getvalue()


MAX_COLUMNS = 16_384
"""Columns of a worksheet (A … XFD): a wider table is left out of the workbook, with a
warning, rather than losing the document."""


def document_xlsx(doc: Document) -> bytes:
    """The workbook's bytes: a contents sheet, one sheet per table, a checks sheet."""
    wb = Workbook()
    toc = wb.active
    toc.title = "目录"
    taken = {"目录", "核对", "checks"}
    toc.cell(1, 1, _text(doc.meta.title or doc.stem)).font = _TITLE
    src = doc.source.path.replace("\\", "/").rsplit("/", 1)[-1]
    toc.cell(2, 1, _text(f"来源：{src}" + (f"（{doc.source.pages}页）" if doc.source.pages
                                         else "")))
    toc.cell(3, 1, "表格数字为数值，单位见各表；核对结果见“核对”工作表。")
    top = 5
    for j, h in enumerate(["表号", "表名 title", "类型 kind", "单位 unit", "页 pages",
                           "工作表 sheet"], 1):
        c = toc.cell(top, j, h)
        c.font, c.fill = _BOLD, _HEADER_FILL
    for i, t in enumerate(doc.tables, 1):
        width = t.grid.n_cols if t.grid is not None else len(t.columns)
        if width > MAX_COLUMNS:  # Excel cannot open it (openpyxl fails past XFD)
            doc.warnings.append(f"table {_table_label(t)} ({t.title}): {width:,} columns, "
                                f"more than a worksheet holds ({MAX_COLUMNS:,}): left out of "
                                "the workbook; its CSV holds it whole")
            row = [_table_label(t), _text(t.title), t.kind.value, t.unit,
                   ",".join(str(p) for p in t.pages), f"（{width:,}列，超出工作表上限，见CSV）"]
            for j, v in enumerate(row, 1):
                toc.cell(top + i, j, v)
            continue
        name = sheet_name(f"{_table_label(t)} {short_title(doc, t)}", taken)
        write_table_sheet(wb.create_sheet(name), doc, t)
        row = [_table_label(t), _text(t.title), published_kind(t.kind), t.unit,
               ",".join(str(p) for p in t.pages), name]
        for j, v in enumerate(row, 1):
            toc.cell(top + i, j, v)
        link = toc.cell(top + i, 6)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{name}'!A1")
        link.style = "Hyperlink"
    for j, w in enumerate([6, 50, 30, 8, 10, 30], 1):
        toc.column_dimensions[get_column_letter(j)].width = w
    toc.freeze_panes = toc.cell(top + 1, 1)
    _landscape(toc)
    write_checks_sheet(wb.create_sheet("核对"), doc)
    for ws in wb.worksheets:
        no_formulas(ws)
    buf = io.BytesIO()
    wb.save(buf)
    return deterministic_zip(buf.getvalue())
