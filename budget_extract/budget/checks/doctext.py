"""What the document-level checks read besides the tables: its text lines with their pages,
its 目录, whether it is a blank template.

The structure checks (:mod:`.structure`) compare the 目录 with the printed tables; the text
hygiene checks (:mod:`.hygiene`) read the lines.  Both need the page of what they quote, and
neither may read the 目录 itself or page furniture (a running header repeats on every page)
as document text — so the lines are :func:`..text.document_text`'s, the same the 情况说明
checks read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ...model import Check, Table, TableKind
from ..text import DocText, Line

# Kinds a blank template, a table list or a form may have without being a budget table.
NOT_BUDGET_TABLES = frozenset({TableKind.UNKNOWN, TableKind.UNIT_LIST,
                               TableKind.PERFORMANCE_TARGET})


@dataclass
class DocCtx:
    """Everything a document-level check reads: the interpreted tables, the text, the title
    block (year, phase), the 情况说明 figures, whether the file has a 情况说明 at all, and
    the blocks of the headings whose year the claims check (``claims.heading_year``)."""

    tables: list[Table]
    text: DocText
    meta: dict[str, Any]
    figures: list[dict[str, Any]] = field(default_factory=list)
    has_explanation: bool = False
    dated_headings: frozenset[int] = frozenset()


__all__ = ["DocCtx", "DocText", "Line", "add", "at", "blank_template", "on", "page_ref",
           "quote"]


def blank_template(tables: list[Table]) -> bool:
    """A blank template (such as the national 决算 template): budget tables are printed and
    none of them holds an amount.  Its text is placeholders by design (上海市XX局, XXX万元,
    增加（减少）), which the hygiene checks must not report."""
    budget = [t for t in tables if t.kind not in NOT_BUDGET_TABLES]
    return len(budget) >= 3 and all(t.empty for t in budget)


def at(page: int | None) -> str:
    """A check id's page suffix: ``.p17`` on a paged source, nothing where the source
    (Markdown, HTML) has no pages."""
    return "" if page is None else f".p{page}"


def on(page: int | None) -> str:
    """A message's page mention: `` (p.17)``, or nothing without pages."""
    return "" if page is None else f" (p.{page})"


def page_ref(page: int | None, **extra: Any) -> dict[str, Any]:
    """A reference to a place in the text (not a table cell)."""
    return {"page": page, **extra}


def add(checks: list[Check], cid: str, status: str, message: str,
        refs: list[dict[str, Any]]) -> None:
    """Append a check, its id made unique with ``#N`` as :func:`run_checks` does."""
    ids = {c.id for c in checks}
    unique, n = cid, 1
    while unique in ids:
        n += 1
        unique = f"{cid}#{n}"
    checks.append(Check(id=unique, status=status, message=message,  # type: ignore[arg-type]
                        refs=refs))


_WS = re.compile(r"\s+")


def quote(text: str, start: int, end: int, width: int = 24) -> str:
    """The match with some context, on one line: ``…上海市XX局2024年度…``."""
    a, b = max(0, start - width), min(len(text), end + width)
    inner = _WS.sub(" ", text[a:b]).strip()
    return f"{'…' if a > 0 else ''}{inner}{'…' if b < len(text) else ''}"
