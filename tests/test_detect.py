"""Splitting and numbering tables: captions in every printed form, the 目录's ordinals, order.

Synthetic block streams for the mechanisms, then the real PDFs, whose expected numbers and
titles were read off the printed pages and 目录 (not from the program's output).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from real_docs import doc

from budget_extract.model import Block, Grid
from budget_extract.segment import TocEntry, segment
from budget_extract.tables.build import build_table
from budget_extract.tables.detect import CAPTION, _split_caption, cn_to_int, detect_tables
from budget_extract.tables.numbering import toc_number

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("line,caption,number,title", [
    ("预算01表收支总表", "预算01表", "1", "收支总表"),
    ("苏州市审计局2026年度部门预算公开公开05表财政拨款支出表", "公开05表", "5", "财政拨款支出表"),
    ("表1：2026年市级部门收支预算总表", "表1", "1", "2026年市级部门收支预算总表"),
    ("：2026年市级部门收入预算总表", "", "", "2026年市级部门收入预算总表"),
    ("2026年单位收入总体情况表", "", "", "2026年单位收入总体情况表"),
    ("1.项目支出绩效目标表", "", "", "项目支出绩效目标表"),
    ("（三）政府采购预算表", "", "", "政府采购预算表"),
])
def test_caption_glued_to_title(line, caption, number, title):
    assert _split_caption("", "", line) == (caption, number, title)


@pytest.mark.parametrize("line,number", [
    ("公开05表", 5), ("预算01表", 1), ("（预算表3）", 3), ("表二", 2), ("部门公开表7", 7)])
def test_caption_on_its_own_line(line, number):
    m = CAPTION.match(line)
    assert m and not m.group("rest") and cn_to_int(m.group("num")) == number


def test_toc_numbers_from_chinese_ordinals_and_captions():
    toc = [TocEntry("", "第二部分某某局2024年度部门决算表"), TocEntry("", "一、收入支出决算总表"),
           TocEntry("", "二、收入决算表"), TocEntry("", "表3 支出决算表"),
           TocEntry("4", "财政拨款收入支出决算总表")]
    assert toc_number("收入支出决算总表", toc) == "1"
    assert toc_number("收入决算表", toc) == "2"
    assert toc_number("支出决算表", toc) == "3"
    assert toc_number("财政拨款收入支出决算总表", toc) == "4"
    assert toc_number("某某局2024年度部门决算表", toc) == ""


def _stream(titles: list[str]) -> list[Block]:
    blocks: list[Block] = []
    for p, t in enumerate(titles, start=1):
        blocks.append(Block(kind="paragraph", text=t, page=p))
        blocks.append(Block(kind="table", page=p, grid=Grid.from_rows(
            [["项目", "金额"], ["合计", "1.00"]], page=p)))
    return blocks


def test_number_by_order_between_numbered_tables():
    blocks = _stream(["表5 一般公共预算支出表", "政府性基金预算支出表", "表7 三公经费支出表"])
    seg = segment(blocks)
    tables = [build_table(c, seg.toc) for c in detect_tables(blocks, seg)]
    assert [t.table_no for t in tables] == ["5", "6", "7"]
    assert [t.title for t in tables] == ["一般公共预算支出表", "政府性基金预算支出表",
                                         "三公经费支出表"]


def test_no_number_guessed_across_an_uneven_gap():
    blocks = _stream(["表5 一般公共预算支出表", "政府性基金预算支出表", "表8 三公经费支出表"])
    seg = segment(blocks)
    tables = [build_table(c, seg.toc) for c in detect_tables(blocks, seg)]
    assert [t.table_no for t in tables] == ["5", "", "8"]


def test_title_after_narrative_paragraphs_is_still_the_title():
    blocks = [Block(kind="paragraph", text="本部门2026年收支预算如下。", page=1),
              Block(kind="paragraph", text="表1", page=2),
              Block(kind="paragraph", text="收支总表", page=2),
              Block(kind="table", page=2, grid=Grid.from_rows([["项目", "金额"], ["合计", "1"]]))]
    seg = segment(blocks)
    (cand,) = detect_tables(blocks, seg)
    assert (cand.number, cand.title) == ("1", "收支总表")


# --------------------------------------------------------------------------- real PDFs




FINAL_ACCOUNT_TITLES = [  # the 目录 of both 上海 决算 PDFs, 一、 … 九、
    "收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表",
    "一般公共预算财政拨款支出决算表", "一般公共预算财政拨款基本支出决算表",
    "财政拨款“三公”经费支出决算表", "政府性基金预算财政拨款收入支出决算表",
    "国有资本经营预算财政拨款收入支出决算表"]


@pytest.mark.parametrize("name", ["中共上海市普陀区委社会工作部2024年度部门决算", "部门决算模板2024"])
def test_final_account_tables_numbered_from_the_toc(name):
    d = doc(name)
    numbered = [(t.table_no, t.title) for t in d.tables if t.table_no]
    assert numbered == [(str(k), title) for k, title in enumerate(FINAL_ACCOUNT_TITLES, 1)]


def test_beijing_number_first_captions():
    d = doc("北京市司法局2026年度部门预算报表")
    t5 = next(t for t in d.tables if t.table_no == "5")
    assert (t5.caption, t5.title, t5.pages) == ("预算05表", "一般公共预算支出表", [11, 12])
    assert [t.table_no for t in d.tables] == [str(n) for n in range(1, 14)]


def test_suzhou_running_header_and_glued_captions():
    d = doc("苏州市审计局2026年部门预算")
    assert [t.table_no for t in d.tables] == [str(n) for n in range(1, 14)]
    t4 = d.tables[3]
    assert (t4.title, t4.pages) == ("财政拨款收支总表", [12, 13])
    assert d.tables[4].title == "财政拨款支出表（功能科目）"
    # the running header on top of every page is no narrative
    assert not any("苏州市审计局2026年度部门预算公开" in s.text for s in d.sections)


def test_hangzhou_titles_without_stray_punctuation():
    d = doc("杭州市气象局2026年部门预算")
    assert d.tables[0].title == "2026年市级部门收支预算总表"
    assert all(not t.title.startswith(("：", ":")) for t in d.tables)


def test_fuzhou_numbered_from_the_toc():
    d = doc("福州市医疗保障局2026年部门预算")
    got = {t.title: t.table_no for t in d.tables if t.table_no}
    assert got["2026年度收支预算总表"] == "1"
    assert got["2026年度一般公共预算“三公”经费支出预算表"] == "10"


def test_caption_drawn_inside_the_grid():
    """``（预算表3）`` as the grid's first row: the table's number, not a header level."""
    g = Grid.from_rows([["（预算表3）", "", ""], ["科目名称", "合计", "基本支出"],
                        ["一般公共服务支出", "10.00", "10.00"]], page=1, ruled=True)
    blocks = [Block(kind="paragraph", text="一般公共预算支出表", page=1),
              Block(kind="table", page=1, grid=g)]
    seg = segment(blocks)
    (t,) = [build_table(c, seg.toc) for c in detect_tables(blocks, seg)]
    assert (t.table_no, t.caption, t.title) == ("3", "（预算表3）", "一般公共预算支出表")
    assert [c.key for c in t.columns] == ["科目名称", "合计", "基本支出"]


def test_title_drawn_inside_the_grid_starts_a_table():
    """Forms printed one per page with their own title in the first row (福州 绩效目标表)
    are tables of their own, even with no text between them."""
    def form(name: str, p: int) -> Block:
        return Block(kind="table", page=p, grid=Grid.from_rows(
            [[f"{name}项目绩效目标表", ""], ["项目名称", name], ["年度目标", "完成"]], page=p))
    blocks = [form("甲", 1), form("乙", 2), form("丙", 3)]
    seg = segment(blocks)
    assert [c.pages for c in detect_tables(blocks, seg)] == [[1], [2], [3]]


def test_numbers_go_on_after_the_last_numbered_table():
    blocks = _stream(["表8 三公经费支出表", "政府采购预算表", "项目支出表"])
    seg = segment(blocks)
    tables = [build_table(c, seg.toc) for c in detect_tables(blocks, seg)]
    assert [t.table_no for t in tables] == ["8", "9", "10"]


def test_no_number_anywhere_the_titled_tables_in_order():
    blocks = _stream(["收支总表", "收入总表", "支出总表"])
    blocks.insert(0, Block(kind="table", page=0, grid=Grid.from_rows(
        [["序号", "单位名称"], ["1", "某某局"]], page=0)))  # an untitled grid in the overview
    seg = segment(blocks)
    tables = [build_table(c, seg.toc) for c in detect_tables(blocks, seg)]
    assert [t.table_no for t in tables] == ["", "1", "2", "3"]


def test_caption_row_in_the_grid_under_a_unit_line():
    """A template may draw ``单位名称：… 单位：万元`` as the grid's first row and the caption
    ``（预算表3）`` in the row under it: the caption is found past the meta row and its row is
    taken out, the meta row left for the header reader."""
    from budget_extract.model import GridCell
    from budget_extract.tables.detect import grid_heading, heading_row, without_row

    cells = [GridCell("单位名称：淮北市人力资源和社会保障局信息中心 单位：万元", 0, 0, colspan=3),
             GridCell("（预算表3）", 1, 0, colspan=3),
             GridCell("科目编码", 2, 0), GridCell("科目名称", 2, 1), GridCell("合计", 2, 2),
             GridCell("205", 3, 0), GridCell("教育支出", 3, 1), GridCell("1.71", 3, 2)]
    grid = Grid(cells=cells, n_rows=4, n_cols=3, ruled=True)
    assert heading_row(grid) == 1
    assert grid_heading(grid) == ("（预算表3）", "3", "")  # caption as printed, no title
    left = without_row(grid, 1)
    assert left.n_rows == 3
    assert [(c.row, c.text) for c in left.cells if c.col == 0] == [
        (0, "单位名称：淮北市人力资源和社会保障局信息中心 单位：万元"), (1, "科目编码"), (2, "205")]


def test_caption_under_the_unit_line_keeps_title_and_unit():
    """Title, then ``单位：万元``, then ``（预算表3）`` just over the columns (the in-grid
    caption of a template printed without rulings): the caption gives the number, the lines
    above it the title and the unit."""
    blocks = [Block(kind="paragraph", text="某某局2026年支出总表", page=1),
              Block(kind="paragraph", text="单位：万元", page=1),
              Block(kind="paragraph", text="（预算表3）", page=1),
              Block(kind="table", page=1, grid=Grid.from_rows(
                  [["科目编码", "科目名称", "合计"], ["205", "教育支出", "1.71"]], page=1))]
    [cand] = detect_tables(blocks, segment(blocks))
    assert (cand.number, cand.title, cand.unit) == ("3", "某某局2026年支出总表", "万元")
