"""Decoding text inputs: government sites publish UTF-8 (with or without BOM) and GBK/GB18030;
Windows tools save UTF-16 with a BOM."""

from __future__ import annotations

import codecs
import contextlib

from ..errors import ExtractError


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


def utf16_as_utf8(data: bytes) -> bytes:
    """"Unicode" text as Windows Notepad and Word save it (UTF-16 with a BOM) re-encoded
    as UTF-8, so it is sniffed and read like any other text; other bytes unchanged."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode("utf-16").encode("utf-8")
    return data


def source_text(data: bytes, path: str) -> str:
    """A text input's bytes (UTF-8, GB18030 or UTF-16) as text, or :class:`ExtractError`
    for binary data that is none of the supported formats.  (``readers.read_data`` has
    already re-encoded UTF-16 for sniffing and passes that on: here it is then UTF-8, and
    the check below finds no BOM to convert.)"""
    data = utf16_as_utf8(data)
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractError("binary data, not a PDF, Markdown or HTML document", path)
    return decode_text(data)[0]
