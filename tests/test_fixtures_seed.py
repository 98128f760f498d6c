"""Checks on the seed fixtures built from huaibei-hrss-info-center-2026-budget.md.

The HTML is a hand-checked, faithful rebuild of the seed disclosure with true merged table
headers; the three PDFs are rendered from it by fixtures/build/make_seed_pdfs.py and committed.
These tests read the committed files only (no WeasyPrint or fonts needed) and assert facts
read from the seed by hand.
"""

from __future__ import annotations

import collections
import re
from functools import cache
from pathlib import Path

import pdfplumber
import pytest
import seed_facts
from lxml import html as lxml_html

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
STEM = "huaibei-hrss-info-center-2026-budget"
HTML_PATH = FIXTURES / f"{STEM}.html"
PDFS = {
    "ruled": FIXTURES / f"{STEM}.pdf",
    "pagebreak": FIXTURES / f"{STEM}-pagebreak.pdf",
    "unruled": FIXTURES / f"{STEM}-unruled.pdf",
}
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
FOOTER = re.compile(r"- \d+ -")

TABLE_TITLES = {
    1: "收支总表",
    2: "收入总表",
    3: "支出总表",
    4: "财政拨款收支总表",
    5: "一般公共预算支出表",
    6: "一般公共预算基本支出表",
    7: "政府性基金预算支出表",
    8: "国有资本经营预算支出表",
    9: "项目支出表",
    10: "政府采购支出表",
    11: "政府购买服务支出表",
    12: "通用资产配置支出表",
}
PROJECTS = [
    "金保工程保障费",
    "社保卡日常运行费",
    "应退未退金保工程等保测评及服务项目履约保证金及其他代管资金",
]


# ------------------------------------------------------------------ helpers


@cache
def html_doc():
    return lxml_html.parse(str(HTML_PATH)).getroot()


def text(el) -> str:
    return el.text_content().strip()


def grid(table) -> list[list[str]]:
    """Expand a table's rowspan/colspan into a rectangular grid of cell texts."""
    rows = table.findall(".//tr")
    out: list[list[str | None]] = [[] for _ in rows]
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while c < len(out[r]) and out[r][c] is not None:
                c += 1
            rs, cs = int(cell.get("rowspan", 1)), int(cell.get("colspan", 1))
            for dr in range(rs):
                row = out[r + dr]
                while len(row) < c + cs:
                    row.append(None)
                for dc in range(cs):
                    row[c + dc] = text(cell)
            c += cs
    return out


@cache
def pdf_pages(variant: str) -> tuple[tuple[str, bool, int], ...]:
    """(text without footer, landscape?, number of ruling objects) for each page."""
    pages = []
    with pdfplumber.open(PDFS[variant]) as pdf:
        for page in pdf.pages:
            lines = (page.extract_text() or "").split("\n")
            if lines and FOOTER.fullmatch(lines[-1].strip()):
                lines = lines[:-1]
            rulings = len(page.lines) + len(page.rects) + len(page.curves)
            pages.append(("\n".join(lines), page.width > page.height, rulings))
    return tuple(pages)


def table_page(variant: str, n: int) -> int:
    """Index of the page whose first line is the caption 单位公开表n."""
    found = [
        i for i, (t, _, _) in enumerate(pdf_pages(variant)) if t.split("\n")[0] == f"单位公开表{n}"
    ]
    assert len(found) == 1, (variant, n, found)
    return found[0]


# ------------------------------------------------------------------ HTML


def test_html_has_twelve_captioned_tables_and_six_performance_forms():
    doc = html_doc()
    assert len(doc.findall(".//table")) == seed_facts.TABLES
    for n, title in TABLE_TITLES.items():
        sec = doc.get_element_by_id(f"gkb-{n}")
        caption, heading, unit = sec[0], sec[1], sec[2]
        assert (caption.tag, text(caption)) == ("p", f"单位公开表{n}")
        assert heading.tag == "h3"
        assert text(heading) == f"淮北市人力资源和社会保障局信息中心2026年{title}"
        assert (unit.tag, text(unit)) == ("p", "单位：万元")
        assert len(sec.findall(".//table")) == 1
        assert sec.find(".//table/thead") is not None and sec.find(".//table/tbody") is not None
    assert [text(p) for p in doc.xpath("//p[starts-with(., '单位公开表')]")] == [
        f"单位公开表{n}" for n in range(1, 13)
    ]
    part3 = doc.get_element_by_id("part-3")
    attachment = doc.get_element_by_id("attachment")
    for where in (part3, attachment):
        forms = where.xpath(".//table[@class='perf-form']")
        assert [text(f.xpath(".//tr[1]/td")[0]) for f in forms] == PROJECTS
    assert len(attachment.xpath(".//table[@class='perf-list']")) == 1
    assert text(doc.find(".//h1")) == "淮北市人力资源和社会保障局信息中心2026年度单位预算"


def test_html_notes_after_empty_tables():
    doc = html_doc()
    for n in (7, 8, 11):
        note = doc.get_element_by_id(f"gkb-{n}").xpath("./table/following-sibling::p")[0]
        assert text(note).startswith("说明：淮北市人力资源和社会保障局信息中心没有")
        assert text(note).endswith("故本表无数据")


def test_general_budget_expenditure_table_header():
    table = html_doc().get_element_by_id("gkb-5").find(".//table")
    first, second = table.findall("thead/tr")
    spans = {text(c): (int(c.get("rowspan", 1)), int(c.get("colspan", 1))) for c in first}
    assert spans == {
        "科目编码": (2, 1),
        "科目名称": (2, 1),
        "合计": (2, 1),
        "基本支出": (1, 3),
        "项目支出": (2, 1),
    }
    assert [text(c) for c in second] == ["小计", "人员经费", "公用经费"]
    g = grid(table)
    assert g[2] == ["", "合计", "358.58", "112.58", "105.38", "7.2", "246"]
    assert all(len(r) == 7 for r in g)


def test_income_table_true_layout():
    table = html_doc().get_element_by_id("gkb-2").find(".//table")
    g = grid(table)
    assert all(len(r) == 19 for r in g)
    header = ["/".join(dict.fromkeys(g[r][c] for r in range(3))) for c in range(19)]
    assert header[:8] == [
        "部门（单位）名称",
        "合计",
        "本年收入/小计",
        "本年收入/一般公共预算",
        "本年收入/政府性基金预算",
        "本年收入/国有资本经营预算",
        "本年收入/财政专户管理资金",
        "本年收入/单位资金/小计",
    ]
    assert header[12] == "本年收入/单位资金/其他收入"
    assert header[13:] == [
        f"上年结转结余/{x}"
        for x in (
            "小计",
            "一般公共预算",
            "政府性基金预算",
            "国有资本经营预算",
            "财政专户管理资金",
            "单位资金",
        )
    ]
    body = g[3:]
    assert [r[0] for r in body] == [
        "淮北市人力资源和社会保障局",
        "淮北市人力资源和社会保障局信息中心",
    ]
    for r in body:
        filled = {header[c]: v for c, v in enumerate(r) if v and c}
        assert filled == {
            "合计": "361.68",
            "本年收入/小计": "361.68",
            "本年收入/一般公共预算": "358.58",
            "本年收入/单位资金/小计": "3.1",
            "本年收入/单位资金/其他收入": "3.1",
        }


def test_summary_table_is_one_table_with_split_part():
    table = html_doc().get_element_by_id("gkb-1").find(".//table")
    first = table.find("thead/tr")
    assert [(text(c), c.get("colspan")) for c in first] == [("收入", "2"), ("支出", "2")]
    g = grid(table)
    assert g[1] == ["项目", "预算数", "项目", "预算数"]
    assert g[2] == ["一、一般公共预算收入", "358.58", "一、一般公共服务支出", ""]
    # the rows after the page break of the original are in the same table
    assert g[-1] == ["收入总计", "361.68", "支出总计", "361.68"]
    assert ["财政专户", "", "财政专户", ""] in g
    assert len(g) == 2 + 38


def test_performance_forms_structure_and_rejoined_cells():
    doc = html_doc()
    forms = doc.xpath("//table[@class='perf-form']")
    for form in forms:
        first = form.find(".//tr")
        assert [(text(c), c.get("colspan")) for c in first][0] == ("项目名称", "2")
        assert first.findall("td")[0].get("colspan") == "4"
        label = form.xpath(".//th[.='绩效指标']")[0]
        assert label.get("rowspan") == "10"
        assert form.xpath(".//td[.='产出指标']")[0].get("rowspan") == "4"
        assert form.xpath(".//td[.='效益指标']")[0].get("rowspan") == "4"
        g = grid(form)
        assert all(len(r) == 6 for r in g)
    part3 = doc.get_element_by_id("part-3").xpath(".//table[@class='perf-form']")
    cells = [{text(c) for c in f.iter("td")} for f in part3]
    assert "提升人社政务服务水平及便民服务水平" in cells[0]
    assert "社保卡及时补办社保卡制卡周期" in cells[1]
    assert "提升行政管理和公共服务能力" in cells[1] and "提升行政管理和公共服务能力" in cells[2]
    all_cells = {text(c) for c in doc.iter("td")}
    assert not {"平", "保卡制卡周期", "共服务能力"} & all_cells


# ------------------------------------------------------------------ PDFs


@pytest.mark.parametrize("variant", list(PDFS))
def test_pdf_small_with_embedded_subset_cjk_font(variant):
    path = PDFS[variant]
    assert path.stat().st_size < 400_000
    with pdfplumber.open(path) as pdf:
        fonts = {c["fontname"] for c in pdf.pages[4].chars}
    assert fonts and all(re.fullmatch(r"[A-Z]{6}\+.+", f) for f in fonts), fonts


@pytest.mark.parametrize("variant", list(PDFS))
def test_pdf_text_extracts_as_cjk(variant):
    pages = pdf_pages(variant)
    alltext = "\n".join(t for t, _, _ in pages)
    assert "(cid:" not in alltext
    assert "361.68" in alltext
    assert "淮北市人力资源和社会保障局信息中心2026年收入总表" in alltext
    assert "第四部分 名词解释" in alltext


@pytest.mark.parametrize("variant", list(PDFS))
def test_pdf_has_every_amount_of_the_tables(variant):
    doc = html_doc()
    want = collections.Counter(text(c) for c in doc.iter("td", "th") if NUMBER.fullmatch(text(c)))
    got = collections.Counter(
        w for t, _, _ in pdf_pages(variant) for w in t.split() if NUMBER.fullmatch(w)
    )
    short = {k: (v, got[k]) for k, v in want.items() if got[k] < v}
    assert not short


@pytest.mark.parametrize("variant", ["ruled", "unruled"])
def test_pdf_each_numbered_table_starts_a_page(variant):
    pages = pdf_pages(variant)
    for n in TABLE_TITLES:
        i = table_page(variant, n)
        t, landscape, _ = pages[i]
        lines = t.split("\n")
        assert lines[1] == f"淮北市人力资源和社会保障局信息中心2026年{TABLE_TITLES[n]}"
        assert lines[2] == "单位：万元"
        assert landscape == (n in (2, 9))
    assert not any(landscape for t, landscape, _ in pages if "单位公开表" not in t)


def test_ruled_pdf_rulings_and_stacked_header():
    pages = pdf_pages("ruled")
    for n in TABLE_TITLES:
        assert pages[table_page("ruled", n)][2] > 20
    assert all(r == 0 for t, _, r in pages if "单位公开表" not in t and "绩效目标表" not in t)
    i = table_page("ruled", 2)
    assert "单位公开表2" in pages[i][0]
    # 政府性基金预算 is stacked in a narrow header cell: not one word in the page text ...
    assert "政府性基金预算" not in pages[i][0]
    with pdfplumber.open(PDFS["ruled"]) as pdf:
        (table,) = pdf.pages[i].extract_tables()
    cells = [c for row in table for c in row if c]
    # ... but one word once line breaks inside the cells are ignored
    assert [c.replace("\n", "") for c in cells].count("政府性基金预算") == 2
    assert all("\n" in c for c in cells if c.replace("\n", "") == "政府性基金预算")
    assert table[3] == [
        "淮北市人力资源和社会保障局",
        "361.68",
        "361.68",
        "358.58",
        "",
        "",
        "",
        "3.1",
        "",
        "",
        "",
        "",
        "3.1",
        "",
        "",
        "",
        "",
        "",
        "",
    ]
    assert len(table) == 5


def test_unruled_pdf_has_no_rulings():
    assert all(r == 0 for _, _, r in pdf_pages("unruled"))


def test_pagebreak_pdf_repeats_table_headers():
    pages = pdf_pages("pagebreak")
    texts = [t for t, _, _ in pages]
    # 支出总表 continues on the next page, which starts with its repeated header row
    i = table_page("pagebreak", 3)
    assert texts[i + 1].split("\n")[0] == "科目编码 科目名称 合计 基本支出 项目支出"
    assert "2210203 购房补贴 3.92 3.92" in texts[i + 1]
    assert "2210203" not in texts[i]
    # 收支总表, 财政拨款收支总表 and 一般公共预算支出表 cross page breaks too
    i = table_page("pagebreak", 1)
    assert texts[i + 1].startswith("收入 支出\n项目 预算数 项目 预算数")
    assert "收入总计 361.68 支出总计 361.68" not in texts[i]
    i = table_page("pagebreak", 4)
    assert texts[i + 1].startswith("收 入 支 出")
    i = table_page("pagebreak", 5)
    lines = texts[i + 1].split("\n")
    first_data = next(k for k, line in enumerate(lines) if line[:1].isdigit())
    # the repeated two-row header (its labels wrap inside the cells at this size)
    header = "".join(lines[:first_data]).replace(" ", "")
    assert sorted(header) == sorted("科目编码科目名称合计基本支出小计人员经费公用经费项目支出")
    assert "2210203 购房补贴 3.92 3.92 3.92" in texts[i + 1]


def test_pagebreak_pdf_splits_a_performance_form_cell():
    texts = [re.sub(r"\s", "", t) for t, _, _ in pdf_pages("pagebreak")]
    goal_head, goal_tail = "金保工程直接关系到广大群众养老", "方便劳动者和参保人员。"
    split = [
        i
        for i in range(len(texts) - 1)
        if goal_head in texts[i]
        and goal_tail not in texts[i]
        and goal_tail in texts[i + 1]
        and goal_head not in texts[i + 1]
    ]
    assert split, "no 年度目标 cell of a 绩效目标表 split across pages"
