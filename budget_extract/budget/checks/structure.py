"""The document's structure: the 目录 against the printed tables, and empty tables.

* every table the 目录 lists is printed (``structure.toc_missing.N``), in the 目录's order
  (``structure.toc_order``), and every printed budget table is listed
  (``structure.not_in_toc.N``) — ``structure.toc`` passes when all three hold;
* an empty table says why (本表无数据, 没有…安排的支出) on its page or in the 情况说明
  (``structure.empty_note.N``, a ``warn``);
* a table the 情况说明 gives amounts for is not empty (``structure.empty_but_stated.N``).

A 目录 that lists no table (the text's sections only) or a document without one is not
checked against the tables.  A blank template's tables are empty by design: their notes are
not asked for.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ...model import Check, Table, TableKind
from ...segment import norm
from ...tables.numbering import entry_number
from ..interpret import EMPTY_NOTE
from ..kinds import kind_from_title
from ..numbers import parse_amount
from .doctext import NOT_BUDGET_TABLES, DocCtx, DocText, add, blank_template, page_ref

_PART = re.compile(r"^第[一二三四五六七八九十]+部分")
_TRAILING = re.compile(r"[\d\s.…·．]+$")
_YEAR = re.compile(r"^(20\d{2})\s*年度?")
_QUOTES = re.compile(r"[\"'“”‘’「」『』]")
_QUALIFIER = re.compile(r"[（(][^（()）]*[）)]$")  # 支出表（按功能分类科目）
# Parts of the document whose tables a 目录 does not list: tables inside the 情况说明 (绩效
# 目标表 of a project) and annexes (附件: 项目支出绩效目标公开清单).
_UNLISTED_PARTS = frozenset({"explanation", "annex"})
# What an empty table's explanation names, per kind (the national wording: 本部门没有政府性
# 基金预算拨款安排的支出, 2024年度无“三公”经费财政拨款支出).
SUBJECT: dict[str, str] = {
    TableKind.THREE_PUBLIC_EXPENDITURE: "三公",
    TableKind.GOV_FUND_EXPENDITURE: "政府性基金",
    TableKind.STATE_CAPITAL_EXPENDITURE: "国有资本经营",
    TableKind.PROCUREMENT_EXPENDITURE: "政府采购",
    TableKind.PURCHASED_SERVICES_EXPENDITURE: "政府购买服务",
    TableKind.PROJECT_EXPENDITURE: "项目支出",
    TableKind.ASSET_ALLOCATION_EXPENDITURE: "资产配置",
    TableKind.OPERATING_EXPENDITURE: "机关运行经费",
}


def _key(title: str, unit_name: str) -> str:
    t = _QUOTES.sub("", norm(title))
    if unit_name:
        t = t.replace(norm(unit_name), "")
    return _YEAR.sub("", t)


def _toc_entries(d: DocText, unit_name: str) -> list[tuple[str, str, str]]:
    """(number, title, the entry as the 目录 prints it) of the 目录's table entries:
    entries whose title (ordinal and page number set aside) ends in 表 and names a budget
    table kind — not the part headings (第二部分 …部门决算表), not the text's sections
    (一、收入支出决算总体情况说明)."""
    out = []
    for e in d.toc:
        number, title = entry_number(e)
        title = _TRAILING.sub("", norm(title))
        if _PART.match(title) or not _QUALIFIER.sub("", title).endswith("表"):
            continue
        kind = kind_from_title(title, unit_name)
        if kind is None or kind in NOT_BUDGET_TABLES:
            continue
        shown = norm(e.title) if not e.number else f"{e.number}. {norm(e.title)}"
        out.append((number, title, _TRAILING.sub("", shown)))
    return out


def _match(entries: list[tuple[str, str]], tables: list[Table], unit_name: str
           ) -> list[Table | None]:
    """The printed table of each entry: the same title first, else a title containing the
    other (a 目录 shortening the printed title), else an untitled table of the kind the
    entry names (a converter that folded the title into the grid); each table used once."""
    keys = [_key(t.title, unit_name) for t in tables]
    used: set[int] = set()
    found: list[Table | None] = [None] * len(entries)
    for exact in (True, False):
        for i, (_, title) in enumerate(entries):
            if found[i] is not None:
                continue
            want = _key(title, unit_name)
            for j, k in enumerate(keys):
                if j in used or not k:
                    continue
                if k == want or (not exact and len(min(k, want, key=len)) >= 4
                                 and (k in want or want in k)):
                    found[i] = tables[j]
                    used.add(j)
                    break
    for i, (_, title) in enumerate(entries):
        kind = kind_from_title(title, unit_name)
        j = next((j for j, t in enumerate(tables) if j not in used and not keys[j]
                  and t.kind == kind), None) if found[i] is None else None
        if j is not None:
            found[i] = tables[j]
            used.add(j)
    return found


def toc_checks(checks: list[Check], c: DocCtx) -> None:
    """目录 vs printed tables: listed ⇒ printed, in order; printed ⇒ listed."""
    tables, d = c.tables, c.text
    unit = c.meta.get("unit_name") or ""
    listing = _toc_entries(d, unit)
    entries = [(n, t) for n, t, _ in listing]
    shown = [x for _, _, x in listing]
    printed = [t for t in tables if t.kind not in NOT_BUDGET_TABLES]
    if len(entries) < 2 or not printed:
        return
    found = _match(entries, printed, unit)
    titles = {_key(ln.text, unit) for ln in d.lines}
    before = len(checks)
    for (number, title), entry, t in zip(entries, shown, found, strict=True):
        if t is None and _key(title, unit) not in titles:
            # neither a table nor its title line is printed (a title printed over a table the
            # reader could not lay out is an extraction problem, not the document's)
            add(checks, f"structure.toc_missing.{number or title}", "fail",
                f"目录 lists {entry}, but no such table is printed",
                [page_ref(d.toc_page, toc_entry=entry)])
    placed = [(e, t) for e, t in zip(shown, found, strict=True) if t is not None]
    for (e1, t1), (e2, t2) in zip(placed, placed[1:], strict=False):
        if t2.position < t1.position:
            add(checks, "structure.toc_order", "fail",
                f"表 {t2.table_no or t2.position} {t2.title} (目录 {e2}) is printed "
                f"before 表 {t1.table_no or t1.position} {t1.title} (目录 {e1}), "
                "against the 目录's order",
                [page_ref(d.toc_page, toc_entry=e1),
                 _table_ref(t2),
                 _table_ref(t1)])
            break
    listed = {id(t) for t in found if t is not None}
    for t in printed:
        if id(t) not in listed and t.title and (t.layout is None
                                                or t.layout.part not in _UNLISTED_PARTS):
            add(checks, f"structure.not_in_toc.{t.table_no or t.position}", "fail",
                f"{_printed_at(t)} is printed but "
                "the 目录 does not list it",
                [_table_ref(t),
                 page_ref(d.toc_page)])
    if len(checks) == before:
        add(checks, "structure.toc", "pass",
            f"目录 lists {len(entries)} tables: all printed, in that order, and no other "
            "budget table is printed", [page_ref(d.toc_page)])


def _printed_at(t: Table) -> str:
    """A table as a message names it: ``表 3 支出决算表 (p.8–9)``."""
    pages = "?" if not t.pages else str(t.pages[0]) if len(t.pages) == 1 else \
        f"{t.pages[0]}–{t.pages[-1]}"
    return f"表 {t.table_no or t.position} {t.title} (p.{pages})"


def _table_ref(t: Table) -> dict[str, Any]:
    """A reference to a table: its number and first page."""
    return page_ref(t.pages[0] if t.pages else None, table_no=t.table_no)


def _listed_empty(t: Table, tables: list[Table]) -> bool:
    """A 空表 list names the table: some templates print one table of every report with
    是否空表 / 表格为空的理由 columns (西安: ``表11 | …上年结转资金支出表 | 是 | 不涉及``)."""
    no = f"表{t.table_no}" if t.table_no else ""
    title = norm(t.title or "")
    for other in tables:
        if other is t or other.grid is None or not any(
                "空表" in "".join(c.path) for c in other.columns):
            continue
        for row in other.grid.origin_matrix():
            texts = [norm(c.text) for c in row if c is not None and c.text]
            if not texts or "是" not in texts:
                continue
            if (no and no in texts) or (title and any(title in x for x in texts)):
                return True
    return False


def _explained(t: Table, d: DocText, subject: str, tables: list[Table] = ()) -> bool:
    """An empty table's explanation: its note, a line on its page saying so, a 空表 list
    naming it, or a sentence of the text saying the department has none of what it
    lists."""
    if EMPTY_NOTE.search(t.note or "") or _listed_empty(t, list(tables)):
        return True
    pages = set(t.pages)
    if any(ln.page in pages and EMPTY_NOTE.search(ln.text) for ln in d.lines):
        return True
    if not subject:
        return False
    said = re.compile(rf"(?:无|没有|未)[^。；]{{0,30}}{subject}|{subject}[^。；]{{0,30}}"
                      r"(?:为0|为零|无|没有|未发生)")
    return bool(said.search(norm(d.joined).replace("“", "").replace("”", "")))


# Kinds whose subject the text cannot give an amount for while the table is rightly empty
# (项目支出 in the text may be paid from other funds than the empty table's).
_STATED_KINDS = frozenset(SUBJECT) - {TableKind.PROJECT_EXPENDITURE}


def _stated(t: Table, figures: list[dict[str, Any]], subject: str
            ) -> list[tuple[dict[str, Any], Decimal]]:
    """The 情况说明 figures giving a non-zero amount for what the empty table lists."""
    if not subject or t.kind not in _STATED_KINDS:
        return []
    out = []
    for f in figures:
        if subject not in (f.get("subject") or "").replace("“", "").replace("”", ""):
            continue
        amount = parse_amount(f.get("amount") or "")
        if amount:
            out.append((f, amount))
    return out


def empty_table_checks(checks: list[Check], c: DocCtx) -> None:
    """Each empty table: its 空表 note; no amount for it in the text."""
    tables, d, figures, has_text = c.tables, c.text, c.figures, c.has_explanation
    template = blank_template(tables)
    for t in tables:
        if not t.empty or t.kind in NOT_BUDGET_TABLES:
            continue
        no = t.table_no or str(t.position)
        subject = SUBJECT.get(t.kind, "")
        refs = [_table_ref(t)]
        for f, _amount in _stated(t, figures, subject)[:1]:
            add(checks, f"structure.empty_but_stated.{no}", "fail",
                f"{_printed_at(t)} prints no amount, but the text gives "
                f"{f.get('subject')} {f.get('amount')}{f.get('unit') or ''}: "
                f"“{f.get('text')}”",
                refs + [page_ref(d.page_of(f.get("text") or ""), text=f.get("text"))])
        if template:
            continue
        if not has_text and not EMPTY_NOTE.search(t.note or ""):
            add(checks, f"structure.empty_note.{no}", "skip",
                f"表 {no} {t.title} is empty; this file holds no 情况说明, where an empty "
                "table is usually explained, so its note cannot be looked for", refs)
        elif _explained(t, d, subject, tables):
            add(checks, f"structure.empty_note.{no}", "pass",
                f"表 {no} {t.title} is empty and says why"
                + (f": “{t.note}”" if EMPTY_NOTE.search(t.note or "") else
                   " (on its page, in a 空表 list or in the 情况说明)"), refs)
        else:
            add(checks, f"structure.empty_note.{no}", "warn",
                f"{_printed_at(t)} is empty and says nothing of why: no "
                "本表无数据 / 没有…安排的支出 note on its page, and the text never says the "
                f"department has no {subject or t.title}", refs)
