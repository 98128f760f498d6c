"""Damaged PDFs rebuilt the way a viewer does, so they can be read instead of refused."""

from __future__ import annotations

import io
import re

from .ending import FileEnd

_XREF_AT = re.compile(rb"\s*(?:xref|\d+\s+\d+\s+obj)")


def startxref_broken(data: bytes, end: FileEnd | None = None) -> bool:
    """Whether an incrementally updated PDF's last ``startxref`` points at no
    cross-reference section.  pdfminer then falls back to an earlier revision and reads
    the document as it was before its last update, while a viewer rebuilds the
    cross-references by scanning, and shows the update.  (A single-revision file reads
    the same either way, so only updated files count.)  ``end``: the file's end, when
    the caller parsed it already."""
    if data.count(b"%%EOF") < 2:
        return False
    offset = (end or FileEnd.parse(data)).startxref
    if offset is None:
        return False
    return not (0 < offset < len(data) and _XREF_AT.match(data, offset))


def rebuild_copy(data: bytes, password: str | None) -> bytes | None:
    """A structurally clean copy of a damaged PDF, or None if it cannot be rebuilt.

    PDFium (``pypdfium2``, installed with pdfplumber) rebuilds a broken cross-reference
    table by scanning the file for objects, as viewers do, and saving writes a fresh one
    that pdfminer can follow.  The copy is only read, never shown to the user.
    """
    try:
        import pypdfium2 as pdfium
    except (ImportError, OSError):  # not installed, or its library cannot be mapped
        return None
    doc = None
    try:
        doc = pdfium.PdfDocument(data, password=password or None)
        if len(doc) == 0:
            return None
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()
    except Exception:  # noqa: BLE001 - PdfiumError or anything else: the copy failed
        return None
    finally:
        if doc is not None:
            doc.close()
