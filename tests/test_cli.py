"""The command line: outputs, exit codes, one-line errors, the other inputs still written."""

from __future__ import annotations

from pathlib import Path

import seed_facts
from cli_process import cli, cli_help

FIX = Path(__file__).parent.parent / "fixtures"
SEED = FIX / "huaibei-hrss-info-center-2026-budget.md"


def test_extract_writes_contract_files(tmp_path):
    p = cli("extract", SEED, "-o", tmp_path / "out")
    assert p.returncode == 0, p.stderr
    stem = SEED.stem
    assert (tmp_path / "out" / f"{stem}.json").is_file()
    assert (tmp_path / "out" / f"{stem}.facts.csv").is_file()
    assert (tmp_path / "out" / stem / "01-income_expenditure_summary.csv").is_file()
    assert not list((tmp_path / "out").rglob("*.part"))


def test_bad_inputs_fail_alone_with_one_line_each(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(bytes(range(256)) * 40)
    notes = tmp_path / "notes.md"
    notes.write_text("# 会议纪要\n\n今天没有表格。\n", encoding="utf-8")
    p = cli("extract", empty, SEED, junk, notes, tmp_path / "missing.md", "-o", tmp_path / "out")
    assert p.returncode == 1
    errors = [ln for ln in p.stderr.splitlines() if ln.startswith("error: ")]
    assert len(errors) == 4
    assert errors[0].startswith(f"error: {empty}: ")
    assert errors[1].startswith(f"error: {junk}: ")
    assert errors[2].startswith(f"error: {notes}: ") and "no tables" in errors[2]
    assert "no such file" in errors[3]
    assert "Traceback" not in p.stderr
    assert (tmp_path / "out" / f"{SEED.stem}.json").is_file()


def test_usage_errors_exit_2(tmp_path):
    assert cli().returncode == 2
    assert cli("extract", SEED).returncode == 2  # no -o
    assert cli("frobnicate").returncode == 2


def test_help_teaches():
    p = cli_help()
    assert p.returncode == 0
    assert "budget-extract extract" in p.stdout and "exit codes" in p.stdout


def test_check_command_summarises():
    p = cli("check", SEED)
    # the seed Markdown's 收入总表 header is shifted by its conversion: 6 checks fail, and
    # `check` says so with its exit code (3), so a script can gate on it
    assert p.returncode == 3
    assert sum(ln.lstrip().startswith("FAIL ") for ln in p.stdout.splitlines()) == seed_facts.FAILS
    assert p.stdout.splitlines()[0].startswith(f"{SEED}: ")
    assert "checks" in p.stdout.splitlines()[0]


def test_a_file_named_twice_is_extracted_once(tmp_path):
    (tmp_path / "in").mkdir()
    copy = tmp_path / "in" / SEED.name
    copy.write_bytes(SEED.read_bytes())
    p = cli("extract", copy, tmp_path / "in" / ".." / "in" / SEED.name, "-o", "out",
            cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    lines = p.stderr.splitlines()
    assert sum(ln.endswith(f"-> {Path('out') / SEED.stem}.json") for ln in lines) == 1, lines
    assert lines[-1] == (f"note: {tmp_path / 'in' / '..' / 'in' / SEED.name}: the same file "
                         f"as {copy}, extracted once")
    assert sorted(f.name for f in (tmp_path / "out").iterdir() if f.is_file()) == \
        [f"{SEED.stem}.facts.csv", f"{SEED.stem}.html", f"{SEED.stem}.json"]
