"""Table kinds across the naming variants of different provinces and years."""

from __future__ import annotations

import pytest

from budget_extract.budget.kinds import (
    classification_title,
    classify,
    kind_from_header,
    kind_from_title,
    published_kind,
)
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


# Titles as printed on real pages (../shared/real/), noise included: caption prefixes glued
# to the title, a leading colon, unit name and year, a （按…分类科目） suffix.
@pytest.mark.parametrize("title,kind", [
    # 决算 (上海 template and the national blank template)
    ("中共上海市普陀区委社会工作部2024年度部门决算表收入支出决算总表", "income_expenditure_summary"),
    ("收入决算表", "income_summary"),
    ("支出决算表", "expenditure_summary"),
    ("财政拨款收入支出决算总表", "fiscal_grant_summary"),
    ("一般公共预算财政拨款支出决算表", "general_budget_expenditure"),
    ("一般公共预算财政拨款基本支出决算表", "general_budget_basic_expenditure"),
    ("财政拨款“三公”经费支出决算表", "three_public_expenditure"),
    ("政府性基金预算财政拨款收入支出决算表", "gov_fund_expenditure"),
    ("国有资本经营预算财政拨款收入支出决算表", "state_capital_expenditure"),
    # 重庆 / 广东
    ("2026年单位收支总体情况表", "income_expenditure_summary"),
    ("2026年单位收入总体情况表", "income_summary"),
    ("收入总体情况表", "income_summary"),
    ("2026年单位支出总体情况表", "expenditure_summary"),
    ("本年支出总体情况表", "expenditure_summary"),
    ("财政拨款收支总体情况表", "fiscal_grant_summary"),
    ("一般公共预算支出情况表（按功能分类科目）", "general_budget_expenditure"),
    ("一般公共预算基本支出情况表（按经济分类科目）", "general_budget_basic_expenditure"),
    ("一般公共预算项目支出情况表（按经济分类科目）", "project_expenditure"),
    ("财政拨款安排的行政经费及“三公”经费预算表", "three_public_expenditure"),
    ("部门预算基本支出预算表", "basic_expenditure"),
    ("基本支出预算情况表", "basic_expenditure"),
    ("部门预算项目支出及其他支出预算表", "project_expenditure"),
    ("2026年政府采购预算明细表", "procurement_expenditure"),
    # 江苏: the caption glued to the title
    ("苏州市审计局2026年度部门预算公开公开05表财政拨款支出表（功能科目）",
     "general_budget_expenditure"),
    ("苏州市审计局2026年度部门预算公开公开06表财政拨款基本支出表（经济科目）",
     "general_budget_basic_expenditure"),
    ("苏州市审计局2026年度部门预算公开公开12表一般公共预算机关运行经费支出预算表",
     "operating_expenditure"),
    ("苏州市审计局2026年度部门预算公开公开11表国有资本经营预算支出预算表",
     "state_capital_expenditure"),
    # 北京 预算01–13表
    ("预算01表收支总表", "income_expenditure_summary"),
    ("预算04表财政拨款收支总表", "fiscal_grant_summary"),
    ("预算11表财政拨款政府购买服务明细表", "purchased_services_expenditure"),
    ("预算13表部门整体支出绩效目标表", "performance_target"),
    # 浙江: a leading colon, and the 项目支出绩效表 that lists projects
    ("：2026年市级部门收支预算总表", "income_expenditure_summary"),
    ("：2026年市级部门项目支出绩效表", "performance_project_list"),
    ("表11.2026年市级部门项目支出绩效表", "performance_project_list"),
    # 深圳, 陕西, 福建, others
    ("基本支出总表", "basic_expenditure"),
    ("项目支出总表", "project_expenditure"),
    ("一般公共预算支出表（按经济分类）", "general_budget_expenditure"),
    ("部门综合预算收支总表", "income_expenditure_summary"),
    ("部门综合预算一般公共预算基本支出明细表（按支出功能分类科目）",
     "general_budget_basic_expenditure"),
    ("部门综合预算专项业务经费支出表", "project_expenditure"),
    ("部门综合预算政府采购（资产配置、购买服务）预算表", "procurement_expenditure"),
    ("国有资本经营预算支出明细表", "state_capital_expenditure"),
    ("2026年度一般公共预算拨款支出预算表", "general_budget_expenditure"),
    ("1.项目支出绩效目标表", "performance_target"),
    ("部门预算单位构成", "unit_list"),
])
def test_real_title_variants(title, kind):
    assert kind_from_title(title) == kind


def test_the_unit_name_is_stripped_before_classifying():
    # a unit whose name says 国有资本经营 must not make its 项目支出表 a 国有资本 table
    assert kind_from_title("某市国有资本经营管理中心项目支出表", "某市国有资本经营管理中心") == \
        "project_expenditure"
    assert kind_from_title("某市国有资本经营管理中心2026年项目支出表") == "project_expenditure"
    assert classification_title("苏州市审计局2026年度部门预算公开公开05表财政拨款支出表（功能科目）") \
        == "财政拨款支出表"
    assert classification_title("预算01表收支总表") == "收支总表"
    # a year printed after the name is not a prefix
    assert kind_from_title("部门收支总表（2026年）") == "income_expenditure_summary"
    assert classification_title("部门收支总表（2026年）") == "部门收支总表"


@pytest.mark.parametrize("paths,first_col,kind", [
    # 决算单位构成 / 部门预算单位构成: units, no amounts
    ([("序号",), ("单位名称",), ("备注",)], ["1", "中共某区委社会工作部"], "unit_list"),
    ([("序号",), ("单位名称",), ("金额",)], ["1", "某单位"], None),
    # 人员经费 + 公用经费 over 经济分类 codes, header without the word 经济分类
    ([("科目编码",), ("科目名称",), ("人员经费",), ("公用经费",)], ["科目编码", "301", "30101"],
     "general_budget_basic_expenditure"),
    # 基本支出/项目支出 over 功能分类 codes: with 上缴上级/经营 columns the all-funds 支出总表
    ([("科目编码",), ("科目名称",), ("合计",), ("基本支出",), ("项目支出",), ("上缴上级支出",)],
     ["科目编码", "201", "2010301"], "expenditure_summary"),
    ([("科目编码",), ("科目名称",), ("合计",), ("基本支出",), ("项目支出",)],
     ["科目编码", "201", "2010301"], "general_budget_expenditure"),
    # 财政拨款 side by side
    ([("财政拨款收入", "项目"), ("财政拨款收入", "预算数"), ("财政拨款支出", "项目"),
      ("财政拨款支出", "合计")], [], "fiscal_grant_summary"),
    # a grid of projects with their amounts and 绩效目标
    ([("二级预算单位名称",), ("一级项目名称",), ("预算数（万元）",), ("绩效目标",)],
     ["深圳市民政局（本级）"], "performance_project_list"),
    # 广州 重点项目 grid in the 情况说明 (p23): 项目 | 预算数（单位：万元） | 绩效目标
    ([("项目",), ("预算数（单位：万元）",), ("绩效目标",)], ["项目", "云客服服务外包项目"],
     "performance_project_list"),
    # ... but a 项目 stub and an amount without 绩效目标 is no project list
    ([("项目",), ("预算数（单位：万元）",)], ["项目", "一、一般公共服务支出"], None),
    ([("机关运行经费",)], [], "operating_expenditure"),
    # 广东 部门预算项目支出及其他支出预算表 on a page of its own, header repeated, no title
    ([("支出项目类别（资金使用单/位）",), ("总计",), ("财政拨款", "合计"), ("绩效目标",)],
     ["信访宣传经费"], "project_expenditure"),
    ([("支出项目类别（资金使用/单位）",), ("总计",), ("财政拨款", "合计")], ["工资福利支出"], None),
])
def test_structure_signatures(paths, first_col, kind):
    assert kind_from_header(paths, first_col) == kind


def test_a_project_grid_overrides_a_form_title():
    paths = [("项目名称",), ("项目总额",), ("其中：", "财政资金"), ("绩效目标",), ("一级指标",),
             ("二级指标",)]
    assert classify("预算12表项目支出绩效目标表", paths, ["项目名称"]) == "performance_project_list"
    # the per-project form keeps its kind
    form = [("项目名称",), ("信息化运行维护",)]
    assert classify("信息化运行维护绩效目标表", form, ["项目名称", "年度目标"]) == \
        "performance_target"


@pytest.mark.parametrize("kind,published", [
    # kinds the contract's closed list lacks are published under its nearest id
    ("basic_expenditure", "general_budget_basic_expenditure"),       # 深圳 基本支出总表
    ("operating_expenditure", "general_budget_basic_expenditure"),   # 江苏 机关运行经费支出预算表
    ("general_budget_basic_expenditure", "general_budget_basic_expenditure"),
    ("income_expenditure_summary", "income_expenditure_summary"),
    ("unknown", "unknown"),
])
def test_published_kind(kind, published):
    assert published_kind(kind) == published
