"""Narrative figures, their reconciliation with the tables, and 绩效目标 records, on the seed
and the real PDFs.  Expected values written from reading the documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from budget_extract.model import Indicator

FIX = Path(__file__).parent.parent / "fixtures"


@pytest.fixture(scope="module")
def seed(extracted):
    return extracted(FIX / "huaibei-hrss-info-center-2026-budget.md")


def fig(doc, subject, section_start=""):
    return [f for f in doc.narrative if f.subject == subject
            and f.section.startswith(section_start)]


def test_narrative_figures(seed):
    (f,) = fig(seed, "一般公共预算拨款收入", "二、")
    assert (f.amount, f.unit, f.share, f.change, f.change_direction,
            f.change_pct) == ("358.58", "万元", "99.14", "4.7", "增加", "1.33")
    assert f.prior_amount == "353.88"  # 358.58 − 4.7, the 2025 budget it implies
    (f,) = fig(seed, "住房保障（类）住房改革支出（款）住房公积金（项）")
    assert (f.amount, f.change, f.change_direction, f.change_pct) == (
        "9.4", "0.65", "减少", "6.47")
    assert f.code_names == ["住房保障", "住房改革支出", "住房公积金"]


def test_empty_explanation_is_flagged(seed):
    assert any("增长原因主要是。" in w and "三、关于2026年支出总表的说明" in w for w in seed.warnings)


def test_narrative_reconciled_with_tables(seed):
    by_id = {c.id: c for c in seed.checks if c.id.startswith("narrative.")}
    c = by_id["narrative.三、关于2026年支出总表的说明.基本支出"]
    assert c.status == "pass" and c.actual == "112.58万元"
    assert c.refs[0]["kind"] == "expenditure_summary" and c.refs[0]["column"] == "基本支出"
    c = next(c for i, c in by_id.items() if i.endswith("公务员医疗补助（项）"))
    assert c.status == "pass" and c.refs[0]["row_code"] == "2101103"
    assert all(c.status == "pass" for c in by_id.values())


def test_performance_targets(seed):
    names = [r.project_name for r in seed.performance_targets]
    assert names == ["金保工程保障费", "社保卡日常运行费",
                     "应退未退金保工程等保测评及服务项目履约保证金及其他代管资金"]
    r = seed.performance_targets[1]
    assert r.annual_total == "10.00" and r.implementing_unit == "淮北市人力资源和社会保障局信息中心"
    assert Indicator("产出指标", "时效指标", "社保卡及时补办社保卡制卡周期", "符合要求") in r.indicators
    assert [a.part for a in r.appearances] == ["explanation", "annex"]
    checks = {c.id: c for c in seed.checks if c.id.startswith("performance_target.")}
    c = checks["performance_target.annual_total=project_expenditure.金保工程保障费"]
    assert c.status == "pass" and c.actual == "236万元" and c.expected == "236.00万元"
    c = checks["performance_target.annual_total=performance_project_list."
               "应退未退金保工程等保测评及服务项目履约保证金及其他代管资金"]
    assert c.status == "pass"


def test_real_pdf_narrative_rounds_to_the_tables(extracted):
    doc = extracted(FIX / "上海市普陀区商务委员会2025年部门预算.pdf")
    checks = [c for c in doc.checks if c.id.startswith("narrative.")]
    assert checks and not [c for c in checks if c.status == "fail"]
    # “一般公共服务支出（类）商贸事务（款）行政运行（项）”938.99万元 vs 9,389,913.00元 in the tables
    c = next(c for c in checks if c.id.endswith("商贸事务（款）行政运行（项）"))
    assert c.status == "rounding" and c.refs[0]["row_code"] == "2011301"
