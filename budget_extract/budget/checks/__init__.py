"""The accounting checks: every identity a budget disclosure's tables must satisfy.

A disclosure prints the same money many times — by 功能分类 in the 支出总表, by source in
the 收入总表, by 经济分类 in the 基本支出表, once more in the 收支总表 — and every printed
total claims to be the sum of the figures under it.  Testing those claims is how a reader
(or a journalist) finds a typo, a conversion error or a table that does not belong: the
checks here recompute each total from its parts and compare it with what is printed.

The families, each in its own module and listed in :mod:`.registry`:

* :mod:`.within` — down the columns (合计 row, code tree, unit blocks, 项目 总计) and
  across a row (header-group sums, subset bounds; which columns add up to which is
  :mod:`.column_groups`, the 增减 claims :mod:`.changes`);
* :mod:`.sides` — side-by-side tables (items add up, 收入总计 = 支出总计);
* :mod:`.cross` — the same figure in two tables, as data rows;
* :mod:`.performance` — 绩效 tables against the project tables;
* :mod:`.narrative` — the 情况说明 text against the tables;
* :mod:`.claims` — what the prose claims (headline totals, changes, shares, base years,
  决算 vs 预算 statements), recomputed.

All of them end in :func:`.evaluate.evaluate`: printed claim against Σ printed parts, with
the tolerance rounding of the printed digits explains.  ``run_checks`` runs the accounting
families (within, side, cross); the narrative and 绩效目标表 checks need the parsed text,
so :func:`run_document_checks` appends them.
"""

from __future__ import annotations

from typing import Any

from ...model import Check, Table
from ..codes_link import subject_levels
from ..kinds import spec
from ..prose import Prose
from .claims import claim_checks
from .column_groups import column_sums
from .cross import Doc
from .evaluate import number_repeats
from .figures import Ctx, title
from .narrative import narrative_checks
from .performance import performance_target_checks
from .registry import CROSS_TABLE, TABLE_FAMILIES

__all__ = ["column_sums", "run_checks", "run_document_checks"]


def _table_keys(tables: list[Table]) -> dict[int, str]:
    """Check-id prefix per table: its kind, qualified by number when a kind repeats."""
    counts: dict[str, int] = {}
    for t in tables:
        counts[t.kind] = counts.get(t.kind, 0) + 1
    return {id(t): t.kind if counts[t.kind] == 1 else f"{t.kind}[{t.table_no or t.position}]"
            for t in tables}


def run_checks(tables: list[Table], meta: dict[str, Any]) -> list[Check]:
    """Every accounting identity the tables allow, in document order, then across tables.

    Never raises on odd tables: a family of checks that hits an unexpected layout records
    one ``skip`` saying so and the others still run.  Ids are unique (a repeated id gets
    ``#2``) and the order is stable, so two runs over the same input give the same list.
    """
    ctx = Ctx(meta)
    ctx.levels = subject_levels(tables)
    keys = _table_keys(tables)
    for t in tables:
        if t.empty or not t.rows:
            continue
        k = keys[id(t)]
        wanted = spec(t.kind).table_checks
        for fam in TABLE_FAMILIES:
            if fam.name not in wanted or not fam.layout(t):
                continue
            try:
                fam.run(ctx, t, k)
            except Exception as exc:  # noqa: BLE001 - one odd table must not stop the rest
                ctx.skip(f"{k}.{fam.name}.error",
                         f"{title(t)}: these checks could not run ({type(exc).__name__}: {exc})")
    try:
        d = Doc(ctx, tables)
        for identity in CROSS_TABLE:
            identity.run(ctx, d)
    except Exception as exc:  # noqa: BLE001
        ctx.skip("cross.error", f"cross-table checks could not run ({type(exc).__name__}: "
                                f"{exc})")
    return number_repeats(ctx.checks)


def run_document_checks(tables: list[Table], meta: dict[str, Any], prose: Prose,
                        performance_targets: list[dict[str, Any]]) -> list[Check]:
    """All of a document's checks in the order ``S.json`` lists them: the accounting checks,
    then the 情况说明 figures, then the 绩效目标表 amounts, then what the prose claims (its
    figures, 决算 statements and dated headings and statements, all read once by
    :func:`..prose.read_prose`)."""
    return (run_checks(tables, meta) + narrative_checks(prose.narrative, tables)
            + performance_target_checks(performance_targets, tables)
            + claim_checks(prose.figures, prose.statements, tables, meta, prose.dated))
