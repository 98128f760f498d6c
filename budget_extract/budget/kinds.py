"""Table kinds: the contract's canonical ids from a table's title and header signature.

Titles vary across provinces and years (部门/单位, 收支总表 / 收支预算总表 / 财务收支预算总表,
一般公共预算支出表 / 一般公共预算支出功能分类预算表, 基本支出表 / 基本支出部门预算经济分类预算表,
"三公"经费支出表 / "三公"经费和机关运行经费预算表), so the rules look for the distinguishing
words in order from the most specific.  ``unknown`` is the honest fallback.
"""

from __future__ import annotations

import re

from ..segment import norm

# (kind, pattern on the normalised title); first match wins, most specific first.
TITLE_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("performance_project_list", re.compile(r"绩效目标(公开)?清单|绩效目标一览")),
    ("performance_target", re.compile(r"绩效目标表|绩效目标申报表|绩效目标")),
    ("three_public_expenditure", re.compile(r"三公")),
    ("fiscal_grant_summary", re.compile(r"财政拨款收支")),
    ("income_expenditure_summary", re.compile(r"收支(预算)?总表|收支预算表")),
    ("income_summary", re.compile(r"收入(预算)?总表|收入预算表")),
    ("general_budget_basic_expenditure", re.compile(r"一般公共预算.*基本支出|基本支出.*经济分类")),
    ("general_budget_expenditure", re.compile(r"一般公共预算.*支出")),
    ("gov_fund_expenditure", re.compile(r"政府性基金")),
    ("state_capital_expenditure", re.compile(r"国有资本经营")),
    ("purchased_services_expenditure", re.compile(r"政府购买服务")),
    ("procurement_expenditure", re.compile(r"政府采购")),
    ("asset_allocation_expenditure", re.compile(r"资产配置")),
    ("project_expenditure", re.compile(r"项目支出")),
    ("expenditure_summary", re.compile(r"支出(预算)?总表|支出预算表")),
]

KINDS = [k for k, _ in TITLE_RULES] + ["unknown"]

TITLE_OF_KIND = {
    "income_expenditure_summary": "收支总表",
    "income_summary": "收入总表",
    "expenditure_summary": "支出总表",
    "fiscal_grant_summary": "财政拨款收支总表",
    "general_budget_expenditure": "一般公共预算支出表",
    "general_budget_basic_expenditure": "一般公共预算基本支出表",
    "three_public_expenditure": '一般公共预算"三公"经费支出表',
    "gov_fund_expenditure": "政府性基金预算支出表",
    "state_capital_expenditure": "国有资本经营预算支出表",
    "project_expenditure": "项目支出表",
    "procurement_expenditure": "政府采购支出表",
    "purchased_services_expenditure": "政府购买服务支出表",
    "asset_allocation_expenditure": "通用资产配置支出表",
    "performance_project_list": "项目支出绩效目标公开清单",
    "performance_target": "项目支出绩效目标表",
    "unknown": "",
}


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
    if {"一级指标", "二级指标"} <= flat or any("绩效指标" in t for t in first_col_texts):
        return "performance_target"
    if any(t.startswith("项目名称") for t in first_col_texts) and any(
            "年度目标" in t for t in first_col_texts):
        return "performance_target"
    if "收入" in joined and "支出" in joined and joined.count("项目") >= 2:
        return "income_expenditure_summary"
    if "因公出国" in joined or "公务接待" in joined:
        return "three_public_expenditure"
    if "人员经费" in joined and "公用经费" in joined and "经济分类" in joined:
        return "general_budget_basic_expenditure"
    if "政府采购品目" in joined:
        return "procurement_expenditure"
    return None


def classify(title: str, paths: list[tuple[str, ...]], first_col_texts: list[str]) -> str:
    return kind_from_title(title) or kind_from_header(paths, first_col_texts) or "unknown"
