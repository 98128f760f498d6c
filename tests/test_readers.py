"""Markdown and HTML readers: spans, line breaks, encodings, sniffing, repairs."""

from __future__ import annotations

from pathlib import Path

import pytest

from budget_extract import readers
from budget_extract.errors import ExtractError
from budget_extract.readers.html import read_html_text
from budget_extract.readers.markdown import read_markdown_text

FIX = Path(__file__).parent.parent / "fixtures"

HTML_TABLE = """<table>
<tr><th rowspan="2">科目编码</th><th rowspan="2">科目名称</th><th rowspan="2">合计</th>
    <th colspan="3">基本支出</th><th rowspan="2">项目支出</th></tr>
<tr><th>小计</th><th>人员经费</th><th>公用<br>经费</th></tr>
<tr><td></td><td>合计</td><td>358.58</td><td>112.58</td><td>105.38</td><td>7.2</td><td>246</td></tr>
</table>"""


def test_html_table_spans():
    (block,) = read_html_text(HTML_TABLE)
    g = block.grid
    assert (g.n_rows, g.n_cols, g.ruled) == (3, 7, True)
    cells = {(c.row, c.col): c for c in g.cells}
    assert (cells[(0, 3)].text, cells[(0, 3)].colspan) == ("基本支出", 3)
    assert (cells[(0, 6)].text, cells[(0, 6)].rowspan) == ("项目支出", 2)
    assert cells[(1, 5)].text == "公用\n经费"
    assert cells[(2, 6)].text == "246"
    assert (1, 0) not in cells  # covered by 科目编码's rowspan


def test_unclosed_html_table_is_recovered():
    (block,) = read_html_text("<p>单位：万元</p><table><tr><td>合计<td>1.5<tr><td>其他<td>2")[1:]
    assert block.grid.text_rows() == [["合计", "1.5"], ["其他", "2"]]


def test_markdown_br_and_html_block():
    md = "| 政府<br>性基<br>金预<br>算 | b |\n|---|---|\n| 1 | 2 |\n\n" + HTML_TABLE + "\n"
    blocks, warnings = read_markdown_text(md)
    assert [b.kind for b in blocks] == ["table", "table"]
    assert blocks[0].grid.text_rows()[0][0] == "政府\n性基\n金预\n算"
    assert blocks[1].grid.ruled and blocks[1].grid.n_cols == 7
    assert warnings == []


def test_markdown_ragged_rows_are_padded_or_cut_with_a_warning():
    md = "| a | b | c |\n|---|---|---|\n| 1 |\n| 1 | 2 | 3 | 4 |\n"
    (block,), warnings = read_markdown_text(md)
    assert block.grid.text_rows() == [["a", "b", "c"], ["1", "", ""], ["1", "2", "3"]]
    assert len(warnings) == 2
    assert "padded" in warnings[0] and "dropped" in warnings[1]


@pytest.mark.parametrize("encoding,bom,eol", [
    ("utf-8", b"", "\n"), ("utf-8", b"\xef\xbb\xbf", "\n"), ("gb18030", b"", "\r\n"),
    ("gbk", b"", "\n"), ("utf-8", b"", "\r\n")])
def test_encodings(tmp_path, encoding, bom, eol):
    text = "# 收支总表\n\n单位：万元\n\n| 项目 | 预算数 |\n|---|---|\n| 合计 | 1.5 |\n"
    p = tmp_path / "x.md"
    p.write_bytes(bom + text.replace("\n", eol).encode(encoding))
    src = readers.read(str(p))
    assert src.blocks[0].text == "收支总表"
    assert src.blocks[2].grid.text_rows() == [["项目", "预算数"], ["合计", "1.5"]]


def test_format_is_sniffed_from_bytes(tmp_path):
    p = tmp_path / "really-html.md"
    p.write_text("<!DOCTYPE html><html><body>" + HTML_TABLE + "</body></html>", encoding="utf-8")
    assert readers.read(str(p)).format == "html"
    pdf = tmp_path / "really-pdf.html"
    pdf.write_bytes((FIX / "上海市普陀区商务委员会2025年部门预算.pdf").read_bytes())
    assert readers.read(str(pdf)).format == "pdf"


@pytest.mark.parametrize("content,reason", [
    (b"", "empty"), (b"   \n", "empty"), (b"PK\x03\x04rest", "Office"),
    (b"\x00\x01\x02binary\x00", "binary")])
def test_unreadable_inputs(tmp_path, content, reason):
    p = tmp_path / "bad.md"
    p.write_bytes(content)
    with pytest.raises(ExtractError) as e:
        readers.read(str(p))
    assert reason in e.value.reason and e.value.path == str(p)


def test_deeply_nested_html_does_not_crash():
    blocks = read_html_text("<div>" * 50000 + "x" + "</div>" * 50000)
    assert isinstance(blocks, list)
