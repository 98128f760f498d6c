"""Table detector: each table block with its caption number, title, unit line and note.

A disclosure table is announced by up to three lines above it (caption ``单位公开表N``, a
title ending in 表, a unit line ``单位：万元`` that may share a line with ``编制部门：…``) and
may be followed by a note (``说明：…本表无数据`` / ``注：…``).  A table block with none of
these between it and the previous table is a *fragment* of that table, split by a page
break: it is kept with its predecessor, and :mod:`budget_extract.tables.continuation` joins
the fragments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Block, Grid
from ..segment import Segmentation, norm

CAPTION = re.compile(
    r"^(?P<prefix>单位公开表|部门公开表|公开表|附表|表)\s*(?P<num>[0-9０-９]{1,3}|[一二三四五六七八九十]{1,3})"
    r"(?:\s*[-－—]\s*\d+)?\s*(?P<rest>.*)$"
)
UNIT = re.compile(r"(?:金额)?单位\s*[:：]\s*(?P<unit>万元|千元|亿元|元)")
NOTE = re.compile(r"^(?:说明|注|备注)\s*\d*\s*[:：]")
TITLE_HINT = re.compile(r"(表|清单)(?:[（(].{0,12}[)）])?$")
PAGE_NUMBER = re.compile(
    r"^(?:[-－—–]*\d{1,3}[-－—–]*|第\d{1,3}页(?:共\d{1,3}页)?|\d{1,3}/\d{1,3})$")
"""A page's number as a line of text (``— 16 —``, ``- 2``, ``8``), which conversions keep."""
CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def cn_to_int(s: str) -> int:
    """Chinese numerals up to 99 (``十二`` → 12, ``二十一`` → 21) or ASCII/full-width digits."""
    s = s.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if s.isdigit():
        return int(s)
    if "十" in s:
        tens, _, ones = s.partition("十")
        return CN_NUM.get(tens, 1) * 10 + CN_NUM.get(ones, 0)
    return CN_NUM.get(s, 0)


@dataclass
class TableCandidate:
    """A table found in the stream, fragments not yet joined."""

    fragments: list[Grid]
    caption: str = ""
    number: str = ""
    title: str = ""
    unit: str = ""
    note: str = ""
    position: int = 0
    block_index: int = 0
    part: str = ""
    title_lines: list[str] = field(default_factory=list)

    @property
    def pages(self) -> list[int]:
        out: list[int] = []
        for g in self.fragments:
            for c in g.cells:
                if c.page is not None and c.page not in out:
                    out.append(c.page)
            if g.page is not None and g.page not in out:
                out.append(g.page)
        return sorted(out)


def _is_title(text: str) -> bool:
    t = norm(text)
    return bool(t) and len(t) <= 80 and bool(TITLE_HINT.search(t)) and not NOTE.match(t)


def detect_tables(blocks: list[Block], seg: Segmentation) -> list[TableCandidate]:
    """Walk the block stream and return the tables in document order."""
    tables: list[TableCandidate] = []
    pending: list[Block] = []  # text blocks since the last table
    last: TableCandidate | None = None
    for i, b in enumerate(blocks):
        if i in seg.toc_blocks:
            continue
        if b.kind != "table":
            if last is not None and not last.note and not pending and NOTE.match(b.text.strip()):
                last.note = b.text.strip()
                continue
            if last is not None and last.note and not pending and not _announces(b) \
                    and b.kind == "paragraph" and not last.note.endswith(("。", ".")) \
                    and len(b.text) < 60 and not UNIT.search(b.text):
                last.note += b.text.strip()  # a note wrapped onto a second line
                continue
            pending.append(b)
            continue
        assert b.grid is not None
        caption, number, title, unit, title_lines = _announcement(pending)
        if last is not None and not caption and not title and not last.note and (
                not pending or all(_is_repeat(p, last) for p in pending)):
            last.fragments.append(b.grid)
            pending = []
            continue
        if not unit:
            unit = _unit_in_grid(b.grid)
        cand = TableCandidate(fragments=[b.grid], caption=caption, number=number, title=title,
                              unit=unit, position=len(tables) + 1, block_index=i,
                              part=seg.part_of_block[i] if i < len(seg.part_of_block) else "",
                              title_lines=title_lines)
        tables.append(cand)
        last = cand
        pending = []
    return tables


def _announces(b: Block) -> bool:
    t = b.text.strip()
    return bool(CAPTION.match(norm(t)) or _is_title(t) or UNIT.search(t))


def _is_repeat(b: Block, last: TableCandidate) -> bool:
    """Lines a continuation page may repeat: the same title, its unit line, ``（续）``."""
    t = norm(b.text)
    # a page's number left as text by a conversion (Markdown has no pages; the PDF reader
    # places its lines on pages and has its own footers)
    page_number = b.page is None and bool(PAGE_NUMBER.match(t))
    return t in ("（续）", "(续)", "续表") or page_number or (
        bool(last.title) and t.startswith(last.title)) or (
        bool(UNIT.search(t)) and not _is_title(t))


def _announcement(pending: list[Block]) -> tuple[str, str, str, str, list[str]]:
    """Caption, number, title and unit from the text lines above a table (nearest first).

    A long title may wrap onto two or three lines (``…一般公共预算支`` / ``出表``): lines on the
    same page just above the title line that do not end a sentence are joined to it.
    """
    caption = number = title = unit = ""
    title_lines: list[str] = []
    title_block: Block | None = None
    joins = 0
    recent = list(reversed(pending[-8:]))
    for n, b in enumerate(recent):
        t = norm(b.text)
        if not t:
            continue
        m_unit = UNIT.search(t)
        if m_unit and not unit and not title:
            unit = m_unit.group("unit")
            if len(t) <= len(m_unit.group(0)) + 2 or re.search(r"编制|部门|单位[:：]", t):
                continue
        m_cap = CAPTION.match(t)
        if m_cap and not caption and (not m_cap.group("rest") or _is_title(m_cap.group("rest"))):
            caption = t[: len(t) - len(m_cap.group("rest"))] if m_cap.group("rest") else t
            number = str(cn_to_int(m_cap.group("num")))
            if m_cap.group("rest") and not title:
                title = m_cap.group("rest")
            elif not title:
                title = _title_above(recent[n + 1:])
                title_lines = [title] if title else []
            break
        if not title:
            if _is_title(t):
                title, title_block = t, b
                title_lines.insert(0, t)
            elif re.fullmatch(r"[（(]\d{4}年度?[)）]", t):
                continue
            continue
        wrapped = (joins < 2 and title_block is not None and b.page == title_block.page
                   and not re.search(r"[。；;：:！!？?]$", t) and len(t) + len(title) <= 80
                   and not NOTE.match(t) and not re.match(r"^第[一二三四五六七八九十]+部分", t)
                   and not re.match(r"^[（(]?[0-9一二三四五六七八九十]+[)）.、]", t))
        if wrapped:
            title = t + title
            title_lines.insert(0, t)
            joins += 1
            continue
        break
    return caption, number, title, unit, title_lines


def _title_above(lines: list[Block]) -> str:
    """A title printed just above its caption (``一般公共预算支出表`` over ``部门公开表5``)."""
    for b in lines:
        t = norm(b.text)
        if not t:
            continue
        part = re.match(r"^第[一二三四五六七八九十]+部分", t)
        return t if _is_title(t) and not CAPTION.match(t) and not part else ""
    return ""


def _unit_in_grid(grid: Grid) -> str:
    """A unit printed inside the table (``预算金额（单位：万元）``)."""
    for c in grid.cells:
        if c.row < 3:
            m = UNIT.search(norm(c.text))
            if m:
                return m.group("unit")
    return ""
