"""Money and counts as printed in budget disclosures.

Disclosures print amounts in many shapes (``1,234.50``, full-width ``１２３．４５``,
accounting negatives ``（12.5）``) and mark empty cells with dashes or slashes.  Everything
here works on ``Decimal`` (never float) so a sum can be compared with a printed total to
the last printed digit, and nothing here raises on odd text: a cell that is not a number
simply is not an amount.  What a printed number looks like (widths, placeholders, digit
grouping) is :mod:`budget_extract.numtext`, shared with the readers; this module adds the
values.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ..numtext import amount_text, is_amount, normalize_width, split_amount

__all__ = [
    "UNITS",
    "amount_text",
    "decimals",
    "find_unit",
    "half_unit",
    "is_amount",
    "normalize_width",
    "parse_amount",
    "rounding_tolerance",
    "to_yuan",
]

UNITS: dict[str, int] = {"元": 1, "千元": 1000, "万元": 10000, "亿元": 100000000}
"""Multipliers from a printed money unit to 元."""

_SPACE = re.compile(r"\s+")


def parse_amount(text: str) -> Decimal | None:
    """The amount a cell prints, or None for blanks, dashes and anything not a number.

    Never raises: readers call this on every cell, including headers and notes.
    """
    parts = split_amount(text)
    if parts is None:
        return None
    try:
        return Decimal("".join(parts))
    except (InvalidOperation, ValueError):  # pragma: no cover - the regex rules these out
        return None


def to_yuan(value: Decimal, unit: str) -> Decimal:
    """``value`` printed in ``unit`` (元/千元/万元/亿元) as 元; ValueError for other units."""
    u = _SPACE.sub("", unit or "")
    if u not in UNITS:
        raise ValueError(f"unknown money unit {unit!r}; expected one of {', '.join(UNITS)}")
    return value * UNITS[u]


_UNIT_LINE = re.compile(
    r"单位(?:\s*[:：]\s*|\s+)(?:人民币)?\s*(亿元|万元|千元|元)"
)


def find_unit(text: str) -> str | None:
    """The money unit a caption or unit line declares (``单位：万元`` → ``万元``), or None."""
    if not isinstance(text, str):
        return None
    m = _UNIT_LINE.search(text)
    return m.group(1) if m else None


def decimals(printed: str) -> int:
    """How many decimals a printed amount shows (``2.20`` → 2, ``1,234`` → 0; 0 for text
    that is no amount): the precision it was rounded to."""
    parts = split_amount(printed)
    return len(parts[2]) - 1 if parts is not None and parts[2] else 0


def half_unit(printed: str) -> Decimal:
    """Half a unit of the last printed digit (``2.2`` → 0.05, ``100`` → 0.5): how far the
    true amount may lie from what is printed."""
    return Decimal(5).scaleb(-decimals(printed) - 1)


def rounding_tolerance(terms: list[str]) -> Decimal:
    """Half a unit of the last printed digit of each term, summed.

    A sum of rounded terms may miss the rounded total by at most this much, so a
    difference within it is a rounding difference, not an error.  Non-amounts add nothing.
    """
    return sum((half_unit(t) for t in terms if split_amount(t) is not None), Decimal(0))
