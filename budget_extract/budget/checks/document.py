"""The checks of the document as a whole — its 目录 against the printed tables, its empty
tables, its text — run after the accounting, 情况说明 and 绩效目标表 checks.

They read what the table checks do not: the text lines with their pages and the 目录
(:class:`..prose.Prose`, the text read once for these and the 情况说明 checks).  The
families and their order are :data:`~budget_extract.budget.checks.registry.DOCUMENT_FAMILIES`.
"""

from __future__ import annotations

from typing import Any

from ...model import Check, Table
from ..prose import Prose
from .doctext import DocCtx
from .registry import DOCUMENT_FAMILIES


def document_checks(tables: list[Table], meta: dict[str, Any], prose: Prose) -> list[Check]:
    """Structure and text hygiene findings, family by family; a family that hits something
    unexpected records one ``skip`` and the others still run."""
    c = DocCtx(tables=tables, text=prose.text, meta=meta, figures=prose.narrative,
               has_explanation=prose.has_explanation,
               dated_headings=prose.dated_heading_blocks)
    checks: list[Check] = []
    for fam in DOCUMENT_FAMILIES:
        try:
            fam.run(checks, c)
        except Exception as exc:  # noqa: BLE001 - one odd document must not stop the rest
            checks.append(Check(id=f"document.{fam.name}.error", status="skip",
                                message=f"these checks could not run ({type(exc).__name__}: "
                                        f"{exc})"))
    return checks
