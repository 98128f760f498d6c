"""Issue 12: the pypdfium2 engine reads every PDF as the pdfplumber engine does.

Document by document, both engines must give the same tables, the same facts (value, row,
column, page, and a provenance box within a fraction of a point) and the same checks; page
by page, the same characters and ruling lines, also on rotated pages and offset
MediaBoxes.  Files PDFium must not read (damaged, or with streams that could inflate past
the limit) go to pdfplumber, so errors and repairs stay the same.
"""

from __future__ import annotations

import io
from pathlib import Path

import bad_inputs as bi
import pytest
import real_docs

import budget_extract
from budget_extract.errors import ExtractError
from budget_extract.facts import document_facts
from budget_extract.readers.pdf import read
from budget_extract.readers.pdf.pdfium import PdfiumBackend
from budget_extract.readers.pdf.plumber import PdfplumberBackend
from budget_extract.readers.pdf.soundness import sound_for_pdfium

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FIXTURE_PDFS = sorted(FIXTURES.glob("*.pdf"))
BOX_TOL = 0.5  # pt: provenance boxes are rounded to 0.01; glyph boxes agree within 0.2


def _summary(doc: budget_extract.Document) -> dict[str, object]:
    facts = document_facts(doc)
    return {
        "tables": [(t.kind, t.title, t.unit, [c.path for c in t.columns]) for t in doc.tables],
        "facts": [(f.table_no, f.row_no, f.row_code, f.row_label, f.column, f.value, f.unit,
                   f.page) for f in facts],
        "checks": [(c.id, c.status, c.message) for c in doc.checks],
        "warnings": doc.source.warnings,
        "pages": doc.source.pages,
    }


def assert_same_document(path: Path, default: budget_extract.Document | None = None) -> None:
    pdfium = default or budget_extract.extract(path, pdf_engine="pdfium")
    plumber = budget_extract.extract(path, pdf_engine="pdfplumber")
    a, b = _summary(plumber), _summary(pdfium)
    for key in a:
        assert a[key] == b[key], (path.name, key)
    boxes = [(f.bbox, g.bbox) for f, g in zip(document_facts(plumber), document_facts(pdfium),
                                               strict=True)]
    assert all(p is not None for p, _ in boxes)
    worst = max((max(abs(x - y) for x, y in zip(p, q, strict=True)) for p, q in boxes
                 if p and q), default=0.0)  # the blank template has no facts
    assert worst <= BOX_TOL, (path.name, worst)


@pytest.mark.parametrize("path", [
    pytest.param(p, marks=() if p == bi.SEED_PDF else pytest.mark.slow) for p in FIXTURE_PDFS
], ids=lambda p: p.stem[-12:])
def test_engines_agree_on_the_fixtures(path, extracted):
    assert_same_document(path, extracted(path))  # the session's copy is the default engine


REAL = real_docs.real_dir()
# the real PDFs that fixtures/ bundles are compared above already
REAL_PDFS = [p for p in sorted(REAL.glob("*.pdf")) if not real_docs.bundled(p)] if REAL else []


@pytest.mark.slow  # both engines on 11 files: ~20 s
@pytest.mark.parametrize("path", REAL_PDFS, ids=lambda p: p.stem[:8])
def test_engines_agree_on_the_real_pdfs(path):
    assert_same_document(path, real_docs.doc(path.stem))


def test_the_default_engine_is_pdfium_and_names_are_checked(tmp_path):
    from budget_extract.readers.pdf import DEFAULT_ENGINE

    assert DEFAULT_ENGINE == "pdfium"
    path = bi.budget_pdf(tmp_path)
    with pytest.raises(ExtractError, match="unknown PDF engine 'mupdf'"):
        budget_extract.extract(path, pdf_engine="mupdf")


# --------------------------------------------------------------------------- pages


def _pages(backend: object, data: bytes, password: str | None = None) -> list:
    backend.open(data, password)  # type: ignore[attr-defined]
    try:
        return list(backend.iter_pages())  # type: ignore[attr-defined]
    finally:
        backend.close()  # type: ignore[attr-defined]


def assert_same_pages(data: bytes, password: str | None = None) -> None:
    """Same page sizes, glyphs (text, box, size, upright) and ruling segments; the box of
    a rotated glyph is the same box turned."""
    plumber = _pages(PdfplumberBackend(), data, password)
    pdfium = _pages(PdfiumBackend(), data, password)
    assert len(plumber) == len(pdfium)
    for p, q in zip(plumber, pdfium, strict=True):
        assert (round(p.width, 2), round(p.height, 2), p.rotation) == (
            round(q.width, 2), round(q.height, 2), q.rotation)
        key = lambda c: (round(c.top), round(c.x0), c.text)  # noqa: E731
        a = sorted((c for c in p.chars if not c.text.isspace()), key=key)
        b = sorted((c for c in q.chars if not c.text.isspace()), key=key)
        assert [c.text for c in a] == [c.text for c in b]
        for c, d in zip(a, b, strict=True):
            # the descent of a font without metrics in the file (Helvetica here) comes from
            # pdfminer's AFM tables and from PDFium's own: 0.017 em apart, across the line
            assert max(abs(c.x0 - d.x0), abs(c.x1 - d.x1), abs(c.top - d.top),
                       abs(c.bottom - d.bottom)) < 0.2, (c, d)
            assert abs(c.size - d.size) < 0.01, (c, d)
            assert c.upright == d.upright
        seg = lambda s: (s.x0, s.top, s.x1, s.bottom)  # noqa: E731
        sa, sb = sorted(map(seg, p.segments)), sorted(map(seg, q.segments))
        assert len(sa) == len(sb)
        for u, v in zip(sa, sb, strict=True):  # PDFium computes in single precision
            assert max(abs(x - y) for x, y in zip(u, v, strict=True)) < 0.01, (u, v)


def _reboxed(data: bytes, media: tuple[float, float, float, float], rotation: int) -> bytes:
    """``data`` with every page's MediaBox and /Rotate changed (saved by PDFium, so the
    cross-reference table is fresh)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    for page in doc:
        page.set_mediabox(*media)
        page.set_rotation(rotation)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_offset_mediabox_and_rotation_give_pdfplumbers_coordinates(rotation):
    page = bi.budget_page() + b"0 0 1 rg 300 300 80 1.2 re f\n"  # and a thin filled bar
    data = _reboxed(bi.pdf_bytes([page]), (-40.0, 30.0, 600.0, 880.0), rotation)
    assert sound_for_pdfium(data) is None
    assert_same_pages(data)


def test_rotated_real_page_reads_the_same():
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(FIXTURES / "上海市普陀区商务委员会2025年部门预算.pdf"))
    new = pdfium.PdfDocument.new()
    new.import_pages(src, [20])
    new[0].set_rotation(90)
    out = io.BytesIO()
    new.save(out)
    assert_same_pages(out.getvalue())


def test_curves_and_polygons_draw_the_same_rulings():
    """Stroked polylines, a closed polygon, a Bézier, thin filled polygons (广东/西安 style),
    white and unpainted paths, and a form XObject, through both engines."""
    stream = (b"0 G 1 w 50 700 m 300 700 l 300 650 l S\n"  # polyline: two rulings
              b"60 600 m 200 600 l 200 560 l 60 560 l h S\n"  # closed polygon
              b"60 500 m 100 540 140 540 180 500 c S\n"  # a curve: no ruling
              b"0 g 60 450 m 400 450 l 400 449.4 l 60 449.4 l f\n"  # thin filled polygon
              b"1 1 1 RG 60 420 m 400 420 l S\n"  # white: none
              b"60 400 m 400 400 l n\n"  # not painted: none
              b"q 1 0 0 1 20 -100 cm 0 G 60 380 m 400 380 l S Q\n")  # moved by the CTM
    assert_same_pages(bi.pdf_bytes([stream, bi.budget_page()]))


def test_passwords_open_alike(tmp_path):
    path = bi.encrypted_pdf(tmp_path, "enc.pdf", "s3cret")
    data = path.read_bytes()
    assert_same_pages(data, "s3cret")
    for backend in (PdfplumberBackend(), PdfiumBackend()):
        with pytest.raises(ExtractError, match="password-protected; pass --password"):
            backend.open(data)
        with pytest.raises(ExtractError, match="given password is wrong"):
            backend.open(data, "nope")


def test_pdfium_chars_carry_render_mode_and_colour():
    """What a shared invisible-text filter needs: ``Tr`` 3 and a white fill are reported."""
    stream = (bi.budget_page() + b"BT /F1 10 Tf 3 Tr 50 100 Td (HIDDEN) Tj ET\n"
              b"BT 1 1 1 rg /F1 10 Tf 50 80 Td (WHITE) Tj ET\n")
    (page,) = _pages(PdfiumBackend(), bi.pdf_bytes([stream]))
    by_text = {c.text: c for c in page.chars}
    assert by_text["H"].render_mode == 3
    assert by_text["W"].fill == (1.0, 1.0, 1.0)
    assert by_text["某"].render_mode == 0 and by_text["某"].fill == (0.0, 0.0, 0.0)


# --------------------------------------------------------------------------- safety


def test_unsound_files_are_left_to_pdfplumber(tmp_path):
    assert sound_for_pdfium(bi.SEED_PDF.read_bytes()) is None
    damaged = bi.damaged_xref_pdf(tmp_path).read_bytes()
    assert sound_for_pdfium(damaged) == "startxref points past the end"
    assert sound_for_pdfium(bi.compression_bomb_pdf(tmp_path).read_bytes()) == \
        "a stream inflates past the limit"
    assert sound_for_pdfium(bi.chained_bomb_pdf(tmp_path).read_bytes()) == \
        "a stream inflates past the limit"
    truncated = bi.SEED_PDF.read_bytes()[:-200]
    assert sound_for_pdfium(truncated) == "no %%EOF marker"
    # …and read by pdfplumber, with its warning and the original's tables
    src = read(damaged, "damaged.pdf", engine="pdfium")
    assert "rebuilt copy" in src.warnings[0]


def test_object_cap_is_checked_before_the_text(tmp_path, monkeypatch):
    from budget_extract.readers.pdf import guards

    monkeypatch.setattr(guards, "MAX_PAGE_OBJECTS", 2_000)
    data = bi.tiny_objects_pdf(tmp_path, n=5_000).read_bytes()
    with pytest.raises(ExtractError, match=r"^page 1: more than 2,000 objects on one page"):
        _pages(PdfiumBackend(), data)


def test_pdfium_chars_fill_the_page_model_fields_they_mean() -> None:
    """The PDFium backend builds Char positionally (speed): every field must hold what its
    name says — a colour in ``fill``, a number in ``hscale`` — spaces it inserts included."""
    from budget_extract.readers.pdf.pdfium import PdfiumBackend

    data = (Path(__file__).parent.parent / "fixtures"
            / "huaibei-hrss-info-center-2026-budget.pdf").read_bytes()
    be = PdfiumBackend()
    be.open(data, None)
    try:
        chars = [c for page in be.iter_pages() for c in page.chars]
    finally:
        be.close()
    assert any(c.text == " " for c in chars)  # spaces PDFium inserted at gaps
    for c in chars:
        assert isinstance(c.hscale, float) and c.hscale == 1.0, c
        assert c.fill is None or (isinstance(c.fill, tuple) and len(c.fill) == 3), c
        assert c.render_mode in (0, 1, 2, 3, 4, 5, 6, 7) and c.confidence is None, c
