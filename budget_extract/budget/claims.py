"""What the prose claims, read so that it can be checked: figures with their comparisons and
shares, and the 决算 statements comparing a 决算数 with its 预算数.

The 情况说明 (and, where the segmenter files it elsewhere, the 概况 text around it) restates
the tables and compares them: ``支出预算361.68万元，比2025年预算增加7.8万元，增长2.2%``,
``全年预算为52.00万元，支出决算为51.32万元，完成全年预算数的98.69%。决算数小于全年预算数``.
Each such statement is a claim a reader may act on; :mod:`.checks.claims` recomputes it.

Two readers, both over a section's normalised text (:class:`~.text.ProseSection`, read
once per document by :func:`~.prose.read_prose`):

* the figures of :func:`~budget_extract.budget.narrative.figures_in` (amount, change,
  change percentage, share, base year), each given the page it is printed on;
* :func:`final_statements`: a small state machine over 预算 amounts (年初/全年/调整预算为X),
  the 决算 amount that follows (支出决算为Y) and the statements about the pair (决算数小于
  全年预算数, 完成年初预算的N%).  A statement is read only when exactly one 决算 amount
  follows the 预算 amounts, so ``…完成预算的P%，其中：因公出国（境）费决算为Z万元，完成预算的
  Q%`` gives no pair for Q (its 预算数 is not in the text).

Placeholders (``大于（小于）``, ``XXX万元``) are not statements: they name no number.
"""

from __future__ import annotations

import re
from typing import Any

from ..numtext import NUMBER_IN_TEXT
from .narrative import figures_in
from .numbers import amount_text
from .text import ProseSection

__all__ = ["dated_statements", "final_statements", "prose_figures"]


def prose_figures(sections: list[ProseSection], entity: str | None
                  ) -> list[tuple[ProseSection, dict[str, Any]]]:
    """Every figure the prose states (:func:`~.narrative.figures_in`), with the section it
    is in, ``page``, ``order`` (its position among all figures, so a later check can look
    back) and ``compared`` (whether its comparison, if any, is surely about its amount: see
    :func:`_compared`)."""
    out: list[tuple[ProseSection, dict[str, Any]]] = []
    for s in sections:
        text = s.body
        cursor = 0
        previous_start: int | None = None
        for fig in figures_in(text, s.heading, entity=entity):
            start = text.find(fig["text"], cursor) if fig["text"] else -1
            if start >= 0:
                cursor = start
            fig["page"] = s.page_of(fig["text"][:24])
            fig["order"] = len(out)
            fig["compared"] = _compared(fig, text, start, previous_start)
            previous_start = start if start >= 0 else None
            out.append((s, fig))
    return out


_COMPARISON = re.compile(r"(?:比|较|与)(?:\d{4}|上)年", re.ASCII)
_CLAUSE_END = "，,；;。：:"
_SENTENCE_END = "；;。"


def _compared(fig: dict[str, Any], text: str, start: int, previous_start: int | None) -> bool:
    """Whether a figure's comparison (比上年增加…) is about the figure's own amount.

    Not when words stand between the last clause break and 比 (``其他收入资金513.00万元；
    收入比2025年增加…``: the 收入's change), nor when the comparison opens a new sentence
    after a list (``…卫生健康支出610.90万元，住房保障支出662.86万元。比2025年增加…``: the
    list's total, not its last item).
    """
    t = fig.get("text") or ""
    m = _COMPARISON.search(t)
    if m is None:
        return True
    before = t[:m.start()]
    k = max(before.rfind(c) for c in _CLAUSE_END)
    if k >= 0 and before[k + 1:].strip():
        return False
    if any(c in before for c in _SENTENCE_END) and start >= 0 and previous_start is not None:
        sentence = max(text.rfind(c, 0, start) for c in _SENTENCE_END)
        if previous_start > sentence:
            return False  # the previous figure is in the same sentence: a list
    return True


_N = NUMBER_IN_TEXT


def _money(name: str) -> str:
    return rf"(?P<{name}>{_N})(?P<{name}u>万元|元|亿元)"


def _which(name: str) -> str:
    return rf"(?P<{name}>年初|全年|调整)?"


_STATEMENT = re.compile(
    rf"(?P<budget>(?P<bw>年初预算|全年预算|调整预算|调整后预算|预算)数?(?:为|是)?{_money('bamt')})"
    rf"|(?P<final>(?:支出)?决算数?(?:为|是)?{_money('famt')})"
    rf"|(?P<rel>决算数?(?P<rword>大于|小于|等于|高于|低于|超过|少于|多于){_which('rk')}"
    r"预算数?(?![（(]))"
    rf"|(?P<flat>决算数?与{_which('fk')}预算数?(?:基本)?(?P<fword>持平|相等|相同|一致))"
    rf"|(?P<rate>完成(?:了)?{_which('ck')}预算数?的?(?P<cp>{_N})%)",
    re.ASCII,
)
_RELATION = {"大于": ">", "高于": ">", "超过": ">", "多于": ">",
             "小于": "<", "低于": "<", "少于": "<", "等于": "=", "持平": "=", "相等": "=",
             "相同": "=", "一致": "="}


def _budget_key(word: str) -> str:
    if word.startswith("年初"):
        return "年初"
    if word.startswith(("全年", "调整")):
        return "全年"
    return "预算"


_CHAIN_END = re.compile(r"[（(][项款类][）)]")
_CN_NUM = "一二三四五六七八九十"
_ENUMERATOR = re.compile(rf"^(?:\d+[、.．]|[（(][\d{_CN_NUM}]+[）)]|[{_CN_NUM}]+、)")


def _subject(s: str, lo: int, hi: int) -> str:
    """What a 预算/决算 pair is about: the last 类/款/项 chain printed since the previous
    pair (``卫生健康支出（类）…（项）``), else the words before the 预算 amount in its
    sentence (``一般公共预算财政拨款支出``)."""
    ends = [m.end() for m in _CHAIN_END.finditer(s, lo, hi)]
    if ends:
        end = ends[-1]
        start = max(s.rfind("。", lo, end), s.rfind("；", lo, end), lo - 1) + 1
        text = s[start:end]
    else:
        start = max(s.rfind("。", lo, hi), s.rfind("，", lo, hi), s.rfind("；", lo, hi),
                    s.rfind("：", lo, hi), lo - 1) + 1
        text = s[start:hi]
    text = re.sub(r"^.*?[：:](?=\d+[、.．])", "", text.strip())
    text = _ENUMERATOR.sub("", text)
    return "".join(ch for ch in text if ch not in "“”\"")


def _sentence(s: str, start: int, end: int) -> str:
    """The sentence around s[start:end] (from the previous 。 to the next)."""
    a = s.rfind("。", 0, start) + 1
    b = s.find("。", end)
    return s[a:(len(s) if b < 0 else b + 1)].strip()


def final_statements(sections: list[ProseSection]) -> list[dict[str, Any]]:
    """The 决算 statements: ``{kind: "relation"|"rate", section, page, text, budgets
    {年初/全年/预算: printed}, budget_unit, final, final_unit, which (年初/全年/None),
    relation (">", "<", "=") or rate (printed percent)}``."""
    out: list[dict[str, Any]] = []
    for sec in sections:
        s = sec.body
        budgets: dict[str, tuple[str, str]] = {}
        finals: list[tuple[str, str]] = []
        first = 0  # where the current 预算 amounts start
        done = 0  # where the previous pair's statements ended
        subject = ""
        for m in _STATEMENT.finditer(s):
            if m.group("budget"):
                if finals or not budgets:
                    budgets, finals, first = {}, [], m.start()
                    subject = _subject(s, done, first)
                budgets[_budget_key(m.group("bw"))] = (amount_text(m.group("bamt")),
                                                       m.group("bamtu"))
                continue
            if m.group("final"):
                finals.append((amount_text(m.group("famt")), m.group("famtu")))
                continue
            if not budgets or len(finals) != 1:
                continue
            done = m.end()
            stmt: dict[str, Any] = {
                "section": sec.heading, "subject": subject,
                "budgets": {k: v[0] for k, v in budgets.items()},
                "budget_units": {k: v[1] for k, v in budgets.items()},
                "final": finals[0][0], "final_unit": finals[0][1],
                "text": s[first:m.end()].strip("，,；;。 "),
                "sentence": _sentence(s, m.start(), m.end()),
            }
            if m.group("rate"):
                stmt.update(kind="rate", which=m.group("ck"), rate=amount_text(m.group("cp")))
            elif m.group("rel"):
                stmt.update(kind="relation", which=m.group("rk"),
                            relation=_RELATION[m.group("rword")], word=m.group("rword"))
            else:
                stmt.update(kind="relation", which=m.group("fk"), relation="=",
                            word=m.group("fword"))
            stmt["page"] = sec.page_of(s[first:first + 24])
            out.append(stmt)
    return out


_HEADING_YEAR = re.compile(r"(\d{4})年", re.ASCII)
_NOT_ONE_YEAR = re.compile(r"比|较|相比|上年|以来|至|[-－—~～]")
_AS_OF = re.compile(r"截[至止](?P<year>\d{4})年(?:\d{1,2}月(?:\d{1,2}日|底|末)?)?[，,]?"
                    r"(?P<what>[^。；]{0,60}?)(?:共有|占有|拥有|资产总额|车辆)", re.ASCII)


def dated_statements(sections: list[ProseSection]) -> list[dict[str, Any]]:
    """The years a reader expects to be the report's: a section heading naming one year
    (``一、关于2026年收支总表的说明``), and the date of the 国有资产 statement (``截至2025年
    12月31日，…共有车辆…``).  ``{kind: "heading"|"as_of", year, text, section, page}``; a
    heading comparing years (比2025年…, 2024—2026年) is no such claim."""
    out: list[dict[str, Any]] = []
    for sec in sections:
        heading = sec.head
        years = set(_HEADING_YEAR.findall(heading))
        if len(years) == 1 and not _NOT_ONE_YEAR.search(heading):
            out.append({"kind": "heading", "year": int(years.pop()), "text": heading,
                        "section": sec.heading, "page": sec.page_of(heading[:24]),
                        "block": sec.start_block})
        s = sec.body
        for m in _AS_OF.finditer(s):
            out.append({"kind": "as_of", "year": int(m.group("year")),
                        "text": _sentence(s, m.start(), m.end()), "section": sec.heading,
                        "page": sec.page_of(s[m.start():m.start() + 24])})
    return out
