"""What the ``claims.*`` checks share: reading printed numbers, recomputing a ratio within
the rounding of its inputs, quoting the sentence, and recording a check.

Kept apart so that :mod:`.claims` (the text against itself) and :mod:`.claims_tables` (the
text against the tables) hold only their claims.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ...model import Check
from ...segment import norm
from ..numbers import UNITS

Status = str
ZERO = Decimal(0)
HUNDRED = Decimal(100)


# --------------------------------------------------------------------------- helpers


def pct_text(d: Decimal) -> str:
    return f"{d.quantize(Decimal('0.01'))}%"


def amt(text: str | None, unit: str | None) -> str:
    return f"{text}{unit or ''}"


def quote(text: str, limit: int = 120) -> str:
    t = text.strip()
    return f"“{t if len(t) <= limit else t[:limit] + '…'}”"


LEVEL = re.compile(r"([^（）()]+)[（(][项款类][）)]")
ITEM = re.compile(r"([^（）()、.．\d]+)[（(]项[）)]")


def name_of(fig: dict[str, Any]) -> str:
    """A figure's name in check ids: its subject, else the 项 its sentence names, else its
    section's heading."""
    names = fig.get("code_names")
    subject = norm(names[-1] if names else fig.get("subject") or "")
    if len(subject) < 2 or subject in ("预算数", "预算"):
        items = ITEM.findall(fig.get("text") or "")
        subject = norm(items[-1]) if items else norm(fig.get("section") or "") or "text"
    return subject[:40]


def text_ref(item: dict[str, Any]) -> dict[str, Any]:
    return {"narrative_section": item.get("section"), "text": item.get("text"),
            "page": item.get("page"), "term": "claim"}


def interval(f: Callable[[Decimal, Decimal], Decimal | None],
              a: Decimal, ha: Decimal, b: Decimal, hb: Decimal
              ) -> tuple[Decimal, Decimal] | None:
    """min/max of f over the corners of [a±ha] × [b±hb] (f is monotonic in each argument
    on that box), or None where f is undefined at a corner."""
    vals = []
    for x in (a - ha, a + ha):
        for y in (b - hb, b + hb):
            v = f(x, y)
            if v is None:
                return None
            vals.append(v)
    return min(vals), max(vals)


def judge(printed: Decimal, exact: Decimal, box: tuple[Decimal, Decimal] | None,
           half: Decimal) -> Status:
    """pass: the printed value is the exact one rounded; rounding: the inputs' rounding can
    explain it; fail otherwise."""
    if abs(printed - exact) <= half:
        return "pass"
    if box is not None and box[0] - half <= printed <= box[1] + half:
        return "rounding"
    return "fail"


class Out:
    def __init__(self) -> None:
        self.checks: list[Check] = []

    def add(self, cid: str, status: Status, message: str, expected: str | None,
            actual: str | None, refs: list[dict[str, Any]]) -> None:
        """Record a check: ``expected`` is what the text prints (the claim), ``actual`` what
        the tables, the recomputed numbers or the report year give (docs/checks.md,
        "Reading a check")."""
        self.checks.append(Check(id=cid, status=status, message=message,  # type: ignore[arg-type]
                                 expected=expected, actual=actual, refs=refs))



def in_unit(change: Decimal, fig: dict[str, Any]) -> Decimal:
    cu, u = fig.get("change_unit") or fig.get("unit"), fig.get("unit")
    if cu in UNITS and u in UNITS and cu != u:
        return change * UNITS[cu] / UNITS[u]
    return change



def report_year(meta: dict[str, Any]) -> int | None:
    y = str(meta.get("year") or "")
    return int(y) if y.isdigit() else None

