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

__version__ = "0.1.0"

from .api import extract, write_outputs  # noqa: E402
from .errors import ExtractError  # noqa: E402

__all__ = ["extract", "write_outputs", "ExtractError", "__version__"]
