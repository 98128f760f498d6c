"""A PDF's end, parsed once: whether it has ``%%EOF``, and where its ``startxref`` points.

Three readers of the end want it — the truncation warning (no ``%%EOF``), the check for an
update whose ``startxref`` points nowhere (:mod:`.repair`), and the check of what PDFium
may read (:mod:`.soundness`) — and each used to parse the last 2 KB itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TAIL = 2048
"""How far from the end ``%%EOF`` and ``startxref`` are looked for (as viewers do)."""

_STARTXREF = re.compile(rb"startxref\s+(\d+)")
_STARTXREF_EOF = re.compile(rb"startxref\s+(\d+)\s+%%EOF")


@dataclass(frozen=True)
class FileEnd:
    """What the last :data:`TAIL` bytes of a PDF say."""

    has_eof: bool
    startxref: int | None
    """The offset of the last ``startxref N``, whatever follows it."""
    startxref_eof: int | None
    """The offset of the last ``startxref N`` followed by ``%%EOF`` (a complete end)."""

    @classmethod
    def parse(cls, data: bytes) -> FileEnd:
        tail = data[max(len(data) - TAIL, 0):]
        has_eof = b"%%EOF" in tail
        last = list(_STARTXREF.finditer(tail))
        complete = _STARTXREF_EOF.findall(tail) if has_eof else []
        return cls(has_eof, int(last[-1].group(1)) if last else None,
                   int(complete[-1]) if complete else None)
