"""``metadata.json`` beside ``budget.sqlite``: the dataset as Datasette shows it.

A batch over the seed Markdown and a real 上海 PDF; Datasette (the ``datasette`` extra, in
``test``) is started on localhost with the batch's own command line, and each canned query
fetched as JSON must give exactly what the same SQL gives on the SQLite file.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import seed_facts

from budget_extract.batch import BatchOptions, run_batch
from budget_extract.emit.dataset import TABLES
from budget_extract.emit.datasette_meta import CANNED_QUERIES, DATABASE
from budget_extract.progress import LineProgress

FIX = Path(__file__).parent.parent / "fixtures"
SEED = "huaibei-hrss-info-center-2026-budget"
SHANGHAI = "上海市普陀区商务委员会2025年部门预算"


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    base = tmp_path_factory.mktemp("datasette")
    src = base / "in"
    src.mkdir()
    shutil.copy(FIX / f"{SEED}.md", src)
    shutil.copy(FIX / f"{SHANGHAI}.pdf", src)
    out = base / "out"
    result = run_batch(str(src), str(out), BatchOptions(jobs=2, xlsx=False),
                       LineProgress(io.StringIO()))
    assert result.count("ok") == 2
    return out


def test_metadata_describes_every_table_and_column(dataset):
    meta = json.loads((dataset / "metadata.json").read_text(encoding="utf-8"))
    tables = meta["databases"][DATABASE]["tables"]
    for t in TABLES:
        assert tables[t.name]["title"] == t.title
        assert set(tables[t.name]["columns"]) == set(t.names)
    assert tables["facts"]["facets"] == ["document", "table_kind", "side"]
    assert "元" in tables["facts"]["columns"]["amount_yuan"]  # the unit, in words
    assert set(meta["databases"][DATABASE]["queries"]) == set(CANNED_QUERIES)


def test_department_totals_query_on_the_sqlite_file(dataset):
    con = sqlite3.connect(dataset / "budget.sqlite")
    cur = con.execute(CANNED_QUERIES["department_totals"]["sql"])
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    got = {(r["document"], r["side"]): (r["row_label"], r["value"], r["unit"], r["page"])
           for r in rows}
    # page 9 of the 上海 PDF: 收入总计 371,514,655.00 | 支出总计 371,514,655.00 (元); the
    # seed's 收支总表: 收入总计 361.68 | 支出总计 361.68 (万元; Markdown has no pages)
    assert got[(SHANGHAI, "收入")] == ("收入总计", 371514655.0, "元", 9)
    assert got[(SHANGHAI, "支出")] == ("支出总计", 371514655.0, "元", 9)
    assert got[(SEED, "收入")] == ("收入总计", 361.68, "万元", None)
    assert got[(SEED, "支出")] == ("支出总计", 361.68, "万元", None)
    assert len(rows) == 4


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as r:  # noqa: S310 - localhost only
        return json.loads(r.read().decode("utf-8"))


@pytest.fixture(scope="module")
def datasette(dataset):
    pytest.importorskip("datasette")
    port = _free_port()
    # the command the docs give, on localhost
    proc = subprocess.Popen([sys.executable, "-m", "datasette", str(dataset / "budget.sqlite"),
                             "-m", str(dataset / "metadata.json"), "-h", "127.0.0.1",
                             "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=dict(os.environ, PYTHONUNBUFFERED="1"))
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(f"{base}/-/versions.json")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("Datasette did not start: "
                                         + proc.stderr.read().decode()) from None
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stderr.close()


@pytest.mark.slow  # starts a web server: a couple of seconds
@pytest.mark.parametrize("name,params", [
    ("department_totals", {}),
    ("failing_checks", {}),
    ("subject_across_documents", {"code": "2011301", "name": ""}),
    ("subject_across_documents", {"code": "", "name": "行政运行"}),
])
def test_canned_query_in_datasette_equals_the_sql(datasette, dataset, name, params):
    q = urllib.parse.urlencode({**params, "_shape": "objects"})
    got = _get(f"{datasette}/{DATABASE}/{name}.json?{q}")
    con = sqlite3.connect(dataset / "budget.sqlite")
    cur = con.execute(CANNED_QUERIES[name]["sql"], params)
    names = [d[0] for d in cur.description]
    want = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    assert got["rows"] == want
    assert want  # each query has rows on this dataset
    if name == "subject_across_documents":  # 2011301 行政运行: 上海 only, with its pages
        assert {r["document"] for r in want} == {SHANGHAI}
        assert all(r["page"] for r in want)
    if name == "failing_checks":  # the seed Markdown's six, from its shifted 收入总表
        assert sum(r["document"] == SEED for r in want) == seed_facts.FAILS


@pytest.mark.slow
def test_datasette_shows_the_titles_and_facets(datasette):
    facts = _get(f"{datasette}/{DATABASE}/facts.json?_size=0")
    assert {"document", "table_kind", "side"} <= set(facts["facet_results"])
    sides = {r["value"] for r in facts["facet_results"]["side"]["results"]}
    assert sides == {"收入", "支出", ""}
    meta = _get(f"{datasette}/-/metadata.json")
    assert meta["databases"][DATABASE]["tables"]["facts"]["title"] == "Facts"
