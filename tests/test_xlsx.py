"""``S.xlsx``: headers merged as printed, numbers as numbers, caption and checks sheets."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from cli_process import cli

from budget_extract.emit.xlsx_out import document_xlsx, header_spans, number_format, sheet_name

FIX = Path(__file__).parent.parent / "fixtures"
SEED = "huaibei-hrss-info-center-2026-budget"


@pytest.fixture(scope="module")
def html_doc(extracted):
    return extracted(FIX / f"{SEED}.html")


@pytest.fixture(scope="module")
def md_doc(extracted):
    return extracted(FIX / f"{SEED}.md")


@pytest.fixture(scope="module")
def html_wb(html_doc):
    return openpyxl.load_workbook(io.BytesIO(document_xlsx(html_doc)))


def _spans(cells):
    return sorted((c.row, c.col, c.rowspan, c.colspan) for c in cells
                  if c.rowspan > 1 or c.colspan > 1)


def test_one_sheet_per_table_plus_contents_and_checks(html_wb, html_doc):
    names = html_wb.sheetnames
    assert names[0] == "目录" and names[-1] == "核对"
    assert len(names) == len(html_doc.tables) + 2
    assert names[1] == "1 收支总表" and names[2] == "2 收入总表"
    assert len(set(n.casefold() for n in names)) == len(names)


def test_headers_merged_exactly_as_printed(html_wb, html_doc):
    t = html_doc.tables[1]  # 收入总表: three header rows, spans in both directions
    ws = html_wb["2 收入总表"]
    top = 5  # title, unit, source, a blank line, then the table
    merged = sorted((r.min_row - top, r.min_col - 1, r.max_row - r.min_row + 1,
                     r.max_col - r.min_col + 1) for r in ws.merged_cells.ranges)
    expected = _spans(c for c in t.grid.cells if c.row < len(t.header_rows))
    assert merged == expected
    assert ws.cell(top, 3).value == "本年收入" and ws.cell(top + 1, 8).value == "单位资金"
    assert (ws["A1"].value, ws["A2"].value) == (t.title, "单位：万元")
    assert ws["A3"].value.startswith(f"来源：{SEED}.html") and "表2" in ws["A3"].value


def test_numbers_stored_as_numbers_with_printed_decimals(html_wb):
    ws = html_wb["1 收支总表"]
    body = ws.cell(7, 2)  # 一般公共预算收入 358.58
    assert isinstance(body.value, float | int) and body.value == pytest.approx(358.58)
    assert body.number_format == "0.00"
    assert ws.cell(7, 1).value == "一、一般公共预算收入"
    basic = html_wb["6 一般公共预算基本支出表"]
    codes = [basic.cell(r, 1).value for r in range(8, 12)]
    assert all(isinstance(c, str) for c in codes if c)  # 科目编码 stay text (leading zeros)


def test_number_format_follows_the_print():
    assert number_format("1,234.50") == "#,##0.00"
    assert number_format("236.00") == "0.00"
    assert number_format("3.1") == "0.0"
    assert number_format("12") == "0"
    assert number_format("(12.5)") == "0.0;(0.0)"


def test_markdown_headers_inferred_like_the_html(md_doc, html_doc):
    """Markdown cannot print merged cells; the blanks it leaves are merged back the way the
    HTML version of the same document prints them, wherever both print the same header."""
    compared = 0
    for md_t, html_t in zip(md_doc.tables, html_doc.tables, strict=True):
        if md_t.header_rows != html_t.header_rows or not md_t.header_rows:
            continue
        n = len(md_t.header_rows)
        assert _spans(header_spans(md_t.grid, n)) == _spans(
            c for c in html_t.grid.cells if c.row < n), md_t.title
        compared += 1
    assert compared >= 8


def test_checks_sheet_lists_every_check(html_wb, html_doc):
    ws = html_wb["核对"]
    assert ws.max_row == max(len(html_doc.checks) + 1, 2)
    if html_doc.checks:
        assert ws.cell(2, 2).value == html_doc.checks[0].status
        assert ws.cell(2, 3).value == html_doc.checks[0].id


def test_workbook_bytes_are_reproducible(md_doc):
    assert document_xlsx(md_doc) == document_xlsx(md_doc)


def test_sheet_names_are_valid_and_unique():
    taken: set[str] = set()
    names = [sheet_name("13 项目支出绩效目标表", taken) for _ in range(3)]
    assert names == ["13 项目支出绩效目标表", "13 项目支出绩效目标表(2)",
                     "13 项目支出绩效目标表(3)"]
    assert sheet_name("a/b:c*?[x]" + "长" * 40, taken) == ("a_b_c___x_" + "长" * 40)[:31]


def test_extract_xlsx_flag(tmp_path):
    p = cli("extract", FIX / f"{SEED}.md", "-o", tmp_path, "--xlsx")
    assert p.returncode == 0, p.stderr
    wb = openpyxl.load_workbook(tmp_path / f"{SEED}.xlsx")
    assert "1 收支总表" in wb.sheetnames
    p = cli("extract", FIX / f"{SEED}.md", "-o", tmp_path / "no")
    assert p.returncode == 0, p.stderr
    assert not (tmp_path / "no" / f"{SEED}.xlsx").exists()
