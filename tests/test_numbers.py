from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budget_extract.budget.numbers import (
    UNITS,
    amount_text,
    find_unit,
    is_amount,
    normalize_width,
    parse_amount,
    rounding_tolerance,
    to_yuan,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("358.58", "358.58"),
        ("3.1", "3.1"),
        ("236.00", "236.00"),
        ("0", "0"),
        ("0.0", "0.0"),
        ("1,234.50", "1234.50"),
        ("37,151.47", "37151.47"),
        ("1,234,567", "1234567"),
        ("1，234.50", "1234.50"),  # full-width comma as thousands separator
        ("１２３．４５", "123.45"),
        ("１，２３４", "1234"),
        ("-12.5", "-12.5"),
        ("－12.5", "-12.5"),
        ("\u221212.5", "-12.5"),  # MINUS SIGN
        ("(12.5)", "-12.5"),
        ("（12.5）", "-12.5"),
        ("(1,234.50)", "-1234.50"),
        ("+7", "7"),
        ("  361.68 ", "361.68"),
        ("\u3000361.68\u3000", "361.68"),
        ("\t5.08\n", "5.08"),
    ],
)
def test_parse_amount_values(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)
    assert is_amount(text)
    assert amount_text(text) == expected


def test_parse_amount_keeps_printed_precision() -> None:
    # 236.00 and 236 are equal amounts but printed differently; the exponent survives.
    assert parse_amount("236.00").as_tuple().exponent == -2
    assert parse_amount("3.1").as_tuple().exponent == -1


@pytest.mark.parametrize(
    "text",
    ["", "   ", "-", "—", "——", "--", "/", "－", "–", "\u3000"],
)
def test_empty_markers(text: str) -> None:
    assert parse_amount(text) is None
    assert not is_amount(text)
    assert amount_text(text) == ""


@pytest.mark.parametrize(
    "text",
    [
        "合计",
        "abc",
        "12%",
        "≥95%",
        "≤236万元",
        "236万元",
        "1,23",  # bad grouping: not a thousands separator
        "12,3456",
        "1.2.3",
        "12.",
        ".5",
        "(-12)",
        "()",
        "(12",
        "12)",
        "1 234",  # internal space: two numbers run together, not one
        "2011301 行政运行",
        "NaN",
        "Infinity",
        "1e5",
        "0x10",
        "١٢٣",  # Arabic-Indic digits are digits to str.isdigit, not to a budget
    ],
)
def test_not_amounts(text: str) -> None:
    assert parse_amount(text) is None
    assert amount_text(text) == ""


def test_non_string_input_is_not_an_amount() -> None:
    assert parse_amount(None) is None  # type: ignore[arg-type]
    assert parse_amount(12) is None  # type: ignore[arg-type]
    assert amount_text(None) == ""  # type: ignore[arg-type]


def test_normalize_width_keeps_positions() -> None:
    s = "合计１２３．４５（万元）"
    out = normalize_width(s)
    assert len(out) == len(s)
    assert out == "合计123.45(万元)"


def test_units_and_to_yuan() -> None:
    assert UNITS == {"元": 1, "千元": 1000, "万元": 10000, "亿元": 100000000}
    assert to_yuan(Decimal("358.58"), "万元") == Decimal("3585800")
    assert to_yuan(Decimal("3.1"), "万元") == Decimal("31000")
    assert to_yuan(Decimal("1.5"), "亿元") == Decimal("150000000")
    assert to_yuan(Decimal("2.5"), "千元") == Decimal("2500")
    assert to_yuan(Decimal("30684"), "元") == Decimal("30684")
    assert to_yuan(Decimal("1"), " 万元 ") == Decimal("10000")
    with pytest.raises(ValueError):
        to_yuan(Decimal("1"), "美元")


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("单位：万元", "万元"),
        ("单位:元", "元"),
        ("单位: 元", "元"),
        ("（单位：万元）", "万元"),
        ("(单位:万元)", "万元"),
        ("金额单位：万元", "万元"),
        ("单位：千元", "千元"),
        ("单位：亿元", "亿元"),
        ("单位：人民币万元", "万元"),
        ("编制部门：上海市普陀区商务委员会 单位：元", "元"),
        ("预算金额（单位：万元）", "万元"),
    ],
)
def test_find_unit(text: str, unit: str) -> None:
    assert find_unit(text) == unit


@pytest.mark.parametrize(
    "text", ["", "万元", "本单位元旦期间", "实施单位淮北市人力资源和社会保障局信息中心", "单位：人"]
)
def test_find_unit_none(text: str) -> None:
    assert find_unit(text) is None


def test_rounding_tolerance() -> None:
    assert rounding_tolerance(["3.59", "1.5"]) == Decimal("0.055")
    assert rounding_tolerance(["236"]) == Decimal("0.5")
    assert rounding_tolerance(["1,234.50"]) == Decimal("0.005")
    assert rounding_tolerance([]) == Decimal("0")
    # blanks and labels add nothing
    assert rounding_tolerance(["", "-", "合计", "0.71"]) == Decimal("0.005")


def test_rounding_tolerance_explains_seed_difference() -> None:
    # 表5/表3: 行政事业单位医疗 5.08 but its children print 3.59 + 1.5 = 5.09.
    diff = abs(Decimal("3.59") + Decimal("1.5") - Decimal("5.08"))
    assert diff == Decimal("0.01")
    assert diff <= rounding_tolerance(["3.59", "1.5"]) + rounding_tolerance(["5.08"])


# --------------------------------------------------------------------------- properties


@given(st.text())
def test_never_raises_on_any_text(text: str) -> None:
    value = parse_amount(text)
    assert value is None or isinstance(value, Decimal)
    assert is_amount(text) == (value is not None)
    printed = amount_text(text)
    assert (printed == "") == (value is None)
    if value is not None:
        assert Decimal(printed) == value
    find_unit(text)
    rounding_tolerance([text])


_money = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False
)


def _grouped(d: Decimal) -> str:
    return f"{d:,f}"


@given(_money)
def test_round_trip_plain(d: Decimal) -> None:
    assert parse_amount(f"{d:f}") == d
    assert amount_text(f"{d:f}") == f"{d:f}"


@given(_money)
def test_round_trip_grouped(d: Decimal) -> None:
    text = _grouped(d)
    assert parse_amount(text) == d
    assert amount_text(text) == f"{d:f}"


@given(_money)
def test_round_trip_fullwidth_and_brackets(d: Decimal) -> None:
    full = _grouped(abs(d)).translate(str.maketrans("0123456789.,", "０１２３４５６７８９．，"))
    assert parse_amount(full) == abs(d)
    if d:
        assert parse_amount(f"（{full}）") == -abs(d)
        assert parse_amount(f" ({_grouped(abs(d))}) ") == -abs(d)


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=4))
def test_rounding_tolerance_is_half_last_digit(n: int, places: int) -> None:
    text = f"{Decimal(n).scaleb(-places):f}"
    assert rounding_tolerance([text]) == Decimal(5).scaleb(-places - 1)
