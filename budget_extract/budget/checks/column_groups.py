"""Which columns of a header add up to which: the structure the row sums check.

A header group's 合计/小计 leaf is the sum of the group's other members (a sub-group counting
through its own 小计); a 合计/总计 *group* splitting by the same sub-columns as its siblings
is their sum per sub-column (深圳 三公经费表); a subset column (其中：…, 扣除…后…) is no part
of any sum but bounded by the figure it belongs to.  Pure functions of the column paths, so
they can be read and tested without a table.
"""

from __future__ import annotations

import re

from ...model import Column
from ..columns import clean_level

TOTAL_LEAF = re.compile(r"^(合计|总计|小计)$")
# A column printing a part *of* another figure, not a part of the sum beside it: 其中：…,
# 含…, 扣除基建项目后… (北京 扣除基建项目后预算数, 国家信访局 扣除中央基建投资后执行数).
_SUBSET = re.compile(r"^(其中|含)[:：]?|^扣除.+后")
_DEDUCTED = re.compile(r"^扣除.+后")


def is_subset_level(label: str) -> bool:
    """Whether a header level names a subset of a neighbouring figure (其中：…, 含…,
    扣除…后…) rather than a part of its group's total."""
    return bool(_SUBSET.match(clean_level(label)))


def _member_labels(cols: list[Column], depth: int) -> list[str]:
    """The group's member labels at ``depth`` that are parts of its sum, in order.

    A subset label (其中：…, 扣除…后…) is left out, except ``其中：X`` followed by an unmarked
    sibling: there 其中 introduces the breakdown itself (广州 一般公共预算支出 小计 |
    其中：基本支出 | 项目支出, where 小计 = 基本支出 + 项目支出).
    """
    labels = list(dict.fromkeys(c.path[depth] for c in cols))
    out = []
    for i, label in enumerate(labels):
        if is_subset_level(label):
            nxt = labels[i + 1] if i + 1 < len(labels) else ""
            breakdown = (clean_level(label).startswith("其中") and nxt
                         and not is_subset_level(nxt)
                         and not TOTAL_LEAF.match(clean_level(nxt))
                         and re.sub(r"^其中[:：]?", "", clean_level(label)) != "")
            if not breakdown:
                continue
        out.append(label)
    return out


def _group_parts(cols: list[Column], depth: int) -> list[Column]:
    """The columns standing for a header group in its parent's sum: the group's own
    合计/小计 if it prints one, else its members (recursively, subsets left out)."""
    own = [c for c in cols if len(c.path) == depth]
    if own:
        return own[:1]
    direct_totals = [c for c in cols if len(c.path) == depth + 1
                     and TOTAL_LEAF.match(clean_level(c.path[-1]))]
    if direct_totals:
        return direct_totals[:1]
    out: list[Column] = []
    for label in _member_labels(cols, depth):
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
    own 小计 when it prints one, else as its members.  Subset columns (其中：…, 扣除…后…) are
    not parts (:func:`subset_pairs` bounds them instead); a group left with no part gets
    no sum.
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
                  and TOTAL_LEAF.match(clean_level(c.path[-1]))]
        if not totals:
            continue
        tot = totals[0]
        parts: list[Column] = []
        for label in _member_labels([c for c in members if c is not tot], d):
            sub = [c for c in members if c.path[d] == label and c is not tot]
            if len(sub) == 1 and len(sub[0].path) == d + 1:
                parts.append(sub[0])
            else:
                parts.extend(_group_parts(sub, d + 1))
        if parts:
            out.append((tot, parts, p))
    return out


def stands_for(cols: list[Column], depth: int) -> Column | None:
    """The one column standing for a header group as a whole: the column itself, else the
    group's 合计/小计, else its first member that is not a subset."""
    if len(cols) == 1:
        return cols[0]
    for c in cols:
        if len(c.path) == depth + 2 and TOTAL_LEAF.match(clean_level(c.path[-1])):
            return c
    plain = [c for c in cols if not any(is_subset_level(x) for x in c.path[depth + 1:])]
    return plain[0] if plain else None


def subset_pairs(cols: list[Column]) -> list[tuple[Column, Column]]:
    """(subset column, the column it is a subset of) for each column whose header marks a
    subset: ``扣除…后…`` of the sibling printed before it (北京 项目支出总数 | 扣除基建项目后
    预算数), ``其中：…``/``含…`` of its group's 合计/小计 (深圳 政府采购项目 小计 | 其中：预留给
    中小企业…), else of the sibling before it."""
    out: list[tuple[Column, Column]] = []
    for c in cols:
        depth = next((i for i, x in enumerate(c.path) if is_subset_level(x)), None)
        if depth is None:
            continue
        prefix = c.path[:depth]
        siblings = [x for x in cols if x.path[:depth] == prefix and len(x.path) > depth]
        if c.path[depth] in _member_labels(siblings, depth):
            continue  # 其中 introducing the breakdown: a part, summed by column_sums
        sup: Column | None = None
        if not _DEDUCTED.match(clean_level(c.path[depth])):
            sup = next((x for x in siblings if len(x.path) == depth + 1
                        and TOTAL_LEAF.match(clean_level(x.path[-1]))), None)
        if sup is None:
            labels = list(dict.fromkeys(x.path[depth] for x in siblings))
            i = labels.index(c.path[depth])
            for label in reversed(labels[:i]):
                if is_subset_level(label):
                    continue
                sup = stands_for([x for x in siblings if x.path[depth] == label], depth)
                break
        if sup is not None:
            out.append((c, sup))
    return out


def crossed_sums(cols: list[Column]) -> list[tuple[Column, list[Column], tuple[str, ...]]]:
    """(total column, part columns, group path) where a 合计/总计/小计 *group* splits by the
    same sub-columns as its siblings (深圳 三公经费表: 总计/一般公共预算 = 因公出国(境)费/
    一般公共预算 + 公务接待费/一般公共预算 + 公务用车购置及运行维护费/小计/一般公共预算).

    A sibling counts through its own 小计 group when it prints one; a sibling lacking the
    sub-column leaves that sub-column unchecked.
    """
    out: list[tuple[Column, list[Column], tuple[str, ...]]] = []
    prefixes = list(dict.fromkeys(c.path[:i] for c in cols for i in range(len(c.path) - 1)))
    for p in prefixes:
        d = len(p)
        members = [c for c in cols if c.path[:d] == p and len(c.path) > d + 1]
        labels = list(dict.fromkeys(c.path[d] for c in members))
        tot_label = next((x for x in labels if TOTAL_LEAF.match(clean_level(x))), None)
        if tot_label is None:
            continue
        others = _member_labels([c for c in members if c.path[d] != tot_label], d)
        if not others:
            continue
        for tc in (c for c in members if c.path[d] == tot_label and len(c.path) == d + 2):
            leaf = tc.path[d + 1]
            parts: list[Column] = []
            for label in others:
                sub = [c for c in cols if c.path[:d + 1] == p + (label,)]
                part = next((c for c in sub if c.path[d + 1:] == (leaf,)), None) or next(
                    (c for c in sub if len(c.path) == d + 3 and c.path[d + 2] == leaf
                     and TOTAL_LEAF.match(clean_level(c.path[d + 1]))), None)
                if part is None:
                    parts = []
                    break
                parts.append(part)
            if parts:
                out.append((tc, parts, p))
    return out
