"""What a new user meets in the first hour: file permissions, exit codes, one-line errors,
Ctrl-C, progress, the dataset's ``side`` column, workbook sheet names, the README."""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
import seed_facts
from cli_process import cli, cli_argv, cli_help

from budget_extract.api import records
from budget_extract.batch import BatchOptions, InputStatus, run_batch
from budget_extract.emit.files import write_text
from budget_extract.emit.xlsx_out import document_xlsx, sheet_name
from budget_extract.executors import LocalExecutor
from budget_extract.extras import EXTRAS
from budget_extract.jobs import BatchJob
from budget_extract.progress import LineProgress, RichProgress

ROOT = Path(__file__).parent.parent
FIX = ROOT / "fixtures"
SEED = "huaibei-hrss-info-center-2026-budget"
SHANGHAI = FIX / "上海市普陀区商务委员会2025年部门预算.pdf"


def _pyproject() -> dict:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


# ----------------------------------------------------------------- permissions


def test_files_get_the_permissions_the_umask_gives(tmp_path):
    old = os.umask(0o022)
    try:
        write_text(str(tmp_path / "a.csv"), "x\n")
        os.umask(0o077)
        write_text(str(tmp_path / "b.csv"), "x\n")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "a.csv") == 0o644  # readable by the web server, the team
    assert _mode(tmp_path / "b.csv") == 0o600  # a private umask stays private


def test_batch_outputs_are_world_readable_under_umask_022(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(FIX / f"{SEED}.md", src)
    old = os.umask(0o022)
    try:
        result = run_batch(str(src), str(tmp_path / "out"), BatchOptions(jobs=1),
                           LineProgress(io.StringIO()))
    finally:
        os.umask(old)
    assert result.count("ok") == 1
    out = tmp_path / "out"
    names = ["facts.csv", "budget.sqlite", "datapackage.json", "metadata.json", "report.json",
             f"{SEED}.json", f"{SEED}.facts.csv", f"{SEED}.xlsx", f"{SEED}/01-income_expenditure_summary.csv"]
    assert {n: oct(_mode(out / n)) for n in names} == {n: oct(0o644) for n in names}


# ----------------------------------------------------------------- exit codes, messages


def test_check_exits_0_when_every_check_holds():
    p = cli("check", FIX / f"{SEED}.html")  # the seed's HTML version: 0 failed checks
    assert p.returncode == 0, p.stdout + p.stderr
    assert " 0 fail" in p.stdout.splitlines()[0]


def test_check_exit_1_when_the_file_cannot_be_extracted(tmp_path):
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"not a pdf")
    p = cli("check", bad)
    assert p.returncode == 1 and p.stderr.startswith(f"error: {bad}: ")


def test_help_documents_every_exit_code():
    text = cli_help().stdout
    block = text[text.index("exit codes:"):]
    for code in ("0", "1", "2", "3", "130"):
        assert re.search(rf"^\s+{code}\s", block, re.M), code
    assert "check" in block
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "exit code 3" in readme or "| 3 |" in readme


def test_batch_summary_names_the_datasette_command(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(FIX / f"{SEED}.md", src)
    p = cli("batch", src, "-o", tmp_path / "out", "--no-xlsx")
    assert p.returncode == 0, p.stderr
    out = tmp_path / "out"
    assert (f"browse: datasette {out / 'budget.sqlite'} -m {out / 'metadata.json'}"
            in p.stderr)


def test_a_folder_given_to_extract_names_batch(tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    p = cli("extract", folder, "-o", tmp_path / "out")
    assert p.returncode == 1
    assert p.stderr.count("\n") == 1 and "Traceback" not in p.stderr
    assert p.stderr.startswith(f"error: {folder}: is a folder")
    assert f"budget-extract batch {folder} -o OUTDIR" in p.stderr


def test_dask_executor_without_dask_names_the_install_command(tmp_path):
    shadow = tmp_path / "no-dask"  # `import distributed` fails as if it were not installed
    shadow.mkdir()
    for mod in ("distributed", "dask"):
        (shadow / f"{mod}.py").write_text("raise ImportError('not installed')\n")
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(FIX / f"{SEED}.md", src)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(shadow), str(ROOT)]))
    p = cli("batch", src, "-o", tmp_path / "out", "--executor", "dask", env=env)
    assert p.returncode == 1
    assert "Traceback" not in p.stderr
    line = [ln for ln in p.stderr.splitlines() if ln.startswith("error:")]
    assert len(line) == 1 and "pip install 'dask[distributed]>=2024.1'" in line[0]
    assert "pip install -e '.[dask]'" in line[0]


def test_to_pandas_without_pandas_suggests_a_command_that_works(monkeypatch, extracted):
    from budget_extract.api import to_pandas

    doc = extracted(FIX / f"{SEED}.md")
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas → ImportError
    with pytest.raises(ImportError) as e:
        to_pandas(doc)
    assert "pip install 'pandas>=2,<4'" in str(e.value)
    assert "budget_extract[pandas]" not in str(e.value)  # not on any package index


def test_install_hints_match_pyproject_extras():
    extras = _pyproject()["project"]["optional-dependencies"]
    for name, reqs in EXTRAS.items():
        assert list(reqs) == extras[name], name
    assert "datasette>=0.65,<2" in extras["test"]  # CI runs the Datasette test


# ----------------------------------------------------------------- Ctrl-C


def test_workers_and_forkserver_start_with_ctrl_c_blocked():
    """The race behind the flaky "Traceback" after Ctrl-C: the terminal's SIGINT reached the
    forkserver while it imported its preload modules, or a worker before it set SIGINT
    aside.  Both are now born with SIGINT blocked (Linux: /proc shows the mask)."""
    if not Path("/proc/self/status").exists():
        pytest.skip("needs /proc")
    from multiprocessing import forkserver

    job = BatchJob(path=str(FIX / f"{SEED}.md"), source_path="x.md", document="x",
                   sha256="", mode="check")
    results = LocalExecutor(jobs=1).run([job, job])  # two: through the forkserver
    assert next(results).ok
    results.close()
    pid = forkserver._forkserver._forkserver_pid
    status = Path(f"/proc/{pid}/status").read_text()
    blocked = int(re.search(r"^SigBlk:\s*([0-9a-f]+)", status, re.M).group(1), 16)
    assert blocked & (1 << (signal.SIGINT - 1))


@pytest.mark.slow  # several CLI starts, a second or so each
def test_ctrl_c_early_in_a_batch_prints_no_traceback(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in (f"{SEED}.md", f"{SEED}.pdf"):
        shutil.copy(FIX / name, src)
    for k in range(6):  # enough work that the last Ctrl-C (0.8 s) still finds it running
        shutil.copy(FIX / f"{SEED}.pdf", src / f"copy{k}.pdf")
    # once the batch has begun (its output folder exists; before that Python itself is
    # starting): while the forkserver imports, while the first worker starts and imports,
    # while it reads — the moments the old code printed a traceback
    for i, delay in enumerate((0.0, 0.1, 0.25, 0.5, 0.8)):
        out = tmp_path / f"out{i}"
        proc = subprocess.Popen(cli_argv("batch", src, "-o", out, "-j", "1"),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        deadline = time.monotonic() + 30
        while not out.exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.005)
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        text = err.decode()
        assert "Traceback" not in text and "Exception ignored" not in text, (delay, text)
        assert proc.returncode in (130, -signal.SIGINT), (delay, proc.returncode, text)


# ----------------------------------------------------------------- progress


def test_worker_reports_each_page_before_its_result():
    pages: list[tuple[int, int]] = []
    job = BatchJob(path=str(FIX / f"{SEED}.pdf"), source_path=f"{SEED}.pdf", document=SEED,
                   sha256="", mode="check")
    ex = LocalExecutor(jobs=1, on_page=lambda j, done, total: pages.append((done, total)))
    results = ex.run([job])
    res = next(results)
    results.close()
    assert res.ok and res.pages == 28  # the seed PDF has 28 pages
    assert pages == [(n, 28) for n in range(1, 29)]


def test_progress_bar_moves_per_page():
    bar = RichProgress()
    bar.progress.console.quiet = True
    bar.start(files=2, size=1000 + 600, reused=0)
    task = bar.progress.tasks[0]
    bar.page("a.pdf", 1000, 1, 4)
    assert (task.completed, task.fields["pages"], task.fields["files"]) == (250, 1, 0)
    bar.page("a.pdf", 1000, 3, 4)
    assert (task.completed, task.fields["pages"]) == (750, 3)
    bar.done(InputStatus("a.pdf", "a", status="ok", pages=4), 1000)
    assert (task.completed, task.fields["pages"], task.fields["files"]) == (1000, 4, 1)
    bar.done(InputStatus("b.md", "b", status="ok", pages=0), 600)  # no pages: whole file
    assert (task.completed, task.fields["files"]) == (1600, 2)
    bar.stop()


# ----------------------------------------------------------------- side, sheet names


@pytest.fixture(scope="module")
def shanghai_records(extracted):
    return records(extracted(SHANGHAI))


def test_side_is_income_or_expenditure_whatever_the_half_is_called(shanghai_records):
    facts = shanghai_records["facts"]
    assert {f["side"] for f in facts} <= {"收入", "支出", ""}
    # page 9, 2025年部门财务收支预算总表: the halves are headed 本年收入 | 本年支出
    t1 = {(f["row_label"], f["value"]): (f["side"], f["side_label"], f["page"])
          for f in facts if f["table"] == 1}
    assert t1[("一、财政拨款收入", "371514655.00")] == ("收入", "本年收入", 9)
    assert t1[("五、资源勘探工业信息等支出", "293810000.00")] == ("支出", "本年支出", 9)
    one_panel = [f for f in facts if f["table_kind"] == "expenditure_summary"]
    assert one_panel and all(f["side"] == f["side_label"] == "" for f in one_panel)


def test_sheet_names_come_from_the_printed_titles(extracted):
    wb = openpyxl.load_workbook(io.BytesIO(document_xlsx(extracted(SHANGHAI))))
    # printed: 2025年部门财务收支预算总表, 2025年部门“三公”经费和机关运行经费预算表
    assert wb.sheetnames[1] == "1 部门财务收支预算总表"
    assert wb.sheetnames[9] == "9 部门“三公”经费和机关运行经费预算表"
    seed = openpyxl.load_workbook(io.BytesIO(document_xlsx(extracted(FIX / f"{SEED}.md"))))
    # printed: 淮北市人力资源和社会保障局信息中心2026年收支总表 (unit and year left out)
    assert seed.sheetnames[1] == "1 收支总表"


def test_sheet_names_follow_excels_rules():
    taken = {"目录", "核对"}
    assert sheet_name("History", taken) == "History_"
    assert sheet_name("'引号'", taken) == "引号"
    assert sheet_name("a\x01b\tc\nd", taken) == "ab c d"
    assert sheet_name("   ", taken) == "表"
    long = "2 " + "很长的表名" * 7 + "'"
    name = sheet_name(long, taken)
    assert len(name) == 31 and not name.endswith("'")
    assert sheet_name(long, taken) == name[:28] + "(2)"
    assert sheet_name("目录", taken) == "目录(2)"


# ----------------------------------------------------------------- README


def test_readme_states_python_version_and_test_time():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    need = _pyproject()["project"]["requires-python"]
    assert f"Python {need.lstrip('>=')}" in readme
    assert re.search(r"about \d+ minutes?", readme)
    assert f"({seed_facts.FAILS} failed)" in readme and "收入总表" in readme  # and why
    assert "pip install budget_extract" not in readme
    quick = (ROOT / "docs" / "quickstart.md").read_text(encoding="utf-8")
    assert "pip install budget_extract\n" not in quick
