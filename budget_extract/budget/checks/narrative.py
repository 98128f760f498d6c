"""The 情况说明 text against the tables: each stated amount naming a table cell.

The matching lives in :mod:`budget_extract.budget.reconcile` (the figures are parsed by
:mod:`budget_extract.budget.narrative`); this family only gives it its place among the
check families, so that every source of checks is listed in one registry.
"""

from __future__ import annotations

from typing import Any

from ...model import Check, Table
from ..reconcile import reconcile


def narrative_checks(figures: list[dict[str, Any]], tables: list[Table]) -> list[Check]:
    """``narrative.SECTION.SUBJECT``: each narrative figure's amount against its cell (the
    figures record what they matched, as reconcile.py does)."""
    return reconcile(figures, tables)
