"""Test helper: Markdown pipe tables as text matrices, with their source line ranges.

Deliberately tiny (the package's real Markdown reader lives elsewhere): it only gives tests
the seed's tables as ``list[list[str]]`` exactly as printed (``<br>`` left in place), plus
the 0-based line span so tests can tell page-break fragments (tables separated only by
blank lines) from separate tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEED = FIXTURES / "huaibei-hrss-info-center-2026-budget.md"


@dataclass
class MdTable:
    rows: list[list[str]]
    start: int  # first source line (0-based)
    end: int  # one past the last source line


def parse_tables(text: str) -> list[MdTable]:
    """Every pipe table in ``text``, header row included, cells as raw inline source."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    tables: list[MdTable] = []
    rows: list[list[str]] = []
    row: list[str] | None = None
    span: list[int] = [0, 0]
    for tok in tokens:
        if tok.type == "table_open":
            rows, span = [], list(tok.map or [0, 0])
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "inline" and row is not None:
            row.append(tok.content.strip())
        elif tok.type == "tr_close" and row is not None:
            rows.append(row)
            row = None
        elif tok.type == "table_close":
            tables.append(MdTable(rows=rows, start=span[0], end=span[1]))
    return tables


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def performance_forms(text: str) -> list[list[list[list[str]]]]:
    """The 项目支出绩效目标表 forms: each a list of fragments (page-break continuations).

    A form starts at a table with 项目名称 and 项目资金 rows; a following table separated from the
    previous fragment only by blank lines, and without its own 项目名称, continues it.
    """
    lines = text.splitlines()
    forms: list[list[list[list[str]]]] = []
    last_end = -10
    for t in parse_tables(text):
        firsts = [r[0].replace("<br>", "").strip() for r in t.rows if r]
        starts_form = "项目名称" in firsts and any(f.startswith("项目资金") for f in firsts)
        gap = lines[last_end : t.start] if last_end >= 0 else ["x"]
        contiguous = all(not ln.strip() for ln in gap)
        if starts_form:
            forms.append([t.rows])
        elif forms and contiguous and last_end >= 0:
            forms[-1].append(t.rows)
        else:
            last_end = -10
            continue
        last_end = t.end
    return forms
