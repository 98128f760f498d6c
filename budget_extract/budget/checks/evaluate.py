"""The one sum check every family ends in: a printed claim against the sum of printed parts.

Everything is ``Decimal``.  A printed total may differ from the sum of its printed parts
by rounding: each part was rounded to the last printed digit, so the sum may be off by up
to half a unit of that digit per term (:func:`~budget_extract.budget.numbers.rounding_tolerance`).
Such a difference is reported as ``rounding``, not ``fail``.  A cell that is not a number
makes the check ``skip``; so do figures in different units when one has no unit.
"""

from __future__ import annotations

from decimal import Decimal

from ...model import Check
from ..numbers import to_yuan
from .figures import ZERO, Ctx, Fig, title

_MAX_LISTED = 4


def _fmt(d: Decimal, sep: bool) -> str:
    return f"{d:,}" if sep else str(d)


def _joined(terms: list[str], signs: list[int]) -> str:
    """``a + b − c``: the terms with the sign each is added with."""
    out = ("− " if signs[0] < 0 else "") + terms[0]
    for t, s in zip(terms[1:], signs[1:], strict=True):
        out += f" {'−' if s < 0 else '+'} {t}"
    return out


def evaluate(ctx: Ctx, cid: str, head: str, lhs: list[Fig], rhs: list[Fig], *,
             lhs_label: str, rhs_label: str = "", relation: str = "=") -> None:
    """Compare Σ lhs (the printed claim) with Σ rhs and record one check.

    ``head`` opens the message (which table and row); ``lhs_label``/``rhs_label`` name the
    two sides.  With few right-hand terms each is listed with its label, else the sum is
    shown as ``rhs_label``.  ``relation`` ``<=`` tests a bound (pass or fail only).
    """
    figs = lhs + rhs
    refs = [f.ref("expected") for f in lhs] + [f.ref("actual") for f in rhs]
    bad = [f for f in figs if f.amount is None]
    if bad:
        f = bad[0]
        ctx.checks.append(Check(
            id=cid, status="skip",
            message=f"{head}: cannot be checked, {title(f.table)} "
                    f"{f.row.label if f.row else ''}/{f.column.key if f.column else ''} "
                    f"prints {f.text.strip()!r}, which is not a number",
            refs=refs))
        return
    units = {f.unit for f in figs}
    if len(units) == 1:
        unit = units.pop()

        def conv(f: Fig, d: Decimal) -> Decimal:
            return d
    else:
        if any(not f.unit for f in figs):
            ctx.checks.append(Check(
                id=cid, status="skip",
                message=f"{head}: cannot be checked, the tables print different or unknown "
                        f"money units ({', '.join(sorted(u or '?' for u in units))})",
                refs=refs))
            return
        unit = "元"

        def conv(f: Fig, d: Decimal) -> Decimal:
            return to_yuan(d, f.unit)

    expected = sum((conv(f, (f.amount or ZERO) * f.sign) for f in lhs), ZERO)
    actual = sum((conv(f, (f.amount or ZERO) * f.sign) for f in rhs), ZERO)
    tol = sum((conv(f, f.tolerance) for f in figs), ZERO)
    sep = any("," in f.text or "，" in f.text for f in figs) or abs(expected) >= 100000
    mixed = unit == "元" and len({f.unit for f in figs}) > 1

    def show(f: Fig) -> str:
        if mixed and not f.blank:
            return _fmt(conv(f, f.amount or ZERO), sep)
        return f.shown()

    diff = abs(expected - actual)
    if relation == "<=":
        status = "pass" if expected <= actual + tol else "fail"
        op = "≤" if status == "pass" else ">"
    elif diff == 0:
        status, op = "pass", "="
    elif diff <= tol:
        status, op = "rounding", "≈"
    else:
        status, op = "fail", "≠"

    if len(lhs) == 1:
        left = f"{lhs_label} {show(lhs[0])}".strip()
    elif len(lhs) <= _MAX_LISTED and all(f.label for f in lhs):
        left = " + ".join(f"{f.label} {show(f)}" for f in lhs)
    else:
        left = f"{lhs_label} {_fmt(expected, sep)}".strip()
    listed = 1 < len(rhs) <= _MAX_LISTED and all(f.label for f in rhs)
    if len(rhs) == 1:
        right = f"{rhs_label or rhs[0].label} {show(rhs[0])}".strip()
    elif listed:
        right = _joined([f"{f.label} {show(f)}" for f in rhs], [f.sign for f in rhs])
    else:
        right = f"{rhs_label} {_fmt(actual, sep)}".strip()
    msg = f"{head}: {left} {op} {right} {unit}".rstrip()
    tail = []
    if listed and status != "pass":
        tail.append(f"sum {_fmt(actual, sep)}")
    if status == "rounding":
        tail.append(f"differs by {_fmt(diff, sep)}, within rounding ±{_fmt(tol, sep)}")
    elif status == "fail" and relation == "=":
        tail.append(f"differs by {_fmt(diff, sep)}")
    if tail:
        msg += f" ({'; '.join(tail)})"
    ctx.checks.append(Check(id=cid, status=status, message=msg,  # type: ignore[arg-type]
                            expected=str(expected), actual=str(actual), refs=refs))


def sum_check(ctx: Ctx, cid: str, head: str, lhs: list[Fig], rhs: list[Fig], *,
              lhs_label: str, rhs_label: str = "", relation: str = "=") -> None:
    """:func:`evaluate`, unless every figure is blank: there is nothing to test then."""
    if any(not f.blank for f in lhs + rhs):
        evaluate(ctx, cid, head, lhs, rhs, lhs_label=lhs_label, rhs_label=rhs_label,
                 relation=relation)


def number_repeats(checks: list[Check]) -> list[Check]:
    """Make ids unique in place: the second ``X`` becomes ``X#2``, the third ``X#3`` (a
    table or a figure may give the same check twice); returns ``checks``."""
    seen: dict[str, int] = {}
    for c in checks:
        n = seen.get(c.id, 0) + 1
        seen[c.id] = n
        if n > 1:
            c.id = f"{c.id}#{n}"
    return checks
