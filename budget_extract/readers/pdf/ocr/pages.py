"""The PDF reader's side of OCR: textless pages in, blocks and warnings out.

Kept apart from :mod:`.page` so that the reader can import it without the ``ocr`` extra:
nothing heavy is imported until :meth:`OcrPages.page_blocks` is first called.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ....errors import ExtractError
from ....model import Block
from . import OCR_EXTRA, OcrReader, ocr_available

MAX_LISTED = 40
"""Low-confidence cells listed one by one in the warnings; the rest are counted."""


class OcrPages:
    """Recognises a file's textless pages one at a time and remembers what to report."""

    def __init__(self, data: bytes, password: str | None, shown: str) -> None:
        self._data = data
        self._password = password
        self._shown = shown
        self._reader: OcrReader | None = None
        self._available: bool | None = None
        self.read: list[int] = []
        """Pages recognised, 1-based."""
        self.low: list[tuple[int, Any]] = []
        """(page, line) of every table cell line read with low confidence."""
        self.skews: dict[int, float] = {}

    @property
    def available(self) -> bool:
        if self._available is None:
            self._available = ocr_available()
        return self._available

    def page_blocks(self, number: int) -> list[Block]:
        """Recognise page ``number`` and lay it out with the text-layer code."""
        from ..page import page_blocks

        if self._reader is None:
            self._reader = OcrReader(self._data, self._password)
        try:
            page = self._reader.page(number)
        except ExtractError as exc:
            exc.path = self._shown
            raise
        except ImportError as exc:  # installed but broken (e.g. the GUI OpenCV without libGL)
            raise ExtractError(f"page {number} needs OCR, but the OCR extra cannot be loaded "
                               f"({exc}); reinstall it: {OCR_EXTRA}", self._shown) from exc
        self.read.append(number)
        self.low.extend((number, ln) for ln in page.low)
        if page.skew:
            self.skews[number] = page.skew
        return page_blocks(page.objects)

    def warnings(self, pages_phrase: Callable[[list[int]], str]) -> list[str]:
        """What the document's warnings say about OCR: which pages were recognised, and
        each table cell read with low confidence (page, box in PDF points, confidence)."""
        if not self.read:
            return []
        out = [f"{pages_phrase(self.read)} no text layer and "
               f"{'was' if len(self.read) == 1 else 'were'} read by OCR: every value from "
               f"{'it' if len(self.read) == 1 else 'them'} carries its recognition "
               "confidence; failed identities there most likely mean a misread figure"]
        for number, ln in self.low[:MAX_LISTED]:
            out.append(f"page {number}: OCR read “{ln.text}” with confidence "
                       f"{ln.confidence:.2f} at [{ln.x0:.1f}, {ln.top:.1f}, {ln.x1:.1f}, "
                       f"{ln.bottom:.1f}]; check it against the page")
        if len(self.low) > MAX_LISTED:
            out.append(f"… and {len(self.low) - MAX_LISTED} more table cells read by OCR "
                       "with low confidence")
        return out

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
