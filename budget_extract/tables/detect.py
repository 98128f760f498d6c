"""Table detector: each table block with its caption number, title, unit line and note.

A disclosure table is announced by up to three lines above it (caption ``单位公开表N``, a
title ending in 表, a unit line ``单位：万元`` that may share a line with ``编制部门：…``) and
may be followed by a note (``说明：…本表无数据`` / ``注：…``).  A table block with none of
these between it and the previous table is a *fragment* of that table, split by a page
break: it is kept with its predecessor, and :mod:`budget_extract.tables.continuation` joins
the fragments.  Page furniture (:mod:`.furniture`) between them is no announcement; other
evidence of a continuation (a 续表 mark, the title and header printed again, columns that
line up, the running code tree) is kept per fragment for the table's warnings.

Captions come in many prints (``部门公开表3``, ``表一``, ``公开05表``, ``预算01表收支总表``,
``（预算表3）`` inside the grid, glued after a running header); a table printing no number
takes the 目录's (:mod:`.numbering`) or its place among the numbered tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..headers import META_UNIT, header_row_count, is_meta_text, looks_numeric
from ..model import Block, Grid, GridCell
from ..segment import Segmentation, norm
from .continuation import columns_line_up, continues_code_tree, same_header
from .numbering import toc_number

CAPTION = re.compile(
    r"^[（(]?(?P<prefix>单位公开表|部门公开表|公开表|附表|预算表|决算表|表"
    r"|(?P<numfirst>(?:部门|单位)?(?:公开|预算|决算|附)(?=[0-9０-９]{1,3}表)))"
    r"\s*(?P<num>[0-9０-９]{1,3}|[一二三四五六七八九十]{1,3})(?(numfirst)表)"
    r"(?:\s*[-－—]\s*\d+)?[)）]?\s*(?P<rest>.*)$"
)
"""A table's printed caption: ``部门公开表3``, ``表一``, ``（预算表3）``, number first as in
``公开05表`` / ``预算01表``; ``rest`` is a title printed on the same line."""
GLUED_CAPTION = re.compile(r"(?<![0-9０-９])(?:部门|单位)?(?:公开|预算|决算)"
                           r"(?P<num>[0-9０-９]{1,3})表(?P<rest>.+表.*)$")
"""A number-first caption glued into a line after other text (a running header before it:
``苏州市审计局2026年度部门预算公开公开05表财政拨款支出表``)."""
CONTINUED = re.compile(r"[（(]续[)）]|续上?表")
"""The mark of a continuation page: ``续表``, ``（续）``, ``续上表``."""
TITLE_PUNCT = re.compile(r"^[\s:：,，、。．.;；]+")
LIST_ORDINAL = re.compile(r"^(?:[（(][一二三四五六七八九十]{1,3}[)）]"
                          r"|[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[.．、](?!\d))")
"""A list ordinal a title line carries from the section it sits in (``1.项目支出绩效目标表``)."""
UNIT = META_UNIT  # a unit line: ``单位：万元``, as a table's meta cells print it
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
    inferred_number: str = ""  # from the 目录 or the order of the tables, when none is printed
    joined_by: list[str] = field(default_factory=list)  # per continuation: what joined it

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


def is_title(text: str) -> bool:
    t = norm(text)
    return bool(t) and len(t) <= 80 and bool(TITLE_HINT.search(t)) and not NOTE.match(t)


def detect_tables(blocks: list[Block], seg: Segmentation) -> list[TableCandidate]:
    """Walk the block stream and return the tables in document order."""
    tables: list[TableCandidate] = []
    pending: list[Block] = []  # text blocks since the last table
    last: TableCandidate | None = None
    furniture_between = False  # a page number or running line since the last table
    for i, b in enumerate(blocks):
        if i in seg.toc_blocks:
            continue
        if i in seg.furniture:
            furniture_between = True
            continue
        if b.kind != "table":
            if last is not None and not last.note and not pending and NOTE.match(b.text.strip()):
                last.note = b.text.strip()
                continue
            if last is not None and last.note and not pending and not _announces(b) \
                    and b.kind == "paragraph" and not last.note.endswith(("。", ".")) \
                    and len(b.text) < 60 and not UNIT.search(b.text) \
                    and (b.page is None or b.page in last.pages):
                # a note wrapped onto a second line (on the table's page: the first line
                # of the next page is the next table's caption or wrapped title)
                last.note += b.text.strip()
                continue
            pending.append(b)
            continue
        assert b.grid is not None
        caption, number, title, unit, title_lines = _announcement(pending)
        caption, number, title = _split_caption(caption, number, title)
        how = _continues(last, b.grid, pending, caption, number, title) if last else None
        if last is not None and how is not None:
            if not how and furniture_between:
                how = "across the page number / running line between the parts"
            last.fragments.append(b.grid)
            last.joined_by.append(how)
            pending = []
            furniture_between = False
            continue
        if not unit:
            unit = _unit_in_grid(b.grid)
        grid = b.grid
        in_caption, in_number, in_title = grid_heading(grid)
        if in_caption and not caption:  # the caption row is no header level: out of the grid
            caption, number, title = in_caption, in_number, title or in_title
            grid = without_row(grid, heading_row(grid))
        elif in_title and not in_caption and is_title(in_title):
            # a title drawn in the grid is nearer than any line above (a part's heading)
            title = in_title
        grid, note = _trailing_note(grid)
        cand = TableCandidate(fragments=[grid], caption=caption, number=number, title=title,
                              unit=unit, note=note, position=len(tables) + 1, block_index=i,
                              part=seg.part_of_block[i] if i < len(seg.part_of_block) else "",
                              title_lines=title_lines)
        tables.append(cand)
        last = cand
        pending = []
        furniture_between = False
    number_by_order(tables, seg)
    return tables


def _continues(last: TableCandidate, grid: Grid, pending: list[Block], caption: str,
               number: str, title: str) -> str | None:
    """Whether a table block continues the previous table, and on what evidence.

    ``None``: a new table.  ``""``: the plain case (nothing but repeatable lines — its title,
    unit line, ``（续）`` — since the last table).  Otherwise the evidence, for the warning:

    * a ``续表`` / ``（续）`` mark, alone or with the previous table's caption or title;
    * the previous table's title (or caption number) printed again over the same header
      (深圳 prints title + header on every page);
    * a fragment on the next page with no caption or title of its own whose columns line
      up with the previous table's, whatever text lies between (cell text that overflowed
      the previous page's grid, a header word printed above the ruled area);
    * a headerless fragment on the next page whose 科目编码 go on where the table stopped;
    * a headerless, untitled piece spanning the table's width just below it (rows the
      reader cut off the table).

    A title drawn in the grid's first row that is not the previous table's starts a table.
    """
    if last.note:
        return None
    inner = grid_heading(grid)
    if inner[1] and inner[1] != last.number:
        return None  # a caption number of its own in the grid's first row (a sheet each)
    # the table's title may itself be its grid's first row (a caption printed above it),
    # repeated with the header on each page
    own = last.title or grid_heading(last.fragments[0])[2]
    if inner[2] and (norm(inner[2]) != norm(own) or not _header_again(last.fragments[0], grid)):
        return None  # a title printed in the grid's first row: a table of its own
    if not caption and not title and all(_is_repeat(p, last) or _marks_continuation(p, last)
                                         for p in pending):
        if any(_marks_continuation(p, last) for p in pending):
            return "by its 续表 mark"
        return "" if not pending else "with its title / unit line repeated"
    prev = last.fragments[-1]
    if grid.page is None or not last.pages or grid.page not in (last.pages[-1],
                                                                last.pages[-1] + 1):
        return None
    marked = bool(CONTINUED.search(norm(title))) or any(
        _marks_continuation(p, last) for p in pending)
    base = CONTINUED.sub("", norm(title))
    if marked and (not base or base == norm(last.title)) and (
            not number or number == last.number):
        return "by its 续表 mark"
    if (base and base == norm(last.title) or not title and number) and (
            not number or number == last.number):
        if grid.page > last.pages[-1] and same_header(last.fragments[0], grid):
            return f"by its repeated {'title' if title else 'caption'} and header"
        return None
    if caption or title or any(_announces(p) and not _is_repeat(p, last) for p in pending):
        return None
    if header_row_count(grid) and not all(_explained(p, last) for p in pending):
        return None  # a header under a line nobody can place: maybe a title not recognised
    if grid.page > last.pages[-1] and columns_line_up(prev, grid):
        return "by column positions (text between the parts set aside)"
    if grid.page > last.pages[-1] and header_row_count(grid) == 0 and continues_code_tree(
            prev, grid):
        return "by its running 科目编码 (text between the parts set aside)"
    if header_row_count(grid) == 0 and columns_line_up(prev, grid, loose=True):
        # no header, no title: a piece of the table above (rows the reader cut off it)
        return "by nearest column positions (a piece without header or title)"
    return None


def _trailing_note(grid: Grid) -> tuple[Grid, str]:
    """The grid without a note drawn as its last row, and that note (``说明：…本表无数据``
    as a merged row under a spreadsheet's table: Excel/WPS pages, sheets printed to PDF);
    the grid unchanged and ``""`` when its last row is no lone note cell."""
    r = grid.n_rows - 1
    last = [c for c in grid.cells if c.row <= r < c.row + c.rowspan and norm(c.text)]
    if r < 1 or len(last) != 1 or last[0].row != r or not NOTE.match(norm(last[0].text)):
        return grid, ""
    cells = [GridCell(text=c.text, row=c.row, col=c.col, rowspan=min(c.rowspan, r - c.row),
                      colspan=c.colspan, page=c.page, bbox=c.bbox, confidence=c.confidence)
             for c in grid.cells if c.row != r]
    return (Grid(cells=cells, n_rows=r, n_cols=grid.n_cols, page=grid.page, bbox=grid.bbox,
                 ruled=grid.ruled), last[0].text.strip())


def _header_again(first: Grid, grid: Grid) -> bool:
    """Whether a grid printing the table's title in its first row repeats the whole header
    under it (a spreadsheet's print titles: title and headings on every page).  Forms of one
    title on consecutive pages (绩效目标表 of several projects) differ under the title."""
    a = without_row(first, heading_row(first))
    b = without_row(grid, heading_row(grid))
    n = header_row_count(a)
    rows_a, rows_b = a.text_rows(), b.text_rows()
    return 0 < n <= len(rows_b) and all(
        [norm(t) for t in rows_a[r] if norm(t)] == [norm(t) for t in rows_b[r] if norm(t)]
        for r in range(n))


def _explained(b: Block, last: TableCandidate) -> bool:
    """Text between a table and a fragment that the table accounts for: lines on the table's
    last page below it (cell text that overflowed the grid) or a word of its header printed
    above the ruled area of the next page (``财政拨款`` over its columns)."""
    if b.page is not None and b.page == last.pages[-1]:
        return True
    words = {norm(c.text) for c in last.fragments[0].cells if norm(c.text)}
    t = norm(b.text)
    return bool(t) and any(t in w for w in words) and not any(
        looks_numeric(c.text) for c in last.fragments[0].cells if norm(c.text) == t)


def _marks_continuation(b: Block, last: TableCandidate) -> bool:
    """A ``续表`` / ``（续）`` line, alone or with the previous table's caption or title."""
    t = norm(b.text)
    if not CONTINUED.search(t):
        return False
    rest = TITLE_PUNCT.sub("", CONTINUED.sub("", t))
    m = CAPTION.match(rest)
    if m and str(cn_to_int(m.group("num"))) == last.number:
        rest = TITLE_PUNCT.sub("", m.group("rest"))
    return not rest or (bool(last.title) and norm(last.title).startswith(rest))


def heading_row(grid: Grid) -> int:
    """The grid row that may hold a caption or title drawn inside the ruled area: the first
    row, or the first after meta rows (``单位名称：… 单位：万元``, which a template may draw
    above its in-grid caption as well as below it)."""
    r = 0
    while r < grid.n_rows - 1:
        texts = [c.text for c in grid.cells if c.row == r and norm(c.text)]
        if not texts or not all(is_meta_text(t) for t in texts):
            return r
        r += 1
    return r


def heading_cell(grid: Grid) -> tuple[int, GridCell] | None:
    """The row and cell of a grid's :func:`heading_row` when that row holds one single-row
    cell over more rows (a title or caption drawn inside the ruled area), else None."""
    r = heading_row(grid)
    first = [c for c in grid.cells if c.row == r and norm(c.text)]
    if grid.n_rows < r + 2 or len(first) != 1 or first[0].rowspan > 1:
        return None
    return r, first[0]


def grid_heading(grid: Grid) -> tuple[str, str, str]:
    """Caption, number and title printed in a grid's first row (after any meta rows) as its
    only cell (a title or ``（预算表3）`` drawn inside the ruled area); empty strings when
    there is none."""
    found = heading_cell(grid)
    if found is None:
        return "", "", ""
    t = norm(found[1].text)
    m = CAPTION.match(t)
    if m and (not m.group("rest") or is_title(m.group("rest"))):
        return (t[: m.start("rest")], str(cn_to_int(m.group("num"))),
                TITLE_PUNCT.sub("", m.group("rest")))
    return ("", "", t) if is_title(t) and grid.n_cols >= 2 else ("", "", "")


def without_row(grid: Grid, r: int) -> Grid:
    """The grid without its row `r` (a caption row: single-row cells only); the rows below
    move up one."""
    cells = [GridCell(text=c.text, row=c.row - (c.row > r), col=c.col, rowspan=c.rowspan,
                      colspan=c.colspan, page=c.page, bbox=c.bbox)
             for c in grid.cells if c.row != r]
    return Grid(cells=cells, n_rows=grid.n_rows - 1, n_cols=grid.n_cols, page=grid.page,
                bbox=grid.bbox, ruled=grid.ruled)


def _split_caption(caption: str, number: str, title: str) -> tuple[str, str, str]:
    """Caption, number and title with a caption glued into the title line taken out of it
    and stray leading punctuation stripped (``：2026年市级部门收支预算总表``)."""
    if title and not caption:
        m = CAPTION.match(title)
        if m and m.group("rest") and is_title(m.group("rest")):
            caption, number = title[: m.start("rest")], str(cn_to_int(m.group("num")))
            title = m.group("rest")
        elif (g := GLUED_CAPTION.search(title)) is not None and is_title(g.group("rest")):
            caption, number = title[g.start(): g.start("rest")], str(cn_to_int(g.group("num")))
            title = g.group("rest")
    return caption, number, TITLE_PUNCT.sub("", LIST_ORDINAL.sub("", TITLE_PUNCT.sub("", title)))


def number_by_order(tables: list[TableCandidate], seg: Segmentation) -> None:
    """Number the tables that print no number: from the 目录 entry with the same title
    (``1.``, ``一、``, ``表1``), else by its place among the numbered tables (one unnumbered
    table between 表5 and 表7 is 表6; a titled table after 表9 in the same part is 表10; with
    no number anywhere, the titled tables in order).  The result is ``inferred_number``;
    ``number`` stays what the page prints."""
    for t in tables:
        if not t.number:
            t.inferred_number = toc_number(t.title, seg.toc, seg.meta.get("unit_name", ""))
    known = [(k, int(t.number or t.inferred_number)) for k, t in enumerate(tables)
             if (t.number or t.inferred_number).isdigit()]
    if not known:
        # nothing printed, no 目录: the titled tables are numbered in their order
        for n, t in enumerate((t for t in tables if t.title), start=1):
            t.inferred_number = str(n)
        return
    for (a, na), (b, nb) in zip(known, known[1:], strict=False):
        gap = [k for k in range(a + 1, b) if not tables[k].number
               and not tables[k].inferred_number and tables[k].title]
        if gap and nb - na == len(gap) + 1 and len(gap) == b - a - 1:
            for n, k in enumerate(gap, start=1):
                tables[k].inferred_number = str(na + n)
    # titled tables after the last numbered one, in its part of the document, go on counting
    a, na = known[-1]
    for t in tables[a + 1:]:
        if not t.title or t.part != tables[a].part:
            break
        na += 1
        t.inferred_number = str(na)


def _announces(b: Block) -> bool:
    t = b.text.strip()
    return bool(CAPTION.match(norm(t)) or is_title(t) or UNIT.search(t))


def _is_repeat(b: Block, last: TableCandidate) -> bool:
    """Lines a continuation page may repeat: the same title, its unit line, ``（续）``."""
    t = norm(b.text)
    # a page's number left as text by a conversion (Markdown has no pages; the PDF reader
    # places its lines on pages and has its own footers)
    page_number = b.page is None and bool(PAGE_NUMBER.match(t))
    return t in ("（续）", "(续)", "续表") or page_number or (
        bool(last.title) and t.startswith(last.title)) or (
        bool(UNIT.search(t)) and not is_title(t))


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
        elif m_unit and not unit and title and len(t) <= len(m_unit.group(0)) + 2:
            unit = m_unit.group("unit")  # a bare unit line above the title, under the caption
            joins = 2  # and no title wraps round it
            continue
        m_cap = CAPTION.match(t)
        if m_cap and not caption and (not m_cap.group("rest") or is_title(m_cap.group("rest"))):
            caption = t[: len(t) - len(m_cap.group("rest"))] if m_cap.group("rest") else t
            number = str(cn_to_int(m_cap.group("num")))
            if m_cap.group("rest") and not title:
                title = m_cap.group("rest")
            elif not title:
                title, unit_above = _title_above(recent[n + 1:])
                title_lines = [title] if title else []
                unit = unit or unit_above
            break
        if not title:
            if is_title(t):
                title, title_block = t, b
                title_lines.insert(0, t)
            elif re.fullmatch(r"[（(]\d{4}年度?[)）]", t):
                continue
            continue
        wrapped = (joins < 2 and title_block is not None and b.page == title_block.page
                   and not re.search(r"[。；;：:！!？?]$", t) and len(t) + len(title) <= 80
                   and not NOTE.match(t) and not re.match(r"^第[一二三四五六七八九十]+部分", t)
                   and not re.match(r"^[（(]?[0-9一二三四五六七八九十]+[)）.、]", t)
                   and not is_title(t))  # a complete title above (部门决算表) is its own line
        if wrapped:
            title = t + title
            title_lines.insert(0, t)
            joins += 1
            continue
        break
    return caption, number, title, unit, title_lines


def _title_above(lines: list[Block]) -> tuple[str, str]:
    """A title printed just above its caption (``一般公共预算支出表`` over ``部门公开表5``),
    and the unit of a unit line between them (title, ``单位：万元``, then ``（预算表3）`` just
    over the columns)."""
    unit = ""
    for b in lines:
        t = norm(b.text)
        if not t:
            continue
        m_unit = UNIT.search(t)
        if m_unit and not unit and len(t) <= len(m_unit.group(0)) + 2:
            unit = m_unit.group("unit")
            continue
        part = re.match(r"^第[一二三四五六七八九十]+部分", t)
        return (t if is_title(t) and not CAPTION.match(t) and not part else ""), unit
    return "", unit


def _unit_in_grid(grid: Grid) -> str:
    """A unit printed inside the table (``预算金额（单位：万元）``)."""
    for c in grid.cells:
        if c.row < 3:
            m = UNIT.search(norm(c.text))
            if m:
                return m.group("unit")
    return ""
