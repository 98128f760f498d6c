"""Borderless tables: header spans, columns and wrapped rows rebuilt from where text sits.

The layouts are copied from the seed disclosure rendered without rulings
(fixtures/huaibei-hrss-info-center-2026-budget-unruled.pdf; 9 pt text, coordinates as
pdfplumber reports them) and trimmed to a few rows, so each rule is tested on its own.
"""

from __future__ import annotations

from budget_extract.headers import column_paths, header_row_count, unique_paths
from budget_extract.model import Grid
from budget_extract.readers.pdf.borderless import find_borderless_tables
from budget_extract.readers.pdf.textlines import TextChunk, TextLine

SIZE = 9.0


def w(text: str, x0: float, top: float, x1: float | None = None) -> TextChunk:
    """A word: CJK glyphs one em wide, ASCII half an em, unless x1 is given."""
    if x1 is None:
        x1 = x0 + sum(SIZE if ord(ch) > 127 else SIZE / 2 for ch in text)
    return TextChunk(text, x0, top, x1, top + SIZE)


def line(*words: TextChunk) -> TextLine:
    return TextLine(list(words), list(words))


def body(top: float, *cells: tuple[str, float, float]) -> TextLine:
    return line(*(w(t, x0, top, x1) for t, x0, x1 in cells))


def one_table(lines: list[TextLine]) -> tuple[int, int, Grid]:
    (hit,) = find_borderless_tables(lines, page=1)
    return hit


def paths(grid: Grid) -> list[str]:
    n = header_row_count(grid)
    return ["/".join(p) for p in unique_paths(column_paths(grid, n))]


def test_group_label_spans_the_columns_it_is_centred_over():
    # 基本支出 sits over 人员经费 only, but 小计 and 公用经费 beside it start lower down:
    # their cells need a label above, while 合计 and 项目支出 are centred on the whole header
    lines = [
        line(w("单位：万元", 499.3, 107.26)),  # the unit line above is no header
        line(w("基本支出", 400.6, 123.71)),
        line(w("科目编码", 59.3, 131.16), w("科目名称", 185.3, 131.16), w("合计", 315.3, 131.16),
             w("项目支出", 499.9, 131.16)),
        line(w("小计", 357.0, 138.61), w("人员经费", 394.7, 138.61), w("公用经费", 447.3, 138.61)),
        *_cut_header_body(153.51),
    ]
    start, end, grid = one_table(lines)
    assert (start, end) == (1, 7)
    assert not grid.ruled
    assert paths(grid) == ["科目编码", "科目名称", "合计", "基本支出/小计", "基本支出/人员经费",
                           "基本支出/公用经费", "项目支出"]
    assert {(c.text, c.rowspan, c.colspan) for c in grid.cells if c.row == 0} == {
        ("科目编码", 2, 1), ("科目名称", 2, 1), ("合计", 2, 1), ("基本支出", 1, 3),
        ("项目支出", 2, 1)}
    assert grid.text_rows()[3] == ["205", "教育支出", "1.71", "0.71", "0.71", "", "1"]


def test_group_label_over_a_gap_and_two_groups_side_by_side():
    # 收入 is centred over 项目 and 预算数 without touching either; 支出 likewise
    lines = [
        line(w("收入", 162.1, 123.71), w("支出", 408.7, 123.71)),
        line(w("项目", 137.5, 138.61), w("预算数", 253.0, 138.61), w("项目", 384.1, 138.61),
             w("预算数", 506.1, 138.61)),
        body(153.51, ("一、一般公共预算收入", 54.0, 144.0), ("358.58", 260.1, 288.1),
             ("一、一般公共服务支出", 294.1, 384.1), ("1.5", 525.0, 541.3)),
        body(168.41, ("二、政府性基金预算收入", 54.0, 153.0), ("二、外交支出", 294.1, 348.1),
             ("2.5", 525.0, 541.3)),
        body(183.31, ("三、国有资本经营预算拨款收入", 54.0, 180.0), ("1.00", 268.0, 288.1),
             ("三、国防支出", 294.1, 348.1)),
    ]
    _, _, grid = one_table(lines)
    assert paths(grid) == ["收入/项目", "收入/预算数", "支出/项目", "支出/预算数"]


def test_stacked_cells_and_a_label_over_some_columns_of_a_group():
    # 收入总表, cut down: 本年收入 over 小计 … 单位资金; 单位资金 over three of them; narrow
    # cells stack their text (政府/性基/金预/算), joined without spaces; cells are 26-48 pt
    # wide, their text centred in them both ways
    lines = [
        line(w("本年收入", 356.5, 112.15)),
        line(w("单位资金", 398.0, 126.6)),
        line(w("政府性", 346.0, 139.45), w("事业", 433.0, 141.05)),
        line(w("部门（单位）名称", 108.4, 143.47), w("合计", 261.4, 143.47)),
        line(w("小计", 309.4, 150.7), w("基金预", 346.0, 150.7), w("事业", 407.0, 152.3),
             w("单位", 433.0, 152.3)),
        line(w("小计", 381.0, 157.92), w("算", 355.0, 161.95), w("收入", 407.0, 163.55),
             w("经营", 433.0, 163.55)),
        line(w("收入", 433.0, 174.8)),
        body(189.25, ("淮北市人力资源和社会保障局", 45.5, 162.5), ("361.68", 264.1, 291.4),
             ("361.68", 312.1, 339.4), ("358.58", 346.4, 374.4), ("3.1", 388.2, 400.4),
             ("3.1", 440.2, 452.4)),
        body(203.7, ("淮北市人力资源和社会保障局信息中心", 45.5, 198.5), ("361.68", 264.1, 291.4),
             ("361.68", 312.1, 339.4), ("358.58", 346.4, 374.4), ("3.1", 388.2, 400.4),
             ("3.1", 440.2, 452.4)),
    ]
    start, _, grid = one_table(lines)
    assert start == 0
    assert paths(grid) == ["部门（单位）名称", "合计", "本年收入/小计", "本年收入/政府性基金预算",
                           "本年收入/单位资金/小计", "本年收入/单位资金/事业收入",
                           "本年收入/单位资金/事业单位经营收入"]
    assert header_row_count(grid) == 3
    assert grid.text_rows()[3] == ["淮北市人力资源和社会保障局", "361.68", "361.68", "358.58",
                                   "3.1", "", "3.1"]


def test_header_cells_cut_to_their_first_row():
    # the header's row-spanning cells cut to their first row, blank cells under them (a
    # header split so that only its first row repeats on the next page), no rulings: 合计
    # printed in the first row beside 基本支出's first child 小计 is a column, not its label
    lines = [
        line(w("科目编码", 59.3, 123.71), w("科目名称", 185.3, 123.71), w("合计", 315.3, 123.71),
             w("基本支出", 400.6, 123.71), w("项目支出", 499.9, 123.71)),
        line(w("小计", 357.0, 138.61), w("人员经费", 394.7, 138.61), w("公用经费", 447.3, 138.61)),
        *_cut_header_body(153.51),
    ]
    _, _, grid = one_table(lines)
    assert paths(grid) == ["科目编码", "科目名称", "合计", "基本支出/小计", "基本支出/人员经费",
                           "基本支出/公用经费", "项目支出"]
    assert grid.text_rows()[3] == ["205", "教育支出", "1.71", "0.71", "0.71", "", "1"]


def _cut_header_body(top: float) -> list:
    """The three body lines (合计, 205, 20508) under a 支出 header cut to its first row,
    the first at ``top``, 14.9 pt apart."""
    return [
        body(top, ("合计", 106.7, 124.7), ("358.58", 314.6, 342.6), ("112.58", 356.8, 383.3),
             ("105.38", 408.7, 436.0), ("7.2", 475.7, 488.6), ("246", 526.2, 541.3)),
        body(top + 14.9, ("205", 54.0, 69.1), ("教育支出", 106.7, 142.7), ("1.71", 326.3, 342.6),
             ("0.71", 366.2, 383.3), ("0.71", 418.8, 436.0), ("1", 537.0, 541.3)),
        body(top + 29.8, ("20508", 54.0, 79.1), ("进修及培训", 106.7, 151.7), ("1.71", 326.3, 342.6),
             ("0.71", 366.2, 383.3), ("0.71", 418.8, 436.0), ("1", 537.0, 541.3)),
    ]


def test_header_cells_cut_to_their_first_row_beside_a_stacked_heading():
    # the same, with 科目名称 stacked over two lines in a narrow cell, so the first row's
    # other headings (centred in it) start below the header's first line: 项目支出 at the
    # edge, over nothing, shares its line with 合计 and is a column like it
    lines = [
        line(w("科目", 194.3, 116.26)),
        line(w("科目编码", 59.3, 123.71), w("合计", 315.3, 123.71), w("基本支出", 400.6, 123.71),
             w("项目支出", 499.9, 123.71)),
        line(w("名称", 194.3, 131.16)),
        line(w("小计", 357.0, 145.61), w("人员经费", 394.7, 145.61), w("公用经费", 447.3, 145.61)),
        *_cut_header_body(160.51),
    ]
    _, _, grid = one_table(lines)
    assert paths(grid) == ["科目编码", "科目名称", "合计", "基本支出/小计", "基本支出/人员经费",
                           "基本支出/公用经费", "项目支出"]
    assert grid.text_rows()[-1] == ["20508", "进修及培训", "1.71", "0.71", "0.71", "", "1"]


def test_group_labels_over_cells_cut_to_their_first_row():
    # 收入总表 cut down, each cell cut to its first row: 本年收入 (row 1) over 小计 and 预算拨款
    # (row 2, blank under them) and 单位资金 (row 2) over 小计 and 事业收入 (row 3).  Their text
    # does not reach the body, so where it is centred says nothing of their cells' tops;
    # where it starts still puts 本年收入 above all four
    lines = [
        line(w("部门（单位）名称", 84.0, 100.0), w("合计", 211.0, 100.0), w("本年收入", 302.0, 100.0)),
        line(w("小计", 251.0, 115.0), w("预算拨款", 282.0, 115.0), w("单位资金", 342.0, 115.0)),
        line(w("小计", 331.0, 130.0), w("事业收入", 362.0, 130.0)),
        body(150.0, ("淮北市人力资源和社会保障局", 44.0, 161.0), ("361.68", 210.0, 237.0),
             ("361.68", 250.0, 277.0), ("358.58", 290.0, 317.0), ("3.1", 383.5, 397.0)),
        body(165.0, ("淮北市人力资源和社会保障局信息中心", 44.0, 197.0), ("361.68", 210.0, 237.0),
             ("361.68", 250.0, 277.0), ("358.58", 290.0, 317.0), ("3.1", 383.5, 397.0)),
    ]
    _, _, grid = one_table(lines)
    assert paths(grid) == ["部门（单位）名称", "合计", "本年收入/小计", "本年收入/预算拨款",
                           "本年收入/单位资金/小计", "本年收入/单位资金/事业收入"]
    assert grid.text_rows()[-1] == ["淮北市人力资源和社会保障局信息中心", "361.68", "361.68",
                                    "358.58", "", "3.1"]


def test_placeholder_zeros_go_under_their_centred_headings():
    # an empty table's row of 0s: left-aligned in the first column, right-aligned in the
    # others, so each 0 sits nearer the next heading than its own
    lines = [
        line(w("本年政府性基金预算支出", 356.0, 123.71)),
        line(w("科目编码", 87.0, 131.16), w("科目名称", 194.9, 131.16)),
        line(w("合计", 288.6, 138.61), w("基本支出", 364.4, 138.61), w("项目支出", 472.3, 138.61)),
        body(153.51, ("0", 54.0, 59.0), ("0", 258.8, 263.8), ("0", 320.5, 325.5),
             ("0", 428.3, 433.4), ("0", 536.2, 541.3)),
    ]
    _, _, grid = one_table(lines)
    assert paths(grid) == ["科目编码", "科目名称", "本年政府性基金预算支出/合计",
                           "本年政府性基金预算支出/基本支出", "本年政府性基金预算支出/项目支出"]
    assert grid.text_rows()[-1] == ["0"] * 5


def test_label_wrapped_around_amounts_is_one_row():
    # the amounts sit on the row's centre line, the label's two lines above and below it
    lines = [
        line(w("政府采购品目", 99.6, 129.56), w("合计", 207.2, 129.56), w("一般公共预算", 237.0, 129.56)),
        body(150.31, ("合计", 54.0, 72.0), ("64.16", 205.1, 227.3), ("64.16", 263.4, 285.6)),
        body(165.21, ("淮北市人力资源和社会保障局信息中", 54.0, 198.0)),
        body(171.06, ("64.16", 205.1, 227.3), ("64.16", 263.4, 285.6)),
        body(176.91, ("心", 54.0, 63.0)),
        body(191.81, ("金保工程保障费", 54.0, 117.0), ("64.16", 205.1, 227.3),
             ("64.16", 263.4, 285.6)),
    ]
    _, _, grid = one_table(lines)
    assert grid.text_rows()[1:] == [
        ["合计", "64.16", "64.16"],
        ["淮北市人力资源和社会保障局信息中心", "64.16", "64.16"],
        ["金保工程保障费", "64.16", "64.16"],
    ]


def test_label_of_three_lines_and_a_label_continued_below():
    lines = [
        line(w("项目", 90.0, 100.0), w("金额", 300.0, 100.0), w("备注", 400.0, 100.0)),
        body(120.0, ("一二三四五六七八", 54.0, 126.0)),
        body(131.7, ("九十一二三四五六", 54.0, 126.0), ("1.00", 320.0, 338.0), ("甲", 400.0, 409.0)),
        body(143.4, ("七八", 54.0, 72.0)),
        body(158.3, ("其他项目名称很长", 54.0, 126.0), ("2.00", 320.0, 338.0), ("乙", 400.0, 409.0)),
        body(170.0, ("续", 54.0, 63.0)),
        body(184.9, ("合计", 54.0, 72.0), ("3.00", 320.0, 338.0)),
    ]
    _, _, grid = one_table(lines)
    assert grid.text_rows() == [
        ["项目", "金额", "备注"],
        ["一二三四五六七八九十一二三四五六七八", "1.00", "甲"],
        ["其他项目名称很长续", "2.00", "乙"],
        ["合计", "3.00", ""],
    ]


def test_rows_a_row_apart_stay_apart():
    # label-only rows (no amounts) at the usual row distance are rows of their own
    lines = [
        line(w("项目", 90.0, 100.0), w("金额", 300.0, 100.0)),
        body(114.9, ("一、基本支出", 54.0, 108.0)),
        body(129.8, ("工资福利支出", 54.0, 108.0), ("1.00", 320.0, 338.0)),
        body(144.7, ("二、项目支出", 54.0, 108.0)),
        body(159.6, ("办公费", 54.0, 81.0), ("2.00", 320.0, 338.0)),
        body(174.5, ("合计", 54.0, 72.0), ("3.00", 320.0, 338.0)),
    ]
    _, _, grid = one_table(lines)
    assert [r[0] for r in grid.text_rows()] == ["项目", "一、基本支出", "工资福利支出",
                                                "二、项目支出", "办公费", "合计"]


def test_headings_over_one_row_of_zeros_is_a_table():
    # an empty table: one row of headings, one of 0s, nothing else
    heads = [("项目名称", 60.0), ("一级目录名称", 116.5), ("购买数量", 445.3), ("购买金额", 499.3)]
    zeros = [(54.0, 59.0), (174.0, 179.0), (482.3, 487.3), (536.2, 541.3)]
    lines = [
        line(w("单位：万元", 499.3, 107.26)),
        line(*(w(t, x, 123.71) for t, x in heads)),
        body(138.61, *(("0", a, b) for a, b in zeros)),
        line(w("说明：本单位没有安排政府购买服务支出，故本表无数据", 51.0, 157.76)),
    ]
    start, end, grid = one_table(lines)
    assert (start, end) == (1, 3)
    assert grid.text_rows() == [[t for t, _ in heads], ["0"] * 4]


def test_two_lines_of_words_are_no_table():
    lines = [
        line(w("一、部门主要职能", 54.0, 100.0), w("二、部门机构设置", 300.0, 100.0),
             w("三、名词解释", 450.0, 100.0)),
        line(w("四、其他", 54.0, 115.0), w("五、附件", 300.0, 115.0), w("六、附表", 450.0, 115.0)),
    ]
    assert find_borderless_tables(lines, page=1) == []


def test_headings_not_centred_stay_a_plain_row():
    # left-aligned headings give no cell geometry to rebuild; the header stays one row of
    # text in the body's columns, as the header normaliser expects of an unruled grid
    lines = [
        line(w("项目", 54.0, 100.0), w("上年数", 300.0, 100.0), w("本年数", 400.0, 100.0)),
        body(115.0, ("工资福利支出", 54.0, 108.0), ("1.00", 310.0, 328.0), ("2.00", 420.0, 438.0)),
        body(130.0, ("办公费", 54.0, 81.0), ("11.00", 305.0, 328.0), ("12.00", 415.0, 438.0)),
        body(145.0, ("合计", 54.0, 72.0), ("12.00", 305.0, 328.0), ("14.00", 415.0, 438.0)),
    ]
    _, _, grid = one_table(lines)
    assert all(c.rowspan == c.colspan == 1 for c in grid.cells)
    assert grid.text_rows()[0] == ["项目", "上年数", "本年数"]
    assert paths(grid) == ["项目", "上年数", "本年数"]


# 单位公开表7 without rulings (variant ``empty=text+unruled``, fixtures/build/make_variants.py):
# a group label, two header lines, and 本表无数据 where the rows would be
EMPTY_HEAD = [
    line(w("本年政府性基金预算支出", 360.8, 99.6)),
    line(w("科目编码", 78.4, 107.0), w("科目名称", 191.1, 107.0)),
    line(w("合计", 288.6, 114.3), w("基本支出", 368.2, 114.3), w("项目支出", 480.9, 114.3)),
]


def test_header_over_no_data_line_is_an_empty_table():
    lines = [
        line(w("淮北市人力资源和社会保障局信息中心2026年政府性基金预算支出表", 101.3, 63.0)),
        line(w("单位：万元", 510.3, 83.7)),
        *EMPTY_HEAD,
        line(w("本表无数据", 275.1, 129.0)),
        line(w("说明：淮北市人力资源和社会保障局信息中心没有政府性基金预算拨款收入", 40.0, 152.1)),
    ]
    start, end, grid = one_table(lines)
    assert (start, end) == (2, 6)  # the group label taken in, the note left out
    assert paths(grid) == ["科目编码", "科目名称", "本年政府性基金预算支出/合计",
                           "本年政府性基金预算支出/基本支出", "本年政府性基金预算支出/项目支出"]
    # the marker is one cell across the row, under no column's heading
    (marker,) = [c for c in grid.cells if c.text == "本表无数据"]
    assert (marker.row, marker.col, marker.colspan) == (2, 0, 5)


def test_header_without_rows_or_marker_is_no_table():
    # the same header with nothing under it: nothing on the page tells it from text
    assert find_borderless_tables(EMPTY_HEAD, page=1) == []


def test_title_and_unit_on_one_line_are_no_row():
    # ``…支出表        单位：万元`` on one line just above the header (variant
    # ``unruled+title=unit``): two "columns" of words, yet the table's announcement
    lines = [
        line(w("淮北市人力资源和社会保障局信息中心2026年政府性基金预算支出表", 40.0, 62.5),
             w("单位：万元", 510.3, 61.4)),
        *[line(*(TextChunk(c.text, c.x0, c.top - 17.2, c.x1, c.bottom - 17.2)
                 for c in ln.words)) for ln in EMPTY_HEAD],
        body(111.8, *(("0", a, a + 5.0) for a in (43.0, 155.7, 321.9, 434.6, 547.3))),
    ]
    start, end, grid = one_table(lines)
    assert start == 1 and end == 5
    assert grid.text_rows()[-1] == ["0"] * 5


def _summary_foot() -> list:
    """The last three rows of a 收支总表 page (小计, 结转, 总计 on both sides), as drawn."""
    return [
        body(98.5, ("本年收入小计", 43.0, 109.0), ("361.68", 169.4, 202.7),
             ("本年支出小计", 208.7, 274.7), ("361.68", 343.3, 376.5)),
        body(115.8, ("上年结转", 43.0, 87.0), ("结转下年", 208.7, 252.7)),
        body(133.1, ("收入总计", 43.0, 79.0), ("361.68", 169.4, 202.7),
             ("支出总计", 208.7, 244.7), ("361.68", 343.3, 376.5)),
    ]


def test_continuation_opening_with_label_only_rows_takes_them_in():
    # a 收支总表 continued with no header (variant pages=absent+unruled): the page opens
    # with 支出 lines printing no amount, left-aligned where the 支出 labels below start
    labels = ["二十四、预备费", "二十五、其他支出", "二十六、转移性支出"]
    lines = [line(w(t, 208.7, 46.6 + 17.3 * k)) for k, t in enumerate(labels)]
    lines += _summary_foot()
    start, end, grid = one_table(lines)
    assert (start, end) == (0, 6)
    assert [r[2] for r in grid.text_rows()] == labels + ["本年支出小计", "结转下年", "支出总计"]


def test_caption_above_a_table_is_no_label_only_row():
    # one run of lines: the caption, aligned with the 支出 labels, sits above the unit line,
    # which no table row is (a colon): the lines above the table are not all rows, none is
    lines = [line(w("单位公开表1", 208.7, 66.0)), line(w("单位：万元", 330.0, 81.2))]
    lines += _summary_foot()
    start, _, _ = one_table(lines)
    assert start == 2


def test_page_ending_with_label_only_rows_keeps_them():
    # the 收支总表's page ends with 支出 lines printing no amount (variant
    # yuan+unruled+pages=split); the note under a table has a colon and stays text
    lines = [
        body(46.6, ("二十、住房保障支出", 208.7, 289.7), ("156,700.00", 333.0, 376.5)),
        body(61.3, ("其他", 43.0, 61.0), ("31,000.00", 150.0, 202.7),
             ("二十一、粮油物资储备支出", 208.7, 316.7)),
        body(76.0, ("本年收入小计", 43.0, 97.0), ("3,616,800.00", 140.0, 202.7),
             ("本年支出小计", 208.7, 262.7), ("3,616,800.00", 324.0, 376.5)),
        line(w("二十三、灾害防治及应急管", 208.7, 90.7)),
        line(w("理支出", 208.7, 102.4)),
        line(w("二十四、预备费", 208.7, 117.1)),
        line(w("注：本表金额单位为元", 43.0, 131.8)),
    ]
    start, end, grid = one_table(lines)
    assert (start, end) == (0, 6)
    assert [r[2] for r in grid.text_rows()][-2:] == ["二十三、灾害防治及应急管理支出", "二十四、预备费"]


def test_two_amount_lines_among_label_only_rows_are_a_table():
    # a 财政拨款收支总表 page continued with no header (variant pages=absent+unruled): two
    # lines print amounts, the 支出 lines between them only a label
    lines = [
        body(46.6, ("（十九）住房保障支出", 208.7, 307.7), ("15.67", 353.0, 376.5)),
        line(w("（二十）粮油物资储备支出", 208.7, 63.9)),
        line(w("二、年终结转结余", 208.7, 81.2)),
        body(98.5, ("收入总计", 43.0, 79.0), ("358.58", 169.4, 202.7),
             ("支出总计", 208.7, 244.7), ("358.58", 343.3, 376.5)),
    ]
    start, end, grid = one_table(lines)
    assert (start, end) == (0, 4)
    assert [r[2] for r in grid.text_rows()][-2:] == ["二、年终结转结余", "支出总计"]
