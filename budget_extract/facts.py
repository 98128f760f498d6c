"""The tidy facts view: one fact per non-empty numeric body cell of every grid table.

Form-like 绩效目标表 and the ``0`` placeholder rows of empty tables are not facts (contract).
"""

from __future__ import annotations

from .budget.kinds import published_kind
from .budget.numbers import amount_text, is_amount
from .model import Document, Fact, Table


def table_facts(doc_stem: str, table: Table) -> list[Fact]:
    if table.empty or table.kind == "performance_target":
        return []
    out: list[Fact] = []
    roles = {c.key: c.role for c in table.columns}
    for row in table.rows:
        for key, cell in row.cells.items():
            if roles.get(key) != "value" or not is_amount(cell.text):
                continue
            out.append(Fact(document=doc_stem, table_no=table.table_no,
                            table_kind=published_kind(table.kind),
                            row_no=row.row_no, row_code=row.code, row_label=row.label,
                            column=key, value=amount_text(cell.text), unit=table.unit,
                            page=cell.page, bbox=cell.bbox, table_title=table.title))
    return out


def document_facts(doc: Document) -> list[Fact]:
    return [f for t in doc.tables for f in table_facts(doc.stem, t)]
