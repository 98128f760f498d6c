"""HTML reader: standalone ``.html`` files and ``<table>`` blocks inside Markdown, via lxml.

This is what converters such as MinerU and Docling emit and what government sites publish.
Tables keep their real ``rowspan``/``colspan``, so the header normaliser can build the
header tree from the spans instead of guessing.
"""

from __future__ import annotations

import codecs
import hashlib
import re

from lxml import etree, html

from ..model import Block, Grid, GridCell, Source
from ..numtext import is_amount
from .text import source_text, utf16_as_utf8

_BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "td", "th"}
_WS = re.compile(r"[ \t\u3000\xa0]+")


def _span(el: etree._Element, name: str) -> int:
    try:
        return max(1, min(int(str(el.get(name, "1")).strip() or 1), 1000))
    except ValueError:
        return 1


def element_text(el: etree._Element, *, markers: bool = True) -> str:
    """Text of an element with ``<br>`` and block children as line breaks.

    Iterative (``iter`` + text/tail), so hostile, deeply nested markup cannot exhaust the
    Python stack.  ``markers=False`` leaves out what ``<sup>``/``<sub>`` hold (footnote
    markers: ``20.00<sup>1</sup>`` is 20.00 with note 1, not 20.001).
    """
    parts: list[str] = [el.text or ""] if isinstance(el.tag, str) else []
    skip: set[etree._Element] = set()
    for node in el.iterdescendants():
        if not isinstance(node.tag, str):
            parts.append(node.tail or "")
            continue
        tag = node.tag.lower()
        parent = node.getparent()
        if not markers and (tag in ("sup", "sub") or parent in skip):
            skip.add(node)
            if parent not in skip:
                parts.append(node.tail or "")
            continue
        if tag == "br" or tag in _BLOCK_TAGS:
            parts.append("\n")
        if tag not in ("script", "style"):
            parts.append(node.text or "")
        parts.append(node.tail or "")
    lines = [_WS.sub(" ", ln).strip() for ln in "".join(parts).split("\n")]
    return "\n".join(ln for ln in lines if ln)


MAX_SPAN_AREA = 200_000
"""Grid positions a table's spans may cover in all (a real table covers a few thousand):
past it, spans are read as single cells, so a few KB of ``colspan=1000 rowspan=1000``
cannot expand to gigabytes."""


def table_to_grid(table: etree._Element, page: int | None = None,
                  notes: list[str] | None = None, warnings: list[str] | None = None) -> Grid:
    """Lay an HTML table out on a grid, honouring rowspan/colspan (the HTML table model).
    Amounts printed with a footnote marker (``<sup>1</sup>``) are read without it; their
    texts as printed go to ``notes``."""
    rows = [tr for tr in table.iter("tr") if _owning_table(tr) is table]
    occupied: dict[tuple[int, int], bool] = {}
    cells: list[GridCell] = []
    n_cols = 0
    covered = 0
    clipped = False
    for r, tr in enumerate(rows):
        c = 0
        for td in tr:
            if not isinstance(td.tag, str) or td.tag.lower() not in ("td", "th"):
                continue
            while occupied.get((r, c)):
                c += 1
            rs, cs = _span(td, "rowspan"), _span(td, "colspan")
            rs = min(rs, len(rows) - r)
            if covered + rs * cs > MAX_SPAN_AREA:  # checked before expanding it
                if not clipped and warnings is not None:
                    warnings.append(f"a table's cell spans cover more than "
                                    f"{MAX_SPAN_AREA:,} grid positions (a real table covers a "
                                    "few thousand): the rest of its spans were read as single "
                                    "cells")
                clipped = True
                rs = cs = 1
            covered += rs * cs
            text = element_text(td)
            if any(True for _ in td.iter("sup", "sub")):
                bare = element_text(td, markers=False)
                if bare != text and is_amount(bare):  # an amount with a footnote marker
                    text = bare
                    if notes is not None:
                        marks = "".join("".join(m.itertext()) for m in td.iter("sup", "sub"))
                        notes.append(f"{bare} with marker {marks.strip()}")
            cells.append(GridCell(text=text, row=r, col=c, rowspan=rs, colspan=cs,
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


MAX_DEPTH = 2048
"""libxml2's nesting limit: deeper markup is cut off at that point, with everything after it."""

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_CONTAINERS = re.compile(
    r"</?(?:div|section|article|center|blockquote|header|footer|main|aside|nav)\b[^>]*>",
    re.IGNORECASE)
_INLINE = re.compile(r"</?(?:span|font|a|b|i|u|em|strong|small|big|o:p)\b[^>]*>",
                     re.IGNORECASE)
_TOO_DEEP = (f"the HTML is nested more than {MAX_DEPTH:,} levels deep; it was read with its "
             "container tags (div, span, font …) ignored")


def _parse(markup: str, fragment: bool) -> tuple[list[etree._Element], bool]:
    """Parse with a fresh recovering parser; also say whether libxml2 hit its depth limit
    (it then silently drops the rest of the document)."""
    parser = html.HTMLParser(huge_tree=True, remove_comments=True)
    found: list[etree._Element] = []
    try:
        if fragment:
            found = html.fragments_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError, AssertionError):
        # lxml asserts on a fragment holding a whole page (``<html>`` without a body it
        # can find): read it as a document instead
        parser = html.HTMLParser(huge_tree=True, remove_comments=True)
        fragment = False
    try:
        if not fragment:
            found = [html.document_fromstring(markup, parser=parser)]
    except (etree.ParserError, ValueError, AssertionError):
        return [], False
    too_deep = any("Excessive depth" in e.message for e in parser.error_log)
    return [f for f in found if isinstance(f, etree._Element)], too_deep


_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)"
    r"|font-size\s*:\s*0+(?:\.0*)?(?:px|pt|em|rem|%)?\s*(?:;|!|$)", re.IGNORECASE)
_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")


def drop_unrendered(roots: list[etree._Element]) -> int:
    """Remove what a browser does not render — ``display:none``, ``visibility:hidden``,
    ``font-size:0`` (inline, or by a ``.class``/``#id`` rule of a ``<style>``), the
    ``hidden`` attribute, ``<template>`` — and return how many characters of text it held.
    A hidden ``9`` inside ``1…00.00`` must not make 1900.00 of what the page shows as
    100.00."""
    classes: set[str] = set()
    ids: set[str] = set()
    for root in roots:
        for st in root.iter("style"):
            for sel, body in _CSS_RULE.findall(st.text or ""):
                if _HIDDEN_STYLE.search(body + ";"):
                    for part in sel.split(","):
                        part = part.strip()
                        if re.fullmatch(r"[a-zA-Z0-9]*\.[\w-]+", part):
                            classes.add(part.split(".", 1)[1])
                        elif re.fullmatch(r"[a-zA-Z0-9]*#[\w-]+", part):
                            ids.add(part.split("#", 1)[1])
    victims: list[etree._Element] = []
    gone: set[etree._Element] = set()
    for root in roots:
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            parent = el.getparent()
            if parent in gone:
                gone.add(el)
                continue
            if (el.tag.lower() == "template" or el.get("hidden") is not None
                    or _HIDDEN_STYLE.search((el.get("style") or "") + ";")
                    or (classes and classes.intersection((el.get("class") or "").split()))
                    or (ids and el.get("id") in ids)):
                gone.add(el)
                victims.append(el)
    chars = 0
    for el in victims:
        chars += len("".join(el.itertext()).strip())
        parent = el.getparent()
        if parent is None:
            continue
        tail = el.tail or ""
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
        parent.remove(el)
    return chars


_CHROME_TAGS = {"nav", "footer", "noscript", "form", "iframe"}
_CHROME_NAME = re.compile(
    r"(?:^|[-_])(?:bread(?:crumbs?)?|crumbs?|nav(?:bar|igation)?|menu|footer|position|"
    r"location|dqwz|share|fenxiang)(?:$|[-_])", re.IGNORECASE)
MAX_CHROME_CHARS = 200
"""Text an element may hold and still be read as page chrome: a breadcrumb or footer is a
line or two; anything longer is content whatever its class says."""


def drop_page_chrome(root: etree._Element) -> None:
    """Remove a portal page's chrome around the document: navigation, breadcrumbs
    (``首页 > 信息公开 > 预决算公开``), menus, share bars and footers — ``<nav>``/``<footer>``
    elements and elements whose class or id names one.  Their words are no part of the
    disclosure (a breadcrumb's 预决算公开 made a 预算 page read as a 决算, its ``>`` as the
    unit's name).  An element holding a table, or more than a couple of lines of text, is
    kept whatever its name says: it is content."""
    victims = []
    gone: set[etree._Element] = set()
    for el in root.iter():
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        if el.getparent() in gone:
            gone.add(el)
            continue
        names = f"{el.get('class') or ''} {el.get('id') or ''}".split()
        if el.tag.lower() not in _CHROME_TAGS and not any(_CHROME_NAME.search(n)
                                                          for n in names):
            continue
        if any(True for _ in el.iter("table")) or \
                len("".join(el.itertext()).strip()) > MAX_CHROME_CHARS:
            continue
        gone.add(el)
        victims.append(el)
    for el in victims:
        el.drop_tree()  # its tail stays


def _parse_robustly(markup: str, fragment: bool, warnings: list[str] | None
                    ) -> list[etree._Element]:
    """Parse ``markup``; if it is nested past libxml2's limit, parse it again without the
    layout-only container tags, which is where such depth comes from (generated pages,
    or hostile ones), so the tables after the deep part are not lost."""
    markup = _XML_DECL.sub("", markup, count=1)  # lxml refuses str with an encoding decl
    found, too_deep = _parse(markup, fragment)
    if too_deep:
        found, still = _parse(_INLINE.sub("", _CONTAINERS.sub("<br>", markup)), fragment)
        if warnings is not None:
            warnings.append(_TOO_DEEP + ("; what lies deeper still was dropped" if still
                                         else ""))
    hidden = drop_unrendered(found)
    if hidden and warnings is not None:
        warnings.append(f"hidden text not read: {hidden} character(s) in elements a browser "
                        "does not show (display:none, visibility:hidden, font-size:0, "
                        "hidden)")
    return found


def parse_fragment(markup: str, warnings: list[str] | None = None) -> list[etree._Element]:
    """Parse an HTML fragment into elements; lxml's parser recovers from unclosed tags."""
    if not markup.strip():
        return []
    return _parse_robustly(markup, True, warnings)


_TEXT_TAGS = {"p", "li", "caption", "h1", "h2", "h3", "h4", "h5", "h6"}


def html_blocks(root: etree._Element, warnings: list[str] | None = None) -> list[Block]:
    """Headings, paragraphs, list items and tables of an HTML tree, in document order.

    A flat walk over ``iter()``: an element inside a table or inside an element already
    emitted is skipped; a ``div`` or ``td``-less container contributes its own direct text.
    """
    blocks: list[Block] = []
    emitted: set[etree._Element] = set()

    def inside_emitted(node: etree._Element) -> bool:
        parent = node.getparent()
        while parent is not None:
            if parent in emitted:
                return True
            parent = parent.getparent()
        return False

    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        tag = node.tag.lower()
        if tag in ("script", "style", "head", "title"):
            emitted.add(node)
            continue
        if tag == "table":
            if inside_emitted(node):
                continue
            emitted.add(node)
            notes: list[str] = []
            grid = table_to_grid(node, notes=notes, warnings=warnings)
            if notes and warnings is not None:
                warnings.append(f"{len(notes)} amount(s) printed with a footnote marker "
                                f"(<sup>/<sub>) read without it: {notes[0]}"
                                + (" …" if len(notes) > 1 else ""))
            if grid.n_rows:
                blocks.append(Block(kind="table", grid=grid))
            continue
        if tag in _TEXT_TAGS:
            if inside_emitted(node):
                continue
            emitted.add(node)
            text = element_text(node)
            if re.fullmatch(r"h[1-6]", tag):
                if text:
                    blocks.append(Block(kind="heading", text=text.replace("\n", ""),
                                        level=int(tag[1])))
                continue
            for line in text.split("\n"):
                if line.strip():
                    blocks.append(Block(kind="list_item" if tag == "li" else "paragraph",
                                        text=line.strip()))
            continue
        if tag in ("div", "section", "article", "body", "center", "font", "span") and \
                node.text and node.text.strip() and not inside_emitted(node):
            blocks.append(Block(kind="paragraph", text=node.text.strip()))
        if node.tail and node.tail.strip() and not inside_emitted(node):
            parent = node.getparent()
            if parent is not None and isinstance(parent.tag, str) and parent.tag.lower() in (
                    "div", "section", "article", "body"):
                blocks.append(Block(kind="paragraph", text=node.tail.strip()))
    return blocks


def read_html(text: str) -> tuple[list[Block], list[str]]:
    """Blocks of a whole HTML document and warnings about what was repaired (lxml
    recovers from broken markup; too-deep nesting is flattened)."""
    if not text.strip():
        return [], []
    warnings: list[str] = []
    roots = _parse_robustly(text, False, warnings)
    for root in roots:
        drop_page_chrome(root)
    return (html_blocks(roots[0], warnings) if roots else []), warnings


def read_html_text(text: str) -> list[Block]:
    """Blocks of a whole HTML document (see :func:`read_html`)."""
    return read_html(text)[0]


_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_GB = {"gb2312", "gbk", "x-gbk", "gb18030", "cp936", "euc-cn", "hz-gb-2312", "x-euc-cn"}


def html_text(data: bytes, path: str) -> tuple[str, list[str]]:
    """An HTML file's bytes as text, and a warning when they were damaged.

    UTF-8 (and a BOM) win, as in :func:`source_text`: bytes that are valid UTF-8 are UTF-8
    whatever a stale ``<meta>`` says.  Otherwise the charset the page declares in a
    ``<meta>`` (as a browser reads it: Word and older portals write ``charset=gb2312`` and
    GBK bytes) decodes it, with a replacement character for a damaged byte, so one stray
    byte does not turn the whole page to mojibake."""
    text = source_text(data, path)  # refuses binary data; reads UTF-8, BOMs, UTF-16
    data = utf16_as_utf8(data)
    if data.startswith(codecs.BOM_UTF8):
        return text, []
    try:
        data.decode("utf-8")
        return text, []
    except UnicodeDecodeError:
        pass
    m = _META_CHARSET.search(data[:16384])
    declared = m.group(1).decode("ascii").lower() if m else ""
    codec = "gb18030" if declared in _GB or not declared else declared
    try:
        text = data.decode(codec)
        warnings = []
    except LookupError:  # a charset Python does not know: the common Chinese one
        return text, []
    except UnicodeDecodeError:
        text = data.decode(codec, errors="replace")
        warnings = [f"the page's bytes are not all valid {codec} (declared: "
                    f"{declared or 'none'}): {text.count(chr(0xFFFD))} damaged character(s) "
                    "read as \ufffd"]
    return text.replace("\r\n", "\n").replace("\r", "\n"), warnings


def read(data: bytes, path: str, password: str | None = None, *,
         sha256: str | None = None) -> Source:
    """Read an HTML file's bytes into a block stream (``password`` is unused: only
    PDFs have one; ``sha256``, the bytes' hash when the caller has it already)."""
    text, decoding = html_text(data, path)
    blocks, warnings = read_html(text)
    warnings = decoding + warnings
    return Source(path=path, sha256=sha256 or hashlib.sha256(data).hexdigest(),
                  format="html", pages=None, blocks=blocks, warnings=warnings)
