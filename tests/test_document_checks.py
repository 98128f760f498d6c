"""The document-level checks (structure, text hygiene) on planted defects and on clean input.

Each planted defect is made in a real PDF's own text: the reader's blocks of the 上海
社会工作部 2024 决算 (or the 商务委员会 2025 预算) are copied, one thing is changed, and
the pipeline runs again.  The pages asserted are where pdftotext -layout prints the changed
line (p.2 the 目录, p.4 第一部分 …概况, p.5 the 决算表 heading, p.14 the 三公 table and its
说明, p.17 the 情况说明's first section, p.22 截至2024年12月31日).  Then every clean real
document and fixture must produce no finding, but the seed's own blank reason.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from real_docs import doc, extract_once

from budget_extract.model import Block, Check, Document
from budget_extract.pipeline import build_document

FINAL = "中共上海市普陀区委社会工作部2024年度部门决算"
BUDGET = "上海市普陀区商务委员会2025年部门预算"
TEMPLATE = "部门决算模板2024"
FIXTURES = Path(__file__).parent.parent / "fixtures"


def planted(name: str, edit: Callable[[list[Block]], list[Block]]) -> Document:
    """The real document rebuilt from its own blocks after ``edit``."""
    src = doc(name).source
    return build_document(name, replace(src, blocks=edit(copy.deepcopy(src.blocks))))


def retext(old: str, new: str, page: int) -> Callable[[list[Block]], list[Block]]:
    """An edit replacing the first ``old`` by ``new`` in the text lines of one page (spaces
    ignored in the match: the PDF prints 截至 2024 年)."""
    pattern = re.compile(r"\s*".join(map(re.escape, old)))

    def edit(blocks: list[Block]) -> list[Block]:
        for b in blocks:
            if b.kind != "table" and b.page == page and pattern.search(b.text):
                b.text = pattern.sub(new, b.text, count=1)
                return blocks
        raise AssertionError(f"{old!r} not on p.{page}")
    return edit


def findings(d: Document) -> list[Check]:
    return [c for c in d.checks if c.id.startswith(("structure.", "hygiene."))
            and c.status in ("fail", "warn")]


def only(d: Document, prefix: str) -> Check:
    got = [c for c in findings(d) if c.id.startswith(prefix)]
    assert len(got) == 1, [(c.id, c.message) for c in findings(d)]
    return got[0]


def test_placeholder_in_a_heading() -> None:
    d = planted(FINAL, retext("中共上海市普陀区委社会工作部概况", "上海市XX局概况", 4))
    c = only(d, "hygiene.placeholder")
    assert (c.id, c.status) == ("hygiene.placeholder.p4", "warn")
    assert "上海市XX局概况" in c.message and c.refs[0]["page"] == 4
    assert len(findings(d)) == 1


def test_toc_entry_not_printed() -> None:
    """支出决算表 (目录 三、, pp.8–9) taken out: its table and its title line."""
    d = planted(FINAL, lambda bs: [b for b in bs if b.page not in (8, 9)])
    c = only(d, "structure.toc_missing")
    assert (c.id, c.status) == ("structure.toc_missing.3", "fail")
    assert "三、支出决算表" in c.message and c.refs[0]["page"] == 2


def test_printed_table_not_in_toc() -> None:
    d = planted(FINAL, lambda bs: [b for b in bs if not (b.page == 2 and
                                                         b.text.strip() == "三、支出决算表")])
    c = only(d, "structure.not_in_toc")
    assert c.status == "fail" and "支出决算表 (p.8–9)" in c.message
    assert c.refs[0]["page"] == 8


def test_tables_out_of_the_toc_order() -> None:
    """The 财政拨款收入支出决算总表 (目录 四、, pp.10–11) printed before 支出决算表 (三、)."""
    def swap(bs: list[Block]) -> list[Block]:
        moved = [b for b in bs if b.page in (10, 11)]
        rest = [b for b in bs if b.page not in (10, 11)]
        at = next(i for i, b in enumerate(rest) if b.page == 8)
        return rest[:at] + moved + rest[at:]
    c = only(planted(FINAL, swap), "structure.toc_order")
    assert c.status == "fail"
    assert "财政拨款收入支出决算总表" in c.message and "支出决算表" in c.message


def test_other_year_in_a_heading() -> None:
    d = planted(FINAL, retext("2024年度部门决算表", "2023年度部门决算表", 5))
    c = only(d, "hygiene.heading_year")
    assert (c.id, c.status) == ("hygiene.heading_year.p5", "warn")
    assert "2023" in c.message and "2024 report" in c.message


def test_as_of_date_of_another_year() -> None:
    d = planted(FINAL, retext("截至2024年12月31日", "截至2023年12月31日", 22))
    assert not [c for c in findings(d) if "as_of" in c.id]  # one finding, not two:
    c = next(c for c in d.checks if c.id.startswith("claims.as_of_year"))  # the claims'
    assert (c.id, c.status) == ("claims.as_of_year.（三）国有资产占有使用情况说明", "fail")
    assert "截至2023年" in c.message and c.refs[0]["page"] == 22


def test_the_text_is_read_once_for_every_check() -> None:
    """The 情况说明 checks and the document checks read one text: each section is a run of
    the document's lines (no 目录 line, no running header), and the narrative figures are
    the claims' own figures, not a second parse."""
    from budget_extract.budget.prose import read_prose
    from budget_extract.segment import segment

    src = doc(FINAL).source
    seg = segment(src.blocks)
    prose = read_prose(src.blocks, seg, "中共上海市普陀区委社会工作部")
    lines = {id(ln) for ln in prose.text.lines}
    assert all(id(ln) in lines and ln.block not in seg.furniture | seg.toc_blocks
               for s in prose.sections for ln in s.lines)
    ids = {id(f) for f in prose.figures}
    assert prose.narrative and all(id(f) in ids for f in prose.narrative)
    assert len(doc(FINAL).narrative) == len(prose.narrative)
    # p.22: 截至2024年12月31日，… the statement of the 国有资产, placed on its page
    [as_of] = [d for d in prose.dated if d["kind"] == "as_of"]
    assert (as_of["year"], as_of["page"]) == (2024, 22)


def test_doubled_full_stop() -> None:
    d = planted(FINAL, retext("主要原因：单位于2024年成立。", "主要原因：单位于2024年成立。。", 17))
    c = only(d, "hygiene.doubled_punctuation")
    assert (c.id, c.status) == ("hygiene.doubled_punctuation.p17", "warn")
    assert "“。。”" in c.message


def test_template_residue() -> None:
    d = planted(FINAL, retext("收入支出总计增加307.82万元", "收入支出总计增加（减少）307.82万元",
                              17))
    c = only(d, "hygiene.template_residue")
    assert (c.id, c.status) == ("hygiene.template_residue.p17", "warn")
    assert "增加（减少）" in c.message


def test_reason_announced_not_given() -> None:
    d = planted(FINAL, retext("主要原因：单位于2024年成立。", "主要原因是。", 17))
    c = only(d, "hygiene.empty_reason")
    assert (c.id, c.status) == ("hygiene.empty_reason.p17", "warn")
    assert "主要原因是。" in c.message


def test_empty_table_without_its_note() -> None:
    """The 三公 决算表 (表7, p.14) is empty; its 说明 line taken out, and the 情况说明's
    无“三公”经费财政拨款支出 (p.20) with it, nothing says why."""
    def edit(bs: list[Block]) -> list[Block]:
        return [b for b in bs if not (b.kind != "table" and "三公" in b.text
                                      and re.search("没有|无", b.text))]
    d = planted(FINAL, edit)
    c = only(d, "structure.empty_note")
    assert (c.id, c.status) == ("structure.empty_note.7", "warn")
    assert c.refs[0]["page"] == 14


def test_empty_final_account_table_the_text_gives_its_budget_for() -> None:
    """The 决算's 三公 table (表7, p.14) prints nothing, as it should, but its 情况说明
    (p.20) is made to say 年初预算为3.50万元: the table and the text contradict."""
    d = planted(FINAL, retext("2024年度无“三公”经费财政",
                              "2024年度“三公”经费财政拨款支出年初预算为3.50万元，支出决算为"
                              "2.80万元。无“三公”经费财政", 20))
    c = only(d, "structure.empty_but_stated")
    assert (c.id, c.status) == ("structure.empty_but_stated.7", "fail")
    assert "年初预算 3.50万元" in c.message
    assert [r["page"] for r in c.refs] == [14, 20]


def test_empty_table_the_text_gives_amounts_for() -> None:
    """商务委员会 2025 预算: its 三公 table (表9, p.21) emptied while the text (p.22) still
    says 2025年“三公”经费预算数为1.00万元."""
    def edit(bs: list[Block]) -> list[Block]:
        for b in bs:
            if b.grid is not None and b.page == 21:
                for cell in b.grid.cells:
                    if re.fullmatch(r"[\d.,]+", cell.text.strip()):
                        cell.text = ""
        return bs
    d = planted(BUDGET, edit)
    c = next(c for c in findings(d) if c.id.startswith("structure.empty_but_stated"))
    assert (c.id, c.status) == ("structure.empty_but_stated.9", "fail")
    assert "1.00万元" in c.message and c.refs[0]["page"] == 21 and c.refs[1]["page"] == 22


# The seed's own defect: 情况说明 三、 says 增长原因主要是。 (a reason never written).
SEED_BLANK_REASON = {"huaibei-hrss-info-center-2026-budget.md": "hygiene.empty_reason",
                     "huaibei-hrss-info-center-2026-budget.html": "hygiene.empty_reason",
                     "huaibei-hrss-info-center-2026-budget.pdf": "hygiene.empty_reason.p17",
                     "huaibei-hrss-info-center-2026-budget-unruled.pdf":
                         "hygiene.empty_reason.p17",
                     "huaibei-hrss-info-center-2026-budget-pagebreak.pdf":
                         "hygiene.empty_reason.p23"}
SHANGHAI_BUDGETS = ["上海市普陀区商务委员会2025年部门预算.pdf",
                    "上海市普陀区人民政府万里街道办事处2025年部门预算.pdf"]


@pytest.mark.parametrize("name", SHANGHAI_BUDGETS)
def test_shanghai_budgets_have_no_finding(name: str, extracted) -> None:
    """The two 上海 预算 fixtures (the other real PDFs: tests/test_templates.py's
    test_no_document_finding, on the extraction those tests already make)."""
    d = extracted(FIXTURES / name)
    assert [(c.id, c.message) for c in findings(d)] == []
    assert "structure.toc" in {c.id for c in d.checks}  # 目录 lists 9 tables, all printed


@pytest.mark.parametrize("name", sorted(SEED_BLANK_REASON))
def test_fixtures_have_no_finding_but_the_seed_blank_reason(name: str, extracted) -> None:
    d = extracted(FIXTURES / name)
    assert [c.id for c in findings(d)] == [SEED_BLANK_REASON[name]]
    assert "增长原因主要是。" in findings(d)[0].message
    assert "structure.toc" in {c.id for c in d.checks}


def test_check_command_lists_warnings(capsys) -> None:
    """``budget-extract check`` counts and prints the warnings like the failures."""
    from budget_extract.cli import main

    assert main(["check", str(FIXTURES / "huaibei-hrss-info-center-2026-budget.md")]) == 3  # it fails checks too
    out = capsys.readouterr().out
    assert re.search(r"\d+ warn", out)
    assert "WARN hygiene.empty_reason" in out


CONVERTED = sorted((FIXTURES / "converted").glob("*.pymupdf4llm.md"))


@pytest.mark.slow  # one extraction per converted file (seconds each)
@pytest.mark.parametrize("path", CONVERTED, ids=[p.name for p in CONVERTED])
def test_converted_markdown_has_no_finding_but_the_seed_blank_reason(path: Path) -> None:
    """A converter's Markdown of a clean document (titles folded into grids, paragraphs
    marked as headings) gives no finding either; the seed's is its own blank reason."""
    d = extract_once(path)  # the session's copy: tests/test_converted_markdown.py reads it too
    want = ["hygiene.empty_reason"] if path.name.startswith("huaibei") else []
    assert [c.id for c in findings(d)] == want, [c.message for c in findings(d)]


def test_a_draft_full_of_placeholders_is_listed_twenty_times() -> None:
    """A text with 30 placeholders (a template half filled in, its tables printing amounts)
    lists the first 20 with their pages and counts the rest."""
    from budget_extract.budget.checks.doctext import DocCtx, DocText, Line
    from budget_extract.budget.checks.hygiene import MAX_LISTED, hygiene_checks

    text = DocText(lines=[Line("上海市XX局2024年度收入XXX万元。", page, False)
                          for page in range(1, 16)])
    checks: list[Check] = []
    hygiene_checks(checks, DocCtx(tables=[], text=text, meta={"year": "2024"}))
    assert len(checks) == MAX_LISTED == 20
    assert [c.id for c in checks[:3]] == ["hygiene.placeholder.p1", "hygiene.placeholder.p1#2",
                                         "hygiene.placeholder.p2"]
    assert checks[-1].message.endswith("(and 10 more like it)")


def test_empty_table_explained_by_a_list_of_empty_tables() -> None:
    """西安 2026: 表11 (p.30, 财政拨款上年结转资金支出表) prints only its 合计 line and no note;
    the 空表 list on p.18 (报表 | 报表名称 | 是否空表 | 表格为空的理由) says ``表11 … 是 不涉及``."""
    d = doc("西安市信访局2026年部门预算")
    c = next(c for c in d.checks if c.id == "structure.empty_note.11")
    assert c.status == "pass", c.message
