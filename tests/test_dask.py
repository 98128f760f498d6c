"""``--executor dask``: the same per-file job on a Dask cluster gives the same outputs.

Runs against a ``LocalCluster`` (loopback only); the inputs travel to the workers as
bytes, as they would to a cluster without a shared file system.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from budget_extract.batch import BatchOptions, run_batch
from budget_extract.executors import DaskExecutor, local_cluster

distributed = pytest.importorskip("distributed")

FIX = Path(__file__).parent.parent / "fixtures"
SEED = "huaibei-hrss-info-center-2026-budget"


def _files(outdir: Path) -> dict[str, bytes]:
    return {p.relative_to(outdir).as_posix(): p.read_bytes() for p in sorted(outdir.rglob("*"))
            if p.is_file() and ".budget-extract" not in p.parts and p.name != "report.json"}


@pytest.fixture(scope="module")
def cluster():
    cl = distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None)  # in-process transport
    yield cl
    cl.close()


@pytest.mark.slow  # see the README's tests section
def test_dask_executor_writes_the_same_outputs(cluster, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(FIX / f"{SEED}.md", src / "seed.md")
    shutil.copy(FIX / f"{SEED}.html", src / "seed-html.html")
    shutil.copy(FIX / "上海市普陀区商务委员会2025年部门预算.pdf", src / "swc.pdf")
    (src / "bad.pdf").write_bytes(b"not a pdf at all")

    local = run_batch(str(src), str(tmp_path / "local"), BatchOptions(jobs=2))
    dask = run_batch(str(src), str(tmp_path / "dask"),
                     BatchOptions(jobs=2, executor="dask", scheduler=cluster.scheduler_address))
    assert [s.status for s in dask.inputs] == ["failed", "ok", "ok", "ok"]
    assert [(s.status, s.error) for s in dask.inputs] == [
        (s.status, s.error) for s in local.inputs]
    assert _files(tmp_path / "dask") == _files(tmp_path / "local")

    again = run_batch(str(src), str(tmp_path / "dask"),
                      BatchOptions(jobs=2, executor="dask",
                                   scheduler=cluster.scheduler_address))
    assert again.extracted == 0 and not again.datasets_written


def test_dask_timeout_is_enforced(cluster, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    # Big enough that no machine extracts it in 0.2 s, small enough to write quickly.
    text = (FIX / f"{SEED}.md").read_text(encoding="utf-8")
    (src / "big.md").write_text(text * 40, encoding="utf-8")
    ex = DaskExecutor(cluster.scheduler_address, timeout=0.2, memory_mb=0)
    r = run_batch(str(src), str(tmp_path / "out"), BatchOptions(jobs=1), executor=ex)
    assert r.inputs[0].status == "failed" and "time limit" in r.inputs[0].error


@pytest.mark.slow  # two worker processes: ~10 s
def test_a_cluster_of_worker_processes_gives_the_local_outputs(tmp_path):
    """A ``LocalCluster`` of two worker *processes* (as on several machines: the inputs
    travel as bytes), against the local executor: the same files, byte for byte; the jobs
    ran inside the long-lived workers (each imported the pipeline once), with the time
    limit still enforced."""
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(FIX / f"{SEED}.md", src / "seed.md")
    shutil.copy(FIX / f"{SEED}.html", src / "seed-html.html")
    shutil.copy(FIX / f"{SEED}.pdf", src / "seed-pdf.pdf")
    shutil.copy(FIX / f"{SEED}-unruled.pdf", src / "seed-unruled.pdf")
    shutil.copy(FIX / "上海市普陀区商务委员会2025年部门预算.pdf", src / "swc.pdf")
    (src / "bad.pdf").write_bytes(b"%PDF-1.7\nnot a pdf at all")

    local = run_batch(str(src), str(tmp_path / "local"), BatchOptions(jobs=2))
    client, cl = local_cluster(2)  # the quiet cluster a batch without --scheduler starts
    with cl, client:
        dask = run_batch(str(src), str(tmp_path / "dask"),
                         BatchOptions(jobs=2, executor="dask", scheduler=client))
        warm = client.run(lambda: "budget_extract.api" in __import__("sys").modules)
        quiet = client.run(lambda dask_worker: (
            __import__("dask").config.get("distributed.worker.profile.enabled"),
            dask_worker.memory_manager.memory_limit))
        slow = run_batch(str(src), str(tmp_path / "slow"), BatchOptions(jobs=2, force=True),
                         executor=DaskExecutor(client, timeout=0.05))
    assert [(s.source_path, s.status, s.error) for s in dask.inputs] == [
        (s.source_path, s.status, s.error) for s in local.inputs]
    assert [s.status for s in dask.inputs].count("ok") == 5
    assert _files(tmp_path / "dask") == _files(tmp_path / "local")
    assert list(warm.values()) == [True, True]  # both workers did jobs, in their own process
    assert list(quiet.values()) == [(False, None)] * 2  # no profiler, no memory monitor
    assert {s.error for s in slow.inputs if s.source_path == "swc.pdf"} == {
        "exceeded the 0.05 s time limit and was stopped (raise --timeout if the file is "
        "genuinely large)"}
