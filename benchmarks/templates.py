"""How the shared real PDFs of other templates come out: one command, one Markdown table.

Run from the repository root::

    python benchmarks/templates.py                 # writes docs/templates.md
    python benchmarks/templates.py --real DIR --out docs/templates.md --label "after #10"

For every PDF in the shared real folder (``shared/real`` beside the checkout or one of its
parents, or --real) it runs the command line (``python -m budget_extract.cli extract``, this
checkout first on the import path) in its own process and times it, then reads the outputs:

- tables: the document's grid tables (numbered or not), and how many have kind ``unknown``;
- facts: rows of the facts CSV;
- coverage: the share of amounts printed on table pages that come out as facts of that page
  (绩效目标 form pages aside), from ``template_health.py`` in the shared tools folder when it
  is there (run as a subprocess), with its clean verdict;
- failing checks, as the document reports them;
- tables matching expectations: of the tables in ``tests/expected/<stem>.json`` (hand-checked,
  written from the pages), how many come out right by the same comparison the tests use
  (``tests/test_templates.py``: number, kind, title, unit, pages, fact count, header paths,
  sample facts, no placeholder column, no 栏次 fact); and expected vs extracted facts.

Why a subprocess per file: the timing is the user's (start-up, reading, writing all outputs),
and one bad file cannot take the others down.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _load_comparison() -> Any:
    """The tests' comparison functions (one definition of 'right', shared with the suite)."""
    path = ROOT / "tests" / "test_templates.py"
    if str(path.parent) not in sys.path:  # it imports tests/real_docs.py (where the PDFs are)
        sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location("test_templates", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _health(tool: Path | None, pdf: Path, facts: Path, doc: Path) -> dict[str, str]:
    """template_health.py's one-line verdict, parsed ({} when the tool is absent or fails)."""
    if tool is None or not tool.exists():
        return {}
    proc = subprocess.run([sys.executable, str(tool), str(pdf), str(facts), str(doc)],
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0 or not proc.stdout.strip():
        return {}
    out: dict[str, str] = {}
    for part in proc.stdout.split():
        if "=" in part:
            key, value = part.split("=", 1)
            out[key] = value
        elif part.startswith("(") and part.endswith(")"):
            out["cov_counts"] = part.strip("()")
    return out


def measure(pdf: Path, workdir: Path, tool: Path | None, cmp: Any,
            expected: dict[str, Any] | None) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(ROOT)] + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else [])))
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "budget_extract.cli", "extract", str(pdf),
                           "-o", str(workdir)], capture_output=True, text=True, env=env,
                          timeout=1800)
    seconds = time.perf_counter() - t0
    stem = pdf.stem
    row: dict[str, Any] = {"stem": stem, "seconds": seconds, "exit": proc.returncode}
    doc_path, facts_path = workdir / f"{stem}.json", workdir / f"{stem}.facts.csv"
    if proc.returncode != 0 or not doc_path.exists():
        row["error"] = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return row
    doc = json.loads(doc_path.read_text(encoding="utf-8"))
    with open(facts_path, encoding="utf-8-sig", newline="") as fh:
        facts = list(csv.DictReader(fh))
    for f in facts:
        f["page"] = int(f["page"]) if f.get("page") else None
    grid = [t for t in doc.get("tables", []) if t.get("kind") != "performance_target"]
    row.update(tables=len(grid), unknown=sum(1 for t in grid if t.get("kind") == "unknown"),
               facts=len(facts),
               fails=sum(1 for c in doc.get("checks", []) if c.get("status") == "fail"))
    health = _health(tool, pdf, facts_path, doc_path)
    row["cov"] = health.get("cov")
    row["cov_counts"] = health.get("cov_counts")
    row["clean"] = health.get("clean")
    if expected is not None:
        row["expected_tables"] = len(expected["tables"])
        row["matching"] = cmp.tables_matching(doc, facts, expected)
        row["expected_facts"] = expected["facts_total"] + sum(
            u["facts"] for u in expected.get("unnumbered_tables", []))
        row["false_fails"] = len(cmp.check_problems(doc, expected))
        row["problems"] = {str(t["table_no"]): probs for t in expected["tables"]
                           if (probs := cmp.table_problems(doc, facts, t, expected))}
        row["document_problems"] = cmp.document_problems(doc, facts, expected)
    return row


def render(rows: list[dict[str, Any]], label: str, real: Path, details: bool = True) -> str:
    lines = [
        "# Real templates: how the shared real PDFs come out",
        "",
        f"Regenerate with `python benchmarks/templates.py` (this table: {label}, "
        f"{dt.date.today().isoformat()}, PDFs from the shared "
        f"`{real.parent.name}/{real.name}/` folder).",
        "",
        "Columns: **tables** grid tables extracted (绩效目标 forms aside); **unknown** of them "
        "with kind `unknown`; **facts** extracted / expected by hand (`tests/expected/`); "
        "**coverage** share of the amounts printed on table pages that come out as facts of "
        "that page (绩效目标 form pages aside; `template_health.py`); **fails** failing checks "
        "(of them not explained by a listed source defect); **matching** tables that come out "
        "exactly as expected (number, kind, title, unit, pages, fact count, header paths, "
        "sample facts, no 列N, no 栏次) / tables expected; **clean** template_health's verdict; "
        "**s** seconds for the whole command (one process per file, noisy shared machine).",
        "",
        "| document | tables | unknown | facts / expected | coverage | fails (false) | "
        "matching | clean | s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    totals = {"match": 0, "exp": 0}
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['stem']} | error: {r['error']} | | | | | | | {r['seconds']:.1f} |")
            continue
        exp_facts = f" / {r['expected_facts']}" if "expected_facts" in r else ""
        cov = f"{float(r['cov']):.3f} ({r['cov_counts']})" if r.get("cov") else "–"
        fails = f"{r['fails']} ({r['false_fails']})" if "false_fails" in r else str(r["fails"])
        match = f"{r['matching']}/{r['expected_tables']}" if "matching" in r else "–"
        if "matching" in r:
            totals["match"] += r["matching"]
            totals["exp"] += r["expected_tables"]
        lines.append(f"| {r['stem']} | {r['tables']} | {r['unknown']} | {r['facts']}{exp_facts} "
                     f"| {cov} | {fails} | {match} | {r.get('clean') or '–'} | "
                     f"{r['seconds']:.1f} |")
    lines += ["", f"Tables matching expectations in all: {totals['match']} of {totals['exp']}.", ""]
    if details:
        lines += ["## What is wrong, per table", "",
                  "The first problems `tests/test_templates.py` reports for each table that does "
                  "not match (shortened), then the document-wide ones.", ""]
        for r in rows:
            if not r.get("problems") and not r.get("document_problems"):
                continue
            lines += [f"### {r['stem']}", ""]
            for no, probs in r.get("problems", {}).items():
                text = "; ".join(_short(p) for p in probs[:4])
                more = f" (+{len(probs) - 4} more)" if len(probs) > 4 else ""
                lines.append(f"- 表{no}: {text}{more}")
            for p in r.get("document_problems", [])[:4]:
                lines.append(f"- document: {_short(p)}")
            lines.append("")
    return "\n".join(lines)


def _short(text: str, width: int = 160) -> str:
    text = text.replace("|", "/").replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def main(argv: list[str] | None = None) -> int:
    cmp = _load_comparison()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--real", type=Path, default=cmp.real_dir(), help="folder of real PDFs")
    ap.add_argument("--tool", type=Path, default=None,
                    help="template_health.py (default: tools/ beside the real folder)")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "templates.md")
    ap.add_argument("--label", default="current code")
    ap.add_argument("--only", nargs="*", help="file stems to run (default: every PDF)")
    ap.add_argument("--no-details", action="store_true", help="leave out the per-table problems")
    args = ap.parse_args(argv)
    if args.real is None or not Path(args.real).is_dir():
        print("error: no shared real PDFs found (use --real DIR)", file=sys.stderr)
        return 2
    real = Path(args.real)
    tool = args.tool or real.parent / "tools" / "template_health.py"
    expected = {d["document"]: d for d in cmp.load_expected()}
    pdfs = sorted(real.glob("*.pdf"))
    if args.only:
        pdfs = [p for p in pdfs if p.stem in set(args.only)]
    rows = []
    with tempfile.TemporaryDirectory(prefix="templates-") as tmp:
        for pdf in pdfs:
            row = measure(pdf, Path(tmp), tool, cmp, expected.get(pdf.stem))
            brief = {k: v for k, v in row.items() if k not in ("problems", "document_problems")}
            print(json.dumps(brief, ensure_ascii=False), file=sys.stderr)
            rows.append(row)
    text = render(rows, args.label, real, details=not args.no_details)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
