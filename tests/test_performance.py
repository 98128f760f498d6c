"""项目支出绩效目标表 parsing, on the seed's six forms and on synthetic edge cases.

Expected values below were typed from reading the seed document, not copied from output.
"""

import copy
from pathlib import Path

import pytest
from md_tables import performance_forms, seed_text

from budget_extract.budget.performance import (
    FIELD_ALIASES,
    FIELDS,
    align_fragments,
    clean_cell,
    english_keys,
    merge_projects,
    parse_performance_table,
)
from budget_extract.emit.json_out import target_dict
from budget_extract.model import Grid, GridCell

JINBAO = "金保工程保障费"
SHEBAOKA = "社保卡日常运行费"
DAIGUAN = "应退未退金保工程等保测评及服务项目履约保证金及其他代管资金"

JINBAO_INDICATORS = [
    ["产出指标", "数量指标", "居民服务一卡通服务目录（第二版）207个服务事项完成率", "100%"],
    ["产出指标", "质量指标", "信息系统等级保护测评", "通过国家信息系统三级等保测评"],
    ["产出指标", "时效指标", "项目完成及时性", "按计划实施该项目"],
    ["产出指标", "成本指标", "项目总成本", "≤236万元"],
    ["效益指标", "经济效益", "实现人业务系统化、网络化", "高效实现"],
    ["效益指标", "社会效益", "提升人社政务服务水平及便民服务水平", "高效提升"],
    ["效益指标", "生态效益", "本单位不涉及该项指标", "本单位不涉及该项指标"],
    [
        "效益指标",
        "可持续影响",
        "劳动保障业务透明度，提供更广阔的服务空间，方便劳动者和参保人员",
        "有利于增加",
    ],
    ["满意度指标", "服务对象满意度", "社会满意度", "≥95%"],
]
SHEBAOKA_INDICATORS = [
    ["产出指标", "数量指标", "电子社会保障卡签发量覆盖率", "≥80%"],
    ["产出指标", "质量指标", "社保卡制卡质量", "达标"],
    ["产出指标", "时效指标", "社保卡及时补办社保卡制卡周期", "符合要求"],
    ["产出指标", "成本指标", "项目总成本", "≤10万元"],
    ["效益指标", "经济效益", "预算资金配置合理投入经济性较强", "预算资金配置合理投入经济性较强"],
    ["效益指标", "社会效益", "提升行政管理和公共服务能力", "有效提升"],
    ["效益指标", "生态效益", "本单位不涉及该项指标", "本单位不涉及该项指标"],
    [
        "效益指标",
        "可持续影响",
        "广大群众就医、养老、就业等切身利益",
        "有效保障广大群众就医、养老、就业等切身利益",
    ],
    ["满意度指标", "服务对象满意度", "服务对象满意度", "≥95%"],
]
DAIGUAN_INDICATORS = [
    ["产出指标", "数量指标", "应退未退资金台账建立率", "=100%"],
    ["产出指标", "质量指标", "退款资料完整规范性", "资料完整"],
    ["产出指标", "时效指标", "退款申请办结时限", "≤5工作日"],
    ["产出指标", "成本指标", "项目总成本", "≤3.1万"],
    ["效益指标", "经济效益", "盘活沉淀财政资金，提高资金使用效益", "有效提升"],
    ["效益指标", "社会效益", "提升行政管理和公共服务能力", "有效提升"],
    ["效益指标", "生态效益", "本单位不涉及该项指标", "本单位不涉及该项指标"],
    ["效益指标", "可持续影响", "健全内控管理制度，提升资金管理水平", "高效提升"],
    ["满意度指标", "服务对象满意度", "服务对象满意度", "≥95%"],
]

COMMON = {
    "主管部门及代码": "[104]淮北市人力资源和社会保障局",
    "主管部门代码": "104",
    "实施单位": "淮北市人力资源和社会保障局信息中心",
    "项目来源": "本级申报项目",
    "资金投向领域": "",
    "项目期限": "1年",
    "建设期限": "",
    "运营期限": "",
    "资金单位": "万元",
    "专项债券": "0.00",
    "上年结转": "0.00",
}

EXPECTED = {
    JINBAO: {
        **COMMON,
        "项目名称": JINBAO,
        "年度资金总额": "236.00",
        "财政拨款": "236.00",
        "其他资金": "0.00",
        "indicators": JINBAO_INDICATORS,
    },
    SHEBAOKA: {
        **COMMON,
        "项目名称": SHEBAOKA,
        "年度资金总额": "10.00",
        "财政拨款": "10.00",
        "其他资金": "0.00",
        "indicators": SHEBAOKA_INDICATORS,
    },
    DAIGUAN: {
        **COMMON,
        "项目名称": DAIGUAN,
        "年度资金总额": "3.10",
        "财政拨款": "0.00",
        "其他资金": "3.10",
        "indicators": DAIGUAN_INDICATORS,
    },
}

OBJECTIVE_START = {
    JINBAO: "金保工程直接关系到广大群众养老、就业等切身利益",
    SHEBAOKA: "按照人力资源社会保障部提出的“一卡多用、全国通用”的要求",
    DAIGUAN: "规范金保工程履约保证金、社保卡保证金等应退未退代管资金全流程管理",
}
OBJECTIVE_END = {
    JINBAO: "方便劳动者和参保人员。",
    SHEBAOKA: "享受公共文化服务等领域的广泛应用。",
    DAIGUAN: "构建长效代管与清退机制。",
}


@pytest.fixture(scope="module")
def forms() -> list[list[list[list[str]]]]:
    fs = performance_forms(seed_text())
    assert len(fs) == 6
    return fs


def test_seed_form_layout(forms: list[list[list[list[str]]]]) -> None:
    """What the test data looks like: body copies split by a page break, 附件 copies whole."""
    assert [len(f) for f in forms] == [2, 2, 2, 1, 1, 1]
    widths = [[max(len(r) for r in frag) for frag in f] for f in forms]
    assert widths == [[6, 5], [6, 4], [6, 5], [6], [6], [6]]


@pytest.mark.parametrize("index", range(6))
def test_seed_forms(forms: list[list[list[list[str]]]], index: int) -> None:
    name = [JINBAO, SHEBAOKA, DAIGUAN][index % 3]
    rec = parse_performance_table(forms[index])
    expected = EXPECTED[name]
    for key, value in expected.items():
        assert rec[key] == value, key
    assert rec["年度目标"].startswith(OBJECTIVE_START[name])
    assert rec["年度目标"].endswith(OBJECTIVE_END[name])
    assert "<br>" not in rec["年度目标"]
    assert rec["warnings"] == []
    assert set(FIELDS) <= set(rec)
    # every indicator has its parents filled down
    assert all(len(ind) == 4 and all(ind) for ind in rec["indicators"])


def test_jinbao_headline_values(forms: list[list[list[list[str]]]]) -> None:
    rec = parse_performance_table(forms[0])
    assert rec["年度资金总额"] == "236.00"
    assert rec["财政拨款"] == "236.00"
    # 9 indicators: 4 产出 + 4 效益 + 1 满意度.  The page-broken copy prints 10 indicator
    # rows because 社会效益's 三级指标 spills one character (平) onto the next page.
    assert len(rec["indicators"]) == 9
    assert ["效益指标", "社会效益", "提升人社政务服务水平及便民服务水平", "高效提升"] in rec[
        "indicators"
    ]


def test_shebaoka_continuation_with_fewer_columns(forms: list[list[list[list[str]]]]) -> None:
    frag1, frag2 = forms[1]
    assert max(len(r) for r in frag2) == 4  # the continuation lost two columns
    rec = parse_performance_table(forms[1])
    timing = [i for i in rec["indicators"] if i[1] == "时效指标"]
    assert timing == [["产出指标", "时效指标", "社保卡及时补办社保卡制卡周期", "符合要求"]]
    assert rec["indicators"][-1] == ["满意度指标", "服务对象满意度", "服务对象满意度", "≥95%"]
    # rows of the continuation keep their 一级 label from the first fragment
    assert rec["indicators"][3] == ["产出指标", "成本指标", "项目总成本", "≤10万元"]


def test_daiguan_other_funds(forms: list[list[list[list[str]]]]) -> None:
    rec = parse_performance_table(forms[2])
    assert rec["其他资金"] == "3.10"
    assert rec["财政拨款"] == "0.00"
    assert rec["indicators"][5][2] == "提升行政管理和公共服务能力"  # 公 + 共服务能力 joined


def test_body_and_annex_copies_agree(forms: list[list[list[list[str]]]]) -> None:
    for i in range(3):
        body = parse_performance_table(forms[i])
        annex = parse_performance_table(forms[i + 3])
        assert body == annex


def test_parse_does_not_mutate_input(forms: list[list[list[list[str]]]]) -> None:
    before = copy.deepcopy(forms[1])
    parse_performance_table(forms[1])
    assert forms[1] == before


def test_merge_projects_on_seed(forms: list[list[list[list[str]]]]) -> None:
    records = []
    for i, f in enumerate(forms):
        rec = parse_performance_table(f)
        rec["origin"] = {"part": "第三部分" if i < 3 else "附件", "form": i}
        records.append(rec)
    merged = merge_projects(records)
    assert [m["项目名称"] for m in merged] == [JINBAO, SHEBAOKA, DAIGUAN]
    for i, m in enumerate(merged):
        assert m["appearances"] == [
            {"part": "第三部分", "form": i},
            {"part": "附件", "form": i + 3},
        ]
        assert m["conflicts"] == []
        assert "origin" not in m
        assert m["indicators"] == EXPECTED[m["项目名称"]]["indicators"]
    # inputs untouched
    assert records[0]["origin"] == {"part": "第三部分", "form": 0}


FIX = Path(__file__).parent.parent / "fixtures"
SEED_STEM = "huaibei-hrss-info-center-2026-budget"


def _without_appearances(records: list[dict]) -> list[dict]:  # type: ignore[type-arg]
    return [{k: v for k, v in r.items() if k != "appearances"} for r in records]


def test_pagebreak_pdf_records_equal_markdown(extracted) -> None:
    """The larger-type PDF cuts rows and a 年度目标 cell across page breaks (社保卡's 生态效益
    row on pages 30/31 and 39/40, 金保工程's 年度目标 on pages 37/38); the records must
    still be the Markdown seed's, whose values the tests above check by hand."""
    md = [target_dict(t) for t in
          extracted(FIX / f"{SEED_STEM}.md").performance_targets]
    pdf = [target_dict(t) for t in
           extracted(FIX / f"{SEED_STEM}-pagebreak.pdf").performance_targets]
    assert [r["项目名称"] for r in md] == [JINBAO, SHEBAOKA, DAIGUAN]
    for rec in md:
        assert rec["indicators"] == EXPECTED[rec["项目名称"]]["indicators"]
        assert rec["conflicts"] == []
    assert _without_appearances(pdf) == _without_appearances(md)
    assert all(len(r["appearances"]) == 2 for r in pdf)


# --------------------------------------------------------------------------- synthetic


def _form(indicator_rows: list[list[str]], *, total: str = "5.00") -> list[list[str]]:
    head = [
        ["项目名称", "", "测试项目", "", "", ""],
        ["主管部门及代码", "", "[201]某局", "", "实施单位", "某中心"],
        ["项目来源", "", "本级申报项目", "", "资金投向领域", "信息化"],
        ["项目期限", "", "3年", "其中：建设期限", "1年", "运营期限"],
        ["项目资金<br>（万元）", "", "年度资金总额：", "", total, ""],
        ["", "", "其中：财政拨款", "", "1,234.50", ""],
        ["", "", "专项债券", "", "", ""],
        ["", "", "上年结转", "", "-", ""],
        ["", "", "其他资金", "", "0", ""],
        ["年度<br>目标", "目标 文本", "", "", "", ""],
        ["绩效<br>指标", "一级<br>指标", "二级指标", "三级指标", "指标值", ""],
    ]
    return head + indicator_rows


def test_labels_found_by_text_not_position() -> None:
    rec = parse_performance_table([_form([["", "产出指标", "数量指标", "甲", "1个", ""]])])
    assert rec["项目名称"] == "测试项目"
    assert rec["主管部门代码"] == "201"
    assert rec["实施单位"] == "某中心"
    assert rec["资金投向领域"] == "信息化"
    assert rec["项目期限"] == "3年"
    assert rec["建设期限"] == "1年"
    assert rec["运营期限"] == ""  # last cell: nothing printed after it
    assert rec["资金单位"] == "万元"
    assert rec["年度资金总额"] == "5.00"
    assert rec["财政拨款"] == "1234.50"  # separators dropped like the facts CSV
    assert rec["专项债券"] == ""
    assert rec["上年结转"] == "-"  # not an amount: kept as printed
    assert rec["其他资金"] == "0"
    assert rec["年度目标"] == "目标文本"  # line-wrap space in Chinese text dropped
    assert rec["indicators"] == [["产出指标", "数量指标", "甲", "1个"]]


def test_fill_down_and_new_parent_resets_second_level() -> None:
    rows = [
        ["", "产出指标", "数量指标", "甲", "1", ""],
        ["", "", "", "乙", "2", ""],
        ["", "效益指标", "", "丙", "3", ""],  # new 一级 without 二级: 二级 is not inherited
        ["", "", "社会效益", "丁", "4", ""],
    ]
    rec = parse_performance_table([_form(rows)])
    assert rec["indicators"] == [
        ["产出指标", "数量指标", "甲", "1"],
        ["产出指标", "数量指标", "乙", "2"],
        ["效益指标", "", "丙", "3"],
        ["效益指标", "社会效益", "丁", "4"],
    ]
    assert any("without parent" in w for w in rec["warnings"])


def test_continuation_same_width_and_split_first_level() -> None:
    first = _form([["", "满意度指", "服务对象满意度", "满意度", "≥90%", ""]])
    second = [["", "", "", "", "", ""], ["", "标", "", "", "", ""]]
    rec = parse_performance_table([first, second])
    assert rec["indicators"] == [["满意度指标", "服务对象满意度", "满意度", "≥90%"]]


def test_continuation_with_fewer_columns_and_split_value() -> None:
    first = _form([["", "产出指标", "数量指标", "覆盖率", "≥8", ""]])
    # converter dropped the two left columns; the value cell spilled "0%" onto this page
    second = [["", "", "0%"], ["质量指标", "合格率", "100%"]]
    rec = parse_performance_table([first, second])
    assert rec["indicators"] == [
        ["产出指标", "数量指标", "覆盖率", "≥80%"],
        ["产出指标", "质量指标", "合格率", "100%"],
    ]


def test_continuation_carrying_the_indicator_header() -> None:
    # Page break before the indicator block: the header travels with the continuation.
    first = _form([])[:-1]
    second = [
        ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"],
        ["", "产出指标", "数量指标", "甲", "1"],
    ]
    rec = parse_performance_table([first, second])
    assert rec["indicators"] == [["产出指标", "数量指标", "甲", "1"]]


def test_lone_cell_without_text_above_is_not_joined() -> None:
    rows = [
        ["", "产出指标", "数量指标", "甲", "", ""],  # value left empty in the source
        ["", "", "", "", "1", ""],
    ]
    rec = parse_performance_table([_form(rows)])
    # the value did not exist above, so it cannot continue it: it starts a row of its own
    assert rec["indicators"][0] == ["产出指标", "数量指标", "甲", ""]
    assert rec["indicators"][1] == ["产出指标", "数量指标", "", "1"]


def test_empty_and_garbage_input() -> None:
    rec = parse_performance_table([])
    assert rec["项目名称"] == "" and rec["indicators"] == []
    rec = parse_performance_table([[["随便", "写点"], ["什么", ""]]])
    assert rec["indicators"] == []
    assert rec["warnings"]


def test_clean_cell() -> None:
    assert clean_cell("满意度指<br>标") == "满意度指标"
    assert clean_cell("人力资源和<br/>社会保障局信息中<br />心") == "人力资源和社会保障局信息中心"
    assert clean_cell("<5且>1") == "<5且>1"  # comparison signs are not tags
    assert clean_cell("<b>收 入 总 计</b>") == "收入总计"
    assert clean_cell("  APP  usage <br> rate ") == "APP usage rate"
    assert clean_cell("项目资金\n(万元)") == "项目资金(万元)"
    assert clean_cell(None) == ""  # type: ignore[arg-type]


def test_english_keys() -> None:
    rec = parse_performance_table([_form([["", "产出指标", "数量指标", "甲", "1", ""]])])
    en = english_keys(rec)
    assert en["project_name"] == "测试项目"
    assert en["annual_total"] == "5.00"
    assert en["indicators"] == rec["indicators"]
    assert all(k in FIELD_ALIASES for k in FIELDS)
    assert len(set(FIELD_ALIASES.values())) == len(FIELD_ALIASES)  # no two keys collide


def test_merge_projects_conflicts_and_blanks() -> None:
    a = {"项目名称": "甲 项目", "年度资金总额": "5.00", "实施单位": "", "indicators": [["x"]]}
    b = {"项目名称": "甲项目", "年度资金总额": "6.00", "实施单位": "某中心", "indicators": [["x"]]}
    c = {"项目名称": "甲项目", "年度资金总额": "7.00", "origin": {"page": 9}}
    d = {"项目名称": "", "origin": {"page": 1}}
    e = {"项目名称": "", "origin": {"page": 2}}
    merged = merge_projects([{**a, "origin": {"page": 3}}, b, c, d, e])
    assert len(merged) == 3  # nameless records never merge
    m = merged[0]
    assert m["年度资金总额"] == "5.00"  # first copy wins
    assert m["实施单位"] == "某中心"  # a blank is filled from a later copy, not a conflict
    assert m["appearances"] == [{"page": 3}, {"page": 9}]  # b had no origin
    assert m["conflicts"] == [{"field": "年度资金总额", "values": ["5.00", "6.00", "7.00"]}]
    assert [x["appearances"] for x in merged[1:]] == [[{"page": 1}], [{"page": 2}]]


def _grid(rows: list[list[tuple[str, float, float]]], page: int) -> Grid:
    """A ruled grid from rows of (text, x0, x1) cells, columns numbered per row."""
    cells = [
        GridCell(text=t, row=i, col=j, page=page, bbox=(x0, 10.0 * i, x1, 10.0 * i + 10))
        for i, r in enumerate(rows)
        for j, (t, x0, x1) in enumerate(r)
    ]
    n_cols = max(len(r) for r in rows)
    return Grid(cells=cells, n_rows=len(rows), n_cols=n_cols, page=page, ruled=True)


def test_align_fragments_by_x_position() -> None:
    first = _grid([[("年度目标", 0, 40), ("文本", 40, 400)], [("项目名称", 0, 100), ("某", 100, 400)]], 1)
    second = _grid([[("", 0, 40), ("续", 40.5, 400)], [("一级指标", 40, 100), ("值", 100, 400)]], 2)
    rows = align_fragments([first, second])
    assert rows == [
        [["年度目标", "文本", ""], ["项目名称", "", "某"]],
        [["", "续", ""], ["", "一级指标", "值"]],
    ]
    unruled = Grid.from_rows([["a"]], page=1)
    assert align_fragments([first, unruled]) is None  # no positions to trust: text rules


def test_row_cut_by_page_break_is_joined() -> None:
    # 三级指标 on the next page, 指标值 on this one: one indicator, not two halves
    first = _form([["", "效益指标", "生态效益", "", "不涉及", ""]])
    second = [
        ["", "", "", "不涉及", "", ""],
        ["", "", "可持续影响", "甲", "乙", ""],
    ]
    rec = parse_performance_table([first, second])
    assert rec["indicators"] == [
        ["效益指标", "生态效益", "不涉及", "不涉及"],
        ["效益指标", "可持续影响", "甲", "乙"],
    ]
    # a row with its own 二级 label at the top of the page is a new row, not a continuation
    second[0][2] = "社会效益"
    rec = parse_performance_table([first, second])
    assert len(rec["indicators"]) == 3


def test_objective_cut_by_page_break_is_joined() -> None:
    first = _form([])[:-1]
    second = [
        ["", "的后半", "", "", "", ""],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值", ""],
        ["", "产出指标", "数量指标", "甲", "1", ""],
    ]
    rec = parse_performance_table([first, second])
    assert rec["年度目标"] == "目标文本的后半"
    assert rec["warnings"] == []
    assert rec["indicators"] == [["产出指标", "数量指标", "甲", "1"]]
