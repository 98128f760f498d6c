"""Session-wide fixtures: each bundled fixture file is read once per test run.

Several modules check the same documents (the seed Markdown/HTML, its three PDF renders,
the two real 上海 PDFs) from different angles.  Extracting a real PDF costs about a second,
so the modules share one :func:`budget_extract.extract` (and one ``read_pdf``) per file
through the cache in ``tests/real_docs.py`` (which also serves the shared real PDFs by name)
instead of each reading the file again.

The cached objects are shared by every test that asks for them: use them only in tests that
READ the document.  A test that changes a document (or checks that extracting twice gives
the same result) must call ``budget_extract.extract`` itself.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from real_docs import extract_once


@pytest.fixture(scope="session")
def extracted() -> Callable[[str | Path], Any]:
    """``extracted(path)``: ``budget_extract.extract(path)``, once per file per session."""
    return extract_once


@pytest.fixture(scope="session")
def pdf_read(extracted: Callable[[str | Path], Any]) -> Callable[[str | Path], Any]:
    """``pdf_read(path)``: what ``read_pdf(path)`` returns, once per session.

    Reading is nearly all of extracting a PDF, and ``extract`` keeps the reader's
    ``Source`` as ``Document.source`` untouched (the pipeline only reads its blocks), so
    the reader tests take it from the shared extraction instead of reading the file again.
    """
    return lambda path: extracted(path).source
