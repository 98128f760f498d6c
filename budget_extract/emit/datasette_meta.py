"""``metadata.json``: the batch dataset described for Datasette, written beside ``budget.sqlite``.

Datasette (``pip install datasette``; an optional extra, never needed by the tool itself)
is how data journalists browse a SQLite file.  ``datasette OUTDIR/budget.sqlite -m
OUTDIR/metadata.json`` opens the dataset with every table and column titled and described
(from the same declarations as the CSVs, SQLite and ``datapackage.json``:
:data:`~budget_extract.emit.dataset.TABLES`), facets on what one filters by first
(document, kind, side, status), and canned queries for the questions asked first: each
department's totals, the failing checks with their pages, one 科目 across all documents.

Money units are printed per row (``unit``: 元, 万元 …) and converted in ``amount_yuan``;
they are stated in the column descriptions, not as Datasette ``units`` (those are Pint
units, which know no 元).
"""

from __future__ import annotations

import json
from typing import Any

from .dataset import DATASET_VERSION, TABLES

DATABASE = "budget"
"""Datasette names a database after its file: ``budget.sqlite`` → ``budget``."""

FACETS: dict[str, list[str]] = {
    "documents": ["year", "level", "phase"],
    "tables": ["document", "kind"],
    "facts": ["document", "table_kind", "side"],
    "checks": ["document", "status"],
    "narrative": ["document"],
    "performance_targets": ["document"],
    "inputs": ["status"],
}

LABEL_COLUMNS: dict[str, str] = {"documents": "unit_name", "tables": "title"}
"""The column Datasette shows for a row that another table's foreign key points to."""

TOTAL_LABELS = ("收入总计", "支出总计", "总计", "收入合计", "支出合计", "合计")
"""How the 收支总表 labels its grand totals (the last such row of each half is the total;
本年收入合计 / 本年支出合计 come before the carried-over lines and are not it)."""

CANNED_QUERIES: dict[str, dict[str, Any]] = {
    "department_totals": {
        "title": "Each department's totals (收入总计 and 支出总计 of the 收支总表)",
        "description": "For every document: the grand total of each half of its 收支总表 "
                       "(the last 总计/合计 row of the 收入 and of the 支出 side), as printed "
                       "and in 元, with the page to check it against.",
        "sql": """\
WITH totals AS (
  SELECT f.*, MAX(f.row_no) OVER (PARTITION BY f.document, f."table", f.side) AS last_row
  FROM facts f
  WHERE f.table_kind = 'income_expenditure_summary' AND f.side IN ('收入', '支出')
    AND f.row_label IN ({labels})
)
SELECT d.unit_name, d.year, d.phase_label, t.side, t.row_label, t."column", t.value,
       t.unit, t.amount_yuan, t.page, t.document
FROM totals t JOIN documents d ON d.document = t.document
WHERE t.row_no = t.last_row
ORDER BY d.unit_name, d.year, t.document, t.side = '支出', t."column\"""".format(
            labels=", ".join(f"'{x}'" for x in TOTAL_LABELS)),
    },
    "failing_checks": {
        "title": "Failing checks, with their pages",
        "description": "Every accounting identity that does not hold as printed, with the "
                       "tables and pages of the cells it adds up (look there: a misprint in "
                       "the document, or a misreading by the tool).",
        "sql": """\
SELECT d.unit_name, d.year, c.document, c.id, c.message, c.expected, c.actual,
       (SELECT group_concat(DISTINCT json_extract(r.value, '$.table_no'))
          FROM json_each(c.refs) r) AS tables,
       (SELECT group_concat(DISTINCT json_extract(r.value, '$.page'))
          FROM json_each(c.refs) r) AS pages
FROM checks c JOIN documents d ON d.document = c.document
WHERE c.status = 'fail'
ORDER BY c.document, c.seq""",
    },
    "subject_across_documents": {
        "title": "One 科目 across all documents",
        "description": "Every amount printed for one 科目, by its code (2011301) or a part of "
                       "its name (行政运行), in every table of every document: fill in one "
                       "of the two.",
        "sql": """\
SELECT f.unit_name, f.year, f.document, f.table_no, f.table_title, f.row_code,
       f.row_label, f."column", f.value, f.unit, f.amount_yuan, f.page
FROM facts f
WHERE (:code != '' AND f.row_code = :code)
   OR (:code = '' AND :name != '' AND f.row_label LIKE '%' || :name || '%')
ORDER BY f.row_code, f.year, f.unit_name, f.document, f."table", f.row_no, f."column\"""",
    },
}


def datasette_metadata() -> dict[str, Any]:
    """The metadata document (Datasette's ``-m`` / ``--metadata`` format)."""
    tables: dict[str, Any] = {}
    for t in TABLES:
        entry: dict[str, Any] = {
            "title": t.title,
            "description": t.description,
            "columns": {f.name: f.description for f in t.fields},
        }
        if t.name in FACETS:
            entry["facets"] = FACETS[t.name]
        if t.name in LABEL_COLUMNS:
            entry["label_column"] = LABEL_COLUMNS[t.name]
        tables[t.name] = entry
    tables["meta"] = {"hidden": True}
    return {
        "title": "Budget disclosures (budget_extract)",
        "description": "Tables, amounts and accounting checks extracted from Chinese "
                       "government budget disclosures (部门预算/单位预算/决算) by "
                       f"budget_extract; dataset schema version {DATASET_VERSION}.  Amounts "
                       "are as printed in `value` with the printed `unit` (元, 万元 …) and "
                       "in 元 in `amount_yuan`; every fact names its document, table, row, "
                       "column and page.",
        "databases": {
            DATABASE: {
                "title": "budget.sqlite",
                "description": "One row per document, table, printed amount, check, "
                               "narrative figure and performance target of the batch.",
                "tables": tables,
                "queries": CANNED_QUERIES,
            },
        },
    }


def metadata_json() -> str:
    """The metadata as stable JSON text (the same bytes every run)."""
    return json.dumps(datasette_metadata(), ensure_ascii=False, indent=1) + "\n"
