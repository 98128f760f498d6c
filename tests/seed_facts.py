"""The seed's counts, written once, each with how it was counted off the page.

The seed is ``fixtures/huaibei-hrss-info-center-2026-budget.md`` (the same text as
``shared/seeds/huaibei-hrss-info-center-2026-budget.md``): a real 2026 单位预算 converted to
Markdown, also rendered to HTML and to three PDFs (ruled, unruled, one table per page).  All
renders print the same tables and amounts, so the table and fact counts hold for each; the
failed checks are the Markdown's alone (its conversion shifted one header).

Tests import these names instead of repeating bare numbers, so that a reader sees where a
211 or a 6 comes from, and a change of the seed changes them in one place.
"""

from __future__ import annotations

STEM = "huaibei-hrss-info-center-2026-budget"

# 单位公开表N -> its printed amounts: the non-empty numeric body cells, counted by hand in the
# Markdown.  科目编码 (205, 20508 …) are codes, not amounts, and 序号 are not amounts either.
TABLE_FACTS: dict[int, int] = {
    1: 11,  # 收支总表: 收入 358.58, 3.1, 3.1, 本年收入小计 361.68, 收入总计 361.68 (5);
    #         支出 1.71, 339.22, 5.08, 15.67, 本年支出小计 361.68, 支出总计 361.68 (6)
    2: 10,  # 收入总表: 2 rows (主管部门, the unit) × 361.68, 361.68, 358.58, 3.1, 3.1
    3: 49,  # 支出总表: 合计 3; 205, 20508, 2050899 and 208, 20801, 2080199 3 each (18);
    #         14 further coded rows with 合计 and 基本支出 only (28)
    4: 9,   # 财政拨款收支总表: 收入 358.58 ×2 + 总计 358.58; 支出 358.58, 1.71, 336.12, 5.08,
    #         15.67 + 总计 358.58
    5: 74,  # 一般公共预算支出表: 合计 5, 205 ×3 rows of 4, 208 ×3 rows of 5, 14 rows of 3
    #         (basic only: 合计, 小计, 人员经费) = 5 + 12 + 15 + 42
    6: 33,  # 一般公共预算基本支出表: 合计 3; 301 and its 9 items 2 each (20); 302 3,
    #         30201 2, 30228 2, 30299 3 (10)
    7: 0,   # 政府性基金预算支出表: a row of 0 placeholders under 说明…故本表无数据
    8: 0,   # 国有资本经营预算支出表: the same
    9: 12,  # 项目支出表: 合计 and the unit 249.1, 246, 3.1 each (6); the 3 projects 3.1, 3.1;
    #         236, 236; 10, 10 (6)
    10: 10,  # 政府采购支出表: 5 rows × 合计, 一般公共预算
    11: 0,  # 政府购买服务支出表: 0 placeholders under its 说明
    12: 0,  # 通用资产配置支出表: two blank rows
}
# 附件 项目支出绩效目标公开清单: 236, 10, 3.1 (its 序号 1-3 are not amounts).
PUBLIC_LIST_FACTS = 3
# 项目支出绩效目标表 forms: 3 in 第三部分, the same 3 again in the 附件.  Their figures are
# targets (performance_targets), not facts.
PERFORMANCE_FORMS = 6

FACTS = sum(TABLE_FACTS.values()) + PUBLIC_LIST_FACTS  # 211
TABLES = len(TABLE_FACTS) + 1 + PERFORMANCE_FORMS  # 19

# The Markdown's failed checks.  Its 收入总表 (单位公开表2) body is shifted against the
# header: each of its two rows prints 3.1 under 本年收入/单位资金/小计 with the four 单位资金
# parts blank, and the 其他收入 3.1 under 上年结转结余/一般公共预算 with 上年结转结余/小计
# blank.  So per row both 小计 sums fail, the 收入总表's 上年结转 一般公共预算 3.1 disagrees with
# the 收支总表's blank, and its 财政拨款 358.58 + 3.1 = 361.68 disagrees with the 财政拨款收支
# 总表's 收入总计 358.58.
_ROWS = ("淮北市人力资源和社会保障局", "淮北市人力资源和社会保障局信息中心")
FAILED_CHECKS: tuple[str, ...] = (
    *(f"income_summary.row_sum.{r}.本年收入/单位资金/小计" for r in _ROWS),
    *(f"income_summary.row_sum.{r}.上年结转结余/小计" for r in _ROWS),
    "cross.income_summary_carryover_general_budget="
    "income_expenditure_summary_carryover_general_budget",
    "cross.income_summary_fiscal_grants=fiscal_grant_summary_income_total",
)
FAILS = len(FAILED_CHECKS)  # 6
