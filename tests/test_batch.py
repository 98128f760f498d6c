"""``budget-extract batch``: a folder of every fixture plus a bad file, end to end.

One batch run (module fixture) over: the seed Markdown, its HTML version, the three seed
PDFs, the two real 上海市普陀区 PDFs (in a subfolder) and a file that is not a PDF.  The
tests check the combined facts, the SQLite dataset, the Frictionless package, the report
of the bad file, that a second run does nothing, that a batch interrupted with Ctrl-C
resumes to the same outputs, and that a crashing, hanging or memory-hungry input is
contained.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
import seed_facts
from cli_process import cli, cli_argv

from budget_extract.batch import BatchOptions, discover, document_ids, run_batch
from budget_extract.emit.combined import DATASET_FILES
from budget_extract.emit.csv_out import FACT_COLUMNS
from budget_extract.executors import LocalExecutor
from budget_extract.progress import LineProgress

FIX = Path(__file__).parent.parent / "fixtures"
SEED = "huaibei-hrss-info-center-2026-budget"
REAL = ["上海市普陀区人民政府万里街道办事处2025年部门预算.pdf",
        "上海市普陀区商务委员会2025年部门预算.pdf"]
SEED_FILES = [f"{SEED}.md", f"{SEED}.html", f"{SEED}.pdf", f"{SEED}-pagebreak.pdf",
              f"{SEED}-unruled.pdf"]
BAD = "broken.pdf"


def make_folder(root: Path) -> Path:
    root.mkdir(parents=True)
    for name in SEED_FILES:
        shutil.copy(FIX / name, root / name)
    (root / "shanghai").mkdir()
    for name in REAL:
        shutil.copy(FIX / name, root / "shanghai" / name)
    (root / BAD).write_bytes(b"<this is not a PDF>" * 50)
    (root / "notes.docx.tmp").write_text("ignored: not a supported file", encoding="utf-8")
    (root / ".hidden.md").write_text("# ignored: hidden", encoding="utf-8")
    return root


def files_of(outdir: Path, *, skip_report: bool = True) -> dict[str, bytes]:
    """Every output file (not the state folder), by relative path."""
    out = {}
    for p in sorted(outdir.rglob("*")):
        rel = p.relative_to(outdir).as_posix()
        if p.is_file() and not rel.startswith(".budget-extract/") and not (
                skip_report and rel == "report.json"):
            out[rel] = p.read_bytes()
    return out


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    base = tmp_path_factory.mktemp("batch")
    src = make_folder(base / "in")
    out = base / "out"
    log = io.StringIO()
    t0 = time.monotonic()
    result = run_batch(str(src), str(out), BatchOptions(jobs=2), LineProgress(log))
    return {"src": src, "out": out, "result": result, "log": log.getvalue(),
            "seconds": time.monotonic() - t0}


DOCS = {f"{SEED}.md", f"{SEED}.html", f"{SEED}.pdf", f"{SEED}-pagebreak",
        f"{SEED}-unruled", "shanghai/" + REAL[0][:-4], "shanghai/" + REAL[1][:-4]}


def test_document_ids_are_stems_unless_they_clash():
    ids = document_ids(["a.md", "a.pdf", "b.pdf", "sub/b.pdf", "report.pdf", "A.HTML",
                        "sub/report.md"])
    assert ids == {"a.md": "a.md", "a.pdf": "a.pdf", "A.HTML": "A.HTML", "b.pdf": "b",
                   "sub/b.pdf": "sub/b", "report.pdf": "report.pdf",
                   "sub/report.md": "sub/report"}


def test_discovery_skips_hidden_unsupported_and_the_output_folder(tmp_path):
    src = make_folder(tmp_path / "in")
    (src / "out").mkdir()
    (src / "out" / "x.md").write_text("# inside the output folder", encoding="utf-8")
    found = discover(str(src), str(src / "out"))
    assert {i.document for i in found} == DOCS | {"broken"}
    assert [i.source_path for i in found] == sorted(i.source_path for i in found)


def test_every_input_is_reported(batch):
    r = batch["result"]
    assert not r.interrupted and r.datasets_written
    by = {s.source_path: s for s in r.inputs}
    assert len(by) == 8
    assert {s.document for s in r.inputs if s.status == "ok"} == DOCS
    bad = by[BAD]
    assert bad.status == "failed" and "PDF" in bad.error
    report = json.loads((batch["out"] / "report.json").read_text(encoding="utf-8"))
    assert report["summary"]["ok"] == 7 and report["summary"]["failed"] == 1
    rep_bad = next(i for i in report["inputs"] if i["source_path"] == BAD)
    assert rep_bad["status"] == "failed" and rep_bad["error"] == bad.error
    line = f"error: {batch['src'] / BAD}: {bad.error}"
    assert line in batch["log"].splitlines()


def test_per_document_outputs(batch):
    out = batch["out"]
    for doc in DOCS:
        for suffix in (".json", ".facts.csv", ".xlsx"):
            assert (out / f"{doc}{suffix}").is_file(), doc + suffix
        assert list((out / doc).glob("*.csv"))
        meta = json.loads((out / f"{doc}.json").read_text(encoding="utf-8"))
        assert meta["document"] == doc
        assert not os.path.isabs(meta["source"]["path"])
    assert not list(out.rglob("*.part"))


def test_combined_facts_are_the_documents_facts(batch):
    out = batch["out"]
    rows = read_csv(out / "facts.csv")
    assert list(rows[0])[:len(FACT_COLUMNS)] == FACT_COLUMNS
    expected = []
    for doc in sorted(DOCS):
        expected += read_csv(out / f"{doc}.facts.csv")
    assert [{k: r[k] for k in FACT_COLUMNS} for r in rows] == expected
    md = [r for r in rows if r["document"] == f"{SEED}.md"]
    assert len(md) == seed_facts.FACTS
    first = next(r for r in md if r["row_label"] == "一、一般公共预算收入")
    assert (first["column"], first["value"], first["amount_yuan"]) == (
        "收入/预算数", "358.58", "3585800.00")
    assert (first["unit_name"], first["year"], first["phase"]) == (
        "淮北市人力资源和社会保障局信息中心", "2026", "approved")
    basic = [r for r in md if r["table_kind"] == "general_budget_basic_expenditure"
             and r["row_code"] == "30101"]
    assert basic and all(r["economic_code"] == "30101" and not r["functional_code"]
                         for r in basic)
    keys = [(r["document"], r["table"], r["row_no"], r["column"]) for r in rows]
    assert len(keys) == len(set(keys))


def test_sqlite_dataset(batch):
    out = batch["out"]
    con = sqlite3.connect(out / "budget.sqlite")
    docs = {r[0] for r in con.execute("SELECT document FROM documents")}
    assert docs == DOCS
    n_facts = con.execute("SELECT COUNT(*) FROM facts").fetchone()[0]
    assert n_facts == len(read_csv(out / "facts.csv"))
    assert con.execute("SELECT status, error FROM inputs WHERE source_path = ?",
                       (BAD,)).fetchone()[0] == "failed"
    # totals by year and unit (docs/dataset.md): the seed's 收入总计 in 元
    total = con.execute("""
        SELECT SUM(amount_yuan) FROM facts
        WHERE document = ? AND table_kind = 'income_expenditure_summary'
          AND row_label = '收入总计'""", (f"{SEED}.md",)).fetchone()[0]
    assert total == pytest.approx(3616800.0)
    by_year = dict(con.execute("""
        SELECT year, COUNT(DISTINCT unit_name) FROM documents GROUP BY year"""))
    assert by_year == {2025: 2, 2026: 1}
    n_checks = con.execute("SELECT COUNT(*) FROM checks").fetchone()[0]
    assert n_checks == sum(s.checks for s in batch["result"].inputs)
    failed = con.execute("SELECT COUNT(*) FROM failed_checks").fetchone()[0]
    assert failed == sum(s.checks_failed for s in batch["result"].inputs)
    # the document-level findings are rows like the others: the seed's blank reason
    warned = con.execute("SELECT id FROM checks WHERE document = ? AND status = 'warn'",
                         (f"{SEED}.md",)).fetchall()
    assert [r[0] for r in warned] == ["hygiene.empty_reason"]
    n_targets = con.execute("SELECT COUNT(*) FROM performance_targets WHERE document = ?",
                            (f"{SEED}.md",)).fetchone()[0]
    assert n_targets > 0
    indexes = {r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'idx_%'")}
    assert {"idx_facts_table_kind_column", "idx_facts_row_code", "idx_checks_status",
            "idx_documents_year_unit_name"} <= indexes
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute("SELECT COUNT(*) FROM facts_full").fetchone()[0] == n_facts


def test_datapackage_validates(batch):
    from frictionless import validate

    out = batch["out"]
    pkg = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    paths = {r["path"] for r in pkg["resources"]}
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*.csv")}
    assert paths == on_disk  # a schema for every CSV
    facts = next(r for r in pkg["resources"] if r["name"] == "facts")
    fields = {f["name"]: f for f in facts["schema"]["fields"]}
    assert fields["value"]["type"] == "number" and fields["value"]["columnType"] == "value"
    assert fields["year"]["columnType"] == "date:fiscal-year"
    assert fields["functional_code"]["columnType"] == "functional-classification:generic:code"
    assert fields["economic_code"]["columnType"] == "economic-classification:generic:code"
    assert fields["phase"]["columnType"] == "phase:id"
    assert facts["schema"]["primaryKey"] == ["document", "table", "row_no", "column"]
    assert all(f.get("description") for r in pkg["resources"] for f in r["schema"]["fields"])
    report = validate(str(out / "datapackage.json"))
    errors = [(t.name, e.message) for t in report.tasks for e in t.errors]
    assert report.valid, errors[:5]


def test_second_run_does_nothing(batch):
    out = batch["out"]
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()
              and p.name != "report.json"}
    contents = files_of(out)
    log = io.StringIO()
    r = run_batch(str(batch["src"]), str(out), BatchOptions(jobs=2), LineProgress(log))
    assert r.extracted == 0 and r.reused == 8 and not r.datasets_written
    assert r.count("failed") == 1  # the bad file stays failed, and says so
    assert f"error: {batch['src'] / BAD}:" in log.getvalue()
    after = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()
             and p.name != "report.json"}
    assert {p: t for p, t in after.items() if ".budget-extract" not in p.parts} == {
        p: t for p, t in before.items() if ".budget-extract" not in p.parts}
    assert files_of(out) == contents
    # ``--page-timeout 10`` is the default said explicitly: it reuses too
    r = run_batch(str(batch["src"]), str(out), BatchOptions(jobs=2, page_timeout=10))
    assert r.extracted == 0 and r.reused == 8
    assert files_of(out) == contents


def test_only_a_page_timeout_other_than_the_default_changes_the_signature():
    default = BatchOptions().signature()
    assert BatchOptions(page_timeout=10).signature() == default
    assert BatchOptions(page_timeout=10.0).signature() == default
    assert BatchOptions(page_timeout=2.5).signature() != default
    assert BatchOptions(page_timeout=0).signature() != default  # 0: no budget at all


@pytest.mark.slow  # see the README's tests section
def test_interrupted_batch_resumes_to_the_same_outputs(batch, tmp_path):
    src = make_folder(tmp_path / "in")
    out = tmp_path / "out"
    cmd = cli_argv("batch", src, "-o", out, "-j", "1")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    journal = out / ".budget-extract" / "state.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        # one document done: the rest (seven more) is still running when Ctrl-C comes
        if journal.exists() and journal.read_text(encoding="utf-8").count("\n") >= 1:
            break
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole process group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()
    assert "Traceback" not in err.decode()
    assert not list(out.rglob("*.part")) and not list(out.rglob(".tmp-*"))
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["interrupted"] and report["summary"]["pending"] > 0
    assert not (out / "facts.csv").exists()  # datasets come only from a finished run
    for st in report["inputs"]:  # a finished document is complete; nothing else is there
        done = (out / f"{st['document']}.json").exists()
        assert done == (st["status"] == "ok")
        if done:
            assert (out / f"{st['document']}.facts.csv").exists()

    p = subprocess.run([*cmd[:-1], "2"], capture_output=True, timeout=300)  # resume on 2
    assert p.returncode == 1, p.stderr.decode()  # the bad file
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["summary"]["reused"] >= 1 and report["summary"]["pending"] == 0
    assert files_of(out) == files_of(batch["out"])  # byte for byte, datasets included


@pytest.mark.slow  # see the README's tests section
def test_crash_hang_and_memory_hog_are_contained(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("good.md", "crash.md", "hang.md", "hog.md"):
        shutil.copy(FIX / f"{SEED}.md", src / name)
    out = tmp_path / "out"
    from batch_workers import misbehaving  # tests/ is on sys.path, so workers find it too

    ex = LocalExecutor(jobs=2, timeout=2, memory_mb=1024, worker=misbehaving)
    log = io.StringIO()
    t0 = time.monotonic()
    r = run_batch(str(src), str(out), BatchOptions(jobs=2), LineProgress(log), executor=ex)
    assert time.monotonic() - t0 < 60
    by = {s.document: s for s in r.inputs}
    assert by["good"].status == "ok"
    assert "crashed (SIGSEGV)" in by["crash"].error
    assert "time limit" in by["hang"].error
    assert "memory" in by["hog"].error
    for name in ("crash", "hang", "hog"):
        assert f"error: {src / (name + '.md')}: " in log.getvalue()
        assert not (out / f"{name}.json").exists()
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [i["status"] for i in report["inputs"]] == ["failed", "ok", "failed", "failed"]
    assert all((out / f).exists() for f in DATASET_FILES)
    rows = read_csv(out / "facts.csv")
    assert {r["document"] for r in rows} == {"good"}


def test_excel_csv_writes_a_bom_and_still_validates(tmp_path):
    from frictionless import validate

    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(FIX / f"{SEED}.md", src / "seed.md")
    out = tmp_path / "out"
    r = run_batch(str(src), str(out), BatchOptions(jobs=1, bom=True, xlsx=False))
    assert r.count("ok") == 1
    for p in (out / "facts.csv", out / "seed.facts.csv", out / "seed" /
              "01-income_expenditure_summary.csv"):
        assert p.read_bytes().startswith("\ufeff".encode())
    assert not (out / "seed.xlsx").exists()
    report = validate(str(out / "datapackage.json"))
    assert report.valid, [e.message for t in report.tasks for e in t.errors][:5]
    # changing an option redoes the input (its outputs depend on it)
    r = run_batch(str(src), str(out), BatchOptions(jobs=1, bom=False, xlsx=False))
    assert r.extracted == 1
    assert not (out / "facts.csv").read_bytes().startswith("\ufeff".encode())


def test_cli_usage_errors(tmp_path):
    assert cli("batch", tmp_path / "missing", "-o", tmp_path / "o").returncode == 2
    (tmp_path / "empty").mkdir()
    p = cli("batch", tmp_path / "empty", "-o", tmp_path / "o")
    assert p.returncode == 2 and "no supported files" in p.stderr
    assert cli("batch", tmp_path / "empty").returncode == 2  # no -o
    assert cli("batch", tmp_path / "empty", "-o", tmp_path / "o", "-j", "0").returncode == 2
    p = cli("batch", tmp_path / "empty", "-o", tmp_path / "o", "--scheduler", "tcp://x:1")
    assert p.returncode == 2


def test_cli_batch_summary(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(FIX / f"{SEED}.md", src / "seed.md")
    (src / "empty.md").write_text("", encoding="utf-8")
    p = cli("batch", src, "-o", tmp_path / "out", "--no-xlsx")
    assert p.returncode == 1
    lines = p.stderr.splitlines()
    assert sum(ln.startswith("error: ") for ln in lines) == 1
    assert any(ln.startswith("batch done — 2 inputs: 1 ok, 1 failed") for ln in lines)
    assert any(f"{seed_facts.FACTS} facts" in ln for ln in lines)


def test_documented_schema_and_sql_examples(batch):
    """docs/dataset.md lists every column, and its SQL examples run on the batch's DB."""
    import re

    from budget_extract.emit.dataset import TABLES

    doc = (Path(__file__).parent.parent / "docs" / "dataset.md").read_text(encoding="utf-8")
    for t in TABLES:
        assert f"### `{t.name}`" in doc
        for f in t.fields:
            assert f"| `{f.name}` | {f.type} |" in doc, (t.name, f.name)
    con = sqlite3.connect(batch["out"] / "budget.sqlite")
    blocks = re.findall(r"```sql\n(.*?)```", doc, re.S)
    ran = 0
    for block in blocks:
        if block.lstrip().startswith("CREATE TABLE"):
            continue  # the schema itself
        for stmt in block.split(";"):
            body = "\n".join(ln for ln in stmt.splitlines() if not ln.strip().startswith("--"))
            if not body.strip() or ("->>" in body and sqlite3.sqlite_version_info < (3, 38)):
                continue
            rows = con.execute(body).fetchall()
            ran += 1
            if "收入总计_万元" in body:
                assert (2025, "上海市普陀区商务委员会", 37151.47,
                        "shanghai/上海市普陀区商务委员会2025年部门预算") in rows
    assert ran >= 6


def test_a_review_page_cannot_take_another_documents_name():
    """``a.md`` writes its review page ``a.html``; ``a.html.md`` must not get the id
    ``a.html`` (its folder ``a.html/`` would be that file)."""
    from budget_extract.batch import unique_ids

    ids = unique_ids(["a.md", "a.html.md"])
    assert ids[0] == "a" and ids[1] != "a.html"
    written = {f"{i}{s}" for i in ids for s in ("", ".json", ".facts.csv", ".xlsx", ".html")}
    assert len(written) == 2 * 5  # no file or folder of one is a file or folder of the other
