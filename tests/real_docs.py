"""The shared real PDFs (``shared/real/`` beside the checkout), extracted once per session.

Tests that read a real document call :func:`doc`; it skips the test when the folder is not
there (a checkout without ``shared/``)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

import budget_extract
from budget_extract.model import Document

ROOT = Path(__file__).resolve().parent.parent


def real_dir() -> Path | None:
    for base in [ROOT, *ROOT.parents]:
        cand = base.parent / "shared" / "real"
        if cand.is_dir():
            return cand
    return None


@cache
def doc(name: str) -> Document:
    d = real_dir()
    if d is None or not (d / f"{name}.pdf").exists():
        pytest.skip("the shared real PDFs are not here")
    return budget_extract.extract(d / f"{name}.pdf")
