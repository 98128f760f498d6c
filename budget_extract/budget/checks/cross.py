"""Across tables: the same money printed in two tables must agree.

Each identity is a data row — an id, a left figure and a right figure, each a *selector*
naming a table kind and where in it the figure is — mirroring the table in
docs/checks.md.  The rows that expand to one check per item (each income source, each 类)
are data rows too, of their own types.  The ordered list that runs is
:data:`~budget_extract.budget.checks.registry.CROSS_TABLE`.

A missing table or figure makes the check ``skip`` with the reason; when neither table is
in the document the identity is not listed at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar, Protocol

from ...model import Row, Table
from ..columns import canonical_id, clean_level, item_name, source_id
from ..kinds import TableKind
from .evaluate import evaluate, sum_check
from .figures import Ctx, Fig, col, printed, short, total_row, value_cols
from .sides import Side, sides


class Doc:
    """The document's tables by kind, with the lookups the cross-table checks need."""

    def __init__(self, ctx: Ctx, tables: list[Table]) -> None:
        self.ctx = ctx
        self.by_kind: dict[str, Table] = {}
        for t in tables:
            if not t.empty and t.kind not in self.by_kind:
                self.by_kind[t.kind] = t
        self.present = {t.kind for t in tables}

    def get(self, kind: str) -> Table | None:
        return self.by_kind.get(kind)

    def side(self, kind: str, income: bool) -> Side | None:
        t = self.get(kind)
        if t is None:
            return None
        return next((s for s in sides(t, self.ctx.levels) if s.income == income), None)

    def main_row(self, t: Table) -> Row | None:
        """A table's total row; for a 收入总表 listing units without a 合计 row, the unit's
        own line (meta unit_name), else the first line."""
        r = total_row(t)
        if r is not None:
            return r
        unit = clean_level(self.ctx.meta.get("unit_name") or "")
        for row in t.rows:
            if unit and clean_level(row.label) == unit:
                return row
        return t.rows[0] if t.rows and not any(x.code for x in t.rows) else None

    def why_missing(self, kind: str) -> str:
        return f"{short(kind)} {'is empty' if kind in self.present else 'not found'}"


# --------------------------------------------------------------------------- selectors


class Selector(Protocol):
    """Where one side of an identity is printed: a kind, and how to find the figures."""

    @property
    def kind(self) -> TableKind: ...

    def find(self, d: Doc) -> list[Fig] | str:
        """The figures, or why they cannot be found."""
        ...


@dataclass(frozen=True)
class Cell:
    """A canonical column (columns.canonical_id) of a table's 合计 row (``row="main"``: the
    unit's own line when there is no 合计 row).  When the column is not printed, the sum of
    ``parts`` (or of every column whose id starts with ``parts_prefix``) stands for it."""

    kind: TableKind
    column: str | None  # None: always the sum of ``parts``
    label: str | None  # None: the column's printed header
    row: str = "total"
    parts: tuple[str, ...] = ()
    parts_prefix: str = ""
    missing: str = ""  # what the skip says is missing; default "LABEL column"

    def find(self, d: Doc) -> list[Fig] | str:
        t = d.get(self.kind)
        assert t is not None
        r = total_row(t) if self.row == "total" else d.main_row(t)
        if r is None:
            return f"{short(self.kind)} has no 合计 row"
        c = col(t, self.column) if self.column is not None else None
        if c is not None:
            return [d.ctx.fig(t, r, c, c.key if self.label is None else self.label)]
        if self.parts:
            cols = [x for x in (col(t, k) for k in self.parts) if x is not None]
        elif self.parts_prefix:
            cols = [x for x in value_cols(t)
                    if (canonical_id(t.kind, x.path) or "").startswith(self.parts_prefix)]
        else:
            cols = []
        if cols:
            return [d.ctx.fig(t, r, x, x.key) for x in cols]
        return f"{short(self.kind)} has no {self.missing or f'{self.label} column'}"


@dataclass(frozen=True)
class SideItem:
    """A row of one half of a side-by-side table: ``row`` is ``current`` (本年小计, else
    总计), ``total`` (总计) or ``source`` (the item of income source ``source``); the figure
    is in the half's first money column, or in canonical ``column`` when printed."""

    kind: TableKind
    income: bool
    row: str
    label: str
    source: str = ""
    column: str | None = None
    also: tuple[str, ...] = ()  # further sources added to it (上年结转 一般公共预算拨款)

    def find(self, d: Doc) -> list[Fig] | str:
        s = d.side(self.kind, self.income)
        if s is None or not s.cols:
            return f"{short(self.kind)} has no {'收入' if self.income else '支出'} side"
        r = {"current": s.current, "total": s.total}.get(self.row) if self.row != "source" \
            else s.source_row(self.source)
        if r is None:
            return f"{short(self.kind)} prints no {self.label}"
        c = s.cols[0]
        if self.column is not None:
            c = col(s.table, self.column, s.name) or c
        rows = [r]
        for key in self.also:
            extra = s.source_row(key)
            if extra is None:
                return f"{short(self.kind)} prints no {key}"
            rows.append(extra)
        return [d.ctx.fig(s.table, x, c,
                          ("上年结转 " if s.in_carry(x) else "") + item_name(x.label))
                for x in rows]


@dataclass(frozen=True)
class PanelTotal:
    """The total line of one half of a side-by-side 科目 table, named by what it totals
    (``人员经费`` finds ``人员经费合计``): the 基本支出决算表 prints its 人员经费 and
    公用经费 halves side by side, each with its own total line and no 合计 row."""

    kind: TableKind
    label: str

    def find(self, d: Doc) -> list[Fig] | str:
        t = d.get(self.kind)
        assert t is not None
        for r in t.rows:
            name = item_name(r.label or next(
                (v.text for k, v in r.cells.items() if k.startswith(f"{r.side}/")), ""))
            if r.side and not r.code and name in (f"{self.label}合计", f"{self.label}总计"):
                cols = value_cols(t, r.side)
                if cols:
                    return [d.ctx.fig(t, r, cols[0], f"{self.label}合计")]
        return f"{short(self.kind)} prints no {self.label}合计 line"


@dataclass(frozen=True)
class FirstOf:
    """The first selector that finds something (all on the same kind)."""

    options: tuple[Selector, ...]

    @property
    def kind(self) -> TableKind:
        return self.options[0].kind

    def find(self, d: Doc) -> list[Fig] | str:
        reasons = []
        for o in self.options:
            got = o.find(d)
            if not isinstance(got, str):
                return got
            reasons.append(got)
        return reasons[0]


@dataclass(frozen=True)
class Either:
    """Two readings of one figure where templates differ (北京's 一般公共预算支出表 includes
    the 上年结转 it spends, 国家信访局's does not): an identity reports the first reading
    the other side agrees with, else the first reading's failure."""

    options: tuple[Selector, ...]

    @property
    def kind(self) -> TableKind:
        return self.options[0].kind

    def find(self, d: Doc) -> list[Fig] | str:
        return self.options[0].find(d)


@dataclass(frozen=True)
class Plus:
    """The figures of several selectors added up: a 收支总表's 一般公共预算 income plus the
    上年结转 一般公共预算拨款 only the 财政拨款收支总表 splits out (北京)."""

    terms: tuple[Selector, ...]

    @property
    def kind(self) -> TableKind:
        return self.terms[0].kind

    def find(self, d: Doc) -> list[Fig] | str:
        out: list[Fig] = []
        for term in self.terms:
            got = term.find(d) if d.get(term.kind) is not None else short(term.kind) + " missing"
            if isinstance(got, str):
                return got
            out.extend(got)
        return out


def _readings(sel: Selector) -> tuple[Selector, ...]:
    return sel.options if isinstance(sel, Either) else (sel,)


# --------------------------------------------------------------------------- identities


@dataclass(frozen=True)
class Identity:
    """One figure in one table = (or ≤, ``relation="<="``) one figure in another."""

    id: str
    left: Selector
    right: Selector
    lhs_label: str
    rhs_label: str
    relation: str = "="
    # the left table is one few templates print (an all-funds 基本支出表): without it the
    # identity is not listed, rather than skipped on every other document
    optional_left: bool = False

    @property
    def doc_id(self) -> str:
        return self.id

    @property
    def kinds(self) -> tuple[TableKind, TableKind]:
        return self.left.kind, self.right.kind

    def run(self, ctx: Ctx, d: Doc) -> None:
        head = f"{short(self.kinds[0])} vs {short(self.kinds[1])}"
        if all(k not in d.present for k in self.kinds):
            return  # neither table printed: nothing this document could be checked on
        if self.optional_left and self.kinds[0] not in d.present:
            return
        missing = [k for k in self.kinds if d.get(k) is None]
        if missing:
            ctx.skip(self.id, f"{head}: not checked, {', '.join(map(d.why_missing, missing))}")
            return
        lhs, rhs = self.left.find(d), self.right.find(d)
        if isinstance(lhs, str) or isinstance(rhs, str):
            why = "; ".join(x for x in (lhs, rhs) if isinstance(x, str))
            ctx.skip(self.id, f"{head}: not checked, {why}")
            return
        for left in _readings(self.left):
            for right in _readings(self.right):
                a, b = left.find(d), right.find(d)
                if isinstance(a, str) or isinstance(b, str):
                    continue
                evaluate(ctx, self.id, head, a, b, lhs_label=self.lhs_label,
                         rhs_label=self.rhs_label, relation=self.relation)
                if ctx.checks[-1].status != "fail":
                    return  # the first reading the two tables agree on
                ctx.checks.pop()
        evaluate(ctx, self.id, head, lhs, rhs, lhs_label=self.lhs_label,
                 rhs_label=self.rhs_label, relation=self.relation)


@dataclass(frozen=True)
class PerItem:
    """An identity that is one check per item: each item of ``kind`` against the item of
    the same name (or source) in ``other``.  ``ID`` is the check id with ``{item}`` for the
    item, documented with the placeholder ``PLACEHOLDER``."""

    kind: TableKind
    other: TableKind

    ID: ClassVar[str] = ""
    PLACEHOLDER: ClassVar[str] = "NAME"

    def cid(self, item: str) -> str:
        return self.ID.format(kind=self.kind, other=self.other, item=item)

    @property
    def doc_id(self) -> str:
        return self.cid(self.PLACEHOLDER)

    @property
    def kinds(self) -> tuple[TableKind, TableKind]:
        return self.kind, self.other

    @property
    def head(self) -> str:
        return f"{short(self.kind)} vs {short(self.other)}"

    def unmatched(self, ctx: Ctx, item: str, lhs: Fig, why: str) -> None:
        """Record that ``lhs`` has no namesake in ``other``: a ``skip`` saying why."""
        ctx.skip(self.cid(item), f"{self.head}: {why}", [lhs.ref("expected")])


@dataclass(frozen=True)
class SourceIdentities(PerItem):
    """Each income source printed both as a column of ``kind``'s main row and as an item of
    ``other``'s 收入 half; listed only when one of the two prints a figure."""

    sources: tuple[str, ...]

    ID: ClassVar[str] = "cross.{kind}_{item}={other}_{item}"
    PLACEHOLDER: ClassVar[str] = "SOURCE"

    def run(self, ctx: Ctx, d: Doc) -> None:
        t, s = d.get(self.kind), d.side(self.other, True)
        if t is None or s is None or not s.cols:
            return
        r = d.main_row(t)
        if r is None:
            return
        for key in self.sources:
            c = col(t, key)
            item = s.source_row(key)
            if c is None or item is None:
                continue
            sum_check(ctx, self.cid(key), self.head, [ctx.fig(t, r, c, c.key)],
                      [ctx.fig(s.table, item, s.cols[0], item_name(item.label))],
                      lhs_label=c.key, rhs_label=item_name(item.label))


@dataclass(frozen=True)
class ClassIdentities(PerItem):
    """Each 类 row of a 功能分类 table (its ``column``) = the item of the same name in the
    支出 half of ``other`` (its ``side_column`` when printed, else the first)."""

    column: str
    side_column: str | None

    ID: ClassVar[str] = "cross.{kind}_class={other}_item.{item}"

    def _spends_carryover(self, d: Doc) -> bool:
        """Whether the side table's 收入 half prints a 上年结转 amount and the 功能分类
        table's 合计 is this year's income alone (its 收入 item of this year)."""
        inc = d.side(self.other, True)
        t = d.get(self.kind)
        if inc is None or not inc.cols or t is None:
            return False
        carry = [r for r in inc.block_a + inc.block_b
                 if inc.in_carry(r) or source_id(item_name(r.label)) == "carryover"]
        if not any((d.ctx.fig(inc.table, r, inc.cols[0]).amount or 0) > 0 for r in carry):
            return False
        now = inc.subtotal or next((r for r in inc.block_a if inc.parent.get(id(r)) is None),
                                   None)
        c = col(t, self.column)
        if now is None or c is None:
            return False
        total = total_row(t)
        rows = [total] if total is not None else [r for r in t.rows if r.code and r.level == 1]
        this_year = sum((d.ctx.fig(t, r, c).amount or 0 for r in rows), Decimal(0))
        return this_year == d.ctx.fig(inc.table, now, inc.cols[0]).amount

    def run(self, ctx: Ctx, d: Doc) -> None:
        t = d.get(self.kind)
        s = d.side(self.other, False)
        if t is None or s is None or not s.cols:
            return
        c = col(t, self.column)
        if c is None:
            return
        scol = (col(s.table, self.side_column, s.name) if self.side_column else None) or s.cols[0]
        head = self.head
        for r in t.rows:
            if not r.code or r.level != 1:
                continue
            name = item_name(r.label)
            cid = self.cid(name)
            lhs = [ctx.fig(t, r, c, f"{r.code} {name}")]
            item = s.by_name(name)
            if item is None:
                if printed(lhs):
                    why = (f"{r.code} {name} {lhs[0].shown()} has no item of that name in "
                           f"{short(self.other)}")
                    self.unmatched(ctx, name, lhs[0], why)
                continue
            rhs = [ctx.fig(s.table, item, scol, item_name(item.label))]
            sum_check(ctx, cid, head, lhs, rhs,
                      lhs_label=f"{r.code} {name}", rhs_label=item_name(item.label))
            if ctx.checks and ctx.checks[-1].id == cid and ctx.checks[-1].status == "fail" \
                    and self._spends_carryover(d):
                # The side table's 支出 items include what is spent of the 上年结转 (国家信访局
                # 财政拨款收支总表), the 功能分类 table this year's money only: a 类 can
                # only be larger there.
                ctx.checks.pop()
                evaluate(ctx, cid, head + " (incl. 上年结转 spent)", lhs, rhs,
                         lhs_label=f"{r.code} {name}", rhs_label=item_name(item.label),
                         relation="<=")
