"""OCR for PDF pages without a text layer (scans, pages printed to images).

Optional: it needs the ``ocr`` extra (``pip install 'budget_extract[ocr]'``: the
rapidocr-onnxruntime recogniser and headless OpenCV).  Without it a scanned page is
skipped, and a wholly scanned file refused, with a message naming the extra.

The reader (:func:`budget_extract.readers.pdf.read`) hands each textless page to
:class:`OcrReader`, which renders it with PDFium and returns the same
:class:`~..page_model.PageObjects` a text layer gives (:mod:`.page`), so tables, headers,
kinds, checks and outputs are the same code.  The sub-modules: :mod:`.image` (render,
straighten, rulings), :mod:`.engine` (the recogniser), :mod:`.cleanup` (character fixes),
:mod:`.pages` (the reader's side: a file's scanned pages recognised after its text layer,
in parallel processes when allowed; warnings: pages read by OCR, sideways pages,
low-confidence cells).

Nothing here is imported until a textless page is met: the core install stays light.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from ....errors import ExtractError

OCR_EXTRA = "pip install 'budget_extract[ocr]'"
"""The command that installs what OCR needs, named in messages when it is missing."""


def ocr_available() -> bool:
    """Whether the ``ocr`` extra is installed (its packages are importable)."""
    return all(importlib.util.find_spec(m) is not None
               for m in ("rapidocr_onnxruntime", "cv2", "numpy"))


class OcrReader:
    """Renders and recognises the textless pages of one PDF, opened on first use."""

    def __init__(self, data: bytes, password: str | None) -> None:
        self._data = data
        self._password = password
        self._doc: Any = None

    def page(self, number: int) -> Any:
        """The :class:`~.page.OcrPage` of 1-based page ``number``."""
        from .page import OcrLimitExceeded, ocr_page

        if self._doc is None:
            import pypdfium2 as pdfium

            for pw in dict.fromkeys([self._password, None]):  # as pdfminer: given, then none
                try:
                    self._doc = pdfium.PdfDocument(self._data, password=pw)
                    break
                except Exception as exc:  # PdfiumError: PDFium cannot open what pdfminer did
                    error = exc
            else:
                raise ExtractError(f"the scanned pages cannot be rendered for OCR ({error}); "
                                   "try re-exporting the PDF") from error
        try:
            pdf_page = self._doc[number - 1]
        except Exception as exc:
            raise ExtractError(f"page {number} cannot be rendered for OCR ({exc})") from exc
        try:
            return ocr_page(pdf_page, number)
        except OcrLimitExceeded as exc:
            raise ExtractError(exc.reason) from exc
        finally:
            pdf_page.close()

    def close(self) -> None:
        if self._doc is not None:
            self._doc.close()
            self._doc = None


__all__ = ["OCR_EXTRA", "OcrReader", "ocr_available"]
