"""Form XObject fan-out, bounded on the raw bytes before PDFium loads a page.

A form XObject may draw other forms: twelve forms, each drawing the next ten times, is a
3 KB file whose page holds 10^11 drawings.  PDFium expands every drawing when it loads
the page, before its objects can be counted, and aborts the process when memory runs
out (11 s and 4 GB, then SIGABRT).  pdfminer expands them one by one and meets the
per-page object limit within seconds.  So a file whose forms could fan out past
:data:`~.guards.MAX_PAGE_OBJECTS` drawings is read by pdfplumber.

The bound is an upper one: a form's cost is one plus the number of ``Do`` operators in
its content times the highest cost of the forms its dictionary can reach (directly, or
through dictionaries it refers to: an indirect ``/Resources``).  Real files have few
forms, each drawn once or a few times; they stay far below the limit.
"""

from __future__ import annotations

import re
import zlib

from . import guards

_OBJ = re.compile(rb"(?<![0-9])(\d+)\s+(\d+)\s+obj\b")
_REF = re.compile(rb"(?<![0-9])(\d+)\s+\d+\s+R\b")
_FORM = re.compile(rb"/Subtype\s*/Form\b")
_DO = re.compile(rb"/[^\s/\[\]()<>{}%]+\s*Do(?![A-Za-z0-9])")
_STREAM = re.compile(rb"stream(?:\r\n|\n|\r)")
MAX_FORM_CONTENT = 16 << 20
"""Bytes of one form's content inflated to count its ``Do`` operators."""


def form_fanout_exceeds(data: bytes, limit: int = guards.MAX_PAGE_OBJECTS) -> bool:
    """Whether some form XObject of ``data`` could expand to more than ``limit`` drawings."""
    if len(_FORM.findall(data, 0)) < 2:  # one form draws at most its own Do count
        return False
    heads: dict[int, bytes] = {}  # object number -> its dictionary (up to "stream")
    bodies: dict[int, bytes] = {}  # form object number -> its raw stream data
    starts = list(_OBJ.finditer(data))
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(data)
        chunk = data[m.end():end]
        s = _STREAM.search(chunk)
        head = chunk if s is None else chunk[:s.start()]
        num = int(m.group(1))
        heads[num] = head
        if s is not None and _FORM.search(head):
            stop = chunk.find(b"endstream", s.end())
            bodies[num] = chunk[s.end():stop if stop >= 0 else len(chunk)]
    cost: dict[int, int] = {}

    def reachable_forms(num: int) -> set[int]:
        seen, todo, forms = {num}, [num], set()
        while todo:
            for r in _REF.findall(heads.get(todo.pop(), b"")):
                n = int(r)
                if n in seen:
                    continue
                seen.add(n)
                if n in bodies:
                    forms.add(n)
                elif n in heads:
                    todo.append(n)  # a dictionary in between: an indirect /Resources
        return forms

    def form_cost(num: int) -> int:
        if num in cost:
            return cost[num]
        cost[num] = 1  # a cycle: PDFium stops recursion, count it once
        content = _content(heads[num], bodies[num])
        children = [form_cost(f) for f in reachable_forms(num) if f != num]
        if content is None:  # cannot count its Do operators: bounded only if it draws no form
            cost[num] = limit + 1 if children else 1
        else:
            calls = len(_DO.findall(content))
            cost[num] = min(1 + calls * max(children, default=1), limit + 1)
        return cost[num]

    try:
        return any(form_cost(n) > limit for n in bodies)
    except RecursionError:  # thousands of forms chained: no real file is built so
        return True


def _content(head: bytes, raw: bytes) -> bytes | None:
    """A form's content: raw, or inflated (bounded) if Flate-encoded; None when it cannot
    be read here (other or chained filters, damaged data)."""
    if b"/Filter" not in head:
        return raw
    if b"Flate" not in head or b"[" in head.split(b"/Filter", 1)[1][:4]:
        return None
    d = zlib.decompressobj()
    try:
        return d.decompress(raw, MAX_FORM_CONTENT)
    except zlib.error:
        return None
