"""What printed numbers look like: the one home of the "is this text a number?" patterns.

Readers, the table builder, the header normaliser and the budget layer each ask that
question, with slightly different needs (a PDF word that marks a body line, a header cell,
an amount to parse exactly).  The patterns live here, each defined once and named for
the question it answers, so ``readers/`` and ``tables/`` can use them without importing
anything from ``budget/``.  Nothing here builds a ``Decimal``: that is
:mod:`budget_extract.budget.numbers`, which reuses these primitives.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "FIGURE",
    "NUMBER_IN_TEXT",
    "NUMBER_LABEL",
    "NUMBER_LINE",
    "NO_DATA",
    "UNIT_LINE",
    "NUMERIC_CELL",
    "amount_text",
    "is_amount",
    "is_column_numbers",
    "is_figure",
    "is_placeholder",
    "normalize_width",
    "split_amount",
    "strip_invisible",
    "unreadable_amount",
]

# --------------------------------------------------------------------------- invisible text

INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e" \
            "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
"""Characters that print nothing: soft hyphen, zero-width space/joiners, the bidi marks
(LRM, RLM, embeddings, isolates), word joiner and invisible operators, and a BOM inside
text.  A viewer shows ``1\u200b00.00`` as ``100.00``; so must the reader."""

_DROP_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE))


def strip_invisible(text: str) -> str:
    """``text`` without the characters in :data:`INVISIBLE`."""
    return text.translate(_DROP_INVISIBLE) if text else text

# --------------------------------------------------------------------------- loose shapes

FIGURE = re.compile(r"^[-+−(（]?\d[\d,，]*(\.\d+)?[)）%]?$")
"""An amount, a code or a count as a PDF word prints it (digits first, then any digits and
separators): what marks a body line of a table without rulings."""

NUMBER_LINE = re.compile(r"^[-+−(（]?[\d,，]*\d(\.\d+)?[)）%]?$")
"""One text line of a ruled cell that is a number (the integer part ends in a digit): two
or more such lines in one cell are rows the table left without a ruling between them."""

NUMERIC_CELL = re.compile(
    r"^[-－(（]?[0-9０-９][0-9０-９,，\u00a0\u2009\u202f]*(?:[.．][0-9０-９]+)?[)）]?%?$"
    r"|^[-－][0-9０-９.．,，]+$|^[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?[-－]$"
    r"|^[-+]?[0-9]+(?:\.[0-9]+)?[eE][-+]?[0-9]+$")
"""A grid cell (already whitespace-normalised) holding a number, full-width digits,
typographic thousands spaces, a trailing minus and exponent notation included: what
tells a header row from a body row (a row of amounts is a body row even where one of
them cannot be read)."""

NUMBER_IN_TEXT = r"-?(?:[0-9]{1,3}(?:[,，][0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"
"""A number inside running text (``共安排1,234.50万元``), as a pattern fragment to build
larger patterns from; ASCII digits (callers normalise full-width ones first)."""


def is_figure(text: str) -> bool:
    """Whether a word prints a :data:`FIGURE` (spaces inside it ignored: ``1 234.00``)."""
    return bool(FIGURE.match(text.replace(" ", "")))


# --------------------------------------------------------------------------- exact amounts

# Full-width digits, dot, comma, signs, brackets and percent → ASCII (one char each, so
# positions are preserved).  U+2212 MINUS SIGN and the hyphen-like dashes used as a minus.
_WIDTH = str.maketrans(
    "０１２３４５６７８９．，－＋（）％\u2212\ufe63",
    "0123456789.,-+()%--",
)

_EMPTY = {"", "-", "--", "---", "—", "——", "–", "––", "/", "／", "-/-", "－－", "―", "─", "…"}

# Optional sign, then either correctly grouped thousands or plain digits, then decimals.
_NUMBER = re.compile(r"([+-]?)((?:\d{1,3}(?:,\d{3})+)|\d+)(\.\d+)?", re.ASCII)

# Typographic thousands separators: NO-BREAK SPACE, THIN SPACE, NARROW NO-BREAK SPACE,
# FIGURE SPACE (``1 234 567.00``).  Read as commas between groups of three digits only;
# an ordinary space is not one (two amounts in one cell are not one amount).
_GROUP_SPACE = re.compile(r"(?<=\d)[\u00a0\u2009\u202f\u2007](?=\d{3}(?:\D|$))")

_EXPONENT = re.compile(r"^[+-]?\d+(?:\.\d+)?[eE][+-]?\d+$")


def normalize_width(text: str) -> str:
    """Full-width digits and number punctuation as ASCII (same length, same positions)."""
    return text.translate(_WIDTH)


def split_amount(text: str) -> tuple[str, str, str] | None:
    """(sign, integer digits, '.decimals' or '') of a printed amount, or None.

    Strict where :data:`FIGURE` is loose: thousands must be grouped correctly, blank and
    dash placeholders are no amount, ``(12.5)`` is a negative and ``(-12)`` nothing.
    """
    if not isinstance(text, str):
        return None
    return _split_str(text)


@lru_cache(maxsize=1 << 16)
def _split_str(text: str) -> tuple[str, str, str] | None:
    """:func:`split_amount` of a string, remembered: the checks and the table reader ask
    about the same cell texts over and over (each amount parsed for every sum it is in),
    and the answer (an immutable tuple) depends on the text alone."""
    s = strip_invisible(text).strip()
    if s in _EMPTY:
        return None
    s = _GROUP_SPACE.sub(",", normalize_width(s))
    if s in _EMPTY:
        return None
    negative = False
    if len(s) >= 3 and s[0] == "(" and s[-1] == ")":
        negative, s = True, s[1:-1]
    elif len(s) >= 2 and s[-1] == "-" and s[0].isdigit():
        negative, s = True, s[:-1]  # accounting software's trailing minus: ``123.00-``
    m = _NUMBER.fullmatch(s)
    if not m:
        return None
    sign, whole, frac = m.group(1), m.group(2), m.group(3) or ""
    if negative and sign:
        return None  # "(-12)" and "-12-" are not printed amounts
    if negative or sign == "-":
        sign = "-"
    else:
        sign = ""
    return sign, whole.replace(",", ""), frac


def is_placeholder(text: str) -> bool:
    """Whether ``text`` is a dash or slash printed where an amount would be (``-``, ``—``,
    ``－``, ``/``, ``…``): no amount, and not blank either.

    The contract reads such a cell as blank (a fact is a numeric cell; the checks count a
    blank as zero, as disclosures print a dash or nothing for zero), so it gives no fact;
    tables report such cells in their warnings, so none is passed over silently."""
    if not isinstance(text, str):
        return False
    s = strip_invisible(text).strip()
    return bool(s) and (s in _EMPTY or normalize_width(s) in _EMPTY)


def is_amount(text: str) -> bool:
    """Whether ``text`` prints a number (blank and dash placeholders are not amounts)."""
    return split_amount(text) is not None


def amount_text(text: str) -> str:
    """The printed number for the facts CSV: separators dropped, widths normalised.

    Otherwise exactly as printed (``3.1`` stays ``3.1``, ``236.00`` keeps its zeros) so
    the CSV shows what the document says; bracketed negatives become ``-``.  '' when the
    text is not an amount.
    """
    parts = split_amount(text)
    return "".join(parts) if parts else ""


_NUMBERISH = re.compile(r"^[\d.,+\-()eE%\s]*\d[\d.,+\-()eE%\s]*$")


def unreadable_amount(text: str) -> str | None:
    """Why a cell that looks like a number (digits and number punctuation only) is not
    read as an amount, or None when it is one or plainly is not a number.

    Amounts are never dropped silently: a table reports such cells in its warnings.
    """
    if not isinstance(text, str) or split_amount(text) is not None:
        return None
    s = normalize_width(strip_invisible(text)).strip()
    if not _NUMBERISH.match(s) or "%" in s:
        return None
    if _EXPONENT.match(s.replace(" ", "")):
        return "exponent notation (a spreadsheet's display of a number too wide for its " \
               "column: the digits are lost)"
    return "not a well-formed number (separators or signs out of place)"


# --------------------------------------------------------------------------- column numbers

NUMBER_LABEL = re.compile(r"^(栏次|行次|栏号|\*+|甲|乙|丙|丁)$")

NO_DATA = re.compile(r"^(?:本表|本单位|此表)?(?:暂?无数据|无发生额|为空表?|空表)[。.]?$")
"""A line or cell saying an empty table has nothing to show (``本表无数据``), printed where
its rows would be: the first body row, never a header."""

UNIT_LINE = re.compile(r"(?:金额)?单位\s*[:：]\s*(?:万元|千元|亿元|元)$")
"""A text ending in a table's unit declaration (``单位：万元``, ``编制单位：某局 单位：元``):
the end of the announcement above a table, never one of its rows (the borderless reader),
and printed on each page of a long table, never a running line (the furniture finder)."""


def is_column_numbers(texts: list[str]) -> bool:
    """Whether a row numbers the columns (``栏次 | 1 | 2 | 3``, ``** | ** | 1 | 2 …``): its
    texts are a 栏次-like label or blank, then consecutive small integers from 1.  Such a row
    is part of the header, never data (and a PDF reader does not take its centred digits
    for a body line's figures when it finds a table's columns)."""
    nums: list[int] = []
    labelled = False
    for t in texts:
        if not t:
            continue
        if NUMBER_LABEL.match(t):
            labelled = True
            continue
        if not re.fullmatch(r"\d{1,2}", t):
            return False
        nums.append(int(t))
    return (len(nums) >= 3 or (labelled and len(nums) >= 1)) and nums[0] == 1 and all(
        b == a + 1 for a, b in zip(nums, nums[1:], strict=False))
