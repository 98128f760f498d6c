"""Snapshot every output of every fixture and real PDF, and compare two snapshots.

A refactor must change no output.  Run this before the change and after it, then compare:

    python benchmarks/snapshot.py take /tmp/before          # outputs of the code as it is
    python benchmarks/snapshot.py take /tmp/after           # ... after the change
    python benchmarks/snapshot.py diff /tmp/before /tmp/after
    python benchmarks/snapshot.py take /tmp/plumber --pdf-engine pdfplumber  # one engine

``take`` extracts each file of ``fixtures/`` and ``../shared/real/`` (when present) with
``--xlsx`` into DIR/out/NAME (one folder per input file) and writes DIR/errors.txt with
each input's exit status; ``diff`` lists every output file that differs or exists on one
side only (the workbook is compared by its sheets' cell values, not its zip bytes) and exits
1 when anything differs.  The fixtures' ``source.path`` names the checkout: take both
snapshots from the same folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INPUT_DIRS = [ROOT / "fixtures", ROOT.parent / "shared" / "real"]
SUFFIXES = {".pdf", ".md", ".html", ".htm"}


def inputs() -> list[Path]:
    found: dict[str, Path] = {}
    for d in INPUT_DIRS:
        if d.is_dir():
            for p in sorted(d.iterdir()):
                if p.suffix.lower() in SUFFIXES and p.stem != "README":
                    found.setdefault(p.name, p)  # a real PDF copied into fixtures/ once
    return list(found.values())


def take(dest: Path, engine: str | None = None) -> int:
    out = dest / "out"
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    lines = []
    for p in inputs():
        # one folder per input: the seed's .md, .html and .pdf share a stem
        dest_p = out / p.name
        r = subprocess.run([sys.executable, "-m", "budget_extract.cli", "extract", str(p),
                            "-o", str(dest_p), "--xlsx",
                            *(["--pdf-engine", engine] if engine else [])],
                           capture_output=True, text=True,
                           env=env, cwd=str(ROOT))
        msg = r.stderr.strip().replace(str(dest_p), "OUT").replace(str(p), p.name)
        lines.append(f"{p.name}\t{r.returncode}\t{msg}")
        print(lines[-1].split("\t")[0], r.returncode, flush=True)
    (dest / "errors.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


def xlsx_values(path: Path) -> list:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return [(ws.title, [[c.value for c in row] for row in ws.iter_rows()],
             sorted(str(r) for r in ws.merged_cells.ranges)) for ws in wb.worksheets]


def diff(a: Path, b: Path) -> int:
    fa = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    fb = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    bad = [f"only in {a}: {p}" for p in sorted(fa - fb)]
    bad += [f"only in {b}: {p}" for p in sorted(fb - fa)]
    for p in sorted(fa & fb):
        x, y = a / p, b / p
        if p.suffix == ".xlsx":
            same = xlsx_values(x) == xlsx_values(y)
        else:
            same = x.read_bytes() == y.read_bytes()
        if not same:
            bad.append(f"differs: {p}")
    print("\n".join(bad) if bad else f"identical: {len(fa)} files")
    return 1 if bad else 0


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "take":
        return take(Path(argv[1]))
    if len(argv) == 4 and argv[0] == "take" and argv[2] == "--pdf-engine":
        return take(Path(argv[1]), argv[3])
    if len(argv) == 3 and argv[0] == "diff":
        return diff(Path(argv[1]), Path(argv[2]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
