"""What the document-level checks read besides the tables: its text lines with their pages,
its 目录, whether it is a blank template.

The structure checks (:mod:`.structure`) compare the 目录 with the printed tables; the text
hygiene checks (:mod:`.hygiene`) read the lines.  Both need the page of what they quote, and
neither may read the 目录 itself or page furniture (a running header repeats on every page)
as document text — so the lines are taken once, here, from the reader's blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ...model import Block, Check, Table, TableKind
from ...segment import Segmentation, TocEntry, norm

# Kinds a blank template, a table list or a form may have without being a budget table.
NOT_BUDGET_TABLES = frozenset({TableKind.UNKNOWN, TableKind.UNIT_LIST,
                               TableKind.PERFORMANCE_TARGET})


@dataclass(frozen=True)
class Line:
    """One text line of the document (no table cell, no 目录 line, no page furniture)."""

    text: str
    page: int | None
    heading: bool


@dataclass
class DocText:
    """The text of a document as the document-level checks read it.

    ``joined`` is every line run together (Chinese prose wraps mid-sentence: a reason may
    end a line and its 。 open the next); ``starts`` holds where each line begins in it, so
    that a match is placed back on its page.
    """

    lines: list[Line]
    toc: list[TocEntry] = field(default_factory=list)
    toc_page: int | None = None
    joined: str = ""
    starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        pos = 0
        parts = []
        self.starts = []
        for ln in self.lines:
            self.starts.append(pos)
            parts.append(ln.text)
            pos += len(ln.text)
        self.joined = "".join(parts)

    def page_at(self, offset: int) -> int | None:
        """The page of the line holding ``joined[offset]``."""
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return self.lines[lo].page if self.lines else None

    def page_of(self, text: str) -> int | None:
        """The page where ``text`` is printed (spaces ignored): the whole of it, else its
        beginning (a sentence the parser quotes shortened)."""
        full = norm(text)
        flat = norm(self.joined)
        at = -1
        for want in (full, full[:24], full[:12]):
            if want and (at := flat.find(want)) >= 0:
                break
        if at < 0:
            return None
        # map the offset in the space-free text back to the joined text
        seen = -1
        for i, ch in enumerate(self.joined):
            if not ch.isspace():
                seen += 1
                if seen == at:
                    return self.page_at(i)
        return None


def document_text(blocks: list[Block], seg: Segmentation) -> DocText:
    """The document's text lines (not the 目录, not furniture, not table cells)."""
    lines = [Line(text=b.text, page=b.page, heading=b.kind == "heading")
             for i, b in enumerate(blocks)
             if b.kind != "table" and i not in seg.toc_blocks and i not in seg.furniture
             and b.text.strip()]
    toc_pages = [blocks[i].page for i in sorted(seg.toc_blocks) if blocks[i].page is not None]
    return DocText(lines=lines, toc=list(seg.toc), toc_page=toc_pages[0] if toc_pages else None)


@dataclass
class DocCtx:
    """Everything a document-level check reads: the interpreted tables, the text, the title
    block (year, phase), the 情况说明 figures, and whether the file has a 情况说明 at all."""

    tables: list[Table]
    text: DocText
    meta: dict[str, Any]
    figures: list[dict[str, Any]] = field(default_factory=list)
    has_explanation: bool = False


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
