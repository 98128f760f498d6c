"""Read a PDF disclosure into a :class:`Source`: text lines and tables in reading order.

The sub-modules, each one concern:

* :mod:`.backend` — the interface a PDF library plugs in behind (bytes → pages of
  :mod:`.page_model` objects); :mod:`.pdfium` implements it with pypdfium2 (the default
  engine) and :mod:`.plumber` with pdfplumber (the fallback), both helped by
  :mod:`.drawing` (drawn objects → ruling segments) and :mod:`.guards` (hostile-input
  limits); :mod:`.soundness` decides which files PDFium may read; :mod:`.repair`
  rebuilds damaged files;
* :mod:`.page` — one page's blocks, from :mod:`.ruled` (tables from rulings, with
  :mod:`.rulings`), :mod:`.borderless` (tables from aligned text, with
  :mod:`.borderless_header` and :mod:`.borderless_body`) and :mod:`.textlines`;
  :mod:`.geometry` holds the box helpers they share.

This module runs the pages through and turns every failure into an :class:`ExtractError`
with a sentence saying what is wrong and what to do; nothing from pdfminer escapes.
"""

from __future__ import annotations

import hashlib

from ...errors import ExtractError
from ...model import Block, Grid, Source
from ...pagelist import pages_have
from ...pageprogress import page_done
from . import pagebudget
from .backend import EngineCannotRead, PdfBackend, PdfDamaged
from .ending import FileEnd
from .glyphs import GlyphCensus
from .ocr import OCR_EXTRA
from .ocr.pages import OcrPages
from .page import page_blocks
from .plumber import PdfplumberBackend
from .repair import rebuild_copy, startxref_broken
from .visible import hidden_warning, shown_glyphs

ENGINES = ("pdfium", "pdfplumber")
"""The PDF engines, the default first: pypdfium2 (PDFium, in C) and pdfplumber
(pdfminer.six, pure Python) — the fallback for every file PDFium must not or cannot read."""

DEFAULT_ENGINE = "pdfium"


def check_engine(engine: str | None) -> str:
    """The engine to use: ``engine``, or the default; a one-line error for a wrong name."""
    if engine is None:
        return DEFAULT_ENGINE
    if engine not in ENGINES:
        raise ExtractError(f"unknown PDF engine {engine!r}; use one of " + ", ".join(ENGINES))
    return engine


def read(
    data: bytes, path: str, password: str | None = None, *, backend: PdfBackend | None = None,
    engine: str | None = None, sha256: str | None = None,
) -> Source:
    """Read a PDF's bytes into a reading-order block stream (paragraph lines and table
    grids); ``path`` names the file in the Source and in errors.

    ``engine`` is ``"pdfium"`` (the default) or ``"pdfplumber"``; a file PDFium must not
    read (damaged, truncated, with streams that could inflate past the limit: see
    :mod:`.soundness`) or cannot open is read by pdfplumber, so errors, repairs and
    limits are the same whichever engine was asked for.  ``backend`` overrides both.
    ``sha256`` is the hash of ``data`` when the caller has it (else it is computed).

    A file whose structure is damaged (cross-reference table, page tree) but which ends
    properly is read again from a copy PDFium rebuilt — what a viewer does — and the
    result carries a warning; only when that fails too is the damage reported.
    """
    engine = check_engine(engine)
    if not data:
        raise ExtractError("the file is empty (0 bytes); download it again", path)
    if b"%PDF-" not in data[:1024]:
        raise ExtractError(
            "the file is not a PDF (no %PDF header); check the file type or download it again",
            path,
        )
    if sha256 is None:  # the caller (``readers.read_data``) usually hashed them already
        sha256 = hashlib.sha256(data).hexdigest()
    end = FileEnd.parse(data)  # once, for the three checks that look at it
    has_eof = end.has_eof
    if has_eof and backend is None and startxref_broken(data, end):
        fixed = rebuild_copy(data, password)  # the last revision, as a viewer shows it
        if fixed is not None:
            src = _read_with(engine, fixed, path, password, None, sha256, True)
            src.warnings.insert(0, "the PDF's last update is not where its end says (a "
                                   "broken startxref); it was read from a rebuilt copy, as a "
                                   "viewer shows it — check the result against the file")
            return src
    try:
        return _read_with(engine, data, path, password, backend, sha256, has_eof, end)
    except PdfDamaged as exc:
        if not has_eof or backend is not None:
            raise
        fixed = rebuild_copy(data, password)
        if fixed is None:
            raise
        try:
            src = _read_with(engine, fixed, path, password, None, sha256, True)
        except PdfDamaged:
            raise exc from None
        src.warnings.insert(0, f"the PDF is damaged ({exc.reason.split(';')[0]}); it was "
                               "read from a rebuilt copy, check the result against the file")
        return src


def _read_with(
    engine: str, data: bytes, shown: str, password: str | None, backend: PdfBackend | None,
    sha256: str, has_eof: bool, end: FileEnd | None = None,
) -> Source:
    """Read with ``backend``, else the engine's; PDFium hands what it cannot read to
    pdfplumber — even partway through the file: the pages it read are then read again,
    but a scanned page is recognised once: pages are recognised only when a pass has read
    the whole file (:meth:`OcrPages.place`), so a pass PDFium gives up on recognised none."""
    ocr = OcrPages(data, password, shown)
    try:
        if backend is None and engine == "pdfium":
            from .pdfium import PdfiumBackend

            try:
                return _read(data, shown, password, PdfiumBackend(end), sha256, has_eof, ocr)
            except EngineCannotRead:
                ocr.restart()
        return _read(data, shown, password, backend, sha256, has_eof, ocr)
    finally:
        ocr.close()


def _read(
    data: bytes, shown: str, password: str | None, backend: PdfBackend | None, sha256: str,
    has_eof: bool, ocr: OcrPages,
) -> Source:
    """Read ``data`` (the file itself or a rebuilt copy); errors and the Source name
    ``shown``, the file the user gave."""
    be = backend if backend is not None else PdfplumberBackend()
    try:
        be.open(data, password)
    except EngineCannotRead:
        raise
    except ExtractError as exc:
        exc.path = shown
        if not has_eof and "password" not in exc.reason:
            raise _as_truncated(exc, shown) from exc
        raise
    blocks: list[Block] = []
    warnings: list[str] = []
    textless: list[int] = []
    blank: list[int] = []
    hidden: dict[str, dict[int, int]] = {}
    skipped: list[str] = []  # pages over their budget (:mod:`.pagebudget`)
    glyphs = GlyphCensus()
    try:
        page_iter = be.iter_pages()
        while True:
            pagebudget.start_page()
            try:
                page = next(page_iter)
            except StopIteration:
                break
            except EngineCannotRead:
                raise
            except ExtractError as exc:
                if not has_eof:
                    raise _as_truncated(exc, shown) from exc
                exc.path = shown
                raise
            except (MemoryError, SystemError):
                raise
            except Exception as exc:  # the backend let a library exception through
                raise PdfDamaged(
                    f"the PDF cannot be read ({type(exc).__name__}: {exc}); it may be "
                    "damaged, try re-exporting it",
                    shown,
                ) from exc
            page_done(page.number, be.page_count)  # the batch's progress bar moves
            over = page.skipped or _over_time()
            if over:  # a slow page: skipped, the rest of the document is read
                skipped.append(f"page {page.number} was skipped: {over}")
                continue
            # one pass over the characters: what a viewer does not show goes, the rest
            # that is not blank is counted and tells a textless page
            dropped, inked = shown_glyphs(page)
            for why, n in dropped.items():
                hidden.setdefault(why, {})[page.number] = n
            glyphs.add(page.number, inked)
            if not inked:
                if page.image_count and ocr.available:
                    ocr.defer(page.number, len(blocks))  # recognised below, in parallel
                    continue
                (textless if page.image_count or page.segments else blank).append(page.number)
                continue
            try:
                blocks.extend(page_blocks(page, after=_ending_table(blocks, page.number)))
            except pagebudget.PageOverBudget as exc:
                skipped.append(f"page {page.number} was skipped: {exc.reason}")
        n_pages = be.page_count
        pagebudget.end_page()  # scanned pages have their own limit (ocr.page.MAX_PAGE_SECONDS)
        blocks = ocr.place(blocks)
    finally:
        pagebudget.end_page()
        be.close()
    if n_pages == 0:
        raise PdfDamaged("the PDF has no pages (its page tree is empty or damaged); download "
                         "or export it again", shown)
    undecodable = glyphs.undecodable_reason()
    if undecodable:
        raise ExtractError(undecodable, shown)
    warnings.extend(glyphs.warnings())
    warnings.extend(skipped)
    if not blocks and skipped:
        raise ExtractError(f"nothing was read: {'; '.join(skipped[:3])}", shown)
    if not blocks:
        if ocr.read:
            raise ExtractError(
                f"{pages_have(sorted(ocr.read + textless + blank))} no text layer (scanned "
                "images?) and OCR found no text on them", shown)
        raise ExtractError(
            f"{pages_have(sorted(textless + blank))} no text layer (scanned images?); "
            f"to read them by OCR, install the OCR extra: {OCR_EXTRA}",
            shown,
        )
    if textless:
        warnings.append(
            f"{pages_have(textless)} no text layer (scanned images?) and "
            f"{'was' if len(textless) == 1 else 'were'} skipped; to read "
            f"{'it' if len(textless) == 1 else 'them'} by OCR, install the OCR extra: "
            f"{OCR_EXTRA}"
        )
    warnings.extend(hidden_warning(hidden))
    warnings.extend(ocr.warnings(pages_have))
    if not has_eof:
        warnings.append("the file has no %%EOF marker; it may be truncated")
    return Source(
        path=shown,
        sha256=sha256,
        format="pdf",
        pages=n_pages,
        blocks=blocks,
        warnings=warnings,
        ocr_pages=list(ocr.read),
    )


def _ending_table(blocks: list[Block], number: int) -> Grid | None:
    """The unruled table the page before ``number`` ended with (its last block), which the
    page may continue though little on it looks like a table; ``None`` if there is none."""
    last = blocks[-1] if blocks else None
    if last is None or last.kind != "table" or last.page != number - 1 or last.grid is None:
        return None
    return None if last.grid.ruled else last.grid


def _over_time() -> str:
    """Why the page just built is past its time budget, or ''."""
    err = pagebudget.over_time()
    return err.reason if err is not None else ""


def _as_truncated(exc: ExtractError, path: str) -> ExtractError:
    """A parse failure of a file without %%EOF: say it is truncated, the likely cause."""
    return ExtractError(
        "the PDF is truncated (no end-of-file marker) and cannot be parsed; download it again",
        path,
    )


__all__ = ["DEFAULT_ENGINE", "ENGINES", "PdfBackend", "PdfDamaged", "PdfplumberBackend",
           "check_engine", "read"]
