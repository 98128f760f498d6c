"""Give every coded row its level (类/款/项) and parent code.

The checks add children up to their parent (类 = Σ 款, 款 = Σ 项, 301 = Σ 301xx); for that
each row must know where it sits in the 科目 tree.  The rules for codes live in
:mod:`budget_extract.budget.codes`; this module only applies them to a built table, column
by column, so a table's scheme (功能分类 or 经济分类) is guessed from all its codes at once.

Two more ways of placing a row live here because the checks need them too: unit codes
(单位编码 121 / 121001) nest by prefix, not by the 科目 rules; and a line printed without
any code (a 收支总表's 支出 side, 杭州's whole 支出总表) is placed by its name — a national
类 name, or a name the document prints with a code elsewhere.
"""

from __future__ import annotations

import re

from ..model import Table
from .codes import link_hierarchy
from .columns import item_name

__all__ = ["CLASS_NAMES", "ECONOMIC_CLASS_NAMES", "link_codes", "subject_level",
           "subject_levels", "unit_coded"]


def link_codes(table: Table) -> None:
    """Set ``Row.level`` and ``Row.parent_code`` on the rows of ``table`` that carry a code.

    Rows without a code (合计, unit lines, side-by-side items) are left untouched.  Side-by-side
    tables are linked per side so one half's codes never become the other's parents.
    """
    sides = list(dict.fromkeys(r.side for r in table.rows))
    units = unit_coded(table)
    for side in sides:
        rows = [r for r in table.rows if r.side == side]
        if not any(r.code for r in rows):
            continue
        links = _link_units([r.code for r in rows]) if units else \
            link_hierarchy([r.code for r in rows])
        for row, (level, parent) in zip(rows, links, strict=True):
            if row.code:
                row.level = level
                row.parent_code = parent


_UNIT_CODE = re.compile(r"(单位|部门)(编码|代码|编号)")


def unit_coded(table: Table) -> bool:
    """Whether the table's codes are unit codes (西安 单位编码 121 / 121001, 苏州 部门代码
    024 / 024001), not 科目 codes: its code columns' headers all say so (a 政府采购表 with
    类/款/项 columns beside a 单位编码 keeps the 科目 rules)."""
    codes = [c for c in table.columns if c.role == "code"]
    return bool(codes) and all(_UNIT_CODE.search(c.key) for c in codes)


def _link_units(codes: list[str]) -> list[tuple[int | None, str | None]]:
    """Unit codes nest by prefix: a unit's parent is the longest code printed before it
    that begins its own (121001 under the 部门 121); the level is the depth."""
    seen: list[str] = []
    depth: dict[str, int] = {}
    out: list[tuple[int | None, str | None]] = []
    for raw in codes:
        c = "".join(raw.split())
        if not c:
            out.append((None, None))
            continue
        parent = max((p for p in seen if c.startswith(p) and c != p), key=len, default=None)
        depth[c] = depth[parent] + 1 if parent is not None else 1
        out.append((depth[c], parent))
        seen.append(c)
    return out


# The 类 of the 支出功能分类科目 (2026 national list, 201–234): a 收支总表 printing its 支出
# lines without codes (杭州, 深圳) still names its 类 by these names.
CLASS_NAMES = frozenset((
    "一般公共服务支出", "外交支出", "国防支出", "公共安全支出", "教育支出", "科学技术支出",
    "文化旅游体育与传媒支出", "社会保障和就业支出", "社会保险基金支出", "卫生健康支出",
    "节能环保支出", "城乡社区支出", "农林水支出", "交通运输支出", "资源勘探工业信息等支出",
    "商业服务业等支出", "金融支出", "援助其他地区支出", "自然资源海洋气象等支出", "住房保障支出",
    "粮油物资储备支出", "国有资本经营预算支出", "灾害防治及应急管理支出", "预备费", "其他支出",
    "转移性支出", "债务还本支出", "债务付息支出", "债务发行费用支出", "抗疫特别国债安排的支出",
))


# The 类 of the 部门预算支出经济分类科目 (301–399), for tables listing them by name only.
ECONOMIC_CLASS_NAMES = frozenset((
    "工资福利支出", "商品和服务支出", "对个人和家庭的补助", "债务利息及费用支出",
    "资本性支出(基本建设)", "资本性支出", "对企业补助(基本建设)", "对企业补助",
    "对社会保障基金补助", "其他支出",
))


def subject_levels(tables: list[Table]) -> dict[str, set[int]]:
    """科目 name → the levels (1 类, 2 款, 3 项) it is printed at in the document's coded
    功能分类 rows: how an uncoded line elsewhere (a 收支总表's 支出 side) is placed."""
    out: dict[str, set[int]] = {}
    for t in tables:
        if t.code_scheme != "function":
            continue
        for r in t.rows:
            if r.code and r.level in (1, 2, 3) and r.label:
                out.setdefault(item_name(r.label), set()).add(r.level)
    return out


def subject_level(name: str, levels: dict[str, set[int]]) -> int | None:
    """The level an uncoded 科目 line sits at: the one level the document prints that name
    at, else 1 for a national 类 name, else None (not known)."""
    got = levels.get(name, set())
    if len(got) == 1:
        return next(iter(got))
    if name in CLASS_NAMES:
        return 1
    return None
