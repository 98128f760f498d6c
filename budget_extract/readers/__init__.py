"""Readers: bytes in, a :class:`~budget_extract.model.Source` (a block stream) out.

The format is detected from the file's bytes, not trusted from its extension: government
sites serve PDFs named ``.html`` and HTML named ``.xls``.
"""

from __future__ import annotations

import hashlib
import os
import re
from typing import Protocol

from ..errors import ExtractError
from ..inputs import NotReadable, Stamp, read_input
from ..model import Source
from ..numtext import INVISIBLE, strip_invisible
from .text import utf16_as_utf8


class Reader(Protocol):
    """What every reader module (``pdf``, ``markdown``, ``html``) provides."""

    def read(self, data: bytes, path: str, password: str | None = None, *,
             sha256: str | None = None) -> Source: ...


_TABLE_RULE = re.compile(
    rb"(?m)^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*\r?$")
_HEADING = re.compile(rb"(?m)^#{1,6}[ \t]+\S")
FORMAT_OF_SUFFIX = {".pdf": "pdf", ".md": "markdown", ".markdown": "markdown", ".txt": "markdown",
                    ".html": "html", ".htm": "html"}
"""The format a file's name says it holds (its bytes decide; see :func:`sniff_format`)."""

SUPPORTED_SUFFIXES = tuple(FORMAT_OF_SUFFIX)
"""The file names a batch picks up."""


def _looks_like_markdown(data: bytes) -> bool:
    """Text with a pipe-table rule (``|---|---|``) or an ATX heading (``# 标题``)."""
    head = data[:65536]
    return b"\x00" not in head and bool(_TABLE_RULE.search(head) or _HEADING.search(head))


def sniff_format(data: bytes, path: str = "") -> str:
    """'pdf', 'html', 'markdown' or 'office' from the content; the extension only breaks
    ties (text that is neither clearly HTML nor clearly Markdown)."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if data[:1024].find(b"%PDF-") != -1:
        return "pdf"
    low = head[:512].lower()
    if low.startswith((b"<!doctype html", b"<html", b"<?xml")) or (
            low.startswith(b"<") and (b"<table" in data[:65536].lower()
                                      or b"<body" in data[:65536].lower())):
        return "html"
    if data[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"):
        return "office"
    ext = os.path.splitext(path)[1].lower()
    if ext == ".pdf":
        # named .pdf without a PDF header: a Markdown conversion saved under the wrong
        # name is read as such; anything else goes to the PDF reader, which says it is
        # not a PDF
        return "markdown" if _looks_like_markdown(data) else "pdf"
    if ext in (".html", ".htm"):
        # an HTML page starts with markup; a Markdown conversion (``<br>`` in its cells
        # or not) with a heading or a table rule
        return "markdown" if _looks_like_markdown(data) and not head.startswith(b"<") \
            else "html"
    return "markdown"


def load(path: str) -> bytes:
    """The input's bytes, read once (regular files only: a FIFO or a device never blocks,
    and a file over the size cap is not read), or :class:`ExtractError`."""
    return load_stamped(path)[0]


def load_stamped(path: str) -> tuple[bytes, Stamp]:
    """:func:`load`, with the file's stamp (see :func:`~budget_extract.inputs.hash_input`)."""
    try:
        return read_input(path)
    except NotReadable as e:
        raise ExtractError(e.reason, path) from None
    except OSError as e:
        raise ExtractError(f"cannot read the file ({e.strerror})", path) from None


def read(path: str, password: str | None = None, pdf_engine: str | None = None) -> Source:
    """Read any supported input into a block stream, or raise :class:`ExtractError`."""
    return read_data(load(path), path, password, pdf_engine)


def read_data(data: bytes, path: str, password: str | None = None,
              pdf_engine: str | None = None, *, sha256: str | None = None) -> Source:
    """Read an input's bytes (``path`` names it: in messages, and its extension breaks
    ties between formats) into a block stream, or raise :class:`ExtractError`.

    Each step is done once and handed on to the reader of the format (each with the
    same entry point, ``read(data, path, password, *, sha256) -> Source``): the SHA-256
    of the bytes as given (``sha256`` when the caller already hashed them), and UTF-16
    text re-encoded as UTF-8 for sniffing, which the text readers then read."""
    if not data or data.isspace():
        raise ExtractError("the file is empty (0 bytes of content)", path)
    text = utf16_as_utf8(data)
    fmt = sniff_format(text, path)
    if fmt == "office":
        raise ExtractError("this is an Office (XLSX/DOCX/XLS) file; only PDF, Markdown and HTML "
                           "are supported so far", path)
    if fmt == "pdf":
        from . import pdf

        # the PDF reader hashes (if need be) once it knows the bytes are a PDF
        src = pdf.read(data, path, password, engine=pdf_engine, sha256=sha256)
    else:
        src = _reader(fmt).read(text, path, password,
                                sha256=sha256 or hashlib.sha256(data).hexdigest())
    drop_invisible(src)
    ext = os.path.splitext(path)[1].lower()
    named = FORMAT_OF_SUFFIX.get(ext)
    if named is not None and named != src.format:
        src.warnings.insert(0, f"the file is named {ext} but holds {_NAMES[src.format]}; "
                               f"it was read as {_NAMES[src.format]}")
    return src


def drop_invisible(src: Source) -> None:
    """Remove characters that print nothing (zero-width space, LRM/RLM, a BOM or soft
    hyphen inside text) from every text and cell, whatever the reader: a viewer shows
    ``100.00`` for ``1\u200b00.00``, and a row whose amounts hold one must not become a
    header row."""
    marks = set(INVISIBLE)
    for b in src.blocks:
        if marks.intersection(b.text):
            b.text = strip_invisible(b.text)
        if b.grid is not None:
            for c in b.grid.cells:
                if marks.intersection(c.text):
                    c.text = strip_invisible(c.text)


_NAMES = {"pdf": "a PDF", "html": "HTML", "markdown": "Markdown"}


def _reader(fmt: str) -> Reader:
    """The reader module of a text format, imported on first use (``pdf``, with its engine
    choice, is called directly by :func:`read`)."""
    if fmt == "html":
        from . import html

        return html
    from . import markdown

    return markdown
