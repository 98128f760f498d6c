"""Pages read so far, reported from inside a worker while a file is being read.

A batch's progress bar would otherwise sit at "0 pages" until a whole file is done (a
100-page PDF takes a minute).  The PDF reader calls :func:`page_done` after each page; a
worker process installs a listener (:func:`listening`) that sends a :class:`PageDone`
to its parent through the result pipe, and the parent's executor hands it to the
progress display.  Outside a worker nobody listens and :func:`page_done` costs a lookup.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

Listener = Callable[[int, int], None]
"""``(pages_done, pages_total)`` — called in the process that reads the file."""

_listener: Listener | None = None


@dataclass(frozen=True)
class PageDone:
    """A worker's message to its parent: ``done`` of ``total`` pages of its file read."""

    done: int
    total: int


def page_done(done: int, total: int) -> None:
    """Tell the listener, if any, that ``done`` of ``total`` pages are read."""
    if _listener is not None:
        _listener(done, total)


@contextlib.contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Send page reports to ``listener`` for the duration of the block."""
    global _listener
    previous, _listener = _listener, listener
    try:
        yield
    finally:
        _listener = previous
