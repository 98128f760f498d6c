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

IMG2TABLE_WORKER = r"""
import json, resource, sys, time
from img2table.document import PDF
from img2table.ocr._types import OCRData, OCRInstance
import budget_extract
from budget_extract import api
from budget_extract.model import Source
from budget_extract.pipeline import build_document
from budget_extract.readers.pdf.ocr.engine import TextLine, engine
from budget_extract.readers.pdf.ocr.page import _chars
from budget_extract.readers.pdf.page import page_blocks
from budget_extract.readers.pdf.page_model import PageObjects, Segment

SCALE = 200 / 72  # img2table renders PDF pages at 200 dpi


class SameOcr(OCRInstance):
    # img2table's OCR interface around this project's recogniser (same models, settings)
    def __init__(self, pages):
        self.pages = pages  # id of a page image -> its index in the file
        self.lines = {}

    def of(self, document):  # called with the pages img2table found tables on
        records = {}
        for page, img in enumerate(document.images):
            index = self.pages.get(id(img))
            if index is None:
                index = next(k for k, im in enumerate(PAGES) if im.shape == img.shape
                             and (im == img).all())
            res, _ = engine()(img)
            for i, (quad, text, conf) in enumerate(res or []):
                xs = [p[0] for p in quad]; ys = [p[1] for p in quad]
                records.setdefault(page, []).append({
                    "id": f"word_{page + 1}_{i + 1}", "parent": f"word_{page + 1}_{i + 1}",
                    "value": text, "confidence": int(100 * conf), "x1": int(min(xs)),
                    "y1": int(min(ys)), "x2": int(max(xs)), "y2": int(max(ys))})
                self.lines.setdefault(index, []).append(TextLine(
                    min(xs) / SCALE, min(ys) / SCALE, max(xs) / SCALE, max(ys) / SCALE,
                    str(text), float(conf)))
        return OCRData(records=records) if records else None


t0, c0 = time.perf_counter(), time.process_time()
doc = PDF(sys.argv[1], pdf_text_extraction=False, detect_rotation=True)  # and deskew
PAGES = doc.images
ocr = SameOcr({id(im): k for k, im in enumerate(PAGES)})
tables = doc.extract_tables(ocr=ocr, implicit_rows=False, borderless_tables=False,
                            min_confidence=50)
rest = [k for k in range(len(PAGES)) if k not in ocr.lines]
if rest:  # img2table reads only the pages it found a table on; the titles of the rest
    from types import SimpleNamespace
    ocr.of(SimpleNamespace(images=[PAGES[k] for k in rest]))
blocks = []
for page, img in enumerate(doc.images):
    h, w = img.shape[:2]
    segs = []
    for t in tables.get(page, []):
        seen = set()
        for row in t.content.values():
            for cell in row:
                b = cell.bbox
                box = (b.x1 / SCALE, b.y1 / SCALE, b.x2 / SCALE, b.y2 / SCALE)
                if box in seen:
                    continue
                seen.add(box)
                x0, y0, x1, y1 = box
                segs += [Segment(x0, y0, x1, y0), Segment(x0, y1, x1, y1),
                         Segment(x0, y0, x0, y1), Segment(x1, y0, x1, y1)]
    chars = [c for ln in ocr.lines.get(page, []) for c in _chars(ln)]
    blocks += page_blocks(PageObjects(number=page + 1, width=w / SCALE, height=h / SCALE,
                                      rotation=0, chars=chars, segments=segs, image_count=1))
n = len(doc.images)
src = Source(path=sys.argv[1], sha256="", format="pdf", pages=n, blocks=blocks,
             ocr_pages=list(range(1, n + 1)))
try:
    d = build_document(sys.argv[1].rsplit("/", 1)[-1].rsplit(".", 1)[0], src)
except budget_extract.ExtractError:  # no table found at all
    d = None
else:
    api.write_outputs(d, sys.argv[2])
cpu = time.process_time() - c0
print(json.dumps({"wall": time.perf_counter() - t0, "cpu": cpu,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "pages": [{"page": k + 1, "cpu": cpu / n} for k in range(n)],
                  "facts": len(api.facts(d)) if d else 0,
                  "failed_checks": sum(c.status == "fail" for c in d.checks) if d else 0}))
"""
"""img2table (``--img2table``) finding the tables' cells on the same pages, with the same
recogniser reading the whole page (img2table's OCR interface): its cells become ruling
segments and the recognised lines characters of the same page model, so header merging,
kinds, checks and scoring are this project's, and only the table finder and per-cell
versus whole-page reading differ.  Its CPU seconds per page are the run's divided by the
pages (img2table reads them all in one call)."""


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
    if not os.path.isdir(pred_dir):
        return "facts_f1=0.0000 (no table found)"
    out = subprocess.run([sys.executable, tool, gold, pred_dir], capture_output=True,
                         text=True).stdout.strip().splitlines()
    return out[-1] if out else "n/a"


def main() -> None:
    import make_scan_fixtures as build

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-score", action="store_true", help="timings only")
    ap.add_argument("--img2table", action="store_true",
                    help="img2table's table finder with the same recogniser instead "
                         "(needs the benchmark extra, in an environment of its own)")
    args = ap.parse_args()
    runs = [("seed scan", "huaibei-hrss-info-center-2026-budget-scan.pdf", str(build.SEED),
             build.SEED_PAGES),
            ("degraded real scan", "shanghai-commerce-2025-degraded-scan.pdf",
             str(build.REAL), build.DEGRADED_PAGES),
            ("degraded 北京 scan (faint rulings)", "beijing-justice-2026-degraded-scan.pdf",
             str(build.BEIJING), build.BEIJING_PAGES)]
    path = os.pathsep.join(p for p in (ROOT, os.environ.get("PYTHONPATH", "")) if p)
    env = dict(os.environ, PYTHONPATH=path, OMP_NUM_THREADS="1")
    worker = IMG2TABLE_WORKER if args.img2table else WORKER
    print("| fixture | pages | CPU s/page (mean, max) | CPU s | wall s | peak RSS MB | facts | "
          "F1 |")
    print("|---|---|---|---|---|---|---|---|")
    for name, file, original, pages in runs:
        with tempfile.TemporaryDirectory() as tmp:
            pred = os.path.join(tmp, "pred")
            res = subprocess.run([sys.executable, "-c", worker, os.path.join(SCAN, file), pred],
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
