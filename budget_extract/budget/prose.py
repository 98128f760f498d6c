"""What the text of a document says, read once: the figures of its 情况说明/概况 sections,
the empty explanations, the 决算 statements and the dated headings.

The sections (:mod:`.text`) are parsed here once, and every check reads the result: the
narrative figures against the tables (:mod:`.reconcile`), what the prose claims
(:mod:`.checks.claims`), the document-level checks (:mod:`.checks.document`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import Block
from ..segment import Segmentation
from .claims import dated_statements, final_statements, prose_figures
from .narrative import empty_reasons_in
from .text import DocText, ProseSection, document_text, prose_sections

__all__ = ["Prose", "read_prose"]


@dataclass
class Prose:
    """Everything the text of one document says, read once."""

    text: DocText
    sections: list[ProseSection]
    figures: list[dict[str, Any]]  # every stated figure (情况说明 and 概况), reading order
    narrative: list[dict[str, Any]]  # the 情况说明's figures (the same dicts)
    empty_reasons: list[dict[str, Any]]  # explanations left empty (主要原因是。)
    statements: list[dict[str, Any]]  # the 决算 statements
    dated: list[dict[str, Any]]  # dated headings and 截至 dates

    @property
    def has_explanation(self) -> bool:
        """Whether the file has a 情况说明 with text (a 报表 file has none)."""
        return any(s.part == "explanation" and s.text.strip() for s in self.sections)

    @property
    def dated_heading_blocks(self) -> frozenset[int]:
        """The blocks of the headings whose year ``claims.heading_year`` checks: the text
        hygiene leaves them to it, so a wrong year is reported once."""
        return frozenset(d["block"] for d in self.dated if d["kind"] == "heading")


def read_prose(blocks: list[Block], seg: Segmentation, entity: str | None) -> Prose:
    """The document's text and its sections, each section parsed once."""
    text = document_text(blocks, seg)
    sections = prose_sections(seg, text, len(blocks))
    figures = prose_figures(sections, entity)
    narrative = [f for s, f in figures if s.part == "explanation"]
    empty = [e for s in sections if s.part == "explanation" and s.text
             for e in empty_reasons_in(s.body, s.heading)]
    return Prose(text=text, sections=sections, figures=[f for _, f in figures],
                 narrative=narrative, empty_reasons=empty, statements=final_statements(sections),
                 dated=dated_statements(sections))
