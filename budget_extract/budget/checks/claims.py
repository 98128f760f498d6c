"""What the prose claims, recomputed: changes and shares from their two numbers, base
years, the 决算 statements (决算数 vs 预算数, 完成率) and the years of headings and 截至
dates; the headline totals against their table cell are :mod:`.claims_tables` (the shared
helpers :mod:`.claims_common`), run from :func:`claim_checks` here.

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
from decimal import Decimal
from typing import Any

from ...model import Check, Table
from ...segment import norm
from ..codes_link import subject_levels
from ..numbers import UNITS, decimals, half_unit, parse_amount
from .claims_common import (
    HUNDRED,
    LEVEL,
    ZERO,
    Out,
    amt,
    in_unit,
    interval,
    judge,
    name_of,
    pct_text,
    quote,
    report_year,
    text_ref,
)
from .claims_tables import against_prior, headline
from .cross import Doc
from .evaluate import number_repeats
from .figures import Ctx

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

# --------------------------------------------------------------------------- changes


def _base_year(out: Out, fig: dict[str, Any], year: int | None) -> None:
    py = fig.get("prior_year")
    if py is None or year is None:
        return
    ok = py < year
    # a comparison not surely about the figure (after a list …) is named by its section
    name = name_of(fig) if fig.get("compared", True) else \
        norm(fig.get("section") or "")[:40] or "text"
    out.add(f"claims.base_year.{name}", "pass" if ok else "fail",
            f"{quote(fig['text'])} (p. {fig.get('page') or '-'}) compares with {py}"
            + ("" if ok else f", which is not before the report year {year}: the base of a "
                             "comparison is an earlier year"),
            str(py), f"< {year}", [text_ref(fig)])


def _direction(out: Out, fig: dict[str, Any]) -> bool:
    """Whether the direction holds (False: a failure was recorded, the change is not
    recomputed)."""
    head = f"{quote(fig['text'])} (p. {fig.get('page') or '-'})"
    for w in fig.get("warnings") or []:
        if w.startswith("change is "):
            out.add(f"claims.direction.{name_of(fig)}", "fail",
                    f"{head}: the amount is said to {fig['change_direction']} but the "
                    f"percentage says the opposite ({w})",
                    fig["change_direction"], w.rsplit(" ", 1)[-1], [text_ref(fig)])
            return False
    amount, change = parse_amount(fig.get("amount")), parse_amount(fig.get("change"))
    if amount is None or change is None or fig.get("change_direction") != "增加":
        return True
    change = in_unit(change, fig)
    slack = half_unit(fig["amount"]) + half_unit(fig["change"])
    if change - amount > slack:
        out.add(f"claims.direction.{name_of(fig)}", "fail",
                f"{head}: an increase of {amt(fig['change'], fig.get('change_unit'))} is more "
                f"than the amount itself ({amt(fig['amount'], fig.get('unit'))}): the prior "
                f"year would be {amount - change}{fig.get('unit')}, below zero — the amount "
                "fell, or a figure is wrong",
                str(change), f"增加 ≤ {fig['amount']}", [text_ref(fig)])
        return False
    return True




def _change(out: Out, fig: dict[str, Any]) -> None:
    amount, change, pct = parse_amount(fig.get("amount")), parse_amount(fig.get("change")), \
        parse_amount(fig.get("change_pct"))
    direction = fig.get("change_direction")
    if amount is None or change is None or pct is None or direction not in ("增加", "减少"):
        return
    change = in_unit(change, fig)
    sign = -1 if direction == "增加" else 1
    ha, hc, hp = half_unit(fig["amount"]), half_unit(fig["change"]), half_unit(fig["change_pct"])
    prior = amount + sign * change
    head = (f"{quote(fig['text'])} (p. {fig.get('page') or '-'}): "
            f"{fig['amount']} {'−' if sign < 0 else '+'} {change} = prior {prior}{fig['unit']}")
    cid = f"claims.change.{name_of(fig)}"
    if prior <= ha + hc:
        # From (about) nothing: a percentage is undefined; 100% is how disclosures print it.
        if pct == HUNDRED and direction == "增加" or pct == ZERO and change == ZERO:
            out.add(cid, "pass", f"{head}; from 0 the change is printed as {fig['change_pct']}% "
                                 "by convention", f"{fig['change_pct']}%", "from 0",
                    [text_ref(fig)])
        return

    def rate(a: Decimal, c: Decimal) -> Decimal | None:
        base = a + sign * c
        return None if base <= 0 else c / base * HUNDRED

    exact = change / prior * HUNDRED
    box = interval(rate, amount, ha, change, hc)
    status = judge(pct, exact, box, hp)
    tail = {"pass": "as printed", "rounding": "within the rounding of the printed figures",
            "fail": "not what the numbers give"}[status]
    out.add(cid, status,
            f"{head}; {fig['change']} ÷ {prior} = {pct_text(exact)}, printed "
            f"{fig['change_pct']}%: {tail}",
            f"{fig['change_pct']}%", pct_text(exact), [text_ref(fig)])


# --------------------------------------------------------------------------- shares

_SHARE_BASE = re.compile(r"占(?P<base>[^\d%]*?)的?(?:比例|比重)?(?:为|是)?" r"[-\d.,]+%")


def _share_base_name(text: str) -> str | None:
    m = _SHARE_BASE.search(text)
    if m is None:
        return None
    b = re.sub(r"^(?:比|比例|比重)$", "", m.group("base")).strip()
    return b or None


def _share(out: Out, fig: dict[str, Any], figures: list[dict[str, Any]]) -> None:
    share, amount = parse_amount(fig.get("share")), parse_amount(fig.get("amount"))
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
            total = sum((parse_amount(g["amount"]) or ZERO for g in run), ZERO)
            places = max(decimals(g["amount"]) for g in run)
            bases.append({"subject": "Σ " + "、".join(g.get("subject") or "" for g in run),
                          "amount": str(total.quantize(Decimal(1).scaleb(-places))),
                          "unit": fig["unit"], "section": fig.get("section"),
                          "text": "", "page": fig.get("page")})
        bases += [g for g in reversed(earlier) if g.get("section") == fig.get("section")
                  and g is not parent and g.get("share") is None]
    if not bases:
        return
    run = _run(fig, figures)
    plugged = len(run) > 1 and sum((parse_amount(g["share"]) or ZERO for g in run), ZERO) == HUNDRED
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
    out.add(f"claims.share.{name_of(fig)}", status,
            f"{quote(fig['text'])} (p. {fig.get('page') or '-'}): {fig['amount']} ÷ "
            f"{g.get('subject') or 'total'} {base}{fig['unit']} = {pct_text(exact)}, printed "
            f"占{fig['share']}%: {tail}",
            f"{fig['share']}%", pct_text(exact), [text_ref(fig), text_ref(g)])


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
    base = parse_amount(g.get("amount"))
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
    box = interval(ratio, amount, ha, base, hb)
    status = judge(share, exact, box, hs)
    if status == "fail" and plugged and box is not None and \
            box[0] - 3 * hs <= share <= box[1] + 3 * hs:
        status = "plugged"  # one last-digit unit moved so the shares add up to 100%
    return status, exact, g, base


# --------------------------------------------------------------------------- 决算 statements


def _statement(out: Out, st: dict[str, Any]) -> None:
    budgets: dict[str, str] = st["budgets"]
    which = st.get("which")
    key = {"年初": "年初", "全年": "全年", "调整": "全年"}.get(which or "")
    if key is None:
        key = next((k for k in ("全年", "年初", "预算") if k in budgets), None)
    if key is None or key not in budgets:
        return
    units = st["budget_units"]
    b, f = parse_amount(budgets[key]), parse_amount(st["final"])
    if b is None or f is None or units[key] not in UNITS or st["final_unit"] not in UNITS:
        return
    f = f * UNITS[st["final_unit"]] / UNITS[units[key]]
    hb = half_unit(budgets[key])
    hf = half_unit(st["final"]) * UNITS[st["final_unit"]] / UNITS[units[key]]
    label = {"年初": "年初预算", "全年": "全年预算", "预算": "预算"}[key]
    chain = LEVEL.findall(norm(st.get("subject") or ""))
    subject = (chain[-1] if chain else norm(st.get("subject") or ""))[:40] or \
        norm(st.get("section") or "")[:40]
    head = (f"{quote(st['text'])} (p. {st.get('page') or '-'}): {label} "
            f"{budgets[key]}{units[key]}, 决算 {st['final']}{st['final_unit']}")
    refs = [{"narrative_section": st.get("section"), "text": st.get("sentence"),
             "page": st.get("page"), "term": "claim"}]
    if st["kind"] == "rate":
        rate = parse_amount(st["rate"])
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
        status = judge(rate, exact, interval(ratio, f, hf, b, hb), half_unit(st["rate"]))
        tail = {"pass": "as printed", "rounding": "within the rounding of the printed figures",
                "fail": "not what the numbers give"}[status]
        out.add(cid, status, f"{head}; {st['final']} ÷ {budgets[key]} = {pct_text(exact)}, "
                             f"printed {st['rate']}%: {tail}",
                f"{st['rate']}%", pct_text(exact), refs)
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


def _dated(out: Out, item: dict[str, Any], year: int | None, phase: str) -> None:
    """A heading's year, or the 截至 date of the 国有资产 statement, against the report's."""
    if year is None:
        return
    y = item["year"]
    head = f"{quote(item['text'])} (p. {item.get('page') or '-'})"
    refs = [{"narrative_section": item.get("section"), "text": item.get("text"),
             "page": item.get("page"), "term": "claim"}]
    if item["kind"] == "heading":
        ok = y == year
        out.add(f"claims.heading_year.{norm(item['text'])[:40]}", "pass" if ok else "fail",
                f"{head} names {y}" + ("" if ok else f", not the report year {year}"),
                str(y), str(year), refs)
        return
    final = phase == "决算"
    ok = y == year if final else year - 1 <= y <= year
    want = f"{year}" if final else f"{year - 1} or {year}"
    why = ("a 决算 states its assets at the end of its own year" if final else
           "a 预算 states its assets at a date before or in its year")
    out.add(f"claims.as_of_year.{norm(item.get('section') or '')[:40] or 'text'}",
            "pass" if ok else "fail",
            f"{head}: 截至{y}年" + ("" if ok else f", but {why} ({want})"),
            str(y), want, refs)


def claim_checks(figures: list[dict[str, Any]], statements: list[dict[str, Any]],
                 tables: list[Table], meta: dict[str, Any],
                 dated: list[dict[str, Any]] = ()) -> list[Check]:  # type: ignore[assignment]
    """The ``claims.*`` checks of a document, figure by figure in reading order, then the
    决算 statements, then the dated headings and statements.  Ids are unique (a repeated
    id gets ``#2``)."""
    ctx = Ctx(meta)
    ctx.levels = subject_levels(tables)
    d = Doc(ctx, tables)
    year = report_year(meta)
    out = Out()
    for fig in figures:
        matched = headline(out, fig, d, year)
        if matched is not None:
            against_prior(out, fig, matched[0], matched[1], year)
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
    return number_repeats(out.checks)
