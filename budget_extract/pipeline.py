"""The stages in order: segment → detect tables → build tables → semantics and checks."""

from __future__ import annotations

from .budget.checks import run_checks
from .budget.codes_link import link_tables
from .budget.performance import align_fragments, merge_projects, parse_performance_table
from .budget.reconcile import narrative_figures, reconcile, reconcile_projects
from .errors import ExtractError
from .model import Document, Source
from .segment import segment
from .tables.build import build_table
from .tables.detect import detect_tables


def build_document(stem: str, src: Source) -> Document:
    seg = segment(src.blocks)
    cands = detect_tables(src.blocks, seg)
    if not cands:
        raise ExtractError("no tables found: this does not look like a budget disclosure "
                           "(no 收支总表, 支出表 … were detected)", src.path)
    tables = [build_table(c, seg.toc, seg.meta.get("unit_name", "")) for c in cands]
    if all(t.kind == "unknown" for t in tables) and not mentions_budget(src):
        n = len(tables)
        raise ExtractError(f"not a budget disclosure: {n} table{'s' if n > 1 else ''} found, "
                           "but none is a budget table (收支总表, 支出表 …) and the text "
                           "never mentions 预算 or 决算", src.path)
    link_tables(tables)
    doc = Document(stem=stem, source=src, meta=seg.meta, tables=tables,
                   warnings=list(seg.warnings))
    for t in tables:
        doc.warnings.extend(f"table {t.table_no or t.position} ({t.title}): {w}"
                            for w in t.warnings)
    doc.performance_targets = performance_targets(cands, tables)
    doc.checks = run_checks(tables, doc.meta)
    doc.sections = [{"part": s.part, "heading": s.heading, "text": s.text}
                    for s in seg.sections if s.part in ("explanation", "overview", "glossary")]
    doc.narrative, flags = narrative_figures(doc.sections, doc.meta)
    doc.checks.extend(reconcile(doc.narrative, tables))
    doc.checks.extend(reconcile_projects(doc.performance_targets, tables))
    doc.warnings.extend(f"情况说明 {f['section']}: empty explanation “{f['phrase']}。” in "
                        f"“{f['text']}”" for f in flags)
    return doc


def mentions_budget(src: Source) -> bool:
    """Whether any text or cell says 预算/决算: a disclosure whose tables the classifier
    does not know still says what it is, a meeting notice with a timetable does not."""
    for b in src.blocks:
        texts = [c.text for c in b.grid.cells] if b.grid is not None else [b.text]
        if any("预算" in t or "决算" in t for t in texts):
            return True
    return False


def performance_targets(cands: list, tables: list) -> list[dict]:  # type: ignore[type-arg]
    """One record per project from the 绩效目标表 forms (a project printed twice kept once)."""
    records = []
    for cand, table in zip(cands, tables, strict=True):
        if table.kind != "performance_target":
            continue
        rows = align_fragments(cand.fragments)
        if rows is None:
            rows = [g.text_rows() for g in cand.fragments]
        rec = parse_performance_table(rows)
        rec["origin"] = {"table_position": table.position, "pages": table.pages,
                         "part": cand.part}
        records.append(rec)
    return merge_projects(records)
