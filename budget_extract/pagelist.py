"""How a message names the pages it is about: ``page 3``, ``pages 1, 4, 7``.

The readers' warnings (undecodable characters, sideways text, hidden text) and the OCR
review warning all list pages; the wording is kept here once so they read alike.
"""

from __future__ import annotations

from collections.abc import Iterable


def page_list(pages: Iterable[int], limit: int | None = 10) -> str:
    """``page 3`` / ``pages 1, 2, 5``, in the order given; past ``limit`` pages the rest is
    ``…`` (``None``: every page)."""
    numbers = list(pages)
    shown = numbers if limit is None else numbers[:limit]
    more = " …" if limit is not None and len(numbers) > limit else ""
    return f"page{'s' if len(numbers) > 1 else ''} {', '.join(map(str, shown))}{more}"
