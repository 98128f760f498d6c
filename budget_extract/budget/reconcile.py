"""Narrative figures: reconcile each amount the 情况说明 states with the tables (the
figures are read once per document, :func:`~budget_extract.budget.prose.read_prose`).

The explanation repeats the tables' key figures in prose (``基本支出112.58万元，占31.13%``,
``教育（类）进修及培训（款）其他进修及培训（项）2026年预算1.71万元``).  A figure whose
subject names a table row (or a column of a table's 合计 row) is checked against that cell:
``pass`` when equal, ``rounding`` when the difference is within what the printed digits can
explain (the prose is often in 万元 with two decimals while the tables are in 元), ``fail``
otherwise.  Figures that name nothing in the tables are kept, unchecked.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ..model import Check, Table
from ..segment import norm
from .kinds import ALL_FUNDS_KINDS, kind_from_title
from .numbers import UNITS, half_unit, parse_amount

NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])")
TOTAL = re.compile(r"^(合计|总计)$")


def _clean_label(label: str) -> str:
    return NUMBERING.sub("", norm(label))


def _half_unit(text: str, unit: str) -> Decimal:
    """Half a unit of the last printed digit, in yuan."""
    return half_unit(text) * UNITS.get(unit, 1)


def _index(tables: list[Table]) -> dict[str, list[dict[str, Any]]]:
    """Label → cells: every row label, and every value column leaf of a 合计 row."""
    idx: dict[str, list[dict[str, Any]]] = {}
    for t in tables:
        if t.empty or t.kind in ("performance_target", "unknown"):
            continue
        roles = {c.key: c for c in t.columns}
        for r in t.rows:
            label = _clean_label(r.label)
            for key, cell in r.cells.items():
                col = roles.get(key)
                if col is None or col.role != "value":
                    continue
                v = parse_amount(cell.text)
                if v is None:
                    continue
                ref = {"table_no": t.table_no, "kind": t.kind, "row_no": r.row_no,
                       "row_label": r.label, "row_code": r.code, "column": key,
                       "value": cell.text, "unit": t.unit, "page": cell.page,
                       "_yuan": v * UNITS.get(t.unit, 1), "_tol": _half_unit(cell.text, t.unit)}
                if label:
                    idx.setdefault(label, []).append(ref)
                if TOTAL.match(label):
                    leaf = col.path[-1] if col.path else ""
                    if leaf and not TOTAL.match(leaf):
                        idx.setdefault("total:" + leaf, []).append(ref)
    return idx


def _candidates(fig: dict[str, Any], idx: dict[str, list[dict[str, Any]]]) -> list[dict]:
    """Cells the figure may refer to; restricted to the table its section explains."""
    names = fig.get("code_names")
    if names:
        last = norm(names[-1])
        cands = [c for c in idx.get(last, []) if len(c["row_code"]) in (0, 7)]
    else:
        subject = norm(fig.get("subject") or "")
        if TOTAL.match(subject) or subject == "小计":
            return []  # a bare 合计 in prose names nothing in particular
        cands = idx.get(subject, []) or idx.get("total:" + subject, [])
    section = re.sub(r"的?说明.*$", "", norm(fig.get("section") or ""))
    kind = kind_from_title(section)
    if kind:
        cands = [c for c in cands if c["kind"] == kind]
    elif re.search(r"财政拨款|一般公共预算", section):
        # a 财政拨款 section's 基本支出 is not the all-funds 支出总表's
        cands = [c for c in cands if c["kind"] not in ALL_FUNDS_KINDS]
    return cands


def reconcile(figures: list[dict[str, Any]], tables: list[Table]) -> list[Check]:
    """A check per figure that names a table cell; the figure records what it matched."""
    idx = _index(tables)
    checks: list[Check] = []
    seen: set[tuple[str, str, str]] = set()
    for fig in figures:
        amount, unit = fig.get("amount"), fig.get("unit") or ""
        value = parse_amount(amount or "")
        if value is None or unit not in UNITS:
            continue
        cands = _candidates(fig, idx)
        if not cands:
            continue
        yuan = value * UNITS[unit]
        tol_fig = _half_unit(amount or "", unit)
        best = min(cands, key=lambda c: abs(c["_yuan"] - yuan))
        diff = abs(best["_yuan"] - yuan)
        status = "pass" if diff == 0 else ("rounding" if diff <= tol_fig + best["_tol"]
                                           else "fail")
        key = (fig.get("section", ""), fig.get("subject", ""), amount or "")
        if key in seen:
            continue
        seen.add(key)
        ref = {k: v for k, v in best.items() if not k.startswith("_")}
        fig["table_ref"] = ref
        fig["check"] = status
        checks.append(Check(
            id=f"narrative.{norm(fig.get('section', ''))[:24]}.{norm(fig.get('subject', ''))[:40]}",
            status=status,  # type: ignore[arg-type]
            message=(f"情况说明 states {fig.get('subject')} {amount}{unit}; "
                     f"table {best['table_no'] or best['kind']} row {best['row_label']} "
                     f"/{best['column']} prints {best['value']}{best['unit']}"),
            expected=f"{amount}{unit}", actual=f"{best['value']}{best['unit']}",
            refs=[ref, {"narrative_section": fig.get("section"), "text": fig.get("text")}]))
    return checks


def reconcile_projects(records: list[dict[str, Any]], tables: list[Table]) -> list[Check]:
    """Each 绩效目标表's 年度资金总额 against the project's row in 项目支出表 / 公开清单."""
    checks: list[Check] = []
    for rec in records:
        name = norm(str(rec.get("项目名称", "")))
        total = rec.get("年度资金总额") or ""
        value = parse_amount(total)
        unit = rec.get("资金单位") or "万元"
        if not name or value is None or unit not in UNITS:
            continue
        for t in tables:
            if t.kind not in ("project_expenditure", "performance_project_list") or t.empty:
                continue
            value_cols = [c for c in t.columns if c.role == "value"]
            if not value_cols:
                continue
            col = value_cols[0]  # 总计 / 合计 / 预算金额: the first amount column
            for r in t.rows:
                if norm(r.label) != name or col.key not in r.cells:
                    continue
                printed = r.cells[col.key].text
                tv = parse_amount(printed)
                if tv is None:
                    continue
                diff = abs(tv * UNITS.get(t.unit, 1) - value * UNITS[unit])
                tol = _half_unit(printed, t.unit) + _half_unit(total, unit)
                status = "pass" if diff == 0 else ("rounding" if diff <= tol else "fail")
                checks.append(Check(
                    id=f"performance_target.annual_total={t.kind}.{name[:40]}",
                    status=status,  # type: ignore[arg-type]
                    message=(f"绩效目标表 {rec.get('项目名称')} 年度资金总额 {total}{unit}; "
                             f"{t.title or t.kind} prints {printed}{t.unit} ({col.key})"),
                    expected=f"{total}{unit}", actual=f"{printed}{t.unit}",
                    refs=[{"table_no": t.table_no, "kind": t.kind, "row_no": r.row_no,
                           "row_label": r.label, "row_code": r.code, "column": col.key,
                           "value": printed, "page": r.cells[col.key].page},
                          {"performance_target": rec.get("项目名称"),
                           "appearances": rec.get("appearances", [])}]))
                break
    return checks
