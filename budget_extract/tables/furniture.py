"""Page furniture: page numbers and running headers/footers, recognised on any template.

A page number (``—9—``, ``- 9 -``, ``第9页``, ``9/37``, a bare ``9``) or a running line
(``苏州市审计局2026年度部门预算公开`` on top of every page) sits between a table and its
continuation on the next page.  Read as text, it would end the table (the detector sees a
text block between the fragments) and become narrative.  It is recognised by what it is
and where it is, never by the file:

* position: the first or last block of its page (in reading order or by height);
* a page number: a number, decorated (``—9—``, ``第9页``, ``9/37``) or bare; a bare number
  only when the printed numbers keep one offset from the physical pages on at least two
  pages (so a lone ``6`` ending a paragraph list is not taken);
* a running line: the same text (or the same but for the page's number) at the same edge
  of at least half of the pages, and on three pages at least; never a table title,
  caption or unit line (a long table prints those again on each of its pages, and the
  detector joins those pages).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from ..model import Block
from ..numtext import UNIT_LINE

_WS = re.compile(r"\s+")
_DASH = r"[—–\-－~〜_·•]+"
DECORATED = [
    re.compile(rf"^{_DASH}(?P<n>\d{{1,4}}){_DASH}$"),
    re.compile(r"^第(?P<n>\d{1,4})页(?:[,，/]?共\d{1,4}页)?$"),
    re.compile(r"^(?P<n>\d{1,4})/(?P<of>\d{1,4})$"),
]
BARE = re.compile(rf"^(?:{_DASH})?(?P<n>\d{{1,4}})(?:{_DASH})?$")
"""A number alone or dashed on one side only (``- 2``): a page number only when the
numbers keep one offset from the pages (``-5`` could be an amount the reader left out of
its grid)."""
TABLE_TITLE = re.compile(r"表(?:[（(].{0,12}[)）])?$|^(?:部门|单位)?(?:公开)?表\s*\d")
"""A table's title or caption, printed again on each page of a long table: the detector
joins those pages, so they are not running lines even on most pages."""


def _page_number(text: str) -> tuple[int, bool] | None:
    """The number a page-number line prints and whether it is decorated (not bare)."""
    t = _WS.sub("", text)
    for pat in DECORATED:
        m = pat.match(t)
        if m and (not m.groupdict().get("of") or int(m.group("of")) >= int(m.group("n"))):
            return int(m.group("n")), True
    m = BARE.match(t)
    return (int(m.group("n")), False) if m else None


def _edge_blocks(blocks: list[Block]) -> dict[int, str]:
    """Index → ``first``/``last`` for text blocks at the top or bottom edge of their page."""
    by_page: dict[int, list[int]] = defaultdict(list)
    for i, b in enumerate(blocks):
        if b.page is not None:
            by_page[b.page].append(i)
    edges: dict[int, str] = {}
    for idx in by_page.values():
        boxed = [i for i in idx if blocks[i].bbox is not None]
        top = min(boxed, key=lambda i: blocks[i].bbox[1]) if boxed else None  # type: ignore[index]
        bottom = max(boxed, key=lambda i: blocks[i].bbox[3]) if boxed else None  # type: ignore[index]
        for i, where in ((idx[0], "first"), (top, "first"), (idx[-1], "last"), (bottom, "last")):
            if i is not None and blocks[i].kind != "table":
                edges.setdefault(i, where)
    return edges


def find_furniture(blocks: list[Block]) -> set[int]:
    """Indexes of the blocks that are page numbers or running headers/footers."""
    edges = _edge_blocks(blocks)
    out: set[int] = set()
    numbers: list[tuple[int, int, bool]] = []  # (index, offset from the page, decorated)
    for i in edges:
        b = blocks[i]
        found = _page_number(b.text)
        if found is not None and b.page is not None:
            numbers.append((i, found[0] - b.page, found[1]))
    offsets = Counter(off for _, off, _ in numbers)
    out.update(i for i, off, decorated in numbers if decorated or offsets[off] >= 2)
    pages = {b.page for b in blocks if b.page is not None}
    running: dict[tuple[str, str], set[int]] = defaultdict(set)
    for i, where in edges.items():
        key = _WS.sub("", blocks[i].text)
        if key and i not in out and not TABLE_TITLE.search(key) and not UNIT_LINE.search(key):
            # digits aside, so that a footer with its page number (``某某局部门预算 第9页``)
            # is one running line; such a group must then number the pages (below)
            running[(where, re.sub(r"\d+", "#", key))].add(i)
    for members in running.values():
        on = {blocks[i].page for i in members}
        if len(on) >= 3 and len(on) * 2 >= len(pages) and _same_or_paged(blocks, members):
            out.update(members)
    return out


def _same_or_paged(blocks: list[Block], members: set[int]) -> bool:
    """A running line's copies are the same text, or differ only by one number that is the
    page's (one offset from the physical page on all copies but one)."""
    copies = [(blocks[i].page, re.findall(r"\d+", _WS.sub("", blocks[i].text))) for i in members]
    varying = [k for k in range(len(copies[0][1])) if len({nums[k] for _, nums in copies}) > 1]
    if not varying:
        return True
    if len(varying) != 1:
        return False
    offsets = Counter(int(nums[varying[0]]) - (page or 0) for page, nums in copies)
    return offsets.most_common(1)[0][1] >= len(copies) - 1
