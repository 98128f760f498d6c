"""Pipe tables as PDF-to-Markdown converters write them: undo the converter's artefacts.

A converter that exports a table through its own grid or a dataframe flattens it the same
few ways, and a budget table read naively from that comes out with wrong header paths:

* a merged cell's text is repeated in every position it covers (pymupdf4llm fills a covered
  position from its left, then from above; ``pandas.read_html`` repeats spans both ways):
  ``|项目|项目|收入预算|收入预算|``, and under cells spanning down the bottom header row
  repeats its last word (``|类|款|项|项|项|``);
* a position the converter had no text for gets a placeholder: ``Col2`` (pymupdf4llm's
  header names), ``Unnamed: 3`` (pandas), ``nan`` / ``None`` (a dataframe's missing value);
* the ``编制部门：…`` / ``单位：元`` line and the title printed just above the ruled area
  become the table's first rows, and the converter's grid may be wider than the table
  (empty edge columns, a row of ``Col1|Col2|…`` only);
* ``DataFrame.to_markdown()`` adds the dataframe's index as a first column with an empty
  header (and camelot's integer column names as a header row ``|  | 0 | 1 | 2 |``);
* pymupdf4llm writes a table's bottom row at a page end as a text line after the table.

:func:`repair_rows` turns the rows of such a table back into what was printed: the unit and
title lines lifted out as text (for the table detector's unit, title and meta logic),
placeholders, index and empty edge columns dropped, and the header rows rebuilt as cells
with their spans; :func:`lost_last_row` reads the bottom row back.  A table showing none of
these artefacts comes back unchanged, so clean Markdown reads exactly as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..headers import header_row_count, looks_numeric
from ..model import Grid, GridCell
from ..segment import norm

COL_NAME = re.compile(r"^Col\d+$")
"""pymupdf4llm's name for a header position without text: covered by a merged cell (it fills
the other rows' covered positions from the left), or empty."""
PLACEHOLDER = re.compile(r"^(?:Unnamed:\s*\d+(?:_level_\d+)?|nan|NaN|None|<NA>|NaT)$")
"""Text a converter writes where the source had none (a covered or empty position)."""

META_CELL = re.compile(
    r"^(?:编制部门|编制单位|单位名称|部门名称|预算单位|预算主管部门|主管部门|填报单位|部门|单位)"
    r"\s*[:：]|^金额单位\s*[:：]\s*(?:万元|千元|亿元|元)$")
"""A cell of the unit/unit-name line printed above a table's ruled area."""


TITLE_LIKE = re.compile(r"(?:表|清单)(?:[（(].{0,12}[)）])?$")
"""A table title (``…支出表``, ``…公开清单``, ``项目支出绩效目标表（2026年度）``)."""


@dataclass
class Repaired:
    """A converter table put back in order: the lifted text lines and the rebuilt grid."""

    lines: list[str]
    grid: Grid
    notes: list[str]


def _clean(text: str) -> tuple[str, str]:
    """The cell's text with a converter placeholder emptied, and which kind it was: ``col``
    (pymupdf4llm's ``Col2``), ``other`` (``Unnamed: 3``, ``nan`` …) or '' (real text)."""
    t = text.strip()
    if COL_NAME.match(t):
        return "", "col"
    if PLACEHOLDER.match(t):
        return "", "other"
    return text, ""


def _is_meta_row(row: list[str]) -> bool:
    """A row holding only the unit/unit-name line (its cells repeated by the converter, or
    cut into scraps)."""
    cells = list(dict.fromkeys(norm(t) for t in row if norm(t)))
    meta = [t for t in cells if META_CELL.search(t)]
    # the converter may cut the line into overlapping pieces (``部门：苏州市审计|计局``)
    scraps = [t for t in cells if t not in meta]
    return bool(meta) and len(scraps) <= 2 and all(
        len(t) <= 4 and not looks_numeric(t) for t in scraps)


def _single_text(row: list[str]) -> str:
    """The one text a row holds (however often repeated), else ''."""
    texts = {norm(t) for t in row if norm(t)}
    return texts.pop() if len(texts) == 1 else ""


def _title_rows(rows: list[list[str]], placeholder: list[list[str]]) -> int:
    """How many top rows are a title and the line(s) above it (0 when the top is none),
    each written as a converter does: its text repeated over the row or beside ``Col2``."""
    for j in range(min(3, len(rows) - 2)):
        text = _single_text(rows[j])
        copies = sum(1 for t in rows[j] if norm(t))
        if not text or (copies < 2 and not any(placeholder[j])):
            return 0
        if TITLE_LIKE.search(text):
            return j + 1
    return 0


def _index_column(rows: list[list[str]]) -> bool:
    """A dataframe's index in column 0: an empty header cell over 0, 1, 2 … to the end."""
    if len(rows) < 3 or len(rows[0]) < 2 or norm(rows[0][0]):
        return False
    return [norm(r[0]) for r in rows[1:]] == [str(i) for i in range(len(rows) - 1)]


def _has_repeats(rows: list[list[str]]) -> bool:
    """Whether a header row repeats a text in adjacent cells, as span-filling converters do."""
    for row in rows[:_first_body_row(rows)]:
        texts = [norm(t) for t in row]
        if any(a and a == b for a, b in zip(texts, texts[1:], strict=False)):
            return True
    return False


def _first_body_row(rows: list[list[str]]) -> int:
    """Rows above the first row with an amount or a code (the normaliser's own rule); 0 when
    there is no such row (a form such as a 绩效目标表, whose repeated cells are its text)."""
    if not rows:
        return 0
    h = header_row_count(Grid.from_rows(rows), min_rows=len(rows))
    return h if h < len(rows) else 0


def repair_rows(rows: list[list[str]]) -> Repaired | None:
    """The table put back as printed, or ``None`` when it shows no converter artefact."""
    if not rows:
        return None
    width = max(len(r) for r in rows)
    raw = [list(r) + [""] * (width - len(r)) for r in rows]
    cleaned: list[list[str]] = []
    placeholder: list[list[str]] = []
    for r in raw:
        pairs = [_clean(t) for t in r]
        cleaned.append([p[0] for p in pairs])
        placeholder.append([p[1] for p in pairs])
    notes: list[str] = []
    lines: list[str] = []
    # the title and unit lines above the ruled area, taken in as the first rows: a row of
    # the unit line's cells, or a title (one text across the row, repeated or ``Col2``) and
    # the line(s) just above it
    while len(cleaned) > 1 and width > 1:
        if not any(norm(t) for t in cleaned[0]) and any(placeholder[0]):
            cleaned, placeholder = cleaned[1:], placeholder[1:]  # a row of ``Col1|Col2|…``
            notes.append("a header row of placeholders only (Col1, Col2 …) dropped")
            continue
        if _is_meta_row(cleaned[0]):
            lines.append(" ".join(dict.fromkeys(t.strip() for t in cleaned[0] if t.strip())))
            cleaned, placeholder = cleaned[1:], placeholder[1:]
            continue
        n_title = _title_rows(cleaned, placeholder)
        if not n_title:
            break
        lines.extend(_single_text(r) for r in cleaned[:n_title])
        cleaned, placeholder = cleaned[n_title:], placeholder[n_title:]
    if lines:
        notes.append(f"the line(s) “{' / '.join(lines)}” written as the table's first row(s): "
                     "read as text above the table")
    if _index_column(cleaned):
        cleaned = [r[1:] for r in cleaned]
        placeholder = [r[1:] for r in placeholder]
        notes.append("a dataframe's index column (0, 1, 2 …) dropped")
        if len(cleaned) > 1 and [norm(t) for t in cleaned[0]] == [
                str(i) for i in range(len(cleaned[0]))]:
            cleaned, placeholder = cleaned[1:], placeholder[1:]
            notes.append("a dataframe's integer column names (0, 1, 2 …) dropped")
    converter = bool(notes) or any(any(p) for p in placeholder) or _has_repeats(cleaned)
    # an empty column at the edge of the converter's grid (its ruled area was wider than
    # the table): at the left always, at the right only under a header (in a continuation
    # fragment it may be a value column with nothing in it on that page)
    while converter and len(cleaned[0]) > 1 and not any(norm(r[0]) for r in cleaned):
        cleaned, placeholder = [r[1:] for r in cleaned], [r[1:] for r in placeholder]
        notes.append("an empty first column dropped")
    first_body = _first_body_row(cleaned)
    while converter and first_body and len(cleaned[0]) > 1 and not any(
            norm(r[-1]) for r in cleaned):
        cleaned, placeholder = [r[:-1] for r in cleaned], [r[:-1] for r in placeholder]
        notes.append("an empty last column dropped")
    if not converter or not cleaned or not cleaned[0]:
        return None
    grid, rebuilt = _rebuild_header(cleaned, placeholder, first_body)
    if rebuilt:
        notes.append("header cells repeated by the converter read as merged cells")
    return Repaired(lines=lines, grid=grid, notes=notes)


def _rebuild_header(rows: list[list[str]], placeholder: list[list[str]],
                    n_header: int) -> tuple[Grid, bool]:
    """Header rows as cells with spans, undoing the converter's fill; body rows as printed.

    Going down the header rows and along each row, a position repeating its left
    neighbour's text is the same merged cell when both sit under the same cell one row up
    (or in the top row); otherwise the converter filled a position covered by the cell
    above it (pymupdf4llm fills from the left first), so the cell above spans down.  A
    position repeating the cell above is that cell spanning down.  In the top row
    pymupdf4llm's ``ColN`` right of a label is that label spanning right (``nan`` and
    ``Unnamed`` say nothing about spans: those empties are left to the normaliser).
    Without any repeat or placeholder in the header the grid keeps no spans (``ruled``
    False) and the normaliser infers them as for any pipe table.
    """
    n_rows, n_cols = len(rows), len(rows[0])
    n_header = min(n_header, n_rows)
    owner: list[list[int | None]] = [[None] * n_cols for _ in range(n_header)]
    texts: list[str] = []  # the text of each header cell, by id
    origin: list[tuple[int, int]] = []
    merged = False
    for r in range(n_header):
        for k in range(n_cols):
            t = norm(rows[r][k])
            left = owner[r][k - 1] if k > 0 else None
            repeat = k > 0 and left is not None and norm(rows[r][k - 1]) == t
            up = owner[r - 1][k] if r > 0 else None
            same_parent = r == 0 or (k > 0 and owner[r - 1][k] == owner[r - 1][k - 1])
            if t and repeat and same_parent:
                owner[r][k] = left  # one cell spanning right
            elif t and up is not None and norm(texts[up]) == t:
                owner[r][k] = up  # the cell above spanning down
            elif t and repeat:
                # filled from the left into a position the cell above covers
                owner[r][k] = up if up is not None else left
            elif placeholder[r][k] == "col" and r == 0 and left is not None and not (
                    n_header > 1 and norm(rows[1][k - 1]) == norm(texts[left])):
                # ``Col2`` in the top row: the label spans right (unless it spans down,
                # which a cell cannot do over a column that has its own text below)
                owner[r][k] = left
            elif t:
                owner[r][k] = len(texts)
                texts.append(rows[r][k])
                origin.append((r, k))
                continue
            else:
                continue
            merged = True
    if not merged:
        return Grid.from_rows(rows), False
    cells: list[GridCell] = []
    for cid, (r0, k0) in enumerate(origin):
        # the rectangle the cell covers: along its first row, then down its first column
        k1 = k0
        while k1 + 1 < n_cols and owner[r0][k1 + 1] == cid:
            k1 += 1
        r1 = r0
        while r1 + 1 < n_header and all(owner[r1 + 1][k] == cid for k in range(k0, k1 + 1)):
            r1 += 1
        cells.append(GridCell(text=texts[cid], row=r0, col=k0, rowspan=r1 - r0 + 1,
                              colspan=k1 - k0 + 1))
    cells.sort(key=lambda c: (c.row, c.col))
    for r in range(n_header, n_rows):
        cells.extend(GridCell(text=t, row=r, col=k) for k, t in enumerate(rows[r]))
    return Grid(cells=cells, n_rows=n_rows, n_cols=n_cols, ruled=True), True


def lost_last_row(text: str, grid: Grid) -> list[str] | None:
    """A table's last row that the converter wrote as a text line after the table.

    pymupdf4llm drops the bottom row of a ruled table at a page end into the text
    (``合计 189,767,551 101,341,746 88,425,805``).  A line right after a table that is a
    label followed by as many amounts as the table's last row has amount columns at its
    right end, with a label column just before them, is that row; returned as a row of the
    table's width, else ``None``.
    """
    words = text.split()
    n = 0
    while n < len(words) and looks_numeric(words[len(words) - 1 - n]):
        n += 1
    label = "".join(words[: len(words) - n])
    if n < 2 or not label or n >= grid.n_cols or any(looks_numeric(w) for w in words[:-n]):
        return None
    last = grid.text_rows()[-1] if grid.n_rows else []
    tail = [norm(t) for t in last[grid.n_cols - n:]]
    before = norm(last[grid.n_cols - n - 1]) if grid.n_cols - n - 1 >= 0 else ""
    if not any(tail) or not all(not t or looks_numeric(t) for t in tail) or (
            not before or looks_numeric(before)):
        return None
    return [""] * (grid.n_cols - n - 1) + [label] + words[len(words) - n:]
