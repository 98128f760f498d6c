"""What a header says of time: a column of this year, of last year (上年, 2025年 in a 2026
report), of another year, or a change between two (增减, 比上年, ``A比B``); rows naming a
year (``2025年``) and the change row under them.

One vocabulary for the two readers of it: :mod:`.claims_tables` compares a headline with
this year's cell and its 比上年 change with last year's, and :mod:`.changes` recomputes the
change columns and rows from the periods they compare.
"""

from __future__ import annotations

import re

# A header level naming a change: what is never this year's figure, nor a part of a sum.
CHANGE_LEVEL = re.compile(r"增减|变化|变动|比上年|比\d{4}年")
# A group comparing two others: ``2026年预算数比2025年执行数``, ``…（扣除中央基建投资）``.
COMPARE = re.compile(r"^(?P<a>.+?)比(?P<b>.+?)(?:\((?P<q>[^()]+)\))?$")
# The leaves of a comparing group: its difference and its percentage.
CHANGE_AMOUNT = re.compile(r"^增减(额|数)?$|^增加额$|^差额$")
CHANGE_PERCENT = re.compile(r"^增减(\(%\)|%|率|幅度?)$|^增长(\(%\)|%|率)$")
# A group of change columns after two period groups (上年 | 当年 | 增减变化情况).
CHANGE_GROUP = re.compile(r"^(增减变化情况|增减变化|增减情况|增减额?|变化情况|比上年增减)$")
# A row naming a year, and the change row under two of them (深圳 三公经费表).
YEAR_LABEL = re.compile(r"^(20\d\d)年?度?$")
CHANGE_ROW = re.compile(r"^(增减|增减变化|增减变化金额|增减额|变化金额|差额)$")


def period_of(level: str, year: int | None) -> str:
    """``prior`` for a header level naming last year (上年, 2025年执行数 in a 2026
    budget), ``current`` for this year's (当年, 2026年预算数), ``other`` for another
    year's, else ``""``."""
    lv = re.sub(r"\s", "", level)
    if re.fullmatch(r"上年度?(?:预算数?|执行数?|预算执行数)?", lv):
        return "prior"
    if re.fullmatch(r"(?:当年|本年度?)(?:预算数?)?", lv):
        return "current"
    m = re.fullmatch(r"(\d{4})年度?(?:年初)?(?:预算数?|执行数|预算执行数)?", lv)
    if m and year is not None:
        return {year - 1: "prior", year: "current"}.get(int(m.group(1)), "other")
    return ""


def period(path: tuple[str, ...], year: int | None) -> str:
    """A column's period: ``change`` (增减 columns), ``prior``, ``other`` (a year neither
    this nor last), else ``current``."""
    if any(CHANGE_LEVEL.search(p) for p in path):
        return "change"
    for level in path:
        p = period_of(level, year)
        if p in ("prior", "other"):
            return p
    return "current"
