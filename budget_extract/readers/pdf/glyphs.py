"""Text layers that are there but cannot be read as they are: undecodable or sideways.

Two kinds of PDF have a text layer that yields no table, and deserve their own message
rather than "not a budget disclosure":

* fonts without a Unicode mapping (a CID font with ``Identity-H`` encoding and no
  ``ToUnicode`` table): the reader gets glyph numbers (pdfminer writes ``(cid:1234)``,
  PDFium U+FFFD), and copying text from a viewer gives the same garbage;
* tables printed sideways on the page (turned 90°, the page not marked as rotated): the
  characters are not upright, and lines run down the page instead of across it.

:class:`GlyphCensus` counts both over the pages as they are read (backend-neutral: it
looks at :class:`~.page_model.Char` only).
"""

from __future__ import annotations

from ...pagelist import page_list
from .page_model import Char

UNDECODABLE_SHARE = 0.3
"""Past this share of a file's characters undecodable, its text is refused as unreadable."""

SIDEWAYS_SHARE = 0.5
"""A page whose characters are mostly not upright has its text running sideways."""

SIDEWAYS = "the text runs sideways"
"""The start of the warning for sideways pages (the pipeline words its error on it)."""


def _undecodable(text: str) -> bool:
    return text.startswith("(cid:") or text == "\ufffd"


class GlyphCensus:
    """Per-page counts of visible, undecodable and not-upright characters."""

    def __init__(self) -> None:
        self.total = 0
        self.bad = 0
        self.bad_pages: list[int] = []
        self.sideways_pages: list[int] = []

    def add(self, number: int, chars: list[Char]) -> None:
        """Count page ``number``'s shown characters that are not blank (as
        :func:`~.visible.shown_glyphs` gives them)."""
        if not chars:
            return
        bad = sum(1 for c in chars if _undecodable(c.text))
        self.total += len(chars)
        self.bad += bad
        if bad:
            self.bad_pages.append(number)
        if sum(1 for c in chars if not c.upright) >= SIDEWAYS_SHARE * len(chars):
            self.sideways_pages.append(number)

    def undecodable_reason(self) -> str | None:
        """The error for a file whose text cannot be decoded, or None."""
        if not self.total or self.bad < UNDECODABLE_SHARE * self.total:
            return None
        return (f"the PDF's text cannot be decoded: {self.bad:,} of its {self.total:,} "
                "characters are glyph numbers with no Unicode mapping (fonts without a "
                "ToUnicode table); copying text from a viewer gives the same garbage — OCR "
                "the file or ask the publisher for another export")

    def warnings(self) -> list[str]:
        out = []
        if self.bad:
            out.append(f"{self.bad:,} character(s) on {page_list(self.bad_pages)} could not be "
                       "decoded (fonts without a Unicode mapping) and were read as glyph "
                       "numbers")
        if self.sideways_pages:
            out.append(f"{SIDEWAYS} on {page_list(self.sideways_pages)} (tables printed turned "
                       "on the page, the page not marked as rotated): rotate those pages "
                       "and extract again")
        return out

