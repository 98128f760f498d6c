"""The document JSON (contract version 1): every table, check, narrative figure and target."""

from __future__ import annotations

import json
from typing import Any

from ..budget.columns import canonical_id
from ..budget.numbers import UNITS, parse_amount
from ..model import Check, Document, Row, Table

CONTRACT_VERSION = "1"


def _values_yuan(t: Table, r: Row) -> dict[str, str]:
    """Each amount of a row in 元 (``value × unit``), exact Decimal rendered as text."""
    mult = UNITS.get(t.unit)
    if mult is None or t.empty or t.kind == "performance_target":
        return {}
    roles = {c.key: c.role for c in t.columns}
    out: dict[str, str] = {}
    for k, v in r.cells.items():
        amount = parse_amount(v.text) if roles.get(k) == "value" else None
        if amount is not None:
            out[k] = format(amount * mult, "f")
    return out


def table_dict(t: Table) -> dict[str, Any]:
    rows = []
    for r in t.rows:
        rows.append({
            "row_no": r.row_no,
            "code": r.code,
            "label": r.label,
            "cells": {k: v.text for k, v in r.cells.items()},
            "values_yuan": _values_yuan(t, r),
            "side": r.side,
            "page": r.page,
            "level": r.level,
            "parent_code": r.parent_code,
            "bbox": {k: [round(x, 2) for x in v.bbox] for k, v in r.cells.items() if v.bbox},
        })
    return {
        "table_no": t.table_no,
        "kind": t.kind,
        "title": t.title,
        "unit": t.unit,
        "pages": t.pages,
        "empty": t.empty,
        "note": t.note,
        "columns": [list(c.path) for c in t.columns],
        "column_ids": [canonical_id(t.kind, c.path) for c in t.columns],
        "column_roles": [c.role for c in t.columns],
        "column_sides": [c.side for c in t.columns],
        "rows": rows,
        "caption": t.caption,
        "position": t.position,
        "header_rows": t.header_rows,
        "warnings": t.warnings,
    }


def check_dict(c: Check) -> dict[str, Any]:
    return {"id": c.id, "status": c.status, "message": c.message, "expected": c.expected,
            "actual": c.actual, "refs": c.refs}


def document_dict(doc: Document) -> dict[str, Any]:
    src = doc.source
    return {
        "contract": CONTRACT_VERSION,
        "document": doc.stem,
        "source": {"path": src.path, "sha256": src.sha256, "format": src.format,
                   "pages": src.pages},
        "meta": doc.meta,
        "tables": [table_dict(t) for t in doc.tables],
        "checks": [check_dict(c) for c in doc.checks],
        "narrative": doc.narrative,
        "performance_targets": doc.performance_targets,
        "sections": doc.sections,
        "warnings": doc.warnings + src.warnings,
    }


def document_json(doc: Document) -> str:
    return json.dumps(document_dict(doc), ensure_ascii=False, indent=1, default=str) + "\n"
