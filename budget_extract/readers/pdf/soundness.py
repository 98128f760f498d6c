"""Whether a PDF is sound enough to hand to PDFium, checked on its raw bytes.

PDFium runs in C: it repairs a damaged cross-reference table silently (the user would
not learn the file is damaged) and it inflates streams without a limit (a "compression
bomb" aborts the whole process, no exception to catch).  So before PDFium sees a file,
this module looks at the bytes:

* the file ends with ``%%EOF`` and ``startxref`` points at a cross-reference table or
  stream whose entries point at objects: otherwise the file is damaged, and the
  pdfplumber engine (which reports damage and reads a rebuilt copy) takes it;
* no stream could inflate past :data:`~.guards.MAX_INFLATE_MB`: each expanding filter
  multiplies its input by a bounded factor (Flate ~1,032, LZW ~2,731, RunLength 128), so
  only a stream whose size times that bound exceeds the limit is decoded here — bounded,
  stopped at the limit (real files have none, or a few fonts);
* no form XObject could fan out past :data:`~.guards.MAX_PAGE_OBJECTS` drawings
  (:mod:`.fanout`): PDFium expands them all when it loads a page.

A file that fails a check is not refused here: :func:`sound_for_pdfium` says why, and the
reader reads it with pdfplumber, whose one-line errors and repairs stay what they were.
"""

from __future__ import annotations

import re
import zlib

from . import guards
from .ending import FileEnd
from .fanout import form_fanout_exceeds
from .rawpdf import STREAM, inflate

_OBJ_AT = re.compile(rb"\s*\d+\s+\d+\s+obj\b")
_XREF_SUB = re.compile(rb"\s*(\d+)\s+(\d+)\s*?(?:\r\n|\r|\n| \r| \n)")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_NAME = re.compile(rb"/([A-Za-z0-9]+)")

GROWTH = {b"FlateDecode": 1032, b"Fl": 1032, b"LZWDecode": 2731, b"LZW": 2731,
          b"RunLengthDecode": 128, b"RL": 128}
"""The most each expanding filter can multiply its input by (other filters shrink, or
decode images, which PDFium leaves alone when reading text)."""


def sound_for_pdfium(data: bytes, end: FileEnd | None = None) -> str | None:
    """None if PDFium may read ``data``; else a short reason it should not.  ``end``: the
    file's end, when the caller parsed it already."""
    end = end or FileEnd.parse(data)
    if not end.has_eof:
        return "no %%EOF marker"
    if end.startxref_eof is None:
        return "no startxref"
    offset = end.startxref_eof
    if offset >= len(data):
        return "startxref points past the end"
    if data.startswith(b"xref", offset):
        bad = _check_xref_table(data, offset + 4)
        if bad:
            return bad
    elif not _OBJ_AT.match(data, offset):
        return "startxref points at neither a table nor a stream"
    bad = _check_streams(data)
    if bad is None and form_fanout_exceeds(data):
        return "its form XObjects fan out past the per-page object limit"
    return bad


def _check_xref_table(data: bytes, pos: int) -> str | None:
    """Every in-use entry of a classic cross-reference table points at ``N G obj``."""
    n_entries = 0
    while True:
        m = _XREF_SUB.match(data, pos)
        if m is None:
            break
        count = int(m.group(2))
        pos = m.end()
        if count > 10_000_000:
            return "an impossible cross-reference section"
        for _ in range(count):
            entry = data[pos:pos + 20]
            if len(entry) < 18 or entry[10:11] != b" ":
                return "a malformed cross-reference entry"
            pos += 20 if entry[18:20] in (b"\r\n", b" \n", b" \r") else 19
            if entry[17:18] == b"n":
                at = int(entry[:10])
                if at >= len(data) or not _OBJ_AT.match(data, at):
                    return "a cross-reference entry points at no object"
            n_entries += 1
    return None if n_entries else "an empty cross-reference table"


def _check_streams(data: bytes) -> str | None:
    """No stream inflates past the per-page limit.

    A stream's filters bound its growth (:data:`GROWTH`); only a stream whose bound
    exceeds the limit is decoded here, bounded, through its expanding filters."""
    cap = guards.MAX_INFLATE_MB << 20
    for m in STREAM.finditer(data):
        head = data[max(m.start() - 4096, 0):m.start()]
        obj = head.rfind(b"obj")
        if obj < 0 or not head.rstrip().endswith(b">>"):
            continue  # the word "stream" inside some other data, not a stream
        found = _FILTER.search(head, obj)
        if found is None:
            continue
        filters = _NAME.findall(found.group(1))
        growth = 1
        for f in filters:
            growth *= GROWTH.get(f, 1)
        if growth == 1:
            continue
        end = data.find(b"endstream", m.end())
        if end < 0:
            end = len(data)
        if (end - m.end()) * growth <= cap:
            continue
        if not _decodes_within(data[m.end():end], filters, cap):
            return "a stream inflates past the limit"
    return None


def _decodes_within(raw: bytes, filters: list[bytes], cap: int) -> bool:
    """Whether the stream decodes to at most ``cap`` bytes through its expanding filters.

    A stream that cannot be decoded here (encrypted, damaged, or a shrinking filter before
    an expanding one) counts as too big: its size cannot be known, so pdfminer's bounded
    decoders take the file."""
    from .guards import PdfLimitExceeded, inflated

    data = raw
    inflated.reset()
    try:
        for f in filters:
            g = GROWTH.get(f)
            if g is None:
                return False
            if g == 1032:
                data = inflate(data, cap)
            elif g == 2731:
                data = guards._bounded_lzw(data)
            else:
                data = guards._bounded_runlength(data)
            if data is None or len(data) > cap:
                return False
            inflated.reset()
    except (PdfLimitExceeded, zlib.error, ValueError, IndexError):
        return False
    finally:
        inflated.reset()
    return True
