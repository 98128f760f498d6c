"""What extracting a layout variant of the seed (fixtures/build/make_variants.py) must give.

The variants print the seed's twelve tables with the same content, so the facts are the
seed's own: the committed seed PDF's facts (equal to the seed Markdown's, see
tests/test_seed_pdfs.py).  Documented differences, and only these, are allowed:

- page numbers, boxes and the printed table numbering (the caption style is the variant);
- amounts in 元 where the variant prints 元: the seed's value times 10000, unit 元;
- what the generator says a feature changes (``Variant.renamed`` / ``Variant.added``): a
  column whose path names its panel once the 收支总表 prints more panels, and the facts of
  the panels it adds (their amounts taken from the seed's other tables).
"""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path

from budget_extract.facts import document_facts

FIX = Path(__file__).resolve().parent.parent / "fixtures"
SEED_PDF = FIX / "huaibei-hrss-info-center-2026-budget.pdf"

_spec = importlib.util.spec_from_file_location("make_variants",
                                               FIX / "build" / "make_variants.py")
make_variants = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_variants)

Key = tuple
NUMBERED = {str(n) for n in range(1, 13)}  # the 单位公开表 the variants print


def keyed(doc, yuan: bool = False, tables: set[str] | None = None) -> list[Key]:
    """The facts of the twelve numbered tables, keyed by what the layout must not change.
    Tables are identified by their kind, not by the printed number; `tables` keeps only the
    facts of those printed numbers (the seed PDF has more tables than the variants print)."""
    out = []
    for f in document_facts(doc):
        if tables is not None and f.table_no not in tables:
            continue
        value, unit = f.value, f.unit
        if yuan and unit == "万元":
            value, unit = Decimal(value) * 10000, "元"
        out.append((f.table_kind, f.row_no, f.row_code, f.row_label, f.column,
                    Decimal(value).normalize() if value is not None else None, unit))
    return sorted(out, key=repr)


def expected(extracted, name: str) -> list[Key]:
    yuan = "yuan" in name
    v = make_variants.variant_html(name)
    out = []
    for key in keyed(extracted(SEED_PDF), yuan=yuan, tables=NUMBERED):
        column = v.renamed.get((key[0], key[4]), key[4])
        out.append(key[:4] + (column,) + key[5:])
    for kind, row_no, label, column, amount in v.added:
        value = Decimal(amount) * (10000 if yuan else 1)
        out.append((kind, row_no, "", label, column, value.normalize(),
                    "元" if yuan else "万元"))
    return sorted(out, key=repr)


def diff(got: list[Key], want: list[Key], limit: int = 8) -> str:
    """A short human-readable difference of two fact lists."""
    g, w = set(got), set(want)
    miss = sorted(w - g, key=repr)[:limit]
    extra = sorted(g - w, key=repr)[:limit]
    return (f"{len(w - g)} missing, {len(g - w)} extra\n  missing: "
            + "\n           ".join(map(repr, miss))
            + "\n  extra:   " + "\n           ".join(map(repr, extra)))
