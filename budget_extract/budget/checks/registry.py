"""Which checks run, in which order: the families within a table and the cross-table rows.

To add a check: add an entry to the family module (or one data row to :data:`CROSS_TABLE`),
a row to docs/checks.md, and a test.  The order here is the order of the emitted checks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from ...model import Check, Table
from ..kinds import TableKind as K
from .claims import CLAIM_IDS
from .cross import (
    Cell,
    ClassIdentities,
    Doc,
    Either,
    FirstOf,
    Identity,
    PanelTotal,
    Plus,
    SideItem,
    SourceIdentities,
)
from .doctext import DocCtx
from .figures import Ctx
from .hygiene import hygiene_checks
from .performance import ProjectIdentities
from .sides import is_side_by_side, side_checks
from .structure import empty_table_checks, toc_checks
from .within import code_checks, project_total_checks, row_sum_checks


@dataclass(frozen=True)
class TableFamily:
    """Checks within one table.  ``name`` is what a kind lists in ``KindSpec.table_checks``
    (and names the ``KIND.NAME.error`` skip when the family fails on an odd table);
    ``layout`` says whether the table's shape allows the family at all."""

    name: str
    run: Callable[[Ctx, Table, str], None]
    layout: Callable[[Table], bool] = lambda t: True


TABLE_FAMILIES: tuple[TableFamily, ...] = (
    TableFamily("code_checks", code_checks),
    TableFamily("project_total_checks", project_total_checks),
    TableFamily("row_sum_checks", row_sum_checks),
    TableFamily("side_checks", side_checks, is_side_by_side),
)


class CrossCheck(Protocol):
    """A cross-table registry row: its documented id, the two kinds, how it runs."""

    @property
    def doc_id(self) -> str: ...

    @property
    def kinds(self) -> tuple[K, K]: ...

    def run(self, ctx: Ctx, d: Doc) -> None: ...


# Income sources compared between the 收入总表's columns and the 收支总表's 收入 items.
INCOME_SOURCES = ("general_budget", "gov_fund", "state_capital", "fiscal_special", "unit_funds",
                  "fiscal_grants", "business_income", "operating_income", "superior_subsidy",
                  "subsidiary_remit", "other_income", "carryover_general_budget",
                  "carryover_gov_fund", "carryover_state_capital", "carryover_fiscal_special",
                  "carryover_unit_funds")
# The 财政拨款 columns of a 收入总表 printing no 财政拨款 total: 本年 + 上年结转.
GRANT_PARTS = ("general_budget", "gov_fund", "state_capital", "carryover_general_budget",
               "carryover_gov_fund", "carryover_state_capital")

_ES, _IES, _FGS = K.EXPENDITURE_SUMMARY, K.INCOME_EXPENDITURE_SUMMARY, K.FISCAL_GRANT_SUMMARY
_GBE, _GBBE, _INC = K.GENERAL_BUDGET_EXPENDITURE, K.GENERAL_BUDGET_BASIC_EXPENDITURE, \
    K.INCOME_SUMMARY
_PE = K.PROJECT_EXPENDITURE

# The cross-table identities, one row each, in the order they are emitted (docs/checks.md,
# "Checks across tables", lists the same rows).
CROSS_TABLE: tuple[CrossCheck, ...] = (
    Identity("cross.expenditure_summary_total=income_expenditure_summary_expenditure",
             Cell(_ES, "total", "合计"),
             SideItem(_IES, False, "current", "本年支出小计/支出总计"),
             lhs_label="合计", rhs_label="本年支出"),
    Identity("cross.general_budget_expenditure_total=fiscal_grant_summary_general_budget",
             Cell(_GBE, "total", "合计"),
             Either((FirstOf((SideItem(_FGS, True, "source", "一般公共预算 income",
                                       "general_budget"),
                              SideItem(_FGS, False, "total", "一般公共预算 支出总计",
                                       column="expenditure_general_budget"))),
                     SideItem(_FGS, True, "source", "一般公共预算 income", "general_budget",
                              also=("carryover_general_budget",)))),
             lhs_label="合计", rhs_label="一般公共预算"),
    Identity("cross.general_budget_expenditure_total=income_expenditure_summary_general_budget",
             Cell(_GBE, "total", "合计"),
             Either((SideItem(_IES, True, "source", "一般公共预算 income", "general_budget"),
                     SideItem(_IES, True, "source", "一般公共预算 income", "general_budget",
                              also=("carryover_general_budget",)),
                     Plus((SideItem(_IES, True, "source", "一般公共预算 income",
                                    "general_budget"),
                           SideItem(_FGS, True, "source", "上年结转 一般公共预算",
                                    "carryover_general_budget"))))),
             lhs_label="合计", rhs_label="一般公共预算"),
    Identity("cross.general_budget_basic_expenditure_total=general_budget_expenditure_basic",
             FirstOf((Cell(_GBBE, "total", "合计"),
                      Plus((PanelTotal(_GBBE, "人员经费"), PanelTotal(_GBBE, "公用经费"))))),
             Cell(_GBE, "basic", "基本支出"),
             lhs_label="合计", rhs_label="基本支出"),
    Identity("cross.general_budget_basic_expenditure_personnel"
             "=general_budget_expenditure_personnel",
             FirstOf((Cell(_GBBE, "basic_personnel", "人员经费"), PanelTotal(_GBBE, "人员经费"))),
             Cell(_GBE, "basic_personnel", "人员经费"),
             lhs_label="人员经费", rhs_label="人员经费"),
    Identity("cross.general_budget_basic_expenditure_public=general_budget_expenditure_public",
             FirstOf((Cell(_GBBE, "basic_public", "公用经费"), PanelTotal(_GBBE, "公用经费"))),
             Cell(_GBE, "basic_public", "公用经费"),
             lhs_label="公用经费", rhs_label="公用经费"),
    Identity("cross.basic_expenditure_total=expenditure_summary_basic",
             Cell(K.BASIC_EXPENDITURE, "total", "总计"), Cell(_ES, "basic", "基本支出"),
             lhs_label="总计", rhs_label="基本支出", optional_left=True),
    Identity("cross.project_expenditure_total=expenditure_summary_project",
             Cell(_PE, "total", "总计"), Cell(_ES, "project", "项目支出"),
             lhs_label="总计", rhs_label="项目支出"),
    Identity("cross.income_summary_total=income_expenditure_summary_income_total",
             Cell(_INC, "total", "合计", row="main"),
             SideItem(_IES, True, "total", "收入总计"),
             lhs_label="合计", rhs_label="收入总计"),
    Identity("cross.income_summary_carryover=income_expenditure_summary_carryover",
             Cell(_INC, "carryover", "上年结转结余", row="main", parts_prefix="carryover_"),
             SideItem(_IES, True, "source", "上年结转", "carryover"),
             lhs_label="上年结转结余", rhs_label="上年结转"),
    SourceIdentities(_INC, _IES, INCOME_SOURCES),
    Identity("cross.income_summary_fiscal_grants=fiscal_grant_summary_income_total",
             Either((Cell(_INC, "fiscal_grants", None, row="main", parts=GRANT_PARTS,
                          missing="财政拨款 columns"),
                     Cell(_INC, None, None, row="main", parts=GRANT_PARTS + ("carryover",),
                          missing="财政拨款 columns"))),
             SideItem(_FGS, True, "total", "收入总计"),
             lhs_label="财政拨款收入 (本年+上年结转)", rhs_label="收入总计"),
    ClassIdentities(_ES, _IES, "total", None),
    ClassIdentities(_GBE, _FGS, "total", "expenditure_general_budget"),
    ProjectIdentities(K.PERFORMANCE_PROJECT_LIST, _PE),
    Identity("cross.procurement_expenditure_total<=expenditure_summary_total",
             Cell(K.PROCUREMENT_EXPENDITURE, "total", "合计"),
             Cell(_ES, "total", "合计", parts=("basic", "project")),
             lhs_label="政府采购 合计", rhs_label="支出 合计", relation="<="),
)


def identities_of(kind: str) -> list[str]:
    """The documented ids of the cross-table identities a kind takes part in."""
    return [c.doc_id for c in CROSS_TABLE if kind in c.kinds]


@dataclass(frozen=True)
class DocumentFamily:
    """Checks of the document as a whole (its 目录, empty tables, text): ``ids`` are the
    documented check ids (docs/checks.md, "Checks of the document"), in the order the
    family emits them."""

    name: str
    run: Callable[[list[Check], DocCtx], None]
    ids: tuple[str, ...]


DOCUMENT_FAMILIES: tuple[DocumentFamily, ...] = (
    DocumentFamily("toc_checks", toc_checks,
                   ("structure.toc", "structure.toc_missing.N", "structure.toc_order",
                    "structure.not_in_toc.N")),
    DocumentFamily("empty_table_checks", empty_table_checks,
                   ("structure.empty_but_stated.N", "structure.empty_note.N")),
    DocumentFamily("hygiene_checks", hygiene_checks,
                   ("hygiene.template", "hygiene.placeholder.pN", "hygiene.template_residue.pN",
                    "hygiene.empty_reason.pN", "hygiene.doubled_punctuation.pN",
                    "hygiene.heading_year.pN")),
)


# What the prose claims (checks/claims.py), in the order a figure gets them; docs/checks.md,
# "What the text claims", lists the same ids.
CLAIM_CHECKS: tuple[str, ...] = CLAIM_IDS
