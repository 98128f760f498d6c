"""Documents extracted once per test session: the bundled fixtures and the shared real PDFs.

Extracting a real PDF costs about a second, and many modules check the same documents from
different angles, so every test reads them through one cache: :func:`extract_once` for a
path (``tests/conftest.py``'s ``extracted`` fixture is this function), :func:`doc` for a
real PDF by name (``shared/real/NAME.pdf`` beside the checkout; the test skips when the
folder is not there).  A real PDF that ``fixtures/`` bundles byte for byte (the two 上海
预算) is the same cache entry as the fixture, so it is read once whichever way a test asks.

The cached documents are shared by every test that asks for them: use them only in tests
that READ the document.  A test that changes a document (or checks that extracting twice
gives the same result) must call ``budget_extract.extract`` itself.
"""

from __future__ import annotations

import filecmp
import os
from functools import cache
from pathlib import Path

import pytest

import budget_extract
from budget_extract.model import Document

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent.parent / "fixtures"

_EXTRACTED: dict[Path, Document] = {}


def _canonical(path: str | Path) -> Path:
    """The fixture's path as every module spells it (``tests/../fixtures/NAME``), so a file
    read through a resolved path and through a relative one is the same cache entry and
    the document records the same source path whichever module asked first."""
    p = Path(path)
    if p.resolve().parent == FIXTURES.resolve():
        return FIXTURES / p.name
    return p


def extract_once(path: str | Path) -> Document:
    """``budget_extract.extract(path)``, once per file per session."""
    key = _canonical(path)
    if key not in _EXTRACTED:
        _EXTRACTED[key] = budget_extract.extract(key)
    return _EXTRACTED[key]


def real_dir() -> Path | None:
    """The folder of shared real PDFs: $BUDGET_EXTRACT_REAL, else ``shared/real`` beside the
    repository root or beside one of its parents (worktrees sit one level deeper than main)."""
    env = os.environ.get("BUDGET_EXTRACT_REAL")
    if env:
        return Path(env) if Path(env).is_dir() else None
    for base in [ROOT, *ROOT.parents]:
        cand = base.parent / "shared" / "real"
        if cand.is_dir():
            return cand
    return None


@cache
def bundled(path: Path) -> Path | None:
    """The copy of a real PDF that ``fixtures/`` bundles byte for byte, if there is one."""
    copy = FIXTURES / path.name
    return copy if copy.exists() and filecmp.cmp(copy, path, shallow=False) else None


@cache
def doc(name: str) -> Document:
    """The real PDF ``NAME.pdf``, extracted once per session (skips the test without it)."""
    d = real_dir()
    if d is None or not (d / f"{name}.pdf").exists():
        pytest.skip("the shared real PDFs are not here")
    return extract_once(bundled(d / f"{name}.pdf") or d / f"{name}.pdf")
