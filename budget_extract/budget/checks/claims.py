"""What the prose claims, recomputed: headline totals against their table cell, changes and
shares from their two numbers, base years, and the 决算 statements (决算数 vs 预算数,
完成率).

Every check here quotes the sentence and gives its page; a figure is only checked when the
sentence itself gives what the check needs (or names a table cell the tables print), so a
claim the tool cannot read is left alone rather than flagged.  Tolerances follow the printed
digits: an amount printed with two decimals stands for ±0.005 of its unit, a percentage
printed with one decimal for ±0.05 points, and a recomputed percentage carries the rounding
of the amounts it is computed from (the interval over their extremes).

Ids (docs/checks.md, "What the text claims"):

* ``claims.headline.NAME`` — a headline total (收入支出总计, 基本支出, 人员经费, 三公 …)
  against the table cell it names;
* ``claims.change.SUBJECT`` — 比上年增加/减少 N 万元, 增长/下降 P%: P = N ÷ (amount ∓ N);
* ``claims.direction.SUBJECT`` — the direction: 增加 but 下降 P%, or 增加 more than the
  amount itself;
* ``claims.prior_year.NAME`` — 比上年增加/减少 N, 增长/下降 P% against the table's own
  上年 figure for the headline's cell (a 三公 table printing 上年 and 当年);
* ``claims.base_year.SUBJECT`` — the year compared with comes before the report year;
* ``claims.share.SUBJECT`` — 占 P%: the amount ÷ the total it is a part of;
* ``claims.final_vs_budget.SUBJECT`` — 决算数大于/小于/等于预算数 from the two amounts;
* ``claims.completion.SUBJECT`` — 完成预算的 P%: 决算 ÷ 预算, never against a 预算 of 0;
* ``claims.heading_year.HEADING`` — a heading naming one year names the report's;
* ``claims.as_of_year.SECTION`` — the 国有资产 statement's 截至 date: the report year's end
  in a 决算, the previous year's (or a date in the report year) in a 预算.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ...model import Check, Table
from ...segment import norm
from ..claims import half_unit
from ..codes_link import subject_levels
from ..columns import canonical_id
from ..kinds import TableKind as K
from ..numbers import UNITS
from .cross import Doc
from .figures import Ctx, Fig, title, total_row

__all__ = ["CLAIM_IDS", "claim_checks"]

CLAIM_IDS: tuple[str, ...] = (
    "claims.headline.NAME",
    "claims.prior_year.NAME",
    "claims.base_year.SUBJECT",
    "claims.direction.SUBJECT",
    "claims.change.SUBJECT",
    "claims.share.SUBJECT",
    "claims.final_vs_budget.SUBJECT",
    "claims.completion.SUBJECT",
    "claims.heading_year.HEADING",
    "claims.as_of_year.SECTION",
)
"""The documented ids, in the order a figure (then a 决算 statement) gets its checks."""

ZERO = Decimal(0)
HUNDRED = Decimal(100)
_Status = str


# --------------------------------------------------------------------------- helpers


def _dec(text: str | None) -> Decimal | None:
    if text is None or text == "":
        return None
    try:
        return Decimal(str(text).replace(",", ""))
    except ArithmeticError:  # pragma: no cover - parse_figures gives plain numbers
        return None


def _places(printed: str) -> int:
    t = printed.replace(",", "")
    return len(t.split(".")[1]) if "." in t else 0


def _pct(d: Decimal) -> str:
    return f"{d.quantize(Decimal('0.01'))}%"


def _amt(text: str | None, unit: str | None) -> str:
    return f"{text}{unit or ''}"


def _quote(text: str, limit: int = 120) -> str:
    t = text.strip()
    return f"“{t if len(t) <= limit else t[:limit] + '…'}”"


_LEVEL = re.compile(r"([^（）()]+)[（(][项款类][）)]")
_ITEM = re.compile(r"([^（）()、.．\d]+)[（(]项[）)]")


def _name(fig: dict[str, Any]) -> str:
    """A figure's name in check ids: its subject, else the 项 its sentence names, else its
    section's heading."""
    names = fig.get("code_names")
    subject = norm(names[-1] if names else fig.get("subject") or "")
    if len(subject) < 2 or subject in ("预算数", "预算"):
        items = _ITEM.findall(fig.get("text") or "")
        subject = norm(items[-1]) if items else norm(fig.get("section") or "") or "text"
    return subject[:40]


def _text_ref(item: dict[str, Any]) -> dict[str, Any]:
    return {"narrative_section": item.get("section"), "text": item.get("text"),
            "page": item.get("page"), "term": "claim"}


def _interval(f: Callable[[Decimal, Decimal], Decimal | None],
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


def _judge(printed: Decimal, exact: Decimal, box: tuple[Decimal, Decimal] | None,
           half: Decimal) -> _Status:
    """pass: the printed value is the exact one rounded; rounding: the inputs' rounding can
    explain it; fail otherwise."""
    if abs(printed - exact) <= half:
        return "pass"
    if box is not None and box[0] - half <= printed <= box[1] + half:
        return "rounding"
    return "fail"


class _Out:
    def __init__(self) -> None:
        self.checks: list[Check] = []

    def add(self, cid: str, status: _Status, message: str, expected: str | None,
            actual: str | None, refs: list[dict[str, Any]]) -> None:
        self.checks.append(Check(id=cid, status=status, message=message,  # type: ignore[arg-type]
                                 expected=expected, actual=actual, refs=refs))


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
        year = _year(d.ctx.meta)
        cols = [c for c in t.columns if c.role == "value" and _period(c.path, year) == "current"]
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


_CHANGE_LEVEL = re.compile(r"增减|变化|变动|比上年|比\d{4}年")


def _year(meta: dict[str, Any]) -> int | None:
    y = str(meta.get("year") or "")
    return int(y) if y.isdigit() else None


def _period_of(level: str, year: int | None) -> str:
    """``prior`` for a header level naming last year (上年, 2025年执行数 in a 2026
    budget), ``current`` for this year's (当年, 2026年预算数), else ``""``."""
    lv = re.sub(r"\s", "", level)
    if re.fullmatch(r"上年度?(?:预算数?|执行数?|预算执行数)?", lv):
        return "prior"
    if re.fullmatch(r"(?:当年|本年度?)(?:预算数?)?", lv):
        return "current"
    m = re.fullmatch(r"(\d{4})年度?(?:年初)?(?:预算数?|执行数|预算执行数)?", lv)
    if m and year is not None:
        return {year - 1: "prior", year: "current"}.get(int(m.group(1)), "other")
    return ""


def _period(path: tuple[str, ...], year: int | None) -> str:
    """A column's period: ``change`` (增减 columns), ``prior``, ``other`` (a year neither
    this nor last), else ``current``."""
    if any(_CHANGE_LEVEL.search(p) for p in path):
        return "change"
    for level in path:
        p = _period_of(level, year)
        if p in ("prior", "other"):
            return p
    return "current"


def _prior_column(f: Fig, year: int | None) -> Fig | None:
    """The same figure's 上年 cell: a column of f's table and row whose header differs from
    f's only by its period level (上年 for 当年, 2025年 for 2026年)."""
    if f.column is None or f.row is None:
        return None

    def rest(path: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(re.sub(r"\s", "", p) for p in path if not _period_of(p, year))

    want = rest(f.column.path)
    for c in f.table.columns:
        if c.role == "value" and c is not f.column and _period(c.path, year) == "prior" \
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


def _headline(out: _Out, fig: dict[str, Any], d: Doc, year: int | None
              ) -> tuple[str, Fig] | None:
    """The headline check; returns the headline's name and the table cell the figure
    agrees with (None if none)."""
    amount, unit = _dec(fig.get("amount")), fig.get("unit")
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
            f"{_quote(fig['text'])} (p. {fig.get('page') or '-'}) states {name} "
            f"{_amt(fig['amount'], unit)}; {where_text} {verb} {f.shown()}{f.unit}{also}",
            _amt(fig["amount"], unit), f"{f.shown()}{f.unit}",
            [_text_ref(fig), f.ref("actual")])
    return (name, f) if rank < 2 else None


def _against_prior(out: _Out, fig: dict[str, Any], name: str, f: Fig,
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
    a = _dec(fig["amount"])
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
    change = _dec(fig.get("change"))
    if change is not None and direction != "持平":
        change = _in_unit(change, fig)
        gap = abs(abs(diff) - change)
        if gap > slack + half_unit(fig["change"]):
            problems.append(f"the difference is {abs(diff)}, not {change}")
        elif gap:
            rounding = True
    pct = _dec(fig.get("change_pct"))
    if pct is not None and b > hb:
        def rate(x: Decimal, y: Decimal) -> Decimal | None:
            return None if y <= 0 else abs(x - y) / y * HUNDRED

        exact = abs(diff) / b * HUNDRED
        status = _judge(pct, exact, _interval(rate, a, ha, b, hb), half_unit(fig["change_pct"]))
        if status == "fail":
            problems.append(f"the percentage is {_pct(exact)}, not {fig['change_pct']}%")
        elif status == "rounding":
            rounding = True
    status = "fail" if problems else ("rounding" if rounding else "pass")
    q = Decimal(1).scaleb(-_places(fig["amount"]))
    out.add(f"claims.prior_year.{name}", status,
            f"{_quote(fig['text'])} (p. {fig.get('page') or '-'}): {fig['amount']}{unit} against "
            f"{title(p.table)} {p.row.label if p.row else ''}/{p.column.key if p.column else ''} "
            f"{p.shown()}{p.unit} (上年): {a} − {b.quantize(q)} = {diff.quantize(q)}{unit}"
            + (f"; {'; '.join(problems)}" if problems else
               ", as the text says" + (" (within rounding)" if rounding else "")),
            direction, truth, [_text_ref(fig), p.ref("actual")])


# --------------------------------------------------------------------------- changes


def _base_year(out: _Out, fig: dict[str, Any], year: int | None) -> None:
    py = fig.get("prior_year")
    if py is None or year is None:
        return
    ok = py < year
    # a comparison not surely about the figure (after a list …) is named by its section
    name = _name(fig) if fig.get("compared", True) else \
        norm(fig.get("section") or "")[:40] or "text"
    out.add(f"claims.base_year.{name}", "pass" if ok else "fail",
            f"{_quote(fig['text'])} (p. {fig.get('page') or '-'}) compares with {py}"
            + ("" if ok else f", which is not before the report year {year}: the base of a "
                             "comparison is an earlier year"),
            f"< {year}", str(py), [_text_ref(fig)])


def _direction(out: _Out, fig: dict[str, Any]) -> bool:
    """Whether the direction holds (False: a failure was recorded, the change is not
    recomputed)."""
    head = f"{_quote(fig['text'])} (p. {fig.get('page') or '-'})"
    for w in fig.get("warnings") or []:
        if w.startswith("change is "):
            out.add(f"claims.direction.{_name(fig)}", "fail",
                    f"{head}: the amount is said to {fig['change_direction']} but the "
                    f"percentage says the opposite ({w})",
                    fig["change_direction"], w.rsplit(" ", 1)[-1], [_text_ref(fig)])
            return False
    amount, change = _dec(fig.get("amount")), _dec(fig.get("change"))
    if amount is None or change is None or fig.get("change_direction") != "增加":
        return True
    change = _in_unit(change, fig)
    slack = half_unit(fig["amount"]) + half_unit(fig["change"])
    if change - amount > slack:
        out.add(f"claims.direction.{_name(fig)}", "fail",
                f"{head}: an increase of {_amt(fig['change'], fig.get('change_unit'))} is more "
                f"than the amount itself ({_amt(fig['amount'], fig.get('unit'))}): the prior "
                f"year would be {amount - change}{fig.get('unit')}, below zero — the amount "
                "fell, or a figure is wrong",
                f"增加 ≤ {fig['amount']}", str(change), [_text_ref(fig)])
        return False
    return True


def _in_unit(change: Decimal, fig: dict[str, Any]) -> Decimal:
    cu, u = fig.get("change_unit") or fig.get("unit"), fig.get("unit")
    if cu in UNITS and u in UNITS and cu != u:
        return change * UNITS[cu] / UNITS[u]
    return change


def _change(out: _Out, fig: dict[str, Any]) -> None:
    amount, change, pct = _dec(fig.get("amount")), _dec(fig.get("change")), \
        _dec(fig.get("change_pct"))
    direction = fig.get("change_direction")
    if amount is None or change is None or pct is None or direction not in ("增加", "减少"):
        return
    change = _in_unit(change, fig)
    sign = -1 if direction == "增加" else 1
    ha, hc, hp = half_unit(fig["amount"]), half_unit(fig["change"]), half_unit(fig["change_pct"])
    prior = amount + sign * change
    head = (f"{_quote(fig['text'])} (p. {fig.get('page') or '-'}): "
            f"{fig['amount']} {'−' if sign < 0 else '+'} {change} = prior {prior}{fig['unit']}")
    cid = f"claims.change.{_name(fig)}"
    if prior <= ha + hc:
        # From (about) nothing: a percentage is undefined; 100% is how disclosures print it.
        if pct == HUNDRED and direction == "增加" or pct == ZERO and change == ZERO:
            out.add(cid, "pass", f"{head}; from 0 the change is printed as {fig['change_pct']}% "
                                 "by convention", f"{fig['change_pct']}%", "from 0",
                    [_text_ref(fig)])
        return

    def rate(a: Decimal, c: Decimal) -> Decimal | None:
        base = a + sign * c
        return None if base <= 0 else c / base * HUNDRED

    exact = change / prior * HUNDRED
    box = _interval(rate, amount, ha, change, hc)
    status = _judge(pct, exact, box, hp)
    tail = {"pass": "as printed", "rounding": "within the rounding of the printed figures",
            "fail": "not what the numbers give"}[status]
    out.add(cid, status,
            f"{head}; {fig['change']} ÷ {prior} = {_pct(exact)}, printed "
            f"{fig['change_pct']}%: {tail}",
            f"{fig['change_pct']}%", _pct(exact), [_text_ref(fig)])


# --------------------------------------------------------------------------- shares

_SHARE_BASE = re.compile(r"占(?P<base>[^\d%]*?)的?(?:比例|比重)?(?:为|是)?" r"[-\d.,]+%")


def _share_base_name(text: str) -> str | None:
    m = _SHARE_BASE.search(text)
    if m is None:
        return None
    b = re.sub(r"^(?:比|比例|比重)$", "", m.group("base")).strip()
    return b or None


def _share(out: _Out, fig: dict[str, Any], figures: list[dict[str, Any]]) -> None:
    share, amount = _dec(fig.get("share")), _dec(fig.get("amount"))
    if share is None or amount is None or fig.get("unit") not in UNITS:
        return
    named = _share_base_name(fig.get("text") or "")
    earlier = [g for g in figures[:fig["order"]]
               if g.get("amount") is not None and g.get("unit") in UNITS]
    if named:
        key = norm(named)
        bases = [g for g in reversed(earlier) if norm(g.get("subject") or "") == key]
        bases = bases[:1]
    else:
        # the total a list of shares divides: the nearest earlier figure without a share
        # (``支出预算361.68万元…其中，基本支出112.58万元，占31.13%；项目支出…``), else the sum
        # of the run of shared figures, else another figure of the same section
        parent = next((g for g in reversed(earlier) if g.get("share") is None), None)
        bases = [parent] if parent is not None else []
        run = _run(fig, figures)
        if len(run) > 1 and all(g.get("unit") == fig.get("unit") for g in run):
            total = sum((_dec(g["amount"]) or ZERO for g in run), ZERO)
            places = max(len((g["amount"] or "").split(".")[1]) if "." in g["amount"] else 0
                         for g in run)
            bases.append({"subject": "Σ " + "、".join(g.get("subject") or "" for g in run),
                          "amount": str(total.quantize(Decimal(1).scaleb(-places))),
                          "unit": fig["unit"], "section": fig.get("section"),
                          "text": "", "page": fig.get("page")})
        bases += [g for g in reversed(earlier) if g.get("section") == fig.get("section")
                  and g is not parent and g.get("share") is None]
    if not bases:
        return
    run = _run(fig, figures)
    plugged = len(run) > 1 and sum((_dec(g["share"]) or ZERO for g in run), ZERO) == HUNDRED
    results = []
    for g in bases:
        r = _share_against(fig, amount, share, g, plugged)
        if r is not None:
            results.append(r)
            if r[0] != "fail":
                break
    if not results:
        return
    ok = [r for r in results if r[0] != "fail"]
    status, exact, g, base = ok[0] if ok else results[0]
    tail = {"pass": "as printed", "rounding": "within the rounding of the printed figures",
            "plugged": "one unit of the last digit off, as when a list's shares are made to "
                       "add up to exactly 100%",
            "fail": "not what the numbers give"}[status]
    status = "rounding" if status == "plugged" else status
    out.add(f"claims.share.{_name(fig)}", status,
            f"{_quote(fig['text'])} (p. {fig.get('page') or '-'}): {fig['amount']} ÷ "
            f"{g.get('subject') or 'total'} {base}{fig['unit']} = {_pct(exact)}, printed "
            f"占{fig['share']}%: {tail}",
            f"{fig['share']}%", _pct(exact), [_text_ref(fig), _text_ref(g)])


def _run(fig: dict[str, Any], figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The consecutive figures of fig's section that state a share, fig among them."""
    i = fig["order"]
    lo = i
    while lo > 0 and figures[lo - 1].get("share") is not None and \
            figures[lo - 1].get("section") == fig.get("section"):
        lo -= 1
    hi = i
    while hi + 1 < len(figures) and figures[hi + 1].get("share") is not None and \
            figures[hi + 1].get("section") == fig.get("section"):
        hi += 1
    return [g for g in figures[lo:hi + 1] if g.get("amount") is not None]


def _share_against(fig: dict[str, Any], amount: Decimal, share: Decimal,
                   g: dict[str, Any], plugged: bool
                   ) -> tuple[str, Decimal, dict[str, Any], Decimal] | None:
    """The share recomputed against base figure ``g``; None when g cannot be its base.
    ``plugged``: the run's printed shares add up to exactly 100, so one of them may have
    been moved by a unit of its last digit to make them do so."""
    base = _dec(g.get("amount"))
    if base is None or base <= 0:
        return None
    base = base * UNITS[g["unit"]] / UNITS[fig["unit"]]
    ha = half_unit(fig["amount"])
    hb = half_unit(g["amount"]) * UNITS[g["unit"]] / UNITS[fig["unit"]]
    if amount - ha > base + hb:
        return None  # a part larger than the whole: not its base

    def ratio(a: Decimal, b: Decimal) -> Decimal | None:
        return None if b <= 0 else a / b * HUNDRED

    exact = amount / base * HUNDRED
    hs = half_unit(fig["share"])
    box = _interval(ratio, amount, ha, base, hb)
    status = _judge(share, exact, box, hs)
    if status == "fail" and plugged and box is not None and \
            box[0] - 3 * hs <= share <= box[1] + 3 * hs:
        status = "plugged"  # one last-digit unit moved so the shares add up to 100%
    return status, exact, g, base


# --------------------------------------------------------------------------- 决算 statements


def _statement(out: _Out, st: dict[str, Any]) -> None:
    budgets: dict[str, str] = st["budgets"]
    which = st.get("which")
    key = {"年初": "年初", "全年": "全年", "调整": "全年"}.get(which or "")
    if key is None:
        key = next((k for k in ("全年", "年初", "预算") if k in budgets), None)
    if key is None or key not in budgets:
        return
    units = st["budget_units"]
    b, f = _dec(budgets[key]), _dec(st["final"])
    if b is None or f is None or units[key] not in UNITS or st["final_unit"] not in UNITS:
        return
    f = f * UNITS[st["final_unit"]] / UNITS[units[key]]
    hb = half_unit(budgets[key])
    hf = half_unit(st["final"]) * UNITS[st["final_unit"]] / UNITS[units[key]]
    label = {"年初": "年初预算", "全年": "全年预算", "预算": "预算"}[key]
    chain = _LEVEL.findall(norm(st.get("subject") or ""))
    subject = (chain[-1] if chain else norm(st.get("subject") or ""))[:40] or \
        norm(st.get("section") or "")[:40]
    head = (f"{_quote(st['text'])} (p. {st.get('page') or '-'}): {label} "
            f"{budgets[key]}{units[key]}, 决算 {st['final']}{st['final_unit']}")
    refs = [{"narrative_section": st.get("section"), "text": st.get("sentence"),
             "page": st.get("page"), "term": "claim"}]
    if st["kind"] == "rate":
        rate = _dec(st["rate"])
        assert rate is not None
        cid = f"claims.completion.{subject}"
        if b == 0:
            out.add(cid, "fail",
                    f"{head}; 完成{label}的{st['rate']}% is a rate against a {label} of 0, "
                    "which no rate can be (the rate is of another 预算, or the 预算 is wrong)",
                    f"{st['rate']}%", "undefined (预算 0)", refs)
            return

        def ratio(x: Decimal, y: Decimal) -> Decimal | None:
            return None if y <= 0 else x / y * HUNDRED

        exact = f / b * HUNDRED
        status = _judge(rate, exact, _interval(ratio, f, hf, b, hb), half_unit(st["rate"]))
        tail = {"pass": "as printed", "rounding": "within the rounding of the printed figures",
                "fail": "not what the numbers give"}[status]
        out.add(cid, status, f"{head}; {st['final']} ÷ {budgets[key]} = {_pct(exact)}, "
                             f"printed {st['rate']}%: {tail}",
                f"{st['rate']}%", _pct(exact), refs)
        return
    rel = st["relation"]
    close = abs(f - b) <= hb + hf
    truth = "=" if f == b else (">" if f > b else "<")
    if rel == truth:
        status = "pass"
    elif close:
        status = "rounding"
    else:
        status = "fail"
    said = {">": "大于", "<": "小于", "=": "等于"}
    word = st.get("word") or said[rel]
    claim = f"决算数与{label}数{word}" if rel == "=" and word != "等于" else \
        f"决算数{word}{label}数"
    out.add(f"claims.final_vs_budget.{subject}", status,
            f"{head}; the text says {claim}, the numbers say 决算数{said[truth]}{label}数"
            + ("" if status != "rounding" else " (within the rounding of the printed figures)"),
            said[rel], said[truth], refs)


# --------------------------------------------------------------------------- entry


def _dated(out: _Out, item: dict[str, Any], year: int | None, phase: str) -> None:
    """A heading's year, or the 截至 date of the 国有资产 statement, against the report's."""
    if year is None:
        return
    y = item["year"]
    head = f"{_quote(item['text'])} (p. {item.get('page') or '-'})"
    refs = [{"narrative_section": item.get("section"), "text": item.get("text"),
             "page": item.get("page"), "term": "claim"}]
    if item["kind"] == "heading":
        ok = y == year
        out.add(f"claims.heading_year.{norm(item['text'])[:40]}", "pass" if ok else "fail",
                f"{head} names {y}" + ("" if ok else f", not the report year {year}"),
                str(year), str(y), refs)
        return
    final = phase == "决算"
    ok = y == year if final else year - 1 <= y <= year
    want = f"{year}" if final else f"{year - 1} or {year}"
    why = ("a 决算 states its assets at the end of its own year" if final else
           "a 预算 states its assets at a date before or in its year")
    out.add(f"claims.as_of_year.{norm(item.get('section') or '')[:40] or 'text'}",
            "pass" if ok else "fail",
            f"{head}: 截至{y}年" + ("" if ok else f", but {why} ({want})"),
            want, str(y), refs)


def claim_checks(figures: list[dict[str, Any]], statements: list[dict[str, Any]],
                 tables: list[Table], meta: dict[str, Any],
                 dated: list[dict[str, Any]] = ()) -> list[Check]:  # type: ignore[assignment]
    """The ``claims.*`` checks of a document, figure by figure in reading order, then the
    决算 statements, then the dated headings and statements.  Ids are unique (a repeated
    id gets ``#2``)."""
    ctx = Ctx(meta)
    ctx.levels = subject_levels(tables)
    d = Doc(ctx, tables)
    year = _year(meta)
    out = _Out()
    for fig in figures:
        matched = _headline(out, fig, d, year)
        if matched is not None:
            _against_prior(out, fig, matched[0], matched[1], year)
        if fig.get("change_direction") is not None or fig.get("change_pct") is not None:
            _base_year(out, fig, year)
            if fig.get("compared", True) and _direction(out, fig):
                _change(out, fig)
        _share(out, fig, figures)
    for st in statements:
        _statement(out, st)
    phase = str(meta.get("budget_phase") or "")
    for item in dated:
        _dated(out, item, year, phase)
    seen: dict[str, int] = {}
    for c in out.checks:
        n = seen.get(c.id, 0) + 1
        seen[c.id] = n
        if n > 1:
            c.id = f"{c.id}#{n}"
    return out.checks
