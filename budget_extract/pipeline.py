"""The stages in order: segment → detect tables → build tables → interpret → checks.

Each table is built (layout only, ``tables/``), then interpreted once
(``budget/interpret.py``: kind, form, codes, column ids); the document-level steps then
check the tables and read the narrative.  The result is a :class:`Document` of plain data.
"""

from __future__ import annotations

import re
from dataclasses import asdict

from .budget.checks import run_document_checks
from .budget.checks.document import document_checks
from .budget.interpret import document_targets, interpret_table, typed_figure, typed_target
from .budget.ocr_review import ocr_check_warnings
from .budget.prose import read_prose
from .errors import ExtractError
from .model import Document, DocumentMeta, Section, Source, TableKind
from .segment import Segmentation, segment
from .tables.build import build_table
from .tables.detect import detect_tables


def build_document(stem: str, src: Source) -> Document:
    seg = segment(src.blocks)
    cands = detect_tables(src.blocks, seg)
    if not cands and not narrative_only(src, seg):
        _sideways(src, "no tables found")
        raise ExtractError("no tables found: this does not look like a budget disclosure "
                           "(no 收支总表, 支出表 … were detected)", src.path)
    tables = [build_table(c, seg.toc, seg.meta.get("unit_name", "")) for c in cands]
    for t in tables:
        interpret_table(t, seg.meta.get("unit_name", ""))
    if all(t.kind == TableKind.UNKNOWN for t in tables) and not mentions_budget(src):
        _sideways(src, "no budget table found")
        n = len(tables)
        raise ExtractError(f"not a budget disclosure: {n} table{'s' if n > 1 else ''} found, "
                           "but none is a budget table (收支总表, 支出表 …) and the text "
                           "never mentions 预算 or 决算", src.path)
    meta = DocumentMeta(**seg.meta)
    doc = Document(stem=stem, source=src, meta=meta, tables=tables,
                   warnings=list(seg.warnings))
    if not tables:
        doc.warnings.append(NARRATIVE_ONLY_WARNING)
    for t in tables:
        doc.warnings.extend(f"table {t.table_no or t.position} ({t.title}): {w}"
                            for w in t.warnings)
    targets = document_targets(tables)
    meta_dict = asdict(meta)
    doc.sections = [Section(part=s.part, heading=s.heading, text=s.text)
                    for s in seg.sections if s.part in ("explanation", "overview", "glossary")]
    prose = read_prose(src.blocks, seg, meta.unit_name or None)
    doc.checks = run_document_checks(tables, meta_dict, prose, targets)
    doc.checks += document_checks(tables, meta_dict, prose)
    doc.warnings.extend(ocr_check_warnings(doc.checks, tables, src.ocr_pages))
    doc.narrative = [typed_figure(f) for f in prose.narrative]
    doc.performance_targets = [typed_target(r) for r in targets]
    doc.warnings.extend(f"情况说明 {f['section']}: empty explanation “{f['phrase']}。” in "
                        f"“{f['text']}”" for f in prose.empty_reasons)
    doc.warnings.extend(src.warnings)  # the reader's (hidden text, OCR …): one list for all
    return doc


def _sideways(src: Source, what: str) -> None:
    """Raise the sideways-text error when the reader saw text running sideways: such a
    file is a disclosure whose tables are printed turned on the page, not "no budget"."""
    from .readers.pdf.glyphs import SIDEWAYS

    sideways = [w for w in src.warnings if w.startswith(SIDEWAYS)]
    if sideways:
        raise ExtractError(f"{what}: {sideways[0]}", src.path)


NARRATIVE_ONLY_WARNING = ("no tables in this file: a narrative-only disclosure (its budget "
                          "tables are published in a separate file); only the 情况说明 "
                          "figures are extracted, and none can be checked against a table")

# An amount as a disclosure states one: 1,234.56万元, 120元.
_AMOUNT = re.compile(r"\d[\d,，]*(?:\.\d+)?\s*(?:万元|亿元|元)")
_TITLE = re.compile(r"预算|决算")


def narrative_only(src: Source, seg: Segmentation) -> bool:
    """Whether a file without tables is still a budget disclosure: its title (or a heading)
    names a 预算/决算, it has a 情况说明 (or 概况) part, and that text states amounts.

    Some publishers put the 情况说明 in one file and the tables in another; the text file
    is then worth its narrative figures.  A notice, a report or a meeting minute mentioning
    a budget has no such part, or no amount in it, and is still refused.
    """
    titles = [seg.meta.get("title", "")] + [b.text for b in src.blocks if b.kind == "heading"]
    if not any(_TITLE.search(t or "") for t in titles):
        return False
    parts = [s for s in seg.sections if s.part in ("explanation", "overview")]
    return any(s.part == "explanation" for s in parts) and \
        any(_AMOUNT.search(s.text) for s in parts)


def mentions_budget(src: Source) -> bool:
    """Whether any text or cell says 预算/决算: a disclosure whose tables the classifier
    does not know still says what it is, a meeting notice with a timetable does not."""
    for b in src.blocks:
        texts = [c.text for c in b.grid.cells] if b.grid is not None else [b.text]
        if any("预算" in t or "决算" in t for t in texts):
            return True
    return False
