"""Form XObject fan-out, bounded on the raw bytes before PDFium loads a page.

A form XObject may draw other forms: twelve forms, each drawing the next ten times, is a
3 KB file whose page holds 10^11 drawings.  PDFium expands every drawing when it loads
the page, before its objects can be counted, and aborts the process when memory runs
out (11 s and 4 GB, then SIGABRT).  pdfminer expands them one by one and meets the
per-page object limit within seconds.  So a file whose forms could fan out past
:data:`~.guards.MAX_PAGE_OBJECTS` drawings is read by pdfplumber.

The bound is an upper one: a form's cost is one plus the number of ``Do`` operators in
its content times the highest cost of the forms its dictionary can reach (directly, or
through dictionaries it refers to: an indirect ``/Resources``).  Dictionaries packed in
compressed object streams (``/Type /ObjStm``, as office suites write PDF 1.5) are inflated,
bounded by :data:`MAX_OBJSTM_TOTAL`, and followed too; an object stream that cannot be read
here leaves the file to pdfplumber.  Real files have few forms (fewer than two: the check
stops at once), each drawn once or a few times; they stay far below the limit.
"""

from __future__ import annotations

import re

from . import guards
from .rawpdf import inflate, objects

_REF = re.compile(rb"(?<![0-9])(\d+)\s+\d+\s+R\b")
_FORM = re.compile(rb"/Subtype\s*/Form\b")
_DO = re.compile(rb"/[^\s/\[\]()<>{}%]+\s*Do(?![A-Za-z0-9])")
_OBJSTM = re.compile(rb"/Type\s*/ObjStm\b")
_N = re.compile(rb"/N\s+(\d+)")
_FIRST = re.compile(rb"/First\s+(\d+)")
MAX_FORM_CONTENT = 16 << 20
"""Bytes of one form's content inflated to count its ``Do`` operators; a form past it
counts as unknown (past the limit if it can reach another form)."""
MAX_OBJSTM_TOTAL = 64 << 20
"""Bytes of compressed object streams inflated, all together, to find the dictionaries a
form refers to; a file past it is left to pdfplumber (real files hold a few hundred KB)."""


class _Unknown(Exception):
    """The file's objects cannot all be read here: count it as past the limit."""


def form_fanout_exceeds(data: bytes, limit: int = guards.MAX_PAGE_OBJECTS) -> bool:
    """Whether some form XObject of ``data`` could expand to more than ``limit`` drawings."""
    if len(_FORM.findall(data, 0)) < 2:  # one form draws at most its own Do count
        return False
    heads: dict[int, bytes] = {}  # object number -> its dictionary (up to "stream")
    bodies: dict[int, bytes] = {}  # form object number -> its raw stream data
    packed: list[tuple[bytes, bytes]] = []  # object streams: (dictionary, raw data)
    for num, head, raw in objects(data):
        heads[num] = head
        if raw is not None and _FORM.search(head):
            bodies[num] = raw
        elif raw is not None and _OBJSTM.search(head):
            packed.append((head, raw))
    try:
        _unpack(packed, heads)
    except _Unknown:
        return True
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


def _unpack(packed: list[tuple[bytes, bytes]], heads: dict[int, bytes]) -> None:
    """Add the objects kept in compressed object streams (``/Type /ObjStm``: dictionaries
    an office suite packs together, a form's ``/Resources`` among them) to ``heads``;
    inflating stops at :data:`MAX_OBJSTM_TOTAL` in all.  Raises :class:`_Unknown` for an
    object stream that cannot be read here (another filter, damaged, too big)."""
    room = MAX_OBJSTM_TOTAL
    for head, raw in packed:
        content = _decoded(head, raw, room)
        n, first = _N.search(head), _FIRST.search(head)
        if content is None or n is None or first is None:
            raise _Unknown
        room -= len(content)
        start = int(first.group(1))
        nums = [int(x) for x in content[:start].split()]
        pairs = list(zip(nums[0::2], nums[1::2], strict=False))[:int(n.group(1))]
        for i, (num, offset) in enumerate(pairs):
            end = pairs[i + 1][1] if i + 1 < len(pairs) else len(content) - start
            heads.setdefault(num, content[start + offset:start + end])


def _decoded(head: bytes, raw: bytes, cap: int) -> bytes | None:
    """A stream's data: raw, or inflated (at most ``cap`` bytes) if Flate-encoded; None
    when it cannot be read here (other or chained filters, damaged data, past ``cap``)."""
    if b"/Filter" not in head:
        return raw if len(raw) <= cap else None
    if b"Flate" not in head or b"[" in head.split(b"/Filter", 1)[1][:4]:
        return None
    return inflate(raw, cap)


def _content(head: bytes, raw: bytes) -> bytes | None:
    """A form's content, or None when it cannot be read here (:func:`_decoded`)."""
    return _decoded(head, raw, MAX_FORM_CONTENT)
