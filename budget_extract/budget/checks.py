"""The accounting checks: every identity a budget disclosure's tables must satisfy.

A disclosure prints the same money many times — by 功能分类 in the 支出总表, by source in
the 收入总表, by 经济分类 in the 基本支出表, once more in the 收支总表 — and every printed
total claims to be the sum of the figures under it.  Testing those claims is how a reader
(or a journalist) finds a typo, a conversion error or a table that does not belong: the
checks here recompute each total from its parts and compare it with what is printed.

Three families, each run on every non-empty table in a stable order:

* within a table, down the columns: the 合计 row = Σ 类 rows; each parent 科目 = Σ its
  children (类 = Σ 款, 款 = Σ 项, 301 = Σ 301xx); 项目支出表 总计 = Σ projects;
* within a table, across a row: a header group's 合计/小计 column = Σ the group's other
  columns (合计 = 基本支出 + 项目支出, 基本支出/小计 = 人员经费 + 公用经费 …); in side-by-side
  tables (收支总表, 财政拨款收支总表) the numbered items add up to 本年收入小计 / 收入总计,
  each item to its sub-items, and 收入总计 = 支出总计;
* across tables: the same figure printed in two tables must agree (支出总表 合计 = 收支总表
  本年支出, 一般公共预算支出表 合计 = 财政拨款收支总表 一般公共预算 …).

Everything is ``Decimal``.  A printed total may differ from the sum of its printed parts
by rounding: each part was rounded to the last printed digit, so the sum may be off by up
to half a unit of that digit per term (:func:`~budget_extract.budget.numbers.rounding_tolerance`).
Such a difference is reported as ``rounding``, not ``fail``.  Tables that strip trailing
zeros (``1.5`` for 1.50, ``1`` for 1.00) are read at the precision the table uses elsewhere,
so a ``1`` among ``0.71`` values counts as ±0.005, not ±0.5.  A blank cell is zero; a cell
that is not a number makes the check ``skip``, as does a figure the tables do not have.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..model import Check, Column, Row, Table
from .columns import canonical_id, clean_level, item_name, item_rank, row_role, source_id
from .kinds import TITLE_OF_KIND
from .numbers import amount_text, find_unit, parse_amount, rounding_tolerance, to_yuan

__all__ = ["run_checks"]

_PLACEHOLDER = re.compile(r"^[\s\-－—–―─/／.…]*$")
_TOTAL_LEAF = re.compile(r"^(合计|总计|小计)$")
_CARRY_ITEM = re.compile(r"结转|结余|事业基金|弥补|调入|上缴上级|附属单位")
_CARRIED = re.compile(r"结转|结余")
# Columns that are not money to add up: rates, shares, changes, counts.
_NOT_ADDITIVE = re.compile(r"率|%|％|百分比|占比|比上年|增减|同比|数量|人数|个数")
_LEVEL_NAME = {1: "类", 2: "款", 3: "项"}
_MAX_LISTED = 4
ZERO = Decimal(0)


# --------------------------------------------------------------------------- figures


@dataclass
class _Fig:
    """One printed figure used by a check: where it is and what it says."""

    table: Table
    row: Row | None
    column: Column | None
    text: str
    places: int
    label: str = ""

    @property
    def blank(self) -> bool:
        return bool(_PLACEHOLDER.match(self.text))

    @property
    def amount(self) -> Decimal | None:
        """The printed amount; 0 for a blank or dash; None for text that is not a number."""
        if self.blank:
            return ZERO
        return parse_amount(self.text)

    @property
    def unit(self) -> str:
        u = (self.table.unit or "").strip()
        if not u and self.column is not None:
            u = find_unit(self.column.key.replace("（", "(").replace("单位：", "单位:")) or ""
        return u

    @property
    def tolerance(self) -> Decimal:
        """Half a unit of the last digit, read at the table's precision (``1`` → ``1.00``)."""
        if self.blank or self.amount is None:
            return ZERO
        text = amount_text(self.text)
        decimals = len(text.split(".")[1]) if "." in text else 0
        if decimals < self.places:
            text = (text if "." in text else text + ".") + "0" * (self.places - decimals)
        return rounding_tolerance([text])

    def shown(self) -> str:
        return "(blank)" if self.blank else self.text.strip()

    def ref(self, term: str) -> dict[str, Any]:
        t, r = self.table, self.row
        page = None
        if r is not None and self.column is not None and self.column.key in r.cells:
            page = r.cells[self.column.key].page
        if page is None and r is not None:
            page = r.page
        return {"table_no": t.table_no, "kind": t.kind,
                "row_no": r.row_no if r else None, "row_label": r.label if r else "",
                "row_code": r.code if r else "", "column": self.column.key if self.column else "",
                "value": "" if self.blank else self.text.strip(), "page": page,
                "unit": self.unit, "term": term}


class _Ctx:
    """Per-run caches (table precision) and the list of checks being built."""

    def __init__(self, meta: dict[str, Any]) -> None:
        self.meta = meta
        self.checks: list[Check] = []
        self._places: dict[int, int] = {}

    def places(self, t: Table) -> int:
        key = id(t)
        if key not in self._places:
            best = 0
            for r in t.rows:
                for k, v in r.cells.items():
                    col = t.column(k)
                    if col is None or col.role != "value":
                        continue
                    a = amount_text(v.text)
                    if "." in a:
                        best = max(best, len(a.split(".")[1]))
            self._places[key] = best
        return self._places[key]

    def fig(self, t: Table, row: Row | None, col: Column | None, label: str = "") -> _Fig:
        text = ""
        if row is not None and col is not None and col.key in row.cells:
            text = row.cells[col.key].text
        return _Fig(t, row, col, text, self.places(t), label)


# --------------------------------------------------------------------------- evaluation


def _fmt(d: Decimal, sep: bool) -> str:
    return f"{d:,}" if sep else str(d)


def _title(t: Table) -> str:
    return TITLE_OF_KIND.get(t.kind) or t.title or t.kind


def _evaluate(ctx: _Ctx, cid: str, head: str, lhs: list[_Fig], rhs: list[_Fig], *,
              lhs_label: str, rhs_label: str = "", relation: str = "=") -> None:
    """Compare Σ lhs (the printed claim) with Σ rhs and record one check.

    ``head`` opens the message (which table and row); ``lhs_label``/``rhs_label`` name the
    two sides.  With few right-hand terms each is listed with its label, else the sum is
    shown as ``rhs_label``.
    """
    figs = lhs + rhs
    refs = [f.ref("expected") for f in lhs] + [f.ref("actual") for f in rhs]
    bad = [f for f in figs if f.amount is None]
    if bad:
        f = bad[0]
        ctx.checks.append(Check(
            id=cid, status="skip",
            message=f"{head}: cannot be checked, {_title(f.table)} "
                    f"{f.row.label if f.row else ''}/{f.column.key if f.column else ''} "
                    f"prints {f.text.strip()!r}, which is not a number",
            refs=refs))
        return
    units = {f.unit for f in figs}
    if len(units) == 1:
        unit = units.pop()

        def conv(f: _Fig, d: Decimal) -> Decimal:
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

        def conv(f: _Fig, d: Decimal) -> Decimal:
            return to_yuan(d, f.unit)

    expected = sum((conv(f, f.amount or ZERO) for f in lhs), ZERO)
    actual = sum((conv(f, f.amount or ZERO) for f in rhs), ZERO)
    tol = sum((conv(f, f.tolerance) for f in figs), ZERO)
    sep = any("," in f.text or "，" in f.text for f in figs) or abs(expected) >= 100000
    mixed = unit == "元" and len({f.unit for f in figs}) > 1

    def show(f: _Fig) -> str:
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
        right = " + ".join(f"{f.label} {show(f)}" for f in rhs)
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


def _skip(ctx: _Ctx, cid: str, message: str, refs: Iterable[dict[str, Any]] = ()) -> None:
    ctx.checks.append(Check(id=cid, status="skip", message=message, refs=list(refs)))


def _printed(figs: list[_Fig]) -> bool:
    return any(not f.blank for f in figs)


# --------------------------------------------------------------------------- table helpers


def _value_cols(t: Table, side: str | None = None) -> list[Column]:
    return [c for c in t.columns if c.role == "value" and (side is None or c.side == side)]


def _col(t: Table, cid: str, side: str | None = None) -> Column | None:
    for c in t.columns:
        if c.role == "value" and (side is None or c.side == side) and \
                canonical_id(t.kind, c.path) == cid:
            return c
    return None


def _row_text(t: Table, r: Row) -> str:
    """The row's label, or failing that the first text in a code/stub cell (上海 prints
    ``合计`` in the 类 column, leaving the 科目名称 empty)."""
    if r.label:
        return r.label
    for c in t.columns:
        if c.role != "value" and c.key in r.cells and r.cells[c.key].text.strip():
            return r.cells[c.key].text.strip()
    return ""


def _role(t: Table, r: Row) -> str | None:
    if r.code:
        return None
    return row_role(_row_text(t, r))


def _total_row(t: Table, side: str | None = None) -> Row | None:
    for r in t.rows:
        if (side is None or r.side == side) and _role(t, r) == "total":
            return r
    return None


def _row_desc(t: Table, r: Row) -> str:
    text = item_name(_row_text(t, r)) or f"row {r.row_no}"
    return f"{r.code} {text}" if r.code else text


def _row_key(t: Table, r: Row) -> str:
    return r.code or item_name(_row_text(t, r)) or f"row{r.row_no}"


# --------------------------------------------------------------------------- down the columns


def _code_checks(ctx: _Ctx, t: Table, k: str) -> None:
    """合计 row = Σ top-level 科目 rows; each parent 科目 = Σ its children, per value column."""
    coded = [r for r in t.rows if r.code and r.level is not None]
    if not coded:
        return
    cols = _value_cols(t)
    title = _title(t)
    total = _total_row(t)
    tops = [r for r in coded if r.parent_code is None]
    if total is not None and tops:
        codes = [r.code for r in tops]
        levels = {r.level for r in tops}
        what = f"{_LEVEL_NAME[1]} rows" if levels == {1} else "top-level rows"
        for c in cols:
            lhs = [ctx.fig(t, total, c)]
            rhs = [ctx.fig(t, r, c, r.code) for r in tops]
            if not _printed(lhs + rhs):
                continue
            cid = f"{k}.total_row.{c.key}"
            head = f"{title} {item_name(_row_text(t, total))}/{c.key}"
            if len(set(codes)) != len(codes):
                _skip(ctx, cid, f"{head}: cannot be checked, the same 科目 is printed more "
                                "than once at the top level (several units in one table?)",
                      [f.ref("expected") for f in lhs])
                continue
            _evaluate(ctx, cid, head, lhs, rhs, lhs_label="",
                      rhs_label=f"Σ {len(tops)} {what}")
    for i, p in enumerate(t.rows):
        if not p.code or p.level is None:
            continue
        children: list[Row] = []
        for r in t.rows[i + 1:]:
            if _role(t, r) is not None:
                break
            if r.code and r.level is not None and r.level <= p.level:
                break
            if r.code and r.parent_code == p.code:
                children.append(r)
        if not children:
            continue
        lvl = {r.level for r in children}
        what = f"{_LEVEL_NAME.get(lvl.pop(), 'child')} rows" if len(lvl) == 1 else "child rows"
        for c in cols:
            lhs = [ctx.fig(t, p, c)]
            rhs = [ctx.fig(t, r, c, r.code) for r in children]
            if not _printed(lhs + rhs):
                continue
            _evaluate(ctx, f"{k}.code_tree.{p.code}.{c.key}",
                      f"{title} {p.code} {item_name(p.label)}/{c.key}", lhs, rhs,
                      lhs_label="", rhs_label=f"Σ {len(children)} {what}")


def _project_rows(t: Table) -> list[Row]:
    name = next((c for c in t.columns if canonical_id(t.kind, c.path) == "project_name"), None)
    if name is None:
        return []
    return [r for r in t.rows if name.key in r.cells and r.cells[name.key].text.strip()
            and _role(t, r) is None]


def _project_total_checks(ctx: _Ctx, t: Table, k: str) -> None:
    """项目支出表 (and a 绩效目标清单 with a 合计 row): 合计/总计 row = Σ project rows."""
    total = _total_row(t)
    projects = _project_rows(t)
    if total is None or not projects:
        return
    for c in _value_cols(t):
        lhs = [ctx.fig(t, total, c)]
        rhs = [ctx.fig(t, r, c, item_name(r.label)) for r in projects]
        if not _printed(lhs + rhs):
            continue
        _evaluate(ctx, f"{k}.total_row.{c.key}",
                  f"{_title(t)} {item_name(_row_text(t, total))}/{c.key}", lhs, rhs,
                  lhs_label="", rhs_label=f"Σ {len(projects)} projects")


# --------------------------------------------------------------------------- across a row


def _group_parts(cols: list[Column], depth: int) -> list[Column]:
    """The columns standing for a header group in its parent's sum: the group's own
    合计/小计 if it prints one, else its members (recursively)."""
    own = [c for c in cols if len(c.path) == depth]
    if own:
        return own[:1]
    direct_totals = [c for c in cols if len(c.path) == depth + 1
                     and _TOTAL_LEAF.match(clean_level(c.path[-1]))]
    if direct_totals:
        return direct_totals[:1]
    out: list[Column] = []
    for label in dict.fromkeys(c.path[depth] for c in cols):
        sub = [c for c in cols if c.path[depth] == label]
        if len(sub) == 1 and len(sub[0].path) == depth + 1:
            out.append(sub[0])
        else:
            out.extend(_group_parts(sub, depth + 1))
    return out


def column_sums(cols: list[Column]) -> list[tuple[Column, list[Column], tuple[str, ...]]]:
    """(total column, part columns, group path) for each header group printing a 合计/小计.

    ``cols`` are the value columns of one side.  A group's total is its leaf named 合计,
    总计 or 小计; its parts are the group's other direct members, a sub-group counting as its
    own 小计 when it prints one, else as its members.
    """
    out: list[tuple[Column, list[Column], tuple[str, ...]]] = []
    prefixes: list[tuple[str, ...]] = []
    for c in cols:
        for i in range(len(c.path)):
            if c.path[:i] not in prefixes:
                prefixes.append(c.path[:i])
    for p in prefixes:
        d = len(p)
        members = [c for c in cols if c.path[:d] == p and len(c.path) > d]
        totals = [c for c in members if len(c.path) == d + 1
                  and _TOTAL_LEAF.match(clean_level(c.path[-1]))]
        if not totals:
            continue
        tot = totals[0]
        parts: list[Column] = []
        for label in dict.fromkeys(c.path[d] for c in members if c is not tot):
            sub = [c for c in members if c.path[d] == label and c is not tot]
            if len(sub) == 1 and len(sub[0].path) == d + 1:
                parts.append(sub[0])
            else:
                parts.extend(_group_parts(sub, d + 1))
        if parts:
            out.append((tot, parts, p))
    return out


def _row_sum_checks(ctx: _Ctx, t: Table, k: str) -> None:
    """Per row: each header group's 合计/小计 column = Σ the group's other columns."""
    sides = list(dict.fromkeys(c.side for c in _value_cols(t)))
    title = _title(t)
    for side in sides:
        sums = column_sums([c for c in _value_cols(t, side)
                            if not _NOT_ADDITIVE.search(c.key)])
        if not sums:
            continue
        for r in t.rows:
            if r.side != side:
                continue
            for tot, parts, p in sums:
                lhs = [ctx.fig(t, r, tot, tot.key)]
                rhs = [ctx.fig(t, r, c, "/".join(c.path[len(p):])) for c in parts]
                if not _printed(lhs + rhs):
                    continue
                _evaluate(ctx, f"{k}.row_sum.{_row_key(t, r)}.{tot.key}",
                          f"{title} {_row_desc(t, r)}", lhs, rhs,
                          lhs_label=lhs[0].label, rhs_label=f"Σ {len(rhs)} columns")


# --------------------------------------------------------------------------- side by side


@dataclass
class _Side:
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
    strip = re.compile(r"支出$")
    return bool(a) and strip.sub("", a) == strip.sub("", b)


def _parse_side(t: Table, name: str) -> _Side:
    rows = [r for r in t.rows if r.side == name]
    s = _Side(table=t, name=name, rows=rows, cols=_value_cols(t, name))
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


def _sides(t: Table) -> list[_Side]:
    """The table's halves; the 收入 half named by its heading, else the left one."""
    names = [n for n in dict.fromkeys(c.side for c in t.columns) if n]
    sides = [_parse_side(t, n) for n in names]
    for s in sides:
        s.income = "收" in s.name and "支" not in s.name
    if sides and not any(s.income for s in sides):
        sides[0].income = True
    return sides


def _side_checks(ctx: _Ctx, t: Table, k: str) -> None:
    """Numbered items add up to 本年小计 / 总计, items to their sub-items, 收入 = 支出."""
    title = _title(t)
    sides = _sides(t)
    for s in sides:
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
                lhs = [ctx.fig(t, parent, c)]
                rhs = [ctx.fig(t, x, c, item_name(x.label)) for x in parts]
                if not _printed(lhs + rhs):
                    continue
                _evaluate(ctx, f"{k}.items.{item_name(parent.label)}.{c.key}",
                          f"{title} {s.name}", lhs, rhs, lhs_label=item_name(parent.label),
                          rhs_label=f"Σ {len(parts)} {what}")
    inc = next((s for s in sides if s.income and s.total is not None), None)
    exp = next((s for s in sides if not s.income and s.total is not None), None)
    if inc is not None and exp is not None and inc.cols and exp.cols and \
            inc.total is not None and exp.total is not None:
        li, le = item_name(inc.total.label), item_name(exp.total.label)
        _evaluate(ctx, f"{k}.balance.{li}={le}", f"{title}",
                  [ctx.fig(t, inc.total, inc.cols[0])], [ctx.fig(t, exp.total, exp.cols[0])],
                  lhs_label=li, rhs_label=le)


# --------------------------------------------------------------------------- across tables


class _Doc:
    """The document's tables by kind, with the lookups the cross-table checks need."""

    def __init__(self, ctx: _Ctx, tables: list[Table]) -> None:
        self.ctx = ctx
        self.by_kind: dict[str, Table] = {}
        for t in tables:
            if not t.empty and t.kind not in self.by_kind:
                self.by_kind[t.kind] = t
        self.present = {t.kind for t in tables}

    def get(self, kind: str) -> Table | None:
        return self.by_kind.get(kind)

    def side(self, kind: str, income: bool) -> _Side | None:
        t = self.get(kind)
        if t is None:
            return None
        return next((s for s in _sides(t) if s.income == income), None)

    def main_row(self, t: Table) -> Row | None:
        """A table's total row; for a 收入总表 listing units without a 合计 row, the unit's
        own line (meta unit_name), else the first line."""
        r = _total_row(t)
        if r is not None:
            return r
        unit = clean_level(self.ctx.meta.get("unit_name") or "")
        for row in t.rows:
            if unit and clean_level(row.label) == unit:
                return row
        return t.rows[0] if t.rows and not any(x.code for x in t.rows) else None


Finder = Callable[[], "list[_Fig] | str"]


def _cross(ctx: _Ctx, d: _Doc, cid: str, kinds: tuple[str, str], left: Finder, right: Finder,
           *, lhs_label: str, rhs_label: str, relation: str = "=") -> None:
    """One cross-table identity; skipped (with the reason) when a table or figure is missing."""
    head = f"{_short(kinds[0])} vs {_short(kinds[1])}"
    missing = [k for k in kinds if d.get(k) is None]
    if all(k not in d.present for k in kinds):
        return  # neither table printed: nothing this document could be checked on
    if missing:
        why = ", ".join(f"{_short(k)} {'is empty' if k in d.present else 'not found'}"
                        for k in missing)
        _skip(ctx, cid, f"{head}: not checked, {why}")
        return
    lhs, rhs = left(), right()
    if isinstance(lhs, str) or isinstance(rhs, str):
        why = "; ".join(x for x in (lhs, rhs) if isinstance(x, str))
        _skip(ctx, cid, f"{head}: not checked, {why}")
        return
    _evaluate(ctx, cid, head, lhs, rhs, lhs_label=lhs_label, rhs_label=rhs_label,
              relation=relation)


def _short(kind: str) -> str:
    return TITLE_OF_KIND.get(kind) or kind


def _cell(d: _Doc, kind: str, cid: str, label: str, row: str = "total") -> Finder:
    """A finder for the figure in column ``cid`` of a table's total (or main) row."""

    def find() -> list[_Fig] | str:
        t = d.get(kind)
        assert t is not None
        r = _total_row(t) if row == "total" else d.main_row(t)
        if r is None:
            return f"{_short(kind)} has no 合计 row"
        c = _col(t, cid)
        if c is None:
            return f"{_short(kind)} has no {label} column"
        return [d.ctx.fig(t, r, c, label)]
    return find


def _side_fig(d: _Doc, kind: str, income: bool, pick: Callable[[_Side], Row | None],
              label: str, col_cid: str | None = None) -> Finder:
    def find() -> list[_Fig] | str:
        s = d.side(kind, income)
        if s is None or not s.cols:
            return f"{_short(kind)} has no {'收入' if income else '支出'} side"
        r = pick(s)
        if r is None:
            return f"{_short(kind)} prints no {label}"
        col = s.cols[0]
        if col_cid is not None:
            col = _col(s.table, col_cid, s.name) or col
        return [d.ctx.fig(s.table, r, col, f"{item_name(r.label)}")]
    return find


def _first(*finders: Finder) -> Finder:
    """The first finder that finds something."""
    def find() -> list[_Fig] | str:
        reasons = []
        for f in finders:
            got = f()
            if not isinstance(got, str):
                return got
            reasons.append(got)
        return reasons[0]
    return find


_IS_SOURCES = ["general_budget", "gov_fund", "state_capital", "fiscal_special", "unit_funds",
               "fiscal_grants", "business_income", "operating_income", "superior_subsidy",
               "subsidiary_remit", "other_income", "carryover_general_budget",
               "carryover_gov_fund", "carryover_state_capital", "carryover_fiscal_special",
               "carryover_unit_funds"]
_GRANT_PARTS = ["general_budget", "gov_fund", "state_capital", "carryover_general_budget",
                "carryover_gov_fund", "carryover_state_capital"]


def _cross_checks(ctx: _Ctx, tables: list[Table]) -> None:
    d = _Doc(ctx, tables)
    es, ies, fgs = "expenditure_summary", "income_expenditure_summary", "fiscal_grant_summary"
    gbe, gbbe, inc = ("general_budget_expenditure", "general_budget_basic_expenditure",
                      "income_summary")

    _cross(ctx, d, f"cross.{es}_total={ies}_expenditure", (es, ies),
           _cell(d, es, "total", "合计"),
           _side_fig(d, ies, False, lambda s: s.current, "本年支出小计/支出总计"),
           lhs_label="合计", rhs_label="本年支出")

    gb_fgs = _first(
        _side_fig(d, fgs, True, lambda s: s.source_row("general_budget"), "一般公共预算 income"),
        _side_fig(d, fgs, False, lambda s: s.total, "一般公共预算 支出总计",
                  "expenditure_general_budget"))
    _cross(ctx, d, f"cross.{gbe}_total={fgs}_general_budget", (gbe, fgs),
           _cell(d, gbe, "total", "合计"), gb_fgs, lhs_label="合计", rhs_label="一般公共预算")
    _cross(ctx, d, f"cross.{gbe}_total={ies}_general_budget", (gbe, ies),
           _cell(d, gbe, "total", "合计"),
           _side_fig(d, ies, True, lambda s: s.source_row("general_budget"), "一般公共预算 income"),
           lhs_label="合计", rhs_label="一般公共预算")

    for cid, name, short in (("total", "合计", "total"),
                             ("basic_personnel", "人员经费", "personnel"),
                             ("basic_public", "公用经费", "public")):
        right = "basic" if cid == "total" else cid
        rlabel = "基本支出" if cid == "total" else name
        _cross(ctx, d, f"cross.{gbbe}_{short}={gbe}_{'basic' if cid == 'total' else short}",
               (gbbe, gbe), _cell(d, gbbe, cid, name), _cell(d, gbe, right, rlabel),
               lhs_label=name, rhs_label=rlabel)

    _cross(ctx, d, f"cross.project_expenditure_total={es}_project", ("project_expenditure", es),
           _cell(d, "project_expenditure", "total", "总计"), _cell(d, es, "project", "项目支出"),
           lhs_label="总计", rhs_label="项目支出")

    _cross(ctx, d, f"cross.{inc}_total={ies}_income_total", (inc, ies),
           _cell(d, inc, "total", "合计", row="main"),
           _side_fig(d, ies, True, lambda s: s.total, "收入总计"),
           lhs_label="合计", rhs_label="收入总计")

    def is_carry() -> list[_Fig] | str:
        t = d.get(inc)
        assert t is not None
        r = d.main_row(t)
        c = _col(t, "carryover")
        if r is None:
            return "收入总表 has no 合计 row"
        if c is not None:
            return [ctx.fig(t, r, c, "上年结转结余")]
        parts = [x for x in _value_cols(t)
                 if (canonical_id(t.kind, x.path) or "").startswith("carryover_")]
        if not parts:
            return "收入总表 has no 上年结转结余 column"
        return [ctx.fig(t, r, x, x.key) for x in parts]

    _cross(ctx, d, f"cross.{inc}_carryover={ies}_carryover", (inc, ies), is_carry,
           _side_fig(d, ies, True, lambda s: s.source_row("carryover"), "上年结转"),
           lhs_label="上年结转结余", rhs_label="上年结转")

    if d.get(inc) is not None and d.get(ies) is not None:
        t = d.get(inc)
        s = d.side(ies, True)
        r = d.main_row(t) if t is not None else None
        if t is not None and s is not None and r is not None and s.cols:
            for key in _IS_SOURCES:
                c = _col(t, key)
                item = s.source_row(key)
                if c is None or item is None:
                    continue
                lhs = [ctx.fig(t, r, c, c.key)]
                rhs = [ctx.fig(s.table, item, s.cols[0], item_name(item.label))]
                if not _printed(lhs + rhs):
                    continue
                _evaluate(ctx, f"cross.{inc}_{key}={ies}_{key}",
                          f"{_short(inc)} vs {_short(ies)}", lhs, rhs,
                          lhs_label=c.key, rhs_label=item_name(item.label))

    def is_grants() -> list[_Fig] | str:
        t = d.get(inc)
        assert t is not None
        r = d.main_row(t)
        if r is None:
            return "收入总表 has no 合计 row"
        c = _col(t, "fiscal_grants")
        if c is not None:
            return [ctx.fig(t, r, c, c.key)]
        cols = [x for x in (_col(t, k) for k in _GRANT_PARTS) if x is not None]
        if not cols:
            return "收入总表 has no 财政拨款 columns"
        return [ctx.fig(t, r, x, x.key) for x in cols]

    _cross(ctx, d, f"cross.{inc}_fiscal_grants={fgs}_income_total", (inc, fgs), is_grants,
           _side_fig(d, fgs, True, lambda s: s.total, "收入总计"),
           lhs_label="财政拨款收入 (本年+上年结转)", rhs_label="收入总计")

    _class_checks(ctx, d, es, ies, "total", None)
    _class_checks(ctx, d, gbe, fgs, "total", "expenditure_general_budget")
    _performance_checks(ctx, d)

    def es_total() -> list[_Fig] | str:
        t = d.get(es)
        assert t is not None
        r = _total_row(t)
        if r is None:
            return "支出总表 has no 合计 row"
        c = _col(t, "total")
        if c is not None:
            return [ctx.fig(t, r, c, "合计")]
        parts = [x for x in (_col(t, "basic"), _col(t, "project")) if x is not None]
        if not parts:
            return "支出总表 has no 合计 column"
        return [ctx.fig(t, r, x, x.key) for x in parts]

    _cross(ctx, d, f"cross.procurement_expenditure_total<={es}_total",
           ("procurement_expenditure", es), _cell(d, "procurement_expenditure", "total", "合计"),
           es_total, lhs_label="政府采购 合计", rhs_label="支出 合计", relation="<=")


def _class_checks(ctx: _Ctx, d: _Doc, kind: str, side_kind: str, col_cid: str,
                  side_col: str | None) -> None:
    """Each 类 row of a 功能分类 table = the item of the same name in a side-by-side table."""
    t = d.get(kind)
    s = d.side(side_kind, False)
    if t is None or s is None or not s.cols:
        return
    c = _col(t, col_cid)
    if c is None:
        return
    scol = (_col(s.table, side_col, s.name) if side_col else None) or s.cols[0]
    for r in t.rows:
        if not r.code or r.level != 1:
            continue
        name = item_name(r.label)
        cid = f"cross.{kind}_class={side_kind}_item.{name}"
        lhs = [ctx.fig(t, r, c, f"{r.code} {name}")]
        item = s.by_name(name)
        if item is None:
            if _printed(lhs):
                _skip(ctx, cid, f"{_short(kind)} vs {_short(side_kind)}: {r.code} {name} "
                                f"{lhs[0].shown()} has no item of that name in "
                                f"{_short(side_kind)}", [lhs[0].ref("expected")])
            continue
        rhs = [ctx.fig(s.table, item, scol, item_name(item.label))]
        if not _printed(lhs + rhs):
            continue
        _evaluate(ctx, cid, f"{_short(kind)} vs {_short(side_kind)}", lhs, rhs,
                  lhs_label=f"{r.code} {name}", rhs_label=item_name(item.label))


def _performance_checks(ctx: _Ctx, d: _Doc) -> None:
    """Each project in the 绩效目标公开清单 = the same project's 总计 in the 项目支出表."""
    pl, pe = "performance_project_list", "project_expenditure"
    lst = d.get(pl)
    if lst is None:
        return
    proj = d.get(pe)
    amount = _col(lst, "amount") or next(iter(_value_cols(lst)), None)
    if amount is None:
        return
    if proj is None:
        why = "is empty" if pe in d.present else "not found"
        _skip(ctx, f"cross.{pl}={pe}", f"{_short(pl)} vs {_short(pe)}: not checked, "
                                       f"{_short(pe)} {why}")
        return
    total = _col(proj, "total")
    if total is None:
        _skip(ctx, f"cross.{pl}={pe}", f"{_short(pl)} vs {_short(pe)}: not checked, "
                                       f"{_short(pe)} has no 总计 column")
        return
    projects = {clean_level(r.label): r for r in reversed(_project_rows(proj))}
    for r in _project_rows(lst):
        name = clean_level(r.label)
        cid = f"cross.{pl}={pe}.{name}"
        lhs = [ctx.fig(lst, r, amount, name)]
        match = projects.get(name)
        if match is None:
            _skip(ctx, cid, f"{_short(pl)} vs {_short(pe)}: {name} {lhs[0].shown()} is not "
                            f"listed in {_short(pe)} under that name", [lhs[0].ref("expected")])
            continue
        _evaluate(ctx, cid, f"{_short(pl)} vs {_short(pe)}", lhs,
                  [ctx.fig(proj, match, total, "总计")], lhs_label=name, rhs_label="总计")


# --------------------------------------------------------------------------- entry point


def _table_keys(tables: list[Table]) -> dict[int, str]:
    """Check-id prefix per table: its kind, qualified by number when a kind repeats."""
    counts: dict[str, int] = {}
    for t in tables:
        counts[t.kind] = counts.get(t.kind, 0) + 1
    return {id(t): t.kind if counts[t.kind] == 1 else f"{t.kind}[{t.table_no or t.position}]"
            for t in tables}


def run_checks(tables: list[Table], meta: dict[str, Any]) -> list[Check]:
    """Every accounting identity the tables allow, in document order, then across tables.

    Never raises on odd tables: a family of checks that hits an unexpected layout records
    one ``skip`` saying so and the others still run.  Ids are unique (a repeated id gets
    ``#2``) and the order is stable, so two runs over the same input give the same list.
    """
    ctx = _Ctx(meta)
    keys = _table_keys(tables)
    for t in tables:
        if t.empty or t.kind == "performance_target" or not t.rows:
            continue
        k = keys[id(t)]
        families: list[Callable[[_Ctx, Table, str], None]] = [_code_checks, _row_sum_checks]
        if t.kind in ("project_expenditure", "performance_project_list"):
            families.insert(1, _project_total_checks)
        if any(c.side for c in t.columns):
            families.append(_side_checks)
        for fam in families:
            try:
                fam(ctx, t, k)
            except Exception as exc:  # noqa: BLE001 - one odd table must not stop the rest
                _skip(ctx, f"{k}.{fam.__name__.strip('_')}.error",
                      f"{_title(t)}: these checks could not run ({type(exc).__name__}: {exc})")
    try:
        _cross_checks(ctx, tables)
    except Exception as exc:  # noqa: BLE001
        _skip(ctx, "cross.error", f"cross-table checks could not run ({type(exc).__name__}: "
                                  f"{exc})")
    seen: dict[str, int] = {}
    for c in ctx.checks:
        n = seen.get(c.id, 0) + 1
        seen[c.id] = n
        if n > 1:
            c.id = f"{c.id}#{n}"
    return ctx.checks
