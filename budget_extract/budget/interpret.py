"""The one interpretation step: what a built table *means*, set on the model once.

:func:`budget_extract.tables.build.build_table` lays a table out (columns with roles, rows
with codes and cells) without knowing anything about budgets.  :func:`interpret_table`
then decides, in this order:

1. the kind (``budget/kinds.py``) from the title and the header signature;
2. for a 绩效目标表: the form layout and the parsed form (``Table.form``), read from the
   fragments the builder kept on ``Table.layout``;
3. otherwise whether the table is empty (no amount, or ``0`` placeholders with a note
   saying so) and each coded row's level and parent code (``budget/codes_link.py``);
4. each column's canonical id (``budget/columns.py``), the code scheme (功能分类 or
   经济分类) and each row's amounts in 元.

Emitters, checks and the dataset read these fields; none of them re-derives them.
:func:`document_targets` merges the per-table forms into one record per project and
:func:`typed_target` / :func:`target_record` convert between the typed
:class:`~budget_extract.model.PerformanceTarget` and the label-keyed records that
``budget/performance.py`` and ``budget/reconcile.py`` work on.
"""

from __future__ import annotations

import re
from dataclasses import fields
from typing import Any

from ..model import (
    Appearance,
    Indicator,
    NarrativeFigure,
    PerformanceTarget,
    Row,
    Table,
    TableKind,
    TableLayout,
)
from ..numtext import is_placeholder, unreadable_amount
from ..tables.build import form_layout
from .codes import guess_scheme
from .codes_link import link_codes
from .columns import canonical_id
from .kinds import classify
from .numbers import UNITS, is_amount, parse_amount
from .performance import align_fragments, merge_projects, parse_performance_table

__all__ = ["interpret_table", "document_targets", "typed_target", "target_record",
           "typed_figure"]

EMPTY_NOTE = re.compile(r"无数据|空表|无发生额|(无|没有).{0,30}(收入|支出|安排|预算)|不涉及")
"""A note saying the table has nothing to show (本单位无政府性基金预算收入 …)."""

_SCALARS = [f for f in fields(PerformanceTarget) if "label" in f.metadata]


def interpret_table(table: Table, unit_name: str = "") -> None:
    """Set kind, emptiness, form, row levels, column ids, code scheme and 元 amounts.

    ``unit_name`` (the document's) is stripped from titles that print it before the
    table's name, so the title names the kind."""
    layout = table.layout or TableLayout()
    table.kind = TableKind(classify(table.title, layout.header_paths, layout.first_column,
                                    unit_name))
    if table.kind == TableKind.PERFORMANCE_TARGET:
        form_layout(table)
        table.empty = False
        table.form = _read_form(table, layout)
    else:
        table.empty = _is_empty(table, layout.placeholder)
        link_codes(table)
    table.column_ids = [canonical_id(table.kind, c.path) for c in table.columns]
    table.code_scheme = guess_scheme([r.code for r in table.rows if r.code]) or ""
    for r in table.rows:
        r.values_yuan = _values_yuan(table, r)
    if table.kind != TableKind.PERFORMANCE_TARGET:
        table.warnings.extend(_unreadable(table))
        table.warnings.extend(_dashes(table))


def _unreadable(table: Table) -> list[str]:
    """One warning per table for value cells that look like numbers but cannot be read
    (``1.2E+07``, ``1,23.00``): such an amount is missing from the facts, never silently."""
    roles = {c.key: c.role for c in table.columns}
    bad = [(r, k, v.text, why) for r in table.rows for k, v in r.cells.items()
           if roles.get(k) == "value" and (why := unreadable_amount(v.text))]
    if not bad:
        return []
    shown = "; ".join(f"row {r.row_no} “{r.label}”, column {k}: “{text}” ({why})"
                      for r, k, text, why in bad[:3])
    more = f" and {len(bad) - 3} more" if len(bad) > 3 else ""
    return [f"{len(bad)} amount(s) not read: {shown}{more}"]


def _dashes(table: Table) -> list[str]:
    """One warning per table for value cells printing a dash (or slash) instead of an
    amount: read as blank, as the contract says (no fact; zero in the checks), and said,
    since a dash may stand for zero or for nothing."""
    roles = {c.key: c.role for c in table.columns}
    found = [(r, k, v.text.strip()) for r in table.rows for k, v in r.cells.items()
             if roles.get(k) == "value" and is_placeholder(v.text)]
    if not found:
        return []
    counts: dict[str, int] = {}
    for _, _, text in found:
        counts[text] = counts.get(text, 0) + 1
    printed = ", ".join(f"“{t}” ×{n}" for t, n in counts.items())
    r, k, _ = found[0]
    return [f"{len(found)} amount cell(s) print a dash or slash instead of a number "
            f"({printed}; first: row {r.row_no} “{r.label}”, column {k}): read as blank, "
            "no fact (a blank counts as zero in the checks)"]


def _is_empty(table: Table, placeholder: bool) -> bool:
    """No printed amount in a value column, or ``0`` placeholders whose note (if any) says
    there is nothing to show.  Under such a note a row of zeros is a placeholder whatever its
    stub says (a unit's name: 深圳 `深圳市民政局（本级） 0.00 0.00 0.00`, 本表本年无发生额)."""
    role_of = {c.key: c.role for c in table.columns}
    values = [v.text for row in table.rows for k, v in row.cells.items()
              if role_of.get(k) == "value"]
    says_empty = bool(EMPTY_NOTE.search(table.note))
    return not any(is_amount(v) for v in values) or (
        placeholder and (says_empty or not table.note)) or (
        says_empty and all(_zero(v) for v in values if is_amount(v)))


def _zero(text: str) -> bool:
    amount = parse_amount(text)
    return amount is not None and amount == 0


def _values_yuan(t: Table, r: Row) -> dict[str, str]:
    """Each amount of a row in 元 (``value × unit``), exact Decimal rendered as text."""
    mult = UNITS.get(t.unit)
    if mult is None or t.empty or t.kind == TableKind.PERFORMANCE_TARGET:
        return {}
    roles = {c.key: c.role for c in t.columns}
    out: dict[str, str] = {}
    for k, v in r.cells.items():
        amount = parse_amount(v.text) if roles.get(k) == "value" else None
        if amount is not None:
            out[k] = format(amount * mult, "f")
    return out


def _read_form(table: Table, layout: TableLayout) -> PerformanceTarget:
    """The project record of one printed 绩效目标表, from the fragments as detected (a ruled
    PDF's fragments aligned on one column grid by x position first)."""
    rows = align_fragments(layout.fragments)
    if rows is None:
        rows = [g.text_rows() for g in layout.fragments]
    rec = parse_performance_table(rows)
    rec["appearances"] = [{"table_position": table.position, "pages": table.pages,
                           "part": layout.part}]
    rec["conflicts"] = []
    return typed_target(rec)


def document_targets(tables: list[Table]) -> list[dict[str, Any]]:
    """One label-keyed record per project from the tables' forms (a project printed twice —
    body and 附件 — kept once, disagreements listed in ``conflicts``)."""
    records = []
    for t in tables:
        if t.form is not None:
            rec = target_record(t.form)
            appearances = rec.pop("appearances")
            rec.pop("conflicts")
            if appearances:
                rec["origin"] = appearances[0]
            records.append(rec)
    return merge_projects(records)


def typed_target(rec: dict[str, Any]) -> PerformanceTarget:
    """A label-keyed record (``budget/performance.py``) as a :class:`PerformanceTarget`."""
    return PerformanceTarget(
        **{f.name: rec.get(f.metadata["label"], "") for f in _SCALARS},
        indicators=[Indicator(*ind) for ind in rec.get("indicators", [])],
        warnings=list(rec.get("warnings", [])),
        appearances=[Appearance(**a) for a in rec.get("appearances", [])],
        conflicts=list(rec.get("conflicts", [])),
    )


def target_record(t: PerformanceTarget) -> dict[str, Any]:
    """The label-keyed record of a :class:`PerformanceTarget` (what the JSON holds)."""
    rec: dict[str, Any] = {f.metadata["label"]: getattr(t, f.name) for f in _SCALARS}
    rec["indicators"] = [[i.level1, i.level2, i.level3, i.value] for i in t.indicators]
    rec["warnings"] = list(t.warnings)
    rec["appearances"] = [{"table_position": a.table_position, "pages": a.pages,
                           "part": a.part} for a in t.appearances]
    rec["conflicts"] = t.conflicts
    return rec


_FIGURE_FIELDS = frozenset(f.name for f in fields(NarrativeFigure))


def typed_figure(fig: dict[str, Any]) -> NarrativeFigure:
    """A figure dict of ``budget/narrative.py`` (after reconciliation) as a dataclass; what
    the claims checks noted on it (page, order, compared) is theirs, not the contract's."""
    return NarrativeFigure(**{k: v for k, v in fig.items() if k in _FIGURE_FIELDS})
