"""CSV emitters: the tidy facts file and one wide file per table.

RFC 4180 quoting, UTF-8 (``bom=True`` for Excel on Chinese Windows).  A text cell that a
spreadsheet would run as a formula (leading ``=``, ``+``, ``-``, ``@``) is prefixed with ``'``;
numbers, including negative ones, are left untouched.
"""

from __future__ import annotations

import csv
import io
import re

from ..budget.kinds import published_kind
from ..model import Fact, Table

FACT_COLUMNS = ["document", "table_no", "table_kind", "row_no", "row_code", "row_label",
                "column", "value", "unit", "page", "table_title"]
_NUMBER = re.compile(r"^-?\d[\d,]*(\.\d+)?$")


def spreadsheet_safe(text: str) -> str:
    if text and text[0] in "=+-@\t\r" and not _NUMBER.match(text):
        return "'" + text
    return text


def _csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for r in rows:
        w.writerow([spreadsheet_safe(str(x)) for x in r])
    return buf.getvalue()


def fact_row(f: Fact) -> list[str]:
    return [f.document, f.table_no, f.table_kind, str(f.row_no), f.row_code, f.row_label,
            f.column, f.value, f.unit, "" if f.page is None else str(f.page), f.table_title]


def facts_csv(facts: list[Fact], header: bool = True) -> str:
    rows = ([FACT_COLUMNS] if header else []) + [fact_row(f) for f in facts]
    return _csv(rows)


def wide_csv(table: Table) -> str:
    """One line per printed body row, one column per header path (sides side by side)."""
    keys = [c.key for c in table.columns]
    lines: dict[int, dict[str, str]] = {}
    for r in table.rows:
        line = lines.setdefault(r.row_no, {})
        for k, v in r.cells.items():
            line[k] = v.text.replace("\n", "")
    rows = [["row_no", *keys]]
    for no in sorted(lines):
        rows.append([str(no), *[lines[no].get(k, "") for k in keys]])
    return _csv(rows)


def wide_name(table: Table, taken: set[str]) -> str:
    num = f"{int(table.table_no):02d}" if table.table_no.isdigit() else f"{table.position:02d}"
    kind = published_kind(table.kind)
    name = f"{num}-{kind}.csv"
    n = 2
    while name in taken:
        name = f"{num}-{kind}-{n}.csv"
        n += 1
    taken.add(name)
    return name
