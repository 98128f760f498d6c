"""Markdown reader via markdown-it-py: headings, paragraphs, list items and pipe tables.

Markdown conversions of published PDFs (what MinerU, Docling or hand conversion produce) keep
the tables as GFM pipe tables, with ``<br>`` for in-cell line breaks and HTML ``<table>`` blocks
for tables with merged cells.  Pipe tables carry no spans, so their grids are marked
``ruled=False`` and the header normaliser infers the spans.  Tables as a PDF converter or a
dataframe writes them (merged cells repeated, ``Col2`` placeholders, the unit line as the
first row, an index column) are put back as printed first
(:mod:`budget_extract.readers.converted_tables`).
"""

from __future__ import annotations

import hashlib
import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..model import Block, Grid, GridCell, Source
from .converted_tables import lost_last_row, repair_rows
from .html import html_blocks, parse_fragment
from .text import source_text

_MD = MarkdownIt("commonmark").enable("table")


def _inline_text(tok: Token) -> str:
    """Plain text of an inline token: emphasis dropped, ``<br>`` and soft breaks as newlines."""
    out: list[str] = []
    for ch in tok.children or []:
        if ch.type in ("text", "code_inline"):
            out.append(ch.content)
        elif ch.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif ch.type == "html_inline":
            tag = ch.content.strip().lower()
            if tag.startswith("<br"):
                out.append("\n")
        elif ch.type == "image":
            out.append(ch.content)
    # CommonMark does not close ``**`` after CJK punctuation (``**一、收入：**指…``): drop strays.
    return "".join(out).replace("**", "").strip()


def _raw_cell_count(line: str) -> int:
    """Cells in a pipe-table source line (GFM: outer pipes optional, ``\\|`` escaped)."""
    s = line.strip().replace("\\|", "")
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return s.count("|") + 1


_LEAF = {"heading_open", "paragraph_open", "table_open", "fence", "code_block", "html_block",
         "hr"}
_MARKERS = re.compile(r"^[ \t]*(?:(?:[-*+>]|\d{1,9}[.)])(?:[ \t]+|$))+")


def _lost_lines(tokens: list[Token], lines: list[str]) -> list[int]:
    """Lines with text that no leaf block holds: what markdown-it dropped.

    Past its nesting limit (20 levels: ``- - - - - - - - - - x`` is ten lists) the parser
    stops and silently skips the rest of the enclosing block, often the rest of the file.
    Lines that are only list or quote markers, and link reference definitions, hold no text.
    """
    covered = [False] * len(lines)
    for t in tokens:
        if t.type in _LEAF and t.map:
            for k in range(t.map[0], min(t.map[1], len(lines))):
                covered[k] = True
    return [k for k, ln in enumerate(lines) if not covered[k] and ln.strip()
            and _MARKERS.sub("", ln).strip() and not re.match(r"^ {0,3}\[[^\]]+\]:", ln)]


def _recover(text: str) -> tuple[list[Token], list[str], list[str]]:
    """Tokens of ``text``; when lines were dropped (see :func:`_lost_lines`), those lines
    are read again without their list and quote markers, with a warning."""
    lines = text.split("\n")
    tokens = _MD.parse(text)
    lost = _lost_lines(tokens, lines)
    if not lost:
        return tokens, lines, []
    for k in lost:
        lines[k] = _MARKERS.sub("", lines[k])
    tokens = _MD.parse("\n".join(lines))
    still = _lost_lines(tokens, lines)
    warn = (f"lines {lost[0] + 1}-{lost[-1] + 1}: Markdown nested deeper than the parser's "
            f"limit (lists or quotes in {len(lost)} line(s)); read without their list and "
            "quote markers")
    if still:
        warn += f"; {len(still)} line(s) still unreadable from line {still[0] + 1}"
    return tokens, lines, [warn]


def read_markdown_text(text: str) -> tuple[list[Block], list[str]]:
    """Blocks of a Markdown document and warnings about what was repaired."""
    tokens, lines, warnings = _recover(text)
    blocks: list[Block] = []
    i = 0
    list_numbers: list[str] = []
    repaired: list[str] = []
    converter_grids: set[int] = set()  # tables a converter wrote (repaired ones)
    while i < len(tokens):
        t = tokens[i]
        if t.type == "heading_open":
            blocks.append(Block(kind="heading", text=_inline_text(tokens[i + 1]),
                                level=int(t.tag[1])))
            i += 3
            continue
        if t.type == "list_item_open":
            list_numbers.append(t.info)
        elif t.type == "list_item_close":
            list_numbers.pop()
        elif t.type == "paragraph_open":
            inline = tokens[i + 1]
            txt = _inline_text(inline)
            lost = (lost_last_row(txt, blocks[-1].grid) if blocks and blocks[-1].grid
                    is not None and id(blocks[-1].grid) in converter_grids
                    and "\n" not in txt else None)
            if lost is not None:
                # the table's last row, written by the converter as a line after it
                grid = blocks[-1].grid
                grid.cells.extend(GridCell(text=cell, row=grid.n_rows, col=k)
                                  for k, cell in enumerate(lost) if cell)
                grid.n_rows += 1
                repaired.append(f"line {(t.map[0] + 1) if t.map else 0}: “{txt}” read as the "
                                "last row of the table above it")
            elif txt:
                if list_numbers and t.level > 0:
                    num = list_numbers[-1]
                    blocks.append(Block(kind="list_item", text=f"{num}. {txt}" if num else txt))
                else:
                    for ln in txt.split("\n"):
                        if ln.strip():
                            blocks.append(Block(kind="paragraph", text=ln.strip()))
            i += 3
            continue
        elif t.type == "table_open":
            line_no = (t.map[0] + 1) if t.map else 0
            i, rows, warns = _read_table(tokens, i, lines)
            fixed = repair_rows(rows)
            if fixed is None:
                grid = Grid.from_rows(rows, ruled=False)
            else:
                # the unit line the converter took into the table goes back above it
                blocks.extend(Block(kind="paragraph", text=ln) for ln in fixed.lines)
                grid = fixed.grid
                converter_grids.add(id(grid))
                repaired.append(f"line {line_no}: " + "; ".join(fixed.notes))
            blocks.append(Block(kind="table", grid=grid))
            warnings.extend(warns)
            continue
        elif t.type == "html_block":
            for el in parse_fragment(t.content, warnings):
                blocks.extend(html_blocks(el, warnings))
        i += 1
    if repaired:
        warnings.append(f"{len(repaired)} pipe table(s) as a PDF converter or a dataframe writes "
                        "them, put back as printed (" + " | ".join(repaired[:3])
                        + (" …" if len(repaired) > 3 else "") + ")")
    return blocks, warnings


def _read_table(tokens: list[Token], i: int,
                lines: list[str]) -> tuple[int, list[list[str]], list[str]]:
    """Read a pipe table starting at ``table_open``: the index after ``table_close``, the
    rows' cell texts and warnings about ragged rows."""
    rows: list[list[str]] = []
    warnings: list[str] = []
    width = 0
    cur: list[str] | None = None
    while tokens[i].type != "table_close":
        t = tokens[i]
        if t.type == "tr_open":
            cur = []
            if t.map is not None:
                raw = _raw_cell_count(lines[t.map[0]])
                if not rows:
                    width = raw
                elif raw != width:
                    fix = "padded with empty cells" if raw < width else "extra cells dropped"
                    warnings.append(
                        f"line {t.map[0] + 1}: table row has {raw} cells, header has {width}; "
                        f"{fix}")
        elif t.type == "inline" and cur is not None:
            cur.append(_inline_text(t))
        elif t.type == "tr_close" and cur is not None:
            rows.append(cur)
            cur = None
        i += 1
    return i + 1, rows, warnings



def read(data: bytes, path: str, password: str | None = None, *,
         sha256: str | None = None) -> Source:
    """Read a Markdown file's bytes into a block stream (``password`` is unused: only
    PDFs have one; ``sha256``, the bytes' hash when the caller has it already)."""
    blocks, warnings = read_markdown_text(source_text(data, path))
    return Source(path=path, sha256=sha256 or hashlib.sha256(data).hexdigest(),
                  format="markdown", pages=None, blocks=blocks, warnings=warnings)


__all__ = ["read", "read_markdown_text", "GridCell"]
