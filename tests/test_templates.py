"""The shared real PDFs of other provinces' templates, measured against hand-checked expectations.

Each ``tests/expected/<stem>.json`` was written from the printed pages (pdftotext -layout word
positions and the rendered pages, counted independently of this package; 广州 and 国家信访局 from
the hand-checked gold in ../shared/gold), never from the program's output: per printed table its
number, kind, title, unit, pages, fact count, value-column header paths and a sample of facts at
the hard spots (continuation pages, right-hand panels, wrapped labels, deep header paths).

The tests are parametrised per (document, table) so that a fixer sees exactly which tables come
out right.  What fails today is listed in the expected file under ``known_failing`` (``tables``:
table numbers; ``checks``: the document has failing checks beyond its source defects, each of
which names the checks it excuses by id and cited pages;
``document``: document-wide problems such as stray tables).  Those tests are marked
``xfail(strict=True)``: when a fix makes one pass, it XPASSes and the suite fails, telling the fixer
to remove that entry from ``known_failing``.

The PDFs live outside the repository (``shared/real`` next to the checkout, or in a parent of it,
or $BUDGET_EXTRACT_REAL); each is extracted once per session, through ``tests/real_docs.py`` like
every other module's, and the tests skip with a reason when that folder is absent.  ``benchmarks/templates.py`` reuses the
comparison functions below on the CLI's output files.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import real_docs
from real_docs import real_dir  # noqa: F401 - benchmarks/templates.py finds the PDFs with it

EXPECTED = Path(__file__).resolve().parent / "expected"
PLACEHOLDER = re.compile(r"(^|/)列\s*\d+($|/)")
NUMBER_LABEL = re.compile(r"栏次|行次|^\*+$")
NUMBER_COLUMN = re.compile(r"(^|/)(栏次|行次)($|/)")


def load_expected() -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(EXPECTED.glob("*.json"))]


# ---------------------------------------------------------------------------------------------
# Comparison, on the contract's outputs: the document JSON (dict) and the facts (dicts with the
# facts.csv columns).  Each function returns the list of problems, empty when right.


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def value_columns(table: dict[str, Any], roles_wanted: tuple[str, ...] = ("value",)) -> list[str]:
    """The '/'-joined header paths of a table's value columns (stub and code columns left out;
    with ``DATA_ROLES``, the figures that are not money too)."""
    roles = table.get("column_roles") or ["value"] * len(table.get("columns", []))
    return ["/".join(p) for p, r in zip(table.get("columns", []), roles, strict=False)
            if r in roles_wanted]


# Columns of figures: money, and the quantity/percent columns an expectation lists as
# ``non_money_columns`` (kept in the table, never facts).
DATA_ROLES = ("value", "quantity", "percent")


def numbering_facts(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Facts that are 栏次/行次 numbers: labelled so, or a row whose values are exactly 1..N."""
    bad = [f for f in facts if NUMBER_LABEL.search(_norm(f.get("row_label", "")))
           or NUMBER_COLUMN.search(f.get("column") or "")]
    rows: dict[Any, list[dict[str, Any]]] = {}
    for f in facts:
        rows.setdefault((f["table_no"], f["row_no"]), []).append(f)
    for row in rows.values():
        vals = sorted(row, key=lambda f: int(f["value"]) if re.fullmatch(r"\d+", f["value"]) else -1)
        if len(row) >= 3 and [f["value"] for f in vals] == [str(i) for i in range(1, len(row) + 1)]:
            bad.extend(f for f in row if f not in bad)
    return bad


def _sample_matches(fact: dict[str, Any], want: dict[str, Any]) -> bool:
    for key in ("row_label", "row_code"):
        if want.get(key) is not None and _norm(fact.get(key, "")) != _norm(want[key]):
            return False
    if want.get("page") is not None and str(fact.get("page", "")) != str(want["page"]):
        return False
    return fact.get("column") == want["column"] and fact.get("value") == want["value"]


def _titles_agree(want: str, got: str) -> bool:
    want, got = _norm(want), _norm(got)
    return bool(got) and (want in got or (len(got) >= 4 and got in want))


def _alternatives(exp_doc: dict[str, Any] | None, no: str) -> list[dict[str, Any]]:
    return [a for a in (exp_doc or {}).get("accept_alternatives", []) if str(a["table_no"]) == no]


def _accept(fact: dict[str, Any], alternatives: list[dict[str, Any]]) -> dict[str, Any]:
    """A fact in an accepted alternative form (as listed in the expected file, e.g. the gold's
    bracketed codes or a 其中 header level) rewritten into the expected form."""
    for alt in alternatives:
        if all(_norm(str(fact.get(k, ""))) == _norm(v) for k, v in alt["match"].items()):
            return {**fact, **alt["replace"]}
    return fact


def table_problems(doc: dict[str, Any], facts: list[dict[str, Any]],
                   exp: dict[str, Any], exp_doc: dict[str, Any] | None = None) -> list[str]:
    """Everything about one expected table that the extraction gets wrong.

    ``exp_doc`` (the whole expected file) supplies ``accept_alternatives``: listed variants of a
    label, code or column path that are as right as the expected form.
    """
    no = str(exp["table_no"])
    alternatives = _alternatives(exp_doc, no)
    facts = [_accept(f, alternatives) if str(f["table_no"]) == no else f for f in facts]
    problems = []
    found = [t for t in doc.get("tables", []) if str(t.get("table_no")) == no]
    if not found:
        # Judge the rest on the table(s) printed on the expected pages, so that a fixer sees
        # everything that is wrong, not only the number.
        found = [t for t in doc.get("tables", []) if t.get("pages")
                 and set(t["pages"]) <= set(exp["pages"]) and t.get("kind") != "performance_target"]
        if not found:
            near = [(t.get("table_no"), t.get("kind"), t.get("pages"))
                    for t in doc.get("tables", []) if set(t.get("pages", [])) & set(exp["pages"])]
            return [f"no table numbered {no}; tables on its pages: {near}"]
        problems.append(f"no table numbered {no}; on its pages: "
                        f"{[(t.get('table_no'), t.get('pages')) for t in found]}")
        keys = {(str(t.get("table_no")), p) for t in found for p in t.get("pages", [])}
        facts = [{**f, "table_no": no} if (str(f["table_no"]), f.get("page")) in keys else
                 ({**f, "table_no": f"other:{f['table_no']}"} if str(f["table_no"]) == no else f)
                 for f in facts]
    if len(found) > 1:
        problems.append(f"{len(found)} tables for 表{no} (pages "
                        f"{[t.get('pages') for t in found]}): continuation not joined?")
    table = found[0]
    if table.get("kind") != exp["kind"]:
        problems.append(f"kind {table.get('kind')!r}, expected {exp['kind']!r}")
    if not _titles_agree(exp["title"], table.get("title", "")):
        problems.append(f"title {table.get('title')!r}, expected {exp['title']!r}")
    if table.get("unit") != exp["unit"]:
        problems.append(f"unit {table.get('unit')!r}, expected {exp['unit']!r}")
    pages = sorted({p for t in found for p in t.get("pages", [])})
    if pages != exp["pages"]:
        problems.append(f"pages {pages}, expected {exp['pages']}")
    if bool(table.get("empty")) != exp["empty"]:
        problems.append(f"empty={table.get('empty')}, expected {exp['empty']}")
    mine = [f for f in facts if str(f["table_no"]) == no]
    if len(mine) != exp["facts"]:
        problems.append(f"{len(mine)} facts, expected {exp['facts']}")
    cols = {_accept({"column": c}, alternatives)["column"]
            for t in found for c in value_columns(t, DATA_ROLES)}
    placeholders = sorted(c for c in cols if PLACEHOLDER.search(c))
    if placeholders:
        problems.append(f"placeholder columns {placeholders}")
    missing = [c for c in exp["columns"] if c not in cols]
    if missing:
        problems.append(f"header paths missing {missing}; has {sorted(cols)}")
    allowed = set(exp["columns"]) - set(exp.get("non_money_columns", []))
    stray = sorted({f["column"] for f in mine} - allowed)
    if stray:
        problems.append(f"facts in columns not expected as money columns: {stray}")
    numbering = numbering_facts(mine)
    if numbering:
        problems.append(f"{len(numbering)} 栏次/行次 numbers as facts, e.g. "
                        f"{[(f['row_label'], f['column'], f['value']) for f in numbering[:3]]}")
    for want in exp.get("sample", []):
        if not any(_sample_matches(f, want) for f in mine):
            problems.append(f"sample fact missing: {want}")
    return problems


def _check_pages(check: dict[str, Any]) -> list[int]:
    """The pages a check's refs cite (the printed cells and statements it compares)."""
    return sorted({r["page"] for r in check.get("refs", []) if r.get("page") is not None})


def _accepted(check: dict[str, Any], defects: list[dict[str, Any]]) -> bool:
    """A failing check is excused only by a source defect that names it: its exact id and
    the pages it cites.  (A check that merely mentions one of the defect's figures, or the
    same check on other pages, is not.)"""
    return any(e["check"] == check.get("id") and e["pages"] == _check_pages(check)
               for d in defects for e in d.get("excuses", []))


def check_problems(doc: dict[str, Any], exp_doc: dict[str, Any]) -> list[str]:
    """Failing checks that no listed source defect explains."""
    defects = exp_doc.get("source_defects", [])
    return [f"{c.get('id')}: {c.get('message')}" for c in doc.get("checks", [])
            if c.get("status") == "fail" and not _accepted(c, defects)]


def _kind_ok(table: dict[str, Any], unnumbered: dict[str, Any]) -> bool:
    """An unnumbered expected table's kind; None when the contract has no kind for it."""
    return unnumbered["kind"] is None or table.get("kind") == unnumbered["kind"]


def document_problems(doc: dict[str, Any], facts: list[dict[str, Any]],
                      exp_doc: dict[str, Any]) -> list[str]:
    """Document-wide: the phase, stray tables with facts, placeholders, 栏次, the fact total."""
    problems = []
    phase = (doc.get("meta") or {}).get("budget_phase")
    if phase != exp_doc["budget_phase"]:  # a missing phase is a problem too
        problems.append(f"budget_phase {phase!r}, expected {exp_doc['budget_phase']!r}")
    numbered = {str(t["table_no"]) for t in exp_doc["tables"]}
    extra = exp_doc.get("unnumbered_tables", [])
    for t in doc.get("tables", []):
        no = str(t.get("table_no"))
        if no in numbered:
            continue
        n = sum(1 for f in facts
                if str(f["table_no"]) == no and f.get("page") in t.get("pages", []))
        if not n:
            continue
        if any(_kind_ok(t, u) and set(t.get("pages", [])) <= set(u["pages"]) for u in extra):
            continue
        if no == "" and any(set(t.get("pages", [])) <= set(e["pages"]) for e in exp_doc["tables"]):
            continue   # an expected table without its number: reported by table_problems
        problems.append(f"unexpected table {no or '(no number)'} {t.get('kind')} {t.get('title')!r} "
                        f"pages {t.get('pages')} with {n} facts")
    for u in extra:
        got = [t for t in doc.get("tables", [])
               if _kind_ok(t, u) and set(t.get("pages", [])) & set(u["pages"])]
        keys = {(str(t.get("table_no")), p) for t in got for p in t.get("pages", [])}
        n = sum(1 for f in facts if (str(f["table_no"]), f.get("page")) in keys)
        if not got:
            problems.append(f"unnumbered {u['kind'] or 'table'} on pages {u['pages']} not found")
        elif n != u["facts"]:
            problems.append(f"unnumbered {u['kind'] or 'table'} on pages {u['pages']}: {n} facts, "
                            f"expected {u['facts']}")
    # A 绩效目标 form is laid out as printed, one 列N column per grid column (no header, no
    # facts: the contract sends it to performance_targets); placeholders elsewhere are wrong.
    cols = {c for t in doc.get("tables", []) if t.get("kind") != "performance_target"
            for c in value_columns(t)}
    placeholders = sorted(c for c in cols if PLACEHOLDER.search(c))
    if placeholders:
        problems.append(f"placeholder columns {placeholders[:5]}")
    if numbering_facts(facts):
        problems.append(f"{len(numbering_facts(facts))} 栏次/行次 numbers as facts")
    want = exp_doc["facts_total"] + sum(u["facts"] for u in extra)
    if len(facts) != want:
        problems.append(f"{len(facts)} facts in all, expected {want}")
    return problems


def tables_matching(doc: dict[str, Any], facts: list[dict[str, Any]],
                    exp_doc: dict[str, Any]) -> int:
    return sum(1 for t in exp_doc["tables"] if not table_problems(doc, facts, t, exp_doc))


# ---------------------------------------------------------------------------------------------
# The tests.

DOCS = load_expected()


@cache
def outputs(stem: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One real PDF as the contract's outputs: (document JSON, facts), from the session's
    shared extraction (``tests/real_docs.py``; skips the test without the PDF)."""
    from budget_extract.api import facts as facts_of
    from budget_extract.api import to_json

    doc = real_docs.doc(stem)
    facts = [{"table_no": f.table_no, "table_kind": f.table_kind, "row_no": f.row_no,
              "row_code": f.row_code, "row_label": f.row_label, "column": f.column,
              "value": f.value, "unit": f.unit, "page": f.page} for f in facts_of(doc)]
    return json.loads(to_json(doc)), facts


def _xfail(exp_doc: dict[str, Any], what: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=(
        f"known failing ({what}); when it passes, remove it from known_failing in "
        f"tests/expected/{exp_doc['document']}.json"))


def _table_params() -> list[Any]:
    out = []
    for d in DOCS:
        known = {int(n) for n in d["known_failing"].get("tables", [])}
        for t in d["tables"]:
            marks = [_xfail(d, f"table {t['table_no']}")] if t["table_no"] in known else []
            out.append(pytest.param(d, t, id=f"{d['document']}-表{t['table_no']}", marks=marks))
    return out


def _doc_params(key: str) -> list[Any]:
    return [pytest.param(d, id=d["document"],
                         marks=[_xfail(d, key)] if d["known_failing"].get(key) else [])
            for d in DOCS]


def test_expected_files_are_consistent() -> None:
    """The expected files themselves: numbers unique, totals add up, samples inside the table."""
    assert len(DOCS) >= 11
    for d in DOCS:
        nos = [t["table_no"] for t in d["tables"]]
        assert len(nos) == len(set(nos)), d["document"]
        assert d["facts_total"] == sum(t["facts"] for t in d["tables"]), d["document"]
        for t in d["tables"]:
            assert t["empty"] == (t["facts"] == 0), (d["document"], t["table_no"])
            assert t["columns"] and t["pages"] == sorted(t["pages"]), (d["document"], t["table_no"])
            for s in t["sample"]:
                assert s["column"] in t["columns"], (d["document"], t["table_no"], s)
                assert s["page"] is None or s["page"] in t["pages"], (d["document"], s)
                assert re.fullmatch(r"-?\d+(\.\d+)?", s["value"]), s
            assert t["facts"] == 0 or t["sample"], (d["document"], t["table_no"])
        assert set(d["known_failing"]["tables"]) <= set(nos), d["document"]
        for defect in d.get("source_defects", []):
            assert set(defect) == {"what", "tables", "excuses"}, (d["document"], defect)
            for e in defect["excuses"]:  # each names one check id and the pages it cites
                assert set(e) == {"check", "pages"} and "." in e["check"], (d["document"], e)
                assert e["pages"] and e["pages"] == sorted(set(e["pages"])), (d["document"], e)


def test_a_source_defect_excuses_only_the_check_it_names() -> None:
    """国家信访局's 表4 prints 社会保障和就业支出 2,208.19 (p. 9) where 表5 has 2,156.86
    (p. 10): the listed defect excuses that comparison, not another failing check that
    prints the same figure, nor the same comparison on other pages."""
    [exp_doc] = [d for d in DOCS if d["document"] == "国家信访局2026年部门预算"]
    cid = "cross.general_budget_expenditure_class=fiscal_grant_summary_item.社会保障和就业支出"

    def failing(check_id: str, pages: list[int]) -> dict[str, Any]:
        return {"id": check_id, "status": "fail", "message": "… 2,208.19 …",
                "refs": [{"page": p, "value": "2,208.19"} for p in pages]}

    def problems(*checks: dict[str, Any]) -> list[str]:
        return check_problems({"checks": list(checks)}, exp_doc)

    assert problems(failing(cid, [9, 10])) == []
    assert len(problems(failing(cid, [9, 12]))) == 1
    assert len(problems(failing("claims.share.社会保障和就业支出", [18]))) == 1
    assert len(problems(failing("expenditure_summary.code_tree.208.合计", [7]))) == 1


@pytest.mark.parametrize("exp_doc,exp", _table_params())
def test_table(exp_doc: dict[str, Any], exp: dict[str, Any]) -> None:
    doc, facts = outputs(exp_doc["document"])
    problems = table_problems(doc, facts, exp, exp_doc)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("exp_doc", _doc_params("checks"))
def test_no_false_failing_check(exp_doc: dict[str, Any]) -> None:
    doc, _ = outputs(exp_doc["document"])
    problems = check_problems(doc, exp_doc)
    assert not problems, f"{len(problems)} failing checks:\n" + "\n".join(problems[:10])


@pytest.mark.parametrize("exp_doc", _doc_params("document"))
def test_document(exp_doc: dict[str, Any]) -> None:
    doc, facts = outputs(exp_doc["document"])
    problems = document_problems(doc, facts, exp_doc)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("exp_doc", [pytest.param(d, id=d["document"]) for d in DOCS])
def test_no_document_finding(exp_doc: dict[str, Any]) -> None:
    """The structure and text checks (目录 vs tables, empty tables, placeholders, years…)
    find nothing in these documents: none of them is wrong there.  The blank 决算 template
    records its placeholders as by design (one ``hygiene.template`` skip)."""
    doc, _ = outputs(exp_doc["document"])
    found = [f"{c['id']}: {c['message']}" for c in doc.get("checks", [])
             if c["id"].startswith(("structure.", "hygiene.")) and c["status"] in ("fail", "warn")]
    assert not found, "\n".join(found)
    ids = {c["id"] for c in doc["checks"]}
    assert ("hygiene.template" in ids) == (exp_doc["facts_total"] == 0)
