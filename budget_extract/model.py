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


# --------------------------------------------------------------------------- document layer


@dataclass
class CellValue:
    """A body cell's printed text with where it came from."""

    text: str
    page: int | None = None
    bbox: BBox | None = None
    grid_row: int | None = None
    grid_col: int | None = None


@dataclass
class Column:
    """A body column: its header path and its role.

    ``role`` is ``stub`` for label columns (科目名称, 项目 …), ``index`` for 序号, ``code`` for
    科目编码 columns (one, or 类/款/项 split over several), ``value`` for everything else.
    ``side`` names the half of a side-by-side table (收入/支出) the column belongs to, else ''.
    """

    path: tuple[str, ...]
    role: Literal["stub", "code", "index", "value"] = "value"
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


@dataclass
class Table:
    """A disclosure table after header merging, fragments joined across pages."""

    table_no: str
    kind: str
    title: str
    unit: str
    pages: list[int]
    empty: bool
    note: str
    columns: list[Column]
    rows: list[Row]
    caption: str = ""
    position: int = 0
    header_rows: list[list[str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    grid: Grid | None = None

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
    status: Literal["pass", "rounding", "fail", "skip"]
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


@dataclass
class Document:
    """A whole disclosure: what the emitters write."""

    stem: str
    source: Source
    meta: dict[str, Any]
    tables: list[Table]
    checks: list[Check] = field(default_factory=list)
    narrative: list[dict[str, Any]] = field(default_factory=list)
    performance_targets: list[dict[str, Any]] = field(default_factory=list)
    sections: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    # ------------------------------------------------------------------ convenience API
    # Thin views over the emitters, so that library users and the CLI get the same bytes.

    def to_json(self) -> str:
        """The contract's document JSON (what ``S.json`` holds), as a string."""
        from .emit.json_out import document_json

        return document_json(self)

    def facts(self) -> list[Fact]:
        """The tidy facts: one per printed amount of every grid table (``S.facts.csv``)."""
        from .facts import document_facts

        return document_facts(self)

    def records(self, source_path: str | None = None) -> dict[str, list[dict[str, Any]]]:
        """This document's rows of every dataset table (documents, tables, facts, checks,
        narrative, performance_targets, performance_indicators), as the batch writes them
        to ``budget.sqlite`` and the combined CSVs."""
        from .emit.dataset import document_records

        return document_records(self, source_path or self.source.path)

    def to_pandas(self, table: str = "facts") -> Any:
        """A pandas DataFrame of one dataset table (default ``facts``), typed as in the
        datapackage: numbers as floats, counts as nullable integers, codes as strings.

        Needs pandas (``pip install 'budget_extract[pandas]'``).
        """
        try:
            import pandas as pd
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise ImportError("to_pandas() needs pandas: pip install 'budget_extract[pandas]'"
                              ) from e
        from .emit.dataset import TABLES

        defs = {t.name: t for t in TABLES}
        if table not in defs or table == "inputs":
            raise ValueError(f"unknown table {table!r}; one of "
                             + ", ".join(n for n in defs if n != "inputs"))
        tdef = defs[table]
        df = pd.DataFrame(self.records()[table], columns=tdef.names)
        for f in tdef.fields:
            if f.type == "number":
                df[f.name] = pd.to_numeric(df[f.name], errors="coerce")
            elif f.type == "integer":
                df[f.name] = pd.to_numeric(df[f.name], errors="coerce").astype("Int64")
            elif f.type == "boolean":
                df[f.name] = df[f.name].astype("boolean")
            else:
                df[f.name] = df[f.name].fillna("").astype(str)
        return df
