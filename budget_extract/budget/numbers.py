"""Money and counts as printed in budget disclosures.

Disclosures print amounts in many shapes (``1,234.50``, full-width ``１２３．４５``,
accounting negatives ``（12.5）``) and mark empty cells with dashes or slashes.  Everything
here works on ``Decimal`` (never float) so a sum can be compared with a printed total to
the last printed digit, and nothing here raises on odd text: a cell that is not a number
simply is not an amount.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = [
    "UNITS",
    "amount_text",
    "find_unit",
    "is_amount",
    "normalize_width",
    "parse_amount",
    "rounding_tolerance",
    "to_yuan",
]

UNITS: dict[str, int] = {"元": 1, "千元": 1000, "万元": 10000, "亿元": 100000000}
"""Multipliers from a printed money unit to 元."""

# Full-width digits, dot, comma, signs, brackets and percent → ASCII (one char each, so
# positions are preserved).  U+2212 MINUS SIGN and the hyphen-like dashes used as a minus.
_WIDTH = str.maketrans(
    "０１２３４５６７８９．，－＋（）％\u2212\ufe63",
    "0123456789.,-+()%--",
)

_EMPTY = {"", "-", "--", "---", "—", "——", "–", "––", "/", "／", "-/-", "－－", "―", "─", "…"}

# Optional sign, then either correctly grouped thousands or plain digits, then decimals.
_NUMBER = re.compile(r"([+-]?)((?:\d{1,3}(?:,\d{3})+)|\d+)(\.\d+)?", re.ASCII)

_SPACE = re.compile(r"\s+")


def normalize_width(text: str) -> str:
    """Full-width digits and number punctuation as ASCII (same length, same positions)."""
    return text.translate(_WIDTH)


def _split(text: str) -> tuple[str, str, str] | None:
    """(sign, integer digits, '.decimals' or '') of a printed amount, or None."""
    if not isinstance(text, str):
        return None
    s = text.strip()
    if s in _EMPTY:
        return None
    s = normalize_width(s)
    if s in _EMPTY:
        return None
    negative = False
    if len(s) >= 3 and s[0] == "(" and s[-1] == ")":
        negative, s = True, s[1:-1]
    m = _NUMBER.fullmatch(s)
    if not m:
        return None
    sign, whole, frac = m.group(1), m.group(2), m.group(3) or ""
    if negative and sign:
        return None  # "(-12)" is not a printed amount
    if negative or sign == "-":
        sign = "-"
    else:
        sign = ""
    return sign, whole.replace(",", ""), frac


def parse_amount(text: str) -> Decimal | None:
    """The amount a cell prints, or None for blanks, dashes and anything not a number.

    Never raises: readers call this on every cell, including headers and notes.
    """
    parts = _split(text)
    if parts is None:
        return None
    try:
        return Decimal("".join(parts))
    except (InvalidOperation, ValueError):  # pragma: no cover - the regex rules these out
        return None


def is_amount(text: str) -> bool:
    """Whether ``text`` prints a number (blank and dash placeholders are not amounts)."""
    return _split(text) is not None


def amount_text(text: str) -> str:
    """The printed number for the facts CSV: separators dropped, widths normalised.

    Otherwise exactly as printed (``3.1`` stays ``3.1``, ``236.00`` keeps its zeros) so
    the CSV shows what the document says; bracketed negatives become ``-``.  '' when the
    text is not an amount.
    """
    parts = _split(text)
    return "".join(parts) if parts else ""


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


def rounding_tolerance(terms: list[str]) -> Decimal:
    """Half a unit of the last printed digit of each term, summed.

    A sum of rounded terms may miss the rounded total by at most this much, so a
    difference within it is a rounding difference, not an error.  Non-amounts add nothing.
    """
    total = Decimal(0)
    for t in terms:
        parts = _split(t)
        if parts is None:
            continue
        places = len(parts[2]) - 1 if parts[2] else 0
        total += Decimal(5).scaleb(-(places + 1))
    return total
