"""CPU and wall time of one ``budget-extract batch`` over 60 PDFs, with each executor.

    python benchmarks/batch.py                    # 60 PDFs, local and dask, 2 rounds, -j 2
    python benchmarks/batch.py -n 60 --rounds 3 --jobs 2 --pdf-engine pdfplumber

The inputs are copies of the real PDFs (``../shared/real``) and the fixture PDFs, taken in
turn until there are N, under distinct names, in one temporary folder.  Each run is a
fresh ``budget-extract batch DIR -o OUT --executor E -j J`` with the batch's defaults
(workbooks, review pages, the datasets), started from a subreaper so that the CPU of every
process the batch starts is counted: the local executor's forked workers, and the Dask
scheduler, nannies and workers of the ``LocalCluster`` that ``--executor dask`` starts
without ``--scheduler``.  Runs interleave the executors; the table gives medians of the
whole process tree's CPU (the machine is shared: wall time is printed but wanders), CPU-s
per document, and the Dask / local ratio.  Each round also runs a batch of one PDF with
each executor: the difference, per extra document, is the marginal CPU of a document, apart
from the fixed cost of starting the batch (and, for Dask, its cluster).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "real"

RUN = r"""
import ctypes, json, os, resource, subprocess, sys, time
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER: orphans' CPU counts too
t0 = time.monotonic()
p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
while True:  # every process the batch left behind, reaped (their CPU is then counted)
    try:
        os.wait()
    except ChildProcessError:
        break
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": p.returncode, "wall": time.monotonic() - t0,
                  "cpu": ru.ru_utime + ru.ru_stime, "stderr": p.stderr[-400:]}))
"""


def sources() -> list[Path]:
    """The real PDFs, then the fixture PDFs not among them."""
    real = sorted(REAL.glob("*.pdf")) if REAL.is_dir() else []
    names = {p.name for p in real}
    return real + [p for p in sorted((ROOT / "fixtures").glob("*.pdf")) if p.name not in names]


def make_inputs(folder: Path, n: int) -> int:
    """N copies of the sources, in turn; the number of pages they hold."""
    import pypdfium2

    srcs = sources()
    pages = {}
    for s in srcs:
        doc = pypdfium2.PdfDocument(str(s))
        pages[s] = len(doc)
        doc.close()
    total = 0
    for i in range(n):
        s = srcs[i % len(srcs)]
        shutil.copyfile(s, folder / f"{i:03d}-{s.name}")
        total += pages[s]
    return total


def run(executor: str, inputs: Path, out: Path, jobs: int, engine: str | None) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "budget_extract.cli", "batch", str(inputs), "-o", str(out),
           "--executor", executor, "-j", str(jobs), "-q"]
    if engine:
        cmd += ["--pdf-engine", engine]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    p = subprocess.run([sys.executable, "-c", RUN, *cmd], capture_output=True, text=True,
                       cwd=str(ROOT), env=env, check=True)
    res = json.loads(p.stdout.strip().splitlines()[-1])
    report = out / "report.json"
    res["ok"] = None
    if report.is_file():
        data = json.loads(report.read_text(encoding="utf-8"))
        res["ok"] = sum(1 for d in data.get("inputs", []) if d.get("status") == "ok")
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=60, help="PDFs in the batch (default 60)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--jobs", type=int, default=2, help="-j of the batch (default 2)")
    ap.add_argument("--executors", default="local,dask")
    ap.add_argument("--pdf-engine", default=None)
    args = ap.parse_args()
    executors = args.executors.split(",")
    cpu: dict[str, list[float]] = {e: [] for e in executors}
    cpu1: dict[str, list[float]] = {e: [] for e in executors}  # a batch of one PDF
    wall: dict[str, list[float]] = {e: [] for e in executors}
    with tempfile.TemporaryDirectory() as tmp:
        inputs, one = Path(tmp, "in"), Path(tmp, "one")
        inputs.mkdir()
        one.mkdir()
        pages = make_inputs(inputs, args.n)
        make_inputs(one, 1)
        for r in range(args.rounds):
            order = executors if r % 2 == 0 else executors[::-1]  # interleaved
            for e in order:
                for folder, n, into in ((inputs, args.n, cpu), (one, 1, cpu1)):
                    res = run(e, folder, Path(tmp, "out"), args.jobs, args.pdf_engine)
                    if res["rc"] not in (0, 3) or res["ok"] != n:
                        print(f"  {e}: exit {res['rc']}, {res['ok']} of {n} ok: "
                              f"{res['stderr'].strip()[-300:]}", file=sys.stderr)
                    into[e].append(res["cpu"])
                    if n == args.n:
                        wall[e].append(res["wall"])
                    print(f"round {r + 1} {e} {n} PDF(s): {res['cpu']:.1f} CPU-s, "
                          f"{res['wall']:.1f} s wall", file=sys.stderr)
    print(f"{args.n} PDFs ({pages} pages), -j {args.jobs}, "
          f"engine {args.pdf_engine or 'default'}; medians of {args.rounds} interleaved runs\n")
    print("| executor | CPU-s (whole tree) | CPU-s per document | pages per CPU-s | wall s "
          "| batch of 1 PDF: CPU-s | marginal CPU-s per document |")
    print("|---|---|---|---|---|---|---|")
    med = {e: statistics.median(cpu[e]) for e in executors}
    med1 = {e: statistics.median(cpu1[e]) for e in executors}
    marginal = {e: (med[e] - med1[e]) / max(args.n - 1, 1) for e in executors}
    for e in executors:
        print(f"| {e} | {med[e]:.1f} | {med[e] / args.n:.3f} | {pages / med[e]:.1f} | "
              f"{statistics.median(wall[e]):.1f} | {med1[e]:.2f} | {marginal[e]:.3f} |")
    if "local" in med and "dask" in med:
        print(f"\ndask / local CPU: {med['dask'] / med['local']:.2f}; Dask's extra CPU per "
              f"document: {(med['dask'] - med['local']) / args.n:.3f} CPU-s in all, "
              f"{marginal['dask'] - marginal['local']:.3f} at the margin (beyond the fixed "
              f"{med1['dask'] - med1['local']:.2f} CPU-s of starting its cluster)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
