"""Every printed table of every real PDF in ../shared/real/ gets its kind.

One list per document: the first page a table is printed on, its title as printed there
(read off the page; the 上海 预算 pair is covered by test_real_pdfs.py), and the kind that
title (or, for an untitled table, its header) names.  The table found on that page is
asserted, so the lists hold whether or not a continuation page is joined to it.
"""

from __future__ import annotations

import pytest
from real_docs import doc as _doc  # once per session; skips without ../shared/real

IES, INC, EXP = "income_expenditure_summary", "income_summary", "expenditure_summary"
FGS, GBE, GBBE = "fiscal_grant_summary", "general_budget_expenditure", \
    "general_budget_basic_expenditure"
TPE, GOV, SCE = "three_public_expenditure", "gov_fund_expenditure", "state_capital_expenditure"
PRJ, PROC, PPL, PT = "project_expenditure", "procurement_expenditure", \
    "performance_project_list", "performance_target"

DOCS: dict[str, tuple[str, list[tuple[int, str, str]]]] = {
    "中共上海市普陀区委社会工作部2024年度部门决算": ("决算", [
        (4, "(决算单位构成: 序号 | 单位名称 | 备注)", "unit_list"),
        (5, "中共上海市普陀区委社会工作部2024年度部门决算表 收入支出决算总表", IES),
        (6, "收入决算表", INC),
        (8, "支出决算表", EXP),
        (10, "财政拨款收入支出决算总表", FGS),
        (12, "一般公共预算财政拨款支出决算表", GBE),
        (13, "一般公共预算财政拨款基本支出决算表", GBBE),
        (14, "财政拨款“三公”经费支出决算表", TPE),
        (15, "政府性基金预算财政拨款收入支出决算表", GOV),
        (16, "国有资本经营预算财政拨款收入支出决算表", SCE),
    ]),
    "部门决算模板2024": ("决算", [
        (4, "(决算单位构成: 序号 | 单位名称 | 备注)", "unit_list"),
        (5, "上海市 XX 局 2024 年度部门决算表 收入支出决算总表", IES),
        (6, "收入决算表", INC),
        (7, "支出决算表", EXP),
        (8, "财政拨款收入支出决算总表", FGS),
        (10, "一般公共预算财政拨款支出决算表", GBE),
        (11, "一般公共预算财政拨款基本支出决算表", GBBE),
        (12, "财政拨款“三公”经费支出决算表", TPE),
        (13, "政府性基金预算财政拨款收入支出决算表", GOV),
        (14, "国有资本经营预算财政拨款收入支出决算表", SCE),
    ]),
    "中共重庆市委宣传部2026年部门预算": ("预算", [
        (8, "表一 2026 年单位收支总体情况表", IES),
        (9, "表二 2026 年单位收入总体情况表", INC),
        (12, "表三 2026 年单位支出总体情况表", EXP),
        (15, "表四 2026 年财政拨款收支总体情况表", FGS),
        (16, "表五 2026 年一般公共预算支出情况表", GBE),
        (19, "表六 2026 年一般公共预算基本支出情况表", GBBE),
        (22, "表七 2026 年政府性基金预算支出情况表", GOV),
        (23, "表八 2026 年财政拨款“三公”经费支出情况表", TPE),
        (24, "表九 2026 年政府采购预算明细表", PROC),
    ]),
    "北京市司法局2026年度部门预算报表": ("预算", [
        (1, "预算01表 收支总表", IES),
        (3, "预算02表 收入总表", INC),
        (4, "预算03表 支出总表", EXP),
        (9, "预算04表 财政拨款收支总表", FGS),
        (11, "预算05表 一般公共预算支出表", GBE),
        (13, "预算06表 一般公共预算基本支出表", GBBE),
        (16, "预算07表 政府性基金预算支出表", GOV),
        (17, "预算08表 国有资本经营预算支出表", SCE),
        (18, "预算09表 财政拨款“三公”经费支出表", TPE),
        (19, "预算10表 政府采购预算明细表", PROC),
        (20, "预算11表 财政拨款政府购买服务明细表", "purchased_services_expenditure"),
        # one grid of projects: 项目名称, 项目总额, 其中 财政资金/其他资金, 绩效目标, 指标
        (24, "预算12表 项目支出绩效目标表", PPL),
        (47, "预算13表 部门整体支出绩效目标表", PT),
    ]),
    "国家信访局2026年部门预算": ("预算", [
        (5, "部门公开表 1 部门收支总表", IES),
        (6, "部门公开表 2 部门收入总表", INC),
        (7, "部门公开表 3 部门支出总表", EXP),
        (9, "部门公开表 4 财政拨款收支总表", FGS),
        (10, "部门公开表 5 一般公共预算支出表", GBE),
        (12, "部门公开表 6 一般公共预算基本支出表", GBBE),
        (14, "政府性基金预算支出表", GOV),
        (15, "部门公开表 8 国有资本经营预算支出表", SCE),
        (16, "部门公开表 9 财政拨款预算“三公”经费支出表", TPE),
        (30, "信息化运行维护绩效目标表", PT),
        (31, "信访综合保障经费绩效目标表", PT),
        (32, "信访业务培训绩效目标表", PT),
    ]),
    "广州市信访局2026年部门预算": ("预算", [
        (5, "表1 收支总体情况表", IES),
        (7, "表2 收入总体情况表", INC),
        (8, "表3 本年支出总体情况表", EXP),
        (9, "表4 财政拨款收支总体情况表", FGS),
        (11, "表5 一般公共预算支出情况表（按功能分类科目）", GBE),
        (12, "表6 一般公共预算基本支出情况表（按经济分类科目）", GBBE),
        (14, "表7 一般公共预算项目支出情况表（按经济分类科目）", PRJ),
        (15, "表8 财政拨款安排的行政经费及“三公”经费预算表", TPE),
        (16, "表9 政府性基金预算支出情况表", GOV),
        (17, "表10 国有资本经营预算支出情况表", SCE),
        (18, "表11 部门预算基本支出预算表", "basic_expenditure"),
        (19, "表12 部门预算项目支出及其他支出预算表", PRJ),
    ]),
    "杭州市气象局2026年部门预算": ("预算", [
        (15, "表1：2026年市级部门收支预算总表", IES),
        (16, "表2：2026年市级部门收入预算总表", INC),
        (17, "表3：2026年市级部门支出预算总表", EXP),
        (18, "表4：2026年市级部门财政拨款收支预算总表", FGS),
        (19, "表5：2026年市级部门一般公共预算支出预算表", GBE),
        (20, "表6：2026年市级部门一般公共预算基本支出预算表", GBBE),
        (21, "表7：2026年市级部门一般公共预算“三公”经费预算表", TPE),
        (22, "表8：2026年市级部门政府性基金预算支出预算表", GOV),
        (23, "表9：2026年市级部门国有资本经营预算支出预算表", SCE),
        (24, "表10：2026年市级部门项目支出预算表", PRJ),
        (25, "表11：2026年市级部门项目支出绩效表", PPL),
    ]),
    "深圳市民政局2026年部门预算": ("预算", [
        # 第六部分: 二级预算单位名称 | 一级项目名称 | 预算数（万元） | 绩效目标, no title
        (11, "(一级项目 绩效目标 list)", PPL),
        (16, "表1 收支总表", IES),
        (19, "表2 收入总表", INC),
        (20, "表3 支出总表", EXP),
        (23, "表4 基本支出总表", "basic_expenditure"),
        (25, "表5 项目支出总表", PRJ),
        (26, "表6 财政拨款收支总表", FGS),
        (28, "表7 一般公共预算支出表（按功能分类）", GBE),
        (30, "表8 一般公共预算支出表（按经济分类）", GBE),
        (33, "表9 财政拨款“三公”经费支出表", TPE),
        (34, "表 10 政府性基金预算支出表", GOV),
        (35, "表 11 国有资本经营预算支出表", SCE),
    ]),
    "福州市医疗保障局2026年部门预算": ("预算", [
        (6, "(单位构成: 序号 | 单位名称)", "unit_list"),
        (10, "2026 年度收支预算总表", IES),
        (11, "2026 年度收入预算总表", INC),
        (12, "2026 年度支出预算总表", EXP),
        (13, "2026 年度财政拨款收支预算总表", FGS),
        (14, "2026 年度一般公共预算拨款支出预算表", GBE),
        (15, "2026 年度政府性基金预算拨款支出预算表", GOV),
        (16, "2026 年度国有资本经营预算拨款支出预算表", SCE),
        (17, "2026 年度一般公共预算支出经济分类情况表", GBE),
        (18, "2026 年度一般公共预算基本支出经济分类情况表", GBBE),
        (21, "2026 年度一般公共预算“三公”经费支出预算表", TPE),
        (28, "外伤医疗费用结算审核服务费项目绩效目标表", PT),
    ]),
    "苏州市审计局2026年部门预算": ("预算", [
        (9, "公开 01 表 收支总表", IES),
        (10, "公开 02 表 收入总表", INC),
        (11, "公开 03 表 支出总表", EXP),
        (12, "公开 04 表 财政拨款收支总表", FGS),
        (14, "公开 05 表 财政拨款支出表（功能科目）", GBE),
        (15, "公开 06 表 财政拨款基本支出表（经济科目）", GBBE),
        (16, "公开 07 表 一般公共预算支出表", GBE),
        (17, "公开 08 表 一般公共预算基本支出表", GBBE),
        (18, "公开 09 表 一般公共预算“三公”经费、会议费、培训费支出表", TPE),
        (19, "公开 10 表 政府性基金预算支出表", GOV),
        (20, "公开 11 表 国有资本经营预算支出预算表", SCE),
        (21, "公开 12 表 一般公共预算机关运行经费支出预算表", "operating_expenditure"),
        (22, "公开 13 表 政府采购支出表", PROC),
    ]),
    "西安市信访局2026年部门预算": ("预算", [
        # a list of training sessions in the 情况说明: not a budget table
        (15, "(培训名称 | 时间 | 人数 | 金额 list)", "unknown"),
        (19, "表1 部门综合预算收支总表", IES),
        (20, "表2 部门综合预算收入总表", INC),
        (21, "表3 部门综合预算支出总表", EXP),
        (22, "表4 部门综合预算财政拨款收支总表", FGS),
        (23, "表5 部门综合预算一般公共预算支出明细表（按支出功能分类科目）", GBE),
        (24, "表6 部门综合预算一般公共预算支出明细表（按支出经济分类科目）", GBE),
        (26, "表7 部门综合预算一般公共预算基本支出明细表（按支出功能分类科目）", GBBE),
        (27, "表8 部门综合预算一般公共预算基本支出明细表（按支出经济分类科目）", GBBE),
        (29, "表10 部门综合预算专项业务经费支出表", PRJ),
        (31, "表12 部门综合预算政府采购（资产配置、购买服务）预算表", PROC),
        (32, "表13 部门综合预算一般公共预算拨款“三公”经费及会议费、培训费支出预算表", TPE),
        (33, "表14 部门专项业务经费绩效目标表", PT),
        (42, "表15 部门整体支出绩效目标表", PT),
        (43, "表16 专项资金总体绩效目标表", PT),
    ]),
}

def _cases():
    for stem, (_, tables) in DOCS.items():
        yield pytest.param(stem, tables, id=stem)


@pytest.mark.parametrize("stem,tables", _cases())
def test_every_printed_table_has_its_kind(stem, tables):
    doc = _doc(stem)
    got = []
    for page, _title, _kind in tables:
        on_page = [t for t in doc.tables if page in t.pages]
        got.append(on_page[0].kind if on_page else "(no table)")
    assert got == [kind for _, _, kind in tables]


@pytest.mark.parametrize("stem", list(DOCS))
def test_budget_phase(stem):
    assert _doc(stem).meta.budget_phase == DOCS[stem][0]


def test_an_all_funds_basic_table_is_checked_against_the_expenditure_summary():
    # 广州 表11 部门预算基本支出预算表 总计 3,204.78 (p18) = 表3 本年支出总体情况表 合计 row,
    # 基本支出 column 3,204.78 (p8)
    doc = _doc("广州市信访局2026年部门预算")
    check = next(c for c in doc.checks
                 if c.id == "cross.basic_expenditure_total=expenditure_summary_basic")
    assert check.status == "pass"
    assert check.message.count("3,204.78") == 2
