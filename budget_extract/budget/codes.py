"""科目编码: budget classification codes and their hierarchy.

Two schemes appear in disclosures:

* 功能分类 (functional, "function"): 类/款/项 = 3/5/7 digits, starting with 2
  (``201`` 一般公共服务支出, ``20113`` 商贸事务, ``2011301`` 行政运行);
* 经济分类 (economic, "economic"): 类/款 = 3/5 digits, starting with 3 for the
  部门预算支出经济分类 (``301`` 工资福利支出, ``30101`` 基本工资) or 5 for the
  政府预算支出经济分类 (``501``, ``50101``).

Tables print a code either whole (``2011301``) or split over 类/款/项 columns
(``201 | 13 | 01``); totals and blank rows carry no code.  The level and parent of each
row let later stages check that children add up to their parent.
"""

from __future__ import annotations

import re
from typing import Literal

from .numbers import normalize_width

__all__ = [
    "Scheme",
    "code_level",
    "guess_scheme",
    "join_code",
    "link_hierarchy",
    "parent_code",
]

Scheme = Literal["function", "economic"]

_LEVELS: dict[str, dict[int, int]] = {
    "function": {3: 1, 5: 2, 7: 3},
    "economic": {3: 1, 5: 2},
}
_FIRST_DIGITS: dict[str, tuple[str, ...]] = {"function": ("2",), "economic": ("3", "5")}
_SPACE = re.compile(r"\s+")


def _clean(part: object) -> str:
    return _SPACE.sub("", normalize_width(part)) if isinstance(part, str) else ""


def join_code(parts: list[str]) -> str:
    """One code from its 类/款/项 column parts (``['201','13','01']`` → ``2011301``).

    Blank trailing parts are dropped (``['201','','']`` → ``201``); a whole code in the
    first part passes through.  Returns '' when a part is not digits or when the 类 part is
    blank but a later one is not (the row needs its 类 filled down first, and guessing
    would invent a wrong code).
    """
    cleaned = [_clean(p) for p in parts]
    if not cleaned or not cleaned[0]:
        return ""
    seen_blank = False
    out: list[str] = []
    for p in cleaned:
        if not p:
            seen_blank = True
            continue
        if seen_blank or not p.isdigit() or not p.isascii():
            return ""
        out.append(p)
    return "".join(out)


def _fits(code: str, scheme: str) -> bool:
    return code.startswith(_FIRST_DIGITS[scheme]) and len(code) in _LEVELS[scheme]


def code_level(code: str, scheme: str | None = None) -> int | None:
    """1 for 类, 2 for 款, 3 for 项; None for anything that is not a code of ``scheme``.

    With ``scheme`` None the scheme is guessed from the code alone.
    """
    c = _clean(code)
    if not c.isdigit() or not c.isascii():
        return None
    if scheme is None:
        scheme = guess_scheme([c])
        if scheme is None:
            return None
    if scheme not in _LEVELS or not _fits(c, scheme):
        return None
    return _LEVELS[scheme][len(c)]


def guess_scheme(codes: list[str]) -> Scheme | None:
    """Which scheme a whole code column uses, or None when it fits neither.

    Decided on the column, not on one code: a column of 3/5-digit codes starting with 3
    is economic, one of 3/5/7-digit codes starting with 2 is functional.  Blanks and the
    ``0`` placeholders of empty tables are ignored; one code that fits neither scheme makes
    the answer None rather than a guess.
    """
    cs = [_clean(c) for c in codes]
    cs = [c for c in cs if c and c.strip("0")]
    if not cs or not all(c.isdigit() and c.isascii() for c in cs):
        return None
    for scheme in ("function", "economic"):
        if all(_fits(c, scheme) for c in cs):
            return scheme  # type: ignore[return-value]
    return None


def parent_code(code: str) -> str | None:
    """The code one level up (``2011301`` → ``20113`` → ``201`` → None)."""
    c = _clean(code)
    if not c.isdigit() or not c.isascii():
        return None
    if len(c) in (5, 7):
        return c[:-2]
    return None


def link_hierarchy(codes: list[str]) -> list[tuple[int | None, str | None]]:
    """Each row's (level, parent code) for a table's code column, in row order.

    The scheme is guessed from the whole column; if it fits neither scheme, levels fall
    back to code length (3/5/7).  The parent is the nearest ancestor code printed earlier
    in the column (so a 项 whose 款 is not printed links to its 类); None for 类 rows, for
    rows without a code, and for codes with no printed ancestor.
    """
    scheme = guess_scheme(codes)
    seen: set[str] = set()
    out: list[tuple[int | None, str | None]] = []
    for raw in codes:
        c = _clean(raw)
        if not c or not c.isdigit() or not c.isascii() or not c.strip("0"):
            out.append((None, None))
            continue
        if scheme is not None:
            level = code_level(c, scheme)
        else:
            level = {3: 1, 5: 2, 7: 3}.get(len(c))
        parent: str | None = None
        p = parent_code(c)
        while p is not None:
            if p in seen:
                parent = p
                break
            p = parent_code(p)
        out.append((level, parent))
        seen.add(c)
    return out
