"""The two real 上海市普陀区 2025 部门预算 PDFs, end to end.

Expected values were read off the printed pages (fact counts per table counted by hand from
the pages: rows × printed amounts), not copied from the program's output.
"""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest

import budget_extract
from budget_extract.facts import document_facts, table_facts

FIX = Path(__file__).parent.parent / "fixtures"
SWC = FIX / "上海市普陀区商务委员会2025年部门预算.pdf"
WL = FIX / "上海市普陀区人民政府万里街道办事处2025年部门预算.pdf"


@pytest.fixture(scope="module")
def swc(extracted):
    return extracted(SWC)


@pytest.fixture(scope="module")
def wl(extracted):
    return extracted(WL)


KINDS = ["income_expenditure_summary", "income_summary", "expenditure_summary",
         "fiscal_grant_summary", "general_budget_expenditure", "gov_fund_expenditure",
         "state_capital_expenditure", "general_budget_basic_expenditure",
         "three_public_expenditure"]


def by_no(doc, no):
    return next(t for t in doc.tables if t.table_no == str(no))


def facts(doc, no):
    return {(f.row_no, f.row_code, f.row_label, f.column): (f.value, f.unit, f.page)
            for f in table_facts(doc.stem, by_no(doc, no))}


@pytest.mark.parametrize("which,counts,pages", [
    ("swc", [11, 62, 65, 18, 65, 0, 0, 63, 3],
     [[9], [10, 11], [12, 13], [14], [15, 16], [17], [18], [19, 20], [21]]),
    ("wl", [13, 335, 201, 22, 201, 0, 0, 96, 7],
     [[9], [10, 11, 12, 13], [14, 15, 16, 17, 18], [19], [20, 21, 22, 23, 24], [25], [26],
      [27, 28], [29]]),
])
def test_inventory(which, counts, pages, request):
    doc = request.getfixturevalue(which)
    assert [t.kind for t in doc.tables] == KINDS
    # no number is printed on the table pages: they come from the 目录's entries
    assert [t.table_no for t in doc.tables] == [str(i) for i in range(1, 10)]
    assert [len(table_facts(doc.stem, t)) for t in doc.tables] == counts
    assert [t.pages for t in doc.tables] == pages
    assert [t.unit for t in doc.tables] == ["元"] * 8 + ["万元"]
    assert [t.empty for t in doc.tables] == [False] * 5 + [True, True] + [False, False]


def test_meta(swc, wl):
    assert swc.meta.unit_name == "上海市普陀区商务委员会"
    assert wl.meta.unit_name == "上海市普陀区人民政府万里街道办事处"
    for d in (swc, wl):
        assert d.meta.year == "2025" and d.meta.level == "部门"


def test_swc_summary_tables(swc):
    f = facts(swc, 1)
    assert f[(1, "", "一、财政拨款收入", "本年收入/预算数")] == ("371514655.00", "元", 9)
    assert f[(5, "", "五、资源勘探工业信息等支出", "本年支出/预算数")] == ("293810000.00", "元", 9)
    assert f[(8, "", "支出总计", "本年支出/预算数")] == ("371514655.00", "元", 9)
    t = by_no(swc, 1)
    assert [c.key for c in t.columns] == ["本年收入/项目", "本年收入/预算数", "本年支出/项目",
                                          "本年支出/预算数"]
    f = facts(swc, 4)
    assert f[(4, "", "四、卫生健康支出", "财政拨款支出/一般公共预算")] == ("881803.00", "元", 14)
    assert f[(8, "", "收入总计", "财政拨款收入/预算数")] == ("371514655.00", "元", 14)


def test_swc_code_tables(swc):
    t = by_no(swc, 2)
    assert [c.key for c in t.columns] == [
        "项目/功能分类科目编码/类", "项目/功能分类科目编码/款", "项目/功能分类科目编码/项",
        "项目/功能分类科目名称", "收入预算/合计", "收入预算/财政拨款收入", "收入预算/事业收入",
        "收入预算/事业单位经营收入", "收入预算/其他收入"]
    f = facts(swc, 2)
    # 201 | 13 | 01 printed in three columns, joined into one code
    assert f[(3, "2011301", "行政运行", "收入预算/合计")] == ("9389913.00", "元", 10)
    # the table continues on page 11; row numbers go on across the break
    assert f[(15, "2080506", "机关事业单位职业年金缴费支出", "收入预算/财政拨款收入")] == (
        "705443.00", "元", 11)
    assert f[(31, "", "合计", "收入预算/合计")] == ("371514655.00", "元", 11)
    f = facts(swc, 3)
    assert f[(1, "201", "一般公共服务支出", "支出预算/基本支出")] == ("12291733.00", "元", 12)
    assert f[(31, "", "合计", "支出预算/项目支出")] == ("351684000.00", "元", 13)
    f = facts(swc, 5)
    # page 16 repeats the header: it is dropped, the rows continue
    assert f[(16, "2080599", "其他行政事业单位养老支出", "一般公共预算支出/合计")] == (
        "13260.00", "元", 16)
    f = facts(swc, 8)
    assert [c.key for c in by_no(swc, 8).columns][:3] == [
        "项目/部门预算经济分类科目编码/类", "项目/部门预算经济分类科目编码/款",
        "项目/经济分类科目名称"]
    assert f[(17, "30213", "维修（护）费", "一般公共预算基本支出/公用经费")] == (
        "10000.00", "元", 20)
    assert f[(31, "", "合计", "一般公共预算基本支出/人员经费")] == ("18120593.00", "元", 20)


def test_swc_three_public_in_wan_yuan(swc):
    t = by_no(swc, 9)
    assert t.unit == "万元"
    assert [c.key for c in t.columns] == [
        "“三公”经费预算数/合计", "“三公”经费预算数/因公出国(境)费", "“三公”经费预算数/公务接待费",
        "“三公”经费预算数/公务用车购置及运行费/小计", "“三公”经费预算数/公务用车购置及运行费/购置费",
        "“三公”经费预算数/公务用车购置及运行费/运行费", "机关运行经费预算数"]
    f = facts(swc, 9)
    assert f == {
        (1, "", "", "“三公”经费预算数/合计"): ("1.00", "万元", 21),
        (1, "", "", "“三公”经费预算数/公务接待费"): ("1.00", "万元", 21),
        (1, "", "", "机关运行经费预算数"): ("171.01", "万元", 21),
    }


def test_empty_tables_with_note(swc, wl):
    for doc in (swc, wl):
        for no, what in ((6, "政府性基金"), (7, "国有资本经营")):
            t = by_no(doc, no)
            assert t.empty
            assert t.note.startswith("注:本部门2025年无" + what)
            assert t.note.endswith("故本表为空表。")
            assert t.columns[4].key.endswith("支出/合计")


def test_wl_tables(wl):
    f = facts(wl, 2)
    assert f[(1, "201", "一般公共服务支出", "收入预算/事业收入")] == ("0", "元", 10)
    assert f[(67, "", "合计", "收入预算/财政拨款收入")] == ("189767551", "元", 13)
    f = facts(wl, 3)
    # page 18 holds only the closing 合计 row, without a header
    assert f[(67, "", "合计", "支出预算/基本支出")] == ("101341746", "元", 18)
    assert f[(51, "2120101", "行政运行", "支出预算/项目支出")] == ("150000", "元", 17)
    f = facts(wl, 9)
    assert f[(1, "", "", "“三公”经费预算数/公务用车购置及运行费/购置费")] == ("15", "万元", 29)
    assert f[(1, "", "", "机关运行经费预算数")] == ("464.64", "万元", 29)
    f = facts(wl, 8)
    assert f[(19, "30213", "维修(护)费", "一般公共预算基本支出/公用经费")] == ("276000", "元", 28)


AMOUNT = re.compile(r"(?<![\d.,])-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)(?![\d,]*\d)")


@pytest.mark.parametrize("path", [SWC, WL], ids=["swc", "wl"])
def test_every_printed_amount_on_table_pages_is_a_fact(path, extracted):
    doc = extracted(path)
    table_pages = {p for t in doc.tables for p in t.pages}
    have: dict[tuple[int, str], int] = {}
    for f in document_facts(doc):
        have[(f.page, f.value)] = have.get((f.page, f.value), 0) + 1
    with pdfplumber.open(path) as pdf:
        for n in sorted(table_pages):
            text = pdf.pages[n - 1].extract_text() or ""
            want: dict[str, int] = {}
            for tok in AMOUNT.findall(text):
                want[tok.replace(",", "")] = want.get(tok.replace(",", ""), 0) + 1
            for v, k in want.items():
                assert have.get((n, v), 0) >= k, (n, v)


def test_json_normalises_amounts_to_yuan(swc, tmp_path):
    import json

    budget_extract.write_outputs(swc, str(tmp_path))
    data = json.loads((tmp_path / f"{swc.stem}.json").read_text(encoding="utf-8"))
    three = next(t for t in data["tables"] if t["kind"] == "three_public_expenditure")
    # 1.00 万元 and 171.01 万元, as printed in the 万元 table inside a document in 元
    assert three["rows"][0]["values_yuan"] == {
        "“三公”经费预算数/合计": "10000.00", "“三公”经费预算数/公务接待费": "10000.00",
        "机关运行经费预算数": "1710100.00"}
    income = next(t for t in data["tables"] if t["kind"] == "income_summary")
    assert income["rows"][2]["values_yuan"]["收入预算/合计"] == "9389913.00"
