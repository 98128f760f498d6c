"""Issue 12: no fixed cost per file — workers import only what the file needs.

``extract`` of one small Markdown file used to cost ~0.75 CPU-s before its first line was
read (the forkserver preloaded pdfplumber, PDFium and openpyxl for every run); it now
imports the Markdown reader and the pipeline, nothing else.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import seed_facts

from budget_extract.executors import modules_for
from budget_extract.jobs import BatchJob

ROOT = Path(__file__).resolve().parent.parent
SEED_MD = ROOT / "fixtures" / "huaibei-hrss-info-center-2026-budget.md"
HEAVY = ("openpyxl", "pdfplumber", "pdfminer", "pypdfium2")


def _job(path: str, **kw: object) -> BatchJob:
    return BatchJob(path=path, source_path=path, document="d", sha256="", **kw)  # type: ignore[arg-type]


def _python(code: str) -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    p = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                       text=True, env=env, cwd=str(ROOT), timeout=120)
    assert p.returncode == 0, p.stderr
    return p.stdout.strip()


def test_workers_preload_only_what_the_inputs_need():
    md = modules_for([_job("a.md", mode="extract", xlsx=False)])
    assert not [m for m in md if m.startswith(HEAVY) or m.endswith(("xlsx_out", ".pdf"))]
    assert "budget_extract.readers.markdown" in md
    pdf = modules_for([_job("a.pdf", mode="extract", xlsx=True)])
    assert {"pypdfium2", "budget_extract.readers.pdf", "budget_extract.emit.xlsx_out"} <= set(pdf)
    assert "pdfplumber" not in pdf  # the fallback engine loads when a file needs it
    batch = modules_for([_job("a.html"), _job("b.md")])
    assert {"budget_extract.readers.html", "budget_extract.readers.markdown",
            "budget_extract.emit.dataset"} <= set(batch)


def test_the_cli_and_a_markdown_job_import_no_pdf_or_spreadsheet_library():
    out = _python(f"""
        import sys
        import budget_extract.cli
        print(sorted(m for m in sys.modules if m.startswith(("budget_extract.pipeline", *{HEAVY!r}))))
        from budget_extract.jobs import BatchJob, run_job
        r = run_job(BatchJob(path={str(SEED_MD)!r}, source_path="s.md", document="s",
                             sha256="", xlsx=False, mode="extract"))
        assert r.ok and r.facts == {seed_facts.FACTS}, r.error
        print(sorted(m for m in sys.modules if m.startswith({HEAVY!r})))
    """)
    assert out.splitlines() == ["[]", "[]"]


@pytest.mark.slow  # three CLI runs
def test_extract_of_a_small_markdown_file_costs_little_cpu(tmp_path):
    """CPU of the whole process tree (the CLI, its worker and anything they start), taken
    as the median of three runs; 0.75 CPU-s before issue 12, ~0.2 after."""
    out = _python(f"""
        import ctypes, os, resource, statistics, subprocess, sys
        ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER: orphans come here
        runs = []
        for _ in range(3):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run([sys.executable, "-m", "budget_extract.cli", "extract",
                            {str(SEED_MD)!r}, "-o", {str(tmp_path)!r}, "-q"], check=True)
            while True:
                try:
                    os.wait()
                except ChildProcessError:
                    break
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            runs.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        print(statistics.median(runs))
    """)
    assert float(out) < 0.5, out
