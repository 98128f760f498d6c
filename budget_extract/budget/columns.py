"""Canonical column ids and row roles: one vocabulary over many printed templates.

The same figure is printed under different headers from one province or year to the next:
``合计`` in the 淮北 支出总表 is ``支出预算/合计`` in 上海; ``基本支出/小计`` in one
一般公共预算支出表 is a plain ``基本支出`` in another; ``本年收入/单位资金/小计`` and
``收入预算/财政拨款收入`` name income sources at different depths.  The accounting checks
must find "the 基本支出 column of the 一般公共预算支出表" whatever the template, so every
header path is mapped here to a short stable id (``total``, ``basic``, ``basic_personnel``,
``general_budget``, ``carryover_general_budget`` …).  Context matters: ``一般公共预算``
under ``上年结转结余`` is a carry-over, not this year's appropriation, and ``小计`` means
the total of whatever group it heads.

Side-by-side tables (收支总表, 财政拨款收支总表) prefix the id with the half the column
belongs to (``income_amount``, ``expenditure_general_budget``) so ids stay unique per table.

Row labels get a role too: ``total`` (合计, 总计, 收入总计 …) or ``subtotal`` (本年收入小计,
本年支出合计 …), so the checks know which printed rows claim to be sums.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "canonical_id",
    "clean_level",
    "item_name",
    "item_rank",
    "row_role",
    "source_id",
]

_WS = re.compile(r"\s+")
_DUP = re.compile(r"#\d+$")
# Brackets and quotes vary between templates (（）/()、“”/""/「」); compare without them.
_QUOTES = re.compile(r"[\"'“”‘’「」『』]")


@lru_cache(maxsize=1 << 16)  # every header level and row label, compared many times
def clean_level(text: str) -> str:
    """A header level or row label as compared here: no whitespace, no quotes, ASCII brackets,
    no ``#2`` de-duplication suffix."""
    t = _WS.sub("", text or "")
    t = _DUP.sub("", t)
    t = _QUOTES.sub("", t)
    return t.replace("（", "(").replace("）", ")")


# --------------------------------------------------------------------------- sources

# Money sources, as columns (收入总表, 项目支出表, 政府采购支出表 …) or as 收入 items of a
# 收支总表.  Anchored so that e.g. ``政府性基金预算支出`` (a group heading) is not a source.
_SOURCES: list[tuple[str, re.Pattern[str]]] = [
    ("general_budget", re.compile(r"^(本年)?一般公共预算(收入|资金|拨款|拨款收入|财政拨款)?$")),
    ("gov_fund", re.compile(r"^(本年)?政府性基金(预算)?(收入|资金|拨款|拨款收入|财政拨款)?$")),
    ("state_capital", re.compile(r"^(本年)?国有资本经营预算?(收入|资金|拨款|拨款收入|财政拨款)?$")),
    ("fiscal_special", re.compile(r"^财政专户(管理资金)?(收入)?$")),
    ("unit_funds", re.compile(r"^(单位资金|其他收入安排)$")),
    ("fiscal_grants", re.compile(r"^(本年)?财政拨款(收入)?$")),
    ("business_income", re.compile(r"^事业收入$")),
    ("operating_income", re.compile(r"^(事业单位)?经营收入$")),
    ("superior_subsidy", re.compile(r"^上级补助收入$")),
    ("subsidiary_remit", re.compile(r"^附属单位上缴收入$")),
    ("other_income", re.compile(r"^其他收入$")),
    ("carryover", re.compile(r"^(上年)?结转(结余)?(收入)?$|^上年结转结余$|^上年结余[、,，]?结转$")),
]


def source_id(name: str) -> str | None:
    """The money source a label or header level names (``一般公共预算拨款`` →
    ``general_budget``, ``其他收入安排`` → ``unit_funds``), or None."""
    t = clean_level(name)
    for sid, pat in _SOURCES:
        if pat.match(t):
            return sid
    return None


# --------------------------------------------------------------------------- columns

_TOTAL = re.compile(r"^(合计|总计|小计|预算合计|金额合计|支出总计|收入总计)$")
_CARRY_CTX = re.compile(r"上年结转|结转结余|结转和结余")
_CURRENT_GRANTS_CTX = re.compile(r"^本年财政拨款")
_SIDE_INCOME = re.compile(r"收入|收\s*入")
_SIDE_EXPENDITURE = re.compile(r"支出|支\s*出")

# Leaf rules that do not depend on context; first match wins.
_LEAF: list[tuple[str, re.Pattern[str]]] = [
    ("basic_personnel", re.compile(r"^人员经费$")),
    ("basic_public", re.compile(r"^(日常)?公用经费$")),
    ("basic", re.compile(r"^基本支出$")),
    ("project", re.compile(r"^项目支出$")),
    ("operating_expenditure", re.compile(r"^(事业单位)?经营支出$")),
    ("remit_superior", re.compile(r"^上缴上级支出$")),
    ("subsidy_subsidiary", re.compile(r"^对附属单位补助支出$")),
    ("current_year_income", re.compile(r"^本年收入$")),
    ("current_year_expenditure", re.compile(r"^本年支出$")),
    ("outbound_travel", re.compile(r"^因公出国\(境\)费(用)?$")),
    ("official_reception", re.compile(r"^公务接待费$")),
    ("vehicle", re.compile(r"^公务用车购置及运行(维护)?费$")),
    ("vehicle_purchase", re.compile(r"^(公务用车)?购置费$")),
    ("vehicle_operation", re.compile(r"^(公务用车)?运行(维护)?费$")),
    ("admin_operating", re.compile(r"^机关运行经费(预算数|预算)?$")),
    # 决算 columns: the balances carried into and out of the year, and the budget stages
    ("opening_balance", re.compile(r"^年初(财政拨款)?结转和?结余$")),
    ("closing_balance", re.compile(r"^年末(财政拨款)?结转和?结余$")),
    ("balance_distribution", re.compile(r"^结余分配$")),
    ("initial_budget", re.compile(r"^年初预算(数)?$")),
    ("adjusted_budget", re.compile(r"^(调整预算|全年预算)(数)?$")),
    ("amount", re.compile(r"^(预算数|预算金额.*|金额.*|购买金额|本年预算数|预算)$")),
    ("quantity", re.compile(r"^(购买)?数量.*$")),
    # stubs and codes
    ("code", re.compile(r"^.*(科目)?(编码|代码)$")),
    ("name", re.compile(r"^.*科目(名称)?$")),
    ("project_name", re.compile(r"^项目名称$")),
    ("project_unit", re.compile(r"^项目单位$")),
    ("unit_name", re.compile(r"^(部门\(单位\)|单位|部门)名称$")),
    ("procurement_item", re.compile(r"^政府采购品目(名称)?$")),
    ("index", re.compile(r"^(序号|编号|行次|栏次)$")),
    ("item", re.compile(r"^项目$")),
]

_CODE_PART = {"类": "code_class", "款": "code_section", "项": "code_item"}

# What a 合计/小计 leaf totals, from the nearest group heading above it that says.
_GROUP_TOTAL: list[tuple[str, re.Pattern[str]]] = [
    ("basic", re.compile(r"^基本支出$")),
    ("project", re.compile(r"^项目支出$")),
    ("vehicle", re.compile(r"^公务用车")),
    ("current_year_income", re.compile(r"^本年收入$")),
    ("current_year_expenditure", re.compile(r"^本年支出$")),
]
_CARRY_WORDS = re.compile(r"上年|结转|结余|和")


def _group_total(group: str, carry_above: bool) -> str | None:
    """What a 合计/小计 directly under ``group`` totals, or None for a plain wrapper heading
    (支出预算, 一般公共预算支出, "三公"经费预算数 …) that leaves it to the level above."""
    if _CARRY_CTX.search(group):
        rest = source_id(_CARRY_WORDS.sub("", group))
        return "carryover_" + rest if rest and rest != "carryover" else "carryover"
    sid = source_id(group)
    if sid is not None:
        return ("carryover_" if carry_above else "") + sid
    for cid, pat in _GROUP_TOTAL:
        if pat.search(group):
            return cid
    return None


def _side_prefix(kind: str, path: tuple[str, ...]) -> str:
    if kind not in ("income_expenditure_summary", "fiscal_grant_summary") or len(path) < 2:
        return ""
    top = path[0]
    if _SIDE_INCOME.search(top):
        return "income_"
    if _SIDE_EXPENDITURE.search(top):
        return "expenditure_"
    return ""


def canonical_id(kind: str, path: tuple[str, ...]) -> str | None:
    """The canonical id of a column printed under ``path`` in a table of ``kind``.

    ``kind`` is the table's contract kind; ``path`` its header path, top level first (the
    ``#2`` suffixes of repeated paths are ignored).  None when the header says nothing this
    vocabulary knows — the caller then falls back to the printed path.
    """
    levels = tuple(clean_level(p) for p in path if clean_level(p))
    if not levels:
        return None
    prefix = _side_prefix(kind, levels)
    leaf = levels[-1]
    parents = levels[:-1]
    carry = any(_CARRY_CTX.search(p) for p in parents)

    if leaf in _CODE_PART and any("编码" in p or "代码" in p for p in parents):
        return _CODE_PART[leaf]
    if _TOTAL.match(leaf):
        for i in range(len(parents) - 1, -1, -1):
            above = any(_CARRY_CTX.search(p) for p in parents[:i])
            cid = _group_total(parents[i], above)
            if cid is not None:
                return prefix + cid
        return prefix + "total"
    sid = source_id(leaf)
    if sid is not None:
        if sid == "carryover":
            return prefix + sid
        if carry:
            return prefix + "carryover_" + sid
        return prefix + sid
    for cid, pat in _LEAF:
        if pat.match(leaf):
            return prefix + cid
    return None


# --------------------------------------------------------------------------- rows

_ROW_TOTAL = re.compile(r"^(收入|支出|收支|本部门|部门|单位|本单位)?(总计|合计)$")
_ROW_SUBTOTAL = re.compile(r"^(本年(收入|支出)(小计|合计)|.{0,8}小计)$")


def row_role(label: str) -> str | None:
    """``total`` for rows that claim to be the table's grand total (合计, 总计, 收入总计,
    支出总计 …), ``subtotal`` for partial sums (本年收入小计, 本年支出合计, 小计 …), else None.

    Whitespace inside the label is ignored (``收 入 总 计`` is printed letter-spaced).
    """
    t = item_name(label)
    if not t:
        return None
    if _ROW_SUBTOTAL.match(t):
        return "subtotal"
    if _ROW_TOTAL.match(t):
        return "total"
    return None


# Item numbering in side-by-side tables: 一、 (rank 1), （一） (rank 2), 1. / 1、 / （1） (rank 3).
_CN = "一二三四五六七八九十百零〇"
_RANK1 = re.compile(rf"^[{_CN}]+[、.．,，]")
_RANK2 = re.compile(rf"^[(（][{_CN}]+[)）]、?")
_RANK3 = re.compile(r"^(\d+[、.．,，](?!\d)|[(（]\d+[)）]、?)")


def item_rank(label: str) -> int:
    """How deep a numbered item sits: 1 for ``一、``, 2 for ``（一）``, 3 for ``1.``/``（1）``,
    4 for an unnumbered label."""
    t = _WS.sub("", label or "")
    if _RANK1.match(t):
        return 1
    if _RANK2.match(t):
        return 2
    if _RANK3.match(t):
        return 3
    return 4


def item_name(label: str) -> str:
    """A label without whitespace, quotes and its leading item number (``八、社会保障和就业支出``
    → ``社会保障和就业支出``), for matching the same item across tables."""
    t = _WS.sub("", label or "")
    for pat in (_RANK2, _RANK1, _RANK3):
        m = pat.match(t)
        if m:
            t = t[m.end():]
            break
    return clean_level(t)
