"""The dataclasses every pipeline stage shares.

Two layers:

* what a *reader* produces: a :class:`Source` holding a flat, reading-order stream of
  :class:`Block` s (headings, paragraphs, list items, tables).  A table block carries a
  :class:`Grid`: cells placed at their origin with explicit row/column spans, exactly as
  laid out in the source (Markdown pipe tables have no spans; HTML and ruled PDF tables do).
  Readers know nothing about budgets.
* what the later stages produce: a :class:`Document` of :class:`Table` s with header paths,
  typed rows, :class:`Check` s, narrative figures and performance-target records.

Every value keeps its provenance (page, grid row/column and, for PDFs, its bounding box).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal

BBox = tuple[float, float, float, float]
"""(x0, top, x1, bottom) in PDF points, origin top-left, as pdfplumber reports them."""


# --------------------------------------------------------------------------- reader layer


@dataclass
class GridCell:
    """One printed cell, placed at its top-left grid position with its spans."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    page: int | None = None
    bbox: BBox | None = None
    confidence: float | None = None
    """OCR recognition confidence (0–1, the cell's least confident line); None for text
    read from a text layer or markup."""


@dataclass
class Grid:
    """A table as laid out in the source, before any header interpretation.

    ``cells`` holds one entry per printed cell (at its origin); positions covered by a
    span hold nothing.  ``ruled`` tells whether spans are real (HTML, ruled PDF) or unknown
    (Markdown pipe tables).  A borderless PDF grid is ``ruled=False`` but carries the spans
    its text geometry shows; the header normaliser trusts spans wherever any cell has one.
    """

    cells: list[GridCell]
    n_rows: int
    n_cols: int
    page: int | None = None
    bbox: BBox | None = None
    ruled: bool = False

    def origin_matrix(self) -> list[list[GridCell | None]]:
        """Rows × columns; a cell at its origin, ``None`` where covered by a span or absent."""
        m: list[list[GridCell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            m[c.row][c.col] = c
        return m

    def owner_matrix(self) -> list[list[GridCell | None]]:
        """Rows × columns; every position holds the cell that covers it (spans expanded)."""
        m: list[list[GridCell | None]] = [[None] * self.n_cols for _ in range(self.n_rows)]
        for c in self.cells:
            for r in range(c.row, min(c.row + c.rowspan, self.n_rows)):
                for k in range(c.col, min(c.col + c.colspan, self.n_cols)):
                    m[r][k] = c
        return m

    def text_rows(self) -> list[list[str]]:
        """Rows × columns of origin texts ('' where covered or empty)."""
        return [[c.text if c else "" for c in row] for row in self.origin_matrix()]

    @classmethod
    def from_rows(
        cls, rows: list[list[str]], *, page: int | None = None, ruled: bool = False
    ) -> Grid:
        """A span-less grid from rows of strings (ragged rows padded with '')."""
        n_cols = max((len(r) for r in rows), default=0)
        cells = [
            GridCell(text=t, row=i, col=j, page=page)
            for i, r in enumerate(rows)
            for j, t in enumerate(r)
        ]
        return cls(cells=cells, n_rows=len(rows), n_cols=n_cols, page=page, ruled=ruled)


BlockKind = Literal["heading", "paragraph", "list_item", "table"]


@dataclass
class Block:
    """One unit of the reading-order stream: a line of text or a table."""

    kind: BlockKind
    text: str = ""
    level: int = 0
    page: int | None = None
    bbox: BBox | None = None
    grid: Grid | None = None


@dataclass
class Source:
    """What a reader returns: the input's identity and its block stream."""

    path: str
    sha256: str
    format: Literal["pdf", "markdown", "html"]
    pages: int | None
    blocks: list[Block]
    warnings: list[str] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)
    """Pages read by OCR (no text layer): their values carry a recognition confidence."""


# --------------------------------------------------------------------------- document layer


@dataclass
class CellValue:
    """A body cell's printed text with where it came from."""

    text: str
    page: int | None = None
    bbox: BBox | None = None
    grid_row: int | None = None
    grid_col: int | None = None
    confidence: float | None = None
    """OCR recognition confidence (0–1) when the cell was read from a scan."""


@dataclass
class Column:
    """A body column: its header path and its role.

    ``role`` is ``stub`` for label columns (科目名称, 项目 …), ``index`` for 序号/行次, ``code``
    for 科目编码 columns (one, or 类/款/项 split over several), ``quantity`` and ``percent``
    for figures that are not money (数量, 人数; 比例, 增减(%)) — kept, never facts, never
    summed — and ``value`` (money) for everything else.
    ``side`` names the half of a side-by-side table (收入/支出) the column belongs to, else ''.
    """

    path: tuple[str, ...]
    role: Literal["stub", "code", "index", "value", "quantity", "percent"] = "value"
    side: str = ""
    index: int = 0

    @property
    def key(self) -> str:
        return "/".join(self.path)


@dataclass
class Row:
    """A body row.  Side-by-side tables give one Row per side with the same ``row_no``."""

    row_no: int
    label: str
    code: str = ""
    cells: dict[str, CellValue] = field(default_factory=dict)
    side: str = ""
    page: int | None = None
    level: int | None = None
    parent_code: str | None = None
    values_yuan: dict[str, str] = field(default_factory=dict)  # amount × unit, exact: 元


class TableKind(str, Enum):
    """The contract's table kinds (``docs/contract.md``), in its order; the values are the JSON ids.

    Defined once, here; :mod:`budget_extract.budget.kinds` says how titles and headers name each.

    A ``str`` enum so that comparisons with the plain ids and JSON/CSV output stay as they
    were: ``str()`` and f-strings give the id itself on every Python version.
    """

    __str__ = str.__str__
    __format__ = str.__format__

    INCOME_EXPENDITURE_SUMMARY = "income_expenditure_summary"
    INCOME_SUMMARY = "income_summary"
    EXPENDITURE_SUMMARY = "expenditure_summary"
    FISCAL_GRANT_SUMMARY = "fiscal_grant_summary"
    GENERAL_BUDGET_EXPENDITURE = "general_budget_expenditure"
    GENERAL_BUDGET_BASIC_EXPENDITURE = "general_budget_basic_expenditure"
    THREE_PUBLIC_EXPENDITURE = "three_public_expenditure"
    GOV_FUND_EXPENDITURE = "gov_fund_expenditure"
    STATE_CAPITAL_EXPENDITURE = "state_capital_expenditure"
    PROJECT_EXPENDITURE = "project_expenditure"
    PROCUREMENT_EXPENDITURE = "procurement_expenditure"
    PURCHASED_SERVICES_EXPENDITURE = "purchased_services_expenditure"
    ASSET_ALLOCATION_EXPENDITURE = "asset_allocation_expenditure"
    PERFORMANCE_PROJECT_LIST = "performance_project_list"
    PERFORMANCE_TARGET = "performance_target"
    # Kinds real templates print and the contract lacked (docs/contract.md lists them).
    BASIC_EXPENDITURE = "basic_expenditure"
    OPERATING_EXPENDITURE = "operating_expenditure"
    UNIT_LIST = "unit_list"
    UNKNOWN = "unknown"


@dataclass
class TableLayout:
    """What the table builder saw, kept so that the interpretation step can classify the
    table and read its 绩效目标 form without going back to the detector's candidates.

    ``fragments`` are the grids as detected (one per page, before any joining),
    ``header_paths`` the raw header path of each column (before duplicates are numbered),
    ``first_column`` the texts of the joined grid's first column, ``printed_number`` the
    number printed with the caption ('' when the number came from the 目录), ``part`` the
    document part the table sits in, ``placeholder`` whether every body cell is a ``0``.
    """

    fragments: list[Grid] = field(default_factory=list)
    header_paths: list[tuple[str, ...]] = field(default_factory=list)
    first_column: list[str] = field(default_factory=list)
    printed_number: str = ""
    part: str = ""
    placeholder: bool = False


@dataclass
class Table:
    """A disclosure table after header merging, fragments joined across pages.

    :func:`budget_extract.tables.build.build_table` fills the layout (columns, rows, grid);
    :func:`budget_extract.budget.interpret.interpret_table` sets what it means: ``kind``,
    ``empty``, ``column_ids``, ``code_scheme``, each row's ``level``/``parent_code`` and,
    for a 绩效目标表, the parsed ``form``.
    """

    table_no: str
    kind: TableKind
    title: str
    unit: str
    pages: list[int]
    empty: bool
    note: str
    columns: list[Column]
    rows: list[Row]
    caption: str = ""
    position: int = 0
    unit_name: str = ""  # from a meta line inside the grid (单位名称：…), when one is printed
    header_rows: list[list[str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    grid: Grid | None = None
    column_ids: list[str | None] = field(default_factory=list)
    code_scheme: Literal["function", "economic", ""] = ""
    layout: TableLayout | None = None
    form: PerformanceTarget | None = None

    @property
    def value_columns(self) -> list[Column]:
        return [c for c in self.columns if c.role == "value"]

    def column(self, key: str) -> Column | None:
        for c in self.columns:
            if c.key == key:
                return c
        return None


@dataclass
class Check:
    """One accounting identity the tool tested."""

    id: str
    status: Literal["pass", "rounding", "fail", "warn", "skip"]
    message: str
    expected: str | None = None
    actual: str | None = None
    refs: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Fact:
    """One row of the tidy facts CSV (contract column order)."""

    document: str
    table_no: str
    table_kind: str
    row_no: int
    row_code: str
    row_label: str
    column: str
    value: str
    unit: str
    page: int | None
    bbox: BBox | None = None
    table_title: str = ""


@dataclass
class DocumentMeta:
    """What the title block says: publishing body, year, 部门/单位 level, title, phase."""

    unit_name: str = ""
    year: str = ""
    level: str = ""
    title: str = ""
    budget_phase: str = ""


@dataclass
class NarrativeFigure:
    """One figure stated in the 情况说明 text (see :mod:`budget_extract.budget.narrative`).

    Amounts stay text as printed.  When the figure names a printed total, ``table_ref`` is
    that table cell (table_no, kind, row, column, value, unit, page) and ``check`` how the
    two compare (``pass``/``rounding``/``fail``); else both are ``None``.
    """

    subject: str = ""
    code_names: list[str] | None = None
    amount: str | None = None
    unit: str | None = None
    value_yuan: str | None = None
    share: str | None = None
    change: str | None = None
    change_unit: str | None = None
    change_direction: str | None = None
    change_pct: str | None = None
    prior_year: int | None = None
    prior_basis: str | None = None
    prior_amount: str | None = None
    year: int | None = None
    section: str = ""
    text: str = ""
    warnings: list[str] = field(default_factory=list)
    table_ref: dict[str, Any] | None = None
    check: str | None = None


@dataclass
class Indicator:
    """One row of a 绩效目标表's indicator tree (parents filled down)."""

    level1: str = ""
    level2: str = ""
    level3: str = ""
    value: str = ""


@dataclass
class Appearance:
    """Where one printed copy of a 绩效目标表 was found."""

    table_position: int
    pages: list[int]
    part: str


def _printed(label: str) -> Any:
    """A text field whose JSON key is the label printed on the form (the contract's key)."""
    return field(default="", metadata={"label": label})


@dataclass
class PerformanceTarget:
    """One project's 项目支出绩效目标表, money kept as printed text.

    The JSON keys are the labels as printed (项目名称, 主管部门及代码 …: each field's
    ``metadata["label"]``); the attribute names are their English aliases, the same as
    ``budget/performance.py``'s ``FIELD_ALIASES``.
    """

    project_name: str = _printed("项目名称")
    department: str = _printed("主管部门及代码")
    department_code: str = _printed("主管部门代码")
    implementing_unit: str = _printed("实施单位")
    project_source: str = _printed("项目来源")
    funding_area: str = _printed("资金投向领域")
    term: str = _printed("项目期限")
    construction_term: str = _printed("建设期限")
    operation_term: str = _printed("运营期限")
    money_unit: str = _printed("资金单位")
    annual_total: str = _printed("年度资金总额")
    fiscal_appropriation: str = _printed("财政拨款")
    special_bonds: str = _printed("专项债券")
    carried_over: str = _printed("上年结转")
    other_funds: str = _printed("其他资金")
    annual_objective: str = _printed("年度目标")
    indicators: list[Indicator] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    appearances: list[Appearance] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    """``{"field": printed label, "values": [...]}`` where two copies of the form disagree."""


@dataclass
class Section:
    """A narrative part of the document (情况说明, 概况, 名词解释) with its text."""

    part: str
    heading: str
    text: str


@dataclass
class Document:
    """A whole disclosure: pure data, what the emitters write.

    The conveniences (JSON text, facts, dataset records, DataFrames) are functions in
    :mod:`budget_extract.api`, so this module imports nothing else of the package.
    """

    stem: str
    source: Source
    meta: DocumentMeta
    tables: list[Table]
    checks: list[Check] = field(default_factory=list)
    narrative: list[NarrativeFigure] = field(default_factory=list)
    performance_targets: list[PerformanceTarget] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
