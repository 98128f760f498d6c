"""The Python API: ``extract(path) -> Document`` and writing a document's outputs.

The CLI is a thin layer over these functions; researchers call them directly::

    import budget_extract
    doc = budget_extract.extract("某单位2026年预算.pdf")
    for fact in doc.facts(): ...
"""

from __future__ import annotations

import os

from . import readers
from .emit.csv_out import facts_csv, wide_csv, wide_name
from .emit.files import safe_stem, write_text
from .emit.json_out import document_json
from .errors import ExtractError
from .facts import document_facts
from .model import Document, Fact
from .pipeline import build_document

__all__ = ["extract", "write_outputs", "ExtractError", "Document", "Fact"]


def extract(path: str | os.PathLike[str], password: str | None = None) -> Document:
    """Read one disclosure (PDF, Markdown or HTML) and return the checked document."""
    path = os.fspath(path)
    src = readers.read(path, password=password)
    stem = safe_stem(os.path.splitext(os.path.basename(path))[0])
    return build_document(stem, src)


def write_outputs(doc: Document, outdir: str, *, bom: bool = False) -> list[str]:
    """Write ``S.json``, ``S.facts.csv`` and ``S/NN-KIND.csv``; return the paths written."""
    written: list[str] = []
    os.makedirs(outdir, exist_ok=True)
    facts = document_facts(doc)
    p = os.path.join(outdir, f"{doc.stem}.facts.csv")
    write_text(p, facts_csv(facts), bom=bom)
    written.append(p)
    taken: set[str] = set()
    for t in doc.tables:
        p = os.path.join(outdir, doc.stem, wide_name(t, taken))
        write_text(p, wide_csv(t), bom=bom)
        written.append(p)
    p = os.path.join(outdir, f"{doc.stem}.json")
    write_text(p, document_json(doc))  # last: its presence means the document is complete
    written.append(p)
    return written
