"""Table kinds as data: the contract's ids, how a title or header names each, what it checks.

Titles vary across provinces and years (部门/单位, 收支总表 / 收支预算总表 / 财务收支预算总表,
一般公共预算支出表 / 一般公共预算支出功能分类预算表, 基本支出表 / 基本支出部门预算经济分类预算表,
"三公"经费支出表 / "三公"经费和机关运行经费预算表), so each kind lists the distinguishing words
of its titles, and the kinds are tried in order from the most specific.  ``unknown`` is the
honest fallback.

Everything a module needs to know about a kind is one :class:`KindSpec` in :data:`REGISTRY`:
adding a kind is one entry here (plus its row in the contract and in docs/checks.md).  The
ids are spelled once, in :class:`budget_extract.model.TableKind`; other modules compare
``table.kind`` (a plain string) with its members.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import TableKind
from ..segment import norm

K = TableKind

# The within-table check families (budget_extract.budget.checks), by name.  Every grid
# table gets the code tree and row sums; side-by-side tables also get the item sums (the
# family itself looks at the layout); project lists add their 总计 = Σ projects.
GRID_CHECKS: frozenset[str] = frozenset({"code_checks", "row_sum_checks", "side_checks"})
PROJECT_CHECKS: frozenset[str] = GRID_CHECKS | {"project_total_checks"}


@dataclass(frozen=True)
class TitlePattern:
    """One way a kind's title is printed; ``covers`` says which templates/phases use it."""

    pattern: re.Pattern[str]
    covers: str = ""


@dataclass(frozen=True)
class HeaderSignature:
    """A header that names its kind when the title does not (or is missing).

    Every non-empty condition must hold: ``levels`` all among the header levels;
    ``joined_all`` each in the joined header text and one of ``joined_any`` in it;
    ``counts`` each substring at least that often; ``first_col_prefix`` /
    ``first_col_contains`` each the start of / inside some first-column text.
    ``rank`` orders the signatures of all kinds, most specific first.
    """

    rank: int
    levels: frozenset[str] = frozenset()
    joined_all: tuple[str, ...] = ()
    joined_any: tuple[str, ...] = ()
    counts: tuple[tuple[str, int], ...] = ()
    first_col_prefix: tuple[str, ...] = ()
    first_col_contains: tuple[str, ...] = ()

    def matches(self, flat: set[str], joined: str, first_col_texts: list[str]) -> bool:
        return (self.levels <= flat
                and all(s in joined for s in self.joined_all)
                and (not self.joined_any or any(s in joined for s in self.joined_any))
                and all(joined.count(s) >= n for s, n in self.counts)
                and all(any(t.startswith(p) for t in first_col_texts)
                        for p in self.first_col_prefix)
                and all(any(s in t for t in first_col_texts) for s in self.first_col_contains))


@dataclass(frozen=True)
class KindSpec:
    """Everything about one table kind: id, canonical title, how it is recognised, checks."""

    kind: TableKind
    title: str
    titles: tuple[TitlePattern, ...] = ()
    headers: tuple[HeaderSignature, ...] = ()
    table_checks: frozenset[str] = GRID_CHECKS


def _t(pattern: str, covers: str = "") -> TitlePattern:
    return TitlePattern(re.compile(pattern), covers)


# In title priority: the first kind with a matching title pattern wins, so the more
# specific names (绩效目标清单 before 绩效目标, 财政拨款收支 before 收支总表, 基本支出 before
# 一般公共预算支出, every named 支出表 before the bare 支出总表) come first.
REGISTRY: tuple[KindSpec, ...] = (
    KindSpec(K.PERFORMANCE_PROJECT_LIST, "项目支出绩效目标公开清单",
             (_t(r"绩效目标(公开)?清单", "项目支出绩效目标公开清单"),
              _t(r"绩效目标一览", "绩效目标一览表")),
             table_checks=PROJECT_CHECKS),
    KindSpec(K.PERFORMANCE_TARGET, "项目支出绩效目标表",
             (_t(r"绩效目标表"), _t(r"绩效目标申报表"), _t(r"绩效目标", "any other 绩效目标 form")),
             (HeaderSignature(1, levels=frozenset({"一级指标", "二级指标"})),
              HeaderSignature(2, first_col_contains=("绩效指标",)),
              HeaderSignature(3, first_col_prefix=("项目名称",), first_col_contains=("年度目标",))),
             table_checks=frozenset()),
    KindSpec(K.THREE_PUBLIC_EXPENDITURE, '一般公共预算"三公"经费支出表',
             (_t(r"三公", '"三公"经费支出表, "三公"经费和机关运行经费预算表'),),
             (HeaderSignature(5, joined_any=("因公出国", "公务接待")),)),
    KindSpec(K.FISCAL_GRANT_SUMMARY, "财政拨款收支总表",
             (_t(r"财政拨款收支", "财政拨款收支(预算)总表"),)),
    KindSpec(K.INCOME_EXPENDITURE_SUMMARY, "收支总表",
             (_t(r"收支(预算)?总表", "收支总表, (财务)收支预算总表"), _t(r"收支预算表")),
             (HeaderSignature(4, joined_all=("收入", "支出"), counts=(("项目", 2),)),)),
    KindSpec(K.INCOME_SUMMARY, "收入总表",
             (_t(r"收入(预算)?总表", "收入总表, 收入预算总表"), _t(r"收入预算表"))),
    KindSpec(K.GENERAL_BUDGET_BASIC_EXPENDITURE, "一般公共预算基本支出表",
             (_t(r"一般公共预算.*基本支出"),
              _t(r"基本支出.*经济分类", "基本支出部门预算经济分类预算表")),
             (HeaderSignature(6, joined_all=("人员经费", "公用经费", "经济分类")),)),
    KindSpec(K.GENERAL_BUDGET_EXPENDITURE, "一般公共预算支出表",
             (_t(r"一般公共预算.*支出", "一般公共预算支出(功能分类预算)表"),)),
    KindSpec(K.GOV_FUND_EXPENDITURE, "政府性基金预算支出表", (_t(r"政府性基金"),)),
    KindSpec(K.STATE_CAPITAL_EXPENDITURE, "国有资本经营预算支出表", (_t(r"国有资本经营"),)),
    KindSpec(K.PURCHASED_SERVICES_EXPENDITURE, "政府购买服务支出表", (_t(r"政府购买服务"),)),
    KindSpec(K.PROCUREMENT_EXPENDITURE, "政府采购支出表", (_t(r"政府采购"),),
             (HeaderSignature(7, joined_all=("政府采购品目",)),)),
    KindSpec(K.ASSET_ALLOCATION_EXPENDITURE, "通用资产配置支出表", (_t(r"资产配置"),)),
    KindSpec(K.PROJECT_EXPENDITURE, "项目支出表", (_t(r"项目支出"),),
             table_checks=PROJECT_CHECKS),
    KindSpec(K.EXPENDITURE_SUMMARY, "支出总表",
             (_t(r"支出(预算)?总表", "支出总表, 支出预算总表"), _t(r"支出预算表"))),
    KindSpec(K.UNKNOWN, ""),
)

SPEC: dict[str, KindSpec] = {s.kind.value: s for s in REGISTRY}

# Today's public names, derived from the registry (other modules import them).
TITLE_RULES: list[tuple[str, re.Pattern[str]]] = [
    (s.kind.value, p.pattern) for s in REGISTRY for p in s.titles]
KINDS: list[str] = [s.kind.value for s in REGISTRY]
TITLE_OF_KIND: dict[str, str] = {k.value: SPEC[k.value].title for k in TableKind}
_HEADER_RULES: list[tuple[HeaderSignature, str]] = sorted(
    ((h, s.kind.value) for s in REGISTRY for h in s.headers), key=lambda x: x[0].rank)


def spec(kind: str) -> KindSpec:
    """The registry entry of a kind id (``unknown``'s for an id the registry lacks)."""
    return SPEC.get(kind) or SPEC[K.UNKNOWN.value]


def kind_from_title(title: str) -> str | None:
    t = norm(title)
    for kind, pat in TITLE_RULES:
        if pat.search(t):
            return kind
    return None


def kind_from_header(paths: list[tuple[str, ...]], first_col_texts: list[str]) -> str | None:
    """Fallback from the header signature when the title says nothing (or is missing)."""
    flat = {lvl for p in paths for lvl in p}
    joined = "|".join("/".join(p) for p in paths)
    for sig, kind in _HEADER_RULES:
        if sig.matches(flat, joined, first_col_texts):
            return kind
    return None


def classify(title: str, paths: list[tuple[str, ...]], first_col_texts: list[str]) -> str:
    return kind_from_title(title) or kind_from_header(paths, first_col_texts) or K.UNKNOWN.value
