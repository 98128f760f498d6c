"""Performance (绩效) tables against the money tables.

* each project in the 绩效目标公开清单 = the same project's 总计 in the 项目支出表
  (``cross.performance_project_list=project_expenditure.NAME``), a cross-table data row;
* each 绩效目标表's 年度资金总额 = the project's row in the 项目支出表 / 公开清单
  (``performance_target.annual_total=KIND.NAME``): the existing
  :func:`~budget_extract.budget.reconcile.reconcile_projects`, wrapped as a family.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ...model import Check, Row, Table
from ..columns import canonical_id, clean_level
from ..reconcile import reconcile_projects
from .cross import Doc, PerItem
from .evaluate import evaluate
from .figures import Ctx, col, project_rows, short, value_cols


@dataclass(frozen=True)
class ProjectIdentities(PerItem):
    """Each project row of ``kind`` (its amount column) = its 总计 in ``other`` (the
    项目支出表)."""

    ID: ClassVar[str] = "cross.{kind}={other}.{item}"

    def run(self, ctx: Ctx, d: Doc) -> None:
        pl, pe = self.kind, self.other
        lst = d.get(pl)
        if lst is None:
            return
        proj = d.get(pe)
        amount = col(lst, "amount") or next(iter(value_cols(lst)), None)
        if amount is None:
            return
        head = self.head
        if proj is None:
            ctx.skip(f"cross.{pl}={pe}", f"{head}: not checked, {d.why_missing(pe)}")
            return
        total = col(proj, "total")
        if total is None:
            ctx.skip(f"cross.{pl}={pe}", f"{head}: not checked, {short(pe)} has no 总计 column")
            return
        projects = {_project_name(proj, r): r for r in reversed(project_rows(proj))}
        for r in project_rows(lst):
            name = _project_name(lst, r)
            lhs = [ctx.fig(lst, r, amount, name)]
            match = projects.get(name)
            if match is None:
                self.unmatched(ctx, name, lhs[0], f"{name} {lhs[0].shown()} is not listed in "
                                                  f"{short(pe)} under that name")
                continue
            evaluate(ctx, self.cid(name), head, lhs, [ctx.fig(proj, match, total, "总计")],
                     lhs_label=name, rhs_label="总计")


def _project_name(t: Table, r: Row) -> str:
    """The row's 项目名称 cell, not its label: a list whose first stub is 单位名称 labels
    every project of a unit with the unit's name (浙江 项目支出绩效表)."""
    key = next((c.key for c in t.columns if canonical_id(t.kind, c.path) == "project_name"), "")
    cell = r.cells.get(key)
    return clean_level(cell.text) if cell is not None and cell.text.strip() \
        else clean_level(r.label)


def performance_target_checks(records: list[dict[str, Any]], tables: list[Table]
                              ) -> list[Check]:
    """The 绩效目标表 records' 年度资金总额 against the project tables (reconcile.py's)."""
    return reconcile_projects(records, tables)
