"""CPU a Dask worker spends per document beyond the document itself.

    python benchmarks/dask_overhead.py            # 12 tiny jobs with each way of running

A one-worker ``LocalCluster`` (a separate process, as on a cluster machine) runs the same
tiny Markdown job N times as a fork of the warm worker (``run_forked``, the default) and as
a fresh ``python -m budget_extract.jobs`` subprocess (``run_isolated``, before issue 12);
the worker's CPU (its own and its reaped children's) per job is the overhead, since the
job itself costs ~0.01 CPU-s.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TINY_MD = ("# 某单位2026年部门预算\n\n收入总表\n\n单位：万元\n\n"
           "| 项目 | 合计 | 一般公共预算拨款收入 |\n|---|---|---|\n"
           "| 合计 | 1.00 | 1.00 |\n| 某单位 | 1.00 | 1.00 |\n")


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=12)
    args = ap.parse_args()
    from distributed import Client, LocalCluster

    from budget_extract.executors import run_forked, run_isolated
    from budget_extract.jobs import BatchJob

    job = BatchJob(path="/nonexistent/tiny.md", source_path="tiny.md", document="tiny",
                   sha256="", xlsx=False, data=TINY_MD.encode("utf-8"), mode="batch")
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                      dashboard_address=":0", host="127.0.0.1") as cluster, \
            Client(cluster) as client:
        assert client.submit(run_forked, job, 60, 4096, pure=False).result().ok  # warm
        for fn in (run_forked, run_isolated):
            per: list[float] = []
            for _ in range(args.n):
                before = sum(client.run(_cpu).values())
                assert client.submit(fn, job, 60, 4096, pure=False).result().ok
                per.append(sum(client.run(_cpu).values()) - before)
            print(f"{fn.__name__}: {statistics.median(per):.3f} CPU-s per document "
                  f"(median of {args.n})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
