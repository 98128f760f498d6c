"""Give every coded row its level (类/款/项) and parent code.

The checks add children up to their parent (类 = Σ 款, 款 = Σ 项, 301 = Σ 301xx); for that
each row must know where it sits in the 科目 tree.  The rules for codes live in
:mod:`budget_extract.budget.codes`; this module only applies them to a built table, column
by column, so a table's scheme (功能分类 or 经济分类) is guessed from all its codes at once.
"""

from __future__ import annotations

from ..model import Table
from .codes import link_hierarchy

__all__ = ["link_codes"]


def link_codes(table: Table) -> None:
    """Set ``Row.level`` and ``Row.parent_code`` on the rows of ``table`` that carry a code.

    Rows without a code (合计, unit lines, side-by-side items) are left untouched.  Side-by-side
    tables are linked per side so one half's codes never become the other's parents.
    """
    sides = list(dict.fromkeys(r.side for r in table.rows))
    for side in sides:
        rows = [r for r in table.rows if r.side == side]
        if not any(r.code for r in rows):
            continue
        links = link_hierarchy([r.code for r in rows])
        for row, (level, parent) in zip(rows, links, strict=True):
            if row.code:
                row.level = level
                row.parent_code = parent
