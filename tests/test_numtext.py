"""The number-text patterns: each answers its own question, and they differ on purpose."""

from budget_extract.numtext import (
    FIGURE,
    NUMBER_LINE,
    NUMERIC_CELL,
    is_amount,
    is_figure,
    is_placeholder,
    split_amount,
)


def test_figure_and_number_line_agree_on_printed_amounts():
    for text in ["1,234.00", "（12.5）", "-3", "45%", "2010101", "０.５"]:
        assert FIGURE.match(text) and NUMBER_LINE.match(text), text


def test_figure_and_number_line_differ_only_at_a_leading_or_trailing_separator():
    assert FIGURE.match("1,") and not NUMBER_LINE.match("1,")
    assert NUMBER_LINE.match(",1") and not FIGURE.match(",1")


def test_is_figure_ignores_spaces_inside_a_word():
    assert is_figure("1 234.00")
    assert not is_figure("合计")
    assert not is_figure("2025年")


def test_numeric_cell_reads_full_width_digits_and_dash_runs():
    assert NUMERIC_CELL.match("１２３．４５")
    assert NUMERIC_CELL.match("-0.5")
    assert not NUMERIC_CELL.match("-")
    assert not NUMERIC_CELL.match("一")


def test_split_amount_is_strict_about_grouping_and_placeholders():
    assert split_amount("（1,234.50）") == ("-", "1234", ".50")
    assert split_amount("1,23") is None
    assert split_amount("—") is None
    assert split_amount("(-12)") is None


def test_placeholders_are_dashes_and_slashes_not_blanks_or_amounts():
    for printed in ("-", "—", "——", "－", "－－", "–", "/", "／", "…", " - ", "\u200b—"):
        assert is_placeholder(printed), printed
        assert not is_amount(printed), printed
    for printed in ("", "  ", "0", "0.00", "-1", "—1", "无", "-/-x"):
        assert not is_placeholder(printed), printed
