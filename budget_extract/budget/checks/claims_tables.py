"""What the text claims against the tables: a headline total (收入支出总计, 基本支出,
人员经费, 三公 and its items …) against the cell it names, and its 比上年 change against the
table's own 上年 figure.

A headline's cells are looked up by table kind and canonical column (or, in a 三公 table
listing its items as rows, by row label); the figure agrees when any of them prints it
within the rounding of both.  Only this year's columns are compared (not 上年, 增减 or
another year's); the 上年 column of the same header is what the change is checked against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ...model import Table
from ..columns import canonical_id
from ..kinds import TableKind as K
from ..numbers import UNITS, decimals, half_unit, parse_amount
from .claims_common import (
    HUNDRED,
    Out,
    amt,
    in_unit,
    interval,
    judge,
    pct_text,
    quote,
    report_year,
    text_ref,
)
from .cross import Doc
from .figures import Fig, title, total_row
from .periods import period, period_of

__all__ = ["HEADLINES", "against_prior", "headline", "headline_of"]


# --------------------------------------------------------------------------- headlines


@dataclass(frozen=True)
class _Cells:
    """Where a headline figure is printed: the 合计 row's columns of canonical ``ids`` in a
    table of ``kind``, or (``side`` "income"/"expenditure") the 总计 or 本年 line of a
    side-by-side table's half."""

    kind: K
    ids: tuple[str, ...] = ()
    side: str = ""
    line: str = "total"  # total | current
    row: str = ""  # a row label pattern: the figure is that row's 合计 (items as rows)

    def find(self, d: Doc) -> list[Fig]:
        if self.side:
            s = d.side(self.kind, self.side == "income")
            if s is None or not s.cols:
                return []
            r = s.total if self.line == "total" else (s.subtotal or None)
            return [d.ctx.fig(s.table, r, s.cols[0], s.cols[0].key)] if r is not None else []
        t = d.get(self.kind)
        if t is None:
            return []
        year = report_year(d.ctx.meta)
        cols = [c for c in t.columns if c.role == "value" and period(c.path, year) == "current"]
        if self.row:
            pat = re.compile(rf"^(?:{self.row})$")
            rows = [r for r in t.rows if pat.match(_row_name(r.label))]
            total = [c for c in cols if canonical_id(t.kind, c.path) == "total"] or cols[:1]
            return [d.ctx.fig(t, r, c, c.key) for r in rows for c in total]
        r = total_row(t) or _own_row(d, t)
        if r is None:
            return []
        return [d.ctx.fig(t, r, c, c.key) for c in cols if canonical_id(t.kind, c.path) in self.ids]


_ROW_PREFIX = re.compile(r"^(?:其中[:：])?(?:[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]"
                         r"|[一二三四五六七八九十]+、)?")


def _row_name(label: str) -> str:
    return _ROW_PREFIX.sub("", _CLEAN.sub("", label or ""))


def _own_row(d: Doc, t: Table) -> Any:
    """A table without a 合计 row: its only row, or the publishing unit's own line; never
    just the first of several (that is one item, not the total)."""
    if len(t.rows) == 1:
        return t.rows[0]
    unit = _CLEAN.sub("", str(d.ctx.meta.get("unit_name") or ""))
    return next((r for r in t.rows if unit and _CLEAN.sub("", r.label) == unit), None)


def _prior_column(f: Fig, year: int | None) -> Fig | None:
    """The same figure's 上年 cell: a column of f's table and row whose header differs from
    f's only by its period level (上年 for 当年, 2025年 for 2026年)."""
    if f.column is None or f.row is None:
        return None

    def rest(path: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(re.sub(r"\s", "", p) for p in path if not period_of(p, year))

    want = rest(f.column.path)
    for c in f.table.columns:
        if c.role == "value" and c is not f.column and period(c.path, year) == "prior" \
                and rest(c.path) == want:
            fig = Fig(f.table, f.row, c, f.row.cells[c.key].text if c.key in f.row.cells
                      else "", f.places, c.key)
            return fig if fig.amount is not None else None
    return None


_IES, _FGS, _INC, _ES = (K.INCOME_EXPENDITURE_SUMMARY, K.FISCAL_GRANT_SUMMARY,
                         K.INCOME_SUMMARY, K.EXPENDITURE_SUMMARY)
_GBE, _GBBE, _TP = (K.GENERAL_BUDGET_EXPENDITURE, K.GENERAL_BUDGET_BASIC_EXPENDITURE,
                    K.THREE_PUBLIC_EXPENDITURE)
_OWNER = r"(?:部门|单位|本部门|本单位)?"
# 三公 and 机关运行经费 are 一般公共预算 (财政拨款) money by definition: ``本部门当年一般公共
# 预算“三公”经费预算支出`` names the same figure as ``“三公”经费预算``.
_WIDE = _OWNER + r"(?:当年|本年度?)?(?:一般公共预算|财政拨款)?(?:拨款)?(?:安排的?)?"
_FUNDED = {"三公经费", "因公出国（境）费", "公务用车购置及运行费", "公务用车购置费",
           "公务用车运行费", "公务接待费", "机关运行经费"}
_SUFFIX = r"(?:预算数?|预算安排|安排|财政拨款预算|预算支出|支出预算|决算数?|支出决算)?"

# (name, subject pattern, where printed): a subject names a headline when the whole cleaned
# subject matches; the figure passes when any of the cells agrees.
HEADLINES: tuple[tuple[str, re.Pattern[str], tuple[_Cells, ...]], ...] = tuple(
    (name, re.compile(rf"^{_WIDE if name in _FUNDED else _OWNER}(?:{pat}){_SUFFIX}$"), cells)
    for name, pat, cells in (
        ("收入支出总计", r"收入支出总计|收支总计|收支总预算|收支预算总计|收支预算总额"
                         r"|收入、?支出预算总计|收入支出预算总计",
         (_Cells(_IES, side="income"), _Cells(_IES, side="expenditure"))),
        ("财政拨款收入支出总计", r"财政拨款收入支出总计|财政拨款收支总计|财政拨款收支总预算"
                                 r"|财政拨款收支预算总计|财政拨款收支",
         (_Cells(_FGS, side="income"), _Cells(_FGS, side="expenditure"))),
        ("收入", r"收入预算|收入预算总计|收入总计|本年收入合计|收入合计",
         (_Cells(_INC, ("total",)), _Cells(_IES, side="income"),
          _Cells(_IES, side="income", line="current"))),
        ("支出", r"支出预算|支出预算总计|支出总计|本年支出合计|支出合计",
         (_Cells(_ES, ("total",)), _Cells(_IES, side="expenditure"),
          _Cells(_IES, side="expenditure", line="current"))),
        ("一般公共预算支出", r"一般公共预算(?:财政)?(?:拨款)?支出",
         (_Cells(_GBE, ("total",)),)),
        ("基本支出", r"(?:一般公共预算|财政拨款)(?:财政)?(?:拨款)?基本支出",
         (_Cells(_GBBE, ("total",)), _Cells(_GBE, ("basic",)), _Cells(_ES, ("basic",)),
          _Cells(K.BASIC_EXPENDITURE, ("total",)))),
        ("基本支出", r"基本支出",
         (_Cells(_ES, ("basic",)), _Cells(_GBE, ("basic",)), _Cells(_GBBE, ("total",)),
          _Cells(K.BASIC_EXPENDITURE, ("total",)))),
        ("人员经费", r"人员经费(?:支出)?",
         (_Cells(_GBBE, ("basic_personnel",)), _Cells(_GBE, ("basic_personnel",)))),
        ("公用经费", r"公用经费(?:支出)?",
         (_Cells(_GBBE, ("basic_public",)), _Cells(_GBE, ("basic_public",)))),
        ("三公经费", r"(?:财政拨款)?三公经费(?:财政拨款)?(?:支出)?",
         (_Cells(_TP, ("total",)), _Cells(_TP, row=r"三公经费(?:合计|支出)?"))),
        ("因公出国（境）费", r"因公出国[（(]境[）)](?:费用?|经费)(?:支出)?",
         (_Cells(_TP, ("outbound_travel",)),
          _Cells(_TP, row=r"因公出国[（(]境[）)](?:费用?|经费|支出)"))),
        ("公务用车购置及运行费", r"公务用车购置及运行(?:维护)?费(?:支出)?",
         (_Cells(_TP, ("vehicle",)),
          _Cells(_TP, row=r"公务用车购置及运行(?:维护)?(?:费|支出)"))),
        ("公务用车购置费", r"公务用车购置(?:费|支出)?",
         (_Cells(_TP, ("vehicle_purchase",)), _Cells(_TP, row=r"公务用车购置(?:费|支出)"))),
        ("公务用车运行费", r"公务用车运行(?:维护)?费(?:支出)?",
         (_Cells(_TP, ("vehicle_operation",)),
          _Cells(_TP, row=r"公务用车运行(?:维护)?(?:费|支出)"))),
        ("公务接待费", r"公务接待费(?:支出)?",
         (_Cells(_TP, ("official_reception",)), _Cells(_TP, row=r"公务接待(?:费|支出)+"))),
        ("机关运行经费", r"(?:一般公共预算|财政拨款)?机关运行经费(?:财政拨款)?(?:支出)?",
         (_Cells(K.OPERATING_EXPENDITURE, ("total", "admin_operating")),
          _Cells(_TP, row=r"(?:行政经费|机关运行经费)(?:[（(]机关运行经费[）)])?"))),
        ("政府采购", r"政府采购(?:支出)?",
         (_Cells(K.PROCUREMENT_EXPENDITURE, ("total",)),)),
    ))
_CLEAN = re.compile(r"[“”\"'‘’\s]")


def headline_of(subject: str) -> tuple[str, tuple[_Cells, ...]] | None:
    """The headline a figure's subject names, and where the tables print it."""
    s = _CLEAN.sub("", subject or "")
    for name, pat, cells in HEADLINES:
        if pat.match(s):
            return name, cells
    return None


def headline(out: Out, fig: dict[str, Any], d: Doc, year: int | None
              ) -> tuple[str, Fig] | None:
    """The headline check; returns the headline's name and the table cell the figure
    agrees with (None if none)."""
    amount, unit = parse_amount(fig.get("amount")), fig.get("unit")
    if amount is None or unit not in UNITS:
        return None
    if fig.get("year") is not None and year is not None and fig["year"] != year:
        return None  # a figure of another year (2025年预算…)
    found = headline_of(fig.get("subject") or "")
    if found is None:
        return None
    name, where = found
    cells = [f for c in where for f in c.find(d) if f.amount is not None]
    if not cells:
        return None
    yuan = amount * UNITS[unit]
    tol_text = half_unit(fig["amount"]) * UNITS[unit]
    best: tuple[int, Fig] | None = None
    for f in cells:
        diff = abs(f.amount * UNITS.get(f.unit, 1) - yuan)  # type: ignore[operator]
        rank = 0 if diff == 0 else 1 if diff <= tol_text + f.tolerance * UNITS.get(
            f.unit, 1) else 2
        if best is None or rank < best[0]:
            best = (rank, f)
    assert best is not None
    rank, f = best
    status = ("pass", "rounding", "fail")[rank]
    if rank == 2:
        f = cells[0]
    where_text = (f"{title(f.table)} {f.row.label if f.row else ''}/"
                  f"{f.column.key if f.column else ''}")
    verb = "prints" if rank < 2 else "prints, not the text's figure:"
    also = "" if len(cells) == 1 or rank < 2 else \
        f" (nor any of {', '.join(c.shown() + c.unit for c in cells[1:])})"
    out.add(f"claims.headline.{name}", status,
            f"{quote(fig['text'])} (p. {fig.get('page') or '-'}) states {name} "
            f"{amt(fig['amount'], unit)}; {where_text} {verb} {f.shown()}{f.unit}{also}",
            amt(fig["amount"], unit), f"{f.shown()}{f.unit}",
            [text_ref(fig), f.ref("actual")])
    return (name, f) if rank < 2 else None


def against_prior(out: Out, fig: dict[str, Any], name: str, f: Fig,
                   year: int | None) -> None:
    """比上年增加/减少 N, 增长/下降 P% against the table's own 上年 figure: the direction,
    the difference and the percentage, each from the text's amount and that figure."""
    direction = fig.get("change_direction")
    if direction not in ("增加", "减少", "持平") or not fig.get("compared", True):
        return
    p = _prior_column(f, year)
    if p is None or p.amount is None:
        return
    unit = fig["unit"]
    scale = Decimal(UNITS.get(p.unit, 1)) / UNITS[unit]
    a = parse_amount(fig["amount"])
    assert a is not None
    b = p.amount * scale
    ha, hb = half_unit(fig["amount"]), p.tolerance * scale
    diff = a - b
    slack = ha + hb
    truth = "持平" if abs(diff) <= slack and direction == "持平" or diff == 0 else \
        ("增加" if diff > 0 else "减少")
    problems: list[str] = []
    rounding = False
    if truth != direction:
        if abs(diff) <= slack:
            rounding = True
        else:
            problems.append(f"the text says {direction}, the table's 上年 figure says {truth}")
    change = parse_amount(fig.get("change"))
    if change is not None and direction != "持平":
        change = in_unit(change, fig)
        gap = abs(abs(diff) - change)
        if gap > slack + half_unit(fig["change"]):
            problems.append(f"the difference is {abs(diff)}, not {change}")
        elif gap:
            rounding = True
    pct = parse_amount(fig.get("change_pct"))
    if pct is not None and b > hb:
        def rate(x: Decimal, y: Decimal) -> Decimal | None:
            return None if y <= 0 else abs(x - y) / y * HUNDRED

        exact = abs(diff) / b * HUNDRED
        status = judge(pct, exact, interval(rate, a, ha, b, hb), half_unit(fig["change_pct"]))
        if status == "fail":
            problems.append(f"the percentage is {pct_text(exact)}, not {fig['change_pct']}%")
        elif status == "rounding":
            rounding = True
    status = "fail" if problems else ("rounding" if rounding else "pass")
    q = Decimal(1).scaleb(-decimals(fig["amount"]))
    out.add(f"claims.prior_year.{name}", status,
            f"{quote(fig['text'])} (p. {fig.get('page') or '-'}): {fig['amount']}{unit} against "
            f"{title(p.table)} {p.row.label if p.row else ''}/{p.column.key if p.column else ''} "
            f"{p.shown()}{p.unit} (上年): {a} − {b.quantize(q)} = {diff.quantize(q)}{unit}"
            + (f"; {'; '.join(problems)}" if problems else
               ", as the text says" + (" (within rounding)" if rounding else "")),
            direction, truth, [text_ref(fig), p.ref("actual")])

