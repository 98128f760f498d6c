"""The batch dataset: one schema, three renderings (CSV files, SQLite, Frictionless).

Every dataset table is declared once here, in :data:`TABLES`, with its fields' types,
descriptions, primary key and Fiscal Data Package ``columnType``.  The SQLite writer, the
combined CSVs and ``datapackage.json`` are all generated from these declarations, so the
three can never disagree about a column's name, type or meaning.

:func:`document_records` turns one :class:`~budget_extract.model.Document` into the rows
of every table.  It runs in the worker process (or on a Dask worker) next to the
extraction, and the rows travel back as plain JSON-able dicts, so the parent process never
needs the ``Document`` object itself.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ..budget.kinds import published_kind
from ..budget.numbers import UNITS, parse_amount
from ..facts import table_facts
from ..model import Document, Table, TableKind
from .csv_out import FACT_COLUMNS
from .json_out import figure_dict, target_dict

DATASET_VERSION = "1"
"""Version of the dataset schema below (stored in ``budget.sqlite`` and the datapackage)."""


@dataclass(frozen=True)
class Field:
    """One column: Table Schema type, SQLite type, what it means, its FDP columnType."""

    name: str
    type: str  # Table Schema type: string, integer, number, boolean
    description: str
    column_type: str | None = None  # Fiscal Data Package columnType, where one fits
    required: bool = False

    @property
    def sql_type(self) -> str:
        return {"integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}.get(
            self.type, "TEXT")


@dataclass(frozen=True)
class TableDef:
    """One dataset table: its fields, key, indexes, and whether it is also a CSV file."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()
    indexes: tuple[tuple[str, ...], ...] = ()
    csv: bool = True
    extra_sql: tuple[str, ...] = field(default_factory=tuple)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]


_DOC = Field("document", "string", "Document id: the input's file stem (with its subfolder "
             "under the batch folder, and its extension when two inputs share a stem).",
             required=True)
_POS = Field("table", "integer", "The table's 1-based position in its document (always set, "
             "unlike table_no).", required=True)

DOCUMENTS = TableDef(
    "documents", "Documents",
    "One row per extracted input document.",
    (
        _DOC,
        Field("source_path", "string", "The input file, relative to the batch folder."),
        Field("sha256", "string", "SHA-256 of the input file's bytes."),
        Field("format", "string", "Input format: pdf, markdown or html."),
        Field("pages", "integer", "Number of pages (PDF only)."),
        Field("unit_name", "string", "The publishing department or unit (预算单位/部门).",
              "administrative-classification:generic:label"),
        Field("year", "integer", "The budget's fiscal year.", "date:fiscal-year"),
        Field("level", "string", "单位 (a unit's budget) or 部门 (a department's, "
              "consolidated)."),
        Field("title", "string", "The document's title as printed."),
        Field("phase", "string", "Budget phase id: approved (预算), adjusted (调整预算), "
              "executed (决算) or blank.", "phase:id"),
        Field("phase_label", "string", "Budget phase as printed (预算, 决算 …).", "phase:label"),
        Field("tables", "integer", "Number of tables extracted."),
        Field("facts", "integer", "Number of facts (printed amounts) extracted."),
        Field("checks", "integer", "Number of accounting checks tested."),
        Field("checks_failed", "integer", "Number of checks with status fail."),
        Field("narrative_figures", "integer", "Number of figures found in the 情况说明 text."),
        Field("performance_targets", "integer", "Number of 绩效目标 project records."),
        Field("warnings", "integer", "Number of extraction warnings (listed in S.json)."),
    ),
    ("document",),
    indexes=(("year", "unit_name"), ("unit_name",)),
)

TABLES_ = TableDef(
    "tables", "Tables",
    "One row per table of every document.",
    (
        _DOC, _POS,
        Field("table_no", "string", "The table's number as the document gives it (blank when "
              "it gives none)."),
        Field("kind", "string", "Canonical table kind (see the contract's list)."),
        Field("title", "string", "The table's title as printed."),
        Field("unit", "string", "Money unit as printed: 元, 千元, 万元 or 亿元."),
        Field("pages", "string", "Source pages, comma-separated (blank for Markdown/HTML)."),
        Field("empty", "boolean", "Whether the table is printed empty (本表无数据 …)."),
        Field("note", "string", "The note printed with the table (e.g. why it is empty)."),
        Field("code_scheme", "string", "Classification of the row codes: function (支出功能分类), "
              "economic (支出经济分类) or blank."),
        Field("columns", "integer", "Number of columns (header paths)."),
        Field("rows", "integer", "Number of body rows."),
        Field("facts", "integer", "Number of facts from this table."),
        Field("csv", "string", "The table's wide CSV, relative to the output folder."),
    ),
    ("document", "table"),
    foreign_keys=((("document",), "documents", ("document",)),),
    indexes=(("kind",),),
)

_FACT_DESC = {
    "document": _DOC.description,
    "table_no": "The table's number as the document gives it (blank when it gives none).",
    "table_kind": "Canonical table kind.",
    "row_no": "1-based body row in reading order, counted across page breaks.",
    "row_code": "The row's 科目编码 (classification code) as one string of digits, or blank.",
    "row_label": "The row's stub (科目名称, 项目 …), whitespace removed.",
    "column": "The value's header path, top level first, levels joined by '/'.",
    "value": "The amount as printed, thousands separators removed, in `unit`.",
    "unit": "The table's money unit as printed: 元, 千元, 万元 or 亿元.",
    "page": "1-based source page (blank for Markdown and HTML).",
    "table_title": "The table's printed title (the 目录's title when the page prints none).",
}
_FACT_TYPES = {"row_no": "integer", "value": "number", "page": "integer"}
_FACT_FDP = {"value": "value", "row_label": None}

FACTS = TableDef(
    "facts", "Facts",
    "One row per printed amount of every grid table (the contract's tidy facts, with the "
    "contract's columns first and convenience columns after them).",
    tuple(
        Field(n, _FACT_TYPES.get(n, "string"), _FACT_DESC[n], _FACT_FDP.get(n),
              required=n in ("document", "row_no", "column", "value"))
        for n in FACT_COLUMNS
    ) + (
        _POS,
        Field("side", "string", "收入 or 支出: which half of a side-by-side 收支 table "
              "(收支总表, 财政拨款收支总表 …) the amount is in, whatever the half is called "
              "(本年收入, 财政拨款支出 …: see side_label); blank elsewhere."),
        Field("functional_code", "string", "row_code when it is a 支出功能分类 code.",
              "functional-classification:generic:code"),
        Field("economic_code", "string", "row_code when it is a 支出经济分类 code.",
              "economic-classification:generic:code"),
        Field("amount_yuan", "number", "The amount converted to 元 (value × unit); exact in the "
              "CSV, a floating-point number in SQLite/pandas, for querying.", "value"),
        Field("amount_fen", "integer", "The amount in 分 (0.01 元) as an exact integer: sum "
              "this in SQL when cents must add up exactly (SUM(amount_fen) / 100)."),
        Field("unit_name", "string", "The publishing department or unit (from documents).",
              "administrative-classification:generic:label"),
        Field("year", "integer", "The budget's fiscal year (from documents).",
              "date:fiscal-year"),
        Field("phase", "string", "Budget phase id (from documents).", "phase:id"),
        Field("side_label", "string", "The half of a side-by-side table as its header names "
              "it (本年收入, 财政拨款支出, 支出/支出功能分类科目（按大类）, 第2栏 …); blank for "
              "a one-panel table."),
    ),
    ("document", "table", "row_no", "column"),
    foreign_keys=((("document",), "documents", ("document",)),
                  (("document", "table"), "tables", ("document", "table"))),
    indexes=(("table_kind", "column"), ("row_code",), ("year", "unit_name"), ("row_label",)),
)

CHECKS = TableDef(
    "checks", "Checks",
    "Every accounting identity tested, within and across tables, with its outcome.",
    (
        _DOC,
        Field("seq", "integer", "1-based position of the check in its document.",
              required=True),
        Field("id", "string", "The check's id (what was tested, on which table/row/column)."),
        Field("status", "string", "pass, rounding (within what rounding explains), fail, "
              "warn (a finding about the text or structure that is not a wrong number) or "
              "skip."),
        Field("message", "string", "The identity in words, with the printed figures."),
        Field("expected", "string", "The printed total."),
        Field("actual", "string", "What the parts add up to."),
        Field("refs", "string", "JSON list of the cells involved (table, row, column, value, "
              "page)."),
    ),
    ("document", "seq"),
    foreign_keys=((("document",), "documents", ("document",)),),
    indexes=(("status",),),
)

NARRATIVE = TableDef(
    "narrative", "Narrative figures",
    "Figures stated in the 情况说明 text: amounts, shares and changes on last year.",
    (
        _DOC,
        Field("seq", "integer", "1-based position of the figure in its document.",
              required=True),
        Field("section", "string", "The section of the explanation it came from."),
        Field("subject", "string", "What the figure is about."),
        Field("amount", "number", "The amount as stated, in `unit`.", "value"),
        Field("unit", "string", "The stated money unit."),
        Field("value_yuan", "number", "The amount in 元.", "value"),
        Field("share", "number", "A stated share, in percent."),
        Field("change", "number", "The stated change on last year, in change_unit."),
        Field("change_unit", "string", "Unit of the change."),
        Field("change_direction", "string", "The direction as printed (增加, 减少, 持平 …)."),
        Field("change_pct", "number", "The stated change on last year, in percent."),
        Field("prior_year", "integer", "The year compared with.", "date:fiscal-year"),
        Field("prior_basis", "string", "What it is compared with (上年预算数, 预算执行数 …)."),
        Field("prior_amount", "number", "The earlier year's amount, stated or implied."),
        Field("year", "integer", "The year the figure refers to, when stated.",
              "date:fiscal-year"),
        Field("text", "string", "The sentence the figure was read from."),
        Field("table_check", "string", "How the figure compares with the tables, when it "
              "names a printed total (pass, rounding, fail), else blank."),
        Field("record", "string", "The whole figure as JSON (every key the extractor gave)."),
    ),
    ("document", "seq"),
    foreign_keys=((("document",), "documents", ("document",)),),
)

PERFORMANCE_TARGETS = TableDef(
    "performance_targets", "Performance targets",
    "One record per project from the 项目支出绩效目标表.",
    (
        _DOC,
        Field("seq", "integer", "1-based position of the project in its document.",
              required=True),
        Field("project", "string", "项目名称.", "activity:generic:project:label"),
        Field("department", "string", "主管部门 (and code) as printed."),
        Field("implementer", "string", "实施单位."),
        Field("fund_unit", "string", "Money unit of the amounts (资金单位)."),
        Field("total", "number", "年度资金总额.", "value"),
        Field("fiscal_grant", "number", "财政拨款."),
        Field("other_funds", "number", "其他资金."),
        Field("annual_goal", "string", "年度目标."),
        Field("indicators", "integer", "Number of indicators (see performance_indicators)."),
        Field("record", "string", "The whole record as JSON (every field printed)."),
    ),
    ("document", "seq"),
    foreign_keys=((("document",), "documents", ("document",)),),
    indexes=(("project",),),
)

PERFORMANCE_INDICATORS = TableDef(
    "performance_indicators", "Performance indicators",
    "The indicators of each performance target: 一级/二级/三级指标 and 指标值.",
    (
        _DOC,
        Field("target", "integer", "seq of the project in performance_targets.",
              required=True),
        Field("seq", "integer", "1-based position of the indicator in its project.",
              required=True),
        Field("level1", "string", "一级指标."),
        Field("level2", "string", "二级指标."),
        Field("level3", "string", "三级指标."),
        Field("value", "string", "指标值 as printed."),
    ),
    ("document", "target", "seq"),
    foreign_keys=((("document", "target"), "performance_targets", ("document", "seq")),),
)

INPUTS = TableDef(
    "inputs", "Inputs",
    "Every input file of the batch with its status (failed ones have an error).",
    (
        Field("source_path", "string", "The input file, relative to the batch folder.",
              required=True),
        _DOC,
        Field("sha256", "string", "SHA-256 of the input's bytes."),
        Field("status", "string", "ok or failed."),
        Field("error", "string", "Why it failed (blank when ok)."),
    ),
    ("source_path",),
    indexes=(("status",),),
    csv=False,
)

TABLES: tuple[TableDef, ...] = (DOCUMENTS, TABLES_, FACTS, CHECKS, NARRATIVE,
                                PERFORMANCE_TARGETS, PERFORMANCE_INDICATORS, INPUTS)
"""In dependency order (referenced tables first)."""

PER_DOCUMENT = tuple(t.name for t in TABLES if t.name != "inputs")
"""The tables whose rows come from :func:`document_records`."""


# --------------------------------------------------------------------------- rows

_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def phase_id(label: str) -> str:
    """FDP phase id from the printed phase (决算 → executed, 调整预算 → adjusted …)."""
    label = label or ""
    if "决算" in label:
        return "executed"
    if "调整" in label:
        return "adjusted"
    if "草案" in label:
        return "proposed"
    if "预算" in label:
        return "approved"
    return ""


def _int(x: Any) -> int | None:
    try:
        return int(str(x).strip())
    except (TypeError, ValueError):
        return None


def _number(x: Any) -> str | None:
    """A plain decimal string for a number-typed field, or None (never a malformed number)."""
    if x is None or isinstance(x, bool):
        return None
    if isinstance(x, int | float | Decimal):
        s = format(Decimal(str(x)), "f")
        return s if _PLAIN_NUMBER.match(s) else None
    d = parse_amount(str(x).replace("%", "").replace("％", "").strip())
    return None if d is None else format(d, "f")


def _yuan(value: str, unit: str) -> str | None:
    mult = UNITS.get(re.sub(r"\s+", "", unit or ""))
    if mult is None:
        return None
    try:
        return format(Decimal(value) * mult, "f")
    except (InvalidOperation, ValueError):
        return None


def _fen(value: str, unit: str) -> int | None:
    """Exact integer 分; None when the amount has digits below 0.01 元 (never rounded)."""
    y = _yuan(value, unit)
    if y is None:
        return None
    fen = Decimal(y) * 100
    return int(fen) if fen == fen.to_integral_value() else None


def _json(x: Any) -> str:
    return json.dumps(x, ensure_ascii=False, sort_keys=True, default=str,
                      separators=(",", ":"))


_BOTH_SIDES_KINDS = {TableKind.INCOME_EXPENDITURE_SUMMARY, TableKind.FISCAL_GRANT_SUMMARY}


def side_names(t: Table) -> dict[str, str]:
    """Each panel name of a side-by-side table → ``收入``, ``支出`` or ``''``.

    Printed names vary (收入, 本年收入, 财政拨款收入 …), so ``WHERE side = '收入'`` would
    miss rows if ``side`` were the name.  A panel whose name says 收 (and not 支) is the
    income half and the others of its table the expenditure halves; a 收支总表 or
    财政拨款收支总表 with no such name has its income on the left (as the checks read it).
    In other tables (a 基本支出表 printed in two halves, 第1栏 | 第2栏) a panel named 支 is
    支出 and the rest blank: they are no 收支 halves.
    """
    names = [n for n in dict.fromkeys(c.side for c in t.columns) if n]
    income = ["收" in n and "支" not in n for n in names]
    spending = ["支" in n and "收" not in n for n in names]
    if any(income) or (names and t.kind in _BOTH_SIDES_KINDS):
        if not any(income):
            income[0] = True
        return {n: "收入" if inc else "支出" for n, inc in zip(names, income, strict=True)}
    return {n: "支出" if exp else "" for n, exp in zip(names, spending, strict=True)}


def table_positions(doc: Document) -> dict[int, int]:
    """``id(table)`` → its 1-based position: the pipeline's, unless missing or repeated."""
    given = [t.position for t in doc.tables]
    if all(p > 0 for p in given) and len(set(given)) == len(given):
        return {id(t): t.position for t in doc.tables}
    return {id(t): i for i, t in enumerate(doc.tables, 1)}


def document_records(doc: Document, source_path: str,
                     wide_csvs: dict[int, str] | None = None) -> dict[str, list[dict[str, Any]]]:
    """The rows of every per-document dataset table for ``doc``.

    ``source_path`` is the input relative to the batch folder; ``wide_csvs`` maps a table's
    position to its wide CSV path relative to the output folder.
    """
    meta = doc.meta
    year = _int(meta.year)
    phase_label = meta.budget_phase or ""
    phase = phase_id(phase_label or meta.title or "")
    unit_name = meta.unit_name or ""
    positions = table_positions(doc)
    schemes = {id(t): t.code_scheme for t in doc.tables}
    labels = {id(t): {c.key: c.side for c in t.columns} for t in doc.tables}
    sides = {id(t): side_names(t) for t in doc.tables}

    fact_rows: list[dict[str, Any]] = []
    per_table: dict[int, int] = {}
    for t in doc.tables:
        pos = positions[id(t)]
        tf = table_facts(doc.stem, t)
        per_table[pos] = len(tf)
        for f in tf:
            scheme = schemes[id(t)]
            fact_rows.append({
                "document": f.document, "table_no": f.table_no, "table_kind": f.table_kind,
                "row_no": f.row_no, "row_code": f.row_code, "row_label": f.row_label,
                "column": f.column, "value": f.value, "unit": f.unit, "page": f.page,
                "table_title": f.table_title,
                "table": pos,
                "side": sides[id(t)].get(labels[id(t)].get(f.column, ""), ""),
                "functional_code": f.row_code if scheme == "function" else "",
                "economic_code": f.row_code if scheme == "economic" else "",
                "amount_yuan": _yuan(f.value, f.unit), "amount_fen": _fen(f.value, f.unit),
                "unit_name": unit_name,
                "year": year, "phase": phase,
                "side_label": labels[id(t)].get(f.column, ""),
            })

    tables = []
    for t in doc.tables:
        pos = positions[id(t)]
        tables.append({
            "document": doc.stem, "table": pos, "table_no": t.table_no,
            "kind": published_kind(t.kind),
            "title": t.title, "unit": t.unit, "pages": ",".join(str(p) for p in t.pages),
            "empty": bool(t.empty), "note": t.note, "code_scheme": schemes[id(t)],
            "columns": len(t.columns), "rows": len({r.row_no for r in t.rows}),
            "facts": per_table.get(pos, 0), "csv": (wide_csvs or {}).get(pos, ""),
        })

    checks = [{
        "document": doc.stem, "seq": i, "id": c.id, "status": c.status, "message": c.message,
        "expected": c.expected, "actual": c.actual, "refs": _json(c.refs),
    } for i, c in enumerate(doc.checks, 1)]

    narrative = []
    for i, fig in enumerate(doc.narrative, 1):
        g = figure_dict(fig)
        narrative.append({
            "document": doc.stem, "seq": i, "section": str(g.get("section") or ""),
            "subject": str(g.get("subject") or ""), "amount": _number(g.get("amount")),
            "unit": str(g.get("unit") or ""), "value_yuan": _number(g.get("value_yuan")),
            "share": _number(g.get("share")), "change": _number(g.get("change")),
            "change_unit": str(g.get("change_unit") or ""),
            "change_direction": str(g.get("change_direction") or ""),
            "change_pct": _number(g.get("change_pct")),
            "prior_year": _int(g.get("prior_year")),
            "prior_basis": str(g.get("prior_basis") or ""),
            "prior_amount": _number(g.get("prior_amount")), "year": _int(g.get("year")),
            "text": str(g.get("text") or ""),
            "table_check": str(g.get("check") or ""),
            "record": _json(g),
        })

    targets, indicators = [], []
    for i, t in enumerate(doc.performance_targets, 1):
        targets.append({
            "document": doc.stem, "seq": i, "project": t.project_name,
            "department": t.department, "implementer": t.implementing_unit,
            "fund_unit": t.money_unit, "total": _number(t.annual_total),
            "fiscal_grant": _number(t.fiscal_appropriation),
            "other_funds": _number(t.other_funds),
            "annual_goal": t.annual_objective, "indicators": len(t.indicators),
            "record": _json(target_dict(t)),
        })
        for j, ind in enumerate(t.indicators, 1):
            indicators.append({"document": doc.stem, "target": i, "seq": j,
                               "level1": ind.level1, "level2": ind.level2,
                               "level3": ind.level3, "value": ind.value})

    src = doc.source
    documents = [{
        "document": doc.stem, "source_path": source_path, "sha256": src.sha256,
        "format": src.format, "pages": src.pages, "unit_name": unit_name, "year": year,
        "level": meta.level or "", "title": meta.title or "",
        "phase": phase, "phase_label": phase_label, "tables": len(doc.tables),
        "facts": len(fact_rows), "checks": len(checks),
        "checks_failed": sum(1 for c in doc.checks if c.status == "fail"),
        "narrative_figures": len(narrative), "performance_targets": len(targets),
        "warnings": len(doc.warnings),
    }]
    return {"documents": documents, "tables": tables, "facts": fact_rows, "checks": checks,
            "narrative": narrative, "performance_targets": targets,
            "performance_indicators": indicators}


# --------------------------------------------------------------------------- CSV


def csv_cell(value: Any, f: Field) -> str:
    """A row value as CSV text: booleans as true/false, None as blank."""
    if value is None:
        return ""
    if f.type == "boolean":
        return "true" if value else "false"
    return str(value)
