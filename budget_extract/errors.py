"""The one exception type the tool raises for bad input.

The CLI prints it as ``error: FILE: reason`` and moves on to the next input; anything else
escaping a stage is a bug and is reported (with ``--debug``, with its traceback).
"""

from __future__ import annotations

from typing import TypeVar


class ExtractError(Exception):
    """Input the tool cannot turn into a document; ``reason`` says why and what to do."""

    def __init__(self, reason: str, path: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}" if self.path else self.reason


E = TypeVar("E", bound=BaseException)


def wrapped(exc: BaseException, kind: type[E]) -> E | None:
    """The ``kind`` exception behind ``exc``, or None: pdfplumber and pdfminer wrap what
    our hooks raise inside them (as cause, context or first argument), so a limit's error
    is looked for through those links (a bounded search: a hostile chain ends it)."""
    seen: list[BaseException] = [exc]
    while seen:
        e = seen.pop()
        if isinstance(e, kind):
            return e
        if len(seen) > 20:
            break
        seen.extend(x for x in (e.__cause__, e.__context__, *e.args[:1])
                    if isinstance(x, BaseException))
    return None
