"""What a viewer shows is what is read: characters a viewer does not paint are dropped.

A PDF can carry text nobody sees — by accident (a template's leftovers) or on purpose (to
make a machine read other numbers than a person): invisible text (rendering mode 3 or 7),
glyphs at size 0 or squeezed to zero width (horizontal scaling 0), white text on white
paper, text placed outside the page's visible box.  Read with the rest, such characters
merge into the visible words (``100.00`` read as ``100.007`` or ``10.0``).  This filter
works on the backend-neutral :class:`~.page_model.PageObjects` (whatever library read the
page), and says what it dropped, so the document's warnings can name it.
"""

from __future__ import annotations

from collections import Counter

from ...pagelist import page_list
from .drawing import is_white
from .page_model import Char, PageObjects, Segment

MIN_SIZE = 0.5
"""Glyphs smaller than this (points) cannot be read on screen or paper."""

_EDGE = 1.0  # points of slack at the page edge (rounding in the producer's coordinates)

REASONS = {
    "invisible": "invisible (rendering mode 3)",
    "tiny": "at font size 0",
    "squeezed": "at horizontal scaling 0",
    "white": "white on a white page",
    "outside": "outside the page's visible area",
}


def visible_box(page: PageObjects) -> tuple[float, float, float, float]:
    """(x0, top, x1, bottom) of what a viewer shows: the crop box when the backend knows
    it, else the whole page."""
    return page.view if page.view is not None else (0.0, 0.0, page.width, page.height)


def _cut_columns(page: PageObjects) -> tuple[list[float], list[float]]:
    """x of the vertical rulings that run into the top edge, and into the bottom edge, of
    the visible box from inside it: the columns of a table cut by the page edge."""
    _, vtop, _, vbottom = visible_box(page)
    top, bottom = [], []
    for g in page.segments:
        if g.horizontal:
            continue
        if g.top <= vtop + _EDGE and g.bottom > vtop + _EDGE:
            top.append(g.x0)
        if g.bottom >= vbottom - _EDGE and g.top < vbottom - _EDGE:
            bottom.append(g.x0)
    return top, bottom


def _in_cut_cell(cx: float, xs: list[float]) -> bool:
    return any(x <= cx for x in xs) and any(x >= cx for x in xs)


def hidden_reason(c: Char, page: PageObjects,
                  cut: tuple[list[float], list[float]] | None = None) -> str | None:
    """Why ``c`` is not shown on ``page`` (a key of :data:`REASONS`), or None.

    Text above or below the page inside a table column that the page edge cuts is kept:
    office exports draw a cell that runs over a page break whole on both pages (its label
    centred on the full cell, possibly off the page), and the table reader needs that
    label to join the parts; anything else off the page is not shown, and not read."""
    if c.render_mode in (3, 7) and not _over_image(c, page):
        return "invisible"
    if c.size < MIN_SIZE:
        return "tiny"
    if c.hscale == 0:
        return "squeezed"
    cx, cy = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
    vx0, vtop, vx1, vbottom = visible_box(page)
    if not vx0 - _EDGE <= cx <= vx1 + _EDGE:
        return "outside"
    if not vtop - _EDGE <= cy <= vbottom + _EDGE:
        top, bottom = cut if cut is not None else _cut_columns(page)
        if not _in_cut_cell(cx, top if cy < vtop else bottom):
            return "outside"
    if c.fill is not None and is_white(c.fill) and not any(
            x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in page.backgrounds):
        return "white"
    return None


def _over_image(c: Char, page: PageObjects) -> bool:
    """Invisible text over a page image: a searchable scan's OCR layer, which says what the
    image shows (the same words, where a viewer's search finds them) — read, not hidden."""
    if not page.image_count:
        return False
    cx, cy = (c.x0 + c.x1) / 2, (c.top + c.bottom) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in page.backgrounds)


def drop_hidden(page: PageObjects) -> Counter[str]:
    """Remove the characters a viewer does not show from ``page``; count them by reason.
    Blanks are dropped silently (they hide nothing)."""
    return shown_glyphs(page)[0]


def shown_glyphs(page: PageObjects) -> tuple[Counter[str], list[Char]]:
    """:func:`drop_hidden`, and the shown characters that are not blank, in the same pass
    over the page's characters: the reader counts them (:class:`~.glyphs.GlyphCensus`) and
    tells a textless page by them, without going over the characters again."""
    keep: list[Char] = []
    inked: list[Char] = []
    dropped: Counter[str] = Counter()
    cut = _cut_columns(page)
    vx0, vtop, vx1, vbottom = visible_box(page)
    vx0, vtop, vx1, vbottom = vx0 - _EDGE, vtop - _EDGE, vx1 + _EDGE, vbottom + _EDGE
    for c in page.chars:
        # the common case first, inline: a glyph :func:`hidden_reason` can only pass
        # (painted, readable size, centre inside the visible box, not white); anything
        # else is asked properly
        if (c.render_mode != 3 and c.render_mode != 7 and c.size >= MIN_SIZE
                and c.hscale != 0 and vx0 <= (c.x0 + c.x1) / 2 <= vx1
                and vtop <= (c.top + c.bottom) / 2 <= vbottom
                and (c.fill is None or not is_white(c.fill))):
            keep.append(c)
            if not c.text.isspace():
                inked.append(c)
            continue
        why = hidden_reason(c, page, cut)
        if why is None:
            keep.append(c)
            if not c.text.isspace():
                inked.append(c)
        elif not c.text.isspace():
            dropped[why] += 1
    if dropped or len(keep) != len(page.chars):
        page.chars = keep
    page.segments = [s for s in page.segments if _on_page(s, page, cut)]
    return dropped, inked


def _on_page(s: Segment, page: PageObjects, cut: tuple[list[float], list[float]]) -> bool:
    """Whether ruling ``s`` can bound something shown: not wholly left or right of the
    visible box, and not wholly above or below it unless a table runs over that edge (its
    rulings off the page close the cells cut by the page break).  A grid drawn off the
    page would otherwise make an empty table out of sight."""
    vx0, vtop, vx1, vbottom = visible_box(page)
    if s.x1 < vx0 - _EDGE or s.x0 > vx1 + _EDGE:
        return False
    if s.bottom < vtop - _EDGE:
        return bool(cut[0])
    if s.top > vbottom + _EDGE:
        return bool(cut[1])
    return True


def hidden_warning(counts: dict[str, dict[int, int]]) -> list[str]:
    """One warning per reason: how many characters, on which pages."""
    out = []
    for why, pages in counts.items():
        total = sum(pages.values())
        out.append(f"hidden text not read: {total} character(s) {REASONS[why]} on "
                   f"{page_list(sorted(pages))} (a viewer does not show them)")
    return out
