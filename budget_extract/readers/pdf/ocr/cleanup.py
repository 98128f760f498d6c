"""Character clean-up for recognised text: what the recogniser confuses in budget tables.

Numeric cells: the letter O (or o, 〇) read for a placeholder or inner 0, l/I/| for 1,
full-width or doubled punctuation, spaces inside a number.  Only text that is a number
once fixed is touched, so a label such as "IT运维" keeps its letters.

Labels: 丶 (a CJK stroke) read for the enumeration comma 、 (一、一般公共预算 …).
"""

from __future__ import annotations

import re

_NUM_TRANS = str.maketrans({"O": "0", "o": "0", "〇": "0", "D": "0", "l": "1", "I": "1",
                            "|": "1", "，": ",", "．": ".", "。": ".", "—": "-", "－": "-"})
_NUMBER = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?%?$")
_NUMBERISH = re.compile(r"^[-+]?[\dOoDlI|〇,，.．。—－\s]+%?$")


def clean_number(text: str) -> str | None:
    """The number ``text`` reads as once the usual confusions are fixed, or None when it
    is not a number (then it is left alone)."""
    t = text.strip()
    if not t or not _NUMBERISH.match(t) or not re.search(r"[\dO〇]", t):
        return None
    fixed = re.sub(r"\s+", "", t).translate(_NUM_TRANS)
    fixed = re.sub(r"[.,]{2,}", ".", fixed).strip(",")
    if re.match(r"^-?\d+,\d{1,2}$", fixed):  # a decimal comma misread for the point
        fixed = fixed.replace(",", ".")
    if re.match(r"^-?\d{1,3}([.,]\d{3})+\.\d+$", fixed):  # 25.908.655988: thousands
        head, _dot, tail = fixed.rpartition(".")  # commas read as points, the last is
        fixed = head.replace(".", ",") + "." + tail  # the decimal point
    return fixed if _NUMBER.match(fixed) else None


_ENUM = re.compile(r"^([0-9一二三四五六七八九十]{1,4})、")
_CJK_DIGIT = str.maketrans("123456789", "一二三四五六七八九")


def clean_label(text: str) -> str:
    """A label with the recogniser's usual CJK confusions fixed: 丶 for 、, and an Arabic
    digit inside a Chinese enumeration (``2十、`` for ``二十、``; a prefix of digits alone,
    ``1、``, is left as printed)."""
    t = text.replace("丶", "、").replace("\u3000", " ").strip()
    m = _ENUM.match(t)
    if m and re.search(r"\d", m.group(1)) and re.search(r"[一二三四五六七八九十]", m.group(1)):
        t = m.group(1).translate(_CJK_DIGIT) + t[len(m.group(1)):]
    return t


def clean_cell(text: str) -> str:
    """A table cell's text: a number if it reads as one, else a label."""
    number = clean_number(text)
    return number if number is not None else clean_label(text)
