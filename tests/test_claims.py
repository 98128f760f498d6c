"""What the prose claims, checked (``claims.*``): on the seed and the real PDFs, and with one
planted defect of each kind in the seed Markdown.

Expected values are worked by hand from the printed pages (the seed's 情况说明, the 决算's
pages 17–20, 国家信访局 pages 17–25); the real documents' pages were found with pdfplumber,
independently of this package's reader.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import real_docs

import budget_extract
from budget_extract.model import Check, Document

SEED = Path(__file__).parent.parent / "fixtures" / "huaibei-hrss-info-center-2026-budget.md"
JUESUAN = "中共上海市普陀区委社会工作部2024年度部门决算"
XINFANG = "国家信访局2026年部门预算"
REAL = ["上海市普陀区人民政府万里街道办事处2025年部门预算", "上海市普陀区商务委员会2025年部门预算",
        JUESUAN, "中共重庆市委宣传部2026年部门预算", "北京市司法局2026年度部门预算报表", XINFANG,
        "广州市信访局2026年部门预算", "杭州市气象局2026年部门预算", "深圳市民政局2026年部门预算",
        "福州市医疗保障局2026年部门预算", "苏州市审计局2026年部门预算", "西安市信访局2026年部门预算",
        "部门决算模板2024"]
# The real defects the printed text has (each checked by hand against the page):
TRUE_FINDINGS = {
    # p. 18: 一般公共预算财政拨款支出年初预算为0万元，全年预算为321.02万元，支出决算为
    # 307.82万元，完成年初预算的95.89% — 95.89% is 307.82 ÷ 321.02, the 全年预算.
    JUESUAN: {"claims.completion.一般公共预算财政拨款支出"},
    # p. 18: 财政拨款收支总预算18,728.91万元, while the text's own parts (16,474.82 + 2,254.12)
    # and the 财政拨款收支总表's 收入总计 give 18,728.94; p. 25: 委托业务费 1,391.68万元,
    # 比2025年预算增加333.83万元 → 333.83 ÷ 1,057.85 = 31.56%, printed 31.35%.
    XINFANG: {"claims.headline.财政拨款收入支出总计", "claims.change.委托业务费财政拨款预算"},
}


def _claims(doc: Document) -> list[Check]:
    return [c for c in doc.checks if c.id.startswith("claims.")]


def _failing(doc: Document) -> set[str]:
    return {c.id for c in _claims(doc) if c.status == "fail"}


def _by_id(doc: Document, cid: str) -> Check:
    return next(c for c in _claims(doc) if c.id == cid)


def _claim_ref(c: Check) -> dict[str, Any]:
    return next(r for r in c.refs if r.get("term") == "claim")


def _plant(tmp_path: Path, old: str, new: str, *, extra: str = "") -> Document:
    """The seed Markdown with ``old`` (printed once) replaced by ``new``, and ``extra``
    printed before its 政府性基金预算支出表."""
    text = SEED.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    text = text.replace(old, new)
    if extra:
        anchor = "## 淮北市人力资源和社会保障局信息中心2026年政府性基金预算支出表"
        assert text.count(anchor) == 1
        text = text.replace(anchor, extra + anchor)
    path = tmp_path / SEED.name
    path.write_text(text, encoding="utf-8")
    return budget_extract.extract(path)


# A 三公 table printing 上年 and 当年 side by side (西安's layout, p. 32), added to the seed:
# the 上年 12.00 = 2.00 + 10.00, the 当年 10.10 = 1.00 + 9.10.
THREE_PUBLIC = """## 淮北市人力资源和社会保障局信息中心2026年一般公共预算“三公”经费支出表

单位：万元

| 项目 | 上年 | | | 当年 | | |
|---|---|---|---|---|---|---|
| | 合计 | 公务接待费 | 公务用车运行维护费 | 合计 | 公务接待费 | 公务用车运行维护费 |
| 合计 | 12.00 | 2.00 | 10.00 | 10.10 | 1.00 | 9.10 |

"""
THREE_PUBLIC_AT = "主要原因：人员正常工资增长。"


# --------------------------------------------------------------------------- real input


def test_seed_claims_all_hold(extracted: Callable[[Path], Document]) -> None:
    doc = extracted(SEED)
    assert _failing(doc) == set()
    kinds = [c.id.split(".")[1] for c in _claims(doc)]
    # by hand from the seed's 情况说明: 16 changes (each 比2025年预算增加/减少 N万元，增长/下降
    # P%), the 20 shares of 二、三、四、五（二）and 十, 16 base years (2025 < 2026)
    assert kinds.count("change") == 16
    assert kinds.count("share") == 20
    assert kinds.count("base_year") == 16
    c = _by_id(doc, "claims.change.住房公积金")
    assert c.status == "pass"
    assert c.expected == "6.47%" and c.actual == "6.47%"  # 0.65 ÷ (9.4 + 0.65) = 6.468%
    c = _by_id(doc, "claims.headline.人员经费")
    assert c.status == "pass" and c.actual == "105.38万元"
    assert c.refs[1]["kind"] == "general_budget_basic_expenditure"


@pytest.mark.parametrize("name,page", [
    ("huaibei-hrss-info-center-2026-budget.md", None),
    ("huaibei-hrss-info-center-2026-budget.html", None),
    ("huaibei-hrss-info-center-2026-budget.pdf", 18),
    ("huaibei-hrss-info-center-2026-budget-pagebreak.pdf", 25),
    ("huaibei-hrss-info-center-2026-budget-unruled.pdf", 18)])
def test_seed_renders_check_the_same_claims(extracted: Callable[[Path], Document], name: str,
                                            page: int | None) -> None:
    """The seed as Markdown, HTML and three PDF renders (which file the 说明 under other
    headings): the same claims found, all holding, with the page the sentence is printed
    on (住房公积金 9.4万元: found with pdfplumber)."""
    doc = extracted(SEED.parent / name)
    assert _failing(doc) == set()
    kinds = [c.id.split(".")[1] for c in _claims(doc)]
    assert [kinds.count(k) for k in ("headline", "change", "share", "base_year")] == \
        [13, 16, 20, 16]
    assert _claim_ref(_by_id(doc, "claims.change.住房公积金"))["page"] == page


@pytest.mark.parametrize("name", REAL)
def test_real_documents_fail_only_where_the_text_is_wrong(name: str) -> None:
    doc = real_docs.doc(name)
    assert _failing(doc) == TRUE_FINDINGS.get(name, set())


def test_template_has_no_claims() -> None:
    """The blank national 决算 template prints XXX for every figure: nothing to check, no
    placeholder (大于（小于）) read as a statement; only its 国有资产 date (截至2024年12月31日,
    p. 21) is a claim, and right."""
    checks = _claims(real_docs.doc("部门决算模板2024"))
    assert [(c.id, c.status) for c in checks] == [
        ("claims.as_of_year.（三）国有资产占有使用情况说明", "pass")]
    assert _claim_ref(checks[0])["page"] == 21


def test_final_account_statements_counted_by_hand() -> None:
    doc = real_docs.doc(JUESUAN)
    kinds = [c.id.split(".")[1] for c in _claims(doc)]
    # pp. 18–20: the total and items 1–9 each say 决算数小于/与…持平 (10); 完成…预算的N%
    # is printed for the total and items 1, 6 and 8 (4)
    assert kinds.count("final_vs_budget") == 10
    assert kinds.count("completion") == 4
    c = _by_id(doc, "claims.completion.一般公共预算财政拨款支出")
    assert c.status == "fail" and c.expected == "95.89%"
    assert _claim_ref(c)["page"] == 18
    c = _by_id(doc, "claims.completion.行政单位医疗")
    assert c.status == "pass" and c.actual == "99.55%"  # 2.22 ÷ 2.23
    assert _claim_ref(c)["page"] == 19
    c = _by_id(doc, "claims.final_vs_budget.购房补贴")
    assert c.status == "pass" and c.actual == "等于"  # 11.72 = 11.72: 持平


def test_xinfang_changes_counted_by_hand() -> None:
    doc = real_docs.doc(XINFANG)
    changes = [c for c in _claims(doc) if c.id.startswith("claims.change.")]
    # pp. 20–25: the 当年拨款 (减幅55.76%), 13 项 with 增幅/减幅 (items 3 and 7 are 相同),
    # 机关运行经费 (10.32%) and 委托业务费 (31.35%)
    assert len(changes) == 16
    c = _by_id(doc, "claims.change.委托业务费财政拨款预算")
    assert (c.status, c.expected, c.actual) == ("fail", "31.35%", "31.56%")
    assert _claim_ref(c)["page"] == 25
    c = _by_id(doc, "claims.headline.财政拨款收入支出总计")
    assert (c.expected, c.actual) == ("18728.91万元", "18,728.94万元")
    assert _claim_ref(c)["page"] == 18 and c.refs[1]["kind"] == "fiscal_grant_summary"


def test_text_in_wan_against_a_table_in_yuan_is_rounding() -> None:
    """上海 prints its tables in 元 and its text in 万元: 37,151.47万元 vs 371,514,655.00元
    differs by 5 元, within the text's ±50 元."""
    c = _by_id(real_docs.doc("上海市普陀区商务委员会2025年部门预算"), "claims.headline.收入")
    assert (c.status, c.expected, c.actual) == ("rounding", "37151.47万元", "371,514,655.00元")


def test_shares_moved_to_add_up_to_100_are_rounding() -> None:
    """决算 p. 18: 86.05 + 3.52 + 0.88 + 9.55 = 100.00, though 29.42 ÷ 307.82 = 9.558%: the
    last share was moved by one unit so that the four add up."""
    c = _by_id(real_docs.doc(JUESUAN), "claims.share.住房保障支出")
    assert c.status == "rounding"


# --------------------------------------------------------------------------- planted defects


def test_planted_wrong_direction(tmp_path: Path) -> None:
    doc = _plant(tmp_path, "2026年预算9.4万元，比2025年预算减少0.65万元，下降6.47%",
                 "2026年预算9.4万元，比2025年预算增加0.65万元，下降6.47%")
    assert _failing(doc) == {"claims.direction.住房公积金"}
    c = _by_id(doc, "claims.direction.住房公积金")
    assert "增加0.65万元，下降6.47%" in _claim_ref(c)["text"]
    assert _claim_ref(c)["narrative_section"] == "（三）一般公共预算支出具体情况。"


def test_change_against_the_tables_prior_year() -> None:
    """西安 p. 14 against its 三公 table (p. 32, 元): 10.10万元, 较上年减少1.90万元,
    下降15.83% — 上年 120,000.00元: 10.10 − 12.00 = −1.90, 1.90 ÷ 12.00 = 15.83%."""
    doc = real_docs.doc("西安市信访局2026年部门预算")
    checks = [c for c in _claims(doc) if c.id.startswith("claims.prior_year.")]
    assert [(c.id, c.status) for c in checks] == [
        ("claims.prior_year.三公经费", "pass"), ("claims.prior_year.公务接待费", "pass"),
        ("claims.prior_year.公务用车运行费", "pass")]
    assert checks[0].refs[1]["value"] == "120,000.00"


def test_planted_increase_where_the_table_says_it_fell(tmp_path: Path) -> None:
    """A claim consistent with itself (10.10 − 1.90 = 8.20, 1.90 ÷ 8.20 = 23.17%) that the
    table's 上年 column contradicts: 上年 12.00, so the amount fell."""
    clean = _plant(tmp_path, THREE_PUBLIC_AT, THREE_PUBLIC_AT + "2026年“三公”经费预算10.10"
                   "万元，较上年减少1.90万元，下降15.83%。", extra=THREE_PUBLIC)
    assert _by_id(clean, "claims.prior_year.三公经费").status == "pass"
    assert _failing(clean) == set()
    doc = _plant(tmp_path, THREE_PUBLIC_AT, THREE_PUBLIC_AT + "2026年“三公”经费预算10.10"
                 "万元，较上年增加1.90万元，增长23.17%。", extra=THREE_PUBLIC)
    assert _failing(doc) == {"claims.prior_year.三公经费"}
    c = _by_id(doc, "claims.prior_year.三公经费")
    assert (c.expected, c.actual) == ("增加", "减少")
    assert c.refs[1]["column"] == "上年/合计" and c.refs[1]["value"] == "12.00"
    assert "15.83%" in c.message


def test_planted_increase_larger_than_the_amount(tmp_path: Path) -> None:
    doc = _plant(tmp_path, "2026年预算2.35万元，比2025年预算减少0.16万元，下降6.37%",
                 "2026年预算2.35万元，比2025年预算增加2.51万元，增长6.37%")
    assert _failing(doc) == {"claims.direction.提租补贴"}
    c = _by_id(doc, "claims.direction.提租补贴")
    assert (c.expected, c.actual) == ("2.51", "增加 ≤ 2.35")  # as printed, what can be


def test_planted_wrong_percentage(tmp_path: Path) -> None:
    doc = _plant(tmp_path, "比2025年预算增加1.16万元，增长12.15%",
                 "比2025年预算增加1.16万元，增长21.15%")
    cid = "claims.change.机关事业单位基本养老保险缴费支出"
    assert _failing(doc) == {cid}
    c = _by_id(doc, cid)
    # 1.16 ÷ (10.71 − 1.16) = 12.147%
    assert (c.expected, c.actual) == ("21.15%", "12.15%")
    assert "10.71" in _claim_ref(c)["text"]


def test_planted_wrong_difference(tmp_path: Path) -> None:
    doc = _plant(tmp_path, "比2025年预算增加0.57万元，增长11.92%",
                 "比2025年预算增加0.75万元，增长11.92%")
    cid = "claims.change.机关事业单位职业年金缴费支出"
    assert _failing(doc) == {cid}
    # 0.75 ÷ (5.35 − 0.75) = 16.30%, not the printed 11.92% (0.57 ÷ 4.78)
    assert _by_id(doc, cid).actual == "16.30%"


def test_planted_total_differs_from_table(tmp_path: Path) -> None:
    doc = _plant(tmp_path, "2026年收支总预算361.68万元", "2026年收支总预算0万元")
    assert _failing(doc) == {"claims.headline.收入支出总计"}
    c = _by_id(doc, "claims.headline.收入支出总计")
    assert (c.expected, c.actual) == ("0万元", "361.68万元")
    table = c.refs[1]
    assert table["kind"] == "income_expenditure_summary" and table["value"] == "361.68"


def test_planted_personnel_differs_from_table(tmp_path: Path) -> None:
    doc = _plant(tmp_path, "其中，人员经费105.38万元，公用经费7.2万元。",
                 "其中，人员经费150.38万元，公用经费7.2万元。")
    assert _failing(doc) == {"claims.headline.人员经费"}
    c = _by_id(doc, "claims.headline.人员经费")
    assert c.refs[1]["column"] == "本年一般公共预算基本支出/人员经费"


def test_planted_base_year_not_before_report_year(tmp_path: Path) -> None:
    doc = _plant(tmp_path, "2026年一般公共预算支出358.58万元，比2025年预算增加4.7万元",
                 "2026年一般公共预算支出358.58万元，比2026年预算增加4.7万元")
    assert _failing(doc) == {"claims.base_year.一般公共预算支出"}
    c = _by_id(doc, "claims.base_year.一般公共预算支出")
    assert (c.expected, c.actual) == ("2026", "< 2026")
    assert _claim_ref(c)["narrative_section"] == "（一）一般公共预算支出规模变化情况。"


def test_planted_completion_rate_against_zero(tmp_path: Path) -> None:
    doc = _plant(tmp_path, "主要原因：人员正常工资增长。",
                 "主要原因：人员正常工资增长。一般公共预算支出年初预算为0万元，全年预算为"
                 "358.58万元，支出决算为350.00万元，完成年初预算的97.61%。")
    assert _failing(doc) == {"claims.completion.一般公共预算支出"}
    c = _by_id(doc, "claims.completion.一般公共预算支出")
    assert c.actual == "undefined (预算 0)"
    assert "完成年初预算的97.61%" in _claim_ref(c)["text"]


def test_planted_completion_rate_that_the_numbers_do_not_give(tmp_path: Path) -> None:
    doc = _plant(tmp_path, "主要原因：人员正常工资增长。",
                 "主要原因：人员正常工资增长。一般公共预算支出年初预算为358.58万元，支出决算为"
                 "350.00万元，完成年初预算的96.71%。")
    assert _failing(doc) == {"claims.completion.一般公共预算支出"}
    assert _by_id(doc, "claims.completion.一般公共预算支出").actual == "97.61%"


def test_planted_final_account_said_larger_than_budget(tmp_path: Path) -> None:
    doc = _plant(tmp_path, "主要原因：人员正常工资增长。",
                 "主要原因：人员正常工资增长。一般公共预算支出全年预算为358.58万元，支出决算为"
                 "350.00万元。决算数大于全年预算数的主要原因：项目结转。")
    assert _failing(doc) == {"claims.final_vs_budget.一般公共预算支出"}
    c = _by_id(doc, "claims.final_vs_budget.一般公共预算支出")
    assert (c.expected, c.actual) == ("大于", "小于")


def test_planted_share_not_matching_its_parts(tmp_path: Path) -> None:
    doc = _plant(tmp_path, "基本支出112.58万元，占31.13%", "基本支出112.58万元，占13.13%")
    assert _failing(doc) == {"claims.share.基本支出"}
    c = _by_id(doc, "claims.share.基本支出")
    assert (c.expected, c.actual) == ("13.13%", "31.13%")  # 112.58 ÷ 361.68
    assert "支出预算" in c.message


def test_claims_reach_the_check_command_and_the_dataset(capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    from budget_extract.api import records
    from budget_extract.cli import main

    doc = real_docs.doc(JUESUAN)
    rows = [r for r in records(doc)["checks"] if r["id"].startswith("claims.")]
    assert len(rows) == len(_claims(doc))
    assert any(r["id"] == "claims.completion.一般公共预算财政拨款支出" and r["status"] == "fail"
               for r in rows)
    main(["check", str(real_docs.real_dir() / f"{JUESUAN}.pdf")])
    assert "FAIL claims.completion.一般公共预算财政拨款支出" in capsys.readouterr().out


def test_planted_heading_with_another_year(tmp_path: Path,
                                           extracted: Callable[[Path], Document]) -> None:
    clean = _by_id(extracted(SEED), "claims.heading_year.一、关于2026年收支总表的说明")
    assert clean.status == "pass"
    doc = _plant(tmp_path, "### 一、关于2026年收支总表的说明", "### 一、关于2025年收支总表的说明")
    assert _failing(doc) == {"claims.heading_year.一、关于2025年收支总表的说明"}
    c = _by_id(doc, "claims.heading_year.一、关于2025年收支总表的说明")
    assert (c.expected, c.actual) == ("2025", "2026")  # as printed, as the report says


def test_a_wrong_year_in_a_heading_is_reported_once(tmp_path: Path) -> None:
    """A 情况说明 heading naming another year's 预算 is both a dated heading (the claims'
    rule) and a heading naming another year's 预算 (the text hygiene's): the claims own the
    section headings, so the planted 2025 is one finding, not two."""
    doc = _plant(tmp_path, "### 一、关于2026年收支总表的说明",
                 "### 一、关于2025年部门预算收支总表的说明")
    found = [c for c in doc.checks if "heading_year" in c.id and c.status != "pass"]
    assert [(c.id, c.status) for c in found] == [
        ("claims.heading_year.一、关于2025年部门预算收支总表的说明", "fail")]
    # a table title is the hygiene's: the seed's 收支总表 title with 2025 is one warning
    doc = _plant(tmp_path, "### 淮北市人力资源和社会保障局信息中心2026年收支总表",
                 "### 淮北市人力资源和社会保障局信息中心2025年预算收支总表")
    found = [c for c in doc.checks if "heading_year" in c.id and c.status != "pass"]
    assert [(c.id, c.status) for c in found] == [("hygiene.heading_year", "warn")]


def test_planted_as_of_date_of_another_year(tmp_path: Path) -> None:
    """A 预算 for 2026 states its assets 截至2025年12月31日 (or in 2026); 2023 is stale."""
    doc = _plant(tmp_path, "截至2025年12月31日，淮北市", "截至2023年12月31日，淮北市")
    assert _failing(doc) == {"claims.as_of_year.（四）国有资产占有使用情况。"}
    c = _by_id(doc, "claims.as_of_year.（四）国有资产占有使用情况。")
    assert (c.expected, c.actual) == ("2023", "2025 or 2026")
