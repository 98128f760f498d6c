"""Hand-built tables for the checks' tests (one builder, shared by test_checks and
test_checks_templates)."""

from __future__ import annotations

from budget_extract.budget.codes_link import link_codes
from budget_extract.model import CellValue, Column, Row, Table, TableKind


def grid(kind: str, paths: list[tuple[str, ...]], rows: list[tuple], unit: str = "万元",
         table_no: str = "1", *, link: bool = True) -> Table:
    """A coded table: the first path is the 科目名称 stub, the rest value columns; each row
    is ``((label, code), value, …)`` with ``""`` for a blank cell."""
    cols = [Column(path=p, role="value" if i else "stub", index=i) for i, p in enumerate(paths)]
    out = []
    for n, values in enumerate(rows, start=1):
        label, code = values[0]
        cells = {c.key: CellValue(text=v) for c, v in zip(cols[1:], values[1:], strict=True) if v}
        cells[cols[0].key] = CellValue(text=label)
        out.append(Row(row_no=n, label=label, code=code, cells=cells))
    t = Table(table_no=table_no, kind=TableKind(kind), title="", unit=unit, pages=[],
              empty=False, note="", columns=cols, rows=out)
    if link:  # parent codes and the 功能分类 scheme, as the pipeline sets them
        link_codes(t)
        if any(r.code for r in t.rows):
            t.code_scheme = "function"
    return t
