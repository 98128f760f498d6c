"""Side-by-side tables (收支总表, 财政拨款收支总表): 收入 on the left, 支出 on the right.

Each half's numbered items (一、二、… with sub-items （一）… or 1. …) are parsed into a
tree; the items add up to 本年收入小计 (or 收入总计), 收入总计 = 本年小计 + the items below
it (上年结转 …), each item = Σ its sub-items (``KIND.items.LABEL.COLUMN``), and 收入总计 =
支出总计 (``KIND.balance.收入总计=支出总计``).  The parsed halves (:class:`Side`) also serve
the cross-table identities, which look up an item by source or by name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...model import Column, Row, Table
from ..columns import item_name, item_rank, row_role, source_id
from .evaluate import evaluate, sum_check
from .figures import Ctx, title, value_cols

_CARRY_ITEM = re.compile(r"结转|结余|事业基金|弥补|调入|上缴上级|附属单位")
_CARRIED = re.compile(r"结转|结余")
_EXPENDITURE_SUFFIX = re.compile(r"支出$")


@dataclass
class Side:
    """One half of a side-by-side table, its items parsed into a tree."""

    table: Table
    name: str
    rows: list[Row]
    cols: list[Column]
    subtotal: Row | None = None
    total: Row | None = None
    block_a: list[Row] = field(default_factory=list)
    block_b: list[Row] = field(default_factory=list)
    parent: dict[int, Row | None] = field(default_factory=dict)
    income: bool = False

    def children(self, r: Row) -> list[Row]:
        return [x for x in self.block_a + self.block_b
                if self.parent.get(id(x)) is r]

    def ancestors(self, r: Row) -> list[Row]:
        out: list[Row] = []
        p = self.parent.get(id(r))
        while p is not None:
            out.append(p)
            p = self.parent.get(id(p))
        return out

    def in_carry(self, r: Row) -> bool:
        return any(_CARRIED.search(item_name(a.label)) for a in self.ancestors(r))

    def source_row(self, key: str) -> Row | None:
        """The item row for a source key (``general_budget``, ``carryover_general_budget``,
        ``carryover`` …), this year's before carried-over."""
        for r in self.block_a + self.block_b:
            sid = source_id(item_name(r.label))
            if sid is None:
                continue
            if sid == "carryover":
                full = "carryover"
            elif self.in_carry(r):
                full = "carryover_" + sid
            else:
                full = sid
            if full == key:
                return r
        return None

    def by_name(self, name: str) -> Row | None:
        for r in self.block_a:
            if not self.in_carry(r) and _same_name(item_name(r.label), name):
                return r
        return None

    @property
    def current(self) -> Row | None:
        """This year's total: 本年收入/支出小计 if printed, else the 总计 row."""
        return self.subtotal or self.total


def _same_name(a: str, b: str) -> bool:
    if a == b:
        return True
    return bool(a) and _EXPENDITURE_SUFFIX.sub("", a) == _EXPENDITURE_SUFFIX.sub("", b)


def _parse_side(t: Table, name: str) -> Side:
    rows = [r for r in t.rows if r.side == name]
    s = Side(table=t, name=name, rows=rows, cols=value_cols(t, name))
    stage = "a"
    for r in rows:
        role = row_role(r.label)
        if role == "subtotal" and s.subtotal is None and stage == "a":
            s.subtotal, stage = r, "b"
        elif role == "total" and s.total is None:
            s.total, stage = r, "done"
        elif stage == "a":
            s.block_a.append(r)
        elif stage == "b":
            s.block_b.append(r)
    stack: list[Row] = []
    for r in s.block_a:
        rank = item_rank(r.label)
        while stack and item_rank(stack[-1].label) >= rank:
            stack.pop()
        s.parent[id(r)] = stack[-1] if stack else None
        stack.append(r)
    head: Row | None = None
    for r in s.block_b:
        if head is None or _CARRY_ITEM.search(item_name(r.label)):
            head = r
            s.parent[id(r)] = None
        else:
            s.parent[id(r)] = head
    return s


def sides(t: Table) -> list[Side]:
    """The table's halves; the 收入 half named by its heading, else the left one."""
    names = [n for n in dict.fromkeys(c.side for c in t.columns) if n]
    out = [_parse_side(t, n) for n in names]
    for s in out:
        s.income = "收" in s.name and "支" not in s.name
    if out and not any(s.income for s in out):
        out[0].income = True
    return out


def is_side_by_side(t: Table) -> bool:
    """Whether the table prints two halves (the layout, not the kind, decides)."""
    return any(c.side for c in t.columns)


def side_checks(ctx: Ctx, t: Table, k: str) -> None:
    """Numbered items add up to 本年小计 / 总计, items to their sub-items, 收入 = 支出."""
    name = title(t)
    halves = sides(t)
    for s in halves:
        sums: list[tuple[Row, list[Row], str]] = []
        tops_a = [r for r in s.block_a if s.parent.get(id(r)) is None]
        heads_b = [r for r in s.block_b if s.parent.get(id(r)) is None]
        if s.subtotal is not None:
            sums.append((s.subtotal, tops_a, "items"))
            if s.total is not None:
                sums.append((s.total, [s.subtotal] + heads_b, "parts"))
        elif s.total is not None:
            sums.append((s.total, tops_a + heads_b, "items"))
        for r in s.block_a + s.block_b:
            kids = s.children(r)
            if kids:
                sums.append((r, kids, "sub-items"))
        for parent, parts, what in sums:
            for c in s.cols:
                sum_check(ctx, f"{k}.items.{item_name(parent.label)}.{c.key}",
                          f"{name} {s.name}", [ctx.fig(t, parent, c)],
                          [ctx.fig(t, x, c, item_name(x.label)) for x in parts],
                          lhs_label=item_name(parent.label), rhs_label=f"Σ {len(parts)} {what}")
    inc = next((s for s in halves if s.income and s.total is not None), None)
    exp = next((s for s in halves if not s.income and s.total is not None), None)
    if inc is not None and exp is not None and inc.cols and exp.cols and \
            inc.total is not None and exp.total is not None:
        li, le = item_name(inc.total.label), item_name(exp.total.label)
        evaluate(ctx, f"{k}.balance.{li}={le}", f"{name}",
                 [ctx.fig(t, inc.total, inc.cols[0])], [ctx.fig(t, exp.total, exp.cols[0])],
                 lhs_label=li, rhs_label=le)
