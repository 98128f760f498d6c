"""Pages per CPU-second of the whole pipeline with each PDF engine, against the libraries.

Run from the repository root::

    python benchmarks/engines.py              # real PDFs (../shared/real) + fixture PDFs, 3 rounds
    python benchmarks/engines.py --rounds 5 --no-camelot

One run measures, on the same files:

* ``pipeline-pdfium`` / ``pipeline-pdfplumber`` — ``budget_extract.extract`` (reading,
  tables, headers, checks, narrative) and the facts CSV, with each engine;
* ``pdfplumber-tables`` — pdfplumber's bare ``page.extract_tables()`` on every page;
* ``camelot-lattice`` — ``camelot.read_pdf(flavor="lattice")`` (only if camelot is
  installed: ``pip install 'budget_extract[camelot]'``);
* ``pdfium-floor`` — the least any PDFium reader must do: every character's box and every
  path object's segments, through pypdfium2's raw API;
* ``start`` — CPU of the whole process tree of one ``budget-extract extract`` of a tiny
  Markdown file (the fixed cost a user pays per call).

Each measurement is CPU seconds (``time.process_time``: the machine is shared, wall time
wanders) inside a worker process that has already imported its libraries; each engine
handles all files in one process per round, rounds interleave the engines, and the table
gives per-engine medians over rounds and the ratios.  Peak memory is each worker's VmHWM.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "real"

WORKER = r"""
import json, sys, time
engine, paths = sys.argv[1], sys.argv[2:]
if engine.startswith("pipeline"):
    import budget_extract
    from budget_extract.facts import document_facts
    from budget_extract.emit.csv_out import facts_csv
    budget_extract.extract  # the pipeline's modules, imported before the clock starts
    import budget_extract.api, budget_extract.readers.pdf, budget_extract.readers.pdf.pdfium
    budget_extract.readers.pdf.pdfium._raw()  # pypdfium2 loaded, as the floor's import does
    if engine == "pipeline-pdfplumber":
        import pdfplumber
elif engine == "pdfplumber-tables":
    import pdfplumber
elif engine == "camelot-lattice":
    import camelot
else:
    import ctypes
    import pypdfium2, pypdfium2.raw as R

def floor(path):
    pdf = R.FPDF_LoadDocument(path.encode("utf-8"), None)
    n = R.FPDF_GetPageCount(pdf)
    l, r, b, t = (ctypes.c_double() for _ in range(4))
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(n):
        page = R.FPDF_LoadPage(pdf, i)
        tp = R.FPDFText_LoadPage(page)
        for k in range(R.FPDFText_CountChars(tp)):
            R.FPDFText_GetUnicode(tp, k)
            R.FPDFText_GetCharBox(tp, k, l, r, b, t)
        R.FPDFText_ClosePage(tp)
        stack = [(page, None)]
        while stack:
            owner, form = stack.pop()
            count = R.FPDFFormObj_CountObjects(form) if form else R.FPDFPage_CountObjects(owner)
            for j in range(count):
                obj = R.FPDFFormObj_GetObject(form, j) if form else R.FPDFPage_GetObject(owner, j)
                kind = R.FPDFPageObj_GetType(obj)
                if kind == R.FPDF_PAGEOBJ_PATH:
                    for s in range(R.FPDFPath_CountSegments(obj)):
                        R.FPDFPathSegment_GetPoint(R.FPDFPath_GetPathSegment(obj, s), x, y)
                elif kind == R.FPDF_PAGEOBJ_FORM:
                    stack.append((owner, obj))
        R.FPDF_ClosePage(page)
    R.FPDF_CloseDocument(pdf)
    return n

out = {}
for path in paths:
    t0 = time.process_time()
    if engine.startswith("pipeline"):
        doc = budget_extract.extract(path, pdf_engine=engine.split("-")[1])
        facts_csv(document_facts(doc))
        pages = doc.source.pages
    elif engine == "pdfplumber-tables":
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_tables()
                page.close()
            pages = len(pdf.pages)
    elif engine == "camelot-lattice":
        camelot.read_pdf(path, pages="all", flavor="lattice")
        pages = 0
    else:
        pages = floor(path)
    out[path] = [time.process_time() - t0, pages]
peak = next(int(line.split()[1]) / 1024 for line in open("/proc/self/status")
            if line.startswith("VmHWM:"))
print(json.dumps({"files": out, "peak_mb": peak}))
"""

START = r"""
import ctypes, os, resource, subprocess, sys
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER: the worker's CPU counts too
md, outdir = sys.argv[1], sys.argv[2]
before = resource.getrusage(resource.RUSAGE_CHILDREN)
subprocess.run([sys.executable, "-m", "budget_extract.cli", "extract", md, "-o", outdir, "-q"],
               check=True)
while True:
    try:
        os.wait()
    except ChildProcessError:
        break
after = resource.getrusage(resource.RUSAGE_CHILDREN)
print(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
"""

TINY_MD = """# 某单位2026年部门预算

收入总表

单位：万元

| 项目 | 合计 | 一般公共预算拨款收入 |
|---|---|---|
| 合计 | 1.00 | 1.00 |
| 某单位 | 1.00 | 1.00 |
"""


def worker(engine: str, paths: list[str]) -> dict | None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    p = subprocess.run([sys.executable, "-c", WORKER, engine, *paths], capture_output=True,
                       text=True, cwd=str(ROOT), env=env)
    if p.returncode != 0:
        print(f"  {engine} failed: {(p.stderr.strip().splitlines() or ['?'])[-1]}",
              file=sys.stderr)
        return None
    return json.loads(p.stdout.strip().splitlines()[-1])


def start_cost(tmp: str) -> float:
    md = os.path.join(tmp, "tiny.md")
    Path(md).write_text(TINY_MD, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    p = subprocess.run([sys.executable, "-c", START, md, os.path.join(tmp, "out")],
                       capture_output=True, text=True, cwd=str(ROOT), env=env, check=True)
    return float(p.stdout.strip())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-camelot", action="store_true")
    ap.add_argument("--engines", help="comma-separated subset of the engines to run "
                    "(e.g. pipeline-pdfium,pdfium-floor while iterating)")
    args = ap.parse_args()
    files = sorted(str(p) for p in REAL.glob("*.pdf")) if REAL.is_dir() else []
    names = {os.path.basename(f) for f in files}
    files += [str(p) for p in sorted((ROOT / "fixtures").glob("*.pdf")) if p.name not in names]
    engines = ["pipeline-pdfium", "pipeline-pdfplumber", "pdfplumber-tables", "pdfium-floor"]
    try:
        import camelot  # noqa: F401
        if not args.no_camelot:
            engines.append("camelot-lattice")
    except ImportError:
        print("camelot is not installed: its column is skipped", file=sys.stderr)
    if args.engines:
        engines = [e for e in engines if e in args.engines.split(",")]
    cpu: dict[str, dict[str, list[float]]] = {e: {f: [] for f in files} for e in engines}
    peak: dict[str, list[float]] = {e: [] for e in engines}
    pages: dict[str, int] = {}
    starts: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            for e in engines[r % len(engines):] + engines[:r % len(engines)]:  # interleaved
                res = worker(e, files)
                if res is None:
                    continue
                peak[e].append(res["peak_mb"])
                for f, (sec, n) in res["files"].items():
                    cpu[e][f].append(sec)
                    if n:
                        pages[f] = n
            starts.append(start_cost(tmp))
            print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)
    med = {e: {f: statistics.median(v) for f, v in d.items() if v} for e, d in cpu.items()}
    total_pages = sum(pages.get(f, 0) for f in files)
    cols = engines
    print("| file | pages | " + " | ".join(f"{e} s" for e in cols)
          + " | pdfium / tables | pdfium / floor | pdfplumber / tables |")
    print("|---|---|" + "---|" * (len(cols) + 3))

    def ratio(a: str, b: str, f: str | None = None) -> str:
        if a not in med or b not in med:
            return "–"
        if f is None:
            x = sum(med[a].get(g, 0) for g in files)
            y = sum(med[b].get(g, 0) for g in files)
        else:
            x, y = med[a].get(f), med[b].get(f)
        return f"{x / y:.2f}" if x and y else "–"

    for f in files:
        print(f"| {os.path.basename(f)[:24]} | {pages.get(f, '?')} | "
              + " | ".join(f"{med[e].get(f, float('nan')):.3f}" for e in cols)
              + f" | {ratio('pipeline-pdfium', 'pdfplumber-tables', f)}"
              f" | {ratio('pipeline-pdfium', 'pdfium-floor', f)}"
              f" | {ratio('pipeline-pdfplumber', 'pdfplumber-tables', f)} |")
    tot = {e: sum(med[e].get(f, 0) for f in files) for e in cols}
    print(f"| **all** | {total_pages} | " + " | ".join(f"{tot[e]:.2f}" for e in cols)
          + f" | **{ratio('pipeline-pdfium', 'pdfplumber-tables')}**"
          f" | **{ratio('pipeline-pdfium', 'pdfium-floor')}**"
          f" | **{ratio('pipeline-pdfplumber', 'pdfplumber-tables')}** |")
    print()
    print("| engine | pages per CPU-s | peak MB per worker |")
    print("|---|---|---|")
    for e in cols:
        pps = f"{total_pages / tot[e]:.1f}" if tot[e] and e != "camelot-lattice" else (
            f"{sum(pages.get(f, 0) for f in med[e]) / tot[e]:.1f}" if tot[e] else "–")
        print(f"| {e} | {pps} | {max(peak[e], default=0):.0f} |")
    print(f"\nstart cost of one `extract` of a tiny Markdown file: "
          f"{statistics.median(starts):.3f} CPU-s (median of {len(starts)})")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "engines.json").write_text(json.dumps(
        {"cpu_median": med, "pages": pages, "peak_mb": peak, "start_cpu": starts},
        indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
