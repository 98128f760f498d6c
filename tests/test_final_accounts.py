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


# A 决算 of one's own making (HTML, the national template's headers): the 三公 table's
# 预算数/决算数 pairs and the 政府性基金 table's balances, with one planted error in each.
FINAL_HTML = """<html><body>
<h1>示例单位2024年度部门决算</h1>
<h2>财政拨款“三公”经费支出决算表</h2>
<p>单位：万元</p>
<table>
<tr><th colspan="12">财政拨款“三公”经费</th></tr>
<tr><th colspan="2" rowspan="2">合计</th><th colspan="2" rowspan="2">因公出国（境）费</th>
<th colspan="6">公务用车购置及运行维护费</th><th colspan="2" rowspan="2">公务接待费</th></tr>
<tr><th colspan="2">小计</th><th colspan="2">公务用车购置费</th>
<th colspan="2">公务用车运行维护费</th></tr>
<tr><th>预算数</th><th>决算数</th><th>预算数</th><th>决算数</th><th>预算数</th><th>决算数</th>
<th>预算数</th><th>决算数</th><th>预算数</th><th>决算数</th><th>预算数</th><th>决算数</th></tr>
<tr><td>10.00</td><td>8.60</td><td>2.00</td><td>1.50</td><td>6.00</td><td>5.00</td>
<td>0.00</td><td>0.00</td><td>6.00</td><td>5.00</td><td>2.00</td><td>2.00</td></tr>
</table>
<h2>政府性基金预算财政拨款收入支出决算表</h2>
<p>单位：万元</p>
<table>
<tr><th rowspan="2">科目编码</th><th rowspan="2">科目名称</th><th rowspan="2">年初结转和结余</th>
<th rowspan="2">本年收入</th><th colspan="3">本年支出</th><th rowspan="2">年末结转和结余</th></tr>
<tr><th>合计</th><th>基本支出</th><th>项目支出</th></tr>
<tr><td></td><td>合计</td><td>1.00</td><td>10.00</td><td>9.00</td><td>0.00</td><td>9.00</td>
<td>2.00</td></tr>
<tr><td>2296002</td><td>用于社会福利的彩票公益金支出</td><td>1.00</td><td>10.00</td><td>9.00</td>
<td>0.00</td><td>9.00</td><td>3.00</td></tr>
</table>
</body></html>
"""


def test_three_public_budget_and_final_columns_add_up(tmp_path) -> None:
    """合计 = 因公出国（境）费 + 公务用车…小计 + 公务接待费, for 预算数 (10.00 = 2.00 + 6.00 +
    2.00) and for 决算数 (8.60 printed, 1.50 + 5.00 + 2.00 = 8.50: the planted error)."""
    import budget_extract

    path = tmp_path / "final.html"
    path.write_text(FINAL_HTML, encoding="utf-8")
    d = budget_extract.extract(path)
    assert d.meta.budget_phase == "决算"
    t = next(t for t in d.tables if t.kind == "three_public_expenditure")
    assert [c.path[-1] for c in t.columns if c.role == "value"] == ["预算数", "决算数"] * 6
    sums = {c.id: c for c in d.checks if ".row_sum." in c.id and "合计" in c.id}
    budget = next(c for k, c in sums.items() if k.endswith("合计/预算数"))
    final = next(c for k, c in sums.items() if k.endswith("合计/决算数"))
    assert (budget.status, budget.expected, budget.actual) == ("pass", "10.00", "10.00")
    assert (final.status, final.expected, final.actual) == ("fail", "8.60", "8.50")
    vehicle = [c for c in d.checks if ".row_sum." in c.id and "小计/决算数" in c.id]
    assert [c.status for c in vehicle] == ["pass"]  # 5.00 = 0.00 + 5.00


def test_balances_carried_through_the_year(tmp_path) -> None:
    """年初结转和结余 + 本年收入 = 本年支出 + 年末结转和结余: 1.00 + 10.00 = 9.00 + 2.00 on the
    合计 row; the 2296002 row prints 3.00 at year end (the planted error)."""
    import budget_extract

    path = tmp_path / "final.html"
    path.write_text(FINAL_HTML, encoding="utf-8")
    d = budget_extract.extract(path)
    t = next(t for t in d.tables if t.kind == "gov_fund_expenditure")
    assert {"opening_balance", "current_year_income", "current_year_expenditure",
            "closing_balance"} <= set(t.column_ids)
    rows = {c.id: c for c in d.checks if c.id.startswith("gov_fund_expenditure.carryover.")}
    total, item = rows["gov_fund_expenditure.carryover.合计"], \
        rows["gov_fund_expenditure.carryover.2296002"]
    assert (total.status, total.expected, total.actual) == ("pass", "11.00", "11.00")
    assert (item.status, item.expected, item.actual) == ("fail", "11.00", "12.00")
    assert "年末结转和结余 3.00" in item.message
