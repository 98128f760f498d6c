"""The Python API (``to_json/facts/records/to_pandas`` of a document) and the SQLite ingest."""

from __future__ import annotations

import copy
import json
import sqlite3
from pathlib import Path

import pytest
import seed_facts

import budget_extract
from budget_extract.api import facts, records, to_json, to_pandas
from budget_extract.emit.dataset import FACTS, TABLES, phase_id
from budget_extract.emit.sqlite_out import connect, ingest, schema_sql

FIX = Path(__file__).parent.parent / "fixtures"
SEED = FIX / "huaibei-hrss-info-center-2026-budget.md"


@pytest.fixture(scope="module")
def doc(extracted):
    return extracted(SEED)


def test_to_json_is_the_contract_document(doc, tmp_path):
    budget_extract.write_outputs(doc, str(tmp_path))
    assert to_json(doc) == (tmp_path / f"{doc.stem}.json").read_text(encoding="utf-8")
    d = json.loads(to_json(doc))
    assert d["contract"] == "1" and d["document"] == doc.stem


def test_facts_are_typed(doc):
    fs = facts(doc)
    assert len(fs) == seed_facts.FACTS
    f = fs[0]
    assert (f.table_kind, f.row_label, f.column, f.value, f.unit) == (
        "income_expenditure_summary", "一、一般公共预算收入", "收入/预算数", "358.58", "万元")


def test_records_follow_the_schema(doc):
    recs = records(doc, "in/seed.md")
    defs = {t.name: t for t in TABLES}
    for name, rows in recs.items():
        if name not in defs:
            continue
        for row in rows:
            assert set(row) == set(defs[name].names), name
    assert recs["documents"][0]["source_path"] == "in/seed.md"
    assert len(recs["facts"]) == seed_facts.FACTS
    assert recs["documents"][0]["phase"] == "approved"


def test_to_pandas(doc):
    pd = pytest.importorskip("pandas")
    df = to_pandas(doc)
    assert list(df.columns) == FACTS.names and len(df) == seed_facts.FACTS
    assert df["value"].dtype.kind == "f" and str(df["row_no"].dtype) == "Int64"
    total = df.loc[(df.table_kind == "income_expenditure_summary")
                   & (df.row_label == "收入总计"), "amount_yuan"].sum()
    assert total == pytest.approx(3616800.0)
    tables = to_pandas(doc, "tables")
    assert len(tables) == len(doc.tables) and tables["empty"].dtype == pd.BooleanDtype()
    with pytest.raises(ValueError):
        to_pandas(doc, "nope")


def test_reingest_replaces_a_documents_rows(doc):
    con = connect(":memory:")
    recs = records(doc, "seed.md")
    ingest(con, recs)
    counts = {t.name: con.execute(f'SELECT COUNT(*) FROM "{t.name}"').fetchone()[0]
              for t in TABLES}
    ingest(con, recs)  # the same document again: replaced, not doubled
    again = {t.name: con.execute(f'SELECT COUNT(*) FROM "{t.name}"').fetchone()[0]
             for t in TABLES}
    assert again == counts and counts["facts"] == seed_facts.FACTS
    fewer = copy.deepcopy(recs)
    fewer["facts"] = fewer["facts"][:10]
    ingest(con, fewer)  # a corrected document: its old rows are gone
    assert con.execute("SELECT COUNT(*) FROM facts").fetchone()[0] == 10
    other = copy.deepcopy(recs)
    for rows in other.values():
        for r in rows:
            if "document" in r:
                r["document"] = "other"
    ingest(con, other)
    assert con.execute("SELECT COUNT(*) FROM facts").fetchone()[0] == 10 + seed_facts.FACTS


def test_schema_is_valid_sql():
    con = sqlite3.connect(":memory:")
    con.executescript(schema_sql())
    names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"documents", "tables", "facts", "checks", "narrative", "performance_targets",
            "performance_indicators", "inputs", "meta"} <= names


def test_phase_ids():
    assert [phase_id(x) for x in ("预算", "决算", "调整预算", "预算草案", "")] == [
        "approved", "executed", "adjusted", "proposed", ""]


def test_a_wide_column_of_amounts_and_dashes_is_a_number_column():
    """The datapackage's wide-table schema reads a dash the way the table reader does
    (``numtext.is_placeholder``): ``…`` and ``―`` printed for zero beside amounts leave
    其他收入 a number column, each dash a missing value; 项目 stays text."""
    from budget_extract.emit.datapackage import wide_schema

    text = "row_no,项目,合计,其他收入\n1,合计,\"1,200.00\",…\n2,某单位,100.00,―\n"
    schema = wide_schema(text, {"项目": "stub", "合计": "value", "其他收入": "value"}, {}, None)
    types = {f["name"]: f["type"] for f in schema["fields"]}
    assert types == {"row_no": "integer", "项目": "string", "合计": "number",
                     "其他收入": "number"}
    assert schema["missingValues"] == ["", "―", "…"]
