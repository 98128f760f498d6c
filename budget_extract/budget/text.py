"""The document's text: its lines with their pages (no table cell, no 目录 line, no page
furniture, nothing blank) and its 情况说明/概况 sections as runs of those lines, each
normalised once.

One rule says what is text, for every reader of it: the 情况说明 checks (the figures
against the tables, what the prose claims) and the document-level checks (目录, empty
tables, text hygiene) used to build the text each on its own rules — one took every
non-table block of a section, 目录 lines and running headers included, the other left
those out.  :mod:`.prose` reads the sections once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Block
from ..segment import Segmentation, TocEntry, norm
from .narrative import normalize_text

__all__ = ["DocText", "Line", "ProseSection", "document_text", "prose_sections"]

_PARTS = ("explanation", "overview")


@dataclass(frozen=True)
class Line:
    """One text line of the document (no table cell, no 目录 line, no page furniture)."""

    text: str
    page: int | None
    heading: bool
    block: int = -1  # its index in the reader's block stream


@dataclass
class DocText:
    """The text of a document: its lines, its 目录 and the 目录's page.

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
    lines = [Line(text=b.text, page=b.page, heading=b.kind == "heading", block=i)
             for i, b in enumerate(blocks)
             if b.kind != "table" and i not in seg.toc_blocks and i not in seg.furniture
             and b.text.strip()]
    toc_pages = [blocks[i].page for i in sorted(seg.toc_blocks) if blocks[i].page is not None]
    return DocText(lines=lines, toc=list(seg.toc), toc_page=toc_pages[0] if toc_pages else None)


@dataclass
class ProseSection:
    """A 情况说明/概况 section: the segmenter's heading and text, normalised once
    (:func:`~budget_extract.budget.narrative.normalize_text`), and its lines with their
    pages."""

    part: str
    heading: str
    text: str
    lines: list[Line] = field(default_factory=list)
    start_block: int = -1
    head: str = field(init=False)  # the heading, normalised
    body: str = field(init=False)  # the text, normalised
    _joined: tuple[str, list[int], list[int | None]] | None = field(
        default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.head = normalize_text(self.heading)
        self.body = normalize_text(self.text)

    def page_of(self, snippet: str) -> int | None:
        """The page printing ``snippet`` (normalized text): the line it starts in, else the
        section's first page (Markdown and HTML have none)."""
        joined, starts, pages = self._index()
        i = joined.find(snippet) if snippet else -1
        first = next((p for p in pages if p is not None), None)
        if i < 0:
            return first
        page = None
        for start, p in zip(starts, pages, strict=True):
            if start <= i and p is not None:
                page = p
            if start > i:
                break
        return page if page is not None else first

    def _index(self) -> tuple[str, list[int], list[int | None]]:
        """The lines' normalised text run together, where each line starts in it and its
        page, built once per section (``page_of`` is asked for every claim)."""
        if self._joined is None:
            texts = [normalize_text(ln.text) for ln in self.lines]
            starts, pos = [], 0
            for t in texts:
                starts.append(pos)
                pos += len(t)
            self._joined = ("".join(texts), starts, [ln.page for ln in self.lines])
        return self._joined


def prose_sections(seg: Segmentation, text: DocText, n_blocks: int) -> list[ProseSection]:
    """The 情况说明/概况 sections of a segmentation, each with its own text lines."""
    out: list[ProseSection] = []
    starts = [s.start_block for s in seg.sections] + [n_blocks]
    k = 0
    for s, end in zip(seg.sections, starts[1:], strict=True):
        if s.part not in _PARTS or not (s.text or s.heading):
            continue
        stop = max(end, s.start_block + 1)
        while k < len(text.lines) and text.lines[k].block < s.start_block:
            k += 1
        own = []
        j = k
        while j < len(text.lines) and text.lines[j].block < stop:
            own.append(text.lines[j])
            j += 1
        out.append(ProseSection(s.part, s.heading, s.text, own, s.start_block))
    return out
