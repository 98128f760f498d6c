"""Readers: bytes in, a :class:`~budget_extract.model.Source` (a block stream) out.

The format is detected from the file's bytes, not trusted from its extension: government
sites serve PDFs named ``.html`` and HTML named ``.xls``.
"""

from __future__ import annotations

import hashlib
import os

from ..errors import ExtractError
from ..model import Source
from .text import decode_text

SUPPORTED_SUFFIXES = (".pdf", ".md", ".markdown", ".html", ".htm", ".txt")


def sniff_format(data: bytes, path: str = "") -> str:
    """'pdf', 'html' or 'markdown' from the content (the extension only breaks ties)."""
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
        return "pdf"  # named .pdf but without a PDF header: the PDF reader says it is broken
    if ext in (".html", ".htm"):
        return "html"
    return "markdown"


def read(path: str, password: str | None = None) -> Source:
    """Read any supported input into a block stream, or raise :class:`ExtractError`."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except IsADirectoryError:
        raise ExtractError("is a directory, not a file", path) from None
    except OSError as e:
        raise ExtractError(f"cannot read the file ({e.strerror})", path) from None
    if not data.strip():
        raise ExtractError("the file is empty (0 bytes of content)", path)
    fmt = sniff_format(data, path)
    sha = hashlib.sha256(data).hexdigest()
    if fmt == "pdf":
        from .pdf import read_pdf

        return read_pdf(path, password=password)
    if fmt == "office":
        raise ExtractError("this is an Office (XLSX/DOCX/XLS) file; only PDF, Markdown and HTML "
                           "are supported so far", path)
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractError("binary data, not a PDF, Markdown or HTML document", path)
    text, _enc = decode_text(data)
    if fmt == "html":
        from .html import read_html_text

        blocks = read_html_text(text)
        return Source(path=path, sha256=sha, format="html", pages=None, blocks=blocks)
    from .markdown import read_markdown_text

    blocks, warnings = read_markdown_text(text)
    return Source(path=path, sha256=sha, format="markdown", pages=None, blocks=blocks,
                  warnings=warnings)
