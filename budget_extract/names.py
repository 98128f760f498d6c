"""File names as printed in messages: control characters escaped.

A file name may hold a newline (``x.pdf\\nerror: y.pdf: …`` would forge an error line),
ANSI escape sequences (which recolour or clear the terminal), bidi overrides (which show
``fdp.exe`` as ``exe.pdf``), or bytes that are not UTF-8 (surrogate escapes, which cannot
even be printed).  Every name the command line prints goes through :func:`shown`.
"""

from __future__ import annotations

import unicodedata

_ESCAPED = {"Cc", "Cf", "Cs", "Zl", "Zp"}
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shown(name: object) -> str:
    """``name`` with control, format, separator and surrogate characters as ``\\n``,
    ``\\xNN`` or ``\\uNNNN`` escapes (a backslash itself stays as it is)."""
    text = str(name)
    if text.isprintable() and text.isascii():
        return text
    out = []
    for ch in text:
        if ch in _SHORT:
            out.append(_SHORT[ch])
        elif 0xDC80 <= ord(ch) <= 0xDCFF:  # a byte that is not UTF-8, as Python keeps it
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        elif unicodedata.category(ch) in _ESCAPED:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def unicode_name(name: str) -> str:
    """A path as text that can be written to JSON, CSV and SQLite: bytes of the name that
    are not UTF-8 (kept by Python as surrogate escapes) as ``\\xNN``.  The file itself is
    still opened by its real name."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
