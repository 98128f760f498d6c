"""How a message names the pages it is about: ``page 3``, ``pages 1-3, 7``.

The readers' warnings and errors (undecodable characters, sideways text, hidden text, pages
without a text layer), the OCR warnings and the OCR review warning all list pages; the
wording is kept here once so they read alike.  Consecutive pages are one range, so a long
scan reads ``pages 1-40``, not forty numbers.
"""

from __future__ import annotations

from collections.abc import Iterable


def _runs(pages: Iterable[int]) -> list[tuple[int, int]]:
    """The pages, sorted and deduplicated, as runs of consecutive numbers."""
    runs: list[list[int]] = []
    for p in sorted(set(pages)):
        if runs and p == runs[-1][1] + 1:
            runs[-1][1] = p
        else:
            runs.append([p, p])
    return [(a, b) for a, b in runs]


def page_list(pages: Iterable[int], limit: int | None = 10) -> str:
    """``page 3`` / ``pages 1-3, 7``; past ``limit`` runs (a page or a range each) the rest
    is ``…`` (``None``: every page)."""
    runs = _runs(pages)
    shown = runs if limit is None else runs[:limit]
    more = " …" if limit is not None and len(runs) > limit else ""
    text = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in shown)
    single = len(runs) == 1 and runs[0][0] == runs[0][1]
    return f"page{'' if single else 's'} {text}{more}"


def pages_have(pages: Iterable[int]) -> str:
    """``page 3 has`` / ``pages 1-3, 7 have`` (``the PDF has`` for no page): the subject of
    a sentence about the pages, its verb agreeing; every page is named."""
    numbers = set(pages)
    if not numbers:
        return "the PDF has"
    return f"{page_list(numbers, None)} {'has' if len(numbers) == 1 else 'have'}"
