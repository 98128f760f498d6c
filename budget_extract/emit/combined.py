"""The batch's combined datasets, built in one pass and swapped in together.

:class:`DatasetWriter` takes each document's rows in turn (so a batch of thousands of
documents is never held in memory at once), streams them into temporary files — the
combined CSVs (``facts.csv``, ``documents.csv`` …) and ``budget.sqlite`` — and on
:meth:`~DatasetWriter.commit` renames each over its final name and writes Datasette's
``metadata.json`` and ``datapackage.json``.  Until then the previous datasets stay
untouched, so an interrupted build leaves the last complete ones.
"""

from __future__ import annotations

import csv
import os
import sqlite3
from typing import IO, Any

from .csv_out import spreadsheet_safe
from .datapackage import build_datapackage, datapackage_json
from .dataset import TABLES, TableDef, csv_cell
from .datasette_meta import metadata_json
from .files import make_tmp, write_text
from .sqlite_out import create_schema, ingest, set_inputs

DATASET_CSVS = tuple(f"{t.name}.csv" for t in TABLES if t.csv)
DATASET_FILES = DATASET_CSVS + ("budget.sqlite", "metadata.json", "datapackage.json")


def _tmp(folder: str, suffix: str) -> str:
    fd, path = make_tmp(folder, suffix + ".part")
    os.close(fd)
    return path


class DatasetWriter:
    """Streams documents' rows into the combined CSVs and the SQLite database."""

    def __init__(self, outdir: str, *, bom: bool = False) -> None:
        self.outdir = outdir
        self.bom = bom
        os.makedirs(outdir, exist_ok=True)
        self._tmp: dict[str, str] = {}
        self._files: dict[str, IO[str]] = {}
        self._writers: dict[str, Any] = {}
        self._defs: dict[str, TableDef] = {t.name: t for t in TABLES if t.csv}
        self._docs: list[dict[str, Any]] = []
        try:
            for name, t in self._defs.items():
                p = _tmp(outdir, ".csv")
                self._tmp[f"{name}.csv"] = p
                f = open(p, "w", encoding="utf-8-sig" if bom else "utf-8", newline="")
                self._files[name] = f
                w = csv.writer(f, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
                w.writerow(t.names)
                self._writers[name] = w
            p = _tmp(outdir, ".sqlite")
            self._tmp["budget.sqlite"] = p
            self._db = sqlite3.connect(p)
            self._db.execute("PRAGMA journal_mode = OFF")  # a fresh file: nothing to roll back
            create_schema(self._db)
        except BaseException:
            self.abort()
            raise

    def add(self, records: dict[str, list[dict[str, Any]]]) -> None:
        """One document's rows (as :func:`~budget_extract.emit.dataset.document_records`
        gives them, plus ``wide``: its wide-CSV resources)."""
        for name, t in self._defs.items():
            w = self._writers[name]
            for row in records.get(name, []):
                w.writerow([spreadsheet_safe(csv_cell(row.get(f.name), f)) if f.type == "string"
                            else csv_cell(row.get(f.name), f) for f in t.fields])
        ingest(self._db, records)
        doc = records["documents"][0]["document"]
        self._docs.append({"document": doc, "facts_csv": f"{doc}.facts.csv",
                           "wide": records.get("wide", [])})

    def commit(self, inputs: list[dict[str, Any]]) -> list[str]:
        """Finish every file and move it into place; ``datapackage.json`` last."""
        try:
            for f in self._files.values():
                f.flush()
                os.fsync(f.fileno())
                f.close()
            set_inputs(self._db, inputs)
            self._db.commit()
            self._db.close()
            with open(self._tmp["budget.sqlite"], "rb+") as f:
                os.fsync(f.fileno())
        except BaseException:
            self.abort()
            raise
        written = []
        for final, tmp in self._tmp.items():
            os.replace(tmp, os.path.join(self.outdir, final))
            written.append(os.path.join(self.outdir, final))
        self._tmp = {}
        p = os.path.join(self.outdir, "metadata.json")  # Datasette's, for budget.sqlite
        write_text(p, metadata_json())
        written.append(p)
        p = os.path.join(self.outdir, "datapackage.json")
        write_text(p, datapackage_json(build_datapackage(self._docs, bom=self.bom)))
        written.append(p)
        return written

    def abort(self) -> None:
        """Drop the temporary files; the previous datasets stay as they were."""
        for f in self._files.values():
            try:
                f.close()
            except OSError:
                pass
        db = getattr(self, "_db", None)
        if db is not None:
            try:
                db.close()
            except sqlite3.Error:
                pass
        for tmp in self._tmp.values():
            try:
                os.unlink(tmp)
            except OSError:
                pass
        self._tmp = {}
