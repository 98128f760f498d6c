"""Figures stated in the 情况说明 (explanation) text.

The explanation restates the tables in sentences: ``一般公共预算拨款收入358.58万元，
占99.14%，比2025年预算增加4.7万元，增长1.33%``.  Pulling those statements out as data
lets later stages check the prose against the tables (and the prose against itself: an
amount, its change and the percentage must agree).

The text is scanned for four kinds of token, left to right:

* an amount with a money unit (``358.58万元``) starts a new figure; its subject is the text
  before it back to the previous token or clause separator, cleaned of enumerators,
  connectives (其中、主要包括、全部为 …), the organisation name and the year;
* a share (``占99.14%``), a comparison (``比2025年预算增加4.7万元`` / ``…持平``) and a
  change percentage (``增长1.33%``) attach to the latest figure that lacks them — also
  across a full stop, since ``公务接待费1.35万元。比2024年预算持平`` happens.

Every figure is a JSON-friendly dict (Decimals as strings):

``subject`` (as printed, cleaned), ``code_names`` ([类, 款, 项] names when the subject is a
``X（类）Y（款）Z（项）`` chain, else None), ``amount`` (printed number, separators dropped),
``unit``, ``value_yuan``, ``share`` (percent, no sign), ``change`` (magnitude as printed),
``change_unit``, ``change_direction`` (增加/减少/持平), ``change_pct`` (magnitude),
``prior_year`` (int), ``prior_basis`` (预算, 预算执行数 …), ``prior_amount`` (implied, in
``unit``), ``year`` (the year printed in the subject, int), ``section``, ``text`` (the
statement) and ``warnings``.  Missing values are None.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ..numtext import NUMBER_IN_TEXT
from .numbers import UNITS, amount_text, parse_amount, to_yuan

__all__ = ["empty_reasons_in", "figures_in", "find_empty_reasons", "normalize_text",
           "parse_figures"]

_NUM = NUMBER_IN_TEXT
# 万 alone is accepted as 万元 only where a word cannot continue (``合计1410.00万。``).
_UNIT = r"亿元|万元|千元|元|万(?=[，,。；;、）)”\s]|$)"
# A threshold (单价100万元（含）以上) is not a stated figure.
_NOT_THRESHOLD = r"(?!(?:（含）|\(含\))?以[上下内])"
_UP = "增加|增长|上升|提高|增幅|涨幅"
_DOWN = "减少|下降|降低|减幅|降幅|减"
_DIR = f"{_UP}|{_DOWN}"

_TOKEN = re.compile(
    rf"(?P<change>(?:比|较|与)(?P<py>\d{{4}}|上)年度?(?P<basis>[^，,。；;：:\d%]{{0,12}}?)"
    # 与2023年度相比，收入支出总计增加…: the subject repeated after 相比
    rf"(?:相比[，,]?[^，,。；;：:\d%]{{0,16}}?)?"
    rf"(?:(?P<cdir>{_DIR})(?P<camt>{_NUM})(?P<cunit>{_UNIT})"
    rf"|(?P<flat>持平|相同|一致|不变)"
    rf"|(?P<cpdir>{_DIR})(?P<cpct>{_NUM})%))"
    rf"|(?P<pct>(?P<pdir>{_DIR})(?P<pval>{_NUM})%)"
    rf"|(?P<share>占[^，,。；;\d%]{{0,15}}?(?P<sval>{_NUM})%)"
    rf"|(?<![\d.])(?P<amount>(?P<amt>{_NUM})(?P<unit>{_UNIT})){_NOT_THRESHOLD}",
    re.ASCII,
)

_SEPARATORS = "，,。；;：:、！!？?\n"
_QUOTES = "“”\"‘’「」『』"
_ENUM = re.compile(
    r"^(?:[（(][一二三四五六七八九十百\d]+[）)]|\d+[.．、]|[一二三四五六七八九十百]+[、.．])",
    re.ASCII,
)
_INFIX = ("全部为", "分为", "主要包括", "包括", "其中", "分别为", "均为")
_LEADING = ("以及", "和", "及", "与", "另外", "此外", "另", "并", "涉及", "本部门", "本单位")
_TRAILING = ("共计", "总计为", "合计为", "为", "是")
_YEAR_IN_SUBJECT = re.compile(r"(\d{4})年度?", re.ASCII)
_AFTER_YEAR_QUALIFIER = re.compile(r"^(?:预算数?|预算安排)?共?(?:安排)?")
_CHAIN = re.compile(
    r"^(?P<lei>[^（(]+?)[（(]类[）)]"
    r"(?:(?P<kuan>.+?)[（(]款[）)]"
    r"(?:(?P<xiang>.+?)[（(]项[）)])?)?"
)
_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")
_SPACE = re.compile(r"\s+")
# Only digits, the decimal point and percent are folded: Chinese punctuation stays as
# printed so subjects read like the document (教育（类）…).
_DIGITS = str.maketrans("０１２３４５６７８９．％", "0123456789.%")


def normalize_text(text: str) -> str:
    """Text with full-width digits as ASCII and line-wrap/page-break whitespace removed.

    Full-width punctuation is kept.  A page break can fall inside a word (``2026年预`` /
    ``算319.71万元``) or a unit (``29,381.00万`` / ``元``); whitespace next to a Chinese
    character is never meaningful in this prose, so it is dropped; other runs become one
    space.
    """
    if not isinstance(text, str):
        return ""
    s = text.translate(_DIGITS)
    s = _CJK_SPACE.sub("", s)
    return _SPACE.sub(" ", s).strip()


def _direction(word: str | None) -> str | None:
    if not word:
        return None
    if re.fullmatch(_UP, word):
        return "增加"
    return "减少"


def _clean_subject(
    raw: str, entities: tuple[str, ...] = ()
) -> tuple[str, list[str] | None, int | None]:
    """(subject, 类/款/项 names or None, year) from the text before an amount."""
    s = "".join(ch for ch in raw if ch not in _QUOTES).strip()
    year: int | None = None
    years = list(_YEAR_IN_SUBJECT.finditer(s))
    if years:
        y = years[-1]
        before, after = s[: y.start()], s[y.end() :]
        after = _AFTER_YEAR_QUALIFIER.sub("", after)
        year = int(y.group(1))
        s = after if after else before
    for word in _INFIX:
        i = s.rfind(word)
        if i >= 0 and s[i + len(word) :].strip(_SEPARATORS + " "):
            s = s[i + len(word) :]
    for _ in range(len(s) + 1):  # each pass shortens s or stops
        before_pass = s
        s = s.lstrip(_SEPARATORS + "）)】]*#_ ")
        m = _ENUM.match(s)
        if m and len(s) > m.end():
            s = s[m.end() :]
        if s and s[0] in "（(" and not re.search(r"[）)]", s):
            s = s[1:]
        for word in entities:
            if word and s.startswith(word) and len(s) > len(word):
                s = s[len(word) :]
        for word in _LEADING:
            if s.startswith(word):
                s = s[len(word) :]
                break
        if s == before_pass:
            break
    for word in _TRAILING:
        if s.endswith(word) and len(s) > len(word):
            s = s[: -len(word)]
            break
    s = s.strip(_SEPARATORS + "*#_ ")
    names: list[str] | None = None
    m = _CHAIN.match(s)
    if m:
        names = [n for n in (m.group("lei"), m.group("kuan"), m.group("xiang")) if n]
        s = m.group(0)
    return s, names, year


def _boundary(text: str, start: int, end: int) -> int:
    """Index just after the last clause separator in text[start:end] (or start)."""
    for i in range(end - 1, start - 1, -1):
        if text[i] in _SEPARATORS:
            return i + 1
    return start


def _new_figure(section: str) -> dict[str, Any]:
    return {
        "subject": "",
        "code_names": None,
        "amount": None,
        "unit": None,
        "value_yuan": None,
        "share": None,
        "change": None,
        "change_unit": None,
        "change_direction": None,
        "change_pct": None,
        "prior_year": None,
        "prior_basis": None,
        "prior_amount": None,
        "year": None,
        "section": section,
        "text": "",
        "warnings": [],
    }


def _plain(d: Decimal) -> str:
    """A Decimal without exponent or trailing fractional zeros (3616800.00 → 3616800)."""
    return format(d.normalize(), "f") if d else "0"


def _unit_name(u: str) -> str:
    return "万元" if u == "万" else u


def parse_figures(
    text: str, section: str, *, entity: str | None = None
) -> list[dict[str, Any]]:
    """Every stated figure in ``text`` (one 情况说明 section), in reading order.

    ``section`` is copied into each figure so figures from several sections can be pooled.
    ``entity`` (the publishing body's name, when known) is removed from the start of
    subjects such as ``上海市普陀区商务委员会收入预算``; a name followed by a year is removed
    without it.  A comparison or percentage with no figure to attach to becomes a figure of
    its own with ``amount`` None.
    """
    return figures_in(normalize_text(text), section, entity=entity)


def figures_in(s: str, section: str, *, entity: str | None = None) -> list[dict[str, Any]]:
    """:func:`parse_figures` of text already normalised (:func:`normalize_text`): the
    document's sections are normalised once and read by several parsers."""
    entities = (normalize_text(entity),) if entity else ()
    figures: list[dict[str, Any]] = []
    spans: list[list[int]] = []  # [start, end] of each figure's statement
    last_end = 0
    for m in _TOKEN.finditer(s):
        kind = next(k for k in ("change", "pct", "share", "amount") if m.group(k) is not None)
        if kind == "amount":
            b = _boundary(s, last_end, m.start())
            subject, names, year = _clean_subject(s[b : m.start()], entities)
            fig = _new_figure(section)
            printed = amount_text(m.group("amt"))
            unit = _unit_name(m.group("unit"))
            fig.update(subject=subject, code_names=names, amount=printed, unit=unit, year=year)
            value = parse_amount(m.group("amt"))
            if value is not None:
                fig["value_yuan"] = _plain(to_yuan(value, unit))
            figures.append(fig)
            spans.append([b, m.end()])
            last_end = m.end()
            continue
        fig, slot = _target(figures, kind)
        if fig is None:
            b = _boundary(s, last_end, m.start())
            subject, names, year = _clean_subject(s[b : m.start()], entities)
            fig = _new_figure(section)
            fig.update(subject=subject, code_names=names, year=year)
            figures.append(fig)
            spans.append([b, m.end()])
        else:
            spans[figures.index(fig)][1] = m.end()
        if kind == "share":
            fig["share"] = amount_text(m.group("sval"))
        elif kind == "pct":
            _set_pct(fig, m.group("pdir"), m.group("pval"))
        else:
            _set_change(fig, m)
        last_end = m.end()
    for fig, (a, b) in zip(figures, spans, strict=True):
        fig["text"] = s[a:b].strip(_SEPARATORS + " ")
        _imply_prior(fig)
    return figures


def _target(figures: list[dict[str, Any]], kind: str) -> tuple[dict[str, Any] | None, str]:
    """The latest figure still missing ``kind`` (only the latest one is considered)."""
    if not figures:
        return None, kind
    fig = figures[-1]
    if kind == "share" and fig["share"] is None:
        return fig, kind
    if kind == "pct" and fig["change_pct"] is None:
        return fig, kind
    if kind == "change" and fig["change_direction"] is None and fig["prior_year"] is None:
        return fig, kind
    return None, kind


def _set_pct(fig: dict[str, Any], word: str, value: str) -> None:
    fig["change_pct"] = amount_text(value)
    d = _direction(word)
    if fig["change_direction"] is None:
        fig["change_direction"] = d
    elif fig["change_direction"] != d:
        fig["warnings"].append(
            f"change is {fig['change_direction']} but the percentage says {word}"
        )


def _set_change(fig: dict[str, Any], m: re.Match[str]) -> None:
    py = m.group("py")
    fig["prior_year"] = int(py) if py.isdigit() else None
    fig["prior_basis"] = (m.group("basis") or "").strip() or None
    if py == "上":
        fig["prior_basis"] = "上年" + (fig["prior_basis"] or "")
    if m.group("flat"):
        fig["change_direction"] = "持平"
        fig["change"] = "0"
        fig["change_unit"] = fig["unit"]
    elif m.group("camt") is not None:
        fig["change"] = amount_text(m.group("camt"))
        fig["change_unit"] = _unit_name(m.group("cunit"))
        fig["change_direction"] = _direction(m.group("cdir"))
    else:
        _set_pct(fig, m.group("cpdir"), m.group("cpct"))


def _imply_prior(fig: dict[str, Any]) -> None:
    """prior_amount = amount ∓ change, in the amount's unit."""
    if fig["amount"] is None or fig["change"] is None or fig["unit"] is None:
        return
    amount = Decimal(fig["amount"])
    change = Decimal(fig["change"])
    cu = fig["change_unit"] or fig["unit"]
    if cu != fig["unit"]:
        change = change * UNITS[cu] / UNITS[fig["unit"]]
    direction = fig["change_direction"]
    if direction == "增加":
        prior = amount - change
    elif direction == "减少":
        prior = amount + change
    else:
        prior = amount
    fig["prior_amount"] = str(prior)


_EMPTY_PHRASE = re.compile(
    rf"(?P<reason>(?:(?:{_DIR}|变动|变化)的?(?:主要)?原因(?:主要)?(?:是|为|在于|系)?"
    r"|主要原因(?:是|为|在于|系)?"
    r"|原因(?:主要)?(?:是|为|在于|系))[:：]?)"
    r"|(?P<purpose>主要用于[:：]?)"
    r"|(?P<content>主要包括[:：]?)"
)
_PUNCT_AFTER = "。；;，,！!？?"


def find_empty_reasons(text: str, section: str) -> list[dict[str, Any]]:
    """Explanations left empty: a reason/purpose phrase followed directly by punctuation.

    ``增长原因主要是。`` means the template's blank was never filled in.  Each hit is
    ``{section, kind ("reason"/"purpose"/"content"), phrase, text (the sentence), offset}``
    with ``offset`` into :func:`normalize_text` of ``text``.
    """
    return empty_reasons_in(normalize_text(text), section)


def empty_reasons_in(s: str, section: str) -> list[dict[str, Any]]:
    """:func:`find_empty_reasons` of text already normalised (:func:`normalize_text`)."""
    out: list[dict[str, Any]] = []
    for m in _EMPTY_PHRASE.finditer(s):
        end = m.end()
        if end < len(s) and s[end] not in _PUNCT_AFTER:
            continue
        start = max(s.rfind("。", 0, m.start()), s.rfind("\n", 0, m.start())) + 1
        stop = s.find("。", end)
        stop = len(s) if stop < 0 else stop + 1
        out.append(
            {
                "section": section,
                "kind": m.lastgroup,
                "phrase": m.group(0),
                "text": s[start:stop].strip(),
                "offset": m.start(),
            }
        )
    return out
