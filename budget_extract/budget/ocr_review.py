"""What the checks say about OCR: a table read from a scan whose identities fail.

The accounting identities are the best check of recognition: a misread digit breaks a
total.  When a failed check involves a value on a page read by OCR, the table gets a
warning saying so, naming the pages to compare, so the reader looks there before
suspecting the publisher's arithmetic.
"""

from __future__ import annotations

from ..model import Check, Table
from ..pagelist import page_list


def ocr_check_warnings(checks: list[Check], tables: list[Table],
                       ocr_pages: list[int]) -> list[str]:
    """One warning per table with a failed identity among values read by OCR."""
    if not ocr_pages:
        return []
    scanned = set(ocr_pages)
    failed: dict[str, tuple[list[str], set[int]]] = {}
    for c in checks:
        if c.status != "fail":
            continue
        for ref in c.refs:
            page = ref.get("page")
            if page not in scanned:
                continue
            ids, pages = failed.setdefault(str(ref.get("table_no") or ""), ([], set()))
            if c.id not in ids:
                ids.append(c.id)
            pages.add(page)
    out = []
    for t in tables:
        key = str(t.table_no or "")
        if key not in failed:
            continue
        ids, pages = failed.pop(key)
        out.append(f"table {t.table_no or t.position} ({t.title}): read by OCR and "
                   f"{len(ids)} identit{'y' if len(ids) == 1 else 'ies'} fail "
                   f"({', '.join(ids[:3])}{' …' if len(ids) > 3 else ''}): a figure may be "
                   f"misread, compare the table with {page_list(sorted(pages), None)} of "
                   "the scan")
    return out
