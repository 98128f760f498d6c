"""budget_extract: Chinese government budget disclosures → clean, checked datasets.

>>> import budget_extract
>>> doc = budget_extract.extract("fixtures/huaibei-hrss-info-center-2026-budget.md")
>>> doc.tables[0].kind.value
'income_expenditure_summary'
>>> from budget_extract.api import facts
>>> len(facts(doc))
211
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

from .errors import ExtractError  # noqa: E402

__all__ = ["extract", "write_outputs", "ExtractError", "__version__"]


def __getattr__(name: str) -> Any:
    """``extract`` and ``write_outputs`` load the pipeline on first use: importing the
    package (the CLI's parent process, a batch's workers before they know the input) costs
    nothing until a document is read."""
    if name in ("extract", "write_outputs"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
