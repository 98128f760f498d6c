"""Text hygiene, narrowly: what a careful reader of a published disclosure would circle.

* ``hygiene.placeholder.pN`` — a template placeholder left in (上海市XX局, ××, 待填写);
* ``hygiene.template_residue.pN`` — the template's alternatives or instructions left in
  (增加（减少）, 大于（小于）, （如持平作持平表述）);
* ``hygiene.empty_reason.pN`` — a reason or purpose announced and not given (主要原因是。);
* ``hygiene.doubled_punctuation.pN`` — 。。 ，， and the like (exactly two: a run of
  leader dots is no typo);
* ``hygiene.heading_year.pN`` — a heading or table title naming another year's 预算/决算
  than the report's (a 2023年度部门决算表 heading in a 2024 report); a 情况说明 section
  heading naming one year is ``claims.heading_year``'s, and only reported there;
(A 截至YYYY年 date of another year is ``claims.as_of_year``, with the claims.)

Each finding is a ``warn`` quoting the text with its page; a clean text adds no check.  A
blank template (every budget table empty) is placeholders and
alternatives by design: those three families record one ``skip`` instead.

Precision first: each pattern is literal enough that no clean real document or fixture
produces a finding (tests/test_document_checks.py runs them all).
"""

from __future__ import annotations

import re

from ...model import Check
from ...segment import norm
from .doctext import DocCtx, DocText, add, at, blank_template, on, page_ref, quote

PLACEHOLDER = re.compile(
    r"(?<![A-Za-z0-9./@_-])[XxＸｘ]{2,}(?![A-Za-z0-9./@_-])|××+|待填写|待补充|此处填写"
    r"|[＊*]{3,}")  # not inside a Latin word, a number or an address (www.xxx.gov.cn)
RESIDUE = re.compile(
    r"增加[（(]减少[）)]|减少[（(]增加[）)]|增长[（(]下降[）)]|下降[（(]增长[）)]"
    r"|上升[（(]下降[）)]|大于[（(]小于[）)]|小于[（(]大于[）)]|增加/减少|增长/下降"
    r"|[（(]如持平作持平表述[）)]|[（(]不涉及的不列[）)]")
EMPTY_REASON = re.compile(
    r"(?:(?:主要)?原因(?:主要)?(?:是|为|在于|系)[:：]?|原因[:：]|主要用于[:：]?|主要包括[:：]?)"
    r"\s*[。；;]")
DOUBLED = re.compile(r"([。，；、：！？])\1+")
YEAR_TITLE = re.compile(
    r"(20\d{2})\s*年\s*度?(?!预算执行|决算执行|执行)[^，。；]{0,24}?(?:预算|决算)")
# Findings listed per family; a text with more is a draft, and the rest are counted.
MAX_LISTED = 20
_SENTENCE = re.compile(r"[，。；]")


def _title_like(text: str, heading: bool) -> bool:
    """A heading or a short line, without sentence punctuation (a table title, a cover
    line): where a year names the report rather than a comparison.  A converter may mark
    a whole paragraph as a heading; its sentences are no title."""
    t = norm(text)
    return len(t) <= (60 if heading else 40) and not _SENTENCE.search(t)


def hygiene_checks(checks: list[Check], c: DocCtx) -> None:
    """Every hygiene finding of the text, in page order per family."""
    tables, d, meta = c.tables, c.text, c.meta
    text = d.joined
    if blank_template(tables):
        add(checks, "hygiene.template", "skip",
            "a blank template (no budget table prints an amount): its placeholders, "
            "alternatives and blank reasons are by design and not reported", [])
    else:
        for cid, rx, what in (("placeholder", PLACEHOLDER, "a placeholder left in"),
                              ("template_residue", RESIDUE, "the template's wording left in"),
                              ("empty_reason", EMPTY_REASON, "a reason announced, not given")):
            hits = list(rx.finditer(text))
            for m in hits[:MAX_LISTED]:
                page = d.page_at(m.start())
                add(checks, f"hygiene.{cid}{at(page)}", "warn",
                    f"{what}{on(page)}: “{m.group(0).strip()}” in "
                    f"“{quote(text, m.start(), m.end())}”",
                    [page_ref(page, text=m.group(0).strip())])
            if len(hits) > MAX_LISTED:
                checks[-1].message += f" (and {len(hits) - MAX_LISTED} more like it)"
    for m in DOUBLED.finditer(text):
        if len(m.group(0)) != 2:
            continue
        page = d.page_at(m.start())
        add(checks, f"hygiene.doubled_punctuation{at(page)}", "warn",
            f"doubled punctuation{on(page)}: “{m.group(0)}” in "
            f"“{quote(text, m.start(), m.end())}”", [page_ref(page, text=m.group(0))])
    year = str(meta.get("year") or "")
    if year:
        _year_checks(checks, d, year, c.dated_headings)


def _year_checks(checks: list[Check], d: DocText, year: str, owned: frozenset[int]) -> None:
    """A heading or title naming another year's 预算/决算; a 情况说明 heading whose year
    ``claims.heading_year`` checks (``owned``) is left to it, so it is reported once."""
    for ln in d.lines:
        if ln.block in owned or not _title_like(ln.text, ln.heading):
            continue
        for m in YEAR_TITLE.finditer(norm(ln.text)):
            if m.group(1) != year:
                add(checks, f"hygiene.heading_year{at(ln.page)}", "warn",
                    f"a heading names {m.group(1)} in a {year} report{on(ln.page)}: "
                    f"“{norm(ln.text)}”", [page_ref(ln.page, text=norm(ln.text))])
                break
