"""Page segmenter: the document's parts, its table of contents, its meta and narrative sections.

Works on the reader's block stream, whatever the format.  It recognises

* the title block and meta (unit name, year, 部门/单位 level);
* the 目录 (table of contents) as such, so its entries are neither tables nor sections,
  repairing conversion artefacts: a heading marker inserted mid-line by a page break
  (``8. …国有资`` + ``## 本经营预算支出表``) and lines truncated with a replacement character;
* page furniture (page numbers, running headers/footers: :mod:`.tables.furniture`), which is
  neither narrative nor a break between a table and its continuation;
* the parts (单位概况, 预算表, 情况说明, 名词解释, 附件) and the numbered sections inside
  them, with their text joined across page breaks, for the narrative parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .model import Block
from .tables.furniture import find_furniture

_WS = re.compile(r"\s+")
TOC_ENTRY = re.compile(
    r"^\s*(?P<num>[0-9０-９]{1,2})\s*[.．、]\s*(?P<title>.+?)\s*(?:[…\.·．]{3,}\s*\d*)?\s*$"
)
PART_HEAD = re.compile(r"^第[一二三四五六七八九十]+部分")
CN_SECTION = re.compile(r"^[一二三四五六七八九十]+、")
LEADER = re.compile(r"(?<!\s)\s*(?<![…\.·．])[…\.·．]{3,}\s*\d*\s*$")
"""A dot leader and page number ending a 目录 line.  The look-behinds start a match only
at the first blank or dot of a run, so a 40,000-dot line costs one pass, not 40,000."""
MAX_TOC_LINE = 500
"""Longer lines are no 目录 entry (real ones hold a title and a page number), and
:data:`TOC_ENTRY`'s lazy title is quadratic on a long leader that does not end the line."""
REPLACEMENT = "\ufffd"

PART_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("glossary", re.compile(r"名词解释")),
    ("explanation", re.compile(r"情况说明|编制说明|预算说明|相关情况说明|经费情况说明")),
    ("tables", re.compile(r"预算表$|公开表$|预算表\s*$|部门预算表|单位预算表")),
    ("overview", re.compile(r"单位概况|部门概况|主要职能|主要职责|机构设置")),
    ("annex", re.compile(r"^附件")),
]


@lru_cache(maxsize=1 << 16)  # asked for the same labels and titles over and over
def norm(text: str) -> str:
    """Text with all whitespace removed: how titles and labels are compared and emitted."""
    return _WS.sub("", text or "").replace(REPLACEMENT, "")


@dataclass
class TocEntry:
    number: str
    title: str
    part: str = ""


@dataclass
class Section:
    part: str
    heading: str
    text: str
    start_block: int


@dataclass
class Segmentation:
    """What the segmenter found; ``toc_blocks`` are block indexes that belong to the 目录."""

    meta: dict[str, str]
    toc: list[TocEntry]
    toc_blocks: set[int]
    sections: list[Section]
    part_of_block: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    furniture: set[int] = field(default_factory=set)  # page numbers, running headers/footers


def _text_blocks(blocks: list[Block]) -> list[tuple[int, Block]]:
    return [(i, b) for i, b in enumerate(blocks) if b.kind != "table"]


def find_toc(blocks: list[Block]) -> tuple[list[TocEntry], set[int], list[str]]:
    """Locate the 目录 and read its entries.

    The TOC runs from a ``目录`` line until a table, a new page after the TOC page, or a line
    that repeats the TOC's first entry (the body restating its first part heading).
    """
    start = next((i for i, b in enumerate(blocks)
                  if b.kind != "table" and norm(b.text) == "目录"), None)
    if start is None:
        return [], set(), []
    toc_page = blocks[start].page
    entries: list[TocEntry] = []
    members = {start}
    warnings: list[str] = []
    first_line: str | None = None
    packed = False
    i = start + 1
    while i < len(blocks):
        b = blocks[i]
        if b.kind == "table":
            break
        if toc_page is not None and b.page is not None and b.page != toc_page:
            break
        raw = b.text.strip()
        t = norm(LEADER.sub("", raw))
        if first_line is not None and t == first_line:
            break
        pieces = [p for p in PACKED_ENTRIES.split(raw) if p.strip()]
        if packed and not _is_entry(raw):
            break  # the 目录 came as one line holding every entry: the text after it is not
        if len(pieces) >= 3 and sum(_is_entry(p) for p in pieces) >= 3:
            # a converter wrote the whole 目录 as one line: read each entry in it
            packed = True
            warnings.append(f"目录 written as one line, read as {len(pieces)} entries")
        else:
            pieces = [raw]
        if first_line is None:
            first_line = norm(LEADER.sub("", pieces[0]))
        members.add(i)
        if REPLACEMENT in raw:
            warnings.append(f"目录 line truncated in the source: {raw!r}")
        for piece in pieces:
            _toc_line(piece, b.kind == "heading" and len(pieces) == 1, entries, warnings)
        i += 1
    return entries, members, warnings


PACKED_ENTRIES = re.compile(
    r"\s+(?=[0-9０-９]{1,2}\s*[.．、]\s*\S|[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)")
"""Where one entry ends and the next begins in a 目录 written as a single line."""


def _is_entry(raw: str) -> bool:
    t = norm(raw)
    return bool(_toc_entry(LEADER.sub("", raw)) or PART_HEAD.match(t) or CN_SECTION.match(t))


def _toc_entry(text: str) -> re.Match[str] | None:
    return TOC_ENTRY.match(text) if len(text) <= MAX_TOC_LINE else None


def _toc_line(raw: str, heading: bool, entries: list[TocEntry], warnings: list[str]) -> None:
    """One 目录 line: a part heading, a numbered entry, or the rest of a split entry."""
    t = norm(LEADER.sub("", raw))
    part = entries[-1].part if entries else ""
    m = _toc_entry(LEADER.sub("", raw).replace(REPLACEMENT, ""))
    if PART_HEAD.match(t) or CN_SECTION.match(t):
        entries.append(TocEntry(number="", title=t, part=t))
    elif m:
        entries.append(TocEntry(number=str(int(m.group("num"))), title=norm(m.group("title")),
                                part=part))
    elif entries and heading:
        # A page break turned the rest of a TOC line into a heading: rejoin it.
        entries[-1].title += t
        warnings.append(f"目录 entry split by a heading marker, rejoined: {entries[-1].title}")
    elif t:
        entries.append(TocEntry(number="", title=t, part=part))


def find_meta(blocks: list[Block]) -> dict[str, str]:
    """Unit name, year, level and title from the first lines of the document.

    The title is either one line (``上海市普陀区2025年区级部门预算``) or two
    (``淮北市…信息中心`` / ``2026年度单位预算``); the unit name comes from lines such as
    ``预算主管部门：`` / ``预算单位：`` / ``编制部门：`` when present, else from the title.
    """
    head: list[str] = []
    for b in blocks[:12]:
        if b.kind == "table" or norm(b.text) == "目录":
            break
        head.append(norm(b.text))
    unit = ""
    for b in blocks:
        m = re.search(r"(?:预算主管部门|预算单位|编制部门|编制单位|部门名称|单位名称)[:：]\s*(\S+?)"
                      r"(?:\s|单位[:：]|$)", b.text)
        if m:
            unit = m.group(1).strip()
            break
    title_lines = [h for h in head if re.search(r"预算|决算", h)]
    title = ""
    if title_lines:
        k = head.index(title_lines[0])
        title = title_lines[0]
        if k > 0 and not re.search(r"\d{4}年", head[k - 1] + "x") and not re.search(
                r"[:：]", head[k - 1]):
            title = head[k - 1] + title
            unit = unit or head[k - 1]
    year_m = re.search(r"(20\d{2})\s*年", title) or next(
        (m for b in blocks[:40] if (m := re.search(r"(20\d{2})\s*年", b.text))), None)
    level = ""
    if "单位预算" in title or "单位决算" in title:
        level = "单位"
    elif "部门预算" in title or "部门决算" in title:
        level = "部门"
    if not unit and title:
        m = re.match(r"(.+?)20\d{2}年", title)
        if m:
            unit = m.group(1)
    return {"unit_name": unit, "year": year_m.group(1) if year_m else "", "level": level,
            "title": title, "budget_phase": budget_phase(title, head, blocks)}


def budget_phase(title: str, head: list[str], blocks: list[Block]) -> str:
    """``决算`` (final accounts) or ``预算`` (budget): from the title, else the cover lines
    joined (a title broken over lines, ``…部门预`` / ``算``), else whichever word the first
    pages use more (a cover with no title: the table titles say 决算表 or 预算表)."""
    for text in (title, "".join(head)):
        if "决算" in text:
            return "决算"
        if "预算" in text:
            return "预算"
    early = "".join(norm(b.text) for b in blocks[:200] if b.kind != "table")
    n_final, n_budget = early.count("决算"), early.count("预算")
    if n_final or n_budget:
        return "决算" if n_final > n_budget else "预算"
    return ""


def part_kind(text: str) -> str | None:
    t = norm(text)
    if len(t) > 60:
        return None
    for kind, pat in PART_KINDS:
        if pat.search(t):
            return kind
    return None


def _ends_sentence(text: str) -> bool:
    return bool(re.search(r"[。；;：:！!？?）)」”]$", text.strip()))


def segment(blocks: list[Block]) -> Segmentation:
    """Run the segmenter over a block stream."""
    toc, toc_blocks, warnings = find_toc(blocks)
    meta = find_meta(blocks)
    furniture = find_furniture(blocks)
    part = "front"
    parts: list[str] = []
    sections: list[Section] = []
    cur: Section | None = None
    for i, b in enumerate(blocks):
        if i in toc_blocks:
            parts.append("toc")
            continue
        if i in furniture:  # a page number or running line: neither narrative nor a break
            parts.append(part)
            continue
        if b.kind != "table":
            t = norm(b.text)
            pk = part_kind(t) if (b.kind == "heading" or PART_HEAD.match(t) or len(t) <= 30) \
                else None
            if pk and (b.kind == "heading" or PART_HEAD.match(t) or pk in ("glossary", "annex")
                       or re.match(r"^.{0,40}(情况说明|编制说明|主要职能|机构设置)$", t)):
                part = pk
        parts.append(part)
        if b.kind == "table":
            cur = None
            continue
        t = b.text.strip()
        short = len(t) <= 40 and not re.search(r"\d(?:万元|元|%)", t)
        is_heading = b.kind == "heading" or (short and bool(
            CN_SECTION.match(t) or re.match(r"^[（(][一二三四五六七八九十]+[）)]", t)))
        if is_heading:
            cur = Section(part=part, heading=norm(t), text="", start_block=i)
            sections.append(cur)
        elif cur is not None and cur.part == part:
            if cur.text and not _ends_sentence(cur.text):
                cur.text += t  # a sentence broken by a page break: rejoin it
            else:
                cur.text += ("\n" if cur.text else "") + t
        else:
            cur = Section(part=part, heading="", text=t, start_block=i)
            sections.append(cur)
    return Segmentation(meta=meta, toc=toc, toc_blocks=toc_blocks, sections=sections,
                        part_of_block=parts, warnings=warnings, furniture=furniture)
