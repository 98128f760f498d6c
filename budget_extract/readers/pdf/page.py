"""One page's blocks: ruled tables, borderless tables and text lines, top to bottom.

Page numbers printed in the margins are dropped first, so they never become a paragraph
or leak into a table row; then every character goes either into a table cell or into a
text line.
"""

from __future__ import annotations

import re

from ...model import Block, Grid
from .borderless import find_borderless_tables
from .geometry import round_bbox
from .page_model import Char, PageObjects
from .pagebudget import check
from .ruled import TableLayout, fill_layouts, find_ruled_layouts
from .textlines import group_lines, line_text, split_chunks, text_lines

MARGIN = 0.1
"""Share of the page height at top and bottom where running headers/footers live."""

_PAGE_NO = re.compile(
    r"""^(
        [-–—_~·•\s]*\d{1,4}[-–—_~·•\s]*              # 3, - 3 -, — 3 —
      | 第\s*[\d一二三四五六七八九十百零〇]{1,6}\s*页(\s*[,，/]?\s*共\s*\d{1,4}\s*页)?
      | \d{1,4}\s*/\s*\d{1,4}                         # 3/26
      | (page|p\.)\s*\d{1,4}(\s*(of|/)\s*\d{1,4})?     # Page 3 of 26
    )$""",
    re.IGNORECASE | re.VERBOSE,
)


def is_page_number(text: str) -> bool:
    """Whether a header/footer text is nothing but a page number."""
    return bool(_PAGE_NO.match(text.strip()))


def page_blocks(page: PageObjects, *, borderless: bool = True,
                after: Grid | None = None) -> list[Block]:
    """One page's blocks: text lines as paragraphs and tables, ordered top to bottom.

    ``after``: the unruled table the previous page ended with, which this page's first lines
    may continue (:func:`.borderless.find_borderless_tables`)."""
    layouts = find_ruled_layouts(page.segments)
    check()  # the page budget (:mod:`.pagebudget`), between stages
    chars = drop_page_numbers(page, layouts)
    grids, rest = fill_layouts(layouts, chars, page.number)
    check()
    items: list[tuple[float, int, Block]] = []
    seq = 0
    for g in grids:
        items.append(
            (
                g.bbox[1] if g.bbox else 0.0,
                seq,
                Block(kind="table", page=page.number, bbox=g.bbox, grid=g),
            )
        )
        seq += 1
    lines = text_lines(rest)
    check()
    consumed: set[int] = set()
    if borderless and lines:
        for start, end, grid in find_borderless_tables(lines, page.number, after=after):
            consumed.update(range(start, end))
            items.append(
                (
                    grid.bbox[1] if grid.bbox else 0.0,
                    seq,
                    Block(kind="table", page=page.number, bbox=grid.bbox, grid=grid),
                )
            )
            seq += 1
    check()
    for i, ln in enumerate(lines):
        if i in consumed:
            continue
        top = ln.top
        for ch in ln.chunks:
            items.append(
                (
                    top,
                    seq,
                    Block(
                        kind="paragraph",
                        text=ch.text,
                        page=page.number,
                        bbox=round_bbox((ch.x0, ch.top, ch.x1, ch.bottom)),
                    ),
                )
            )
            seq += 1
    items.sort(key=lambda it: (it[0], it[1]))
    return [b for _, _, b in items]


def drop_page_numbers(page: PageObjects, layouts: list[TableLayout]) -> list[Char]:
    """The page's characters minus page numbers printed in the top or bottom margin.

    Only pieces of text that are entirely a page number (``3``, ``- 3 -``, ``第3页``) and
    lie outside every ruled table are dropped, so they never become a paragraph or leak
    into a table row.
    """
    top_band = page.height * MARGIN
    bottom_band = page.height * (1 - MARGIN)
    margin = [c for c in page.chars if c.bottom <= top_band or c.top >= bottom_band]
    if not margin:
        return page.chars
    drop: set[int] = set()
    for line in group_lines(margin):
        parts = split_chunks(line)
        for part in parts:
            visible = [c for c in part if not c.text.isspace()]
            text = line_text(part)
            if not visible or not is_page_number(text):
                continue
            if text.isdigit() and len(parts) > 1:  # a bare figure beside other text: data
                continue
            if any(
                lay.contains((c.x0 + c.x1) / 2, (c.top + c.bottom) / 2, 1.0)
                for c in visible
                for lay in layouts
            ):
                continue
            drop.update(id(c) for c in part)
    if not drop:
        return page.chars
    return [c for c in page.chars if id(c) not in drop]
