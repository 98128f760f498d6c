"""The interface a PDF library is plugged in behind: bytes in, :class:`PageObjects` out.

Two implementations: :class:`~.pdfium.PdfiumBackend` (pypdfium2, the default, several
times faster) and :class:`~.plumber.PdfplumberBackend` (pdfminer.six underneath, the
fallback); :func:`budget_extract.readers.pdf.read` picks one by ``engine=`` (or takes any
``backend=``), and nothing after the backend (tables, text lines, page numbers) changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from ...errors import ExtractError
from .page_model import PageObjects


class PdfDamaged(ExtractError):
    """The file's structure (cross-reference table, page tree, a page's objects) is broken:
    :func:`budget_extract.readers.pdf.read` then tries a rebuilt copy before giving up."""


class EngineCannotRead(ExtractError):
    """This engine cannot (or must not) read the file: the reader hands it to the other
    one.  Raised by the pypdfium2 backend for files that are not sound
    (:mod:`.soundness`) or that PDFium fails to open; never shown to the user."""


def password_error(password: str | None) -> ExtractError:
    """The one-line error for a protected file, the same from every engine."""
    if password:
        return ExtractError(
            "the PDF is password-protected and the given password is wrong; "
            "pass the right one with --password",
        )
    return ExtractError("the PDF is password-protected; pass --password")


class PdfBackend(Protocol):
    """Opens a PDF and yields its pages one at a time as :class:`PageObjects`.

    Implementations raise :class:`ExtractError` (:class:`PdfDamaged` for a broken file
    structure, so the reader knows a rebuilt copy may help), never their library's own
    exceptions, and release each page's parsed objects before yielding the next, so
    memory stays flat on 1,000-page disclosures.  The errors' ``path`` is filled in by the
    reader, which knows the name the user gave.
    """

    def open(self, data: bytes, password: str | None = None) -> None: ...

    @property
    def page_count(self) -> int: ...

    def iter_pages(self) -> Iterator[PageObjects]: ...

    def close(self) -> None: ...
