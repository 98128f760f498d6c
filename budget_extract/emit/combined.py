"""The batch's combined datasets, built in one pass and swapped in together.

:class:`DatasetWriter` takes each document's rows in turn (so a batch of thousands of
documents is never held in memory at once), streams them into temporary files — the
combined CSVs (``facts.csv``, ``documents.csv`` …), ``budget.sqlite``, Datasette's
``metadata.json`` and ``datapackage.json`` — and on :meth:`~DatasetWriter.commit` renames
each over its final name.  Until then the previous datasets stay untouched, so an
interrupted build, or one stopped by a full disk or a file-size limit, leaves the last
complete ones and no temporary file; the error then names the dataset file and the cause
(:mod:`budget_extract.emit.faults`).
"""

from __future__ import annotations

import csv
import os
import sqlite3
from typing import IO, Any, NoReturn

from .csv_out import spreadsheet_safe
from .datapackage import build_datapackage, datapackage_json
from .dataset import TABLES, TableDef, csv_cell
from .datasette_meta import metadata_json
from .faults import write_failed
from .files import make_tmp
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
        self._current = "budget.sqlite"
        try:
            for name, t in self._defs.items():
                self._current = f"{name}.csv"
                p = _tmp(outdir, ".csv")
                self._tmp[f"{name}.csv"] = p
                f = open(p, "w", encoding="utf-8-sig" if bom else "utf-8", newline="")
                self._files[name] = f
                w = csv.writer(f, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
                w.writerow(t.names)
                self._writers[name] = w
            self._current = "budget.sqlite"
            p = _tmp(outdir, ".sqlite")
            self._tmp["budget.sqlite"] = p
            self._db = sqlite3.connect(p)
            self._db.execute("PRAGMA journal_mode = OFF")  # a fresh file: nothing to roll back
            create_schema(self._db)
        except BaseException as e:
            self._fail(e)

    def _fail(self, e: BaseException) -> NoReturn:
        """Drop every temporary file and raise ``e`` — a want of room (or any SQLite error)
        as :class:`~.faults.WriteFailed` naming the dataset file being written."""
        self.abort()
        if isinstance(e, (OSError, sqlite3.Error)):
            err = write_failed(os.path.join(self.outdir, self._current), e)
            if err is not e:
                raise err from e
        raise e

    def add(self, records: dict[str, list[dict[str, Any]]]) -> None:
        """One document's rows (as :func:`~budget_extract.emit.dataset.document_records`
        gives them, plus ``wide``: its wide-CSV resources)."""
        try:
            for name, t in self._defs.items():
                self._current = f"{name}.csv"
                w = self._writers[name]
                for row in records.get(name, []):
                    w.writerow([spreadsheet_safe(csv_cell(row.get(f.name), f))
                                if f.type == "string" else csv_cell(row.get(f.name), f)
                                for f in t.fields])
            self._current = "budget.sqlite"
            ingest(self._db, records)
        except BaseException as e:
            self._fail(e)
        doc = records["documents"][0]["document"]
        self._docs.append({"document": doc, "facts_csv": f"{doc}.facts.csv",
                           "wide": records.get("wide", [])})

    def commit(self, inputs: list[dict[str, Any]]) -> list[str]:
        """Finish every file, then move them into place; ``datapackage.json`` last.

        Everything that needs room — the CSVs' last buffers, the database, Datasette's
        ``metadata.json`` and ``datapackage.json`` — is written to temporary files first:
        a full disk or a file-size limit stops the build there, with the temporary files
        removed and the previous datasets untouched.  What is left are renames."""
        try:
            for name, f in self._files.items():
                self._current = f"{name}.csv"
                f.flush()
                os.fsync(f.fileno())
                f.close()
            self._current = "budget.sqlite"
            set_inputs(self._db, inputs)
            self._db.commit()
            self._db.close()
            with open(self._tmp["budget.sqlite"], "rb+") as f:
                os.fsync(f.fileno())
            self._write_tmp("metadata.json", metadata_json())  # Datasette's, for budget.sqlite
            self._write_tmp("datapackage.json",
                            datapackage_json(build_datapackage(self._docs, bom=self.bom)))
        except BaseException as e:
            self._fail(e)
        written = []
        try:
            for final, tmp in list(self._tmp.items()):
                self._current = final
                os.replace(tmp, os.path.join(self.outdir, final))
                del self._tmp[final]
                written.append(os.path.join(self.outdir, final))
        except BaseException as e:  # a rename refused (rare): the rest are dropped
            self._fail(e)
        return written

    def _write_tmp(self, final: str, text: str) -> None:
        self._current = final
        fd, p = make_tmp(self.outdir, ".json.part")
        self._tmp[final] = p
        with os.fdopen(fd, "wb") as f:
            f.write(text.encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())

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
