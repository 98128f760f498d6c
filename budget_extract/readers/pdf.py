"""Read a PDF disclosure into a :class:`Source`: text lines and tables in reading order.

Per page: ruled tables are found from the ruling lines, page-number headers/footers are
dropped, every character goes either into a table cell or into a text line, and the
blocks are ordered by their top coordinate.  All failures become :class:`ExtractError`
with a sentence saying what is wrong and what to do; nothing from pdfminer escapes.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile

from ..errors import ExtractError
from ..model import Block, Source
from .pdf_backend import (
    Char,
    PageObjects,
    PdfBackend,
    PdfDamaged,
    PdfplumberBackend,
    rebuild_copy,
)
from .pdf_tables import (
    TableLayout,
    fill_layouts,
    find_borderless_tables,
    find_ruled_layouts,
    group_lines,
    line_text,
    round_bbox,
    split_chunks,
    text_lines,
)

MARGIN = 0.1
"""Share of the page height at top and bottom where running headers/footers live."""

_PAGE_NO = re.compile(
    r"""^(
        [-–—_~·•\s]*\d{1,4}[-–—_~·•\s]*              # 3, - 3 -, — 3 —
      | 第\s*[\d一二三四五六七八九十百零〇]{1,6}\s*页(\s*[,，/]?\s*共\s*\d{1,4}\s*页)?
      | \d{1,4}\s*/\s*\d{1,4}                         # 3/26
      | (page|p\.)\s*\d{1,4}(\s*(of|/)\s*\d{1,4})?     # Page 3 of 26
    )$""",
    re.IGNORECASE | re.VERBOSE,
)


def is_page_number(text: str) -> bool:
    """Whether a header/footer text is nothing but a page number."""
    return bool(_PAGE_NO.match(text.strip()))


def read_pdf(
    path: str, password: str | None = None, *, backend: PdfBackend | None = None
) -> Source:
    """Read a PDF into a reading-order block stream (paragraph lines and table grids).

    A file whose structure is damaged (cross-reference table, page tree) but which ends
    properly is read again from a copy PDFium rebuilt — what a viewer does — and the
    result carries a warning; only when that fails too is the damage reported.
    """
    sha256, has_eof = _sniff(path)
    try:
        return _read(path, path, password, backend, sha256, has_eof)
    except PdfDamaged as exc:
        if not has_eof or backend is not None:
            raise
        with tempfile.TemporaryDirectory(prefix="budget-extract-") as tmp:
            fixed = os.path.join(tmp, "rebuilt.pdf")
            if not rebuild_copy(path, password, fixed):
                raise
            try:
                src = _read(fixed, path, password, None, sha256, True)
            except PdfDamaged:
                raise exc from None
        src.warnings.insert(0, f"the PDF is damaged ({exc.reason.split(';')[0]}); it was "
                               "read from a rebuilt copy, check the result against the file")
        return src


def _read(
    path: str, shown: str, password: str | None, backend: PdfBackend | None, sha256: str,
    has_eof: bool,
) -> Source:
    """Read ``path`` (the file itself or a rebuilt copy); errors and the Source name
    ``shown``, the file the user gave."""
    be = backend if backend is not None else PdfplumberBackend()
    try:
        be.open(path, password)
    except ExtractError as exc:
        exc.path = shown
        if not has_eof and "password" not in exc.reason:
            raise _as_truncated(exc, shown) from exc
        raise
    blocks: list[Block] = []
    warnings: list[str] = []
    textless: list[int] = []
    blank: list[int] = []
    try:
        page_iter = be.iter_pages()
        while True:
            try:
                page = next(page_iter)
            except StopIteration:
                break
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
            if not any(not c.text.isspace() for c in page.chars):
                (textless if page.image_count or page.segments else blank).append(page.number)
                continue
            blocks.extend(page_blocks(page))
        n_pages = be.page_count
    finally:
        be.close()
    if n_pages == 0:
        raise PdfDamaged("the PDF has no pages (its page tree is empty or damaged); download "
                         "or export it again", shown)
    if not blocks:
        raise ExtractError(
            f"{_pages_phrase(sorted(textless + blank))} no text layer (scanned images?); "
            "OCR is not supported yet",
            shown,
        )
    if textless:
        warnings.append(
            f"{_pages_phrase(textless)} no text layer (scanned images?) and "
            f"{'was' if len(textless) == 1 else 'were'} skipped; OCR is not supported yet"
        )
    if not has_eof:
        warnings.append("the file has no %%EOF marker; it may be truncated")
    return Source(
        path=shown,
        sha256=sha256,
        format="pdf",
        pages=n_pages,
        blocks=blocks,
        warnings=warnings,
    )


def page_blocks(page: PageObjects, *, borderless: bool = True) -> list[Block]:
    """One page's blocks: text lines as paragraphs and tables, ordered top to bottom."""
    layouts = find_ruled_layouts(page.segments)
    chars = drop_page_numbers(page, layouts)
    grids, rest = fill_layouts(layouts, chars, page.number)
    items: list[tuple[float, int, Block]] = []
    seq = 0
    for g in grids:
        items.append(
            (
                g.bbox[1] if g.bbox else 0.0,
                seq,
                Block(kind="table", page=page.number, bbox=g.bbox, grid=g),
            )
        )
        seq += 1
    lines = text_lines(rest)
    consumed: set[int] = set()
    if borderless and lines:
        for start, end, grid in find_borderless_tables(lines, page.number):
            consumed.update(range(start, end))
            items.append(
                (
                    grid.bbox[1] if grid.bbox else 0.0,
                    seq,
                    Block(kind="table", page=page.number, bbox=grid.bbox, grid=grid),
                )
            )
            seq += 1
    for i, ln in enumerate(lines):
        if i in consumed:
            continue
        top = ln.top
        for ch in ln.chunks:
            items.append(
                (
                    top,
                    seq,
                    Block(
                        kind="paragraph",
                        text=ch.text,
                        page=page.number,
                        bbox=round_bbox((ch.x0, ch.top, ch.x1, ch.bottom)),
                    ),
                )
            )
            seq += 1
    items.sort(key=lambda it: (it[0], it[1]))
    return [b for _, _, b in items]


def drop_page_numbers(page: PageObjects, layouts: list[TableLayout]) -> list[Char]:
    """The page's characters minus page numbers printed in the top or bottom margin.

    Only pieces of text that are entirely a page number (``3``, ``- 3 -``, ``第3页``) and
    lie outside every ruled table are dropped, so they never become a paragraph or leak
    into a table row.
    """
    top_band = page.height * MARGIN
    bottom_band = page.height * (1 - MARGIN)
    margin = [c for c in page.chars if c.bottom <= top_band or c.top >= bottom_band]
    if not margin:
        return page.chars
    drop: set[int] = set()
    for line in group_lines(margin):
        parts = split_chunks(line)
        for part in parts:
            visible = [c for c in part if not c.text.isspace()]
            text = line_text(part)
            if not visible or not is_page_number(text):
                continue
            if text.isdigit() and len(parts) > 1:  # a bare figure beside other text: data
                continue
            if any(
                lay.contains((c.x0 + c.x1) / 2, (c.top + c.bottom) / 2, 1.0)
                for c in visible
                for lay in layouts
            ):
                continue
            drop.update(id(c) for c in part)
    if not drop:
        return page.chars
    return [c for c in page.chars if id(c) not in drop]


def _as_truncated(exc: ExtractError, path: str) -> ExtractError:
    """A parse failure of a file without %%EOF: say it is truncated, the likely cause."""
    return ExtractError(
        "the PDF is truncated (no end-of-file marker) and cannot be parsed; download it again",
        path,
    )


def _sniff(path: str) -> tuple[str, bool]:
    """sha256 of the file, after checking it is a non-empty PDF; and whether it has %%EOF."""
    try:
        size = os.path.getsize(path)
        h = hashlib.sha256()
        with open(path, "rb") as f:
            head = f.read(1024)
            h.update(head)
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
            f.seek(max(size - 2048, 0))
            tail = f.read()
    except FileNotFoundError as exc:
        raise ExtractError("the file does not exist; check the path", path) from exc
    except IsADirectoryError as exc:
        raise ExtractError("the path is a directory, not a PDF file", path) from exc
    except OSError as exc:
        raise ExtractError(f"the file cannot be read ({exc.strerror or exc})", path) from exc
    if size == 0:
        raise ExtractError("the file is empty (0 bytes); download it again", path)
    if b"%PDF-" not in head:
        raise ExtractError(
            "the file is not a PDF (no %PDF header); check the file type or download it again",
            path,
        )
    return h.hexdigest(), b"%%EOF" in tail


def _pages_phrase(pages: list[int]) -> str:
    """'page 3 has' / 'pages 1-3, 7 have', for messages naming pages."""
    if not pages:
        return "the PDF has"
    runs: list[list[int]] = []
    for p in sorted(pages):
        if runs and p == runs[-1][1] + 1:
            runs[-1][1] = p
        else:
            runs.append([p, p])
    text = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)
    return f"page {text} has" if len(pages) == 1 else f"pages {text} have"


__all__ = ["read_pdf", "page_blocks", "drop_page_numbers", "is_page_number"]
