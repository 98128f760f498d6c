"""A per-page budget of time and content operators: a slow page is skipped, not the file.

The object, inflate and content caps (:mod:`.guards`) bound what one page may hold; a page
under all of them can still be slow: 90,000 one-point characters took 6 s with PDFium and
13 s with pdfplumber, 16 MB of ``1 w`` operators 49–72 s with pdfplumber.  Before this
budget only the 300 s per-file limit stopped such a page, and it took the whole document
with it.  Now each page gets :data:`PAGE_SECONDS` of CPU time (and pdfminer at most
:data:`MAX_PAGE_OPERATORS` operators); a page over either is skipped with a warning naming
it, and the rest of the document is read.

The budget is checked cooperatively, where it costs little (nothing measurable with
PDFium, 2–3 % of CPU with pdfplumber, which counts operators): every 4,096
operators pdfminer interprets, every 1,024 objects its layout device receives, after each
engine has built a page, and between the table reader's stages (:func:`.page.page_blocks`).
Code that runs in C (PDFium parsing a page) or inside one stage finishes that step before
the check, so a page may run past its budget by one step; each step is bounded by the
object and content caps.  Time is the reading thread's CPU time, so a busy machine (other
files read at once) does not push a page over.  Outside a page (the Python API reading a
page's blocks directly) no budget applies, nor to a page without text recognised by OCR:
recognition takes seconds of CPU by nature (4.3 s for the seed's scanned 收支总表 page)
and has its own per-page limits (:mod:`.ocr.page`).
"""

from __future__ import annotations

import math
import threading
import time

from ...errors import wrapped

PAGE_SECONDS = 10.0
"""CPU seconds one page may take to read (both engines, tables included).  Real budget
pages take well under a second (the slowest page of the 13 real PDFs: 0.18 s with
pdfplumber); ``--page-timeout`` overrides it, 0 = none."""

MAX_PAGE_OPERATORS = 500_000
"""Content-stream operators pdfminer (the pdfplumber engine) interprets for one page, form
XObjects included.  Real pages hold under 10,000 (the 13 real PDFs: at most 8,892); half a
million no-op operators cost pdfminer about 10 s.  PDFium parses operators in C, about a
hundred times faster, and is bounded by the time budget alone."""

_seconds = PAGE_SECONDS


def set_page_seconds(seconds: float | None) -> None:
    """Set the per-page time budget of this process (``None``: the default; 0: none)."""
    global _seconds
    _seconds = PAGE_SECONDS if seconds is None else float(seconds)


class PageOverBudget(Exception):
    """A page went over its budget; ``reason`` says which one, for the skip warning."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Page(threading.local):
    """The budget of the page being read on this thread."""

    deadline = math.inf
    seconds = 0.0
    operators = 0

    def start(self) -> None:
        self.seconds = _seconds
        self.deadline = time.thread_time() + _seconds if _seconds > 0 else math.inf
        self.operators = 0

    def stop(self) -> None:
        self.deadline = math.inf
        self.operators = 0


_page = _Page()


def page_state() -> _Page:
    """The per-thread page state, for a counter on a hot path (the pdfminer engine's
    content parser adds to ``operators`` itself and calls :func:`count_operators` now and
    then)."""
    return _page


def start_page() -> None:
    """A page begins: its time and operator counts start from zero."""
    _page.start()


def end_page() -> None:
    """No page is being read: checks pass until the next :func:`start_page`."""
    _page.stop()


def over_time() -> PageOverBudget | None:
    """The error for a page past its time budget, or None while it is within it."""
    if time.thread_time() <= _page.deadline:
        return None
    return PageOverBudget(
        f"reading it took more than the {_page.seconds:g} s limit for one page (real pages "
        "take under a second: the page is broken or hostile; raise --page-timeout if it "
        "is genuinely dense)")


def check() -> None:
    """Raise :class:`PageOverBudget` if the page being read is past its time budget."""
    if _page.deadline != math.inf:
        err = over_time()
        if err is not None:
            raise err


def count_operators(n: int) -> None:
    """``n`` more operators interpreted on this page (0: counted already); raise past the
    operator budget (and check the time, which is cheap at this pace)."""
    _page.operators += n
    if _page.operators > MAX_PAGE_OPERATORS:
        raise PageOverBudget(
            f"its content has more than {MAX_PAGE_OPERATORS:,} operators, the limit for one "
            "page (real pages hold under 10,000): the page is broken or hostile")
    check()


def over_budget(exc: BaseException) -> PageOverBudget | None:
    """The :class:`PageOverBudget` behind ``exc`` (pdfplumber may wrap what pdfminer
    raised), or None."""
    return wrapped(exc, PageOverBudget)
