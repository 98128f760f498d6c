"""The interpretation step: a built table is layout only; ``interpret_table`` says what it
means.  Expected values are read from the seed's Markdown (fixtures/…-budget.md)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from budget_extract import readers
from budget_extract.budget.interpret import interpret_table
from budget_extract.model import TableKind
from budget_extract.segment import segment
from budget_extract.tables.build import build_table
from budget_extract.tables.detect import detect_tables

SEED = Path(__file__).parent.parent / "fixtures" / "huaibei-hrss-info-center-2026-budget.md"


@pytest.fixture()
def built():
    src = readers.read(str(SEED))
    seg = segment(src.blocks)
    return [build_table(c, seg.toc, seg.meta["unit_name"]) for c in detect_tables(src.blocks,
                                                                                   seg)]


def _by_title(tables, words):
    (t,) = [t for t in tables if t.title.endswith(words)]
    return t


def test_built_tables_carry_no_meaning(built):
    """tables/ knows layout, not budgets: every kind is unknown until interpreted, and the
    fragments as detected are kept for the interpreter."""
    assert {t.kind for t in built} == {TableKind.UNKNOWN}
    assert all(t.layout is not None and t.layout.fragments for t in built)
    assert all(t.column_ids == [] and t.code_scheme == "" for t in built)


def test_grid_table_interpreted(built):
    t = _by_title(built, "2026年一般公共预算支出表")
    interpret_table(t)
    assert t.kind == TableKind.GENERAL_BUDGET_EXPENDITURE == "general_budget_expenditure"
    assert not t.empty and t.code_scheme == "function"
    ids = dict(zip([c.key for c in t.columns], t.column_ids, strict=True))
    assert ids["合计"] == "total" and ids["项目支出"] == "project"
    assert ids["基本支出/人员经费"] == "basic_personnel"
    row = next(r for r in t.rows if r.code == "2101103")  # 公务员医疗补助 1.5 万元
    assert (row.label, row.level, row.parent_code) == ("公务员医疗补助", 3, "21011")
    assert Decimal(row.values_yuan["合计"]) == Decimal("15000")
    klass = next(r for r in t.rows if r.code == "210")
    assert (klass.level, klass.parent_code) == (1, None)


def test_economic_codes_and_empty_placeholder(built):
    basic = _by_title(built, "一般公共预算基本支出表")
    interpret_table(basic)
    assert basic.kind == "general_budget_basic_expenditure" and basic.code_scheme == "economic"
    assert next(r for r in basic.rows if r.code == "30113").parent_code == "301"
    fund = _by_title(built, "政府性基金预算支出表")  # a row of 0s, note: 故本表无数据
    interpret_table(fund)
    assert fund.kind == "gov_fund_expenditure" and fund.empty
    assert all(r.values_yuan == {} for r in fund.rows)


def test_form_read_from_the_tables_own_fragments(built):
    forms = [t for t in built if "绩效目标" in t.title and "清单" not in t.title]
    for t in forms:
        interpret_table(t)
    forms = [t for t in forms if t.kind == TableKind.PERFORMANCE_TARGET]
    assert forms and all(t.form is not None and not t.empty for t in forms)
    first = forms[0]
    assert first.form.project_name == "金保工程保障费"
    assert first.form.annual_total == "236.00" and first.form.money_unit == "万元"
    assert first.form.department == "[104]淮北市人力资源和社会保障局"
    assert [a.table_position for a in first.form.appearances] == [first.position]
    assert [c.key for c in first.columns][:2] == ["列1", "列2"]  # laid out as a form
