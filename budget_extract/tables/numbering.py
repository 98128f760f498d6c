"""A table's number from the 目录 when the page prints none.

The 目录 numbers its entries ``1.`` / ``1、`` (read by the segmenter as the entry's number),
with Chinese ordinals ``一、收入支出决算总表`` (决算 templates; the segmenter keeps these as
part-like lines with no number), or with a caption ``表1 收支总表``.  A table takes the
number of the entry whose title is its own, once the unit name, a leading year and the
ordinal are set aside on both sides.
"""

from __future__ import annotations

import re

from ..segment import TocEntry, norm

CN_ORDINAL = re.compile(r"^(?P<num>[一二三四五六七八九十]{1,3})[、.．]\s*(?P<title>.+)$")
CAPTION_ENTRY = re.compile(r"^(?:附|公开|部门公开|单位公开)?表\s*(?P<num>[0-9０-９]{1,3})"
                           r"\s*[:：.、]?\s*(?P<title>.+)$")


def _cn_int(s: str) -> int:
    digits = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
    if "十" in s:
        tens, _, ones = s.partition("十")
        return digits.get(tens, 1) * 10 + digits.get(ones, 0)
    return digits.get(s, 0)


def entry_number(entry: TocEntry) -> tuple[str, str]:
    """(number, title) of a 目录 entry, reading a Chinese ordinal or ``表N`` when the
    segmenter found no Arabic number; ('', title) when the entry has none."""
    if entry.number:
        return entry.number, entry.title
    t = norm(entry.title)
    m = CN_ORDINAL.match(t)
    if m and _cn_int(m.group("num")):
        return str(_cn_int(m.group("num"))), m.group("title")
    m = CAPTION_ENTRY.match(t)
    if m:
        num = m.group("num").translate(str.maketrans("０１２３４５６７８９", "0123456789"))
        return str(int(num)), m.group("title")
    return "", t


def toc_number(title: str, toc: list[TocEntry], unit_name: str = "") -> str:
    """A table's number from the 目录 entry with the same title ('' when none matches)."""
    if not title:
        return ""

    def key(t: str) -> str:
        t = norm(t)
        if unit_name:
            t = t.replace(norm(unit_name), "")
        return re.sub(r"^\d{4}年度?", "", t)

    want = key(title)
    for e in toc:
        number, entry_title = entry_number(e)
        if number and key(entry_title) == want:
            return number
    return ""
