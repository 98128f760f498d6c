"""The Markdown seed end to end: every table, its header paths, its fact count, sampled facts.

Expected values were written by reading fixtures/huaibei-hrss-info-center-2026-budget.md,
not copied from the program's output.  Fact counts are the non-empty numeric body cells of
each table, counted by hand (empty tables and 绩效目标表 forms have none).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import seed_facts

import budget_extract
from budget_extract.emit.csv_out import FACT_COLUMNS, facts_csv
from budget_extract.facts import document_facts, table_facts

SEED = Path(__file__).parent.parent / "fixtures" / "huaibei-hrss-info-center-2026-budget.md"
STEM = "huaibei-hrss-info-center-2026-budget"


@pytest.fixture(scope="module")
def doc(extracted):
    return extracted(SEED)


def numbered(doc, no):
    return next(t for t in doc.tables if t.table_no == str(no))


# table_no -> (kind, title suffix, header paths); fact counts in seed_facts.TABLE_FACTS
EXPECTED = {
    1: ("income_expenditure_summary", "收支总表",
        ["收入/项目", "收入/预算数", "支出/项目", "支出/预算数"]),
    2: ("income_summary", "收入总表",
        ["部门（单位）名称", "合计", "本年收入/小计", "本年收入/一般公共预算",
         "本年收入/政府性基金预算", "本年收入/国有资本经营预算", "本年收入/财政专户管理资金",
         "本年收入/单位资金/小计", "本年收入/单位资金/事业收入",
         "本年收入/单位资金/事业单位经营收入", "本年收入/单位资金/上级补助收入",
         "本年收入/单位资金/附属单位上缴收入",
         # the conversion's misalignment: 其他收入 landed under 上年结转结余
         "上年结转结余/小计", "上年结转结余/一般公共预算", "上年结转结余/政府性基金预算",
         "上年结转结余/国有资本经营预算", "上年结转结余/财政专户管理资金",
         "上年结转结余/单位资金", "上年结转结余/其他收入"]),
    3: ("expenditure_summary", "支出总表", ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]),
    4: ("fiscal_grant_summary", "财政拨款收支总表",
        ["收入/项目", "收入/预算数", "支出/项目", "支出/预算数"]),
    5: ("general_budget_expenditure", "一般公共预算支出表",
        ["科目编码", "科目名称", "合计", "基本支出/小计", "基本支出/人员经费", "基本支出/公用经费",
         "项目支出"]),
    6: ("general_budget_basic_expenditure", "一般公共预算基本支出表",
        ["部门预算支出经济分类科目/科目编码", "部门预算支出经济分类科目/科目名称",
         "本年一般公共预算基本支出/合计", "本年一般公共预算基本支出/人员经费",
         "本年一般公共预算基本支出/公用经费"]),
    7: ("gov_fund_expenditure", "政府性基金预算支出表",
        ["科目编码", "科目名称", "本年政府性基金预算支出/合计", "本年政府性基金预算支出/基本支出",
         "本年政府性基金预算支出/项目支出"]),
    8: ("state_capital_expenditure", "国有资本经营预算支出表",
        ["科目编码", "科目名称", "国有资本经营预算拨款支出/合计", "国有资本经营预算拨款支出/基本支出",
         "国有资本经营预算拨款支出/项目支出"]),
    9: ("project_expenditure", "项目支出表",
        ["项目名称", "项目单位", "总计", "本年财政拨款/一般公共预算", "本年财政拨款/政府性基金预算",
         "本年财政拨款/国有资本经营预算", "财政拨款结转结余/一般公共预算",
         "财政拨款结转结余/政府性基金预算", "财政拨款结转结余/国有资本经营预算", "财政专户管理资金",
         "单位资金"]),
    10: ("procurement_expenditure", "政府采购支出表",
         ["政府采购品目", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算",
          "财政专户管理资金", "单位资金"]),
    11: ("purchased_services_expenditure", "政府购买服务支出表",
         ["项目名称", "一级目录名称", "二级目录名称", "三级目录名称", "政府购买服务内容", "购买数量",
          "购买金额"]),
    12: ("asset_allocation_expenditure", "通用资产配置支出表",
         ["资产大类名称", "资产分类名称", "数量（台、件）", "金额"]),
}


@pytest.mark.parametrize("no", sorted(EXPECTED))
def test_numbered_table(doc, no):
    kind, title, paths = EXPECTED[no]
    t = numbered(doc, no)
    assert t.kind == kind
    assert t.title == f"淮北市人力资源和社会保障局信息中心2026年{title}"
    assert t.caption == f"单位公开表{no}"
    assert t.unit == "万元"
    assert ["/".join(c.path) for c in t.columns] == paths
    assert len(table_facts(doc.stem, t)) == seed_facts.TABLE_FACTS[no]


def test_table_inventory(doc):
    kinds = [t.kind for t in doc.tables]
    assert len(kinds) == seed_facts.TABLES
    assert kinds[:12] == [EXPECTED[n][0] for n in range(1, 13)]
    # 3 绩效目标表 in 第三部分, then the 附件: the 公开清单 and the same 3 forms again
    assert kinds[12:] == ["performance_target"] * 3 + ["performance_project_list"] + [
        "performance_target"] * 3


def test_public_list(doc):
    t = next(t for t in doc.tables if t.kind == "performance_project_list")
    assert t.title == "项目支出绩效目标公开清单"
    assert t.unit == "万元"
    assert [c.key for c in t.columns] == ["序号", "项目名称", "预算金额（单位：万元）"]
    facts = table_facts(doc.stem, t)
    assert [(f.row_label, f.value) for f in facts] == [
        ("金保工程保障费", "236"), ("社保卡日常运行费", "10"),
        ("应退未退金保工程等保测评及服务项目履约保证金及其他代管资金", "3.1")]


def test_empty_tables(doc):
    for no in (7, 8, 11):
        t = numbered(doc, no)
        assert t.empty
        assert t.note.startswith("说明：淮北市人力资源和社会保障局信息中心没有")
        assert t.note.endswith("故本表无数据")
    assert numbered(doc, 12).empty and numbered(doc, 12).note == ""
    assert not numbered(doc, 1).empty


def test_total_fact_count(doc):
    assert len(document_facts(doc)) == seed_facts.FACTS == 211


def facts_of(doc, no):
    return {(f.row_no, f.row_code, f.row_label, f.column): f.value
            for f in table_facts(doc.stem, numbered(doc, no))}


def test_side_by_side_summary(doc):
    f = facts_of(doc, 1)
    assert f[(1, "", "一、一般公共预算收入", "收入/预算数")] == "358.58"
    assert f[(5, "", "五、其他收入安排", "收入/预算数")] == "3.1"
    assert f[(5, "", "五、教育支出", "支出/预算数")] == "1.71"
    assert f[(8, "", "八、社会保障和就业支出", "支出/预算数")] == "339.22"
    assert f[(10, "", "其他", "收入/预算数")] == "3.1"
    assert f[(20, "", "二十、住房保障支出", "支出/预算数")] == "15.67"
    # the table continues after a page break: row numbers go on across it
    assert f[(31, "", "本年收入小计", "收入/预算数")] == "361.68"
    assert f[(38, "", "收入总计", "收入/预算数")] == "361.68"
    assert f[(38, "", "支出总计", "支出/预算数")] == "361.68"


def test_income_summary_as_converted(doc):
    f = facts_of(doc, 2)
    assert f[(2, "", "淮北市人力资源和社会保障局信息中心", "本年收入/一般公共预算")] == "358.58"
    assert f[(2, "", "淮北市人力资源和社会保障局信息中心", "本年收入/单位资金/小计")] == "3.1"
    # misaligned in the conversion: this 3.1 is really 本年收入/单位资金/其他收入
    assert f[(2, "", "淮北市人力资源和社会保障局信息中心", "上年结转结余/一般公共预算")] == "3.1"


def test_code_tables(doc):
    f = facts_of(doc, 3)
    assert f[(1, "", "合计", "基本支出")] == "112.58"
    assert f[(7, "2080199", "其他人力资源和社会保障管理事务支出", "项目支出")] == "248.1"
    assert f[(14, "21011", "行政事业单位医疗", "合计")] == "5.08"
    f = facts_of(doc, 5)
    assert f[(1, "", "合计", "基本支出/人员经费")] == "105.38"
    assert f[(6, "20801", "人力资源和社会保障管理事务", "项目支出")] == "245"
    assert f[(21, "2210203", "购房补贴", "基本支出/小计")] == "3.92"
    f = facts_of(doc, 6)
    assert f[(12, "302", "商品和服务支出", "本年一般公共预算基本支出/合计")] == "8.5"
    assert f[(15, "30299", "其他商品和服务支出", "本年一般公共预算基本支出/公用经费")] == "7.2"
    assert f[(4, "30102", "津贴补贴", "本年一般公共预算基本支出/人员经费")] == "6.27"


def test_fiscal_grant_summary(doc):
    f = facts_of(doc, 4)
    assert f[(2, "", "（一）一般公共预算拨款", "收入/预算数")] == "358.58"
    assert f[(9, "", "（八）社会保障和就业支出", "支出/预算数")] == "336.12"
    assert f[(33, "", "收入总计", "收入/预算数")] == "358.58"
    assert f[(33, "", "支出总计", "支出/预算数")] == "358.58"


def test_project_and_procurement(doc):
    f = facts_of(doc, 9)
    assert f[(1, "", "合计", "总计")] == "249.1"
    assert f[(2, "", "淮北市人力资源和社会保障局信息中心", "本年财政拨款/一般公共预算")] == "246"
    assert f[(3, "", "应退未退金保工程等保测评及服务项目履约保证金及其他代管资金", "单位资金")] == "3.1"
    assert f[(4, "", "金保工程保障费", "总计")] == "236"
    f = facts_of(doc, 10)
    assert f[(5, "", "其他运行维护服务", "一般公共预算")] == "64"
    assert f[(4, "", "其他办公设备", "合计")] == "0.16"


def test_meta_and_toc(doc):
    assert doc.meta.unit_name == "淮北市人力资源和社会保障局信息中心"
    assert doc.meta.year == "2026"
    assert doc.meta.level == "单位"
    # the TOC line broken by a heading marker is recognised and rejoined, not a section
    assert any("国有资本经营预算支出表" in w and "rejoined" in w for w in doc.warnings)
    assert not any(s.heading == "本经营预算支出表" for s in doc.sections)


def test_outputs_follow_contract(tmp_path, doc):
    written = budget_extract.write_outputs(doc, str(tmp_path))
    assert (tmp_path / f"{STEM}.json").exists()
    data = json.loads((tmp_path / f"{STEM}.json").read_text(encoding="utf-8"))
    assert data["contract"] == "1"
    assert data["document"] == STEM
    assert data["source"]["format"] == "markdown"
    assert set(data["meta"]) >= {"unit_name", "year", "level", "title"}
    t5 = next(t for t in data["tables"] if t["table_no"] == "5")
    assert set(t5) >= {"table_no", "kind", "title", "unit", "pages", "empty", "note", "columns",
                       "rows"}
    assert t5["columns"][3] == ["基本支出", "小计"]
    row = t5["rows"][4]
    assert row["code"] == "208" and row["label"] == "社会保障和就业支出"
    assert row["cells"]["基本支出/人员经费"] == "83.92"
    text = (tmp_path / f"{STEM}.facts.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == FACT_COLUMNS
    assert len(rows) == 1 + seed_facts.FACTS
    wide = (tmp_path / STEM / "05-general_budget_expenditure.csv").read_text(encoding="utf-8")
    wrows = list(csv.reader(io.StringIO(wide)))
    assert wrows[0] == ["row_no", "科目编码", "科目名称", "合计", "基本支出/小计",
                        "基本支出/人员经费", "基本支出/公用经费", "项目支出"]
    assert wrows[1] == ["1", "", "合计", "358.58", "112.58", "105.38", "7.2", "246"]
    assert len(written) == 2 + len(doc.tables)


def test_byte_identical_reruns(tmp_path, doc):
    a, b = tmp_path / "a", tmp_path / "b"
    budget_extract.write_outputs(doc, str(a))
    budget_extract.write_outputs(budget_extract.extract(SEED), str(b))
    for p in sorted(a.rglob("*")):
        if p.is_file():
            assert p.read_bytes() == (b / p.relative_to(a)).read_bytes(), p.name


def test_facts_csv_quotes_formula_like_text():
    from budget_extract.model import Fact

    f = Fact(document="d", table_no="1", table_kind="unknown", row_no=1, row_code="",
             row_label="=HYPERLINK(1)", column="a,b", value="-1.5", unit="元", page=None, table_title="+收支总表")
    line = facts_csv([f], header=False)
    assert line == "d,1,unknown,1,,'=HYPERLINK(1),\"a,b\",-1.5,元,,'+收支总表\r\n"
