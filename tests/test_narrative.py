"""Figures in the 情况说明 text.

The expected figures for the seed were written by hand from reading 第三部分 of
fixtures/huaibei-hrss-info-center-2026-budget.md, not copied from program output.
"""

import json
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from md_tables import seed_text

from budget_extract.budget.narrative import find_empty_reasons, normalize_text, parse_figures

ORG = "淮北市人力资源和社会保障局信息中心"
UP, DOWN, FLAT = "增加", "减少", "持平"


def _plain(markdown: str) -> str:
    """Markdown prose as a reader would give it: no tables, no heading marks, no bold."""
    lines = []
    for line in markdown.splitlines():
        if line.lstrip().startswith("|"):
            continue
        line = re.sub(r"^#+\s*", "", line).replace("**", "")
        lines.append(line)
    return "\n".join(lines)


def _part3() -> str:
    text = seed_text()
    start = text.rindex("## 第三部分")  # the first occurrence is the table of contents
    end = text.index("## 第四部分", start)
    return _plain(text[start:end])


def sections() -> dict[str, str]:
    """Section bodies (heading line excluded) of 第三部分, keyed 一 … 十三."""
    part = _part3()
    heads = list(re.finditer(r"^(十[一二三]|[一二三四五六七八九十])、.*$", part, re.M))
    out = {}
    for i, h in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(part)
        out[h.group(1)] = part[h.end() : end]
    return out


def procurement_text() -> str:
    """十三、(三)政府采购情况 only."""
    s = sections()["十三"]
    start = s.index("（三）政府采购情况")
    return s[start : s.index("（四）", start)]


SECTIONS = sections()

# (subject, amount, share, change, direction, change_pct, prior_year, prior_amount)
Row = tuple[str, str, str | None, str | None, str | None, str | None, int | None, str | None]


def _row(subject: str, amount: str, share: str | None = None) -> Row:
    return (subject, amount, share, None, None, None, None, None)


SHARES_BY_FUNCTION: list[Row] = [
    _row("教育支出", "1.71", "0.48"),
    _row("社会保障和就业支出", "336.12", "93.74"),
    _row("卫生健康支出", "5.08", "1.42"),
    _row("住房保障支出", "15.67", "4.37"),
]

EXPECTED: dict[str, list[Row]] = {
    "一": [_row("收支总预算", "361.68")],
    "二": [
        _row("收入预算", "361.68"),
        _row("本年收入", "361.68"),
        _row("上年结转收入", "0"),
        _row("本年收入", "361.68"),
        ("一般公共预算拨款收入", "358.58", "99.14", "4.7", UP, "1.33", 2025, "353.88"),
        ("单位资金收入", "3.1", "0.86", "3.1", UP, "100", 2025, "0.0"),
        _row("上年结转收入", "0.0"),
    ],
    "三": [
        ("支出预算", "361.68", None, "7.8", UP, "2.2", 2025, "353.88"),
        _row("基本支出", "112.58", "31.13"),
        _row("项目支出", "249.1", "68.87"),
        _row("事业单位经营支出", "0.0", "0"),
        _row("上缴上级支出", "0.0", "0"),
        _row("对附属单位补助支出", "0.0", "0"),
    ],
    "四": [
        _row("财政拨款收支预算", "358.58"),
        _row("一般公共预算拨款", "358.58"),
        _row("当年财政拨款收入", "358.58"),
        *SHARES_BY_FUNCTION,
    ],
    "五": [
        ("一般公共预算支出", "358.58", None, "4.7", UP, "1.33", 2025, "353.88"),
        *SHARES_BY_FUNCTION,
        ("教育（类）进修及培训（款）其他进修及培训（项）",
         "1.71", None, "1.71", UP, "100", 2025, "0.00"),
        ("社会保障和就业（类）人力资源和社会保障管理事务（款）"
         "其他人力资源和社会保障管理事务支出（项）",
         "319.71", None, "1.65", UP, "0.52", 2025, "318.06"),
        ("社会保障和就业（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）",
         "10.71", None, "1.16", UP, "12.15", 2025, "9.55"),
        ("社会保障和就业（类）行政事业单位养老支出（款）机关事业单位职业年金缴费支出（项）",
         "5.35", None, "0.57", UP, "11.92", 2025, "4.78"),
        ("社会保障和就业（类）其他社会保障和就业支出（款）其他社会保障和就业支出（项）",
         "0.35", None, "0.04", UP, "12.9", 2025, "0.31"),
        ("卫生健康（类）行政事业单位医疗（款）事业单位医疗（项）",
         "3.59", None, "0.45", UP, "14.33", 2025, "3.14"),
        ("卫生健康（类）行政事业单位医疗（款）公务员医疗补助（项）",
         "1.5", None, "0.19", UP, "14.5", 2025, "1.31"),
        ("住房保障（类）住房改革支出（款）住房公积金（项）",
         "9.4", None, "0.65", DOWN, "6.47", 2025, "10.05"),
        ("住房保障（类）住房改革支出（款）提租补贴（项）",
         "2.35", None, "0.16", DOWN, "6.37", 2025, "2.51"),
        ("住房保障（类）住房改革支出（款）购房补贴（项）",
         "3.92", None, "0.27", DOWN, "6.44", 2025, "4.19"),
    ],  # fmt: skip
    "六": [
        _row("一般公共预算基本支出", "112.58"),
        _row("人员经费", "105.38"),
        _row("公用经费", "7.2"),
        _row("人员经费", "105.38"),
        _row("公用经费", "7.2"),
    ],
    "七": [],
    "八": [],
    "九": [
        ("项目支出", "249.1", None, "0.9", DOWN, "0.36", 2025, "250.0"),
        _row("本年财政拨款安排", "246"),
        _row("一般公共预算拨款安排", "246"),
        _row("政府性基金预算拨款安排", "0"),
        _row("国有资本经营预算拨款安排", "0"),
        _row("财政拨款上年结转安排", "0"),
        _row("一般公共预算拨款安排", "0"),
        _row("政府性基金预算拨款安排", "0"),
        _row("国有资本经营预算拨款安排", "0"),
        _row("财政专户管理资金安排", "0"),
        _row("单位资金安排", "3.1"),
    ],
    "十": [
        ("政府采购支出", "64.16", None, "3.64", DOWN, "5.37", 2025, "67.80"),
        _row("一般公共预算安排", "64.16", "100"),
        _row("政府性基金预算安排", "0", "0"),
        _row("国有资本经营预算安排", "0", "0"),
        _row("财政专户管理资金安排", "0", "0"),
        _row("单位资金安排", "0", "0"),
    ],
}

PROCUREMENT: list[Row] = [
    _row("政府采购预算", "64.16"),
    _row("政府采购货物预算", "0.16"),
    _row("政府采购工程预算", "0"),
    _row("政府采购服务预算", "64"),
]

CODE_NAMES = [
    ["教育", "进修及培训", "其他进修及培训"],
    ["社会保障和就业", "人力资源和社会保障管理事务", "其他人力资源和社会保障管理事务支出"],
    ["社会保障和就业", "行政事业单位养老支出", "机关事业单位基本养老保险缴费支出"],
    ["社会保障和就业", "行政事业单位养老支出", "机关事业单位职业年金缴费支出"],
    ["社会保障和就业", "其他社会保障和就业支出", "其他社会保障和就业支出"],
    ["卫生健康", "行政事业单位医疗", "事业单位医疗"],
    ["卫生健康", "行政事业单位医疗", "公务员医疗补助"],
    ["住房保障", "住房改革支出", "住房公积金"],
    ["住房保障", "住房改革支出", "提租补贴"],
    ["住房保障", "住房改革支出", "购房补贴"],
]


def brief(f: dict) -> Row:
    return (
        f["subject"],
        f["amount"],
        f["share"],
        f["change"],
        f["change_direction"],
        f["change_pct"],
        f["prior_year"],
        f["prior_amount"],
    )


# --------------------------------------------------------------------------- the seed


def test_seed_has_the_sections() -> None:
    assert list(SECTIONS) == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
                              "十一", "十二", "十三"]  # fmt: skip
    assert "增长原因主要是。" in SECTIONS["三"]


@pytest.mark.parametrize("key", list(EXPECTED))
def test_seed_section_figures(key: str) -> None:
    figures = parse_figures(SECTIONS[key], key)
    assert [brief(f) for f in figures] == EXPECTED[key]
    assert all(f["section"] == key for f in figures)
    assert all(f["unit"] == "万元" for f in figures)
    assert all(f["warnings"] == [] for f in figures)


def test_seed_procurement_figures() -> None:
    figures = parse_figures(procurement_text(), "十三（三）")
    assert [brief(f) for f in figures] == PROCUREMENT
    assert figures[0]["year"] == 2026
    assert figures[0]["value_yuan"] == "641600"
    assert figures[1]["value_yuan"] == "1600"


def test_seed_code_names_and_years() -> None:
    figures = parse_figures(SECTIONS["五"], "五")
    items = [f for f in figures if f["code_names"]]
    assert [f["code_names"] for f in items] == CODE_NAMES
    assert all(f["year"] == 2026 and f["prior_basis"] == "预算" for f in items)
    # the page break inside 2026年预|算319.71万元 does not lose the figure
    assert items[1]["amount"] == "319.71"
    assert items[1]["text"].startswith("2.社会保障和就业（类）")
    assert items[1]["text"].endswith("比2025年预算增加1.65万元，增长0.52%")
    assert [f["code_names"] for f in figures if not f["code_names"]] == [None] * 5


def test_seed_values_in_yuan_and_text() -> None:
    f = parse_figures(SECTIONS["二"], "二")[4]
    assert f["value_yuan"] == "3585800"
    assert f["unit"] == "万元"
    assert f["change_unit"] == "万元"
    assert f["prior_basis"] == "预算"
    assert f["year"] is None  # no year printed in this statement's subject
    assert f["text"] == (
        "一般公共预算拨款收入358.58万元，占99.14%，比2025年预算增加4.7万元，增长1.33%"
    )
    first = parse_figures(SECTIONS["一"], "一")[0]
    assert first["year"] == 2026
    assert first["text"] == ORG + "2026年收支总预算361.68万元"


def test_seed_figures_are_json_friendly() -> None:
    for key, text in SECTIONS.items():
        for f in parse_figures(text, key):
            json.dumps(f, ensure_ascii=False)
            for k in ("amount", "value_yuan", "share", "change", "change_pct", "prior_amount"):
                assert f[k] is None or isinstance(f[k], str)
                if f[k] is not None:
                    Decimal(f[k])  # a plain decimal string


def test_seed_percentages_agree_with_amounts() -> None:
    """The prose is arithmetically consistent: change / prior ≈ change_pct (to 0.01%)."""
    for key in EXPECTED:
        for f in parse_figures(SECTIONS[key], key):
            if f["change_pct"] is None or f["prior_amount"] is None:
                continue
            prior = Decimal(f["prior_amount"])
            if prior == 0:
                assert f["change_pct"] == "100"  # 0 → something is printed as 增长100%
                continue
            pct = Decimal(f["change"]) / prior * 100
            assert abs(pct - Decimal(f["change_pct"])) < Decimal("0.01"), f["text"]


def test_seed_shares_sum_to_hundred_within_rounding() -> None:
    figs = parse_figures(SECTIONS["四"], "四")
    shares = [Decimal(f["share"]) for f in figs if f["share"] is not None]
    assert sum(shares) == Decimal("100.01")  # as printed: four rounded shares overshoot


# --------------------------------------------------------------------------- other forms


def test_brief_example() -> None:
    [f] = parse_figures(
        "一般公共预算拨款收入358.58万元，占99.14%，比2025年预算增加4.7万元，增长1.33%", "x"
    )
    assert f == {
        "subject": "一般公共预算拨款收入",
        "code_names": None,
        "amount": "358.58",
        "unit": "万元",
        "value_yuan": "3585800",
        "share": "99.14",
        "change": "4.7",
        "change_unit": "万元",
        "change_direction": "增加",
        "change_pct": "1.33",
        "prior_year": 2025,
        "prior_basis": "预算",
        "prior_amount": "353.88",
        "year": None,
        "section": "x",
        "text": "一般公共预算拨款收入358.58万元，占99.14%，比2025年预算增加4.7万元，增长1.33%",
        "warnings": [],
    }


def test_shanghai_quoted_code_chain() -> None:
    text = (
        "1. “一般公共服务支出（类）商贸事务（款）行政运行（项）”938.99万元，"
        "主要用于机关行政运行。"
    )
    [f] = parse_figures(text, "编制说明")
    assert f["subject"] == "一般公共服务支出（类）商贸事务（款）行政运行（项）"
    assert f["code_names"] == ["一般公共服务支出", "商贸事务", "行政运行"]
    assert f["amount"] == "938.99"
    assert f["value_yuan"] == "9389900"


def test_shanghai_mixed_brackets_suffix_and_wrapped_unit() -> None:
    text = (
        "13. “资源勘探工业信息等支出（类）支持中小企业发展和管理支出（款)"
        "其他支持中小企业发展和管理支出（项）”29,381.00万\n元，主要用于支持中小企业发展。\n"
        "9. “教育支出（类）其他教育支出（款）其他教育支出（项）”科目25.00万元，"
        "主要用于其他教育支出。"
    )
    a, b = parse_figures(text, "s")
    assert a["code_names"] == [
        "资源勘探工业信息等支出",
        "支持中小企业发展和管理支出",
        "其他支持中小企业发展和管理支出",
    ]
    assert a["amount"] == "29381.00" and a["unit"] == "万元"
    assert b["subject"] == "教育支出（类）其他教育支出（款）其他教育支出（项）"
    assert b["amount"] == "25.00"


def test_shanghai_revenue_against_execution() -> None:
    text = (
        "2025年，上海市普陀区商务委员会收入预算37,151.47万元，其中：财政拨款收入37,151.47万元，"
        "比2024年预算执行数增加24,558.18万元；事业收入0万元。"
    )
    a, b, c = parse_figures(text, "s", entity="上海市普陀区商务委员会")
    assert (a["subject"], a["amount"], a["value_yuan"]) == ("收入预算", "37151.47", "371514700")
    assert a["change"] is None
    assert b["subject"] == "财政拨款收入"
    assert b["change"] == "24558.18"
    assert b["change_direction"] == "增加"
    assert b["prior_year"] == 2024
    assert b["prior_basis"] == "预算执行数"
    assert b["prior_amount"] == "12593.29"
    assert (c["subject"], c["amount"]) == ("事业收入", "0")
    # without the entity name the subject keeps it (there is no year right before it)
    assert parse_figures(text, "s")[0]["subject"] == "上海市普陀区商务委员会收入预算"


def test_flat_comparisons_and_change_after_full_stop() -> None:
    text = (
        "2025年“三公”经费预算数为37.91万元，比2024年预算减少10万元。其中：\n"
        "（一）因公出国（境）费0万元，与2024年预算持平，主要原因是此部分预算由区外办统一安排。\n"
        "（三）公务接待费1.35万元。比2024年预算持平，主要原因是根据实际业务需求开展公务接待。\n"
        "政府性基金拨款支出预算0万元，比2024年预算执行数持平；"
    )
    a, b, c, d = parse_figures(text, "三公")
    assert (a["subject"], a["amount"], a["change"], a["change_direction"]) == (
        "三公经费预算数", "37.91", "10", DOWN,
    )  # fmt: skip
    assert a["prior_amount"] == "47.91"
    assert b["subject"] == "因公出国（境）费"
    assert (b["change_direction"], b["change"], b["prior_amount"]) == (FLAT, "0", "0")
    assert c["subject"] == "公务接待费"
    assert (c["change_direction"], c["prior_year"], c["prior_amount"]) == (FLAT, 2024, "1.35")
    assert d["prior_basis"] == "预算执行数" and d["change_direction"] == FLAT


def test_procurement_with_chinese_comma_list() -> None:
    text = (
        "2025年度本部门政府采购预算38.20万元，其中：政府采购货物预算7.80万元、"
        "政府采购工程预算0万元、政府采购服务预算30.40万元。"
    )
    got = [(f["subject"], f["amount"]) for f in parse_figures(text, "s")]
    assert got == [
        ("政府采购预算", "38.20"),
        ("政府采购货物预算", "7.80"),
        ("政府采购工程预算", "0"),
        ("政府采购服务预算", "30.40"),
    ]


def test_units_and_thresholds() -> None:
    text = (
        "代管资金余额为30684元。合计1410.00万。规模0.5亿元，另1,200千元。"
        "单价50万元以上的通用设备0台（套），单价100万元（含）以上设备0台（套）。"
        "全市100万人次受益。"
    )
    figs = parse_figures(text, "s")
    got = [(f["subject"], f["amount"], f["unit"], f["value_yuan"]) for f in figs]
    assert got == [
        ("代管资金余额", "30684", "元", "30684"),
        ("合计", "1410.00", "万元", "14100000"),
        ("规模", "0.5", "亿元", "50000000"),
        ("", "1200", "千元", "1200000"),
    ]


def test_full_width_digits_and_percent() -> None:
    [f] = parse_figures("基本支出１１２．５８万元，占３１．１３％", "s")
    assert (f["amount"], f["share"]) == ("112.58", "31.13")


def test_change_in_other_unit_and_percent_only_change() -> None:
    [f] = parse_figures("项目支出2.5万元，比上年增加5000元", "s")
    assert f["prior_amount"] == "2.0"
    assert f["prior_year"] is None and f["prior_basis"] == "上年"
    [g] = parse_figures("人员经费100万元，比2024年增长5%", "s")
    assert (g["change"], g["change_direction"], g["change_pct"]) == (None, UP, "5")
    assert g["prior_amount"] is None


def test_inconsistent_direction_is_flagged() -> None:
    [f] = parse_figures("支出10万元，比2024年预算增加1万元，下降10%", "s")
    assert f["change_direction"] == UP
    assert f["warnings"] and "下降" in f["warnings"][0]


def test_orphan_comparison_becomes_its_own_figure() -> None:
    figs = parse_figures("与2024年预算持平。", "s")
    assert len(figs) == 1
    assert figs[0]["amount"] is None and figs[0]["change_direction"] == FLAT
    assert figs[0]["prior_amount"] is None


def test_no_figures() -> None:
    assert parse_figures("", "s") == []
    assert parse_figures(SECTIONS["十一"], "十一") == []
    assert parse_figures("起止时间。2026年1月1日至2026年12月31日。淮编〔2010〕17号", "s") == []


def test_normalize_text() -> None:
    assert normalize_text("2026年预\n\n算319.71万元") == "2026年预算319.71万元"
    assert normalize_text("１２．５％") == "12.5%"
    assert normalize_text("教育（类）") == "教育（类）"  # Chinese punctuation kept
    assert normalize_text("a  b\nc") == "a b c"


@given(st.text())
def test_parse_figures_never_raises(text: str) -> None:
    for f in parse_figures(text, "s"):
        json.dumps(f)
    find_empty_reasons(text, "s")


@given(
    st.decimals(min_value=0, max_value=Decimal("1e9"), places=2),
    st.decimals(min_value=0, max_value=Decimal("1e6"), places=2),
)
def test_implied_prior_round_trip(amount: Decimal, change: Decimal) -> None:
    [f] = parse_figures(f"支出预算{amount:,f}万元，比2025年预算减少{change:f}万元", "s")
    assert Decimal(f["amount"]) == amount
    assert Decimal(f["prior_amount"]) == amount + change


# --------------------------------------------------------------------------- empty reasons


def test_seed_empty_reason_in_section_three() -> None:
    [hit] = find_empty_reasons(SECTIONS["三"], "三")
    assert hit["section"] == "三"
    assert hit["kind"] == "reason"
    assert hit["phrase"] == "增长原因主要是"
    assert hit["text"].endswith("比2025年预算增加7.8万元，增长2.2%，增长原因主要是。")
    assert hit["text"].startswith(ORG + "2026年支出预算361.68万元")
    s = normalize_text(SECTIONS["三"])
    assert s[hit["offset"] : hit["offset"] + len(hit["phrase"]) + 1] == "增长原因主要是。"


def test_seed_no_other_empty_reasons() -> None:
    for key, text in SECTIONS.items():
        if key != "三":
            assert find_empty_reasons(text, key) == [], key


@pytest.mark.parametrize(
    ("text", "kind", "phrase"),
    [
        ("比2025年预算减少0.9万元，下降原因主要是。", "reason", "下降原因主要是"),
        ("增加的主要原因是：。", "reason", "增加的主要原因是："),
        ("主要原因：；公用经费", "reason", "主要原因："),
        ("变动原因，", "reason", "变动原因"),
        ("增长原因主要是", "reason", "增长原因主要是"),  # end of text
        ("项目支出249.1万元，主要用于。", "purpose", "主要用于"),
        ("人员经费105.38万元，主要包括：。", "content", "主要包括："),
    ],
)
def test_empty_reason_forms(text: str, kind: str, phrase: str) -> None:
    [hit] = find_empty_reasons(text, "s")
    assert (hit["kind"], hit["phrase"]) == (kind, phrase)


@pytest.mark.parametrize(
    "text",
    [
        "增长原因主要是人员正常工资增长；",
        "主要原因：人员正常工资增长。",
        "财政拨款收入支出增加的主要原因是：政策资金项目预算增加。",
        "由于客观原因，项目延期。",  # a noun, not a template blank
        "主要用于保障机构正常运转。",
    ],
)
def test_filled_reasons_are_not_flagged(text: str) -> None:
    assert find_empty_reasons(text, "s") == []
