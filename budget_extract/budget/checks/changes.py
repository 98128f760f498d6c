"""Change columns: ``A比B`` groups printing 增减额 and 增减(%) (国家信访局 一般公共预算支出表:
``2026年预算数比2025年执行数`` | 增减额 | 增减(%)).

A change is not a part of any total, so :mod:`.within` never adds it up; what it claims is
a difference: 增减额 = A − B, and 增减(%) = 增减额 ÷ B × 100, recomputed from the printed A
and B.  ``A`` and ``B`` are the header groups of those names: the group's 合计/小计 (or its
one column, or its first column that is not a subset); when the heading qualifies the
comparison — ``(扣除中央基建投资)`` — the group's ``扣除中央基建投资后…`` column instead.
Ids: ``KIND.change.ROW.COLUMN`` for both the amount and the percentage.

Period groups (西安 三公经费表: 上年 | 当年 | 增减变化情况, each with the same sub-columns) make
it per sub-column: 增减变化情况/X = the second period's X − the first's.

Year rows (深圳 三公经费表: a ``2025年`` row, a ``2026年`` row, then ``增减变化金额``) make
the same claim down the table: the change row = the later year − the earlier, per column
(``KIND.change.LABEL.COLUMN``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ...model import Check, Column, Row, Table
from ..columns import clean_level
from ..numbers import decimals, half_unit
from .column_groups import stands_for
from .evaluate import sum_check
from .figures import ZERO, Ctx, Fig, row_desc, row_key, title, value_cols
from .periods import CHANGE_AMOUNT, CHANGE_GROUP, CHANGE_PERCENT, CHANGE_ROW, COMPARE, YEAR_LABEL

_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Comparison:
    """One ``A比B`` group: the columns compared and the change columns printed."""

    heading: str
    a: Column
    b: Column
    amount: Column | None
    percent: Column | None


def _group(cols: list[Column], name: str) -> tuple[int, list[Column]]:
    """The columns under the header level named ``name`` (first level where it occurs)."""
    for c in cols:
        for i, level in enumerate(c.path):
            if clean_level(level) == name:
                prefix = c.path[:i + 1]
                return i, [x for x in cols if x.path[:i + 1] == prefix]
    return -1, []


def _principal(cols: list[Column], depth: int, qualifier: str) -> Column | None:
    """The column standing for a compared group (see the module docstring)."""
    if not cols:
        return None
    if qualifier:
        core = re.sub(r"后$", "", qualifier)
        for c in cols:
            if any(clean_level(x).startswith(core) for x in c.path[depth + 1:]):
                return c
        return None
    return stands_for(cols, depth)


def comparisons(t: Table, side: str | None = None) -> list[Comparison]:
    """The ``A比B`` groups of a table whose A and B columns are both found."""
    cols = value_cols(t, side)
    out: list[Comparison] = []
    seen: set[tuple[str, ...]] = set()
    for c in cols:
        for i, level in enumerate(c.path[:-1]):
            m = COMPARE.match(clean_level(level))
            prefix = c.path[:i + 1]
            if m is None or prefix in seen:
                continue
            seen.add(prefix)
            members = [x for x in cols if x.path[:i + 1] == prefix]
            leaves = [(x, clean_level(x.path[-1])) for x in members]
            amount = next((x for x, leaf in leaves if CHANGE_AMOUNT.match(leaf)), None)
            percent = next((x for x, leaf in leaves if CHANGE_PERCENT.match(leaf)), None)
            da, ga = _group(cols, m["a"])
            db, gb = _group(cols, m["b"])
            a = _principal(ga, da, m["q"] or "")
            b = _principal(gb, db, m["q"] or "")
            if a is not None and b is not None and (amount or percent):
                out.append(Comparison("/".join(prefix), a, b, amount, percent))
    return out


def _pct(text: str) -> tuple[Decimal, int] | None:
    """A printed percentage (``-60.86%``) and its number of decimals; None when blank."""
    t = re.sub(r"[\s,，%％]", "", text or "")
    if t in ("", "-", "—", "－", "/"):
        return None
    try:
        value = Decimal(t)
    except InvalidOperation:
        return None
    return value, decimals(t)


def _percent_check(ctx: Ctx, t: Table, r: Row, k: str, cmp: Comparison) -> None:
    """增减(%) = (A − B) ÷ B × 100, within what the rounding of A, B and the % explains."""
    assert cmp.percent is not None
    fp = ctx.fig(t, r, cmp.percent, cmp.percent.key)
    printed = _pct(fp.text)
    if printed is None:
        return
    fa, fb = ctx.fig(t, r, cmp.a, cmp.a.key), ctx.fig(t, r, cmp.b, cmp.b.key)
    if fa.amount is None or fb.amount is None or fb.amount == ZERO:
        return  # no base to compare with: the template prints a dash or a blank there
    value, places = printed
    a, b = fa.amount, fb.amount
    exact = (a - b) / b * _HUNDRED
    half = half_unit(f"{value:.{places}f}")
    corners = [(a + sa * fa.tolerance - (b + sb * fb.tolerance)) / (b + sb * fb.tolerance)
               * _HUNDRED for sa in (-1, 1) for sb in (-1, 1)
               if b + sb * fb.tolerance != ZERO]
    lo, hi = min(corners + [exact]) - half, max(corners + [exact]) + half
    diff = abs(exact - value)
    if diff <= half:
        status = "pass"
    elif lo <= value <= hi:
        status = "rounding"
    else:
        status = "fail"
    shown = exact.quantize(Decimal(1).scaleb(-places))
    msg = (f"{title(t)} {row_desc(t, r)}: {cmp.percent.key} {fp.text.strip()} "
           f"{'=' if status == 'pass' else '≈' if status == 'rounding' else '≠'} "
           f"({fa.text.strip()} − {fb.text.strip()}) ÷ {fb.text.strip()} = {shown}%")
    ctx.checks.append(Check(
        id=f"{k}.change.{row_key(t, r)}.{cmp.percent.key}", status=status,  # type: ignore[arg-type]
        message=msg, expected=str(value), actual=str(shown),
        refs=[fp.ref("expected"), fa.ref("actual"), fb.ref("actual")]))




def period_changes(cols: list[Column]) -> list[tuple[Column, Column, Column]]:
    """(change column, earlier column, later column): each column of a change group
    (增减变化情况) against the columns of the same sub-path in the two sibling groups printed
    before it (上年, 当年)."""
    out: list[tuple[Column, Column, Column]] = []
    for c in cols:
        for d, level in enumerate(c.path[:-1]):
            if not CHANGE_GROUP.match(clean_level(level)):
                continue
            prefix, sub = c.path[:d], c.path[d + 1:]
            before = list(dict.fromkeys(
                x.path[d] for x in cols if x.path[:d] == prefix and len(x.path) > d
                and x.path[d] != level and cols.index(x) < cols.index(c)))
            matches = [next((x for x in cols if x.path == prefix + (g,) + sub), None)
                       for g in before]
            found = [m for m in matches if m is not None]
            if len(found) == 2:
                out.append((c, found[0], found[1]))
            break
    return out


def _period_change_checks(ctx: Ctx, t: Table, k: str) -> None:
    for side in dict.fromkeys(c.side for c in value_cols(t)):
        for ch, early, late in period_changes(value_cols(t, side)):
            for r in t.rows:
                if r.side != side:
                    continue
                fe = ctx.fig(t, r, early, early.key)
                minus = Fig(fe.table, fe.row, fe.column, fe.text, fe.places, fe.label, -1)
                sum_check(ctx, f"{k}.change.{row_key(t, r)}.{ch.key}",
                          f"{title(t)} {row_desc(t, r)}", [ctx.fig(t, r, ch, ch.key)],
                          [ctx.fig(t, r, late, late.key), minus], lhs_label=ch.key, rhs_label="")




def _row_texts(t: Table, r: Row) -> list[str]:
    return [clean_level(r.cells[c.key].text) for c in t.columns
            if c.role != "value" and c.key in r.cells] + [clean_level(r.label)]


def year_rows(t: Table) -> list[tuple[Row, Row, Row]]:
    """(earlier year row, later year row, change row) for each ``2025年``/``2026年``/
    ``增减变化金额`` run of rows."""
    out: list[tuple[Row, Row, Row]] = []
    years: list[tuple[int, Row]] = []
    for r in t.rows:
        texts = _row_texts(t, r)
        year = next((int(m[1]) for x in texts if (m := YEAR_LABEL.match(x))), None)
        if year is not None:
            years.append((year, r))
            continue
        if len(years) >= 2 and any(CHANGE_ROW.match(x) for x in texts):
            (y0, r0), (y1, r1) = sorted(years[-2:], key=lambda p: p[0])
            if y0 != y1:
                out.append((r0, r1, r))
        years = []
    return out


def _year_change_checks(ctx: Ctx, t: Table, k: str) -> None:
    for r0, r1, rc in year_rows(t):
        for c in value_cols(t):
            f0 = ctx.fig(t, r0, c, _year_label(t, r0))
            minus = Fig(f0.table, f0.row, f0.column, f0.text, f0.places, f0.label, -1)
            label = clean_level(next(x for x in _row_texts(t, rc) if CHANGE_ROW.match(x)))
            sum_check(ctx, f"{k}.change.{label}.{c.key}", f"{title(t)} {label}/{c.key}",
                      [ctx.fig(t, rc, c, label)], [ctx.fig(t, r1, c, _year_label(t, r1)), minus],
                      lhs_label=label, rhs_label="")


def _year_label(t: Table, r: Row) -> str:
    return next((x for x in _row_texts(t, r) if YEAR_LABEL.match(x)), "")


def change_checks(ctx: Ctx, t: Table, k: str) -> None:
    """Per row and ``A比B`` group: 增减额 = A − B and 增减(%) = 增减额 ÷ B × 100; the change
    row under two year rows = later − earlier; a 增减变化情况 group = the second period group
    − the first."""
    _year_change_checks(ctx, t, k)
    _period_change_checks(ctx, t, k)
    sides = list(dict.fromkeys(c.side for c in value_cols(t)))
    for side in sides:
        for cmp in comparisons(t, side):
            for r in t.rows:
                if r.side != side:
                    continue
                if cmp.amount is not None:
                    fb = ctx.fig(t, r, cmp.b, cmp.b.key)
                    minus_b = Fig(fb.table, fb.row, fb.column, fb.text, fb.places, fb.label, -1)
                    sum_check(ctx, f"{k}.change.{row_key(t, r)}.{cmp.amount.key}",
                              f"{title(t)} {row_desc(t, r)}",
                              [ctx.fig(t, r, cmp.amount, cmp.amount.key)],
                              [ctx.fig(t, r, cmp.a, cmp.a.key), minus_b],
                              lhs_label=cmp.amount.key, rhs_label="")
                if cmp.percent is not None:
                    _percent_check(ctx, t, r, k, cmp)
