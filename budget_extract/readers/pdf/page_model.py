"""A neutral view of a PDF page: characters and ruling segments, nothing else.

The table detector and the reader work on these plain dataclasses, never on a PDF
library's objects, so a second backend (pypdfium2, faster on huge files) can stand beside
pdfplumber without touching them (see :mod:`.backend`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Char:
    """One glyph in page coordinates (origin top-left, as pdfplumber reports them)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    upright: bool = True
    render_mode: int = 0
    """The PDF text rendering mode (``Tr``; 3 = invisible), where the engine reports it."""
    fill: tuple[float, float, float] | None = None
    """The fill colour as RGB in 0..1, where the engine reports it (None: unknown)."""


@dataclass(slots=True)
class Segment:
    """A ruling line, normalised to be exactly horizontal (top == bottom) or vertical."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return self.top == self.bottom

    @property
    def length(self) -> float:
        return (self.x1 - self.x0) if self.horizontal else (self.bottom - self.top)


@dataclass
class PageObjects:
    """What the table detector and reader need from one page."""

    number: int
    width: float
    height: float
    rotation: int
    chars: list[Char]
    segments: list[Segment]
    image_count: int = 0
    """Images on the page; with no characters they mark a scanned page."""
