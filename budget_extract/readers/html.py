"""HTML reader: standalone ``.html`` files and ``<table>`` blocks inside Markdown, via lxml.

This is what converters such as MinerU and Docling emit and what government sites publish.
Tables keep their real ``rowspan``/``colspan``, so the header normaliser can build the
header tree from the spans instead of guessing.
"""

from __future__ import annotations

import re

from lxml import etree, html

from ..model import Block, Grid, GridCell

_BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "td", "th"}
_WS = re.compile(r"[ \t\u3000\xa0]+")


def _span(el: etree._Element, name: str) -> int:
    try:
        return max(1, min(int(str(el.get(name, "1")).strip() or 1), 1000))
    except ValueError:
        return 1


def element_text(el: etree._Element) -> str:
    """Text of an element with ``<br>`` and block children as line breaks."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if not isinstance(node.tag, str):  # comments, processing instructions
            if node.tail:
                parts.append(node.tail)
            return
        tag = node.tag.lower()
        if tag == "br":
            parts.append("\n")
        elif tag in ("script", "style"):
            pass
        else:
            if node.text:
                parts.append(node.text)
            for child in node:
                walk(child)
            if tag in _BLOCK_TAGS and node is not el:
                parts.append("\n")
        if node.tail and node is not el:
            parts.append(node.tail)

    walk(el)
    lines = [_WS.sub(" ", ln).strip() for ln in "".join(parts).split("\n")]
    return "\n".join(ln for ln in lines if ln)


def table_to_grid(table: etree._Element, page: int | None = None) -> Grid:
    """Lay an HTML table out on a grid, honouring rowspan/colspan (the HTML table model)."""
    rows = [tr for tr in table.iter("tr") if _owning_table(tr) is table]
    occupied: dict[tuple[int, int], bool] = {}
    cells: list[GridCell] = []
    n_cols = 0
    for r, tr in enumerate(rows):
        c = 0
        for td in tr:
            if not isinstance(td.tag, str) or td.tag.lower() not in ("td", "th"):
                continue
            while occupied.get((r, c)):
                c += 1
            rs, cs = _span(td, "rowspan"), _span(td, "colspan")
            rs = min(rs, len(rows) - r)
            cells.append(GridCell(text=element_text(td), row=r, col=c, rowspan=rs, colspan=cs,
                                  page=page))
            for dr in range(rs):
                for dc in range(cs):
                    occupied[(r + dr, c + dc)] = True
            c += cs
            n_cols = max(n_cols, c)
    n_rows = len(rows)
    for cell in cells:  # a colspan running past the widest row is clipped
        cell.colspan = min(cell.colspan, n_cols - cell.col)
    return Grid(cells=cells, n_rows=n_rows, n_cols=n_cols, page=page, ruled=True)


def _owning_table(tr: etree._Element) -> etree._Element | None:
    node = tr.getparent()
    while node is not None and (not isinstance(node.tag, str) or node.tag.lower() != "table"):
        node = node.getparent()
    return node


def parse_fragment(markup: str) -> list[etree._Element]:
    """Parse an HTML fragment into elements; lxml's parser recovers from unclosed tags."""
    if not markup.strip():
        return []
    try:
        frags = html.fragments_fromstring(markup)
    except (etree.ParserError, ValueError):
        return []
    return [f for f in frags if isinstance(f, etree._Element)]


def html_blocks(root: etree._Element) -> list[Block]:
    """Walk an HTML tree in document order, yielding headings, paragraphs, list items, tables."""
    blocks: list[Block] = []

    def walk(node: etree._Element) -> None:
        if not isinstance(node.tag, str):
            return
        tag = node.tag.lower()
        if tag == "table":
            grid = table_to_grid(node)
            if grid.n_rows:
                blocks.append(Block(kind="table", grid=grid))
            return
        if tag in ("script", "style", "head", "title"):
            return
        if re.fullmatch(r"h[1-6]", tag):
            text = element_text(node).replace("\n", "")
            if text:
                blocks.append(Block(kind="heading", text=text, level=int(tag[1])))
            return
        has_block_child = any(
            isinstance(ch.tag, str)
            and ch.tag.lower() in _BLOCK_TAGS | {"table", "ul", "ol", "section", "article"}
            for ch in node
        )
        if tag in ("p", "li", "caption") or (tag == "div" and not has_block_child):
            text = element_text(node)
            for line in text.split("\n"):
                if line.strip():
                    blocks.append(Block(kind="list_item" if tag == "li" else "paragraph",
                                        text=line.strip()))
            if not has_block_child:
                return
        elif node.text and node.text.strip() and tag not in ("html", "body"):
            blocks.append(Block(kind="paragraph", text=node.text.strip()))
        for child in node:
            walk(child)
            if child.tail and child.tail.strip() and tag in ("body", "div", "section"):
                blocks.append(Block(kind="paragraph", text=child.tail.strip()))

    walk(root)
    return blocks


def read_html_text(text: str) -> list[Block]:
    """Blocks of a whole HTML document (lxml recovers from broken markup)."""
    if not text.strip():
        return []
    try:
        root = html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return []
    return html_blocks(root)
