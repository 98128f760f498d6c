"""Tables continued over page breaks: synthetic grids for each mechanism, then real PDFs.

The synthetic grids carry cell bboxes as a PDF reader gives them, so the geometry rules
(columns that line up) are exercised without a PDF.  The real-PDF expectations were read off
the printed pages (``pdftotext -layout``, rows counted by hand), not from the program.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from real_docs import doc

from budget_extract.model import Block, Grid, GridCell
from budget_extract.segment import segment
from budget_extract.tables.build import build_table
from budget_extract.tables.continuation import columns_line_up, join_fragments, same_header
from budget_extract.tables.detect import detect_tables
from budget_extract.tables.furniture import find_furniture

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"(^|/)列\s*\d+($|/)")


def grid(rows: list[list[str]], page: int, xs: list[float], top: float = 100.0) -> Grid:
    """A ruled grid whose column k spans xs[k]..xs[k+1], rows 20 pt high."""
    cells = [GridCell(text=t, row=r, col=k, page=page,
                      bbox=(xs[k], top + 20 * r, xs[k + 1], top + 20 * (r + 1)))
             for r, row in enumerate(rows) for k, t in enumerate(row)]
    return Grid(cells=cells, n_rows=len(rows), n_cols=len(rows[0]), page=page,
                bbox=(xs[0], top, xs[-1], top + 20 * len(rows)), ruled=True)


def text(t: str, page: int, top: float, x: float = 60.0) -> Block:
    return Block(kind="paragraph", text=t, page=page, bbox=(x, top, x + 12 * len(t), top + 10))


def table(g: Grid) -> Block:
    return Block(kind="table", page=g.page, bbox=g.bbox, grid=g)


XS = [50.0, 120.0, 300.0, 400.0, 500.0]
BODY = "〇甲乙丙丁戊己庚辛壬癸"  # body text of page p, without digits
HEADER = [["科目编码", "科目名称", "合计", "基本支出", "项目支出"]]
P1 = HEADER + [["201", "一般公共服务支出", "100.00", "60.00", "40.00"],
               ["20101", "人大事务", "100.00", "60.00", "40.00"]]
P2 = [["2010101", "行政运行", "60.00", "60.00", ""],
      ["2010102", "一般行政管理事务", "40.00", "", "40.00"],
      ["合计", "", "100.00", "60.00", "40.00"]]
XS5 = XS + [600.0]


def built(blocks: list[Block]):
    seg = segment(blocks)
    return [build_table(c, seg.toc, "") for c in detect_tables(blocks, seg)]


def test_page_number_between_parts_does_not_break_the_table():
    blocks = [text("表二", 1, 40), text("部门支出总表", 1, 60), text("单位：万元", 1, 80, 450),
              table(grid(P1, 1, XS5)), text("—9—", 1, 560, 300),
              table(grid(P2, 2, XS5, top=50)), text("—10—", 2, 560, 300)]
    tables = built(blocks)
    assert len(tables) == 1
    t = tables[0]
    assert t.pages == [1, 2] and t.table_no == "2"
    assert [r.code for r in t.rows] == ["201", "20101", "2010101", "2010102", ""]
    assert not any(PLACEHOLDER.search(c.key) for c in t.columns)
    assert t.warnings == ["continued on p.2 without a repeated header: joined across the page "
                          "number / running line between the parts"]


@pytest.mark.parametrize("mark", ["—9—", "- 9 -", "第9页", "9/37", "第 9 页 共 37 页"])
def test_page_number_forms(mark):
    pages = [[text(f"正文{BODY[p]}", p, 100), text(mark.replace("9", str(p + 8)), p, 800)]
             for p in (1, 2, 3)]
    blocks = [b for page in pages for b in page]
    assert find_furniture(blocks) == {1, 3, 5}


def test_bare_numbers_only_with_a_steady_offset_from_the_page():
    steady = [text("正文甲", 1, 100), text("6", 1, 800), text("正文乙", 2, 100),
              text("7", 2, 800)]
    assert find_furniture(steady) == {1, 3}
    lone = [text("正文甲", 1, 100), text("6", 1, 800), text("正文乙", 2, 100),
            text("结束", 2, 800)]
    assert find_furniture(lone) == set()


def test_running_header_on_most_pages():
    head = "某某局2026年度部门预算公开"
    blocks = [b for p in range(1, 5) for b in (text(head, p, 10), text(f"正文{BODY[p]}", p, 100))]
    blocks += [text("封底", 5, 100)]
    assert find_furniture(blocks) == {0, 2, 4, 6}
    # a line on three pages of ten is a title, not a running header
    rare = [b for p in range(1, 11) for b in
            ((text("收支总表", p, 10),) if p <= 3 else ()) + (text(f"正文{BODY[p]}", p, 100),)]
    assert find_furniture(rare) == set()


def test_fragment_with_text_between_joined_when_columns_line_up():
    """Cell text that overflowed the previous page sits between the parts; the fragment has
    no title and its columns stand where the table's do: a continuation."""
    blocks = [text("表1", 1, 40), text("部门支出总表", 1, 60), table(grid(P1, 1, XS5)),
              text("溢出的单元格文字", 1, 600, 130), table(grid(P2, 2, XS5, top=50))]
    tables = built(blocks)
    assert len(tables) == 1 and tables[0].pages == [1, 2]
    assert "joined by column positions" in tables[0].warnings[0]


def test_fragment_elsewhere_on_the_page_is_a_new_table():
    """Columns elsewhere and codes that start the tree again: not a continuation."""
    moved = [50.0, 90.0, 200.0, 330.0, 450.0, 700.0]
    again = [["201", "一般公共服务支出", "7.00", "7.00", ""], ["20101", "人大事务", "7.00", "7.00", ""]]
    blocks = [text("表1", 1, 40), text("部门支出总表", 1, 60), table(grid(P1, 1, XS5)),
              text("一段说明文字。", 1, 600), table(grid(again, 2, moved, top=50))]
    assert len(built(blocks)) == 2


def test_fragment_continuing_the_code_tree_is_joined():
    """Columns read elsewhere (a borderless reading) but the codes go on where the table
    stopped (20101 → 2010101): a continuation."""
    moved = [50.0, 90.0, 200.0, 330.0, 450.0, 700.0]
    blocks = [text("表1", 1, 40), text("部门支出总表", 1, 60), table(grid(P1, 1, XS5)),
              text("一段溢出的文字", 1, 600), table(grid(P2, 2, moved, top=50))]
    (t,) = built(blocks)
    assert t.pages == [1, 2] and [r.code for r in t.rows][-3:] == ["2010101", "2010102", ""]
    assert "joined by its running 科目编码" in t.warnings[0]


def test_repeated_title_and_header_is_one_table():
    """深圳 prints caption, title, unit line and header again on every page."""
    def page(p: int, body: list[list[str]]) -> list[Block]:
        return [text("表1", p, 40), text("收支总表", p, 60), text("单位：万元", p, 80, 450),
                table(grid(HEADER + body, p, XS5))]
    blocks = page(1, P1[1:]) + page(2, P2)
    tables = built(blocks)
    assert len(tables) == 1
    t = tables[0]
    assert t.table_no == "1" and t.pages == [1, 2] and len(t.rows) == 5
    assert t.warnings == ["continued on p.2 with its header repeated: joined by its repeated "
                          "title and header"]


def test_same_title_new_header_is_a_new_table():
    """Forms with one title per page (绩效目标表) and a different first row stay apart."""
    def form(p: int, name: str) -> list[Block]:
        rows = [["项目名称", name, "", "", ""], ["主管部门", "某某局", "", "", ""]]
        return [text("表14", p, 40), text("项目绩效目标表", p, 60), table(grid(rows, p, XS5))]
    assert len(built(form(1, "甲项目") + form(2, "乙项目"))) == 2


def test_partly_repeated_header_dropped():
    """The continuation repeats the header's lower rows but not its top level."""
    top = [["单位名称：某某局", "", "", "", "单位：万元"]] + HEADER
    first = grid(top + P1[1:], 1, XS5)
    frag = grid(HEADER + P2, 2, XS5, top=40)
    joined, n_header, warnings = join_fragments([first, frag], [""])
    assert n_header == 2
    assert joined.n_rows == 2 + 2 + 3
    assert warnings == ["continued on p.2 with part of its header repeated (1 of 2 header rows, "
                        "dropped): joined as the next part of the table (nothing else between)"]


def test_geometry_helpers():
    a = grid(P1, 1, XS5)
    assert columns_line_up(a, grid(P2, 2, [x + 2 for x in XS5]))
    assert not columns_line_up(a, grid(P2, 2, [x + 40 for x in XS5]))
    # a continuation lacking one inner ruling: its edges are still the table's edges
    merged = grid([["2010101", "行政运行", "60.00", "60.00"]], 2, [50.0, 120.0, 300.0, 500.0,
                                                               600.0])
    assert columns_line_up(a, merged)
    assert same_header(a, grid(HEADER + P2, 2, XS5))
    assert not same_header(a, grid(P2, 2, XS5))
    # Markdown grids have no geometry: nothing lines up
    assert not columns_line_up(Grid.from_rows(P1), Grid.from_rows(P2))


# --------------------------------------------------------------------------- real PDFs




def fact_columns(d) -> list[str]:
    return [c.key for t in d.tables for c in t.columns if any(
        c.key in r.values_yuan for r in t.rows)]


def test_chongqing_table_two_over_three_pages():
    d = doc("中共重庆市委宣传部2026年部门预算")
    t = next(t for t in d.tables if t.table_no == "2")
    assert t.title == "2026年单位收入总体情况表" and t.pages == [9, 10, 11]
    # p.9: 合计 + 13 coded rows; p.10: 19 rows (20702 … 2080801); p.11: 12 rows (2080808 …)
    assert len(t.rows) == 45
    assert t.rows[0].label == "合计" and t.rows[-1].code == "2210201"
    bowuguan = next(r for r in t.rows if r.code == "2070205")
    assert bowuguan.page == 10 and bowuguan.cells["总计"].text == "12,580.86"
    assert [x.table_no for x in d.tables] == [str(n) for n in range(1, 10)]
    assert not any(PLACEHOLDER.search(k) for k in fact_columns(d))


def test_national_petition_bureau_expenditure_total_over_two_pages():
    d = doc("国家信访局2026年部门预算")
    t = next(t for t in d.tables if t.table_no == "3")
    assert t.title == "部门支出总表" and t.pages == [7, 8]
    # p.7: 201 … 2080503 (15 rows); p.8: 2080505 … 2210203 and 合计 (8 rows)
    assert len(t.rows) == 23
    total = t.rows[-1]
    assert total.label == "合计" and total.page == 8 and total.cells["合计"].text == "50,616.94"
    # 部门公开表7 printed at the foot of p.13, its title on p.14 after the page number
    assert next(x for x in d.tables if x.table_no == "7").title == "政府性基金预算支出表"
    assert not any(PLACEHOLDER.search(k) for k in fact_columns(d))


def test_shenzhen_title_and_header_on_every_page_is_one_table():
    d = doc("深圳市民政局2026年部门预算")
    ones = [t for t in d.tables if t.table_no == "1"]
    assert len(ones) == 1
    t = ones[0]
    assert t.title == "收支总表" and t.pages == [16, 17, 18]
    # printed body rows: 12 on p.16, 15 on p.17, 2 on p.18
    assert max(r.row_no for r in t.rows) == 29
    assert [x.table_no for x in d.tables if x.table_no] == [str(n) for n in range(1, 12)]


@pytest.mark.parametrize("marks", [["续表"], ["表1（续）"], ["部门支出总表（续）"], ["表1", "（续）"]])
def test_continued_mark(marks):
    """A 续表 / （续） line, alone or with the table's caption or title: a continuation,
    whatever the header does."""
    blocks = [text("表1", 1, 40), text("部门支出总表", 1, 60), table(grid(P1, 1, XS5))]
    blocks += [text(m, 2, 40 + 20 * k) for k, m in enumerate(marks)]
    blocks += [table(grid(P2, 2, XS5, top=90))]
    tables = built(blocks)
    assert len(tables) == 1 and tables[0].pages == [1, 2] and tables[0].table_no == "1"
    assert tables[0].warnings == ["continued on p.2 without a repeated header: joined by its "
                                  "续表 mark"]


def test_title_repeated_on_most_pages_is_not_a_running_line():
    """A four-page table printing its caption and title on each page keeps them (the
    detector joins the pages); a running line does not end in 表."""
    blocks = [b for p in range(1, 5) for b in (text("表1", p, 10), text("收支总表", p, 30),
                                               text(f"正文{BODY[p]}", p, 100))]
    assert find_furniture(blocks) == set()


def test_running_footer_with_the_page_number():
    foot = "某某局2026年部门预算公开 第{}页"
    blocks = [b for p in range(1, 5) for b in (text(f"正文{BODY[p]}", p, 100),
                                               text(foot.format(p + 2), p, 800))]
    assert find_furniture(blocks) == {1, 3, 5, 7}
    # the same words with numbers that do not follow the pages are no footer
    odd = [b for p, n in zip(range(1, 5), (7, 3, 9, 1), strict=True)
           for b in (text(f"正文{BODY[p]}", p, 100), text(f"合计{n}项，详见附表", p, 800))]
    assert find_furniture(odd) == set()


def test_same_geometry_with_a_header_under_an_unplaced_line_is_a_new_table():
    """The next page prints a line the detector cannot read as a title, then a grid with
    the same columns and a header of its own: not joined (it may be the next table)."""
    blocks = [text("表1", 1, 40), text("部门支出总表", 1, 60), table(grid(P1, 1, XS5)),
              text("二〇二六年财政拨款支出情况", 2, 40, 300), table(grid(P1, 2, XS5, top=60))]
    assert len(built(blocks)) == 2
    # a word of the header printed above the ruled area is no such line
    blocks[3] = text("基本支出", 2, 40, 300)
    lower = [["科目编码", "科目名称", "合计", "", "项目支出"]] + P2
    blocks[4] = table(grid(lower, 2, XS5, top=60))
    (t,) = built(blocks)
    assert t.pages == [1, 2]


def test_continuation_with_another_column_count_aligned_by_its_repeated_header():
    """The first part read with one column more (an empty one after 科目名称), the
    continuation repeating the header without it: each cell goes under its own label."""
    first = Grid.from_rows([["科目编码", "科目名称", "", "合计", "基本支出"],
                            ["301", "工资福利支出", "", "10.00", "10.00"]], page=1, ruled=True)
    frag = Grid.from_rows([["科目编码", "科目名称", "合计", "基本支出"],
                           ["303", "对个人和家庭的补助", "5.00", "4.00"]], page=2, ruled=True)
    joined, n_header, warnings = join_fragments([first, frag], [""])
    assert joined.text_rows()[-1] == ["303", "对个人和家庭的补助", "", "5.00", "4.00"]
    assert warnings == ["a continuation of this table has 4 columns where the first part has "
                        "5; aligned by its repeated header"]


def test_one_sided_dash_is_no_page_number_by_itself():
    """``-5`` at the foot of one page may be an amount left out of a grid; ``- 2``, ``- 3``
    on consecutive pages are page numbers."""
    lone = [text("正文甲", 1, 100), text("-5", 1, 800), text("正文乙", 2, 100)]
    assert find_furniture(lone) == set()
    steady = [text("正文甲", 1, 100), text("- 2", 1, 800), text("正文乙", 2, 100),
              text("- 3", 2, 800)]
    assert find_furniture(steady) == {1, 3}


def test_unit_line_on_top_of_every_page_is_no_running_line():
    # no caption above the title and its unit line: ``单位：万元`` is each table page's
    # first line (variant captions=bare+title=unit), the table's announcement all the same
    blocks = [b for p in range(1, 5) for b in (text("单位：万元", p, 10, x=400.0),
                                               text(f"正文{BODY[p]}", p, 100))]
    assert find_furniture(blocks) == set()


def test_row_split_by_the_page_break_is_joined():
    # 单位公开表3 on A5 (variant pages=split): the row's code and amounts end page 1, its
    # wrapped label, vertically centred, starts below the page's end with the header repeated
    p1 = HEADER + [["20801", "人力资源和社会保障管理事务", "322.81", "74.71", "248.1"],
                   ["2080199", "", "322.81", "74.71", "248.1"]]
    p2 = HEADER + [["", "其他人力资源和社会保障管理事务支出", "", "", ""],
                   ["20805", "行政事业单位养老支出", "16.06", "16.06", ""]]
    joined, n_header, warnings = join_fragments([grid(p1, 1, XS5), grid(p2, 2, XS5)])
    assert n_header == 1
    assert joined.text_rows()[1:] == [
        ["20801", "人力资源和社会保障管理事务", "322.81", "74.71", "248.1"],
        ["2080199", "其他人力资源和社会保障管理事务支出", "322.81", "74.71", "248.1"],
        ["20805", "行政事业单位养老支出", "16.06", "16.06", ""]]
    assert any("split" in w for w in warnings)
    # the label keeps its own page
    (label,) = [c for c in joined.cells if c.text.startswith("其他人力")]
    assert label.page == 2


def test_label_continued_below_the_page_break_is_joined():
    # at 9 pt the break falls inside the label: 机关 | 事业单位基本养老保险缴费支出
    p1 = HEADER + [["2080505", "机关", "10.71", "10.71", ""]]
    p2 = HEADER + [["", "事业单位基本养老保险缴费支出", "", "", ""],
                   ["2080506", "机关事业单位职业年金缴费支出", "5.35", "5.35", ""]]
    joined, _, _ = join_fragments([grid(p1, 1, XS5), grid(p2, 2, XS5)])
    assert [r[1] for r in joined.text_rows()[1:]] == ["机关事业单位基本养老保险缴费支出",
                                                      "机关事业单位职业年金缴费支出"]


def test_uncoded_line_without_amount_after_a_break_stays_a_row():
    # 收支总表 lines print no code, and a line without an amount is a line of its own
    head = [["项目", "预算数", "项目", "预算数"]]
    p1 = head + [["", "", "（十九）住房保障支出", "15.67"]]
    p2 = head + [["", "", "（二十）粮油物资储备支出", ""], ["收入总计", "361.68", "支出总计", "361.68"]]
    joined, _, _ = join_fragments([grid(p1, 1, XS), grid(p2, 2, XS)])
    assert [r[2] for r in joined.text_rows()[1:]] == ["（十九）住房保障支出", "（二十）粮油物资储备支出",
                                                      "支出总计"]
