"""The bad-input corpus: builders for every broken, odd or hostile file issue 6 names.

Each builder writes one file into a folder and returns its path; nothing here is shipped,
everything is made on the fly by the tests (``tests/test_bad_inputs.py``) so the corpus
never goes stale and never bloats the repository.  PDFs are written by hand (a tiny PDF
writer below: Helvetica for ASCII, non-embedded STSong-Light via UniGB-UCS2-H for CJK,
optional FlateDecode and RC4 encryption), so each one contains exactly the defect it is
named after and nothing else.

:data:`CASES` maps a file name to what the tool must say about it: ``None`` when it must
be extracted, else words the one-line error must contain.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from hashlib import md5
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEED_MD = FIXTURES / "huaibei-hrss-info-center-2026-budget.md"
SEED_HTML = FIXTURES / "huaibei-hrss-info-center-2026-budget.html"
SEED_PDF = FIXTURES / "huaibei-hrss-info-center-2026-budget.pdf"

# --------------------------------------------------------------------------- a PDF writer


@dataclass
class RawStream:
    """A content stream given as its encoded bytes and its /Filter (for hostile streams)."""

    data: bytes
    filter: str = "/FlateDecode"


Content = bytes | RawStream | list[bytes | RawStream]

_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def rc4(key: bytes, data: bytes) -> bytes:
    """RC4, the cipher of the PDF standard security handler revisions 2 and 3."""
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for b in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(b ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def pdf_bytes(pages: list[Content], *, size: tuple[float, float] = (595, 842),
              flate: bool = False, user_password: str | None = None,
              owner_password: str = "owner",
              crop: tuple[float, float, float, float] | None = None) -> bytes:
    """A complete PDF: one page per entry (a content stream, or several), fonts /F1 and /F2.

    ``crop`` gives every page a /CropBox (llx lly urx ury); ``flate`` compresses the
    content streams; ``user_password`` encrypts the file with the
    standard security handler (RC4, 40-bit, revision 2) — ``""`` gives the common
    "encrypted, but opens without a password" file that only restricts printing/copying.
    """
    objs: list[bytes] = []

    def add(body: bytes = b"") -> int:
        objs.append(body)
        return len(objs)

    cat, root = add(), add()
    f1 = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
             b"/Encoding /WinAnsiEncoding >>")
    desc = add(b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
               b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
               b"/CapHeight 880 /StemV 93 >>")
    cid = add(b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
              b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> "
              b"/FontDescriptor %d 0 R /DW 1000 >>" % desc)
    f2 = add(b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light "
             b"/Encoding /UniGB-UCS2-H /DescendantFonts [%d 0 R] >>" % cid)
    streams: dict[int, tuple[bytes, str]] = {}  # object number -> (encoded data, filter)
    kids = []
    w, h = size
    for page in pages:
        parts = page if isinstance(page, list) else [page]
        nums = []
        for part in parts:
            if isinstance(part, RawStream):
                data, filt = part.data, part.filter
            elif flate:
                # zlib's default level: level 9 takes seven times as long on the
                # 6 MB object flood for 3 % fewer bytes
                data, filt = zlib.compress(part, 6), "/FlateDecode"
            else:
                data, filt = part, ""
            nums.append(add())
            streams[nums[-1]] = (data, filt)
        contents = f"{nums[0]} 0 R" if len(nums) == 1 else \
            "[" + " ".join(f"{n} 0 R" for n in nums) + "]"
        box = f"/CropBox [{' '.join(map(str, crop))}] " if crop else ""
        kids.append(add(f"<< /Type /Page /Parent {root} 0 R /MediaBox [0 0 {w} {h}] {box}"
                        f"/Resources << /Font << /F1 {f1} 0 R /F2 {f2} 0 R >> >> "
                        f"/Contents {contents} >>".encode()))
    objs[cat - 1] = f"<< /Type /Catalog /Pages {root} 0 R >>".encode()
    objs[root - 1] = (f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] "
                      f"/Count {len(kids)} >>").encode()
    file_id = md5(b"budget_extract bad input").digest()
    key = None
    trailer_extra = ""
    if user_password is not None:
        perms = -3904  # printing and copying not allowed: what such files usually say
        o = rc4(md5((owner_password.encode() + _PAD)[:32]).digest()[:5],
                (user_password.encode() + _PAD)[:32])
        key = md5((user_password.encode() + _PAD)[:32] + o
                  + perms.to_bytes(4, "little", signed=True) + file_id).digest()[:5]
        enc = add(f"<< /Filter /Standard /V 1 /R 2 /O <{o.hex()}> /U <{rc4(key, _PAD).hex()}> "
                  f"/P {perms} >>".encode())
        trailer_extra = f" /Encrypt {enc} 0 R"
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for num, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{num} 0 obj\n".encode()
        obj_key = b""
        if key is not None:
            obj_key = md5(key + num.to_bytes(3, "little") + b"\0\0").digest()[:10]
            if num != len(objs):  # every string is encrypted, except in /Encrypt itself
                body = re.sub(rb"\(([^()\\]*)\)",
                              lambda m, k=obj_key: b"<" + rc4(k, m.group(1)).hex().encode()
                              + b">",
                              body)
        if num in streams:
            data, filt = streams[num]
            if key is not None:
                data = rc4(obj_key, data)
            filt_entry = f" /Filter {filt}".encode() if filt else b""
            out += b"<< /Length %d%s >>\nstream\n" % (len(data), filt_entry) + data
            out += b"\nendstream"
        else:
            out += body
        out += b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (f"trailer\n<< /Size {len(objs) + 1} /Root {cat} 0 R /ID [<{file_id.hex()}> "
            f"<{file_id.hex()}>]{trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)


def ascii_text(x: float, top: float, text: str, size: float = 10, h: float = 842) -> bytes:
    """Helvetica text placed by its top-left corner (PDF y grows upwards)."""
    return f"BT /F1 {size} Tf {x} {h - top - size} Td ({text}) Tj ET\n".encode()


def cjk_text(x: float, top: float, text: str, size: float = 10, h: float = 842) -> bytes:
    return (f"BT /F2 {size} Tf {x} {h - top - size} Td <{text.encode('utf-16-be').hex()}> "
            "Tj ET\n").encode()


def ruled_table(rows: list[list[str]], xs: list[float], top: float, row_h: float = 20,
                h: float = 842) -> bytes:
    """A grid drawn with stroked lines, one text per cell (CJK font unless ASCII-only)."""
    ys = [top + row_h * i for i in range(len(rows) + 1)]
    s = b"0 G 0.5 w\n"
    for y in ys:
        s += f"{xs[0]} {h - y} m {xs[-1]} {h - y} l S\n".encode()
    for x in xs:
        s += f"{x} {h - ys[0]} m {x} {h - ys[-1]} l S\n".encode()
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                put = ascii_text if text.isascii() else cjk_text
                s += put(xs[c] + 4, ys[r] + 5, text)
    return s


BUDGET_ROWS = [["项目", "合计", "一般公共预算拨款收入", "其他收入"],
               ["合计", "120.00", "100.00", "20.00"],
               ["某单位", "120.00", "100.00", "20.00"]]


def budget_page() -> bytes:
    """One page of a tiny but real 单位预算: title, 收入总表 with its unit, a ruled table."""
    return (cjk_text(150, 60, "某单位2026年单位预算", size=16)
            + cjk_text(50, 100, "收入总表", size=12) + cjk_text(450, 120, "单位：万元")
            + ruled_table(BUDGET_ROWS, [50, 150, 250, 420, 545], 140))


def notice_page() -> bytes:
    """A page that is no budget: a meeting notice with a timetable."""
    return (cjk_text(150, 60, "关于召开年度工作会议的通知", size=16)
            + cjk_text(50, 100, "各科室：现将会议安排通知如下，请准时参加。")
            + ruled_table([["时间", "地点", "内容"], ["周一上午", "三楼会议室", "工作总结"],
                           ["周二下午", "五楼会议室", "工作部署"]], [50, 200, 350, 545], 130))


# --------------------------------------------------------------------------- builders


def _write(folder: Path, name: str, data: bytes) -> Path:
    p = folder / name
    p.write_bytes(data)
    return p


def zero_bytes(folder: Path, name: str = "zero.pdf") -> Path:
    return _write(folder, name, b"")


def random_bytes(folder: Path, name: str = "random.pdf") -> Path:
    return _write(folder, name, random.Random(6).randbytes(8192))


def truncated_pdf(folder: Path, name: str = "truncated.pdf") -> Path:
    data = SEED_PDF.read_bytes()
    return _write(folder, name, data[: len(data) // 2])


def damaged_xref_pdf(folder: Path, name: str = "damaged-xref.pdf") -> Path:
    """The seed PDF with every cross-reference offset wrong and ``startxref`` pointing
    nowhere: the objects are intact, so a reader that rebuilds the table reads it all."""
    data = bytearray(SEED_PDF.read_bytes())
    start = data.rindex(b"startxref")
    xref = int(data[start + 9:].split()[0])
    if data[xref:xref + 4] == b"xref":  # a classic table: scramble its offsets
        end = data.index(b"trailer", xref)
        table = bytes(data[xref:end])
        scrambled = b"\n".join(
            (b"%010d" % (int(ln[:10]) + 7) + ln[10:]) if len(ln) >= 18 and ln[:10].isdigit()
            else ln for ln in table.split(b"\n"))
        data[xref:end] = scrambled
    tail = data.rindex(b"startxref")
    data[tail:] = b"startxref\n999999999\n%%EOF\n"
    return _write(folder, name, bytes(data))


def damaged_xref_lost_objects_pdf(folder: Path, name: str = "damaged-xref-lost.pdf") -> Path:
    """A damaged cross-reference table *and* the page objects overwritten: nothing to
    rebuild from, so the reader must fail, and say the file is damaged."""
    body = pdf_bytes([budget_page()])
    start = body.index(b"/Type /Page ")
    cut = body.rindex(b" obj", 0, start)
    body = body[:cut] + b"X" * 40 + body[cut + 40:]
    return damaged_xref_bytes(folder, name, body)


def damaged_xref_bytes(folder: Path, name: str, data: bytes) -> Path:
    tail = data.rindex(b"startxref")
    xref = int(data[tail + 9:].split()[0])
    data = data[:xref] + b"xref\ngarbage here\n" + data[data.index(b"trailer", xref):tail]
    data += b"startxref\n12\n%%EOF\n"
    return _write(folder, name, data)


def no_tables_pdf(folder: Path, name: str = "no-tables.pdf") -> Path:
    page = (cjk_text(150, 60, "某单位2026年单位预算说明", size=16)
            + cjk_text(50, 100, "本单位没有编制表格，本文只作文字说明。"))
    return _write(folder, name, pdf_bytes([page]))


def not_budget_pdf(folder: Path, name: str = "notice.pdf") -> Path:
    return _write(folder, name, pdf_bytes([notice_page()]))


def budget_pdf(folder: Path, name: str = "tiny-budget.pdf", **kw: object) -> Path:
    return _write(folder, name, pdf_bytes([budget_page()], **kw))  # type: ignore[arg-type]


def image_only_pdf(folder: Path, name: str = "scanned.pdf") -> Path:
    """Two pages that are only pictures (a scan without OCR)."""
    img = zlib.compress(bytes([200]) * (60 * 40 * 3))
    draw = b"q 400 0 0 300 100 400 cm /Im1 Do Q\n"
    data = pdf_bytes([draw, draw], flate=False)
    # give each page the image: an XObject resource beside the fonts
    xobj = (b"<< /Type /XObject /Subtype /Image /Width 60 /Height 40 /ColorSpace /DeviceRGB "
            b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % len(img)
            + img + b"\nendstream")
    return _write(folder, name, _with_image(data, xobj))


def _with_image(pdf: bytes, xobj: bytes) -> bytes:
    """Re-serialise ``pdf`` with one more object (an image) in every page's resources."""
    objs = dict((int(m.group(1)), m.group(2)) for m in
                re.finditer(rb"(\d+) 0 obj\n(.*?)\nendobj\n", pdf, re.S))
    n = max(objs) + 1
    objs[n] = xobj
    for k, body in objs.items():
        if body.startswith(b"<< /Type /Page "):
            objs[k] = body.replace(b"/Resources << ", b"/Resources << /XObject << /Im1 %d 0 R >> "
                                   % n)
    trailer = pdf[pdf.index(b"trailer"):pdf.index(b"startxref")]
    trailer = re.sub(rb"/Size \d+", b"/Size %d" % (n + 1), trailer)
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for k in sorted(objs):
        offsets[k] = len(out)
        out += b"%d 0 obj\n" % k + objs[k] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (n + 1)
    out += b"".join(b"%010d 00000 n \n" % offsets[k] for k in range(1, n + 1))
    out += trailer + b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def encrypted_pdf(folder: Path, name: str, password: str) -> Path:
    """The tiny budget, RC4-encrypted; ``password=""`` opens without one."""
    return budget_pdf(folder, name, user_password=password)


def adler32_combine(adler1: int, adler2: int, len2: int) -> int:
    """The Adler-32 of ``A + B`` from those of ``A`` and of ``B`` (``len2`` bytes long):
    zlib's ``adler32_combine``, which Python's ``zlib`` does not expose."""
    base = 65521
    rem = len2 % base
    s1 = (adler1 & 0xFFFF) + (adler2 & 0xFFFF) + base - 1
    s2 = rem * (adler1 & 0xFFFF) % base + (adler1 >> 16) + (adler2 >> 16) + base - rem
    return (s1 % base) | ((s2 % base) << 16)


def deflate_bomb(inflated: int, chunk: int = 1 << 24, fill: bytes = b" ") -> bytes:
    """A zlib stream that inflates to ``inflated // chunk`` pieces of ``fill * chunk``
    (``inflated`` bytes for a one-byte ``fill``), built without ever holding them: one
    compressed block repeated (each block is flushed with ``Z_FULL_FLUSH``, so identical
    input gives identical output), the checksum computed piecewise."""
    piece = fill * chunk
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    c.compress(piece)
    c.flush(zlib.Z_FULL_FLUSH)  # the first block may differ (fresh state): discard it
    block = c.compress(piece) + c.flush(zlib.Z_FULL_FLUSH)
    n = inflated // chunk
    one = zlib.adler32(piece)
    adler = 1
    for _ in range(n):  # combined, not recomputed: 4 GB of adler32 takes seconds
        adler = adler32_combine(adler, one, chunk)
    end = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)  # an empty last block
    return b"\x78\xda" + block * n + end + adler.to_bytes(4, "big")


def compression_bomb_pdf(folder: Path, name: str = "bomb.pdf",
                         inflated: int = 4 << 30) -> Path:
    """A page whose content stream is ~4 MB on disk and inflates to 4 GB of blanks."""
    page = [budget_page(), RawStream(deflate_bomb(inflated))]
    return _write(folder, name, pdf_bytes([page]))


def chained_bomb_pdf(folder: Path, name: str = "chained-bomb.pdf") -> Path:
    """Flate inflating to 128 MB of RunLength data that would expand 64 times more (8 GB):
    each stage alone stays under the 256 MB budget."""
    rl = deflate_bomb(64 << 20, chunk=1 << 22, fill=b"\x81 ")  # 2 bytes -> 128 blanks
    page = [budget_page(), RawStream(rl, "[/FlateDecode /RunLengthDecode]")]
    return _write(folder, name, pdf_bytes([page]))


def tiny_objects_pdf(folder: Path, name: str = "tiny-objects.pdf", n: int = 300_000) -> Path:
    """One page with ``n`` one-point filled squares (a hostile or broken vector export)."""
    rng = random.Random(3)
    xy = [rng.random() for _ in range(2 * n)]  # random(), not randrange(): 4 times faster
    ops = b"".join(b"%d %d 0.5 0.5 re f\n" % (20 + int(550 * x), 20 + int(800 * y))
                   for x, y in zip(xy[::2], xy[1::2], strict=True))
    return _write(folder, name, pdf_bytes([[budget_page(), ops]], flate=True))


def many_pages_pdf(folder: Path, name: str = "2000-pages.pdf", pages: int = 2000) -> Path:
    """The tiny budget on page 1, then ``pages - 1`` small pages of running text."""
    rest = [cjk_text(50, 100, "第") + ascii_text(62, 100, str(i))
            + cjk_text(90, 100, "页：本页为说明文字，没有表格。") for i in range(2, pages + 1)]
    return _write(folder, name, pdf_bytes([budget_page(), *rest], flate=True))


# ----------------------------------------------------------------- text inputs, odd names

TINY_MD = """# 某单位2026年单位预算

## 收入总表

单位：万元

| 项目 | 合计 | 一般公共预算拨款收入 | 其他收入 |
|---|---|---|---|
| 合计 | 120.00 | 100.00 | 20.00 |
| 某单位 | 120.00 | 100.00 | 20.00 |
"""

TINY_HTML = """<html><head><meta charset="{charset}"><title>某单位2026年单位预算</title></head>
<body><h1>某单位2026年单位预算</h1><h2>收入总表</h2><p>单位：万元</p>
<table border="1">
<tr><th>项目</th><th>合计</th><th>一般公共预算拨款收入</th><th>其他收入</th></tr>
<tr><td>合计</td><td>120.00</td><td>100.00</td><td>20.00</td></tr>
<tr><td>某单位</td><td>120.00</td><td>100.00</td><td>20.00</td></tr>
</table></body></html>
"""


def ragged_md(folder: Path, name: str = "ragged.md") -> Path:
    """Rows with a cell missing and a cell too many: padded and cut, each with a warning."""
    text = TINY_MD.replace("| 合计 | 120.00 | 100.00 | 20.00 |", "| 合计 | 120.00 | 100.00 |")
    text = text.replace("| 某单位 | 120.00 | 100.00 | 20.00 |",
                        "| 某单位 | 120.00 | 100.00 | 20.00 | 多余 |")
    return _write(folder, name, text.encode())


def unclosed_html(folder: Path, name: str = "unclosed.html") -> Path:
    html = TINY_HTML.format(charset="utf-8")
    html = html.replace("</td>", "").replace("</tr>", "").replace("</table></body></html>", "")
    return _write(folder, name, html.encode())


def nested_html(folder: Path, name: str = "nested.html", depth: int = 50_000) -> Path:
    """The tiny budget wrapped in ``depth`` nested ``<div>`` s (past libxml2's limit)."""
    html = TINY_HTML.format(charset="utf-8")
    head, body = html.split("<body>")
    body, tail = body.split("</body>")
    return _write(folder, name, (head + "<body>" + "<div>" * depth + body + "</div>" * depth
                                 + "</body>" + tail).encode())


def gb18030_html(folder: Path, name: str = "gb18030.html") -> Path:
    return _write(folder, name, TINY_HTML.format(charset="gb18030").replace(
        "\n", "\r\n").encode("gb18030"))


def xml_declared_html(folder: Path, name: str = "xhtml-gbk.html") -> Path:
    """XHTML in GBK with an XML declaration naming its encoding."""
    return _write(folder, name, (
        '<?xml version="1.0" encoding="GBK"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 '
        'Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
        + TINY_HTML.format(charset="gbk").replace("<html>", '<html xmlns="http://www.w3.org/'
                                                  '1999/xhtml">')).encode("gbk"))


def utf16_html(folder: Path, name: str = "utf16.html") -> Path:
    """HTML saved as "Unicode" by Windows tools: UTF-16 LE with a BOM."""
    return _write(folder, name, TINY_HTML.format(charset="utf-16").encode("utf-16"))


def utf16_md(folder: Path, name: str = "utf16.md") -> Path:
    return _write(folder, name, TINY_MD.replace("\n", "\r\n").encode("utf-16-be")
                  .join([b"\xfe\xff", b""]))


def bom_md(folder: Path, name: str = "bom.md") -> Path:
    return _write(folder, name, b"\xef\xbb\xbf" + TINY_MD.encode())


def gbk_crlf_md(folder: Path, name: str = "gbk-crlf.md") -> Path:
    return _write(folder, name, TINY_MD.replace("\n", "\r\n").encode("gbk"))


def wrong_extension(folder: Path) -> dict[str, tuple[Path, str]]:
    """Every real format under every other supported extension: name -> (path, format)."""
    real = {"pdf": pdf_bytes([budget_page()]), "html": TINY_HTML.format(charset="utf-8").encode(),
            "markdown": TINY_MD.encode()}
    names = {"pdf": ["pdf-as.md", "pdf-as.html", "pdf-as.txt"],
             "html": ["html-as.md", "html-as.pdf", "html-as.txt"],
             "markdown": ["md-as.html", "md-as.pdf", "md-as.htm"]}
    return {n: (_write(folder, n, real[fmt]), fmt) for fmt in names for n in names[fmt]}


ESCAPING_NAMES = ["..\\..\\evil.md", "a:b*c?.md", "line\nbreak.md", "...md", " .md",
                  "∕etc∕passwd.md", "con.md"]
"""File names that try to escape the output folder or upset a file system (each holds the
tiny budget); the outputs must land inside OUTDIR under a sanitised stem."""


@dataclass
class Case:
    """One corpus file: how to build it and what ``extract`` must say about it."""

    build: Callable[[Path], Path]
    error: tuple[str, ...] | None  # words of the one-line error, or None: extracted
    note: str = ""


CASES: dict[str, Case] = {
    "zero": Case(zero_bytes, ("empty",)),
    "random": Case(random_bytes, ("not a PDF",)),
    "truncated": Case(truncated_pdf, ("truncated",)),
    "damaged-xref": Case(damaged_xref_pdf, None, "cross-reference table rebuilt"),
    "damaged-xref-lost": Case(damaged_xref_lost_objects_pdf, ("damaged",)),
    "no-tables": Case(no_tables_pdf, ("no tables found",)),
    "not-budget": Case(not_budget_pdf, ("not a budget", "预算")),
    "scanned": Case(image_only_pdf, ("no text layer", "OCR")),
    "ragged": Case(ragged_md, None, "padded/cut with warnings"),
    "unclosed": Case(unclosed_html, None),
    "nested": Case(nested_html, None),
    "gb18030-html": Case(gb18030_html, None),
    "xhtml-gbk": Case(xml_declared_html, None),
    "bom-md": Case(bom_md, None),
    "utf16-html": Case(utf16_html, None),
    "utf16-md": Case(utf16_md, None),
    "gbk-crlf-md": Case(gbk_crlf_md, None),
    "encrypted-empty": Case(lambda d: encrypted_pdf(d, "encrypted-empty.pdf", ""), None),
    "encrypted": Case(lambda d: encrypted_pdf(d, "encrypted.pdf", "s3cret"),
                      ("password-protected", "--password")),
}
"""The quick cases (each builds in milliseconds and reads in well under a second)."""



def _with_resources(pages: list[Content], extra: Callable[[int], list[bytes]],
                    resources: Callable[[int], bytes]) -> bytes:
    """:func:`pdf_bytes` with objects ``extra(n)`` appended (``n``: the first one's number)
    and ``resources(n)`` added to every page's /Resources (a ``/Font << … >>`` entry joins
    the page's own fonts)."""
    base = pdf_bytes(pages)
    objs = {int(m.group(1)): m.group(2)
            for m in re.finditer(rb"(\d+) 0 obj\n(.*?)\nendobj\n", base, re.S)}
    first = max(objs) + 1
    for i, body in enumerate(extra(first)):
        objs[first + i] = body
    res = resources(first)
    for k, v in objs.items():
        if b"/Type /Page " in v:
            objs[k] = (v.replace(b"/Font << ", res[:-2]) if res.startswith(b"/Font << ")
                       else v.replace(b"/Resources << ", b"/Resources << " + res + b" "))
    root = re.search(rb"/Root (\d+) 0 R", base).group(1)  # type: ignore[union-attr]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for k in sorted(objs):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % k + objs[k] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %s 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, root, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def cmap_bomb_pdf(folder: Path, name: str = "cmap-bomb.pdf") -> Path:
    """A budget page plus a font whose ToUnicode CMap (2 KB) maps forty ranges of 2^24
    4-byte codes each: 670 million entries for pdfminer to expand."""
    ranges = b"".join(b"<%08X> <%08X> <4E00>\n" % (i << 24, (i << 24) | 0xFFFFFF)
                      for i in range(40))
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            b"/CMapName /Bomb def 1 begincodespacerange <00000000> <FFFFFFFF> "
            b"endcodespacerange\n40 beginbfrange\n" + ranges
            + b"endbfrange\nendcmap CMapName currentdict /CMap defineresource pop end end\n")
    data = _with_resources(
        [[budget_page(), b"BT /F3 10 Tf 100 100 Td (AB) Tj ET"]],
        lambda n: [_stream(cmap), b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                   b"/ToUnicode %d 0 R >>" % n],
        lambda n: b"/Font << /F3 %d 0 R >>" % (n + 1))
    return _write(folder, name, data)


def form_fanout_pdf(folder: Path, name: str = "form-fanout.pdf", depth: int = 12,
                    fan: int = 10) -> Path:
    """A budget page that draws form 0, which draws form 1 ``fan`` times, … down to a
    form drawing a line and a digit: ``fan ** (depth - 1)`` drawings in 5 KB."""
    def forms(n: int) -> list[bytes]:
        out = []
        for d in range(depth):
            if d < depth - 1:
                body = b"/X Do\n" * fan
                res = b"/Resources << /XObject << /X %d 0 R >> >> " % (n + d + 1)
            else:
                body = b"0 0 m 1 1 l S BT /F1 1 Tf (1) Tj ET"
                res = b"/Resources << /Font << /F1 3 0 R >> >> "
            out.append(_stream(body, b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] "
                               + res))
        return out

    data = _with_resources([[budget_page(), b"q /X0 Do Q"]], forms,
                           lambda n: b"/XObject << /X0 %d 0 R >>" % n)
    return _write(folder, name, data)


def noop_stream_pdf(folder: Path, name: str = "noop.pdf", megabytes: int = 200) -> Path:
    """A budget page plus a content stream of ``megabytes`` MB of ``q Q`` (save and
    restore the graphics state: nothing painted), 200 KB on disk for 200 MB."""
    noop = deflate_bomb((megabytes << 20) // 4, chunk=1 << 20, fill=b"q Q ")
    return _write(folder, name, pdf_bytes([[budget_page(), RawStream(noop)]]))


def slow_page_pdf(folder: Path, name: str = "slow-page.pdf", n: int = 90_000) -> Path:
    """Page 1: ``n`` one-point characters scattered over the page (under the object cap;
    6 s with PDFium, 13 s with pdfplumber, almost all of it spent on the page);
    page 2: the tiny budget."""
    rng = random.Random(1)
    ops = b"BT /F1 1 Tf " + b"".join(
        b"1 0 0 1 %d %d Tm (.) Tj\n" % (20 + rng.randrange(550), 20 + rng.randrange(800))
        for _ in range(n)) + b"ET\n"
    return _write(folder, name, pdf_bytes([[cjk_text(50, 60, "说明"), ops], budget_page()],
                                          flate=True))


def many_cmaps_pdf(folder: Path, name: str = "many-cmaps.pdf", fonts: int = 40,
                   codes: int = 1 << 16) -> Path:
    """A budget page plus ``fonts`` fonts, each with its own ToUnicode CMap of ``codes``
    codes (one ``bfrange`` line over a 3-byte code space; each map alone is under the
    per-map cap), each drawn once."""
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            b"/CMapName /Many def 1 begincodespacerange <000000> <FFFFFF> "
            b"endcodespacerange\n1 beginbfrange\n<000000> <%06X> <4E00>\n"
            b"endbfrange\nendcmap CMapName currentdict /CMap defineresource pop end end\n"
            % (codes - 1))
    draw = b"".join(b"BT /C%d 10 Tf %d 30 Td (A) Tj ET\n" % (i, 50 + 12 * i)  # below the table
                    for i in range(fonts))
    data = _with_resources(
        [[budget_page(), draw]],
        lambda n: [_stream(cmap)] + [
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode %d 0 R >>" % n
            for _ in range(fonts)],
        lambda n: b"/Font << " + b"".join(b"/C%d %d 0 R " % (i, n + 1 + i)
                                          for i in range(fonts)) + b">>")
    return _write(folder, name, data)


def _xref_stream_pdf(objs: dict[int, bytes], packed: list[int], root: int) -> bytes:
    """A PDF 1.5 file of ``objs`` (number -> body), those in ``packed`` inside one Flate
    object stream, found through a cross-reference stream (as office suites write)."""
    stm = max(objs) + 1
    xref = stm + 1
    bodies = [objs[k] for k in packed]
    offsets, at = [], 0
    for b in bodies:
        offsets.append(at)
        at += len(b) + 1
    header = b" ".join(b"%d %d" % (k, o) for k, o in zip(packed, offsets, strict=True)) + b"\n"
    data = zlib.compress(header + b"".join(b + b"\n" for b in bodies))
    out = bytearray(b"%PDF-1.5\n")
    where: dict[int, int] = {}
    for k in sorted(objs):
        if k in packed:
            continue
        where[k] = len(out)
        out += b"%d 0 obj\n" % k + objs[k] + b"\nendobj\n"
    where[stm] = len(out)
    out += (b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\n"
            b"stream\n" % (stm, len(packed), len(header), len(data)) + data
            + b"\nendstream\nendobj\n")
    rows = [b"\x00\x00\x00\x00\x00\xff\xff"]
    for k in range(1, xref + 1):
        if k in packed:
            rows.append(b"\x02" + stm.to_bytes(4, "big") + packed.index(k).to_bytes(2, "big"))
        elif k == xref:
            rows.append(b"\x01" + len(out).to_bytes(4, "big") + b"\x00\x00")
        else:
            rows.append(b"\x01" + where[k].to_bytes(4, "big") + b"\x00\x00")
    table = b"".join(rows)
    start = len(out)
    out += (b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root %d 0 R /Length %d >>\n"
            b"stream\n" % (xref, xref + 1, root, len(table)) + table
            + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % start)
    return bytes(out)


def form_fanout_objstm_pdf(folder: Path, name: str = "fanout-objstm.pdf", depth: int = 12,
                           fan: int = 10) -> Path:
    """:func:`form_fanout_pdf` with each form's ``/Resources`` an indirect dictionary kept
    in a compressed object stream: the fan-out cannot be seen in the file's raw bytes."""
    base = pdf_bytes([[budget_page(), b"q /X0 Do Q"]])
    objs = {int(m.group(1)): m.group(2)
            for m in re.finditer(rb"(\d+) 0 obj\n(.*?)\nendobj\n", base, re.S)}
    root = int(re.search(rb"/Root (\d+) 0 R", base).group(1))  # type: ignore[union-attr]
    forms = [max(objs) + 1 + d for d in range(depth)]
    res = [forms[-1] + 1 + d for d in range(depth)]
    for d in range(depth):
        if d < depth - 1:
            body = b"/X Do\n" * fan
            objs[res[d]] = b"<< /XObject << /X %d 0 R >> >>" % forms[d + 1]
        else:
            body = b"0 0 m 1 1 l S BT /F1 1 Tf (1) Tj ET"
            objs[res[d]] = b"<< /Font << /F1 3 0 R >> >>"
        objs[forms[d]] = _stream(body, b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] "
                                       b"/Resources %d 0 R " % res[d])
    for k, v in objs.items():
        if b"/Type /Page " in v:
            objs[k] = v.replace(b"/Resources << ", b"/Resources << /XObject << /X0 %d 0 R >> "
                                % forms[0])
    return _write(folder, name, _xref_stream_pdf(objs, res, root))
