"""The seed written as portals publish HTML (fixtures/build/make_html_variants.py) gives the
seed's facts.

Word and Excel "Save as Web Page", WPS, and CMS rich-text editors wrap the same tables in
very different markup: ``MsoNormal`` paragraphs in every cell, ``x:num`` attributes beside
formatted numbers, rows and columns hidden by a ``<style>`` block's class rules, the title
and unit as merged rows inside the table, full-width digits, a GBK page declaring gb2312,
a long table cut in two by the editor.  The content is the seed's, so the expected facts
are the seed's own, known by construction: the same values, row labels and column paths
as the seed PDF's (amounts ×10000 where a variant prints 元).
"""

from __future__ import annotations

import importlib.util
import sys

import pytest
from variant_facts import FIX, NUMBERED, SEED_PDF, diff, keyed

_spec = importlib.util.spec_from_file_location(
    "make_html_variants", FIX / "build" / "make_html_variants.py")
make_html_variants = importlib.util.module_from_spec(_spec)
sys.modules["make_html_variants"] = make_html_variants  # dataclasses look it up
_spec.loader.exec_module(make_html_variants)


FULL = {"word", "cms", "split"}  # the variants printing the whole document, not the tables only


@pytest.fixture(scope="session")
def html_variant(tmp_path_factory, extracted):
    """``html_variant(name)``: the variant written and extracted, once per session."""
    folder = tmp_path_factory.mktemp("html-variants")

    def get(name: str):
        path = folder / make_html_variants.file_name(name)
        if not path.exists():
            path.write_bytes(make_html_variants.variant_bytes(name))
        return extracted(path)

    return get


@pytest.mark.parametrize("name", make_html_variants.VARIANTS)
def test_html_variant_gives_the_seed_facts(name, html_variant, extracted):
    yuan = name.endswith("yuan")
    want = keyed(extracted(SEED_PDF), yuan=yuan, tables=NUMBERED)
    doc, seed = html_variant(name), extracted(SEED_PDF)
    got = keyed(doc, yuan=yuan, tables=NUMBERED)
    assert got == want, diff(got, want)
    if not yuan:  # ×10000 turns the seed's 0.01 万元 roundings into 100 元 differences
        failed = {c.id for c in doc.checks if c.status == "fail"}
        assert failed == {c.id for c in seed.checks if c.status == "fail"}
    if name not in FULL:  # a workbook of the tables prints no document title
        return
    # the page around the tables (Word's styles, a portal's breadcrumb 预决算公开) changes
    # nothing of what the document is
    assert (doc.meta.title, doc.meta.unit_name, doc.meta.year, doc.meta.budget_phase) == (
        "淮北市人力资源和社会保障局信息中心2026年度单位预算", "淮北市人力资源和社会保障局信息中心",
        "2026", "预算")
    # the whole document: 第三部分, the 附件 list and forms too
    assert keyed(doc, yuan=yuan) == keyed(seed, yuan=yuan)
    assert len(doc.performance_targets) == len(seed.performance_targets)


def test_variants_print_what_the_reader_must_see_through():
    """The markup each variant is about is really there (else the test above proves less)."""
    word = make_html_variants.variant_bytes("word")
    assert b"charset=gb2312" in word and "单位公开表1".encode("gbk") in word
    with pytest.raises(UnicodeDecodeError):
        word.decode("utf-8")
    assert b"<o:p></o:p>" in word and b"<![if !supportMisalignedColumns]>" in word
    excel = make_html_variants.variant_bytes("excel").decode("utf-8")
    # the sheet's unformatted number beside the text it shows: the text is the value
    assert 'x:num="358.5812">358.58<' in excel and 'x:num="3.1012">3.10<' in excel
    assert ".xl69, .xl70\n\t{mso-style-parent:style0;\n\tdisplay:none;}" in excel
    assert "999.99" in excel  # the hidden stale rows
    assert "3,585,800.00" in make_html_variants.variant_bytes("excel-yuan").decode("utf-8")
    cms = make_html_variants.variant_bytes("cms").decode("utf-8")
    assert "３５８．５８" in cms and 'class="TRS_Editor"' in cms and "一般公共<br/>预算" in cms
    split = make_html_variants.variant_bytes("split").decode("utf-8")
    assert split.count("<table") > cms.count("<table")


def test_damaged_gbk_page_reads_with_its_declared_charset(tmp_path, extracted):
    """One stray byte in a GBK page (a CMS cutting a character) must not turn the whole page
    into mojibake: the page's declared gb2312 decodes it, the byte becomes U+FFFD."""
    from budget_extract import extract

    word = make_html_variants.variant_bytes("word")
    cut = word.index(b"<p", word.index("第一部分".encode("gbk")))
    path = tmp_path / "damaged.html"  # a lead byte without its trail byte
    path.write_bytes(word[:cut] + b"\xb5" + word[cut:])
    doc = extract(path)
    assert any("damaged character" in w for w in doc.source.warnings)
    want = keyed(extracted(SEED_PDF), tables=NUMBERED)
    got = keyed(doc, tables=NUMBERED)
    assert got == want, diff(got, want)


def test_page_chrome_is_left_out_but_content_under_a_chrome_name_is_kept():
    """A breadcrumb and a footer are no part of the disclosure; a table, or a paragraph of
    text, is content even inside an element whose class says ``nav``."""
    from budget_extract.readers.html import read_html_text

    page = ("<html><body><div class='crumb'>首页 &gt; 信息公开 &gt; 预决算公开</div>"
            "<nav><a href='/'>首页</a></nav>"
            "<div class='nav-content'><p>单位公开表1</p><table><tr><td>项目</td><td>预算数</td>"
            "</tr><tr><td>一般公共预算收入</td><td>358.58</td></tr></table></div>"
            f"<div id='footer'><p>{'说明' * 120}</p></div>"
            "<div class='footer'>主办：淮北市人力资源和社会保障局</div></body></html>")
    texts = [b.text for b in read_html_text(page) if b.kind != "table"]
    tables = [b for b in read_html_text(page) if b.kind == "table"]
    assert texts == ["单位公开表1", "说明" * 120]
    assert [c.text for c in tables[0].grid.cells] == ["项目", "预算数", "一般公共预算收入",
                                                      "358.58"]
