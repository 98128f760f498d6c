"""Hostile-input guards around pdfminer: caps on inflated stream data and page objects.

A "compression bomb" (a few MB on disk inflating to gigabytes) or a page of hundreds of
thousands of tiny objects would otherwise take all memory or time before any per-file
limit applies.  pdfminer has no option for either, so its decoders are pointed at bounded
equivalents (:func:`guard_pdfminer`) and pages are laid out by a counting device
(:func:`guarded_page`); both raise :class:`PdfLimitExceeded`, which the backend turns into
a one-line error naming the limit.
"""

from __future__ import annotations

import threading
import zlib
from typing import Any

from ...errors import wrapped

MAX_INFLATE_MB = 256
"""Decompressed stream data allowed per page (and while opening the file), in MB.

A real page decodes to well under 10 MB; a "compression bomb" (a few MB on disk that
inflate to gigabytes) would otherwise take all memory before any other limit applies."""

MAX_PAGE_OBJECTS = 100_000
"""Characters, paths and images allowed on one page.  The densest real budget pages hold
about 1,500; a page with hundreds of thousands of tiny objects costs ~4 KB of memory and
~70 µs each in pdfminer, so it is refused early instead of eating the per-file limits."""


MAX_CONTENT_MB = 32
"""Decoded content-stream bytes of one page that pdfminer interprets.  A real page's
content decodes to well under 10 MB; 200 MB of no-op operators (``q Q``, which paint
nothing, so the object limit never counts them) ran pdfminer for minutes, until the
300 s time limit.  PDFium (the default engine) reads such a page in seconds."""

MAX_CMAP_ENTRIES = 1 << 20
"""Codes one font's character map (a ``ToUnicode`` or embedded CMap) may map.  A 2-byte
code space holds 65,536 codes; a range over a 4-byte one (``<00000000> <FFFFFFFF>``, a
line of a 2 KB file) made pdfminer build a dict of billions of entries: 20 s and the 4 GB
memory cap, before."""

MAX_CMAP_TOTAL = 1 << 21
"""Codes all the character maps of one document may map together (fonts stay loaded for
the whole document).  Many maps each under :data:`MAX_CMAP_ENTRIES` could otherwise add
up: 200 fonts of a million codes each (34 KB) ran pdfminer into the 4 GB memory cap after
78 s.  The 13 real PDFs map at most 3,021 codes in all; 32 full 2-byte maps fit."""


class PdfLimitExceeded(Exception):
    """A hostile-input limit was hit inside pdfminer; ``reason`` names the limit."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason



def limit_exceeded(exc: BaseException) -> PdfLimitExceeded | None:
    """The :class:`PdfLimitExceeded` behind ``exc`` (pdfplumber and pdfminer wrap it)."""
    return wrapped(exc, PdfLimitExceeded)


class _Inflated(threading.local):
    """Decompressed bytes since the last reset (per thread: each reads its own file)."""

    total = 0

    def reset(self) -> None:
        self.total = 0

    def add(self, n: int) -> None:
        self.total += n
        if self.total > MAX_INFLATE_MB << 20:
            self.total = 0  # the page is abandoned: whoever decodes next starts afresh
            raise PdfLimitExceeded(
                f"a compressed stream inflates past the {MAX_INFLATE_MB} MB limit for one "
                "page (a \"compression bomb\": the file is broken or hostile)")

    def room(self) -> int:
        """Bytes that may still be inflated (one more, to notice going over)."""
        return max((MAX_INFLATE_MB << 20) - self.total, 0) + 1


inflated = _Inflated()


class _CmapCodes(threading.local):
    """Codes mapped by the character maps of the document being read (per thread)."""

    total = 0


cmap_codes = _CmapCodes()


class _BoundedDecompressor:
    """``zlib.decompressobj()`` whose output counts against the page's inflate budget."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._d = zlib.decompressobj(*args, **kwargs)

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        room = inflated.room()
        out = self._d.decompress(data, min(max_length, room) if max_length else room)
        inflated.add(len(out))
        return out

    def flush(self, *args: Any) -> bytes:
        out = self._d.flush(*args)
        inflated.add(len(out))
        return out

    def __getattr__(self, name: str) -> Any:  # eof, unused_data, unconsumed_tail
        return getattr(self._d, name)


class _BoundedZlib:
    """Stands in for the ``zlib`` module inside ``pdfminer.pdftypes``: the same calls, but
    inflating stops at the budget instead of at the machine's memory."""

    error = zlib.error
    MAX_WBITS = zlib.MAX_WBITS
    decompressobj = _BoundedDecompressor

    @staticmethod
    def decompress(data: bytes, wbits: int = zlib.MAX_WBITS, bufsize: int = 0) -> bytes:
        d = _BoundedDecompressor(wbits)
        out = d.decompress(data)
        if not d.eof:  # what zlib.decompress raises; pdfminer then salvages what it can
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated "
                             "stream")
        return out

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)


def _salvage_deflate(data: bytes) -> bytes:
    """pdfminer's ``decompress_corrupted`` (a stream with a bad checksum or a cut end:
    keep what inflates; damage before the checksum gives nothing), in two bounded steps
    instead of one quadratic step per byte."""
    d = _BoundedDecompressor()
    body, tail = (data[:-3], data[-3:]) if len(data) > 3 else (b"", data)
    try:
        out = d.decompress(body)
    except zlib.error:
        return b""
    try:
        out += d.decompress(tail)
    except zlib.error:  # the checksum: what inflated is the data
        pass
    return out


def _bounded_lzw(data: bytes) -> bytes:
    """pdfminer's LZW decoder with the output counted against the budget."""
    from io import BytesIO

    from pdfminer.lzw import LZWDecoder

    out = []
    for piece in LZWDecoder(BytesIO(data)).run():
        inflated.add(len(piece))
        out.append(piece)
    return b"".join(out)


def _bounded_runlength(data: bytes) -> bytes:
    """RunLengthDecode (PDF 1.7, 7.4.5) with the output counted against the budget as it
    grows (pdfminer's builds a list of ints, eight times the output, before anyone can
    count it; after a Flate stage its input may itself be 256 MB)."""
    out = bytearray()
    i, n = 0, len(data)
    step = 0
    while i < n:
        length = data[i]
        if length == 128:  # end of data
            break
        if length < 128:
            chunk = data[i + 1:i + 2 + length]
            i += length + 2
        else:
            chunk = data[i + 1:i + 2] * (257 - length)
            i += 2
        out += chunk
        step += len(chunk)
        if step >= 1 << 20:
            inflated.add(step)
            step = 0
    inflated.add(step)
    return bytes(out)


_guarded = False


def guard_pdfminer() -> None:
    """Bound pdfminer's stream decoding (see :data:`MAX_INFLATE_MB`); idempotent.

    Flate, LZW and RunLength can expand (by ~1,000, ~2,700 and 128 times); the other
    filters shrink or pass image data through undecoded.

    pdfminer inflates every stream whole with ``zlib.decompress``; there is no option to
    cap it, so its module-level names are pointed at bounded equivalents.  The rest of
    pdfminer sees the same functions and exceptions as before.
    """
    global _guarded
    if _guarded:
        return
    import logging

    from pdfminer import pdftypes

    # pdfminer logs every oddity it survives ("Could not get FontBBox …"); with logging
    # unconfigured Python prints those on stderr, between the tool's one-line errors.  A
    # NullHandler silences only that fallback: an application's own handlers still get them.
    for name in ("pdfminer", "pdfplumber"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())

    _cap_cmaps()
    _count_operators()
    pdftypes.zlib = _BoundedZlib()  # type: ignore[assignment]
    pdftypes.decompress_corrupted = _salvage_deflate
    pdftypes.lzwdecode = _bounded_lzw
    pdftypes.rldecode = _bounded_runlength
    _guarded = True


def _cap_cmaps() -> None:
    """Stop a font's character map at :data:`MAX_CMAP_ENTRIES` codes.

    pdfminer expands each ``bfrange``/``cidrange`` code by code as it parses the map, so
    the count is kept per map as the entries are added: the range stops at the cap,
    after about a second, instead of when memory runs out.  A second count, of the whole
    document (:data:`cmap_codes`, reset when a file is opened), stops many maps adding up
    (:data:`MAX_CMAP_TOTAL`)."""
    from pdfminer import cmapdb

    def counted(add: Any) -> Any:
        def guarded(self: Any, a: Any, b: Any) -> None:
            n = self.__dict__.get("_budget_entries", 0) + 1
            self.__dict__["_budget_entries"] = n
            if n > MAX_CMAP_ENTRIES:
                raise PdfLimitExceeded(
                    f"a font's character map (CMap) maps more than {MAX_CMAP_ENTRIES:,} "
                    "codes (a real one maps at most 65,536): the file is broken or hostile")
            cmap_codes.total += 1
            if cmap_codes.total > MAX_CMAP_TOTAL:
                raise PdfLimitExceeded(
                    f"the fonts' character maps (CMaps) map more than {MAX_CMAP_TOTAL:,} "
                    "codes in all (real documents map a few thousand): the file is broken or "
                    "hostile")
            add(self, a, b)
        return guarded

    cmapdb.CMap.add_code2cid = counted(cmapdb.CMap.add_code2cid)  # type: ignore[method-assign]
    cmapdb.FileUnicodeMap.add_cid2unichr = counted(  # type: ignore[method-assign]
        cmapdb.FileUnicodeMap.add_cid2unichr)


def _count_operators() -> None:
    """Count the operators pdfminer interprets against the page budget
    (:mod:`.pagebudget`): its interpreter makes a ``PDFContentParser`` for the page's
    content and for each form it draws, so that name is pointed at one that counts."""
    from pdfminer import pdfinterp

    from . import pagebudget

    base = pdfinterp.PDFContentParser
    keyword = base.do_keyword
    page = pagebudget.page_state()

    class CountingContentParser(base):  # type: ignore[misc, valid-type]
        """pdfminer's content parser, counting each operator as it is parsed (its
        ``do_keyword`` sees operators only, not operands) into the page's count, which
        is checked every 4,096: a form drawn many times adds up."""

        def do_keyword(self, pos: int, token: Any) -> None:
            page.operators += 1
            if not page.operators & 4095:
                pagebudget.count_operators(0)
            keyword(self, pos, token)

    pdfinterp.PDFContentParser = CountingContentParser  # type: ignore[misc]


def too_many_objects() -> PdfLimitExceeded:
    """The error for a page past :data:`MAX_PAGE_OBJECTS` (both engines)."""
    return PdfLimitExceeded(
        f"more than {MAX_PAGE_OBJECTS:,} objects on one page (the per-page "
        "limit; real pages hold a few thousand): the file is broken or hostile")


_page_class: Any = None


def guarded_page(pdf: Any, page_obj: Any, number: int, doctop: float) -> Any:
    """A pdfplumber Page whose layout pass stops at :data:`MAX_PAGE_OBJECTS` objects."""
    global _page_class
    if _page_class is None:
        _page_class = _guarded_page_class()
    return _page_class(pdf, page_obj, page_number=number, initial_doctop=doctop)


def _check_content_size(page_obj: Any) -> None:
    """Refuse a page whose content streams decode past :data:`MAX_CONTENT_MB`.

    Decoding here costs nothing extra: pdfminer keeps a stream's decoded data for the
    interpreter, and the inflate budget bounds it."""
    from pdfminer.pdftypes import PDFStream, resolve1

    total = 0
    for ref in page_obj.contents or []:
        stream = resolve1(ref)
        if isinstance(stream, PDFStream):
            total += len(stream.get_data())
    if total > MAX_CONTENT_MB << 20:
        raise PdfLimitExceeded(
            f"its content streams decode to {total >> 20:,} MB, over the {MAX_CONTENT_MB} MB "
            "limit for one page (real pages hold well under 10 MB): the file is broken or "
            "hostile")


def _guarded_page_class() -> Any:
    """Built on first use, so importing this module does not import pdfplumber."""
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfplumber.page import Page, PDFPageAggregatorWithMarkedContent

    from . import pagebudget
    from .plumber_textstate import TextStateDevice, TextStatePage

    class Counting(TextStateDevice, PDFPageAggregatorWithMarkedContent):
        """pdfplumber's layout device, counting what the page paints."""

        count = 0

        def _one(self) -> None:
            self.count += 1
            if self.count > MAX_PAGE_OBJECTS:
                raise too_many_objects()
            if self.count & 1023 == 0:
                pagebudget.check()

        def render_char(self, *a: Any, **k: Any) -> float:
            self._one()
            return super().render_char(*a, **k)  # type: ignore[no-any-return]

        def paint_path(self, *a: Any, **k: Any) -> None:
            self._one()
            super().paint_path(*a, **k)

        def render_image(self, *a: Any, **k: Any) -> None:
            self._one()
            super().render_image(*a, **k)

    class GuardedPage(TextStatePage, Page):  # type: ignore[misc]
        """``Page.layout`` as pdfplumber computes it, with the counting device and
        without wrapping the limit error into a generic PdfminerException."""

        @property
        def layout(self) -> Any:
            if not hasattr(self, "_layout"):
                _check_content_size(self.page_obj)
                device = Counting(self.pdf.rsrcmgr, pageno=self.page_number,
                                  laparams=self.pdf.laparams)
                PDFPageInterpreter(self.pdf.rsrcmgr, device).process_page(self.page_obj)
                self._layout = device.get_result()
            return self._layout

    return GuardedPage
