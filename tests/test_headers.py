"""Header structure: meta lines, wrapped lines, spans from geometry, 栏次 rows, panels.

Synthetic grids pin each mechanism; the real PDFs (in ``../shared/real`` beside the
checkout, read once per session by ``tests/real_docs.py``) check it on the printed pages,
with expected paths and values read off the pages.
"""

from __future__ import annotations

import pytest
from real_docs import doc as real_doc  # once per session; skips without ../shared/real

import budget_extract
import budget_extract.budget.interpret
from budget_extract.facts import table_facts
from budget_extract.headers import (
    column_paths,
    header_row_count,
    infer_spans,
    is_column_numbers,
    split_meta,
    wrapped_lines,
)
from budget_extract.model import Grid, GridCell
from budget_extract.tables.build import build_table
from budget_extract.tables.detect import TableCandidate

GZ = "广州市信访局2026年部门预算"
HZ = "杭州市气象局2026年部门预算"
XA = "西安市信访局2026年部门预算"
SZ = "苏州市审计局2026年部门预算"
SHJS = "中共上海市普陀区委社会工作部2024年度部门决算"
GJ = "国家信访局2026年部门预算"


def cell(text: str, row: int, col: int, bbox: tuple[float, float, float, float] | None = None,
         rowspan: int = 1, colspan: int = 1) -> GridCell:
    return GridCell(text=text, row=row, col=col, rowspan=rowspan, colspan=colspan, page=1,
                    bbox=bbox)


def ruled(rows: list[list[str]]) -> Grid:
    return Grid.from_rows(rows, page=1, ruled=True)


def build(grid: Grid, title: str = "某表") -> budget_extract.model.Table:
    return build_table(TableCandidate(fragments=[grid], title=title, unit="万元"), [])


# --------------------------------------------------------------------------- meta lines


def test_meta_row_inside_the_ruling_is_not_a_level() -> None:
    g = Grid(cells=[cell("单位名称：广州市信访局", 0, 0, colspan=2), cell("单位：万元", 0, 2),
                    cell("项目", 1, 0), cell("合计", 1, 1), cell("一般公共预算", 1, 2),
                    cell("行政经费", 2, 0), cell("444.39", 2, 1), cell("444.39", 2, 2)],
             n_rows=3, n_cols=3, page=1, ruled=True)
    stripped, meta = split_meta(g)
    assert (meta.unit, meta.unit_name) == ("万元", "广州市信访局")
    assert stripped.n_rows == 2
    assert column_paths(stripped, header_row_count(stripped)) == [
        ("项目",), ("合计",), ("一般公共预算",)]


def test_meta_cell_sharing_a_row_with_headers_is_removed_alone() -> None:
    # a borderless reader put 单位：万元 in the same row as the top header cells
    g = Grid(cells=[cell("预算单位：某局", 0, 0), cell("合计", 0, 1, rowspan=2),
                    cell("一般公共预算", 0, 2, rowspan=2), cell("单位：万元", 0, 3),
                    cell("项目", 1, 0), cell("国有资本经营预算", 1, 3),
                    cell("行政经费", 2, 0), cell("1.00", 2, 1), cell("1.00", 2, 2),
                    cell("0.00", 2, 3)],
             n_rows=3, n_cols=4, page=1)
    stripped, meta = split_meta(g)
    assert (meta.unit, meta.unit_name) == ("万元", "某局")
    assert column_paths(stripped, header_row_count(stripped)) == [
        ("项目",), ("合计",), ("一般公共预算",), ("国有资本经营预算",)]


def test_a_level_that_mentions_the_unit_stays() -> None:
    g = ruled([["项目", "预算数（单位：万元）"], ["培训费", "1.50"]])
    stripped, meta = split_meta(g)
    assert stripped is g and meta.unit == ""


def test_an_empty_table_keeps_the_sub_headings_of_a_spanning_heading() -> None:
    # 西安 表9 政府性基金收支表: nothing but labels, so no body row stops the header
    g = Grid(cells=[cell("收入", 0, 0, colspan=2), cell("支出", 0, 2, colspan=2),
                    cell("项目", 1, 0), cell("预算数", 1, 1), cell("支出功能分类科目", 1, 2),
                    cell("预算数", 1, 3), cell("一、政府性基金拨款", 2, 0),
                    cell("一、科学技术支出", 2, 2)], n_rows=3, n_cols=4, page=1, ruled=True)
    assert header_row_count(g) == 2
    assert column_paths(g, 2) == [("收入", "项目"), ("收入", "预算数"),
                                  ("支出", "支出功能分类科目"), ("支出", "预算数")]


# --------------------------------------------------------------------------- wrapped lines

# 广州 表2's header as a borderless reader gives it: each printed line in a grid row of its
# own (boxes in points, 10 pt type).
GZ_HEAD = [
    cell("合计", 0, 0, (249.3, 147.8, 269.3, 157.8), rowspan=4),
    cell("一般公共预", 0, 1, (294.5, 148.1, 344.6, 158.2)),
    cell("财政拨款收入", 0, 2, (345.7, 124.0, 405.8, 134.0)),
    cell("国有资本经", 0, 3, (406.9, 148.1, 457.0, 158.2)),
    cell("算", 1, 1, (314.6, 163.7, 324.6, 173.8), rowspan=3),
    cell("政府性基金", 1, 2, (350.7, 148.1, 400.8, 158.2)),
    cell("营预算", 1, 3, (417.0, 163.7, 447.0, 173.8), rowspan=3),
    cell("预算", 2, 2, (365.7, 163.7, 385.8, 173.8), rowspan=2),
    cell("其他资金收入", 0, 5, (586.7, 124.0, 646.8, 134.0)),
    cell("事业收", 0, 4, (561.5, 148.1, 591.6, 158.2)),
    cell("入", 1, 4, (571.5, 163.7, 581.5, 173.8), rowspan=3),
    cell("事业单", 1, 5, (601.7, 140.3, 631.8, 150.3)),
    cell("位经营", 2, 5, (601.7, 155.9, 631.8, 165.9)),
    cell("收入", 3, 5, (606.7, 171.5, 626.7, 181.6)),
    cell("其他收", 0, 6, (641.9, 148.1, 672.0, 158.2)),
    cell("入", 1, 6, (651.9, 163.7, 662.0, 173.8), rowspan=3),
]
GZ_BODY = [cell(v, 4, k, (x, 187.9, x + 40, 197.9)) for k, (v, x) in enumerate(
    [("3,944.08", 251.0), ("3,944.08", 307.2), ("0.00", 383.5), ("0.00", 439.7),
     ("0.00", 576.2), ("0.00", 616.4), ("0.00", 656.6)])]


def gz_grid() -> Grid:
    return Grid(cells=GZ_HEAD + GZ_BODY, n_rows=5, n_cols=7, page=1)


def test_wrapped_lines_of_one_cell_are_one_level() -> None:
    g = gz_grid()
    joined = {c.text: j.text for c in g.cells if (j := wrapped_lines(g, 4).get(id(c)))}
    assert joined["一般公共预"] == joined["算"] == "一般公共预算"
    assert joined["政府性基金"] == "政府性基金预算"
    # a wider heading above a wrapped stack is a heading of its own
    assert "其他资金收入" not in joined
    assert joined["事业单"] == joined["位经营"] == joined["收入"] == "事业单位经营收入"


def test_a_ruled_grid_keeps_stacked_cells_as_levels() -> None:
    g = Grid(cells=[cell(c.text, c.row, c.col, c.bbox, c.rowspan, c.colspan) for c in GZ_HEAD],
             n_rows=4, n_cols=7, page=1, ruled=True)
    assert wrapped_lines(g, 4) == {}


def test_spans_inferred_from_where_headings_sit() -> None:
    g = gz_grid()
    assert column_paths(g, 4) == [
        ("合计",), ("财政拨款收入", "一般公共预算"), ("财政拨款收入", "政府性基金预算"),
        ("财政拨款收入", "国有资本经营预算"), ("其他资金收入", "事业收入"),
        ("其他资金收入", "事业单位经营收入"), ("其他资金收入", "其他收入")]
    joined = wrapped_lines(g, 4)
    blocks = list({id(b): b for b in (joined.get(id(c), c) for c in GZ_HEAD)}.values())
    spans = {b.text: list(r) for b in blocks if (r := infer_spans(g, 4, blocks).get(id(b)))}
    assert spans == {"财政拨款收入": [1, 2, 3], "其他资金收入": [4, 5, 6]}


def test_a_full_height_column_is_not_under_a_neighbouring_heading() -> None:
    paths = column_paths(gz_grid(), 4)
    assert paths[0] == ("合计",)


# --------------------------------------------------------------------------- 栏次 rows


@pytest.mark.parametrize("texts,expected", [
    (["栏次", "", "1", "2", "3"], True),
    (["**", "1", "2", "3", "4", "5"], True),
    (["", "1", "2", "3"], True),
    (["行次", "1"], True),
    (["合计", "1", "2", "3"], False),        # a labelled data row
    (["", "1", "2"], False),                 # two small numbers, no label: data
    (["栏次", "1", "3", "4"], False),         # not consecutive
    (["", "2", "3", "4"], False),             # does not start at 1
    (["", "1.00", "2.00", "3.00"], False),
])
def test_column_number_rows(texts: list[str], expected: bool) -> None:
    assert is_column_numbers(texts) is expected


def test_a_column_number_row_is_not_a_body_row() -> None:
    t = build(ruled([["项目", "本年支出合计", "基本支出", "项目支出"],
                     ["栏次", "1", "2", "3"],
                     ["合计", "5.00", "3.00", "2.00"]]))
    assert [r.label for r in t.rows] == ["合计"]
    assert t.rows[0].row_no == 1


def test_an_unlabelled_row_number_column_is_an_index() -> None:
    t = build(ruled([["", "项目", "金额"], ["1", "甲", "5.00"], ["2", "乙", "3.00"],
                     ["3", "丙", "2.00"]]))
    assert [c.role for c in t.columns] == ["index", "stub", "value"]


# --------------------------------------------------------------------------- panels


def test_four_panels_each_with_its_own_stub_and_path() -> None:
    second = ["项目", "预算数", "功能分类科目", "预算数", "部门经济分类科目", "预算数",
              "政府经济分类科目", "预算数"]
    body = ["一、财政拨款", "10.00", "1、一般公共服务支出", "6.00", "1、工资福利支出", "7.00",
            "1、机关工资福利支出", "7.00"]
    t = build(Grid(cells=[cell("收入", 0, 0, colspan=2), cell("支出", 0, 2, colspan=6),
                          *(cell(x, 1, k) for k, x in enumerate(second)),
                          *(cell(x, 2, k) for k, x in enumerate(body))],
                   n_rows=3, n_cols=8, page=1, ruled=True))
    keys = [c.key for c in t.columns]
    assert keys == ["收入/项目", "收入/预算数", "支出/功能分类科目", "支出/功能分类科目/预算数",
                    "支出/部门经济分类科目", "支出/部门经济分类科目/预算数",
                    "支出/政府经济分类科目", "支出/政府经济分类科目/预算数"]
    assert not any("#" in k for k in keys)
    by_side = {r.side: (r.label, list(r.cells.values())[-1].text) for r in t.rows}
    assert by_side == {"收入": ("一、财政拨款", "10.00"),
                       "支出/功能分类科目": ("1、一般公共服务支出", "6.00"),
                       "支出/部门经济分类科目": ("1、工资福利支出", "7.00"),
                       "支出/政府经济分类科目": ("1、机关工资福利支出", "7.00")}


def test_two_panels_with_the_same_headers_are_named_by_position() -> None:
    t = build(ruled([["科目编码", "科目名称", "决算数", "科目编码", "科目名称", "决算数"],
                     ["301", "工资福利支出", "95.36", "302", "商品和服务支出", "10.23"]]))
    assert [c.key for c in t.columns] == [
        "第1栏/科目编码", "第1栏/科目名称", "第1栏/决算数",
        "第2栏/科目编码", "第2栏/科目名称", "第2栏/决算数"]
    assert [(r.side, r.code, r.label) for r in t.rows] == [
        ("第1栏", "301", "工资福利支出"), ("第2栏", "302", "商品和服务支出")]


def test_two_named_panels_keep_the_contract_paths() -> None:
    t = build(ruled([["收入", "", "支出", ""], ["项目", "预算数", "项目", "预算数"],
                     ["一、一般公共预算", "5.00", "五、教育支出", "5.00"]]))
    assert [c.key for c in t.columns] == ["收入/项目", "收入/预算数", "支出/项目", "支出/预算数"]


def test_a_trailing_text_column_is_not_a_panel() -> None:
    t = build(ruled([["项目名称", "金额", "绩效目标"],
                     ["信访工作专项经费", "100.00", "维护群众合法权益"]]))
    assert {c.side for c in t.columns} == {""}
    assert t.rows[0].cells["绩效目标"].text == "维护群众合法权益"


def test_a_count_then_more_codes_is_one_panel_with_one_row_code() -> None:
    # 西安 表12 政府采购: 科目编码 类/款/项 | 单位编码 | 采购项目 | 数量 | 部门经济科目编码 类/款
    # | 预算金额 (p31); the count (数量) starts no panel, the row's code is the 类/款/项 one
    t = build(ruled([["科目编码", "", "", "单位编码", "采购项目", "数量", "经济科目编码", "",
                      "预算金额"],
                     ["类", "款", "项", "", "", "", "类", "款", ""],
                     ["201", "40", "04", "", "接待中心安保服务", "1", "302", "27", "499,800.00"]]))
    assert {c.side for c in t.columns} == {""}
    assert [(r.code, r.label) for r in t.rows] == [("2014004", "接待中心安保服务")]


def test_a_second_classification_code_is_not_glued_to_the_first() -> None:
    # 西安 表6: 部门经济科目编码 | 名称 | 政府经济科目编码 | 名称 | 合计 (p24)
    t = build(ruled([["部门经济科目编码", "部门经济科目名称", "政府经济科目编码", "政府经济科目名称",
                      "合计"],
                     ["合计", "", "", "", "28,384,234.71"],
                     ["30101", "基本工资", "50101", "工资奖金津补贴", "3,868,678.80"]]))
    assert [(r.code, r.label) for r in t.rows] == [("", "合计"), ("30101", "基本工资")]
    assert t.rows[1].cells["政府经济科目编码"].text == "50101"


def test_an_empty_unit_column_does_not_start_a_panel() -> None:
    # 深圳 一般公共预算支出表, a page whose 预算单位 column is blank
    t = build(ruled([["预算单位", "科目编码", "科目名称", "支出总计"],
                     ["", "205", "教育支出", "12.23"], ["", "20508", "进修及培训", "12.23"]]))
    assert [c.role for c in t.columns] == ["stub", "code", "stub", "value"]
    assert {c.side for c in t.columns} == {""}


# --------------------------------------------------------------------------- roles, codes


def test_quantity_and_percent_columns_are_kept_but_not_facts() -> None:
    t = build(ruled([["品目", "数量（台、件）", "人数", "金额", "增减(%)"],
                     ["台式计算机", "3", "12", "1.80", "-5.2"]]))
    assert [c.role for c in t.columns] == ["stub", "quantity", "quantity", "value", "percent"]
    budget_extract.budget.interpret.interpret_table(t)
    assert [(f.column, f.value) for f in table_facts("x", t)] == [("金额", "1.80")]
    assert t.rows[0].cells["数量（台、件）"].text == "3"


def test_any_rate_or_ratio_column_is_a_percentage_not_money() -> None:
    # a header ending in 率 (with or without its unit), a share word, or %: never an amount
    t = build(ruled([["项目", "预算数", "资产使用率", "设备利用率（%）", "完成率", "占比",
                      "比重", "效率提升资金"],
                     ["办公设备", "12.50", "85.2", "90", "100.00", "12.3", "0.4", "3.00"]]))
    assert [c.role for c in t.columns] == [
        "stub", "value", "percent", "percent", "percent", "percent", "percent", "value"]
    budget_extract.budget.interpret.interpret_table(t)
    assert [(f.column, f.value) for f in table_facts("x", t)] == [
        ("预算数", "12.50"), ("效率提升资金", "3.00")]


def test_a_rate_over_its_periods_is_a_percentage() -> None:
    # 执行率 printed over 2025年 | 2026年: the leaves are years, the path ends in the rate
    g = Grid(cells=[cell("项目", 0, 0, rowspan=2), cell("决算数", 0, 1, rowspan=2),
                    cell("执行率", 0, 2, colspan=2), cell("2025年", 1, 2), cell("2026年", 1, 3),
                    cell("办公设备", 2, 0), cell("12.50", 2, 1), cell("95.1", 2, 2),
                    cell("98.7", 2, 3)], n_rows=3, n_cols=4, page=1, ruled=True)
    t = build(g)
    assert [c.key for c in t.columns] == ["项目", "决算数", "执行率/2025年", "执行率/2026年"]
    assert [c.role for c in t.columns] == ["stub", "value", "percent", "percent"]


def test_a_code_part_without_its_leading_zero() -> None:
    t = build(ruled([["类", "款", "科目名称", "金额"], ["301", "", "工资福利支出", "5.00"],
                     ["301", "2", "津贴补贴", "2.00"], ["301", "01", "基本工资", "3.00"]]))
    assert [r.code for r in t.rows] == ["301", "30102", "30101"]
    assert any("'2'" in w and "30102" in w for w in t.warnings)


# --------------------------------------------------------------------------- real PDFs

@pytest.fixture(scope="module")
def gz():
    return real_doc(GZ)


def by_no(doc, no: str):
    return next(t for t in doc.tables if t.table_no == no)


def test_guangzhou_income_table_paths(gz) -> None:
    # 表2 收入总体情况表, p. 7, read off the page
    t = by_no(gz, "2")
    assert [c.key for c in t.columns if c.role == "value"] == [
        "合计", "财政拨款收入/一般公共预算", "财政拨款收入/政府性基金预算",
        "财政拨款收入/国有资本经营预算", "财政专户拨款收入/教育收费",
        "财政专户拨款收入/其他专户收入拨款", "其他资金收入/事业收入",
        "其他资金收入/事业单位经营收入", "其他资金收入/其他收入", "上级补助收入",
        "附属单位上缴收入", "上年结转结余"]
    f = {(x.row_label, x.column): x.value for x in table_facts(gz.stem, t)}
    assert f[("广州市信访局", "财政拨款收入/一般公共预算")] == "3944.08"
    assert len(f) == 24  # 2 rows × 12 printed amounts


def test_guangzhou_meta_line_is_no_level(gz) -> None:
    for t in gz.tables:
        for c in t.columns:
            assert not c.key.startswith(("单位名称：", "单位：")), (t.table_no, c.key)
    t5 = by_no(gz, "5")  # p. 11
    assert [c.key for c in t5.columns] == [
        "功能科目名称", "一般公共预算支出/小计", "一般公共预算支出/其中：基本支出",
        "一般公共预算支出/项目支出"]
    # the 单位名称 line names the unit (now read above the ruled grid, as meta)
    assert t5.unit_name == "广州市信访局" or gz.meta.unit_name == "广州市信访局"
    assert t5.unit == "万元"


def test_hangzhou_column_numbers_are_not_facts() -> None:
    doc = real_doc(HZ)
    t1, t2 = by_no(doc, "1"), by_no(doc, "2")
    # p. 15: 5 amounts on the 收入 side, 19 on the 支出 side
    assert len(table_facts(doc.stem, t1)) == 24
    f2 = table_facts(doc.stem, t2)
    # p. 16: the ``** 1 2 … 17`` row is not data; 4 rows × 4 printed amounts
    assert len(f2) == 16
    assert not any(f.row_label in ("**", "栏次") for t in doc.tables
                   for f in table_facts(doc.stem, t))
    assert f2[0].row_label == "合计" and f2[0].value == "5876.67"


def test_suzhou_lanci_row_is_not_data() -> None:
    doc = real_doc(SZ)
    assert not any(f.row_label == "栏次" for t in doc.tables for f in table_facts(doc.stem, t))
    # 公开11表 国有资本经营预算支出预算表 (p. 20) prints its 栏次 row (1 2 3) over a 合计 row
    # with no amounts (注：本部门无国有资本经营预算支出，故本表无数据): the table is found,
    # with its three columns, and the 栏次 numbers are no facts
    t = by_no(doc, "11")
    assert t.pages == [20] and t.empty
    assert [c.key for c in t.columns if c.role == "value"] == ["本年支出合计", "基本支出", "项目支出"]
    assert table_facts(doc.stem, t) == []


def test_xian_summary_in_four_panels() -> None:
    doc = real_doc(XA)
    t = by_no(doc, "1")  # 部门综合预算收支总表, p. 19
    assert [s for s in dict.fromkeys(c.side for c in t.columns)] == [
        "收入", "支出/支出功能分类科目（按大类）", "支出/部门预算支出经济分类科目（按大类）",
        "支出/政府预算支出经济分类科目（按大类）"]
    f = {(x.row_label, x.column): x.value for x in table_facts(doc.stem, t)}
    assert f[("1、一般公共服务支出", "支出/支出功能分类科目（按大类）/预算数")] == "22669300.94"
    assert f[("1、人员经费和公用经费支出",
              "支出/部门预算支出经济分类科目（按大类）/预算数")] == "19328114.71"
    assert f[("1、机关工资福利支出", "支出/政府预算支出经济分类科目（按大类）/预算数")] == \
        "17103265.51"
    assert not any("#" in c.key for c in t.columns)


def test_shanghai_final_accounts_basic_table_halves() -> None:
    doc = real_doc(SHJS)
    t = next(t for t in doc.tables if t.title == "一般公共预算财政拨款基本支出决算表")  # p. 13
    f = {(x.row_code, x.column): x.value for x in table_facts(doc.stem, t)}
    # two halves with the same headers, each named by its own total line (人员经费合计 |
    # 公用经费合计), not by its position
    assert f[("301", "人员经费/决算数")] == "95.36"
    assert f[("30101", "人员经费/决算数")] == "14.12"
    assert f[("302", "公用经费/决算数")] == "10.23"
    assert f[("30201", "公用经费/决算数")] == "3.78"
    assert not any("#" in c.key for c in t.columns)


def test_percent_columns_of_the_national_bureau_are_not_facts() -> None:
    doc = real_doc(GJ)
    t = by_no(doc, "5")
    pct = [c for c in t.columns if "增减(%)" in c.key]
    assert pct and all(c.role == "percent" for c in pct)
    assert not any("%" in f.column for f in table_facts(doc.stem, t))
