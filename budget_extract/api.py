"""The Python API: ``extract(path) -> Document`` and writing a document's outputs.

The CLI is a thin layer over these functions; researchers call them directly::

    import budget_extract
    doc = budget_extract.extract("某单位2026年预算.pdf")
    for fact in doc.facts(): ...
"""

from __future__ import annotations

import os

from . import readers
from .emit.bundle import render_outputs, write_rendered
from .emit.files import safe_stem
from .errors import ExtractError
from .model import Document, Fact
from .pipeline import build_document

__all__ = ["extract", "write_outputs", "ExtractError", "Document", "Fact"]


def extract(path: str | os.PathLike[str], password: str | None = None) -> Document:
    """Read one disclosure (PDF, Markdown or HTML) and return the checked document."""
    path = os.fspath(path)
    src = readers.read(path, password=password)
    stem = safe_stem(os.path.splitext(os.path.basename(path))[0])
    return build_document(stem, src)


def write_outputs(doc: Document, outdir: str, *, bom: bool = False,
                  xlsx: bool = False) -> list[str]:
    """Write ``S.facts.csv``, ``S/NN-KIND.csv``, ``S.xlsx`` (with ``xlsx``) and ``S.json``
    atomically (the JSON last: its presence means the document is complete); return the
    paths written."""
    os.makedirs(outdir, exist_ok=True)
    return write_rendered(outdir, render_outputs(doc, bom=bom, xlsx=xlsx))
