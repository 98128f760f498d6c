"""Decoding text inputs: government sites publish UTF-8 (with or without BOM) and GBK/GB18030."""

from __future__ import annotations

import codecs


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (BOM stripped) or, failing that, GB18030; return (text, encoding).

    GB18030 is a superset of GBK and GB2312, so one fallback covers the common Chinese
    encodings.  Line ends are normalised to ``\\n`` so CRLF files read like any other.
    """
    if data.startswith(codecs.BOM_UTF8):
        text, enc = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8-sig"
    else:
        try:
            text, enc = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, enc = data.decode("gb18030"), "gb18030"
            except UnicodeDecodeError:
                text, enc = data.decode("utf-8", errors="replace"), "utf-8 (with errors)"
    return text.replace("\r\n", "\n").replace("\r", "\n"), enc
