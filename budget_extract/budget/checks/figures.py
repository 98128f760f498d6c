"""The printed figures a check uses, the per-run context, and the table lookups every family
shares (value columns, canonical columns, total rows, row names for ids and messages).

Kept apart from the families so that each family module holds only its identities.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ...model import Check, Column, Row, Table
from ..columns import canonical_id, item_name, row_role
from ..kinds import TITLE_OF_KIND
from ..numbers import decimals, find_unit, parse_amount

_PLACEHOLDER = re.compile(r"^[\s\-－—–―─/／.…]*$")
ZERO = Decimal(0)


@dataclass
class Fig:
    """One printed figure used by a check: where it is and what it says."""

    table: Table
    row: Row | None
    column: Column | None
    text: str
    places: int
    label: str = ""
    sign: int = 1  # -1: the figure is subtracted (增减额 = 预算数 − 执行数)

    @property
    def blank(self) -> bool:
        return bool(_PLACEHOLDER.match(self.text))

    @property
    def amount(self) -> Decimal | None:
        """The printed amount; 0 for a blank or dash; None for text that is not a number."""
        if self.blank:
            return ZERO
        return parse_amount(self.text)

    @property
    def unit(self) -> str:
        u = (self.table.unit or "").strip()
        if not u and self.column is not None:
            u = find_unit(self.column.key.replace("（", "(").replace("单位：", "单位:")) or ""
        return u

    @property
    def tolerance(self) -> Decimal:
        """Half a unit of the last digit, read at the table's precision (``1`` → ``1.00``)."""
        if self.blank or self.amount is None:
            return ZERO
        return Decimal(5).scaleb(-max(decimals(self.text), self.places) - 1)

    def shown(self) -> str:
        return "(blank)" if self.blank else self.text.strip()

    def ref(self, term: str) -> dict[str, Any]:
        t, r = self.table, self.row
        page = None
        if r is not None and self.column is not None and self.column.key in r.cells:
            page = r.cells[self.column.key].page
        if page is None and r is not None:
            page = r.page
        return {"table_no": t.table_no, "kind": t.kind,
                "row_no": r.row_no if r else None, "row_label": r.label if r else "",
                "row_code": r.code if r else "", "column": self.column.key if self.column else "",
                "value": "" if self.blank else self.text.strip(), "page": page,
                "unit": self.unit, "term": term}


class Ctx:
    """Per-run caches (table precision) and the list of checks being built."""

    def __init__(self, meta: dict[str, Any]) -> None:
        self.meta = meta
        self.checks: list[Check] = []
        # 科目 name → levels printed in the document's coded tables (codes_link.subject_levels)
        self.levels: dict[str, set[int]] = {}
        self._places: dict[int, int] = {}

    def places(self, t: Table) -> int:
        key = id(t)
        if key not in self._places:
            best = 0
            for r in t.rows:
                for k, v in r.cells.items():
                    col = t.column(k)
                    if col is None or col.role != "value":
                        continue
                    best = max(best, decimals(v.text))
            self._places[key] = best
        return self._places[key]

    def fig(self, t: Table, row: Row | None, col: Column | None, label: str = "") -> Fig:
        text = ""
        if row is not None and col is not None and col.key in row.cells:
            text = row.cells[col.key].text
        return Fig(t, row, col, text, self.places(t), label)

    def skip(self, cid: str, message: str, refs: Iterable[dict[str, Any]] = ()) -> None:
        self.checks.append(Check(id=cid, status="skip", message=message, refs=list(refs)))


def printed(figs: list[Fig]) -> bool:
    """Whether any figure prints something: a check on blanks only is not listed."""
    return any(not f.blank for f in figs)


def title(t: Table) -> str:
    """How messages name a table: its kind's canonical title, else its own."""
    return TITLE_OF_KIND.get(t.kind) or t.title or t.kind


def short(kind: str) -> str:
    """How cross-table messages name a kind."""
    return TITLE_OF_KIND.get(kind) or kind


def value_cols(t: Table, side: str | None = None) -> list[Column]:
    return [c for c in t.columns if c.role == "value" and (side is None or c.side == side)]


def col(t: Table, cid: str, side: str | None = None) -> Column | None:
    """The value column whose canonical id (columns.canonical_id) is ``cid``."""
    for c in t.columns:
        if c.role == "value" and (side is None or c.side == side) and \
                canonical_id(t.kind, c.path) == cid:
            return c
    return None


def row_text(t: Table, r: Row) -> str:
    """The row's label, or failing that the first text in a code/stub cell (上海 prints
    ``合计`` in the 类 column, leaving the 科目名称 empty)."""
    if r.label:
        return r.label
    for c in t.columns:
        if c.role != "value" and c.key in r.cells and r.cells[c.key].text.strip():
            return r.cells[c.key].text.strip()
    return ""


def role(t: Table, r: Row) -> str | None:
    if r.code:
        return None
    return row_role(row_text(t, r))


def total_row(t: Table, side: str | None = None) -> Row | None:
    for r in t.rows:
        if (side is None or r.side == side) and role(t, r) == "total":
            return r
    return None


def row_desc(t: Table, r: Row) -> str:
    text = item_name(row_text(t, r)) or f"row {r.row_no}"
    return f"{r.code} {text}" if r.code else text


def row_key(t: Table, r: Row) -> str:
    return r.code or item_name(row_text(t, r)) or f"row{r.row_no}"


def project_rows(t: Table) -> list[Row]:
    """The rows naming a project (a 项目名称 cell), without 合计 rows."""
    name = next((c for c in t.columns if canonical_id(t.kind, c.path) == "project_name"), None)
    if name is None:
        return []
    return [r for r in t.rows if name.key in r.cells and r.cells[name.key].text.strip()
            and role(t, r) is None]
