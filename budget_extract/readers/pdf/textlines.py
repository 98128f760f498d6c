"""Characters into text: lines, CJK-aware joining, cell text, chunks and words.

Shared by the ruled-table code (a cell's characters), the borderless tables (words and
their cells) and the reader (paragraph lines).  Budget PDFs space CJK labels out
(``合    计``) and stack them in narrow cells (``政府/性基/金预/算``); the joining rules here
undo both without gluing numbers or Latin words together.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from .geometry import Word, bbox_of, cluster
from .page_model import Char

GAP_SPACE = 0.6
"""A horizontal gap wider than this × font size between two glyphs prints as a space."""

GAP_CHUNK = 3.0
"""A gap wider than this × font size splits a text line into separate pieces."""

GAP_FIGURE = 0.25
"""Where a figure meets CJK text (``358.58`` | ``一、本年支出``), a gap wider than this × font
size parts two words: an amount right-aligned in one column and the next column's label,
padded less than a space apart in a cramped table.  Running text prints ``2026年`` with no
gap at all."""

GAP_FIGURES = 0.4
"""Two figures this far apart (× font size) are two amounts of neighbouring columns
(``358.58`` | ``112.58`` 0.54 em apart), never one number: digits print edge to edge."""


def group_lines(chars: Iterable[Char]) -> list[list[Char]]:
    """Characters grouped into text lines by vertical position, top to bottom.

    A glyph joins the current line when its vertical centre is within half a glyph height
    of the line's; each line's characters are then sorted left to right.
    """
    # called for every cell and text block: min/max are spelt out as comparisons (same
    # results, ties included) and the current line's state is kept in locals
    ordered = sorted(chars, key=_TOP_X0)
    lines: list[list[Char]] = []
    line: list[Char] = []
    mid_l = height_l = 0.0
    for ch in ordered:
        top, bottom = ch.top, ch.bottom
        h = bottom - top
        if 0.1 > h:
            h = 0.1
        mid = (top + bottom) / 2
        if lines:
            near = 0.5 * (height_l if height_l < h else h)
            if not near > 1.0:
                near = 1.0
            if abs(mid - mid_l) <= near:
                line.append(ch)
                mid_l += (mid - mid_l) / len(line)
                if h > height_l:
                    height_l = h
                continue
        line = [ch]
        lines.append(line)
        mid_l, height_l = mid, h
    for line in lines:
        line.sort(key=_X0)
    return lines


_TOP_X0 = attrgetter("top", "x0")
_X0 = attrgetter("x0")


def _dedupe(chars: Sequence[Char]) -> list[Char]:
    """Drop glyphs printed twice at (almost) the same spot (fake bold)."""
    out: list[Char] = []
    for ch in chars:
        if out:
            p = out[-1]
            if p.text == ch.text and abs(p.x0 - ch.x0) < 0.3 * max(ch.size, 1.0):
                if abs(p.top - ch.top) < 0.3 * max(ch.size, 1.0):
                    continue
        out.append(ch)
    return out


def line_text(chars: Sequence[Char], *, cell: bool = False) -> str:
    """One line's characters (sorted left to right) as a string.

    CJK text is joined without spaces (distributed alignment like ``合    计`` prints as
    ``合计``).  A space is kept where the glyphs are visibly apart: in running text for any
    gap wider than ~0.6 em, or for an explicit space next to ASCII; in a table cell only
    between two ASCII characters, so ``1.00`` and ``201 13`` survive but CJK labels don't
    pick up padding.
    """
    out: list[str] = []
    prev: Char | None = None
    explicit = False
    for ch in _dedupe(chars):
        t = ch.text
        if not t or t.isspace():
            explicit = prev is not None
            continue
        if prev is not None:
            gap = ch.x0 - prev.x1
            size = max(min(prev.size, ch.size), 1.0)
            both_ascii = prev.text[-1].isascii() and t[0].isascii()
            if cell:
                space = both_ascii and (gap > GAP_SPACE * size or (explicit and gap > 0.15 * size))
            else:
                any_ascii = prev.text[-1].isascii() or t[0].isascii()
                space = gap > GAP_SPACE * size or (explicit and any_ascii and gap > 0.15 * size)
            if space:
                out.append(" ")
        out.append(t)
        prev = ch
        explicit = False
    return "".join(out)


def split_chunks(line: Sequence[Char], gap: float = GAP_CHUNK) -> list[list[Char]]:
    """Split a sorted line where glyphs are more than ``gap`` em apart."""
    chunks: list[list[Char]] = []
    cur: list[Char] = []
    last: Char | None = None
    for ch in line:
        if ch.text.isspace():
            if cur:
                cur.append(ch)
            continue
        if last is not None and ch.x0 - last.x1 > gap * max(min(last.size, ch.size), 1.0):
            while cur and cur[-1].text.isspace():
                cur.pop()
            chunks.append(cur)
            cur = []
        cur.append(ch)
        last = ch
    while cur and cur[-1].text.isspace():
        cur.pop()
    if cur:
        chunks.append(cur)
    return chunks


def join_wrapped(lines: Iterable[str]) -> str:
    """A cell's lines, top to bottom, joined with no separator (stacked CJK labels read
    as one word); only a wrap between two Latin letters gets a space back."""
    parts: list[str] = []
    for t in lines:
        if not t:
            continue
        if parts and parts[-1][-1:].isascii() and parts[-1][-1:].isalpha():
            if t[:1].isascii() and t[:1].isalpha():
                parts.append(" ")
        parts.append(t)
    return "".join(parts)


def cell_text(chars: Sequence[Char]) -> str:
    """A cell's characters as text: lines top to bottom joined with no separator.

    Narrow cells stack CJK labels (``政府/性基/金预/算``); joining without a separator
    restores ``政府性基金预算``.  Numbers never wrap in these tables.  Only a wrap between
    two Latin letters gets a space back.
    """
    visible = [c for c in chars if not c.text.isspace()]
    if not visible:
        return ""
    if sum(1 for c in visible if not c.upright) * 2 > len(visible):
        # rotated glyphs (vertical headers): read column by column
        cols = sorted(visible, key=lambda c: (round(c.x0), c.top))
        return "".join(c.text for c in _dedupe(cols))
    return join_wrapped(line_text(line, cell=True) for line in group_lines(chars))


def words_text(words: Sequence[Word]) -> str:
    """A cell's words as text: lines top to bottom joined with no separator (stacked CJK),
    a space only between ASCII words on one line or Latin letters across a wrap."""
    ordered = sorted(words, key=lambda w: (w.top, w.x0))
    lines: list[list[Word]] = []
    for w in ordered:
        if lines and w.top < lines[-1][0].bottom - 0.5 * (w.bottom - w.top):
            lines[-1].append(w)
        else:
            lines.append([w])
    texts = []
    for ln in lines:
        text = ""
        for w in sorted(ln, key=lambda w: w.x0):
            if text and text[-1].isascii() and w.text[:1].isascii():
                text += " "
            text += w.text
        texts.append(text)
    return join_wrapped(texts)


@dataclass
class TextChunk:
    """A run of text on one line, set apart from its neighbours by a gap."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class TextLine:
    """A visual line of text outside any ruled table.

    ``chunks`` split it only at wide gaps (≥ 3 em): the pieces that become paragraph
    blocks.  ``words`` split it at any visible gap (> 0.6 em): what column detection of
    borderless tables looks at.
    """

    chunks: list[TextChunk]
    words: list[TextChunk] = field(default_factory=list)

    @property
    def top(self) -> float:
        return min(c.top for c in self.chunks)

    @property
    def bottom(self) -> float:
        return max(c.bottom for c in self.chunks)


def _pieces(line: Sequence[Char], gap: float) -> tuple[list[TextChunk], list[TextChunk]]:
    """The line's pieces split at ``gap``, and the same split further where a figure meets
    CJK text a little apart (:data:`GAP_FIGURE`): the words column detection looks at."""
    out: list[TextChunk] = []
    words: list[TextChunk] = []
    for part in split_chunks(line, gap):
        text = line_text(part)
        if text:
            x0, top, x1, bottom = bbox_of(c for c in part if not c.text.isspace())
            out.append(TextChunk(text, x0, top, x1, bottom))
            subs = _figure_boundaries(part)
            if len(subs) == 1:
                words.append(out[-1])
                continue
            for sub in subs:
                if t := line_text(sub):
                    x0, top, x1, bottom = bbox_of(c for c in sub if not c.text.isspace())
                    words.append(TextChunk(t, x0, top, x1, bottom))
    return out, words


def _figure_like(t: str) -> bool:
    return t.isascii() and (t.isdigit() or t in ".,%")


def _figure_boundaries(part: Sequence[Char]) -> list[Sequence[Char]]:
    """``part`` cut where a figure's glyph and a CJK glyph stand more than
    :data:`GAP_FIGURE` em apart (either way round), or two figures' more than
    :data:`GAP_FIGURES` em."""
    cuts = []
    prev: Char | None = None
    for k, ch in enumerate(part):
        if ch.text.isspace():
            continue
        if prev is not None:
            a, b = _figure_like(prev.text), _figure_like(ch.text)
            gap = (ch.x0 - prev.x1) / max(min(prev.size, ch.size), 1.0)
            if (a != b and (not prev.text.isascii() or not ch.text.isascii())
                    and gap > GAP_FIGURE) or (a and b and gap > GAP_FIGURES):
                cuts.append(k)
        prev = ch
    if not cuts:
        return [part]
    bounds = [0, *cuts, len(part)]
    return [part[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def _join_words(words: list[TextChunk]) -> list[TextChunk]:
    """Words merged into chunks where less than 3 em apart (they print a space between)."""
    out = [words[0]]
    for w in words[1:]:
        last = out[-1]
        size = max(min(last.bottom - last.top, w.bottom - w.top), 1.0)
        if w.x0 - last.x1 > GAP_CHUNK * size:
            out.append(w)
        else:
            out[-1] = TextChunk(
                f"{last.text} {w.text}",
                last.x0,
                min(last.top, w.top),
                w.x1,
                max(last.bottom, w.bottom),
            )
    return out


def text_lines(chars: Iterable[Char]) -> list[TextLine]:
    """Characters outside tables as lines of chunks, top to bottom.

    Rotated glyphs are kept out of the horizontal lines: a column of them stacked at one
    x (a sideways label) reads as one line, top to bottom; scattered ones (a diagonal
    watermark) are dropped rather than sprinkled into the text.
    """
    upright: list[Char] = []
    rotated: list[Char] = []
    for c in chars:
        (upright if c.upright or c.text.isspace() else rotated).append(c)
    out: list[TextLine] = []
    for line in group_lines(upright):
        pieces, words = _pieces(line, GAP_SPACE)
        if pieces:
            out.append(TextLine(_join_words(pieces), words))
    if rotated:
        out.extend(_vertical_lines(rotated))
        out.sort(key=lambda ln: (ln.top, ln.chunks[0].x0))
    return out


def _vertical_lines(chars: list[Char]) -> list[TextLine]:
    """Rotated glyphs sharing an x position, as top-to-bottom lines of text."""
    out: list[TextLine] = []
    centres = [(c.x0 + c.x1) / 2 for c in chars]
    tol = max(1.0, 0.3 * min(c.size for c in chars))
    for group in cluster(centres, tol):
        col = sorted((chars[i] for i in group), key=lambda c: c.top)
        if len(col) < 2:
            continue
        text = "".join(c.text for c in _dedupe(col))
        x0, top, x1, bottom = bbox_of(col)
        chunk = TextChunk(text, x0, top, x1, bottom)
        out.append(TextLine([chunk], [chunk]))
    return out
