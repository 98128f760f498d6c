"""Table kinds across the naming variants of different provinces and years."""

from __future__ import annotations

import pytest

from budget_extract.budget.kinds import classify, kind_from_header, kind_from_title
from budget_extract.tables.detect import CAPTION, cn_to_int


@pytest.mark.parametrize("title,kind", [
    ("淮北市人力资源和社会保障局信息中心2026年收支总表", "income_expenditure_summary"),
    ("2025年部门财务收支预算总表", "income_expenditure_summary"),
    ("某单位2024年单位收支预算总表", "income_expenditure_summary"),
    ("2025年部门收入预算总表", "income_summary"),
    ("单位收入总表", "income_summary"),
    ("2025年部门支出预算总表", "expenditure_summary"),
    ("2025年部门财政拨款收支预算总表", "fiscal_grant_summary"),
    ("财政拨款收支总表", "fiscal_grant_summary"),
    ("2025年部门一般公共预算支出功能分类预算表", "general_budget_expenditure"),
    ("一般公共预算支出表", "general_budget_expenditure"),
    ("2025年部门一般公共预算基本支出部门预算经济分类预算表", "general_budget_basic_expenditure"),
    ("一般公共预算基本支出表", "general_budget_basic_expenditure"),
    ("2025年部门“三公”经费和机关运行经费预算表", "three_public_expenditure"),
    ('一般公共预算"三公"经费支出表', "three_public_expenditure"),
    ("2025年部门政府性基金预算支出功能分类预算表", "gov_fund_expenditure"),
    ("国有资本经营预算支出表", "state_capital_expenditure"),
    ("项目支出表", "project_expenditure"),
    ("政府采购支出表", "procurement_expenditure"),
    ("政府购买服务支出表", "purchased_services_expenditure"),
    ("通用资产配置支出表", "asset_allocation_expenditure"),
    ("项目支出绩效目标公开清单", "performance_project_list"),
    ("项目支出绩效目标表", "performance_target"),
])
def test_title_variants(title, kind):
    assert kind_from_title(title) == kind


def test_unknown_is_the_honest_fallback():
    assert classify("人员编制情况表", [("项目",), ("人数",)], ["在职人员"]) == "unknown"


def test_header_signature_when_the_title_is_missing():
    assert classify("", [("一级指标",), ("二级指标",), ("三级指标",)], []) == "performance_target"
    paths = [("收入", "项目"), ("收入", "预算数"), ("支出", "项目"), ("支出", "预算数")]
    assert classify("", paths, []) == "income_expenditure_summary"


@pytest.mark.parametrize("paths,first_col,kind", [
    ([("项目",), ("绩效指标",)], ["绩效指标", "产出指标"], "performance_target"),
    ([("项目",), ("内容",)], ["项目名称", "年度目标：完成系统运维"], "performance_target"),
    ([("合计",), ("因公出国（境）费",), ("公务接待费",)], [], "three_public_expenditure"),
    ([("经济分类科目",), ("人员经费",), ("公用经费",)], ["301 工资福利支出"],
     "general_budget_basic_expenditure"),
    ([("政府采购品目",), ("金额",)], ["复印纸"], "procurement_expenditure"),
    ([("项目名称",), ("金额",)], ["项目名称甲"], None),  # 项目名称 without 年度目标: no form
])
def test_each_header_signature(paths, first_col, kind):
    assert kind_from_header(paths, first_col) == kind


@pytest.mark.parametrize("caption,number", [
    ("单位公开表1", 1), ("部门公开表12", 12), ("表3", 3), ("表一", 1), ("表十二", 12),
    ("附表二十一", 21), ("表１０", 10)])
def test_caption_numbers(caption, number):
    m = CAPTION.match(caption)
    assert m and cn_to_int(m.group("num")) == number
