"""camelot lattice vs budget_extract's own lattice detection, side by side, on the fixtures.

Accuracy: of the amounts printed on each table page (same rule as shared/tools/amount_coverage:
numbers with a decimal point or thousands separators), how many does each engine return in a
table cell of that page?  camelot returns raw grids (no header paths, no codes joined), so this
measures only the part both do: finding the cells.  Speed: wall time for the whole file.

    python benchmarks/camelot_compare.py            # needs the 'camelot' extra
"""

from __future__ import annotations

import collections
import os
import re
import sys
import time

import pdfplumber

import budget_extract
from budget_extract.facts import document_facts

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AMOUNT = re.compile(r"(?<![\d.,])-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)(?![\d,]*\d)")


def printed_amounts(path: str, pages: set[int]) -> collections.Counter:
    c: collections.Counter = collections.Counter()
    with pdfplumber.open(path) as pdf:
        for n in sorted(pages):
            for tok in AMOUNT.findall(pdf.pages[n - 1].extract_text() or ""):
                c[(n, tok.replace(",", ""))] += 1
    return c


def main() -> int:
    import camelot

    files = sys.argv[1:] or [os.path.join(ROOT, "fixtures", f)
                             for f in sorted(os.listdir(os.path.join(ROOT, "fixtures")))
                             if f.endswith(".pdf") and "unruled" not in f]
    print("| file | table pages | printed amounts | ours found (facts) | ours s | camelot found |"
          " camelot s | camelot/ours time |")
    print("|---|---|---|---|---|---|---|---|")
    for f in files:
        t0 = time.perf_counter()
        doc = budget_extract.extract(f)
        ours_s = time.perf_counter() - t0
        pages = {p for t in doc.tables for p in t.pages}
        want = printed_amounts(f, pages)
        ours: collections.Counter = collections.Counter()
        for t in doc.tables:  # every cell, 绩效目标表 forms included (they are not facts)
            for row in t.rows:
                for cell in row.cells.values():
                    for tok in AMOUNT.findall(cell.text):
                        ours[(cell.page, tok.replace(",", ""))] += 1
        n_facts = len(document_facts(doc))
        t0 = time.perf_counter()
        tables = camelot.read_pdf(f, pages=",".join(map(str, sorted(pages))), flavor="lattice")
        cam_s = time.perf_counter() - t0
        cam: collections.Counter = collections.Counter()
        for t in tables:
            for row in t.df.values.tolist():
                for cell in row:
                    for tok in AMOUNT.findall(str(cell)):
                        cam[(int(t.page), tok.replace(",", ""))] += 1
        total = sum(want.values())
        o = sum(min(n, ours[k]) for k, n in want.items())
        c = sum(min(n, cam[k]) for k, n in want.items())
        print(f"| {os.path.basename(f)} | {len(pages)} | {total} | {o} ({n_facts}) | "
              f"{ours_s:.2f} | {c} | {cam_s:.2f} | {cam_s / ours_s:.1f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
