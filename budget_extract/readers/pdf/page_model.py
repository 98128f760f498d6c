"""A neutral view of a PDF page: characters and ruling segments, nothing else.

The table detector and the reader work on these plain dataclasses, never on a PDF
library's objects, so a second backend (pypdfium2, faster on huge files) can stand beside
pdfplumber without touching them (see :mod:`.backend`).
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
    """The text rendering mode (``Tr``): 3 paints nothing, 7 only clips (both invisible)."""
    hscale: float = 1.0
    """Horizontal scaling (``Tz`` / 100): 0 squeezes the glyph to nothing."""
    fill: tuple[float, ...] | None = None
    """The fill colour's components (gray, RGB or CMYK) when known; None otherwise."""
    confidence: float | None = None
    """OCR recognition confidence (0–1) of the line the glyph was read in; None for a
    text layer."""


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
    view: tuple[float, float, float, float] | None = None
    """The crop box (x0, top, x1, bottom) in these coordinates — what a viewer shows —
    when smaller than the page; None: the whole page."""
    backgrounds: list[tuple[float, float, float, float]] = field(default_factory=list)
    """Boxes (x0, top, x1, bottom) painted in a colour other than white, and images: where
    white text can be seen.  Elsewhere the page is white paper."""
    skipped: str = ""
    """Why the page was not read (it went over its budget: :mod:`.pagebudget`), else ''.
    A skipped page has no objects; the reader names it in a warning."""
