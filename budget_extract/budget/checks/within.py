"""Within one table: totals down the columns and header groups across each row.

* the 合计 row = Σ 类 rows, and each parent 科目 = Σ its children (类 = Σ 款, 款 = Σ 项,
  301 = Σ 301xx) — ``KIND.total_row.COLUMN``, ``KIND.code_tree.CODE.COLUMN``;
* 项目支出表 (and a 绩效目标清单 with a 合计 row) 总计 = Σ projects — ``KIND.total_row.COLUMN``;
* a 部门 table's unit blocks: each unit line = Σ its 类 rows — ``KIND.unit_total.UNIT.COLUMN``;
* per row, a header group's 合计/小计 column = Σ the group's other columns (合计 = 基本支出 +
  项目支出, 基本支出/小计 = 人员经费 + 公用经费 …) — ``KIND.row_sum.ROW.COLUMN``; a subset
  column ≤ its figure — ``KIND.subset.ROW.COLUMN``; changes (:mod:`.changes`).

Each family is ``(ctx, table, key)``: ``key`` is the table's check-id prefix.
"""

from __future__ import annotations

import re

from ...model import Row, Table
from ...tables.build import PERCENT_HEADER, QUANTITY_HEADER
from ..codes_link import CLASS_NAMES, ECONOMIC_CLASS_NAMES, unit_coded
from ..columns import clean_level, item_name
from .changes import change_checks
from .column_groups import column_sums, crossed_sums, subset_pairs
from .evaluate import evaluate, sum_check
from .figures import (
    Ctx,
    col,
    printed,
    project_rows,
    role,
    row_desc,
    row_key,
    row_text,
    title,
    total_row,
    value_cols,
)
from .periods import CHANGE_LEVEL
from .sides import is_side_by_side

_UNIT_COLUMN = re.compile(r"^(预算单位|单位名称|单位|部门名称|预算单位名称)$")
# Columns that are not money to add up: what the table reader calls a percentage or a count
# (its header words), a change (periods.CHANGE_LEVEL), any rate.
_NOT_ADDITIVE = re.compile("|".join(
    (PERCENT_HEADER.pattern, QUANTITY_HEADER.pattern, CHANGE_LEVEL.pattern, "率|同比")))
_LEVEL_NAME = {1: "类", 2: "款", 3: "项"}


def code_checks(ctx: Ctx, t: Table, k: str) -> None:
    """合计 row = Σ top-level 科目 rows; each parent 科目 = Σ its children, per value column."""
    coded = [r for r in t.rows if r.code and r.level is not None]
    if not coded:
        _named_class_checks(ctx, t, k)
        return
    cols = value_cols(t)
    name = title(t)
    total = total_row(t)
    tops = [r for r in coded if r.parent_code is None]
    blocks = unit_blocks(ctx, t)
    if blocks:
        _unit_checks(ctx, t, k, total, blocks)
    elif total is not None and tops:
        codes = [r.code for r in tops]
        levels = {r.level for r in tops}
        what = f"{_LEVEL_NAME[1]} rows" if levels == {1} else "top-level rows"
        if unit_coded(t):
            what = "unit rows"
        for c in cols:
            lhs = [ctx.fig(t, total, c)]
            rhs = [ctx.fig(t, r, c, r.code) for r in tops]
            if not printed(lhs + rhs):
                continue
            cid = f"{k}.total_row.{c.key}"
            head = f"{name} {item_name(row_text(t, total))}/{c.key}"
            if len(set(codes)) != len(codes):
                runs = code_runs(tops)
                if runs is None:
                    ctx.skip(cid, f"{head}: cannot be checked, the same 科目 is printed more "
                                  "than once at the top level (several units in one table?)",
                             [f.ref("expected") for f in lhs])
                    continue
                # one run of ascending codes per unit, without unit lines (北京 预算05表):
                # the 合计 adds every unit's rows — or, when the first run is the 部门's own
                # summary, that run alone
                evaluate(ctx, cid, head, lhs, rhs, lhs_label="",
                         rhs_label=f"Σ {len(tops)} {what} of {len(runs)} unit blocks")
                if ctx.checks[-1].status == "fail":  # else the first block alone; if that
                    every = ctx.checks.pop()         # fails too, the sum over every block
                    first = [ctx.fig(t, r, c, r.code) for r in runs[0]]
                    evaluate(ctx, cid, head, lhs, first, lhs_label="",
                             rhs_label=f"Σ {len(first)} {what} of the first block")
                    if ctx.checks[-1].status == "fail":
                        ctx.checks[-1] = every
                continue
            evaluate(ctx, cid, head, lhs, rhs, lhs_label="", rhs_label=f"Σ {len(tops)} {what}")
    elif total is None:
        _panel_totals(ctx, t, k, tops)
    for i, p in enumerate(t.rows):
        if not p.code or p.level is None:
            continue
        children: list[Row] = []
        for r in t.rows[i + 1:]:
            if r.side != p.side:
                continue  # the other half of a side-by-side table (公用经费 beside 人员经费)
            if role(t, r) is not None:
                break
            if r.code and r.level is not None and r.level <= p.level:
                break
            if r.code and r.parent_code == p.code:
                children.append(r)
        if not children:
            continue
        lvl = {r.level for r in children}
        what = f"{_LEVEL_NAME.get(lvl.pop(), 'child')} rows" if len(lvl) == 1 else "child rows"
        if unit_coded(t):
            what = "unit rows"
        for c in cols:
            sum_check(ctx, f"{k}.code_tree.{p.code}.{c.key}",
                      f"{name} {p.code} {item_name(p.label)}/{c.key}",
                      [ctx.fig(t, p, c)], [ctx.fig(t, r, c, r.code) for r in children],
                      lhs_label="", rhs_label=f"Σ {len(children)} {what}")


_PANEL_TOTAL = re.compile(r"^(?P<name>[^合总小\d]{2,12}?)(?:合计|总计)$")


def _panel_totals(ctx: Ctx, t: Table, k: str, tops: list[Row]) -> None:
    """Each half of a side-by-side 科目 table = Σ its own top-level rows: the 基本支出决算表
    prints 人员经费合计 under 301 and 303, 公用经费合计 under 302 and 310
    (``KIND.total_row.SIDE/COLUMN``)."""
    sides = [s for s in dict.fromkeys(c.side for c in value_cols(t)) if s]
    if len(sides) < 2:
        return
    for side in sides:
        own = [r for r in tops if r.side == side]
        totals = [r for r in t.rows if r.side == side and not r.code
                  and _PANEL_TOTAL.match(item_name(row_text(t, r)))]
        if len(totals) != 1 or not own:
            continue
        for c in value_cols(t, side):
            lhs = [ctx.fig(t, totals[0], c)]
            rhs = [ctx.fig(t, r, c, r.code) for r in own]
            sum_check(ctx, f"{k}.total_row.{c.key}",
                      f"{title(t)} {item_name(row_text(t, totals[0]))}/{c.key}", lhs, rhs,
                      lhs_label="", rhs_label=f"Σ {len(own)} 类 rows")


def named_classes(t: Table) -> list[Row]:
    """The 类 rows of a 科目 table printed without codes (杭州 lists 类, 款 and 项 by name
    only), found by the national 类 names of the scheme most of its rows use.  A line
    repeating the name of the line above it (其他支出 / 其他支出 / 其他支出 for 229 / 22999 /
    2299999) is its child, not another 类."""
    if not any(c.role != "value" and "科目" in c.key for c in t.columns):
        return []
    names = [item_name(row_text(t, r)) for r in t.rows]
    best: list[Row] = []
    for vocabulary in (CLASS_NAMES, ECONOMIC_CLASS_NAMES):
        found = [r for i, (r, n) in enumerate(zip(t.rows, names, strict=True))
                 if n in vocabulary and role(t, r) is None and not r.code
                 and (i == 0 or names[i - 1] != n)]
        if len(found) > len(best):
            best = found
    return best


def _named_class_checks(ctx: Ctx, t: Table, k: str) -> None:
    """合计 = Σ the 类 lines of a table without codes, placed by their names.  Not in a
    side-by-side table: there each half's uncoded 类 lines are items of that half, placed by
    their names and summed by ``side_checks`` (the whole table's 总计 row would add up the
    lines of another half, or of three classifications printed side by side: 西安)."""
    if is_side_by_side(t):
        return
    total = total_row(t)
    classes = named_classes(t)
    if total is None or not classes:
        return
    for c in value_cols(t):
        sum_check(ctx, f"{k}.total_row.{c.key}", f"{title(t)} {item_name(row_text(t, total))}/"
                  f"{c.key}", [ctx.fig(t, total, c)],
                  [ctx.fig(t, r, c, item_name(r.label)) for r in classes],
                  lhs_label="", rhs_label=f"Σ {len(classes)} 类 lines (by name)")


def code_runs(tops: list[Row]) -> list[list[Row]] | None:
    """The top-level rows cut where the codes start again (a code not above the one before):
    one run per unit of a table printing each unit's 科目 in turn.  None when a run repeats
    a code itself (then the rows are not such blocks)."""
    runs: list[list[Row]] = []
    for r in tops:
        if not runs or r.code <= runs[-1][-1].code:
            runs.append([])
        runs[-1].append(r)
    if len(runs) < 2 or any(len({r.code for r in run}) != len(run) for run in runs):
        return None
    return runs


def unit_blocks(ctx: Ctx, t: Table) -> list[tuple[Row, list[Row]]]:
    """A 部门 table's per-unit blocks: (the unit's own line, its top-level 科目 rows).

    深圳 prints a 预算单位 line (``深圳市民政局（本级）`` with its totals, no code) above each
    unit's 科目 rows; the 科目 codes start again under the next unit.  A unit line is an
    uncoded row with a name in the table's unit column (预算单位, 单位名称), that is not a
    合计, prints a figure, and is followed by a coded row.
    """
    out: list[tuple[Row, list[Row]]] = []
    cols = value_cols(t)
    unit_col = next((c for c in t.columns if c.role != "value"
                     and _UNIT_COLUMN.search(clean_level(c.key))), None)
    if unit_col is None:
        return out
    for i, r in enumerate(t.rows):
        if r.code or role(t, r) is not None or i + 1 >= len(t.rows) or not t.rows[i + 1].code:
            continue
        if unit_col.key not in r.cells or not r.cells[unit_col.key].text.strip():
            continue
        if not printed([ctx.fig(t, r, c) for c in cols]):
            continue
        block: list[Row] = []
        for x in t.rows[i + 1:]:
            if not x.code:
                break
            if x.parent_code is None and x.level is not None:
                block.append(x)
        if block:
            out.append((r, block))
    return out


def _unit_checks(ctx: Ctx, t: Table, k: str, total: Row | None,
                 blocks: list[tuple[Row, list[Row]]]) -> None:
    """Each unit line = Σ its 类 rows (``KIND.unit_total.UNIT.COLUMN``); the 合计, when
    printed, = Σ the unit lines (``KIND.total_row.COLUMN``)."""
    name = title(t)
    for c in value_cols(t):
        for unit, tops in blocks:
            unit_name = item_name(row_text(t, unit))
            sum_check(ctx, f"{k}.unit_total.{unit_name}.{c.key}", f"{name} {unit_name}/{c.key}",
                      [ctx.fig(t, unit, c)], [ctx.fig(t, r, c, r.code) for r in tops],
                      lhs_label="", rhs_label=f"Σ {len(tops)} top-level rows")
        if total is not None:
            sum_check(ctx, f"{k}.total_row.{c.key}",
                      f"{name} {item_name(row_text(t, total))}/{c.key}", [ctx.fig(t, total, c)],
                      [ctx.fig(t, u, c, item_name(row_text(t, u))) for u, _ in blocks],
                      lhs_label="", rhs_label=f"Σ {len(blocks)} units")


def project_total_checks(ctx: Ctx, t: Table, k: str) -> None:
    """项目支出表 (and a 绩效目标清单 with a 合计 row): 合计/总计 row = Σ project rows."""
    total = total_row(t)
    projects = project_rows(t)
    if total is None or not projects:
        return
    for c in value_cols(t):
        sum_check(ctx, f"{k}.total_row.{c.key}",
                  f"{title(t)} {item_name(row_text(t, total))}/{c.key}",
                  [ctx.fig(t, total, c)], [ctx.fig(t, r, c, item_name(r.label)) for r in projects],
                  lhs_label="", rhs_label=f"Σ {len(projects)} projects")


def row_sum_checks(ctx: Ctx, t: Table, k: str) -> None:
    """Per row: each header group's 合计/小计 column = Σ the group's other columns; each
    subset column ≤ the figure it is part of; each change column = the difference it names
    (:mod:`.changes`)."""
    sides = list(dict.fromkeys(c.side for c in value_cols(t)))
    name = title(t)
    for side in sides:
        money = [c for c in value_cols(t, side) if not _NOT_ADDITIVE.search(c.key)]
        sums = column_sums(money) + crossed_sums(money)
        subsets = subset_pairs(money)
        if not sums and not subsets:
            continue
        for r in t.rows:
            if r.side != side:
                continue
            for tot, parts, p in sums:
                sum_check(ctx, f"{k}.row_sum.{row_key(t, r)}.{tot.key}",
                          f"{name} {row_desc(t, r)}", [ctx.fig(t, r, tot, tot.key)],
                          [ctx.fig(t, r, c, "/".join(c.path[len(p):])) for c in parts],
                          lhs_label=tot.key, rhs_label=f"Σ {len(parts)} columns")
            for sub, sup in subsets:
                if ctx.fig(t, r, sub).amount == 0:
                    continue  # a blank or zero part of anything: nothing to bound
                sum_check(ctx, f"{k}.subset.{row_key(t, r)}.{sub.key}",
                          f"{name} {row_desc(t, r)}", [ctx.fig(t, r, sub, sub.key)],
                          [ctx.fig(t, r, sup, sup.key)], lhs_label=sub.key,
                          rhs_label=sup.key, relation="<=")
    _carryover_rows(ctx, t, k)
    change_checks(ctx, t, k)


def _carryover_rows(ctx: Ctx, t: Table, k: str) -> None:
    """A 决算 table printing the year's balances (政府性基金/国有资本经营预算财政拨款收入支出
    决算表): per row, 年初结转和结余 + 本年收入 = 本年支出 + 结余分配 + 年末结转和结余
    (``KIND.carryover.ROW``)."""
    opening, income = col(t, "opening_balance"), col(t, "current_year_income")
    spent, closing = col(t, "current_year_expenditure"), col(t, "closing_balance")
    if opening is None or income is None or spent is None or closing is None:
        return
    shared = col(t, "balance_distribution")
    name = title(t)
    for r in t.rows:
        rhs = [ctx.fig(t, r, spent, "本年支出"), ctx.fig(t, r, closing, "年末结转和结余")]
        if shared is not None:
            rhs.insert(1, ctx.fig(t, r, shared, "结余分配"))
        sum_check(ctx, f"{k}.carryover.{row_key(t, r)}", f"{name} {row_desc(t, r)}",
                  [ctx.fig(t, r, opening, "年初结转和结余"), ctx.fig(t, r, income, "本年收入")],
                  rhs, lhs_label="年初结转和结余 + 本年收入")
