"""``datapackage.json``: a Frictionless Data Package describing every CSV the batch wrote.

Each resource has a Table Schema (types, descriptions, primary and foreign keys) and each
field that fits a Fiscal Data Package ``columnType`` carries it (``value`` for amounts,
``date:fiscal-year``, ``functional-classification:generic:code``,
``economic-classification:generic:code``, ``phase:id`` …), so fiscal-data tools can map the
data without guessing.  The package holds no creation time: the same dataset gives the
same bytes.

Wide tables (``S/NN-KIND.csv``) have one column per printed header path; their schema is
inferred from the CSV text itself (:func:`wide_schema`), so it always matches the file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from typing import Any

from ..numtext import is_placeholder
from .dataset import DATASET_VERSION, FACTS, TABLES, Field, TableDef

FDP_TAXONOMY = "https://specs.frictionlessdata.io/taxonomies/fiscal/budgets.json"
_GROUPED_NUMBER = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


def _field(f: Field) -> dict[str, Any]:
    d: dict[str, Any] = {"name": f.name, "type": f.type, "description": f.description}
    if f.type == "boolean":
        d["trueValues"], d["falseValues"] = ["true"], ["false"]
    if f.required:
        d["constraints"] = {"required": True}
    if f.column_type:
        d["columnType"] = f.column_type
    return d


def table_schema(t: TableDef, fields: tuple[Field, ...] | None = None,
                 primary_key: bool = True) -> dict[str, Any]:
    schema: dict[str, Any] = {"fields": [_field(f) for f in (fields or t.fields)],
                              "missingValues": [""]}
    if primary_key:
        schema["primaryKey"] = list(t.primary_key)
        fks = [{"fields": list(a), "reference": {"resource": ref, "fields": list(b)}}
               for a, ref, b in t.foreign_keys]
        if fks:
            schema["foreignKeys"] = fks
    return schema


def _resource_id(document: str) -> str:
    """A valid, stable resource-name stem for a document (names must be lowercase ASCII)."""
    return "doc-" + hashlib.sha1(document.encode("utf-8")).hexdigest()[:12]


def wide_schema(csv_text: str, roles: dict[str, str], descriptions: dict[str, str],
                column_type_of_code: str | None) -> dict[str, Any]:
    """A Table Schema for a wide table CSV: ``row_no`` integer (the key); a value column
    whose every cell is a plain (possibly comma-grouped) number or a dash placeholder is a
    number with its FDP ``value`` columnType; everything else stays a string.  A dash is
    what :func:`~budget_extract.numtext.is_placeholder` says it is, the rule that makes a
    column of dashes an amount column in the first place (``tables/build._roles``)."""
    text = csv_text.lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0] if rows else ["row_no"]
    body = rows[1:]
    fields: list[dict[str, Any]] = []
    placeholders: set[str] = set()
    for j, name in enumerate(header):
        values = [r[j] for r in body if j < len(r) and r[j] != ""]
        if j == 0:
            fields.append({"name": name, "type": "integer",
                           "description": "Body row number (the facts' row_no).",
                           "constraints": {"required": True}})
            continue
        role = roles.get(name, "value")
        f: dict[str, Any] = {"name": name, "description": descriptions.get(name, name)}
        real = [v for v in values if not is_placeholder(v)]
        if role in ("value", "quantity", "percent") and all(
                _GROUPED_NUMBER.match(v) for v in real):
            f["type"] = "number"
            if any("," in v for v in real):
                f["groupChar"] = ","
            f["columnType"] = role
            placeholders |= {v for v in values if is_placeholder(v)}
        else:
            f["type"] = "string"
            if role == "code" and column_type_of_code:
                f["columnType"] = column_type_of_code
        fields.append(f)
    return {"fields": fields, "missingValues": [""] + sorted(placeholders),
            "primaryKey": [header[0]]}


def build_datapackage(documents: list[dict[str, Any]], *, bom: bool = False,
                      title: str = "") -> dict[str, Any]:
    """The package descriptor.

    ``documents`` are, in order, ``{"document", "facts_csv", "wide": [{"path", "title",
    "schema"}]}`` — what each document contributed beyond the combined tables.
    """
    enc = "utf-8-sig" if bom else "utf-8"
    resources: list[dict[str, Any]] = []
    for t in TABLES:
        if not t.csv:
            continue
        resources.append({
            "name": t.name, "path": f"{t.name}.csv", "title": t.title,
            "description": t.description, "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": enc,
            "schema": table_schema(t),
        })
    contract_fields = tuple(f for f in FACTS.fields if f.name in (
        "document", "table_no", "table_kind", "row_no", "row_code", "row_label", "column",
        "value", "unit", "page", "table_title"))
    for d in documents:
        rid = _resource_id(d["document"])
        resources.append({
            "name": f"{rid}-facts", "path": d["facts_csv"],
            "title": f"{d['document']}: facts",
            "description": "This document's facts with the contract's columns (a slice of "
                           "facts.csv; no primary key: table_no may be blank or repeated).",
            "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
            "encoding": enc, "schema": table_schema(FACTS, contract_fields, False),
        })
        for w in d.get("wide", []):
            resources.append({
                "name": f"{rid}-{w['name']}", "path": w["path"],
                "title": f"{d['document']}: {w['title']}",
                "description": w.get("description", ""),
                "profile": "tabular-data-resource", "format": "csv",
                "mediatype": "text/csv", "encoding": enc, "schema": w["schema"],
            })
    return {
        "profile": "tabular-data-package",
        "name": "budget-extract-dataset",
        "title": title or "Chinese government budget disclosures (budget_extract)",
        "description": "Tables, facts, accounting checks, narrative figures and performance "
                       "targets extracted from 部门预算/单位预算公开 documents by budget_extract. "
                       "Fields carry Fiscal Data Package columnTypes (taxonomy: "
                       f"{FDP_TAXONOMY}).",
        "version": DATASET_VERSION,
        "keywords": ["budget", "fiscal-data-package", "部门预算", "China"],
        "resources": resources,
    }


def datapackage_json(descriptor: dict[str, Any]) -> str:
    return json.dumps(descriptor, ensure_ascii=False, indent=1) + "\n"
