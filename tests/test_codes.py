import pytest
from hypothesis import given
from hypothesis import strategies as st
from md_tables import parse_tables, seed_text

from budget_extract.budget.codes import (
    code_level,
    guess_scheme,
    join_code,
    link_hierarchy,
    parent_code,
)

# 表3 支出总表 / 表5 一般公共预算支出表 code column of the seed, in row order ('' = 合计).
SEED_FUNCTION = [
    "", "205", "20508", "2050899", "208", "20801", "2080199", "20805", "2080505",
    "2080506", "20899", "2089999", "210", "21011", "2101102", "2101103", "221", "22102",
    "2210201", "2210202", "2210203",
]  # fmt: skip
# 表6 一般公共预算基本支出表 (经济分类).
SEED_ECONOMIC = [
    "", "301", "30101", "30102", "30107", "30108", "30109", "30110", "30111", "30112",
    "30113", "302", "30201", "30228", "30299",
]  # fmt: skip


# --------------------------------------------------------------------------- join_code


@pytest.mark.parametrize(
    ("parts", "code"),
    [
        (["201", "13", "01"], "2011301"),
        (["201", "", ""], "201"),
        (["201", "13", ""], "20113"),
        (["301", "01"], "30101"),
        (["301", ""], "301"),
        ([" 208 ", "05", " 99"], "2080599"),
        (["216", "99", "99"], "2169999"),
        (["301", "99"], "30199"),
        (["310", "02"], "31002"),
        (["2011301"], "2011301"),
        (["2011301", "", ""], "2011301"),
        (["201 13 01"], "2011301"),  # printed with spaces in one cell
        (["２０１", "１３", "０１"], "2011301"),  # full-width digits
    ],
)
def test_join_code(parts: list[str], code: str) -> None:
    assert join_code(parts) == code


@pytest.mark.parametrize(
    "parts",
    [
        [],
        ["", "", ""],
        ["合计", "", ""],
        ["201", "x3", "01"],
        ["", "13", "01"],  # 类 not filled down: refuse to invent 1301
        ["201", "", "01"],  # 款 missing in the middle
        ["行政运行"],
        ["201", "13", "0１a"],
        ["٢٠١"],
    ],
)
def test_join_code_rejects(parts: list[str]) -> None:
    assert join_code(parts) == ""


# --------------------------------------------------------------------------- levels


@pytest.mark.parametrize(
    ("code", "scheme", "level"),
    [
        ("201", "function", 1),
        ("20113", "function", 2),
        ("2011301", "function", 3),
        ("2080599", "function", 3),
        ("2169999", "function", 3),
        ("301", "economic", 1),
        ("30101", "economic", 2),
        ("30199", "economic", 2),
        ("31002", "economic", 2),
        ("50101", "economic", 2),  # 政府预算支出经济分类
        # wrong scheme or length
        ("301", "function", None),
        ("2011301", "economic", None),
        ("201", "economic", None),
        ("2011", "function", None),
        ("301011", "economic", None),
        ("", "function", None),
        ("合计", "function", None),
        ("201", "other", None),
        # scheme guessed from the code alone
        ("2011301", None, 3),
        ("30101", None, 2),
        ("101", None, None),
    ],
)
def test_code_level(code: str, scheme: str | None, level: int | None) -> None:
    assert code_level(code, scheme) == level


def test_parent_code() -> None:
    assert parent_code("2011301") == "20113"
    assert parent_code("20113") == "201"
    assert parent_code("201") is None
    assert parent_code("30101") == "301"
    assert parent_code("301") is None
    assert parent_code("") is None
    assert parent_code("合计") is None
    assert parent_code("2011") is None


# --------------------------------------------------------------------------- schemes


def test_guess_scheme_seed_columns() -> None:
    assert guess_scheme(SEED_FUNCTION) == "function"
    assert guess_scheme(SEED_ECONOMIC) == "economic"


def test_guess_scheme_shanghai_codes() -> None:
    fn = [join_code(p) for p in (["201", "13", "01"], ["208", "05", "99"], ["216", "99", "99"])]
    assert fn == ["2011301", "2080599", "2169999"]
    assert guess_scheme(fn) == "function"
    ec = [join_code(p) for p in (["301", "99"], ["310", "02"])]
    assert guess_scheme(ec) == "economic"


def test_guess_scheme_needs_the_whole_column() -> None:
    # A lone 3-digit code starting with 2 is functional; one stray code spoils the column.
    assert guess_scheme(["208"]) == "function"
    assert guess_scheme(["301", "2080505"]) is None
    assert guess_scheme(["301", "30101", "3010101"]) is None  # economic has no 项
    assert guess_scheme(["101", "10101"]) is None  # 收入分类: neither
    assert guess_scheme(["", "合计"]) is None
    assert guess_scheme([]) is None
    # the 0 placeholders of the seed's empty 表7/表8 are ignored
    assert guess_scheme(["0"]) is None
    assert guess_scheme(["0", "301"]) == "economic"


def test_seed_tables_code_columns() -> None:
    """The code columns as the seed's Markdown prints them, not as typed in this file."""
    tables = parse_tables(seed_text())
    expenditure = next(t for t in tables if t.rows[0][:3] == ["科目编码", "科目名称", "合计"])
    assert [r[0] for r in expenditure.rows[1:]] == SEED_FUNCTION  # 表3
    econ = next(t for t in tables if t.rows[0][0] == "部门预算支出经济分类科目")
    assert [r[0] for r in econ.rows[2:]] == SEED_ECONOMIC  # 表6


# --------------------------------------------------------------------------- hierarchy


def test_link_hierarchy_seed_function() -> None:
    links = link_hierarchy(SEED_FUNCTION)
    got = dict(zip(SEED_FUNCTION, links, strict=True))
    assert links[0] == (None, None)  # 合计
    assert got["205"] == (1, None)
    assert got["20508"] == (2, "205")
    assert got["2050899"] == (3, "20508")
    assert got["2080505"] == (3, "20805")
    assert got["2089999"] == (3, "20899")
    assert got["2101103"] == (3, "21011")
    assert got["22102"] == (2, "221")
    assert got["2210203"] == (3, "22102")
    assert [lv for lv, _ in links] == [
        None, 1, 2, 3, 1, 2, 3, 2, 3, 3, 2, 3, 1, 2, 3, 3, 1, 2, 3, 3, 3,
    ]  # fmt: skip


def test_link_hierarchy_seed_economic() -> None:
    links = link_hierarchy(SEED_ECONOMIC)
    assert links[0] == (None, None)
    assert links[1] == (1, None)
    assert all(p == "301" for _, p in links[2:11])
    assert links[11] == (1, None)
    assert all(link == (2, "302") for link in links[12:])


def test_link_hierarchy_skips_missing_levels() -> None:
    # Only 类 and 项 printed: the 项 links to its 类, the nearest printed ancestor.
    assert link_hierarchy(["201", "2011301"]) == [(1, None), (3, "201")]
    # No ancestor printed at all: level known, parent None.
    assert link_hierarchy(["2169999"]) == [(3, None)]
    # A parent printed later does not count (tables print parents first).
    assert link_hierarchy(["2011301", "20113"]) == [(3, None), (2, None)]


def test_link_hierarchy_shanghai_split_columns() -> None:
    rows = [["201", "", ""], ["201", "13", ""], ["201", "13", "01"], ["208", "", ""],
            ["208", "05", ""], ["208", "05", "99"], ["216", "99", "99"]]  # fmt: skip
    codes = [join_code(r) for r in rows]
    assert link_hierarchy(codes) == [
        (1, None), (2, "201"), (3, "20113"), (1, None), (2, "208"), (3, "20805"), (3, None),
    ]  # fmt: skip


def test_link_hierarchy_unknown_scheme_falls_back_to_length() -> None:
    assert link_hierarchy(["101", "10101", "1010101"]) == [(1, None), (2, "101"), (3, "10101")]
    assert link_hierarchy(["", "0", "x"]) == [(None, None)] * 3


@given(st.lists(st.text(max_size=9), max_size=20))
def test_link_hierarchy_total(codes: list[str]) -> None:
    links = link_hierarchy(codes)
    assert len(links) == len(codes)
    for code, (_level, parent) in zip(codes, links, strict=True):
        if parent is not None:
            assert code.strip().startswith(parent) or parent in code


@given(st.lists(st.text(max_size=5), max_size=4))
def test_join_code_never_raises(parts: list[str]) -> None:
    out = join_code(parts)
    assert out == "" or (out.isdigit() and out.isascii())
