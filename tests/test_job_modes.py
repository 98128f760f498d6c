"""A job renders only what its caller writes, and ``check`` runs in the isolated worker."""

from __future__ import annotations

from pathlib import Path

import seed_facts

from budget_extract.cli import main
from budget_extract.jobs import BatchJob, run_job

SEED = Path(__file__).parent.parent / "fixtures" / "huaibei-hrss-info-center-2026-budget.md"
STEM = SEED.stem


def _job(mode):
    return BatchJob(path=str(SEED), source_path=SEED.name, document=STEM, sha256="",
                    xlsx=False, mode=mode)


def test_extract_job_renders_the_files_only():
    res = run_job(_job("extract"))
    assert res.ok and res.records == {} and res.check_list == []
    assert set(res.files) >= {f"{STEM}.json", f"{STEM}.facts.csv"}
    assert (res.tables, res.facts) == (seed_facts.TABLES, seed_facts.FACTS)


def test_batch_job_also_renders_the_dataset_rows():
    res = run_job(_job("batch"))
    assert res.ok and len(res.records["facts"]) == seed_facts.FACTS and res.records["wide"]
    assert res.files == run_job(_job("extract")).files


def test_check_job_renders_no_file():
    res = run_job(_job("check"))
    assert res.ok and res.files == {} and res.records == {}
    assert len(res.check_list) == res.checks and res.checks_failed == sum(
        1 for _id, status, _msg in res.check_list if status == "fail")


def test_check_runs_under_the_time_limit(capsys):
    assert main(["check", str(SEED), "--timeout", "0.001"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {SEED}: exceeded the 0.001 s time limit")
