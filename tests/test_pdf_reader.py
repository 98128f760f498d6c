"""PDF reader stage: ruled tables with spans, paragraphs, page numbers, errors.

Expected values come from reading the fixture pages (their printed text and drawn
rulings), not from this reader's output.  Synthetic PDFs are written by a tiny writer
below (Helvetica for ASCII, non-embedded STSong-Light via UniGB-UCS2-H for CJK).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from hashlib import md5
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium  # a dependency: a broken install fails, never skips
import pytest
from bad_inputs import _PAD  # the PDF security handler's padding, shared with the corpus
from bad_inputs import rc4 as _rc4

from budget_extract.errors import ExtractError
from budget_extract.model import Block, Grid, GridCell
from budget_extract.readers import read
from budget_extract.readers.pdf.drawing import rect_segments
from budget_extract.readers.pdf.page import is_page_number
from budget_extract.readers.pdf.page_model import Char, Segment
from budget_extract.readers.pdf.plumber import PdfplumberBackend
from budget_extract.readers.pdf.ruled import extract_ruled_tables
from budget_extract.readers.pdf.textlines import cell_text, line_text

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SHANGWU = FIXTURES / "上海市普陀区商务委员会2025年部门预算.pdf"
WANLI = FIXTURES / "上海市普陀区人民政府万里街道办事处2025年部门预算.pdf"

AMOUNT = re.compile(r"^(\d{1,3}(,\d{3})+(\.\d+)?|\d+\.\d{2})$")


@pytest.fixture(scope="module")
def shangwu(pdf_read):
    return pdf_read(SHANGWU)


@pytest.fixture(scope="module")
def wanli(pdf_read):
    return pdf_read(WANLI)


def page_blocks(src, n: int) -> list[Block]:
    return [b for b in src.blocks if b.page == n]


def tables(src, n: int) -> list[Grid]:
    return [b.grid for b in page_blocks(src, n) if b.kind == "table" and b.grid]


def find_cell(grid: Grid, text: str) -> GridCell:
    hits = [c for c in grid.cells if c.text == text]
    assert len(hits) == 1, f"{text!r}: {len(hits)} cells"
    return hits[0]


def row_texts(grid: Grid) -> list[list[str]]:
    return grid.text_rows()


# --------------------------------------------------------------------------- real fixtures


def test_source_identity(shangwu):
    assert shangwu.format == "pdf"
    assert shangwu.pages == 26
    assert shangwu.sha256 == hashlib.sha256(SHANGWU.read_bytes()).hexdigest()
    # pages 3 and 4 draw the 主要职能 text running over the page break whole on both
    # pages: 19 characters below page 3 (“13、完成区委、区政府交办的其他任务。”, shown
    # on page 4) and 656 above page 4 (items 1-7, shown on page 3) are not on the page
    assert shangwu.warnings == ["hidden text not read: 675 character(s) outside the page's "
                                "visible area on pages 3-4 (a viewer does not show them)"]


def test_shangwu_p10_income_table(shangwu):
    blocks = page_blocks(shangwu, 10)
    (grid,) = tables(shangwu, 10)
    assert grid.ruled and grid.page == 10
    assert grid.n_cols == 9

    xiangmu = find_cell(grid, "项目")
    assert (xiangmu.row, xiangmu.col, xiangmu.colspan) == (0, 0, 4)
    shouru = find_cell(grid, "收入预算")
    assert (shouru.row, shouru.col, shouru.colspan) == (0, 4, 5)

    code = find_cell(grid, "功能分类科目编码")
    assert code.colspan == 3 and code.rowspan == 1
    below = row_texts(grid)[code.row + 1]
    assert below[code.col : code.col + 3] == ["类", "款", "项"]
    name = find_cell(grid, "功能分类科目名称")
    assert name.rowspan == 2 and name.col == code.col + 3
    # 事业单位/经营收入 is printed on two lines inside one cell
    stacked = find_cell(grid, "事业单位经营收入")
    assert stacked.rowspan == 2

    rows = row_texts(grid)
    assert ["201", "13", "01", "行政运行", "9,389,913.00", "9,389,913.00", "", "", ""] in rows
    assert ["201", "", "", "一般公共服务支出", "21,601,733.00", "21,601,733.00", "", "", ""] in rows
    assert rows[-1][:4] == ["208", "05", "05", "机关事业单位基本养老保险缴费支出"]
    cell = find_cell(grid, "行政运行")
    assert cell.page == 10 and cell.bbox is not None
    x0, top, x1, bottom = cell.bbox
    assert 150 < x0 < 165 and 355 < x1 < 365 and x0 < x1 and top < bottom

    # title and 编制部门 / 单位 lines are paragraphs above the table
    table_i = next(i for i, b in enumerate(blocks) if b.kind == "table")
    above = [b.text for b in blocks[:table_i] if b.kind == "paragraph"]
    assert above == ["2025年部门收入预算总表", "编制部门：上海市普陀区商务委员会", "单位：元"]
    assert all(b.bbox[3] <= grid.bbox[1] for b in blocks[:table_i])


def test_shangwu_p21_sangong_three_level_header(shangwu):
    (grid,) = tables(shangwu, 21)
    assert grid.n_cols == 7 and grid.n_rows == 4
    top = find_cell(grid, "“三公”经费预算数")
    assert (top.row, top.col, top.colspan) == (0, 0, 6)
    yunxing = find_cell(grid, "机关运行经费预算数")
    assert (yunxing.col, yunxing.rowspan) == (6, 3)
    car = find_cell(grid, "公务用车购置及运行费")
    assert car.colspan == 3 and car.row == 1
    assert row_texts(grid)[2][car.col : car.col + 3] == ["小计", "购置费", "运行费"]
    owner = grid.owner_matrix()
    body = row_texts(grid)[3]

    def under(header: str) -> str:
        h = find_cell(grid, header)
        return body[h.col]

    assert under("合计") == "1.00"
    assert under("因公出国(境)费") == ""
    assert under("公务接待费") == "1.00"
    assert under("机关运行经费预算数") == "171.01"
    assert body[car.col : car.col + 3] == ["", "", ""]
    assert owner[3][6].text == "171.01"


def test_wanli_p18_closing_total_row(wanli):
    blocks = page_blocks(wanli, 18)
    assert [b.kind for b in blocks] == ["table"]
    (grid,) = tables(wanli, 18)
    assert grid.n_rows == 1
    assert row_texts(grid)[0] == ["合计", "189,767,551", "101,341,746", "88,425,805"]


def test_wanli_p17_continuation_without_header(wanli):
    (grid,) = tables(wanli, 17)
    rows = row_texts(grid)
    assert grid.n_cols == 7
    assert rows[0] == ["212", "", "", "城乡社区支出", "154,369,326", "77,381,546", "76,987,780"]
    assert rows[-1] == ["221", "03", "99", "其他城乡社区住宅支出", "2,177,200", "0", "2,177,200"]
    assert [b.kind for b in page_blocks(wanli, 17)] == ["table"]


def test_wanli_p21_repeated_header(wanli):
    (grid,) = tables(wanli, 21)
    assert find_cell(grid, "功能分类科目编码").colspan == 3
    assert ["204", "06", "07", "公共法律服务", "300,000", "0", "300,000"] in row_texts(grid)


def test_blank_side_rows_keep_their_cells(wanli):
    (grid,) = tables(wanli, 9)
    rows = row_texts(grid)
    assert ["", "", "八、城乡社区支出", "154,369,326"] in rows
    assert rows[-1] == ["收入总计", "189,767,551", "支出总计", "189,767,551"]
    assert rows[0] == ["本年收入", "", "本年支出", ""]


@pytest.mark.parametrize("path", [SHANGWU, WANLI], ids=["shangwu", "wanli"])
def test_every_amount_in_exactly_one_cell(path, request):
    src = request.getfixturevalue("shangwu" if path == SHANGWU else "wanli")
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            tokens = Counter(t for t in page.extract_text().split() if AMOUNT.match(t))
            cells = Counter(c.text for g in tables(src, page.page_number) for c in g.cells)
            paras = [b.text for b in page_blocks(src, page.page_number) if b.kind == "paragraph"]
            for tok, n in tokens.items():
                assert cells[tok] == n, (page.page_number, tok)
            for p in paras:
                assert not any(AMOUNT.match(t) for t in p.split()), (page.page_number, p)


def test_text_pages_are_paragraphs(shangwu):
    blocks = page_blocks(shangwu, 2)
    assert all(b.kind == "paragraph" for b in blocks)  # white cell backgrounds are no table
    texts = [b.text for b in blocks]
    assert texts[0] == "目 录"
    assert "1. 2025年部门财务收支预算总表" in texts
    assert "9．2025年部门“三公”经费和机关运行经费预算表" in texts
    p22 = [b.text for b in page_blocks(shangwu, 22)]
    assert "2025年上海市普陀区商务委员会财政拨款的机关运行经费预算为171.01万元。" in p22


def test_blocks_in_reading_order(shangwu):
    for n in range(1, 27):
        tops = [b.bbox[1] for b in page_blocks(shangwu, n)]
        assert tops == sorted(tops), n


# --------------------------------------------------------------------------- seed PDFs
# Rendered from fixtures/huaibei-hrss-info-center-2026-budget.html (the source of truth for
# the expected structure below); page numbers ``- N -`` sit in the footer.

HUAIBEI = FIXTURES / "huaibei-hrss-info-center-2026-budget.pdf"
HUAIBEI_UNRULED = FIXTURES / "huaibei-hrss-info-center-2026-budget-unruled.pdf"


def test_huaibei_income_table_19_columns_three_header_rows(pdf_read):
    src = pdf_read(HUAIBEI)
    page = next(b.page for b in src.blocks if b.text == "单位公开表2")
    (grid,) = tables(src, page)
    assert grid.n_cols == 19
    spans = {(c.text, c.rowspan, c.colspan) for c in grid.cells if c.row == 0}
    assert spans == {
        ("部门（单位）名称", 3, 1),
        ("合计", 3, 1),
        ("本年收入", 1, 11),
        ("上年结转结余", 1, 6),
    }
    assert find_cell(grid, "事业单位经营收入").row == 2
    assert sorted((c.colspan, c.rowspan) for c in grid.cells if c.text == "单位资金") == [
        (1, 2),
        (6, 1),
    ]
    body = row_texts(grid)[-1]
    assert body[0] == "淮北市人力资源和社会保障局信息中心"
    assert body[1:4] == ["361.68", "361.68", "358.58"]
    assert body[7] == "3.1" and body[12] == "3.1"
    # the footer page number is gone, everywhere
    assert not any(re.fullmatch(r"-\s*\d+\s*-", b.text) for b in src.blocks)


def test_huaibei_unruled_table_from_text_alignment(pdf_read):
    src = pdf_read(HUAIBEI_UNRULED)
    page = next(b.page for b in src.blocks if b.text == "单位公开表5")
    (grid,) = tables(src, page)
    assert not grid.ruled
    rows = row_texts(grid)
    assert ["2050899", "其他进修及培训", "1.71", "0.71", "0.71", "", "1"] in rows
    assert ["2210203", "购房补贴", "3.92", "3.92", "3.92", "", ""] in rows
    assert rows[-1][0] == "2210203"


# --------------------------------------------------------------------------- rotation


def _rotated_copy(tmp_path: Path, index: int, rotations: list[int]) -> Path:
    """Pages whose content is drawn sideways on a portrait sheet, with /Rotate making
    them display upright (how scanners and some exporters store landscape tables)."""
    src = pdfium.PdfDocument(str(SHANGWU))
    w, h = src[index].get_size()
    new = pdfium.PdfDocument.new()
    for rot in rotations:
        xobj = src.page_as_xobject(index, new)
        po = xobj.as_pageobject()
        if rot == 90:
            m, page = pdfium.PdfMatrix(0, 1, -1, 0, h, 0), new.new_page(h, w)
        elif rot == 270:
            m, page = pdfium.PdfMatrix(0, -1, 1, 0, 0, w), new.new_page(h, w)
        else:
            m, page = pdfium.PdfMatrix(-1, 0, 0, -1, w, h), new.new_page(w, h)
        po.transform(m)
        page.insert_obj(po)
        page.gen_content()
        page.set_rotation(rot)
    out = tmp_path / "rotated.pdf"
    new.save(str(out))
    return out


def test_rotated_pages_read_like_upright(tmp_path, shangwu):
    path = _rotated_copy(tmp_path, 20, [90, 270, 180])
    src = read(str(path))
    expected = row_texts(tables(shangwu, 21)[0])
    for n in (1, 2, 3):
        (grid,) = tables(src, n)
        assert row_texts(grid) == expected
        assert find_cell(grid, "公务用车购置及运行费").colspan == 3
        assert page_blocks(src, n)[0].text == "2025年部门“三公”经费和机关运行经费预算表"


# --------------------------------------------------------------------------- text helpers


def _ch(text: str, x0: float, top: float, size: float = 10.0, w: float | None = None) -> Char:
    w = size if w is None else w
    return Char(text, x0, top, x0 + w, top + size, size, True)


def test_stacked_cjk_cell_joins_without_separator():
    chars = []
    for i, part in enumerate(["政府", "性基", "金预", "算"]):
        chars += [_ch(t, 100 + 10 * k, 50 + 12 * i) for k, t in enumerate(part)]
    assert cell_text(chars) == "政府性基金预算"


def test_distributed_cjk_and_ascii_gaps():
    # 合    计 spread across a cell: no space; 201   13 in one cell: one space
    assert line_text([_ch("合", 100, 0), _ch("计", 160, 0)], cell=True) == "合计"
    digits = [_ch(t, 100 + 5 * i, 0, w=5) for i, t in enumerate("201")]
    digits += [_ch(t, 130 + 5 * i, 0, w=5) for i, t in enumerate("13")]
    assert line_text(digits, cell=True) == "201 13"
    tight = [_ch(t, 100 + 5 * i, 0, w=5) for i, t in enumerate("9,389,913.00")]
    assert line_text(tight, cell=True) == "9,389,913.00"
    # running text: a visible gap prints as one space
    assert line_text([_ch("目", 100, 0), _ch("录", 140, 0)]) == "目 录"


def test_page_number_patterns():
    for t in ["3", "- 3 -", "— 12 —", "第3页", "第 3 页 共 26 页", "3/26", "Page 3 of 26"]:
        assert is_page_number(t), t
    for t in ["合计", "单位：元", "3.5", "一、部门主要职能", "2025年"]:
        assert not is_page_number(t), t


def test_margin_page_numbers_only_when_alone():
    from budget_extract.readers.pdf.page import page_blocks as blocks_of
    from budget_extract.readers.pdf.page_model import PageObjects

    def word(text: str, x: float, top: float) -> list[Char]:
        return [_ch(t, x + 6 * i, top, w=6) for i, t in enumerate(text)]

    chars = word("Body", 50, 300)
    chars += word("Total", 50, 800) + word("12", 400, 800)  # a figure beside a label: data
    chars += word("- 7 -", 290, 820)  # the footer
    page = PageObjects(1, 595, 842, 0, chars, [])
    assert [b.text for b in blocks_of(page)] == ["Body", "Total", "12"]


def test_rect_segments_filters_invisible_and_splits_outlines():
    thin = {
        "x0": 10,
        "x1": 200,
        "top": 50,
        "bottom": 50.96,
        "fill": True,
        "stroke": False,
        "non_stroking_color": (0.0, 0.0, 0.0),
    }
    (seg,) = rect_segments(thin)
    assert seg.horizontal and (seg.x0, seg.x1) == (10, 200)
    assert seg.top == pytest.approx(50.48)
    white = dict(thin, bottom=70, non_stroking_color=(1.0, 1.0, 1.0))
    assert rect_segments(white) == []
    outline = {
        "x0": 10,
        "x1": 200,
        "top": 50,
        "bottom": 80,
        "fill": False,
        "stroke": True,
        "stroking_color": (0,),
    }
    assert len(rect_segments(outline)) == 4


def test_merged_cells_from_missing_lines():
    # 3 columns × 2 rows; the top row's two right cells are merged (no line at x=200
    # between y=0 and y=20); the rulings come in pieces, slightly offset.
    segs = [
        Segment(0, 0, 150, 0),
        Segment(150, 0.5, 300, 0.5),
        Segment(0, 20, 300, 20),
        Segment(0, 40.4, 300, 40.4),
        Segment(0, 0, 0, 40),
        Segment(100, 0, 100, 40),
        Segment(200.8, 20, 200.8, 40),
        Segment(300, 0, 300, 40),
    ]
    chars = [
        _ch("A", 40, 5),
        _ch("B", 190, 5),
        _ch("1", 40, 25),
        _ch("2", 140, 25),
        _ch("3", 240, 25),
        _ch("x", 500, 500),
    ]
    (grid,), rest = extract_ruled_tables(chars, segs, page=1)
    assert [c.text for c in rest] == ["x"]
    assert (grid.n_rows, grid.n_cols) == (2, 3)
    b = find_cell(grid, "B")
    assert (b.col, b.colspan) == (1, 2)
    assert grid.text_rows() == [["A", "B", ""], ["1", "2", "3"]]


def test_rows_without_rules_are_split_not_glued():
    # outer box, one rule under the header, column rules only: three body rows share
    # one ruled band; amounts must not be glued into "1.002.003.00"
    segs = [
        Segment(0, 0, 200, 0), Segment(0, 20, 200, 20), Segment(0, 100, 200, 100),
        Segment(0, 0, 0, 100), Segment(100, 0, 100, 100), Segment(200, 0, 200, 100),
    ]  # fmt: skip
    chars = [_ch("项", 10, 5), _ch("目", 20, 5), _ch("金", 110, 5), _ch("额", 120, 5)]
    for i, (label, amount) in enumerate([("甲", "1.00"), ("乙", "2.00"), ("丙", "3.00")]):
        top = 30 + 22 * i
        chars.append(_ch(label, 10, top))
        chars += [_ch(t, 150 + 5 * k, top, w=5) for k, t in enumerate(amount)]
    (grid,), _ = extract_ruled_tables(chars, segs, page=1)
    assert grid.text_rows() == [["项目", "金额"], ["甲", "1.00"], ["乙", "2.00"], ["丙", "3.00"]]


# --------------------------------------------------------------------------- synthetic PDFs




def make_pdf(pages: list[tuple[float, float, str]], user_password: str | None = None) -> bytes:
    """A minimal PDF: each page (width, height, content stream) with fonts /F1 (Helvetica)
    and /F2 (CJK); optionally RC4-40 encrypted with the given user password."""
    objs: list[bytes] = []

    def add(body: bytes = b"") -> int:
        objs.append(body)
        return len(objs)

    cat, root = add(), add()
    f1 = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    desc = add(
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
        b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
        b"/CapHeight 880 /StemV 93 >>"
    )
    cid = add(
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> "
        b"/FontDescriptor %d 0 R /DW 1000 >>" % desc
    )
    f2 = add(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light "
        b"/Encoding /UniGB-UCS2-H /DescendantFonts [%d 0 R] >>" % cid
    )
    streams: list[int] = []
    kids = []
    for w, h, content in pages:
        data = content.encode("latin-1")
        st = add(data)
        streams.append(st)
        kids.append(
            add(
                f"<< /Type /Page /Parent {root} 0 R /MediaBox [0 0 {w} {h}] /Resources << /Font "
                f"<< /F1 {f1} 0 R /F2 {f2} 0 R >> >> /Contents {st} 0 R >>".encode()
            )
        )
    objs[cat - 1] = f"<< /Type /Catalog /Pages {root} 0 R >>".encode()
    objs[root - 1] = (
        f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>"
    ).encode()
    file_id = md5(b"budget_extract test").digest()
    key = None
    trailer_extra = ""
    if user_password is not None:
        perms = -4
        o = _rc4(md5((b"owner" + _PAD)[:32]).digest()[:5], (user_password.encode() + _PAD)[:32])
        key = md5(
            (user_password.encode() + _PAD)[:32]
            + o
            + perms.to_bytes(4, "little", signed=True)
            + file_id
        ).digest()[:5]
        u = _rc4(key, _PAD)
        enc = add(
            f"<< /Filter /Standard /V 1 /R 2 /O <{o.hex()}> /U <{u.hex()}> /P {perms} >>".encode()
        )
        trailer_extra = f" /Encrypt {enc} 0 R"
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for num, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{num} 0 obj\n".encode()
        if num in streams:
            data = body
            if key is not None:
                data = _rc4(md5(key + num.to_bytes(3, "little") + b"\0\0").digest()[:10], data)
            out += b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"
        else:
            out += body
        out += b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objs) + 1} /Root {cat} 0 R /ID [<{file_id.hex()}> "
        f"<{file_id.hex()}>]{trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def ascii_text(x: float, top: float, text: str, size: float = 10, h: float = 842) -> str:
    """Helvetica text placed by its top-left corner (PDF y grows upwards)."""
    return f"BT /F1 {size} Tf {x} {h - top - size} Td ({text}) Tj ET\n"


def cjk_text(x: float, top: float, text: str, size: float = 10, h: float = 842) -> str:
    return f"BT /F2 {size} Tf {x} {h - top - size} Td <{text.encode('utf-16-be').hex()}> Tj ET\n"


def ruled_table_stream(h: float = 842) -> str:
    """A 3-row × 3-column table drawn with stroked lines (``l S``) and an outline rect."""
    ys = [100, 120, 140, 160]
    xs = [50, 150, 250, 350]
    s = "0 G 0.5 w\n"
    s += f"{xs[0]} {h - ys[-1]} {xs[-1] - xs[0]} {ys[-1] - ys[0]} re S\n"
    for y in ys[1:-1]:
        s += f"{xs[0]} {h - y} m {xs[-1]} {h - y} l S\n"
    for x in xs[1:-1]:
        s += f"{x} {h - ys[0]} m {x} {h - ys[-1]} l S\n"
    s += "1 1 1 rg 400 100 100 300 re f 0 g\n"  # a white box: no ruling
    s += cjk_text(55, 104, "项目") + cjk_text(155, 104, "金额") + cjk_text(255, 104, "备注")
    s += cjk_text(55, 124, "合计") + ascii_text(155, 124, "1,234.50") + ascii_text(255, 124, "x")
    s += ascii_text(55, 144, "A 1") + ascii_text(155, 144, "3") + ascii_text(255, 144, "")
    return s


def test_synthetic_ruled_table_and_page_numbers(tmp_path):
    content = cjk_text(200, 40, "第3页")  # header in the top margin
    content += ascii_text(50, 70, "Intro line")
    content += ruled_table_stream()
    content += ascii_text(50, 300, "3")  # a lone number in the body is text, not a footer
    content += ascii_text(290, 800, "- 3 -")  # footer
    path = tmp_path / "t.pdf"
    path.write_bytes(make_pdf([(595, 842, content)]))
    src = read(str(path))
    assert src.pages == 1
    kinds = [(b.kind, b.text) for b in src.blocks]
    assert kinds[0] == ("paragraph", "Intro line")
    assert kinds[-1] == ("paragraph", "3")
    (grid,) = [b.grid for b in src.blocks if b.grid]
    assert grid.text_rows() == [
        ["项目", "金额", "备注"],
        ["合计", "1,234.50", "x"],
        ["A 1", "3", ""],
    ]
    assert all("页" not in b.text and "- 3 -" not in b.text for b in src.blocks)


def test_borderless_columns_become_unruled_grid(tmp_path):
    content = cjk_text(50, 40, "支出功能分类")
    # a meta line set a little apart stays prose (right above the header it would be
    # indistinguishable from a header row)
    content += ascii_text(50, 70, "Dept: Commerce Commission of Putuo")
    content += ascii_text(400, 70, "Unit: yuan")
    rows = [
        ("Item", "2024", "2025"),
        ("Salaries", "1,000.00", "1,200.00"),
        ("Rent", "300.00", "320.00"),
        ("Total", "1,300.00", "1,520.00"),
    ]
    for i, (a, b, c) in enumerate(rows):
        top = 100 + 16 * i
        content += ascii_text(50, top, a) + ascii_text(250, top, b) + ascii_text(400, top, c)
    content += ascii_text(50, 200, "Note: amounts in yuan.")
    path = tmp_path / "b.pdf"
    path.write_bytes(make_pdf([(595, 842, content)]))
    src = read(str(path))
    texts = [(b.kind, b.text) for b in src.blocks]
    assert texts[:3] == [
        ("paragraph", "支出功能分类"),
        ("paragraph", "Dept: Commerce Commission of Putuo"),
        ("paragraph", "Unit: yuan"),
    ]
    assert texts[-1] == ("paragraph", "Note: amounts in yuan.")
    (grid,) = [b.grid for b in src.blocks if b.grid]
    assert not grid.ruled
    assert grid.text_rows() == [list(r) for r in rows]


def test_rotated_glyphs():
    # a sideways header inside a cell, and a sideways label outside any table
    col = [Char(t, 100, 10 + 10 * i, 110, 20 + 10 * i, 10, False) for i, t in enumerate("合计数")]
    assert cell_text(col) == "合计数"
    from budget_extract.readers.pdf.textlines import text_lines

    lines = text_lines(col + [_ch("正", 300, 15), _ch("文", 310, 15)])
    assert [ln.chunks[0].text for ln in lines] == ["合计数", "正文"]
    watermark = [
        Char(t, 100 + 30 * i, 10 + 30 * i, 110 + 30 * i, 20 + 30 * i, 10, False)
        for i, t in enumerate("内部资料")
    ]
    assert text_lines(watermark) == []


# --------------------------------------------------------------------------- errors


def test_zero_byte_file(tmp_path):
    p = tmp_path / "empty.pdf"
    p.write_bytes(b"")
    with pytest.raises(ExtractError, match="empty"):
        read(str(p))


def test_random_bytes(tmp_path):
    import random

    p = tmp_path / "random.pdf"
    p.write_bytes(random.Random(7).randbytes(4096))
    with pytest.raises(ExtractError, match="not a PDF"):
        read(str(p))


def test_fake_pdf_header(tmp_path):
    p = tmp_path / "fake.pdf"
    p.write_bytes(b"%PDF-1.7\n" + b"garbage " * 500 + b"\n%%EOF\n")
    with pytest.raises(ExtractError) as ei:
        read(str(p))
    assert ei.value.path == str(p)


@pytest.mark.parametrize("frac", [0.05, 0.5, 0.95])
def test_truncated_copy(tmp_path, frac):
    data = SHANGWU.read_bytes()
    p = tmp_path / "cut.pdf"
    p.write_bytes(data[: int(len(data) * frac)])
    with pytest.raises(ExtractError, match="truncated"):
        read(str(p))


def test_missing_file(tmp_path):
    with pytest.raises(ExtractError, match="no such file"):
        read(str(tmp_path / "nope.pdf"))


def test_image_only_pdf_names_pages(tmp_path):
    from PIL import Image

    imgs = [Image.new("RGB", (400, 300), c) for c in ("white", "gray", "white")]
    p = tmp_path / "scan.pdf"
    imgs[0].save(p, "PDF", save_all=True, append_images=imgs[1:])
    with pytest.raises(ExtractError, match=r"pages 1-3 have no text layer.*OCR") as ei:
        read(str(p))
    assert ei.value.path == str(p)


def test_some_pages_scanned_is_a_warning(tmp_path):
    from PIL import Image

    scan = tmp_path / "scan.pdf"
    Image.new("RGB", (400, 300), "gray").save(scan, "PDF")
    doc = pdfium.PdfDocument(str(SHANGWU))
    new = pdfium.PdfDocument.new()
    new.import_pages(doc, [0, 20])
    new.import_pages(pdfium.PdfDocument(str(scan)))
    out = tmp_path / "mixed.pdf"
    new.save(str(out))
    src = read(str(out))
    assert src.pages == 3
    assert any("page 3 has no text layer" in w for w in src.warnings)
    assert tables(src, 2)


def test_password_protected(tmp_path):
    content = ascii_text(50, 50, "Secret 42.00")
    p = tmp_path / "locked.pdf"
    p.write_bytes(make_pdf([(595, 842, content)], user_password="pw123"))
    with pytest.raises(ExtractError, match="password-protected; pass --password"):
        read(str(p))
    with pytest.raises(ExtractError, match="password is wrong"):
        read(str(p), password="nope")
    src = read(str(p), password="pw123")
    assert [b.text for b in src.blocks] == ["Secret 42.00"]


def test_backend_streams_pages():
    be = PdfplumberBackend()
    be.open(WANLI.read_bytes())
    try:
        assert be.page_count == 31
        seen = []
        for page in be.iter_pages():
            seen.append(page.number)
            assert page.width > page.height  # landscape
            if page.number == 18:
                assert len(page.segments) == 7
                assert all(s.horizontal or s.x0 == s.x1 for s in page.segments)
        assert seen == list(range(1, 32))
    finally:
        be.close()
