"""``budget.sqlite``: the batch dataset as one embedded SQLite database (no server).

The schema is generated from :data:`budget_extract.emit.dataset.TABLES` (the same
declarations that describe the CSVs in ``datapackage.json``), so the columns, their
meaning and their keys are documented once, in ``docs/dataset.md``.

:func:`ingest` replaces a document's rows: ingesting a document again (a corrected PDF,
a rerun with ``--force``) deletes its old rows in the same transaction, so a document is
never counted twice.  The batch builds the whole database in a temporary file and renames
it into place (:mod:`budget_extract.emit.combined`), so readers never see a half-built one
and the same documents always give the same bytes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from .dataset import DATASET_VERSION, PER_DOCUMENT, TABLES, TableDef

SCHEMA_META = {"dataset_version": DATASET_VERSION, "contract": "1"}

VIEWS = {
    "facts_full": """
        CREATE VIEW IF NOT EXISTS facts_full AS
        SELECT f.*, d.title AS document_title, d.level, d.source_path
        FROM facts f
        JOIN documents d ON d.document = f.document""",
    "failed_checks": """
        CREATE VIEW IF NOT EXISTS failed_checks AS
        SELECT d.unit_name, d.year, c.*
        FROM checks c JOIN documents d ON d.document = c.document
        WHERE c.status = 'fail'""",
}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_sql(t: TableDef) -> list[str]:
    """CREATE TABLE and CREATE INDEX statements for one dataset table."""
    cols = [f"{_q(f.name)} {f.sql_type}" + (" NOT NULL" if f.required else "")
            for f in t.fields]
    cols.append("PRIMARY KEY (" + ", ".join(_q(k) for k in t.primary_key) + ")")
    for fields, ref, ref_fields in t.foreign_keys:
        cols.append("FOREIGN KEY (" + ", ".join(_q(k) for k in fields) + ") REFERENCES "
                    + _q(ref) + " (" + ", ".join(_q(k) for k in ref_fields) + ")"
                    + " ON DELETE CASCADE")
    stmts = [f"CREATE TABLE IF NOT EXISTS {_q(t.name)} (\n  " + ",\n  ".join(cols) + "\n)"]
    for idx in t.indexes:
        name = f"idx_{t.name}_" + "_".join(idx)
        stmts.append(f"CREATE INDEX IF NOT EXISTS {_q(name)} ON {_q(t.name)} ("
                     + ", ".join(_q(c) for c in idx) + ")")
    if "document" in t.names and t.primary_key[0] != "document":
        stmts.append(f"CREATE INDEX IF NOT EXISTS {_q('idx_' + t.name + '_document')} "
                     f"ON {_q(t.name)} (document)")
    return stmts


def schema_sql() -> str:
    """The whole schema as SQL text (printed in docs/dataset.md)."""
    stmts = ["CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)"]
    for t in TABLES:
        stmts += table_sql(t)
    stmts += [v.strip() for v in VIEWS.values()]
    return ";\n\n".join(s.strip() for s in stmts) + ";\n"


def create_schema(conn: sqlite3.Connection) -> None:
    conn.executescript(schema_sql())
    conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                     sorted(SCHEMA_META.items()))


def _value(v: Any) -> Any:
    if isinstance(v, bool):
        return int(v)
    return v


def _insert(conn: sqlite3.Connection, t: TableDef, rows: Iterable[dict[str, Any]]) -> None:
    names = t.names
    sql = (f"INSERT INTO {_q(t.name)} (" + ", ".join(_q(n) for n in names) + ") VALUES ("
           + ", ".join("?" for _ in names) + ")")
    conv = {f.name: f for f in t.fields}

    def coerce(name: str, v: Any) -> Any:
        v = _value(v)
        if v is None:
            return None
        if v == "" and conv[name].type != "string":
            return None
        if conv[name].type == "number":
            try:
                return float(v)
            except (TypeError, ValueError):
                return None
        if conv[name].type == "integer":
            try:
                return int(v)
            except (TypeError, ValueError):
                return None
        return v

    conn.executemany(sql, ([coerce(n, r.get(n)) for n in names] for r in rows))


def ingest(conn: sqlite3.Connection, records: dict[str, list[dict[str, Any]]]) -> str:
    """Insert one document's rows (from :func:`~budget_extract.emit.dataset.document_records`),
    replacing any rows the database already holds for it; return the document id.

    Amounts go in as REAL so that comparisons (``value > 100``) and sums behave as
    numbers; the printed text (``236.00``, decimals and all) is in ``facts.csv``.
    """
    doc = records["documents"][0]["document"]
    defs = {t.name: t for t in TABLES}
    with conn:
        for name in reversed(PER_DOCUMENT):  # children first
            conn.execute(f"DELETE FROM {_q(name)} WHERE document = ?", (doc,))
        for name in PER_DOCUMENT:
            _insert(conn, defs[name], records.get(name, []))
    return doc


def set_inputs(conn: sqlite3.Connection, inputs: list[dict[str, Any]]) -> None:
    """Replace the ``inputs`` table (every input of the batch with its status)."""
    defs = {t.name: t for t in TABLES}
    with conn:
        conn.execute("DELETE FROM inputs")
        _insert(conn, defs["inputs"], inputs)


def connect(path: str) -> sqlite3.Connection:
    """Open (creating if needed) a dataset database with the current schema."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = ON")
    create_schema(conn)
    conn.commit()
    return conn
