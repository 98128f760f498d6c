"""A document's output files as bytes, rendered before anything is written.

Rendering and writing are separate so that a batch worker (a local process or a Dask
worker on another machine) can render and the single parent process can write: only one
writer touches the output folder, and every file is written atomically by it.
"""

from __future__ import annotations

import contextlib
import os
import re

from ..model import Document
from .csv_out import facts_csv, wide_csv, wide_name
from .files import write_bytes
from .json_out import document_json

BOM = "\ufeff"


def _enc(text: str, bom: bool) -> bytes:
    return ((BOM if bom else "") + text).encode("utf-8")


def wide_paths(doc: Document) -> list[str]:
    """Each table's wide CSV path relative to the output folder, in table order."""
    taken: set[str] = set()
    return [f"{doc.stem}/{wide_name(t, taken)}" for t in doc.tables]


def render_outputs(doc: Document, *, bom: bool = False, xlsx: bool = False,
                   facts: list | None = None,  # type: ignore[type-arg]
                   review: bool = False, pdf: str | bytes | None = None,
                   password: str | None = None) -> dict[str, bytes]:
    """``{path relative to OUTDIR: bytes}`` for ``S.facts.csv``, ``S/NN-KIND.csv``,
    ``S.xlsx`` (when asked), the review page ``S.html`` (when asked; ``pdf``, the input's
    path or bytes, adds the page images) and ``S.json`` — the JSON last, because writers
    write in this order and the JSON's presence marks a complete document."""
    from ..facts import document_facts

    out: dict[str, bytes] = {}
    out[f"{doc.stem}.facts.csv"] = _enc(facts_csv(facts if facts is not None
                                                  else document_facts(doc)), bom)
    for t, rel in zip(doc.tables, wide_paths(doc), strict=True):
        out[rel] = _enc(wide_csv(t), bom)
    if xlsx:
        from .xlsx_out import document_xlsx

        out[f"{doc.stem}.xlsx"] = document_xlsx(doc)
    if review:
        from .review_html import review_html

        out[f"{doc.stem}.html"] = review_html(doc, pdf=pdf, password=password).encode("utf-8")
    out[f"{doc.stem}.json"] = document_json(doc).encode("utf-8")
    return out


_TABLE_CSV = re.compile(r"^\d{2,}-.*\.csv$")


def write_rendered(outdir: str, files: dict[str, bytes], *, fsync: bool = True) -> list[str]:
    """Write rendered files atomically, in order; return their paths.

    A document written again must not keep the old run's files beside the new ones: table
    CSVs of tables it no longer has, or a review page ``S.html`` when this run was asked
    for none — they would describe another extraction.  Before its ``S.json`` (the mark of
    a complete document) is written, the table files (``NN-….csv``) in its folder ``S/``,
    and ``S.html``, that this rendering did not write are removed.  A workbook ``S.xlsx``
    is not (see :data:`STALE_SUFFIXES`); nothing else is touched.
    """
    written = []
    for rel, data in files.items():
        p = os.path.join(outdir, *rel.split("/"))
        if rel.endswith(".json"):
            _remove_stale(outdir, rel[:-len(".json")], files)
        write_bytes(p, data, fsync=fsync)
        written.append(p)
    return written


STALE_SUFFIXES = (".html",)
"""A document's optional files removed when a run writes none: the review page only.

The review page is a view of one extraction (its boxes drawn on the cells that run read)
and both commands write it unless told ``--no-review``, so a run without one was asked for
none.  The workbook ``S.xlsx`` is kept: ``batch`` writes it by default and ``extract``
only with ``--xlsx``, so removing it would make a plain ``extract`` into a batch's folder
delete the batch's workbooks unasked; a workbook is what people open, annotate and pass
on (and one open in Excel on Windows cannot be removed, which would fail the run).  An
older ``S.xlsx`` beside a newer ``S.json`` is documented (``--xlsx``'s help,
docs/python-api.md); ``--xlsx`` writes it again."""


def _remove_stale(outdir: str, stem: str, files: dict[str, bytes]) -> None:
    folder = os.path.join(outdir, *stem.split("/"))
    for suffix in STALE_SUFFIXES:
        if stem + suffix not in files:
            with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                os.unlink(folder + suffix)
    try:
        names = os.listdir(folder)
    except OSError:  # no folder (no tables, then or now)
        return
    for name in names:
        if _TABLE_CSV.match(name) and f"{stem}/{name}" not in files:
            with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                os.unlink(os.path.join(folder, name))
