"""Reading a PDF's raw bytes before any PDF library does: stream bodies, bounded Flate.

The checks that decide whether PDFium may read a file (:mod:`.soundness`, :mod:`.fanout`)
look at the bytes themselves, because PDFium inflates streams and expands forms in C,
without limits.  What they share lives here: where a stream's data starts, and inflating
it with a bound, so that a check never costs what it guards against.
"""

from __future__ import annotations

import re
import zlib

STREAM = re.compile(rb"stream(?:\r\n|\n|\r)")
"""The ``stream`` keyword and its end of line: a stream's data starts after the match."""

OBJ = re.compile(rb"(?<![0-9])(\d+)\s+(\d+)\s+obj\b")
"""``N G obj``: where an object starts."""


def inflate(raw: bytes, cap: int) -> bytes | None:
    """The Deflate stream's data, or None when it is damaged, inflates to nothing, or
    grows past ``cap`` bytes (decoding stops there: ``flush()`` would inflate the rest
    without a bound)."""
    d = zlib.decompressobj()
    try:
        out = d.decompress(raw, cap + 1)
    except zlib.error:
        return None
    if len(out) > cap or (d.unconsumed_tail and not d.eof):
        return None
    if not out and not d.eof:
        return None
    return out


def objects(data: bytes) -> list[tuple[int, bytes, bytes | None]]:
    """Every top-level object of ``data`` in file order: (number, dictionary up to its
    ``stream`` keyword, the raw stream data or None)."""
    out: list[tuple[int, bytes, bytes | None]] = []
    starts = list(OBJ.finditer(data))
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(data)
        chunk = data[m.end():end]
        s = STREAM.search(chunk)
        if s is None:
            out.append((int(m.group(1)), chunk, None))
            continue
        stop = chunk.find(b"endstream", s.end())
        out.append((int(m.group(1)), chunk[:s.start()],
                    chunk[s.end():stop if stop >= 0 else len(chunk)]))
    return out
