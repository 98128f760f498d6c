"""The Python API: ``extract(path) -> Document`` and what a script does with a document.

The CLI is a thin layer over these functions; researchers call them directly::

    import budget_extract
    from budget_extract.api import facts, to_json, records, to_pandas

    doc = budget_extract.extract("某单位2026年预算.pdf")
    for fact in facts(doc): ...

The :class:`~budget_extract.model.Document` itself is plain data; the conveniences live
here, over the emitters, so that library users and the CLI get the same bytes and
``model.py`` depends on nothing else in the package.
"""

from __future__ import annotations

import os
from typing import Any

from . import readers
from .emit.bundle import render_outputs, write_rendered
from .emit.dataset import TABLES, document_records
from .emit.files import safe_stem
from .emit.json_out import document_json
from .errors import ExtractError
from .facts import document_facts
from .model import Document, Fact
from .pipeline import build_document

__all__ = ["extract", "extract_data", "write_outputs", "to_json", "facts", "records", "to_pandas",
           "ExtractError", "Document", "Fact"]


def extract(path: str | os.PathLike[str], password: str | None = None, *,
            pdf_engine: str | None = None) -> Document:
    """Read one disclosure (PDF, Markdown or HTML) and return the checked document.

    ``pdf_engine`` picks the library that reads a PDF: ``"pdfium"`` (the default) or
    ``"pdfplumber"``; both give the same document, pdfium several times faster.  The
    document's ``warnings`` hold everything the reader and the pipeline found doubtful
    (hidden text dropped, a rebuilt file, pages read by OCR, repairs), as ``S.json``
    lists them."""
    path = os.fspath(path)
    return extract_data(readers.load(path), path, password, pdf_engine=pdf_engine)


def extract_data(data: bytes, path: str | os.PathLike[str], password: str | None = None, *,
                 pdf_engine: str | None = None, sha256: str | None = None) -> Document:
    """:func:`extract` for an input's bytes already in memory (downloaded, or read once
    by the caller for other uses too); ``path`` names it (in the document, in errors, and
    its extension breaks ties between formats), and ``sha256`` is the bytes' hash when the
    caller already has it."""
    path = os.fspath(path)
    src = readers.read_data(data, path, password, pdf_engine, sha256=sha256)
    stem = safe_stem(os.path.splitext(os.path.basename(path))[0])
    return build_document(stem, src)


def write_outputs(doc: Document, outdir: str, *, bom: bool = False, xlsx: bool = False,
                  review: bool = False, pdf: str | bytes | None = None,
                  password: str | None = None) -> list[str]:
    """Write ``S.facts.csv``, ``S/NN-KIND.csv``, ``S.xlsx`` (with ``xlsx``), the review page
    ``S.html`` (with ``review``) and ``S.json`` atomically (the JSON last: its presence
    means the document is complete); return the paths written.

    The review page of a PDF shows its pages: ``pdf`` is the input's bytes (or path) and
    ``password`` its password; without ``pdf`` the file at ``doc.source.path`` is read
    again (checked as any input is), or the page is written without page images when it
    cannot be.  What an earlier run wrote for this document and this one does not (its
    ``S.html``, table CSVs no longer there) is removed, so those never mix two runs; an
    earlier ``S.xlsx`` is kept when ``xlsx`` is off (a workbook is not deleted unasked:
    ``emit.bundle.STALE_SUFFIXES``), so pass ``xlsx=True`` to write it again."""
    if review and pdf is None and doc.source.format == "pdf":
        try:
            pdf = readers.load(doc.source.path)
        except ExtractError:
            pdf = None
    os.makedirs(outdir, exist_ok=True)
    return write_rendered(outdir, render_outputs(doc, bom=bom, xlsx=xlsx, review=review,
                                                 pdf=pdf, password=password))


def to_json(doc: Document) -> str:
    """The contract's document JSON (what ``S.json`` holds), as a string."""
    return document_json(doc)


def facts(doc: Document) -> list[Fact]:
    """The tidy facts: one per printed amount of every grid table (``S.facts.csv``)."""
    return document_facts(doc)


def records(doc: Document, source_path: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """The document's rows of every dataset table (documents, tables, facts, checks,
    narrative, performance_targets, performance_indicators), as the batch writes them to
    ``budget.sqlite`` and the combined CSVs."""
    return document_records(doc, source_path or doc.source.path)


def to_pandas(doc: Document, table: str = "facts") -> Any:
    """A pandas DataFrame of one dataset table (default ``facts``), typed as in the
    datapackage: numbers as floats, counts as nullable integers, codes as strings.

    Needs pandas (``pip install pandas``, or ``pip install -e '.[pandas]'`` in a checkout).
    """
    try:
        import pandas as pd
    except ImportError as e:
        from .extras import missing

        raise ImportError(missing("to_pandas()", "pandas")) from e
    defs = {t.name: t for t in TABLES}
    if table not in defs or table == "inputs":
        raise ValueError(f"unknown table {table!r}; one of "
                         + ", ".join(n for n in defs if n != "inputs"))
    tdef = defs[table]
    df = pd.DataFrame(records(doc)[table], columns=tdef.names)
    for f in tdef.fields:
        if f.type == "number":
            df[f.name] = pd.to_numeric(df[f.name], errors="coerce")
        elif f.type == "integer":
            df[f.name] = pd.to_numeric(df[f.name], errors="coerce").astype("Int64")
        elif f.type == "boolean":
            df[f.name] = df[f.name].astype("boolean")
        else:
            df[f.name] = df[f.name].fillna("").astype(str)
    return df
