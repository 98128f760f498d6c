"""The document JSON (contract version 1): every table, check, narrative figure and target.

Formatting only: every value written here was set on the model by the pipeline
(``budget/interpret.py`` for kinds, column ids and amounts in 元).
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from typing import Any

from ..budget.kinds import published_kind
from ..model import Check, Document, NarrativeFigure, PerformanceTarget, Table

CONTRACT_VERSION = "1"

_TARGET_SCALARS = [f for f in fields(PerformanceTarget) if "label" in f.metadata]


def table_dict(t: Table) -> dict[str, Any]:
    rows = []
    for r in t.rows:
        rows.append({
            "row_no": r.row_no,
            "code": r.code,
            "label": r.label,
            "cells": {k: v.text for k, v in r.cells.items()},
            "values_yuan": r.values_yuan,
            "side": r.side,
            "page": r.page,
            "level": r.level,
            "parent_code": r.parent_code,
            "bbox": {k: [round(x, 2) for x in v.bbox] for k, v in r.cells.items() if v.bbox},
        })
        conf = {k: round(v.confidence, 3) for k, v in r.cells.items()
                if v.confidence is not None}
        if conf:  # cells read by OCR: their recognition confidence, 0–1
            rows[-1]["ocr_confidence"] = conf
    return {
        "table_no": t.table_no,
        "kind": published_kind(t.kind),
        # the finer kind behind a published contract id (basic_expenditure: all funds)
        **({"kind_detail": t.kind.value} if published_kind(t.kind) != t.kind else {}),
        "title": t.title,
        "unit": t.unit,
        **({"unit_name": t.unit_name} if t.unit_name else {}),  # a meta line in the grid
        "pages": t.pages,
        "empty": t.empty,
        "note": t.note,
        "columns": [list(c.path) for c in t.columns],
        "column_ids": t.column_ids,
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


def figure_dict(f: NarrativeFigure) -> dict[str, Any]:
    """A narrative figure; ``table_ref`` and ``check`` only when it was compared with a
    table."""
    d = asdict(f)
    for k in ("table_ref", "check"):
        if d[k] is None:
            del d[k]
    return d


def target_dict(t: PerformanceTarget) -> dict[str, Any]:
    """A performance target keyed by the labels printed on the form (the contract's keys)."""
    d: dict[str, Any] = {f.metadata["label"]: getattr(t, f.name) for f in _TARGET_SCALARS}
    d["indicators"] = [[i.level1, i.level2, i.level3, i.value] for i in t.indicators]
    d["warnings"] = t.warnings
    d["appearances"] = [asdict(a) for a in t.appearances]
    d["conflicts"] = t.conflicts
    return d


def document_dict(doc: Document) -> dict[str, Any]:
    src = doc.source
    return {
        "contract": CONTRACT_VERSION,
        "document": doc.stem,
        "source": {"path": src.path, "sha256": src.sha256, "format": src.format,
                   "pages": src.pages},
        "meta": asdict(doc.meta),
        "tables": [table_dict(t) for t in doc.tables],
        "checks": [check_dict(c) for c in doc.checks],
        "narrative": [figure_dict(f) for f in doc.narrative],
        "performance_targets": [target_dict(t) for t in doc.performance_targets],
        "sections": [asdict(s) for s in doc.sections],
        "warnings": doc.warnings,  # the reader's included (pipeline.build_document)
    }


def document_json(doc: Document) -> str:
    return json.dumps(document_dict(doc), ensure_ascii=False, indent=1, default=str) + "\n"
