"""Speed and memory of budget_extract against pdfplumber's and camelot's own table extraction.

Run from the repository root::

    python benchmarks/run.py              # all fixtures, 3 repeats each
    python benchmarks/run.py --repeat 5 --no-camelot
    python benchmarks/run.py --big 1000   # also a 1,000-page PDF built by repeating fixtures

Every engine runs in its own subprocess (so peak RSS is its own) over the same files in one
run, and the report gives ratios, because this machine is noisy: absolute seconds wander,
ratios measured side by side do not.  Results go to stdout as a Markdown table and to
``benchmarks/results/latest.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "fixtures")

WORKER = r"""
import json, resource, sys, time
engine, path, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
best = None
pages = 0
for _ in range(repeat):
    t0 = time.perf_counter()
    if engine == "budget_extract":
        import budget_extract
        from budget_extract.facts import document_facts
        from budget_extract.emit.csv_out import facts_csv
        doc = budget_extract.extract(path)
        facts_csv(document_facts(doc))
        pages = doc.source.pages or 1
    elif engine == "pdfplumber":
        import pdfplumber
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_tables()
                page.close()
            pages = len(pdf.pages)
    elif engine == "camelot":
        import camelot
        tables = camelot.read_pdf(path, pages="all", flavor="lattice")
        import pdfplumber
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
    dt = time.perf_counter() - t0
    best = dt if best is None else min(best, dt)
# VmHWM is this process's own peak (ru_maxrss survives exec and would show the parent's)
rss = next((int(line.split()[1]) / 1024 for line in open("/proc/self/status")
            if line.startswith("VmHWM:")),
           resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
print(json.dumps({"seconds": best, "pages": pages, "peak_mb": rss}))
"""


def run(engine: str, path: str, repeat: int) -> dict | None:
    p = subprocess.run([sys.executable, "-c", WORKER, engine, path, str(repeat)],
                       capture_output=True, text=True, cwd=ROOT)
    if p.returncode != 0:
        err = (p.stderr.strip().splitlines() or ["?"])[-1]
        print(f"  {engine} failed on {os.path.basename(path)}: {err}", file=sys.stderr)
        return None
    return json.loads(p.stdout.strip().splitlines()[-1])


def build_big(pages: int, out: str) -> str:
    """A long PDF made by repeating the real fixtures' pages (pypdf-free: pdfplumber's
    pypdfium2 dependency can copy pages)."""
    import pypdfium2 as pdfium

    srcs = [os.path.join(FIXTURES, f) for f in sorted(os.listdir(FIXTURES))
            if f.endswith(".pdf")]
    dst = pdfium.PdfDocument.new()
    while len(dst) < pages:
        for s in srcs:
            src = pdfium.PdfDocument(s)
            n = min(len(src), pages - len(dst))
            dst.import_pages(src, list(range(n)))
            src.close()
            if len(dst) >= pages:
                break
    dst.save(out)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-camelot", action="store_true")
    ap.add_argument("--big", type=int, default=0, help="also a PDF of this many pages")
    args = ap.parse_args()
    files = [os.path.join(FIXTURES, f) for f in sorted(os.listdir(FIXTURES))
             if f.endswith((".pdf", ".md", ".html"))]
    tmp = tempfile.mkdtemp()
    if args.big:
        files.append(build_big(args.big, os.path.join(tmp, f"big-{args.big}.pdf")))
    try:
        import camelot  # noqa: F401
        have_camelot = not args.no_camelot
    except ImportError:
        have_camelot = False
    results = []
    print("| file | pages | budget_extract s (pages/s) | MB | pdfplumber extract_tables s | "
          "ratio | camelot lattice s | ratio |")
    print("|---|---|---|---|---|---|---|---|")
    for f in files:
        ours = run("budget_extract", f, args.repeat)
        row = {"file": os.path.basename(f), "budget_extract": ours}
        plumb = cam = None
        if f.endswith(".pdf"):
            plumb = run("pdfplumber", f, args.repeat)
            if have_camelot and not os.path.basename(f).startswith("big-"):
                cam = run("camelot", f, 1)
        row.update(pdfplumber=plumb, camelot=cam)
        results.append(row)
        if ours is None:
            continue
        pages = ours["pages"]
        r_pl = f"{ours['seconds'] / plumb['seconds']:.2f}" if plumb else "–"
        r_cam = f"{ours['seconds'] / cam['seconds']:.3f}" if cam else "–"
        print(f"| {row['file']} | {pages} | {ours['seconds']:.3f} ({pages / ours['seconds']:.1f})"
              f" | {ours['peak_mb']:.0f} | {plumb['seconds'] if plumb else '–'} | {r_pl} | "
              f"{cam['seconds'] if cam else '–'} | {r_cam} |")
    os.makedirs(os.path.join(ROOT, "benchmarks", "results"), exist_ok=True)
    with open(os.path.join(ROOT, "benchmarks", "results", "latest.json"), "w",
              encoding="utf-8") as fh:
        json.dump({"when": time.strftime("%Y-%m-%d"), "results": results}, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
