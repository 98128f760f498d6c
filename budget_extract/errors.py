"""The one exception type the tool raises for bad input.

The CLI prints it as ``error: FILE: reason`` and moves on to the next input; anything else
escaping a stage is a bug and is reported (with ``--debug``, with its traceback).
"""

from __future__ import annotations


class ExtractError(Exception):
    """Input the tool cannot turn into a document; ``reason`` says why and what to do."""

    def __init__(self, reason: str, path: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}" if self.path else self.reason
