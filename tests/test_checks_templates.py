"""Checks that know the template: each convention a real disclosure prints, shown on a small
table built from its printed numbers (the page is cited beside each), once as printed (the
check passes, or is not made where the template claims no sum) and once with a planted wrong
number (the check fails and names the cells).

The numbers are copied by hand from the PDFs in /work/shared/real (``pdftotext -layout -f N
-l N``), never from the program's output.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from table_builders import grid

import budget_extract
from budget_extract.budget.checks import run_checks
from budget_extract.budget.codes_link import link_codes
from budget_extract.errors import ExtractError
from budget_extract.model import CellValue, Check, Column, Row, Table, TableKind

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEED = FIXTURES / "huaibei-hrss-info-center-2026-budget.md"


# --------------------------------------------------------------------------- builders


def halves(kind: str, income: list[tuple[str, str]], expenditure: list[tuple[str, str]],
           unit: str = "万元", table_no: str = "1") -> Table:
    """A side-by-side table: 收入 项目|预算数 on the left, 支出 项目|预算数 on the right."""
    cols = [Column(("收入", "项目"), "stub", "收入", 0), Column(("收入", "预算数"), "value", "收入", 1),
            Column(("支出", "项目"), "stub", "支出", 2), Column(("支出", "预算数"), "value", "支出", 3)]
    rows = []
    for n in range(max(len(income), len(expenditure))):
        for side, items in (("收入", income), ("支出", expenditure)):
            if n < len(items):
                label, value = items[n]
                cells = {f"{side}/项目": CellValue(label)}
                if value:
                    cells[f"{side}/预算数"] = CellValue(value)
                rows.append(Row(row_no=n + 1, label=label, side=side, cells=cells))
    return Table(table_no=table_no, kind=TableKind(kind), title="", unit=unit, pages=[],
                 empty=False, note="", columns=cols, rows=rows)


def checks(*tables: Table) -> dict[str, Check]:
    return {c.id: c for c in run_checks(list(tables), {})}


def cells(c: Check) -> list[tuple[str, str]]:
    """The (column, value) of each cell a check names."""
    return [(r["column"], r["value"]) for r in c.refs]


def planted(t: Table, row_label: str, column: str, text: str) -> Table:
    for r in t.rows:
        if r.label == row_label and column in r.cells:
            r.cells[column] = CellValue(text=text)
            return t
    raise AssertionError(f"no cell {row_label}/{column}")


# --------------------------------------------------------------------------- subset columns

# 北京市司法局 预算05表 一般公共预算支出表 (p11): 项目支出 has 项目支出总数 and 扣除基建项目后预算数,
# the second a subset of the first (here equal), not a second part of 合计.
BEIJING_PATHS = [("科目名称",), ("预算数", "合计"), ("预算数", "基本支出", "小计"),
                 ("预算数", "基本支出", "人员经费"), ("预算数", "基本支出", "公用经费"),
                 ("预算数", "项目支出", "项目支出总数"), ("预算数", "项目支出", "扣除基建项目后预算数")]
BEIJING_ROWS = [
    (("行政运行", "2040601"), "12,482.549431", "12,333.173431", "11,347.459612", "985.713819",
     "149.376000", "149.376000"),
    (("一般行政管理事务", "2040602"), "388.080000", "", "", "", "388.080000", "388.080000"),
]


def test_deducted_column_is_a_subset_not_a_part():
    got = checks(grid("general_budget_expenditure", BEIJING_PATHS, BEIJING_ROWS))
    c = got["general_budget_expenditure.row_sum.2040601.预算数/合计"]
    # 12,482.549431 = 12,333.173431 + 149.376000 (扣除基建项目后 not added a second time)
    assert c.status == "pass"
    assert [v for _, v in cells(c)] == ["12,482.549431", "12,333.173431", "149.376000"]
    assert got["general_budget_expenditure.row_sum.2040602.预算数/合计"].status == "pass"
    bound = got["general_budget_expenditure.subset.2040601.预算数/项目支出/扣除基建项目后预算数"]
    assert bound.status == "pass" and "≤" in bound.message
    assert cells(bound) == [("预算数/项目支出/扣除基建项目后预算数", "149.376000"),
                            ("预算数/项目支出/项目支出总数", "149.376000")]


def test_deducted_column_planted_errors_fail():
    t = grid("general_budget_expenditure", BEIJING_PATHS, BEIJING_ROWS)
    planted(t, "行政运行", "预算数/合计", "12,482.549531")  # one digit off
    planted(t, "一般行政管理事务", "预算数/项目支出/扣除基建项目后预算数", "388.800000")
    got = checks(t)
    c = got["general_budget_expenditure.row_sum.2040601.预算数/合计"]
    assert c.status == "fail" and Decimal(c.expected) - Decimal(c.actual) == Decimal("0.0001")
    assert ("预算数/合计", "12,482.549531") in cells(c)
    b = got["general_budget_expenditure.subset.2040602.预算数/项目支出/扣除基建项目后预算数"]
    assert b.status == "fail"
    assert cells(b) == [("预算数/项目支出/扣除基建项目后预算数", "388.800000"),
                        ("预算数/项目支出/项目支出总数", "388.080000")]


# 深圳市民政局 支出总表 (p20): 2026年政府采购项目 小计 | 其中：…中小企业… | 其中：…小型、微型企业…
SHENZHEN_PROCUREMENT = [("科目名称",), ("支出总计",), ("基本支出",), ("项目支出",),
                        ("2026年政府采购项目", "小计"),
                        ("2026年政府采购项目", "其中：2026年政府采购项目中预留给中小企业的项目资金规模"),
                        ("2026年政府采购项目", "其中：2026年政府采购项目中预留给小型、微型企业的项目资金规模")]
SME = "2026年政府采购项目/其中：2026年政府采购项目中预留给中小企业的项目资金规模"


def test_qizhong_columns_are_bounded_not_summed():
    t = grid("expenditure_summary", SHENZHEN_PROCUREMENT, [
        (("社会保障和就业支出", "208"), "7,366.68", "4,013.29", "3,353.40", "1,304.92", "138.91",
         "0.00"),
        (("其他支出", "229"), "19,336.15", "0.00", "19,336.15", "1,164.36", "446.29", "0.00"),
    ])
    got = checks(t)
    assert not any(".row_sum." in k and "政府采购项目/小计" in k for k in got)
    assert got[f"expenditure_summary.subset.208.{SME}"].status == "pass"
    assert got[f"expenditure_summary.subset.229.{SME}"].status == "pass"
    planted(t, "其他支出", SME, "1,446.29")
    c = checks(t)[f"expenditure_summary.subset.229.{SME}"]
    assert c.status == "fail"
    assert cells(c) == [(SME, "1,446.29"), ("2026年政府采购项目/小计", "1,164.36")]


# 广州市信访局 表5 一般公共预算支出情况表 (p11): 小计 | 其中：基本支出 | 项目支出 — here 其中 opens the
# breakdown itself: 小计 = 基本支出 + 项目支出.
GUANGZHOU_PATHS = [("功能科目名称",), ("一般公共预算支出", "小计"),
                   ("一般公共预算支出", "其中：基本支出"), ("一般公共预算支出", "项目支出")]


def test_qizhong_opening_the_breakdown_is_summed():
    t = grid("general_budget_expenditure", GUANGZHOU_PATHS, [
        (("合计", ""), "3,944.08", "3,204.78", "739.30"),
        (("一般公共服务支出", "201"), "2,570.71", "1,831.41", "739.30"),
        (("行政运行", "2014001"), "1,859.41", "1,831.41", "28.00"),
    ])
    got = checks(t)
    for key in ("合计", "201", "2014001"):
        assert got[f"general_budget_expenditure.row_sum.{key}.一般公共预算支出/小计"].status == \
            "pass"
    planted(t, "行政运行", "一般公共预算支出/项目支出", "82.00")
    c = checks(t)["general_budget_expenditure.row_sum.2014001.一般公共预算支出/小计"]
    assert c.status == "fail" and (c.expected, c.actual) == ("1859.41", "1913.41")
    assert cells(c) == [("一般公共预算支出/小计", "1,859.41"),
                        ("一般公共预算支出/其中：基本支出", "1,831.41"),
                        ("一般公共预算支出/项目支出", "82.00")]


# --------------------------------------------------------------------------- change columns

# 国家信访局 部门公开表5 一般公共预算支出表 (p10-11): 2025年执行数 | 2026年预算数 | 增减额, 增减(%)
# twice, the second comparison after 扣除中央基建投资.
GJXF_PATHS = [("科目名称",), ("2025年执行数", "执行数"), ("2025年执行数", "扣除中央基建投资后执行数"),
              ("2026年预算数", "年初预算数", "小计"), ("2026年预算数", "年初预算数", "基本支出"),
              ("2026年预算数", "年初预算数", "项目支出"), ("2026年预算数", "扣除中央基建投资后预算数"),
              ("2026年预算数比2025年执行数", "增减额"), ("2026年预算数比2025年执行数", "增减(%)"),
              ("2026年预算数比2025年执行数（扣除中央基建投资）", "增减额"),
              ("2026年预算数比2025年执行数（扣除中央基建投资）", "增减(%)")]
GJXF_ROWS = [
    (("一般公共服务支出", "201"), "33,586.67", "10,044.47", "13,144.37", "6,668.44", "6,475.93",
     "13,144.37", "-20,442.30", "-60.86%", "3,099.90", "30.86%"),
    (("卫生健康支出", "210"), "218.91", "218.91", "", "", "", "", "-218.91", "-100.00%",
     "-218.91", "-100.00%"),
]
DELTA = "2026年预算数比2025年执行数/增减额"
PCT = "2026年预算数比2025年执行数/增减(%)"
DELTA_EX = "2026年预算数比2025年执行数（扣除中央基建投资）/增减额"


def test_change_columns_recomputed():
    got = checks(grid("general_budget_expenditure", GJXF_PATHS, GJXF_ROWS))
    c = got[f"general_budget_expenditure.change.201.{DELTA}"]
    # -20,442.30 = 13,144.37 − 33,586.67
    assert c.status == "pass" and "−" in c.message
    assert cells(c) == [(DELTA, "-20,442.30"), ("2026年预算数/年初预算数/小计", "13,144.37"),
                        ("2025年执行数/执行数", "33,586.67")]
    # 3,099.90 = 13,144.37 − 10,044.47 (both after 扣除中央基建投资)
    ex = got[f"general_budget_expenditure.change.201.{DELTA_EX}"]
    assert ex.status == "pass"
    assert [v for _, v in cells(ex)] == ["3,099.90", "13,144.37", "10,044.47"]
    # -20,442.30 ÷ 33,586.67 = -60.864…%, printed -60.86%
    assert got[f"general_budget_expenditure.change.201.{PCT}"].status == "pass"
    assert got[f"general_budget_expenditure.change.210.{PCT}"].status == "pass"  # -100.00%
    # and the subset columns are bounded, never added to 小计
    assert got["general_budget_expenditure.row_sum.201.2026年预算数/年初预算数/小计"].status == "pass"


def test_change_columns_planted_errors_fail():
    t = grid("general_budget_expenditure", GJXF_PATHS, GJXF_ROWS)
    planted(t, "一般公共服务支出", DELTA, "-20,422.30")
    planted(t, "一般公共服务支出", PCT, "-60.68%")
    got = checks(t)
    c = got[f"general_budget_expenditure.change.201.{DELTA}"]
    assert c.status == "fail" and (c.expected, c.actual) == ("-20422.30", "-20442.30")
    p = got[f"general_budget_expenditure.change.201.{PCT}"]
    assert p.status == "fail" and p.actual == "-60.86"
    assert cells(p)[0] == (PCT, "-60.68%")


# 深圳市民政局 表9 财政拨款"三公"经费支出表 (p33): 年度 rows 2025年, 2026年, 增减变化金额; 总计 =
# Σ the three kinds of spending per source; 公务用车 小计 = 购置费 + 运行维护费.
SHENZHEN_3PUBLIC = [("年度",), ("总计", "一般公共预算"), ("因公出国(境)费", "一般公共预算"),
                    ("公务接待费", "一般公共预算"), ("公务用车购置及运行维护费", "小计", "一般公共预算"),
                    ("公务用车购置及运行维护费", "公务用车购置费", "一般公共预算"),
                    ("公务用车购置及运行维护费", "公务用车运行维护费", "一般公共预算")]
SHENZHEN_YEARS = [(("2025年", ""), "33.00", "0.00", "15.00", "18.00", "12.00", "6.00"),
                  (("2026年", ""), "66.00", "46.80", "15.00", "4.20", "0.00", "4.20"),
                  (("增减变化金额", ""), "33.00", "46.80", "0.00", "-13.80", "-12.00", "-1.80")]


def test_year_rows_and_crossed_totals():
    got = checks(grid("three_public_expenditure", SHENZHEN_3PUBLIC, SHENZHEN_YEARS))
    c = got["three_public_expenditure.change.增减变化金额.总计/一般公共预算"]
    assert c.status == "pass"  # 33.00 = 66.00 − 33.00
    assert [v for _, v in cells(c)] == ["33.00", "66.00", "33.00"]
    t26 = got["three_public_expenditure.row_sum.2026年.总计/一般公共预算"]
    assert t26.status == "pass"  # 66.00 = 46.80 + 15.00 + 4.20
    car = got["three_public_expenditure.row_sum.2025年.公务用车购置及运行维护费/小计/一般公共预算"]
    assert car.status == "pass"  # 18.00 = 12.00 + 6.00


def test_year_rows_planted_error_fails():
    t = grid("three_public_expenditure", SHENZHEN_3PUBLIC, SHENZHEN_YEARS)
    planted(t, "增减变化金额", "因公出国(境)费/一般公共预算", "48.60")
    c = checks(t)["three_public_expenditure.change.增减变化金额.因公出国(境)费/一般公共预算"]
    assert c.status == "fail"
    assert cells(c) == [("因公出国(境)费/一般公共预算", "48.60"),
                        ("因公出国(境)费/一般公共预算", "46.80"),
                        ("因公出国(境)费/一般公共预算", "0.00")]


# 西安市信访局 表13 三公经费及会议费、培训费支出预算表 (p32): 上年 | 当年 | 增减变化情况, each group
# with the same sub-columns; the 合计 row as printed (因公出国（境）费用, 公务用车购置费 and 会议费
# blank).
XIAN_SUB = [("合计",), ("三公经费预算", "小计"), ("三公经费预算", "因公出国（境）费用"),
            ("三公经费预算", "公务接待费"), ("三公经费预算", "公务用车购置及运行维护费", "小计"),
            ("三公经费预算", "公务用车购置及运行维护费", "公务用车购置费"),
            ("三公经费预算", "公务用车购置及运行维护费", "公务用车运行维护费"), ("会议费",), ("培训费",)]
XIAN_PATHS = [("单位名称",)] + [(g,) + p for g in ("上年", "当年", "增减变化情况") for p in XIAN_SUB]
XIAN_ROW = [("合计", ""),
            "242,000.00", "120,000.00", "", "20,000.00", "100,000.00", "", "100,000.00", "",
            "122,000.00",
            "320,800.00", "101,000.00", "", "10,000.00", "91,000.00", "", "91,000.00", "",
            "219,800.00",
            "78,800.00", "-19,000.00", "", "-10,000.00", "-9,000.00", "", "-9,000.00", "",
            "97,800.00"]


def test_period_groups_change_and_sums():
    got = checks(grid("three_public_expenditure", XIAN_PATHS, [tuple(XIAN_ROW)], unit="元"))
    c = got["three_public_expenditure.change.合计.增减变化情况/合计"]
    assert c.status == "pass"  # 78,800.00 = 320,800.00 − 242,000.00
    assert [v for _, v in cells(c)] == ["78,800.00", "320,800.00", "242,000.00"]
    assert got["three_public_expenditure.change.合计.增减变化情况/培训费"].status == "pass"
    # each period adds up: 242,000.00 = 120,000.00 + 会议费 (blank) + 122,000.00
    assert got["three_public_expenditure.row_sum.合计.上年/合计"].status == "pass"
    assert got["three_public_expenditure.row_sum.合计.当年/三公经费预算/小计"].status == "pass"
    row = list(XIAN_ROW)
    row[19] = "87,800.00"
    bad = checks(grid("three_public_expenditure", XIAN_PATHS, [tuple(row)], unit="元"))
    c = bad["three_public_expenditure.change.合计.增减变化情况/合计"]
    assert c.status == "fail" and cells(c)[0] == ("增减变化情况/合计", "87,800.00")


# --------------------------------------------------------------------------- uncoded 支出 lines

# 杭州市气象局 表1 收支预算总表 (p15): the 支出 half lists 类, 款 and 项 without codes or numbers.
HANGZHOU_INCOME = [("一、财政拨款", "5,753.07"), ("一般公共预算", "5,753.07"), ("政府性基金预算", ""),
                   ("国有资本经营预算", ""), ("二、财政专户管理资金", ""), ("三、事业收入", ""),
                   ("四、事业单位经营收入", ""), ("五、上级补助收入", ""), ("六、附属单位上缴收入", ""),
                   ("七、其他收入", "123.61"), ("本年收入合计", "5,876.67"), ("上年结转结余", ""),
                   ("收入总计", "5,876.67")]
HANGZHOU_SPENDING = [("科学技术支出", "28.00"), ("技术研究与开发", "28.00"),
                     ("科技成果转化与扩散", "28.00"), ("社会保障和就业支出", "396.67"),
                     ("行政事业单位养老支出", "396.67"), ("行政单位离退休", "193.24"),
                     ("机关事业单位基本养老保险缴费支出", "135.62"),
                     ("机关事业单位职业年金缴费支出", "67.81"), ("卫生健康支出", "80.52"),
                     ("行政事业单位医疗", "80.52"), ("行政单位医疗", "61.17"), ("事业单位医疗", "19.35"),
                     ("自然资源海洋气象等支出", "5,371.48"), ("气象事务", "5,371.48"),
                     ("行政运行", "2,617.19"), ("气象事业机构", "650.68"), ("气象服务", "2,103.61"),
                     ("本年支出合计", "5,876.67"), ("年终结转结余", ""), ("支出总计", "5,876.67")]


def test_uncoded_lines_summed_by_class_names():
    got = checks(halves("income_expenditure_summary", HANGZHOU_INCOME, HANGZHOU_SPENDING))
    c = got["income_expenditure_summary.items.本年支出合计.支出/预算数"]
    # 5,876.67 = 28.00 + 396.67 + 80.52 + 5,371.48: the four 类, not every line
    assert c.status == "pass"
    assert [v for _, v in cells(c)[1:]] == ["28.00", "396.67", "80.52", "5,371.48"]
    # without codes anywhere in the document, 款 and 项 cannot be told apart: not summed
    assert "income_expenditure_summary.items.科学技术支出.支出/预算数" not in got
    assert got["income_expenditure_summary.balance.收入总计=支出总计"].status == "pass"


def test_uncoded_lines_planted_error_fails():
    spending = [(x, "5,317.48" if x == "自然资源海洋气象等支出" else v) for x, v in HANGZHOU_SPENDING]
    c = checks(halves("income_expenditure_summary", HANGZHOU_INCOME, spending))[
        "income_expenditure_summary.items.本年支出合计.支出/预算数"]
    assert c.status == "fail" and c.actual == "5822.67"
    assert ("支出/预算数", "5,317.48") in cells(c)


# 杭州市气象局 表3 支出预算总表 (p17): 功能分类科目名称 only, no code column; 类, 款 and 项 told
# apart by indentation alone.
HANGZHOU_EXPENDITURE = [
    (("合计", ""), "5,876.67", "2,906.80"), (("科学技术支出", ""), "28.00", ""),
    (("技术研究与开发", ""), "28.00", ""), (("科技成果转化与扩散", ""), "28.00", ""),
    (("社会保障和就业支出", ""), "396.67", "395.77"), (("行政事业单位养老支出", ""), "396.67", "395.77"),
    (("行政单位离退休", ""), "193.24", "192.34"),
    (("机关事业单位基本养老保险缴费支出", ""), "135.62", "135.62"),
    (("机关事业单位职业年金缴费支出", ""), "67.81", "67.81"), (("卫生健康支出", ""), "80.52", "80.52"),
    (("行政事业单位医疗", ""), "80.52", "80.52"), (("行政单位医疗", ""), "61.17", "61.17"),
    (("事业单位医疗", ""), "19.35", "19.35"), (("自然资源海洋气象等支出", ""), "5,371.48", "2,430.50"),
    (("气象事务", ""), "5,371.48", "2,430.50"), (("行政运行", ""), "2,617.19", "1,907.01"),
    (("气象事业机构", ""), "650.68", "523.49"), (("气象服务", ""), "2,103.61", ""),
]
HANGZHOU_PATHS = [("功能分类科目名称",), ("总计",), ("基本支出", "人员支出")]


def test_uncoded_table_total_by_class_names():
    got = checks(grid("expenditure_summary", HANGZHOU_PATHS, HANGZHOU_EXPENDITURE))
    c = got["expenditure_summary.total_row.总计"]
    assert c.status == "pass"  # 5,876.67 = 28.00 + 396.67 + 80.52 + 5,371.48
    assert [r["row_label"] for r in c.refs[1:]] == ["科学技术支出", "社会保障和就业支出",
                                                   "卫生健康支出", "自然资源海洋气象等支出"]
    p = got["expenditure_summary.total_row.基本支出/人员支出"]
    # 395.77 + 80.52 + 2,430.50 = 2,906.79 against 2,906.80: rounding
    assert p.status == "rounding" and p.actual == "2906.79"
    rows = [(x[0], "80.25", x[2]) if x[0][0] == "卫生健康支出" else x for x in HANGZHOU_EXPENDITURE]
    bad = checks(grid("expenditure_summary", HANGZHOU_PATHS, rows))["expenditure_summary.total_row.总计"]
    assert bad.status == "fail" and ("总计", "80.25") in cells(bad)


# 深圳市民政局 表1 收支总表 (p16) prints 一、教育支出 / 进修及培训 / 培训支出 without codes; its 表3 支出总表
# (p20) prints the same lines with codes 205 / 20508 / 2050803, which place them.
SHENZHEN_INCOME = [("一、财政拨款", "28,097.48"), ("本年收入合计", "28,097.48"),
                   ("上年结余、结转", "185.98"), ("收入总计", "28,283.46")]
SHENZHEN_SPENDING = [("一、教育支出", "12.23"), ("进修及培训", "12.23"), ("培训支出", "12.23"),
                     ("二、社会保障和就业支出", "7,366.68"), ("民政管理事务", "6,575.72"),
                     ("行政运行", "3,222.33"), ("一般行政管理事务", "2,605.53"),
                     ("社会组织管理", "567.04"), ("行政区划和地名管理", "22.27"),
                     ("老龄事务", "158.56"), ("行政事业单位养老支出", "790.96"),
                     ("行政单位离退休", "360.96"), ("机关事业单位基本养老保险缴费支出", "290.00"),
                     ("机关事业单位职业年金缴费支出", "140.00")]
SHENZHEN_CODED = [
    (("教育支出", "205"), "12.23"), (("进修及培训", "20508"), "12.23"),
    (("培训支出", "2050803"), "12.23"), (("社会保障和就业支出", "208"), "7,366.68"),
    (("民政管理事务", "20802"), "6,575.72"), (("行政运行", "2080201"), "3,222.33"),
    (("一般行政管理事务", "2080202"), "2,605.53"), (("社会组织管理", "2080206"), "567.04"),
    (("行政区划和地名管理", "2080207"), "22.27"), (("老龄事务", "2080209"), "158.56"),
    (("行政事业单位养老支出", "20805"), "790.96"), (("行政单位离退休", "2080501"), "360.96"),
    (("机关事业单位基本养老保险缴费支出", "2080505"), "290.00"),
    (("机关事业单位职业年金缴费支出", "2080506"), "140.00"),
]


def _shenzhen(spending: list[tuple[str, str]]) -> dict[str, Check]:
    summary = halves("income_expenditure_summary", SHENZHEN_INCOME, spending)
    coded = grid("expenditure_summary", [("科目名称",), ("支出总计",)], SHENZHEN_CODED,
                 table_no="3")
    return checks(summary, coded)


def test_uncoded_lines_placed_by_the_documents_codes():
    got = _shenzhen(SHENZHEN_SPENDING)
    edu = got["income_expenditure_summary.items.教育支出.支出/预算数"]
    assert edu.status == "pass" and [v for _, v in cells(edu)] == ["12.23", "12.23"]  # 款 only
    ss = got["income_expenditure_summary.items.社会保障和就业支出.支出/预算数"]
    assert ss.status == "pass"  # 7,366.68 = 6,575.72 + 790.96
    assert [v for _, v in cells(ss)] == ["7,366.68", "6,575.72", "790.96"]
    mz = got["income_expenditure_summary.items.民政管理事务.支出/预算数"]
    # 3,222.33 + 2,605.53 + 567.04 + 22.27 + 158.56 = 6,575.73 against 6,575.72: rounding
    assert mz.status == "rounding" and mz.actual == "6575.73"
    assert got["income_expenditure_summary.items.行政事业单位养老支出.支出/预算数"].status == "pass"


def test_uncoded_lines_placed_by_codes_planted_error_fails():
    spending = [(x, "21.23" if x == "培训支出" else v) for x, v in SHENZHEN_SPENDING]
    c = _shenzhen(spending)["income_expenditure_summary.items.进修及培训.支出/预算数"]
    assert c.status == "fail"
    assert cells(c) == [("支出/预算数", "12.23"), ("支出/预算数", "21.23")]
    assert [r["row_label"] for r in c.refs] == ["进修及培训", "培训支出"]


# 深圳市民政局 表6 财政拨款收支总表 (p26-27): unnumbered headings over numbered lists, above and
# below 本年收入合计.
SHENZHEN_GRANT_INCOME = [("财政拨款", "28,097.48"), ("1.一般公共预算拨款", "8,761.33"),
                         ("2.政府性基金预算拨款", "19,336.15"), ("3.国有资本经营预算拨款", "0.00"),
                         ("本年收入合计", "28,097.48"), ("上年结余、结转", "185.98"),
                         ("1.一般公共预算拨款结余、结转", "185.98"),
                         ("2.政府性基金预算拨款结余、结转", "0.00"),
                         ("3.国有资本经营预算拨款结余、结转", "0.00"), ("收入总计", "28,283.46")]


def test_unnumbered_heading_over_a_numbered_list():
    got = checks(halves("fiscal_grant_summary", SHENZHEN_GRANT_INCOME, [("支出总计", "28,283.46")]))
    sub = got["fiscal_grant_summary.items.本年收入合计.收入/预算数"]
    assert sub.status == "pass" and [v for _, v in cells(sub)] == ["28,097.48", "28,097.48"]
    grants = got["fiscal_grant_summary.items.财政拨款.收入/预算数"]
    assert grants.status == "pass"  # 28,097.48 = 8,761.33 + 19,336.15 + 0.00
    total = got["fiscal_grant_summary.items.收入总计.收入/预算数"]
    # 28,283.46 = 本年收入合计 28,097.48 + 上年结余、结转 185.98 (its sub-items not added again)
    assert total.status == "pass" and [v for _, v in cells(total)] == \
        ["28,283.46", "28,097.48", "185.98"]
    income = [(x, "19,363.15" if x.startswith("2.政府性基金预算拨款") and "结" not in x else v)
              for x, v in SHENZHEN_GRANT_INCOME]
    bad = checks(halves("fiscal_grant_summary", income, [("支出总计", "28,283.46")]))
    c = bad["fiscal_grant_summary.items.财政拨款.收入/预算数"]
    assert c.status == "fail" and ("收入/预算数", "19,363.15") in cells(c)


# --------------------------------------------------------------------------- 合计 above items

# 重庆 表一 收支总体情况表 (p8): 合计 is the first line of each half, above its items.
CHONGQING_INCOME = [("合计", "45,369.18"), ("一、一般公共预算资金", "37,891.58"),
                    ("二、政府性基金预算资金", "4,066.60"), ("三、国有资本经营预算资金", ""),
                    ("四、财政专户管理资金", ""), ("五、事业收入资金", "2,898.00"),
                    ("六、上级补助收入资金", ""), ("七、附属单位上缴收入资金", ""),
                    ("八、事业单位经营收入资金", ""), ("九、其他收入资金", "513.00")]
CHONGQING_SPENDING = [("合计", "45,369.18"), ("一、一般公共服务支出", "22,022.92"),
                      ("二、教育支出", "9.30"), ("三、文化旅游体育与传媒支出", "19,527.61"),
                      ("四、社会保障和就业支出", "2,164.46"), ("五、卫生健康支出", "610.90"),
                      ("六、资源勘探工业信息等支出", "371.13"), ("七、住房保障支出", "662.86")]


def test_total_printed_above_its_items():
    got = checks(halves("income_expenditure_summary", CHONGQING_INCOME, CHONGQING_SPENDING))
    inc = got["income_expenditure_summary.items.合计.收入/预算数"]
    assert inc.status == "pass" and inc.actual == "45369.18"
    exp = got["income_expenditure_summary.items.合计.支出/预算数"]
    assert exp.status == "pass" and len(exp.refs) == 8  # the 合计 and its 7 items
    spending = [(x, "9.03" if x == "二、教育支出" else v) for x, v in CHONGQING_SPENDING]
    bad = checks(halves("income_expenditure_summary", CHONGQING_INCOME, spending))[
        "income_expenditure_summary.items.合计.支出/预算数"]
    assert bad.status == "fail" and ("支出/预算数", "9.03") in cells(bad)


# 杭州市气象局 表4 财政拨款收支预算总表 (p18): 一、本年支出合计 printed above the 类 lines.
HANGZHOU_GRANT_INCOME = [("一、财政拨款", "5,753.07"), ("一般公共预算", "5,753.07"),
                         ("二、上年结转结余", ""), ("收入总计", "5,753.07")]
HANGZHOU_GRANT_SPENDING = [("一、本年支出合计", "5,753.07"), ("科学技术支出", "28.00"),
                           ("技术研究与开发", "28.00"), ("社会保障和就业支出", "396.67"),
                           ("行政事业单位养老支出", "396.67"), ("卫生健康支出", "80.52"),
                           ("行政事业单位医疗", "80.52"), ("自然资源海洋气象等支出", "5,247.87"),
                           ("气象事务", "5,247.87"), ("二、年终结转结余", ""), ("支出总计", "5,753.07")]


def test_subtotal_printed_above_its_items_rounding():
    got = checks(halves("fiscal_grant_summary", HANGZHOU_GRANT_INCOME, HANGZHOU_GRANT_SPENDING))
    c = got["fiscal_grant_summary.items.本年支出合计.支出/预算数"]
    # 28.00 + 396.67 + 80.52 + 5,247.87 = 5,753.06 against 5,753.07 printed: rounding
    assert c.status == "rounding" and c.actual == "5753.06"
    total = got["fiscal_grant_summary.items.支出总计.支出/预算数"]
    assert total.status == "pass"  # 支出总计 = 本年支出合计 + 年终结转结余 (blank)


# --------------------------------------------------------------------------- 上年结转

# 北京市司法局: 预算05表 一般公共预算支出表 合计 29,844.198694 (p12) spends 上年结转 too; 预算04表
# 财政拨款收支总表 (p9-10): 一般公共预算资金 29,569.515638, 上年结转结余 一般公共预算拨款 274.683056.
BEIJING_GRANT_INCOME = [("一、一般公共预算资金", "29,569.515638"), ("二、政府性基金预算资金", ""),
                        ("三、国有资本经营预算资金", ""), ("本年收入合计", "29,569.515638"),
                        ("上年结转结余", "274.683056"), ("一、一般公共预算拨款", "274.683056"),
                        ("二、政府性基金预算拨款", ""), ("收入总计", "29,844.198694")]
BEIJING_GRANT_SPENDING = [("四、公共安全支出", "25,796.589222"), ("五、教育支出", "283.305600"),
                          ("八、社会保障和就业支出", "2,218.235324"), ("九、卫生健康支出", "1,348.819548"),
                          ("二十三、其他支出", "197.249000"), ("本年支出合计", "29,844.198694"),
                          ("年终结转结余", ""), ("支出总计", "29,844.198694")]


def _beijing(total: str) -> dict[str, Check]:
    gbe = grid("general_budget_expenditure", [("科目名称",), ("合计",)],
               [(("合计", ""), total)], unit="万元", table_no="5")
    fgs = halves("fiscal_grant_summary", BEIJING_GRANT_INCOME, BEIJING_GRANT_SPENDING,
                 table_no="4")
    return checks(gbe, fgs)


def test_expenditure_including_carryover():
    c = _beijing("29,844.198694")[
        "cross.general_budget_expenditure_total=fiscal_grant_summary_general_budget"]
    assert c.status == "pass"
    assert [v for _, v in cells(c)] == ["29,844.198694", "29,569.515638", "274.683056"]
    assert "上年结转" in c.message


def test_expenditure_including_carryover_planted_error_fails():
    c = _beijing("29,844.189694")[
        "cross.general_budget_expenditure_total=fiscal_grant_summary_general_budget"]
    assert c.status == "fail"
    assert cells(c)[0] == ("合计", "29,844.189694")


# 国家信访局 部门公开表4 财政拨款收支总表 (p9) spends 上年结转 2,254.12 across its 类; 表5 一般公共预算
# 支出表 (p10-11) shows this year's 16,474.82 only: a 类 there can only be smaller.
GJXF_GRANT_INCOME = [("一、本年收入", "16,474.82"), ("（一）一般公共预算拨款", "16,474.82"),
                     ("二、上年结转", "2,254.12"), ("（一）一般公共预算拨款", "2,254.12"),
                     ("收入总计", "18,728.94")]
GJXF_GRANT_SPENDING = [("一、本年支出", "18,728.94"), ("（一）一般公共服务支出", "15,291.30"),
                       ("（二）教育支出", "118.01"), ("（三）社会保障和就业支出", "2,208.19"),
                       ("（四）住房保障支出", "1,111.44"), ("二、结转下年", ""), ("支出总计", "18,728.94")]


def _gjxf(education: str) -> dict[str, Check]:
    gbe = grid("general_budget_expenditure", [("科目名称",), ("合计",)], [
        (("一般公共服务支出", "201"), "13,144.37"), (("教育支出", "205"), education),
        (("社会保障和就业支出", "208"), "2,156.86"), (("住房保障支出", "221"), "1,055.58"),
        (("合计", ""), "16,474.82")], table_no="5")
    fgs = halves("fiscal_grant_summary", GJXF_GRANT_INCOME, GJXF_GRANT_SPENDING, table_no="4")
    return checks(gbe, fgs)


def test_class_against_grant_summary_spending_carryover():
    got = _gjxf("118.01")
    key = "cross.general_budget_expenditure_class=fiscal_grant_summary_item."
    c = got[key + "一般公共服务支出"]
    assert c.status == "pass" and "≤" in c.message and "上年结转" in c.message
    assert [v for _, v in cells(c)] == ["13,144.37", "15,291.30"]
    assert got[key + "教育支出"].status == "pass" and "=" in got[key + "教育支出"].message
    # the table totals agree on this year's money
    assert got["cross.general_budget_expenditure_total=fiscal_grant_summary_general_budget"
               ].status == "pass"


def test_class_against_grant_summary_planted_error_fails():
    c = _gjxf("181.01")["cross.general_budget_expenditure_class=fiscal_grant_summary_item.教育支出"]
    assert c.status == "fail"
    assert cells(c) == [("合计", "181.01"), ("支出/预算数", "118.01")]


# --------------------------------------------------------------------------- per-unit blocks

# 深圳市民政局 表3 支出总表 (p20-22): the 预算单位 line 深圳市民政局（本级） 28,283.46 above its 类 rows
# 205 12.23, 208 7,366.68, 210 117.60, 221 1,450.81, 229 19,336.15 (sum 28,283.47).
SHENZHEN_UNIT = [(("深圳市民政局（本级）", ""), "28,283.46"), (("教育支出", "205"), "12.23"),
                 (("社会保障和就业支出", "208"), "7,366.68"), (("卫生健康支出", "210"), "117.60"),
                 (("住房保障支出", "221"), "1,450.81"), (("其他支出", "229"), "19,336.15")]


def unit_grid(rows: list[tuple]) -> Table:
    """The 支出总表 with its 预算单位 column: a unit's name there, a 科目's in 科目名称."""
    t = grid("expenditure_summary", [("科目名称",), ("支出总计",)], rows)
    t.columns.insert(0, Column(path=("预算单位",), role="stub", index=0))
    for r in t.rows:
        if not r.code and r.label != "合计":
            r.cells["预算单位"] = r.cells.pop("科目名称")
    return t


def test_unit_line_needs_a_unit_column():
    # the same rows where the uncoded line is a 科目名称 (西安's 经济分类 table prints such
    # lines): no unit block is read, no unit_total check made
    got = checks(grid("expenditure_summary", [("科目名称",), ("支出总计",)], SHENZHEN_UNIT))
    assert not any(".unit_total." in k for k in got)


def test_unit_line_is_the_total_of_its_block():
    got = checks(unit_grid(SHENZHEN_UNIT))
    c = got["expenditure_summary.unit_total.深圳市民政局(本级).支出总计"]
    assert c.status == "rounding" and c.actual == "28283.47"  # 5 类 rounded separately
    assert [r["row_code"] for r in c.refs] == ["", "205", "208", "210", "221", "229"]


def test_unit_blocks_with_a_department_total():
    # two units of one 部门: the 合计 = Σ unit lines, each unit = Σ its own 类 rows (the codes
    # start again under the second unit, so a 类 may repeat)
    rows = [(("合计", ""), "28,295.69")] + SHENZHEN_UNIT + [
        (("深圳市民政局培训中心", ""), "12.23"), (("教育支出", "205"), "12.23")]
    got = checks(unit_grid(rows))
    assert got["expenditure_summary.total_row.支出总计"].status == "pass"
    assert got["expenditure_summary.unit_total.深圳市民政局培训中心.支出总计"].status == "pass"
    rows[-1] = (("教育支出", "205"), "12.32")
    bad = checks(unit_grid(rows))
    c = bad["expenditure_summary.unit_total.深圳市民政局培训中心.支出总计"]
    assert c.status == "fail" and cells(c) == [("支出总计", "12.23"), ("支出总计", "12.32")]


# 北京市司法局 预算05表 一般公共预算支出表 (p11-12): five units' 项 rows in turn, each run in
# ascending code order, no unit line, one 合计 29,844.198694 for all of them.
BEIJING_05 = """
2040601:12,482.549431 2040602:388.080000 2040604:609.830080 2040605:482.192740
2040606:120.591200 2040607:169.639480 2040608:968.090260 2040610:15.000000
2040612:1,284.071415 2040613:2,972.759026 2040699:209.752000 2050803:174.633600
2080501:379.986800 2080505:954.071028 2080506:477.388824 2101101:1,090.455552
2299999:197.249000
2040601:1,022.607002 2040607:2,726.099023 2050803:2.000000 2080501:5.957000
2080502:2.800000 2080505:70.187220 2080506:35.093604 2101101:60.617112 2101103:18.556260
2040650:1,304.738115 2050803:104.772000 2080502:15.939400 2080505:105.016224
2080506:47.604912 2101102:96.535524
2040612:95.949000 2040650:541.415043 2050803:1.880000 2080505:43.542336 2080506:21.771168
2101102:37.074240 2101103:11.349252
2040608:19.416000 2040650:383.809407 2050803:0.020000 2080502:12.698600 2080505:30.785472
2080506:15.392736 2101102:34.231608
"""


def _beijing_05(total: str) -> Table:
    rows = [((code, code), amount) for code, amount in
            (pair.split(":") for pair in BEIJING_05.split())]
    return grid("general_budget_expenditure", [("科目名称",), ("合计",)],
                rows + [(("合计", ""), total)])


def test_unit_blocks_without_unit_lines():
    c = checks(_beijing_05("29,844.198694"))["general_budget_expenditure.total_row.合计"]
    assert c.status == "pass" and "5 unit blocks" in c.message
    assert len(c.refs) == 47  # the 合计 and the 46 rows of the five blocks
    bad = checks(_beijing_05("29,844.198964"))["general_budget_expenditure.total_row.合计"]
    assert bad.status == "fail" and cells(bad)[0] == ("合计", "29,844.198964")


# 西安市信访局 表2 部门综合预算收入总表 (p20): 合计, 121 西安市信访局 (部门), 121001 西安市信访局
# (its one unit), in 元.
XIAN_INCOME_PATHS = [("单位名称",), ("部门预算", "合计"), ("部门预算", "一般公共预算拨款", "小计")]


def _xian_income(unit: str) -> Table:
    t = grid("income_summary", XIAN_INCOME_PATHS, [
        (("合计", ""), "28,384,234.71", "28,384,234.71"),
        (("西安市信访局", "121"), "28,384,234.71", "28,384,234.71"),
        (("西安市信访局", "121001"), unit, "28,384,234.71")], unit="元")
    t.columns.insert(0, Column(path=("单位编码",), role="code", index=0))
    link_codes(t)
    return t


def test_unit_codes_nest_by_prefix():
    got = checks(_xian_income("28,384,234.71"))
    c = got["income_summary.code_tree.121.部门预算/合计"]
    assert c.status == "pass" and "unit rows" in c.message
    assert [r["row_code"] for r in c.refs] == ["121", "121001"]
    assert got["income_summary.total_row.部门预算/合计"].status == "pass"
    bad = checks(_xian_income("28,384,243.71"))["income_summary.code_tree.121.部门预算/合计"]
    assert bad.status == "fail" and cells(bad)[1] == ("部门预算/合计", "28,384,243.71")


# --------------------------------------------------------------------------- narrative-only


def _without_tables(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("|"))


def test_narrative_only_disclosure(tmp_path):
    # the seed's own text with every table removed: what a publisher putting the tables in a
    # separate file leaves in this one
    src = tmp_path / "narrative-only.md"
    src.write_text(_without_tables(SEED.read_text(encoding="utf-8")), encoding="utf-8")
    doc = budget_extract.extract(src)
    # no table, so no accounting check; what the text claims about itself (changes, shares,
    # base years) is still checked, and holds, but no headline can be compared with a table;
    # the text's own blank reason (增长原因主要是。) is still found
    assert doc.tables == []
    claims = [c for c in doc.checks if c.id.startswith("claims.")]
    assert [c.id for c in doc.checks if c not in claims] == ["hygiene.empty_reason"]
    assert claims and all(c.status == "pass" for c in claims)
    assert not any(c.id.startswith("claims.headline.") for c in doc.checks)
    assert any("no tables in this file" in w and "separate file" in w for w in doc.warnings)
    # 一、关于2026年收支总表的说明: 2026年收支总预算361.68万元
    first = doc.narrative[0]
    assert (first.amount, first.unit, first.year) == ("361.68", "万元", 2026)
    assert first.table_ref is None


def test_narrative_only_cli_exit_0(tmp_path):
    from budget_extract.cli import main

    src = tmp_path / "narrative-only.md"
    src.write_text(_without_tables(SEED.read_text(encoding="utf-8")), encoding="utf-8")
    assert main(["extract", str(src), "-o", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "narrative-only.json").exists()


def test_non_budget_text_is_still_refused(tmp_path):
    src = tmp_path / "notice.md"
    src.write_text("# 关于召开2026年预算编制工作会议的通知\n\n各单位：\n\n"
                   "定于3月5日召开会议，请各单位准备材料，会务费每人200元。\n\n"
                   "## 一、会议时间\n\n3月5日上午9时。\n", encoding="utf-8")
    with pytest.raises(ExtractError, match="no tables found"):
        budget_extract.extract(src)


# --------------------------------------------------------------------------- 一、 > 1、 > (1)

# 西安 表1 部门综合预算收支总表 (p19), 元: three levels of numbering on both halves; (1) items
# sit under the 1、 item before them, not beside it.
XIAN_INCOME = [("一、部门预算", "28,384,234.71"), ("1、财政拨款", "28,384,234.71"),
               ("(1)一般公共预算拨款", "28,384,234.71"),
               ("其中：专项资金列入部门预算的项目", "550,000.00"), ("(2)政府性基金拨款", ""),
               ("(3)国有资本经营预算收入", ""), ("2、上级补助收入", ""), ("3、事业收入", ""),
               ("本年收入合计", "28,384,234.71"), ("收入总计", "28,384,234.71")]
XIAN_SPENDING = [("一、部门预算", "28,384,234.71"), ("1、人员经费和公用经费支出", "19,328,114.71"),
                 ("(1)工资福利支出", "17,103,265.51"), ("(2)商品和服务支出", "1,753,379.20"),
                 ("(3)对个人和家庭的补助", "415,970.00"), ("(4)资本性支出", "55,500.00"),
                 ("2、专项业务经费支出", "9,056,120.00"), ("(1)工资福利支出", ""),
                 ("(2)商品和服务支出", "8,166,120.00"), ("(3)对个人和家庭补助", "850,000.00"),
                 ("(6)资本性支出", "40,000.00"), ("3、上缴上级支出", ""),
                 ("本年支出合计", "28,384,234.71"), ("支出总计", "28,384,234.71")]


def test_parenthesised_items_sit_under_numbered_items():
    got = checks(halves("income_expenditure_summary", XIAN_INCOME, XIAN_SPENDING, unit="元"))
    top = got["income_expenditure_summary.items.部门预算.支出/预算数"]
    # 28,384,234.71 = 19,328,114.71 + 9,056,120.00 + (blank): the 1、 items only
    assert top.status == "pass" and [v for _, v in cells(top)][1:] == \
        ["19,328,114.71", "9,056,120.00", ""]
    assert got["income_expenditure_summary.items.人员经费和公用经费支出.支出/预算数"].status \
        == "pass"
    assert got["income_expenditure_summary.items.部门预算.收入/预算数"].status == "pass"
    spending = [(x, "1,735,379.20" if x == "(2)商品和服务支出" and v.startswith("1,") else v)
                for x, v in XIAN_SPENDING]
    bad = checks(halves("income_expenditure_summary", XIAN_INCOME, spending, unit="元"))
    c = bad["income_expenditure_summary.items.人员经费和公用经费支出.支出/预算数"]
    assert c.status == "fail" and ("支出/预算数", "1,735,379.20") in cells(c)
