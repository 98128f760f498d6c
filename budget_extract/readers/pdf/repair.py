"""Damaged PDFs rebuilt the way a viewer does, so they can be read instead of refused."""

from __future__ import annotations

import io


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
