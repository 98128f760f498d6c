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
from ..codes_link import subject_level
from ..columns import item_name, item_rank, row_role, source_id
from .evaluate import evaluate, sum_check
from .figures import Ctx, title, value_cols

_CARRY_ITEM = re.compile(r"结转|结余|事业基金|弥补|调入|上缴上级|附属单位")
_CARRIED = re.compile(r"结转|结余")
_SUBSET_ITEM = re.compile(r"^(其中|含)[:：]")
_FIRST_NUMBER = re.compile(r"^(1[、.．,，](?!\d)|[(（](1|一)[)）])")
_PAREN_ARABIC = re.compile(r"^[(（]\d+[)）]")
_WS = re.compile(r"\s+")
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
    # Items whose sub-items cannot all be placed (an uncoded line of unknown level below
    # them): their sub-item sum is not checked.
    opaque: set[int] = field(default_factory=set)
    # 其中 items: a part *of* their parent, not one of its parts.
    subsets: set[int] = field(default_factory=set)

    def children(self, r: Row) -> list[Row]:
        return [x for x in self.block_a + self.block_b
                if self.parent.get(id(x)) is r and id(x) not in self.subsets]

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


def _parse_side(t: Table, name: str, levels: dict[str, set[int]], income: bool) -> Side:
    rows = [r for r in t.rows if r.side == name]
    s = Side(table=t, name=name, rows=rows, cols=value_cols(t, name), income=income)
    _split(s)
    _place_items(s, levels)
    _place_after_subtotal(s)
    return s


def _split(s: Side) -> None:
    """The half's items before its 本年小计 (block a), after it (block b), and its totals."""
    stage = "a"
    for r in s.rows:
        role = row_role(r.label)
        if role == "subtotal" and s.subtotal is None and stage == "a":
            # 本年支出合计 printed above its items (杭州 财政拨款收支总表: 一、本年支出合计,
            # then the 类 lines, then 二、年终结转结余) is still their total
            s.subtotal, stage = r, ("above" if not s.block_a else "b")
        elif role == "total" and s.total is None:
            # 重庆 prints 合计 as the first line of each half, above its items
            s.total = r
            stage = "a" if not s.block_a and s.subtotal is None else "done"
        elif stage == "above" and (item_rank(r.label) == 1
                                   or _CARRY_ITEM.search(item_name(r.label))):
            s.block_b.append(r)
            stage = "b"
        elif stage in ("a", "above"):
            s.block_a.append(r)
        elif stage == "b":
            s.block_b.append(r)


def _place_items(s: Side, levels: dict[str, set[int]]) -> None:
    """Each block-a item's parent, by its numbering (一、 > （一） > 1. > （1）) and, for
    uncoded 科目 lines of a 支出 half, by its name's level (类 > 款 > 项).  （1） sits under
    1. as the national numbering has it (西安: 一、部门预算 / 1、财政拨款 / (1)一般公共预算拨款)."""
    stack: list[tuple[float, Row]] = []
    class_rank: float | None = None
    for i, r in enumerate(s.block_a):
        rank: float = item_rank(r.label)
        if rank == 3 and _PAREN_ARABIC.match(_WS.sub("", r.label)):
            rank = 3.5
        nxt = s.block_a[i + 1].label if i + 1 < len(s.block_a) else ""
        if rank == 4 and item_rank(nxt) in (2, 3) and _FIRST_NUMBER.match(_WS.sub("", nxt)):
            # an unnumbered heading over a numbered list (深圳: 财政拨款 / 1.一般公共预算拨款
            # / 2.…): the list is its sub-items
            rank = item_rank(nxt) - 0.5
        name = item_name(r.label)
        level = subject_level(name, levels) if not s.income else None
        if _SUBSET_ITEM.match(name):
            s.subsets.add(id(r))
            s.parent[id(r)] = stack[-1][1] if stack else None
            continue
        if rank < 4:
            class_rank = rank if level == 1 else class_rank if level in (2, 3) else None
        elif level == 1:
            # an uncoded 类 line: under a numbered heading that is not itself a 科目
            # (一、本年支出), else at the top
            rank = class_rank if class_rank is not None else \
                (stack[-1][0] + 1 if stack and stack[-1][0] < 4 else 1)
            class_rank = rank
        elif class_rank is not None and level in (2, 3):
            rank = class_rank + 0.3 * (level - 1)  # 款, 项 under the 类 line
        elif class_rank is not None:
            # an uncoded line of unknown level inside a 类: any open 类/款 may be its
            # parent, so none of them is summed; the line is no item of its own
            s.opaque.update(id(x) for k, x in stack if k >= class_rank)
            s.parent[id(r)] = stack[-1][1] if stack else None
            s.subsets.add(id(r))
            continue
        while stack and stack[-1][0] >= rank:
            stack.pop()
        s.parent[id(r)] = stack[-1][1] if stack else None
        stack.append((rank, r))


def _place_after_subtotal(s: Side) -> None:
    """Block b: each carried-over heading (上年结转 …) with the items under it."""
    head: Row | None = None
    for r in s.block_b:
        head_rank = item_rank(head.label) % 4 if head is not None else 0
        if head is not None and head_rank < item_rank(r.label) < 4:
            s.parent[id(r)] = head  # 上年结余、结转 / 1.财政拨款结余、结转 (深圳)
        elif head is None or _CARRY_ITEM.search(item_name(r.label)):
            head = r
            s.parent[id(r)] = None
        else:
            s.parent[id(r)] = head


def sides(t: Table, levels: dict[str, set[int]] | None = None) -> list[Side]:
    """The table's halves; the 收入 half named by its heading, else the left one.

    ``levels`` (:func:`~budget_extract.budget.codes_link.subject_levels`) places the 支出
    half's uncoded 科目 lines: 类 names start a group, 款 and 项 names of the document's
    coded tables go under it, a line of unknown level makes its group unchecked.
    """
    names = [n for n in dict.fromkeys(c.side for c in t.columns) if n]
    income = [("收" in n and "支" not in n) for n in names]
    if names and not any(income):
        income[0] = True
    return [_parse_side(t, n, levels or {}, inc) for n, inc in zip(names, income, strict=True)]


def is_side_by_side(t: Table) -> bool:
    """Whether the table prints two halves (the layout, not the kind, decides)."""
    return any(c.side for c in t.columns)


def side_checks(ctx: Ctx, t: Table, k: str) -> None:
    """Numbered items add up to 本年小计 / 总计, items to their sub-items, 收入 = 支出."""
    name = title(t)
    halves = sides(t, ctx.levels)
    for s in halves:
        sums: list[tuple[Row, list[Row], str]] = []
        tops_a = [r for r in s.block_a if s.parent.get(id(r)) is None
                  and id(r) not in s.subsets]
        heads_b = [r for r in s.block_b if s.parent.get(id(r)) is None]
        if s.subtotal is not None:
            sums.append((s.subtotal, tops_a, "items"))
            if s.total is not None:
                sums.append((s.total, [s.subtotal] + heads_b, "parts"))
        elif s.total is not None:
            sums.append((s.total, tops_a + heads_b, "items"))
        for r in s.block_a + s.block_b:
            kids = s.children(r)
            if kids and id(r) not in s.opaque:
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
