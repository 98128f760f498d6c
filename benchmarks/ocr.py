"""The OCR path: seconds per page, peak memory and facts F1 on the scanned fixtures.

Run from the repository root (needs the ``ocr`` extra)::

    python benchmarks/ocr.py                 # the fixtures in fixtures/scan/
    python benchmarks/ocr.py --no-score      # timings only

Each fixture is extracted in its own subprocess (peak RSS is its own; one onnxruntime
thread, as a batch worker runs it).  CPU seconds are counted per page around the OCR of
that page (render, straighten, rulings, recognition) and for the whole extraction.  F1 is
``../shared/tools/score_facts.py`` against the text-layer extraction of the same pages of
the original PDF (the seed, or the real 上海 and 北京 files), whose facts were checked by
hand against the page images for the pages used.

Measured numbers (F1 1.000 on both fixtures, 2.5–4 CPU-s a page): docs/ocr.md.

img2table was not measured here (the issue's own measurement: 0.743 with the same OCR).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCAN = os.path.join(ROOT, "fixtures", "scan")
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
sys.path.insert(0, os.path.join(ROOT, "fixtures", "build"))

WORKER = r"""
import json, resource, sys, time
import budget_extract
import budget_extract.readers.pdf.ocr.page as P
from budget_extract import api

per_page = []
orig = P.ocr_page
def timed(page, number):
    t = time.process_time()
    out = orig(page, number)
    per_page.append({"page": number, "cpu": time.process_time() - t,
                     "segments": len(out.objects.segments), "chars": len(out.objects.chars),
                     "skew": out.skew})
    return out
P.ocr_page = timed
t0, c0 = time.perf_counter(), time.process_time()
doc = budget_extract.extract(sys.argv[1])
api.write_outputs(doc, sys.argv[2])
print(json.dumps({"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "pages": per_page, "facts": len(api.facts(doc)),
                  "failed_checks": sum(c.status == "fail" for c in doc.checks)}))
"""


def reference(original: str, pages: list[int], outdir: str) -> str:
    """The text-layer facts of ``pages`` (1-based) of ``original``: the yardstick."""
    import pypdfium2 as pdfium

    os.makedirs(outdir, exist_ok=True)
    sub = os.path.join(outdir, "reference.pdf")
    new = pdfium.PdfDocument.new()
    new.import_pages(pdfium.PdfDocument(original), [p - 1 for p in pages])
    new.save(sub)
    env = dict(os.environ, PYTHONPATH=ROOT)
    subprocess.run([sys.executable, "-m", "budget_extract.cli", "extract", sub, "-o", outdir],
                   check=True, env=env, capture_output=True)
    return os.path.join(outdir, "reference.facts.csv")


def f1(gold: str, pred_dir: str) -> str:
    tool = os.path.join(SHARED, "tools", "score_facts.py")
    if not os.path.exists(tool):
        return "n/a"
    out = subprocess.run([sys.executable, tool, gold, pred_dir], capture_output=True,
                         text=True).stdout.strip().splitlines()
    return out[-1] if out else "n/a"


def main() -> None:
    import make_scan_fixtures as build

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-score", action="store_true", help="timings only")
    args = ap.parse_args()
    runs = [("seed scan", "huaibei-hrss-info-center-2026-budget-scan.pdf", str(build.SEED),
             build.SEED_PAGES),
            ("degraded real scan", "shanghai-commerce-2025-degraded-scan.pdf",
             str(build.REAL), build.DEGRADED_PAGES),
            ("degraded 北京 scan (faint rulings)", "beijing-justice-2026-degraded-scan.pdf",
             str(build.BEIJING), build.BEIJING_PAGES)]
    env = dict(os.environ, PYTHONPATH=ROOT, OMP_NUM_THREADS="1")
    print("| fixture | pages | CPU s/page (mean, max) | CPU s | wall s | peak RSS MB | facts | "
          "F1 |")
    print("|---|---|---|---|---|---|---|---|")
    for name, file, original, pages in runs:
        with tempfile.TemporaryDirectory() as tmp:
            pred = os.path.join(tmp, "pred")
            res = subprocess.run([sys.executable, "-c", WORKER, os.path.join(SCAN, file), pred],
                                 check=True, env=env, capture_output=True, text=True)
            r = json.loads(res.stdout.strip().splitlines()[-1])
            cpus = [p["cpu"] for p in r["pages"]]
            score = "-"
            if not args.no_score and os.path.exists(original):
                score = f1(reference(original, pages, os.path.join(tmp, "ref")), pred)
            print(f"| {name} | {len(cpus)} | {sum(cpus) / len(cpus):.2f}, {max(cpus):.2f} | "
                  f"{r['cpu']:.1f} | {r['wall']:.1f} | {r['rss_mb']:.0f} | {r['facts']} | "
                  f"{score} |")


if __name__ == "__main__":
    main()
