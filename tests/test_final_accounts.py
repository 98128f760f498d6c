"""决算 (final accounts) tables on the real 上海 决算 and the blank national template.

Expected values read from the printed pages (中共上海市普陀区委社会工作部2024年度部门决算.pdf
p.13: 表6 一般公共预算财政拨款基本支出决算表; p.12: 表5's 合计 row).
"""

from __future__ import annotations

from real_docs import doc

from budget_extract.model import Document

SHANGHAI = "中共上海市普陀区委社会工作部2024年度部门决算"
TEMPLATE = "部门决算模板2024"


def _table(d: Document, no: str):  # noqa: ANN202 - a Table
    return next(t for t in d.tables if t.table_no == no)


def _check(d: Document, cid: str):  # noqa: ANN202 - a Check
    return next(c for c in d.checks if c.id == cid)


def test_basic_expenditure_halves_are_named_by_their_total_lines() -> None:
    """表6 prints 人员经费 and 公用经费 side by side with the same headers; each half is named
    by its own total line (人员经费合计 | 公用经费合计), not 第1栏/第2栏."""
    t = _table(doc(SHANGHAI), "6")
    values = [c.key for c in t.columns if c.role == "value"]
    assert values == ["人员经费/决算数", "公用经费/决算数"]
    by_code = {r.code: r for r in t.rows if r.code}
    assert by_code["30102"].side == "人员经费"
    assert by_code["30102"].cells["人员经费/决算数"].text == "39.72"
    assert by_code["30226"].side == "公用经费"
    assert by_code["30226"].cells["公用经费/决算数"].text == "0.68"
    blank = _table(doc(TEMPLATE), "6")
    assert [c.key for c in blank.columns if c.role == "value"] == \
        ["人员经费/决算数", "公用经费/决算数"]


def test_personnel_and_public_totals_add_their_classes() -> None:
    """人员经费合计 95.36 = 301 95.36 + 303 0.00; 公用经费合计 10.23 = 302 10.23 + 310 0.00."""
    d = doc(SHANGHAI)
    personnel = _check(d, "general_budget_basic_expenditure.total_row.人员经费/决算数")
    assert personnel.status == "pass"
    assert "95.36 = 301 95.36 + 303 0.00" in personnel.message
    public = _check(d, "general_budget_basic_expenditure.total_row.公用经费/决算数")
    assert public.status == "pass"
    assert "10.23 = 302 10.23 + 310 0.00" in public.message
    # the code tree stays within each half: 302 = its 款 rows (10.22, a rounding difference)
    tree = _check(d, "general_budget_basic_expenditure.code_tree.302.公用经费/决算数")
    assert tree.status == "rounding" and tree.actual == "10.22"


def test_basic_halves_against_general_budget_basic_column() -> None:
    """人员经费合计 95.36 + 公用经费合计 10.23 = 105.59 vs 表5 合计/基本支出 105.58."""
    c = _check(doc(SHANGHAI),
               "cross.general_budget_basic_expenditure_total=general_budget_expenditure_basic")
    assert c.status == "rounding"
    assert (c.expected, c.actual) == ("105.59", "105.58")
    assert {r.get("page") for r in c.refs} == {12, 13}


def test_income_expenditure_summary_identities_of_a_final_account() -> None:
    """收入支出决算总表 (p.5): 总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余 on the
    收入 side, = 本年支出合计 + 结余分配 + 年末结转和结余 on the 支出 side, and the two 总计
    agree (307.82 each)."""
    d = doc(SHANGHAI)
    mine = [c for c in d.checks if c.id.startswith("income_expenditure_summary.")]
    totals = [c for c in mine if c.id.startswith("income_expenditure_summary.items.总计.")]
    assert len(totals) == 2 and all(c.status == "pass" for c in totals)
    assert all(c.expected == "307.82" for c in totals)
    assert any("年初结转和结余" in c.message for c in totals)
    assert any("年末结转和结余" in c.message and "结余分配" in c.message for c in totals)
    balance = [c for c in mine if ".balance." in c.id]
    assert [c.status for c in balance] == ["pass"]
